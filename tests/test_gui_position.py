"""The reading place survives restarts and re-renders: it is the code point at the start of the
top line, taken only from the user's scrolls, restored after the layout, never read back from a
view that is being restored (it used to drift back a screen per restart: the restore scrolled
the text cursor into view at the bottom of the pane and saved the top of that)."""

from __future__ import annotations

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    settings_at,
    settings_file,  # noqa: F401  (fixture)
    wait_idle,
)
from PySide6.QtGui import QTextCursor

from reader.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

PARAGRAPH = ("第{n}段：清晨的菜市场刚刚开门，摊主们把青菜、豆腐和刚出锅的油条摆上案板，"
             "骑车路过的老人停下来问价，又笑着说今天的葱比昨天便宜了两毛。")


def long_article(lib_, tmp_path, paragraphs: int = 80) -> int:  # noqa: ANN001
    f = tmp_path / "long.txt"
    body = "\n\n".join(PARAGRAPH.format(n=i) for i in range(1, paragraphs + 1))
    f.write_text("街角菜市场的一天\n\n" + body + "\n", encoding="utf-8")
    summary = lib_.import_paths([f], update_index=False)
    assert summary.count("added") == 1, summary.files
    return next(a.id for a in lib_.articles() if a.title == "街角菜市场的一天")


def start_like_the_app(qtbot, lib_, settings_path, size) -> MainWindow:  # noqa: ANN001
    """As reader.ui.app does: the window is on screen before the library is attached. The
    side panels are hidden so that the offscreen screen (800×600) leaves a real text column."""
    s = settings_at(settings_path)
    s.setValue("view/sidebar", False)
    s.setValue("view/annotations", False)
    s.sync()
    w = MainWindow(None, settings=s)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.resize(*size)
    w.attach_library(lib_)
    return w


def top_of(reader, cp: int) -> int:  # noqa: ANN001
    """Where body offset ``cp`` is drawn, in pixels from the top of the pane."""
    cur = QTextCursor(reader.text.document())
    cur.setPosition(reader.doc_pos(cp))
    return reader.text.cursorRect(cur).top()


def test_position_survives_three_restarts_at_two_sizes(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    aid = long_article(lib, tmp_path)
    w = start_like_the_app(qtbot, lib, settings_file, (790, 560))
    w.open_article(aid, select=True)
    bar = w.reader.text.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 2000)
    bar.setValue(int(bar.maximum() * 0.6))  # the user scrolls deep into the article
    pos = w.reader.reading_anchor
    assert pos > 1000
    assert w.reader.current_position() == pos
    close_window(w)
    qtbot.waitUntil(lambda: lib.article(aid).position == pos, timeout=10000)

    line = w.reader.font_px * 3
    for size in ((640, 460), (790, 560), (640, 460)):
        w = start_like_the_app(qtbot, lib, settings_file, size)
        assert w.reader.article_id == aid
        qtbot.waitUntil(lambda w=w: 0 <= top_of(w.reader, pos) <= line)
        qtbot.wait(50)  # late layout and geometry changes have settled
        assert 0 <= top_of(w.reader, pos) <= line
        assert w.reader.reading_anchor == pos
        wait_idle(qtbot, w)
        close_window(w)
        assert lib.article(aid).position == pos


def test_position_saved_when_leaving_is_the_line_at_the_top(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    aid = long_article(lib, tmp_path)
    w = open_window(qtbot, lib, settings_file, size=(700, 500))
    w.open_article(aid, select=True)
    bar = w.reader.text.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 2000)
    qtbot.wait(50)  # the panes have their sizes
    for frac in (0.3, 0.55, 0.8):
        bar.setValue(int(bar.maximum() * frac))
        pos = w.reader.reading_anchor
        # reopening the article shows that very line at the top, and reads back the same place
        w.reader.show_article(None)
        wait_idle(qtbot, w)
        w.open_article(aid)
        assert w.reader.reading_anchor == pos
        qtbot.waitUntil(lambda pos=pos: w.reader.current_position() == pos)
    close_window(w)


def test_no_scroll_jump_on_re_render(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    """A theme switch, an import and an article-tag edit re-render the article: the line at
    the top stays at the same pixel (it used to jump by up to a screen)."""
    aid = long_article(lib, tmp_path)
    w = start_like_the_app(qtbot, lib, settings_file, (790, 560))
    w.open_article(aid, select=True)
    bar = w.reader.text.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 2000)
    bar.setValue(int(bar.maximum() * 0.45) + 7)  # anywhere, not at a line's top
    pos = w.reader.reading_anchor
    y = top_of(w.reader, pos)

    w.set_theme("dark")
    assert top_of(w.reader, pos) == y
    other = tmp_path / "other.txt"
    other.write_text("河边的新长椅\n\n傍晚时分，散步的人在新长椅上歇脚。\n", encoding="utf-8")
    with qtbot.waitSignal(w.import_finished, timeout=30000):
        w.start_import([str(other)])
    wait_idle(qtbot, w)
    assert w.reader.article_id == aid
    assert top_of(w.reader, pos) == y
    w.set_article_tags(aid, ["菜市场", "民生"])
    wait_idle(qtbot, w)
    qtbot.waitUntil(lambda: w.reader.article.tags == ["民生", "菜市场"]
                    or sorted(w.reader.article.tags) == ["民生", "菜市场"])
    assert top_of(w.reader, pos) == y
    assert w.reader.reading_anchor == pos
    close_window(w)
