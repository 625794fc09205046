"""Help → Keyboard shortcuts: every shortcut of the window, grouped by menu, plus the keys that
work inside the reader pane and the search field."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

_MNEMONIC = re.compile(r"\(&\w\)")


def plain_label(text: str) -> str:
    """A menu text without its mnemonic: '导入文件(&I)…' → '导入文件…', '&Quit' → 'Quit'."""
    return _MNEMONIC.sub("", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


def action_rows(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    """(description, keys) for each action that has a shortcut."""
    rows = []
    for a in actions:
        seqs = [s for s in a.shortcuts() if not s.isEmpty()]
        if not seqs:
            continue
        keys = "  /  ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in seqs)
        rows.append((plain_label(a.text()).split("\t")[0].rstrip("…."), keys))
    return rows


class ShortcutsDialog(QDialog):
    """``groups``: (group title, [(description, keys)…]) in display order."""

    def __init__(self, groups: Sequence[tuple[str, Sequence[tuple[str, str]]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(560, 640)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter"))
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutList")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        bold = self.tree.font()
        bold.setBold(True)
        self.rows: list[tuple[str, str, str]] = []
        for title, rows in groups:
            if not rows:
                continue
            head = QTreeWidgetItem([title, ""])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for desc, keys in rows:
                item = QTreeWidgetItem(["    " + desc, keys])
                self.tree.addTopLevelItem(item)
                self.rows.append((title, desc, keys))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 12)
        lay.addWidget(self.filter)
        lay.addWidget(self.tree, 1)
        lay.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)

    def _filter(self, text: str) -> None:
        t = text.strip().casefold()
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None:  # (never: i < topLevelItemCount())
                continue
            if item.isFirstColumnSpanned():
                item.setHidden(bool(t))
                continue
            hay = (item.text(0) + " " + item.text(1)).casefold()
            item.setHidden(bool(t) and t not in hay)
