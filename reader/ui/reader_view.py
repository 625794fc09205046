"""The reader pane: one article as plain text, its highlights in colour, find-in-article.

The document is built with :class:`QTextCursor` calls only — article text is never interpreted as
HTML. The body starts at document position ``body_start``; a body offset ``o`` in UTF-16 units is
document position ``body_start + o``. Stored offsets are code points: every conversion goes
through :class:`reader.core.text.OffsetMap`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    QRect,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QCursor,
    QFont,
    QHelpEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QShowEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library, LibraryError
from reader.core.model import HIGHLIGHT_COLORS, Article, Highlight
from reader.core.text import OffsetMap
from reader.ui import ops
from reader.ui import theme as th
from reader.ui.article_images import ImageViewer, ReaderImages, apply_structure
from reader.ui.highlight_commands import CreateHighlightCommand
from reader.ui.related_panel import RelatedPanel
from reader.ui.tasks import LibrarySignals, LibraryWorker
from reader.ui.widgets import plain_tooltip

COLOR_NAMES = list(HIGHLIGHT_COLORS)
# a restored reading place puts its line this far below the pane's top edge
TOP_MARGIN_PX = 8
# an article counts as read once 90 % of it has been on screen, or after this long open
READ_FRACTION = 0.9
READ_AFTER_MS = 120_000


def color_label(name: str) -> str:
    labels = {
        "yellow": QCoreApplication.translate("ReaderView", "Yellow"),
        "green": QCoreApplication.translate("ReaderView", "Green"),
        "blue": QCoreApplication.translate("ReaderView", "Blue"),
        "pink": QCoreApplication.translate("ReaderView", "Pink"),
        "purple": QCoreApplication.translate("ReaderView", "Purple"),
        "orange": QCoreApplication.translate("ReaderView", "Orange"),
    }
    return labels.get(name, name)


@dataclass
class Segment:
    """A stretch of text covered by the same set of highlights (code points)."""

    start: int
    end: int
    highlights: list[Highlight]

    @property
    def top(self) -> Highlight:
        """The innermost highlight (the shortest; the newest among equals) is drawn on top."""
        newest_first = sorted(self.highlights, key=lambda h: h.created, reverse=True)
        return min(newest_first, key=lambda h: h.end - h.start)


def highlight_segments(highlights: list[Highlight]) -> list[Segment]:
    """Split overlapping highlights into non-overlapping segments, each with all highlights that
    cover it, so that every highlight stays visible where others overlap it."""
    live = [h for h in highlights if not h.deleted and not h.orphan and h.end > h.start]
    points = sorted({p for h in live for p in (h.start, h.end)})
    # a sweep over the points (was every highlight at every point: 500 highlights, 0.1 s)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, h in enumerate(live):
        starts.setdefault(h.start, []).append(i)
        ends.setdefault(h.end, []).append(i)
    active: set[int] = set()
    segs: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        cover = [live[i] for i in sorted(active)]  # in the given order, as before
        if cover:
            if segs and segs[-1].end == a and segs[-1].highlights == cover:
                segs[-1].end = b
            else:
                segs.append(Segment(a, b, cover))
    return segs


class ReaderText(QTextBrowser):
    """The text area. Emits clicks on highlights and shows the selection toolbar."""

    clicked_at = Signal(int, QPoint)  # document position, global point (a click, no drag)
    selection_finished = Signal()
    about_to_resize = Signal()
    geometry_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerText")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setMouseTracking(True)
        self._press: QPoint | None = None
        # is a highlight under the pointer (at this document position)?
        self.hover_test: Callable[[int], bool] | None = None
        # the article's pictures by their resource name (see loadResource)
        self.image_resource: Callable[[QUrl], QImage | None] | None = None

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 — never take pasted text
        return

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802
        return False

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802
        """Only the article's own pictures, from the library (issue 13); QTextBrowser would
        otherwise open any file a name points at."""
        provider = self.image_resource
        # (Qt's document hands a QUrl)
        return provider(cast(QUrl, name)) if provider is not None else None

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self._press = e.position().toPoint()
        super().mousePressEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        super().mouseReleaseEvent(e)
        if e.button() != Qt.MouseButton.LeftButton:
            return
        pos = e.position().toPoint()
        moved = self._press is not None and (pos - self._press).manhattanLength() > 4
        self._press = None
        if self.textCursor().hasSelection() and moved:
            self.selection_finished.emit()
        elif not moved:
            self.clicked_at.emit(self.cursorForPosition(pos).position(),
                                 self.viewport().mapToGlobal(pos))

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        super().mouseMoveEvent(e)
        if e.buttons() == Qt.MouseButton.NoButton and self.hover_test is not None:
            over = self.hover_test(self.cursorForPosition(e.position().toPoint()).position())
            shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor
            if self.viewport().cursor().shape() != shape:
                self.viewport().setCursor(shape)

    def keyReleaseEvent(self, e: QKeyEvent) -> None:
        super().keyReleaseEvent(e)
        if e.modifiers() & Qt.KeyboardModifier.ShiftModifier and self.textCursor().hasSelection():
            self.selection_finished.emit()

    def showEvent(self, e: QShowEvent) -> None:
        # QTextEdit scrolls its cursor into view on the first show; keep the reading place
        self.about_to_resize.emit()
        super().showEvent(e)
        self.geometry_changed.emit()

    def resizeEvent(self, e: QResizeEvent) -> None:
        self.about_to_resize.emit()
        super().resizeEvent(e)
        self.geometry_changed.emit()


class SelectionToolbar(QFrame):
    """A small bar of colour swatches floating over a fresh selection."""

    color_chosen = Signal(str)
    note_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("selectionToolbar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 60))
        self.setGraphicsEffect(shadow)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(6)
        self.buttons: dict[str, QToolButton] = {}
        for i, name in enumerate(COLOR_NAMES, 1):
            b = QToolButton(self)
            b.setObjectName("swatch")
            b.setFixedSize(22, 22)
            b.setAutoRaise(False)
            b.setStyleSheet(
                f"QToolButton#swatch {{ background: {HIGHLIGHT_COLORS[name]}; }}"
            )
            b.setToolTip(self.tr("Highlight in {color} ({key})").format(
                color=color_label(name), key=i))
            b.setAccessibleName(color_label(name))
            b.clicked.connect(lambda _=False, n=name: self.color_chosen.emit(n))
            lay.addWidget(b)
            self.buttons[name] = b
        sep = QFrame(self)
        sep.setFrameShape(QFrame.Shape.VLine)
        sep.setObjectName("muted")
        lay.addWidget(sep)
        self.note_button = QToolButton(self)
        self.note_button.setText(self.tr("Note"))
        self.note_button.setToolTip(self.tr("Highlight and write a note (N)"))
        self.note_button.setAutoRaise(True)
        self.note_button.clicked.connect(self.note_requested)
        lay.addWidget(self.note_button)
        self.hide()


class FindBar(QFrame):
    """Find in the open article: a field, a hit count, next/previous."""

    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        lay.setSpacing(6)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("Find in article"))
        self.field.setClearButtonEnabled(True)
        self.field.setMaximumWidth(320)
        self.count = QLabel(self)
        self.count.setObjectName("countLabel")
        self.count.setMinimumWidth(72)
        self.prev_button = QToolButton(self)
        self.prev_button.setText("↑")
        self.prev_button.setToolTip(self.tr("Previous match (Shift+F3)"))
        self.next_button = QToolButton(self)
        self.next_button.setText("↓")
        self.next_button.setToolTip(self.tr("Next match (F3)"))
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self.close_button.setAutoRaise(True)
        for w in (self.field, self.count, self.prev_button, self.next_button):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(self.close_button)
        self.close_button.clicked.connect(self.closed)
        self.field.installEventFilter(self)
        self.hide()

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.field and e.type() == QEvent.Type.KeyPress:
            e = cast(QKeyEvent, e)
            key = e.key()
            if key == Qt.Key.Key_Escape:
                self.closed.emit()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if e.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.prev_button.click()
                else:
                    self.next_button.click()
                return True
        return super().eventFilter(obj, e)


class ReaderView(QWidget):
    """The article pane. Public API used by the main window and tests:

    ``show_article(id)``, ``article``, ``scroll_to(start, end, flash)``, ``highlight_selection
    (color)``, ``selection_range()``, ``cursor_offset()``, ``set_search_spans(spans)``,
    ``open_find()``, ``find_next()``, ``find_previous()``, ``zoom_in/zoom_out/zoom_reset``,
    ``set_theme(theme)``.
    """

    highlight_clicked = Signal(str, QPoint)  # uuid, global position to show an editor at
    highlight_created = Signal(str)  # uuid
    note_requested = Signal(str, QPoint)  # a highlight was made to write a note on
    article_shown = Signal(int)  # article id, 0 when cleared
    read_marked = Signal(int)
    message = Signal(str)  # a short status line for the window
    split_requested = Signal()  # context menu "Split article here"
    toggle_read_requested = Signal()  # context menu "Mark as read / unread"
    font_changed = Signal(int)

    def __init__(
        self, library: Library, worker: LibraryWorker, signals: LibrarySignals | None = None,
        settings: QSettings | None = None, parent: QWidget | None = None, *,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readerPane")
        self.library = library
        self.worker = worker
        self.undo_stack = undo_stack  # a new highlight is a command on it (undo deletes it)
        self.settings = settings
        self.theme: th.Theme = th.LIGHT
        self.font_px = th.DEFAULT_READING_PX
        if settings is not None:
            try:
                self.font_px = int(cast("int | str", settings.value("reader/font_px",
                                                                     th.DEFAULT_READING_PX)))
            except (TypeError, ValueError):
                self.font_px = th.DEFAULT_READING_PX
        self.read_delay_ms = 1500
        self.flash_ms = 1600

        self._article: Article | None = None
        self._highlights: list[Highlight] = []
        self._segments: list[Segment] = []
        self._map = OffsetMap("")
        self._pictures = ReaderImages()  # the article's pictures (issue 13)
        self._viewer: ImageViewer | None = None
        self.body_start = 0
        self._search_spans: list[tuple[int, int]] = []
        self._find_spans: list[tuple[int, int]] = []
        self._find_index = -1
        self._flash: tuple[int, int] | None = None
        self._last_color = "yellow"
        # 繁⇄简 for display (issue 17): the article shown in the other script, its stored text
        # and highlights untouched (reader.core.hanzi keeps every offset); "" = as stored
        self.convert_script = False
        self.script_direction = ""
        # The reading place: the body offset (code points) of the first line at the top of the
        # pane, and how many pixels the view sits past that line's restored place. It changes
        # only when the user scrolls (or jumps somewhere); re-layouts, resizes, restores and
        # re-renders scroll back to it and never read it back from the view.
        self._anchor = 0
        self._anchor_delta = 0.0
        self._relayout = False  # True while the view scrolls by itself (not the user)
        self._user_scrolls = 0

        self.text = ReaderText(self)
        self.text.image_resource = self._pictures.resource
        self.text.hover_test = lambda pos: bool(self.highlights_at_position(pos))
        self.toolbar = SelectionToolbar(self.text.viewport())
        self.find_bar = FindBar(self)
        # related articles under the text (issue 17); the workspace opens a clicked one
        self.related = RelatedPanel(worker, settings, self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.related)
        lay.addWidget(self.find_bar)

        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._end_flash)
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.timeout.connect(self._mark_read_now)
        # reading for a while counts too (a long article read without reaching 90 %)
        self.read_after_ms = READ_AFTER_MS
        self._dwell_timer = QTimer(self)
        self._dwell_timer.setSingleShot(True)
        self._dwell_timer.timeout.connect(self._mark_read_now)
        self._read_by_user = False  # the user chose read/unread for the open article: keep it
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(800)
        self._position_timer.timeout.connect(self.save_position)

        self.text.selection_finished.connect(self._show_toolbar)
        self.text.selectionChanged.connect(self._selection_changed)
        self.text.clicked_at.connect(self._clicked)
        self.text.about_to_resize.connect(self._before_relayout)
        self.text.geometry_changed.connect(self._after_relayout)
        self.text.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.text.verticalScrollBar().rangeChanged.connect(self._range_changed)
        self.text.viewport().installEventFilter(self)
        self.toolbar.color_chosen.connect(self.highlight_selection)
        self.toolbar.note_requested.connect(self.highlight_with_note)
        self.find_bar.field.textChanged.connect(self._find_changed)
        self.find_bar.next_button.clicked.connect(self.find_next)
        self.find_bar.prev_button.clicked.connect(self.find_previous)
        self.find_bar.closed.connect(self.close_find)
        if signals is not None:
            signals.highlights_changed.connect(self._highlights_changed)
            signals.article_changed.connect(self._article_changed)
        self._show_placeholder()

    # ------------------------------------------------------------------ state
    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def article_id(self) -> int | None:
        return self._article.id if self._article else None

    @property
    def highlights(self) -> list[Highlight]:
        return list(self._highlights)

    @property
    def segments(self) -> list[Segment]:
        return list(self._segments)

    @property
    def search_spans(self) -> list[tuple[int, int]]:
        return list(self._search_spans)

    @property
    def find_spans(self) -> list[tuple[int, int]]:
        return list(self._find_spans)

    @property
    def find_current(self) -> int:
        return self._find_index

    @property
    def flashing(self) -> tuple[int, int] | None:
        return self._flash

    # ------------------------------------------------------------------ showing an article
    def show_article(self, article_id: int | None, *, restore_position: bool = True) -> bool:
        """Show an article (None clears the pane). Returns False if it no longer exists."""
        if self._article is not None and self._article.id != article_id:
            self.save_position()
            self._read_by_user = False
        self._read_timer.stop()
        self._dwell_timer.stop()
        self._search_spans = []
        self._find_spans, self._find_index = [], -1
        self._end_flash()
        self.toolbar.hide()
        if article_id is None:
            self._article = None
            self._highlights = []
            self._segments = []
            self._show_placeholder()
            self.related.set_article(None)
            self.article_shown.emit(0)
            return True
        try:
            art = self.library.article(article_id)
        except LibraryError:
            self._article = None
            self._show_placeholder()
            self.article_shown.emit(0)
            return False
        self._article = art
        self._map = OffsetMap(art.body or "")
        self._highlights = self.library.highlights(article_id=art.id, order="article")
        self._update_script_direction()
        self._build_document()
        if self.find_bar.isVisible() and self.find_bar.field.text():
            self._find_changed(self.find_bar.field.text(), scroll=False)
        self._refresh_selections()
        body_len = len(art.body or "")
        self._anchor = min(max(0, art.position), body_len) if restore_position else 0
        self._anchor_delta = 0.0
        if self._anchor > 0:
            self.set_cursor_offset(self._anchor)  # scrolls the cursor into view: guarded
        self._apply_anchor()
        # again once pending layout and geometry changes are through, unless the user scrolled
        scrolls = self._user_scrolls
        QTimer.singleShot(0, lambda: self._settle(art.id, scrolls))
        self.article_shown.emit(art.id)
        self.related.set_article(art.id)
        self._check_read()
        if not art.read and not self._read_by_user:
            self._dwell_timer.start(self.read_after_ms)
        return True

    def _settle(self, article_id: int, scrolls: int) -> None:
        if self.article_id == article_id and self._user_scrolls == scrolls:
            self._apply_anchor()

    def reload(self) -> None:
        """Rebuild from the library, keeping the reading place (after a merge, a theme change…)."""
        if self._article is None:
            return
        anchor, delta = self._anchor, self._anchor_delta
        art_id = self._article.id
        spans = list(self._search_spans)
        self._article = None  # no position save for the old text
        if self.show_article(art_id, restore_position=False):
            if spans:
                self.set_search_spans(spans, scroll=False)
            body_len = len(self._article.body or "") if self._article else 0
            self._anchor, self._anchor_delta = min(anchor, body_len), delta
            self._apply_anchor()  # the same line at the same pixel: no jump

    def _show_placeholder(self) -> None:
        doc = self._new_document()
        c = QTextCursor(doc)
        bf = QTextBlockFormat()
        bf.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bf.setTopMargin(120)
        c.setBlockFormat(bf)
        cf = QTextCharFormat()
        cf.setForeground(QColor(self.theme.muted))
        f = th.reading_font(self.font_px)
        cf.setFont(f)
        c.insertText(self.tr("Choose an article from the list to read it here."), cf)
        self.text.setDocument(doc)
        self.body_start = doc.characterCount()
        self._update_margins()

    def _new_document(self) -> QTextDocument:
        doc = QTextDocument(self.text)
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(th.reading_font(self.font_px))
        doc.setDocumentMargin(0)
        return doc

    def _build_document(self) -> None:
        art = self._article
        assert art is not None
        px = self.font_px
        doc = self._new_document()
        c = QTextCursor(doc)
        muted = QColor(self.theme.muted)

        def block(top: float, bottom: float, line: int = 150) -> QTextBlockFormat:
            bf = QTextBlockFormat()
            bf.setTopMargin(top)
            bf.setBottomMargin(bottom)
            bf.setLineHeight(line, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            return bf

        def chars(scale: float, *, bold: bool = False, color: QColor | None = None,
                  sans: bool = False) -> QTextCharFormat:
            cf = QTextCharFormat()
            f = th.reading_font(px)
            if sans:
                f.setFamilies(th.SANS_FAMILIES)
            f.setPixelSize(round(px * scale))
            f.setBold(bold)
            cf.setFont(f)
            cf.setForeground(color or QColor(self.theme.text))
            return cf

        kicker = getattr(art, "kicker", "")
        if kicker:  # the 引题 printed above the headline
            c.setBlockFormat(block(0, px * 0.2, 150))
            c.insertText(kicker, chars(0.95, color=muted))
            c.insertBlock(block(0, px * 0.5, 135))
        else:
            c.setBlockFormat(block(0, px * 0.5, 135))
        shown = self._shown
        c.insertText(shown(art.title), chars(1.55, bold=True))
        head = (art.body or "")[:600]
        # page imports repeat the subtitle and byline in the body: show them once, in place
        if art.subtitle and art.subtitle not in head:
            c.insertBlock(block(0, px * 0.3, 150))
            c.insertText(shown(art.subtitle), chars(1.1, color=muted))
        byline = art.byline if art.byline and art.byline not in head else ""
        page = getattr(art, "page", "")
        page_label = self.tr("Page {page}").format(page=page) if page else ""
        meta = " · ".join(x for x in (byline, art.source, art.date, page_label) if x)
        if meta:
            c.insertBlock(block(px * 0.2, 0, 150))
            c.insertText(meta, chars(0.82, color=muted, sans=True))
        if art.tags:
            c.insertBlock(block(px * 0.2, 0, 150))
            c.insertText("  ".join("#" + t for t in art.tags), chars(0.82, color=QColor(
                self.theme.accent), sans=True))
        body_fmt = block(0, px * 0.75, th.LINE_HEIGHT_PERCENT)
        body_fmt.setTextIndent(0)
        first = block(px * 1.6, px * 0.75, th.LINE_HEIGHT_PERCENT)
        c.insertBlock(first, chars(1.0))
        self.body_start = c.position()
        # the first body block keeps the space below the header; the others share body_fmt
        body = shown(art.body or "")  # as long as the stored body: offsets hold
        nl = body.find("\n")
        if nl < 0:
            c.insertText(body, chars(1.0))
        else:
            c.insertText(body[:nl], chars(1.0))
            c.insertBlock(body_fmt, chars(1.0))
            c.insertText(body[nl + 1:], chars(1.0))
        # blank lines in the text are spacing, not a full empty line each
        blank = QTextBlockFormat(body_fmt)
        blank.setBottomMargin(0)
        blank.setLineHeight(px * 0.4, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        b = doc.findBlock(self.body_start)
        while b.isValid():
            if b.length() == 1:
                bc = QTextCursor(b)
                bc.setBlockFormat(blank)
            b = b.next()
        self._apply_structure(doc, body)
        self.text.setDocument(doc)
        self._update_margins()

    def _shown(self, text: str) -> str:
        if not self.script_direction or not text:
            return text
        from reader.core.hanzi import convert_for_display

        return convert_for_display(text, self.script_direction)

    def toggle_script(self) -> None:
        """Show the article in the other script (繁→简 or 简→繁, by what it is written in), or as
        stored again; the choice stays for the next articles (each converted its own way)."""
        self.set_convert_script(not self.convert_script)

    def set_convert_script(self, on: bool) -> None:
        self.convert_script = bool(on)
        self._update_script_direction()
        self.reload()
        if self._article is not None:
            self.message.emit(
                self.tr("Shown in Simplified characters") if self.script_direction == "t2s"
                else self.tr("Shown in Traditional characters") if self.script_direction
                else self.tr("Shown as written"))

    def _update_script_direction(self) -> None:
        if not self.convert_script or self._article is None:
            self.script_direction = ""
            return
        from reader.core.hanzi import guess_direction

        self.script_direction = guess_direction(self._article.body or self._article.title)

    # ------------------------------------------------------------------ structure (issue 13)
    def _column_width(self) -> int:
        width = self.text.viewport().width()
        max_w = max(th.MAX_TEXT_WIDTH, int(self.font_px * 42))
        return min(max_w, width - 2 * max(28, (width - max_w) // 2))

    def _apply_structure(self, doc: QTextDocument, body: str) -> None:
        """Headings, emphasis, quotes, lists and pictures over the text just inserted; pictures
        shift document positions, so the offset map is replaced by one that knows them."""
        art = self._article
        structure = self.library.structure(art.id) if art is not None else None
        if not structure:
            self._pictures.clear()
            return
        self._map = apply_structure(doc, self.body_start, body, structure, self._pictures,
                                    self.library.root, self.font_px, self.theme,
                                    self._column_width())

    def picture_at(self, doc_pos: int) -> int | None:
        """The picture whose object is at (or right before) a document position."""
        pos = self._pictures.positions
        return pos.get(doc_pos, pos.get(doc_pos - 1))

    def open_picture(self, index: int) -> bool:
        """Show a stored picture at its own size; a web-only picture is never loaded."""
        path = self._pictures.paths[index] if 0 <= index < len(self._pictures.paths) else None
        if path is None:
            self.message.emit(self.tr("This picture was not saved with the article; "
                                      "Pizhu does not load it from the web."))
            return False
        self._viewer = ImageViewer(path, self._pictures.images[index].alt, self)
        self._viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._viewer.destroyed.connect(lambda *_: setattr(self, "_viewer", None))
        self._viewer.show()
        return True

    def _fit_pictures(self) -> None:
        """Pictures follow the column's width when the pane is resized."""
        column = max(120, self._column_width())
        if not self._pictures.positions or column == self._pictures.column:
            return
        self._pictures.column = column
        doc = self.text.document()
        for pos, index in self._pictures.positions.items():
            cur = QTextCursor(doc)
            cur.setPosition(pos)
            cur.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
            fmt = cur.charFormat().toImageFormat()
            w, h = self._pictures.display_size(index)
            fmt.setWidth(w)
            fmt.setHeight(h)
            cur.setCharFormat(fmt)

    def _before_relayout(self) -> None:
        self._relayout = True

    def _after_relayout(self) -> None:
        self._update_margins()
        self._relayout = False
        if self._article is not None:
            self._apply_anchor()
            self._check_read()

    def _range_changed(self, _lo: int, _hi: int) -> None:
        # the text was laid out again (width, font, late layout): stay at the same passage
        if self._article is not None and not self._relayout:
            self._apply_anchor()

    def _update_margins(self) -> None:
        doc = self.text.document()
        width = self.text.viewport().width()
        max_w = max(th.MAX_TEXT_WIDTH, int(self.font_px * 42))
        side = max(28, (width - max_w) // 2)
        fmt: QTextFrameFormat = doc.rootFrame().frameFormat()
        if (fmt.leftMargin(), fmt.rightMargin()) != (side, side):
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(36)
            fmt.setBottomMargin(96)
            doc.rootFrame().setFrameFormat(fmt)
        self._fit_pictures()

    # ------------------------------------------------------------------ offsets
    def doc_pos(self, cp: int) -> int:
        """Document position of body code point offset ``cp``."""
        return self.body_start + self._map.cp_to_utf16(cp)

    def body_offset(self, doc_pos: int) -> int:
        """Body code point offset of a document position (header positions clamp to 0)."""
        body = self._article.body if self._article else ""
        u16 = max(0, doc_pos - self.body_start)
        return min(len(body or ""), self._map.utf16_to_cp(u16))

    def selection_range(self) -> tuple[int, int] | None:
        """The selection as body code points, trimmed of surrounding blanks; None if empty."""
        if self._article is None:
            return None
        cur = self.text.textCursor()
        if not cur.hasSelection():
            return None
        a = self.body_offset(cur.selectionStart())
        b = self.body_offset(cur.selectionEnd())
        body = self._article.body or ""
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        return (a, b) if b > a else None

    def select_range(self, start: int, end: int) -> None:
        """Select body code points ``start..end`` (tests, keyboard flows)."""
        cur = self.text.textCursor()
        cur.setPosition(self.doc_pos(start))
        cur.setPosition(self.doc_pos(end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cur)

    def cursor_offset(self) -> int | None:
        """Body offset of the text cursor (where a split happens), None in the header."""
        if self._article is None:
            return None
        pos = self.text.textCursor().position()
        if pos < self.body_start:
            return None
        return self.body_offset(pos)

    def set_cursor_offset(self, cp: int) -> None:
        cur = self.text.textCursor()
        cur.setPosition(self.doc_pos(cp))
        was = self._relayout
        self._relayout = True  # setTextCursor scrolls the cursor into view: not the user
        try:
            self.text.setTextCursor(cur)
        finally:
            self._relayout = was

    def current_position(self) -> int:
        """Body offset of the start of the first line at the top of the pane (read from the
        view; the saved place is :attr:`reading_anchor`)."""
        if self._article is None:
            return 0
        if self.text.verticalScrollBar().value() <= 0:
            return 0
        found = self._top_line()
        if found is None or found[0] < self.body_start:
            return 0
        return self.body_offset(found[0])

    @property
    def reading_anchor(self) -> int:
        """The reading place that is saved: body code points of the line at the top."""
        return self._anchor

    def highlights_at_position(self, doc_pos: int) -> list[Highlight]:
        """Highlights under a document position, innermost first."""
        if self._article is None or doc_pos < self.body_start:
            return []
        cp = self.body_offset(doc_pos)
        inside = [h for h in self._highlights if h.start <= cp < h.end and not h.orphan]
        if not inside:
            inside = [h for h in self._highlights if h.start < cp <= h.end and not h.orphan]
        return sorted(inside, key=lambda h: h.end - h.start)

    # ------------------------------------------------------------------ drawing
    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.text.document())
        cur.setPosition(self.doc_pos(start))
        cur.setPosition(self.doc_pos(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        sel.format = fmt
        return sel

    def _refresh_selections(self) -> None:
        sels: list[QTextEdit.ExtraSelection] = []
        if self._article is not None:
            self._segments = highlight_segments(self._highlights)
            for seg in self._segments:
                top = seg.top
                fmt = QTextCharFormat()
                fmt.setBackground(th.highlight_background(top.color, self.theme,
                                                          len(seg.highlights)))
                if self.theme.dark:
                    fmt.setForeground(QColor("#f2f2ee"))
                if any(h.note for h in seg.highlights):
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                    fmt.setUnderlineColor(QColor(self.theme.muted))
                fmt.setProperty(QTextFormat.Property.UserProperty, top.uuid)
                sels.append(self._selection(seg.start, seg.end, fmt))
            hit = QTextCharFormat()
            hit.setBackground(QColor(self.theme.find_hit))
            for s, e in self._search_spans:
                sels.append(self._selection(s, e, hit))
            for i, (s, e) in enumerate(self._find_spans):
                f = QTextCharFormat(hit)
                if i == self._find_index:
                    f.setBackground(QColor(self.theme.find_current))
                sels.append(self._selection(s, e, f))
            if self._flash is not None:
                fl = QTextCharFormat()
                fl.setBackground(QColor(self.theme.flash))
                fl.setForeground(QColor("#ffffff"))
                sels.append(self._selection(*self._flash, fl))
        self.text.setExtraSelections(sels)

    def set_theme(self, theme: th.Theme) -> None:
        self.theme = theme
        if self._article is not None:
            self.reload()
        else:
            self._show_placeholder()

    # ------------------------------------------------------------------ font size
    def set_font_px(self, px: int) -> None:
        px = max(th.MIN_READING_PX, min(th.MAX_READING_PX, px))
        if px == self.font_px:
            return
        self.font_px = px
        if self.settings is not None:
            self.settings.setValue("reader/font_px", px)
        if self._article is not None:
            self.reload()
        else:
            self._show_placeholder()
        self.font_changed.emit(px)

    def zoom_in(self) -> None:
        self.set_font_px(self.font_px + 1)

    def zoom_out(self) -> None:
        self.set_font_px(self.font_px - 1)

    def zoom_reset(self) -> None:
        self.set_font_px(th.DEFAULT_READING_PX)

    # ------------------------------------------------------------------ scrolling
    def _scroll_to_offset(self, cp: int, *, top: bool = False) -> None:
        doc = self.text.document()
        cur = QTextCursor(doc)
        cur.setPosition(min(self.doc_pos(cp), doc.characterCount() - 1))
        block = cur.block()
        layout = doc.documentLayout()
        rect = layout.blockBoundingRect(block)
        line_y = 0.0
        bl = block.layout()
        if bl is not None and bl.lineCount():
            line = bl.lineForTextPosition(cur.positionInBlock())
            if line.isValid():
                line_y = line.y()
        y = rect.top() + line_y
        vp_h = self.text.viewport().height()
        target = y - TOP_MARGIN_PX if top else y - vp_h / 3
        self._set_scroll(target)
        if top or not self.text.isVisible():
            self._anchor, self._anchor_delta = cp, 0.0
        else:
            self._capture_anchor()
        self._position_timer.start()
        self._check_read()

    def _set_scroll(self, target: float) -> None:
        """Scroll by program: the reading place is not read back from the view meanwhile."""
        was = self._relayout
        self._relayout = True
        try:
            self.text.verticalScrollBar().setValue(max(0, round(target)))
        finally:
            self._relayout = was

    def _line_top(self, doc_pos: int) -> float:
        """Document y of the top of the line holding ``doc_pos`` (lays the text out to it)."""
        doc = self.text.document()
        block = doc.findBlock(min(max(0, doc_pos), doc.characterCount() - 1))
        y = doc.documentLayout().blockBoundingRect(block).top()
        bl = block.layout()
        if bl is not None and bl.lineCount():
            line = bl.lineForTextPosition(doc_pos - block.position())
            if line.isValid():
                y += line.y()
        return y

    def _top_line(self) -> tuple[int, float] | None:
        """(document position, document y) of the first line whose top is at most 2 px above
        where a restored place puts it — the same rule both ways, so restoring a place and
        reading it back gives the same place (it used to give the line above, every time)."""
        doc = self.text.document()
        bar = self.text.verticalScrollBar()
        threshold = bar.value() + TOP_MARGIN_PX - 2
        x = int(doc.rootFrame().frameFormat().leftMargin()) + 2
        hit = self.text.cursorForPosition(QPoint(x, TOP_MARGIN_PX - 2)).position()
        block = doc.findBlock(hit)
        if block.previous().isValid():
            block = block.previous()
        layout = doc.documentLayout()
        while block.isValid():
            top = layout.blockBoundingRect(block).top()
            bl = block.layout()
            for i in range(bl.lineCount() if bl is not None else 0):
                line = bl.lineAt(i)
                if top + line.y() >= threshold:
                    return block.position() + line.textStart(), top + line.y()
            block = block.next()
        return None

    def _capture_anchor(self) -> None:
        """Take the reading place from the view (after the user scrolled or jumped)."""
        value = self.text.verticalScrollBar().value()
        found = self._top_line() if value > 0 else None
        if found is None or found[0] < self.body_start:
            self._anchor, self._anchor_delta = 0, float(value)  # in the header: pixels
        else:
            self._anchor = self.body_offset(found[0])
            self._anchor_delta = value - (found[1] - TOP_MARGIN_PX)

    def _apply_anchor(self) -> None:
        """Scroll to the reading place: its line where a restore puts it, plus the offset the
        view had past it (restores, re-layouts, re-renders: the text does not jump)."""
        if self._article is None:
            return
        if self._anchor <= 0:
            self._set_scroll(self._anchor_delta)
            return
        self._set_scroll(self._line_top(self.doc_pos(self._anchor)) - TOP_MARGIN_PX
                         + self._anchor_delta)

    def scroll_to(self, start: int, end: int | None = None, flash: bool = True) -> None:
        """Bring body offsets ``start..end`` into view (a third from the top); flash them."""
        if self._article is None:
            return
        body_len = len(self._article.body or "")
        start = max(0, min(start, body_len))
        end = start if end is None else max(start, min(end, body_len))
        self._scroll_to_offset(start)
        if flash and end > start:
            self._flash = (start, end)
            self._refresh_selections()
            self._flash_timer.start(self.flash_ms)

    def scroll_to_highlight(self, uuid: str, flash: bool = True) -> bool:
        for h in self._highlights:
            if h.uuid == uuid:
                self.scroll_to(h.start, h.end, flash=flash)
                return True
        return False

    def _end_flash(self) -> None:
        if self._flash is not None:
            self._flash = None
            self._refresh_selections()

    def _scrolled(self) -> None:
        self.toolbar.hide()
        if self._article is not None and not self._relayout and self.text.isVisible():
            self._user_scrolls += 1
            self._capture_anchor()
            self._position_timer.start()
            self._check_read()

    def save_position(self) -> None:
        """Store the reading place: the anchor, never a position read from the view while it is
        being restored or laid out."""
        self._position_timer.stop()
        art = self._article
        if art is None or self.library.readonly:
            return
        pos = self._anchor
        if pos == art.position:
            return
        art.position = pos
        aid = art.id
        ops.save_position(self.worker, aid, pos)

    # ------------------------------------------------------------------ read state
    def seen_fraction(self) -> float:
        """How much of the article has been above the bottom of the pane (0..1)."""
        bar = self.text.verticalScrollBar()
        total = bar.maximum() + bar.pageStep()
        return 1.0 if bar.maximum() <= 0 or total <= 0 else (bar.value() + bar.pageStep()) / total

    def _check_read(self) -> None:
        art = self._article
        if art is None or art.read or self._read_by_user or self._read_timer.isActive():
            return
        if self.seen_fraction() >= READ_FRACTION:
            self._read_timer.start(self.read_delay_ms)

    def set_read_by_user(self, read: bool) -> None:
        """The user marked the open article read or unread: no automatic change of it until
        another article is opened."""
        self._read_by_user = True
        self._read_timer.stop()
        self._dwell_timer.stop()
        if self._article is not None:
            self._article.read = read

    def _mark_read_now(self) -> None:
        art = self._article
        if art is None or art.read or self._read_by_user or self.library.readonly:
            return
        art.read = True
        aid = art.id
        ops.set_read(self.worker, aid, True)
        self.read_marked.emit(aid)

    def _article_changed(self, article_id: int) -> None:
        if self._article is not None and article_id == self._article.id:
            try:
                fresh = self.library.article(article_id)
            except LibraryError:
                return
            self._article.read = fresh.read
            if fresh.tags != self._article.tags:
                self.reload()

    # ------------------------------------------------------------------ highlights
    def _highlights_changed(self, article_id: int) -> None:
        if self._article is not None and article_id == self._article.id:
            self._highlights = self.library.highlights(article_id=article_id, order="article")
            self._refresh_selections()

    def highlight_selection(self, color: str | None = None, *, then_note: bool = False) -> bool:
        """Highlight the current selection in ``color``; False when nothing is selected."""
        rng = self.selection_range()
        art = self._article
        if rng is None or art is None:
            return False
        if self.library.readonly:
            self.message.emit(self.tr("The library is open read-only."))
            return False
        color = color or self._last_color
        self._last_color = color
        start, end = rng
        aid = art.id
        where = self._global_point_for(start)

        def done(h: Highlight) -> None:
            self.highlight_created.emit(h.uuid)
            if then_note:
                self.note_requested.emit(h.uuid, where)

        if self.undo_stack is not None:
            self.undo_stack.push(CreateHighlightCommand(
                self.worker, aid, start, end, color, self.tr("Highlight"), on_created=done,
                on_error=self.message.emit))
        else:
            ops.create_highlight(self.worker, aid, start, end, color, on_done=done,
                                 on_error=self.message.emit)
        cur = self.text.textCursor()
        cur.clearSelection()
        self.text.setTextCursor(cur)
        self.toolbar.hide()
        return True

    def highlight_with_note(self) -> bool:
        return self.highlight_selection(None, then_note=True)

    def _global_point_for(self, cp: int) -> QPoint:
        cur = QTextCursor(self.text.document())
        cur.setPosition(self.doc_pos(cp))
        r: QRect = self.text.cursorRect(cur)
        return self.text.viewport().mapToGlobal(r.bottomLeft() + QPoint(0, 6))

    def _clicked(self, doc_pos: int, global_pos: QPoint) -> None:
        picture = self.picture_at(doc_pos)
        if picture is not None:
            self.open_picture(picture)
            return
        hs = self.highlights_at_position(doc_pos)
        if hs:
            self.highlight_clicked.emit(hs[0].uuid, global_pos)

    def _selection_changed(self) -> None:
        if not self.text.textCursor().hasSelection():
            self.toolbar.hide()

    def _show_toolbar(self) -> None:
        if self.selection_range() is None or self.library.readonly:
            self.toolbar.hide()
            return
        cur = self.text.textCursor()
        c = QTextCursor(self.text.document())
        c.setPosition(cur.selectionStart())
        r = self.text.cursorRect(c)
        tb = self.toolbar
        tb.adjustSize()
        vp = self.text.viewport()
        x = min(max(4, r.left() - 12), vp.width() - tb.width() - 4)
        y = r.top() - tb.height() - 8
        if y < 4:
            c.setPosition(cur.selectionEnd())
            y = self.text.cursorRect(c).bottom() + 8
        tb.move(x, max(4, y))
        tb.show()
        tb.raise_()

    # ------------------------------------------------------------------ context menu, tooltips
    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.text.viewport():
            if e.type() == QEvent.Type.ContextMenu:
                self._context_menu(cast(QContextMenuEvent, e))
                return True
            if e.type() == QEvent.Type.ToolTip:
                e = cast(QHelpEvent, e)
                hs = self.highlights_at_position(self.text.cursorForPosition(e.pos()).position())
                tip = self._tooltip_for(hs)
                if tip:
                    QToolTip.showText(e.globalPos(), tip, self.text.viewport())
                else:
                    QToolTip.hideText()
                return True
        return super().eventFilter(obj, e)

    def _tooltip_for(self, hs: list[Highlight]) -> str:
        parts = []
        for h in hs:
            bits = []
            if h.note:
                bits.append(h.note)
            if h.tags:
                bits.append("  ".join("#" + t for t in h.tags))
            if bits:
                parts.append("\n".join(bits))
        return plain_tooltip("\n\n".join(parts))  # a note is text, never HTML (issue 15)

    def build_context_menu(self, doc_pos: int | None = None) -> QMenu:
        menu = QMenu(self)
        copy = menu.addAction(self.tr("Copy"))
        copy.setEnabled(self.text.textCursor().hasSelection())
        copy.triggered.connect(self.text.copy)
        has_sel = self.selection_range() is not None
        sub = menu.addMenu(self.tr("Highlight"))
        sub.setEnabled(has_sel and not self.library.readonly)
        for i, name in enumerate(COLOR_NAMES, 1):
            act = QAction(f"{color_label(name)}\t{i}", sub)
            act.setIcon(_swatch_icon(name))
            act.triggered.connect(lambda _=False, n=name: self.highlight_selection(n))
            sub.addAction(act)
        note = menu.addAction(self.tr("Highlight with note…") + "\tN")
        note.setEnabled(has_sel and not self.library.readonly)
        note.triggered.connect(self.highlight_with_note)
        if doc_pos is not None:
            hs = self.highlights_at_position(doc_pos)
            if hs:
                menu.addSeparator()
                for h in hs:
                    quote = h.quote if len(h.quote) <= 16 else h.quote[:15] + "…"
                    act = menu.addAction(self.tr("Edit highlight “{quote}”…").format(quote=quote))
                    act.setIcon(_swatch_icon(h.color))
                    where = QCursor.pos()
                    act.triggered.connect(
                        lambda _=False, u=h.uuid, w=where: self.highlight_clicked.emit(u, w))
        menu.addSeparator()
        find = menu.addAction(self.tr("Find in article…") + "\tCtrl+F")
        find.triggered.connect(self.open_find)
        if self._article is not None and not self.library.readonly:
            split = menu.addAction(self.tr("Split article at this line"))
            split.setEnabled(doc_pos is not None and doc_pos > self.body_start)

            def do_split() -> None:
                if doc_pos is not None:
                    self.set_cursor_offset(self.body_offset(doc_pos))
                self.split_requested.emit()

            split.triggered.connect(do_split)
        select_all = menu.addAction(self.tr("Select all"))
        select_all.triggered.connect(self.text.selectAll)
        if self._article is not None and not self.library.readonly:
            menu.addSeparator()
            read = menu.addAction((self.tr("Mark as unread") if self._article.read
                                   else self.tr("Mark as read")) + "\tCtrl+U")
            read.triggered.connect(self.toggle_read_requested)
        return menu

    def _context_menu(self, e: QContextMenuEvent) -> None:
        pos = self.text.cursorForPosition(e.pos()).position()
        self.toolbar.hide()
        self.build_context_menu(pos).exec(e.globalPos())

    # ------------------------------------------------------------------ search marks and find
    def set_search_spans(self, spans: list[tuple[int, int]], *, scroll: bool = True) -> None:
        """Mark search hits (body code points) and scroll to the first one."""
        body_len = len(self._article.body or "") if self._article else 0
        self._search_spans = sorted(
            (max(0, s), min(body_len, e)) for s, e in spans if e > s and s < body_len
        )
        self._refresh_selections()
        if scroll and self._search_spans:
            s, e = self._search_spans[0]
            self.scroll_to(s, e, flash=False)

    def clear_search_spans(self) -> None:
        self._search_spans = []
        self._refresh_selections()

    def open_find(self) -> None:
        self.find_bar.show()
        sel = self.selection_range()
        if sel and self._article is not None and sel[1] - sel[0] <= 40:
            self.find_bar.field.setText((self._article.body or "")[sel[0]:sel[1]])
        self.find_bar.field.setFocus()
        self.find_bar.field.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self._find_spans, self._find_index = [], -1
        self._update_find_label()
        self._refresh_selections()
        self.text.setFocus()

    def _find_changed(self, needle: str, scroll: bool = True) -> None:
        body = (self._article.body or "") if self._article else ""
        self._find_spans = []
        if needle:
            pat = re.compile(re.escape(needle), re.IGNORECASE)
            self._find_spans = [(m.start(), m.end()) for m in pat.finditer(body)]
        self._find_index = -1
        if self._find_spans:
            top = self.current_position()
            self._find_index = next(
                (i for i, (s, _e) in enumerate(self._find_spans) if s >= top), 0
            )
            if scroll:
                s, e = self._find_spans[self._find_index]
                self.scroll_to(s, e, flash=False)
        self._update_find_label()
        self._refresh_selections()

    def _update_find_label(self) -> None:
        n = len(self._find_spans)
        if not self.find_bar.field.text():
            self.find_bar.count.setText("")
        elif n == 0:
            self.find_bar.count.setText(self.tr("No matches"))
        else:
            self.find_bar.count.setText(
                self.tr("{current} of {total}").format(current=self._find_index + 1, total=n)
            )

    def _step_find(self, delta: int) -> None:
        if not self.find_bar.isVisible():
            self.open_find()
            return
        if not self._find_spans:
            return
        self._find_index = (self._find_index + delta) % len(self._find_spans)
        s, e = self._find_spans[self._find_index]
        self.scroll_to(s, e, flash=False)
        self._update_find_label()
        self._refresh_selections()

    def find_next(self) -> None:
        self._step_find(1)

    def find_previous(self) -> None:
        self._step_find(-1)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() == Qt.Key.Key_Escape and self.find_bar.isVisible():
            self.close_find()
            return
        super().keyPressEvent(e)


def _swatch_icon(name: str) -> QIcon:
    from PySide6.QtGui import QPainter, QPixmap

    pm = QPixmap(14, 14)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(th.swatch_color(name))
    p.setPen(QColor(0, 0, 0, 60))
    p.drawEllipse(1, 1, 12, 12)
    p.end()
    return QIcon(pm)


def reading_font_for(px: int) -> QFont:
    return th.reading_font(px)
