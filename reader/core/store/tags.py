"""SQL of tags: names to ids, the tags of articles and highlights, dropping unused tags."""

from __future__ import annotations

from collections.abc import Iterable

from reader.core.store.store import Executes, Tx
from reader.core.tags import clean_tags


def tag_ids(tx: Tx, names: Iterable[str]) -> list[int]:
    ids = []
    for name in clean_tags(names):
        tx.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
        ids.append(tx.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0])
    return ids


def article_tags(conn: Executes, article_id: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
            " WHERE at.article_id = ? ORDER BY t.name",
            (article_id,),
        )
    ]


def drop_unused_tags(tx: Tx) -> None:
    tx.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM article_tags)"
        " AND id NOT IN (SELECT tag_id FROM highlight_tags)"
    )


def highlight_tags(conn: Executes, hid: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id"
            " WHERE ht.highlight_id = ? ORDER BY t.name",
            (hid,),
        )
    ]


def tags_of_highlights(conn: Executes, ids: list[int]) -> dict[int, list[str]]:
    """Tags of many highlights in one query per 500 (recall lists thousands)."""
    out: dict[int, list[str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for hid, name in conn.execute(
            "SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t"
            f" ON t.id = ht.tag_id WHERE ht.highlight_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY t.name",
            chunk,
        ):
            out.setdefault(hid, []).append(name)
    return out
