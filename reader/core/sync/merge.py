"""What syncs, field by field: capturing local changes as operations and merging remote ones.

The library's tables stay the truth. Beside them ``sync_state`` keeps, for every synced thing
(``kind``, ``id``), the clock stamp and a hash of each field's last synced value (its shadow).

- **Capture** compares things with their shadow: a field whose value hash differs gets a new
  clock stamp and becomes an operation ``[kind, id, field, hlc, value]`` in ``sync_outbox`` —
  in the same transaction as the change itself (a ``before_commit`` hook), or over the whole
  library (``full=True``: when sync is turned on, and before every sync as a safety net).
- **Merge** takes remote operations: per field the later stamp wins (last writer wins, ordered
  by the hybrid logical clock); a winning value is written into the library through the
  store's transaction (``origin="sync"``, so it is not captured again) and its stamp goes into
  the shadow. Applying an operation twice, or in any order, gives the same result.

Kinds and their ids (uuid = the article's / highlight's uuid; tag = the tag's key, see
:func:`tag_key`):

====== ================ ===============================================================
kind   id               fields
====== ================ ===============================================================
a      article uuid     title, body, subtitle, byline, source, date, url, kicker, page,
                        trashed, read, position, origin (key, kind, file… once), gone
h      highlight uuid   article, anchor (start, end, quote, prefix, suffix), color, note,
                        created, deleted, gone
at     uuid \\t tag     on (the tag's name, or null when removed)
ht     uuid \\t tag     on
t      tag              name (its spelling: a rename that only changes case)
v      uuid \\t hash    v (an earlier text: title, body, replaced_at, reason; never changes)
====== ================ ===============================================================

``gone`` is a tombstone: an article deleted for good stays deleted whatever arrives later —
except that of a merge that closes a cycle of merges (articles merged into each other on two
devices): the earliest merge of a cycle is void (:meth:`Merge._break_merge_cycles`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from reader.core.sync.hlc import Clock, valid
from reader.core.sync.logfmt import Op

ARTICLE_META = ("subtitle", "byline", "source", "date", "url", "kicker", "page")
ORIGIN = ("key", "external_id", "kind", "source_file", "page_index", "imported_at")
CONTEXT_CHARS = 32  # as reader.core.library: characters of context kept with a quote
KIND_ORDER = ("t", "a", "v", "h", "at", "ht")
_SQL_CHUNK = 500

Shadow = dict[str, list[str]]  # field -> [hlc, hash]
log = logging.getLogger(__name__)


def vhash(value: object) -> str:
    """A short stand-in for a value, compared only on this device: short texts and numbers as
    themselves (most fields; no hashing), others by SHA-1."""
    if value is None:
        return "n"
    if isinstance(value, bool):
        return "b1" if value else "b0"
    if isinstance(value, int):
        return f"i{value}"
    if isinstance(value, str):
        if len(value) <= 40:
            return "=" + value
        return "s" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return "j" + hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def tag_key(name: str) -> str:
    """Tags are one per name regardless of ASCII case (the store's COLLATE NOCASE)."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(items: list[Any], n: int = _SQL_CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------- the shadow
class ShadowTable:
    """``sync_state`` rows read once per transaction and written back when changed."""

    def __init__(self, ex: Any) -> None:
        self.ex = ex
        self.rows: dict[tuple[str, str], tuple[str, Shadow]] = {}
        self.dirty: set[tuple[str, str]] = set()
        # fingerprints of rows as just compared; a row changed without one gets '' (compare
        # it again at the next full scan)
        self.fps: dict[tuple[str, str], str] = {}

    def load_fps(self, kind: str) -> dict[str, str]:
        """id -> fingerprint of every row of a kind (cheap: no JSON)."""
        return {r[0]: r[1] for r in self.ex.execute(
            "SELECT id, fp FROM sync_state WHERE kind = ?", (kind,))}

    def set_fp(self, kind: str, id_: str, fp: str) -> None:
        self.fps[(kind, id_)] = fp

    def load(self, kind: str, ids: Iterable[str]) -> None:
        want = [i for i in set(ids) if (kind, i) not in self.rows]
        for chunk in _chunks(want):
            for r in self.ex.execute(
                "SELECT id, parent, fields FROM sync_state WHERE kind = ? AND id IN"
                f" ({','.join('?' * len(chunk))})", (kind, *chunk),
            ):
                self.rows[(kind, r[0])] = (r[1], json.loads(r[2]))

    def load_kind(self, kind: str, parents: Iterable[str] | None = None) -> list[str]:
        """Load every row of a kind (or of those parents); returns their ids."""
        ids = []
        if parents is None:
            cur = self.ex.execute("SELECT id, parent, fields FROM sync_state WHERE kind = ?",
                                  (kind,))
            rows = list(cur)
        else:
            rows = []
            for chunk in _chunks(sorted(set(parents))):
                rows += list(self.ex.execute(
                    "SELECT id, parent, fields FROM sync_state WHERE kind = ? AND parent IN"
                    f" ({','.join('?' * len(chunk))})", (kind, *chunk)))
        for r in rows:
            ids.append(r[0])
            if (kind, r[0]) not in self.rows:
                self.rows[(kind, r[0])] = (r[1], json.loads(r[2]))
        return ids

    def get(self, kind: str, id_: str) -> Shadow:
        row = self.rows.get((kind, id_))
        return row[1] if row else {}

    def parent(self, kind: str, id_: str) -> str:
        row = self.rows.get((kind, id_))
        return row[0] if row else ""

    def set(self, kind: str, id_: str, fld: str, hlc: str, h: str, parent: str | None = None,
            ) -> None:
        old_parent, st = self.rows.get((kind, id_), ("", {}))
        st[fld] = [hlc, h]
        self.rows[(kind, id_)] = (old_parent if parent is None else parent, st)
        self.dirty.add((kind, id_))

    def set_parent(self, kind: str, id_: str, parent: str) -> None:
        old_parent, st = self.rows.get((kind, id_), ("", {}))
        if old_parent != parent:
            self.rows[(kind, id_)] = (parent, st)
            self.dirty.add((kind, id_))

    def flush(self) -> None:
        if self.dirty:
            self.ex.executemany(
                "INSERT OR REPLACE INTO sync_state(kind, id, parent, fields, fp)"
                " VALUES (?,?,?,?,?)",
                [(k, i, *self._row(k, i), self.fps.get((k, i), "")) for k, i in
                 sorted(self.dirty)],
            )
        only = [(fp, k, i) for (k, i), fp in self.fps.items() if (k, i) not in self.dirty]
        if only:
            self.ex.executemany("UPDATE sync_state SET fp = ? WHERE kind = ? AND id = ?", only)
        self.dirty.clear()
        self.fps.clear()

    def _row(self, kind: str, id_: str) -> tuple[str, str]:
        parent, st = self.rows[(kind, id_)]
        return parent, json.dumps(st, separators=(",", ":"), sort_keys=True)


def gone(st: Shadow) -> bool:
    return "gone" in st


# ---------------------------------------------------------------------- reading local values
def article_rows(ex: Any, ids: list[int] | None, *, body: bool) -> list[Any]:
    cols = ("id, uuid, title, content_hash, trashed_at, read, position, "
            + ", ".join(ARTICLE_META) + ", " + ", ".join(ORIGIN) + (", body" if body else ""))
    if ids is None:
        return list(ex.execute(f"SELECT {cols} FROM articles"))
    out: list[Any] = []
    for chunk in _chunks(sorted(set(ids))):
        out += ex.execute(f"SELECT {cols} FROM articles WHERE id IN"
                          f" ({','.join('?' * len(chunk))})", chunk).fetchall()
    return out


def article_values(r: Any) -> dict[str, object]:
    vals: dict[str, object] = {"title": r["title"]}
    for f in ARTICLE_META:
        vals[f] = r[f]
    vals["trashed"] = r["trashed_at"]
    vals["read"] = int(r["read"])
    vals["position"] = int(r["position"])
    vals["origin"] = {f: r[f] for f in ORIGIN}
    return vals


def highlight_rows(ex: Any, *, uuids: list[str] | None = None,
                    article_ids: list[int] | None = None) -> list[Any]:
    cols = ("h.id, h.uuid, a.uuid AS article, h.start, h.end, h.quote, h.prefix, h.suffix,"
            " h.color, h.note, h.created, h.deleted")
    base = f"SELECT {cols} FROM highlights h JOIN articles a ON a.id = h.article_id"
    if uuids is None and article_ids is None:
        return list(ex.execute(base))
    out: list[Any] = []
    for chunk in _chunks(sorted(set(uuids or ()))):
        out += ex.execute(f"{base} WHERE h.uuid IN ({','.join('?' * len(chunk))})",
                          chunk).fetchall()
    for chunk in _chunks(sorted(set(article_ids or ()))):
        out += ex.execute(f"{base} WHERE h.article_id IN ({','.join('?' * len(chunk))})",
                          chunk).fetchall()
    return out


def _fingerprint(r: Any) -> str:
    """A cheap fingerprint of a row as read for capture (every column, the text by its hash)."""
    data = "\x1f".join(map(str, tuple(r))).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def highlight_values(r: Any) -> dict[str, object]:
    return {
        "article": r["article"],
        "anchor": [r["start"], r["end"], r["quote"], r["prefix"], r["suffix"]],
        "color": r["color"], "note": r["note"], "created": r["created"],
        "deleted": int(r["deleted"]),
    }


IMAGE_FILE = re.compile(r"^images/([0-9a-f]{2})/(\1[0-9a-f]{62})\.(png|jpg|gif|webp|bmp)$")


def structure_value(ex: Any, aid: int) -> dict[str, Any] | None:
    """An article's structure as it syncs: the body it was made for (its hash), the block and
    emphasis ranges, the pictures (their files travel separately, by content)."""
    row = ex.execute("SELECT body_sha FROM article_structure WHERE article_id = ?",
                     (aid,)).fetchone()
    if row is None:
        return None
    blocks = [list(r) for r in ex.execute(
        "SELECT kind, start, end, level FROM article_blocks WHERE article_id = ?"
        " ORDER BY start, end, kind, level", (aid,))]
    images = [list(r) for r in ex.execute(
        "SELECT seq, pos, alt, url, file, mime, width, height FROM article_images"
        " WHERE article_id = ? ORDER BY seq", (aid,))]
    return {"sha": row[0], "blocks": blocks, "images": images}


# ---------------------------------------------------------------------- capture
@dataclass
class Scope:
    """What a capture looks at: everything (``full``) or the things a transaction changed."""

    full: bool = False
    articles: set[int] = field(default_factory=set)
    articles_deleted: dict[int, str] = field(default_factory=dict)
    highlights: set[str] = field(default_factory=set)
    tags: bool = False

    @classmethod
    def from_changes(cls, ch: Any) -> Scope:
        arts = set(ch.articles) | set(ch.article_tags) | set(ch.reading) | set(
            getattr(ch, "read", ())) | set(getattr(ch, "highlight_articles", ()))
        return cls(articles=arts, articles_deleted=dict(ch.articles_deleted),
                   highlights=set(ch.highlights) | set(ch.highlights_deleted), tags=bool(ch.tags))

    def __bool__(self) -> bool:
        return bool(self.full or self.articles or self.articles_deleted or self.highlights
                    or self.tags)


class Capture:
    """Local changes -> operations (stamped now) in ``sync_outbox``, shadow updated."""

    def __init__(self, ex: Any, clock: Clock) -> None:
        self.ex = ex
        self.clock = clock
        self.shadow = ShadowTable(ex)
        self.ops: list[Op] = []

    def run(self, scope: Scope) -> int:
        full = scope.full
        arts = None if full else sorted(scope.articles)
        if full or arts:
            self._articles(arts)
            self._versions(arts)
            self._highlights(None if full else [], arts)
            self._elements("at", None if full else arts)
        if not full and scope.highlights:
            self._highlights(sorted(scope.highlights), None)
            self._elements("ht", None, sorted(scope.highlights))
        if not full and arts:
            self._elements("ht", arts)
        if full or scope.tags:
            self._tags()
            if not full:
                self._elements("at", None)
                self._elements("ht", None)
        if full:
            self._elements("ht", None)
        into = self._merge_target(scope)
        for uuid in scope.articles_deleted.values():
            self.shadow.load("a", [uuid])
            if not gone(self.shadow.get("a", uuid)):
                self._op("a", uuid, "gone", {"into": into} if into else True)
                if into:
                    st = self.shadow.get("a", uuid)
                    self.shadow.set("a", uuid, "_into", st["gone"][0], into)
        if into:
            self._restate(into)
        self.shadow.flush()
        if self.ops:
            self.ex.executemany("INSERT INTO sync_outbox(line) VALUES (?)",
                                [(_dump(op),) for op in self.ops])
        return len(self.ops)

    def _restate(self, uuid: str) -> None:
        """A merge's target travels whole: its unchanged fields go out again with the stamps
        they have (a no-op wherever they are known), so a device that must bring the target
        back to break a cycle of merges (:meth:`Merge._break_merge_cycles`) has every value."""
        row = self.ex.execute("SELECT id FROM articles WHERE uuid = ?", (uuid,)).fetchone()
        if row is None:
            return
        (r,) = article_rows(self.ex, [int(row[0])], body=True)
        vals = article_values(r) | {"body": r["body"],
                                    "structure": structure_value(self.ex, int(row[0]))}
        sent = {op[2] for op in self.ops if op[0] == "a" and op[1] == uuid}
        st = self.shadow.get("a", uuid)
        for f, v in vals.items():
            old = st.get(f)
            if f not in sent and old is not None and old[1] == vhash(v):
                self.ops.append(["a", uuid, f, old[0], v])

    def _merge_target(self, scope: Scope) -> str:
        """The article a deleted one was merged into: the one other article the same
        transaction changed (a merge appends one article to another in one transaction)."""
        if scope.full or not scope.articles_deleted:
            return ""
        survivors = [i for i in scope.articles if i not in scope.articles_deleted]
        if len(survivors) != 1:
            return ""
        row = self.ex.execute("SELECT uuid FROM articles WHERE id = ?", (survivors[0],)).fetchone()
        return "" if row is None else str(row[0])

    def _op(self, kind: str, id_: str, fld: str, value: object, h: str | None = None,
            parent: str | None = None) -> None:
        hlc = self.clock.now()
        self.shadow.set(kind, id_, fld, hlc, vhash(value) if h is None else h, parent)
        self.ops.append([kind, id_, fld, hlc, value])

    def _diff(self, kind: str, id_: str, vals: dict[str, object], parent: str = "") -> None:
        st = self.shadow.get(kind, id_)
        if gone(st) and kind in ("a", "h"):
            return  # a tombstone is final
        for f, v in vals.items():
            h = vhash(v)
            old = st.get(f)
            if old is None or old[1] != h:
                self._op(kind, id_, f, v, h, parent)
        if parent:
            self.shadow.set_parent(kind, id_, parent)

    def _articles(self, ids: list[int] | None) -> None:
        rows = article_rows(self.ex, ids, body=False)
        uuids = [r["uuid"] for r in rows]
        fp: dict[str, str] = {}
        if ids is None:  # the whole library: only rows whose fingerprint moved are compared
            fps = self.shadow.load_fps("a")
            known = list(fps)
            fp = {r["uuid"]: _fingerprint(r) for r in rows}
            rows = [r for r in rows if fps.get(r["uuid"]) != fp[r["uuid"]]]
            self.shadow.load("a", [r["uuid"] for r in rows] + [
                u for u in known if u not in fp])
        else:
            self.shadow.load("a", uuids)
            known = []
        need_body = []
        for r in rows:
            st = self.shadow.get("a", r["uuid"])
            ch = st.get("_ch")
            if ch is None or ch[1] != r["content_hash"]:
                need_body.append(r["id"])
        bodies = {r["id"]: r["body"] for r in article_rows(self.ex, need_body, body=True)}
        for r in rows:
            uuid = r["uuid"]
            self._diff("a", uuid, article_values(r))
            if r["id"] in bodies and not gone(self.shadow.get("a", uuid)):
                body = bodies[r["id"]]
                self._diff("a", uuid, {"body": body,
                                       "structure": structure_value(self.ex, r["id"])})
                st = self.shadow.get("a", uuid)
                self.shadow.set("a", uuid, "_ch", st["body"][0], r["content_hash"])
            if uuid in fp:
                self.shadow.set_fp("a", uuid, fp[uuid])
        if ids is None:  # an article gone without a recorded deletion (older Pizhu, a restore)
            for uuid in set(known) - set(uuids):
                if not gone(self.shadow.get("a", uuid)):
                    self._op("a", uuid, "gone", True)

    def _versions(self, ids: list[int] | None) -> None:
        sql = ("SELECT a.uuid, v.content_hash FROM article_versions v JOIN articles a"
               " ON a.id = v.article_id")
        rows: list[Any] = []
        if ids is None:
            known = self.shadow.load_fps("v")
            rows = [r for r in self.ex.execute(sql) if f"{r[0]}\t{r[1]}" not in known]
        else:
            for chunk in _chunks(ids):
                rows += self.ex.execute(f"{sql} WHERE v.article_id IN"
                                        f" ({','.join('?' * len(chunk))})", chunk).fetchall()
            self.shadow.load("v", [f"{r[0]}\t{r[1]}" for r in rows])
        for uuid, chash in rows:
            vid = f"{uuid}\t{chash}"
            if self.shadow.get("v", vid):
                continue
            v = self.ex.execute(
                "SELECT v.title, v.body, v.replaced_at, v.reason FROM article_versions v JOIN"
                " articles a ON a.id = v.article_id WHERE a.uuid = ? AND v.content_hash = ?"
                " ORDER BY v.version LIMIT 1", (uuid, chash)).fetchone()
            self._op("v", vid, "v", {"title": v[0], "body": v[1], "replaced_at": v[2],
                                     "reason": v[3]}, parent=uuid)

    def _highlights(self, uuids: list[str] | None, article_ids: list[int] | None) -> None:
        fp: dict[str, str] = {}
        if uuids is None:
            rows = highlight_rows(self.ex)
            fps = self.shadow.load_fps("h")
            fp = {r["uuid"]: _fingerprint(r) for r in rows}
            gone_ids = [u for u in fps if u not in fp]
            rows = [r for r in rows if fps.get(r["uuid"]) != fp[r["uuid"]]]
            self.shadow.load("h", [r["uuid"] for r in rows] + gone_ids)
            known = set(gone_ids)
        else:
            rows = highlight_rows(self.ex, uuids=uuids, article_ids=article_ids)
            self.shadow.load("h", [r["uuid"] for r in rows] + list(uuids))
            known = set(uuids)
        seen = set()
        for r in rows:
            if r["uuid"] in seen:
                continue
            seen.add(r["uuid"])
            self._diff("h", r["uuid"], highlight_values(r), parent=r["article"])
            if r["uuid"] in fp:
                self.shadow.set_fp("h", r["uuid"], fp[r["uuid"]])
        for uuid in known - seen:  # dropped with its article, or deleted for good
            st = self.shadow.get("h", uuid)
            if st and not gone(st):
                self._op("h", uuid, "gone", True)

    def _elements(self, kind: str, article_ids: list[int] | None,
                  hl_uuids: list[str] | None = None) -> None:
        """Article tags (``at``) or highlight tags (``ht``) as one element per (thing, tag)."""
        if kind == "at":
            sql = ("SELECT a.uuid, t.name FROM article_tags x JOIN articles a ON a.id ="
                   " x.article_id JOIN tags t ON t.id = x.tag_id")
            col = "x.article_id"
        else:
            sql = ("SELECT h.uuid, t.name FROM highlight_tags x JOIN highlights h ON h.id ="
                   " x.highlight_id JOIN tags t ON t.id = x.tag_id")
            col = "h.uuid" if hl_uuids is not None else "h.article_id"
        keys: list[Any] = hl_uuids if hl_uuids is not None else (article_ids or [])
        rows: list[Any] = []
        if article_ids is None and hl_uuids is None:
            self._all_elements(kind, list(self.ex.execute(sql)))
            return
        else:
            for chunk in _chunks(sorted(set(keys))):
                rows += self.ex.execute(f"{sql} WHERE {col} IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall()
            if hl_uuids is not None:
                parents = set(hl_uuids)
            elif kind == "at":
                parents = self._uuids_of(article_ids or [])
            else:
                parents = {r["uuid"] for r in highlight_rows(self.ex, article_ids=article_ids)}
            self.shadow.load_kind(kind, parents)
        current: dict[str, tuple[str, str]] = {}
        for owner, name in rows:
            current[f"{owner}\t{tag_key(name)}"] = (owner, name)
        for eid, (owner, name) in current.items():
            self._diff(kind, eid, {"on": name}, parent=owner)
        for (k, eid), (owner, st) in list(self.shadow.rows.items()):
            if k != kind or eid in current:
                continue
            if parents is not None and owner not in parents:
                continue
            if st.get("on") and st["on"][1] != vhash(None):
                self._op(kind, eid, "on", None)

    def _all_elements(self, kind: str, rows: list[Any]) -> None:
        fps = self.shadow.load_fps(kind)
        current = {f"{owner}\t{tag_key(name)}": (owner, name) for owner, name in rows}
        moved = [e for e, (_o, name) in current.items() if fps.get(e) != vhash(name)]
        off = [e for e, f in fps.items() if e not in current and f != vhash(None)]
        self.shadow.load(kind, moved + off)
        for eid in moved:
            owner, name = current[eid]
            self._diff(kind, eid, {"on": name}, parent=owner)
            self.shadow.set_fp(kind, eid, vhash(name))
        for eid in off:
            st = self.shadow.get(kind, eid)
            if st.get("on") and st["on"][1] != vhash(None):
                self._op(kind, eid, "on", None)
            self.shadow.set_fp(kind, eid, vhash(None))

    def _uuids_of(self, article_ids: list[int]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(sorted(set(article_ids))):
            out.update(r[0] for r in self.ex.execute(
                f"SELECT uuid FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def _tags(self) -> None:
        fps = self.shadow.load_fps("t")
        names = [r[0] for r in self.ex.execute("SELECT name FROM tags")]
        moved = [n for n in names if fps.get(tag_key(n)) != vhash(n)]
        self.shadow.load("t", [tag_key(n) for n in moved])
        for name in moved:
            self._diff("t", tag_key(name), {"name": name})
            self.shadow.set_fp("t", tag_key(name), vhash(name))


# ---------------------------------------------------------------------- merge (apply)
_MALFORMED = (TypeError, ValueError, KeyError, IndexError, AttributeError)


@dataclass
class Applied:
    ops: int = 0  # operations read
    won: int = 0  # fields that changed here
    waiting: int = 0  # operations waiting for what they depend on
    bad: int = 0  # things whose operations were malformed (left as they were)
    things: set[tuple[str, str]] = field(default_factory=set)


class Merge:
    """Remote operations -> the library, inside one ``transaction(origin="sync")``."""

    def __init__(self, tx: Any, clock: Clock) -> None:
        self.tx = tx
        self.clock = clock
        self.shadow = ShadowTable(tx)
        self.result = Applied()
        self._drop_tags = False
        self._rebased: set[str] = set()
        self._revived: set[str] = set()

    def run(self, ops: Iterable[Op], *, with_pending: bool = True) -> Applied:
        best: dict[tuple[str, str], dict[str, tuple[str, object]]] = {}
        n = 0
        if with_pending:
            pending = self.tx.execute(
                "SELECT kind, id, field, hlc, value FROM sync_pending").fetchall()
            self.tx.execute("DELETE FROM sync_pending")
            ops = [*([r[0], r[1], r[2], r[3], json.loads(r[4])] for r in pending), *ops]
        for op in ops:
            n += 1
            kind, id_, fld, hlc, value = op
            if kind not in KIND_ORDER or not valid(hlc) or fld.startswith("_"):
                continue
            self.clock.observe(hlc)
            cur = best.setdefault((kind, id_), {})
            if fld not in cur or cur[fld][0] < hlc:
                cur[fld] = (hlc, value)
        self.result.ops = n
        self._break_merge_cycles(best)
        for kind in KIND_ORDER:
            # deletions last: an article merged into another goes after that one's new text
            ids = [i for (k, i) in best if k == kind]
            ids.sort(key=lambda i: "gone" in best[(kind, i)])  # noqa: B023 — used at once
            self.shadow.load(kind, ids)
            for id_ in ids:
                st = self.shadow.get(kind, id_)
                win = {f: hv for f, hv in best[(kind, id_)].items()
                       if f not in st or st[f][0] < hv[0]}
                if kind == "a" and "body" in best[(kind, id_)] and "body" not in win \
                        and not gone(st):
                    self._keep_losing_text(id_, best[(kind, id_)])
                if kind == "a" and "_into" in st and gone(st):
                    self._stash(id_, best[(kind, id_)])  # also what it had (equal stamps)
                if not win:
                    continue
                if kind in ("a", "h") and gone(st):
                    if kind == "a" and "gone" in win:  # a later tombstone: the same everywhere
                        self._retomb(id_, win["gone"])
                    continue  # deleted for good here: later edits elsewhere cannot bring it back
                self.tx.execute("SAVEPOINT sync_thing")
                saved = copy.deepcopy(self.shadow.rows.get((kind, id_)))
                was_dirty = (kind, id_) in self.shadow.dirty
                try:
                    getattr(self, f"_apply_{kind}")(id_, win)
                except Exception as e:
                    # a malformed operation (another program's file, a bug elsewhere) or one
                    # that breaks a constraint: this thing is left as it was, the rest of the
                    # file is merged. Anything else (a full disk, I/O) stops the whole merge.
                    if not isinstance(e, _MALFORMED) and type(e).__name__ != "IntegrityError":
                        raise
                    self.tx.execute("ROLLBACK TO sync_thing")
                    if saved is None:
                        self.shadow.rows.pop((kind, id_), None)
                    else:
                        self.shadow.rows[(kind, id_)] = saved
                    if not was_dirty:
                        self.shadow.dirty.discard((kind, id_))
                    self.result.bad += 1
                    log.warning("sync: %s %s not merged (%s: %s)", kind, id_, type(e).__name__, e)
                self.tx.execute("RELEASE sync_thing")
        if self._drop_tags:
            self.tx.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM article_tags)"
                            " AND id NOT IN (SELECT tag_id FROM highlight_tags)")
        self._fingerprints()
        for uuid in self._revived:  # compared whole at the next capture (fields it lacks)
            self.shadow.set_fp("a", uuid, "")
        self.shadow.flush()
        return self.result

    def _fingerprints(self) -> None:
        """What merging wrote is what the shadow holds: the rows' fingerprints are taken now,
        so the next comparison of the whole library passes over them (10,000 merged articles
        are not compared again)."""
        arts = sorted({i for (k, i) in self.result.things if k == "a"})
        ids: list[int] = []
        for chunk in _chunks(arts):
            ids += [r[0] for r in self.tx.execute(
                f"SELECT id FROM articles WHERE uuid IN ({','.join('?' * len(chunk))})", chunk)]
        for r in article_rows(self.tx, ids, body=False):
            if not gone(self.shadow.get("a", r["uuid"])) and ("a", r["uuid"]) in self.shadow.rows:
                self.shadow.set_fp("a", r["uuid"], _fingerprint(r))
        hls = sorted({i for (k, i) in self.result.things if k == "h"} | self._rebased)
        for r in highlight_rows(self.tx, uuids=hls):
            if ("h", r["uuid"]) in self.shadow.rows and not gone(self.shadow.get("h", r["uuid"])):
                self.shadow.set_fp("h", r["uuid"], _fingerprint(r))

    # -- helpers
    def _wait(self, kind: str, id_: str, win: dict[str, tuple[str, object]]) -> None:
        self.tx.executemany(
            "INSERT INTO sync_pending(kind, id, field, hlc, value) VALUES (?,?,?,?,?)"
            " ON CONFLICT(kind, id, field) DO UPDATE SET hlc = excluded.hlc,"
            " value = excluded.value WHERE excluded.hlc > sync_pending.hlc",
            [(kind, id_, f, h, _dump(v)) for f, (h, v) in win.items()])
        self.result.waiting += len(win)

    def _took(self, kind: str, id_: str, win: dict[str, tuple[str, object]],
              local: dict[str, object] | None = None, parent: str | None = None) -> None:
        """Winning fields are in the library: their stamps (and the hash of the value as it is
        here, so an identical value is not sent back) go into the shadow."""
        for f, (h, v) in win.items():
            value = local[f] if local is not None and f in local else v
            self.shadow.set(kind, id_, f, h, vhash(value), parent)
        self.result.won += len(win)
        self.result.things.add((kind, id_))

    def _article_id(self, uuid: str) -> int | None:
        row = self.tx.execute("SELECT id FROM articles WHERE uuid = ?", (uuid,)).fetchone()
        return None if row is None else int(row[0])

    def _article_gone(self, uuid: str) -> bool:
        self.shadow.load("a", [uuid])
        return gone(self.shadow.get("a", uuid))

    # -- merges into each other
    def _break_merge_cycles(self, best: dict[tuple[str, str], dict[str, tuple[str, object]]],
                            ) -> None:
        """Articles merged into each other (A into B on one device, B into A on another, or
        longer rings) form a cycle of merge tombstones; applied as they are, every article of
        the ring would be deleted. The cycle is broken the same way on every device, whatever
        the order the tombstones arrive in: the tombstone with the lowest stamp (the earliest
        merge) is void, so its article survives and the others' merges go into it. Where that
        article was already deleted here, the ring's article still here (holding the merged
        texts and highlights) takes its uuid, and the survivor's values that came with the
        merge into it (:meth:`Capture._restate`) are applied over it."""
        incoming: dict[str, tuple[str, str]] = {}
        for (k, i), flds in best.items():
            if k == "a" and "gone" in flds:
                into = _into(flds["gone"][1])
                if into:
                    incoming[i] = (flds["gone"][0], into)
        if not incoming:
            return

        def edge(uuid: str) -> tuple[str, str] | None:
            st = self._shadow_of("a", uuid)
            mine = None
            if gone(st):
                into = st.get("_into")
                mine = (st["gone"][0], into[1]) if into else (st["gone"][0], "")
            new = incoming.get(uuid)
            if new is not None and (mine is None or mine[0] < new[0]):
                return new
            return mine if mine is not None and mine[1] else None

        done: set[str] = set()
        for start in sorted(incoming):
            ring, uuid = [start], edge(start)
            while uuid is not None and uuid[1] not in ring and len(ring) < 64:
                ring.append(uuid[1])
                uuid = edge(uuid[1])
            if uuid is None or uuid[1] != start or done & set(ring):
                continue
            done.update(ring)
            stamps = {u: edge(u)[0] for u in ring}  # type: ignore[index]
            void = min(ring, key=lambda u: stamps[u])  # noqa: B023 — used at once
            flds = best.setdefault(("a", void), {})
            if "gone" in flds and flds["gone"][0] <= stamps[void]:
                del flds["gone"]
            st = self._shadow_of("a", void)
            if gone(st):
                for f, (hlc, v) in list(st.items()):  # its values kept when it was deleted
                    if f.startswith("_was.") and (f[5:] not in flds or flds[f[5:]][0] < hlc):
                        flds[f[5:]] = (hlc, v)
                at = ring.index(void)
                self._revive(void, ring[at + 1:] + ring[:at], flds)
            log.info("sync: articles merged into each other (%s): %s stays", len(ring), void)

    def _revive(self, uuid: str, ring: list[str],
                flds: dict[str, tuple[str, object]]) -> None:
        """Bring back an article deleted here by a merge that turned out to be void: the
        first article of the ring still here becomes it (texts, highlights, tags move with the
        row); the values that came for it win over that row's."""
        tx = self.tx
        live = next((aid for u in ring if (aid := self._article_id(u)) is not None), None)
        st = self._shadow_of("a", uuid)
        if live is None and not {"title", "body", "origin"} <= flds.keys():
            log.warning("sync: article %s of a ring of merges cannot be brought back here", uuid)
            return
        for f in [f for f in st if f.startswith(("gone", "_into", "_ch", "_was."))]:
            del st[f]
        for f, (hlc, _v) in flds.items():  # what came for it is applied, even at equal stamps
            if f in st and st[f][0] <= hlc:
                del st[f]
        self.shadow.dirty.add(("a", uuid))
        if live is not None:
            tx.execute("UPDATE articles SET uuid = ? WHERE id = ?", (uuid, live))
            tx.article_changed(live)
            self._send_versions(live)
        self._revived.add(uuid)

    def _stash(self, uuid: str, flds: dict[str, tuple[str, object]]) -> None:
        """An article merged away keeps its last values (with their stamps) in its shadow:
        should its merge turn out void (:meth:`_break_merge_cycles`) it comes back with them.
        Snapshots carry them with the tombstone."""
        st = self._shadow_of("a", uuid)
        for f, (hlc, v) in flds.items():
            old = st.get("_was." + f)
            if f in ("gone", "_into") or f.startswith("_") or (old and old[0] >= hlc):
                continue
            self.shadow.set("a", uuid, "_was." + f, hlc, v)  # type: ignore[arg-type]

    def _retomb(self, uuid: str, gone_op: tuple[str, object]) -> None:
        """A later tombstone of an article already deleted here: its stamp and target are
        recorded, so every device follows the same one."""
        into = _into(gone_op[1])
        self.shadow.set("a", uuid, "gone", gone_op[0], vhash(gone_op[1]))
        if into:
            self.shadow.set("a", uuid, "_into", gone_op[0], into)
        else:
            self.shadow.get("a", uuid).pop("_into", None)

    # -- articles
    def _apply_a(self, uuid: str, win: dict[str, tuple[str, object]]) -> None:
        tx = self.tx
        row = tx.execute("SELECT id, title, body, content_hash, version FROM articles"
                         " WHERE uuid = ?", (uuid,)).fetchone()
        if "gone" in win:
            value = win["gone"][1]
            into = str(value.get("into") or "") if isinstance(value, dict) else ""
            if into:
                self._stash(uuid, {f: hv for f, hv in win.items() if f != "gone"})
            if row is not None:
                if into:
                    self._stash(uuid, self._row_values(int(row["id"]), uuid))
                    self._rehome(int(row["id"]), into)
                tx.execute("DELETE FROM articles WHERE id = ?", (row["id"],))
                tx.article_deleted(row["id"], uuid)
                self._drop_tags = True
            self._took("a", uuid, {"gone": win["gone"]})
            if into:
                self.shadow.set("a", uuid, "_into", win["gone"][0], into)
            return
        if row is None:
            if not {"title", "body", "origin"} <= win.keys():
                self._wait("a", uuid, win)
                return
            self._insert_article(uuid, win)
            return
        aid = int(row["id"])
        sets: dict[str, object] = {}
        for f in ARTICLE_META:
            if f in win:
                sets[f] = str(win[f][1] or "")
        if "trashed" in win:
            sets["trashed_at"] = str(win["trashed"][1] or "")
        if "read" in win:
            sets["read"] = int(bool(win["read"][1]))
        if "position" in win:
            sets["position"] = max(0, int(win["position"][1] or 0))  # type: ignore[call-overload]
        title = str(win["title"][1]) if "title" in win else row["title"]
        body = str(win["body"][1]) if "body" in win else row["body"]
        local: dict[str, object] = {}
        if body != row["body"]:
            self._new_text(row, title, body)
        elif title != row["title"]:
            from reader.core.library import content_hash

            sets.update(title=title, content_hash=content_hash(title, body))
        if sets:
            tx.execute(f"UPDATE articles SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                       (*sets.values(), aid))
        if "structure" in win:
            local["structure"] = self._write_structure(aid, win["structure"][1])
            tx.article_changed(aid, index=False)
        if "origin" in win:  # fixed at import: the local one stays (and is not sent back)
            local["origin"] = self._local_origin(aid)
        if "trashed" in win:
            if sets.get("trashed_at"):
                tx.article_trashed(aid)
            else:
                tx.article_changed(aid)
        if any(f in win for f in (*ARTICLE_META, "title", "body")):
            tx.article_changed(aid)
        if "read" in win:
            tx.read_changed(aid)
        if "position" in win:
            tx.position_changed(aid)
        self._took("a", uuid, win, local)
        st = self.shadow.get("a", uuid)
        from reader.core.library import content_hash

        self.shadow.set("a", uuid, "_ch", st.get("_ch", ["", ""])[0] or "",
                        content_hash(title, body))

    def _insert_article(self, uuid: str, win: dict[str, tuple[str, object]]) -> None:
        from reader.core.library import content_hash

        tx = self.tx
        origin = dict(win["origin"][1] or {})  # type: ignore[call-overload]
        title, body = str(win["title"][1]), str(win["body"][1])
        key = str(origin.get("key") or f"doc:{uuid}")
        if tx.execute("SELECT 1 FROM articles WHERE key = ?", (key,)).fetchone():
            key = f"{key}~{uuid[:8]}"  # imported on two devices before they met: both kept
        chash = content_hash(title, body)
        meta = {f: str(win[f][1] or "") if f in win else "" for f in ARTICLE_META}
        stamp = now_iso()
        cur = tx.execute(
            "INSERT INTO articles(uuid, key, title, subtitle, byline, source, date, url,"
            " external_id, kind, body, content_hash, source_file, page_index, imported_at,"
            " updated_at, kicker, page, read, position, trashed_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (uuid, key, title, meta["subtitle"], meta["byline"], meta["source"], meta["date"],
             meta["url"], str(origin.get("external_id") or ""), str(origin.get("kind") or
                                                                    "plain"),
             body, chash, str(origin.get("source_file") or ""),
             int(origin.get("page_index") or 0), str(origin.get("imported_at") or stamp), stamp,
             meta["kicker"], meta["page"], int(bool(win["read"][1])) if "read" in win else 0,
             max(0, int(win["position"][1] or 0)) if "position" in win else 0,  # type: ignore[call-overload]
             str(win["trashed"][1] or "") if "trashed" in win else ""),
        )
        aid = int(cur.lastrowid or 0)
        okey = key if key.startswith(("ext:", "url:")) else ""
        src = str(origin.get("source_file") or "")
        tx.execute(
            "INSERT INTO article_origins(article_id, hash, title, body, source_file, file_name,"
            " seq, key) VALUES (?,?,?,NULL,?,?,?,?)",
            (aid, chash, title, src, PurePath(src).name if src else "",
             int(origin.get("page_index") or 0), okey))
        local: dict[str, object] = {"origin": self._local_origin(aid)}
        if "structure" in win:
            local["structure"] = self._write_structure(aid, win["structure"][1])
        if "trashed" in win and win["trashed"][1]:
            tx.article_trashed(aid)
        else:
            tx.article_changed(aid)
        self._took("a", uuid, win, local)
        st = self.shadow.get("a", uuid)
        self.shadow.set("a", uuid, "_ch", st["body"][0], chash)

    def _keep_losing_text(self, uuid: str, ops: dict[str, tuple[str, object]]) -> None:
        """A text from another device that lost to a later one here is still kept, as a
        version: two re-imports never overwrite each other silently."""
        from reader.core.library import content_hash

        row = self.tx.execute("SELECT id, title, body FROM articles WHERE uuid = ?",
                              (uuid,)).fetchone()
        body = str(ops["body"][1])
        if row is None or body == row["body"]:
            return
        title = str(ops["title"][1]) if "title" in ops else row["title"]
        # not marked as synced: the next capture sends it on, so every device keeps it
        self._insert_version(int(row["id"]), content_hash(title, body), {
            "title": title, "body": body, "replaced_at": now_iso(),
            "reason": "a text from another device that a later one replaced"})

    def _write_structure(self, aid: int, value: object) -> object:
        """Store another device's structure of an article (checked: nothing from a log file is
        trusted as a path); returns it as stored here."""
        tx = self.tx
        tx.execute("DELETE FROM article_blocks WHERE article_id = ?", (aid,))
        tx.execute("DELETE FROM article_images WHERE article_id = ?", (aid,))
        tx.execute("DELETE FROM article_structure WHERE article_id = ?", (aid,))
        if not isinstance(value, dict) or not isinstance(value.get("sha"), str):
            return structure_value(tx, aid)
        blocks, images = [], []
        for b in value.get("blocks") or []:
            if (isinstance(b, list) and len(b) == 4 and isinstance(b[0], str)
                    and all(isinstance(x, int) for x in b[1:]) and 0 <= b[1] <= b[2]):
                blocks.append((aid, b[0][:40], b[1], b[2], b[3]))
        for i in value.get("images") or []:
            if not (isinstance(i, list) and len(i) == 8):
                continue
            seq, pos, alt, url, file, mime, w, h = i
            if not (isinstance(seq, int) and isinstance(pos, int) and isinstance(w, int)
                    and isinstance(h, int)):
                continue
            file = str(file or "")
            if file and not IMAGE_FILE.match(file):
                file = ""  # not one of ours: kept as a record without a file
            images.append((aid, seq, max(0, pos), str(alt or "")[:500], str(url or "")[:4000],
                           file, str(mime or "")[:40], w, h))
        tx.executemany("INSERT OR IGNORE INTO article_blocks(article_id, kind, start, end, level)"
                       " VALUES (?,?,?,?,?)", blocks)
        tx.executemany("INSERT OR IGNORE INTO article_images(article_id, seq, pos, alt, url, file,"
                       " mime, width, height) VALUES (?,?,?,?,?,?,?,?,?)", images)
        tx.execute("INSERT INTO article_structure(article_id, body_sha) VALUES (?, ?)",
                   (aid, value["sha"][:128]))
        return structure_value(tx, aid)

    def _merged_into(self, uuid: str) -> int | None:
        """The article (id here) that a deleted one was merged into, following merges of
        merges; None if it was deleted for good some other way."""
        for _ in range(8):
            self.shadow.load("a", [uuid])
            into = self.shadow.get("a", uuid).get("_into")
            if not into:
                return None
            uuid = into[1]
            aid = self._article_id(uuid)
            if aid is not None:
                return aid
        return None

    def _row_values(self, aid: int, uuid: str) -> dict[str, tuple[str, object]]:
        """An article's values here with the stamps its shadow has for them."""
        (r,) = article_rows(self.tx, [aid], body=True)
        vals = article_values(r) | {"body": r["body"], "structure": structure_value(self.tx, aid)}
        st = self._shadow_of("a", uuid)
        return {f: (st[f][0], v) for f, v in vals.items() if f in st and st[f][1] == vhash(v)}

    def _rehome(self, aid: int, into_uuid: str) -> None:
        """Another device merged this article into ``into_uuid``: highlights made here on it
        (that the other device could not move) move onto the merged text instead of going
        with the deleted article."""
        target = self._article_id(into_uuid)
        if target is None:
            target = self._merged_into(into_uuid)
        if target is None:
            return
        body = self.tx.execute("SELECT body FROM articles WHERE id = ?", (target,)).fetchone()[0]
        for h in self.tx.execute("SELECT id, uuid, start, end, quote, prefix, suffix FROM"
                                 " highlights WHERE article_id = ?", (aid,)).fetchall():
            s, e, orphan = _place(body, h["start"], h["end"], h["quote"], h["prefix"],
                                  h["suffix"])
            self.tx.execute("UPDATE highlights SET article_id = ?, start = ?, end = ?,"
                            " orphan = ? WHERE id = ?", (target, s, e, int(orphan), h["id"]))
            self.tx.highlight_changed(h["uuid"], target)
        # its texts too: its earlier ones, and its current one unless the merged text holds it
        # (a text it got here meanwhile, or the ring of :meth:`_break_merge_cycles`)
        for v in self.tx.execute("SELECT content_hash, title, body, replaced_at, reason FROM"
                                 " article_versions WHERE article_id = ? ORDER BY version",
                                 (aid,)).fetchall():
            self._insert_version(target, v["content_hash"], dict(v))
        cur = self.tx.execute("SELECT title, body, content_hash FROM articles WHERE id = ?",
                              (aid,)).fetchone()
        if cur["body"].strip() and cur["body"] not in body:
            self._insert_version(target, cur["content_hash"], {
                "title": cur["title"], "body": cur["body"], "replaced_at": now_iso(),
                "reason": "merged into this article on another device"})
        self._send_versions(target)

    def _send_versions(self, aid: int) -> None:
        """Earlier texts an article got here by merging (not from an operation) go out with
        the merge, so every device has them after the same syncs."""
        uuid = self.tx.execute("SELECT uuid FROM articles WHERE id = ?", (aid,)).fetchone()[0]
        rows = self.tx.execute("SELECT content_hash, title, body, replaced_at, reason FROM"
                               " article_versions WHERE article_id = ? ORDER BY version",
                               (aid,)).fetchall()
        self.shadow.load("v", [f"{uuid}\t{r['content_hash']}" for r in rows])
        for r in rows:
            vid = f"{uuid}\t{r['content_hash']}"
            if not self.shadow.get("v", vid):
                self._local_op("v", vid, "v", {"title": r["title"], "body": r["body"],
                                               "replaced_at": r["replaced_at"],
                                               "reason": r["reason"]}, parent=uuid)

    def _local_origin(self, aid: int) -> object:
        (row,) = article_rows(self.tx, [aid], body=False)
        return article_values(row)["origin"]

    def _new_text(self, row: Any, title: str, body: str) -> None:
        """Another device's text wins: the text here is kept as a version (as a re-import does)
        and the highlights move onto the new text (or become orphans; never deleted)."""
        from reader.core.anchoring import reanchor
        from reader.core.library import content_hash

        tx = self.tx
        aid = int(row["id"])
        if not tx.execute("SELECT 1 FROM article_versions WHERE article_id = ? AND"
                          " content_hash = ?", (aid, row["content_hash"])).fetchone():
            top = tx.execute("SELECT max(version) FROM article_versions WHERE article_id = ?",
                             (aid,)).fetchone()[0] or 0
            ver = max(int(row["version"]), top + 1)
            tx.execute(
                "INSERT INTO article_versions(article_id, version, title, body, content_hash,"
                " replaced_at, reason) VALUES (?,?,?,?,?,?,?)",
                (aid, ver, row["title"], row["body"], row["content_hash"], now_iso(),
                 "replaced by a synced text"))
            uuid = tx.execute("SELECT uuid FROM articles WHERE id = ?", (aid,)).fetchone()[0]
            vid = f"{uuid}\t{row['content_hash']}"
            self.shadow.load("v", [vid])
            if not self.shadow.get("v", vid):  # the others get it as a version too
                value = {"title": row["title"], "body": row["body"], "replaced_at": now_iso(),
                         "reason": "replaced by a synced text"}
                self._local_op("v", vid, "v", value, parent=uuid)
            version = ver + 1
        else:
            version = int(row["version"]) + 1
        tx.execute("DELETE FROM index_parked WHERE article_id = ?", (aid,))
        tx.execute(
            "UPDATE articles SET title = ?, body = ?, content_hash = ?, version = ?,"
            " updated_at = ? WHERE id = ?",
            (title, body, content_hash(title, body), version, now_iso(), aid))
        for h in tx.execute("SELECT id, uuid, start, end, quote, prefix, suffix FROM highlights"
                            " WHERE article_id = ?", (aid,)).fetchall():
            span = reanchor(body, h["quote"], h["prefix"], h["suffix"], h["start"])
            if span is None:  # kept at its old place, inside the text (as :func:`_place`)
                s = min(max(0, h["start"]), len(body))
                tx.execute("UPDATE highlights SET orphan = 1, start = ?, end = ? WHERE id = ?",
                           (s, max(s, min(h["end"], len(body))), h["id"]))
            else:
                s, e = span
                tx.execute(
                    "UPDATE highlights SET start = ?, end = ?, quote = ?, prefix = ?, suffix = ?,"
                    " orphan = 0 WHERE id = ?",
                    (s, e, body[s:e], *_context(body, s, e), h["id"]))
            self._rebase_anchor(h["uuid"], aid)

    def _rebase_anchor(self, uuid: str, aid: int) -> None:
        """A highlight moved by a new text: its shadow takes the position here (derived from
        the text, which converges), so moving it is not sent as an edit."""
        r = self.tx.execute("SELECT start, end, quote, prefix, suffix FROM highlights"
                            " WHERE uuid = ?", (uuid,)).fetchone()
        self.shadow.load("h", [uuid])
        st = self.shadow.get("h", uuid)
        if st.get("anchor"):
            self.shadow.set("h", uuid, "anchor", st["anchor"][0], vhash(list(r)))
        self.tx.changes.highlights.add(uuid)
        self.tx.changes.highlight_articles.add(aid)
        self._rebased.add(uuid)

    def _local_op(self, kind: str, id_: str, fld: str, value: object, parent: str) -> None:
        """Something merging made here that the others must get (a kept text): an outgoing
        operation written with the merge."""
        hlc = self.clock.now()
        self.shadow.set(kind, id_, fld, hlc, vhash(value), parent)
        self.tx.execute("INSERT INTO sync_outbox(line) VALUES (?)",
                        (_dump([kind, id_, fld, hlc, value]),))

    # -- earlier texts
    def _apply_v(self, vid: str, win: dict[str, tuple[str, object]]) -> None:
        uuid, chash = vid.split("\t", 1)
        aid = self._article_id(uuid)
        if aid is None:
            if not self._article_gone(uuid):
                self._wait("v", vid, win)
            return
        self._insert_version(aid, chash, dict(win["v"][1] or {}))  # type: ignore[call-overload]
        self._took("v", vid, win, parent=uuid)

    def _insert_version(self, aid: int, chash: str, v: dict[str, Any]) -> bool:
        """Earlier texts are a grow-only set: every text replaced anywhere is kept everywhere
        (also one that is the current text again)."""
        tx = self.tx
        if tx.execute("SELECT 1 FROM article_versions WHERE article_id = ? AND"
                      " content_hash = ?", (aid, chash)).fetchone():
            return False
        cur = tx.execute("SELECT version FROM articles WHERE id = ?", (aid,)).fetchone()
        top = tx.execute("SELECT max(version) FROM article_versions WHERE article_id = ?",
                         (aid,)).fetchone()[0] or 0
        ver = max(int(cur["version"]), top + 1)
        tx.execute(
            "INSERT INTO article_versions(article_id, version, title, body, content_hash,"
            " replaced_at, reason) VALUES (?,?,?,?,?,?,?)",
            (aid, ver, str(v.get("title", "")), str(v.get("body", "")), chash,
             str(v.get("replaced_at") or now_iso()), str(v.get("reason", ""))))
        tx.execute("UPDATE articles SET version = ? WHERE id = ?", (ver + 1, aid))
        tx.article_changed(aid, index=False)
        return True

    # -- highlights
    def _apply_h(self, uuid: str, win: dict[str, tuple[str, object]]) -> None:
        tx = self.tx
        row = tx.execute("SELECT h.id, h.article_id, a.uuid AS article FROM highlights h JOIN"
                         " articles a ON a.id = h.article_id WHERE h.uuid = ?",
                         (uuid,)).fetchone()
        if "gone" in win:
            if row is not None:
                tx.execute("DELETE FROM highlights WHERE id = ?", (row["id"],))
                tx.highlight_changed(uuid, row["article_id"], deleted=True)
                self._drop_tags = True
            self._took("h", uuid, {"gone": win["gone"]})
            return
        art_uuid = str(win["article"][1]) if "article" in win else (
            row["article"] if row is not None else self.shadow.parent("h", uuid))
        aid = self._article_id(art_uuid) if art_uuid else None
        local: dict[str, object] = {}
        if aid is None and art_uuid and self._article_gone(art_uuid):
            aid = self._merged_into(art_uuid)  # merged elsewhere: the highlight follows
            if aid is not None:
                art_uuid = self.tx.execute("SELECT uuid FROM articles WHERE id = ?",
                                           (aid,)).fetchone()[0]
                local["article"] = art_uuid
        if aid is None:
            if art_uuid and self._article_gone(art_uuid):
                self._took("h", uuid, win, parent=art_uuid)  # went with its article
            else:
                self._wait("h", uuid, win)
            return
        if row is None and "anchor" not in win:
            self._wait("h", uuid, win)
            return
        body = tx.execute("SELECT body FROM articles WHERE id = ?", (aid,)).fetchone()[0]
        sets: dict[str, object] = {}
        if "anchor" in win:
            anchor: list[Any] = list(win["anchor"][1])  # type: ignore[call-overload]
            quote, prefix, suffix = str(anchor[2]), str(anchor[3]), str(anchor[4])
            s, e, orphan = _place(body, int(anchor[0]), int(anchor[1]), quote, prefix, suffix)
            if not orphan:
                quote = body[s:e]
            sets.update(start=s, end=e, quote=quote, prefix=prefix, suffix=suffix,
                        orphan=int(orphan))
            local["anchor"] = [s, e, quote, prefix, suffix]
        for f in ("color", "note", "created"):
            if f in win:
                sets[f] = str(win[f][1] or "")
        if "deleted" in win:
            sets["deleted"] = int(bool(win["deleted"][1]))
        stamp = now_iso()
        if row is None:
            cur = tx.execute(
                "INSERT INTO highlights(uuid, article_id, start, end, quote, prefix, suffix,"
                " color, note, created, updated, deleted, orphan)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (uuid, aid, sets["start"], sets["end"], sets["quote"], sets["prefix"],
                 sets["suffix"], sets.get("color", "yellow"), sets.get("note", ""),
                 sets.get("created", stamp), stamp, sets.get("deleted", 0), sets["orphan"]))
            del cur
        else:
            if aid != row["article_id"]:
                sets["article_id"] = aid
                tx.highlight_changed(uuid, row["article_id"])
            sets["updated"] = stamp
            tx.execute(f"UPDATE highlights SET {', '.join(f'{k} = ?' for k in sets)}"
                       " WHERE id = ?", (*sets.values(), row["id"]))
        tx.highlight_changed(uuid, aid)
        self._took("h", uuid, win, local, parent=art_uuid)

    # -- tags
    def _apply_t(self, key: str, win: dict[str, tuple[str, object]]) -> None:
        name = str(win["name"][1] or "")
        if name:
            cur = self.tx.execute("UPDATE tags SET name = ? WHERE name = ?"
                                  " AND name != ? COLLATE BINARY", (name, name, name))
            if cur.rowcount:
                self.tx.tags_changed()
        self._took("t", key, win)

    def _apply_at(self, eid: str, win: dict[str, tuple[str, object]]) -> None:
        self._element("at", eid, win)

    def _apply_ht(self, eid: str, win: dict[str, tuple[str, object]]) -> None:
        self._element("ht", eid, win)

    def _element(self, kind: str, eid: str, win: dict[str, tuple[str, object]]) -> None:
        tx = self.tx
        owner, _key = eid.split("\t", 1)
        name = win["on"][1]
        if kind == "at":
            r = tx.execute("SELECT id FROM articles WHERE uuid = ?", (owner,)).fetchone()
            aid = None if r is None else int(r[0])
            table, col = "article_tags", "article_id"
        else:
            r = tx.execute("SELECT id, article_id FROM highlights WHERE uuid = ?",
                           (owner,)).fetchone()
            aid = None if r is None else int(r[1])
            table, col = "highlight_tags", "highlight_id"
        if r is None:
            owner_gone = (self._article_gone(owner) if kind == "at"
                          else gone(self._shadow_of("h", owner)))
            if owner_gone:
                self._took(kind, eid, win, parent=owner)
            else:
                self._wait(kind, eid, win)
            return
        oid = int(r[0])
        local: dict[str, object] = {}
        if name:
            tx.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (str(name),))
            tid, spelled = tx.execute("SELECT id, name FROM tags WHERE name = ?",
                                      (str(name),)).fetchone()
            tx.execute(f"INSERT OR IGNORE INTO {table}({col}, tag_id) VALUES (?, ?)", (oid, tid))
            local["on"] = spelled  # the spelling here (the tag's own "t" entry settles it)
        else:
            tx.execute(f"DELETE FROM {table} WHERE {col} = ? AND tag_id IN (SELECT id FROM tags"
                       " WHERE name = ?)", (oid, _key))
            self._drop_tags = True
        tx.tags_changed()
        if kind == "at":
            tx.article_tags_changed(aid)
        else:
            tx.highlight_changed(owner, aid)
        self._took(kind, eid, win, local, parent=owner)
        self.shadow.set_fp(kind, eid, vhash(local.get("on")))

    def _shadow_of(self, kind: str, id_: str) -> Shadow:
        self.shadow.load(kind, [id_])
        return self.shadow.get(kind, id_)


def _into(value: object) -> str:
    """The target of a merge tombstone (``{"into": uuid}``), or ''."""
    return str(value.get("into") or "") if isinstance(value, dict) else ""


def _context(body: str, start: int, end: int) -> tuple[str, str]:
    return body[max(0, start - CONTEXT_CHARS):start], body[end:end + CONTEXT_CHARS]


def _place(body: str, s: int, e: int, quote: str, prefix: str, suffix: str,
           ) -> tuple[int, int, bool]:
    """Where a highlight sent by another device lies in the text here: its offsets when they
    still hold its quote, else where re-anchoring finds it, else an orphan at its old place."""
    from reader.core.anchoring import reanchor

    if 0 <= s < e <= len(body) and body[s:e] == quote:
        return s, e, False
    span = reanchor(body, quote, prefix, suffix, max(0, s))
    if span is not None:
        return span[0], span[1], False
    s = min(max(0, s), len(body))
    return s, max(s, min(e, len(body))), True
