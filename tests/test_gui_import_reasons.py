"""The import report translates reasons by code (reader.ui.import_dialog.reason_texts): every
code has a Chinese text with its details in it, and a failed import in the Chinese window shows
no English sentence — not in the list, not in the tooltips."""

from __future__ import annotations

import os
import re
import string

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtCore import QCoreApplication, QLocale

from reader.core.importers import Code, Reason
from reader.core.model import FileReport
from reader.ui import i18n
from reader.ui.import_dialog import reason_label, reason_text, reason_texts

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

DETAIL = {"size": "70 MB", "limit": "64 MB", "line": 3, "column": 5, "error": "EIO",
          "message": "Expecting value", "cause": "permission-denied", "chars": 1_200_000,
          "count": 2}
# names, not sentences: formats, encodings, an errno name, units
NOT_ENGLISH = re.compile(r"JSON|HTML|UTF-8|UTF-16|GB18030|Big5|EIO|MB")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def detail_for(code: Code) -> dict:
    d = dict(DETAIL)
    if code is Code.ARTICLE_TOO_LONG:
        d["limit"] = 1_000_000
    return d


def english_words(text: str) -> list[str]:
    return ENGLISH_WORD.findall(NOT_ENGLISH.sub("", text))


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.fixture
def chinese(qapp):
    assert i18n.install_translators(qapp, QLocale("zh_CN")) == "zh_CN"
    yield
    i18n.remove_translators(qapp)


def test_every_code_has_an_english_and_a_chinese_text(qapp, chinese):
    zh = reason_texts()
    assert set(zh) == set(Code)
    for code in Code:
        text = reason_text(code.value, detail_for(code))
        assert re.search(r"[\u4e00-\u9fff]", text), (code, text)
        assert english_words(text) == [], (code, text)
        assert "{" not in text, (code, text)
    # the details are in the Chinese sentences
    assert reason_text("not-json", {"line": 3, "column": 5, "message": "Expecting value"}) == \
        "不是有效的 JSON：第 3 行第 5 列"
    assert reason_text("cannot-list-folder", {"cause": "permission-denied"}) == \
        "无法列出文件夹内容：没有读取权限"
    assert reason_text("article-too-long", {"chars": 1_200_000, "limit": 1_000_000}) == \
        "文章太长（1,200,000 字；上限 1,000,000 字）"
    assert reason_text("entries-skipped", {"count": 3}) == "跳过了 3 条没有正文的条目"


def test_the_english_interface_uses_the_same_table(qapp):
    en = reason_texts()
    for code in Code:
        text = reason_text(code.value, detail_for(code))
        assert text and "{" not in text
        # an English-only detail (an OS or parser message) stays out of the GUI's sentence
        assert "message" not in fields(en[code])
    assert reason_text("too-large", {"size": "70 MB", "limit": "64 MB"}) == \
        "file too large (70 MB; the limit is 64 MB)"
    assert reason_text("") == "" and reason_text("no-such-code") == ""
    # a report without a code (none to give) shows its text as it is
    assert reason_label(FileReport("x", "failed", reason="something")) == "something"
    report = FileReport("x", "failed", **Reason(Code.BINARY).fields())
    assert reason_label(report) == "binary file, not text"


def test_a_failed_import_in_the_chinese_window_shows_no_english(
        qtbot, chinese, lib, settings_file, tmp_path):  # noqa: F811
    files = {
        "空的.txt": b"",
        "二进制.txt": b"\x00\xff\x10" * 200,
        "残缺.json": '[{"title": "标题", "content": "正文'.encode(),
        "错误.json": '[{"title": "一" "content": "二"}, {"title": "三", "content": "四"}]'.encode(),
        "只有标题.json": b'[{"title": "\xe5\x8f\xaa\xe6\x9c\x89\xe6\xa0\x87\xe9\xa2\x98"}]',
        "好的.txt": "一篇好文章\n\n这一篇可以导入。\n".encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / n) for n in files] + [str(tmp_path / "不存在.txt")]
    w = open_window(qtbot, lib, settings_file)
    with qtbot.waitSignal(w.import_finished, timeout=60000) as sig:
        dlg = w.start_import(paths)
    summary = sig.args[0]
    failed = [f for f in summary.files if f.status == "failed"]
    assert len(failed) == 6 and all(f.code for f in failed)
    assert {f.code for f in failed} == {"empty", "binary", "not-json-truncated", "not-json",
                                        "metadata-only", "no-such-file"}
    rows = [dlg.report.topLevelItem(i) for i in range(dlg.report.topLevelItemCount())]
    shown = [(r.text(0), r.text(2), r.toolTip(2)) for r in rows]
    for name, reason, tip in shown:
        if name == "好的.txt":
            continue
        assert re.search(r"[\u4e00-\u9fff]", reason), (name, reason)
        assert english_words(reason) == [] and english_words(tip) == [], (name, reason, tip)
    assert ("残缺.json", "不是有效的 JSON：第 1 行第 29 列（文件不完整？）") in \
        {(n, r) for n, r, _t in shown}
    # the English sentences are still there for the CLI and the log
    assert {f.reason for f in failed} >= {"empty file", "binary file", "no such file"}
    assert QCoreApplication.translate("ImportReason", "binary file, not text") == "二进制文件，不是文本"
    if shot := os.environ.get("PIZHU_SHOT"):  # look at it: PIZHU_SHOT=/tmp/reasons.png
        dlg.grab().save(shot)
    close_window(w)
