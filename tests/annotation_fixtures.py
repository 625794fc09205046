"""Fixture articles (invented text) for the annotation, export, backup and version tests."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLE_A = [
    "春天来到江南小城，河边的柳树抽出了新芽。",
    "镇上的图书馆今年扩建了阅览室，周末常常坐满了读书的孩子。",
    "馆长说，新书大多来自市民捐赠，其中不少是绝版的地方志。",
    "为了方便老人，阅览室还添置了大字本和放大镜。",
]
ARTICLE_B = [
    "一场秋雨过后，山里的茶农开始忙着采摘最后一批秋茶。",
    "合作社今年引进了新的烘焙设备，茶叶的香气更加浓郁。",
    "负责人介绍，线上订单比去年增加了三成，年轻人回乡创业的也多了。",
]
PLAIN = (
    "社区食堂开张记\n"
    "老街的社区食堂上周正式开张，每天中午供应两荤两素。\n"
    "七十岁以上的老人凭卡用餐可以享受八折优惠。\n"
    "志愿者们轮流帮忙打饭，食堂里总是热热闹闹的。\n"
    "门口的标语写着：[吃好*喝好]，#老有所养#。\n"
    "掌勺的是来自𠮷林村的王师傅，他做的红烧肉远近闻名。\n"
)


def wechat_entry(aid: str, title: str, paragraphs: list[str], *, date: str = "2026-03-01 08:00:00",
                 url: str = "") -> dict:
    return {
        "文章标识符aid": aid,
        "标题title": title,
        "链接url": url or f"https://mp.weixin.qq.com/s/{aid}",
        "时间time": date,
        "公众号名称": "小城日报",
        "finalContent": "\r".join(paragraphs),
    }


def write_wechat(path: Path, entries: list[dict]) -> Path:
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_articles(folder: Path) -> list[Path]:
    """Two WeChat articles in one JSON file and one plain text article."""
    folder.mkdir(parents=True, exist_ok=True)
    wx = write_wechat(folder / "wechat.json", [
        wechat_entry("wx-0001", "小城图书馆扩建", ARTICLE_A, date="2026-03-01 08:00:00"),
        wechat_entry("wx-0002", "秋茶采摘忙", ARTICLE_B, date="2026-03-02 09:30:00"),
    ])
    txt = folder / "canteen.txt"
    txt.write_text(PLAIN, encoding="utf-8")
    return [wx, txt]


def annotated_library(root: Path):
    """A library with the fixture articles and highlights of every kind: notes (one on two
    lines), tags, colours, Markdown-special characters, an astral character, an orphan (its
    text removed by a corrected re-import) and a deleted highlight (never exported).
    Returns (library, {name: Highlight}); the caller closes the library."""
    from reader.core.library import Library

    files = write_articles(root / "articles")
    lib = Library.open(root / "lib")
    lib.import_paths(files)
    by_title = {a.title: a for a in lib.articles()}

    def hl(title: str, quote: str, **kw: object):
        a = lib.article(by_title[title].id)
        start = a.body.index(quote)
        return lib.add_highlight(a.id, start, start + len(quote), **kw)

    h = {
        "note": hl("小城图书馆扩建", "周末常常坐满了读书的孩子", color="green",
                   note="孩子们很多。\n值得再去看看", tags=["阅读", "教育"]),
        "plain": hl("小城图书馆扩建", "绝版的地方志"),
        "orphan": hl("小城图书馆扩建", "为了方便老人", note="适老化", tags=["民生"]),
        "tea": hl("秋茶采摘忙", "线上订单比去年增加了三成", color="orange", note="数据",
                  tags=["经济", "民生"]),
        "special": hl("社区食堂开张记", "[吃好*喝好]，#老有所养#", color="pink",
                      note="标语 *原文* [照录]"),
        "astral": hl("社区食堂开张记", "来自𠮷林村的王师傅", tags=["人物"]),
        "deleted": hl("秋茶采摘忙", "烘焙设备", note="删掉的"),
    }
    lib.delete_highlight(h["deleted"].uuid)
    fixed = [*ARTICLE_A[:3], "阅览室还添置了大字本和放大镜。"]
    corrected = write_wechat(root / "articles" / "wechat_fix.json", [
        wechat_entry("wx-0001", "小城图书馆扩建", fixed, date="2026-03-01 08:00:00"),
    ])
    lib.import_paths([corrected])
    h = {k: lib.highlight(v.uuid) for k, v in h.items()}
    assert h["orphan"].orphan and not h["note"].orphan
    return lib, h
