"""The library: one folder holding ``library.db`` (SQLite, the truth) and ``index/`` (Whoosh,
derived). :class:`Library` is the public API the CLI and the GUI share.

Writes go through one place: ``self.store.transaction()`` (:mod:`reader.core.store`), a single
connection guarded by one lock, one transaction per logical change (per imported file, per
highlight edit), which records what changed; after the commit :meth:`Library._after_commit`
brings the index up to date and tells the listeners, once. Reads use a connection per thread,
which WAL lets run beside the writer.

Every change that affects search inserts an ``index_queue`` row in the same transaction. After
the commit the queue is drained into the index, and the index records the last applied ``seq`` as
its watermark. A crash between the two commits leaves rows behind that the next open applies;
a missing, corrupt or outdated index is rebuilt from the database.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import logging
import os
import sqlite3
import stat
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core import paths as pathsmod
from reader.core import structure
from reader.core.errors import (
    IndexBusy,
    LibraryError,
)
from reader.core.manage import EDITABLE_FIELDS, TagChange, TagSnapshot, TrashEntry, normalize_date
from reader.core.model import Article, ArticleDraft, FileReport, Highlight
from reader.core.store import Changes, Executes, Store, Tx
from reader.core.store.db import StoreError, connect
from reader.core.store.tags import (
    article_tags,
    drop_unused_tags,
    highlight_tags,
    tag_ids,
    tags_of_highlights,
)
from reader.core.tags import clean_tags, is_under, like_pattern, moved, tag_ancestors
from reader.core.text import clean_note, normalize

if TYPE_CHECKING:  # the importers are loaded on the first import (start-up time)
    from reader.core.importers.errors import Reason

log = logging.getLogger(__name__)

DB_NAME = "library.db"
INDEX_DIR = "index"
INDEX_LOCK = "index.lock"  # serialises index writes between processes (see _index_writes)
INDEX_LOCK_WAIT = 120.0  # seconds to wait to open/rebuild/reindex; draining waits _DRAIN_WAIT
_DRAIN_WAIT = 10.0
PARK_AFTER = 2  # unfinished attempts at an index job before it is parked (see _count_attempt)
PARK_MIN_CHARS = 100_000  # ... if its article is at least this long
#: Articles longer than this are refused at import (indexing memory and time stay bounded).
MAX_ARTICLE_CHARS = 1_000_000
#: Notes longer than this are refused.
MAX_NOTE_CHARS = 20_000
CONTEXT_CHARS = 32  # characters of prefix/suffix kept with each highlight's quote

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

ARTICLE_COLUMNS = (
    "a.id, a.uuid, a.title, a.subtitle, a.byline, a.source, a.date, a.url, a.external_id, "
    "a.kind, a.content_hash, a.source_file, a.page_index, a.imported_at, a.read, a.position, "
    "a.kicker, a.page"
)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\x00{body}".encode()).hexdigest()[:32]


@dataclass
class ArticleFilter:
    """What the article list shows. Empty fields do not filter."""

    source: str = ""
    tags: Sequence[str] = ()
    date_from: str = ""
    date_to: str = ""
    unread: bool = False
    text: str = ""  # a plain substring of the title
    ids: Sequence[int] | None = None
    undated: bool = False  # only articles without a date
    trashed: bool = False  # the articles in the trash instead of the others


# ArticleFilter.source values that are not a source's name (the sidebar's special rows)
NO_SOURCE = "\x00none"  # articles whose source is empty
TRASH = "\x00trash"  # the articles in the trash


@dataclass
class SearchHit:
    article: Article
    score: float
    title_spans: list[tuple[int, int]]
    snippets: list  # index.Snippet

    def to_json(self) -> dict:
        d = self.article.to_json()
        d["score"] = round(self.score, 4)
        d["title_spans"] = [list(s) for s in self.title_spans]
        d["snippets"] = [
            {"start": s.start, "end": s.end, "text": s.text, "spans": [list(x) for x in s.spans]}
            for s in self.snippets
        ]
        return d


@dataclass
class TagCount:
    name: str
    articles: int
    highlights: int


@dataclass
class ImportSummary:
    files: list[FileReport] = field(default_factory=list)
    cancelled: bool = False

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.status == "failed")

    def count(self, attr: str) -> int:
        return sum(getattr(f, attr) for f in self.files)


def _article_from_row(row: sqlite3.Row, *, body: str | None = None) -> Article:
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


def _highlight_from_row(row: sqlite3.Row, tags: list[str]) -> Highlight:
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


class Library:
    """An open library. Create with :meth:`Library.open`; close with :meth:`close` (or ``with``)."""

    def __init__(self, root: Path, conn: Executes, *, readonly: bool = False) -> None:
        self.root = root
        self.readonly = readonly
        self.store = Store(root / DB_NAME, conn, readonly=readonly)
        self.store.after_commit.append(self._after_commit)
        self._index_lock = threading.RLock()
        self._local = threading.local()
        self._index = None  # index.SearchIndex once opened
        self._index_damage: str | None = None  # why the open index must be rebuilt on next use
        self.messages: list[str] = []  # notices for the user (index rebuilt, …)
        self._listeners: list[Callable[[str, object], None]] = []
        self._closed = False

    # ------------------------------------------------------------------ open / close
    @classmethod
    def open(
        cls, root: str | os.PathLike[str] | None = None, *, create: bool = True,
        readonly: bool = False,
    ) -> Library:
        path = pathsmod.resolve_library_dir(root)
        db = path / DB_NAME
        if not db.exists():
            if not create or readonly:
                raise LibraryError(f"{path}: no Pizhu library here (no {DB_NAME})")
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise LibraryError(f"{path}: cannot create the library folder ({e.strerror})") from None
        elif not os.access(path, os.W_OK) and not readonly:
            raise LibraryError(
                f"{path}: the library folder is read-only; open it read-only or fix its permissions"
            )
        elif _empty_file(db) and _backup_hint(path):
            # SQLite would quietly start a new, empty library in it
            raise LibraryError(f"{db}: the library database is empty (0 bytes); it was not"
                               " changed" + _backup_hint(path))
        try:
            conn = connect(db, readonly=readonly, check=True)
        except StoreError as e:
            damaged = "damaged" in str(e)
            raise LibraryError(str(e) + (_backup_hint(path) if damaged else "")) from None
        return cls(path, conn, readonly=readonly)

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_DIR

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ change notifications
    def subscribe(self, listener: Callable[[str, object], None]) -> None:
        """``listener(kind, payload)`` after each committed change: kind is 'articles',
        'article' (id), 'highlights' (article id), 'tags' or 'index'. Called on the writing thread."""
        self._listeners.append(listener)

    def _notify(self, kind: str, payload: object = None) -> None:
        deferred = getattr(self._local, "deferred", None)
        if deferred is not None:  # an import's index thread: the importing thread tells
            deferred.append((kind, payload))
            return
        for fn in list(self._listeners):
            try:
                fn(kind, payload)
            except Exception:  # a listener must never break a write
                log.exception("library listener failed")

    def _after_commit(self, changes: Changes) -> None:
        """After every committed write (once per import): the window hears about the
        highlights first, then the search index catches up, then the rest is announced."""
        for aid in sorted(changes.highlight_articles):
            self._notify("highlights", aid)
        tags = bool(changes.highlight_articles or changes.tags or changes.article_tags)
        if changes.highlight_articles:
            self._notify("tags")
        if changes.index:
            self.sync_index()
        listed = bool(changes.articles or changes.articles_deleted or changes.tags)
        if listed:
            self._notify("articles")
        if tags and not changes.highlight_articles:
            self._notify("tags")
        if not listed:
            for aid in sorted(changes.article_tags | changes.read):
                self._notify("article", aid)

    # ------------------------------------------------------------------ import
    def import_paths(
        self, paths: Iterable[str | os.PathLike[str]], *, progress: Progress | None = None,
        cancelled: Cancelled | None = None, update_index: bool = True, source: str = "",
        date: str = "", on_file: Callable[[FileReport], None] | None = None,
    ) -> ImportSummary:
        """Import files and folders; one transaction per file; a report line per file.

        ``source`` and ``date`` are given to the articles that came without them; ``on_file``
        hears each file's report as soon as it is stored. The search
        index catches up in batches (about a tenth of the import each, see
        :func:`_index_batch_chars`), segmented on both cores: searches see an import batch by
        batch, and a crash leaves the queue that the next open applies."""
        from reader.core.importers import iter_import_files

        summary = ImportSummary()
        candidates = list(iter_import_files(Path(p) for p in paths))
        total = len(candidates)
        import_chars = _total_chars(candidates)  # one stat per file
        batch_chars = _index_batch_chars(import_chars)
        pending = 0
        drainer: threading.Thread | None = None
        heard: list[tuple[str, object]] = []  # what the index thread would have told listeners
        # a big import opens the index and starts its segmenting workers up front (an empty
        # library's index is then created empty, not rebuilt after the first batch)
        batches = update_index and import_chars >= INDEX_WORKERS_MIN_CHARS and (
            self._begin_batches())
        try:
            # one report of what changed when the import ends (the index catches up in
            # batches meanwhile, below, and with the rest when the batch ends)
            with self.store.batch() as held:
                try:
                    for n, (path, problem) in enumerate(candidates):
                        if cancelled and cancelled():
                            summary.cancelled = True
                            break
                        if progress:
                            progress(n, total, str(path))
                        report = self._import_one(path, problem, source=source, date=date)
                        summary.files.append(report)
                        if on_file is not None:
                            on_file(report)
                        if update_index and (report.added or report.updated):
                            pending += report.chars
                            if pending >= batch_chars:
                                batches = batches or self._begin_batches()
                                # the batch is indexed on a thread (mostly waiting for the
                                # segmenting workers) while this one reads and stores the next
                                if drainer is not None:
                                    drainer.join()
                                self._flush_notes(heard)
                                drainer = threading.Thread(
                                    target=self._index_batch, args=(heard,), daemon=True,
                                    name="pizhu-index-batch")
                                drainer.start()
                                pending = 0
                        if drainer is not None and not drainer.is_alive():
                            self._flush_notes(heard)
                finally:
                    if drainer is not None:
                        drainer.join()
                    self._flush_notes(heard)
                    if not update_index:  # the queue keeps the changes for the next use
                        held.index.clear()
                if any(f.added or f.updated for f in summary.files):
                    with contextlib.suppress(LibraryError, sqlite3.Error):
                        self.fill_title_sort_keys()  # the title order (pinyin) knows new titles
        finally:
            if batches and self._index is not None:
                self._index.end_batches()
        if progress:
            progress(total, total, "")
        return summary

    def _index_batch(self, heard: list[tuple[str, object]]) -> None:
        """Apply the queue on an import's index thread. Its notifications are handed to the
        importing thread (listeners — the GUI's signals — hear from the threads they know)."""
        self._local.deferred = heard
        try:
            self.sync_index()
            heard.append(("articles", None))
        finally:
            self._local.deferred = None

    def _flush_notes(self, heard: list[tuple[str, object]]) -> None:
        while heard:
            kind, payload = heard.pop(0)
            self._notify(kind, payload)

    def _begin_batches(self) -> bool:
        """Open the index (not yet draining the queue) and start its segmenting workers."""
        try:
            with self._index_lock:
                if self._index is None:
                    with self._index_writes(INDEX_LOCK_WAIT):
                        self._open_index(None, None)
                self._index.begin_batches()
            return True
        except Exception as e:  # the index is derived: the import goes on, the queue keeps it
            self._index_failed(e)
            return False

    def _import_one(
        self, path: Path, problem: Reason | None, *, source: str, date: str
    ) -> FileReport:
        from reader.core.importers import ImportFailure, parse_file
        from reader.core.importers.errors import Code, Reason, os_reason

        if problem:
            return FileReport(str(path), "failed", **problem.fields())
        try:
            digest = _file_digest(path)
        except OSError as e:
            return FileReport(str(path), "failed", **os_reason(e).fields())
        if self._file_seen(digest, path):
            return FileReport(str(path), "unchanged", **Reason(Code.ALREADY_IMPORTED).fields())
        try:
            parsed = parse_file(path)
        except ImportFailure as e:
            return FileReport(str(path), "failed", **e.why.fields())
        # what was parsed is what is recorded: a file changed since the first read is known
        # by its new content
        if parsed.digest and parsed.digest != digest:
            digest = parsed.digest
            if self._file_seen(digest, path):
                return FileReport(str(path), "unchanged", **Reason(Code.ALREADY_IMPORTED).fields())
        drafts = [_scrub_draft(d) for d in parsed.articles]
        drafts = [d for d in drafts if normalize(d.body).strip()]
        if not drafts:  # e.g. bodies of NUL characters, which normalize() removes
            return FileReport(str(path), "failed", **Reason(Code.NO_ARTICLE_TEXT).fields())
        longest = max(len(d.body) for d in drafts)
        if longest > MAX_ARTICLE_CHARS:
            return FileReport(str(path), "failed", **Reason(
                Code.ARTICLE_TOO_LONG, {"chars": longest, "limit": MAX_ARTICLE_CHARS}).fields())
        for d in drafts:
            if source and not d.source.strip():
                d.source = source
            if date and not d.date:
                d.date = date
        try:
            report = self._store_file(path, digest, parsed.format, drafts)
            if parsed.skipped:
                skipped = Reason(Code.ENTRIES_SKIPPED, {"count": parsed.skipped})
                report = dataclasses.replace(report, **skipped.fields())
        except (sqlite3.Error, LibraryError) as e:
            return FileReport(str(path), "failed",
                              **Reason(Code.NOT_SAVED, {"message": str(e)}).fields())
        except Exception as e:  # a bug must cost one file, not the whole import
            log.exception("storing %s failed", _path_text(path))
            return FileReport(str(path), "failed", **Reason(
                Code.NOT_SAVED_INTERNAL, {"error": type(e).__name__}).fields())
        report.chars = sum(len(d.body) + len(d.title) for d in drafts)
        return report

    def _file_seen(self, digest: str, path: Path | None = None) -> bool:
        """Whether these bytes were imported already — unless ``path`` has been imported with
        other bytes since (going back to an earlier version of a file is a change)."""
        conn = self.store.reader()
        if conn.execute("SELECT 1 FROM imported_files WHERE sha256 = ?", (digest,)).fetchone() is None:
            return False
        if path is None:
            return True
        latest = conn.execute(
            "SELECT sha256 FROM imported_files WHERE path = ? ORDER BY rowid DESC LIMIT 1",
            (_path_text(path),),
        ).fetchone()
        return latest is None or latest[0] == digest

    def _store_file(
        self, path: Path, digest: str, fmt: str, drafts: list[ArticleDraft]
    ) -> FileReport:
        report = FileReport(str(path), "unchanged", format=fmt)
        stamp = now_iso()
        with self.store.transaction() as tx:
            plan = self._plan_identities(tx, path, drafts)
            for i, draft in enumerate(drafts):
                outcome = self._store_draft(tx, path, draft, stamp, plan.get(i))
                setattr(report, outcome, getattr(report, outcome) + 1)
            tx.execute(
                "INSERT OR REPLACE INTO imported_files(sha256, path, format, articles, imported_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (digest, _path_text(path), fmt, len(drafts), stamp),
            )
        if report.added:
            report.status = "added"
        elif report.updated:
            report.status = "updated"
        return report

    @staticmethod
    def _keyed(d: ArticleDraft) -> str:
        """The natural key of a draft that carries an id or a URL from its source, else ''."""
        if d.external_id:
            return f"ext:{d.kind}:{d.external_id}"
        if d.url:
            return f"url:{d.url}"
        return ""

    @staticmethod
    def _draft_text(d: ArticleDraft) -> tuple[str, str]:
        from reader.core.text import clean_line

        return clean_line(d.title) or "（无标题）", normalize(d.body)

    def _plan_identities(
        self, conn: Executes, path: Path, drafts: list[ArticleDraft]
    ) -> dict[int, tuple[str, int]]:
        """Which stored article each draft of a file is (see reader.core.identity): {draft index:
        ("same", origin id) | ("match", origin id)}; drafts not in it are new articles."""
        from reader.core import identity

        plan: dict[int, tuple[str, int]] = {}
        texts: dict[int, tuple[str, str]] = {}
        src = _path_text(path)
        files: set[str] = {src}
        for i, d in enumerate(drafts):
            if self._keyed(d):
                continue
            title, body = texts[i] = self._draft_text(d)
            row = conn.execute(
                "SELECT id, source_file FROM article_origins WHERE hash = ? ORDER BY id LIMIT 1",
                (content_hash(title, body),),
            ).fetchone()
            if row is not None:
                plan[i] = ("same", row["id"])
                files.add(row["source_file"])
        rest = [i for i in texts if i not in plan]
        if not rest:
            return plan
        used = {oid for _kind, oid in plan.values()}
        cands: dict[int, identity.Candidate] = {}

        def add(rows: Iterable[sqlite3.Row]) -> None:
            for r in rows:
                if r["id"] not in used and r["id"] not in cands and len(cands) < 2000:
                    cands[r["id"]] = identity.Candidate(
                        r["id"], r["title"], r["body"] if r["body"] is not None else r["cur"],
                        same_file=r["source_file"] == src, seq=r["seq"],
                    )

        sql = ("SELECT o.id, o.title, o.body, o.source_file, o.seq, a.body AS cur"
               " FROM article_origins o"
               " JOIN articles a ON a.id = o.article_id WHERE ")
        for f in sorted(files):
            add(conn.execute(sql + "o.source_file = ? LIMIT 2000", (f,)))
        add(conn.execute(sql + "o.file_name = ? LIMIT 500", (_name_text(path),)))
        for i in rest:
            add(conn.execute(sql + "o.title = ? LIMIT 200", (texts[i][0],)))
        if cands:
            pairs = identity.align([texts[i] for i in rest], list(cands.values()),
                                   [drafts[i].page_index for i in rest])
            for k, oid in pairs.items():
                plan[rest[k]] = ("match", oid)
        return plan

    def _store_draft(
        self, tx: Tx, path: Path, d: ArticleDraft, stamp: str,
        origin: tuple[str, int] | None = None,
    ) -> str:
        from reader.core.text import clean_line

        d = _scrub_draft(d)
        title, body = self._draft_text(d)
        chash = content_hash(title, body)
        meta = {
            "subtitle": clean_line(d.subtitle), "byline": clean_line(d.byline),
            "source": clean_line(d.source), "date": d.date, "url": d.url.strip(),
            "kicker": clean_line(d.kicker), "page": clean_line(d.page),
        }
        key = self._keyed(d)
        if key:
            row = tx.execute(
                "SELECT id, content_hash FROM articles WHERE key = ?", (key,)
            ).fetchone()
            if row is not None:
                if row["content_hash"] == chash:
                    return "unchanged"
                # the origin this draft came from: a merged or split article keeps its shape
                o = tx.execute(
                    "SELECT id FROM article_origins WHERE article_id = ?"
                    " ORDER BY (key = ?) DESC, (title = ?) DESC, id LIMIT 1", (row["id"], key, title),
                ).fetchone()
                if o is not None:
                    return self._update_from_origin(tx, o["id"], title, body, chash, meta,
                                                    path, d)
                self._replace_text(tx, row["id"], title, body,
                                   reason=f"re-imported from {_name_text(path)}", meta=meta)
                self._set_origin(tx, row["id"], chash, title, path, d.page_index, key)
                structure.save(tx.conn, self.root, row["id"], d)
                return "updated"
            # the article it made was merged into another: its origin went along
            o = tx.execute(
                "SELECT id, hash FROM article_origins WHERE key = ? LIMIT 1", (key,)
            ).fetchone()
            if o is not None:
                if o["hash"] == chash:
                    return "unchanged"
                return self._update_from_origin(tx, o["id"], title, body, chash, meta, path, d)
        elif origin is not None:
            kind, oid = origin
            if kind == "same":
                return "unchanged"
            return self._update_from_origin(tx, oid, title, body, chash, meta, path, d)
        # the same article reached through another file: nothing new
        if tx.execute(
            "SELECT 1 FROM articles WHERE content_hash = ? LIMIT 1", (chash,)
        ).fetchone():
            return "unchanged"
        cur = tx.execute(
            "INSERT INTO articles(uuid, key, title, subtitle, byline, source, date, url,"
            " external_id, kind, body, content_hash, source_file, page_index, imported_at,"
            " updated_at, kicker, page) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                str(uuidlib.uuid4()), key or f"doc:{uuidlib.uuid4()}", title, meta["subtitle"],
                meta["byline"], meta["source"], d.date, meta["url"], d.external_id, d.kind,
                body, chash, _path_text(path), d.page_index, stamp, stamp, meta["kicker"],
                meta["page"],
            ),
        )
        article_id = int(cur.lastrowid or 0)
        tx.execute(
            "INSERT INTO article_origins(article_id, hash, title, body, source_file, file_name,"
            " seq, key) VALUES (?,?,?,NULL,?,?,?,?)",
            (article_id, chash, title, _path_text(path), _name_text(path), d.page_index, key),
        )
        for tid in tag_ids(tx, clean_tags(d.tags)):  # tags the source gave
            tx.execute("INSERT OR IGNORE INTO article_tags VALUES (?, ?)", (article_id, tid))
        tx.article_changed(article_id)
        structure.save(tx.conn, self.root, article_id, d)
        return "added"

    @staticmethod
    def _set_origin(
        tx: Tx, article_id: int, chash: str, title: str, path: Path, seq: int,
        key: str = "",
    ) -> None:
        tx.execute("DELETE FROM article_origins WHERE article_id = ?", (article_id,))
        tx.execute(
            "INSERT INTO article_origins(article_id, hash, title, body, source_file, file_name,"
            " seq, key) VALUES (?,?,?,NULL,?,?,?,?)",
            (article_id, chash, title, _path_text(path), _name_text(path), seq, key),
        )

    def _update_from_origin(
        self, tx: Tx, origin_id: int, title: str, body: str, chash: str,
        meta: dict[str, str], path: Path, d: ArticleDraft,
    ) -> str:
        """A draft matched an origin: bring every article made from it up to the new text. An
        article the user did not reshape gets the new text as a new version; a merged or split
        one gets the change applied to its current text (reader.core.identity.carry_over)."""
        from reader.core.identity import carry_over

        o = tx.execute(
            "SELECT o.article_id, o.title, o.body, a.body AS cur, a.title AS cur_title"
            " FROM article_origins o JOIN articles a ON a.id = o.article_id WHERE o.id = ?",
            (origin_id,),
        ).fetchone()
        old_body = o["body"] if o["body"] is not None else o["cur"]
        changed = 0
        for r in tx.execute(
            "SELECT o.id, o.article_id, o.body, a.title, a.body AS cur FROM article_origins o"
            " JOIN articles a ON a.id = o.article_id WHERE o.hash = (SELECT hash FROM"
            " article_origins WHERE id = ?) AND o.title = ?", (origin_id, o["title"]),
        ).fetchall():
            diverged = r["body"] is not None and r["body"] != r["cur"]
            if diverged:
                new_cur = carry_over(old_body, body, r["cur"])
                new_title = r["title"]
            else:
                new_cur, new_title = body, title
            if new_cur != r["cur"] or new_title != r["title"]:
                self._replace_text(tx, r["article_id"], new_title, new_cur,
                                   reason=f"re-imported from {_name_text(path)}",
                                   meta=None if diverged else meta)
                if not diverged:
                    structure.save(tx.conn, self.root, r["article_id"], d)
                changed += 1
            tx.execute(
                "UPDATE article_origins SET hash = ?, title = ?, body = ?, source_file = ?,"
                " file_name = ?, seq = ? WHERE id = ?",
                (chash, title, body if diverged else None, _path_text(path), _name_text(path),
                 d.page_index, r["id"]),
            )
        return "updated" if changed else "unchanged"

    def _materialize_origins(self, tx: Tx, article_id: int) -> None:
        """Before the user reshapes an article (merge, split), keep the text it was imported
        with: a later re-import applies its changes to the reshaped text."""
        tx.execute(
            "UPDATE article_origins SET body = (SELECT body FROM articles WHERE id = ?)"
            " WHERE article_id = ? AND body IS NULL",
            (article_id, article_id),
        )

    def _replace_text(
        self, tx: Tx, article_id: int, title: str, body: str, *, reason: str,
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
                    (s, e, body[s:e], *_context(body, s, e), h["id"]),
                )
        tx.article_changed(article_id)

    # ------------------------------------------------------------------ articles
    def article(self, article_id: int) -> Article:
        conn = self.store.reader()
        row = conn.execute(
            f"SELECT {ARTICLE_COLUMNS}, a.body FROM articles a WHERE a.id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise LibraryError(f"no article with id {article_id}")
        art = _article_from_row(row, body=row["body"])
        art.tags = article_tags(conn, article_id)
        art.highlight_count, art.orphan_count = conn.execute(
            "SELECT count(*), coalesce(sum(orphan), 0) FROM highlights"
            " WHERE article_id = ? AND deleted = 0",
            (article_id,),
        ).fetchone()
        return art

    def find_article(self, ref: str | int) -> int | None:
        """The id of the article ``ref`` names: its number, its uuid, or a unique uuid prefix
        (as links and the CLI give them); None if no single article matches."""
        ref = str(ref).strip()
        if ref.isascii() and ref.isdigit():  # not "²", "١٢": str.isdigit() takes those too
            if len(ref) > 18:  # beyond SQLite's integers: no such article
                return None
            row = self.store.reader().execute("SELECT id FROM articles WHERE id = ?", (int(ref),))
            found = row.fetchone()
            return found[0] if found else None
        if len(ref) < 4:
            return None
        rows = self.store.reader().execute(
            "SELECT id FROM articles WHERE uuid = ? OR uuid LIKE ? LIMIT 2",
            (ref, ref.replace("%", "").replace("_", "") + "%"),
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def bodies(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        q = ",".join("?" * len(ids))
        rows = self.store.reader().execute(
            f"SELECT id, body FROM articles WHERE id IN ({q})", tuple(ids)
        ).fetchall()
        return {r["id"]: r["body"] for r in rows}

    def _filter_sql(self, f: ArticleFilter) -> tuple[str, list[object]]:
        where, args = [], []
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
            args += list(f.ids)
        return (" WHERE " + " AND ".join(where)) if where else "", args

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

    def articles(
        self, flt: ArticleFilter | None = None, *, order: str = "date", descending: bool = True,
        limit: int | None = None, offset: int = 0,
    ) -> list[Article]:
        flt = flt or ArticleFilter()
        where, args = self._filter_sql(flt)
        order_sql = self.ORDERS.get(order, self.ORDERS["date"]).format(
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
        return [_article_from_row(r) for r in self.store.reader().execute(sql, args)]

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        where, args = self._filter_sql(flt or ArticleFilter())
        return self.store.reader().execute(f"SELECT count(*) FROM articles a{where}", args).fetchone()[0]

    def sources(self) -> list[tuple[str, int]]:
        return [
            (r[0], r[1])
            for r in self.store.reader().execute(
                "SELECT source, count(*) FROM articles WHERE trashed_at = '' GROUP BY source"
                " ORDER BY count(*) DESC, source"
            )
        ]

    def set_read(self, article_id: int, read: bool = True) -> None:
        with self.store.transaction() as tx:
            tx.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))
            tx.read_changed(article_id)

    def set_position(self, article_id: int, position: int) -> None:
        with self.store.transaction() as tx:
            tx.execute("UPDATE articles SET position = ? WHERE id = ?", (max(0, position), article_id))
            tx.position_changed(article_id)

    def delete_article(self, article_id: int) -> None:
        with self.store.transaction() as tx:
            _delete_article_row(tx, article_id)

    def versions(self, article_id: int) -> list[dict]:
        rows = self.store.reader().execute(
            "SELECT version, title, body, content_hash, replaced_at, reason FROM article_versions"
            " WHERE article_id = ? ORDER BY version",
            (article_id,),
        ).fetchall()
        return [dict(r) for r in rows]

    # ------------------------------------------------------------------ tags
    def set_article_tags(self, article_id: int, tags: Iterable[str]) -> list[str]:
        with self.store.transaction() as tx:
            tx.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
            for tid in tag_ids(tx, tags):
                tx.execute(
                    "INSERT OR IGNORE INTO article_tags(article_id, tag_id) VALUES (?, ?)",
                    (article_id, tid),
                )
            drop_unused_tags(tx)
            tx.article_tags_changed(article_id)
        return article_tags(self.store.reader(), article_id)

    def tags(self) -> list[TagCount]:
        rows = self.store.reader().execute(
            "SELECT t.name,"
            " (SELECT count(*) FROM article_tags at WHERE at.tag_id = t.id),"
            " (SELECT count(*) FROM highlight_tags ht JOIN highlights h ON h.id = ht.highlight_id"
            "   WHERE ht.tag_id = t.id AND h.deleted = 0)"
            " FROM tags t ORDER BY t.name"
        ).fetchall()
        return [TagCount(r[0], r[1], r[2]) for r in rows if r[1] or r[2]]

    # ------------------------------------------------------------------ highlights
    def add_highlight(
        self, article_id: int, start: int, end: int, *, color: str = "yellow", note: str = "",
        tags: Iterable[str] = (), uuid: str | None = None,
    ) -> Highlight:
        """Highlight ``body[start:end]`` (code points into the stored text)."""
        note = clean_note(note)
        _check_note(note)
        with self.store.transaction() as tx:
            row = tx.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise LibraryError(f"no article with id {article_id}")
            body = row["body"]
            if not (0 <= start < end <= len(body)):
                raise LibraryError(
                    f"highlight range {start}–{end} is outside the article (0–{len(body)})"
                )
            stamp = now_iso()
            hid = uuid or str(uuidlib.uuid4())
            prefix, suffix = _context(body, start, end)
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
        return self.highlight(hid)

    def highlight(self, uuid: str) -> Highlight:
        conn = self.store.reader()
        row = conn.execute(
            "SELECT h.*, a.title, a.date FROM highlights h JOIN articles a ON a.id = h.article_id"
            " WHERE h.uuid = ?",
            (uuid,),
        ).fetchone()
        if row is None:
            raise LibraryError(f"no highlight {uuid}")
        return _highlight_from_row(row, highlight_tags(conn, row["id"]))

    def update_highlight(
        self, uuid: str, *, color: str | None = None, note: str | None = None,
        tags: Iterable[str] | None = None, start: int | None = None, end: int | None = None,
    ) -> Highlight:
        """Change a highlight's colour, note, tags or (re-attach) its range."""
        if note is not None:
            note = clean_note(note)
            _check_note(note)
        with self.store.transaction() as tx:
            row = tx.execute(
                "SELECT h.id, h.article_id, a.body FROM highlights h JOIN articles a"
                " ON a.id = h.article_id WHERE h.uuid = ?",
                (uuid,),
            ).fetchone()
            if row is None:
                raise LibraryError(f"no highlight {uuid}")
            sets: dict[str, object] = {"updated": now_iso()}
            if color is not None:
                sets["color"] = color
            if note is not None:
                sets["note"] = note
            if start is not None and end is not None:
                body = row["body"]
                if not (0 <= start < end <= len(body)):
                    raise LibraryError(f"range {start}–{end} is outside the article")
                prefix, suffix = _context(body, start, end)
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
        return self.highlight(uuid)

    def delete_highlight(self, uuid: str, *, deleted: bool = True) -> None:
        """Mark a highlight deleted (``deleted=False`` undoes it). Rows are never dropped here."""
        with self.store.transaction() as tx:
            row = tx.execute("SELECT article_id FROM highlights WHERE uuid = ?", (uuid,)).fetchone()
            if row is None:
                raise LibraryError(f"no highlight {uuid}")
            tx.execute(
                "UPDATE highlights SET deleted = ?, updated = ? WHERE uuid = ?",
                (int(deleted), now_iso(), uuid),
            )
            tx.highlight_changed(uuid, row["article_id"], deleted=deleted)

    def highlights(
        self, *, article_id: int | None = None, tags: Sequence[str] = (), any_tag: bool = False,
        text: str = "", include_deleted: bool = False, orphans: bool | None = None,
        order: str = "newest", limit: int | None = None,
    ) -> list[Highlight]:
        """Highlights filtered by article, tags (all of them, or any with ``any_tag``) and a
        substring of quote or note. ``order``: 'newest' | 'article' (by article then position)."""
        where, args = [], []
        if article_id is not None:
            where.append("h.article_id = ?")
            args.append(article_id)
        if not include_deleted:
            where.append("h.deleted = 0")
        if orphans is not None:
            where.append("h.orphan = ?")
            args.append(int(orphans))
        if article_id is None:  # recall leaves out the articles in the trash
            where.append(f"h.article_id {self._LIVE}")
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
        conn = self.store.reader()
        rows = conn.execute(sql, args).fetchall()
        tags_of = tags_of_highlights(conn, [r["id"] for r in rows])
        return [_highlight_from_row(r, tags_of.get(r["id"], [])) for r in rows]

    # ------------------------------------------------------------------ merge / split
    def merge_with_previous(self, article_id: int) -> int:
        """Append an article to the one before it on the same page; its highlights move along.
        Returns the id of the merged article."""
        with self.store.transaction() as tx:
            cur = tx.execute(
                "SELECT id, title, body, source_file, page_index FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if cur is None:
                raise LibraryError(f"no article with id {article_id}")
            prev = tx.execute(
                "SELECT id, title, body FROM articles WHERE source_file = ? AND page_index < ?"
                " AND trashed_at = '' ORDER BY page_index DESC LIMIT 1",
                (cur["source_file"], cur["page_index"]),
            ).fetchone()
            if prev is None or not cur["source_file"]:
                raise LibraryError("this article has no previous article on its page to merge with")
            self._merge_rows(tx, prev, cur)
        return prev["id"]

    def _merge_rows(self, tx: Tx, prev: sqlite3.Row, cur: sqlite3.Row) -> None:
        """Append article ``cur`` (id, title, body) to ``prev``: its title line and body, its
        highlights at shifted offsets, its tags, its origins and structure; ``cur`` is gone."""
        target_id, article_id = prev["id"], cur["id"]
        self._materialize_origins(tx, target_id)
        self._materialize_origins(tx, article_id)
        tx.execute("UPDATE article_origins SET article_id = ? WHERE article_id = ?",
                     (target_id, article_id))
        joined = prev["body"] + "\n\n" + cur["title"] + "\n" + cur["body"]
        shift = len(prev["body"]) + 2 + len(cur["title"]) + 1
        self._replace_text(tx, target_id, prev["title"], joined,
                           reason=f"merged with “{cur['title']}”")
        structure.merged(tx.conn, target_id, prev["body"], article_id, cur["body"], shift)
        tx.execute(
            "UPDATE highlights SET article_id = ?, start = start + ?, end = end + ?"
            " WHERE article_id = ?", (target_id, shift, shift, article_id))
        tx.execute(
            "INSERT OR IGNORE INTO article_tags(article_id, tag_id)"
            " SELECT ?, tag_id FROM article_tags WHERE article_id = ?",
            (target_id, article_id))
        _delete_article_row(tx, article_id)

    def split_article(self, article_id: int, at: int) -> int:
        """Split an article at code point ``at`` (moved to the start of its line): the line there
        becomes the title of a new article holding the rest. Returns the new article's id."""
        with self.store.transaction() as tx:
            a = tx.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            if a is None:
                raise LibraryError(f"no article with id {article_id}")
            body = a["body"]
            at = body.rfind("\n", 0, max(0, min(at, len(body)))) + 1
            head = body[:at].rstrip("\n")
            nl = body.find("\n", at)
            title_line = body[at:] if nl < 0 else body[at:nl]
            rest_start = len(body) if nl < 0 else nl + 1
            rest = body[rest_start:]
            if not head.strip() or not title_line.strip():
                raise LibraryError("split at a line inside the article, after its first line")
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
            new_id = cur2.lastrowid
            self._materialize_origins(tx, article_id)
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
            self._replace_text(tx, article_id, a["title"], head, reason="split")
            structure.split(tx.conn, article_id, body, new_id, len(head), rest_start)
            tx.article_changed(new_id)
        return new_id

    # ------------------------------------------------------------------ manage articles and tags
    # (issue 14: edit details, the trash, rename/merge/delete of hierarchical tags; the GUI's
    # undo calls the inverse methods set_article_details / restore_articles / restore_tags)
    def _existing_ids(self, conn: Executes, ids: Iterable[int]) -> list[int]:
        want = sorted({int(i) for i in ids})
        found: list[int] = []
        for i in range(0, len(want), 500):
            chunk = want[i:i + 500]
            found += [r[0] for r in conn.execute(
                f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)]
        missing = sorted(set(want) - set(found))
        if missing:
            raise LibraryError("no article with id " + ", ".join(map(str, missing[:10])))
        return found

    def article_details(self, ids: Sequence[int]) -> dict[int, dict[str, object]]:
        """The editable fields and tags of articles, as :meth:`set_article_details` takes them
        (the GUI keeps them to undo an edit)."""
        conn = self.store.reader()
        out: dict[int, dict[str, object]] = {}
        for aid in ids:
            row = conn.execute(
                f"SELECT {', '.join(EDITABLE_FIELDS)} FROM articles WHERE id = ?", (aid,)
            ).fetchone()
            if row is not None:
                out[aid] = {f: row[f] for f in EDITABLE_FIELDS}
                out[aid]["tags"] = article_tags(conn, aid)
        return out

    @staticmethod
    def _clean_details(fields: dict[str, object]) -> dict[str, str]:
        clean: dict[str, str] = {}
        for name, value in fields.items():
            if value is None:
                continue
            text = " ".join(_scrub(str(value)).replace("\x00", "").split())
            if name == "date":
                try:
                    text = normalize_date(text)
                except ValueError as e:
                    raise LibraryError(str(e)) from None
            elif name == "title" and not text:
                raise LibraryError("an article needs a title")
            clean[name] = text
        return clean

    def edit_article(
        self, ids: Iterable[int], *, title: str | None = None, subtitle: str | None = None,
        source: str | None = None, date: str | None = None, byline: str | None = None,
        url: str | None = None, add_tags: Iterable[str] = (), remove_tags: Iterable[str] = (),
    ) -> int:
        """Set details of one or many articles (None leaves a field as it is; '' clears it) and
        add/remove article tags, in one transaction. ``date`` may be typed loosely
        (``2026-1-5``) and is stored as ``2026-01-05``; a bad date or an empty title raises
        LibraryError and changes nothing. Returns how many articles changed."""
        sets = self._clean_details(dict(title=title, subtitle=subtitle, source=source, date=date,
                                        byline=byline, url=url))
        remove = {t.casefold() for t in clean_tags(remove_tags)}
        add = [t for t in clean_tags(add_tags) if t.casefold() not in remove]  # remove wins
        changed: set[int] = set()
        with self.store.transaction() as tx:
            ids = self._existing_ids(tx, ids)
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
                        self._set_tags_in(tx, aid, new)
                        tx.article_tags_changed(aid, index=False)
                        changed.add(aid)
            for aid in changed:
                tx.article_changed(aid)
            drop_unused_tags(tx)
        return len(changed)

    def _set_tags_in(self, tx: Tx, article_id: int, tags: Iterable[str]) -> None:
        tx.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
        for tid in tag_ids(tx, tags):
            tx.execute("INSERT OR IGNORE INTO article_tags(article_id, tag_id) VALUES (?, ?)",
                         (article_id, tid))

    def set_article_details(self, details: dict[int, dict[str, object]]) -> int:
        """Put articles' fields and tags back as :meth:`article_details` returned them (undo of
        :meth:`edit_article`); articles that no longer exist are skipped."""
        with self.store.transaction() as tx:
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
                    self._set_tags_in(tx, aid, values["tags"])  # type: ignore[arg-type]
                    tx.article_tags_changed(aid, index=False)
                tx.article_changed(aid)
                done += 1
            drop_unused_tags(tx)
        return done

    def delete_articles(self, ids: Iterable[int]) -> int:
        """Move articles to the trash: they leave lists, search and recall but keep their
        highlights and tags until :meth:`empty_trash`; :meth:`restore_articles` brings them
        back. Returns how many were moved (articles already in the trash are not counted)."""
        with self.store.transaction() as tx:
            ids = self._existing_ids(tx, ids)
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

    def restore_articles(self, ids: Iterable[int]) -> int:
        """Take articles out of the trash (undo of :meth:`delete_articles`). Returns how many."""
        with self.store.transaction() as tx:
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

    def trash(self) -> list[TrashEntry]:
        """The articles in the trash, most recently deleted first."""
        conn = self.store.reader()
        rows = conn.execute(
            f"SELECT {ARTICLE_COLUMNS}, a.trashed_at, (SELECT count(*) FROM highlights h"
            " WHERE h.article_id = a.id AND h.deleted = 0) AS hcount FROM articles a"
            " WHERE a.trashed_at != '' ORDER BY a.trashed_at DESC, a.id DESC"
        ).fetchall()
        return [TrashEntry(_article_from_row(r), r["trashed_at"]) for r in rows]

    def empty_trash(self, ids: Iterable[int] | None = None) -> int:
        """Delete the articles in the trash for good (only ``ids`` of them if given), with their
        highlights and versions. Returns how many were deleted. Cannot be undone."""
        with self.store.transaction() as tx:
            rows = [r[0] for r in tx.execute("SELECT id FROM articles WHERE trashed_at != ''")]
            if ids is not None:
                keep = {int(i) for i in ids}
                rows = [r for r in rows if r in keep]
            for aid in rows:
                _delete_article_row(tx, aid)
            if rows:
                tx.tags_changed()
            drop_unused_tags(tx)
        return len(rows)

    _LIVE = "NOT IN (SELECT id FROM articles WHERE trashed_at != '')"  # the trash's small index

    def tag_tree(self) -> list[TagCount]:
        """Every tag and every parent level of a nested tag (``政策`` for ``政策/京津冀``, also when
        nobody uses ``政策`` alone), sorted by name, each counting the articles and highlights
        that carry it or a tag under it (each once), as selecting it finds them. Articles in
        the trash do not count. One grouped query, plus one per parent level."""
        conn = self.store.reader()
        live = self._LIVE
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

    @staticmethod
    def _subtree(conn: Executes, name: str) -> list[tuple[int, str]]:
        """(id, name) of the tag ``name`` and every tag under it, shortest names first."""
        rows = conn.execute(
            "SELECT id, name FROM tags WHERE name = ? OR name LIKE ? ESCAPE '\\'",
            (name, like_pattern(name)),
        ).fetchall()
        return sorted(((r[0], r[1]) for r in rows), key=lambda r: (len(r[1]), r[1]))

    @staticmethod
    def _assignments(conn: Executes, tag_id: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        a = tuple(r[0] for r in conn.execute(
            "SELECT article_id FROM article_tags WHERE tag_id = ? ORDER BY article_id", (tag_id,)))
        h = tuple(r[0] for r in conn.execute(
            "SELECT highlight_id FROM highlight_tags WHERE tag_id = ? ORDER BY highlight_id",
            (tag_id,)))
        return a, h

    def _tag_change(
        self, roots: Sequence[str], plan: Callable[[Executes], dict[str, str | None]],
    ) -> TagChange:
        """Run a tag change in one transaction. ``plan(tx)`` maps each old tag name to its new
        name (None: remove the tag); ``roots`` are the subtrees that may be touched (old names
        and targets), whose assignments are kept for undo."""
        with self.store.transaction() as tx:
            before: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
            for root in roots:
                for tid, name in self._subtree(tx, root):
                    before.setdefault(name, self._assignments(tx, tid))
            mapping = plan(tx)
            touched_arts: set[int] = set()
            touched_hls: set[int] = set()
            for old, new in mapping.items():
                row = tx.execute("SELECT id FROM tags WHERE name = ?", (old,)).fetchone()
                if row is None:
                    continue
                tid = row[0]
                arts, hls = self._assignments(tx, tid)
                touched_arts.update(arts)
                touched_hls.update(hls)
                if new is None:
                    tx.execute("DELETE FROM tags WHERE id = ?", (tid,))
                    continue
                other = tx.execute("SELECT id FROM tags WHERE name = ?", (new,)).fetchone()
                if other is None or other[0] == tid:
                    tx.execute("UPDATE tags SET name = ? WHERE id = ?", (new, tid))
                else:  # onto an existing tag: merge the assignments
                    tx.execute("INSERT OR IGNORE INTO article_tags(article_id, tag_id)"
                                 " SELECT article_id, ? FROM article_tags WHERE tag_id = ?",
                                 (other[0], tid))
                    tx.execute("INSERT OR IGNORE INTO highlight_tags(highlight_id, tag_id)"
                                 " SELECT highlight_id, ? FROM highlight_tags WHERE tag_id = ?",
                                 (other[0], tid))
                    tx.execute("DELETE FROM tags WHERE id = ?", (tid,))
            known = {n.casefold() for n in before}
            created = tuple(sorted({
                n for n in mapping.values() if n is not None and n.casefold() not in known
            }))
            self._enqueue_tagged(tx, touched_arts, touched_hls)
            drop_unused_tags(tx)
        return TagChange(
            articles=len(touched_arts), highlights=len(touched_hls),
            renamed={o: n for o, n in mapping.items() if n is not None and o != n},
            removed=[o for o, n in mapping.items() if n is None],
            undo=TagSnapshot(before=before, created=created),
        )

    def _enqueue_tagged(self, tx: Tx, arts: Iterable[int],
                        hls: Iterable[int]) -> set[int]:
        ids = set(arts)
        hl = sorted(set(hls))
        for i in range(0, len(hl), 500):
            chunk = hl[i:i + 500]
            ids.update(r[0] for r in tx.execute(
                f"SELECT article_id FROM highlights WHERE id IN ({','.join('?' * len(chunk))})",
                chunk))
        for aid in sorted(ids):
            tx.enqueue(aid)
        tx.tags_changed()
        return ids

    def rename_tag(self, old: str, new: str) -> TagChange:
        """Rename a tag and every tag under it (``政策`` -> ``时政`` makes ``政策/京津冀``
        ``时政/京津冀``); onto an existing name the two merge. Undo: :meth:`restore_tags` with
        the returned ``undo``."""
        return self.merge_tags([old], new, _rename=True)

    def merge_tags(self, sources: Iterable[str], target: str, *, _rename: bool = False) -> TagChange:
        """Merge tags into ``target``: everything tagged with a source (or a tag under it) gets
        the target (or the same tag under the target) instead. Returns counts and the undo."""
        names = clean_tags(sources)
        target_l = clean_tags([target])
        if not names or not target_l:
            raise LibraryError("name the tag(s) to merge and the tag to merge them into")
        target = target_l[0]
        conn = self.store.reader()
        for name in names:
            if not self._subtree(conn, name):
                raise LibraryError(f"no tag {name!r}")
            if is_under(target, name) and target.casefold() != name.casefold():
                raise LibraryError(f"cannot move {name!r} into {target!r}, a tag under itself")
        if not _rename and all(n.casefold() == target.casefold() for n in names):
            raise LibraryError(f"{target!r} cannot be merged into itself")

        def plan(c: Executes) -> dict[str, str | None]:
            mapping: dict[str, str | None] = {}
            for name in names:
                for _tid, old in self._subtree(c, name):
                    new = moved(old, name, target)
                    if new != old:  # a tag merged into itself stays as it is
                        mapping.setdefault(old, new)
            return mapping

        return self._tag_change([*names, target], plan)

    def delete_tag(self, name: str) -> TagChange:
        """Remove a tag and every tag under it from all articles and highlights. Returns counts
        and the undo (:meth:`restore_tags`)."""
        names = clean_tags([name])
        if not names or not self._subtree(self.store.reader(), names[0]):
            raise LibraryError(f"no tag {name!r}")
        root = names[0]
        return self._tag_change(
            [root], lambda c: {old: None for _tid, old in self._subtree(c, root)})

    def restore_tags(self, snapshot: TagSnapshot) -> None:
        """Undo a rename/merge/delete: the tags of ``snapshot.before`` get exactly their old
        assignments (articles and highlights that no longer exist are skipped), the tags the
        change created are removed."""
        with self.store.transaction() as tx:
            arts: set[int] = set()
            hls: set[int] = set()
            for name in snapshot.created:
                row = tx.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
                if row is not None and name not in snapshot.before:
                    a, h = self._assignments(tx, row[0])
                    arts.update(a)
                    hls.update(h)
                    tx.execute("DELETE FROM tags WHERE id = ?", (row[0],))
            for name, (a_ids, h_ids) in snapshot.before.items():
                tx.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
                tid = tx.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]
                tx.execute("UPDATE tags SET name = ? WHERE id = ?", (name, tid))  # its case
                a, h = self._assignments(tx, tid)
                arts.update(a, a_ids)
                hls.update(h, h_ids)
                tx.execute("DELETE FROM article_tags WHERE tag_id = ?", (tid,))
                tx.execute("DELETE FROM highlight_tags WHERE tag_id = ?", (tid,))
                tx.executemany(
                    "INSERT OR IGNORE INTO article_tags(article_id, tag_id)"
                    " SELECT id, ? FROM articles WHERE id = ?", [(tid, i) for i in a_ids])
                tx.executemany(
                    "INSERT OR IGNORE INTO highlight_tags(highlight_id, tag_id)"
                    " SELECT id, ? FROM highlights WHERE id = ?", [(tid, i) for i in h_ids])
            arts = {i for i in arts if tx.execute(
                "SELECT 1 FROM articles WHERE id = ?", (i,)).fetchone()}
            self._enqueue_tagged(tx, arts, hls)
            drop_unused_tags(tx)

    # ------------------------------------------------------------------ undo of a split (GUI, issue 14)
    def merge_into(self, target_id: int, article_id: int) -> int:
        """Append article ``article_id`` to ``target_id`` as :meth:`merge_with_previous` does
        (title line, body, highlights, tags, origins), whatever their page order: the undo of a
        split names both articles, where "the previous article on the page" can tie (all the
        articles of one export file share its page index). Returns ``target_id``."""
        with self.store.transaction() as tx:
            cur = tx.execute(
                "SELECT id, title, body FROM articles WHERE id = ?", (article_id,)).fetchone()
            prev = tx.execute(
                "SELECT id, title, body FROM articles WHERE id = ?", (target_id,)).fetchone()
            if cur is None or prev is None or target_id == article_id:
                raise LibraryError(f"cannot merge article {article_id} into {target_id}")
            self._merge_rows(tx, prev, cur)
        return target_id

    def date_range(self) -> tuple[str, str]:
        """(oldest, newest) article date outside the trash, '' when no article has one (the
        date filter's calendar opens at the newest)."""
        row = self.store.reader().execute(
            "SELECT min(date), max(date) FROM articles WHERE date != '' AND trashed_at = ''"
        ).fetchone()
        return (row[0] or "", row[1] or "") if row else ("", "")

    def fill_title_sort_keys(self, limit: int | None = None) -> int:
        """Store the pinyin sort key (reader.core.text.title_sort_key) of every title that has none
        yet: new articles, retitled ones (a trigger clears the key when a title changes), a
        library from before the column. Returns how many were filled; run it off the GUI
        thread (about 10 µs a character)."""
        if self.readonly:
            return 0
        from reader.core.text import title_sort_key

        sql = "SELECT id, title FROM articles WHERE title_sort = ''"
        rows = self.store.reader().execute(sql + (" LIMIT ?" if limit else ""),
                                      (limit,) if limit else ()).fetchall()
        if not rows:
            return 0
        keys = [(title_sort_key(r["title"]), r["id"], r["title"]) for r in rows]
        with self.store.transaction() as tx:
            tx.executemany(
                "UPDATE articles SET title_sort = ? WHERE id = ? AND title = ?", keys)
        return len(keys)

    # ------------------------------------------------------------------ structure (issue 13)
    def structure(self, article_id: int) -> structure.Structure:
        """An article's headings, quotes, list items, captions, emphasis and pictures over its
        stored text (empty when it has none, or when its text changed since). Image ``file``s
        are relative to :attr:`root`."""
        return structure.load(self.store.reader(), article_id)

    def image_path(self, image: structure.Image) -> Path | None:
        """The picture's file in this library, or None for a remote-only picture."""
        if not image.file or ".." in Path(image.file).parts or Path(image.file).is_absolute():
            return None
        return self.root / image.file

    # ------------------------------------------------------------------ search index
    def _new_index(self):
        from index import SearchIndex

        return SearchIndex(
            self.index_path, cache_dir=pathsmod.cache_dir() / "jieba",
            userdict=_userdict(),
        )

    def index(
        self, *, progress: Progress | None = None, cancelled: Cancelled | None = None,
        wait: bool = True,
    ):
        """The open search index, opened (and repaired if needed) on first use, with the queued
        changes applied. ``wait=False`` (searches): while another thread is applying a batch
        (an import), the index is returned as it is instead of waiting for the batch."""
        if not wait and self._index is not None:
            if not self._index_lock.acquire(timeout=0.05):
                return self._index
            self._index_lock.release()
        with self._index_lock:
            if self._index is None:
                with self._index_writes(INDEX_LOCK_WAIT):
                    self._open_index(progress, cancelled)
            try:
                with self._index_writes(_DRAIN_WAIT):
                    self._drain_queue()
            except IndexBusy as e:  # search the index as it is; the queue keeps the changes
                self._index_failed(e)
            return self._index

    def verify_index(self) -> str | None:
        """Read the whole search index and compare every file's checksum: damage that keeps a
        file's size, which opening (sizes only) cannot see. A damaged index is rebuilt from the
        database, like any other unusable index. About 0.5 s per 500 MB of index: the app runs
        it once on its worker after the window is shown. The reading holds no lock (searches go
        on); only a problem found is checked again with the index locked, so that a commit made
        meanwhile is not taken for damage.

        Returns None when the index was sound, else the message given to the user."""
        if self.index().verify() is None:
            return None
        with self._index_lock:
            idx = self.index()
            with self._index_writes(INDEX_LOCK_WAIT):
                problem = idx.verify()
                if problem is None:
                    return None
                if self.readonly:
                    msg = f"{self.index_path}: search index damaged ({problem}); read-only library"
                    self.messages.append(msg)
                    log.warning(msg)
                    return msg
                idx.close()
                self._index = None
                self._index_damage = problem
                self._open_index(None, None)
            with contextlib.suppress(IndexBusy), self._index_writes(_DRAIN_WAIT):
                self._drain_queue()
        return self.messages[-1]

    @contextlib.contextmanager
    def _index_writes(self, wait: float) -> Iterator[None]:
        """Index writes of all processes on this library, one at a time: a drain reads the queue,
        builds the documents from the database, commits them and trims the queue as one step, so
        a second process can neither overwrite fresher documents with older ones nor swap a
        rebuilt index in underneath a commit. (Whoosh's own writer lock covers only the commit.)
        Raises IndexBusy after ``wait`` seconds. Call with ``_index_lock`` held."""
        from reader.core.store.lock import exclusive  # flock / LockFileEx; re-entrant per owner

        busy = f"{self.index_path}: another Pizhu is writing the search index"
        with exclusive(self.root / INDEX_LOCK, wait, owner=self, busy=lambda: IndexBusy(busy)):
            yield

    def _open_index(self, progress: Progress | None, cancelled: Cancelled | None) -> None:
        """Check, open or rebuild the index (the caller holds both index locks)."""
        idx = self._new_index()
        problem, self._index_damage = self._index_damage, None
        if problem is None:
            problem = idx.check()
        if problem is None:
            try:
                idx.open()
                idx.doc_count()  # reads every segment: damage check()'s sizes miss
            except Exception as e:  # IndexProblem, or damage check() did not see
                problem = f"cannot open: {e}"
                idx.close()
                idx = self._new_index()
        if problem is None and idx.watermark > self._max_seq():
            problem = "it is ahead of the database (restored from elsewhere?)"
            idx.close()
            idx = self._new_index()
        if problem is not None:
            if problem != "missing":
                self.messages.append(
                    f"{self.index_path}: search index unusable ({problem}); rebuilt it"
                    " from the library database"
                )
                log.warning(self.messages[-1])
            done = self._rebuild_into(idx, progress, cancelled)
            idx.close()
            if not done:
                raise LibraryError(
                    "indexing was cancelled; search is unavailable until it is rebuilt"
                )
            idx = self._new_index()
            idx.open()
        self._index = idx

    def _article_count(self) -> int:
        return self.store.reader().execute("SELECT count(*) FROM articles").fetchone()[0]

    def _max_seq(self) -> int:
        row = self.store.reader().execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'index_queue'"
        ).fetchone()
        return row[0] if row else 0

    def _index_docs(self, conn: Executes, ids: Sequence[int] | None = None):
        """The index documents of articles: the article's fields, its own tags, and each
        highlight with a note or tags (tags with their ancestors, so ``tag:政策`` finds
        ``政策/京津冀``)."""
        from index import HighlightDoc, IndexDoc

        sql = ("SELECT id, title, subtitle, byline, source, date, body FROM articles"
               " WHERE trashed_at = ''")  # the trash is not searched
        args: tuple = ()
        if ids is not None:
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            args = tuple(ids)
        parked = {r[0] for r in conn.execute("SELECT article_id FROM index_parked")}
        for r in conn.execute(sql, args).fetchall() if ids is not None else conn.execute(sql):
            tags = _indexed_tags(t[0] for t in conn.execute(
                "SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id"
                " WHERE at.article_id = ?", (r["id"],)))
            hls = conn.execute(
                "SELECT id, uuid, note FROM highlights WHERE article_id = ? AND deleted = 0",
                (r["id"],),
            ).fetchall()
            htags = tags_of_highlights(conn, [h["id"] for h in hls]) if hls else {}
            yield IndexDoc(
                id=r["id"], title=r["title"], subtitle=r["subtitle"], byline=r["byline"],
                source=r["source"], date=r["date"], body="" if r["id"] in parked else r["body"],
                tags=tags,
                highlights=[
                    HighlightDoc(h["uuid"], h["note"], _indexed_tags(htags.get(h["id"], [])))
                    for h in hls if h["note"] or htags.get(h["id"])
                ],
            )

    def _highlight_docs(self, conn: Executes, uuids: Sequence[str]):
        """(article id, uuid, document or None) of changed highlights, for the index."""
        from index import HighlightDoc

        out = []
        for uuid in uuids:
            h = conn.execute(
                "SELECT id, article_id, note, deleted FROM highlights WHERE uuid = ?", (uuid,)
            ).fetchone()
            if h is None:
                continue
            tags = _indexed_tags(highlight_tags(conn, h["id"]))
            doc = None if h["deleted"] or not (h["note"] or tags) else HighlightDoc(
                uuid, h["note"], tags)
            out.append((h["article_id"], uuid, doc))
        return out

    def _rebuild_into(self, idx, progress: Progress | None, cancelled: Cancelled | None) -> bool:
        conn = connect(self.db_path, readonly=True)
        try:
            conn.execute("BEGIN")  # one snapshot: the watermark and the rows agree
            row = conn.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = 'index_queue'"
            ).fetchone()
            watermark = row[0] if row else 0
            total = conn.execute(
                "SELECT count(*) FROM articles WHERE trashed_at = ''").fetchone()[0]
            prog = (lambda n, t: progress(n, t, "indexing")) if progress else None
            done = idx.rebuild(
                self._index_docs(conn), total=total, progress=prog, cancelled=cancelled,
                watermark=watermark,
            )
            conn.execute("COMMIT")
            return done
        finally:
            conn.close()

    def sync_index(self) -> None:
        """Apply queued changes to the index (opening it first if needed).

        Called after a database commit, so it never raises: if the index cannot be updated now
        (locked by another process, disk full, damaged) the change stays in the queue, the user
        gets a message, and the next use of the index catches up (rebuilding it if damaged)."""
        if self.readonly:
            return
        if self._index is not None:
            if not self._index_lock.acquire(timeout=0.2):
                # another thread is applying a batch (an import): it or the next drain (at the
                # latest the next search) applies this change too; the queue keeps it
                return
            self._index_lock.release()
        try:
            self.index()
        except Exception as e:
            self._index_failed(e)

    def _index_failed(self, e: Exception) -> None:
        from index import IndexProblem

        if isinstance(e, IndexBusy) or (
            isinstance(e, IndexProblem) and e.reason.startswith("locked")
        ):
            what = "busy (another Pizhu is writing to it)"
        else:
            what = f"not updated ({type(e).__name__}: {e})"
            log.warning("index update failed", exc_info=e)
            with self._index_lock:  # look at it again on the next use
                if self._index is not None:
                    with contextlib.suppress(Exception):
                        self._index.close()
                    self._index = None
                if not isinstance(e, OSError | LibraryError | IndexProblem):
                    self._index_damage = f"{type(e).__name__}: {e}"
        self.messages.append(
            f"{self.index_path}: search index {what}; the change is saved and will be indexed"
            " later"
        )
        log.warning(self.messages[-1])

    def _drain_queue(self) -> None:
        idx = self._index
        if idx is None or self.readonly:
            return
        conn = self.store.reader()
        rows = conn.execute(
            "SELECT seq, article_id, op, attempts, what FROM index_queue WHERE seq > ?"
            " ORDER BY seq",
            (idx.watermark,),
        ).fetchall()
        if rows:
            last = rows[-1]["seq"]
            ids = sorted({r["article_id"] for r in rows})
            self._count_attempt(rows)
            present = {  # an article in the trash is out of the index
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(ids))})"
                    " AND trashed_at = ''", ids
                )
            }
            full = {r["article_id"] for r in rows if r["what"] == "all"}
            notes_only = {r["article_id"] for r in rows if r["what"] == "notes"} - full
            hl = sorted({r["what"][3:] for r in rows if r["what"].startswith("hl:")
                         and r["article_id"] in present and r["article_id"] not in full})
            docs = list(self._index_docs(conn, sorted((full | notes_only) & present)))
            try:
                idx.update(docs, delete_ids=[i for i in ids if i not in present],
                           watermark=last, annotations_only=notes_only,
                           highlights=self._highlight_docs(conn, hl))
            except Exception:
                # an ordinary failure (disk full, a lock) is no sign of a poisoned job: only
                # attempts that never came back (the process killed) count towards parking
                with contextlib.suppress(LibraryError, sqlite3.Error), self.store.transaction() as w:
                    w.execute("UPDATE index_queue SET attempts = max(0, attempts - 1)"
                              " WHERE seq >= ? AND seq <= ?", (rows[0]["seq"], last))
                raise
            self._notify("index")
        with self.store.transaction() as w:
            w.execute("DELETE FROM index_queue WHERE seq <= ?", (idx.watermark,))

    def _count_attempt(self, rows: list[sqlite3.Row]) -> None:
        """Count this attempt at the queued jobs before making it (committed, so that a process
        killed in it still counted it). A job already tried :data:`PARK_AFTER` times without
        finishing (the process died, hung and was stopped, ran out of memory) is parked if its
        article is long enough to be the cause (:data:`PARK_MIN_CHARS`): the article is kept and
        readable, indexed by its title only, and the user is told."""
        stuck = sorted({r["article_id"] for r in rows if r["attempts"] >= PARK_AFTER})
        if stuck:  # only a long text can make indexing itself fail (kills hit small ones too)
            stuck = [r[0] for r in self.store.reader().execute(
                f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(stuck))})"
                " AND length(body) >= ?", (*stuck, PARK_MIN_CHARS))]
        with self.store.transaction() as w:
            w.execute(
                "UPDATE index_queue SET attempts = attempts + 1 WHERE seq >= ? AND seq <= ?",
                (rows[0]["seq"], rows[-1]["seq"]),
            )
            for aid in stuck:
                w.execute(
                    "INSERT OR REPLACE INTO index_parked(article_id, reason, parked_at)"
                    " SELECT id, ?, ? FROM articles WHERE id = ?",
                    (f"indexing it did not finish {PARK_AFTER} times", now_iso(), aid),
                )
        for aid in stuck:
            row = self.store.reader().execute(
                "SELECT title FROM articles WHERE id = ?", (aid,)
            ).fetchone()
            if row is not None:
                self.messages.append(
                    f"article {aid} (“{row['title'][:40]}”) could not be indexed: indexing it did"
                    f" not finish {PARK_AFTER} times. It is kept and can be read; search finds it"
                    " by its title only until its text changes."
                )
                log.warning(self.messages[-1])

    def parked(self) -> list[tuple[int, str]]:
        """Articles whose text is not searchable (see _count_attempt): (id, reason)."""
        return [(r[0], r[1]) for r in self.store.reader().execute(
            "SELECT article_id, reason FROM index_parked ORDER BY article_id")]

    def reindex(self, *, progress: Progress | None = None, cancelled: Cancelled | None = None) -> bool:
        """Rebuild the search index from the database. Returns False if cancelled."""
        with self._index_lock, self._index_writes(INDEX_LOCK_WAIT):
            if self._index is not None:
                self._index.close()
                self._index = None
            idx = self._new_index()
            try:
                done = self._rebuild_into(idx, progress, cancelled)
            except OSError as e:
                raise LibraryError(f"{self.index_path}: cannot rebuild the search index"
                                   f" ({_os_reason(e)})") from None
            finally:
                idx.close()
            self.index()
            return done

    def search(
        self, query: str, *, limit: int = 20, with_snippets: bool = True
    ) -> tuple[list[SearchHit], int]:
        """Full-text search. Raises index.QueryError (a ValueError) for malformed queries."""
        from index import QueryError

        idx = self.index(wait=False)
        try:
            res = idx.search(query, limit=limit, with_snippets=with_snippets, text_of=self.bodies)
        except QueryError:
            raise
        except Exception as e:  # damage that only reading the postings shows: rebuild, retry
            with self._index_lock:
                if self._index is idx:
                    with contextlib.suppress(Exception):
                        idx.close()
                    self._index = None
                    self._index_damage = f"{type(e).__name__}: {e}"
            idx = self.index()
            res = idx.search(query, limit=limit, with_snippets=with_snippets, text_of=self.bodies)
        ids = [h.id for h in res.hits]
        arts = {a.id: a for a in self.articles(ArticleFilter(ids=ids), limit=None)}
        hits = [
            SearchHit(arts[h.id], h.score, h.title_spans, h.snippets) for h in res.hits
            if h.id in arts
        ]
        # articles in the trash (or gone) that the index still held are not results
        return hits, max(len(hits), res.total - (len(res.hits) - len(hits)))

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        return self.index().match_spans(query, text)

    # ------------------------------------------------------------------ stats
    def stats(self) -> dict:
        conn = self.store.reader()
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "library": str(self.root),
            "articles": one("SELECT count(*) FROM articles"),
            "unread": one("SELECT count(*) FROM articles WHERE read = 0"),
            "sources": one("SELECT count(DISTINCT source) FROM articles"),
            "characters": one("SELECT coalesce(sum(length(body)), 0) FROM articles"),
            "highlights": one("SELECT count(*) FROM highlights WHERE deleted = 0"),
            "notes": one("SELECT count(*) FROM highlights WHERE deleted = 0 AND note != ''"),
            "orphans": one("SELECT count(*) FROM highlights WHERE deleted = 0 AND orphan = 1"),
            "tags": one("SELECT count(*) FROM tags"),
            "files_imported": one("SELECT count(*) FROM imported_files"),
            "index_pending": one("SELECT count(*) FROM index_queue"),
            "database_bytes": self.db_path.stat().st_size if self.db_path.exists() else 0,
            "index_bytes": sum(
                p.stat().st_size for p in self.index_path.glob("**/*") if p.is_file()
            ) if self.index_path.exists() else 0,
        }


# ---------------------------------------------------------------------- helpers
def _delete_article_row(tx: Tx, article_id: int) -> None:
    """Delete an article for good (its highlights, tags and versions go with it)."""
    row = tx.execute("SELECT uuid FROM articles WHERE id = ?", (article_id,)).fetchone()
    tx.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    if row is not None:
        tx.article_deleted(article_id, row[0])


def _context(body: str, start: int, end: int) -> tuple[str, str]:
    return body[max(0, start - CONTEXT_CHARS):start], body[end:end + CONTEXT_CHARS]


#: An import's index batches: about a tenth of the import, within these bounds (characters).
#: Every batch adds segments that later commits merge (Python work per term and segment), so
#: batches are big: ~4 s of both cores' work at the least.
INDEX_BATCH_MIN_CHARS = 500_000
INDEX_BATCH_MAX_CHARS = 4_000_000
#: Imports of at least this many characters start the index's worker processes (~1 s).
INDEX_WORKERS_MIN_CHARS = 300_000


def _index_batch_chars(total_chars: int) -> int:
    """Characters per index batch for an import of ``total_chars``: ~10 batches (so searches see
    the import grow, and its last files cost what its first did), each big enough that the
    fixed cost of a commit stays small."""
    return max(INDEX_BATCH_MIN_CHARS, min(INDEX_BATCH_MAX_CHARS, total_chars // 10))


def _name_text(path: Path) -> str:
    """A file's name as text that SQLite can store (undecodable bytes escaped)."""
    return _path_text(Path(path.name))


def _indexed_tags(names: Iterable[str]) -> list[str]:
    """Tags as indexed: each with its ancestors (hierarchical tags, reader.core.tags)."""
    from reader.core.tags import tag_with_ancestors

    out: dict[str, None] = {}
    for n in names:
        for t in tag_with_ancestors(n):
            if t:
                out[t] = None
    return list(out)


def _check_note(note: str) -> None:
    if len(note) > MAX_NOTE_CHARS:
        raise LibraryError(
            f"the note is too long ({len(note):,} characters; the limit is {MAX_NOTE_CHARS:,})"
        )


def _total_chars(candidates: Sequence[tuple[Path, str | None]]) -> int:
    """Roughly the characters of these files (UTF-8 Chinese: ~3 bytes each)."""
    size = 0
    for p, problem in candidates:
        if not problem:
            with contextlib.suppress(OSError):
                size += os.stat(p).st_size
    return size // 3


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    # O_NONBLOCK: opening a FIFO named on the command line must not hang the import
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    with open(fd, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _scrub(s: str) -> str:
    """Text SQLite can store: a lone surrogate (e.g. from a JSON ``"\\ud800"`` escape) cannot be
    encoded as UTF-8 and becomes U+FFFD; a surrogate pair split into two code points is joined."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s


def _scrub_draft(d: ArticleDraft) -> ArticleDraft:
    fields = ("title", "subtitle", "byline", "source", "date", "url", "external_id")
    clean = {f: _scrub(getattr(d, f)).replace("\x00", "") for f in fields}
    return dataclasses.replace(d, body=_scrub(d.body), **clean)


def _path_text(path: Path) -> str:
    """A path as storable text: undecodable bytes of a file name (surrogate-escaped by Python)
    are kept as ``\\xNN`` instead of breaking the UTF-8 database."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _os_reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


def _userdict() -> Path | None:
    p = pathsmod.resources_dir() / "jieba_userdict.txt"
    return p if p.exists() else None


def _empty_file(db: Path) -> bool:
    try:
        return db.stat().st_size == 0 and not db.with_name(db.name + "-wal").exists()
    except OSError:
        return False


def _backup_hint(root: Path) -> str:
    folder = root / "backups"
    try:
        auto = sorted(folder.glob("pizhu-auto-????-??-??.zip"))  # reader.core.backup.auto_backup
        other = sorted(folder.glob("*.zip"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return ""
    if auto:
        return f". The latest automatic backup is {auto[-1]} (restore it with `pizhu restore`)."
    if other:
        return f". The latest backup is {other[-1]} (restore it with `pizhu restore`)."
    return ""
