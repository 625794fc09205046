"""Importing annotations from W3C Web Annotation JSON (as written by
:mod:`reader.exporters.webannotation`, and tolerant of other tools' files).

- An annotation is identified by its ``id`` (``urn:uuid:…`` gives the highlight uuid; any other
  id is mapped to a stable uuid5), so a second import of the same file duplicates nothing.
- An annotation already in the library is replaced only if the file's ``modified`` is newer
  (newest wins); otherwise it is left alone.
- The article is found by the uuid in the target's ``source`` IRI, else by external id (WeChat
  aid), url, content hash (of the current or an earlier version), or a unique title.
- The highlight is anchored by its selectors: the TextPositionSelector if the text there is the
  quote, else :func:`reader.anchoring.reanchor` with the TextQuoteSelector. Text not found: the
  highlight is kept as an orphan.
- Everything happens in one transaction; the report says what became of every annotation.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reader.anchoring import reanchor
from reader.library import Library, _context, clean_tags, now_iso
from reader.links import parse_link
from reader.model import HIGHLIGHT_COLORS

PIZHU_NS = "pizhu://ns#"
MAX_BYTES = 512 * 1024 * 1024


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

    def to_json(self) -> dict:
        return {
            "path": self.path, "total": self.total, "imported": self.imported,
            "updated": self.updated, "unchanged": self.unchanged, "orphaned": self.orphaned,
            "skipped": [{"id": i, "reason": r} for i, r in self.skipped],
        }


# ---------------------------------------------------------------------- reading the file
def load_annotations(path: str | os.PathLike[str]) -> list[dict]:
    """The annotation objects in a Web Annotation JSON file (a collection, a page, a list or a
    single annotation). Raises :class:`AnnotationImportError` with a readable reason."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise AnnotationImportError(f"{path}: is a folder, not an annotation file")
        if size > MAX_BYTES:
            raise AnnotationImportError(f"{path}: too large ({size // 2**20} MB) for an annotation file")
        raw = p.read_bytes()
    except OSError as e:
        raise AnnotationImportError(f"{path}: cannot read ({(e.strerror or str(e)).lower()})") from None
    if not raw.strip():
        raise AnnotationImportError(f"{path}: the file is empty")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AnnotationImportError(f"{path}: not UTF-8 text (is it a JSON file?)") from None
    except json.JSONDecodeError as e:
        raise AnnotationImportError(
            f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})"
        ) from None
    items = _items(data)
    if items is None:
        raise AnnotationImportError(
            f"{path}: not a Web Annotation file (no Annotation, AnnotationPage or "
            "AnnotationCollection found)"
        )
    return items


def _types(obj: dict) -> set[str]:
    t = obj.get("type", obj.get("@type", ()))
    return {t} if isinstance(t, str) else {x for x in t if isinstance(x, str)}


def _items(data: object) -> list[dict] | None:
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
            page: dict | None = first
            while isinstance(page, dict):  # pages embedded one after another
                items += [x for x in page.get("items", []) if isinstance(x, dict)]
                page = page.get("next") if isinstance(page.get("next"), dict) else None
            return items
        return [x for x in data.get("items", []) if isinstance(x, dict)]
    if "AnnotationPage" in types:
        return [x for x in data.get("items", []) if isinstance(x, dict)]
    return None


def _ext(obj: dict, name: str, default: object = None) -> object:
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
    article: dict


def _uuid_of(anno: dict) -> str | None:
    ident = anno.get("id", anno.get("@id"))
    if not isinstance(ident, str) or not ident.strip():
        return None
    ident = ident.strip()
    for candidate in (ident.removeprefix("urn:uuid:"), ident):
        try:
            return str(uuidlib.UUID(candidate))
        except ValueError:
            pass
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, ident))


def _as_list(x: object) -> list:
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def _stamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        d = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _parse(anno: dict) -> _Parsed | str:
    """The annotation's content, or the reason it cannot be used."""
    hid = _uuid_of(anno)
    if hid is None:
        return "the annotation has no id"
    notes, tags = [], []
    if isinstance(anno.get("bodyValue"), str):
        notes.append(anno["bodyValue"])
    for b in _as_list(anno.get("body")):
        if not isinstance(b, dict):
            continue
        value = b.get("value", b.get("chars"))
        if not isinstance(value, str):
            continue
        purposes = set(_as_list(b.get("purpose")))
        if "tagging" in purposes:
            tags.append(value)
        elif "TextualBody" in _types(b) or not b.get("type") or "commenting" in purposes:
            notes.append(value)
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
        if "TextQuoteSelector" in kinds and isinstance(sel.get("exact"), str):
            exact = sel["exact"]
            prefix = sel.get("prefix") if isinstance(sel.get("prefix"), str) else ""
            suffix = sel.get("suffix") if isinstance(sel.get("suffix"), str) else ""
        elif "TextPositionSelector" in kinds:
            s, e = sel.get("start"), sel.get("end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s <= e:
                start, end = s, e
    if not exact and start is None:
        return "the annotation has no TextQuoteSelector or TextPositionSelector"
    source = target.get("source", target.get("id", ""))
    info = _ext(target, "article", {})
    color = _ext(anno, "color", "yellow")
    created = anno.get("created") if _stamp(anno.get("created")) else None
    modified = anno.get("modified") if _stamp(anno.get("modified")) else None
    return _Parsed(
        uuid=hid,
        label=str(anno.get("id", hid)),
        created=created or modified or now_iso(),
        modified=modified or created or "",
        note="\n\n".join(n for n in notes if n),
        tags=clean_tags(tags),
        color=color if isinstance(color, str) and color in HIGHLIGHT_COLORS else "yellow",
        deleted=bool(_ext(anno, "deleted", False)),
        exact=exact, prefix=prefix, suffix=suffix, start=start, end=end,
        source=source if isinstance(source, str) else "",
        article=info if isinstance(info, dict) else {},
    )


def _find_article(conn: sqlite3.Connection, a: _Parsed) -> sqlite3.Row | None:
    info = a.article
    link = parse_link(a.source) if a.source else None
    uuids = [u for u in (info.get("uuid"), link.article_uuid if link else None) if u]
    for u in uuids:
        row = conn.execute("SELECT id, body FROM articles WHERE uuid = ?", (str(u),)).fetchone()
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
    """Import a Web Annotation JSON file into ``library`` in one transaction."""
    items = load_annotations(path)
    report = AnnotationImportReport(str(path), total=len(items))
    parsed: list[_Parsed] = []
    for n, anno in enumerate(items):
        p = _parse(anno)
        if isinstance(p, str):
            label = anno.get("id") if isinstance(anno.get("id"), str) else f"#{n + 1}"
            report.skipped.append((label, p))
        else:
            parsed.append(p)
    if parsed:
        with library._write() as conn:
            for p in parsed:
                outcome = _store(conn, p, report)
                if outcome.startswith("skipped:"):
                    report.skipped.append((p.label, outcome.removeprefix("skipped:")))
                else:
                    setattr(report, outcome, getattr(report, outcome) + 1)
            for aid in sorted(report.articles):
                Library._enqueue(conn, aid)
            Library._drop_unused_tags(conn)
    if report.articles:
        library.sync_index()
        for aid in sorted(report.articles):
            library._notify("highlights", aid)
        library._notify("tags")
    return report


def _store(conn: sqlite3.Connection, p: _Parsed, report: AnnotationImportReport) -> str:
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
    for tid in Library._tag_ids(conn, p.tags):
        conn.execute("INSERT OR IGNORE INTO highlight_tags VALUES (?, ?)", (hid, tid))
    report.articles.add(art["id"])
    return "orphaned" if orphan else outcome
