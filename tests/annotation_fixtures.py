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
