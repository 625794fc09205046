"""The sidebar: sources and tags with their counts, filter signals, recall from a tag."""

from __future__ import annotations

import pytest
from annotation_helpers import (
    ARTICLE_ONE,
    click_row,
    env_fixture,  # noqa: F401  (the env fixture)
    show,
)
from PySide6.QtCore import Qt

from reader.ui.sidebar import Sidebar

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

WECHAT = [
    {"aid": "9001_1", "title": "城市夜经济观察", "url": "https://mp.example/s/1",
     "time": "2024-03-01 08:00", "公众号名称": "城事周刊",
     "finalContent": "夜市重新热闹起来。\r摊主说，客流比去年多了两成。"},
    {"aid": "9001_2", "title": "老街的新生意", "url": "https://mp.example/s/2",
     "time": "2024-03-02 08:00", "公众号名称": "城事周刊",
     "finalContent": "咖啡馆开进了老街。\r年轻人来打卡，也带来了争议。"},
    {"aid": "9002_1", "title": "春耕时节看农机", "url": "https://mp.example/s/3",
     "time": "2024-03-03 08:00", "公众号名称": "田野笔记",
     "finalContent": "无人机播种已经普及。\r合作社的账本上，人工成本降了。"},
]


@pytest.fixture
def data(env):
    ids = env.import_file(env.write_wechat("export", WECHAT))
    by_title = {env.lib.article(i).title: i for i in ids}
    assert len(by_title) == 3
    night, street, farm = (by_title[t] for t in ("城市夜经济观察", "老街的新生意", "春耕时节看农机"))
    env.lib.set_article_tags(night, ["消费"])
    env.lib.set_article_tags(street, ["消费", "城市"])
    env.highlight(night, "客流比去年多了两成", tags=["消费", "数据"])
    env.highlight(farm, "人工成本降了", tags=["数据"])
    return night, street, farm


@pytest.fixture
def sidebar(env, qtbot):
    sb = Sidebar(env.lib, env.signals)
    qtbot.addWidget(sb)
    sb.resize(260, 600)
    show(sb)
    return sb


def tag_row(sb: Sidebar, name: str) -> int:
    return sb.tag_proxy.mapFromSource(sb.tag_model.index(sb.tag_model.row_of(name), 0)).row()


def test_counts_of_sources_and_tags(env, data, sidebar):
    assert sidebar.source_counts() == {"": 3, "城事周刊": 2, "田野笔记": 1}
    assert sidebar.source_model.index(0, 0).data() == sidebar.tr("All sources")
    assert sidebar.current_source() == ""
    assert sidebar.tag_counts() == {"城市": (1, 0), "消费": (2, 1), "数据": (0, 2)}
    assert {t.name: (t.articles, t.highlights) for t in env.lib.tags()} == sidebar.tag_counts()


def test_clicking_a_source_filters(env, data, sidebar, qtbot):
    row = sidebar.source_model.row_of("田野笔记")
    with qtbot.waitSignal(sidebar.source_selected, timeout=2000) as sig:
        click_row(qtbot, sidebar.source_view, row)
    assert sig.args == ["田野笔记"]
    with qtbot.waitSignal(sidebar.source_selected, timeout=2000) as sig:
        click_row(qtbot, sidebar.source_view, 0)
    assert sig.args == [""]


def test_clicking_tags_filters_and_allows_several(env, data, sidebar, qtbot):
    with qtbot.waitSignal(sidebar.tags_selected, timeout=2000) as sig:
        click_row(qtbot, sidebar.tag_view, tag_row(sidebar, "消费"))
    assert sig.args == [["消费"]]
    assert sidebar.clear_tags_button.isVisibleTo(sidebar)
    with qtbot.waitSignal(sidebar.tags_selected, timeout=2000) as sig:
        click_row(qtbot, sidebar.tag_view, tag_row(sidebar, "城市"),
                  Qt.KeyboardModifier.ControlModifier)
    assert sig.args == [["城市", "消费"]]
    with qtbot.waitSignal(sidebar.tags_selected, timeout=2000) as sig:
        qtbot.mouseClick(sidebar.clear_tags_button, Qt.MouseButton.LeftButton)
    assert sig.args == [[]]
    assert not sidebar.clear_tags_button.isVisibleTo(sidebar)


def test_tag_context_action_requests_recall(env, data, sidebar, qtbot):
    actions = dict(sidebar.menu_actions_for("数据"))
    recall = actions[sidebar.tr("Recall highlights with this tag")]
    with qtbot.waitSignal(sidebar.recall_requested, timeout=2000) as sig:
        recall()
    assert sig.args == [["数据"]]
    # with several tags selected, the action on one of them recalls with all of them
    sidebar.select_tags(["数据", "消费"])
    actions = dict(sidebar.menu_actions_for("消费"))
    with qtbot.waitSignal(sidebar.recall_requested, timeout=2000) as sig:
        actions[sidebar.tr("Recall highlights with all these tags")]()
    assert sig.args == [["数据", "消费"]]
    # double click recalls that tag alone
    rect = sidebar.tag_view.visualRect(sidebar.tag_proxy.index(tag_row(sidebar, "城市"), 0))
    with qtbot.waitSignal(sidebar.recall_requested, timeout=2000) as sig:
        # a real double click: press and release, then the double-click event
        qtbot.mouseClick(sidebar.tag_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(sidebar.tag_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [["城市"]]


def test_clear_selection_is_quiet(env, data, sidebar, qtbot):
    sidebar.select_source("田野笔记")
    sidebar.select_tags(["数据"])
    assert sidebar.current_source() == "田野笔记" and sidebar.selected_tags() == ["数据"]
    emitted = []
    sidebar.tags_selected.connect(emitted.append)
    sidebar.source_selected.connect(emitted.append)
    sidebar.clear_selection()
    assert sidebar.current_source() == "" and sidebar.selected_tags() == []
    assert emitted == []


def test_tag_filter_field_narrows_the_list(env, data, sidebar):
    sidebar.tag_filter.setText("数")
    assert sidebar.tag_proxy.rowCount() == 1
    assert sidebar.tag_proxy.index(0, 0).data() == "数据"


def test_sidebar_follows_library_changes_quietly(env, data, sidebar, qtbot):
    night, _street, _farm = data
    sidebar.select_tags(["数据"])
    emitted = []
    sidebar.tags_selected.connect(emitted.append)
    sidebar.source_selected.connect(emitted.append)
    with qtbot.waitSignal(env.signals.tags_changed, timeout=10000):
        env.worker.write(lambda lib: lib.set_article_tags(night, ["消费", "夜经济"]))
    qtbot.waitUntil(lambda: "夜经济" in sidebar.tag_counts(), timeout=5000)
    assert sidebar.selected_tags() == ["数据"] and emitted == []
    # a new source appears with its count
    aid = env.article("plain", *ARTICLE_ONE)
    env.signals.articles_changed.emit()
    qtbot.waitUntil(lambda: sidebar.source_counts().get("") == 4, timeout=5000)
    assert env.lib.article(aid).source == ""
    # a selected tag that disappears is dropped, and the change announced
    h = env.lib.highlights(tags=["数据"])
    for x in h:
        env.lib.update_highlight(x.uuid, tags=[])
    with qtbot.waitSignal(sidebar.tags_selected, timeout=5000) as sig:
        env.signals.tags_changed.emit()
    assert sig.args == [[]]
    assert "数据" not in sidebar.tag_counts()
