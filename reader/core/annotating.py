"""Highlights: create, change, delete (a deletion is a marker: undo brings it back)."""

from __future__ import annotations

import logging
import uuid as uuidlib
from collections.abc import Iterable

from reader.core import queries
from reader.core.errors import InvalidInput, NotFound
from reader.core.model import (
    Highlight,
    now_iso,
)
from reader.core.store import Store
from reader.core.store.tags import (
    drop_unused_tags,
    tag_ids,
)
from reader.core.text import clean_note

log = logging.getLogger(__name__)

CONTEXT_CHARS = 32  # characters of prefix/suffix kept with each highlight's quote
#: Notes longer than this are refused.
MAX_NOTE_CHARS = 20_000


def context(body: str, start: int, end: int) -> tuple[str, str]:
    return body[max(0, start - CONTEXT_CHARS):start], body[end:end + CONTEXT_CHARS]


def check_note(note: str) -> None:
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(
            f"the note is too long ({len(note):,} characters; the limit is {MAX_NOTE_CHARS:,})"
        )


def add_highlight(store: Store, article_id: int, start: int, end: int, *, color: str = "yellow", note: str = "",
    tags: Iterable[str] = (), uuid: str | None = None,
) -> Highlight:
    """Highlight ``body[start:end]`` (code points into the stored text)."""
    note = clean_note(note)
    check_note(note)
    with store.transaction() as tx:
        row = tx.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        body = row["body"]
        if not (0 <= start < end <= len(body)):
            raise InvalidInput(
                f"highlight range {start}–{end} is outside the article (0–{len(body)})"
            )
        stamp = now_iso()
        hid = uuid or str(uuidlib.uuid4())
        prefix, suffix = context(body, start, end)
        cur = tx.execute(
            "INSERT INTO highlights(uuid, article_id, start, end, quote, prefix, suffix, color,"
            " note, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (hid, article_id, start, end, body[start:end], prefix, suffix, color, note,
             stamp, stamp),
        )
        for tid in tag_ids(tx, tags):
            tx.execute(
                "INSERT OR IGNORE INTO highlight_tags VALUES (?, ?)", (cur.lastrowid, tid)
            )
        tx.highlight_changed(hid, article_id)
    return queries.highlight(store, hid)


def update_highlight(store: Store, uuid: str, *, color: str | None = None, note: str | None = None,
    tags: Iterable[str] | None = None, start: int | None = None, end: int | None = None,
) -> Highlight:
    """Change a highlight's colour, note, tags or (re-attach) its range."""
    if note is not None:
        note = clean_note(note)
        check_note(note)
    with store.transaction() as tx:
        row = tx.execute(
            "SELECT h.id, h.article_id, a.body FROM highlights h JOIN articles a"
            " ON a.id = h.article_id WHERE h.uuid = ?",
            (uuid,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no highlight {uuid}")
        sets: dict[str, object] = {"updated": now_iso()}
        if color is not None:
            sets["color"] = color
        if note is not None:
            sets["note"] = note
        if start is not None and end is not None:
            body = row["body"]
            if not (0 <= start < end <= len(body)):
                raise InvalidInput(f"range {start}–{end} is outside the article")
            prefix, suffix = context(body, start, end)
            sets.update(start=start, end=end, quote=body[start:end], prefix=prefix,
                        suffix=suffix, orphan=0)
        tx.execute(
            f"UPDATE highlights SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
            (*sets.values(), row["id"]),
        )
        if tags is not None:
            tx.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", (row["id"],))
            for tid in tag_ids(tx, tags):
                tx.execute("INSERT OR IGNORE INTO highlight_tags VALUES (?, ?)", (row["id"], tid))
            drop_unused_tags(tx)
        tx.highlight_changed(uuid, row["article_id"])
    return queries.highlight(store, uuid)


def delete_highlight(store: Store, uuid: str, *, deleted: bool = True) -> None:
    """Mark a highlight deleted (``deleted=False`` undoes it). Rows are never dropped here."""
    with store.transaction() as tx:
        row = tx.execute("SELECT article_id FROM highlights WHERE uuid = ?", (uuid,)).fetchone()
        if row is None:
            raise NotFound(f"no highlight {uuid}")
        tx.execute(
            "UPDATE highlights SET deleted = ?, updated = ? WHERE uuid = ?",
            (int(deleted), now_iso(), uuid),
        )
        tx.highlight_changed(uuid, row["article_id"], deleted=deleted)
