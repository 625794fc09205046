"""Other WeChat JSON shapes (issue 13): arrays of ``aid``/``title``/``link``/``create_time``
objects with HTML or text content, and the older message list (metadata only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.importers import ImportFailure, parse_file

WECHAT = Path(__file__).parent / "fixtures" / "wechat"


def test_aid_shape_with_html_and_text_content() -> None:
    parsed = parse_file(WECHAT / "articles_aid.json")
    assert parsed.format == "wechat"
    first, second = parsed.articles
    assert parsed.skipped == 1  # the entry without content
    assert first.external_id == "2247483700_1" and first.title == "秋收时节走进稻田"
    assert first.date == "2025-11-07"  # create_time in Unix seconds, China date
    assert first.byline == "周晓岚" and first.source == "河湾生活观察"
    assert first.subtitle == "金黄的稻浪里，农机手们正忙着抢收。"
    # escaped slashes and &amp; in the link; the cover is not the link
    assert first.url == "https://mp.weixin.qq.com/s?__biz=MzA5OTAwMDAwMA==&mid=2247483700&idx=1&sn=aa11"
    # HTML content: paragraphs, bold, a picture at a paragraph start
    assert first.body.split("\n") == [
        "十一月初，河湾镇的稻田进入收割期。", "今年的亩产比去年高出一成。", "合作社的仓库里，新米已经开始装袋。",
    ]
    assert [first.body[b.start:b.end] for b in first.blocks if b.kind == "strong"] == [
        "今年的亩产比去年高出一成。"]
    (img,) = first.images
    assert img.url.endswith("wx_fmt=jpeg") and img.data is None
    assert first.body[img.offset:].startswith("合作社")
    # text content: lines kept, no structure
    assert second.date == "2025-11-08" and second.body.startswith("老城区的面馆开了四十年。")
    assert second.blocks == [] and second.images == []


def test_message_list_is_metadata_only() -> None:
    with pytest.raises(ImportFailure) as exc:
        parse_file(WECHAT / "msglist.json")
    assert exc.value.reason == "metadata only, no article text"


def test_message_list_entries_are_flattened() -> None:
    from reader.core.importers.wechat import expand_message_list

    doc = json.loads((WECHAT / "msglist.json").read_text("utf-8"))
    flat = expand_message_list(doc["list"])
    assert [e["title"] for e in flat] == ["城南菜市场的早晨", "老街区里的新书店", "一碗面的四十年"]
    assert [e["datetime"] for e in flat] == [1762475508, 1762475508, 1762561908]
    assert flat[1]["content_url"].startswith("http://mp.weixin.qq.com/s?")


def test_message_list_with_text_imports_it(tmp_path: Path) -> None:
    doc = json.loads((WECHAT / "msglist.json").read_text("utf-8"))
    doc["list"][1]["app_msg_ext_info"]["content"] = "<p>第一段。</p><p>第二段。</p>"
    p = tmp_path / "list.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    parsed = parse_file(p)
    (a,) = parsed.articles
    assert parsed.skipped == 2
    assert (a.title, a.body, a.date) == ("一碗面的四十年", "第一段。\n第二段。", "2025-11-08")
    assert a.url == "http://mp.weixin.qq.com/s?__biz=MzA5OTAwMDAwMA==&mid=2247483652&idx=1&sn=2c3d4e5f#rd"
