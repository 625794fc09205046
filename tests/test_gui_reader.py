"""The reader pane: plain text only, highlights in colour (shortcut, floating toolbar, context
menu), overlapping highlights, clicking a highlight, find in article, font size, themes, read
state, code point offsets with astral characters."""

from __future__ import annotations

import pytest
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
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QInputMethodEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reader.core.model import HIGHLIGHT_COLORS, Highlight
from reader.ui import theme as th
from reader.ui.reader_view import highlight_segments

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

TRICKY = (
    "<b>这不是粗体</b> &amp; <script>alert(1)</script>\n"
    "第二段有一个生僻字𠀀和表情😀，之后是要划线的句子。\n"
    "第三段：结束。"
)


def commit_text(widget, text: str) -> None:  # noqa: ANN001
    """Type as an input method commits (keyClicks with Chinese text kills the process)."""
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def _plain_article(lib_, tmp_path, title: str, body: str) -> int:  # noqa: ANN001
    f = tmp_path / "plain.txt"
    f.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    summary = lib_.import_paths([f], update_index=False)
    assert summary.count("added") == 1, summary.files
    return article_id(lib_, title)


def activate(qtbot, w) -> None:  # noqa: ANN001
    """Window shortcuts need the window to be the active one."""
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)


def _point_of(reader, cp: int) -> QPoint:  # noqa: ANN001
    cur = QTextCursor(reader.text.document())
    cur.setPosition(reader.doc_pos(cp))
    r = reader.text.cursorRect(cur)
    return QPoint(r.center().x() + 4, r.center().y())


def _h(uuid: str, start: int, end: int, color: str = "yellow", created: str = "") -> Highlight:
    return Highlight(uuid, 1, start, end, "", "", "", color, "", created, created)


# ------------------------------------------------------------------ text
def test_article_text_is_plain_never_html(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    aid = _plain_article(lib, tmp_path, "一篇带尖括号的文章", TRICKY)
    w = open_window(qtbot, lib, settings_file)
    w.open_article(aid, select=True)
    text = w.reader.text.document().toPlainText()
    assert "<b>这不是粗体</b>" in text
    assert "<script>alert(1)</script>" in text
    assert "&amp;" in text
    body = lib.article(aid).body
    # the body sits at body_start, position for position
    start = w.reader.body_start
    assert text[start:start + 20] == body[:20]
    close_window(w)


def test_selection_maps_utf16_to_code_points_with_astral_characters(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    aid = _plain_article(lib, tmp_path, "生僻字和表情", TRICKY)
    body = lib.article(aid).body
    quote = "要划线的句子"
    i = body.index(quote)
    w = open_window(qtbot, lib, settings_file)
    w.open_article(aid, select=True)
    # select with Qt (UTF-16) positions computed independently of the view's own helper
    u16 = len(body[:i].encode("utf-16-le")) // 2
    cur = w.reader.text.textCursor()
    cur.setPosition(w.reader.body_start + u16)
    cur.setPosition(w.reader.body_start + u16 + len(quote), QTextCursor.MoveMode.KeepAnchor)
    w.reader.text.setTextCursor(cur)
    assert cur.selectedText() == quote
    assert w.reader.selection_range() == (i, i + len(quote))
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        assert w.reader.highlight_selection("purple")
    h = lib.highlights(article_id=aid)[0]
    assert (h.start, h.end, h.quote, h.color) == (i, i + len(quote), quote, "purple")
    # drawn at the same place
    sel = w.reader.text.extraSelections()
    assert any(s.cursor.selectedText() == quote for s in sel)
    close_window(w)


# ------------------------------------------------------------------ highlighting
def test_highlight_with_a_colour_shortcut(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    quote = "修表急不得"
    i = body.index(quote)
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    activate(qtbot, w)
    w.reader.text.setFocus()
    w.reader.select_range(i, i + len(quote))
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        QTest.keyClick(w.reader.text, Qt.Key.Key_2)
    hs = sample_lib.highlights(article_id=aid)
    assert [(h.quote, h.color) for h in hs] == [(quote, list(HIGHLIGHT_COLORS)[1])]
    qtbot.waitUntil(lambda: len(w.reader.highlights) == 1)
    assert not w.reader.text.textCursor().hasSelection()
    # the list shows the new count
    row = w.list_pane.model.row_of(aid)
    qtbot.waitUntil(lambda: w.list_pane.model.article_at(row).highlight_count == 1)
    close_window(w)


def test_every_colour_has_its_own_shortcut(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    keys = [w.color_actions[n].shortcut().toString() for n in HIGHLIGHT_COLORS]
    assert len(HIGHLIGHT_COLORS) >= 5
    assert keys == [str(i) for i in range(1, len(HIGHLIGHT_COLORS) + 1)]
    close_window(w)


def test_highlight_from_the_floating_toolbar_after_a_mouse_selection(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    quote = "铺子里最显眼的是一张旧木桌"
    i = body.index(quote)
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    vp = w.reader.text.viewport()
    # just inside the first character, just before the end of the last one
    a, b = _point_of(w.reader, i), _point_of(w.reader, i + len(quote))
    b.setX(b.x() - 6)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(vp, b)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
    assert w.reader.selection_range() == (i, i + len(quote))
    tb = w.reader.toolbar
    assert tb.isVisible()
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        tb.buttons["blue"].click()
    assert not tb.isVisible()
    hs = sample_lib.highlights(article_id=aid)
    assert [(h.quote, h.color) for h in hs] == [(quote, "blue")]
    # undo removes it, redo brings it back
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        w.act_undo.trigger()
    assert sample_lib.highlights(article_id=aid) == []
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        w.act_redo.trigger()
    assert [h.quote for h in sample_lib.highlights(article_id=aid)] == [quote]
    close_window(w)


def test_context_menu_offers_colours_and_editing(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    i = body.index("慢一点")
    h = sample_lib.add_highlight(aid, i, i + 3, color="pink")
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    w.reader.select_range(0, 4)
    menu = w.reader.build_context_menu(w.reader.doc_pos(i + 1))
    texts = [a.text() for a in menu.actions()]
    colour_menu = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert colour_menu.isEnabled()
    assert len(colour_menu.actions()) == len(HIGHLIGHT_COLORS)
    edit = [a for a in menu.actions() if "慢一点" in a.text()]
    assert edit, texts
    with qtbot.waitSignal(w.reader.highlight_clicked) as sig:
        edit[0].trigger()
    assert sig.args[0] == h.uuid
    close_window(w)


def test_clicking_a_highlight_opens_the_editor_and_a_note_is_saved(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    quote = "一家人的记忆"
    i = body.index(quote)
    h = sample_lib.add_highlight(aid, i, i + len(quote), color="green")
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    with qtbot.waitSignal(w.reader.highlight_clicked) as sig:
        QTest.mouseClick(w.reader.text.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, _point_of(w.reader, i + 2))
    assert sig.args[0] == h.uuid
    ed = w.highlight_editor
    assert ed.uuid == h.uuid and ed.isVisible()
    ed.note_edit.setPlainText("修的是记忆")
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        ed.flush()
    assert sample_lib.highlight(h.uuid).note == "修的是记忆"
    ed.hide()
    wait_idle(qtbot, w)
    close_window(w)


def test_overlapping_highlights_are_split_into_segments():
    a = _h("a", 0, 10, "yellow", "2026-01-01T00:00:00")
    b = _h("b", 5, 15, "blue", "2026-01-02T00:00:00")
    c = _h("c", 20, 25, "green")
    segs = highlight_segments([a, b, c])
    assert [(s.start, s.end) for s in segs] == [(0, 5), (5, 10), (10, 15), (20, 25)]
    assert [sorted(h.uuid for h in s.highlights) for s in segs] == [["a"], ["a", "b"], ["b"], ["c"]]
    # equal lengths: the newer is on top; nested: the inner one is on top
    assert segs[1].top.uuid == "b"
    inner = _h("i", 2, 4, "pink", "2025-01-01")
    segs = highlight_segments([a, inner])
    assert [(s.start, s.end, s.top.uuid) for s in segs] == [(0, 2, "a"), (2, 4, "i"), (4, 10, "a")]
    # deleted and orphaned highlights are not drawn
    gone = _h("g", 0, 3)
    gone.deleted = True
    lost = _h("o", 0, 3)
    lost.orphan = True
    assert highlight_segments([gone, lost]) == []


def test_overlapping_highlights_are_drawn_with_every_part_visible(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    i = body.index("修表急不得")
    sample_lib.add_highlight(aid, i, i + 5, color="yellow")
    sample_lib.add_highlight(aid, i + 2, i + 9, color="blue")
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    sels = w.reader.text.extraSelections()
    spans = sorted(
        (s.cursor.selectionStart() - w.reader.body_start, s.cursor.selectionEnd()
         - w.reader.body_start, s.format.background().color().name())
        for s in sels
    )
    assert [(a, b) for a, b, _c in spans] == [(i, i + 2), (i + 2, i + 5), (i + 5, i + 9)]
    colours = [c for _a, _b, c in spans]
    assert len(set(colours)) == 3  # yellow, the overlap (deeper), blue
    assert colours[0] == th.highlight_background("yellow", th.LIGHT).name()
    assert colours[2] == th.highlight_background("blue", th.LIGHT).name()
    assert colours[1] == th.highlight_background("yellow", th.LIGHT, 2).name() or \
        colours[1] == th.highlight_background("blue", th.LIGHT, 2).name()
    close_window(w)


# ------------------------------------------------------------------ find in article
def test_find_in_article_counts_and_steps_through_hits(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    n = body.count("表")
    assert n >= 4
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    w.act_find.trigger()
    bar = w.reader.find_bar
    assert bar.isVisible()
    commit_text(bar.field, "表")
    assert len(w.reader.find_spans) == n
    assert bar.count.text() == f"1 of {n}"
    w.act_find_next.trigger()
    assert w.reader.find_current == 1
    QTest.keyClick(bar.field, Qt.Key.Key_Return)
    assert w.reader.find_current == 2
    QTest.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert w.reader.find_current == 1
    w.act_find_prev.trigger()
    w.act_find_prev.trigger()
    assert w.reader.find_current == n - 1  # wraps around
    commit_text(bar.field, "不存在的词")
    assert bar.count.text() == "No matches"
    QTest.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and w.reader.find_spans == []
    close_window(w)


# ------------------------------------------------------------------ font, themes, read state
def test_font_size_keys(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(article_id(sample_lib, "修表匠"), select=True)
    activate(qtbot, w)
    w.reader.text.setFocus()
    QTest.keyClick(w.reader.text, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert w.reader.font_px == 18
    QTest.keyClick(w.reader.text, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(w.reader.text, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert w.reader.font_px == 16
    body_font = w.reader.text.document().findBlock(w.reader.body_start).charFormat().font()
    assert body_font.pixelSize() == 16
    for _ in range(40):
        w.reader.zoom_out()
    assert w.reader.font_px == th.MIN_READING_PX
    close_window(w)


def test_themes_change_the_page_and_highlight_colours(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    i = sample_lib.article(aid).body.index("修表急不得")
    sample_lib.add_highlight(aid, i, i + 5, color="yellow")
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    w.set_theme("dark")
    assert w.theme.dark and w.reader.theme.dark
    assert QApplication.palette().color(QApplication.palette().ColorRole.Base).lightness() < 80
    sels = w.reader.text.extraSelections()
    dark_bg = QColor(sels[0].format.background().color())
    assert dark_bg == th.highlight_background("yellow", th.DARK)
    assert dark_bg.lightness() < 140  # a dim yellow on a dark page, light text stays readable
    w.set_theme("sepia")
    assert w.reader.theme.name == "sepia"
    w._next_theme()  # sepia -> system
    assert w.theme_name == "system"
    close_window(w)


def test_system_theme_follows_the_desktop_dark_mode(qtbot, sample_lib, settings_file, monkeypatch):  # noqa: F811
    hints = QGuiApplication.styleHints()
    w = open_window(qtbot, sample_lib, settings_file)
    w.set_theme("system")
    # the offscreen platform has no colour scheme to change: pretend the desktop switched
    monkeypatch.setattr(th, "system_prefers_dark", lambda: True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert w.theme.dark and w.reader.theme.dark
    monkeypatch.setattr(th, "system_prefers_dark", lambda: False)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not w.theme.dark
    # an explicit choice is not overridden by the desktop
    w.set_theme("sepia")
    monkeypatch.setattr(th, "system_prefers_dark", lambda: True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert w.theme.name == "sepia"
    close_window(w)


def test_an_article_read_to_the_end_is_marked_read(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "花市")
    w = open_window(qtbot, sample_lib, settings_file)
    w.reader.read_delay_ms = 30
    w.list_pane.reload()
    with qtbot.waitSignal(w.signals.article_changed, timeout=10000) as sig:
        w.open_article(aid, select=True)
    assert sig.args[0] == aid
    assert sample_lib.article(aid).read
    row = w.list_pane.model.row_of(aid)
    assert w.list_pane.model.article_at(row).read
    assert w.list_pane.model.data(w.list_pane.model.index(row, 0), Qt.ItemDataRole.FontRole) is None
    close_window(w)


def test_a_long_article_is_not_read_until_scrolled_to_the_end(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    w = open_window(qtbot, sample_lib, settings_file, size=(1000, 420))
    w.reader.read_delay_ms = 30
    w.open_article(aid, select=True)
    bar = w.reader.text.verticalScrollBar()
    assert bar.maximum() > 0
    assert not w.reader._read_timer.isActive()
    with qtbot.waitSignal(w.signals.article_changed, timeout=10000):
        bar.setValue(bar.maximum())
    assert sample_lib.article(aid).read
    close_window(w)


def test_scroll_to_flashes_the_passage(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "修表匠")
    body = sample_lib.article(aid).body
    i = body.index("慢一点")
    w = open_window(qtbot, sample_lib, settings_file, size=(1000, 420))
    w.open_article(aid, select=True)
    w.reader.flash_ms = 50
    w.reader.scroll_to(i, i + 3, flash=True)
    assert w.reader.flashing == (i, i + 3)
    assert any(s.format.background().color() == th.LIGHT.flash or
               s.format.background().color().name() == th.LIGHT.flash
               for s in w.reader.text.extraSelections())
    # the passage is inside the viewport
    r = w.reader.text.cursorRect(w.reader.text.cursorForPosition(_point_of(w.reader, i)))
    assert 0 <= r.top() < w.reader.text.viewport().height()
    qtbot.waitUntil(lambda: w.reader.flashing is None)
    close_window(w)


def test_n_highlights_and_opens_the_note_editor(qtbot, sample_lib, settings_file):  # noqa: F811
    aid = article_id(sample_lib, "图书馆")
    body = sample_lib.article(aid).body
    quote = "夜读小讲堂"
    i = body.index(quote)
    w = open_window(qtbot, sample_lib, settings_file)
    w.open_article(aid, select=True)
    activate(qtbot, w)
    w.reader.text.setFocus()
    w.reader.select_range(i, i + len(quote))
    QTest.keyClick(w.reader.text, Qt.Key.Key_N)
    ed = w.highlight_editor
    qtbot.waitUntil(lambda: ed.isVisible() and ed.highlight is not None, timeout=20000)
    assert ed.highlight.quote == quote
    assert [h.quote for h in sample_lib.highlights(article_id=aid)] == [quote]
    ed.hide()
    close_window(w)
