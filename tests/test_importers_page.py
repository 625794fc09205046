"""Newspaper pages: the split rules of ../shared/corpus/README.md on our own fixture pages.

Invariant (see reader/core/importers/page.py and tests/page_partition.py): for every article, ``body``
holds the article's lines in page order except the title and subtitle lines (lines broken
mid-sentence by the layout joined); re-inserting them after the article's pre-title lines and
concatenating all articles gives back every non-empty page line exactly once.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from page_partition import titled_flags

from reader.core.importers import parse_file, parse_text
from reader.core.importers.page import byline_of, classify, split_page


def assert_partition(text: str, drafts) -> list[bool]:
    """Check the invariant (tests/page_partition.py): the articles, in order, cover every page
    line exactly once. Returns per article whether its title is made of page lines."""
    return titled_flags(text, drafts)


def test_marked_fixture(fixtures) -> None:
    path = fixtures / "importers" / "page_marked.txt"
    parsed = parse_file(path)
    assert parsed.format == "page-marked"
    arts = parsed.articles
    assert all(assert_partition(path.read_text(encoding="utf-8"), arts))
    assert [a.title for a in arts] == [
        "小小草莓棚里的“甜蜜经济”",
        "从“靠天吃饭”到“智慧种植”",
        "滨河新区举办青年创业大赛 百余个项目同台竞技",  # two headline lines joined
        "让特色农业走得更远",
        "市图书馆延长开放时间",
        "全市供暖运行平稳",
        "第三批群众举报件办理情况公布",
    ]
    assert [a.page_index for a in arts] == list(range(7))
    assert all(a.kind == "page" and a.source == "" and a.date == "" for a in arts)
    feature, story, contest, expert, library, heating, report = arts
    # banner + kicker above the headline open the body; the label stays text
    assert feature.body.split("\n")[:3] == ["乡村振兴看变化", "新春·新气象", "编者按"]
    assert feature.byline == "记者 林晓"
    assert story.body.split("\n")[:3] == ["一线故事", "南湖镇草莓种植合作社", "理事长周红梅："]
    # a column-break fragment stays with the text it ends
    assert story.body.split("\n")[-1] == "当年合作社只有"
    assert contest.subtitle == ""
    assert (
        contest.body.split("\n")[0]
        == "本报讯（记者 陈立 吴桐）昨天，滨河新区第三届青年创业大赛决赛举行，来自全市的一百余个项目同台竞技，涵盖智能制造、数字文创、现代农业等领域。"
    )
    assert contest.byline == "本报讯（记者 陈立 吴桐）"
    assert "（上接第1版）新建成的物流中心" in contest.body
    assert expert.body.split("\n")[-2:] == ["图为种植户在大棚里采摘草莓。", "记者 赵敏 摄"]
    assert expert.byline == ""  # a photo credit is not the article's byline
    assert library.byline == "本报讯（记者 孙悦）"
    assert heating.byline == "本报讯（记者 郑凯）"
    assert report.body.split("\n")[0] == "督察组在行动"
    assert report.body.split("\n")[-1] == "（详情请扫二维码查阅）"


def test_unmarked_fixture(fixtures) -> None:
    path = fixtures / "importers" / "page_unmarked.txt"
    parsed = parse_file(path)
    assert parsed.format == "page"
    arts = parsed.articles
    assert all(assert_partition(path.read_text(encoding="utf-8"), arts))
    assert [a.title for a in arts] == [
        "市长王明在高新区调研时强调",
        "春季农业生产全面展开 各地抢抓农时 保障粮食安全",
        "全市高标准农田建设稳步推进",
        "老街区焕发新活力",
    ]
    visit, spring, fields, street = arts
    assert visit.subtitle == "以科技创新引领产业升级"  # a dash line: the subtitle, not in the body
    assert "——以科技创新引领产业升级" not in visit.body
    assert visit.byline == "本报讯(记者 李华 张伟)"
    assert visit.body.split("\n")[0] == "临川日报 2025年3月8日 星期六 第2版"
    # a sentence broken by the layout is joined back into one paragraph
    assert (
        "在临川精密仪器有限公司,王明察看了生产车间和研发中心,详细了解企业技术攻关和市场开拓情况,"
        "勉励企业持续加大研发投入。" in visit.body.split("\n")
    )
    assert all(a.source == "临川日报" and a.date == "2025-03-08" for a in arts)
    assert fields.body.split("\n")[0] == "新闻延伸"
    assert fields.byline == "记者 周敏"  # a byline at the end of the article
    assert "(上接第1版)各区县" in fields.body
    assert street.body.split("\n")[0] == "城乡·新观察"
    assert spring.byline == ""


LABEL_LINES = [
    "编者按",
    "本期关注：",
    "一线故事",
    "政策帮问",
    "专家解读",
    "新闻延伸",
    "【记者手记】",
    "链接：",
]


@pytest.mark.parametrize("label", LABEL_LINES)
@pytest.mark.parametrize("marked", [True, False])
def test_labels_never_start_articles(label: str, marked: bool) -> None:
    h = "## " if marked else ""
    text = (
        f"{h}全市推进老旧小区改造\n\n本报讯（记者 王一）今年全市将改造老旧小区一百个，惠及居民三万户。\n\n"
        f"{h}{label}\n\n改造内容包括加装电梯、更新管网和整治环境，居民普遍表示欢迎。\n\n"
        f"{h}夜间经济点亮城市\n\n——多个商圈延长营业时间\n\n入夜后，城市商圈灯火通明，消费热度持续攀升。\n"
    )
    drafts = split_page(text, marked=marked)
    assert [d.title for d in drafts] == ["全市推进老旧小区改造", "夜间经济点亮城市"]
    assert drafts[1].subtitle == "多个商圈延长营业时间"
    assert all(assert_partition(text, drafts))


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("本报讯（记者 陈一 吴二）昨天，会议举行。", "本报讯（记者 陈一 吴二）"),
        ("本报讯(记者 李三 刘四)3月5日,调研。", "本报讯(记者 李三 刘四)"),
        ("本报北京3月7日电（记者 张五）国务院新闻办……", "本报北京3月7日电（记者 张五）"),
        (
            "新华社北京1月3日电（记者 李六 通讯员 王七）",
            "新华社北京1月3日电（记者 李六 通讯员 王七）",
        ),
        ("■记者 王八", "记者 王八"),
        ("■本报记者 王八 通讯员 赵九", "本报记者 王八 通讯员 赵九"),
        ("记者 周十", "记者 周十"),
        ("记者　欧阳小明", "记者 欧阳小明"),
        ("记者 赵一 吴二 摄", ""),
        ("记者从市文旅局获悉，活动下周举行。", ""),
        ("记者手记", ""),
        ("本报讯 昨天，全市……", "本报讯"),  # a dateline without an author
        ("本报讯 记者 张三 李四 昨天，全市……", "本报讯 记者 张三 李四"),
        ("新华社北京3月7日电 记者 王五 近日……", "新华社北京3月7日电 记者 王五"),
        ("本报记者从市电力公司获悉，……", ""),
        ("社区食堂开业了。（记者 王二）", "记者 王二"),
        ("（记者 王二）", "记者 王二"),
    ],
)
def test_bylines(line: str, byline: str) -> None:
    assert byline_of(line) == byline


@pytest.mark.parametrize(
    ("line", "marked", "kind"),
    [
        ("编者按", True, "label"),
        ("本期关注：", False, "label"),
        ("新春·新气象", False, "kicker"),
        ("——奋力建设美好家园", False, "subtitle"),
        ("（上接第1版）新建成的物流中心投入使用。", False, "body"),
        ("（下转第2版）", False, "body"),
        ("图为市民在公园里赏花。", False, "body"),
        ("记者 赵一 摄", False, "body"),
        ("在天津市某某有限公司,王明", False, "body"),
        ("守正创新开新局 真抓实干谱新篇", False, "heading"),
        ("“小草莓”长成大产业", False, "heading"),
        ("南湖镇合作社理事长周红梅：", False, "intro"),
        ("临川日报 2025年3月8日 星期六", False, "masthead"),
        ("举报电话：010-12345678（每天9:00—18:00）", False, "intro"),
        ("《城市绿道建设项目情况一览表（第二批）》", False, "body"),
        ("一级网点120个 二级网点85个", False, "heading"),
        ("2025 2026 2027 386", False, "intro"),
        ("普通的一句话。", True, "heading"),  # a marked line is a headline candidate
    ],
)
def test_classify(line: str, marked: bool, kind: str) -> None:
    assert classify(line, marked, marked_page=marked)[0] == kind


def test_headless_start_and_trailing_headline() -> None:
    text = (
        "（上接第1版）会议还研究了其他事项，部署了下一阶段的重点工作和各项保障措施。\n"
        "城市绿道全线贯通\n"
        "本报讯（记者 林一）全长五十公里的城市绿道昨日全线贯通。\n"
        "一条孤零零的标题在页末\n"
    )
    drafts = split_page(text, marked=False)
    titled = assert_partition(text, drafts)
    assert titled == [False, True]
    assert drafts[0].title.startswith("（上接第1版）会议还研究了")
    assert drafts[0].title.endswith("…")
    assert drafts[1].title == "城市绿道全线贯通"
    assert drafts[1].body.split("\n")[-1] == "一条孤零零的标题在页末"


def test_plain_single_article_is_not_a_page() -> None:
    text = "社区食堂开进老小区\n\n社区食堂开业第一天，不少老人早早排起了队。\n食堂提供套餐。\n"
    parsed = parse_text(text)
    assert parsed.format == "plain"
    assert parsed.articles[0].title == "社区食堂开进老小区"


def test_many_short_lines_are_not_headlines() -> None:
    text = (
        "各区新增岗位情况公布\n本报讯（记者 林一）昨日，市人社局公布了一季度各区新增岗位情况。\n"
        "东区 新增岗位一千个\n西区 新增岗位八百个\n南区 新增岗位九百个\n北区 新增岗位七百个\n中区 新增岗位六百个\n"
        "全市就业形势总体稳定。\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts] == ["各区新增岗位情况公布"]
    assert_partition(text, drafts)


@pytest.mark.parametrize("marked", [True, False])
def test_banner_directly_above_headline(marked: bool) -> None:
    h = "## " if marked else ""
    text = (
        f"{h}学习贯彻会议精神进社区\n{h}社区食堂开进老小区\n"
        "社区食堂开业第一天，不少老人早早排起了队。\n"
        f"{h}城市绿道全线贯通\n本报讯（记者 林一）全长五十公里的城市绿道昨日全线贯通。\n"
    )
    drafts = split_page(text, marked=marked)
    # without a kicker between them the banner cannot be told from a first headline line:
    # both go into the title, which therefore always contains the headline
    assert [d.title for d in drafts] == [
        "学习贯彻会议精神进社区 社区食堂开进老小区",
        "城市绿道全线贯通",
    ]
    assert all(assert_partition(text, drafts))


def test_headline_with_comma_above_a_dateline() -> None:
    text = (
        "城市绿道全线贯通\n本报讯（记者 林一）全长五十公里的城市绿道昨日全线贯通。\n"
        "稳中求进,奋力开创新局面！\n本报讯(记者 王二)昨日,市里召开会议。\n"
        "会议强调,要抓好落实。\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts] == ["城市绿道全线贯通", "稳中求进,奋力开创新局面！"]
    assert drafts[1].byline == "本报讯(记者 王二)"
    assert all(assert_partition(text, drafts))


def test_page_furniture() -> None:
    text = (
        "临川日报\n2025年3月8日 星期六\n责任编辑：张三\n城市绿道全线贯通\n"
        "本报讯（记者 林一）全长五十公里的城市绿道昨日全线贯通。\n"
        "社区食堂开进老小区\n社区食堂开业第一天，不少老人早早排起了队。（记者 王二）\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts] == ["城市绿道全线贯通", "社区食堂开进老小区"]
    assert drafts[0].body.split("\n")[:3] == ["临川日报", "2025年3月8日 星期六", "责任编辑：张三"]
    assert all(d.source == "临川日报" and d.date == "2025-03-08" for d in drafts)
    assert drafts[1].byline == "记者 王二"  # a credit at the end of the last paragraph
    assert all(assert_partition(text, drafts))


def test_signature_and_pointer_lines_do_not_start_articles() -> None:
    text = (
        "社区食堂开进老小区\n"
        "社区食堂开业第一天，不少老人早早排起了队。\n"
        "详见第5版\n"
        "（记者 王二）\n"
        "关于城市绿道开放时间的公告\n"
        "本报讯 自即日起，城市绿道每日开放时间调整为早六点至晚十点。\n"
        "临川市园林绿化局\n"
        "2025年3月8日\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts] == ["社区食堂开进老小区", "关于城市绿道开放时间的公告"]
    assert drafts[0].body.split("\n")[-2:] == ["详见第5版", "（记者 王二）"]
    assert drafts[0].byline == "记者 王二"
    # an office name over a date has no text of its own: it stays with the notice it signs
    assert drafts[1].body.split("\n")[-2:] == ["临川市园林绿化局", "2025年3月8日"]
    assert all(assert_partition(text, drafts))


POOL = [
    "## 城市绿道全线贯通",
    "城市绿道全线贯通",
    "## 编者按",
    "编者按",
    "本期关注：",
    "本报讯（记者 王一）全长五十公里的城市绿道昨日全线贯通。",
    "本报讯（记者 王一）",
    "记者 李二",
    "■记者 李二",
    "新春·新气象",
    "——以科技创新引领产业升级",
    "社区食堂开业第一天，不少老人早早排起了队。",
    "当年合作社只有",
    "在临川精密仪器有限公司,王明",
    "（上接第1版）新建成的物流中心投入使用。",
    "图为市民在公园里赏花。",
    "记者 赵一 摄",
    "临川日报 2025年3月8日 星期六",
    "南湖镇合作社理事长周红梅：",
    "稳中求进,奋力开创新局面！",
    "",
    "   ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=30), st.booleans())
def test_partition_property(lines: list[str], marked: bool) -> None:
    text = "\n".join(lines)
    drafts = split_page(text, marked=marked)
    assert_partition(text, drafts)
    for d in drafts:
        assert d.title.strip() and d.body.strip()
        assert d.kind == "page"
    assert [d.page_index for d in drafts] == list(range(len(drafts)))


def test_headline_with_comma_above_a_standalone_byline() -> None:
    text = (
        "城市绿道全线贯通\n本报讯（记者 林一）全长五十公里的城市绿道昨日全线贯通。\n"
        "“小草莓”长成大产业,南湖镇走出致富路\n■记者 周敏\n南湖镇的草莓大棚里，果实挂满枝头。\n"
        "合作社今年收入翻了一番。\n记者 赵一\n"
    )
    drafts = split_page(text, marked=False)
    assert [d.title for d in drafts] == ["城市绿道全线贯通", "“小草莓”长成大产业,南湖镇走出致富路"]
    assert drafts[1].byline == "记者 周敏"
    assert all(assert_partition(text, drafts))
