"""Offsets through the GUI (issue 6): a selection made in Qt (UTF-16 positions, moved by grapheme
like a mouse or the keyboard would) is stored as code points, survives closing and reopening the
library, and selects the very same text again — on text full of emoji, CJK Extension B and
combining marks. Once with a plain QTextEdit and reader.core.text.OffsetMap, once with the app's
reader pane."""

from __future__ import annotations

import random

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from reader.core.library import Library
from reader.core.text import OffsetMap

BODY = (
    "第一段：表情😀和👩\u200d👩\u200d👧一家人，国旗🇨🇳，肤色👍🏽。\n"
    "第二段：生僻字𠀋𪚥𫝀在扩展B区，组合字符e\u0301与か\u3099（浊音），还有 Z\u0351\u0352。\n"
    "\n"
    "第三段：从右到左 שלום مرحبا 混排，最后一句𠀀结束。"
)
TITLE = "偏僻字符𠀋与表情😀的测试文章"


def _selected(cur: QTextCursor) -> str:
    return cur.selectedText().replace("\u2029", "\n")


def _grapheme_selections(doc: QTextDocument, n: int, seed: int) -> list[tuple[int, int]]:
    """Selections a user can make: anchor and position on grapheme boundaries (Qt's cursor
    movement), as UTF-16 document positions."""
    rng = random.Random(seed)
    stops = [0]
    cur = QTextCursor(doc)
    while cur.movePosition(QTextCursor.MoveOperation.NextCharacter):
        stops.append(cur.position())
    out = []
    for _ in range(n):
        a, b = sorted(rng.sample(stops, 2))
        out.append((a, b))
    return out


@pytest.fixture
def article_lib(tmp_path):
    f = tmp_path / "astral.txt"
    f.write_text(f"{TITLE}\n\n{BODY}\n", encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        rep = lib.import_paths([f])
        assert rep.count("added") == 1
        yield lib


def test_qtextedit_selection_round_trip(qtbot, article_lib):
    from PySide6.QtWidgets import QTextEdit

    lib = article_lib
    art = lib.articles()[0]
    body = lib.article(art.id).body
    edit = QTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText(body)
    doc = edit.document()
    m = OffsetMap(body)
    made = []
    for a, b in _grapheme_selections(doc, 40, seed=6):
        cur = QTextCursor(doc)
        cur.setPosition(a)
        cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        text = _selected(cur)
        if not text.strip():
            continue
        s, e = m.utf16_to_cp(a), m.utf16_to_cp(b)
        assert body[s:e] == text  # the conversion names exactly what Qt selected
        h = lib.add_highlight(art.id, s, e, note=text[:10])
        made.append((h.uuid, text))
    assert len(made) > 20
    root = lib.root
    lib.close()
    with Library.open(root) as again:
        body2 = again.article(art.id).body
        m2 = OffsetMap(body2)
        edit.setPlainText(body2)
        for uuid, text in made:
            h = again.highlight(uuid)
            cur = QTextCursor(edit.document())
            cur.setPosition(m2.cp_to_utf16(h.start))
            cur.setPosition(m2.cp_to_utf16(h.end), QTextCursor.MoveMode.KeepAnchor)
            assert _selected(cur) == text == h.quote


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_reader_pane_selection_round_trip(qtbot, article_lib, tmp_path):
    from gui_support import close_window, open_window, wait_idle

    lib = article_lib
    art = lib.articles()[0]
    body = lib.article(art.id).body
    w = open_window(qtbot, lib, tmp_path / "settings.ini")
    made = []
    try:
        w.open_article(art.id, select=True)
        wait_idle(qtbot, w)
        view = w.reader
        doc = view.text.document()
        start = view.body_start
        for a, b in _grapheme_selections(doc, 40, seed=7):
            if a < start:
                continue
            cur = QTextCursor(doc)
            cur.setPosition(a)
            cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
            view.text.setTextCursor(cur)
            rng = view.selection_range()  # code points, trimmed of blanks
            if rng is None:
                continue
            s, e = rng
            assert body[s:e] == _selected(cur).strip()
            h = lib.add_highlight(art.id, s, e)
            made.append((h.uuid, body[s:e]))
        assert len(made) > 10
    finally:
        close_window(w)
    root = lib.root
    lib.close()
    with Library.open(root) as again:
        w = open_window(qtbot, again, tmp_path / "settings.ini")
        try:
            w.open_article(art.id, select=True)
            wait_idle(qtbot, w)
            for uuid, text in made:
                h = again.highlight(uuid)
                assert h.quote == text and not h.orphan
                w.reader.select_range(h.start, h.end)
                assert _selected(w.reader.text.textCursor()) == text
        finally:
            close_window(w)
