"""Orphaned highlights in the main window: a corrected version of an article is re-imported, the
highlight whose text is gone becomes an orphan, the article list shows a badge, and the
annotations panel re-attaches it to the reader's selection (at the right place, astral
characters before it included) or discards it."""

from __future__ import annotations

import json

import pytest
from annotation_helpers import click_row
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    settings_file,  # noqa: F401  (fixture)
    wait_idle,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QTextCursor

from reader.ui.article_model import COL_HIGHLIGHTS, OrphanCountRole

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

AID = "8801_1"
# astral characters (an emoji, a CJK Extension B character) before the passages: their UTF-16
# positions differ from their code point offsets
OLD = ("🌧️开头一句。𠀋字在前。\n"
       "第二段：加装电梯往往卡在低层住户的顾虑上。\n"
       "第三段：规划部门提出微更新思路。\n"
       "第四段：社区议事会每月开一次。")
NEW = ("🌧️开头一句。𠀋字在前。\n"
       "第二段：方案几经讨论终于通过，电梯下月动工。\n"
       "第三段：规划部门提出微更新思路。\n"
       "第四段：居民代表轮流主持。")


def _wechat(path, body: str, title: str = "老楼加装电梯") -> None:  # noqa: ANN001
    path.write_text(json.dumps([{
        "文章标识符aid": AID, "标题title": title, "时间time": "2026-03-02",
        "公众号名称": "社区观察", "finalContent": body,
        "链接url": "https://example.invalid/8801",
    }], ensure_ascii=False), encoding="utf-8")


def _span(body: str, quote: str) -> tuple[int, int]:
    s = body.index(quote)
    return s, s + len(quote)


@pytest.fixture
def orphaned(lib, tmp_path):  # noqa: F811
    """A library where one article (re-imported in a corrected version) has two orphans."""
    f = tmp_path / "wechat.json"
    _wechat(f, OLD)
    other = tmp_path / "other.txt"
    other.write_text("另一篇文章\n\n这一篇没有失联的划线。\n", encoding="utf-8")
    assert lib.import_paths([f, other]).count("added") == 2
    aid = next(a.id for a in lib.articles() if a.title == "老楼加装电梯")
    body = lib.article(aid).body
    kept = lib.add_highlight(aid, *_span(body, "规划部门提出微更新思路"), color="green")
    lost = lib.add_highlight(aid, *_span(body, "加装电梯往往卡在低层住户的顾虑上"),
                             note="低层住户的顾虑", tags=["电梯"])
    gone = lib.add_highlight(aid, *_span(body, "社区议事会每月开一次"))
    f2 = tmp_path / "wechat-corrected.json"  # the same WeChat aid, corrected text
    _wechat(f2, NEW)
    summary = lib.import_paths([f2])
    assert summary.files[0].status == "updated"
    assert lib.highlight(lost.uuid).orphan and lib.highlight(gone.uuid).orphan
    assert not lib.highlight(kept.uuid).orphan
    return lib, aid, kept, lost, gone


def _row(w, aid: int) -> int:  # noqa: ANN001
    row = w.list_pane.model.row_of(aid)
    assert row >= 0
    return row


def _select_utf16(w, start: int, end: int) -> None:  # noqa: ANN001
    """Select body code points start..end the way a user does: by Qt (UTF-16) positions,
    computed here independently of reader.core.text.OffsetMap."""
    body = w.reader.article.body
    u16 = lambda cp: len(body[:cp].encode("utf-16-le")) // 2  # noqa: E731
    assert u16(start) > start  # astral characters before the passage: the systems differ
    cur = w.reader.text.textCursor()
    cur.setPosition(w.reader.body_start + u16(start))
    cur.setPosition(w.reader.body_start + u16(end), QTextCursor.MoveMode.KeepAnchor)
    w.reader.text.setTextCursor(cur)


def test_article_list_shows_an_orphan_badge(qtbot, orphaned, settings_file):  # noqa: F811
    lib_, aid, *_ = orphaned
    w = open_window(qtbot, lib_, settings_file)
    model = w.list_pane.model
    other = next(a.id for a in lib_.articles() if a.id != aid)
    idx = model.index(_row(w, aid), COL_HIGHLIGHTS)
    assert idx.data(OrphanCountRole) == 2
    assert idx.data(Qt.ItemDataRole.DisplayRole) == "3"
    icon = idx.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    tip = idx.data(Qt.ItemDataRole.ToolTipRole)
    assert "3" in tip and "2" in tip and "Orphaned" in tip
    plain = model.index(_row(w, other), COL_HIGHLIGHTS)
    assert plain.data(OrphanCountRole) == 0
    assert plain.data(Qt.ItemDataRole.DecorationRole) is None
    close_window(w)


def test_reattach_an_orphan_to_the_reader_selection(qtbot, orphaned, settings_file):  # noqa: F811
    lib_, aid, kept, lost, gone = orphaned
    w = open_window(qtbot, lib_, settings_file)
    w.open_article(aid, select=True)
    panel = w.annotations
    assert {h.uuid for h in panel.orphans()} == {lost.uuid, gone.uuid}
    assert not panel.orphan_box.isHidden()
    body = w.reader.article.body
    start, end = _span(body, "方案几经讨论终于通过")
    _select_utf16(w, start, end)
    assert w.reader.selection_range() == (start, end)
    row = panel.orphan_model.row_of(lost.uuid)
    click_row(qtbot, panel.orphan_view, row)
    assert panel.reattach_button.isEnabled()
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        qtbot.mouseClick(panel.reattach_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, w)
    h = lib_.highlight(lost.uuid)
    assert not h.orphan
    assert (h.start, h.end) == (start, end) and h.quote == "方案几经讨论终于通过"
    assert h.note == "低层住户的顾虑" and h.tags == ["电梯"]  # the annotation itself is kept
    assert [o.uuid for o in panel.orphans()] == [gone.uuid]
    assert lost.uuid in [x.uuid for x in panel.highlights()]
    # the reader paints it at the new place: a segment in code points, drawn at the UTF-16
    # positions of the selection that was made
    assert any(seg.start == start and seg.end == end for seg in w.reader.segments)
    u16 = lambda cp: w.reader.body_start + len(body[:cp].encode("utf-16-le")) // 2  # noqa: E731
    painted = {(x.cursor.selectionStart(), x.cursor.selectionEnd())
               for x in w.reader.text.extraSelections()}
    assert (u16(start), u16(end)) in painted
    # the list's badge counts one orphan now
    qtbot.waitUntil(lambda: w.list_pane.model.index(_row(w, aid), COL_HIGHLIGHTS)
                    .data(OrphanCountRole) == 1)
    assert "attached" in w.last_message
    close_window(w)


def test_reattach_without_a_selection_explains(qtbot, orphaned, settings_file):  # noqa: F811
    lib_, aid, _kept, lost, _gone = orphaned
    w = open_window(qtbot, lib_, settings_file)
    w.open_article(aid, select=True)
    cur = w.reader.text.textCursor()
    cur.clearSelection()
    w.reader.text.setTextCursor(cur)
    w.reattach_highlight(lost.uuid)
    assert "Select the passage" in w.last_message
    wait_idle(qtbot, w)
    assert lib_.highlight(lost.uuid).orphan
    close_window(w)


def test_discard_an_orphan_and_undo(qtbot, orphaned, settings_file):  # noqa: F811
    lib_, aid, _kept, lost, gone = orphaned
    w = open_window(qtbot, lib_, settings_file)
    w.open_article(aid, select=True)
    panel = w.annotations
    click_row(qtbot, panel.orphan_view, panel.orphan_model.row_of(gone.uuid))
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        qtbot.mouseClick(panel.discard_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, w)
    assert lib_.highlight(gone.uuid).deleted
    assert [o.uuid for o in panel.orphans()] == [lost.uuid]
    qtbot.waitUntil(lambda: w.list_pane.model.index(_row(w, aid), COL_HIGHLIGHTS)
                    .data(OrphanCountRole) == 1)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        w.act_undo.trigger()
    wait_idle(qtbot, w)
    assert not lib_.highlight(gone.uuid).deleted
    assert {o.uuid for o in panel.orphans()} == {lost.uuid, gone.uuid}
    close_window(w)
