"""Recall by tag across the library: one tag, AND, OR, text filter, order, opening a passage."""

from __future__ import annotations

import pytest
from annotation_helpers import (
    ARTICLE_ONE,
    ARTICLE_TWO,
    click_row,
    commit_text,
    env_fixture,  # noqa: F401  (the env fixture)
    show,
)
from PySide6.QtCore import Qt

from reader.ui.recall_view import RecallView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def data(env):
    a1 = env.article("a", *ARTICLE_ONE)
    a2 = env.article("b", *ARTICLE_TWO)
    h = {
        "both": env.highlight(a1, "老旧小区改造", tags=["住房", "城市"], note="改造的钱从哪来"),
        "housing": env.highlight(a1, "加装电梯", tags=["住房"]),
        "city": env.highlight(a2, "冷链仓储中心", tags=["城市"], color="green"),
        "none": env.highlight(a2, "电商直播", note="品控是关键"),
        "other": env.highlight(a2, "返乡创业", tags=["人口"]),
    }
    return a1, a2, h


@pytest.fixture
def recall(env, qtbot):
    view = RecallView(env.lib, env.worker, env.signals)
    qtbot.addWidget(view)
    view.resize(640, 720)
    show(view)
    return view


def uuids(view: RecallView) -> set[str]:
    return {h.uuid for h in view.highlights()}


def test_recall_by_one_tag(env, data, recall):
    _a1, _a2, h = data
    recall.show_tags(["住房"])
    assert uuids(recall) == {h["both"].uuid, h["housing"].uuid}
    assert recall.count() == 2
    assert "2" in recall.count_label.text()
    card = next(x for x in recall.highlights() if x.uuid == h["both"].uuid)
    assert card.article_title == ARTICLE_ONE[0]
    assert card.note == "改造的钱从哪来" and card.tags == ["住房", "城市"]


def test_recall_and_or_of_two_tags(env, data, recall, qtbot):
    _a1, _a2, h = data
    recall.show_tags(["住房", "城市"])
    assert not recall.any_tag()
    assert uuids(recall) == {h["both"].uuid}
    recall.show_tags(["住房", "城市"], any_tag=True)
    assert uuids(recall) == {h["both"].uuid, h["housing"].uuid, h["city"].uuid}
    # the toggle buttons switch between the two
    with qtbot.waitSignal(recall.refreshed, timeout=2000) as sig:
        qtbot.mouseClick(recall.all_button, Qt.MouseButton.LeftButton)
    assert sig.args == [1]
    with qtbot.waitSignal(recall.refreshed, timeout=2000) as sig:
        qtbot.mouseClick(recall.any_button, Qt.MouseButton.LeftButton)
    assert sig.args == [3]


def test_recall_tags_typed_in_the_field(env, data, recall, qtbot):
    _a1, _a2, h = data
    recall.tag_edit.setFocus()
    with qtbot.waitSignal(recall.refreshed, timeout=2000):
        commit_text(recall.tag_edit, "人口，")
    assert uuids(recall) == {h["other"].uuid}
    assert recall.tags() == ["人口"]


def test_recall_without_tags_lists_everything_and_filters_by_text(env, data, recall, qtbot):
    _a1, _a2, h = data
    assert recall.count() == 5
    # the text filter searches notes …
    with qtbot.waitSignal(recall.refreshed, timeout=2000) as sig:
        commit_text(recall.filter_edit, "品控")
    assert sig.args == [1]
    assert uuids(recall) == {h["none"].uuid}
    # … and quotes, combined with tags
    recall.show_tags(["住房"])
    recall.set_filter_text("电梯")
    assert uuids(recall) == {h["housing"].uuid}
    recall.set_filter_text("没有这段话")
    assert recall.count() == 0
    assert recall.stack.currentWidget() is recall.empty_label


def test_recall_orders_newest_first_or_by_article(env, data, recall):
    a1, a2, h = data
    recall.set_order("newest")
    newest = [x.uuid for x in recall.highlights()]
    assert newest[0] == h["other"].uuid  # added last
    recall.set_order("article")
    by_article = recall.highlights()
    assert recall.order() == "article"
    # grouped by article, each article's highlights in text order
    groups = [x.article_id for x in by_article]
    assert groups == sorted(groups, key=groups.index)
    assert [x.quote for x in by_article if x.article_id == a1] == ["老旧小区改造", "加装电梯"]
    assert [x.quote for x in by_article if x.article_id == a2] == ["电商直播", "冷链仓储中心", "返乡创业"]


def test_click_or_enter_opens_the_passage(env, data, recall, qtbot):
    _a1, a2, h = data
    recall.show_tags(["城市"], any_tag=True)
    rows = recall.highlights()
    row = next(i for i, x in enumerate(rows) if x.uuid == h["city"].uuid)
    with qtbot.waitSignal(recall.open_highlight, timeout=2000) as sig:
        click_row(qtbot, recall.view, row)
    assert sig.args == [a2, h["city"].uuid]
    other = 1 - row
    recall.view.setCurrentIndex(recall.model.index(other, 0))
    with qtbot.waitSignal(recall.open_highlight, timeout=2000) as sig:
        qtbot.keyClick(recall.view, Qt.Key.Key_Return)
    assert sig.args == [rows[other].article_id, rows[other].uuid]


def test_recall_follows_library_changes_while_shown(env, data, recall, qtbot):
    a1, _a2, h = data
    recall.show_tags(["住房"])
    s, e = env.span(a1, "微更新")
    with qtbot.waitSignal(recall.refreshed, timeout=10000) as sig:
        env.worker.write(lambda lib: lib.add_highlight(a1, s, e, tags=["住房"]))
    assert sig.args == [3]
    with qtbot.waitSignal(recall.refreshed, timeout=10000) as sig:
        env.worker.write(lambda lib: lib.delete_highlight(h["housing"].uuid))
    assert sig.args == [2]


def test_hidden_recall_refreshes_when_shown_again(env, data, recall, qtbot):
    a1, _a2, _h = data
    recall.show_tags(["住房"])
    recall.hide()
    s, e = env.span(a1, "微更新")
    with qtbot.waitSignal(env.signals.highlights_changed, timeout=10000):
        env.worker.write(lambda lib: lib.add_highlight(a1, s, e, tags=["住房"]))
    assert recall.count() == 2  # not reloaded while hidden
    with qtbot.waitSignal(recall.refreshed, timeout=2000) as sig:
        recall.show()
    assert sig.args == [3]


def test_many_highlights_load_into_the_model(env, recall, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    body = env.lib.article(aid).body
    with env.lib.store.transaction() as conn:  # bulk rows straight into the store, as a large library has
        for i in range(2000):
            s = i % (len(body) - 8)
            cur = conn.execute(
                "INSERT INTO highlights(uuid, article_id, start, end, quote, color, note, created,"
                " updated) VALUES (?,?,?,?,?,?,?,?,?)",
                (f"bulk-{i}", aid, s, s + 6, body[s:s + 6], "yellow", f"笔记{i}",
                 f"2024-01-01T00:00:{i % 60:02d}", "2024-01-01T00:00:00"),
            )
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES ('批量')")
            conn.execute("INSERT INTO highlight_tags SELECT ?, id FROM tags WHERE name = '批量'",
                         (cur.lastrowid,))
    recall.show_tags(["批量"])
    assert recall.count() == 2000
    qtbot.waitUntil(lambda: recall.view.visualRect(recall.model.index(0, 0)).height() > 0,
                    timeout=5000)
    recall.set_filter_text("笔记1999")
    assert [x.uuid for x in recall.highlights()] == ["bulk-1999"]
