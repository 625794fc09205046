"""What the library reads: articles, their lists and filters, tags and their tree, highlights,
versions, the trash. Plain SQL over the store's reading connection; no writes here."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from reader.core import structure
from reader.core.errors import NotFound
from reader.core.manage import EDITABLE_FIELDS, TrashEntry
from reader.core.model import (
    NO_SOURCE,
    TRASH,
    Article,
    ArticleFilter,
    Highlight,
    TagCount,
)
from reader.core.store import Row, Store
from reader.core.store.tags import (
    article_tags,
    highlight_tags,
    tags_of_highlights,
)
from reader.core.tags import clean_tags, like_pattern, tag_ancestors

log = logging.getLogger(__name__)

ARTICLE_COLUMNS = (
    "a.id, a.uuid, a.title, a.subtitle, a.byline, a.source, a.date, a.url, a.external_id, "
    "a.kind, a.content_hash, a.source_file, a.page_index, a.imported_at, a.read, a.position, "
    "a.kicker, a.page"
)

ORDERS = {
    "date": "a.date {d}, a.id {d}",
    # by pinyin (title_sort); titles without their key yet come last
    "title": "a.title_sort = '', a.title_sort {d}, a.title COLLATE NOCASE {d}, a.id {d}",
    "source": "a.source {d}, a.date DESC, a.id",
    "highlights": "hcount {d}, a.date DESC, a.id",
    "read": "a.read {d}, a.date DESC, a.id",
    "id": "a.id {d}",
    "page": "a.source_file {d}, a.page_index {d}",
}

LIVE = "NOT IN (SELECT id FROM articles WHERE trashed_at != '')"  # the trash's small index


def article_from_row(row: Row, *, body: str | None = None) -> Article:
    keys = row.keys()
    return Article(
        id=row["id"],
        uuid=row["uuid"],
        title=row["title"],
        subtitle=row["subtitle"],
        byline=row["byline"],
        source=row["source"],
        date=row["date"],
        url=row["url"],
        external_id=row["external_id"],
        kind=row["kind"],
        body=body,
        content_hash=row["content_hash"],
        source_file=row["source_file"],
        page_index=row["page_index"],
        imported_at=row["imported_at"],
        read=bool(row["read"]),
        position=row["position"],
        kicker=row["kicker"] if "kicker" in keys else "",
        page=row["page"] if "page" in keys else "",
        highlight_count=row["hcount"] if "hcount" in keys else 0,
        orphan_count=row["ocount"] if "ocount" in keys else 0,
    )


def highlight_from_row(row: Row, tags: list[str]) -> Highlight:
    keys = row.keys()
    return Highlight(
        uuid=row["uuid"],
        article_id=row["article_id"],
        start=row["start"],
        end=row["end"],
        quote=row["quote"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        color=row["color"],
        note=row["note"],
        created=row["created"],
        updated=row["updated"],
        deleted=bool(row["deleted"]),
        orphan=bool(row["orphan"]),
        tags=tags,
        article_title=row["title"] if "title" in keys else "",
        article_date=row["date"] if "date" in keys else "",
    )


def article(store: Store, article_id: int) -> Article:
    conn = store.reader()
    row = conn.execute(
        f"SELECT {ARTICLE_COLUMNS}, a.body FROM articles a WHERE a.id = ?", (article_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    art = article_from_row(row, body=row["body"])
    art.tags = article_tags(conn, article_id)
    art.highlight_count, art.orphan_count = conn.execute(
        "SELECT count(*), coalesce(sum(orphan), 0) FROM highlights"
        " WHERE article_id = ? AND deleted = 0",
        (article_id,),
    ).fetchone()
    return art


def find_article(store: Store, ref: str | int) -> int | None:
    """The id of the article ``ref`` names: its number, its uuid, or a unique uuid prefix
    (as links and the CLI give them); None if no single article matches."""
    ref = str(ref).strip()
    if ref.isascii() and ref.isdigit():  # not "²", "١٢": str.isdigit() takes those too
        if len(ref) > 18:  # beyond SQLite's integers: no such article
            return None
        row = store.reader().execute("SELECT id FROM articles WHERE id = ?", (int(ref),))
        found = row.fetchone()
        return found[0] if found else None
    if len(ref) < 4:
        return None
    rows = store.reader().execute(
        "SELECT id FROM articles WHERE uuid = ? OR uuid LIKE ? LIMIT 2",
        (ref, ref.replace("%", "").replace("_", "") + "%"),
    ).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def bodies(store: Store, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    q = ",".join("?" * len(ids))
    rows = store.reader().execute(
        f"SELECT id, body FROM articles WHERE id IN ({q})", tuple(ids)
    ).fetchall()
    return {r["id"]: r["body"] for r in rows}


def filter_sql(store: Store, f: ArticleFilter) -> tuple[str, list[object]]:
    where: list[str] = []
    args: list[object] = []
    # the trash is apart: its articles show only when asked for (the sidebar's Trash row)
    where.append("a.trashed_at != ''" if f.trashed or f.source == TRASH else "a.trashed_at = ''")
    if f.source == NO_SOURCE:
        where.append("a.source = ''")
    elif f.source and f.source != TRASH:
        where.append("a.source = ?")
        args.append(f.source)
    if f.undated:
        where.append("a.date = ''")
    for tag in clean_tags(f.tags):  # a tag finds the tags under it too (政策 -> 政策/京津冀)
        where.append(
            "(a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id"
            " WHERE t.name = ? OR t.name LIKE ? ESCAPE '\\') OR a.id IN (SELECT h.article_id"
            " FROM highlights h JOIN highlight_tags ht ON ht.highlight_id = h.id JOIN tags t"
            " ON t.id = ht.tag_id WHERE (t.name = ? OR t.name LIKE ? ESCAPE '\\')"
            " AND h.deleted = 0))"
        )
        args += [tag, like_pattern(tag), tag, like_pattern(tag)]
    if f.date_from:
        where.append("a.date >= ?")
        args.append(f.date_from)
    if f.date_to:
        where.append("a.date != '' AND a.date <= ?")
        args.append(f.date_to + "\uffff" if len(f.date_to) < 10 else f.date_to)
    if f.unread:
        where.append("a.read = 0")
    if f.text:
        where.append("instr(a.title, ?) > 0")
        args.append(f.text)
    if f.ids is not None:
        where.append(f"a.id IN ({','.join('?' * len(f.ids)) or 'NULL'})")
        args += [*f.ids]
    return (" WHERE " + " AND ".join(where)) if where else "", args


def articles(store: Store, flt: ArticleFilter | None = None, *, order: str = "date", descending: bool = True,
    limit: int | None = None, offset: int = 0,
) -> list[Article]:
    flt = flt or ArticleFilter()
    where, args = filter_sql(store, flt)
    order_sql = ORDERS.get(order, ORDERS["date"]).format(
        d="DESC" if descending else "ASC"
    )
    sql = (
        f"SELECT {ARTICLE_COLUMNS}, (SELECT count(*) FROM highlights h WHERE h.article_id = a.id"
        f" AND h.deleted = 0) AS hcount, (SELECT count(*) FROM highlights h"
        f" WHERE h.article_id = a.id AND h.deleted = 0 AND h.orphan = 1) AS ocount"
        f" FROM articles a{where} ORDER BY {order_sql}"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    return [article_from_row(r) for r in store.reader().execute(sql, args)]


def count_articles(store: Store, flt: ArticleFilter | None = None) -> int:
    where, args = filter_sql(store, flt or ArticleFilter())
    return int(store.reader().execute(f"SELECT count(*) FROM articles a{where}", args).fetchone()[0])


def sources(store: Store) -> list[tuple[str, int]]:
    return [
        (r[0], r[1])
        for r in store.reader().execute(
            "SELECT source, count(*) FROM articles WHERE trashed_at = '' GROUP BY source"
            " ORDER BY count(*) DESC, source"
        )
    ]


def versions(store: Store, article_id: int) -> list[dict[str, Any]]:
    rows = store.reader().execute(
        "SELECT version, title, body, content_hash, replaced_at, reason FROM article_versions"
        " WHERE article_id = ? ORDER BY version",
        (article_id,),
    ).fetchall()
    return [dict(r) for r in rows]


def trash(store: Store) -> list[TrashEntry]:
    """The articles in the trash, most recently deleted first."""
    conn = store.reader()
    rows = conn.execute(
        f"SELECT {ARTICLE_COLUMNS}, a.trashed_at, (SELECT count(*) FROM highlights h"
        " WHERE h.article_id = a.id AND h.deleted = 0) AS hcount FROM articles a"
        " WHERE a.trashed_at != '' ORDER BY a.trashed_at DESC, a.id DESC"
    ).fetchall()
    return [TrashEntry(article_from_row(r), r["trashed_at"]) for r in rows]


def date_range(store: Store) -> tuple[str, str]:
    """(oldest, newest) article date outside the trash, '' when no article has one (the
    date filter's calendar opens at the newest)."""
    row = store.reader().execute(
        "SELECT min(date), max(date) FROM articles WHERE date != '' AND trashed_at = ''"
    ).fetchone()
    return (row[0] or "", row[1] or "") if row else ("", "")


def tags(store: Store) -> list[TagCount]:
    rows = store.reader().execute(
        "SELECT t.name,"
        " (SELECT count(*) FROM article_tags at WHERE at.tag_id = t.id),"
        " (SELECT count(*) FROM highlight_tags ht JOIN highlights h ON h.id = ht.highlight_id"
        "   WHERE ht.tag_id = t.id AND h.deleted = 0)"
        " FROM tags t ORDER BY t.name"
    ).fetchall()
    return [TagCount(r[0], r[1], r[2]) for r in rows if r[1] or r[2]]


def tag_tree(store: Store) -> list[TagCount]:
    """Every tag and every parent level of a nested tag (``政策`` for ``政策/京津冀``, also when
    nobody uses ``政策`` alone), sorted by name, each counting the articles and highlights
    that carry it or a tag under it (each once), as selecting it finds them. Articles in
    the trash do not count. One grouped query, plus one per parent level."""
    conn = store.reader()
    live = LIVE
    counts: dict[str, TagCount] = {}
    for name, a, h in conn.execute(
        f"SELECT t.name, (SELECT count(*) FROM article_tags at WHERE at.tag_id = t.id"
        f" AND at.article_id {live}), (SELECT count(*) FROM highlight_tags ht JOIN highlights h"
        f" ON h.id = ht.highlight_id WHERE ht.tag_id = t.id AND h.deleted = 0"
        f" AND h.article_id {live}) FROM tags t"
    ):
        if a or h:
            counts[name.casefold()] = TagCount(name, a, h)
    parents: dict[str, str] = {}
    for tc in counts.values():
        for p in tag_ancestors(tc.name):
            parents.setdefault(p.casefold(), p)
    for key, name in parents.items():
        name = counts[key].name if key in counts else name
        pattern = like_pattern(name)
        a = conn.execute(
            "SELECT count(DISTINCT at.article_id) FROM tags t CROSS JOIN article_tags at"
            f" ON at.tag_id = t.id WHERE (t.name = ? OR t.name LIKE ? ESCAPE '\\')"
            f" AND at.article_id {live}", (name, pattern)).fetchone()[0]
        h = conn.execute(
            "SELECT count(DISTINCT ht.highlight_id) FROM tags t CROSS JOIN highlight_tags ht"
            " ON ht.tag_id = t.id JOIN highlights h ON h.id = ht.highlight_id"
            f" WHERE (t.name = ? OR t.name LIKE ? ESCAPE '\\') AND h.deleted = 0"
            f" AND h.article_id {live}", (name, pattern)).fetchone()[0]
        counts[key] = TagCount(name, a, h)
    return sorted(counts.values(), key=lambda t: t.name.casefold())


def highlights(store: Store, *, article_id: int | None = None, tags: Sequence[str] = (), any_tag: bool = False,
    text: str = "", include_deleted: bool = False, orphans: bool | None = None,
    order: str = "newest", limit: int | None = None,
) -> list[Highlight]:
    """Highlights filtered by article, tags (all of them, or any with ``any_tag``) and a
    substring of quote or note. ``order``: 'newest' | 'article' (by article then position)."""
    where: list[str] = []
    args: list[object] = []
    if article_id is not None:
        where.append("h.article_id = ?")
        args.append(article_id)
    if not include_deleted:
        where.append("h.deleted = 0")
    if orphans is not None:
        where.append("h.orphan = ?")
        args.append(int(orphans))
    if article_id is None:  # recall leaves out the articles in the trash
        where.append(f"h.article_id {LIVE}")
    names = clean_tags(tags)
    if names:  # a tag finds the tags under it too (政策 -> 政策/京津冀)
        sub = (
            "h.id IN (SELECT ht.highlight_id FROM highlight_tags ht JOIN tags t"
            " ON t.id = ht.tag_id WHERE t.name = ? OR t.name LIKE ? ESCAPE '\\')"
        )
        where.append("(" + (" OR " if any_tag else " AND ").join([sub] * len(names)) + ")")
        for name in names:
            args += [name, like_pattern(name)]
    if text:
        where.append("(instr(h.quote, ?) > 0 OR instr(h.note, ?) > 0)")
        args += [text, text]
    order_sql = (
        "h.created DESC, h.id DESC" if order == "newest"
        else "a.date DESC, a.id, h.start, h.id"
    )
    sql = (
        "SELECT h.*, a.title, a.date FROM highlights h JOIN articles a ON a.id = h.article_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {order_sql}"
    )
    if article_id is not None and order != "newest":
        sql = sql.replace(order_sql, "h.start, h.end, h.id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    conn = store.reader()
    rows = conn.execute(sql, args).fetchall()
    tags_of = tags_of_highlights(conn, [r["id"] for r in rows])
    return [highlight_from_row(r, tags_of.get(r["id"], [])) for r in rows]


def highlight(store: Store, uuid: str) -> Highlight:
    conn = store.reader()
    row = conn.execute(
        "SELECT h.*, a.title, a.date FROM highlights h JOIN articles a ON a.id = h.article_id"
        " WHERE h.uuid = ?",
        (uuid,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no highlight {uuid}")
    return highlight_from_row(row, highlight_tags(conn, row["id"]))


def article_details(store: Store, ids: Sequence[int]) -> dict[int, dict[str, object]]:
    """The editable fields and tags of articles, as :meth:`set_article_details` takes them
    (the GUI keeps them to undo an edit)."""
    conn = store.reader()
    out: dict[int, dict[str, object]] = {}
    for aid in ids:
        row = conn.execute(
            f"SELECT {', '.join(EDITABLE_FIELDS)} FROM articles WHERE id = ?", (aid,)
        ).fetchone()
        if row is not None:
            out[aid] = {f: row[f] for f in EDITABLE_FIELDS}
            out[aid]["tags"] = article_tags(conn, aid)
    return out


def article_structure(store: Store, article_id: int) -> structure.Structure:
    """An article's headings, quotes, list items, captions, emphasis and pictures over its
    stored text (empty when it has none, or when its text changed since). Image ``file``s
    are relative to :attr:`root`."""
    return structure.load(store.reader(), article_id)
