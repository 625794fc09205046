"""Highlights as cards: a list model and a delegate shared by the annotations panel and the
recall view.

Each card shows the highlight's colour (a bar and a faint tint), its quote, its note, its tags as
chips and, optionally, the article's title and date. Rows are painted, not built from widgets,
so a list of thousands of highlights stays light; card heights are cached per width.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from reader.core.library import LibraryError
from reader.core.model import HIGHLIGHT_COLORS, Highlight
from reader.core.store import DatabaseError
from reader.core.text import OffsetMap

# what a read from the library may raise in the GUI (a vanished row, a library closing at exit)
READ_ERRORS = (LibraryError, DatabaseError)

HighlightRole = Qt.ItemDataRole.UserRole + 1
UuidRole = Qt.ItemDataRole.UserRole + 2
ArticleIdRole = Qt.ItemDataRole.UserRole + 3

DEFAULT_COLOR = "yellow"
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")

# display names of the highlight colours (translated in the "HighlightColors" context)
_COLOR_NAMES = {
    "yellow": QT_TRANSLATE_NOOP("HighlightColors", "Yellow"),
    "green": QT_TRANSLATE_NOOP("HighlightColors", "Green"),
    "blue": QT_TRANSLATE_NOOP("HighlightColors", "Blue"),
    "pink": QT_TRANSLATE_NOOP("HighlightColors", "Pink"),
    "purple": QT_TRANSLATE_NOOP("HighlightColors", "Purple"),
    "orange": QT_TRANSLATE_NOOP("HighlightColors", "Orange"),
}


def color_names() -> list[str]:
    """The highlight colours in menu order."""
    return list(HIGHLIGHT_COLORS)


def color_label(name: str) -> str:
    """The user-facing (translated) name of a highlight colour."""
    src = _COLOR_NAMES.get(name)
    return QCoreApplication.translate("HighlightColors", str(src)) if src else name


def highlight_qcolor(name: str) -> QColor:
    """The swatch colour of a highlight colour name (unknown names fall back to yellow)."""
    return QColor(HIGHLIGHT_COLORS.get(name) or HIGHLIGHT_COLORS[DEFAULT_COLOR])


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def bar_color(name: str, palette: QPalette) -> QColor:
    """The colour bar of a card: the swatch, a little deeper so it reads on a light base."""
    c = highlight_qcolor(name)
    return c.darker(112) if not is_dark(palette) else c


def tint_color(name: str, palette: QPalette) -> QColor:
    """The faint background of a card of this colour."""
    base = palette.color(QPalette.ColorRole.Base)
    return blend(base, highlight_qcolor(name), 0.16 if is_dark(palette) else 0.28)


def muted_color(palette: QPalette) -> QColor:
    return blend(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.45)


# ---------------------------------------------------------------------- text wrapping
def wrap_lines(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines of ``width`` pixels (CJK breaks between
    any two characters); paragraphs stay separate; the last line ends in '…' when cut."""
    width = max(width, 20.0)
    fm = QFontMetricsF(font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    lines: list[str] = []
    truncated = False
    paragraphs = [p.strip() for p in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    for n, para in enumerate(paragraphs):
        if len(lines) >= max_lines:
            truncated = True
            break
        offsets = OffsetMap(para) if _ASTRAL.search(para) else None  # Qt counts UTF-16 units
        layout = QTextLayout(para, font)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start, end = line.textStart(), line.textStart() + line.textLength()
            if offsets is not None:
                start, end = offsets.utf16_to_cp(start), offsets.utf16_to_cp(end)
            if len(lines) >= max_lines:
                truncated = True
                break
            lines.append(para[start:end].rstrip())
        layout.endLayout()
        if truncated:
            break
        if n + 1 < len(paragraphs) and len(lines) >= max_lines:
            truncated = True
            break
    if truncated and lines:
        last = lines[-1]
        elided = fm.elidedText(last + "\u2026", Qt.TextElideMode.ElideRight, width)
        lines[-1] = elided if elided.endswith("\u2026") else elided + "\u2026"
    return lines


# ---------------------------------------------------------------------- model
def _shape(h: Highlight) -> tuple:
    """What a card's height depends on (not its colour)."""
    return (h.quote, h.note, tuple(h.tags), h.orphan, h.article_title)


class HighlightListModel(QAbstractListModel):
    """A flat list of :class:`Highlight` rows (no I/O: the owner loads and sets them)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Highlight] = []
        self._row_of: dict[str, int] = {}

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self.beginResetModel()
        self._rows = list(highlights)
        self._row_of = {h.uuid: i for i, h in enumerate(self._rows)}
        self.endResetModel()

    def update_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Like :meth:`set_highlights` for a new version of the same list: the rows that stay
        stay, an added or removed highlight is inserted or removed, a changed one updated in
        place. The view keeps its scroll bar, selection and laid-out cards instead of laying
        out every card again (500 cards: the scroll bar went and came back, each card measured
        at two widths). A list unlike the old one is reset."""
        new = list(highlights)
        old = self._rows
        n_old, n_new = len(old), len(new)
        i = 0
        while i < n_old and i < n_new and old[i].uuid == new[i].uuid:
            i += 1
        j = 0
        while (j < n_old - i and j < n_new - i
               and old[n_old - 1 - j].uuid == new[n_new - 1 - j].uuid):
            j += 1
        removed, added = n_old - i - j, n_new - i - j
        if removed + added > 32 or not old:
            self.set_highlights(new)
            return
        if removed:
            self.beginRemoveRows(QModelIndex(), i, i + removed - 1)
            self._rows = old[:i] + old[i + removed:]
            self._row_of = {h.uuid: k for k, h in enumerate(self._rows)}
            self.endRemoveRows()
        if added:
            self.beginInsertRows(QModelIndex(), i, i + added - 1)
            self._rows = new[:i + added] + self._rows[i:]
            self._row_of = {h.uuid: k for k, h in enumerate(self._rows)}
            self.endInsertRows()
        before = self._rows
        self._rows = new
        self._row_of = {h.uuid: k for k, h in enumerate(new)}
        changed = [k for k, (a, b) in enumerate(zip(before, new, strict=True)) if a != b]
        for k in changed:
            self.dataChanged.emit(self.index(k, 0), self.index(k, 0))
        if any(_shape(before[k]) != _shape(new[k]) for k in changed):
            self.layoutAboutToBeChanged.emit()  # a card's height may change: lay out again
            self.layoutChanged.emit()

    def highlights(self) -> list[Highlight]:
        return list(self._rows)

    def highlight_at(self, row: int) -> Highlight | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, uuid: str) -> int:
        return self._row_of.get(uuid, -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        h = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return h.quote
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(h)
        if role == HighlightRole:
            return h
        if role == UuidRole:
            return h.uuid
        if role == ArticleIdRole:
            return h.article_id
        return None

    def _tooltip(self, h: Highlight) -> str:
        parts = [color_label(h.color)]
        if h.article_date:
            parts.append(self.tr("Article of %1").replace("%1", h.article_date))
        if h.created:
            parts.append(self.tr("Highlighted %1").replace("%1", h.created[:10]))
        if h.orphan:
            parts.append(self.tr("Orphan: its text is gone from the current version"))
        return " · ".join(parts)


# ---------------------------------------------------------------------- delegate
@dataclass
class _CardLayout:
    quote: list[str]
    note: list[str]
    chips: list[tuple[QRectF, str]]  # relative to the chips block's top-left
    chips_h: float
    height: int


class HighlightCardDelegate(QStyledItemDelegate):
    """Paints a :class:`Highlight` as a card. ``show_article`` adds the title and date line."""

    MARGIN_X = 8
    MARGIN_Y = 4
    PAD_X = 12
    PAD_Y = 9
    BAR = 4
    SPACING = 6
    QUOTE_LINES = 5
    NOTE_LINES = 4
    CHIP_ROWS = 2

    NOTE_INDENT = 10

    def __init__(self, view: QAbstractItemView, *, show_article: bool = False,
                 quote_lines: int | None = None, orphan_badge: bool = True) -> None:
        super().__init__(view)
        self._view = view
        self.show_article = show_article
        self.orphan_badge = orphan_badge
        if quote_lines is not None:
            self.QUOTE_LINES = quote_lines
        self._cache: dict[tuple, _CardLayout] = {}
        self._fonts_cache: tuple[str, tuple[QFont, QFont, QFont]] | None = None

    # fonts ---------------------------------------------------------------
    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        key = option.font.key()
        if self._fonts_cache is not None and self._fonts_cache[0] == key:
            return self._fonts_cache[1]
        base = QFont(option.font)
        note = QFont(base)
        small = QFont(base)
        size = base.pointSizeF()
        if size > 0:
            small.setPointSizeF(max(size * 0.84, 7.0))
        else:
            small.setPixelSize(max(int(base.pixelSize() * 0.84), 9))
        self._fonts_cache = (key, (base, note, small))
        return base, note, small

    @staticmethod
    def _line_h(font: QFont) -> float:
        fm = QFontMetricsF(font)
        return round(fm.height() * 1.32)

    def clear_cache(self) -> None:
        self._cache.clear()

    def _width(self, option: QStyleOptionViewItem) -> int:
        w = self._view.viewport().width() if self._view is not None else option.rect.width()
        return max(w, 120)

    def _layout(self, h: Highlight, option: QStyleOptionViewItem, width: int) -> _CardLayout:
        base, note_font, small = self._fonts(option)
        # what the layout depends on (not the colour or the time of the last change: a
        # recolour of 5,000 cards lays none of them out again)
        key = (h.uuid, h.quote, h.note, tuple(h.tags), h.orphan, h.article_title, width,
               self._fonts_cache[0] if self._fonts_cache else "", self.show_article)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        inner = width - 2 * self.MARGIN_X - self.BAR - 2 * self.PAD_X
        quote = wrap_lines(h.quote, base, inner, self.QUOTE_LINES)
        note = (wrap_lines(h.note, note_font, inner - self.NOTE_INDENT, self.NOTE_LINES)
                if h.note.strip() else [])
        chips, chips_h = self._chips(h.tags, small, inner)
        height = self.PAD_Y * 2 + len(quote) * self._line_h(base)
        if note:
            height += self.SPACING + len(note) * self._line_h(note_font)
        if chips:
            height += self.SPACING + chips_h
        if self._meta_line(h):
            height += self.SPACING + self._line_h(small)
        lay = _CardLayout(quote, note, chips, chips_h, int(height + 2 * self.MARGIN_Y))
        if len(self._cache) > 20000:
            self._cache.clear()
        self._cache[key] = lay
        return lay

    def _meta_line(self, h: Highlight) -> bool:
        return self.show_article or (h.orphan and self.orphan_badge)

    def _chips(self, tags: Sequence[str], font: QFont, width: float) -> tuple[list, float]:
        fm = QFontMetricsF(font)
        h = round(fm.height() + 4)
        x = y = 0.0
        rows = 1
        out: list[tuple[QRectF, str]] = []
        for tag in tags:
            text = tag
            w = fm.horizontalAdvance(text) + 14
            if w > width:
                text = fm.elidedText(tag, Qt.TextElideMode.ElideRight, max(width - 16, 20))
                w = fm.horizontalAdvance(text) + 14
            if x > 0 and x + w > width:
                rows += 1
                if rows > self.CHIP_ROWS:
                    break
                x, y = 0.0, y + h + 4
            out.append((QRectF(x, y, w, h), text))
            x += w + 5
        return out, (y + h if out else 0.0)

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        model = index.model()
        if isinstance(model, HighlightListModel):  # 14× quicker than a trip through data()
            h = model.highlight_at(index.row())
        else:
            h = index.data(HighlightRole)
        if h is None:
            return super().sizeHint(option, index)
        width = self._width(option)  # the view's font is the item's font: no initStyleOption
        return QSize(width, self._layout(h, option, width).height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        h: Highlight | None = index.data(HighlightRole)
        if h is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        pal = opt.palette
        lay = self._layout(h, opt, self._width(opt))
        base_font, note_font, small = self._fonts(opt)
        text_c = pal.color(QPalette.ColorRole.Text)
        muted = muted_color(pal)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        hovered = bool(opt.state & QStyle.StateFlag.State_MouseOver)
        focus = pal.color(QPalette.ColorRole.Highlight)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        card = QRectF(opt.rect).adjusted(self.MARGIN_X, self.MARGIN_Y, -self.MARGIN_X, -self.MARGIN_Y)
        path = QPainterPath()
        path.addRoundedRect(card, 6, 6)
        painter.fillPath(path, tint_color(h.color, pal))
        if selected:
            painter.setPen(QPen(blend(focus, text_c, 0.3), 2))
        elif hovered:
            painter.setPen(QPen(blend(pal.color(QPalette.ColorRole.Base), text_c, 0.35), 1))
        else:
            painter.setPen(QPen(blend(pal.color(QPalette.ColorRole.Base), text_c, 0.14), 1))
        painter.drawPath(path)
        # the colour bar along the left edge, clipped to the card's rounded shape
        painter.save()
        painter.setClipPath(path)
        painter.fillRect(QRectF(card.left(), card.top(), self.BAR, card.height()),
                         bar_color(h.color, pal))
        painter.restore()

        x = card.left() + self.BAR + self.PAD_X
        w = card.width() - self.BAR - 2 * self.PAD_X
        y = card.top() + self.PAD_Y
        painter.setPen(text_c)
        painter.setFont(base_font)
        lh = self._line_h(base_font)
        for line in lay.quote:
            painter.drawText(QRectF(x, y, w, lh), Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, line)
            y += lh
        if lay.note:
            y += self.SPACING
            # a thin rule marks the note as the reader's own words
            nh = self._line_h(note_font) * len(lay.note)
            painter.fillRect(QRectF(x, y + 2, 2, nh - 4), blend(muted, pal.color(QPalette.ColorRole.Base), 0.3))
            painter.setFont(note_font)
            painter.setPen(blend(text_c, pal.color(QPalette.ColorRole.Base), 0.12))
            lh = self._line_h(note_font)
            for line in lay.note:
                painter.drawText(QRectF(x + self.NOTE_INDENT, y, w - self.NOTE_INDENT, lh),
                                 Qt.AlignmentFlag.AlignLeft
                                 | Qt.AlignmentFlag.AlignVCenter, line)
                y += lh
        if lay.chips:
            y += self.SPACING
            painter.setFont(small)
            chip_bg = blend(pal.color(QPalette.ColorRole.Base), text_c, 0.09)
            for rect, text in lay.chips:
                r = rect.translated(x, y)
                cp = QPainterPath()
                cp.addRoundedRect(r, r.height() / 2, r.height() / 2)
                painter.fillPath(cp, chip_bg)
                painter.setPen(blend(text_c, pal.color(QPalette.ColorRole.Base), 0.2))
                painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
            y += lay.chips_h
        if self._meta_line(h):
            y += self.SPACING
            painter.setFont(small)
            lh = self._line_h(small)
            mx = x
            if h.orphan and self.orphan_badge:
                mx = self._paint_badge(painter, QPointF(x, y), lh, small, self.tr("Orphan")) + 8
            if self.show_article:
                fm = QFontMetricsF(small)
                # the article's date, else the day of the highlight: labelled which is which
                date = self.date_text(h)
                date_w = fm.horizontalAdvance(date) + 12 if date else 0
                title = fm.elidedText(h.article_title, Qt.TextElideMode.ElideRight,
                                      max(x + w - mx - date_w, 20))
                painter.setPen(muted)
                painter.drawText(QRectF(mx, y, x + w - mx - date_w, lh),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
                if date:
                    painter.drawText(QRectF(x + w - date_w, y, date_w, lh),
                                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                     date)
        painter.restore()

    def date_text(self, h: Highlight) -> str:
        """The card's date with what it is: the article's date, or (for an undated article)
        the day it was highlighted."""
        if h.article_date:
            return self.tr("Article {date}").format(date=h.article_date)
        if h.created:
            return self.tr("Highlighted {date}").format(date=h.created[:10])
        return ""

    @staticmethod
    def _paint_badge(painter: QPainter, at: QPointF, lh: float, font: QFont, text: str) -> float:
        fm = QFontMetricsF(font)
        w = fm.horizontalAdvance(text) + 14
        r = QRectF(at.x(), at.y() + (lh - fm.height() - 2) / 2, w, fm.height() + 2)
        p = QPainterPath()
        p.addRoundedRect(r, r.height() / 2, r.height() / 2)
        painter.fillPath(p, QColor("#d4634a"))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        return r.right()


class CardListView(QListView):
    """A list of cards: smooth per-pixel scrolling, hover, lazy batched layout.
    ``chosen(index)`` on a left click or Enter/Return (not on mere selection changes)."""

    chosen = Signal(QModelIndex)
    delete_pressed = Signal(QModelIndex)  # Delete or Backspace on the current card
    edit_pressed = Signal(QModelIndex)  # F2 on the current card

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(150)
        self.setUniformItemSizes(False)
        self.setMouseTracking(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setSpacing(0)
        self.clicked.connect(self._clicked)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chosen.emit(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        current = self.currentIndex()
        signal = None
        if current.isValid() and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                       Qt.KeyboardModifier.KeypadModifier):
            signal = {
                Qt.Key.Key_Return: self.chosen, Qt.Key.Key_Enter: self.chosen,
                Qt.Key.Key_Delete: self.delete_pressed, Qt.Key.Key_Backspace: self.delete_pressed,
                Qt.Key.Key_F2: self.edit_pressed,
            }.get(Qt.Key(event.key()))
        if signal is not None:
            signal.emit(current)
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        old = event.oldSize().width()
        super().resizeEvent(event)
        if old != event.size().width():
            self.scheduleDelayedItemsLayout()
