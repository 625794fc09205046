"""The tag browser's model: nested tags (``政策/京津冀``) as a tree, each node labelled with its
last level and keyed by its full name, with the sidebar's count column (``CountRole``).

Rows are given flat, sorted or not, one per tag (``Library.tag_tree`` lists every parent level
too); a parent missing from them is made up (without counts) so that a node never floats."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from reader.core.tags import SEP, leaf
from reader.ui.widgets import plain_tooltip

KeyRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2


class RowLike(Protocol):
    key: str
    label: str
    count: str
    tooltip: str


@dataclass(eq=False)
class _Node:
    key: str
    label: str
    count: str = ""
    tooltip: str = ""
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent is not None else 0


class TagTreeModel(QAbstractItemModel):
    """One column; ``KeyRole`` is the full tag name, the display text its last level."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("", "")
        self._by_key: dict[str, _Node] = {}

    # ------------------------------------------------------------------ content
    def set_rows(self, rows: Sequence[RowLike]) -> None:
        self.beginResetModel()
        self._root = _Node("", "")
        self._by_key = {}
        for r in sorted(rows, key=lambda r: r.key.casefold()):
            node = self._node_for(r.key)
            node.count, node.tooltip = r.count, r.tooltip
        self.endResetModel()

    def _node_for(self, key: str) -> _Node:
        found = self._by_key.get(key.casefold())
        if found is not None:
            return found
        parent = self._root
        if SEP in key:
            parent = self._node_for(key.rsplit(SEP, 1)[0])
        node = _Node(key, leaf(key), parent=parent)
        parent.children.append(node)
        self._by_key[key.casefold()] = node
        return node

    def nested(self) -> bool:
        return any(n.children for n in self._root.children)

    def tag_names(self) -> list[str]:
        """Every tag name, parents before their children."""
        return [n.key for n in self._walk(self._root)]

    def _walk(self, node: _Node) -> Iterator[_Node]:
        for c in node.children:
            yield c
            yield from self._walk(c)

    def row_of(self, key: str) -> int:
        """The row of ``key`` under its parent (-1: no such tag)."""
        node = self._by_key.get(key.casefold())
        return node.row() if node is not None else -1

    def index_of(self, key: str) -> QModelIndex:
        node = self._by_key.get(key.casefold())
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    # ------------------------------------------------------------------ QAbstractItemModel
    def _node(self, index: QModelIndex | QPersistentModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        p = self._node(parent)
        if column != 0 or not (0 <= row < len(p.children)):
            return QModelIndex()
        return self.createIndex(row, 0, p.children[row])

    def parent(  # type: ignore[override]  # (QObject.parent() is the other overload)
        self, index: QModelIndex | QPersistentModelIndex = QModelIndex()  # noqa: B008
    ) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        p = self._node(index).parent
        if p is None or p is self._root:
            return QModelIndex()
        return self.createIndex(p.row(), 0, p)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        n = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return n.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{n.key}\n{n.tooltip}" if n.key != n.label else n.tooltip)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{n.key} {n.tooltip}"
        if role == KeyRole:
            return n.key
        if role == CountRole:
            return n.count
        return None


class TagFilterProxy(QSortFilterProxyModel):
    """The tag browser's filter: a tag shows when the filter text is part of its full name (繁简
    and width folded) or spells it in pinyin — ``gangkou``, ``gk`` find 港口 (issue 17, see
    reader.core.recall.tag_matches); its parents show with it (recursive filtering)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._query = ""
        self.setRecursiveFilteringEnabled(True)

    def set_query(self, text: str) -> None:
        self._query = text.strip()
        self.setFilterFixedString(self._query)  # re-filters (invalidateFilter is deprecated)

    def filterAcceptsRow(  # noqa: N802
        self, row: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._query:
            return True
        from reader.core.recall import tag_matches

        model = self.sourceModel()
        key = model.index(row, 0, parent).data(KeyRole) if model is not None else None
        return isinstance(key, str) and tag_matches(self._query, key)
