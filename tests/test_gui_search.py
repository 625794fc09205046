"""Library search in the window: Ctrl+K, results with emphasised hits, off the GUI thread with
stale queries dropped, opening a result marks every hit, readable query errors."""

from __future__ import annotations

import threading

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    article_id,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reader.ui.main_window import TAB_SEARCH
from reader.ui.search_panel import QueryRunner, emphasise, result_html

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def commit_text(widget, text: str) -> None:  # noqa: ANN001
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def test_emphasise_escapes_and_bolds_spans():
    html = emphasise("a<b>天津&", [(3, 5)])
    assert html == "a&lt;b<b>&gt;天</b>津&amp;"
    assert emphasise("前后文", [(10, 12)], offset=10) == "<b>前后</b>文"


def test_ctrl_k_search_open_result_marks_every_hit(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    QTest.keyClick(w, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    panel = w.search_panel
    assert w.tabs.currentIndex() == TAB_SEARCH
    assert panel.field.hasFocus()
    with qtbot.waitSignal(panel.results_ready, timeout=60000) as sig:
        commit_text(panel.field, "修表")
        QTest.keyClick(panel.field, Qt.Key.Key_Return)
    assert sig.args[0] >= 1
    hit = panel.hits[0]
    assert "修表" in hit.article.title
    assert hit.title_spans and hit.snippets
    # the result shows title, source · date and a snippet, the hits in bold
    html = result_html(hit, "#888888", "#b5472b")
    assert "<b" in html and hit.article.source in html and hit.article.date in html
    target = hit.article.id
    body = sample_lib.article(target).body
    with qtbot.waitSignal(w.runner.finished_request, timeout=30000,
                          check_params_cb=lambda ch, *_: ch == "spans"):
        panel.open_row(0)
    assert w.reader.article_id == target
    spans = w.reader.search_spans
    assert len(spans) == body.count("修表")
    assert all(body[s:e] == "修表" for s, e in spans)
    # the marks survive a re-layout (theme, font size)
    w.set_theme("dark")
    w.reader.zoom_in()
    assert w.reader.search_spans == spans
    close_window(w)


def test_keyboard_from_field_to_results(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    w.focus_search()
    panel = w.search_panel
    with qtbot.waitSignal(panel.results_ready, timeout=60000):
        panel.set_query("滨河")
    assert len(panel.hits) >= 2
    QTest.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.view.hasFocus() and panel.view.currentIndex().row() == 0
    QTest.keyClick(panel.view, Qt.Key.Key_Down)
    with qtbot.waitSignal(w.article_opened, timeout=10000) as sig:
        QTest.keyClick(panel.view, Qt.Key.Key_Return)
    assert sig.args[0] == panel.hits[1].article.id
    close_window(w)


def test_stale_queries_are_dropped(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    panel = w.search_panel
    seen = []
    panel.results_ready.connect(seen.append)
    # both requests are made before any result can be delivered to the GUI thread
    panel.set_query("图书馆")
    panel.set_query("修表匠")
    qtbot.waitUntil(lambda: bool(seen), timeout=60000)
    # results come back in request order, so the first query's (if it ran) came before
    assert len(seen) == 1
    assert [h.article.title for h in panel.hits] == ["老街上的修表匠：四十年只做一件事"]
    close_window(w)


def test_runner_skips_requests_overtaken_before_they_ran(qtbot, lib):  # noqa: F811
    runner = QueryRunner(lib)
    gate = threading.Event()
    ran = []
    runner.request("a", lambda _l: gate.wait(10))
    qtbot.waitUntil(lambda: not runner._pending)  # the first one is running
    for i in range(5):
        runner.request("b", lambda _l, i=i: ran.append(i) or i)
    with qtbot.waitSignal(runner.finished_request, timeout=10000,
                          check_params_cb=lambda ch, *_: ch == "b") as sig:
        gate.set()
    assert ran == [4]
    assert sig.args[2] is True and sig.args[3] == 4
    assert runner.is_latest("b", sig.args[1])
    runner.stop()


def test_query_error_is_shown_inline(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    w.focus_search()
    panel = w.search_panel
    with qtbot.waitSignal(panel.query_failed, timeout=60000) as sig:
        panel.set_query("(天津 OR")
    assert sig.args[0]
    assert panel.error.isVisible()
    assert sig.args[0] in panel.error.text()
    assert panel.hits == []
    # a good query clears the message
    with qtbot.waitSignal(panel.results_ready, timeout=60000):
        panel.set_query("天津 OR 滨河")
    assert not panel.error.isVisible()
    close_window(w)


def test_a_new_note_is_searchable(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "花市")
    body = sample_lib.article(aid).body
    i = body.index("兰花")
    w = open_window(qtbot, sample_lib, settings_file)
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=30000):
        w.worker.write(lambda lib_: lib_.add_highlight(aid, i, i + 2, note="窗台上的蝴蝶兰"))
    with qtbot.waitSignal(w.search_panel.results_ready, timeout=60000):
        w.search_panel.set_query("蝴蝶兰")
    assert [h.article.id for h in w.search_panel.hits] == [aid]
    close_window(w)
