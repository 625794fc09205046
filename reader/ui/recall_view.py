"""Recall by tag: every highlight across the library carrying a tag, or all / any of several
tags, newest first or grouped by article, narrowed by a text filter over quotes and notes.
One click (or Enter) on a card asks the main window to open the article at that passage."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library, clean_tags
from reader.core.model import HIGHLIGHT_COLORS, Highlight
from reader.ui.annotations_panel import hint_label, section_label
from reader.ui.highlight_cards import (
    READ_ERRORS,
    CardListView,
    HighlightCardDelegate,
    HighlightListModel,
    HighlightRole,
)
from reader.ui.reader_view import _swatch_icon, color_label
from reader.ui.tag_edit import TagEdit
from reader.ui.tasks import LibrarySignals, LibraryWorker


class RecallView(QWidget):
    """``open_highlight(article_id, uuid)`` when a card is clicked or Enter is pressed on it;
    ``refreshed(count)`` after each reload."""

    open_highlight = Signal(int, str)
    refreshed = Signal(int)
    FILTER_DELAY_MS = 200

    def __init__(self, library: Library, worker: LibraryWorker, signals: LibrarySignals,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.worker = worker
        self.signals = signals
        self._dirty = False
        self._visible = False

        self.tag_edit = TagEdit(self, library=library, signals=signals)
        self.tag_edit.setPlaceholderText(self.tr("All highlights — type tags to narrow"))
        self.tag_edit.setAccessibleName(self.tr("Tags to recall"))
        self.tag_edit.tags_changed.connect(self._tags_committed)
        # filter as you type: the whole tags typed so far count after a short pause (a tag
        # half typed does not empty the list); Enter or a comma commits as before
        self._typing = False
        self._tag_timer = QTimer(self)
        self._tag_timer.setSingleShot(True)
        self._tag_timer.setInterval(self.FILTER_DELAY_MS)
        self._tag_timer.timeout.connect(self._typed_tags)
        self.tag_edit.textEdited.connect(lambda _t: self._tag_timer.start())
        tags_label = QLabel(self.tr("Tags"), self)
        tags_label.setBuddy(self.tag_edit)

        self.all_button = QToolButton(self)
        self.all_button.setText(self.tr("All of them"))
        self.all_button.setToolTip(self.tr("Highlights carrying every one of these tags (AND)"))
        self.any_button = QToolButton(self)
        self.any_button.setText(self.tr("Any of them"))
        self.any_button.setToolTip(self.tr("Highlights carrying at least one of these tags (OR)"))
        self.mode_group = QButtonGroup(self)
        for b in (self.all_button, self.any_button):
            b.setCheckable(True)
            b.setAutoRaise(False)
            self.mode_group.addButton(b)
        self.all_button.setChecked(True)
        self.mode_group.buttonToggled.connect(self._mode_toggled)

        self.order_combo = QComboBox(self)
        self.order_combo.addItem(self.tr("Newest first"), "newest")
        self.order_combo.addItem(self.tr("By article"), "article")
        self.order_combo.setAccessibleName(self.tr("Order"))
        self.order_combo.currentIndexChanged.connect(lambda _i: self.refresh())

        self.color_combo = QComboBox(self)
        self.color_combo.addItem(self.tr("All colours"), "")
        for name in HIGHLIGHT_COLORS:
            self.color_combo.addItem(_swatch_icon(name), color_label(name), name)
        self.color_combo.setAccessibleName(self.tr("Colour"))
        self.color_combo.setToolTip(self.tr("Only the highlights of one colour"))
        self.color_combo.currentIndexChanged.connect(lambda _i: self.refresh())

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Search quotes and notes"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Search quotes and notes"))
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(self.FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.refresh)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self.refresh)

        self.count_label = section_label("", self)

        self.model = HighlightListModel(self)
        self.view = CardListView(self)
        self.view.setModel(self.model)
        self.delegate = HighlightCardDelegate(self.view, show_article=True)
        self.view.setItemDelegate(self.delegate)
        self.view.setAccessibleName(self.tr("Recalled highlights"))
        self.view.chosen.connect(self._chosen)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.empty_label = hint_label("", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(24, 40, 24, 24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)

        row1 = QHBoxLayout()
        row1.addWidget(tags_label)
        row1.addWidget(self.tag_edit, 1)
        modes = QHBoxLayout()
        modes.setSpacing(0)
        modes.addWidget(self.all_button)
        modes.addWidget(self.any_button)
        row1.addLayout(modes)
        row2 = QHBoxLayout()
        row2.addWidget(self.filter_edit, 1)
        row2.addWidget(self.color_combo)
        row2.addWidget(self.order_combo)
        row2.addSpacing(8)
        row2.addWidget(self.count_label)
        top = QVBoxLayout()
        top.setContentsMargins(12, 10, 12, 4)
        top.setSpacing(8)
        top.addLayout(row1)
        top.addLayout(row2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addWidget(self.stack, 1)

        signals.highlights_changed.connect(self._changed)
        signals.tags_changed.connect(self._changed)
        signals.articles_changed.connect(self._changed)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)
        self._refresh_timer.timeout.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------------ public API
    def show_tags(self, tags: Sequence[str], any_tag: bool = False) -> None:
        """Recall the highlights carrying ``tags`` (all of them, or any with ``any_tag``)."""
        self._typing = False
        self.tag_edit.set_tags(tags)
        self.mode_group.blockSignals(True)
        (self.any_button if any_tag else self.all_button).setChecked(True)
        self.mode_group.blockSignals(False)
        self.refresh()

    def tags(self) -> list[str]:
        return self.tag_edit.tags()

    def any_tag(self) -> bool:
        return self.any_button.isChecked()

    def set_any_tag(self, any_tag: bool) -> None:
        (self.any_button if any_tag else self.all_button).setChecked(True)

    def order(self) -> str:
        return self.order_combo.currentData()

    def set_order(self, order: str) -> None:
        i = self.order_combo.findData(order)
        if i >= 0:
            self.order_combo.setCurrentIndex(i)

    def color(self) -> str:
        """The colour the cards are narrowed to ('' for all)."""
        return self.color_combo.currentData() or ""

    def set_color(self, color: str) -> None:
        i = self.color_combo.findData(color or "")
        if i >= 0:
            self.color_combo.setCurrentIndex(i)

    def set_filter_text(self, text: str) -> None:
        self.filter_edit.setText(text)
        self.refresh()

    def count(self) -> int:
        return self.model.rowCount()

    def highlights(self) -> list[Highlight]:
        return self.model.highlights()

    def refresh(self) -> None:
        """Reload the matching highlights now."""
        self._filter_timer.stop()
        self._refresh_timer.stop()
        self._dirty = False
        self._tag_timer.stop()
        tags = clean_tags(self.tag_edit.tags())
        if self._typing:  # not committed yet: only the tags typed out in full
            known = {t.casefold() for t in self.tag_edit.known_tags()}
            tags = [t for t in tags if t.casefold() in known]
        text = self.filter_edit.text().strip()
        current = self.model.highlight_at(self.view.currentIndex().row())
        try:
            rows = self.library.highlights(tags=tags, any_tag=self.any_tag(), text=text,
                                           order=self.order())
        except READ_ERRORS:
            rows = []
        color = self.color()
        if color:
            rows = [h for h in rows if h.color == color]
        self.model.set_highlights(rows)
        if current is not None and (row := self.model.row_of(current.uuid)) >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        n = len(rows)
        self.count_label.setText(self.tr("1 highlight") if n == 1
                                 else self.tr("%1 highlights").replace("%1", str(n)))
        if n:
            self.stack.setCurrentWidget(self.view)
        else:
            if tags or text or color:
                self.empty_label.setText(self.tr("No highlights match."))
            else:
                self.empty_label.setText(self.tr(
                    "No highlights yet.\nHighlight passages in an article and give them tags; "
                    "then recall them here by tag."))
            self.stack.setCurrentWidget(self.empty_label)
        self.refreshed.emit(n)

    # ------------------------------------------------------------------ internals
    def _tags_committed(self, _tags: list) -> None:
        self._typing = False
        self.refresh()

    def _typed_tags(self) -> None:
        self._typing = True
        self.refresh()

    def _mode_toggled(self, _button, checked: bool) -> None:
        if checked and self.tag_edit.tags():
            self.refresh()

    def _changed(self, *_args) -> None:
        if self._visible:
            self._refresh_timer.start()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._visible = True
        if self._dirty:
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._visible = False

    def _chosen(self, index: QModelIndex) -> None:
        h: Highlight | None = index.data(HighlightRole)
        if h is not None:
            self.open_highlight.emit(h.article_id, h.uuid)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        h: Highlight | None = index.data(HighlightRole) if index.isValid() else None
        if h is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Open at this passage"),
                       lambda: self.open_highlight.emit(h.article_id, h.uuid))
        menu.addAction(self.tr("Copy quote"),
                       lambda: QGuiApplication.clipboard().setText(h.quote))
        if h.note:
            menu.addAction(self.tr("Copy note"),
                           lambda: QGuiApplication.clipboard().setText(h.note))
        if h.tags:
            sub = menu.addMenu(self.tr("Recall by tag"))
            for t in h.tags:
                sub.addAction(t, lambda tag=t: self.show_tags([tag]))
        menu.popup(self.view.viewport().mapToGlobal(pos))
