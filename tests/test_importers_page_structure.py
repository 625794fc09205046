"""Newspaper pages read by their structure (issue 12): features stay whole, page furniture is no
title, an organisation under a headline is its byline, layout breaks are joined.

Fixtures in tests/fixtures/newspaper/ are invented text in the shapes of real pages. Every test
also checks the page invariant of tests/page_partition.py (every non-empty line in exactly one
article, in page order).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from page_partition import page_lines, partition

from reader.core.importers import parse_file, parse_text
from reader.core.importers.cleanup import continues, is_unfinished, reflow_text
from reader.core.importers.page import classify, is_furniture, is_org_line, split_page

NEWSPAPER = Path(__file__).resolve().parent / "fixtures" / "newspaper"


def parse_page(name: str):
    path = NEWSPAPER / name
    parsed = parse_file(path)
    partition(path.read_text(encoding="utf-8"), parsed.articles)
    assert [a.page_index for a in parsed.articles] == list(range(len(parsed.articles)))
    return parsed


def body_lines(draft) -> list[str]:
    return draft.body.split("\n")


def test_two_features_with_section_heads_and_end_bylines() -> None:
    parsed = parse_page("two_features.txt")
    assert parsed.format == "page"
    assert [a.title for a in parsed.articles] == [
        "老工业基地跑出转型加速度",
        "小院里的大民生",
        "社区图书角开放",
    ]
    factory, yard, corner = parsed.articles
    # section heads (one line, two lines, ``XX：…``) stay in the feature's body as lines
    lines = body_lines(factory)
    for head in ("数字赋能 制造业跑出加速度", "突围：链式“协奏”", "迈向产业链中高端"):
        assert head in lines
    assert lines[0] == "产业·新观察"  # the column tag above the headline opens the body
    assert factory.subtitle == "临江市制造业数字化改造调查"
    assert not any(ln.startswith("——") for ln in lines)  # the subtitle is not repeated
    assert factory.byline == "记者 林海 周舟" and lines[-1] == "记者 林海 周舟"
    # two layout breaks joined: one before a section head, one in the middle of a clause
    assert "全市工业技改投资同比增长百分之十二，智能工厂建设进度明显加快。" in factory.body
    assert "充分展现了产业集群的活力。" in factory.body
    assert "便民圈越织越密" in body_lines(yard)
    assert "服务：从“有没有”到“好不好”" in body_lines(yard)
    assert yard.byline == "记者 陈晨"
    assert corner.byline == "记者 王二"


def test_lead_bylines_structure_and_organisation_byline() -> None:
    parsed = parse_page("lead_bylines.txt")
    assert [a.title for a in parsed.articles] == [
        "城东新区举办科技成果对接会",
        "全市供暖运行平稳",
        "优化营商环境 激发市场活力",
    ]
    fair, heating, business = parsed.articles
    assert "二十个项目现场签约" in body_lines(fair)
    assert "热线接诉即办" in body_lines(heating)
    assert fair.byline == "本报讯（记者 孙悦）"
    # the organisation under the headline is the byline, not part of the title
    assert business.byline == "临江市商务局"
    assert body_lines(business)[0] == "临江市商务局"


def test_continued_article_keeps_its_labelled_sections() -> None:
    parsed = parse_page("continued.txt")
    assert parsed.format == "page"
    continued, library = parsed.articles
    assert continued.title.startswith("（上接第1版）入冬以来")
    lines = body_lines(continued)
    assert "保障：全市热源供应稳定充足 重点区域实现应开尽开" in lines
    assert "服务：二十四小时热线响应 居民诉求当日办结" in lines
    assert library.title == "城市书房延长开放时间"
    assert library.byline == "本报讯（记者 孙悦）"


def test_promotion_lines_and_page_credits_are_no_title() -> None:
    parsed = parse_page("promo_masthead.txt")
    titles = [a.title for a in parsed.articles]
    assert titles == ["城市书房里的夜读时光", "冬季长跑赛事周末开跑"]
    first, second = parsed.articles
    assert body_lines(first)[:2] == ["临江晚报", "下载临江晚报客户端 看往期电子版"]
    assert body_lines(second)[0] == "扫码关注临江晚报视频号"
    assert body_lines(second)[-2:] == ["本版编辑 张三", "本版摄影 李四"]
    assert all(a.source == "临江晚报" for a in parsed.articles)


def test_photo_label_with_captions_is_no_article() -> None:
    parsed = parse_page("photo_label.txt")
    assert [a.title for a in parsed.articles] == ["城市绿道全线贯通", "老街区焕发新活力"]
    greenway, street = parsed.articles
    assert body_lines(greenway)[-3:] == [
        "冬日湿地候鸟翩飞",
        "上图 成群的白鹭在湿地上空飞翔。",
        "下图 游客在观鸟台拍摄候鸟。 记者 赵敏 摄",
    ]
    assert greenway.byline == "本报讯（记者 林一）"
    assert body_lines(street)[0] == "本版摄影 赵敏"


def test_photo_label_at_the_top_opens_the_next_article() -> None:
    text = (
        "冬日湿地候鸟翩飞\n上图 成群的白鹭在湿地上空飞翔。\n下图 游客在观鸟台拍摄候鸟。\n"
        "城市绿道全线贯通\n本报讯（记者 林一）全长五十公里的城市绿道昨日全线贯通。\n"
        "老街区焕发新活力\n本报讯（记者 陈晨）走进城东老街，青石板路修葺一新。\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts] == ["城市绿道全线贯通", "老街区焕发新活力"]
    assert body_lines(drafts[0])[0] == "冬日湿地候鸟翩飞"
    partition(text, drafts)


def test_a_brief_without_byline_is_not_swallowed_by_a_long_headline() -> None:
    # the next candidate's headline is long: a headline, not a section head
    text = (
        "社区食堂开进老小区\n社区食堂开业第一天，不少老人早早排起了队。\n"
        "全市首批二十个智慧社区建设项目通过验收并于本月起全面投入使用\n"
        "从市住房城乡建设委获悉，首批智慧社区建设项目通过验收。\n记者 陈晨\n"
    )
    drafts = split_page(text, marked=False)
    assert len(drafts) == 2
    partition(text, drafts)


def test_feature_closed_by_two_byline_lines() -> None:
    text = (
        "老工业基地跑出转型加速度\n过去三年，全市六成规上工业企业完成数字化改造。\n"
        "数字赋能 制造业跑出加速度\n智能排产系统让交货周期缩短了三分之一。\n"
        "记者 林海\n通讯员 周舟\n"
        "城市绿道全线贯通\n全长五十公里的城市绿道昨日全线贯通。\n记者 林一\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts] == ["老工业基地跑出转型加速度", "城市绿道全线贯通"]
    assert drafts[0].body.split("\n")[-2:] == ["记者 林海", "通讯员 周舟"]
    partition(text, drafts)


def test_photo_news_heads_no_feature() -> None:
    # a photo news item (only a caption with its credit) is no feature the next article joins
    text = (
        "冬日湿地候鸟翩飞\n图为成群的白鹭在湿地上空飞翔。 记者 赵敏 摄\n"
        "城市绿道全线贯通\n全长五十公里的城市绿道昨日全线贯通。\n记者 林一\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts] == ["冬日湿地候鸟翩飞", "城市绿道全线贯通"]
    partition(text, drafts)


def test_text_from_another_page_heads_no_feature() -> None:
    # a continuation at the top of the page, then a short-titled article closed by its byline
    text = (
        "（上接第1版）会议还研究了其他事项，部署了下一阶段的重点工作。\n"
        "城市绿道全线贯通\n全长五十公里的城市绿道昨日全线贯通。\n记者 林一\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts][1:] == ["城市绿道全线贯通"]
    assert drafts[1].byline == "记者 林一"
    partition(text, drafts)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("下载临江晚报客户端 看往期电子版", True),
        ("扫码关注临江晚报视频号", True),
        ("本版编辑 张三", True),
        ("本版摄影 李四 王五", True),
        ("（详情请扫二维码查阅）", False),
        ("市民可通过客户端预约，每天开放十个小时。", False),
        ("城市书房里的夜读时光", False),
        ("政务服务客户端上线", False),
        ("看往期电子版", True),
        ("临江日报客户端", True),
    ],
)
def test_furniture(line: str, expected: bool) -> None:
    assert is_furniture(line) is expected
    if expected:
        assert classify(line, False, marked_page=False)[0] == "furniture"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("临江市商务局", True),
        ("临江市发展和改革委员会", True),
        ("天津经纬恒润科技有限公司", True),
        ("临江市商务局 临江市财政局", True),
        ("建设国际消费中心", False),
        ("打造一流市民服务中心", False),
        ("小院里的大民生", False),
        ("全市供暖运行平稳", False),
    ],
)
def test_organisation_lines(line: str, expected: bool) -> None:
    assert is_org_line(line) is expected


def test_organisation_line_not_under_a_headline_stays_text() -> None:
    text = (
        "一线故事\n临江精密仪器有限公司\n车间主任王红：\n从“跟跑”到“领跑”\n"
        "车间里，机械臂精准抓取零件。\n"
        "城市绿道全线贯通\n本报讯（记者 林一）全长五十公里的城市绿道昨日全线贯通。\n"
    )
    drafts = split_page(text, marked=False)
    assert drafts[0].byline == ""
    partition(text, drafts)


# ------------------------------------------------------------------ reflow

@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        # full-width punctuation
        (["记者走访发现，各地的新举措充分展现", "了发展的活力。"], ["记者走访发现，各地的新举措充分展现了发展的活力。"]),
        (["今年以来，全市新建社区食堂四家，", "便民服务点十二个。"], ["今年以来，全市新建社区食堂四家，便民服务点十二个。"]),
        (["发展的活力充分展现。", "新的一年，全市将继续推进。"], None),
        (["他说：“日子越过越好。”", "村里的合作社也办起来了。"], None),
        (["要打造“聪明的车”和", "“聪明的路”。"], ["要打造“聪明的车”和“聪明的路”。"]),
        # half-width punctuation
        (["记者走访发现,各地的新举措充分展现", "了发展的活力."], ["记者走访发现,各地的新举措充分展现了发展的活力."]),
        (["发展的活力充分展现!", "新的一年,全市将继续推进;"], None),
        (["会议要求;", "各区要抓好落实."], None),
        # a short headline over its paragraph is not joined
        (["数字赋能 制造业跑出加速度", "在一家老牌轴承企业，交货周期缩短了三分之一。"], None),
        (["一、总体要求", "坚持稳中求进，推动高质量发展。"], None),
        # a heading between two paragraphs
        (["会议强调了三点意见。", "下一步工作安排", "各区要抓好落实，确保取得实效。"], None),
        # captions, sources and dates keep their lines
        (["记者走访发现，各地的新举措", "图为市民在公园里赏花。"], None),
        (["天津市人民政府", "2025年12月30日"], None),
        (["让更多企业受益", "来源：临江日报"], None),
        # Latin words keep a space
        (["the layout broke this", "sentence here."], ["the layout broke this sentence here."]),
    ],
)
def test_reflow(lines: list[str], joined: list[str] | None) -> None:
    assert reflow_text("\n".join(lines)).split("\n") == (joined or lines)


def test_reflow_poster_style_lines() -> None:
    text = "\n昨天\n从临江铁路局集团有限公司\n（以下简称临江铁路局）了解到\n下月起将开行城际列车。\n\n气象专家提醒\n明天起气温下降，请注意保暖。"
    assert reflow_text(text).split("\n") == [
        "",
        "昨天从临江铁路局集团有限公司（以下简称临江铁路局）了解到下月起将开行城际列车。",
        "",
        "气象专家提醒",
        "明天起气温下降，请注意保暖。",
    ]


def test_reflow_keeps_blank_lines_and_single_lines() -> None:
    assert reflow_text("一行") == "一行"
    assert reflow_text("甲，\n\n乙。") == "甲，\n\n乙。"
    assert is_unfinished("充分展现") and not is_unfinished("活力。”")
    assert not continues("活力。", "新段落。", starts_group=False)


def test_wechat_final_content_is_reflowed() -> None:
    entry = {
        "标题title": "城际列车下月开行",
        "时间time": "2026-01-20",
        "公众号名称": "临江发布",
        "finalContent": "\r\r昨天\r从临江铁路局集团有限公司\r（以下简称临江铁路局）了解到\r"
        "下月起将开行城际列车\r\r一、开行方案\r早晚高峰各增开两对列车，方便通勤。\r来源：临江日报\r",
    }
    parsed = parse_text(json.dumps([entry], ensure_ascii=False))
    (draft,) = parsed.articles
    assert draft.body.split("\n") == [
        "昨天从临江铁路局集团有限公司（以下简称临江铁路局）了解到下月起将开行城际列车",
        "",
        "一、开行方案",
        "早晚高峰各增开两对列车，方便通勤。",
        "来源：临江日报",
    ]


# ------------------------------------------------------------------ property

POOL = [
    "城市绿道全线贯通",
    "老工业基地跑出转型加速度",
    "数字赋能 制造业跑出加速度",
    "突围：链式“协奏”",
    "迈向产业链中高端",
    "服务：二十四小时热线响应",
    "——临江市制造业数字化改造调查",
    "产业·新观察",
    "临江市商务局",
    "临江晚报",
    "下载临江晚报客户端 看往期电子版",
    "本版编辑 张三",
    "本版摄影 李四",
    "冬日湿地候鸟翩飞",
    "上图 成群的白鹭在湿地上空飞翔。",
    "下图 游客在观鸟台拍摄候鸟。 记者 赵敏 摄",
    "本报讯（记者 王一）全长五十公里的城市绿道昨日全线贯通。",
    "本报讯(记者 王一)全长五十公里的城市绿道昨日全线贯通.",
    "记者 林海 周舟",
    "■记者 李二",
    "（上接第1版）入冬以来，全市各供热企业提前完成设备检修。",
    "记者走访发现，各地的新举措充分展现",
    "了发展的活力。",
    "全市工业技改投资同比增长百分之十二,智能工厂建设",
    "进度明显加快.",
    "社区食堂开业第一天，不少老人早早排起了队。",
    "城北社区的图书角日前开放。（记者 王二）",
    "编者按",
    "## 城市绿道全线贯通",
    "",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=30), st.booleans())
def test_every_line_in_exactly_one_article_in_order(lines: list[str], marked: bool) -> None:
    text = "\n".join(lines)
    drafts = split_page(text, marked=marked)
    spans = partition(text, drafts)
    assert sum(len(s) for s in spans) == len(page_lines(text))
    for d in drafts:
        assert d.title.strip() and d.body.strip() and d.kind == "page"
        # furniture never starts a title (unless the article holds nothing that could be a
        # headline: furniture and section labels only)
        furniture = ("下载", "本版", "临江晚报")
        assert not d.title.startswith(furniture[:2]) or all(
            ln.startswith((*furniture, "编者按")) for ln in d.body.split("\n") if ln
        )
    assert [d.page_index for d in drafts] == list(range(len(drafts)))
