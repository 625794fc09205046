"""Keyboard shortcuts of the main window: redo works by key on every platform's bindings, no key
sequence is bound twice in one context (Qt calls that an ambiguous overload and does nothing), and
the menus' mnemonics are unique within each menu bar level.

Why the suite missed the dead redo: the offscreen platform uses Windows-style key bindings
(``QKeySequence.Redo`` is Ctrl+Y there), so the explicit Ctrl+Shift+Z was not a duplicate under
test; on X11 the standard Redo *is* Ctrl+Shift+Z, the action held it twice, and Qt's
"Ambiguous shortcut overload" warning is only emitted when the key is pressed — which no test did.
These tests stand X11's bindings in for the platform's and press the keys.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    article_id,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
    wait_idle,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from reader.ui import actions as mw  # key_sequences and standard_keys live there

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

K = QKeySequence.StandardKey
X11_BINDINGS = {  # QPlatformTheme's KB_X11 / KB_Gnome bindings of the keys the window uses
    K.Undo: ["Ctrl+Z"],
    K.Redo: ["Ctrl+Shift+Z"],
    K.Open: ["Ctrl+O"],
    K.Find: ["Ctrl+F"],
    K.FindNext: ["Ctrl+G", "F3"],
    K.FindPrevious: ["Ctrl+Shift+G", "Shift+F3"],
    K.FullScreen: ["Ctrl+F11"],
}


@pytest.fixture(params=["platform", "x11"])
def bindings(request, monkeypatch):  # noqa: ANN001, ANN201
    if request.param == "x11":
        real = mw.standard_keys

        def x11(key):  # noqa: ANN001, ANN202
            if key in X11_BINDINGS:
                return [QKeySequence(s) for s in X11_BINDINGS[key]]
            return real(key)

        monkeypatch.setattr(mw, "standard_keys", x11)
    return request.param


def _keys(seq: QKeySequence) -> str:
    return seq.toString(QKeySequence.SequenceFormat.PortableText)


def window_bindings(w) -> dict[tuple[int, str], list[str]]:  # noqa: ANN001
    """(context, key) → the actions and shortcuts of the window bound to it."""
    found: dict[tuple[int, str], list[str]] = defaultdict(list)
    for act in w.findChildren(QAction):
        for seq in act.shortcuts():
            if not seq.isEmpty():
                found[(int(act.shortcutContext().value), _keys(seq))].append(act.text())
    for sc in w.findChildren(QShortcut):
        for seq in sc.keys():  # noqa: SIM118 (a QShortcut, not a dict)
            if not seq.isEmpty():
                owner = sc.parent().objectName() or type(sc.parent()).__name__
                found[(int(sc.context().value), f"{owner}:{_keys(seq)}")].append(owner)
    return found


def test_no_key_sequence_is_bound_twice(qtbot, sample_lib, settings_file, bindings):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    dupes = {k: v for k, v in window_bindings(w).items() if len(v) > 1}
    assert not dupes, dupes
    assert "Ctrl+Shift+Z" in [_keys(s) for s in w.act_redo.shortcuts()]
    close_window(w)


def test_ctrl_shift_z_redoes_after_an_undo(qtbot, sample_lib, settings_file, bindings):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    aid = article_id(sample_lib, "修表匠")
    w.open_article(aid, select=True)
    w.reader.select_range(2, 8)
    assert w.highlight_selection("green")
    wait_idle(qtbot, w)
    qtbot.waitUntil(lambda: len(sample_lib.highlights(article_id=aid)) == 1)
    w.reader.text.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(w.reader.text, Qt.Key.Key_Z, ctrl)
    wait_idle(qtbot, w)
    assert sample_lib.highlights(article_id=aid) == []
    qtbot.keyClick(w.reader.text, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    wait_idle(qtbot, w)
    assert len(sample_lib.highlights(article_id=aid)) == 1
    assert w.undo_stack.index() == w.undo_stack.count()
    close_window(w)


def test_menu_mnemonics_are_unique(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    seen: dict[str, str] = {}
    for act in w.menuBar().actions():
        text = act.text().replace("&&", "")
        if "&" in text:
            key = text[text.index("&") + 1].lower()
            assert key not in seen, (text, seen[key])
            seen[key] = text
    close_window(w)
