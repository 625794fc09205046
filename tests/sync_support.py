"""Helpers of the sync tests: libraries with our own Chinese articles, a comparable view of a
library's synced state, and wall clocks that tests can skew."""

from __future__ import annotations

import json
from pathlib import Path

from reader.core.library import Library
from reader.core.sync import FolderTarget, SyncEngine

PARAS = [
    ["河边的老茶馆今年换了新招牌，", "老板说茶价一分没涨，", "街坊们照旧每天早上来喝一壶。"],
    ["县里的夜校开了书法课，", "报名的人从退休教师到外卖骑手都有，", "教室常常坐不下。"],
    ["山村小学装上了太阳能板，", "冬天教室里终于暖和了，", "孩子们写字的手不再冻得发红。"],
]
TITLES = ["老茶馆换招牌", "夜校书法课", "山村小学的冬天"]


def wechat(aid: str, title: str, paras: list[str]) -> dict:
    return {"文章标识符aid": aid, "标题title": title,
            "链接url": f"https://mp.weixin.qq.com/s/{aid}", "时间time": "2026-11-01 08:00:00",
            "公众号名称": "河湾晚报", "finalContent": "\r".join(paras)}


def import_articles(lib: Library, folder: Path, entries: list[dict], name: str = "a.json") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    rep = lib.import_paths([path])
    assert not rep.failed, rep


def seed(lib: Library, folder: Path, n: int = 3) -> list[int]:
    import_articles(lib, folder, [wechat(f"wx-{i}", TITLES[i], PARAS[i]) for i in range(n)])
    return sorted(a.id for a in lib.articles())


def hl(lib: Library, article_id: int, quote: str, **kw: object):
    body = lib.article(article_id).body
    start = body.index(quote)
    return lib.add_highlight(article_id, start, start + len(quote), **kw)


class Wall:
    """A wall clock in ms that a test moves and skews."""

    def __init__(self, start: int = 1_800_000_000_000, skew: int = 0) -> None:
        self.t = start
        self.skew = skew

    def __call__(self) -> int:
        self.t += 1
        return self.t + self.skew


def engine(lib: Library, folder: Path, wall: Wall | None = None) -> SyncEngine:
    e = SyncEngine(lib, FolderTarget(folder), **({"wall": wall} if wall else {}))
    e.configure({"kind": "folder", "path": str(folder)})
    return e


def state(lib: Library) -> dict:
    """What must be the same on every device after a sync (by uuid; local ids differ)."""
    conn = lib.store.reader()
    arts = {}
    for r in conn.execute("SELECT * FROM articles"):
        tags = sorted(t[0] for t in conn.execute(
            "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id"
            " WHERE x.article_id = ?", (r["id"],)))
        versions = sorted(v[0] for v in conn.execute(
            "SELECT content_hash FROM article_versions WHERE article_id = ?", (r["id"],)))
        arts[r["uuid"]] = {
            "title": r["title"], "body": r["body"], "subtitle": r["subtitle"],
            "source": r["source"], "date": r["date"], "read": r["read"],
            "position": r["position"], "trashed": bool(r["trashed_at"]), "tags": tags,
            "versions": versions,
        }
    hls = {}
    for r in conn.execute("SELECT h.*, a.uuid AS art FROM highlights h JOIN articles a"
                          " ON a.id = h.article_id"):
        tags = sorted(t[0] for t in conn.execute(
            "SELECT t.name FROM highlight_tags x JOIN tags t ON t.id = x.tag_id"
            " WHERE x.highlight_id = ?", (r["id"],)))
        hls[r["uuid"]] = {"article": r["art"], "quote": r["quote"], "start": r["start"],
                          "end": r["end"], "color": r["color"], "note": r["note"],
                          "deleted": r["deleted"], "orphan": r["orphan"], "tags": tags}
    return {"articles": arts, "highlights": hls}
