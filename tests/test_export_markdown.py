"""Markdown export: grouped by article, quote, note, tags, colour, links back into Pizhu;
selections; file names derived from titles never leave the chosen folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from annotation_fixtures import annotated_library

from reader.core.exporters import (
    ExportError,
    Selection,
    check_output_path,
    export_dir,
    export_file,
    render,
    safe_filename,
)
from reader.core.exporters.markdown import escape
from reader.core.library import Library
from reader.core.links import article_link, parse_link
from reader.core.model import Highlight


@pytest.fixture
def source(tmp_path: Path) -> Iterator[tuple[Library, dict[str, Highlight]]]:
    lib, hls = annotated_library(tmp_path / "a")
    try:
        yield lib, hls
    finally:
        lib.close()


def test_whole_library(source: tuple[Library, dict[str, Highlight]]) -> None:
    lib, hls = source
    md = render(lib, Selection(everything=True), "markdown")
    assert md.startswith("# Pizhu 批注导出\n")
    assert "3 篇文章 · 6 条批注" in md
    # grouped by article, articles in date order
    titles = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert titles == ["小城图书馆扩建", "秋茶采摘忙", "社区食堂开张记"]
    assert "> 线上订单比去年增加了三成" in md
    assert "**批注**：数据" in md
    assert "标签：民生、经济 · 颜色：橙" in md
    assert "**批注**：孩子们很多。  \n值得再去看看" in md
    assert "删掉的" not in md and "烘焙设备" not in md  # deleted highlight
    assert "**失联划线**" in md and "> 为了方便老人" in md
    for h in hls.values():
        if not h.deleted:
            a = lib.article(h.article_id)
            link = f"pizhu://article/{a.uuid}#highlight={h.uuid}"
            assert f"[在 Pizhu 中打开]({link})" in md
            assert parse_link(link) is not None and parse_link(link).highlight_uuid == h.uuid
    assert "[原文链接](<https://mp.weixin.qq.com/s/wx-0002>)" in md


def test_special_characters_are_escaped(source: tuple[Library, dict[str, Highlight]]) -> None:
    lib, hls = source
    md = render(lib, Selection(article_ids=[hls["special"].article_id]), "markdown")
    assert r"> \[吃好\*喝好\]，#老有所养#" in md
    assert r"**批注**：标语 \*原文\* \[照录\]" in md
    assert escape("# 标题\n- 列表\n1. 一") == "\\# 标题\n\\- 列表\n\\1. 一"


def test_selection_by_tag_and_article(source: tuple[Library, dict[str, Highlight]]) -> None:
    lib, hls = source
    md = render(lib, Selection(tags=["民生"]), "markdown")
    assert "线上订单比去年增加了三成" in md and "为了方便老人" in md
    assert "绝版的地方志" not in md
    both = render(lib, Selection(tags=["民生", "经济"]), "markdown")
    assert "线上订单" in both and "为了方便老人" not in both
    either = render(lib, Selection(tags=["人物", "经济"], any_tag=True), "markdown")
    assert "来自𠮷林村的王师傅" in either and "线上订单" in either
    one = render(lib, Selection(article_ids=[hls["tea"].article_id]), "markdown")
    assert [x for x in one.splitlines() if x.startswith("## ")] == ["## 秋茶采摘忙"]
    with pytest.raises(ExportError):
        render(lib, Selection(), "markdown")


def test_links_parse() -> None:
    a, h = "0b7c1b8e-58d5-4d7e-9a3c-2f4f6f3e9a10", "1b7c1b8e-58d5-4d7e-9a3c-2f4f6f3e9a11"
    assert parse_link(article_link(a, h)).highlight_uuid == h
    assert parse_link(article_link(a)).article_uuid == a
    assert parse_link(article_link(a)).highlight_uuid is None
    assert parse_link("https://example.org") is None
    assert parse_link("pizhu://article/../../etc") is None


def test_export_file_is_written_whole(source: tuple[Library, dict[str, Highlight]],
                                      tmp_path: Path) -> None:
    lib, _ = source
    out = tmp_path / "out" / "notes.md"
    with pytest.raises(ExportError, match="does not exist"):
        export_file(lib, Selection(everything=True), "markdown", out)
    out.parent.mkdir()
    path, articles, highlights = export_file(lib, Selection(everything=True), "markdown", out)
    assert (path, articles, highlights) == (out, 3, 6)
    assert "秋茶采摘忙" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.parent.iterdir()) == ["notes.md"]  # no temp files left
    with pytest.raises(ExportError, match=r"'\.\.'"):
        check_output_path(tmp_path / "out" / ".." / "escape.md")


def test_export_dir_names_stay_inside(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("../../逃出/目录\n正文里有一句要标注的话。\n", encoding="utf-8")
    (src / "b.txt").write_text("CON\n另一篇的正文也有一句话。\n", encoding="utf-8")
    (src / "c.txt").write_text("..\n第三篇的正文同样有话。\n", encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([src])
        assert sorted(a.title for a in lib.articles()) == ["..", "../../逃出/目录", "CON"]
        for a in lib.articles():
            body = lib.article(a.id).body
            lib.add_highlight(a.id, 0, min(4, len(body)))
        out = tmp_path / "export"
        out.mkdir()
        files = export_dir(lib, Selection(everything=True), "markdown", out)
    assert len(files) == 3
    for f in files:
        assert f.parent == out.resolve()
        assert ".." not in f.name and "/" not in f.stem
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in files)
    assert list(tmp_path.glob("逃出*")) == [] and not (tmp_path.parent / "逃出").exists()


@pytest.mark.parametrize(("title", "expected"), [
    ("../../etc/passwd", "etc passwd"),
    ("..", "article"),
    ("a/b\\c:d*e?f", "a b c d e f"),
    ("CON", "article-CON"),
    ("  .隐藏. ", "隐藏"),
    ("标题\x00\n第二行", "标题 第二行"),
    ("", "article"),
])
def test_safe_filename(title: str, expected: str) -> None:
    assert safe_filename(title) == expected
    assert "/" not in safe_filename(title) and ".." not in safe_filename(title)
