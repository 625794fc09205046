"""The left sidebar: sources (with their article counts, "All" on top, "(no source)" and the
Trash at the bottom) and the tag browser (every tag with its count of articles and of
highlights; nested tags such as 政策/京津冀 as a tree, a parent counting its children). Clicking
filters the article list; a tag's context menu recalls its highlights and, through the main
window's ``tag_manager``, renames, merges or deletes tags."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import NO_SOURCE, TRASH, ArticleFilter, Library
from reader.ui.annotations_panel import section_label
from reader.ui.highlight_cards import READ_ERRORS, muted_color
from reader.ui.tag_tree import TagFilterProxy, TagTreeModel
from reader.ui.tasks import LibrarySignals
from reader.ui.widgets import plain_tooltip

KeyRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2


@dataclass
class _Row:
    key: str  # source name ('' = all) or tag name
    label: str
    count: str
    tooltip: str
    enabled: bool = True


#: (text, slot) of a context-menu entry; an empty text is a separator
TagAction = tuple[str, Callable[[], object]]


class CountListModel(QAbstractListModel):
    """Rows of a label with a count drawn on the right."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []

    def set_rows(self, rows: Sequence[_Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def keys(self) -> list[str]:
        return [r.key for r in self._rows]

    def row_of(self, key: str) -> int:
        for i, r in enumerate(self._rows):
            if r.key == key and r.enabled:
                return i
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].enabled:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.NoItemFlags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return r.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(r.tooltip)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{r.label} {r.tooltip}"
        if role == KeyRole:
            return r.key
        if role == CountRole:
            return r.count
        return None


class CountDelegate(QStyledItemDelegate):
    """The standard item look, a little taller, with the count right-aligned and muted."""

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        s = super().sizeHint(option, index)
        return QSize(s.width(), max(s.height(), int(QFontMetrics(option.font).height() * 1.75)))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        count = index.data(CountRole) or ""
        fm = QFontMetrics(opt.font)
        cw = fm.horizontalAdvance(count) + 12 if count else 0
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        painter.save()
        r = opt.rect.adjusted(10, 0, -10, 0)
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        if selected:
            painter.setPen(pal.color(QPalette.ColorRole.HighlightedText))
        elif not enabled:
            painter.setPen(muted_color(pal))
        else:
            painter.setPen(pal.color(QPalette.ColorRole.Text))
        painter.setFont(opt.font)
        label_rect = QRect(r.left(), r.top(), r.width() - cw, r.height())
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(text, Qt.TextElideMode.ElideRight, label_rect.width()))
        if count:
            painter.setPen(pal.color(QPalette.ColorRole.HighlightedText) if selected
                           else muted_color(pal))
            painter.drawText(QRect(r.right() - cw, r.top(), cw, r.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, count)
        painter.restore()


def _list_view(parent: QWidget) -> QListView:
    v = QListView(parent)
    v.setFrameShape(QFrame.Shape.NoFrame)
    v.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    v.setUniformItemSizes(True)
    v.setItemDelegate(CountDelegate(v))
    v.setMouseTracking(True)
    v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return v


def _tree_view(parent: QWidget) -> QTreeView:
    """The tag browser: nested tags (政策/京津冀) as a tree; a double click recalls."""
    v = QTreeView(parent)
    v.setFrameShape(QFrame.Shape.NoFrame)
    v.setHeaderHidden(True)
    v.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    v.setUniformRowHeights(True)
    v.setIndentation(14)
    v.setExpandsOnDoubleClick(False)
    v.setItemDelegate(CountDelegate(v))
    v.setMouseTracking(True)
    v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return v


class Sidebar(QWidget):
    """``source_selected(name)`` ('' = all sources) and ``tags_selected(names)`` when the user
    picks; ``recall_requested(names)`` from a tag's context menu (or a double click)."""

    source_selected = Signal(str)
    tags_selected = Signal(list)
    recall_requested = Signal(list)

    def __init__(self, library: Library, signals: LibrarySignals,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.signals = signals
        self._quiet = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(30)
        self._refresh_timer.timeout.connect(self.refresh)

        # sources ---------------------------------------------------------
        self.source_model = CountListModel(self)
        self.source_view = _list_view(self)
        self.source_view.setModel(self.source_model)
        self.source_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.source_view.setAccessibleName(self.tr("Sources"))
        self.source_view.selectionModel().selectionChanged.connect(self._source_changed)

        # tags --------------------------------------------------------------
        self.tag_model = TagTreeModel(self)
        # the full name: 京津冀 finds 政策/京津冀, and shows its parents; pinyin: gk finds 港口
        self.tag_proxy = TagFilterProxy(self)
        self.tag_proxy.setSourceModel(self.tag_model)
        self.tag_view = _tree_view(self)
        # tag management (rename / merge / delete) added by the main window's ArticleManager:
        # tag_manager(tags) -> [(text, callable)] for the context menu
        self.tag_manager: Callable[[list[str]], list[TagAction]] | None = None
        self._collapsed: set[str] = set()
        self.tag_view.collapsed.connect(lambda i: self._collapsed.add(i.data(KeyRole)))
        self.tag_view.expanded.connect(lambda i: self._collapsed.discard(i.data(KeyRole)))
        self.tag_view.setModel(self.tag_proxy)
        self.tag_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tag_view.setAccessibleName(self.tr("Tags"))
        self.tag_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tag_view.customContextMenuRequested.connect(self._tag_menu)
        self.tag_view.doubleClicked.connect(self._tag_double_clicked)
        self.tag_view.selectionModel().selectionChanged.connect(self._tags_changed)
        self.tag_filter = QLineEdit(self)
        self.tag_filter.setPlaceholderText(self.tr("Filter tags"))
        self.tag_filter.setClearButtonEnabled(True)
        self.tag_filter.textChanged.connect(self.tag_proxy.set_query)
        self.clear_tags_button = QToolButton(self)
        self.clear_tags_button.setText(self.tr("Clear"))
        self.clear_tags_button.setToolTip(self.tr("Show articles with any tag or none"))
        self.clear_tags_button.setAutoRaise(True)
        self.clear_tags_button.clicked.connect(self.clear_tags)
        self.clear_tags_button.setVisible(False)
        self.tags_legend = section_label(self.tr("articles · highlights"), self)
        f = self.tags_legend.font()
        f.setBold(False)
        self.tags_legend.setFont(f)

        src_box = QWidget(self)
        sl = QVBoxLayout(src_box)
        sl.setContentsMargins(0, 8, 0, 0)
        sl.setSpacing(4)
        sh = QHBoxLayout()
        sh.setContentsMargins(12, 0, 12, 0)
        sh.addWidget(section_label(self.tr("Sources"), src_box))
        sh.addStretch(1)
        sl.addLayout(sh)
        sl.addWidget(self.source_view, 1)

        tag_box = QWidget(self)
        tl = QVBoxLayout(tag_box)
        tl.setContentsMargins(0, 8, 0, 0)
        tl.setSpacing(4)
        th = QHBoxLayout()
        th.setContentsMargins(12, 0, 8, 0)
        th.addWidget(section_label(self.tr("Tags"), tag_box))
        th.addStretch(1)
        th.addWidget(self.tags_legend)
        tl.addLayout(th)
        fl = QHBoxLayout()
        fl.setContentsMargins(8, 0, 8, 0)
        fl.setSpacing(4)
        fl.addWidget(self.tag_filter, 1)
        fl.addWidget(self.clear_tags_button)
        tl.addLayout(fl)
        tl.addWidget(self.tag_view, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("sidebarSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(src_box)
        self.splitter.addWidget(tag_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.splitter)

        signals.articles_changed.connect(self._schedule_refresh)
        signals.tags_changed.connect(self._schedule_refresh)
        signals.article_changed.connect(self._schedule_refresh)
        self.refresh()
        self._select_source_row(0)

    # ------------------------------------------------------------------ public API
    def refresh(self) -> None:
        """Reload sources and tags with their counts, keeping the selection (quietly, unless a
        selected source or tag disappeared)."""
        self._refresh_timer.stop()
        source = self.current_source()
        tags = self.selected_tags()
        try:
            sources = self.library.sources()
            tag_counts = self.library.tag_tree()
            trashed = self.library.count_articles(ArticleFilter(trashed=True))
        except READ_ERRORS:
            sources, tag_counts, trashed = [], [], 0
        total = sum(n for _s, n in sources)
        rows = [_Row("", self.tr("All sources"), str(total), self._articles_text(total))]
        for name, n in sources:
            if name:
                rows.append(_Row(name, name, str(n), self._articles_text(n)))
        unnamed = sum(n for s, n in sources if not s)
        if unnamed:
            rows.append(_Row(NO_SOURCE, self.tr("(no source)"), str(unnamed),
                             self._articles_text(unnamed)))
        if trashed:
            rows.append(_Row(TRASH, self.tr("Trash"), str(trashed),
                             self._articles_text(trashed)))
        trows = []
        for t in tag_counts:
            tip = self._articles_text(t.articles) + " · " + self._highlights_text(t.highlights)
            trows.append(_Row(t.name, t.name, f"{t.articles} · {t.highlights}", tip))
        self._quiet = True
        try:
            self.source_model.set_rows(rows)
            self.tag_model.set_rows(trows)
            self.tag_view.setRootIsDecorated(self.tag_model.nested())
            self.tag_view.expandAll()
            for key in list(self._collapsed):
                idx = self.tag_proxy.mapFromSource(self.tag_model.index_of(key))
                if idx.isValid():
                    self.tag_view.collapse(idx)
            source_row = self.source_model.row_of(source)
            self._select_source_row(max(source_row, 0))
            self._select_tags([t for t in tags if t in set(self.tag_model.tag_names())])
        finally:
            self._quiet = False
        if source and self.source_model.row_of(source) < 0:
            self.source_selected.emit("")
        kept = self.selected_tags()
        if kept != tags:
            self.tags_selected.emit(kept)
        self.clear_tags_button.setVisible(bool(kept))

    def _articles_text(self, n: int) -> str:
        return self.tr("1 article") if n == 1 else self.tr("%1 articles").replace("%1", str(n))

    def _highlights_text(self, n: int) -> str:
        return (self.tr("1 highlight") if n == 1
                else self.tr("%1 highlights").replace("%1", str(n)))

    def current_source(self) -> str:
        rows = self.source_view.selectionModel().selectedRows()
        return rows[0].data(KeyRole) if rows else ""

    def selected_tags(self) -> list[str]:
        rows = self.tag_view.selectionModel().selectedRows()
        return sorted((r.data(KeyRole) for r in rows), key=str.casefold)

    def select_source(self, name: str) -> None:
        """Select a source ('' = all) without emitting ``source_selected``."""
        self._quiet = True
        try:
            self._select_source_row(max(self.source_model.row_of(name), 0))
        finally:
            self._quiet = False

    def select_tags(self, names: Sequence[str]) -> None:
        """Select tags without emitting ``tags_selected``."""
        self._quiet = True
        try:
            self._select_tags(names)
        finally:
            self._quiet = False
        self.clear_tags_button.setVisible(bool(self.selected_tags()))

    def clear_tags(self) -> None:
        """Deselect every tag (emits ``tags_selected([])`` if any was selected)."""
        self.tag_view.clearSelection()

    def clear_selection(self) -> None:
        """Back to all sources and no tags, quietly (the list's filters were cleared)."""
        self._quiet = True
        try:
            self._select_source_row(0)
            self.tag_view.clearSelection()
        finally:
            self._quiet = False
        self.clear_tags_button.setVisible(False)

    def tag_counts(self) -> dict[str, tuple[int, int]]:
        """Tag → (articles, highlights), as shown."""
        out = {}
        for key in self.tag_model.tag_names():
            a, h = self.tag_model.index_of(key).data(CountRole).split(" · ")
            out[key] = (int(a), int(h))
        return out

    def source_counts(self) -> dict[str, int]:
        """Source → article count, as shown ('' = all)."""
        out = {}
        for i in range(self.source_model.rowCount()):
            idx = self.source_model.index(i, 0)
            if idx.flags() & Qt.ItemFlag.ItemIsEnabled:
                out[idx.data(KeyRole)] = int(idx.data(CountRole))
        return out

    # ------------------------------------------------------------------ internals
    def _schedule_refresh(self, *_args: object) -> None:
        self._refresh_timer.start()

    def _select_source_row(self, row: int) -> None:
        if self.source_model.rowCount() == 0:
            return
        idx = self.source_model.index(row, 0)
        self.source_view.selectionModel().select(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.source_view.setCurrentIndex(idx)

    def _select_tags(self, names: Sequence[str]) -> None:
        sel = QItemSelection()
        for name in names:
            idx = self.tag_proxy.mapFromSource(self.tag_model.index_of(name))
            if idx.isValid():
                sel.select(idx, idx)
        self.tag_view.selectionModel().select(
            sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _source_changed(self, *_args: object) -> None:
        if self._quiet:
            return
        if not self.source_view.selectionModel().selectedRows():
            # keep one source selected: "All" when the selection was cleared
            self._quiet = True
            self._select_source_row(0)
            self._quiet = False
        self.source_selected.emit(self.current_source())

    def _tags_changed(self, *_args: object) -> None:
        tags = self.selected_tags()
        self.clear_tags_button.setVisible(bool(tags))
        if not self._quiet:
            self.tags_selected.emit(tags)

    def _tags_for(self, index: QModelIndex) -> list[str]:
        tag = index.data(KeyRole)
        chosen = self.selected_tags()
        return chosen if tag in chosen and len(chosen) > 1 else [tag]

    def _tag_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.recall_requested.emit([index.data(KeyRole)])

    def _tag_actions(self, tags: list[str]) -> list[TagAction]:
        if len(tags) > 1:
            return [(self.tr("Recall highlights with all these tags"),
                     lambda: self.recall_requested.emit(tags)),
                    *(self.tag_manager(tags) if self.tag_manager is not None else [])]
        return [(self.tr("Recall highlights with this tag"),
                 lambda: self.recall_requested.emit(tags)),
                (self.tr("Filter articles by this tag"), lambda: self._select_tags(tags)),
                *(self.tag_manager(tags) if self.tag_manager is not None else [])]

    def _tag_menu(self, pos: QPoint) -> None:
        index = self.tag_view.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        for text, fn in self._tag_actions(self._tags_for(index)):
            if text:
                menu.addAction(text, fn)
            else:
                menu.addSeparator()
        if self.selected_tags():
            menu.addSeparator()
            menu.addAction(self.tr("Clear tag filter"), self.clear_tags)
        menu.popup(self.tag_view.viewport().mapToGlobal(pos))

    def menu_actions_for(self, tag: str) -> list[TagAction]:
        """(text, callable) of the context menu on ``tag`` (for tests and the main window)."""
        idx = self.tag_model.index_of(tag)
        if not idx.isValid():
            return []
        return self._tag_actions(self._tags_for(self.tag_proxy.mapFromSource(idx)))
