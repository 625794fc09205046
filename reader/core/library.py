"""The library: one folder holding ``library.db`` (SQLite, the truth) and ``index/`` (Whoosh,
derived). :class:`Library` is the public API the CLI and the GUI share: a thin facade over

- :mod:`reader.core.store` — the one write path (``store.transaction()`` records what changed),
- :mod:`reader.core.queries` (reads), :mod:`reader.core.editing` (articles: text, merge,
  split, details, trash), :mod:`reader.core.tagging`, :mod:`reader.core.annotating`
  (highlights), :mod:`reader.core.importing` (files in) and :mod:`reader.core.search_index`
  (the derived index and its queue).

After every commit the library's after-commit hook brings the index up to date and tells the
listeners, once: no write remembers that by hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core import annotating, editing, queries, tagging
from reader.core import paths as pathsmod
from reader.core.errors import IndexBusy, LibraryError
from reader.core.events import Listener, Listeners
from reader.core.importing import MAX_ARTICLE_CHARS, Importer
from reader.core.manage import TagChange, TagSnapshot, TrashEntry
from reader.core.model import (
    NO_SOURCE,
    TRASH,
    Article,
    ArticleFilter,
    FileReport,
    Highlight,
    ImportSummary,
    SearchHit,
    TagCount,
    content_hash,
    now_iso,
)
from reader.core.search_index import INDEX_DIR, IndexKeeper
from reader.core.store import Changes, Connection, Store
from reader.core.store.db import StoreError, connect
from reader.core.structure import Image, Structure
from reader.core.tags import clean_tags

if TYPE_CHECKING:
    from index import SearchIndex

__all__ = [
    "MAX_ARTICLE_CHARS", "NO_SOURCE", "TRASH", "ArticleFilter", "ImportSummary", "IndexBusy",
    "Library", "LibraryError", "SearchHit", "TagCount", "clean_tags", "content_hash", "now_iso",
]

DB_NAME = "library.db"
MAX_NOTE_CHARS = annotating.MAX_NOTE_CHARS

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class Library:
    """An open library. Create with :meth:`Library.open`; close with :meth:`close` (or ``with``)."""

    ORDERS = queries.ORDERS  # the orders :meth:`articles` takes

    def __init__(self, root: Path, conn: Connection, *, readonly: bool = False) -> None:
        self.root = root
        self.readonly = readonly
        self.store = Store(root / DB_NAME, conn, readonly=readonly)
        self.messages: list[str] = []  # notices for the user (index rebuilt, …)
        self.listeners = Listeners()
        self.search_index = IndexKeeper(self.store, root, self.listeners, self.messages)
        self.importer = Importer(self.store, root, self.search_index, self.listeners)
        self.store.after_commit.append(self._after_commit)
        self._closed = False

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
        self.search_index.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ change notifications
    def subscribe(self, listener: Listener) -> None:
        """``listener(kind, payload)`` after each committed change: kind is 'articles',
        'article' (id), 'highlights' (article id), 'tags' or 'index'. Called on the writing thread."""
        self.listeners.subscribe(listener)

    def _notify(self, kind: str, payload: object = None) -> None:
        self.listeners.notify(kind, payload)

    def _after_commit(self, changes: Changes) -> None:
        """After every committed write (once per import): the window hears about the
        highlights first, then the search index catches up, then the rest is announced."""
        for aid in sorted(changes.highlight_articles):
            self._notify("highlights", aid)
        tags = bool(changes.highlight_articles or changes.tags or changes.article_tags)
        if changes.highlight_articles:
            self._notify("tags")
        if changes.index:
            self.search_index.sync()
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
        """Import files and folders; one transaction per file; a report line per file (see
        :meth:`reader.core.importing.Importer.import_paths`)."""
        return self.importer.import_paths(paths, progress=progress, cancelled=cancelled,
                                          update_index=update_index, source=source, date=date,
                                          on_file=on_file)

    # ------------------------------------------------------------------ reading, writing
    def article(self, article_id: int) -> Article:
        return queries.article(self.store, article_id)

    def find_article(self, ref: str | int) -> int | None:
        """The id of the article ``ref`` names: its number, its uuid, or a unique uuid prefix (as
        links and the CLI give them); None if no single article matches."""
        return queries.find_article(self.store, ref)

    def bodies(self, ids: Sequence[int]) -> dict[int, str]:
        return queries.bodies(self.store, ids)

    def articles(
        self, flt: ArticleFilter | None = None, *, order: str = "date", descending: bool = True,
        limit: int | None = None, offset: int = 0,
    ) -> list[Article]:
        return queries.articles(self.store, flt, order=order, descending=descending, limit=limit, offset=offset)

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        return queries.count_articles(self.store, flt)

    def sources(self) -> list[tuple[str, int]]:
        return queries.sources(self.store)

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        return queries.versions(self.store, article_id)

    def trash(self) -> list[TrashEntry]:
        """The articles in the trash, most recently deleted first."""
        return queries.trash(self.store)

    def date_range(self) -> tuple[str, str]:
        """(oldest, newest) article date outside the trash, '' when no article has one (the date
        filter's calendar opens at the newest)."""
        return queries.date_range(self.store)

    def tags(self) -> list[TagCount]:
        return queries.tags(self.store)

    def tag_tree(self) -> list[TagCount]:
        """Every tag and every parent level of a nested tag (``政策`` for ``政策/京津冀``, also when nobody
        uses ``政策`` alone), sorted by name, each counting the articles and highlights that carry it
        or a tag under it (each once), as selecting it finds them. Articles in the trash do not
        count. One grouped query, plus one per parent level."""
        return queries.tag_tree(self.store)

    def highlights(
        self, *, article_id: int | None = None, tags: Sequence[str] = (), any_tag: bool = False,
        text: str = "", include_deleted: bool = False, orphans: bool | None = None,
        order: str = "newest", limit: int | None = None,
    ) -> list[Highlight]:
        """Highlights filtered by article, tags (all of them, or any with ``any_tag``) and a substring
        of quote or note. ``order``: 'newest' | 'article' (by article then position)."""
        return queries.highlights(self.store, article_id=article_id, tags=tags, any_tag=any_tag, text=text, include_deleted=include_deleted, orphans=orphans, order=order, limit=limit)

    def highlight(self, uuid: str) -> Highlight:
        return queries.highlight(self.store, uuid)

    def article_details(self, ids: Sequence[int]) -> dict[int, dict[str, object]]:
        """The editable fields and tags of articles, as :meth:`set_article_details` takes them (the
        GUI keeps them to undo an edit)."""
        return queries.article_details(self.store, ids)

    def structure(self, article_id: int) -> Structure:
        """An article's headings, quotes, list items, captions, emphasis and pictures over its stored
        text (empty when it has none, or when its text changed since). Image ``file``s are relative
        to :attr:`root`."""
        return queries.article_structure(self.store, article_id)

    def set_read(self, article_id: int, read: bool = True) -> None:
        return editing.set_read(self.store, article_id, read)

    def set_position(self, article_id: int, position: int) -> None:
        return editing.set_position(self.store, article_id, position)

    def delete_article(self, article_id: int) -> None:
        return editing.delete_article(self.store, article_id)

    def merge_with_previous(self, article_id: int) -> int:
        """Append an article to the one before it on the same page; its highlights move along. Returns
        the id of the merged article."""
        return editing.merge_with_previous(self.store, article_id)

    def split_article(self, article_id: int, at: int) -> int:
        """Split an article at code point ``at`` (moved to the start of its line): the line there
        becomes the title of a new article holding the rest. Returns the new article's id."""
        return editing.split_article(self.store, article_id, at)

    def merge_into(self, target_id: int, article_id: int) -> int:
        """Append article ``article_id`` to ``target_id`` as :meth:`merge_with_previous` does (title
        line, body, highlights, tags, origins), whatever their page order: the undo of a split
        names both articles, where "the previous article on the page" can tie (all the articles of
        one export file share its page index). Returns ``target_id``."""
        return editing.merge_into(self.store, target_id, article_id)

    def edit_article(
        self, ids: Iterable[int], *, title: str | None = None, subtitle: str | None = None,
        source: str | None = None, date: str | None = None, byline: str | None = None,
        url: str | None = None, add_tags: Iterable[str] = (), remove_tags: Iterable[str] = (),
    ) -> int:
        """Set details of one or many articles (None leaves a field as it is; '' clears it) and
        add/remove article tags, in one transaction. ``date`` may be typed loosely (``2026-1-5``)
        and is stored as ``2026-01-05``; a bad date or an empty title raises LibraryError and
        changes nothing. Returns how many articles changed."""
        return editing.edit_article(self.store, ids, title=title, subtitle=subtitle, source=source, date=date, byline=byline, url=url, add_tags=add_tags, remove_tags=remove_tags)

    def set_article_details(self, details: dict[int, dict[str, object]]) -> int:
        """Put articles' fields and tags back as :meth:`article_details` returned them (undo of
        :meth:`edit_article`); articles that no longer exist are skipped."""
        return editing.set_article_details(self.store, details)

    def delete_articles(self, ids: Iterable[int]) -> int:
        """Move articles to the trash: they leave lists, search and recall but keep their highlights
        and tags until :meth:`empty_trash`; :meth:`restore_articles` brings them back. Returns how
        many were moved (articles already in the trash are not counted)."""
        return editing.delete_articles(self.store, ids)

    def restore_articles(self, ids: Iterable[int]) -> int:
        """Take articles out of the trash (undo of :meth:`delete_articles`). Returns how many."""
        return editing.restore_articles(self.store, ids)

    def empty_trash(self, ids: Iterable[int] | None = None) -> int:
        """Delete the articles in the trash for good (only ``ids`` of them if given), with their
        highlights and versions. Returns how many were deleted. Cannot be undone."""
        return editing.empty_trash(self.store, ids)

    def fill_title_sort_keys(self, limit: int | None = None) -> int:
        """Store the pinyin sort key (reader.core.text.title_sort_key) of every title that has none
        yet: new articles, retitled ones (a trigger clears the key when a title changes), a library
        from before the column. Returns how many were filled; run it off the GUI thread (about 10
        µs a character)."""
        return editing.fill_title_sort_keys(self.store, limit)

    def set_article_tags(self, article_id: int, tags: Iterable[str]) -> list[str]:
        return tagging.set_article_tags(self.store, article_id, tags)

    def rename_tag(self, old: str, new: str) -> TagChange:
        """Rename a tag and every tag under it (``政策`` -> ``时政`` makes ``政策/京津冀`` ``时政/京津冀``); onto an
        existing name the two merge. Undo: :meth:`restore_tags` with the returned ``undo``."""
        return tagging.rename_tag(self.store, old, new)

    def merge_tags(self, sources: Iterable[str], target: str, *, _rename: bool = False) -> TagChange:
        """Merge tags into ``target``: everything tagged with a source (or a tag under it) gets the
        target (or the same tag under the target) instead. Returns counts and the undo."""
        return tagging.merge_tags(self.store, sources, target, _rename=_rename)

    def delete_tag(self, name: str) -> TagChange:
        """Remove a tag and every tag under it from all articles and highlights. Returns counts and
        the undo (:meth:`restore_tags`)."""
        return tagging.delete_tag(self.store, name)

    def restore_tags(self, snapshot: TagSnapshot) -> None:
        """Undo a rename/merge/delete: the tags of ``snapshot.before`` get exactly their old
        assignments (articles and highlights that no longer exist are skipped), the tags the change
        created are removed."""
        return tagging.restore_tags(self.store, snapshot)

    def add_highlight(
        self, article_id: int, start: int, end: int, *, color: str = "yellow", note: str = "",
        tags: Iterable[str] = (), uuid: str | None = None,
    ) -> Highlight:
        """Highlight ``body[start:end]`` (code points into the stored text)."""
        return annotating.add_highlight(self.store, article_id, start, end, color=color, note=note, tags=tags, uuid=uuid)

    def update_highlight(
        self, uuid: str, *, color: str | None = None, note: str | None = None,
        tags: Iterable[str] | None = None, start: int | None = None, end: int | None = None,
    ) -> Highlight:
        """Change a highlight's colour, note, tags or (re-attach) its range."""
        return annotating.update_highlight(self.store, uuid, color=color, note=note, tags=tags, start=start, end=end)

    def delete_highlight(self, uuid: str, *, deleted: bool = True) -> None:
        """Mark a highlight deleted (``deleted=False`` undoes it). Rows are never dropped here."""
        return annotating.delete_highlight(self.store, uuid, deleted=deleted)

    def image_path(self, image: Image) -> Path | None:
        """The picture's file in this library, or None for a remote-only picture."""
        if not image.file or ".." in Path(image.file).parts or Path(image.file).is_absolute():
            return None
        return self.root / str(image.file)

    # ------------------------------------------------------------------ search index
    def index(
        self, *, progress: Progress | None = None, cancelled: Cancelled | None = None,
        wait: bool = True,
    ) -> SearchIndex:
        """The open search index, opened (and repaired if needed) on first use, with the queued
        changes applied (see :meth:`reader.core.search_index.IndexKeeper.index`)."""
        return self.search_index.index(progress=progress, cancelled=cancelled, wait=wait)

    def verify_index(self) -> str | None:
        """Read the whole search index and check it; a damaged one is rebuilt. None when sound,
        else the message given to the user."""
        return self.search_index.verify()

    def sync_index(self) -> None:
        """Apply queued changes to the index now (never raises; see IndexKeeper.sync)."""
        self.search_index.sync()

    def parked(self) -> list[tuple[int, str]]:
        """Articles whose text is not searchable (indexing them never finished): (id, reason)."""
        return self.search_index.parked()

    def reindex(self, *, progress: Progress | None = None, cancelled: Cancelled | None = None) -> bool:
        """Rebuild the search index from the database. Returns False if cancelled."""
        return self.search_index.reindex(progress=progress, cancelled=cancelled)

    def search(
        self, query: str, *, limit: int = 20, with_snippets: bool = True
    ) -> tuple[list[SearchHit], int]:
        """Full-text search. Raises index.QueryError (a ValueError) for malformed queries."""
        res = self.search_index.search(query, limit=limit, with_snippets=with_snippets,
                                       text_of=self.bodies)
        ids = [h.id for h in res.hits]
        arts = {a.id: a for a in self.articles(ArticleFilter(ids=ids), limit=None)}
        hits = [
            SearchHit(arts[h.id], h.score, h.title_spans, h.snippets) for h in res.hits
            if h.id in arts
        ]
        # articles in the trash (or gone) that the index still held are not results
        return hits, max(len(hits), res.total - (len(res.hits) - len(hits)))

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        return self.search_index.match_spans(query, text)

    def stats(self) -> dict[str, Any]:
        conn = self.store.reader()

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

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
