"""Import failure reasons are codes with details (reader.core.importers.errors): every code has
its English sentence (what the CLI prints, unchanged from before the codes), the importers and
the library report the code, and the details survive JSON."""

from __future__ import annotations

import errno
import json
import string
from pathlib import Path

import pytest

from reader.core.importers import Code, ImportFailure, Reason, iter_import_files, parse_file
from reader.core.importers.errors import ENGLISH, os_reason
from reader.core.library import Library

SAMPLE = {"size": "70 MB", "limit": "64 MB", "line": 3, "column": 5, "error": "EIO",
          "message": "Expecting value", "cause": Code.PERMISSION_DENIED, "chars": 1_200_000,
          "count": 2}


def fields_of(code: Code) -> set[str]:
    templates = ENGLISH[code] if isinstance(ENGLISH[code], tuple) else (ENGLISH[code],)
    return {f for t in templates for _, f, _, _ in string.Formatter().parse(t) if f}


def sample(code: Code) -> Reason:
    params = {f: SAMPLE[f] for f in fields_of(code)}
    if code is Code.ARTICLE_TOO_LONG:
        params["limit"] = 1_000_000
    return Reason(code, params)


@pytest.mark.parametrize("code", list(Code))
def test_every_code_has_an_english_sentence(code):
    text = sample(code).english()
    assert text and "{" not in text and "\n" not in text
    assert code.value == code.value.lower() and " " not in code.value  # a stable identifier
    json.dumps(sample(code).fields(), ensure_ascii=False)  # the CLI's --json can carry it


def test_the_cli_sentences_are_the_ones_pizhu_always_printed():
    assert str(Reason(Code.NO_ARTICLES)) == "no articles found"
    assert str(Reason(Code.TOO_LARGE, {"size": "70 MB", "limit": "64 MB"})) == \
        "file too large (70 MB; limit 64 MB)"
    assert str(Reason(Code.NOT_JSON_TRUNCATED, {"line": 3, "column": 5})) == \
        "not valid JSON: line 3 column 5 (truncated?)"
    assert str(Reason(Code.CANNOT_LIST_FOLDER, {"cause": Code.PERMISSION_DENIED})) == \
        "cannot list folder: permission denied"
    assert str(Reason(Code.ARTICLE_TOO_LONG, {"chars": 1_200_000, "limit": 1_000_000})) == \
        "an article is too long (1,200,000 characters; the limit is 1,000,000)"
    assert str(Reason(Code.ENTRIES_SKIPPED, {"count": 1})) == "1 entry without article text skipped"
    assert str(Reason(Code.ENTRIES_SKIPPED, {"count": 3})) == "3 entries without article text skipped"
    # a detail missing (an old caller): the sentence up to it, never a KeyError
    assert str(Reason(Code.NOT_HTML)) == "not a readable HTML page"


def test_the_failure_carries_its_code():
    e = ImportFailure(Code.NOT_JSON, line=1, column=2, message="Expecting value")
    assert e.code is Code.NOT_JSON and e.params["line"] == 1
    assert e.reason == str(e) == "not valid JSON: line 1 column 2 (Expecting value)"
    assert ImportFailure.of(e.why).why == e.why
    f = Reason(Code.CANNOT_LIST_FOLDER, {"cause": Code.NO_SUCH_FILE}).fields()
    assert f == {"reason": "cannot list folder: no such file", "code": "cannot-list-folder",
                 "detail": {"cause": "no-such-file"}}


def test_os_errors_become_codes():
    assert os_reason(FileNotFoundError(errno.ENOENT, "x")).code is Code.NO_SUCH_FILE
    assert os_reason(PermissionError(errno.EACCES, "x")).code is Code.PERMISSION_DENIED
    assert os_reason(IsADirectoryError(errno.EISDIR, "x")).code is Code.IS_A_FOLDER
    io = os_reason(OSError(errno.EIO, "Input/output error"))
    assert io.code is Code.CANNOT_READ and io.params["error"] == "EIO"
    assert str(io) == "cannot read file (Input/output error)"


@pytest.mark.parametrize(("content", "code"), [
    (b"", Code.EMPTY),
    (b"\x00\x01\x02\x03" * 100, Code.BINARY),
    ('[{"title": "标题", "content": "正文'.encode(), Code.NOT_JSON_TRUNCATED),
    ('[{"title": "一" "content": "二"}, {"title": "三", "content": "四"}]'.encode(), Code.NOT_JSON),
    (json.dumps([{"title": "只有标题"}], ensure_ascii=False).encode(), Code.METADATA_ONLY),
])
def test_the_importers_raise_codes(tmp_path, content, code):
    f = tmp_path / "bad.json"
    f.write_bytes(content)
    with pytest.raises(ImportFailure) as info:
        parse_file(f)
    assert info.value.code is code


def test_missing_paths_are_reported_with_a_code(tmp_path):
    [(path, why)] = list(iter_import_files([tmp_path / "无此文件.txt"]))
    assert why == Reason(Code.NO_SUCH_FILE)


def test_the_library_s_report_carries_code_and_detail(tmp_path):
    ok = tmp_path / "好.txt"
    ok.write_text("一篇文章\n\n正文在这里。\n", encoding="utf-8")
    binary = tmp_path / "坏.txt"
    binary.write_bytes(b"\x00\xff" * 300)
    with Library.open(tmp_path / "lib") as lib:
        first = lib.import_paths([ok, binary, tmp_path / "没有.txt"])
        again = lib.import_paths([ok])
    by_name = {Path(f.path).name: f for f in first.files}
    assert by_name["坏.txt"].code == "binary" and by_name["坏.txt"].reason == "binary file"
    assert by_name["没有.txt"].code == "no-such-file"
    assert by_name["好.txt"].status == "added" and by_name["好.txt"].code == ""
    [same] = again.files
    assert same.status == "unchanged" and same.code == "already-imported"
    assert json.loads(json.dumps(same.to_json()))["code"] == "already-imported"
