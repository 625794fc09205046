"""Managing articles and tags in the window (issue 14): the list's context menu, delete to the
trash and Ctrl+Z, the details dialog (persisted, searchable), source on several articles at once,
the "(no source)" and Trash rows, the nested tag tree with rename / merge / delete and undo."""

from __future__ import annotations

import pytest
from annotation_helpers import click_row
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
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
)

from reader.core.library import NO_SOURCE, TRASH, ArticleFilter

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def listed_ids(w) -> list[int]:  # noqa: ANN001
    m = w.list_pane.model
    return [m.article_at(r).id for r in range(m.rowCount())]


def ok(dialog) -> None:  # noqa: ANN001
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def press_undo(qtbot, w) -> None:  # noqa: ANN001
    """Ctrl+Z as the user presses it, in the article list."""
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    w.list_pane.view.setFocus()
    index = w.undo_stack.index()
    qtbot.keyClick(w.list_pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.undo_stack.index() == index - 1


def test_delete_to_trash_and_undo(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    aid = article_id(sample_lib, "修表匠")
    assert w.list_pane.select_article(aid, quiet=False)
    qtbot.waitUntil(lambda: w.reader.article_id == aid, timeout=5000)
    # the right click shows the menu with the management entries
    view = w.list_pane.view
    rect = view.visualRect(w.list_pane.model.index(w.list_pane.model.row_of(aid), 0))
    view.customContextMenuRequested.emit(rect.center())
    texts = [a.text() for a in w.article_manager.menu.actions() if not a.isSeparator()]
    assert texts == ["Edit details…", "Set source…", "Set date…", "Add tags…", "Move to trash"]
    w.article_manager.menu.close()

    dict(w.article_manager.menu_actions([aid]))["Move to trash"]()
    qtbot.waitUntil(lambda: aid not in listed_ids(w), timeout=10000)
    wait_idle(qtbot, w)
    assert sample_lib.count_articles() == 5
    assert [e.article.id for e in sample_lib.trash()] == [aid]
    assert w.reader.article_id != aid  # the reader left the deleted article
    qtbot.waitUntil(lambda: w.sidebar.source_counts().get(TRASH) == 1, timeout=5000)
    assert "trash" in w.last_message

    press_undo(qtbot, w)
    qtbot.waitUntil(lambda: aid in listed_ids(w), timeout=10000)
    assert sample_lib.trash() == []
    assert sample_lib.count_articles() == 6
    qtbot.waitUntil(lambda: TRASH not in w.sidebar.source_counts(), timeout=5000)
    close_window(w)


def test_edit_details_persisted_searchable_and_undone(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    aid = article_id(sample_lib, "社区食堂")
    old = sample_lib.article(aid)
    dlg = w.article_manager.edit_details([aid])
    assert set(dlg.edits) == {"title", "subtitle", "source", "date", "byline", "url"}
    assert dlg.edits["title"].text() == old.title
    dlg.set_value("date", "2026-2-30")
    ok(dlg)
    assert dlg.isVisible() and "not a date" in dlg.problem.text()  # kept open, nothing saved
    dlg.set_value("date", "2026-3-9")
    dlg.set_value("title", "社区食堂的小份菜受欢迎")
    dlg.set_value("byline", "记者 苏青禾")
    ok(dlg)
    assert not dlg.isVisible()
    qtbot.waitUntil(lambda: sample_lib.article(aid).title == "社区食堂的小份菜受欢迎",
                    timeout=10000)
    wait_idle(qtbot, w)
    art = sample_lib.article(aid)
    assert (art.date, art.byline, art.source) == ("2026-03-09", "记者 苏青禾", old.source)
    hits, _n = sample_lib.search("小份菜受欢迎")
    assert [h.article.id for h in hits] == [aid]
    qtbot.waitUntil(lambda: w.list_pane.model.article_at(
        w.list_pane.model.row_of(aid)).title == "社区食堂的小份菜受欢迎", timeout=5000)

    press_undo(qtbot, w)
    qtbot.waitUntil(lambda: sample_lib.article(aid).title == old.title, timeout=10000)
    assert sample_lib.article(aid).date == old.date
    close_window(w)


def test_set_source_on_three_selected_articles(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    view = w.list_pane.view
    click_row(qtbot, view, 0)
    click_row(qtbot, view, 1, Qt.KeyboardModifier.ControlModifier)
    click_row(qtbot, view, 3, Qt.KeyboardModifier.ControlModifier)
    ids = w.list_pane.selected_ids()
    assert len(ids) == 3
    actions = dict(w.article_manager.menu_actions(ids))
    assert "Edit details of 3 articles…" in actions
    actions["Set source…"]()
    dlg = w.article_manager.dialog
    assert list(dlg.edits) == ["source"]
    dlg.set_value("source", "江城晚报")
    ok(dlg)
    qtbot.waitUntil(lambda: w.sidebar.source_counts().get("江城晚报") == 3, timeout=10000)
    assert {sample_lib.article(i).source for i in ids} == {"江城晚报"}
    assert sample_lib.count_articles(ArticleFilter(source="江城晚报")) == 3
    # one undo takes back all three
    press_undo(qtbot, w)
    qtbot.waitUntil(lambda: "江城晚报" not in w.sidebar.source_counts(), timeout=10000)
    assert sample_lib.count_articles(ArticleFilter(source="江城晚报")) == 0
    close_window(w)


def test_no_source_row_filters_the_list(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "花市")
    sample_lib.edit_article([aid], source="", date="")
    w = open_window(qtbot, sample_lib, settings_file)
    sb = w.sidebar
    row = sb.source_model.row_of(NO_SOURCE)
    assert row > 0 and sb.source_counts()[NO_SOURCE] == 1  # enabled: it counts and clicks
    with qtbot.waitSignal(sb.source_selected, timeout=2000) as sig:
        click_row(qtbot, sb.source_view, row)
    assert sig.args == [NO_SOURCE]
    qtbot.waitUntil(lambda: listed_ids(w) == [aid], timeout=5000)
    assert "without a source" in w.list_pane.scope.text()
    assert sample_lib.count_articles(ArticleFilter(undated=True)) == 1
    close_window(w)


def test_trash_row_restore_and_empty(qtbot, sample_lib, settings_file):  # noqa: F811
    a = article_id(sample_lib, "修表匠")
    b = article_id(sample_lib, "图书馆")
    sample_lib.delete_articles([a, b])
    w = open_window(qtbot, sample_lib, settings_file)
    sb = w.sidebar
    assert sb.source_counts()[TRASH] == 2
    click_row(qtbot, sb.source_view, sb.source_model.row_of(TRASH))
    qtbot.waitUntil(lambda: sorted(listed_ids(w)) == sorted([a, b]), timeout=5000)
    assert w.list_pane.trash_bar.isVisible()
    texts = [t for t, _f in w.article_manager.menu_actions([a]) if t]
    assert texts == ["Restore", "Delete for good…", "Empty trash…"]
    w.list_pane.select_article(a)
    w.list_pane.restore_button.click()
    qtbot.waitUntil(lambda: listed_ids(w) == [b], timeout=10000)
    assert a in {x.id for x in sample_lib.articles()}
    w.list_pane.empty_trash_button.click()
    box = w.article_manager.dialog
    assert isinstance(box, QMessageBox) and "1 article" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: TRASH not in sb.source_counts(), timeout=10000)
    assert sample_lib.trash() == []
    assert sample_lib.count_articles() == 5
    qtbot.waitUntil(lambda: sb.current_source() == "", timeout=5000)  # back to all sources
    close_window(w)


@pytest.fixture
def tagged(sample_lib):  # noqa: F811
    a1 = article_id(sample_lib, "修表匠")
    a2 = article_id(sample_lib, "花市")
    sample_lib.set_article_tags(a1, ["政策/京津冀"])
    h = sample_lib.add_highlight(a2, 0, 4, tags=["政策/长三角"])
    return sample_lib, a1, a2, h.uuid


def test_nested_tags_tree_and_parent_recall(qtbot, tagged, settings_file):  # noqa: F811
    lib_, a1, a2, uuid = tagged
    w = open_window(qtbot, lib_, settings_file)
    sb = w.sidebar
    parent = sb.tag_model.index_of("政策")
    child = sb.tag_model.index_of("政策/京津冀")
    assert parent.isValid() and child.parent() == parent
    assert child.data() == "京津冀"  # the last level, under its parent
    assert sb.tag_counts()["政策"] == (1, 1)
    proxy_parent = sb.tag_proxy.mapFromSource(parent)
    assert sb.tag_view.isExpanded(proxy_parent)
    with qtbot.waitSignal(sb.tags_selected, timeout=2000) as sig:
        rect = sb.tag_view.visualRect(proxy_parent)
        qtbot.mouseClick(sb.tag_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [["政策"]]
    qtbot.waitUntil(lambda: sorted(listed_ids(w)) == sorted([a1, a2]), timeout=5000)
    assert [h.uuid for h in lib_.highlights(tags=["政策"])] == [uuid]
    close_window(w)


def test_rename_merge_delete_tags_with_undo(qtbot, tagged, settings_file):  # noqa: F811
    lib_, a1, a2, uuid = tagged
    w = open_window(qtbot, lib_, settings_file)
    sb = w.sidebar

    # rename the parent: the children follow
    dict(sb.menu_actions_for("政策"))["Rename…"]()
    dlg = w.article_manager.dialog
    text = " ".join(lbl.text() for lbl in dlg.findChildren(QLabel))
    assert "1 article(s) and 1 highlight(s)" in text and "2 tag(s) under it" in text
    dlg.findChild(QLineEdit, "tagName").setText("时政")
    ok(dlg)
    qtbot.waitUntil(lambda: "时政/京津冀" in sb.tag_counts(), timeout=10000)
    assert lib_.article(a1).tags == ["时政/京津冀"]
    assert lib_.highlight(uuid).tags == ["时政/长三角"]
    press_undo(qtbot, w)
    qtbot.waitUntil(lambda: "政策/京津冀" in sb.tag_counts(), timeout=10000)
    assert lib_.highlight(uuid).tags == ["政策/长三角"]

    # merge one child into the other
    dict(sb.menu_actions_for("政策/长三角"))["Merge into…"]()
    dlg = w.article_manager.dialog
    dlg.findChild(QComboBox, "mergeTarget").setCurrentText("政策/京津冀")
    ok(dlg)
    qtbot.waitUntil(lambda: "政策/长三角" not in sb.tag_counts(), timeout=10000)
    assert lib_.highlight(uuid).tags == ["政策/京津冀"]
    assert sb.tag_counts()["政策/京津冀"] == (1, 1)
    press_undo(qtbot, w)
    qtbot.waitUntil(lambda: "政策/长三角" in sb.tag_counts(), timeout=10000)

    # delete the parent with its children, counts in the question
    dict(sb.menu_actions_for("政策"))["Delete…"]()
    box = w.article_manager.dialog
    assert isinstance(box, QMessageBox)
    assert "1 article(s) and 1 highlight(s)" in box.text() and "2 tag(s)" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: sb.tag_counts() == {}, timeout=10000)
    assert lib_.article(a1).tags == [] and lib_.highlight(uuid).tags == []
    press_undo(qtbot, w)
    qtbot.waitUntil(lambda: "政策/长三角" in sb.tag_counts(), timeout=10000)
    assert lib_.article(a1).tags == ["政策/京津冀"]
    assert lib_.highlight(uuid).tags == ["政策/长三角"]
    close_window(w)


def test_delete_key_and_add_tags_on_a_selection(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    view = w.list_pane.view
    click_row(qtbot, view, 1)
    click_row(qtbot, view, 2, Qt.KeyboardModifier.ShiftModifier)
    ids = w.list_pane.selected_ids()
    assert len(ids) == 2
    # several articles: the details dialog offers the shared fields, values that differ empty
    sample_lib.edit_article(ids[:1], byline="记者 甲")
    dlg = w.article_manager.edit_details(ids)
    assert list(dlg.edits) == ["source", "date", "byline"]
    assert dlg.edits["byline"].text() == "" and "byline" in dlg.mixed
    dlg.reject()

    dlg = w.article_manager.add_tags_dialog(ids)
    dlg.findChild(QLineEdit, "addTags").set_tags(["政策/京津冀"])
    ok(dlg)
    qtbot.waitUntil(lambda: all(sample_lib.article(i).tags == ["政策/京津冀"] for i in ids),
                    timeout=10000)
    qtbot.waitUntil(lambda: "政策" in w.sidebar.tag_counts(), timeout=5000)
    assert w.sidebar.tag_counts()["政策"] == (2, 0)

    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    view.setFocus()
    assert sorted(w.list_pane.selected_ids()) == sorted(ids)  # kept across the reload
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not set(ids) & set(listed_ids(w)), timeout=10000)
    assert {e.article.id for e in sample_lib.trash()} == set(ids)
    qtbot.waitUntil(lambda: "政策" not in w.sidebar.tag_counts(), timeout=5000)  # trash: no count
    press_undo(qtbot, w)
    qtbot.waitUntil(lambda: set(ids) <= set(listed_ids(w)), timeout=10000)
    assert sample_lib.trash() == []
    close_window(w)


def test_all_articles_in_the_trash_keep_the_main_page(qtbot, sample_lib, settings_file):  # noqa: F811
    sample_lib.delete_articles([a.id for a in sample_lib.articles()])
    w = open_window(qtbot, sample_lib, settings_file)
    assert not w.showing_empty_state
    assert w.sidebar.source_counts()[TRASH] == 6
    click_row(qtbot, w.sidebar.source_view, w.sidebar.source_model.row_of(TRASH))
    qtbot.waitUntil(lambda: len(listed_ids(w)) == 6, timeout=5000)
    close_window(w)
