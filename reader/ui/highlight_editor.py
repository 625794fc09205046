"""The small panel that edits one highlight: colour, note, tags, delete.

Nothing here has a Save button: a colour or tag change is written at once, the note a moment
after the user stops typing (and at the latest when the editor closes or switches highlight).
Colour, tag and delete changes go through the shared :class:`QUndoStack`; the note editor keeps
its own text undo. All writes run on the :class:`LibraryWorker`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library
from reader.core.model import Highlight
from reader.ui import ops
from reader.ui.highlight_cards import (
    READ_ERRORS,
    blend,
    color_label,
    color_names,
    highlight_qcolor,
    muted_color,
)
from reader.ui.highlight_commands import DeleteHighlightCommand, UpdateHighlightCommand
from reader.ui.tag_edit import TagEdit
from reader.ui.tag_suggest import TagSuggestions
from reader.ui.tasks import LibrarySignals, LibraryWorker
from reader.ui.widgets import text_label

log = logging.getLogger(__name__)


class ColorSwatch(QAbstractButton):
    """A round, checkable colour button."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.color_name = name
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(color_label(name))
        self.setAccessibleName(color_label(name))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(28, 28)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        fill = highlight_qcolor(self.color_name)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        p.setPen(QPen(fill.darker(125), 1))
        p.setBrush(fill)
        p.drawEllipse(r)
        if self.isChecked():
            p.setPen(QPen(text, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        elif self.underMouse() or self.hasFocus():
            p.setPen(QPen(blend(text, self.palette().color(QPalette.ColorRole.Window), 0.5), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5))
        p.end()


class HighlightEditor(QFrame):
    """Edits the highlight given to :meth:`edit`, shown with :meth:`popup_at` (by default it is a
    popup window, so a parent does not show it; ``popup=False`` makes it an ordinary widget to
    embed). ``changed(uuid)`` after each saved change, ``deleted(uuid)`` once a delete is saved."""

    changed = Signal(str)
    deleted = Signal(str)
    NOTE_DELAY_MS = 500

    def __init__(self, library: Library, worker: LibraryWorker, signals: LibrarySignals,
                 undo_stack: QUndoStack, parent: QWidget | None = None, *,
                 popup: bool = True) -> None:
        super().__init__(parent)
        if popup:
            self.setWindowFlags(Qt.WindowType.Popup)
        self.library = library
        self.worker = worker
        self.signals = signals
        self.undo_stack = undo_stack
        self._hl: Highlight | None = None
        self._saved_note = ""
        self._pending_writes = 0
        self.setObjectName("HighlightEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setMinimumWidth(300)

        self.quote_label = QLabel(self)
        self.quote_label.setObjectName("muted")
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextFormat(Qt.TextFormat.PlainText)
        self.quote_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.color_group = QButtonGroup(self)
        self.color_group.setExclusive(True)
        self.swatches: dict[str, ColorSwatch] = {}
        colors = QHBoxLayout()
        colors.setSpacing(2)
        for name in color_names():
            sw = ColorSwatch(name, self)
            self.color_group.addButton(sw)
            self.swatches[name] = sw
            colors.addWidget(sw)
            sw.clicked.connect(lambda _checked=False, n=name: self.set_color(n))
        colors.addStretch(1)
        self.delete_button = QToolButton(self)
        self.delete_button.setText(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Delete this highlight (undo with Ctrl+Z)"))
        self.delete_button.setAutoRaise(True)
        self.delete_button.clicked.connect(self.delete_current)
        colors.addWidget(self.delete_button)

        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setPlaceholderText(self.tr("Write a note…"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMinimumHeight(84)
        self.note_edit.setAccessibleName(self.tr("Note"))
        self.note_edit.textChanged.connect(self._on_note_edited)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(self.NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.save_note)

        self.tag_edit = TagEdit(self, library=library, signals=signals)
        self.tag_edit.setAccessibleName(self.tr("Tags"))
        self.tag_edit.tags_changed.connect(self.set_tags)

        self.status_label = text_label("", self)  # error reasons may quote a note
        self.status_label.setObjectName("muted")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # its text comes and goes; it must not resize the editor (or a popup's window) each time
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.status_label.setFixedHeight(self.status_label.fontMetrics().height() + 2)

        tags_row = QHBoxLayout()
        tags_label = QLabel(self.tr("Tags"), self)
        tags_label.setBuddy(self.tag_edit)
        tags_row.addWidget(tags_label)
        tags_row.addWidget(self.tag_edit, 1)
        # suggested tags (issue 17): one click or Alt+1…5 adds one
        self.tag_suggestions = TagSuggestions(self.tag_edit, worker, self)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 8)
        lay.setSpacing(8)
        lay.addWidget(self.quote_label)
        lay.addLayout(colors)
        lay.addWidget(self.note_edit, 1)
        lay.addLayout(tags_row)
        lay.addWidget(self.tag_suggestions)
        lay.addWidget(self.status_label)
        self._style_labels()
        self.setEnabled(False)

        signals.highlights_changed.connect(self._on_highlights_changed)

    def _style_labels(self) -> None:
        pal = self.quote_label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, muted_color(self.palette()))
        self.quote_label.setPalette(pal)
        self.status_label.setPalette(pal)
        f = self.status_label.font()
        if f.pointSizeF() > 0:
            f.setPointSizeF(f.pointSizeF() * 0.88)
        self.status_label.setFont(f)

    # ------------------------------------------------------------------ public API
    @property
    def uuid(self) -> str | None:
        return self._hl.uuid if self._hl else None

    @property
    def highlight(self) -> Highlight | None:
        return self._hl

    def edit(self, uuid: str) -> bool:
        """Show the highlight ``uuid`` for editing. False if it does not exist (any more)."""
        self.flush()
        try:
            h = self.library.highlight(uuid)
        except READ_ERRORS:
            self._clear()
            return False
        if h.deleted:
            self._clear()
            return False
        self._hl = h
        self._saved_note = h.note
        self.setEnabled(True)
        self._show_quote(h)
        self._show_color(h.color)
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(h.note)
        self.note_edit.blockSignals(False)
        self.note_edit.document().clearUndoRedoStacks()
        self.tag_edit.set_tags(h.tags)
        self.tag_edit.reload_known_tags()
        self.tag_suggestions.load(highlight=h.uuid)
        self._set_status("")
        return True

    def popup_at(self, global_pos: QPoint) -> None:
        """Show as a popup window near ``global_pos`` (kept on screen); closes on Esc or a click
        outside, saving any pending note first."""
        if not self.is_popup():
            self.setWindowFlags(Qt.WindowType.Popup)
        self.adjustSize()
        size = self.sizeHint().expandedTo(QSize(340, 260))
        self.resize(size)
        screen = QGuiApplication.screenAt(global_pos) or QGuiApplication.primaryScreen()
        pos = QPoint(global_pos)
        if screen is not None:
            area = screen.availableGeometry()
            pos.setX(max(area.left(), min(pos.x(), area.right() - size.width())))
            if pos.y() + size.height() > area.bottom():
                pos.setY(max(area.top(), pos.y() - size.height() - 24))
        self.move(pos)
        self.show()
        self.note_edit.setFocus()

    def is_popup(self) -> bool:
        return bool(self.windowFlags() & Qt.WindowType.Popup == Qt.WindowType.Popup)

    def flush(self) -> None:
        """Save a pending note, and tags typed but not yet committed, now."""
        if self._note_timer.isActive():
            self._note_timer.stop()
        self.save_note()
        if self._hl is not None:
            self.tag_edit.commit()

    def busy(self) -> bool:
        return self._pending_writes > 0 or self._note_timer.isActive()

    # ------------------------------------------------------------------ changes
    def set_color(self, name: str) -> None:
        h = self._hl
        if h is None:
            return
        self._show_color(name)
        if name == h.color:
            return
        cmd = UpdateHighlightCommand(
            self.worker, h.uuid, {"color": h.color}, {"color": name},
            self.tr("Change highlight colour"), on_done=self._saved, on_error=self._failed,
        )
        h.color = name
        self._pending_writes += 1
        self.undo_stack.push(cmd)

    def set_tags(self, tags: list[str]) -> None:
        h = self._hl
        if h is None:
            return
        if [t.casefold() for t in tags] == [t.casefold() for t in h.tags]:
            return
        cmd = UpdateHighlightCommand(
            self.worker, h.uuid, {"tags": list(h.tags)}, {"tags": list(tags)},
            self.tr("Change highlight tags"), on_done=self._saved, on_error=self._failed,
        )
        h.tags = list(tags)
        self._pending_writes += 1
        self.undo_stack.push(cmd)

    def save_note(self) -> None:
        h = self._hl
        if h is None:
            return
        note = self.note_edit.toPlainText()
        if note == self._saved_note:
            return
        self._saved_note = note
        h.note = note
        uuid = h.uuid
        self._pending_writes += 1
        self._set_status(self.tr("Saving…"))
        ops.edit_note(self.worker, uuid, note, on_done=lambda _r: self._saved(uuid),
                      on_error=self._failed)

    def delete_current(self) -> None:
        h = self._hl
        if h is None:
            return
        self.flush()
        uuid = h.uuid
        self._pending_writes += 1
        self.undo_stack.push(DeleteHighlightCommand(
            self.worker, uuid, self.tr("Delete highlight"),
            on_done=self._deleted_done, on_error=self._failed,
        ))
        self._clear()
        if self.is_popup():
            self.hide()

    # ------------------------------------------------------------------ callbacks
    def _saved(self, uuid: str) -> None:
        self._pending_writes = max(0, self._pending_writes - 1)
        if self._pending_writes == 0 and not self._note_timer.isActive():
            self._set_status(self.tr("Saved"))
        self.changed.emit(uuid)

    def _deleted_done(self, uuid: str) -> None:
        self._pending_writes = max(0, self._pending_writes - 1)
        # the same command's undo also reports here: tell apart by the stored state
        try:
            gone = self.library.highlight(uuid).deleted
        except READ_ERRORS:
            gone = True
        if gone:
            self.deleted.emit(uuid)
        else:
            self.changed.emit(uuid)

    def _failed(self, message: str) -> None:
        self._pending_writes = max(0, self._pending_writes - 1)
        log.warning("highlight change not saved: %s", message)
        self._set_status(self.tr("Not saved: %1").replace("%1", message))

    def _on_note_edited(self) -> None:
        if self._hl is None:
            return
        self._set_status(self.tr("Editing…"))
        self._note_timer.start()

    def _on_highlights_changed(self, article_id: int) -> None:
        h = self._hl
        if h is None or h.article_id != article_id:
            return
        try:
            fresh = self.library.highlight(h.uuid)
        except READ_ERRORS:
            fresh = None
        if fresh is None or fresh.deleted:
            self._clear()
            if self.is_popup():
                self.hide()
            return
        if self._pending_writes:
            return  # our own change is on its way; its notice will come
        h.color, h.orphan, h.quote = fresh.color, fresh.orphan, fresh.quote
        self._show_color(fresh.color)
        self._show_quote(fresh)
        if not self.tag_edit.hasFocus() and fresh.tags != h.tags:
            h.tags = fresh.tags
            self.tag_edit.set_tags(fresh.tags)
        if (not self.note_edit.hasFocus() and not self._note_timer.isActive()
                and fresh.note != self.note_edit.toPlainText()):
            self._saved_note = h.note = fresh.note
            self.note_edit.blockSignals(True)
            self.note_edit.setPlainText(fresh.note)
            self.note_edit.blockSignals(False)

    # ------------------------------------------------------------------ display
    def _show_color(self, name: str) -> None:
        sw = self.swatches.get(name)
        if sw is not None:
            sw.setChecked(True)
        else:
            self.color_group.setExclusive(False)
            for b in self.swatches.values():
                b.setChecked(False)
            self.color_group.setExclusive(True)

    def _show_quote(self, h: Highlight) -> None:
        q = " ".join(h.quote.split())
        if len(q) > 90:
            q = q[:88] + "…"
        text = f"“{q}”"
        if h.orphan:
            text = self.tr("Orphan — its text is gone from the article:") + " " + text
        self.quote_label.setText(text)

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def _clear(self) -> None:
        self._note_timer.stop()
        self._hl = None
        self._saved_note = ""
        self.note_edit.blockSignals(True)
        self.note_edit.clear()
        self.note_edit.blockSignals(False)
        self.tag_edit.set_tags([])
        self.tag_suggestions.clear()
        self.quote_label.clear()
        self._show_color("")
        self.setEnabled(False)

    # ------------------------------------------------------------------ events
    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.flush()
        super().hideEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.is_popup():
            self.flush()
            self.hide()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and hasattr(self, "status_label"):
            self._style_labels()
