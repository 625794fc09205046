"""One-article files of newspaper crawlers (kicker / headline / subtitle header, indented
paragraphs, CRLF) and the date, page and source a path states (issue 12).

Fixtures: tests/fixtures/newspaper/dump/20260120/ (invented text, CRLF, no-break spaces in the
dateline, empty kickers and subtitles)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli.commands import main
from reader.core.importers import parse_file, parse_text
from reader.core.importers.articlefile import dateline_date, looks_like_article_file, path_metadata

NEWSPAPER = Path(__file__).resolve().parent / "fixtures" / "newspaper"
DUMP = NEWSPAPER / "dump" / "20260120"


def test_fixture_files_use_crlf() -> None:
    for path in DUMP.glob("*.txt"):
        data = path.read_bytes()
        assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")


def test_day_folder_files_are_single_articles() -> None:
    parsed = {p.name: parse_file(p) for p in sorted(DUMP.glob("*.txt"))}
    assert all(pf.format == "article" and len(pf.articles) == 1 for pf in parsed.values())
    travel = parsed["20260120-01-01.txt"].articles[0]
    village = parsed["20260120-03-02.txt"].articles[0]
    station = parsed["20260120-03-05.txt"].articles[0]
    # empty kicker and empty subtitle: the headline is line 2 all the same
    assert (travel.kicker, travel.title, travel.subtitle) == ("", "全国冬季冰雪旅游持续升温", "")
    assert (village.kicker, village.title, village.subtitle) == (
        "奋进新征程",
        "山乡巨变看今朝",
        "来自西部山区的蹲点调研",
    )
    assert (station.kicker, station.title, station.subtitle) == ("新春走基层", "车站里的温暖守护", "")
    for d in (travel, village, station):
        assert d.date == "2026-01-20"
        assert "\r" not in d.body and not d.body.startswith("\u3000")
        assert d.kicker not in d.body.split("\n") and d.title not in d.body.split("\n")
    assert [d.page for d in (travel, village, station)] == ["1", "3", "3"]
    # section heads and the closing byline stay in the one article
    assert "冰雪经济 激活冬季消费" in travel.body.split("\n")
    assert travel.body.split("\n")[-1] == "记者 王一 李二"
    assert travel.byline.startswith("新华社北京1月19日电")
    # a paragraph broken without indent is joined
    assert station.body.split("\n")[-1].endswith("服务台，为老人和孩子提供一对一帮扶。")


def test_same_content_without_the_crawler_name_is_an_article(tmp_path: Path) -> None:
    # recognised from the content: three header lines, then indented paragraphs
    text = (DUMP / "20260120-01-01.txt").read_text(encoding="utf-8")
    parsed = parse_text(text, path=str(tmp_path / "travel.txt"))
    assert parsed.format == "article"
    assert parsed.articles[0].title == "全国冬季冰雪旅游持续升温"
    assert looks_like_article_file(text.replace("\r\n", "\n"))
    # with lf only and the dateline's year from the folder
    path = tmp_path / "2026" / "travel.txt"
    path.parent.mkdir()
    path.write_text(text.replace("\r\n", "\n"), encoding="utf-8")
    (d,) = parse_file(path).articles
    assert d.date == "2026-01-19"  # 新华社北京1月19日电 + the year of the folder


def test_headline_over_a_dash_subtitle_is_no_kicker() -> None:
    text = "社区食堂开进老小区\r\n——城南街道蹲点记\r\n\r\n　　清晨六点，社区食堂已经飘出饭香。\r\n"
    parsed = parse_text(text)
    assert parsed.format == "article"
    (d,) = parsed.articles
    assert (d.kicker, d.title, d.subtitle) == ("", "社区食堂开进老小区", "城南街道蹲点记")


def test_a_plain_article_is_not_an_article_file() -> None:
    text = "社区食堂开进老小区\n\n社区食堂开业第一天，不少老人早早排起了队。\n食堂提供套餐。\n"
    assert not looks_like_article_file(text)
    assert parse_text(text).format == "plain"


def test_a_page_with_indented_paragraphs_is_not_an_article_file() -> None:
    text = (
        "城市绿道全线贯通\n\n"
        "　　本报讯（记者 林一）全长五十公里的城市绿道昨日全线贯通。\n"
        "老街区焕发新活力\n"
        "　　本报讯（记者 陈晨）走进城东老街，青石板路修葺一新。\n"
        "冬季长跑赛事周末开跑\n"
        "　　本报讯（记者 吴桐）本周末，全市冬季长跑系列赛将在滨河公园开跑。\n"
    )
    assert not looks_like_article_file(text)
    assert parse_text(text).format == "page"


@pytest.mark.parametrize(
    ("path", "date", "page", "source"),
    [
        ("/data/20191002/20191002-03-04.txt", "2019-10-02", "3", ""),
        ("/data/20191002/20191002-A05-01.txt", "2019-10-02", "A05", ""),
        ("/data/人民日报_2019-10-02_第3版.txt", "2019-10-02", "3", "人民日报"),
        ("/data/临江日报/2026-01-20/城市书房.txt", "2026-01-20", "", "临江日报"),
        ("/data/2026/01/20/城市书房.txt", "2026-01-20", "", ""),
        ("/data/临江晚报2026年1月20日第12版.txt", "2026-01-20", "12", "临江晚报"),
        ("/data/notes/城市书房.txt", "", "", ""),
        ("/data/20261340/a.txt", "", "", ""),  # not a date
        ("/data/草稿_2026-01-20.txt", "2026-01-20", "", ""),  # no paper's name
        ("", "", "", ""),
    ],
)
def test_path_metadata(path: str, date: str, page: str, source: str) -> None:
    info = path_metadata(path)
    assert (info.date, info.page, info.source) == (date, page, source)


def test_dateline_dates() -> None:
    assert dateline_date("新华社北京10月7日电\xa0\xa0（记者 王一）……", "2019") == "2019-10-07"
    assert dateline_date("本报北京2019年10月7日电 ……") == "2019-10-07"
    assert dateline_date("新华社北京10月7日电 ……") == ""  # no year known
    assert dateline_date("国庆假期首日，各地景区游人如织。", "2019") == ""


def test_cli_source_and_date_fill_what_files_lack(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DUMP / "20260120-03-02.txt", src / "20260120-03-02.txt")
    (src / "note.txt").write_text(
        "社区食堂开进老小区\n\n社区食堂开业第一天，不少老人早早排起了队。\n", encoding="utf-8"
    )
    lib = tmp_path / "lib"
    assert main(["--library", str(lib), "import", "--source", "临江日报", "--date", "2026-02-01",
                 str(src)]) == 0
    capsys.readouterr()
    assert main(["--library", str(lib), "list", "--json"]) == 0
    arts = {a["title"]: a for a in json.loads(capsys.readouterr().out)}
    village, note = arts["山乡巨变看今朝"], arts["社区食堂开进老小区"]
    assert (village["date"], village["source"]) == ("2026-01-20", "临江日报")  # the name's date
    assert (village["kicker"], village["page"]) == ("奋进新征程", "3")
    assert (note["date"], note["source"]) == ("2026-02-01", "临江日报")


def test_cli_rejects_a_bad_date(tmp_path: Path, capsys) -> None:
    assert main(["--library", str(tmp_path / "lib"), "import", "--date", "next week",
                 str(DUMP)]) == 2
    assert "not a date" in capsys.readouterr().err


def test_section_heads_are_stored_as_headings(tmp_path: Path) -> None:
    from reader.core.library import ArticleFilter, Library

    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([DUMP / "20260120-01-01.txt", NEWSPAPER / "two_features.txt"])
        heads = {}
        for art in lib.articles(ArticleFilter()):
            full = lib.article(art.id)
            heads[art.title] = [
                full.body[b.start:b.end] for b in lib.structure(art.id).blocks
                if b.kind == "heading"
            ]
    assert heads["全国冬季冰雪旅游持续升温"] == ["冰雪经济 激活冬季消费", "服务升级"]
    assert heads["老工业基地跑出转型加速度"] == [
        "数字赋能 制造业跑出加速度", "突围：链式“协奏”", "迈向产业链中高端",
    ]
    assert heads["社区图书角开放"] == []


PARAGRAPHS = [
    "　　新华社北京1月19日电\xa0\xa0（记者 王一）今冬以来全国冰雪旅游持续升温。",
    "　　冰雪经济 激活冬季消费",
    "　　在北方一座滑雪小镇，酒店入住率连续多周保持在九成以上，",
    "带动了餐饮和住宿消费。",
    "　　“日子越过越有奔头。”村支书说。",
    "　　记者 王一 李二",
    "",
]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["", "奋进新征程"]),
    st.sampled_from(["", "——来自西部山区的蹲点调研"]),
    st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=12),
    st.sampled_from(["\r\n", "\n"]),
)
def test_article_file_keeps_every_line_in_order(kicker, subtitle, paras, newline) -> None:
    if not any(p.strip() for p in paras) or not paras[0].startswith("\u3000"):
        paras = [PARAGRAPHS[0], *paras]
    text = newline.join([kicker, "山乡巨变看今朝", subtitle, *paras]) + newline
    parsed = parse_text(text, path="/x/20260120/20260120-03-02.txt")
    assert parsed.format == "article"
    (d,) = parsed.articles
    assert (d.kicker, d.title, d.subtitle) == (kicker, "山乡巨变看今朝", subtitle.lstrip("—"))

    def flat(s: str) -> str:
        return "".join(s.split())

    assert flat(d.body) == flat("".join(paras))
