"""The annotation library (issue 17): the Recall tab's filters by source, the article's date and
orphans, its orders, the cards handed out a page at a time, and changes to several selected
highlights at once (tag, untag, recolour, delete, export), each undone in one step."""

from __future__ import annotations

import pytest
from annotation_helpers import (
    ARTICLE_ONE,
    ARTICLE_TWO,
    click_row,
    env_fixture,  # noqa: F401  (the env fixture)
    show,
)
from PySide6.QtCore import Qt

from reader.core.highlight_query import HighlightQuery, find_highlights
from reader.ui.recall_view import PagedHighlightModel, RecallView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

ARTICLE_THREE = (
    "港口城市的夜间经济",
    "夜市沿着老码头铺开，灯火一直亮到凌晨。\n"
    "摊主们说，游客比去年多了不少，本地人也愿意出门。\n"
    "交通部门加开了夜班公交，方便市民回家。",
)


@pytest.fixture
def data(env):
    a1 = env.article("a", *ARTICLE_ONE)  # no source, no date
    [a2, a3] = env.import_file(env.write_wechat("dated", [
        {"文章标识符aid": "r2", "标题title": ARTICLE_TWO[0], "时间time": "2026-02-03",
         "公众号名称": "滨河发布", "finalContent": ARTICLE_TWO[1],
         "链接url": "https://example.invalid/r2"},
        {"文章标识符aid": "r3", "标题title": ARTICLE_THREE[0], "时间time": "2025-08-20",
         "公众号名称": "海港日报", "finalContent": ARTICLE_THREE[1],
         "链接url": "https://example.invalid/r3"},
    ]))
    h = {
        "old": env.highlight(a1, "老旧小区改造", tags=["住房"], color="pink"),
        "lift": env.highlight(a1, "加装电梯", tags=["住房/电梯"]),
        "cold": env.highlight(a2, "冷链仓储中心", tags=["物流"], color="green"),
        "live": env.highlight(a2, "电商直播", note="品控"),
        "night": env.highlight(a3, "夜市沿着老码头铺开", tags=["夜间经济"], color="green"),
        "bus": env.highlight(a3, "夜班公交", tags=["交通"], color="blue"),
    }
    return (a1, a2, a3), h


@pytest.fixture
def recall(env, qtbot):
    view = RecallView(env.lib, env.worker, env.signals)
    qtbot.addWidget(view)
    view.resize(760, 760)
    show(view)
    return view


def uuids(view: RecallView) -> set[str]:
    return {h.uuid for h in view.highlights()}


def test_source_filter_lists_the_library_sources(env, data, recall):
    _ids, h = data
    labels = [recall.source_combo.itemText(i) for i in range(recall.source_combo.count())]
    assert any(x.startswith("海港日报") for x in labels) and any("滨河发布" in x for x in labels)
    recall.set_source("海港日报")
    assert uuids(recall) == {h["night"].uuid, h["bus"].uuid}
    recall.set_source("")  # the articles without a source
    assert uuids(recall) == {h["old"].uuid, h["lift"].uuid}
    recall.set_source(None)
    assert recall.count() == 6


def test_date_range_is_the_articles_date(env, data, recall):
    _ids, h = data
    recall.set_date_range("2026-01-01", "2026-12-31")
    assert uuids(recall) == {h["cold"].uuid, h["live"].uuid}
    recall.set_date_range("2025-08-20", "2025-08-20")
    assert uuids(recall) == {h["night"].uuid, h["bus"].uuid}
    recall.date_bar.set_undated(True)
    recall.refresh()
    assert uuids(recall) == {h["old"].uuid, h["lift"].uuid}


def test_nested_tags_and_or_with_colour(env, data, recall):
    _ids, h = data
    recall.show_tags(["住房"])  # the tag finds 住房/电梯 under it
    assert uuids(recall) == {h["old"].uuid, h["lift"].uuid}
    recall.show_tags(["住房", "物流"], any_tag=True)
    assert uuids(recall) == {h["old"].uuid, h["lift"].uuid, h["cold"].uuid}
    recall.set_color("pink")
    assert uuids(recall) == {h["old"].uuid}


def test_orphans_filter(env, data, recall):
    _ids, h = data
    with env.lib.store.transaction() as tx:  # as a re-import that lost the passage leaves it
        tx.execute("UPDATE highlights SET orphan = 1 WHERE uuid = ?", (h["bus"].uuid,))
    recall.set_orphans(True)
    assert uuids(recall) == {h["bus"].uuid}
    recall.set_orphans(False)
    assert h["bus"].uuid not in uuids(recall) and recall.count() == 5
    recall.set_orphans(None)
    assert recall.count() == 6


def test_orders(env, data, recall):
    _ids, h = data
    recall.set_order("newest")
    newest = [x.uuid for x in recall.highlights()]
    assert newest[0] == h["bus"].uuid
    recall.set_order("oldest")
    assert [x.uuid for x in recall.highlights()] == newest[::-1]
    recall.set_order("color")
    colors = [x.color for x in recall.highlights()]
    assert colors == ["yellow", "yellow", "green", "green", "blue", "pink"]


def test_text_search_over_quotes_and_notes(env, data, recall):
    _ids, h = data
    recall.set_filter_text("品控")
    assert uuids(recall) == {h["live"].uuid}
    recall.set_filter_text("夜班")
    assert uuids(recall) == {h["bus"].uuid}


def test_core_query_matches_the_view(env, data, recall):
    _ids, _h = data
    recall.set_source("滨河发布")
    recall.set_color("green")
    assert [x.uuid for x in recall.highlights()] == [
        x.uuid for x in find_highlights(env.lib, HighlightQuery(source="滨河发布", color="green"))]


def test_cards_are_handed_out_a_page_at_a_time(env, recall, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    body = env.lib.article(aid).body
    n = PagedHighlightModel.PAGE * 2 + 17
    with env.lib.store.transaction() as tx:  # bulk rows straight into the store
        for i in range(n):
            s = i % (len(body) - 8)
            tx.execute(
                "INSERT INTO highlights(uuid, article_id, start, end, quote, color, note, created,"
                " updated) VALUES (?,?,?,?,?,?,?,?,?)",
                (f"bulk-{i:04d}", aid, s, s + 6, body[s:s + 6], "yellow", f"笔记{i}",
                 f"2024-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}", "2024-01-01T00:00:00"))
    recall.refresh()
    assert recall.count() == n
    assert recall.model.rowCount() == PagedHighlightModel.PAGE
    recall.view.scrollToBottom()  # the view asks for the next page at the end
    qtbot.waitUntil(lambda: recall.model.rowCount() > PagedHighlightModel.PAGE, timeout=5000)
    # Ctrl+A selects every matching card, not only those handed out
    recall.view.setFocus()
    qtbot.keyClick(recall.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(recall.selected_highlights()) == n
    assert recall.selection_bar.isVisibleTo(recall)
    assert str(n) in recall.selection_label.text()


def select(recall: RecallView, *hs) -> None:
    recall.select_uuids([h.uuid for h in hs])
    assert {h.uuid for h in recall.selected_highlights()} == {h.uuid for h in hs}


def test_recolour_several_and_undo_in_one_step(env, data, recall, qtbot):
    _ids, h = data
    select(recall, h["old"], h["cold"], h["bus"])
    with qtbot.waitSignal(recall.batch_done, timeout=10000) as sig:
        recall.recolor_selected("purple")
    assert sig.args == ["Recolour 3 highlights"]
    assert {env.lib.highlight(h[k].uuid).color for k in ("old", "cold", "bus")} == {"purple"}
    assert env.lib.highlight(h["live"].uuid).color == "yellow"
    assert recall.undo_stack.count() == 1
    with qtbot.waitSignal(env.signals.highlights_changed, timeout=10000):
        recall.undo_stack.undo()
    qtbot.waitUntil(lambda: [env.lib.highlight(h[k].uuid).color for k in ("old", "cold", "bus")]
                    == ["pink", "green", "blue"], timeout=10000)


def test_tag_untag_several_and_undo(env, data, recall, qtbot):
    _ids, h = data
    select(recall, h["old"], h["live"])
    with qtbot.waitSignal(recall.batch_done, timeout=10000):
        recall.add_tags_to_selected(["复盘", "住房"])
    assert env.lib.highlight(h["old"].uuid).tags == ["住房", "复盘"]
    assert env.lib.highlight(h["live"].uuid).tags == ["住房", "复盘"]
    qtbot.waitUntil(lambda: len(recall.selected_highlights()) == 2, timeout=5000)
    with qtbot.waitSignal(recall.batch_done, timeout=10000):
        recall.remove_tag_from_selected("住房")
    assert env.lib.highlight(h["old"].uuid).tags == ["复盘"]
    recall.undo_stack.undo()
    recall.undo_stack.undo()
    qtbot.waitUntil(lambda: (env.lib.highlight(h["live"].uuid).tags,
                             env.lib.highlight(h["old"].uuid).tags) == ([], ["住房"]),
                    timeout=10000)


def test_delete_several_and_undo(env, data, recall, qtbot):
    _ids, h = data
    select(recall, h["lift"], h["night"])
    with qtbot.waitSignal(recall.batch_done, timeout=10000):
        qtbot.keyClick(recall.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: recall.count() == 4, timeout=10000)
    assert env.lib.highlight(h["lift"].uuid).deleted
    recall.undo_stack.undo()
    qtbot.waitUntil(lambda: recall.count() == 6, timeout=10000)
    assert not env.lib.highlight(h["night"].uuid).deleted


def test_export_selected_writes_only_those(env, data, recall, qtbot, tmp_path):
    _ids, h = data
    select(recall, h["cold"], h["night"])
    out = tmp_path / "out" / "picked.md"
    out.parent.mkdir()
    with qtbot.waitSignal(recall.batch_done, timeout=10000) as sig:
        recall.export_selected(str(out))
    assert sig.args == [str(out)]
    text = out.read_text(encoding="utf-8")
    assert "冷链仓储中心" in text and "夜市沿着老码头铺开" in text
    assert "电商直播" not in text and "老旧小区改造" not in text


def test_ctrl_click_selects_without_opening(env, data, recall, qtbot):
    _ids, _h = data
    opened = []
    recall.open_highlight.connect(lambda *a: opened.append(a))
    click_row(qtbot, recall.view, 0)
    assert len(opened) == 1
    click_row(qtbot, recall.view, 1, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    assert len(recall.selected_highlights()) == 2
