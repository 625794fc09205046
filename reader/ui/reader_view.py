"""The reader pane: one article as plain text, its highlights in colour, find-in-article.

The document is built with :class:`QTextCursor` calls only — article text is never interpreted as
HTML. The body starts at document position ``body_start``; a body offset ``o`` in UTF-16 units is
document position ``body_start + o``. Stored offsets are code points: every conversion goes
through :class:`reader.core.text.OffsetMap`.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QRect,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QCursor,
    QHelpEvent,
    QKeyEvent,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QMenu,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library
from reader.core.model import Article, Highlight
from reader.core.text import OffsetMap
from reader.ui import ops
from reader.ui import theme as th
from reader.ui.article_images import ImageViewer, ReaderImages
from reader.ui.highlight_cache import article_highlights
from reader.ui.highlight_commands import CreateHighlightCommand
from reader.ui.reader_document import ArticleDocument
from reader.ui.reader_marks import ReaderMarks
from reader.ui.reader_place import ReadingPlace
from reader.ui.reader_widgets import (
    COLOR_NAMES,
    READ_AFTER_MS,
    FindBar,
    ReaderText,
    Segment,
    SelectionToolbar,
    _swatch_icon,
    color_label,
    highlight_segments,  # noqa: F401 — imported from here by others
)
from reader.ui.related_panel import RelatedPanel
from reader.ui.tasks import LibrarySignals, LibraryWorker
from reader.ui.widgets import plain_tooltip


class ReaderView(ArticleDocument, ReadingPlace, ReaderMarks, QWidget):
    """The article pane. Public API used by the main window and tests:

    ``show_article(id)``, ``article``, ``scroll_to(start, end, flash)``, ``highlight_selection
    (color)``, ``selection_range()``, ``cursor_offset()``, ``set_search_spans(spans)``,
    ``open_find()``, ``find_next()``, ``find_previous()``, ``zoom_in/zoom_out/zoom_reset``,
    ``set_theme(theme)``.
    """

    highlight_clicked = Signal(str, QPoint)  # uuid, global position to show an editor at
    highlight_created = Signal(str)  # uuid
    note_requested = Signal(str, QPoint)  # a highlight was made to write a note on
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
            signals.index_changed.connect(self.related.refresh)  # found once it is indexed
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

    # ------------------------------------------------------------------ highlights
    def _highlights_changed(self, article_id: int) -> None:
        if self._article is not None and article_id == self._article.id:
            self._highlights = article_highlights(self.library, article_id)
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

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() == Qt.Key.Key_Escape and self.find_bar.isVisible():
            self.close_find()
            return
        super().keyPressEvent(e)
