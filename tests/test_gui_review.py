"""The daily review dialog (issue 17), opened from the Recall tab: today's highlights with
context, answered from the keyboard (1–4, K, R, S), O opens the passage; answers persisted."""

from __future__ import annotations

import pytest
from annotation_helpers import (
    ARTICLE_ONE,
    ARTICLE_TWO,
    env_fixture,  # noqa: F401  (the env fixture)
    show,
)
from gui_support import sample_lib, settings_file  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt

from reader.core import review
from reader.ui.recall_view import RecallView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def data(env):
    a1 = env.article("a", *ARTICLE_ONE)
    a2 = env.article("b", *ARTICLE_TWO)
    return [
        env.highlight(a1, "老旧小区改造", tags=["住房"], note="钱从哪来"),
        env.highlight(a1, "加装电梯", tags=["住房"]),
        env.highlight(a2, "冷链仓储中心", tags=["物流"]),
    ]


@pytest.fixture
def recall(env, qtbot):
    view = RecallView(env.lib, env.worker, env.signals)
    qtbot.addWidget(view)
    view.resize(640, 600)
    show(view)
    return view


def _open(recall, qtbot):
    qtbot.mouseClick(recall.review_button, Qt.MouseButton.LeftButton)
    dlg = recall.review_dialog
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.progress.text() != "Loading…", timeout=5000)
    return dlg


def test_review_by_keyboard(env, data, recall, qtbot):
    recall.show_tags(["住房"])
    dlg = _open(recall, qtbot)
    assert len(dlg.items) == 2 and {it.highlight.uuid for it in dlg.items} == {
        data[0].uuid, data[1].uuid}  # only the tags recalled
    first = dlg.current().highlight
    assert dlg.article_label.text() == "城市更新的三道难题"
    assert first.quote in dlg.passage.text() and "1 of 2" in dlg.progress.text()
    # O opens the passage through the recall view's signal
    with qtbot.waitSignal(recall.open_highlight, timeout=2000) as sig:
        qtbot.keyClick(dlg, Qt.Key.Key_O)
    assert sig.args == [first.article_id, first.uuid]
    with qtbot.waitSignal(dlg.answered, timeout=5000) as sig:
        qtbot.keyClick(dlg, Qt.Key.Key_3)
    assert sig.args == [first.uuid, "good"]
    second = dlg.current().highlight
    with qtbot.waitSignal(dlg.answered, timeout=5000) as sig:
        qtbot.keyClick(dlg, Qt.Key.Key_R)
    assert sig.args == [second.uuid, "retire"]
    assert dlg.current() is None and dlg.stack.currentWidget() is dlg.done_label
    assert "2 answered" in dlg.done_label.text()
    cards = review._cards(env.lib)
    assert cards[first.uuid]["due"] > review._iso(review._now(None)) and not cards[first.uuid]["retired"]
    assert cards[second.uuid]["retired"] == 1
    dlg.close()


def test_skip_and_the_day_is_done(env, data, recall, qtbot):
    dlg = _open(recall, qtbot)
    assert len(dlg.items) == 3
    for _ in range(3):
        qtbot.keyClick(dlg, Qt.Key.Key_S)
    assert dlg.current() is None and dlg.done_label.text() == "Done for today."
    assert review._cards(env.lib) == {}
    dlg.close()
    # a new list: skipped ones are still there, the per-day setting limits it
    recall.review_dialog = None
    dlg = _open(recall, qtbot)
    assert len(dlg.items) == 3
    dlg.per_day.setValue(1)
    with qtbot.waitSignal(dlg.loaded, timeout=5000) as sig:
        dlg.per_day.editingFinished.emit()
    assert sig.args == [1]
    dlg.close()


def test_the_window_opens_the_review_and_shares_its_undo(qtbot, sample_lib, settings_file):  # noqa: F811
    from gui_support import close_window, open_window

    arts = sample_lib.articles(order="id", descending=False)
    h = sample_lib.add_highlight(arts[0].id, 10, 18, tags=["经济"])
    w = open_window(qtbot, sample_lib, settings_file)
    recall = w.workspace.recall
    assert recall.undo_stack is w.undo_stack  # batch changes undo with Ctrl+Z
    w.act_review.trigger()
    dlg = recall.review_dialog
    assert dlg is not None and dlg.isVisible()
    qtbot.waitUntil(lambda: dlg.current() is not None, timeout=5000)
    assert dlg.current().highlight.uuid == h.uuid
    recall.refresh()  # the tab reads its highlights when first shown (or asked)
    with qtbot.waitSignal(w.undo_stack.indexChanged, timeout=5000):
        recall.select_uuids([h.uuid])
        recall.recolor_selected("pink")
    qtbot.waitUntil(lambda: sample_lib.highlight(h.uuid).color == "pink", timeout=5000)
    dlg.close()
    close_window(w)
