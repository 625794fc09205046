"""User and imported text is shown as text, never as HTML (issue 15, item 4).

The reader's hover tooltip rendered a note as HTML: ``<img src="/dev/zero">`` (arriving in an
annotation file) killed the app with std::bad_alloc; local images loaded, links showed. This test
builds the main window on a library whose titles, sources, bodies, notes, tags and file names
carry hostile markup, walks the window (reader, hover tooltip, highlight editor, lists, search,
recall cards, the annotation import dialog with refused entries, message boxes) and scans every
label, tooltip, item tooltip and message box for such text that Qt would render as markup.
``QToolTip.showText`` is replaced by a recorder, so a regression fails here instead of reading
/dev/zero."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gui_support import QT_LOG_IGNORE, close_window, open_window, wait_idle
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace  # holds mightBeRichText
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QMessageBox,
    QTextEdit,
    QToolTip,
    QWidget,
)

from reader.core.library import Library
from reader.ui import widgets

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support")

ZERO = '<img src="/dev/zero">'
LINK = '<a href="file:///etc/passwd">x</a>'
BOLD = "<b>bold</b>"
ENTITY = "&lt;實&gt;"  # rendered as HTML it reads <實>; escaped it stays "&lt;實&gt;"
HOSTILE = (ZERO, LINK, BOLD, ENTITY)
MARK = f"{ZERO}{LINK}{BOLD}{ENTITY}"  # all four in one string


def rendered_as_markup(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    """Would Qt render a hostile string inside ``text`` as markup (and not show it literally)?
    Plain text is shown as typed. Rich text may carry user text only escaped: a hostile string
    found raw in it is markup. The document is never laid out, so nothing is loaded."""
    if not text:
        return False
    rich = fmt == Qt.TextFormat.RichText or (
        fmt != Qt.TextFormat.PlainText and QtGuiNamespace.mightBeRichText(text))
    if not rich:
        return False
    if any(h in text for h in HOSTILE):
        return True
    doc = QTextDocument()
    doc.setHtml(text)
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            f = it.fragment().charFormat()
            if f.isImageFormat() or (f.isAnchor() and f.anchorHref().startswith("file:")):
                return True
            it += 1
        block = block.next()
    return False


def test_the_rule_has_teeth() -> None:
    assert rendered_as_markup(f"批注 {ZERO}")
    assert rendered_as_markup(LINK) and rendered_as_markup(BOLD)
    assert rendered_as_markup(ENTITY + "x")
    assert not rendered_as_markup(MARK, Qt.TextFormat.PlainText)
    assert not rendered_as_markup(widgets.plain_tooltip(MARK))
    assert not rendered_as_markup("普通的文字")


def test_plain_tooltip_shows_the_text_as_typed() -> None:
    for text in (MARK, f"第一行\n{ZERO}", "a & b", "普通", f"{BOLD}\n\n第二段"):
        tip = widgets.plain_tooltip(text)
        if QtGuiNamespace.mightBeRichText(tip):
            doc = QTextDocument()
            doc.setHtml(tip)
            assert doc.toPlainText() == text
        else:
            assert tip == text
    assert widgets.plain_tooltip("长" * 5000).endswith("…")
    assert len(widgets.plain_tooltip("长" * 5000)) <= widgets.TOOLTIP_CHARS + 1


class _Recorder:
    """Stands in for QToolTip.showText and QMessageBox: records what would be shown."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, Qt.TextFormat]] = []

    def tooltip(self, *args: object) -> None:
        text = next(a for a in args if isinstance(a, str))
        self.shown.append(("QToolTip.showText", text, Qt.TextFormat.AutoText))

    def static_box(self, kind: str):  # noqa: ANN201
        def show(_parent: object, _title: str, text: str, *rest: object):  # noqa: ANN202
            self.shown.append((f"QMessageBox.{kind}", text, Qt.TextFormat.AutoText))
            return QMessageBox.StandardButton.Cancel
        return show

    def box_exec(self, box: QMessageBox) -> int:
        self.shown.append(("QMessageBox", box.text(), box.textFormat()))
        return int(QMessageBox.StandardButton.Cancel)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    rec = _Recorder()
    monkeypatch.setattr(QToolTip, "showText", rec.tooltip)
    for kind in ("critical", "information", "question", "warning"):
        monkeypatch.setattr(QMessageBox, kind, rec.static_box(kind))
    monkeypatch.setattr(QMessageBox, "exec", lambda box, *a: rec.box_exec(box))
    monkeypatch.setattr(QMessageBox, "open", lambda box, *a: rec.box_exec(box))
    return rec


def _hostile_library(tmp_path: Path) -> Library:
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    entries = [{
        # (the WeChat importer decodes entities in a title: "&lt;實&gt;" would arrive as "<實>",
        # whose correct escape is the marker itself — so no entity marker in these fields)
        "文章标识符aid": "hostile-1", "标题title": f"标题{ZERO}{LINK}{BOLD}",
        "公众号名称": f"来源{BOLD}{ZERO}", "时间time": "2026-02-03 08:00:00",
        "finalContent": f"第一段说的是社区食堂。\r第二段{MARK}还有文字。\r第三段是结尾。",
    }]
    (inbox / "wx.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    # a file name with markup (no "/" possible in a name)
    (inbox / "<b>粗体<img src=x.png>&lt;.txt").write_text(
        f"文件名里的标签{BOLD}\n\n正文说的是图书馆{ZERO}的事情。\n", encoding="utf-8")
    lib = Library.open(tmp_path / "lib")
    lib.import_paths([inbox])
    for a in lib.articles():
        body = lib.article(a.id).body
        lib.add_highlight(a.id, 0, 3, note=f"批注{ZERO}\n{LINK}", tags=[f"标签{BOLD}", ENTITY + "x"])
        at = body.index("文字") if "文字" in body else len(body) - 2
        lib.add_highlight(a.id, at, at + 2, note=MARK, color="green")
        lib.set_article_tags(a.id, [f"文章{BOLD}"])
    return lib


def _columns(model, parent: QModelIndex) -> int:  # noqa: ANN001
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model (columnCount is private there): one column
        return 1


def _item_tooltips(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    out: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for r in range(min(model.rowCount(parent), 500)):
            for c in range(_columns(model, parent)):
                ix = model.index(r, c, parent)
                tip = ix.data(Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str):
                    out.append(tip)
                if c == 0 and model.rowCount(ix) > 0:
                    walk(ix)

    walk(QModelIndex())
    return out


def scan(rec: _Recorder, where: str) -> list[str]:
    """Everything on screen (and recorded) that would render hostile markup."""
    bad: list[str] = []
    for w in QApplication.allWidgets():
        name = f"{where}: {type(w).__name__} {w.objectName()!r}"
        if isinstance(w, QLabel) and rendered_as_markup(w.text(), w.textFormat()):
            bad.append(f"{name} label {w.text()[:80]!r}")
        if isinstance(w, QMessageBox) and rendered_as_markup(w.text(), w.textFormat()):
            bad.append(f"{name} message {w.text()[:80]!r}")
        if isinstance(w, QWidget) and rendered_as_markup(w.toolTip()):
            bad.append(f"{name} tooltip {w.toolTip()[:80]!r}")
        if isinstance(w, QAbstractItemView):
            bad += [f"{name} item tooltip {t[:80]!r}" for t in _item_tooltips(w)
                    if rendered_as_markup(t)]
        if isinstance(w, QTextEdit):
            doc_html = w.document().toHtml()
            if "/dev/zero" in doc_html and "<img" in doc_html.replace("&lt;img", ""):
                bad.append(f"{name} document holds an image")
    bad += [f"{where}: {src} {text[:80]!r}" for src, text, fmt in rec.shown
            if rendered_as_markup(text, fmt)]
    rec.shown.clear()
    return list(dict.fromkeys(bad))


def test_hostile_text_is_never_rendered_as_markup(qtbot, tmp_path, recorder) -> None:
    lib = _hostile_library(tmp_path)
    w = open_window(qtbot, lib, tmp_path / "settings.ini")
    bad: list[str] = []
    try:
        wait_idle(qtbot, w)
        for art in lib.articles():
            assert w.open_article(art.id, select=True)
            wait_idle(qtbot, w)
            # hover over each highlight: the reader's tooltip
            for h in lib.highlights(article_id=art.id):
                vp = w.reader.text.viewport()
                cursor = w.reader.text.textCursor()
                cursor.setPosition(w.reader.doc_pos(h.start + 1))
                rect = w.reader.text.cursorRect(cursor)
                pos = QPoint(rect.center().x() + 2, rect.center().y())
                before = len(recorder.shown)
                QApplication.sendEvent(vp, QHelpEvent(QEvent.Type.ToolTip, pos,
                                                      vp.mapToGlobal(pos)))
                tips = [t for src, t, _ in recorder.shown[before:] if src == "QToolTip.showText"]
                assert tips, f"no tooltip over highlight {h.uuid}"
            bad += scan(recorder, f"article {art.id}")
            # the highlight editor on a highlight with a hostile note
            h = lib.highlights(article_id=art.id)[0]
            if w.edit_highlight(h.uuid, QPoint(200, 200)):
                qtbot.wait(50)
                bad += scan(recorder, f"editor on {h.uuid}")
                w.highlight_editor.hide()
        for tab in range(w.tabs.count()):
            w.tabs.setCurrentIndex(tab)
            qtbot.wait(50)
            bad += scan(recorder, f"tab {tab}")
        w.search_panel.set_query("社区")
        qtbot.wait(300)
        wait_idle(qtbot, w)
        bad += scan(recorder, "search")
        w.recall.refresh()
        wait_idle(qtbot, w)
        bad += scan(recorder, "recall")
        # an annotation file whose refused entries have hostile ids and reasons
        path = tmp_path / "批注<b>粗体&lt;.json"
        path.write_text(json.dumps([
            {"id": f"{ZERO}{LINK}", "type": "Annotation", "modified": "9999-12-31",
             "target": {"source": "x", "selector": {"type": "TextQuoteSelector",
                                                    "exact": BOLD}}},
            {"id": f"urn:{BOLD}", "type": "Annotation", "bodyValue": MARK,
             "target": {"source": f"pizhu://article/{MARK}",
                        "pizhu:article": {"title": MARK},
                        "selector": {"type": "TextQuoteSelector", "exact": "不存在的文字"}}},
        ], ensure_ascii=False), encoding="utf-8")
        dlg = w.start_annotation_import(str(path))
        assert dlg is not None
        with qtbot.waitSignal(dlg.import_finished, timeout=30000):
            pass
        bad += scan(recorder, "annotation import dialog")
        dlg.close()
        w.notify(f"状态 {MARK}")
        bad += scan(recorder, "status bar")
    finally:
        close_window(w)
        lib.close()
    bad = list(dict.fromkeys(b.split(": ", 1)[1] for b in bad))  # each problem once
    assert bad == [], "\n".join(bad)


def test_message_boxes_show_error_reasons_as_text(qtbot, recorder) -> None:
    box = widgets.message_box(None, QMessageBox.Icon.Warning, "标题", f"无法打开 {MARK}.db")
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert not rendered_as_markup(box.text(), box.textFormat())
    assert widgets.show_message(None, QMessageBox.Icon.Information, "t", MARK) == \
        QMessageBox.StandardButton.Cancel
    assert [t for _, t, f in recorder.shown if rendered_as_markup(t, f)] == []
    label = widgets.text_label(MARK)
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText
