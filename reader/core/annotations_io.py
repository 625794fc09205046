"""Importing annotations from W3C Web Annotation JSON (as written by
:mod:`reader.core.exporters.webannotation`, and tolerant of other tools' files).

- An annotation is identified by its ``id`` (``urn:uuid:…`` gives the highlight uuid; any other
  id is mapped to a stable uuid5), so a second import of the same file duplicates nothing.
- An annotation already in the library is replaced only if the file's ``modified`` is newer
  (newest wins); otherwise it is left alone.
- The article is found by the uuid in the target's ``source`` IRI, else by external id (WeChat
  aid), url, content hash (of the current or an earlier version), or a unique title.
- The highlight is anchored by its selectors: the TextPositionSelector if the text there is the
  quote, else :func:`reader.core.anchoring.reanchor` with the TextQuoteSelector. Text not found: the
  highlight is kept as an orphan.
- Everything happens in one transaction; the report says what became of every annotation.
"""

from __future__ import annotations

import json
import os
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from reader.core.anchoring import reanchor
from reader.core.annotating import context as _context
from reader.core.library import Library
from reader.core.links import parse_link
from reader.core.model import HIGHLIGHT_COLORS, now_iso
from reader.core.store import Executes, Row, Tx
from reader.core.store.tags import drop_unused_tags, highlight_tags, tag_ids
from reader.core.tags import clean_tags
from reader.core.text import clean_note

PIZHU_NS = "pizhu://ns#"
MAX_BYTES = 64 * 1024 * 1024  # ~100,000 annotations; parsed JSON takes ~10x this in memory


class AnnotationImportError(Exception):
    """The file cannot be imported at all; the message names it and says why."""


@dataclass
class AnnotationImportReport:
    path: str
    total: int = 0
    imported: int = 0  # new highlights, anchored
    updated: int = 0  # existing highlights replaced by a newer version from the file
    unchanged: int = 0  # already there, same or newer in the library
    orphaned: int = 0  # new or updated, but their text is not in the article: kept as orphans
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (annotation id, reason)
    articles: set[int] = field(default_factory=set)  # articles whose highlights changed
    import_id: int | None = None  # for undo_import(); None when nothing changed

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "total": self.total, "imported": self.imported,
            "updated": self.updated, "unchanged": self.unchanged, "orphaned": self.orphaned,
            "skipped": [{"id": i, "reason": r} for i, r in self.skipped],
            "import_id": self.import_id,
        }


# ---------------------------------------------------------------------- reading the file
def load_annotations(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The annotation objects in a Web Annotation JSON file (a collection, a page, a list or a
    single annotation). Raises :class:`AnnotationImportError` with a readable reason."""
    from reader.core import fileguard

    try:  # a bounded read: /dev/zero, a FIFO or a 10 GB file is refused, never read to the end
        raw = fileguard.read_bounded(path, MAX_BYTES)
    except IsADirectoryError:
        raise AnnotationImportError(f"{path}: is a folder, not an annotation file") from None
    except ValueError as e:  # too large, or a device/FIFO
        raise AnnotationImportError(f"{path}: {e} for an annotation file") from None
    except OSError as e:
        raise AnnotationImportError(f"{path}: cannot read ({(e.strerror or str(e)).lower()})") from None
    if not raw.strip():
        raise AnnotationImportError(f"{path}: the file is empty")
    try:  # deep nesting and 5,000-digit numbers are a ValueError with a reason, too
        data = fileguard.loads_json(raw)
    except ValueError as e:
        if str(e) == "not UTF-8 text":
            raise AnnotationImportError(f"{path}: not UTF-8 text (is it a JSON file?)") from None
        raise AnnotationImportError(f"{path}: {e}") from None
    items = _items(data)
    if items is None:
        raise AnnotationImportError(
            f"{path}: not a Web Annotation file (no Annotation, AnnotationPage or "
            "AnnotationCollection found)"
        )
    return items


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("type", obj.get("@type", ()))
    return {t} if isinstance(t, str) else {x for x in t if isinstance(x, str)}


def _items(data: object) -> list[dict[str, Any]] | None:
    if isinstance(data, list):
        return [x for x in data if isinstance(x, dict)]
    if not isinstance(data, dict):
        return None
    types = _types(data)
    if "Annotation" in types:
        return [data]
    if "AnnotationCollection" in types:
        first = data.get("first")
        if isinstance(first, dict):
            items = []
            page: dict[str, Any] | None = first
            while isinstance(page, dict):  # pages embedded one after another
                items += [x for x in page.get("items", []) if isinstance(x, dict)]
                page = page.get("next") if isinstance(page.get("next"), dict) else None
            return items
        return [x for x in data.get("items", []) if isinstance(x, dict)]
    if "AnnotationPage" in types:
        return [x for x in data.get("items", []) if isinstance(x, dict)]
    return None


def _ext(obj: dict[str, Any], name: str, default: object = None) -> object:
    """An extension property, whether written with the ``pizhu:`` prefix or expanded."""
    for key in (f"pizhu:{name}", PIZHU_NS + name):
        if key in obj:
            return obj[key]
    return default


# ---------------------------------------------------------------------- one annotation
@dataclass
class _Parsed:
    uuid: str
    label: str  # for messages
    created: str
    modified: str
    note: str
    tags: list[str]
    color: str
    deleted: bool
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    source: str
    article: dict[str, Any]


MAX_SKEW = timedelta(days=1)  # a clock a little ahead is fine; a date years ahead wins forever
MAX_NOTE_CHARS = 100_000
MAX_TAGS = 100
MAX_TAG_CHARS = 200
MAX_QUOTE_CHARS = 1_000_000
MAX_CONTEXT_CHARS = 10_000  # prefix / suffix
MAX_OFFSET = 1 << 31  # far beyond any article; keeps 2**70 out of SQLite's 64-bit integers
MAX_ID_CHARS = 2_000
MAX_STAMP_CHARS = 64
KEEP_IMPORTS = 100  # annotation imports that can still be undone


class _Bad(Exception):
    """One annotation cannot be used; the message is the per-entry reason."""


def _uuid_of(anno: dict[str, Any]) -> str | None:
    ident = anno.get("id", anno.get("@id"))
    if ident is None:
        return None
    if not isinstance(ident, str):
        raise _Bad(f"its id is {_kind(ident)}, not a string")
    if len(ident) > MAX_ID_CHARS:
        raise _Bad(f"its id is longer than {MAX_ID_CHARS} characters")
    if not ident.strip():
        return None
    ident = ident.strip()
    for candidate in (ident.removeprefix("urn:uuid:"), ident):
        try:
            return str(uuidlib.UUID(candidate))
        except ValueError:
            pass
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, ident))


def _kind(x: object) -> str:
    """What a JSON value is, for a message (``"false"`` is a string, not a boolean)."""
    if isinstance(x, bool):
        return f"the boolean {str(x).lower()}"
    if isinstance(x, str):
        return f"the string {_short(x)!r}"
    if isinstance(x, int | float):
        return f"the number {_short(str(x))}"
    return {dict: "an object", list: "a list", type(None): "null"}.get(type(x), type(x).__name__)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _as_list(x: object) -> list[Any]:
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def _stamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_STAMP_CHARS:
        return None
    try:
        d = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _time(anno: dict[str, Any], key: str, now: datetime) -> str | None:
    """The annotation's ``created``/``modified`` time, checked: a date and time, not in the
    future (beyond :data:`MAX_SKEW`). Why: the newest version of an annotation wins, so a
    ``modified`` of 9999-12-31 would overwrite a highlight and win against every later edit."""
    value = anno.get(key)
    if value is None:
        return None
    d = _stamp(value)
    if d is None:
        raise _Bad(f"its {key} time is {_kind(value)}, not a date and time (ISO 8601)")
    if d > now + MAX_SKEW:
        raise _Bad(f"its {key} time {value.strip()} is in the future")
    return str(value).strip()


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise _Bad(f"its {what} is {_kind(value)}, not a string")
    if len(value) > limit:
        raise _Bad(f"its {what} is longer than {limit:,} characters")
    return value


def _offset(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Bad(f"its TextPositionSelector {what} is {_kind(value)}, not a whole number")
    if not 0 <= value <= MAX_OFFSET:
        raise _Bad(f"its TextPositionSelector {what} {_short(str(value))} is not a position "
                   "in a text")
    return value


def _parse(anno: dict[str, Any], now: datetime | None = None) -> _Parsed | str:
    """The annotation's content, or the reason it cannot be used. Types are checked strictly
    (a boolean is a JSON boolean, an offset a whole number, a colour one of Pizhu's): a file
    from elsewhere must not change a highlight in a way its author did not mean."""
    try:
        return _parse_strict(anno, now or datetime.now(UTC))
    except _Bad as e:
        return str(e)


def _parse_strict(anno: dict[str, Any], now: datetime) -> _Parsed | str:
    hid = _uuid_of(anno)
    if hid is None:
        return "the annotation has no id"
    notes, tags = [], []
    if "bodyValue" in anno:
        notes.append(_text(anno["bodyValue"], "bodyValue", MAX_NOTE_CHARS))
    for b in _as_list(anno.get("body")):
        if not isinstance(b, dict):
            continue
        purposes = set(_as_list(b.get("purpose")))
        key = "value" if "value" in b else "chars" if "chars" in b else None
        if key is None:  # a body that is not text (an image, a link): not a note
            continue
        if "tagging" in purposes:
            tags.append(clean_note(_text(b[key], "tag", MAX_TAG_CHARS)))
        elif "TextualBody" in _types(b) or not b.get("type") or "commenting" in purposes:
            notes.append(_text(b[key], "note", MAX_NOTE_CHARS))
    note = clean_note("\n\n".join(n for n in notes if n))
    if len(note) > MAX_NOTE_CHARS:
        raise _Bad(f"its note is longer than {MAX_NOTE_CHARS:,} characters")
    tags = clean_tags(tags)
    if len(tags) > MAX_TAGS:
        raise _Bad(f"it has {len(tags)} tags (at most {MAX_TAGS})")
    targets = [t for t in _as_list(anno.get("target")) if isinstance(t, dict | str)]
    if not targets:
        return "the annotation has no target"
    target = targets[0]
    if isinstance(target, str):
        target = {"source": target}
    exact = prefix = suffix = ""
    start = end = None
    for sel in _as_list(target.get("selector")):
        if not isinstance(sel, dict):
            continue
        kinds = _types(sel)
        if "TextQuoteSelector" in kinds and "exact" in sel:
            exact = _text(sel["exact"], "quote (exact)", MAX_QUOTE_CHARS)
            prefix = _text(sel.get("prefix", ""), "quote prefix", MAX_CONTEXT_CHARS)
            suffix = _text(sel.get("suffix", ""), "quote suffix", MAX_CONTEXT_CHARS)
        elif "TextPositionSelector" in kinds:
            s, e = _offset(sel.get("start"), "start"), _offset(sel.get("end"), "end")
            if s > e:
                raise _Bad(f"its TextPositionSelector starts after it ends ({s} > {e})")
            start, end = s, e
    if not exact and start is None:
        return "the annotation has no TextQuoteSelector or TextPositionSelector"
    source = target.get("source", target.get("id", ""))
    info = _ext(target, "article", {})
    color = _ext(anno, "color", "yellow")
    if not isinstance(color, str) or color not in HIGHLIGHT_COLORS:
        known = ", ".join(HIGHLIGHT_COLORS)
        raise _Bad(f"its colour is {_kind(color)}, not one of {known}")
    deleted = _ext(anno, "deleted", False)
    if not isinstance(deleted, bool):
        raise _Bad(f"pizhu:deleted is {_kind(deleted)}, not true or false")
    created, modified = _time(anno, "created", now), _time(anno, "modified", now)
    return _Parsed(
        uuid=hid,
        label=str(anno.get("id", hid)),
        created=created or modified or now_iso(),
        modified=modified or created or "",
        note=note,
        tags=tags,
        color=color,
        deleted=deleted,
        exact=exact, prefix=prefix, suffix=suffix, start=start, end=end,
        source=source if isinstance(source, str) else "",
        article=info if isinstance(info, dict) else {},
    )


def _find_article(conn: Executes, a: _Parsed) -> Row | None:
    rows: list[Row]
    info = a.article
    link = parse_link(a.source) if a.source else None
    uuids = [u for u in (info.get("uuid"), link.article_uuid if link else None) if u]
    for u in uuids:
        row: Row | None = conn.execute(
            "SELECT id, body FROM articles WHERE uuid = ?", (str(u),)).fetchone()
        if row:
            return row
    ext, kind = info.get("externalId"), info.get("kind")
    if isinstance(ext, str) and ext:
        sql, args = "SELECT id, body FROM articles WHERE external_id = ?", [ext]
        if isinstance(kind, str) and kind:
            sql += " AND kind = ?"
            args.append(kind)
        rows = conn.execute(sql, args).fetchall()
        if len(rows) == 1:
            return rows[0]
    urls = [u for u in (info.get("url"), a.source) if isinstance(u, str) and u
            and not u.startswith("pizhu:")]
    for u in urls:
        rows = conn.execute("SELECT id, body FROM articles WHERE url = ?", (u,)).fetchall()
        if len(rows) == 1:
            return rows[0]
    chash = info.get("contentHash")
    if isinstance(chash, str) and chash:
        row = conn.execute(
            "SELECT id, body FROM articles WHERE content_hash = ? UNION ALL"
            " SELECT a.id, a.body FROM article_versions v JOIN articles a ON a.id = v.article_id"
            " WHERE v.content_hash = ? LIMIT 1",
            (chash, chash),
        ).fetchone()
        if row:
            return row
    title = info.get("title")
    if isinstance(title, str) and title:
        rows = conn.execute("SELECT id, body FROM articles WHERE title = ?", (title,)).fetchall()
        if len(rows) == 1:
            return rows[0]
    return None


def _anchor(body: str, a: _Parsed) -> tuple[int, int] | None:
    s, e = a.start, a.end
    if (s is not None and e is not None and s < e <= len(body)
            and (not a.exact or body[s:e] == a.exact)):
        return s, e
    if a.exact:
        return reanchor(body, a.exact, a.prefix, a.suffix, s or 0)
    return None


# ---------------------------------------------------------------------- the import
def import_annotations(
    library: Library, path: str | os.PathLike[str]
) -> AnnotationImportReport:
    """Import a Web Annotation JSON file into ``library`` in one transaction. The state of every
    highlight it creates or changes is recorded, so that :func:`undo_import` can take the whole
    import back (``report.import_id``)."""
    items = load_annotations(path)
    report = AnnotationImportReport(str(path), total=len(items))
    parsed: list[_Parsed] = []
    now = datetime.now(UTC)
    for n, anno in enumerate(items):
        p = _parse(anno, now)
        if isinstance(p, str):
            ident = anno.get("id")
            label = _short(ident, 200) if isinstance(ident, str) and ident else f"#{n + 1}"
            report.skipped.append((label, p))
        else:
            parsed.append(p)
    if parsed:
        changed: list[str] = []
        with library.store.transaction() as conn:
            import_id = int(conn.execute(
                "INSERT INTO annotation_imports(path, imported_at) VALUES (?, ?)",
                (str(path), now_iso()),
            ).lastrowid or 0)
            for p in parsed:
                before = _snapshot(conn, p.uuid)
                outcome = _store(conn, p, report)
                if outcome.startswith("skipped:"):
                    report.skipped.append((p.label, outcome.removeprefix("skipped:")))
                    continue
                setattr(report, outcome, getattr(report, outcome) + 1)
                if outcome != "unchanged":
                    _record_change(conn, import_id, p.uuid, before)
                    changed.append(p.uuid)
            if conn.execute("SELECT 1 FROM annotation_import_changes WHERE import_id = ?",
                            (import_id,)).fetchone():
                report.import_id = import_id
                conn.execute(  # the undo history is bounded: the latest KEEP_IMPORTS imports
                    "DELETE FROM annotation_imports WHERE id NOT IN"
                    " (SELECT id FROM annotation_imports ORDER BY id DESC LIMIT ?)",
                    (KEEP_IMPORTS,))
            else:
                conn.execute("DELETE FROM annotation_imports WHERE id = ?", (import_id,))
            _highlights_changed(conn, changed)
            drop_unused_tags(conn)
    return report


def _store(conn: Tx, p: _Parsed, report: AnnotationImportReport) -> str:
    art = _find_article(conn, p)
    if art is None:
        title = p.article.get("title") or p.source or "?"
        return f"skipped:its article is not in this library ({title})"
    local = conn.execute(
        "SELECT id, article_id, updated FROM highlights WHERE uuid = ?", (p.uuid,)
    ).fetchone()
    if local is not None:
        theirs, ours = _stamp(p.modified), _stamp(local["updated"])
        if theirs is None or (ours is not None and theirs <= ours):
            return "unchanged"
    body = art["body"]
    span = _anchor(body, p)
    if span is not None:
        s, e = span
        quote, (prefix, suffix), orphan = body[s:e], _context(body, s, e), 0
    else:
        if not p.exact:
            return "skipped:its position is outside the article and it has no quote"
        s, e = (p.start, p.end) if p.start is not None and p.end is not None else (0, 0)
        quote, prefix, suffix, orphan = p.exact, p.prefix, p.suffix, 1
    modified = p.modified or p.created
    values = {
        "article_id": art["id"], "start": s, "end": e, "quote": quote, "prefix": prefix,
        "suffix": suffix, "color": p.color, "note": p.note, "created": p.created,
        "updated": modified, "deleted": int(p.deleted), "orphan": orphan,
    }
    if local is None:
        cols = ", ".join(["uuid", *values])
        cur = conn.execute(
            f"INSERT INTO highlights({cols}) VALUES ({', '.join('?' * (len(values) + 1))})",
            (p.uuid, *values.values()),
        )
        hid = cur.lastrowid
        outcome = "imported"
    else:
        hid = local["id"]
        conn.execute(
            f"UPDATE highlights SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            (*values.values(), hid),
        )
        conn.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", (hid,))
        report.articles.add(local["article_id"])
        outcome = "updated"
    for tid in tag_ids(conn, p.tags):
        conn.execute("INSERT OR IGNORE INTO highlight_tags VALUES (?, ?)", (hid, tid))
    report.articles.add(art["id"])
    return "orphaned" if orphan else outcome


# ---------------------------------------------------------------------- undo
_SNAPSHOT_COLUMNS = ("article_id", "start", "end", "quote", "prefix", "suffix", "color", "note",
                     "created", "updated", "deleted", "orphan")


class NothingToUndo(AnnotationImportError):
    """There is no annotation import left to undo."""


@dataclass
class UndoReport:
    """What :func:`undo_import` did: highlights put back as they were, highlights the import
    had created and that are gone again, and highlights left alone (with the reason)."""

    import_id: int
    path: str
    imported_at: str
    restored: int = 0
    removed: int = 0
    kept: list[tuple[str, str]] = field(default_factory=list)  # (highlight uuid, reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id, "path": self.path, "imported_at": self.imported_at,
            "restored": self.restored, "removed": self.removed,
            "kept": [{"uuid": u, "reason": r} for u, r in self.kept],
        }


def _snapshot(conn: Executes, uuid: str) -> dict[str, Any] | None:
    """A highlight's whole state (its columns and tags), or None if there is no such highlight."""
    row = conn.execute(
        f"SELECT id, {', '.join(_SNAPSHOT_COLUMNS)} FROM highlights WHERE uuid = ?", (uuid,)
    ).fetchone()
    if row is None:
        return None
    state = {k: row[k] for k in _SNAPSHOT_COLUMNS}
    state["tags"] = sorted(highlight_tags(conn, row["id"]), key=str.casefold)
    return state


def _record_change(conn: Tx, import_id: int, uuid: str,
                   before: dict[str, Any] | None) -> None:
    after = json.dumps(_snapshot(conn, uuid), ensure_ascii=False, sort_keys=True)
    # the same annotation twice in one file: the state before the import is the first one
    conn.execute(
        "INSERT INTO annotation_import_changes(import_id, highlight_uuid, before, after)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (import_id, highlight_uuid) DO UPDATE SET"
        " after = excluded.after",
        (import_id, uuid,
         None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
         after),
    )


def annotation_imports(library: Library, *, limit: int = 20) -> list[dict[str, Any]]:
    """The latest annotation imports that changed something, newest first (for a menu)."""
    rows = library.store.reader().execute(
        "SELECT i.id, i.path, i.imported_at, i.undone_at, count(c.highlight_uuid) AS changes"
        " FROM annotation_imports i LEFT JOIN annotation_import_changes c ON c.import_id = i.id"
        " GROUP BY i.id ORDER BY i.id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [dict(r) for r in rows]


def undo_import(library: Library, import_id: int | None = None) -> UndoReport:
    """Take an annotation import back in one transaction (default: the latest one not yet
    undone). Every highlight it changed gets its earlier state again (note, tags, colour,
    range, deletion marker); every highlight it created is removed. A highlight changed again
    after the import (in the app or by a later import) is left as it is and named in
    ``kept``: undo never throws away work done since."""
    with library.store.transaction() as conn:
        if import_id is None:
            row = conn.execute("SELECT * FROM annotation_imports WHERE undone_at = ''"
                               " ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                raise NothingToUndo(f"{library.root}: no annotation import to undo")
        else:
            row = conn.execute("SELECT * FROM annotation_imports WHERE id = ?",
                               (import_id,)).fetchone()
            if row is None:
                raise NothingToUndo(f"{library.root}: no annotation import {import_id}")
            if row["undone_at"]:
                raise NothingToUndo(f"the annotation import from {row['path']} was already "
                                    f"undone ({row['undone_at']})")
        report = UndoReport(row["id"], row["path"], row["imported_at"])
        articles: set[int] = set()
        restored: list[str] = []
        changes = conn.execute(
            "SELECT highlight_uuid, before, after FROM annotation_import_changes"
            " WHERE import_id = ? ORDER BY rowid", (row["id"],)
        ).fetchall()
        for ch in changes:
            uuid = ch["highlight_uuid"]
            now = _snapshot(conn, uuid)
            if now is None:
                report.kept.append((uuid, "the highlight is gone (its article was deleted)"))
                continue
            if now != json.loads(ch["after"]):
                report.kept.append((uuid, "the highlight was changed after the import"))
                continue
            articles.add(now["article_id"])
            hid = conn.execute("SELECT id FROM highlights WHERE uuid = ?", (uuid,)).fetchone()[0]
            conn.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", (hid,))
            if ch["before"] is None:
                conn.execute("DELETE FROM highlights WHERE id = ?", (hid,))
                conn.highlight_changed(uuid, now["article_id"], deleted=True)
                report.removed += 1
                continue
            before = json.loads(ch["before"])
            if conn.execute("SELECT 1 FROM articles WHERE id = ?",
                            (before["article_id"],)).fetchone() is None:
                before["article_id"] = now["article_id"]
            conn.execute(
                f"UPDATE highlights SET {', '.join(f'{k} = ?' for k in _SNAPSHOT_COLUMNS)}"
                " WHERE id = ?",
                (*(before[k] for k in _SNAPSHOT_COLUMNS), hid),
            )
            for tid in tag_ids(conn, before["tags"]):
                conn.execute("INSERT OR IGNORE INTO highlight_tags VALUES (?, ?)", (hid, tid))
            articles.add(before["article_id"])
            restored.append(uuid)
            report.restored += 1
        conn.execute("UPDATE annotation_imports SET undone_at = ? WHERE id = ?",
                     (now_iso(), row["id"]))
        _highlights_changed(conn, restored)
        for aid in sorted(articles):  # e.g. an article a highlight moved back from
            conn.enqueue(aid)
        drop_unused_tags(conn)
    return report


def _highlights_changed(tx: Tx, uuids: list[str]) -> None:
    """Record highlights changed by an import or its undo (their articles re-indexed whole)."""
    by_article: dict[int, list[str]] = {}
    for i in range(0, len(uuids), 500):
        chunk = uuids[i:i + 500]
        for uuid, aid in tx.execute(
            f"SELECT uuid, article_id FROM highlights WHERE uuid IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            by_article.setdefault(aid, []).append(uuid)
    for aid, hls in sorted(by_article.items()):
        tx.highlights_changed(aid, hls)
