"""Recall filters as you type (tags typed out in full count after a short pause, without
Enter), cards say which date they show, and a colour filter (issue 14, item 9)."""

from __future__ import annotations

import pytest
from annotation_helpers import (
    ARTICLE_ONE,
    ARTICLE_TWO,
    commit_text,
    env_fixture,  # noqa: F401  (the env fixture)
    show,
)

from reader.ui.recall_view import RecallView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def data(env):  # noqa: ANN001, ANN201
    a1 = env.article("a", *ARTICLE_ONE)  # a plain text file: no date
    [a2] = env.import_file(env.write_wechat("dated", [{
        "文章标识符aid": "r1", "标题title": ARTICLE_TWO[0], "时间time": "2026-02-03",
        "公众号名称": "滨河发布", "finalContent": ARTICLE_TWO[1],
        "链接url": "https://example.invalid/r1"}]))
    h = {
        "both": env.highlight(a1, "老旧小区改造", tags=["住房", "城市"]),
        "housing": env.highlight(a1, "加装电梯", tags=["住房"], color="green"),
        "city": env.highlight(a2, "冷链仓储中心", tags=["城市"], color="green"),
    }
    return a1, a2, h


@pytest.fixture
def recall(env, qtbot):  # noqa: ANN001, ANN201
    view = RecallView(env.lib, env.worker, env.signals)
    qtbot.addWidget(view)
    view.resize(640, 720)
    show(view)
    return view


def uuids(view: RecallView) -> set[str]:
    return {h.uuid for h in view.highlights()}


def test_tags_filter_as_you_type(env, data, recall, qtbot):  # noqa: ANN001
    _a1, _a2, h = data
    assert recall.count() == 3
    recall.tag_edit.setFocus()
    commit_text(recall.tag_edit, "住")  # half a tag: the list stays as it is
    qtbot.wait(recall.FILTER_DELAY_MS * 2)
    assert recall.count() == 3
    commit_text(recall.tag_edit, "房")  # 住房, no Enter
    qtbot.waitUntil(lambda: uuids(recall) == {h["both"].uuid, h["housing"].uuid})
    commit_text(recall.tag_edit, ", 城市")
    qtbot.waitUntil(lambda: uuids(recall) == {h["both"].uuid})


def test_colour_filter(env, data, recall, qtbot):  # noqa: ANN001
    _a1, _a2, h = data
    recall.set_color("green")
    assert uuids(recall) == {h["housing"].uuid, h["city"].uuid}
    recall.show_tags(["住房"])
    assert uuids(recall) == {h["housing"].uuid}
    recall.set_color("")
    assert uuids(recall) == {h["both"].uuid, h["housing"].uuid}
    recall.set_color("purple")
    assert recall.count() == 0
    assert recall.empty_label.text()


def test_card_dates_say_what_they_are(env, data, recall):  # noqa: ANN001
    _a1, _a2, h = data
    cards = {x.uuid: x for x in recall.highlights()}
    dated = recall.delegate.date_text(cards[h["city"].uuid])
    undated = recall.delegate.date_text(cards[h["both"].uuid])
    assert dated == "Article 2026-02-03"
    assert undated.startswith("Highlighted ") and undated[-10:] == cards[h["both"].uuid].created[:10]
