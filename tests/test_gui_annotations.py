"""The highlight editor, the tag field and the annotations panel against a real library."""

from __future__ import annotations

import pytest
from annotation_helpers import (
    ARTICLE_ONE,
    ARTICLE_TWO,
    click_row,
    commit_text,
    env_fixture,  # noqa: F401  (the env fixture)
    index_available,
    show,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from reader.ui.annotations_panel import AnnotationsPanel
from reader.ui.highlight_editor import HighlightEditor
from reader.ui.tag_edit import TagEdit, split_tags

# The offscreen platform cannot raise or grab (the completer's popup) nor propagate a window's
# size hints (a shown top-level widget whose minimum size changes); it says so as warnings.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def completions(edit: TagEdit) -> list[str]:
    model = edit.tag_completer().completionModel()
    return [model.index(i, 0).data() for i in range(model.rowCount())]


@pytest.fixture
def editor(env, qtbot):
    stack = QUndoStack()
    ed = HighlightEditor(env.lib, env.worker, env.signals, stack, popup=False)
    qtbot.addWidget(ed)
    ed.stack_ref = stack
    return ed


# ---------------------------------------------------------------------- tag field
def test_split_tags_accepts_chinese_and_latin_separators():
    assert split_tags("经济、政策，城市; #住房  data,,") == ["经济", "政策", "城市", "住房", "data"]
    assert split_tags("经济, 经济") == ["经济"]


def test_tag_edit_commits_on_separator_typed_by_input_method(qtbot):
    edit = TagEdit()
    qtbot.addWidget(edit)
    show(edit)
    with qtbot.waitSignal(edit.tags_changed, timeout=2000) as sig:
        commit_text(edit, "经济、")
    assert sig.args == [["经济"]]
    with qtbot.waitSignal(edit.tags_changed, timeout=2000) as sig:
        commit_text(edit, "政策，")
    assert sig.args == [["经济", "政策"]]


def test_tag_edit_offers_existing_tags_containing_what_is_typed(env, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    env.highlight(aid, "老旧小区改造", tags=["城市更新", "住房"])
    env.highlight(aid, "资金从哪里来", tags=["财经"])
    edit = TagEdit(library=env.lib, signals=env.signals)
    qtbot.addWidget(edit)
    show(edit)
    assert edit.known_tags() == ["住房", "城市更新", "财经"]
    commit_text(edit, "城市")
    qtbot.waitUntil(lambda: edit.tag_completer().popup().isVisible(), timeout=2000)
    assert completions(edit) == ["城市更新"]
    # picking the completion replaces the typed part and commits the tag
    with qtbot.waitSignal(edit.tags_changed, timeout=2000) as sig:
        edit.tag_completer().activated[str].emit("城市更新")
    assert sig.args == [["城市更新"]]
    assert edit.text().startswith("城市更新")
    # a tag already in the field is not offered again
    commit_text(edit, "住")
    assert completions(edit) == ["住房"]
    edit.set_tags(["城市更新", "住房"])
    edit.setCursorPosition(len(edit.text()))
    commit_text(edit, ", 城")
    assert "城市更新" not in completions(edit)


def test_tag_edit_completion_chosen_with_the_keyboard(env, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    env.highlight(aid, "老旧小区改造", tags=["城市更新", "城市治理"])
    edit = TagEdit(library=env.lib, signals=env.signals)
    qtbot.addWidget(edit)
    show(edit)
    edit.setFocus()
    commit_text(edit, "治")
    popup = edit.tag_completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    assert completions(edit) == ["城市治理"]
    with qtbot.waitSignal(edit.tags_changed, timeout=2000) as sig:
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert sig.args == [["城市治理"]]
    assert not popup.isVisible()


def test_tag_edit_picks_up_new_library_tags(env, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    edit = TagEdit(library=env.lib, signals=env.signals)
    qtbot.addWidget(edit)
    assert edit.known_tags() == []
    with qtbot.waitSignal(env.signals.tags_changed, timeout=10000):
        env.worker.write(lambda lib: lib.set_article_tags(aid, ["城市"]))
    assert edit.known_tags() == ["城市"]


# ---------------------------------------------------------------------- editor
def test_editor_changes_colour_saved_at_once_and_undoable(env, editor, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    h = env.highlight(aid, "老旧小区改造", color="yellow")
    assert editor.edit(h.uuid)
    assert editor.swatches["yellow"].isChecked()
    assert len(editor.swatches) >= 5
    with qtbot.waitSignal(editor.changed, timeout=10000) as sig:
        qtbot.mouseClick(editor.swatches["green"], Qt.MouseButton.LeftButton)
    assert sig.args == [h.uuid]
    assert env.lib.highlight(h.uuid).color == "green"
    assert editor.stack_ref.canUndo()
    with qtbot.waitSignal(editor.changed, timeout=10000):
        editor.stack_ref.undo()
    assert env.lib.highlight(h.uuid).color == "yellow"
    qtbot.waitUntil(lambda: editor.swatches["yellow"].isChecked(), timeout=5000)


def test_editor_saves_note_as_typed_without_a_save_button(env, editor, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    h = env.highlight(aid, "加装电梯")
    editor.edit(h.uuid)
    show(editor)
    editor.note_edit.setFocus()
    with qtbot.waitSignal(editor.changed, timeout=10000):
        commit_text(editor.note_edit, "低层住户的顾虑值得单独调研")
    assert env.lib.highlight(h.uuid).note == "低层住户的顾虑值得单独调研"
    assert editor.status_label.text() == editor.tr("Saved")
    # a second burst of typing is saved too, once
    with qtbot.waitSignal(editor.changed, timeout=10000):
        commit_text(editor.note_edit, "，补充：采光")
    assert env.lib.highlight(h.uuid).note == "低层住户的顾虑值得单独调研，补充：采光"
    if not index_available():
        pytest.skip("index/ package has not landed: note search not checked")
    hits, _total = env.lib.search("note:调研")
    assert [hit.article.id for hit in hits] == [aid]


def test_editor_saves_pending_note_when_switching_highlight(env, editor, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    h1 = env.highlight(aid, "加装电梯")
    h2 = env.highlight(aid, "微更新")
    editor.edit(h1.uuid)
    commit_text(editor.note_edit, "先记一笔")
    assert editor.busy()
    with qtbot.waitSignal(editor.changed, timeout=10000) as sig:
        editor.edit(h2.uuid)  # flushes the note of h1 before switching
    assert sig.args == [h1.uuid]
    assert env.lib.highlight(h1.uuid).note == "先记一笔"
    assert env.lib.highlight(h2.uuid).note == ""
    assert editor.note_edit.toPlainText() == ""
    # tags typed without a separator are not lost on a switch either
    commit_text(editor.tag_edit, "电梯")
    with qtbot.waitSignal(editor.changed, timeout=10000) as sig:
        editor.edit(h1.uuid)
    assert sig.args == [h2.uuid]
    assert env.lib.highlight(h2.uuid).tags == ["电梯"]
    assert editor.tag_edit.tags() == []
    assert editor.note_edit.toPlainText() == "先记一笔"


def test_editor_edits_tags_with_autocomplete(env, editor, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    env.highlight(aid, "资金从哪里来", tags=["财政"])
    h = env.highlight(aid, "长效管理机制")
    editor.edit(h.uuid)
    show(editor)
    editor.tag_edit.setFocus()
    commit_text(editor.tag_edit, "财")
    assert completions(editor.tag_edit) == ["财政"]
    with qtbot.waitSignal(editor.changed, timeout=10000):
        editor.tag_edit.tag_completer().activated[str].emit("财政")
    assert env.lib.highlight(h.uuid).tags == ["财政"]
    with qtbot.waitSignal(editor.changed, timeout=10000):
        commit_text(editor.tag_edit, "治理，")
    assert sorted(env.lib.highlight(h.uuid).tags) == ["治理", "财政"]
    # removing a tag by editing the text, committed on Enter
    editor.tag_edit.setText("治理")
    with qtbot.waitSignal(editor.changed, timeout=10000):
        qtbot.keyClick(editor.tag_edit, Qt.Key.Key_Return)
    assert env.lib.highlight(h.uuid).tags == ["治理"]
    assert {t.name for t in env.lib.tags()} == {"治理", "财政"}


def test_editor_delete_is_undoable(env, editor, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    h = env.highlight(aid, "微更新", note="好提法", tags=["规划"])
    editor.edit(h.uuid)
    with qtbot.waitSignal(editor.deleted, timeout=10000) as sig:
        qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert sig.args == [h.uuid]
    assert env.lib.highlight(h.uuid).deleted
    assert env.lib.highlights(article_id=aid) == []
    assert editor.uuid is None and not editor.isEnabled()
    with qtbot.waitSignal(env.signals.highlights_changed, timeout=10000):
        editor.stack_ref.undo()
    back = env.lib.highlight(h.uuid)
    assert not back.deleted and back.note == "好提法" and back.tags == ["规划"]
    with qtbot.waitSignal(env.signals.highlights_changed, timeout=10000):
        editor.stack_ref.redo()
    assert env.lib.highlight(h.uuid).deleted


def test_editor_follows_changes_made_elsewhere(env, editor, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    h = env.highlight(aid, "微更新")
    editor.edit(h.uuid)
    with qtbot.waitSignal(env.signals.highlights_changed, timeout=10000):
        env.worker.write(lambda lib: lib.update_highlight(h.uuid, color="blue", tags=["规划"]))
    assert editor.swatches["blue"].isChecked()
    assert editor.tag_edit.tags() == ["规划"]
    with qtbot.waitSignal(env.signals.highlights_changed, timeout=10000):
        env.worker.write(lambda lib: lib.delete_highlight(h.uuid))
    assert editor.uuid is None


def test_editor_as_popup_saves_on_escape_and_is_not_shown_by_its_parent(env, qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QWidget

    aid = env.article("a", *ARTICLE_ONE)
    h = env.highlight(aid, "微更新")
    host = QWidget()
    qtbot.addWidget(host)
    ed = HighlightEditor(env.lib, env.worker, env.signals, QUndoStack(), host)
    host.show()
    assert ed.is_popup() and not ed.isVisible()
    assert ed.edit(h.uuid)
    ed.popup_at(QPoint(40, 40))
    assert ed.isVisible()
    commit_text(ed.note_edit, "小投入，大改善")
    with qtbot.waitSignal(ed.changed, timeout=10000):
        qtbot.keyClick(ed, Qt.Key.Key_Escape)  # closes at once; the note is saved, not lost
    assert not ed.isVisible()
    assert env.lib.highlight(h.uuid).note == "小投入，大改善"


def test_editor_rejects_unknown_highlight(env, editor):
    assert editor.edit("no-such-uuid") is False
    assert not editor.isEnabled()


# ---------------------------------------------------------------------- annotations panel
@pytest.fixture
def panel(env, qtbot):
    p = AnnotationsPanel(env.lib, env.worker, env.signals, undo_stack=QUndoStack())
    qtbot.addWidget(p)
    p.resize(360, 640)
    show(p)
    return p


def test_panel_lists_highlights_in_text_order(env, panel, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    other = env.article("b", *ARTICLE_TWO)
    env.highlight(aid, "长效管理机制", note="关键", tags=["治理"])
    env.highlight(aid, "老旧小区改造")
    env.highlight(aid, "加装电梯", color="green")
    env.highlight(other, "冷链仓储中心")
    panel.set_article(aid)
    assert [h.quote for h in panel.highlights()] == ["老旧小区改造", "加装电梯", "长效管理机制"]
    assert panel.count_label.text() == "3"
    assert panel.stack.currentWidget() is panel.view
    assert panel.orphan_box.isHidden()
    first = panel.highlights()[2]
    assert (first.note, first.tags) == ("关键", ["治理"])
    panel.set_article(None)
    assert panel.highlights() == [] and panel.stack.currentWidget() is panel.empty_label


def test_panel_click_activates_and_double_click_asks_to_edit(env, panel, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    env.highlight(aid, "老旧小区改造")
    h2 = env.highlight(aid, "加装电梯")
    panel.set_article(aid)
    with qtbot.waitSignal(panel.highlight_activated, timeout=2000) as sig:
        click_row(qtbot, panel.view, 1)
    assert sig.args == [h2.uuid]
    with qtbot.waitSignal(panel.highlight_activated, timeout=2000) as sig:
        qtbot.keyClick(panel.view, Qt.Key.Key_Up)
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert sig.args == [panel.highlights()[0].uuid]
    with qtbot.waitSignal(panel.edit_requested, timeout=2000) as sig:
        rect = panel.view.visualRect(panel.model.index(1, 0))
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [h2.uuid]
    assert panel.select_highlight(h2.uuid) and panel.current_uuid() == h2.uuid
    with qtbot.waitSignal(panel.edit_requested, timeout=2000) as sig:
        qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    assert sig.args == [h2.uuid]


def test_panel_delete_key_deletes_undoably(env, panel, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    h1 = env.highlight(aid, "老旧小区改造")
    h2 = env.highlight(aid, "加装电梯")
    panel.set_article(aid)
    panel.select_highlight(h1.uuid)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert [h.uuid for h in panel.highlights()] == [h2.uuid]
    assert env.lib.highlight(h1.uuid).deleted
    assert panel.undo_stack.undoText() == panel.tr("Delete highlight")
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.undo_stack.undo()
    assert [h.uuid for h in panel.highlights()] == [h1.uuid, h2.uuid]


def test_panel_refreshes_when_its_article_changes(env, panel, qtbot):
    aid = env.article("a", *ARTICLE_ONE)
    other = env.article("b", *ARTICLE_TWO)
    panel.set_article(aid)
    assert panel.highlights() == []
    assert panel.stack.currentWidget() is panel.empty_label
    s, e = env.span(aid, "微更新")
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        env.worker.write(lambda lib: lib.add_highlight(aid, s, e, note="新"))
    assert [h.quote for h in panel.highlights()] == ["微更新"]
    # a change to another article leaves the panel alone
    s2, e2 = env.span(other, "电商直播")
    with qtbot.waitSignal(env.signals.highlights_changed, timeout=10000):
        env.worker.write(lambda lib: lib.add_highlight(other, s2, e2))
    assert [h.quote for h in panel.highlights()] == ["微更新"]


def make_orphan(env, aid: int, path) -> None:
    """Re-import the article's file with one sentence rewritten: highlights on it lose their text."""
    title, body = ARTICLE_ONE
    path.write_text(f"{title}\n\n{body.replace('加装电梯往往卡在低层住户的顾虑上', '方案几经讨论终于通过')}\n",
                    encoding="utf-8")
    summary = env.lib.import_paths([path], update_index=index_available())
    assert summary.files[0].status == "updated"


def test_panel_lists_orphans_and_discards_one(env, panel, qtbot):
    path = env.write_plain("a", *ARTICLE_ONE)
    aid = env.import_file(path)[0]
    kept = env.highlight(aid, "微更新")
    lost = env.highlight(aid, "加装电梯往往卡在低层住户的顾虑上", note="会被改掉")
    make_orphan(env, aid, path)
    panel.set_article(aid)
    assert [h.uuid for h in panel.highlights()] == [kept.uuid]
    assert [h.uuid for h in panel.orphans()] == [lost.uuid]
    assert panel.orphans()[0].note == "会被改掉"
    assert not panel.orphan_box.isHidden()
    assert panel.orphan_badge.text() == "1"
    assert not panel.discard_button.isEnabled()  # nothing chosen yet
    click_row(qtbot, panel.orphan_view, 0)
    assert panel.discard_button.isEnabled() and panel.reattach_button.isEnabled()
    with qtbot.waitSignal(panel.reattach_requested, timeout=2000) as sig:
        qtbot.mouseClick(panel.reattach_button, Qt.MouseButton.LeftButton)
    assert sig.args == [lost.uuid]
    panel.set_selection_available(False)
    assert not panel.reattach_button.isEnabled()
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        qtbot.mouseClick(panel.discard_button, Qt.MouseButton.LeftButton)
    assert panel.orphans() == [] and panel.orphan_box.isHidden()
    assert env.lib.highlight(lost.uuid).deleted
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.undo_stack.undo()
    assert [h.uuid for h in panel.orphans()] == [lost.uuid]


def test_panel_orphan_reattached_moves_back_to_the_list(env, panel, qtbot):
    path = env.write_plain("a", *ARTICLE_ONE)
    aid = env.import_file(path)[0]
    lost = env.highlight(aid, "加装电梯往往卡在低层住户的顾虑上")
    make_orphan(env, aid, path)
    panel.set_article(aid)
    assert len(panel.orphans()) == 1
    # what the main window does on reattach_requested, with the reader's selection
    s, e = env.span(aid, "方案几经讨论终于通过")
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        env.worker.write(lambda lib: lib.update_highlight(lost.uuid, start=s, end=e))
    assert panel.orphans() == []
    assert [h.quote for h in panel.highlights()] == ["方案几经讨论终于通过"]
