"""The article list as a Qt table model that fetches rows lazily from the library.

Only the rows the view has scrolled to are held: ``rowCount`` grows page by page through
``canFetchMore``/``fetchMore``, so a library of 100,000 articles opens as fast as one of ten.
Sorting and filtering go to SQLite (``Library.articles(order=…)``), never to Python.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from reader.core.library import ArticleFilter, Library
from reader.core.model import Article
from reader.ui.widgets import plain_tooltip

PAGE_SIZE = 400

COL_TITLE, COL_SOURCE, COL_DATE, COL_HIGHLIGHTS, COL_READ = range(5)
# column -> Library.articles order key
ORDER_KEYS = {
    COL_TITLE: "title",
    COL_SOURCE: "source",
    COL_DATE: "date",
    COL_HIGHLIGHTS: "highlights",
    COL_READ: "read",
}

ArticleIdRole = Qt.ItemDataRole.UserRole + 1
ArticleRole = Qt.ItemDataRole.UserRole + 2
OrphanCountRole = Qt.ItemDataRole.UserRole + 3  # highlights whose text is gone (a badge shows)

ORPHAN_COLOR = "#d4634a"  # the orphan badge of the annotations panel

_Index = QModelIndex | QPersistentModelIndex


_ICONS: dict[int, QIcon] = {}


def _header_icon(column: int) -> QIcon:
    """Small drawn icons for the narrow columns: a marker stroke, an unread dot."""
    icon = _ICONS.get(column)
    if icon is None:
        pm = QPixmap(28, 28)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        if column == COL_HIGHLIGHTS:
            p.setBrush(QColor("#f2c94c"))
            p.drawRoundedRect(4, 10, 20, 9, 3, 3)
            p.setBrush(QColor("#6e7781"))
            p.drawRect(4, 21, 20, 2)
        else:
            p.setBrush(QColor("#6e7781"))
            p.drawEllipse(9, 9, 10, 10)
        p.end()
        icon = _ICONS[column] = QIcon(pm)
    return icon


_ORPHAN_ICON: list[QIcon] = []


def orphan_icon() -> QIcon:
    """A small warning dot in the orphan badge's colour: some highlights lost their text."""
    if not _ORPHAN_ICON:
        icon = QIcon()
        for size in (12, 24):
            pm = QPixmap(size, size)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(ORPHAN_COLOR))
            p.drawEllipse(0, 0, size, size)
            p.setBrush(QColor("white"))
            u = size / 12
            p.drawRoundedRect(int(5 * u), int(2 * u), max(1, int(2 * u)), int(5 * u), u, u)
            p.drawEllipse(int(5 * u), int(8 * u), max(1, int(2 * u)), max(1, int(2 * u)))
            p.end()
            icon.addPixmap(pm)
        _ORPHAN_ICON.append(icon)
    return _ORPHAN_ICON[0]


class ArticleTableModel(QAbstractTableModel):
    """Columns: title, source, date, highlights, read."""

    count_changed = Signal(int, int)  # (shown by the filter, in the whole library)

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self.library = library
        self._filter = ArticleFilter()
        self._order = "date"
        self._descending = True
        self._sort_column = COL_DATE
        self._rows: list[Article] = []
        self._row_of: dict[int, int] = {}
        self._total = 0
        self._library_total = 0
        self._bold = QFont()
        self._bold.setBold(True)
        self.reload()

    # ------------------------------------------------------------------ state
    @property
    def filter(self) -> ArticleFilter:
        return dataclasses.replace(self._filter)

    def set_filter(self, flt: ArticleFilter) -> None:
        if flt != self._filter:
            self._filter = dataclasses.replace(flt)
            self.reload()

    def update_filter(self, **changes: Any) -> None:
        self.set_filter(dataclasses.replace(self._filter, **changes))

    @property
    def total(self) -> int:
        """How many articles the filter lets through (not only those fetched so far)."""
        return self._total

    @property
    def library_total(self) -> int:
        return self._library_total

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def reload(self) -> None:
        """Throw the fetched rows away and start again from the first page."""
        self.beginResetModel()
        self._rows = []
        self._row_of = {}
        self._total = self.library.count_articles(self._filter)
        self._library_total = (
            self._total if self._filter == ArticleFilter() else self.library.count_articles()
        )
        self._fetch(PAGE_SIZE)
        self.endResetModel()
        self.count_changed.emit(self._total, self._library_total)

    def _fetch(self, n: int) -> list[Article]:
        more = self.library.articles(
            self._filter, order=self._order, descending=self._descending, limit=n,
            offset=len(self._rows),
        )
        base = len(self._rows)
        for i, a in enumerate(more):
            self._row_of[a.id] = base + i
        self._rows.extend(more)
        return more

    # ------------------------------------------------------------------ lazy fetching
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        n = min(PAGE_SIZE, self._total - len(self._rows))
        if n <= 0:
            return
        more = self.library.articles(
            self._filter, order=self._order, descending=self._descending, limit=n,
            offset=len(self._rows),
        )
        if not more:
            self._total = len(self._rows)  # the library shrank under us
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        for i, a in enumerate(more):
            self._row_of[a.id] = first + i
        self._rows.extend(more)
        self.endInsertRows()

    def fetch_until(self, article_id: int, limit: int = 20000) -> int:
        """Fetch pages until ``article_id`` is loaded (at most ``limit`` rows); its row or -1."""
        while article_id not in self._row_of and self.canFetchMore() and len(self._rows) < limit:
            self.fetchMore()
        return self._row_of.get(article_id, -1)

    # ------------------------------------------------------------------ model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Title"), self.tr("Source"), self.tr("Date"), "", "")[section]
        if role == Qt.ItemDataRole.DecorationRole and section in (COL_HIGHLIGHTS, COL_READ):
            return _header_icon(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr("Title"), self.tr("Source (outlet or account)"), self.tr("Date"),
                self.tr("Number of highlights"), self.tr("Read or unread"),
            )[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (COL_HIGHLIGHTS, COL_READ):
            return Qt.AlignmentFlag.AlignCenter
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        a = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TITLE:
                return a.title
            if col == COL_SOURCE:
                return a.source
            if col == COL_DATE:
                return a.date
            if col == COL_HIGHLIGHTS:
                return str(a.highlight_count) if a.highlight_count else ""
            if col == COL_READ:
                return "" if a.read else "●"
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_READ:
                return self.tr("Read") if a.read else self.tr("Unread")
            if col == COL_TITLE:
                return plain_tooltip(a.title + (f"\n{a.subtitle}" if a.subtitle else ""))
            if col == COL_HIGHLIGHTS:
                return self.highlights_tooltip(a)
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == COL_HIGHLIGHTS and a.orphan_count:
            return orphan_icon()
        if role == Qt.ItemDataRole.FontRole and col == COL_TITLE and not a.read:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_HIGHLIGHTS, COL_READ):
            return Qt.AlignmentFlag.AlignCenter
        if role == ArticleIdRole:
            return a.id
        if role == ArticleRole:
            return a
        if role == OrphanCountRole:
            return a.orphan_count
        return None

    def highlights_tooltip(self, a: Article) -> str:
        if not a.highlight_count:
            return self.tr("No highlights")
        text = self.tr("Highlights: {n}").format(n=a.highlight_count)
        if a.orphan_count:
            text += "\n" + self.tr(
                "Orphaned: {n} — their text is gone from the current version; "
                "re-attach or discard them in the annotations panel").format(n=a.orphan_count)
        return text

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = ORDER_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._order, self._descending):
            return
        self._order, self._descending, self._sort_column = key, descending, column
        self.reload()

    # ------------------------------------------------------------------ lookups and updates
    def article_at(self, row: int) -> Article | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, article_id: int) -> int:
        return self._row_of.get(article_id, -1)

    def refresh_article(self, article_id: int) -> None:
        """Re-read one article's row (read state, highlight count) without a reset."""
        row = self._row_of.get(article_id)
        if row is None:
            return
        found = self.library.articles(ArticleFilter(ids=[article_id]), limit=1)
        if not found:
            return
        self._rows[row] = found[0]
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def set_read_locally(self, article_id: int, read: bool) -> None:
        """Show a read-state change before the write lands (it is a toggle the user just made)."""
        row = self._row_of.get(article_id)
        if row is None:
            return
        self._rows[row].read = read
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
