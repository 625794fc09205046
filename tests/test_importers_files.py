"""parse_file on bad input, detection from content, plain articles, folder expansion."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.core.importers import (
    MAX_FILE_BYTES,
    Code,
    ImportFailure,
    Reason,
    iter_import_files,
    parse_file,
)


def failure(path: Path, **kw) -> str:
    with pytest.raises(ImportFailure) as info:
        parse_file(path, **kw)
    assert isinstance(info.value.reason, str) and info.value.reason
    return info.value.reason


def test_max_file_bytes_default() -> None:
    assert MAX_FILE_BYTES == 64 * 1024 * 1024


def test_nonexistent(tmp_path) -> None:
    assert failure(tmp_path / "missing.txt") == "no such file"


def test_folder_and_fifo(tmp_path) -> None:
    assert failure(tmp_path) == "is a folder"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert failure(fifo) == "not a regular file"  # and it must not block reading it


def test_huge_sparse_file_is_refused_without_reading(tmp_path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(210 * 1024 * 1024)
    assert failure(big) == "file too large (210 MB; limit 64 MB)"
    small = tmp_path / "small.txt"
    small.write_text("标题\n\n正文内容。" * 100, encoding="utf-8")
    assert failure(small, max_bytes=1000).startswith("file too large (")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_permission_denied(tmp_path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("标题\n正文。", encoding="utf-8")
    p.chmod(0)
    try:
        assert failure(p) == "permission denied"
    finally:
        p.chmod(0o600)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '[{"标题title": "一", "finalContent": "正文',
            "not valid JSON: line 1 column 35 (truncated?)",
        ),
        (
            '[{"title": "一", "content": "正文。"},\n',
            "not valid JSON: line 2 column 1 (truncated?)",
        ),
        (
            '{"title": "一", "content": "正文。"} extra',
            "not valid JSON: line 1 column 34 (Extra data)",
        ),
    ],
)
def test_truncated_json(tmp_path, content: str, expected: str) -> None:
    p = tmp_path / "export.txt"
    p.write_text(content, encoding="utf-8")
    assert failure(p) == expected


def test_deeply_nested_json(tmp_path) -> None:
    p = tmp_path / "deep.json"
    p.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    reason = failure(p)
    assert reason in ("not valid JSON: nested too deeply", "no articles found")


def test_huge_integer_json(tmp_path) -> None:
    p = tmp_path / "int.json"
    p.write_text('[{"title": "x", "content": "正文", "time": ' + "9" * 5000 + "}]", "utf-8")
    parsed = parse_file(p)  # the date is simply not understood
    assert parsed.articles[0].date == ""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\n \n", "empty file"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00", "binary file"),
        (b"[]", "no articles found"),
        (b"{}", "no articles found"),
    ],
)
def test_bad_files(tmp_path, data: bytes, reason: str) -> None:
    p = tmp_path / "f.txt"
    p.write_bytes(data)
    assert failure(p) == reason


def test_format_is_detected_from_content_not_name(tmp_path, fixtures) -> None:
    src = fixtures / "importers"
    cases = {
        "wechat_export.json": "wechat",
        "page_marked.txt": "page-marked",
        "page_unmarked.txt": "page",
        "article.txt": "plain",
        "article.md": "plain",
    }
    for name, fmt in cases.items():
        for new_name in ("renamed.md", "renamed.json", "renamed"):
            p = tmp_path / new_name
            p.write_bytes((src / name).read_bytes())
            assert parse_file(p).format == fmt, (name, new_name)


def test_plain_articles(fixtures) -> None:
    md = parse_file(fixtures / "importers" / "article.md")
    assert md.format == "plain"
    (a,) = md.articles
    assert a.title == "社区食堂开进老小区"  # '# ' removed
    assert a.body.startswith("社区食堂开业第一天")
    assert "## 下一步" in a.body  # a Markdown document keeps its section headings as text
    assert a.kind == "plain" and a.source == "" and a.date == ""

    txt = parse_file(fixtures / "importers" / "article.txt")
    bom = parse_file(fixtures / "importers" / "article_crlf_bom.txt")
    assert bom.encoding == "utf-8-sig"
    assert [(x.title, x.body) for x in bom.articles] == [(x.title, x.body) for x in txt.articles]
    assert "\r" not in bom.articles[0].body


def test_one_line_and_long_line_files(tmp_path) -> None:
    p = tmp_path / "one.txt"
    p.write_text("只有一行的文件", encoding="utf-8")
    (a,) = parse_file(p).articles
    assert a.title == "只有一行的文件" and a.body == "只有一行的文件"
    p.write_text("很长的一段话。" * 100, encoding="utf-8")
    (a,) = parse_file(p).articles
    assert len(a.title) <= 61 and a.title.endswith("…")
    assert a.body == "很长的一段话。" * 100


def test_json_like_plain_text_is_plain(tmp_path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(
        "[转载] 城市绿道全线贯通\n\n全长五十公里的城市绿道昨日全线贯通。", encoding="utf-8"
    )
    parsed = parse_file(p)
    assert parsed.format == "plain"
    assert parsed.articles[0].title == "[转载] 城市绿道全线贯通"


def test_iter_import_files(tmp_path, fixtures) -> None:
    tree = fixtures / "importers" / "tree"
    got = list(iter_import_files([tree]))
    rel = [(p.relative_to(tree).as_posix(), r) for p, r in got]
    # hidden files/folders and non-text suffixes skipped; sorted; recursive
    assert rel == [("a.txt", None), ("sub/b.md", None)]

    missing = tmp_path / "nope"
    explicit = tree / "sub" / "notes.log"
    got = list(iter_import_files([missing, explicit, tree / "a.txt", tree]))
    assert got[0] == (missing, Reason(Code.NO_SUCH_FILE))
    assert str(got[0][1]) == "no such file"
    assert got[1] == (explicit, None)  # named explicitly: always a candidate
    assert got[2] == (tree / "a.txt", None)
    assert got[3:] == [(tree / "sub" / "b.md", None)]  # a.txt not repeated


def test_iter_import_files_symlink_loop(tmp_path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("标题\n正文。", encoding="utf-8")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    assert [p.name for p, _ in iter_import_files([tmp_path])] == ["x.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list anything")
def test_unlistable_folder(tmp_path) -> None:
    d = tmp_path / "locked"
    d.mkdir()
    d.chmod(0)
    try:
        got = list(iter_import_files([tmp_path]))
        assert got == [(d, Reason(Code.CANNOT_LIST_FOLDER, {"cause": Code.PERMISSION_DENIED}))]
        assert str(got[0][1]) == "cannot list folder: permission denied"
    finally:
        d.chmod(0o700)


def test_wechat_with_json_extension_and_bom(tmp_path) -> None:
    doc = [{"标题title": "标题", "finalContent": "正文。", "公众号名称": "号"}]
    p = tmp_path / "x.json"
    p.write_bytes(b"\xef\xbb\xbf  \n" + json.dumps(doc, ensure_ascii=False).encode())
    parsed = parse_file(p)
    assert parsed.format == "wechat" and parsed.encoding == "utf-8-sig"
    assert parsed.articles[0].source == "号"


def test_single_article_with_subheadings_is_plain(tmp_path) -> None:
    text = (
        "老街区焕发新活力\n\n走进城东老街，青石板路修葺一新。\n\n"
        "保护优先\n\n改造保留了老街的原有风貌。\n\n"
        "业态更新\n\n老字号店铺重新开张，不少年轻人专程前来。\n\n"
        "留住记忆 守住乡愁\n\n街区还开设了一间小小的展览馆。\n"
    )
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    parsed = parse_file(p)
    assert parsed.format == "plain"
    assert [a.title for a in parsed.articles] == ["老街区焕发新活力"]
    # the same text with a byline in one of its parts reads as a page
    p.write_text(text.replace("街区还开设", "本报讯（记者 王一）街区还开设"), encoding="utf-8")
    assert parse_file(p).format == "page"


def test_markdown_article_with_sections_is_plain(tmp_path) -> None:
    text = "社区食堂开进老小区\n\n开业第一天，老人排起了队。\n\n## 背景\n\n老龄化加快。\n\n## 下一步\n\n再建两处。\n"
    p = tmp_path / "a.md"
    p.write_text(text, encoding="utf-8")
    parsed = parse_file(p)
    assert parsed.format == "plain"
    assert parsed.articles[0].title == "社区食堂开进老小区"


def test_json_lines(tmp_path) -> None:
    rows = [{"title": f"第{i}篇", "content": f"正文{i}。", "aid": f"a{i}"} for i in range(3)]
    p = tmp_path / "export.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    parsed = parse_file(p)
    assert parsed.format == "wechat"
    assert [a.external_id for a in parsed.articles] == ["a0", "a1", "a2"]
    p.write_text(json.dumps(rows[0]) + "\n" + '{"title": "x", "con', encoding="utf-8")
    assert failure(p).startswith("not valid JSON: line 2 column")
