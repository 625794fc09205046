"""The article list pane: a filter bar (title text, unread, date range), the lazily fetched table,
and a count of what is shown."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import NO_SOURCE, TRASH, ArticleFilter, Library
from reader.ui.article_model import (
    COL_DATE,
    COL_HIGHLIGHTS,
    COL_READ,
    COL_SOURCE,
    COL_TITLE,
    ArticleIdRole,
    ArticleTableModel,
)
from reader.ui.date_filter import DateFilterBar
from reader.ui.widgets import plain_tooltip


class ArticleListPane(QWidget):
    article_selected = Signal(int)  # the current row changed to this article
    article_activated = Signal(int)  # Enter / double click: read it
    # right click on rows: (global position, ids of the selected articles); the main window's
    # ArticleManager shows the menu (edit details, delete, set source/date, tags, restore)
    context_menu_requested = Signal(QPoint, list)
    restore_requested = Signal(list)  # the trash bar's Restore: ids selected
    empty_trash_requested = Signal()

    def __init__(self, library: Library, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.model = ArticleTableModel(library, self)
        self._quiet = False

        self.text = QLineEdit(self)
        self.text.setObjectName("listFilter")
        self.text.setPlaceholderText(self.tr("Filter by title  (Ctrl+L)"))
        self.text.setClearButtonEnabled(True)
        self.unread = QCheckBox(self.tr("Unread"), self)
        self.unread.setToolTip(self.tr("Show only articles not read yet"))
        # typed dates, a calendar at the newest date, quick ranges, the undated articles
        self.dates = DateFilterBar(self)
        self.dates.set_newest(lambda: library.date_range()[1])
        self.date_from, self.date_to = self.dates.date_from, self.dates.date_to
        self.count = QLabel(self)
        self.count.setObjectName("countLabel")
        self.scope = QLabel(self)
        self.scope.setObjectName("muted")
        self.scope.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Clear filters"))
        self.clear_button.setAutoRaise(True)
        self.clear_button.clicked.connect(self.clear_filters)

        self.view = QTreeView(self)
        self.view.setObjectName("articleList")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setItemsExpandable(False)
        self.view.setAllColumnsShowFocus(True)
        self.view.header().setSortIndicator(self.model.sort_column, self.model.sort_order)
        self.view.setSortingEnabled(True)
        # several rows (Ctrl/Shift+click) to set source, date or tags at once, or to delete
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for col, w in ((COL_SOURCE, 80), (COL_DATE, 90), (COL_HIGHLIGHTS, 38), (COL_READ, 30)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, w)
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        header.setSortIndicatorShown(True)

        row1 = QHBoxLayout()
        row1.setSpacing(6)
        row1.addWidget(self.text, 1)
        row2 = QHBoxLayout()
        row2.setSpacing(6)
        row2.addWidget(self.dates, 1)
        row2.addSpacing(6)
        row2.addWidget(self.unread)
        row3 = QHBoxLayout()
        row3.addWidget(self.count)
        row3.addWidget(self.scope, 1)
        row3.addWidget(self.clear_button)
        top = QVBoxLayout()
        top.setContentsMargins(10, 10, 10, 4)
        top.setSpacing(6)
        top.addLayout(row1)
        top.addLayout(row2)
        top.addLayout(row3)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(top)
        self.trash_bar = self._make_trash_bar()
        lay.addWidget(self.trash_bar)
        lay.addWidget(self.view, 1)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(200)
        self._text_timer.timeout.connect(self._apply_controls)
        self.text.textChanged.connect(lambda _t: self._text_timer.start())
        self.text.returnPressed.connect(self._apply_controls)
        self.unread.toggled.connect(lambda _b: self._apply_controls())
        self.dates.changed.connect(lambda *_a: self._apply_controls())
        self.model.count_changed.connect(self._update_count)
        self.model.modelReset.connect(self._after_reset)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activated)
        self._restore()
        self._update_count(self.model.total, self.model.library_total)

    # ------------------------------------------------------------------ filters
    @property
    def filter(self) -> ArticleFilter:
        return self.model.filter

    def set_source(self, source: str) -> None:
        self.model.update_filter(source=source)

    def set_tags(self, tags: list[str]) -> None:
        self.model.update_filter(tags=tuple(tags))

    def _apply_controls(self) -> None:
        self._text_timer.stop()
        self.model.update_filter(
            text=self.text.text().strip(), unread=self.unread.isChecked(),
            date_from=self.date_from.iso(), date_to=self.date_to.iso(),
            undated=self.dates.undated,
        )

    def clear_filters(self) -> None:
        for w in (self.text, self.unread, self.date_from, self.date_to):
            w.blockSignals(True)
        self.text.clear()
        self.unread.setChecked(False)
        self.dates.clear(quiet=True)
        for w in (self.text, self.unread, self.date_from, self.date_to):
            w.blockSignals(False)
        self.model.set_filter(ArticleFilter())
        self.filters_cleared.emit()

    filters_cleared = Signal()

    def _update_count(self, shown: int, total: int) -> None:
        if shown == total:
            self.count.setText(self.tr("%n article(s)", "", total))
        else:
            self.count.setText(self.tr("{shown} of {total}").format(shown=shown, total=total))
        f = self.model.filter
        bits = []
        if f.source == TRASH:
            bits.append(self.tr("the trash"))
        elif f.source == NO_SOURCE:
            bits.append(self.tr("articles without a source"))
        elif f.source:
            bits.append(self.tr("source: {name}").format(name=f.source))
        self.trash_bar.setVisible(f.source == TRASH)
        if f.tags:
            bits.append(self.tr("tags: {names}").format(names=", ".join(f.tags)))
        self.scope.setText(" · ".join(bits))
        self.scope.setToolTip(plain_tooltip(" · ".join(bits)))
        self.clear_button.setVisible(f != ArticleFilter())

    # ------------------------------------------------------------------ trash and context menu
    def _make_trash_bar(self) -> QWidget:
        bar = QWidget(self)
        bar.setObjectName("trashBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(10, 2, 10, 4)
        note = QLabel(self.tr("Articles in the trash keep their highlights."), bar)
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("Restore"), bar)
        self.restore_button.setToolTip(self.tr("Put the selected articles back"))
        self.restore_button.clicked.connect(
            lambda: self.restore_requested.emit(self.selected_ids()))
        self.empty_trash_button = QPushButton(self.tr("Empty trash…"), bar)
        self.empty_trash_button.clicked.connect(self.empty_trash_requested.emit)
        row.addWidget(note, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.empty_trash_button)
        bar.setVisible(False)
        return bar

    @property
    def showing_trash(self) -> bool:
        return self.model.filter.source == TRASH

    def selected_ids(self) -> list[int]:
        """The selected articles, in list order (the current one if none is selected)."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        ids = [a.id for a in (self.model.article_at(r) for r in rows) if a is not None]
        if not ids and (cur := self.current_article_id()) is not None:
            ids = [cur]
        return ids

    def _context_menu(self, pos: QPoint) -> None:
        idx = self.view.indexAt(pos)
        if not idx.isValid():
            return
        if not self.view.selectionModel().isRowSelected(idx.row(), idx.parent()):
            self.view.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self.context_menu_requested.emit(self.view.viewport().mapToGlobal(pos), self.selected_ids())

    # ------------------------------------------------------------------ selection
    def current_article_id(self) -> int | None:
        idx = self.view.currentIndex()
        return idx.data(ArticleIdRole) if idx.isValid() else None

    def select_article(self, article_id: int, *, quiet: bool = True) -> bool:
        """Make ``article_id`` the current row (fetching pages up to it); False if not listed."""
        row = self.model.fetch_until(article_id)
        if row < 0:
            self.view.clearSelection()
            return False
        self._quiet = quiet
        try:
            idx = self.model.index(row, COL_TITLE)
            self.view.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.view.scrollTo(idx)
        finally:
            self._quiet = False
        return True

    def step(self, delta: int) -> int | None:
        """Move the current row by ``delta``; returns the new article id."""
        cur = self.view.currentIndex()
        row = (cur.row() if cur.isValid() else -1) + delta
        if row >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if 0 <= row < self.model.rowCount():
            idx = self.model.index(row, COL_TITLE)
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)
            return idx.data(ArticleIdRole)
        return None

    def _current_changed(self, cur: QModelIndex, _prev: QModelIndex) -> None:
        if self._quiet or not cur.isValid():
            return
        self.article_selected.emit(cur.data(ArticleIdRole))

    def _activated(self, idx: QModelIndex) -> None:
        if idx.isValid():
            self.article_activated.emit(idx.data(ArticleIdRole))

    def _after_reset(self) -> None:
        self.view.header().setSortIndicator(self.model.sort_column, self.model.sort_order)

    def reload(self) -> None:
        """The library changed: fetch again and keep the current article selected."""
        keep = self.current_article_id()
        chosen = self.selected_ids() if len(self.view.selectionModel().selectedRows()) > 1 else []
        self.model.reload()
        if keep is not None:
            self.select_article(keep)
        if chosen:  # a multi-selection (e.g. just given a source) stays selected
            sel = self.view.selectionModel()
            for aid in chosen:
                row = self.model.row_of(aid)
                if row >= 0:
                    sel.select(self.model.index(row, COL_TITLE),
                               QItemSelectionModel.SelectionFlag.Select
                               | QItemSelectionModel.SelectionFlag.Rows)

    # ------------------------------------------------------------------ persistence
    def _restore(self) -> None:
        s = self.settings
        if s is None:
            return
        state = s.value("list/header")
        if state is not None:
            self.view.header().restoreState(state)
        try:
            # (an int, or its text when read back from an ini file)
            col = int(cast("int | str", s.value("list/sort_column", COL_DATE)))
            order = Qt.SortOrder(int(cast("int | str", s.value("list/sort_order", 1))))
        except (TypeError, ValueError):
            col, order = COL_DATE, Qt.SortOrder.DescendingOrder
        self.model.sort(col, order)
        self.view.header().setSortIndicator(self.model.sort_column, self.model.sort_order)
        self.unread.setChecked(s.value("list/unread", False) in (True, "true"))

    def save_state(self) -> None:
        s = self.settings
        if s is None:
            return
        s.setValue("list/header", self.view.header().saveState())
        s.setValue("list/sort_column", self.model.sort_column)
        s.setValue("list/sort_order", self.model.sort_order.value)
        s.setValue("list/unread", self.unread.isChecked())
