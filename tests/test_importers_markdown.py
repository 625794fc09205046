"""Markdown articles (issue 13): WeChat Markdown exports without front matter and notes with
YAML front matter, kept with their structure. Fixtures are invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.importers import ImportFailure, parse_file, parse_text
from reader.core.text import normalize

WECHAT = Path(__file__).parent / "fixtures" / "wechat"


def span(a, kind: str) -> list[str]:
    return [a.body[b.start:b.end] for b in a.blocks if b.kind == kind]


def test_wechat_markdown_export() -> None:
    parsed = parse_file(WECHAT / "wechat_export.md")
    assert parsed.format == "markdown"
    (a,) = parsed.articles
    assert a.title == "老街区里的新书店"
    assert a.source == "河湾生活观察" and a.byline == "林一舟"
    # the author line and the account card are metadata, not text
    for junk in ("原创", "javascript", "微信号", "功能介绍", "hewan_life", "河湾生活观察"):
        assert junk not in a.body
    assert a.body.split("\n") == [
        "周末的午后，老街区拐角的那家书店里坐满了人。",
        "书店的主人是一对年轻夫妻，他们把祖辈留下的老房子改成了书店。",
        "我们想让街坊们有个坐下来看书的地方。",
        "店里还设了一个儿童角，每周六有志愿者来讲故事。",
    ]
    assert span(a, "strong") == ["书店的主人是一对年轻夫妻"]
    assert span(a, "em") == ["儿童角"]
    assert span(a, "quote") == ["我们想让街坊们有个坐下来看书的地方。"]
    cover, shop = a.images
    assert cover.offset == 0 and "wx_fmt=jpeg" in cover.url and cover.data is None
    assert "wx_fmt=png" in shop.url and a.body[shop.offset:].startswith("我们想让")
    assert normalize(a.body) == a.body


def test_markdown_with_front_matter() -> None:
    parsed = parse_file(WECHAT / "note_frontmatter.md")
    assert parsed.format == "markdown"
    (a,) = parsed.articles
    assert a.title == "河湾湿地公园迎来候鸟"
    assert (a.byline, a.source, a.date) == ("苏墨", "河湾晚报", "2025-12-02")
    assert a.url == "https://example.org/articles/wetland-birds"
    assert not a.body.startswith("河湾湿地公园迎来候鸟")  # the # title is not repeated
    assert "tags" not in a.body and "---" not in a.body
    assert span(a, "heading") == ["观鸟指南"]
    assert span(a, "list_item") == ["1. 清晨和傍晚是最佳观鸟时间", "2. 请保持安静，不要投喂"]
    (img,) = a.images
    assert img.alt == "湖面上的白鹭" and img.data is None and img.url == ""  # file not there
    assert img.offset == len(a.body)


def test_markdown_with_local_picture(tmp_path: Path) -> None:
    png = (WECHAT / "news_files" / "elevator.png").read_bytes()
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(png)
    (tmp_path / "a.md").write_text("# 标题\n\n第一段，**加粗**。\n\n![图](img/a.png)\n\n第二段。\n",
                                   encoding="utf-8")
    (a,) = parse_file(tmp_path / "a.md").articles
    (img,) = a.images
    assert img.data == png and a.body[img.offset:] == "第二段。"


def test_plain_markdown_stays_plain() -> None:
    parsed = parse_text("社区食堂开进老小区\n\n开业第一天。\n\n## 背景\n\n老龄化加快。\n")
    assert parsed.format == "plain"


def test_bad_front_matter_is_text_not_a_crash(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: [unclosed\nauthor: *nope\n---\n\n**正文**第一段。\n", encoding="utf-8")
    (a,) = parse_file(p).articles
    assert "正文第一段。" in a.body
    # an alias bomb in front matter is refused by the safe loader's limits, never expanded
    bomb = "---\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)) + "title: 标题\n---\n**正文**。\n"
    p.write_text(bomb, encoding="utf-8")
    try:
        (a,) = parse_file(p).articles
    except ImportFailure as exc:
        assert exc.reason
    else:
        assert a.title == "标题" and a.body == "正文。"


_MD_PIECES = st.sampled_from([
    "# ", "## ", "**", "*", "_", "> ", "- ", "1. ", "![", "](", ")", "[", "]", "`", "```\n",
    "---\n", "\n", "\n\n", "<b>", "</b>", "<script>", "javascript:", "微信号 ", "原创 ", "中文",
    "😀", "𠀋", "\u0301", "\x00", "\r", "|", "&amp;", "<!--", "  \n",
])


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(_MD_PIECES, st.text(max_size=8)), max_size=40))
def test_markdown_and_html_never_crash_and_keep_offsets_valid(pieces: list[str]) -> None:
    """Random Markdown and HTML: a clean article with normalised text and structure inside it,
    or one readable reason."""
    text = "".join(pieces)
    for doc in (text, "<!doctype html><html><body><div id='js_content'>" + text + "</div>"):
        try:
            parsed = parse_text(doc)
        except ImportFailure as exc:
            assert exc.reason and "internal error" not in exc.reason
            continue
        for a in parsed.articles:
            if parsed.format not in ("markdown", "html", "wechat-html"):
                continue
            assert normalize(a.body) == a.body
            for b in a.blocks:
                assert 0 <= b.start < b.end <= len(a.body)
            for img in a.images:
                assert 0 <= img.offset <= len(a.body)


@pytest.mark.parametrize("n", [60, 3000])
def test_deeply_nested_markdown(n: int) -> None:
    parsed = parse_text("**开头**\n\n" + "> " * n + "深处的字\n\n- " * 3 + "结尾\n")
    (a,) = parsed.articles
    assert "深处的字" in a.body and a.body.endswith("结尾")


def test_front_matter_tags_become_the_articles_tags(tmp_path: Path) -> None:
    from reader.core.library import Library

    (a,) = parse_file(WECHAT / "note_frontmatter.md").articles
    assert a.tags
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([WECHAT / "note_frontmatter.md"])
        (art,) = lib.articles()
        assert sorted(lib.article(art.id).tags) == sorted(a.tags)
        assert lib.search(f"tag:{a.tags[0]}")[1] == 1
