"""Saved web pages (issue 13): WeChat article pages, an exporter's article folder, the
unavailable-article pages, any other saved news page, and hostile HTML. Fixtures are invented."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from reader.core.importers import ImportFailure, iter_import_files, parse_file, parse_text
from reader.core.structure import sniff_image
from reader.core.text import normalize

WECHAT = Path(__file__).parent / "fixtures" / "wechat"
EXPORT = WECHAT / "exporter" / "2025-11-07_城南菜市场的早晨"


def span(a, kind: str) -> list[str]:
    return [a.body[b.start:b.end] for b in a.blocks if b.kind == kind]


def test_wechat_page_fields_and_text() -> None:
    parsed = parse_file(WECHAT / "article_page.html")
    assert parsed.format == "wechat-html"
    (a,) = parsed.articles
    assert a.title == "城南菜市场的早晨"
    assert a.source == "河湾生活观察"
    assert a.byline == "周晓岚"
    assert a.date == "2025-11-07"  # 1762475508 is 2025-11-07 08:31 in China
    assert a.url.startswith("http://mp.weixin.qq.com/s?__biz=") and "&amp;" not in a.url
    assert "#rd" not in a.url
    assert a.subtitle == "一座老菜市场的改造故事"
    assert a.external_id == "2247483650_1" and a.kind == "wechat"
    assert normalize(a.body) == a.body
    lines = a.body.split("\n")
    assert lines[0] == "清晨五点半，城南菜市场的卷帘门一扇扇拉起。摊主们把刚到的青菜码放整齐，水珠还挂在叶子上。"
    # scripts, hidden paragraphs and links never become text; link text stays
    assert "脚本里的字" not in a.body and "不应出现" not in a.body and "alert" not in a.body
    assert "附近的老人常来挑选" in a.body


def test_wechat_page_structure() -> None:
    (a,) = parse_file(WECHAT / "article_page.html").articles
    assert span(a, "heading") == ["改造之后，更亮堂了"]
    assert [b.level for b in a.blocks if b.kind == "heading"] == [2]
    strong = span(a, "strong")
    assert "地面换成了防滑地砖" in strong and "每个摊位都装上了电子秤" in strong  # <strong>, style
    assert span(a, "em") == ["“以前一下雨就满地是水，现在干干净净。”"]
    assert span(a, "quote") == ["菜市场是一座城市最有烟火气的地方。\n——一位老顾客的留言"]
    assert span(a, "list_item") == ["• 营业时间：早五点至晚七点", "• 摊位数量：一百二十个"]
    (img,) = a.images
    assert img.url == "https://mmbiz.qpic.cn/mmbiz_jpg/AbCdEf/640?wx_fmt=jpeg"  # data-src
    assert img.data is None and img.alt == "清晨的菜市场"  # remote only: never fetched
    assert a.body[img.offset - 1] == "\n"  # pictures sit between paragraphs
    assert a.body[img.offset:].startswith("清晨的菜市场")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("deleted.html", "deleted by the publisher (该内容已被发布者删除)"),
        ("blocked.html", "blocked for violating the rules (此内容因违规无法查看)"),
        ("unavailable.html", "temporarily unavailable (该内容暂时无法查看)"),
    ],
)
def test_unavailable_pages_are_skipped_with_their_reason(name: str, reason: str) -> None:
    with pytest.raises(ImportFailure) as exc:
        parse_file(WECHAT / name)
    assert exc.value.reason == reason


def test_exporter_folder_yields_the_page_once_with_local_pictures() -> None:
    files = [p for p, _ in iter_import_files([WECHAT / "exporter"])]
    # the Markdown twin, the PDF, the .docx and the pictures are no separate articles
    assert [p.name for p in files] == ["2025-11-07_城南菜市场的早晨.html"]
    (a,) = parse_file(files[0]).articles
    assert a.title == "城南菜市场的早晨（图集）"
    before, after, missing = a.images
    assert before.data == (EXPORT / "assets" / "img_001.png").read_bytes()
    assert before.url.startswith("https://mmbiz.qpic.cn/")  # the original link is kept too
    assert after.data == (EXPORT / "assets" / "img_002.png").read_bytes() and after.alt == "改造后"
    assert missing.data is None and missing.url.endswith("wx_fmt=png")
    # ../../etc/passwd is no picture: dropped, nothing read into the article
    assert len(a.images) == 3
    assert a.body.split("\n") == [
        "这是菜市场改造前后的两组照片。", "改造前，通道狭窄，光线昏暗。", "改造后，通道拓宽了一倍，顶棚换成了采光板。",
    ]
    assert [a.body[i.offset:i.offset + 3] for i in a.images] == ["改造前", "改造后", ""]


def test_markdown_beside_a_page_is_imported_when_named(tmp_path: Path) -> None:
    md = EXPORT / "2025-11-07_城南菜市场的早晨.md"
    assert [p for p, _ in iter_import_files([md])] == [md]


def test_generic_news_page() -> None:
    parsed = parse_file(WECHAT / "news_page.html")
    assert parsed.format == "html"
    (a,) = parsed.articles
    assert a.title == "河湾市推进老旧小区改造"
    assert a.source == "河湾网" and a.byline == "林小雨" and a.date == "2026-03-05"
    assert a.url == "https://news.example.org/2026/03/05/renovation.html"
    assert a.body.startswith("本报讯 今年以来")
    for junk in ("首页", "相关新闻", "口袋公园", "版权所有", "fetch"):
        assert junk not in a.body
    assert span(a, "heading") == ["加装电梯成为重点"]
    assert span(a, "caption") == ["城东街道新装的电梯"]
    assert span(a, "list_item") == ["• 更新管网四百公里", "• 新增停车位两千个"]
    assert len(span(a, "quote")) == 1 and span(a, "strong") == ["全年计划完成改造小区一百二十个"]
    (img,) = a.images
    assert img.data == (WECHAT / "news_files" / "elevator.png").read_bytes()
    assert sniff_image(img.data) == ("image/png", 10, 7)
    assert normalize(a.body) == a.body


def _png() -> bytes:
    return (EXPORT / "assets" / "img_001.png").read_bytes()


def test_hostile_html_never_runs_loads_or_crashes(tmp_path: Path) -> None:
    import base64

    big = "A" * (50 * 1024 * 1024)
    small = base64.b64encode(_png()).decode()
    deep = "<div>" * 5000 + "深处的字" + "</div>" * 5000
    page = (
        "<!doctype html><html><head><link rel=stylesheet href='http://198.51.100.7/x.css'>"
        "<style>@import url(http://198.51.100.7/y.css);</style>"
        "<script>fetch('http://198.51.100.7/')</script></head><body>"
        "<div id='js_content'><p onclick=\"fetch('http://198.51.100.7/')\">第一段，开头。</p>"
        f"<img src='data:image/png;base64,{big}' alt='大图'>"
        f"<img src='data:image/png;base64,{small}' alt='小图'>"
        "<img src='x' onerror=\"fetch('http://198.51.100.7/')\">"
        "<p><a href='javascript:alert(1)'>点这里</a>之后的文字。</p>"
        "<iframe src='http://198.51.100.7/frame'></iframe><object data='x.swf'></object>"
        f"{deep}<p>最后一段。</p></div></body></html>"
    )
    p = tmp_path / "hostile.html"
    p.write_text(page, encoding="utf-8")
    (a,) = parse_file(p).articles
    assert a.body.startswith("第一段，开头。")
    assert "点这里之后的文字。" in a.body and a.body.endswith("最后一段。")
    assert "fetch" not in a.body and "alert" not in a.body and "@import" not in a.body
    big_img, small_img = a.images
    assert big_img.data is None and big_img.alt == "大图"  # over the data: URI limit
    assert small_img.data == _png()
    assert normalize(a.body) == a.body


def test_html_detection_from_content(tmp_path: Path) -> None:
    for src, fmt in [("article_page.html", "wechat-html"), ("news_page.html", "html")]:
        p = tmp_path / "renamed.txt"
        shutil.copyfile(WECHAT / src, p)
        assert parse_file(p).format == fmt
    # plain text that mentions a tag is still plain text
    parsed = parse_text("关于<html>标签的说明\n\n正文第一段。")
    assert parsed.format == "plain"
    # a page fragment without <html> (an exporter's content-only file)
    parsed = parse_text('<div id="js_content"><p>一段<b>粗体</b>文字。</p><p>第二段。</p></div>')
    assert parsed.format == "wechat-html"
    assert parsed.articles[0].body == "一段粗体文字。\n第二段。"


def test_importing_pages_opens_no_connection(tmp_path: Path, monkeypatch) -> None:
    from reader.core.library import Library

    attempts: list[str] = []
    real = socket.socket

    class NoNet(real):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if family in (socket.AF_INET, socket.AF_INET6) or (family == -1 and fileno is None):
                attempts.append("socket")
                raise OSError("network access attempted")
            super().__init__(family, type, proto, fileno)

    monkeypatch.setattr(socket, "socket", NoNet)
    def refuse(*args, **kwargs):
        attempts.append(f"lookup {args[:1]}")
        raise OSError("network access attempted")

    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    folder = tmp_path / "in"
    shutil.copytree(WECHAT, folder)
    with Library.open(tmp_path / "lib") as lib:
        summary = lib.import_paths([folder], update_index=False)
    assert attempts == []
    statuses = {Path(f.path).name: (f.status, f.reason) for f in summary.files}
    assert statuses["article_page.html"][0] == "added"
    assert statuses["deleted.html"] == ("failed", "deleted by the publisher (该内容已被发布者删除)")
    assert statuses["msglist.json"] == ("failed", "metadata only, no article text")


def test_a_big_page_parses(tmp_path: Path) -> None:
    """A 4 MB page with 50 pictures: read completely (its speed is measured by
    bench/import_html.py, not here)."""
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from bench.import_html import make_page

    page = make_page(tmp_path / "page", size=4 * 1024 * 1024, images=50)
    assert page.stat().st_size >= 4 * 1024 * 1024
    (a,) = parse_file(page).articles
    assert len(a.images) == 50 and all(i.data for i in a.images)
    assert len({i.offset for i in a.images}) == 50
    assert normalize(a.body) == a.body and len(a.body) > 40_000


def test_nested_lists_preformatted_text_and_windows_paths(tmp_path: Path) -> None:
    shutil.copyfile(EXPORT / "assets" / "img_001.png", tmp_path / "p.png")
    (tmp_path / "files").mkdir()
    shutil.copyfile(EXPORT / "assets" / "img_002.png", tmp_path / "files" / "q.png")
    page = tmp_path / "a.html"
    page.write_text(
        '<html><body><div id="js_content"><ol><li>外层<ul><li>内层一</li><li>内层二</li></ul>'
        "</li><li>外层二</li></ol><pre><code>第一行\n第二行\n</code></pre>"
        '<img src="p.png"><img src="files\\q.png"><p>完</p></div></body></html>', "utf-8")
    (a,) = parse_file(page).articles
    assert a.body == "1. 外层\n• 内层一\n• 内层二\n2. 外层二\n第一行\n第二行\n完"
    items = [(b.level, a.body[b.start:b.end]) for b in a.blocks if b.kind == "list_item"]
    assert items == [(1, "1. 外层"), (2, "• 内层一"), (2, "• 内层二"), (1, "2. 外层二")]
    assert [i.data is not None for i in a.images] == [True, True]
