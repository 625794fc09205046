"""The open article's highlights, in text order, and its orphans (highlights whose text is gone
from the current version), each listed with a badge and the means to re-attach or discard it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library
from reader.core.model import Highlight
from reader.ui import ops
from reader.ui.highlight_cache import article_highlights
from reader.ui.highlight_cards import (
    READ_ERRORS,
    CardListView,
    HighlightCardDelegate,
    HighlightListModel,
    HighlightRole,
    color_label,
    color_names,
    muted_color,
)
from reader.ui.highlight_commands import DeleteHighlightCommand, UpdateHighlightCommand
from reader.ui.tasks import LibrarySignals, LibraryWorker


def section_label(text: str, parent: QWidget) -> QLabel:
    """A small, bold, muted heading."""
    label = QLabel(text, parent)
    label.setObjectName("muted")  # the theme's style sheet colours it; the palette is a fallback
    f = label.font()
    f.setBold(True)
    if f.pointSizeF() > 0:
        f.setPointSizeF(f.pointSizeF() * 0.92)
    label.setFont(f)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, muted_color(parent.palette()))
    label.setPalette(pal)
    return label


def hint_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("muted")
    label.setWordWrap(True)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, muted_color(parent.palette()))
    label.setPalette(pal)
    return label


class Badge(QLabel):
    """A count in a small coloured pill."""

    def __init__(self, parent: QWidget | None = None, color: str = "#d4634a") -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(
            f"QLabel {{ background: {color}; color: white; border-radius: 9px;"
            " padding: 0px 7px; font-weight: bold; min-height: 18px; }"
        )
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)


class AnnotationsPanel(QWidget):
    """Highlights of one article. ``highlight_activated(uuid)`` on a click or Enter (the main
    window scrolls to the passage), ``edit_requested(uuid)`` on a double click or from the context
    menu, ``reattach_requested(uuid)`` for an orphan (the main window re-attaches it to the
    current selection with ``update_highlight(uuid, start=, end=)``)."""

    highlight_activated = Signal(str)
    edit_requested = Signal(str)
    reattach_requested = Signal(str)
    refreshed = Signal()

    def __init__(self, library: Library, worker: LibraryWorker, signals: LibrarySignals,
                 parent: QWidget | None = None, *, undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.worker = worker
        self.signals = signals
        self.undo_stack = undo_stack
        self._article_id: int | None = None
        self._shown: int | None = -1  # the article whose highlights the models hold
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_orphans)

        # highlights ------------------------------------------------------
        self.title_label = section_label(self.tr("Highlights"), self)
        self.count_label = section_label("", self)
        self.model = HighlightListModel(self)
        self.view = CardListView(self)
        self.view.setModel(self.model)
        self.delegate = HighlightCardDelegate(self.view, quote_lines=4)
        self.view.setItemDelegate(self.delegate)
        self.view.setAccessibleName(self.tr("Highlights"))
        self.view.chosen.connect(self._chosen)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.edit_pressed.connect(self._double_clicked)
        self.view.delete_pressed.connect(
            lambda index: self._delete(index.data(HighlightRole).uuid, self.tr("Delete highlight")))
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.empty_label = hint_label("", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(16, 24, 16, 16)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)

        # orphans ---------------------------------------------------------
        self.orphan_box = QFrame(self)
        self.orphan_badge = Badge(self.orphan_box)
        self.orphan_model = HighlightListModel(self)
        self.orphan_view = CardListView(self.orphan_box)
        self.orphan_view.setModel(self.orphan_model)
        self.orphan_delegate = HighlightCardDelegate(self.orphan_view, quote_lines=3,
                                                     orphan_badge=False)
        self.orphan_view.setItemDelegate(self.orphan_delegate)
        self.orphan_view.setAccessibleName(self.tr("Orphaned highlights"))
        self.orphan_view.customContextMenuRequested.connect(self._orphan_menu)
        self.orphan_view.delete_pressed.connect(
            lambda index: self.discard_orphan(index.data(HighlightRole).uuid))
        self.orphan_view.edit_pressed.connect(self._double_clicked)
        self.orphan_view.selectionModel().selectionChanged.connect(self._update_orphan_buttons)
        self.reattach_button = QPushButton(self.tr("Re-attach to selection"), self.orphan_box)
        self.reattach_button.setToolTip(
            self.tr("Select the passage in the article, then attach this highlight to it")
        )
        self.reattach_button.clicked.connect(self._reattach_current)
        self.discard_button = QPushButton(self.tr("Discard"), self.orphan_box)
        self.discard_button.clicked.connect(self._discard_current)
        self._selection_available = True

        head = QHBoxLayout()
        head.setContentsMargins(12, 8, 12, 0)
        head.addWidget(self.title_label)
        head.addStretch(1)
        head.addWidget(self.count_label)

        ohead = QHBoxLayout()
        ohead.setContentsMargins(12, 8, 12, 0)
        ohead.addWidget(section_label(self.tr("Orphaned highlights"), self.orphan_box))
        ohead.addWidget(self.orphan_badge)
        ohead.addStretch(1)
        self.orphan_hint = ohint = hint_label(
            self.tr("The text of these highlights is no longer in the article. Re-attach one "
                    "to a new selection, or discard it."), self.orphan_box)
        ohint.setContentsMargins(12, 0, 12, 0)
        policy = ohint.sizePolicy()
        policy.setHeightForWidth(False)  # its height is set in _fit_orphans
        ohint.setSizePolicy(policy)
        obuttons = QHBoxLayout()
        obuttons.setContentsMargins(12, 0, 12, 8)
        obuttons.addWidget(self.reattach_button)
        obuttons.addWidget(self.discard_button)
        obuttons.addStretch(1)
        olay = QVBoxLayout(self.orphan_box)
        olay.setContentsMargins(0, 0, 0, 0)
        olay.setSpacing(6)
        olay.addLayout(ohead)
        olay.addWidget(ohint)
        olay.addWidget(self.orphan_view, 1)
        olay.addLayout(obuttons)
        self.orphan_box.setFrameShape(QFrame.Shape.NoFrame)
        self.orphan_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(head)
        lay.addWidget(self.stack, 1)
        lay.addWidget(self.orphan_box, 0)

        signals.highlights_changed.connect(self._on_highlights_changed)
        signals.articles_changed.connect(self._schedule_refresh)
        self.set_article(None)

    # ------------------------------------------------------------------ public API
    @property
    def article_id(self) -> int | None:
        return self._article_id

    def set_article(self, article_id: int | None) -> None:
        self._article_id = article_id
        self.view.scrollToTop()
        self.refresh()

    def refresh(self) -> None:
        """Reload the article's highlights from the library, keeping the selection."""
        self._refresh_timer.stop()
        current = self.current_uuid()
        current_orphan = self._current(self.orphan_view, self.orphan_model)
        highlights: list[Highlight] = []
        orphans: list[Highlight] = []
        if self._article_id is not None:
            try:
                everything = article_highlights(self.library, self._article_id)
            except READ_ERRORS:
                everything = []
            for h in everything:
                (orphans if h.orphan else highlights).append(h)
        # many cards need the scroll bar anyway: show it before they are laid out, or 150 of
        # them are measured at the full width, then all again at the narrower one
        policy = (Qt.ScrollBarPolicy.ScrollBarAlwaysOn if len(highlights) > 20
                  else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        if self.view.verticalScrollBarPolicy() != policy:
            self.view.setVerticalScrollBarPolicy(policy)
        scroll = self.view.verticalScrollBar().value()
        if self._shown == self._article_id:  # a change: update the cards that changed
            self.model.update_highlights(highlights)
            self.orphan_model.update_highlights(orphans)
        else:
            self.model.set_highlights(highlights)
            self.orphan_model.set_highlights(orphans)
        self._shown = self._article_id
        if current:
            self.select_highlight(current)
        if current_orphan:
            self._select(self.orphan_view, self.orphan_model, current_orphan.uuid)
        self.view.verticalScrollBar().setValue(scroll)
        n = len(highlights)
        self.count_label.setText(str(n) if n else "")
        if self._article_id is None:
            self.empty_label.setText(self.tr("Open an article to see its highlights."))
        else:
            self.empty_label.setText(
                self.tr("No highlights yet.\nSelect text in the article and pick a colour.")
            )
        self.stack.setCurrentWidget(self.view if n else self.empty_label)
        self.orphan_badge.setText(str(len(orphans)))
        self.orphan_box.setVisible(bool(orphans))
        self._fit_orphans()
        self._update_orphan_buttons()
        self.refreshed.emit()

    def highlights(self) -> list[Highlight]:
        return self.model.highlights()

    def orphans(self) -> list[Highlight]:
        return self.orphan_model.highlights()

    def current_uuid(self) -> str | None:
        h = self._current(self.view, self.model)
        return h.uuid if h else None

    def select_highlight(self, uuid: str) -> bool:
        """Select (and scroll to) a highlight without emitting ``highlight_activated``."""
        return self._select(self.view, self.model, uuid) or self._select(
            self.orphan_view, self.orphan_model, uuid)

    def set_selection_available(self, available: bool) -> None:
        """Tell the panel whether the reader has a text selection (enables Re-attach)."""
        self._selection_available = available
        self._update_orphan_buttons()

    def discard_orphan(self, uuid: str) -> None:
        """Delete an orphan (undoable when the panel has an undo stack)."""
        self._delete(uuid, self.tr("Discard orphaned highlight"))

    # ------------------------------------------------------------------ internals
    def _fit_orphans(self) -> None:
        """The orphan list as tall as its cards, up to about 40% of the panel (then it scrolls)."""
        view = self.orphan_view
        opt = QStyleOptionViewItem()
        opt.initFrom(view)
        opt.font = view.font()
        total = 2
        for row in range(min(self.orphan_model.rowCount(), 6)):
            total += self.orphan_delegate.sizeHint(opt, self.orphan_model.index(row, 0)).height()
        view.setFixedHeight(max(60, min(total, int(self.height() * 0.4))))
        # a wrapped label's size hint assumes some width; give it the height it needs at ours
        margins = self.orphan_hint.contentsMargins()
        width = max(self.width() - margins.left() - margins.right(), 80)
        self.orphan_hint.setFixedHeight(self.orphan_hint.heightForWidth(width)
                                        if self.orphan_hint.heightForWidth(width) > 0
                                        else self.orphan_hint.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.orphan_model.rowCount():
            self._fit_timer.start()  # once the children have their new sizes

    @staticmethod
    def _current(view: QAbstractItemView, model: HighlightListModel) -> Highlight | None:
        idx = view.currentIndex()
        rows = view.selectionModel().selectedRows() if view.selectionModel() else []
        if rows:
            idx = rows[0]
        return model.highlight_at(idx.row()) if idx.isValid() else None

    @staticmethod
    def _select(view: QAbstractItemView, model: HighlightListModel, uuid: str) -> bool:
        row = model.row_of(uuid)
        if row < 0:
            return False
        idx = model.index(row, 0)
        view.setCurrentIndex(idx)
        view.scrollTo(idx)
        return True

    def _schedule_refresh(self) -> None:
        if self._article_id is not None:
            self._refresh_timer.start()

    def _on_highlights_changed(self, article_id: int) -> None:
        if article_id == self._article_id:
            self._refresh_timer.start()

    def _chosen(self, index: QModelIndex) -> None:
        h = index.data(HighlightRole)
        if h is not None:
            self.highlight_activated.emit(h.uuid)

    def _double_clicked(self, index: QModelIndex) -> None:
        h = index.data(HighlightRole)
        if h is not None:
            self.edit_requested.emit(h.uuid)

    def _update_orphan_buttons(self, *_args: object) -> None:
        has = self._current(self.orphan_view, self.orphan_model) is not None
        self.reattach_button.setEnabled(has and self._selection_available)
        self.discard_button.setEnabled(has)

    def _reattach_current(self) -> None:
        h = self._current(self.orphan_view, self.orphan_model)
        if h is not None:
            self.reattach_requested.emit(h.uuid)

    def _discard_current(self) -> None:
        h = self._current(self.orphan_view, self.orphan_model)
        if h is not None:
            self.discard_orphan(h.uuid)

    def _delete(self, uuid: str, text: str) -> None:
        if self.undo_stack is not None:
            self.undo_stack.push(DeleteHighlightCommand(self.worker, uuid, text))
        else:
            ops.delete_highlight(self.worker, uuid)

    def _set_color(self, h: Highlight, name: str) -> None:
        if name == h.color:
            return
        if self.undo_stack is not None:
            self.undo_stack.push(UpdateHighlightCommand(
                self.worker, h.uuid, {"color": h.color}, {"color": name},
                self.tr("Change highlight colour")))
        else:
            ops.recolour_highlight(self.worker, h.uuid, name)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        h: Highlight | None = index.data(HighlightRole) if index.isValid() else None
        if h is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Go to passage"), lambda: self.highlight_activated.emit(h.uuid))
        menu.addAction(self.tr("Edit note and tags…"), lambda: self.edit_requested.emit(h.uuid))
        colors = menu.addMenu(self.tr("Colour"))
        for name in color_names():
            def pick(n: str = name) -> None:
                self._set_color(h, n)

            act = colors.addAction(color_label(name), pick)
            act.setCheckable(True)
            act.setChecked(name == h.color)
        menu.addAction(self.tr("Copy quote"),
                       lambda: QGuiApplication.clipboard().setText(h.quote))
        menu.addSeparator()
        menu.addAction(self.tr("Delete highlight"),
                       lambda: self._delete(h.uuid, self.tr("Delete highlight")))
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def _orphan_menu(self, pos: QPoint) -> None:
        index = self.orphan_view.indexAt(pos)
        h: Highlight | None = index.data(HighlightRole) if index.isValid() else None
        if h is None:
            return
        menu = QMenu(self)
        act = menu.addAction(self.tr("Re-attach to selection"),
                             lambda: self.reattach_requested.emit(h.uuid))
        act.setEnabled(self._selection_available)
        menu.addAction(self.tr("Edit note and tags…"), lambda: self.edit_requested.emit(h.uuid))
        menu.addAction(self.tr("Copy quote"),
                       lambda: QGuiApplication.clipboard().setText(h.quote))
        menu.addSeparator()
        menu.addAction(self.tr("Discard"), lambda: self.discard_orphan(h.uuid))
        menu.popup(self.orphan_view.viewport().mapToGlobal(pos))
