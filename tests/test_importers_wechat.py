"""WeChat JSON exports: key spelling, missing fields, wrong types, body clean-up, decorations."""

from __future__ import annotations

import json

import pytest

from reader.core.importers import ImportFailure, parse_file
from reader.core.importers.cleanup import strip_decorations
from reader.core.importers.dates import to_iso_date
from reader.core.importers.wechat import clean_body, entry_to_draft, parse_wechat


def test_fixture_export(fixtures) -> None:
    parsed = parse_file(fixtures / "importers" / "wechat_export.json")
    assert parsed.format == "wechat"
    titles = [a.title for a in parsed.articles]
    # the entry whose body is a number and the entry that is not an object are skipped
    assert titles == [
        "本周末降温明显，下周冷冷冷！",
        "新建公园将于元旦开放",
        "2025",
        "缺少标题的条目用正文的第一行作标题。",
    ]
    first, second, numeric, untitled = parsed.articles
    assert first.external_id == "1000001_1"
    assert first.source == "临川发布"
    assert first.date == "2025-12-05"
    assert first.url.startswith("http://mp.weixin.qq.com/s?")
    assert first.kind == "wechat"
    # box-drawing frame lines dropped, stray spaces trimmed, doubled \r -> one blank line
    assert first.body.split("\n")[:3] == [
        "受冷空气影响，本周末全市将出现明显降温。",
        "",
        "气象部门提醒市民注意防寒保暖。",
    ]
    assert "┏" not in first.body and "\r" not in first.body and "\n\n\n" not in first.body
    assert not first.body.endswith("\n")
    # English keys, a Unix timestamp, an author
    assert second.external_id == "1000002_1"
    assert second.date == "2025-12-05"
    assert second.source == "临川发布"
    assert second.byline == "文 / 王小雨"
    assert (
        second.body == "位于城北的滨湖公园将于元旦正式开放。\n公园内设有步道、儿童乐园和观鸟平台。"
    )
    assert numeric.date == "2025-12-03"
    assert untitled.body.startswith(untitled.title)


def test_single_object_and_wrapped_list(tmp_path) -> None:
    entry = {"title": "单篇文章", "content": "正文第一段。\r正文第二段。", "date": "2025/1/2"}
    single = tmp_path / "one.json"
    single.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    parsed = parse_file(single)
    assert [(a.title, a.date) for a in parsed.articles] == [("单篇文章", "2025-01-02")]

    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"data": {"list": [entry, entry]}}, ensure_ascii=False), "utf-8")
    assert len(parse_file(wrapped).articles) == 2


@pytest.mark.parametrize(
    "doc",
    [
        [],
        {},
        [1, 2, 3],
        [{"标题title": "只有标题"}],
        [{"finalContent": None}, {"finalContent": {"a": 1}}, {"finalContent": ["  ", ""]}],
        {"a": {"b": {"c": {"d": [{"content": "太深了"}]}}}},
        "一个字符串",
        None,
    ],
)
def test_no_usable_entries(tmp_path, doc) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    if isinstance(doc, str) or doc is None:
        # a JSON scalar does not even look like JSON to the detector: it is a plain text file
        # (the string) or fails as 'no articles found'
        try:
            parsed = parse_file(path)
        except ImportFailure as exc:
            assert exc.reason == "no articles found"
        else:
            assert parsed.format == "plain"
        return
    with pytest.raises(ImportFailure) as info:
        parse_file(path)
    # titles without text are metadata (issue 13); anything else holds no article at all
    titled = doc == [{"标题title": "只有标题"}]
    assert info.value.reason == ("metadata only, no article text" if titled else "no articles found")


@pytest.mark.parametrize(
    "entry",
    [
        {"标题title": ["列表"], "finalContent": "正文。"},
        {"标题title": {"x": 1}, "finalContent": "正文。", "时间time": [2025]},
        {"标题title": None, "finalContent": "正文。", "链接url": 5, "公众号名称": True},
        {"标题title": 3.5, "finalContent": "正文。", "时间time": "not a date", "文章标识符aid": 77},
        {"标题title": "标题", "finalContent": ["第一段。", "第二段。"], "时间time": 1.7e9},
        {"标题title": "标题", "finalContent": "正文。", "时间time": 10**40},
        {"标题title": "x" * 5000, "finalContent": "正文。"},
    ],
)
def test_wrong_types_are_coerced_or_ignored(entry) -> None:
    draft = entry_to_draft(entry)
    assert draft is not None
    assert draft.title and draft.body
    assert len(draft.title) <= 200
    assert draft.date == "" or len(draft.date) == 10
    assert isinstance(draft.external_id, str) and isinstance(draft.url, str)


def test_skipped_count() -> None:
    drafts, skipped = parse_wechat([{"content": "正文。"}, {"content": 1}, 7, {"title": "t"}])
    assert len(drafts) == 1
    assert skipped == 3


def test_clean_body() -> None:
    raw = " 第一段 \r\r\r 第二段\u3000\r\n第三段\u200b\r┗━┛\r\r"
    assert clean_body(raw) == "第一段\n\n第二段\n第三段"
    html = "<p>第一段。</p><p>第二段&amp;更多。</p>"
    assert clean_body(html) == "第一段。\n第二段&更多。"


def test_strip_decorations_keeps_normal_text() -> None:
    assert strip_decorations("冷\u0488冷\u0489！") == "冷冷！"
    assert strip_decorations("好\u0301\u0302消息") == "好消息"  # zalgo on Han
    assert strip_decorations("天津\u20dd") == "天津"
    keep = [
        "café résumé",  # Latin diacritics (decomposed below)
        "cafe\u0301",
        "1\ufe0f\u20e3 第一",  # keycap emoji
        "👍🏽 点赞",
        "👨\u200d👩\u200d👧 一家",
        "葛\U000e0100",  # ideographic variation selector
        "が\u3099",
        "ПРИВЕТ",
    ]
    for s in keep:
        assert strip_decorations(s) == s


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2026-01-20", "2026-01-20"),
        ("2026-1-2 08:30:00", "2026-01-02"),
        ("2026/01/20", "2026-01-20"),
        ("2026年1月20日", "2026-01-20"),
        ("20260120", "2026-01-20"),
        (1764892800, "2025-12-05"),
        (1764892800000, "2025-12-05"),
        ("1764892800", "2025-12-05"),
        ("2026-02-30", ""),
        ("昨天", ""),
        (None, ""),
        (True, ""),
        (-5, ""),
        (float("nan"), ""),
        (10**30, ""),
    ],
)
def test_dates(value, iso) -> None:
    assert to_iso_date(value) == iso


def test_html_entities_in_titles() -> None:
    draft = entry_to_draft({"title": "“双城”&amp;双向奔赴 &#8220;好&#8221;", "content": "正文。"})
    assert draft is not None
    assert draft.title == "“双城”&双向奔赴 “好”"
    plain = entry_to_draft({"title": "A&B 合作", "content": "正文。"})
    assert plain is not None and plain.title == "A&B 合作"
