"""Structure beside the text (issue 13): stored and loaded with the article, pictures stored once
by content, offsets into the stored text, highlights across emphasis and next to pictures that
survive a restart and an edited re-import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.core import structure
from reader.core.library import Library
from reader.core.structure import Block, Image, sniff_image
from reader.core.text import DocumentMap, OffsetMap

WECHAT = Path(__file__).parent / "fixtures" / "wechat"
EXPORT = WECHAT / "exporter" / "2025-11-07_城南菜市场的早晨"
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="author" content="周晓岚">
<script>var ct = "1762475508"; var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA5&amp;mid=77&amp;idx=1&amp;sn=ab#rd";</script>
</head><body><h1 id="activity-name">河边的早市</h1><a id="js_name">河湾生活观察</a>
<div id="js_content">{extra}<p>早市沿着河堤摆开，<strong>最早的摊位凌晨四点就亮起了灯</strong>，卖菜的老人说。</p>
<p><img src="assets/a.png" alt="河堤早市"></p><p>卖豆浆的夫妻已经在这里摆了十年摊。</p>
<h2>一条街的变化</h2><p>以前的土路如今铺上了青石板。</p></div></body></html>"""


def write_page(folder: Path, extra: str = "") -> Path:
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EXPORT / "assets" / "img_001.png", folder / "assets" / "a.png")
    page = folder / "page.html"
    page.write_text(PAGE.replace("{extra}", extra), encoding="utf-8")
    return page


def test_structure_round_trip_and_pictures_stored_once(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([WECHAT / "exporter", WECHAT / "news_page.html"], update_index=False)
        by_title = {a.title: a.id for a in lib.articles()}
        aid = by_title["城南菜市场的早晨（图集）"]
        s = lib.structure(aid)
        body = lib.article(aid).body
        before, after, remote = s.images
        assert before.file.startswith("images/") and before.file.endswith(".png")
        assert lib.image_path(before).read_bytes() == (EXPORT / "assets" / "img_001.png").read_bytes()
        assert (before.width, before.height, before.mime) == (8, 6, "image/png")
        assert before.alt == "改造前" and before.url.startswith("https://mmbiz.qpic.cn/")
        assert remote.file == "" and lib.image_path(remote) is None and remote.url
        assert body[before.offset:].startswith("改造前")
        # the news page's picture has other bytes: one more file; the same bytes again: none
        files = sorted(p for p in (tmp_path / "lib" / "images").rglob("*") if p.is_file())
        assert len(files) == 3
        name = files[0].name
        assert files[0].parent.name == name[:2] and len(name.split(".")[0]) == 64
        page = write_page(tmp_path / "again")  # uses img_001.png's bytes too
        lib.import_paths([page], update_index=False)
        assert len([p for p in (tmp_path / "lib" / "images").rglob("*") if p.is_file()]) == 3
        news = lib.structure(by_title["河湾市推进老旧小区改造"])
        kinds = {b.kind for b in news.blocks}
        assert {"heading", "caption", "list_item", "quote", "strong"} <= kinds


def test_highlight_across_bold_and_next_to_a_picture_survives(tmp_path: Path) -> None:
    page = write_page(tmp_path / "in")
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([page], update_index=False)
        (art,) = lib.articles()
        body = lib.article(art.id).body
        s = lib.structure(art.id)
        (bold,) = [b for b in s.blocks if b.kind == "strong"]
        (img,) = s.images
        across = (bold.start - 3, bold.end + 2)  # starts before the bold run, ends after it
        after_img = (img.offset, img.offset + 6)  # right after the picture
        h1 = lib.add_highlight(art.id, *across)
        h2 = lib.add_highlight(art.id, *after_img, color="green")
        quotes = (body[slice(*across)], body[slice(*after_img)])
    # a restart
    with Library.open(tmp_path / "lib") as lib:
        hs = {h.uuid: h for h in lib.highlights(article_id=art.id)}
        assert (hs[h1.uuid].quote, hs[h2.uuid].quote) == quotes
        assert lib.structure(art.id).images[0].offset == img.offset
    # an edited re-import: a paragraph more at the top, all offsets move
    write_page(tmp_path / "in", extra="<p>编者按：这是新加的一段。</p>")
    with Library.open(tmp_path / "lib") as lib:
        (report,) = lib.import_paths([page], update_index=False).files
        assert report.status == "updated"
        body = lib.article(art.id).body
        assert body.startswith("编者按：这是新加的一段。\n")
        hs = {h.uuid: h for h in lib.highlights(article_id=art.id)}
        for h, quote in zip((hs[h1.uuid], hs[h2.uuid]), quotes, strict=True):
            assert not h.orphan and h.quote == quote and body[h.start:h.end] == quote
        s = lib.structure(art.id)  # the new structure, over the new text
        (bold,) = [b for b in s.blocks if b.kind == "strong"]
        assert body[bold.start:bold.end] == "最早的摊位凌晨四点就亮起了灯"
        assert hs[h2.uuid].start == s.images[0].offset
        (heading,) = [b for b in s.blocks if b.kind == "heading"]
        assert body[heading.start:heading.end] == "一条街的变化"


def test_structure_of_another_text_is_never_applied(tmp_path: Path) -> None:
    page = write_page(tmp_path / "in")
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([page], update_index=False)
        (art,) = lib.articles()
        assert lib.structure(art.id)
        with lib.store.transaction() as conn:  # a body changed by a path that brings no structure
            conn.execute("UPDATE articles SET body = body || '\n又一段。' WHERE id = ?", (art.id,))
        assert not lib.structure(art.id)


def test_save_drops_structure_for_a_body_that_differs(tmp_path: Path) -> None:
    from reader.core.model import ArticleDraft

    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([write_page(tmp_path / "in")], update_index=False)
        (art,) = lib.articles()
        draft = ArticleDraft(title="x", body="另一段文字", blocks=[Block("strong", 0, 2)],
                             images=[Image(0, data=b"not a picture")])
        with lib.store.transaction() as conn:
            structure.save(conn, lib.root, art.id, draft)
        assert not lib.structure(art.id)
        body = lib.article(art.id).body
        draft = ArticleDraft(title="x", body=body, blocks=[
            Block("strong", 0, 2), Block("bogus", 0, 2), Block("em", 5, 2), Block("quote", 0, 10**6)],
            images=[Image(3, alt="中间", data=b"<svg onload=alert(1)>")])
        with lib.store.transaction() as conn:
            structure.save(conn, lib.root, art.id, draft)
        s = lib.structure(art.id)
        assert s.blocks == [Block("strong", 0, 2, 0)]  # unknown kinds and bad ranges dropped
        (img,) = s.images
        assert img.file == "" and img.alt == "中间"  # not a picture: a record only
        assert body[img.offset - 1] == "\n"  # inside a line: moved to the next line start


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ((EXPORT / "assets" / "img_002.png").read_bytes(), ("image/png", 6, 8)),
        (b"GIF89a\x05\x00\x03\x00" + b"\x00" * 20, ("image/gif", 5, 3)),
        (b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x0b\x08\x00\x09\x00\x0c\x03\x01\x22",
         ("image/jpeg", 12, 9)),
        (b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 8 + b"\x09\x00\x00\x04\x00\x00",
         ("image/webp", 10, 5)),
        (b"<html>not an image</html>", None),
        (b"\x89PNG\r\n\x1a\n", None),
        (b"", None),
    ],
)
def test_sniff_image(data: bytes, expected) -> None:
    assert sniff_image(data) == expected


def test_document_map_with_pictures() -> None:
    text = "ab\n😀c\nd"  # one astral character (two UTF-16 units)
    m = DocumentMap(text, [(3, 2), (6, 2)])  # a picture block before "😀c" and before "d"
    base = OffsetMap(text)
    assert [m.cp_to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 2, 5, 7, 8, 11, 12]
    for i in range(len(text) + 1):
        assert m.utf16_to_cp(m.cp_to_utf16(i)) == i
    assert m.utf16_to_cp(3) == 3 and m.utf16_to_cp(4) == 3  # on the picture: the text after it
    assert m.utf16_to_cp(6) == 3  # inside the surrogate pair: rounds down
    assert DocumentMap(text).cp_to_utf16(5) == base.cp_to_utf16(5)


def test_article_exports_as_markdown_with_structure_and_pictures(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    from reader.core.exporters.article_markdown import export_article

    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([WECHAT / "article_page.html", WECHAT / "exporter"], update_index=False)
        ids = {a.title: a.id for a in lib.articles()}
        md = export_article(lib, ids["城南菜市场的早晨"], tmp_path / "out").read_text("utf-8")
        assert md.startswith("# 城南菜市场的早晨\n")
        assert "## **改造之后，更亮堂了**" in md or "## 改造之后，更亮堂了" in md
        assert "**地面换成了防滑地砖**" in md and "*“以前一下雨就满地是水，现在干干净净。”*" in md
        assert "> 菜市场是一座城市最有烟火气的地方。" in md
        assert "- 营业时间：早五点至晚七点\n- 摊位数量：一百二十个" in md
        assert "![清晨的菜市场](<https://mmbiz.qpic.cn/mmbiz_jpg/AbCdEf/640?wx_fmt=jpeg>)" in md
        assert "javascript" not in md and "alert" not in md
        # the export reads back as the same text
        html = MarkdownIt("commonmark").render(md)
        assert "<strong>地面换成了防滑地砖</strong>" in html and "<blockquote>" in html
        out = export_article(lib, ids["城南菜市场的早晨（图集）"], tmp_path / "out")
        text = out.read_text("utf-8")
        copied = sorted((tmp_path / "out" / "images").iterdir())
        assert len(copied) == 2
        for p in copied:
            assert f"(<images/{p.name}>)" in text
        assert copied[0].read_bytes() in {
            (EXPORT / "assets" / n).read_bytes() for n in ("img_001.png", "img_002.png")}


def test_backup_and_restore_carry_the_pictures(tmp_path: Path) -> None:
    import zipfile

    from reader.core.backup import backup, restore

    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([WECHAT / "exporter"], update_index=False)
        (art,) = lib.articles()
        before = lib.structure(art.id)
        backup(lib, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        pics = [n for n in z.namelist() if n.startswith("images/")]
        assert len(pics) == 2
        # a forged entry (bytes that do not hash to the name, or are no picture) is left out
        data = z.read(pics[0])
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(tmp_path / "b.zip") as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info) if info.filename != pics[1] else b"<script>")
        dst.writestr("images/00/" + "0" * 64 + ".png", data)
        dst.writestr("images/../../evil.png", data)
    restore(tmp_path / "b.zip", tmp_path / "restored")
    with Library.open(tmp_path / "restored") as lib:
        after = lib.structure(art.id)
        assert [(i.file, i.offset, i.alt) for i in after.images] == [
            (i.file, i.offset, i.alt) for i in before.images]
        for img in after.images[:2]:
            assert lib.image_path(img).read_bytes() == (tmp_path / "lib" / img.file).read_bytes()
    restore(forged, tmp_path / "restored2")
    files = sorted(p.relative_to(tmp_path / "restored2").as_posix()
                   for p in (tmp_path / "restored2" / "images").rglob("*") if p.is_file())
    assert files == [pics[0]]
    assert not (tmp_path / "evil.png").exists()


def test_merge_and_split_helpers_carry_structure(tmp_path: Path) -> None:
    """reader.core.structure.merged/split keep structure on the right text when the library merges
    or splits an article (the library calls them inside its transaction)."""
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([write_page(tmp_path / "in")], update_index=False)
        (art,) = lib.articles()
        old = lib.article(art.id).body
        at = old.index("一条街的变化")
        head, rest_start = old[:at].rstrip("\n"), old.index("\n", at) + 1
        rest = old[rest_start:]
        with lib.store.transaction() as conn:
            conn.execute("UPDATE articles SET body = ? WHERE id = ?", (head, art.id))
            new_id = conn.execute(
                "INSERT INTO articles(uuid, key, title, body, content_hash, imported_at,"
                " updated_at) VALUES ('u2', 'k2', '一条街的变化', ?, 'h', 'now', 'now')",
                (rest,)).lastrowid
            structure.split(conn, art.id, old, new_id, len(head), rest_start)
        first, second = lib.structure(art.id), lib.structure(new_id)
        (bold,) = [b for b in first.blocks if b.kind == "strong"]
        assert head[bold.start:bold.end] == "最早的摊位凌晨四点就亮起了灯"
        assert not [b for b in first.blocks if b.kind == "heading"]  # the heading became a title
        assert len(first.images) == 1 and second.images == [] and second.blocks == []
        # and back together: the second part after the first, shifted
        joined = head + "\n\n一条街的变化\n" + rest
        shift = len(head) + 2 + len("一条街的变化") + 1
        with lib.store.transaction() as conn:
            conn.execute("INSERT INTO article_blocks(article_id, kind, start, end, level)"
                         " VALUES (?, 'em', 0, 2, 0)", (new_id,))
            structure._stamp(conn, new_id)
            conn.execute("UPDATE articles SET body = ? WHERE id = ?", (joined, art.id))
            structure.merged(conn, art.id, head, new_id, rest, shift)
            conn.execute("DELETE FROM articles WHERE id = ?", (new_id,))
        s = lib.structure(art.id)
        assert [joined[b.start:b.end] for b in s.blocks if b.kind == "em"] == ["以前"]
        (bold,) = [b for b in s.blocks if b.kind == "strong"]
        assert joined[bold.start:bold.end] == "最早的摊位凌晨四点就亮起了灯"
        assert s.images[0].offset == first.images[0].offset


def test_prune_images_removes_only_unreferenced_old_files(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([WECHAT / "exporter", write_page(tmp_path / "in")], update_index=False)
        files = sorted((tmp_path / "lib" / "images").rglob("*.png"))
        assert len(files) == 2
        ids = {a.title: a.id for a in lib.articles()}
        with lib.store.transaction() as conn:
            assert structure.prune_images(conn, lib.root, min_age=0) == 0  # all in use
            conn.execute("DELETE FROM articles WHERE id = ?", (ids["城南菜市场的早晨（图集）"],))
            assert structure.prune_images(conn, lib.root) == 0  # too young to be sure
            assert structure.prune_images(conn, lib.root, min_age=0) == 1  # img_002 only
        (left,) = (tmp_path / "lib" / "images").rglob("*.png")
        assert left.read_bytes() == (EXPORT / "assets" / "img_001.png").read_bytes()


def test_an_older_library_without_structure_tables_reads_as_no_structure() -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    assert not structure.load(conn, 1)
