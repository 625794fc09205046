"""The main window: empty state and sample library, import (menu and drop), filters, opening,
persistence across a restart, merge/split, the shortcuts dialog."""

from __future__ import annotations

import json
import threading

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    article_id,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_at,
    settings_file,  # noqa: F401  (fixture)
    wait_idle,
)
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from reader.core.library import ArticleFilter
from reader.ui.article_model import COL_TITLE, ArticleIdRole
from reader.ui.main_window import PAGE_EMPTY, PAGE_MAIN, TAB_ARTICLES, TAB_RECALL, MainWindow

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def _wechat_file(path, items):  # noqa: ANN001
    data = [
        {"文章标识符aid": aid, "标题title": title, "时间time": date, "公众号名称": source,
         "finalContent": body, "链接url": f"https://example.invalid/{aid}"}
        for aid, title, date, source, body in items
    ]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------ empty state, samples, import
def test_empty_library_shows_welcome_then_sample_library_fills_it(qtbot, lib, settings_file):  # noqa: F811
    w = open_window(qtbot, lib, settings_file)
    assert w.showing_empty_state
    assert w.stack.currentIndex() == PAGE_EMPTY
    assert w.empty.sample_button.isVisible() and w.empty.import_button.isVisible()
    with qtbot.waitSignal(w.import_finished, timeout=60000) as sig:
        w.empty.sample_button.click()
    summary = sig.args[0]
    assert summary.count("added") == 6
    assert w.stack.currentIndex() == PAGE_MAIN
    assert w.list_pane.model.total == 6
    # the first article is opened for the reader
    assert w.reader.article_id is not None
    dlg = w.import_dialog
    assert dlg.report.topLevelItemCount() == 2
    assert "6" in dlg.heading.text()
    close_window(w)


def test_import_reports_added_unchanged_and_failed_with_reasons(qtbot, sample_lib, settings_file, tmp_path):  # noqa: F811
    f = _wechat_file(tmp_path / "new.json", [
        ("9001_1", "新文章一", "2026-04-01", "测试号", "第一段正文。\r第二段正文。"),
    ])
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    w = open_window(qtbot, sample_lib, settings_file)
    with qtbot.waitSignal(w.import_finished, timeout=60000) as sig:
        dlg = w.start_import([str(f), str(bad), str(tmp_path / "nope.txt")])
    summary = sig.args[0]
    statuses = {r.path.rsplit("/", 1)[-1]: r for r in summary.files}
    assert statuses["new.json"].status == "added"
    assert statuses["nope.txt"].status == "failed" and statuses["nope.txt"].reason
    assert dlg.report.topLevelItemCount() == len(summary.files)
    reasons = [dlg.report.topLevelItem(i).text(2) for i in range(dlg.report.topLevelItemCount())]
    assert any("no such file" in r for r in reasons)
    assert w.list_pane.model.total == 7
    close_window(w)


def test_import_can_be_cancelled(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    files = [
        _wechat_file(tmp_path / f"f{i}.json",
                     [(f"{i}_1", f"标题{i}", "2026-01-01", "号", f"正文{i}。")])
        for i in range(40)
    ]
    w = open_window(qtbot, lib, settings_file)
    # hold the worker so the cancel is seen before the import starts
    gate = threading.Event()
    w.worker.write(lambda _lib: gate.wait(10))
    with qtbot.waitSignal(w.import_finished, timeout=60000) as sig:
        dlg = w.start_import([str(p) for p in files])
        dlg.cancel()
        gate.set()
    summary = sig.args[0]
    assert summary.cancelled
    assert len(summary.files) < 40
    close_window(w)


def test_dropping_files_on_the_window_imports_them(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    f = _wechat_file(tmp_path / "drop.json", [
        ("7001_1", "拖进来的文章", "2026-02-02", "拖放号", "正文第一段。\r正文第二段。"),
    ])
    w = open_window(qtbot, lib, settings_file)
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(f))])
    pos = QPointF(w.width() / 2, w.height() / 2)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, md,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(w.import_finished, timeout=60000):
        QApplication.sendEvent(w, drop)
    assert drop.isAccepted()
    assert w.stack.currentIndex() == PAGE_MAIN
    assert [a.title for a in lib.articles()] == ["拖进来的文章"]
    close_window(w)


def test_drag_without_files_is_refused(qtbot, lib, settings_file):  # noqa: F811
    w = open_window(qtbot, lib, settings_file)
    md = QMimeData()
    md.setText("just text")
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, md,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, enter)
    assert not enter.isAccepted()
    close_window(w)


# ------------------------------------------------------------------ list: filter, sort, open
def test_filter_by_source_tag_date_unread_and_title(qtbot, sample_lib, settings_file):  # noqa: F811
    lib_ = sample_lib
    watch = article_id(lib_, "修表匠")
    lib_.set_article_tags(watch, ["人物"])
    lib_.set_read(article_id(lib_, "花市"), True)
    w = open_window(qtbot, lib_, settings_file)
    pane = w.list_pane
    assert pane.model.total == 6
    w.sidebar.source_selected.emit("晨光日报")
    assert pane.model.total == 3
    assert {pane.model.article_at(r).source for r in range(pane.model.rowCount())} == {"晨光日报"}
    assert "3" in pane.count.text() and "6" in pane.count.text()
    w.sidebar.source_selected.emit("")
    w.sidebar.tags_selected.emit(["人物"])
    assert pane.model.total == 1 and pane.model.article_at(0).id == watch
    w.sidebar.tags_selected.emit([])
    pane.date_from.set_iso("2026-03-11")
    pane.date_to.set_iso("2026-03-11")
    assert [pane.model.article_at(r).title[:4] for r in range(pane.model.rowCount())] == ["春季花市"]
    pane.date_from.set_iso("")
    pane.date_to.set_iso("")
    pane.unread.setChecked(True)
    assert pane.model.total == 5
    pane.unread.setChecked(False)
    pane.text.setText("河")
    qtbot.waitUntil(lambda: pane.model.total == 3)
    pane.clear_filters()
    assert pane.model.total == 6 and pane.text.text() == ""
    close_window(w)


def test_sorting_by_columns_asks_the_library(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    pane = w.list_pane
    pane.view.sortByColumn(COL_TITLE, Qt.SortOrder.AscendingOrder)
    titles = [pane.model.article_at(r).title for r in range(pane.model.rowCount())]
    expect = [a.title for a in sample_lib.articles(order="title", descending=False)]
    assert titles == expect
    pane.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    dates = [pane.model.article_at(r).date for r in range(pane.model.rowCount())]
    assert dates == sorted(dates)
    close_window(w)


def test_selecting_a_row_opens_the_article_and_next_previous_move(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    pane = w.list_pane
    idx = pane.model.index(2, 0)
    with qtbot.waitSignal(w.article_opened):
        pane.view.setCurrentIndex(idx)
    assert w.reader.article_id == idx.data(ArticleIdRole)
    assert w.reader.article.title in w.windowTitle()
    with qtbot.waitSignal(w.article_opened):
        w.act_next_article.trigger()
    assert w.reader.article_id == pane.model.article_at(3).id
    with qtbot.waitSignal(w.article_opened):
        w.act_prev_article.trigger()
    assert w.reader.article_id == pane.model.article_at(2).id
    close_window(w)


def test_toggle_read_and_article_tags(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    aid = article_id(sample_lib, "图书馆")
    w.open_article(aid, select=True)
    assert not sample_lib.article(aid).read
    with qtbot.waitSignal(w.signals.article_changed, timeout=10000):
        w.act_toggle_read.trigger()
    assert sample_lib.article(aid).read
    row = w.list_pane.model.row_of(aid)
    assert w.list_pane.model.data(w.list_pane.model.index(row, 4)) == ""
    with qtbot.waitSignal(w.signals.article_changed, timeout=10000):
        w.set_article_tags(aid, ["公共服务", "夜读"])
    assert sample_lib.article(aid).tags == ["公共服务", "夜读"]
    wait_idle(qtbot, w)
    close_window(w)


# ------------------------------------------------------------------ persistence
def test_window_state_is_restored_after_a_restart(qtbot, sample_lib, settings_file):  # noqa: F811
    # the offscreen screen is 800×600: a restored geometry is kept within it
    w = open_window(qtbot, sample_lib, settings_file, size=(790, 560))
    aid = article_id(sample_lib, "修表匠")
    w.open_article(aid, select=True)
    w.reader.set_font_px(21)
    w.set_theme("sepia")
    w.splitter.setSizes([160, 300, 330])
    sizes = w.splitter.sizes()
    w.act_annotations.trigger()  # hide the annotations panel
    w.list_pane.view.sortByColumn(COL_TITLE, Qt.SortOrder.AscendingOrder)
    # scroll down a little so there is a reading position to remember
    w.resize(790, 420)
    qtbot.waitUntil(lambda: w.reader.text.verticalScrollBar().maximum() > 0)
    bar = w.reader.text.verticalScrollBar()
    bar.setValue(bar.maximum())
    pos = w.reader.current_position()
    assert pos > 0
    size = w.size()
    sizes = w.splitter.sizes()  # as fitted to the window (the reading column keeps its minimum)
    close_window(w)
    qtbot.waitUntil(lambda: sample_lib.article(aid).position == pos, timeout=10000)

    w2 = MainWindow(sample_lib, settings=settings_at(settings_file))
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitExposed(w2)
    assert w2.size() == size
    assert w2.reader.article_id == aid
    assert w2.reader.font_px == 21
    assert w2.theme_name == "sepia"
    qtbot.waitUntil(lambda: w2.splitter.sizes() == sizes)
    assert not w2.annotations.isVisible()
    assert w2.list_pane.model.sort_column == COL_TITLE
    assert w2.list_pane.current_article_id() == aid

    assert abs(w2.reader.current_position() - pos) <= 40
    close_window(w2)


def test_reading_position_restored_when_reopening_an_article(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file, size=(1300, 420))
    a = article_id(sample_lib, "修表匠")
    b = article_id(sample_lib, "图书馆")
    w.open_article(a, select=True)
    qtbot.waitUntil(lambda: w.reader.text.verticalScrollBar().maximum() > 0)
    w.reader.text.verticalScrollBar().setValue(w.reader.text.verticalScrollBar().maximum() // 2)
    pos = w.reader.current_position()
    assert pos > 0
    w.open_article(b, select=True)  # leaving saves the place
    qtbot.waitUntil(lambda: sample_lib.article(a).position == pos, timeout=10000)
    w.open_article(a, select=True)
    assert abs(w.reader.current_position() - pos) <= 40
    close_window(w)


# ------------------------------------------------------------------ merge / split
def test_merge_with_previous_then_split_back_keeps_highlights(qtbot, sample_lib, settings_file):  # noqa: F811
    lib_ = sample_lib
    first = article_id(lib_, "二号线")  # page articles: 二号线 then 步道 on the same page
    second = article_id(lib_, "步道")
    body = lib_.article(second).body
    i = body.index("三棵百年老槐树")
    h = lib_.add_highlight(second, i, i + 7, color="green", note="老树")
    w = open_window(qtbot, lib_, settings_file)
    w.open_article(second, select=True)
    with qtbot.waitSignal(w.article_opened, timeout=30000):
        w.act_merge.trigger()
    assert w.reader.article_id == first
    merged = lib_.article(first).body
    assert "河畔步道今春完成改造" in merged
    moved = lib_.highlight(h.uuid)
    assert moved.article_id == first and moved.quote == "三棵百年老槐树" and not moved.orphan
    assert w.list_pane.model.total == 5
    assert "joined" in w.last_message
    # split the merged article again at its old headline
    w.reader.set_cursor_offset(merged.index("河畔步道今春完成改造") + 2)
    with qtbot.waitSignal(w.article_opened, timeout=30000):
        w.act_split.trigger()
    new_id = w.reader.article_id
    assert new_id != first
    assert w.reader.article.title == "河畔步道今春完成改造"
    back = lib_.highlight(h.uuid)
    assert back.article_id == new_id and back.quote == "三棵百年老槐树" and not back.orphan
    assert "三棵百年老槐树" not in lib_.article(first).body
    assert w.list_pane.model.total == 6
    assert w.list_pane.current_article_id() == new_id
    # the reader draws the moved highlight where its text now is
    assert [(s.start, s.end) for s in w.reader.segments] == [(back.start, back.end)]
    close_window(w)


def test_split_a_wechat_article_at_the_cursor_line(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    w.reader.set_cursor_offset(body.index("这些年") + 3)  # anywhere in the line
    with qtbot.waitSignal(w.article_opened, timeout=30000):
        w.act_split.trigger()
    assert w.reader.article.title.startswith("这些年")
    assert "这些年" not in sample_lib.article(aid).body
    assert w.list_pane.model.total == 7
    close_window(w)


def test_split_in_the_header_explains_instead(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(article_id(sample_lib, "修表匠"), select=True)
    cur = w.reader.text.textCursor()
    cur.setPosition(1)  # inside the title
    w.reader.text.setTextCursor(cur)
    w.act_split.trigger()
    assert "line" in w.last_message
    assert w.list_pane.model.total == 6
    close_window(w)


def test_merge_without_previous_article_reports_the_reason(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(article_id(sample_lib, "图书馆"), select=True)  # a WeChat article
    with qtbot.waitSignal(w.notice, timeout=10000):
        w.act_merge.trigger()
    assert "previous" in w.last_message
    close_window(w)


# ------------------------------------------------------------------ help
def test_shortcuts_dialog_lists_every_shortcut(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    dlg = w.show_shortcuts()
    qtbot.waitExposed(dlg)
    listed = {keys for _g, _d, keys in dlg.rows}
    text = " | ".join(listed)
    for act in w.actions():
        for seq in act.shortcuts():
            if not seq.isEmpty():
                assert seq.toString(QKeySequence.SequenceFormat.NativeText) in text, act.text()
    for needle in ("Ctrl+K", "Ctrl+F", "Ctrl+=", "Ctrl+-", "1", "6", "Ctrl+Shift+M"):
        assert needle in text
    dlg.filter.setText("Ctrl+K")
    visible = [dlg.tree.topLevelItem(i) for i in range(dlg.tree.topLevelItemCount())
               if not dlg.tree.topLevelItem(i).isHidden()]
    assert visible and all("Ctrl+K" in i.text(1) for i in visible)
    dlg.close()
    close_window(w)


def test_view_shortcuts_switch_tabs_and_zoom(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    w.act_tab_recall.trigger()
    assert w.tabs.currentIndex() == TAB_RECALL
    w.act_tab_articles.trigger()
    assert w.tabs.currentIndex() == TAB_ARTICLES
    px = w.reader.font_px
    w.act_zoom_in.trigger()
    assert w.reader.font_px == px + 1
    w.act_zoom_out.trigger()
    w.act_zoom_out.trigger()
    assert w.reader.font_px == px - 1
    w.act_zoom_reset.trigger()
    assert w.reader.font_px == 17
    close_window(w)


def test_recall_from_sidebar_opens_recall_tab(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    i = body.index("修表急不得")
    h = sample_lib.add_highlight(aid, i, i + 5, tags=["手艺"])
    w = open_window(qtbot, sample_lib, settings_file)
    w.recall_tags(["手艺"])
    assert w.tabs.currentIndex() == TAB_RECALL
    qtbot.waitUntil(lambda: [x.uuid for x in w.recall.highlights()] == [h.uuid])
    with qtbot.waitSignal(w.article_opened):
        w.recall.open_highlight.emit(aid, h.uuid)
    assert w.reader.article_id == aid
    assert w.reader.flashing == (i, i + 5)
    close_window(w)


def test_library_filter_model_counts_match(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    assert w.list_pane.model.total == sample_lib.count_articles(ArticleFilter())
    close_window(w)


def test_article_tags_dialog(qtbot, sample_lib, settings_file):  # noqa: F811
    from PySide6.QtGui import QInputMethodEvent

    aid = article_id(sample_lib, "花市")
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    w.act_article_tags.trigger()
    dlg = w.tag_dialog
    qtbot.waitExposed(dlg)
    ev = QInputMethodEvent("", [])
    ev.setCommitString("花卉，周末")
    QApplication.sendEvent(w.tag_dialog_edit, ev)
    with qtbot.waitSignal(w.signals.article_changed, timeout=20000):
        dlg.accept()
    assert sample_lib.article(aid).tags == ["周末", "花卉"]
    qtbot.waitUntil(lambda: "#花卉" in w.reader.text.document().toPlainText())
    w.sidebar.tags_selected.emit(["花卉"])
    assert w.list_pane.model.total == 1
    wait_idle(qtbot, w)
    close_window(w)


def test_a_failed_import_is_reported_and_the_next_one_runs(qtbot, lib, settings_file, tmp_path, monkeypatch):  # noqa: F811
    w = open_window(qtbot, lib, settings_file)

    def boom(*_a, **_k):
        raise OSError("disk on fire")

    monkeypatch.setattr(type(lib), "import_paths", boom)
    with qtbot.waitSignal(w.import_finished, timeout=30000) as sig:
        dlg = w.start_import([str(tmp_path)])
    assert sig.args[0] is None
    assert "disk on fire" in dlg.current.text()
    assert not dlg.running
    monkeypatch.undo()
    with qtbot.waitSignal(w.import_finished, timeout=60000) as sig:
        assert w.load_samples() is not None
    assert sig.args[0].count("added") == 6
    close_window(w)


@pytest.mark.parametrize("target", ["reader", "list", "search"])
def test_files_dropped_on_any_pane_reach_the_window(qtbot, sample_lib, settings_file, tmp_path, target):  # noqa: F811
    f = _wechat_file(tmp_path / "drop2.json", [
        ("7101_1", "落在面板上的文章", "2026-02-03", "拖放号", "正文。"),
    ])
    w = open_window(qtbot, sample_lib, settings_file)
    widget = {"reader": w.reader.text.viewport(), "list": w.list_pane.view.viewport(),
              "search": w.search_panel.view.viewport()}[target]
    if target == "search":
        w.show_tab(1)
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(f))])
    pos = QPointF(20, 20)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, md,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(w.import_finished, timeout=60000):
        QApplication.sendEvent(widget, drop)
    assert any(a.title == "落在面板上的文章" for a in sample_lib.articles())
    # the reader's text is never changed by a drop
    assert "drop2" not in w.reader.text.document().toPlainText()
    close_window(w)
