"""Recall beyond tags in the window (issue 17): related articles under the article (a click opens
one), suggested tags in the highlight editor and the article tags dialog (one click or Alt+n),
繁⇄简 display in the reader (offsets and highlights kept), pinyin in the tag filter and the tag
completer."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    open_window,
    settings_file,  # noqa: F401  (fixture)
    wait_idle,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from recall_fixtures import ARTICLES, write_markdown

from reader.core.library import Library

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

TRAD_BODY = "記者從港務集團獲悉，智慧碼頭建設進展順利。\n頭髮花白的老人在社區食堂排隊打飯。"


@pytest.fixture
def rlib(tmp_path: Path):
    library = Library.open(tmp_path / "lib")
    paths = write_markdown(tmp_path / "src")
    trad = tmp_path / "src" / "trad.md"
    trad.write_text(f"---\ntitle: 港口建設邁出新步伐\ndate: 2026-03-01\n---\n\n{TRAD_BODY}\n",
                    encoding="utf-8")
    library.import_paths([*paths, trad])
    library.index()
    yield library
    library.close()


def _id(lib: Library, title: str) -> int:
    return next(a.id for a in lib.articles(limit=None) if a.title == title)


def commit_text(widget, text: str) -> None:  # noqa: ANN001
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def test_related_articles_show_under_the_article_and_open_on_click(qtbot, rlib, settings_file):  # noqa: F811
    w = open_window(qtbot, rlib, settings_file)
    try:
        ws = w.workspace
        port, ningbo = _id(rlib, ARTICLES[0]["title"]), _id(rlib, ARTICLES[1]["title"])
        panel = ws.reader.related
        with qtbot.waitSignal(panel.loaded, timeout=20000,
                              check_params_cb=lambda rows: bool(rows)):
            ws.open_article(port, select=True)
        rows = panel.rows()
        assert 1 <= len(rows) <= 5 and ningbo in [r[0] for r in rows]
        assert all(len(r[2]) >= 2 for r in rows)  # each with the shared words
        assert panel.isVisible() and f"({len(rows)})" in panel.header.text()
        panel.set_open(True)
        assert panel.body.isVisible() and ARTICLES[1]["title"] in panel.body.text()
        with qtbot.waitSignal(w.workspace.reader.article_shown, timeout=5000):
            panel.body.linkActivated.emit(f"pizhu-related:{ningbo}")  # a click on the link
        assert ws.reader.article_id == ningbo
        assert ws.list_pane.current_article_id() == ningbo  # opened as the list's own
        w.grab().save(str(Path(settings_file).parent / "related.png"))
    finally:
        close_window(w)


def test_highlight_editor_suggests_tags_accepted_with_one_key(qtbot, rlib, settings_file):  # noqa: F811
    w = open_window(qtbot, rlib, settings_file)
    try:
        ws = w.workspace
        aid = _id(rlib, ARTICLES[4]["title"])
        body = rlib.article(aid).body
        s = body.index("八家人工智能芯片企业")
        h = rlib.add_highlight(aid, s, s + 10, note="芯片设计企业扎堆")
        ws.open_article(aid, select=True)
        ed = ws.highlight_editor
        sugg = ed.tag_suggestions
        with qtbot.waitSignal(sugg.loaded, timeout=30000, check_params_cb=lambda t: bool(t)):
            ws.edit_highlight(h.uuid)
        first = sugg.suggestions()[0]
        assert 1 <= len(sugg.suggestions()) <= 5
        ed.tag_edit.setFocus()
        QTest.keyClick(ed.tag_edit, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: first in rlib.highlight(h.uuid).tags, timeout=10000)
        assert first not in sugg.suggestions()
        if sugg.suggestions():  # a click adds the next one
            nxt = sugg.suggestions()[0]
            sugg._buttons[0].click()
            qtbot.waitUntil(lambda: nxt in rlib.highlight(h.uuid).tags, timeout=10000)
        wait_idle(qtbot, w)
    finally:
        close_window(w)


def test_article_tags_dialog_offers_suggestions(qtbot, rlib, settings_file):  # noqa: F811
    w = open_window(qtbot, rlib, settings_file)
    try:
        ws = w.workspace
        aid = _id(rlib, ARTICLES[0]["title"])
        ws.open_article(aid, select=True)
        ws.edit_article_tags()
        sugg = ws.tag_dialog_suggestions
        qtbot.waitUntil(lambda: bool(sugg.suggestions()), timeout=30000)
        tag = sugg.suggestions()[0]
        sugg.accept_index(0)
        assert tag in ws.tag_dialog_edit.tags()
        ws.tag_dialog.accept()
        qtbot.waitUntil(lambda: tag in rlib.article(aid).tags, timeout=10000)
        wait_idle(qtbot, w)
    finally:
        close_window(w)


def test_reader_shows_the_other_script_and_keeps_highlights(qtbot, rlib, settings_file):  # noqa: F811
    w = open_window(qtbot, rlib, settings_file)
    try:
        ws = w.workspace
        aid = _id(rlib, "港口建設邁出新步伐")
        s = TRAD_BODY.index("智慧碼頭")
        h = rlib.add_highlight(aid, s, s + 4)
        ws.open_article(aid, select=True)
        reader = ws.reader
        doc_text = lambda: reader.text.document().toPlainText()  # noqa: E731
        assert "智慧碼頭" in doc_text()
        w.act_convert_script.trigger()
        assert reader.script_direction == "t2s" and w.act_convert_script.isChecked()
        assert "智慧码头建设进展顺利" in doc_text() and "港口建设迈出新步伐" in doc_text()
        # the highlight is painted over the same characters, now shown converted
        start, end = reader.doc_pos(h.start), reader.doc_pos(h.end)
        assert doc_text()[start:end] == "智慧码头"
        assert any(sel.cursor.selectionStart() == start and sel.cursor.selectionEnd() == end
                   for sel in reader.text.extraSelections())
        assert rlib.article(aid).body == TRAD_BODY  # the stored text is untouched
        # a Simplified article is shown in Traditional characters
        ws.open_article(_id(rlib, ARTICLES[2]["title"]), select=True)
        assert reader.script_direction == "s2t" and "社區食堂" in doc_text()
        w.act_convert_script.trigger()
        assert reader.script_direction == "" and "社区食堂" in doc_text()
    finally:
        close_window(w)


def test_tag_filter_and_completer_understand_pinyin(qtbot, rlib, settings_file):  # noqa: F811
    rlib.set_article_tags(_id(rlib, ARTICLES[0]["title"]), ["港口", "政策/京津冀"])
    rlib.set_article_tags(_id(rlib, ARTICLES[2]["title"]), ["养老"])
    w = open_window(qtbot, rlib, settings_file)
    try:
        sb = w.workspace.sidebar
        qtbot.waitUntil(lambda: sb.tag_proxy.rowCount() >= 3, timeout=10000)
        sb.tag_filter.setText("gk")
        assert sb.tag_proxy.rowCount() == 1 and sb.tag_proxy.index(0, 0).data() == "港口"
        sb.tag_filter.setText("jjj")  # a child shows under its parent
        assert sb.tag_proxy.rowCount() == 1 and sb.tag_proxy.index(0, 0).data() == "政策"
        sb.tag_filter.setText("yanglao")
        assert sb.tag_proxy.index(0, 0).data() == "养老"
        sb.tag_filter.setText("港")
        assert sb.tag_proxy.rowCount() == 1
        sb.tag_filter.clear()
        assert sb.tag_proxy.rowCount() >= 3

        from reader.ui.tag_edit import TagEdit

        edit = TagEdit(library=rlib)
        qtbot.addWidget(edit)
        edit.show()
        assert edit.suggestions("gangk") == ["港口"]
        commit_text(edit, "gk")
        edit.textEdited.emit(edit.text())
        assert edit.completer_model().stringList() == ["港口"]
        edit.insert_completion("港口")
        assert edit.tags() == ["港口"]
    finally:
        close_window(w)
