"""The window's actions as one table: each row says its key, text, slot, shortcut, menu and
when it is enabled. Adding an action is adding a row (calibre's and Anki's windows keep the same
kind of list); :func:`update_enabled` is the one place that enables and disables them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget


@dataclass(frozen=True)
class UiState:
    """What the enabled state of an action may depend on."""

    library: bool = False  # a library is open
    writable: bool = False  # … and not read-only
    articles: bool = False  # the workspace shows (the library has articles, maybe in the trash)
    selection: bool = False  # text is selected in the reader


CONDITIONS = frozenset(f.name for f in fields(UiState))


@dataclass(frozen=True)
class ActionSpec:
    """One action. ``when``: the :class:`UiState` flags that must all hold for it to be enabled
    (``()``: always; ``None``: someone else enables it, e.g. the undo stack). ``menu``: the key
    of its menu (``"view/theme"``: a submenu), ``section``: a new section (separator) starts
    where it changes. ``group``: checkable actions of one exclusive group."""

    key: str
    text: str
    slot: Callable[[], Any] | None
    shortcut: Any = None  # str, QKeySequence, StandardKey or a list of them
    menu: str = ""
    when: tuple[str, ...] | None = ("library",)
    section: int = 0
    checkable: bool = False
    checked: bool = False
    tip: str = ""
    group: str = ""
    action: QAction | None = None  # an action made elsewhere (undo, redo)

    def enabled(self, state: UiState) -> bool:
        return self.when is None or all(getattr(state, flag) for flag in self.when)


def standard_keys(key: QKeySequence.StandardKey) -> list[QKeySequence]:
    """All the platform's bindings of a standard key (tests stand in other platforms' here)."""
    return list(QKeySequence.keyBindings(key))


#: a shortcut: a portable text ("Ctrl+F"), a sequence or a platform's standard key
Keys = str | QKeySequence | QKeySequence.StandardKey


def key_sequences(keys: Keys | list[Keys] | tuple[Keys, ...]) -> list[QKeySequence]:
    """Key sequences from strings, standard keys or sequences (one or a list), each once: a
    sequence bound twice to one action is an ambiguous shortcut for Qt and never fires."""
    items = list(keys) if isinstance(keys, list | tuple) else [keys]
    out: list[QKeySequence] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, QKeySequence.StandardKey):
            seqs = standard_keys(item)
        else:
            seqs = [QKeySequence(item)]
        for seq in seqs:
            text = seq.toString(QKeySequence.SequenceFormat.PortableText)
            if not seq.isEmpty() and text not in seen:
                seen.add(text)
                out.append(seq)
    return out


def make_actions(owner: QWidget, specs: Sequence[ActionSpec]) -> dict[str, QAction]:
    """The table's actions, added to ``owner`` (so their shortcuts work without a menu)."""
    made: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for spec in specs:
        if spec.key in made:
            raise ValueError(f"action {spec.key!r} twice in the table")
        if spec.when is not None and not CONDITIONS.issuperset(spec.when):
            raise ValueError(f"action {spec.key!r}: unknown condition in {spec.when}")
        act = spec.action or QAction(spec.text, owner)
        if spec.shortcut is not None:
            act.setShortcuts(key_sequences(spec.shortcut))
        if spec.tip:
            act.setStatusTip(spec.tip)
        if spec.checkable:
            act.setCheckable(True)
            act.setChecked(spec.checked)
        if spec.slot is not None:
            act.triggered.connect(lambda *_a, s=spec.slot: s())
        if spec.group:
            groups.setdefault(spec.group, QActionGroup(owner)).addAction(act)
        else:
            owner.addAction(act)
        made[spec.key] = act
    return made


def make_menus(bar: QMenuBar, titles: Iterable[tuple[str, str]], specs: Sequence[ActionSpec],
               actions: dict[str, QAction]) -> dict[str, QMenu]:
    """The menus in ``titles`` order (key, title), each with its rows in table order; a
    ``"menu/sub"`` key makes a submenu where its first row would be."""
    menus: dict[str, QMenu] = {}
    for key, title in titles:
        if "/" in key:
            continue  # a submenu: made below, where its first action sits
        menus[key] = bar.addMenu(title)
    sub_titles = {k: t for k, t in titles if "/" in k}
    last_section: dict[str, int] = {}
    for spec in specs:
        if not spec.menu:
            continue
        if spec.menu not in menus:
            parent_key = spec.menu.split("/")[0]
            menus[spec.menu] = menus[parent_key].addMenu(sub_titles[spec.menu])
            last_section[parent_key] = spec.section
        menu = menus[spec.menu]
        if spec.menu in last_section and last_section[spec.menu] != spec.section:
            menu.addSeparator()
        last_section[spec.menu] = spec.section
        menu.addAction(actions[spec.key])
    return menus


def update_enabled(specs: Sequence[ActionSpec], actions: dict[str, QAction],
                   state: UiState) -> None:
    """Enable each action of the table by its ``when``, for ``state``."""
    for spec in specs:
        if spec.when is not None:
            actions[spec.key].setEnabled(spec.enabled(state))
