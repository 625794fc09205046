"""Changes to articles: text replaced (a new version, highlights re-anchored), merge and split,
details, read state and position, the trash. Each public function is one transaction."""

from __future__ import annotations

import logging
import uuid as uuidlib
from collections.abc import Iterable

from reader.core import annotating, structure
from reader.core.errors import InvalidInput, NotFound
from reader.core.manage import EDITABLE_FIELDS, normalize_date
from reader.core.model import (
    content_hash,
    now_iso,
)
from reader.core.store import Executes, Row, Store, Tx
from reader.core.store.tags import (
    article_tags,
    drop_unused_tags,
    tag_ids,
)
from reader.core.tags import clean_tags
from reader.core.text import scrub_surrogates

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------- helpers
def delete_article_row(tx: Tx, article_id: int) -> None:
    """Delete an article for good (its highlights, tags and versions go with it)."""
    row = tx.execute("SELECT uuid FROM articles WHERE id = ?", (article_id,)).fetchone()
    tx.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    if row is not None:
        tx.article_deleted(article_id, row[0])


def materialize_origins(tx: Tx, article_id: int) -> None:
    """Before the user reshapes an article (merge, split), keep the text it was imported
    with: a later re-import applies its changes to the reshaped text."""
    tx.execute(
        "UPDATE article_origins SET body = (SELECT body FROM articles WHERE id = ?)"
        " WHERE article_id = ? AND body IS NULL",
        (article_id, article_id),
    )


def replace_text(tx: Tx, article_id: int, title: str, body: str, *, reason: str,
    meta: dict[str, str] | None = None,
) -> None:
    """Make ``body`` the current text of an article, keeping the old one as a version and
    moving every highlight onto the new text (orphans are kept, never deleted)."""
    from reader.core.anchoring import reanchor

    old = tx.execute(
        "SELECT title, body, content_hash, version FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    tx.execute(
        "INSERT INTO article_versions(article_id, version, title, body, content_hash,"
        " replaced_at, reason) VALUES (?,?,?,?,?,?,?)",
        (article_id, old["version"], old["title"], old["body"], old["content_hash"],
         now_iso(), reason),
    )
    tx.execute("DELETE FROM index_parked WHERE article_id = ?", (article_id,))
    sets = {"title": title, "body": body, "content_hash": content_hash(title, body),
            "version": old["version"] + 1, "updated_at": now_iso()}
    for k, v in (meta or {}).items():
        if v:
            sets[k] = v
    tx.execute(
        f"UPDATE articles SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
        (*sets.values(), article_id),
    )
    for h in tx.execute(
        "SELECT id, start, end, quote, prefix, suffix FROM highlights WHERE article_id = ?",
        (article_id,),
    ).fetchall():
        span = reanchor(body, h["quote"], h["prefix"], h["suffix"], h["start"])
        if span is None:
            tx.execute("UPDATE highlights SET orphan = 1 WHERE id = ?", (h["id"],))
        else:
            s, e = span
            tx.execute(
                "UPDATE highlights SET start = ?, end = ?, quote = ?, prefix = ?, suffix = ?,"
                " orphan = 0 WHERE id = ?",
                (s, e, body[s:e], *annotating.context(body, s, e), h["id"]),
            )
    tx.article_changed(article_id)


def set_read(store: Store, article_id: int, read: bool = True) -> None:
    with store.transaction() as tx:
        tx.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))
        tx.read_changed(article_id)


def set_position(store: Store, article_id: int, position: int) -> None:
    with store.transaction() as tx:
        tx.execute("UPDATE articles SET position = ? WHERE id = ?", (max(0, position), article_id))
        tx.position_changed(article_id)


def delete_article(store: Store, article_id: int) -> None:
    with store.transaction() as tx:
        delete_article_row(tx, article_id)


def merge_with_previous(store: Store, article_id: int) -> int:
    """Append an article to the one before it on the same page; its highlights move along.
    Returns the id of the merged article."""
    with store.transaction() as tx:
        cur = tx.execute(
            "SELECT id, title, body, source_file, page_index FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if cur is None:
            raise NotFound(f"no article with id {article_id}")
        prev = tx.execute(
            "SELECT id, title, body FROM articles WHERE source_file = ? AND page_index < ?"
            " AND trashed_at = '' ORDER BY page_index DESC LIMIT 1",
            (cur["source_file"], cur["page_index"]),
        ).fetchone()
        if prev is None or not cur["source_file"]:
            raise InvalidInput("this article has no previous article on its page to merge with")
        merge_rows(tx, prev, cur)
    return int(prev["id"])


def merge_rows(tx: Tx, prev: Row, cur: Row) -> None:
    """Append article ``cur`` (id, title, body) to ``prev``: its title line and body, its
    highlights at shifted offsets, its tags, its origins and structure; ``cur`` is gone."""
    target_id, article_id = prev["id"], cur["id"]
    materialize_origins(tx, target_id)
    materialize_origins(tx, article_id)
    tx.execute("UPDATE article_origins SET article_id = ? WHERE article_id = ?",
                 (target_id, article_id))
    joined = prev["body"] + "\n\n" + cur["title"] + "\n" + cur["body"]
    shift = len(prev["body"]) + 2 + len(cur["title"]) + 1
    replace_text(tx, target_id, prev["title"], joined,
                       reason=f"merged with “{cur['title']}”")
    structure.merged(tx.conn, target_id, prev["body"], article_id, cur["body"], shift)
    tx.execute(
        "UPDATE highlights SET article_id = ?, start = start + ?, end = end + ?"
        " WHERE article_id = ?", (target_id, shift, shift, article_id))
    tx.execute(
        "INSERT OR IGNORE INTO article_tags(article_id, tag_id)"
        " SELECT ?, tag_id FROM article_tags WHERE article_id = ?",
        (target_id, article_id))
    delete_article_row(tx, article_id)


def split_article(store: Store, article_id: int, at: int) -> int:
    """Split an article at code point ``at`` (moved to the start of its line): the line there
    becomes the title of a new article holding the rest. Returns the new article's id."""
    with store.transaction() as tx:
        a = tx.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if a is None:
            raise NotFound(f"no article with id {article_id}")
        body = a["body"]
        at = body.rfind("\n", 0, max(0, min(at, len(body)))) + 1
        head = body[:at].rstrip("\n")
        nl = body.find("\n", at)
        title_line = body[at:] if nl < 0 else body[at:nl]
        rest_start = len(body) if nl < 0 else nl + 1
        rest = body[rest_start:]
        if not head.strip() or not title_line.strip():
            raise InvalidInput("split at a line inside the article, after its first line")
        # the new article comes right after this one on its page
        tx.execute(
            "UPDATE articles SET page_index = page_index + 1 WHERE source_file = ?"
            " AND page_index > ?",
            (a["source_file"], a["page_index"]),
        )
        new_key = f"{a['key']}+split{uuidlib.uuid4().hex[:8]}"
        new_title = " ".join(title_line.split())
        stamp = now_iso()
        cur2 = tx.execute(
            "INSERT INTO articles(uuid, key, title, subtitle, byline, source, date, url,"
            " external_id, kind, body, content_hash, source_file, page_index, imported_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (str(uuidlib.uuid4()), new_key, new_title, "", "", a["source"], a["date"], "",
             "", a["kind"], rest, content_hash(new_title, rest), a["source_file"],
             a["page_index"] + 1, a["imported_at"], stamp),
        )
        new_id = int(cur2.lastrowid or 0)
        materialize_origins(tx, article_id)
        tx.execute(
            "INSERT INTO article_origins(article_id, hash, title, body, source_file,"
            " file_name, seq) SELECT ?, hash, title, body, source_file, file_name, seq"
            " FROM article_origins WHERE article_id = ?",
            (new_id, article_id),
        )
        # highlights in the moved part follow it, at shifted offsets; the rest are re-anchored
        # on the shortened text (a highlight across the cut becomes an orphan, never deleted)
        tx.execute(
            "UPDATE highlights SET article_id = ?, start = start - ?, end = end - ?"
            " WHERE article_id = ? AND start >= ?",
            (new_id, rest_start, rest_start, article_id, rest_start),
        )
        replace_text(tx, article_id, a["title"], head, reason="split")
        structure.split(tx.conn, article_id, body, new_id, len(head), rest_start)
        tx.article_changed(new_id)
    return new_id


def merge_into(store: Store, target_id: int, article_id: int) -> int:
    """Append article ``article_id`` to ``target_id`` as :meth:`merge_with_previous` does
    (title line, body, highlights, tags, origins), whatever their page order: the undo of a
    split names both articles, where "the previous article on the page" can tie (all the
    articles of one export file share its page index). Returns ``target_id``."""
    with store.transaction() as tx:
        cur = tx.execute(
            "SELECT id, title, body FROM articles WHERE id = ?", (article_id,)).fetchone()
        prev = tx.execute(
            "SELECT id, title, body FROM articles WHERE id = ?", (target_id,)).fetchone()
        if cur is None or prev is None or target_id == article_id:
            raise InvalidInput(f"cannot merge article {article_id} into {target_id}")
        merge_rows(tx, prev, cur)
    return target_id


def existing_ids(conn: Executes, ids: Iterable[int]) -> list[int]:
    want = sorted({int(i) for i in ids})
    found: list[int] = []
    for i in range(0, len(want), 500):
        chunk = want[i:i + 500]
        found += [r[0] for r in conn.execute(
            f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)]
    missing = sorted(set(want) - set(found))
    if missing:
        raise NotFound("no article with id " + ", ".join(map(str, missing[:10])))
    return found


def clean_details(fields: dict[str, object]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for name, value in fields.items():
        if value is None:
            continue
        text = " ".join(scrub_surrogates(str(value)).replace("\x00", "").split())
        if name == "date":
            try:
                text = normalize_date(text)
            except ValueError as e:
                raise InvalidInput(str(e)) from None
        elif name == "title" and not text:
            raise InvalidInput("an article needs a title")
        clean[name] = text
    return clean


def edit_article(store: Store, ids: Iterable[int], *, title: str | None = None, subtitle: str | None = None,
    source: str | None = None, date: str | None = None, byline: str | None = None,
    url: str | None = None, add_tags: Iterable[str] = (), remove_tags: Iterable[str] = (),
) -> int:
    """Set details of one or many articles (None leaves a field as it is; '' clears it) and
    add/remove article tags, in one transaction. ``date`` may be typed loosely
    (``2026-1-5``) and is stored as ``2026-01-05``; a bad date or an empty title raises
    LibraryError and changes nothing. Returns how many articles changed."""
    sets = clean_details(dict(title=title, subtitle=subtitle, source=source, date=date,
                                    byline=byline, url=url))
    remove = {t.casefold() for t in clean_tags(remove_tags)}
    add = [t for t in clean_tags(add_tags) if t.casefold() not in remove]  # remove wins
    changed: set[int] = set()
    with store.transaction() as tx:
        ids = existing_ids(tx, ids)
        stamp = now_iso()
        for aid in ids:
            if sets:
                cur = tx.execute(
                    f"UPDATE articles SET {', '.join(f'{k} = ?' for k in sets)}, updated_at = ?"
                    f" WHERE id = ? AND NOT ({' AND '.join(f'{k} IS ?' for k in sets)})",
                    (*sets.values(), stamp, aid, *sets.values()),
                )
                if cur.rowcount:
                    changed.add(aid)
            if add or remove:
                old = article_tags(tx, aid)
                new = clean_tags([t for t in old if t.casefold() not in remove] + add)
                if {t.casefold() for t in new} != {t.casefold() for t in old}:
                    set_tags_in(tx, aid, new)
                    tx.article_tags_changed(aid, index=False)
                    changed.add(aid)
        for aid in changed:
            tx.article_changed(aid)
        drop_unused_tags(tx)
    return len(changed)


def set_tags_in(tx: Tx, article_id: int, tags: Iterable[str]) -> None:
    tx.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
    for tid in tag_ids(tx, tags):
        tx.execute("INSERT OR IGNORE INTO article_tags(article_id, tag_id) VALUES (?, ?)",
                     (article_id, tid))


def set_article_details(store: Store, details: dict[int, dict[str, object]]) -> int:
    """Put articles' fields and tags back as :meth:`article_details` returned them (undo of
    :meth:`edit_article`); articles that no longer exist are skipped."""
    with store.transaction() as tx:
        done = 0
        for aid, values in details.items():
            if tx.execute("SELECT 1 FROM articles WHERE id = ?", (aid,)).fetchone() is None:
                continue
            sets = {k: str(v) for k, v in values.items() if k in EDITABLE_FIELDS}
            if sets:
                tx.execute(
                    f"UPDATE articles SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                    (*sets.values(), aid))
            if "tags" in values:
                set_tags_in(tx, aid, values["tags"])  # type: ignore[arg-type]
                tx.article_tags_changed(aid, index=False)
            tx.article_changed(aid)
            done += 1
        drop_unused_tags(tx)
    return done


def delete_articles(store: Store, ids: Iterable[int]) -> int:
    """Move articles to the trash: they leave lists, search and recall but keep their
    highlights and tags until :meth:`empty_trash`; :meth:`restore_articles` brings them
    back. Returns how many were moved (articles already in the trash are not counted)."""
    with store.transaction() as tx:
        ids = existing_ids(tx, ids)
        stamp = now_iso()
        moved_ids = []
        for aid in ids:
            cur = tx.execute(
                "UPDATE articles SET trashed_at = ? WHERE id = ? AND trashed_at = ''",
                (stamp, aid))
            if cur.rowcount:
                moved_ids.append(aid)
                tx.article_trashed(aid)
        if moved_ids:
            tx.tags_changed()  # tag counts leave out the trash
    return len(moved_ids)


def restore_articles(store: Store, ids: Iterable[int]) -> int:
    """Take articles out of the trash (undo of :meth:`delete_articles`). Returns how many."""
    with store.transaction() as tx:
        back = []
        for aid in sorted({int(i) for i in ids}):
            cur = tx.execute(
                "UPDATE articles SET trashed_at = '' WHERE id = ? AND trashed_at != ''", (aid,))
            if cur.rowcount:
                back.append(aid)
                tx.article_changed(aid)
        if back:
            tx.tags_changed()  # tag counts leave out the trash
    return len(back)


def empty_trash(store: Store, ids: Iterable[int] | None = None) -> int:
    """Delete the articles in the trash for good (only ``ids`` of them if given), with their
    highlights and versions. Returns how many were deleted. Cannot be undone."""
    with store.transaction() as tx:
        rows = [r[0] for r in tx.execute("SELECT id FROM articles WHERE trashed_at != ''")]
        if ids is not None:
            keep = {int(i) for i in ids}
            rows = [r for r in rows if r in keep]
        for aid in rows:
            delete_article_row(tx, aid)
        if rows:
            tx.tags_changed()
        drop_unused_tags(tx)
    return len(rows)


def fill_title_sort_keys(store: Store, limit: int | None = None) -> int:
    """Store the pinyin sort key (reader.core.text.title_sort_key) of every title that has none
    yet: new articles, retitled ones (a trigger clears the key when a title changes), a
    library from before the column. Returns how many were filled; run it off the GUI
    thread (about 10 µs a character)."""
    if store.readonly:
        return 0
    from reader.core.text import title_sort_key

    sql = "SELECT id, title FROM articles WHERE title_sort = ''"
    rows = store.reader().execute(sql + (" LIMIT ?" if limit else ""),
                                  (limit,) if limit else ()).fetchall()
    if not rows:
        return 0
    keys = [(title_sort_key(r["title"]), r["id"], r["title"]) for r in rows]
    with store.transaction() as tx:
        tx.executemany(
            "UPDATE articles SET title_sort = ? WHERE id = ? AND title = ?", keys)
    return len(keys)
