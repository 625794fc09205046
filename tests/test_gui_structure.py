"""The reader pane shows structure and pictures (issue 13) while every offset stays on the
stored text: selection, highlights, find and the drawn marks across bold runs and next to
pictures; a web-only picture is a placeholder and never loaded; a click enlarges a picture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtGui import QFont, QTextCursor

from reader.ui.article_images import SCHEME

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

WECHAT = Path(__file__).parent / "fixtures" / "wechat"
EXPORT = WECHAT / "exporter" / "2025-11-07_城南菜市场的早晨"


def _import(lib_, tmp_path: Path, *names: str) -> None:  # noqa: ANN001
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in names:
        src = WECHAT / name
        if src.is_dir():
            shutil.copytree(src, folder / name)
        else:
            shutil.copyfile(src, folder / name)
    summary = lib_.import_paths([folder], update_index=False)
    assert summary.count("added") == len(names), [(f.path, f.status, f.reason) for f in summary.files]


def _char_format(reader, cp: int):  # noqa: ANN001
    cur = QTextCursor(reader.text.document())
    cur.setPosition(reader.doc_pos(cp) + 1)  # the format of the character before the cursor
    return cur.charFormat()


def test_structure_pictures_and_offsets_in_the_reader(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    _import(lib, tmp_path, "exporter")
    (art,) = lib.articles()
    body = lib.article(art.id).body
    s = lib.structure(art.id)
    w = open_window(qtbot, lib, settings_file)
    w.open_article(art.id, select=True)
    reader = w.reader
    doc = reader.text.document()
    # the text is all there, in order; every picture adds an object and a block break
    plain = doc.toPlainText()[reader.body_start:]
    assert plain.replace("\ufffc\n", "").removesuffix("\n\ufffc") == body  # one at the end
    assert len(reader._pictures.positions) == 3
    assert s.images[-1].offset == len(body)  # after the last line: drawn after it
    assert doc.characterAt(doc.characterCount() - 2) == "\ufffc"
    for img in s.images[:-1]:
        pos = reader.doc_pos(img.offset)
        assert doc.characterAt(pos - 2) == "\ufffc"  # the picture sits right before its line
        assert reader.body_offset(pos - 2) == img.offset == reader.body_offset(pos - 1)
    # every line maps back: document text at doc_pos(start of line) is the line
    for line_start in [0] + [i + 1 for i, ch in enumerate(body) if ch == "\n"]:
        line = body[line_start:].split("\n", 1)[0]
        cur = QTextCursor(doc)
        cur.setPosition(reader.doc_pos(line_start))
        cur.setPosition(reader.doc_pos(line_start + len(line)), QTextCursor.MoveMode.KeepAnchor)
        assert cur.selectedText() == line
    # a highlight right after a picture, made through the selection: the stored offsets
    img = s.images[1]
    reader.select_range(img.offset, img.offset + 3)
    assert reader.selection_range() == (img.offset, img.offset + 3)
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        assert reader.highlight_selection("green")
    (h,) = lib.highlights(article_id=art.id)
    assert h.quote == body[img.offset:img.offset + 3] == "改造后"
    qtbot.waitUntil(lambda: any(x.cursor.selectedText() == "改造后"
                                for x in reader.text.extraSelections()))
    # find in the article lands on the text, past the pictures
    reader.open_find()
    reader.find_bar.field.setText("采光板")
    (span,) = reader.find_spans
    assert body[span[0]:span[1]] == "采光板"
    # a web-only picture: a drawn placeholder, its URL never opened
    remote = reader._pictures.paths.index(None)
    res = reader.text.loadResource(2, reader._pictures.name(remote))
    assert res is not None and not res.isNull()
    from PySide6.QtCore import QUrl

    assert reader.text.loadResource(2, QUrl("https://mmbiz.qpic.cn/x.png")) is None
    assert reader.text.loadResource(2, QUrl.fromLocalFile(str(EXPORT / "assets" / "img_001.png"))) is None
    messages: list[str] = []
    reader.message.connect(messages.append)
    assert not reader.open_picture(remote) and messages
    # a stored picture: loaded from the library and enlarged on a click
    stored = reader._pictures.paths.index(next(p for p in reader._pictures.paths if p))
    img_res = reader.text.loadResource(2, reader._pictures.name(stored))
    assert (img_res.width(), img_res.height()) == (8, 6)
    pos = next(p for p, i in reader._pictures.positions.items() if i == stored)
    assert reader.picture_at(pos) == stored == reader.picture_at(pos + 1)
    assert reader.open_picture(stored)
    assert reader._viewer is not None and reader._viewer.label.pixmap().width() == 8
    reader._viewer.close()
    close_window(w)


def test_headings_emphasis_quotes_and_lists_are_formatted(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    _import(lib, tmp_path, "article_page.html")
    (art,) = lib.articles()
    body = lib.article(art.id).body
    w = open_window(qtbot, lib, settings_file)
    w.open_article(art.id, select=True)
    reader = w.reader
    assert _char_format(reader, body.index("地面换成了防滑地砖") + 2).fontWeight() == QFont.Weight.Bold
    assert _char_format(reader, body.index("去年秋天")).fontWeight() != QFont.Weight.Bold
    assert _char_format(reader, body.index("以前一下雨")).fontItalic()
    heading = body.index("改造之后")
    assert _char_format(reader, heading).font().pixelSize() > reader.font_px
    cur = QTextCursor(reader.text.document())
    cur.setPosition(reader.doc_pos(body.index("菜市场是一座城市")))
    assert cur.blockFormat().leftMargin() > 0  # a quote is indented
    cur.setPosition(reader.doc_pos(body.index("营业时间")))
    assert cur.blockFormat().leftMargin() > 0  # so is a list item
    # the web-only picture is an object with a pizhu-image name, sized to the placeholder
    (pos,) = reader._pictures.positions
    cur.setPosition(pos + 1)
    fmt = cur.charFormat().toImageFormat()
    assert fmt.name().startswith(SCHEME + ":") and fmt.height() > 0
    # a highlight across the bold run is drawn over exactly its text
    start = body.index("完成了改造。") + 3
    end = body.index("排水沟")
    reader.select_range(start, end)
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        assert reader.highlight_selection("yellow")
    quote = body[start:end]
    assert "地面换成了防滑地砖" in quote
    qtbot.waitUntil(lambda: any(x.cursor.selectedText() == quote
                                for x in reader.text.extraSelections()))
    close_window(w)


def test_a_wide_picture_follows_the_column(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from bench.import_html import png

    folder = tmp_path / "wide"
    folder.mkdir()
    (folder / "wide.png").write_bytes(png(1600, 40, (10, 20, 30)))
    (folder / "page.html").write_text(
        '<html><body><h1 id="activity-name">宽图</h1><div id="js_content"><p>上面一段。</p>'
        '<img src="wide.png" alt="很宽的图"><p>下面一段。</p></div></body></html>', "utf-8")
    lib.import_paths([folder / "page.html"], update_index=False)
    (art,) = lib.articles()
    w = open_window(qtbot, lib, settings_file)
    w.open_article(art.id, select=True)
    reader = w.reader
    (pos,) = reader._pictures.positions

    def width() -> float:
        cur = QTextCursor(reader.text.document())
        cur.setPosition(pos + 1)
        return cur.charFormat().toImageFormat().width()

    wide = width()
    assert wide == reader._column_width() < 1600
    w.resize(900, 800)  # the panes are laid out again: the column changes
    qtbot.waitUntil(lambda: reader._column_width() != wide)
    qtbot.waitUntil(lambda: width() == reader._column_width())
    # the text around it is where the offsets say
    body = lib.article(art.id).body
    reader.select_range(body.index("下面"), body.index("下面") + 4)
    assert reader.text.textCursor().selectedText() == "下面一段"
    close_window(w)
