"""The search index's life beside the database: opened (checked, repaired or rebuilt) on first
use, kept up to date from the ``index_queue`` that every write fills in its transaction, rebuilt
on demand, one writer at a time across processes (``index.lock``). The index is derived data:
anything wrong with it is repaired from the database, never the other way round."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index import HighlightDoc, IndexDoc, SearchIndex, SearchResults

from reader.core import paths as pathsmod
from reader.core.errors import IndexBusy, LibraryError
from reader.core.events import Listeners
from reader.core.model import (
    now_iso,
)
from reader.core.paths import os_reason
from reader.core.store import DatabaseError, Executes, Row, Store
from reader.core.store.db import connect
from reader.core.store.tags import (
    highlight_tags,
    tags_of_highlights,
)

log = logging.getLogger(__name__)

INDEX_DIR = "index"
INDEX_LOCK = "index.lock"  # serialises index writes between processes (see _index_writes)
INDEX_LOCK_WAIT = 120.0  # seconds to wait to open/rebuild/reindex; draining waits _DRAIN_WAIT
_DRAIN_WAIT = 10.0
PARK_AFTER = 2  # unfinished attempts at an index job before it is parked (see _count_attempt)
PARK_MIN_CHARS = 100_000  # ... if its article is at least this long

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class IndexKeeper:
    """The open search index of one library and the queue that feeds it."""

    def __init__(self, store: Store, root: Path, listeners: Listeners, messages: list[str]) -> None:
        self.store = store
        self.root = root
        self.readonly = store.readonly
        self.listeners = listeners
        self.messages = messages  # notices for the user (index rebuilt, …), shared with the library
        self._index: SearchIndex | None = None
        self._index_lock = threading.RLock()
        self._index_damage: str | None = None  # why the open index must be rebuilt on next use

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_DIR

    @property
    def is_open(self) -> bool:
        return self._index is not None

    def close(self) -> None:
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def queue_seq(self) -> int:
        """The sequence number of the latest change queued for the index (ever)."""
        return self._max_seq()

    def watermark(self) -> int:
        """The last queued change the open index holds (0 if it is not open)."""
        return self._index.watermark if self._index is not None else 0

    def end_batches(self) -> None:
        if self._index is not None:
            self._index.end_batches()

    def search(self, query: str, *, limit: int, with_snippets: bool,
               text_of: Callable[[Sequence[int]], dict[int, str]]) -> SearchResults:
        """Search the index; damage that only reading the postings shows is repaired (rebuilt)
        and the search tried again. Raises index.QueryError for malformed queries."""
        from index import QueryError

        idx = self.index(wait=False)
        res: SearchResults
        try:
            res = idx.search(query, limit=limit, with_snippets=with_snippets, text_of=text_of)
            return res
        except QueryError:
            raise
        except Exception as e:
            with self._index_lock:
                if self._index is idx:
                    with contextlib.suppress(Exception):
                        idx.close()
                    self._index = None
                    self._index_damage = f"{type(e).__name__}: {e}"
            idx = self.index()
            res = idx.search(query, limit=limit, with_snippets=with_snippets, text_of=text_of)
            return res

    def _new_index(self) -> SearchIndex:
        from index import SearchIndex

        return SearchIndex(
            self.index_path, cache_dir=pathsmod.cache_dir() / "jieba",
            userdict=userdict(),
        )

    def index(
        self, *, progress: Progress | None = None, cancelled: Cancelled | None = None,
        wait: bool = True,
    ) -> SearchIndex:
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
                    self.drain()
            except IndexBusy as e:  # search the index as it is; the queue keeps the changes
                self._index_failed(e)
            assert self._index is not None  # _open_index opened it or raised
            return self._index

    def verify(self) -> str | None:
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
                self.drain()
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
        return int(self.store.reader().execute("SELECT count(*) FROM articles").fetchone()[0])

    def _max_seq(self) -> int:
        row = self.store.reader().execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'index_queue'"
        ).fetchone()
        return int(row[0]) if row else 0

    def _index_docs(
        self, conn: Executes, ids: Sequence[int] | None = None
    ) -> Iterator[IndexDoc]:
        """The index documents of articles: the article's fields, its own tags, and each
        highlight with a note or tags (tags with their ancestors, so ``tag:政策`` finds
        ``政策/京津冀``)."""
        from index import HighlightDoc, IndexDoc

        sql = ("SELECT id, title, subtitle, byline, source, date, body FROM articles"
               " WHERE trashed_at = ''")  # the trash is not searched
        args: tuple[int, ...] = ()
        if ids is not None:
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            args = tuple(ids)
        parked = {r[0] for r in conn.execute("SELECT article_id FROM index_parked")}
        for r in conn.execute(sql, args).fetchall() if ids is not None else conn.execute(sql):
            tags = indexed_tags(t[0] for t in conn.execute(
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
                    HighlightDoc(h["uuid"], h["note"], indexed_tags(htags.get(h["id"], [])))
                    for h in hls if h["note"] or htags.get(h["id"])
                ],
            )

    def _highlight_docs(
        self, conn: Executes, uuids: Sequence[str]
    ) -> list[tuple[int, str, HighlightDoc | None]]:
        """(article id, uuid, document or None) of changed highlights, for the index."""
        from index import HighlightDoc

        out = []
        for uuid in uuids:
            h = conn.execute(
                "SELECT id, article_id, note, deleted FROM highlights WHERE uuid = ?", (uuid,)
            ).fetchone()
            if h is None:
                continue
            tags = indexed_tags(highlight_tags(conn, h["id"]))
            doc = None if h["deleted"] or not (h["note"] or tags) else HighlightDoc(
                uuid, h["note"], tags)
            out.append((h["article_id"], uuid, doc))
        return out

    def _rebuild_into(self, idx: SearchIndex, progress: Progress | None, cancelled: Cancelled | None) -> bool:
        conn = connect(self.store.db_path, readonly=True)
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

    def sync(self) -> None:
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

    def drain(self) -> None:
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
                with contextlib.suppress(LibraryError, DatabaseError), self.store.transaction() as w:
                    w.execute("UPDATE index_queue SET attempts = max(0, attempts - 1)"
                              " WHERE seq >= ? AND seq <= ?", (rows[0]["seq"], last))
                raise
            self.listeners.notify("index")
        with self.store.transaction() as w:
            w.execute("DELETE FROM index_queue WHERE seq <= ?", (idx.watermark,))

    def _count_attempt(self, rows: list[Row]) -> None:
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
                                   f" ({os_reason(e)})") from None
            finally:
                idx.close()
            self.index()
            return done

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = self.index().match_spans(query, text)
        return spans

    def begin_batches(self) -> bool:
        """Open the index (not yet draining the queue) and start its segmenting workers."""
        try:
            with self._index_lock:
                if self._index is None:
                    with self._index_writes(INDEX_LOCK_WAIT):
                        self._open_index(None, None)
                if self._index is not None:
                    self._index.begin_batches()
            return True
        except Exception as e:  # the index is derived: the import goes on, the queue keeps it
            self._index_failed(e)
            return False


def indexed_tags(names: Iterable[str]) -> list[str]:
    """Tags as indexed: each with its ancestors (hierarchical tags, reader.core.tags)."""
    from reader.core.tags import tag_with_ancestors

    out: dict[str, None] = {}
    for n in names:
        for t in tag_with_ancestors(n):
            if t:
                out[t] = None
    return list(out)


def userdict() -> Path | None:
    p = pathsmod.resources_dir() / "jieba_userdict.txt"
    return p if p.exists() else None
