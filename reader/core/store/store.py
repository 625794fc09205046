"""The one write path: :meth:`Store.transaction` yields a :class:`Tx` that records what changed.

Every write of the library happens inside ``with store.transaction() as tx:`` — one SQLite
transaction (``BEGIN IMMEDIATE`` … ``COMMIT``) on the single writer connection, under one lock.
The code that writes says *what* it changed (``tx.article_changed(id)``,
``tx.highlight_changed(uuid, article_id)``, ``tx.enqueue(id)`` for the search index …) and
nothing else: the store runs its hooks with the :class:`Changes` record —

- ``before_commit(tx)``: inside the transaction, after the block, before ``COMMIT`` (what must
  commit atomically with the change: a sync log entry);
- ``after_commit(changes)``: once, after ``COMMIT`` and after the write lock is released (what
  is derived from the change: the search index catching up, the window refreshing).

So no write block remembers by hand to update the index or tell the window (Anki's
``OpChanges``, calibre's listeners). Reads use one read-only connection per thread, which WAL
lets run beside the writer.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from reader.core.errors import LibraryError, ReadOnlyLibrary, WriteFailed
from reader.core.store.db import connect

log = logging.getLogger(__name__)

Params = Sequence[object] | Mapping[str, object]


class Executes(Protocol):
    """What read helpers need: a connection or a transaction."""

    def execute(self, sql: str, parameters: Params = ..., /) -> sqlite3.Cursor: ...


@dataclass
class Changes:
    """What one committed transaction (or a batch of them) changed.

    ``articles``: added, or text / metadata / trash state changed; ``articles_deleted``:
    deleted for good (id → uuid); ``highlights`` / ``highlights_deleted``: uuids;
    ``highlight_articles``: the articles those highlights are on; ``article_tags``: articles
    whose own tags changed; ``tags``: tag names changed (rename, merge, delete); ``read``:
    read state changed; ``reading``: read state or reading position changed; ``index``:
    articles queued for the search index."""

    articles: set[int] = field(default_factory=set)
    articles_deleted: dict[int, str] = field(default_factory=dict)
    highlights: set[str] = field(default_factory=set)
    highlights_deleted: set[str] = field(default_factory=set)
    highlight_articles: set[int] = field(default_factory=set)
    article_tags: set[int] = field(default_factory=set)
    tags: bool = False
    read: set[int] = field(default_factory=set)
    reading: set[int] = field(default_factory=set)
    index: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(
            self.articles or self.articles_deleted or self.highlights or self.highlights_deleted
            or self.article_tags or self.tags or self.reading or self.index
        )

    def update(self, other: Changes) -> None:
        """Add ``other``'s changes to these (a batch of transactions reported once)."""
        self.articles |= other.articles
        self.articles_deleted.update(other.articles_deleted)
        self.highlights |= other.highlights
        self.highlights_deleted |= other.highlights_deleted
        self.highlight_articles |= other.highlight_articles
        self.article_tags |= other.article_tags
        self.tags = self.tags or other.tags
        self.read |= other.read
        self.reading |= other.reading
        self.index |= other.index


class Tx:
    """One open write transaction: run SQL with :meth:`execute`, record what changed."""

    def __init__(self, conn: sqlite3.Connection, origin: str) -> None:
        self.conn = conn
        self.origin = origin  # "local", or "sync" while applying another device's changes
        self.changes = Changes()

    # ---------------------------------------------------------------- SQL
    def execute(self, sql: str, parameters: Params = (), /) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def executemany(self, sql: str, rows: Iterable[Params], /) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    # ---------------------------------------------------------------- what changed
    def enqueue(self, article_id: int, op: str = "upsert", *, notes: bool = False,
                highlight: str = "") -> None:
        """Queue an article for the search index (applied after the commit); ``notes``: only
        its own tags changed; ``highlight``: only that highlight (uuid) changed."""
        what = f"hl:{highlight}" if highlight else "notes" if notes else "all"
        self.conn.execute(
            "INSERT INTO index_queue(article_id, op, what) VALUES (?, ?, ?)",
            (article_id, op, what),
        )
        self.changes.index.add(article_id)

    def article_changed(self, article_id: int, *, index: bool = True) -> None:
        """An article was added, or its text, metadata or trash state changed."""
        self.changes.articles.add(article_id)
        if index:
            self.enqueue(article_id)

    def article_deleted(self, article_id: int, uuid: str) -> None:
        """An article is gone for good (or out of the index: see :meth:`article_trashed`)."""
        self.changes.articles.discard(article_id)
        self.changes.articles_deleted[article_id] = uuid
        self.enqueue(article_id, "delete")

    def article_trashed(self, article_id: int) -> None:
        self.changes.articles.add(article_id)
        self.enqueue(article_id, "delete")

    def article_tags_changed(self, article_id: int, *, index: bool = True) -> None:
        self.changes.article_tags.add(article_id)
        if index:
            self.enqueue(article_id, notes=True)

    def highlight_changed(self, uuid: str, article_id: int, *, deleted: bool = False) -> None:
        (self.changes.highlights_deleted if deleted else self.changes.highlights).add(uuid)
        self.changes.highlight_articles.add(article_id)
        self.enqueue(article_id, highlight=uuid)

    def highlights_changed(self, article_id: int, uuids: Iterable[str]) -> None:
        """Many highlights of one article changed: the article is re-indexed whole."""
        self.changes.highlights.update(uuids)
        self.changes.highlight_articles.add(article_id)
        self.enqueue(article_id)

    def tags_changed(self) -> None:
        """Tag names changed (rename, merge, delete, restore)."""
        self.changes.tags = True

    def read_changed(self, article_id: int) -> None:
        self.changes.read.add(article_id)
        self.changes.reading.add(article_id)

    def position_changed(self, article_id: int) -> None:
        self.changes.reading.add(article_id)


BeforeCommit = Callable[[Tx], None]
AfterCommit = Callable[[Changes], None]


class Store:
    """The library database: one writer connection behind :meth:`transaction`, one read-only
    connection per reading thread (:meth:`reader`)."""

    def __init__(self, db_path: Path, conn: sqlite3.Connection, *, readonly: bool = False) -> None:
        self.db_path = db_path
        self.readonly = readonly
        self._writer = conn
        self._lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False
        self.before_commit: list[BeforeCommit] = []
        self.after_commit: list[AfterCommit] = []

    # ---------------------------------------------------------------- reading
    def reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (the writer's, on the main thread of a read-only
        library)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise LibraryError("the library is closed")
            if threading.current_thread() is threading.main_thread() and self.readonly:
                conn = self._writer
            else:
                conn = connect(self.db_path, readonly=True)
                with self._readers_lock:
                    self._readers.append(conn)
            self._local.conn = conn
        return conn

    # ---------------------------------------------------------------- writing
    @contextlib.contextmanager
    def transaction(self, origin: str = "local") -> Iterator[Tx]:
        """The one place database writes happen: one transaction, one lock. After the commit
        the ``after_commit`` hooks hear what changed (once per outermost :meth:`batch`)."""
        if self.readonly:
            raise ReadOnlyLibrary(f"{self.db_path.parent}: the library is open read-only")
        with self._lock:
            conn = self._writer
            if conn.in_transaction:
                raise RuntimeError("store.transaction() is not re-entrant")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:  # locked by another process, I/O error
                raise WriteFailed(f"{self.db_path}: could not save ({e})") from None
            tx = Tx(conn, origin)
            try:
                yield tx
                for hook in list(self.before_commit):
                    hook(tx)
            except BaseException as e:
                # after SQLITE_FULL or an I/O error SQLite may already have rolled back
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.OperationalError) or type(e) is sqlite3.DatabaseError:
                    raise WriteFailed(f"{self.db_path}: could not save ({e})") from None
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.OperationalError as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise WriteFailed(f"{self.db_path}: could not save ({e})") from None
        self._committed(tx.changes)

    @contextlib.contextmanager
    def batch(self) -> Iterator[Changes]:
        """Hold back the ``after_commit`` hooks of this thread's transactions until the block
        ends, then run them once with everything that changed (an import of thousands of
        files). The caller may edit the yielded record (e.g. clear ``index`` when it brought
        the index up to date itself)."""
        held: Changes | None = getattr(self._local, "held", None)
        if held is not None:  # nested: the outer batch reports
            yield held
            return
        held = self._local.held = Changes()
        try:
            yield held
        finally:
            self._local.held = None
            self._run_hooks(held)

    def _committed(self, changes: Changes) -> None:
        held: Changes | None = getattr(self._local, "held", None)
        if held is not None:
            held.update(changes)
        else:
            self._run_hooks(changes)

    def _run_hooks(self, changes: Changes) -> None:
        if not changes:
            return
        for hook in list(self.after_commit):
            try:
                hook(changes)
            except Exception:  # the change is saved: a derived view failing must not undo it
                log.exception("after-commit hook failed")

    # ---------------------------------------------------------------- closing
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._readers_lock:
            for c in self._readers:
                c.close()
            self._readers.clear()
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._writer.execute("PRAGMA optimize")
            self._writer.close()

    @property
    def closed(self) -> bool:
        return self._closed
