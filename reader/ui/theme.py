"""Colours and fonts: the light, dark and sepia themes, and the reading typeface.

A theme is plain data (:class:`Theme`); :func:`apply_theme` turns it into an application palette
and a small style sheet. The reader pane asks :func:`highlight_background` for the colour of a
highlight so that the same colour names read well on a dark page too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from reader.core.model import HIGHLIGHT_COLORS

THEME_NAMES = ("system", "light", "dark", "sepia")

# Reading typefaces, best first; the first one installed wins (Qt falls back per glyph too).
SERIF_FAMILIES = [
    "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "STSong", "SimSun",
    "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei", "Heiti SC",
]
SANS_FAMILIES = [
    "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Segoe UI",
    "WenQuanYi Micro Hei", "Heiti SC", "Helvetica Neue", "Arial",
]

DEFAULT_READING_PX = 17
MIN_READING_PX = 12
MAX_READING_PX = 32
LINE_HEIGHT_PERCENT = 180
MAX_TEXT_WIDTH = 720  # px of text per line in the reader pane, however wide the window


@dataclass(frozen=True)
class Theme:
    name: str
    dark: bool
    window: str  # chrome: side panels, lists
    base: str  # inputs, lists
    page: str  # the reader's paper
    text: str
    muted: str  # secondary text (source, date, counts)
    border: str
    accent: str
    selection: str
    selection_text: str
    find_hit: str  # find-in-article / search matches
    find_current: str
    flash: str  # a highlight being jumped to


LIGHT = Theme(
    name="light", dark=False, window="#f5f5f3", base="#ffffff", page="#fcfcfa", text="#24292f",
    muted="#6e7781", border="#e1e1dc", accent="#b5472b", selection="#d3d9e2",
    selection_text="#1f2328", find_hit="#bfeee6", find_current="#4fc7b4", flash="#ff7a45",
)
DARK = Theme(
    name="dark", dark=True, window="#1f2023", base="#26272b", page="#1b1c1f", text="#d9d7d2",
    muted="#8d929a", border="#34363b", accent="#e0876a", selection="#3f4856",
    selection_text="#f0f0f0", find_hit="#1f524c", find_current="#2b8a7c", flash="#c4532c",
)
SEPIA = Theme(
    name="sepia", dark=False, window="#efe6d2", base="#f8f1e1", page="#f6eedb", text="#433422",
    muted="#85735a", border="#ddd0b4", accent="#9c4a21", selection="#e3cfa4",
    selection_text="#2d2214", find_hit="#cce3cf", find_current="#86c29a", flash="#e0743a",
)
THEMES = {t.name: t for t in (LIGHT, DARK, SEPIA)}


def system_prefers_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    try:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:  # Qt < 6.5
        return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def resolve_theme(name: str) -> Theme:
    """``system`` follows the desktop's dark mode; unknown names fall back to light."""
    if name == "system" or name not in THEMES:
        return DARK if system_prefers_dark() else LIGHT
    return THEMES[name]


def mix(a: str | QColor, b: str | QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` towards ``b``."""
    ca, cb = QColor(a), QColor(b)
    return QColor(
        round(ca.red() + (cb.red() - ca.red()) * t),
        round(ca.green() + (cb.green() - ca.green()) * t),
        round(ca.blue() + (cb.blue() - ca.blue()) * t),
    )


def highlight_background(color: str, theme: Theme, depth: int = 1) -> QColor:
    """The background for a highlight of colour ``color`` (a name from HIGHLIGHT_COLORS or a
    #hex). ``depth`` > 1 where highlights overlap: each extra layer is a little deeper."""
    base = QColor(HIGHLIGHT_COLORS.get(color, color if color.startswith("#") else "#ffe58a"))
    if theme.dark:
        c = mix(theme.page, base, 0.42)
    elif theme.name == "sepia":
        c = mix(base, theme.page, 0.18)
    else:
        c = QColor(base)
    for _ in range(max(0, depth - 1)):
        c = mix(c, "#ffffff" if theme.dark else "#000000", 0.14 if theme.dark else 0.12)
    return c


def swatch_color(color: str) -> QColor:
    """The colour shown on buttons and in lists for a highlight colour name."""
    return QColor(HIGHLIGHT_COLORS.get(color, color if color.startswith("#") else "#ffe58a"))


def reading_font(px: int = DEFAULT_READING_PX) -> QFont:
    f = QFont()
    f.setFamilies(SERIF_FAMILIES)
    f.setPixelSize(max(MIN_READING_PX, min(MAX_READING_PX, px)))
    f.setStyleHint(QFont.StyleHint.Serif)
    return f


def ui_font(point_size: float | None = None) -> QFont:
    f = QFont(QApplication.font())
    f.setFamilies(SANS_FAMILIES)
    if point_size:
        f.setPointSizeF(point_size)
    return f


def palette_for(theme: Theme) -> QPalette:
    p = QPalette()
    R = QPalette.ColorRole
    p.setColor(R.Window, QColor(theme.window))
    p.setColor(R.WindowText, QColor(theme.text))
    p.setColor(R.Base, QColor(theme.base))
    p.setColor(R.AlternateBase, mix(theme.base, theme.window, 0.5))
    p.setColor(R.Text, QColor(theme.text))
    p.setColor(R.Button, QColor(theme.window))
    p.setColor(R.ButtonText, QColor(theme.text))
    p.setColor(R.BrightText, QColor("#ffffff"))
    p.setColor(R.Highlight, QColor(theme.selection))
    p.setColor(R.HighlightedText, QColor(theme.selection_text))
    p.setColor(R.ToolTipBase, QColor(theme.base))
    p.setColor(R.ToolTipText, QColor(theme.text))
    p.setColor(R.PlaceholderText, QColor(theme.muted))
    p.setColor(R.Link, QColor(theme.accent))
    p.setColor(R.Mid, QColor(theme.border))
    p.setColor(R.Midlight, mix(theme.border, theme.window, 0.5))
    p.setColor(R.Dark, mix(theme.border, theme.text, 0.3))
    p.setColor(R.Light, QColor(theme.base))
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.muted))
    return p


def style_sheet(theme: Theme) -> str:
    t = theme
    return f"""
QMainWindow, QDialog {{ background: {t.window}; }}
QSplitter::handle {{ background: {t.border}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QSplitter::handle:vertical {{ height: 1px; }}
QTabWidget::pane {{ border: none; }}
QTabBar::tab {{ padding: 6px 14px; border: none; color: {t.muted}; background: transparent; }}
QTabBar::tab:selected {{ color: {t.text}; border-bottom: 2px solid {t.accent}; }}
QTreeView, QListView, QTableView {{ border: none; background: {t.base};
    selection-background-color: {t.selection}; selection-color: {t.selection_text}; }}
QTreeView#articleList::item {{ padding: 5px 2px; }}
QTreeView#importReport::item, QTreeView#shortcutList::item {{ padding: 3px 2px; }}
QHeaderView::section {{ background: {t.window}; color: {t.muted}; border: none;
    border-bottom: 1px solid {t.border}; padding: 4px 6px; }}
QLineEdit, QDateEdit, QComboBox {{ border: 1px solid {t.border}; border-radius: 5px;
    padding: 4px 6px; background: {t.base}; color: {t.text}; }}
QLineEdit:focus {{ border-color: {t.accent}; }}
QTextBrowser#readerText {{ border: none; background: {t.page}; color: {t.text}; }}
QWidget#readerPane {{ background: {t.page}; }}
QFrame#findBar {{ background: {t.window}; border-top: 1px solid {t.border}; }}
QFrame#selectionToolbar {{ background: {t.base}; border: 1px solid {t.border};
    border-radius: 8px; }}
QToolButton#swatch {{ border: 1px solid {t.border}; border-radius: 10px; }}
QToolButton#swatch:hover {{ border: 2px solid {t.text}; }}
QLabel#muted, QLabel#countLabel {{ color: {t.muted}; }}
QLabel#queryError {{ color: #c0392b; }}
QWidget#emptyState {{ background: {t.page}; }}
QLabel#emptyTitle {{ color: {t.text}; }}
QLabel#emptyText {{ color: {t.muted}; }}
QPushButton#primary {{ background: {t.accent}; color: white; border: none; border-radius: 6px;
    padding: 8px 18px; }}
QPushButton#primary:hover {{ background: {mix(t.accent, '#000000', 0.12).name()}; }}
QPushButton#secondary {{ background: transparent; color: {t.text}; border: 1px solid {t.border};
    border-radius: 6px; padding: 8px 18px; }}
QStatusBar {{ color: {t.muted}; }}
"""


def apply_theme(theme: Theme, app: QApplication | None = None) -> None:
    app = app or cast("QApplication | None", QApplication.instance())
    if app is None:
        return
    app.setPalette(palette_for(theme))
    app.setStyleSheet(style_sheet(theme))
