"""Undo never changes an article out of sight: it first opens the article it affects and says
what it undid; merging and splitting articles are undoable (issue 14, item 2)."""

from __future__ import annotations

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

from reader.ui.highlight_commands import UpdateHighlightCommand

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_undo_scope_after_a_merge(qtbot, sample_lib, settings_file):  # noqa: F811
    lib_ = sample_lib
    a = article_id(lib_, "修表匠")
    first = article_id(lib_, "二号线")  # page articles: 二号线 then 步道 on the same page
    second = article_id(lib_, "步道")
    i = lib_.article(second).body.index("三棵百年老槐树")
    moved = lib_.add_highlight(second, i, i + 7, color="green")
    h = lib_.add_highlight(a, 0, 6, color="yellow")
    w = open_window(qtbot, lib_, settings_file)
    # tag a highlight in article A, as the highlight editor does
    w.open_article(a, select=True)
    w.undo_stack.push(UpdateHighlightCommand(w.worker, h.uuid, {"tags": []},
                                             {"tags": ["钟表"]}, "Tags"))
    wait_idle(qtbot, w)
    assert lib_.highlight(h.uuid).tags == ["钟表"]
    # merge two other articles
    w.open_article(second, select=True)
    with qtbot.waitSignal(w.article_opened, timeout=30000):
        w.act_merge.trigger()
    wait_idle(qtbot, w)
    assert w.reader.article_id == first
    assert lib_.highlight(moved.uuid).article_id == first
    assert w.list_pane.model.total == 5

    # the first undo takes back the merge (on screen), not the tag edit in A
    w.reader.text.setFocus()
    with qtbot.waitSignal(w.article_opened, timeout=30000):
        qtbot.keyClick(w.reader.text, Qt.Key.Key_Z, CTRL)
    wait_idle(qtbot, w)
    assert lib_.highlight(h.uuid).tags == ["钟表"]
    assert len(lib_.articles()) == 6
    back = lib_.highlight(moved.uuid)
    assert back.article_id != first and back.quote == "三棵百年老槐树" and not back.orphan
    assert lib_.article(back.article_id).title == lib_.article(second).title \
        if back.article_id == second else "步道" in lib_.article(back.article_id).title
    assert "Undone" in w.last_message and "Merge" in w.last_message

    # the next undo opens article A first, then undoes its tag edit, and says so
    qtbot.keyClick(w.reader.text, Qt.Key.Key_Z, CTRL)
    wait_idle(qtbot, w)
    assert w.reader.article_id == a
    assert lib_.highlight(h.uuid).tags == []
    assert "Undone" in w.last_message and lib_.article(a).title in w.last_message

    # redo goes forward the same way: the tag edit, then the merge again
    qtbot.keyClick(w.reader.text, Qt.Key.Key_Z, CTRL | SHIFT)
    wait_idle(qtbot, w)
    assert lib_.highlight(h.uuid).tags == ["钟表"]
    assert "Redone" in w.last_message
    with qtbot.waitSignal(w.article_opened, timeout=30000):
        qtbot.keyClick(w.reader.text, Qt.Key.Key_Z, CTRL | SHIFT)
    wait_idle(qtbot, w)
    assert lib_.highlight(moved.uuid).article_id == first
    assert w.reader.article_id == first
    close_window(w)


def test_split_is_undone_by_undo(qtbot, sample_lib, settings_file):  # noqa: F811
    lib_ = sample_lib
    aid = article_id(lib_, "修表匠")
    body = lib_.article(aid).body
    lines = [i + 1 for i, ch in enumerate(body) if ch == "\n" and i + 1 < len(body)]
    at = next(p for p in lines if body[p:p + 1].strip())
    w = open_window(qtbot, lib_, settings_file)
    w.open_article(aid, select=True)
    w.reader.set_cursor_offset(at + 1)
    with qtbot.waitSignal(w.article_opened, timeout=30000):
        w.act_split.trigger()
    wait_idle(qtbot, w)
    assert len(lib_.articles()) == 7
    with qtbot.waitSignal(w.article_opened, timeout=30000):
        w.act_undo.trigger()
    wait_idle(qtbot, w)
    assert len(lib_.articles()) == 6
    assert lib_.article(aid).body.replace("\n", "") == body.replace("\n", "")
    assert w.reader.article_id == aid
    close_window(w)
