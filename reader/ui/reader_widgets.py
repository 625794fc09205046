"""The reader pane's parts: the text widget, the floating highlight toolbar, the find bar, and
how overlapping highlights are cut into segments for drawing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QToolButton,
    QWidget,
)

from reader.core.library import Library
from reader.core.model import HIGHLIGHT_COLORS, Article, Highlight
from reader.core.text import OffsetMap
from reader.ui import theme as th
from reader.ui.article_images import ImageViewer, ReaderImages
from reader.ui.related_panel import RelatedPanel
from reader.ui.tasks import LibraryWorker

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


class ReaderBase(QWidget):
    """The reader pane's shared state, made by :class:`~reader.ui.reader_view.ReaderView`, and
    the methods its parts call on each other. ReaderView puts the parts together:
    ``ReaderView(ArticleDocument, ReadingPlace, ReaderMarks)`` (reader_document.py,
    reader_place.py, reader_marks.py), each a subclass of this one; a method below is only a
    declaration, the part that owns it comes first in the method order."""

    message = Signal(str)  # a short status line for the window
    article_shown = Signal(int)  # article id, 0 when cleared
    read_marked = Signal(int)

    library: Library
    worker: LibraryWorker
    theme: th.Theme
    font_px: int
    text: ReaderText
    toolbar: SelectionToolbar
    find_bar: FindBar
    related: RelatedPanel
    body_start: int  # the document position of the body's first character
    read_delay_ms: int
    read_after_ms: int
    flash_ms: int
    convert_script: bool
    script_direction: str
    _article: Article | None
    _highlights: list[Highlight]
    _segments: list[Segment]
    _map: OffsetMap
    _pictures: ReaderImages
    _viewer: ImageViewer | None
    _search_spans: list[tuple[int, int]]
    _find_spans: list[tuple[int, int]]
    _find_index: int
    _flash: tuple[int, int] | None
    _anchor: int
    _anchor_delta: float
    _relayout: bool
    _user_scrolls: int
    _read_by_user: bool
    _flash_timer: QTimer
    _read_timer: QTimer
    _dwell_timer: QTimer
    _position_timer: QTimer

    @property
    def article_id(self) -> int | None:
        raise NotImplementedError

    def doc_pos(self, cp: int) -> int:
        raise NotImplementedError

    def body_offset(self, doc_pos: int) -> int:
        raise NotImplementedError

    def selection_range(self) -> tuple[int, int] | None:
        raise NotImplementedError

    def set_cursor_offset(self, cp: int) -> None:
        raise NotImplementedError

    def current_position(self) -> int:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def _show_placeholder(self) -> None:
        raise NotImplementedError

    def _apply_anchor(self) -> None:
        raise NotImplementedError

    def scroll_to(self, start: int, end: int | None = None, flash: bool = True) -> None:
        raise NotImplementedError

    def _end_flash(self) -> None:
        raise NotImplementedError

    def save_position(self) -> None:
        raise NotImplementedError

    def _check_read(self) -> None:
        raise NotImplementedError

    def _refresh_selections(self) -> None:
        raise NotImplementedError

    def set_search_spans(self, spans: list[tuple[int, int]], *, scroll: bool = True) -> None:
        raise NotImplementedError

    def _find_changed(self, needle: str, scroll: bool = True) -> None:
        raise NotImplementedError


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
