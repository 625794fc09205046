"""Importing files: each file parsed, matched to the articles it brought before (by content, see
:mod:`reader.core.identity`), stored in one transaction; the search index catches up in batches
while the next files are read (:class:`Importer`)."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.importers.errors import Reason

from reader.core import editing, structure
from reader.core.errors import LibraryError
from reader.core.events import Listeners
from reader.core.model import (
    ArticleDraft,
    FileReport,
    ImportSummary,
    content_hash,
    now_iso,
)
from reader.core.paths import name_text, path_text
from reader.core.search_index import IndexKeeper
from reader.core.store import DatabaseError, Executes, Row, Store, Tx
from reader.core.store.tags import (
    tag_ids,
)
from reader.core.tags import clean_tags
from reader.core.text import normalize, scrub_surrogates

log = logging.getLogger(__name__)

#: Articles longer than this are refused at import (indexing memory and time stay bounded).
MAX_ARTICLE_CHARS = 1_000_000
#: An import's index batches: about a tenth of the import, within these bounds (characters).
#: Every batch adds segments that later commits merge (Python work per term and segment), so
#: batches are big: ~4 s of both cores' work at the least.
INDEX_BATCH_MIN_CHARS = 500_000
INDEX_BATCH_MAX_CHARS = 4_000_000
#: Imports of at least this many characters start the index's worker processes (~1 s).
INDEX_WORKERS_MIN_CHARS = 300_000

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class Importer:
    """Imports files into one library."""

    def __init__(self, store: Store, root: Path, keeper: IndexKeeper, listeners: Listeners) -> None:
        self.store = store
        self.root = root
        self.keeper = keeper
        self.listeners = listeners

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
            self.keeper.begin_batches())
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
                                batches = batches or self.keeper.begin_batches()
                                # the batch is indexed on a thread (mostly waiting for the
                                # segmenting workers) while this one reads and stores the next
                                if drainer is not None:
                                    drainer.join()
                                self.listeners.flush(heard)
                                drainer = threading.Thread(
                                    target=self._index_batch, args=(heard,), daemon=True,
                                    name="pizhu-index-batch")
                                drainer.start()
                                pending = 0
                        if drainer is not None and not drainer.is_alive():
                            self.listeners.flush(heard)
                finally:
                    if drainer is not None:
                        drainer.join()
                    self.listeners.flush(heard)
                    if not update_index:  # the queue keeps the changes for the next use
                        held.index.clear()
                if any(f.added or f.updated for f in summary.files):
                    with contextlib.suppress(LibraryError, DatabaseError):
                        editing.fill_title_sort_keys(self.store)  # the title order (pinyin) knows new titles
        finally:
            if batches and self.keeper.is_open:
                self.keeper.end_batches()
        if progress:
            progress(total, total, "")
        return summary

    def _index_batch(self, heard: list[tuple[str, object]]) -> None:
        """Apply the queue on an import's index thread. Its notifications are handed to the
        importing thread (listeners — the GUI's signals — hear from the threads they know)."""
        with self.listeners.deferred(heard):
            self.keeper.sync()
            heard.append(("articles", None))

    def _import_one(
        self, path: Path, problem: Reason | None, *, source: str, date: str
    ) -> FileReport:
        from reader.core.importers import MAX_FILE_BYTES, ImportFailure, parse_file, read_limited
        from reader.core.importers.errors import Code, Reason

        if problem:
            return FileReport(str(path), "failed", **problem.fields())
        try:  # read once: the digest and the parse are of the same bytes
            data = read_limited(path, MAX_FILE_BYTES)
        except ImportFailure as e:
            return FileReport(str(path), "failed", **e.why.fields())
        digest = hashlib.sha256(data).hexdigest()
        if self._file_seen(digest, path):
            return FileReport(str(path), "unchanged", **Reason(Code.ALREADY_IMPORTED).fields())
        try:
            parsed = parse_file(path, data=data)
        except ImportFailure as e:
            return FileReport(str(path), "failed", **e.why.fields())
        del data
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
        except (DatabaseError, LibraryError) as e:
            return FileReport(str(path), "failed",
                              **Reason(Code.NOT_SAVED, {"message": str(e)}).fields())
        except Exception as e:  # a bug must cost one file, not the whole import
            log.exception("storing %s failed", path_text(path))
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
            (path_text(path),),
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
                (digest, path_text(path), fmt, len(drafts), stamp),
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
        src = path_text(path)
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

        def add(rows: Iterable[Row]) -> None:
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
        add(conn.execute(sql + "o.file_name = ? LIMIT 500", (name_text(path),)))
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

        title, body = self._draft_text(d)  # d was scrubbed in _import_one
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
                editing.replace_text(tx, row["id"], title, body,
                                   reason=f"re-imported from {name_text(path)}", meta=meta)
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
                body, chash, path_text(path), d.page_index, stamp, stamp, meta["kicker"],
                meta["page"],
            ),
        )
        article_id = int(cur.lastrowid or 0)
        tx.execute(
            "INSERT INTO article_origins(article_id, hash, title, body, source_file, file_name,"
            " seq, key) VALUES (?,?,?,NULL,?,?,?,?)",
            (article_id, chash, title, path_text(path), name_text(path), d.page_index, key),
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
            (article_id, chash, title, path_text(path), name_text(path), seq, key),
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
                editing.replace_text(tx, r["article_id"], new_title, new_cur,
                                   reason=f"re-imported from {name_text(path)}",
                                   meta=None if diverged else meta)
                if not diverged:
                    structure.save(tx.conn, self.root, r["article_id"], d)
                changed += 1
            tx.execute(
                "UPDATE article_origins SET hash = ?, title = ?, body = ?, source_file = ?,"
                " file_name = ?, seq = ? WHERE id = ?",
                (chash, title, body if diverged else None, path_text(path), name_text(path),
                 d.page_index, r["id"]),
            )
        return "updated" if changed else "unchanged"


def _index_batch_chars(total_chars: int) -> int:
    """Characters per index batch for an import of ``total_chars``: ~10 batches (so searches see
    the import grow, and its last files cost what its first did), each big enough that the
    fixed cost of a commit stays small."""
    return max(INDEX_BATCH_MIN_CHARS, min(INDEX_BATCH_MAX_CHARS, total_chars // 10))


def _total_chars(candidates: Sequence[tuple[Path, object]]) -> int:
    """Roughly the characters of these files (UTF-8 Chinese: ~3 bytes each)."""
    size = 0
    for p, problem in candidates:
        if not problem:
            with contextlib.suppress(OSError):
                size += os.stat(p).st_size
    return size // 3


def _scrub_draft(d: ArticleDraft) -> ArticleDraft:
    def clean(s: str) -> str:
        return scrub_surrogates(s).replace("\x00", "")

    return dataclasses.replace(
        d, body=scrub_surrogates(d.body), title=clean(d.title), subtitle=clean(d.subtitle),
        byline=clean(d.byline), source=clean(d.source), date=clean(d.date), url=clean(d.url),
        external_id=clean(d.external_id))
