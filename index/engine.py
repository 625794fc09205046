"""SearchIndex: the one object the rest of Pizhu uses to index and search articles.

The index is derived data: SQLite holds the truth, and this directory can be deleted at any time.
Beside Whoosh's own files it holds ``pizhu-index.json`` with the schema version, the segmenter
identity, the *watermark* (the last database change applied) and the size of every index file, so
that :meth:`SearchIndex.check` can tell cheaply whether the index is usable.

The watermark file is written after each Whoosh commit. A crash in between leaves a watermark that
is too low, never too high, and re-applying changes is idempotent (upserts and deletes by id).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import uuid
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage

from index import analysis, build, fastpath, keyterms
from index.codec import PizhuCodec
from index.compiler import to_whoosh
from index.query import QueryError, parse, positive_units, split_into_words
from index.schema import SCHEMA_VERSION, make_schema
from index.snippets import Snippet, find_spans, make_snippets, needles_for

__all__ = [
    "Hit",
    "IndexDoc",
    "IndexProblem",
    "QueryError",
    "SearchIndex",
    "SearchResults",
    "Snippet",
]

META_NAME = "pizhu-index.json"
INDEX_NAME = "MAIN"
#: Fields whose matches are marked in a body text / a title.
_BODY_FIELDS = (None, "body")
_TITLE_FIELDS = (None, "title")
_TEXT_FIELDS = (None, "title", "subtitle", "body", "note")


@dataclass
class IndexDoc:
    id: int
    title: str
    subtitle: str = ""
    byline: str = ""
    source: str = ""
    date: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    #: the article's highlights that carry a note or tags: each its own small document
    highlights: list[HighlightDoc] = field(default_factory=list)


@dataclass
class HighlightDoc:
    """One highlight's searchable part (index.schema.ANNOTATION_FIELDS), keyed by its uuid."""

    key: str
    note: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class Hit:
    id: int
    score: float
    title_spans: list[tuple[int, int]]
    snippets: list[Snippet]


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int


class IndexProblem(Exception):
    """The index is missing, corrupt, locked or from another version; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


#: Updates of at least this many documents go through the bulk segment builder.
BULK_MIN_DOCS = 32


def _doomed(
    docs: list[IndexDoc], delete_ids: list[int], only: set[int],
    hls: list[tuple[int, str, HighlightDoc | None]],
) -> list[tuple[str, str]]:
    """The (field, term) pairs whose documents an update removes: every document of a deleted or
    replaced article, the article annotation document of one whose own tags alone changed, the
    document of each changed highlight."""
    out: set[tuple[str, str]] = set()
    for i in delete_ids:
        out.add(("owner", str(int(i))))
    for d in docs:
        i = int(d.id)
        if i in only:
            out.add(("id", f"a{i}"))
        else:
            out.add(("owner", str(i)))
    for _aid, key, _doc in hls:
        out.add(("id", f"h{key}"))
    return sorted(out)


def _highlight_fields(hls: list[tuple[int, str, HighlightDoc | None]]) -> list[dict[str, Any]]:
    return [
        build.annotation_fields(f"h{key}", int(aid), doc.note, list(doc.tags))
        for aid, key, doc in hls
        if doc is not None and (doc.note or doc.tags)
    ]


def _remove_segment_files(folder: Path, segments: list[Any]) -> None:
    """Files of segments built for a commit that did not happen (they are in no TOC)."""
    for seg in segments:
        prefix = f"{INDEX_NAME}_{seg.segment_id()}"
        for f in folder.glob(prefix + "*"):
            with contextlib.suppress(OSError):
                f.unlink()


def _weighting() -> scoring.WeightingModel:
    return scoring.BM25F(B=0.75, K1=1.2)


class SearchIndex:
    def __init__(
        self, path: Path, *, cache_dir: Path | None = None, userdict: Path | None = None
    ) -> None:
        self.path = Path(path)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.userdict = Path(userdict) if userdict is not None else None
        analysis.configure(cache_dir=self.cache_dir, userdict=self.userdict)
        self._ix: Any = None
        self._searcher: Any = None
        self._meta: dict[str, Any] = {}
        self._fast = fastpath.FastSearch()
        self.use_fastpath = True
        self._write_lock = threading.RLock()
        self._search_lock = threading.RLock()
        self._pool: build.SegmentPool | None = None
        self._seg_readers: dict[str, Any] = {}  # segment id -> reader, for deletions

    # ------------------------------------------------------------------ state

    def _meta_path(self, folder: Path | None = None) -> Path:
        return (folder or self.path) / META_NAME

    def _read_meta(self, folder: Path | None = None) -> dict[str, Any]:
        with open(self._meta_path(folder), encoding="utf-8") as f:
            meta = json.load(f)
        if not isinstance(meta, dict):
            raise ValueError("not an object")
        return meta

    def _write_meta(self, folder: Path, watermark: int) -> dict[str, Any]:
        try:
            prev = self._read_meta(folder)
        except (OSError, ValueError):
            prev = {}
        prev_sizes, prev_crcs = prev.get("files"), prev.get("crc32")
        old_sizes = prev_sizes if isinstance(prev_sizes, dict) else {}
        old_crcs = prev_crcs if isinstance(prev_crcs, dict) else {}
        files: dict[str, int] = {}
        crcs: dict[str, int] = {}
        for entry in os.scandir(folder):
            name = entry.name
            if entry.is_file() and name != META_NAME and not name.endswith(("LOCK", ".tmp")):
                size = entry.stat().st_size
                files[name] = size
                # index files never change once written: a known file keeps its checksum
                if old_sizes.get(name) == size and isinstance(old_crcs.get(name), int):
                    crcs[name] = old_crcs[name]
                else:
                    crcs[name] = _crc32(folder / name)
        meta = {
            "format": "pizhu-index",
            "schema": SCHEMA_VERSION,
            "segmenter": analysis.segmenter_id(),
            "watermark": int(watermark),
            "files": files,
            "crc32": crcs,
        }
        tmp = folder / (META_NAME + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / META_NAME)
        return meta

    def verify(self) -> str | None:
        """Like :meth:`check`, and then every listed index file is read and its checksum compared
        (damage that keeps a file's size). Reads the whole index (about 0.5 s per 500 MB): meant
        for a background thread after opening, or a "repair" command."""
        problem = self.check()
        if problem is not None:
            return problem
        try:
            meta = self._read_meta()
        except (OSError, ValueError) as exc:
            return f"corrupt: pizhu-index.json unreadable ({exc})"
        crcs = meta.get("crc32")
        if not isinstance(crcs, dict):
            return None  # written before checksums were kept
        for name, crc in crcs.items():
            path = self.path / name
            if not path.exists():
                continue  # removed by a commit newer than the description (see check())
            try:
                got = _crc32(path)
            except OSError as exc:
                return f"corrupt: file {name} unreadable ({exc})"
            if got != crc:
                return f"corrupt: file {name} is damaged (checksum differs)"
        return None

    def check(self) -> str | None:
        """None if the index at ``path`` is usable, else a readable reason. Reads no postings."""
        folder = self.path
        if not folder.is_dir():
            return "missing"
        try:
            meta = self._read_meta(folder)
        except FileNotFoundError:
            try:
                empty = not any(folder.iterdir())
            except OSError:
                empty = False
            return "missing" if empty else "corrupt: pizhu-index.json is missing"
        except (OSError, ValueError) as exc:
            return f"corrupt: pizhu-index.json unreadable ({exc})"
        if meta.get("format") != "pizhu-index":
            return "corrupt: pizhu-index.json is not a Pizhu index description"
        schema = meta.get("schema")
        if schema != SCHEMA_VERSION:
            return f"built with schema {schema}, need {SCHEMA_VERSION}"
        if meta.get("segmenter") != analysis.segmenter_id():
            return (
                f"segmenter changed (index built with {meta.get('segmenter')}, "
                f"now {analysis.segmenter_id()})"
            )
        files = meta.get("files")
        if not isinstance(files, dict) or not files:
            return "corrupt: no index files listed"
        try:
            storage = FileStorage(str(folder))
            if not windex.exists(storage, INDEX_NAME):
                return "corrupt: no table of contents"
            toc = windex.TOC.read(storage, INDEX_NAME)
            segments = list(toc.segments)
        except Exception as exc:  # noqa: BLE001 - any failure to read the TOC means corrupt
            return f"corrupt: {type(exc).__name__}: {exc}"
        # Index files never change once written. Every file of a live segment that the
        # description lists must be there with its size (a newer commit than the description,
        # after a crash, may have added files it does not list, and removed old ones).
        for seg in segments:
            if seg.is_compound():
                required = [seg.make_filename(".seg")]
            else:
                required = [seg.make_filename(ext) for ext in (".trm", ".pst")]
            for fname in required:
                if not storage.file_exists(fname):
                    return f"corrupt: segment file {fname} is missing"
            prefix = f"{seg.segment_id()}."
            for name, size in files.items():
                if not name.startswith(prefix):
                    continue
                try:
                    st = os.stat(folder / name)
                except OSError:
                    return f"corrupt: file {name} is missing"
                if st.st_size != size:
                    return f"corrupt: file {name} has {st.st_size} bytes, expected {size}"
        return None

    def open(self) -> None:
        """Open the index, creating an empty one if the directory does not exist."""
        with self._write_lock:
            self._close_ix()
            problem = self.check()
            if problem == "missing":
                self._create_empty(self.path)
                problem = self.check()
            if problem is not None:
                raise IndexProblem(problem)
            try:
                self._ix = windex.open_dir(str(self.path), indexname=INDEX_NAME)
                self._meta = self._read_meta()
            except Exception as exc:  # noqa: BLE001
                self._ix = None
                raise IndexProblem(f"corrupt: {type(exc).__name__}: {exc}") from exc

    def _create_empty(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for entry in folder.iterdir():  # a half-made or emptied index: start clean
            if entry.is_file():
                entry.unlink()
            else:
                shutil.rmtree(entry, ignore_errors=True)
        windex.create_in(str(folder), make_schema(), indexname=INDEX_NAME)
        self._write_meta(folder, 0)

    def _need_ix(self) -> Any:
        if self._ix is None:
            raise IndexProblem("not open")
        return self._ix

    @property
    def watermark(self) -> int:
        return int(self._meta.get("watermark", 0)) if self._meta else 0

    def doc_count(self) -> int:
        """Articles in the index (their annotation documents not counted); reads every
        segment's document list."""
        with self._search_lock:
            searcher = self._get_searcher()
            n = int(searcher.doc_count())
            reader = searcher.reader()
            for r, _off in reader.leaf_readers():
                aids = fastpath.read_aids(r)
                if r.has_deletions():
                    dead = np.fromiter(r.segment().deleted_docs(), dtype=np.intp)
                    aids[dead] = 0
                n -= int(np.count_nonzero(aids < 0))
            return n

    def close(self) -> None:
        with self._write_lock:
            self.end_batches()
            self._close_seg_readers()
            self._close_ix()

    def _close_ix(self) -> None:
        self._close_seg_readers()
        with self._search_lock:
            if self._searcher is not None:
                try:
                    self._searcher.close()
                except Exception:  # noqa: BLE001
                    pass
                self._searcher = None
            if self._ix is not None:
                try:
                    self._ix.close()
                except Exception:  # noqa: BLE001
                    pass
            self._ix = None

    # ------------------------------------------------------------------ writing

    def update(
        self,
        docs: Iterable[IndexDoc],
        delete_ids: Iterable[int] = (),
        *,
        watermark: int | None = None,
        annotations_only: Iterable[int] = (),
        highlights: Iterable[tuple[int, str, HighlightDoc | None]] = (),
    ) -> None:
        """One commit: upsert ``docs`` (each article with all its annotation documents), delete
        ``delete_ids``, then record ``watermark``.

        For the ids in ``annotations_only`` only the article's own annotation document (its
        tags) is rewritten, and ``highlights`` — (article id, uuid, document or None when the
        highlight is gone or has no note or tags) — rewrite one highlight's document each: a
        highlight edit never re-segments nor rewrites the article's body.

        A batch of :data:`BULK_MIN_DOCS` or more (an import) is segmented by the bulk builder
        into new segments (on the worker processes of :meth:`begin_batches` when started),
        which the commit adds beside the others: no per-document writer work, and the merge
        policy decides which small segments to merge."""
        docs = list(docs)
        delete_ids = list(delete_ids)
        only = {int(i) for i in annotations_only}
        hls = [h for h in highlights if int(h[0]) not in {int(d.id) for d in docs} - only]
        with self._write_lock:
            ix = self._need_ix()
            if len(docs) >= BULK_MIN_DOCS:
                self._update_bulk(ix, docs, delete_ids, only, hls)
            elif docs or delete_ids or hls:
                prepared = [
                    f for d in docs for f in build.prepare(d, annotations_only=int(d.id) in only)
                ]
                prepared += _highlight_fields(hls)
                try:
                    w = ix.writer(timeout=10.0, delay=0.05, codec=PizhuCodec(), compound=False)
                except Exception as exc:  # noqa: BLE001 - whoosh.index.LockError and OS errors
                    raise IndexProblem(f"locked: {exc}") from exc
                try:
                    self._delete_terms(w, _doomed(docs, delete_ids, only, hls))
                    for fields in prepared:
                        w.add_document(**fields)
                except BaseException:
                    w.cancel()
                    raise
                w.commit(mergetype=build.merge_policy)
            wm = self.watermark if watermark is None else watermark
            self._meta = self._write_meta(self.path, wm)
            self._refresh()

    def _delete_terms(self, w: Any, doomed: list[tuple[str, str]]) -> None:
        """Delete the documents holding these terms, looking them up segment by segment through
        readers kept between commits (a segment's files never change): Whoosh's delete_by_term
        opens a reader of every segment at each commit, most of a small edit's cost."""
        from whoosh.reading import SegmentReader

        cache = self._seg_readers
        live = {seg.segment_id() for seg in w.segments}
        for segid in [k for k in cache if k not in live]:
            with contextlib.suppress(Exception):
                cache.pop(segid).close()
        for seg in w.segments:
            r = cache.get(seg.segment_id())
            if r is None:
                r = cache[seg.segment_id()] = SegmentReader(w.storage, w.schema, seg)
            for fieldname, term in doomed:
                if (fieldname, term) not in r:
                    continue
                for local in r.postings(fieldname, term).all_ids():
                    if not seg.is_deleted(local):
                        seg.delete_document(local)

    def _close_seg_readers(self) -> None:
        for r in self._seg_readers.values():
            with contextlib.suppress(Exception):
                r.close()
        self._seg_readers.clear()

    def begin_batches(self) -> None:
        """Many large updates follow (an import): keep segmenting workers for them."""
        if self._pool is None:
            self._pool = build.SegmentPool(str(self.path))

    def end_batches(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def _update_bulk(
        self, ix: Any, docs: list[IndexDoc], delete_ids: list[int], only: set[int],
        hls: list[tuple[int, str, HighlightDoc | None]],
    ) -> None:
        folder = str(self.path)
        if self._pool is not None:
            try:
                segments = self._pool.build(docs, only)
            except RuntimeError:
                self._pool.close()
                self._pool = None
                segments = build.build_segments_here(folder, docs, only)
        else:
            segments = build.build_segments_here(folder, docs, only)
        try:
            w = ix.writer(timeout=10.0, delay=0.05, codec=PizhuCodec(), compound=False)
        except Exception as exc:  # noqa: BLE001 - whoosh.index.LockError and OS errors
            _remove_segment_files(self.path, segments)
            raise IndexProblem(f"locked: {exc}") from exc
        try:
            for fieldname, term in _doomed(docs, delete_ids, only, hls):
                w.delete_by_term(fieldname, term)
            for fields in _highlight_fields(hls):
                w.add_document(**fields)
        except BaseException:
            w.cancel()
            _remove_segment_files(self.path, segments)
            raise

        def policy(writer: Any, existing: list[Any]) -> list[Any]:
            return build.bulk_merge_policy(writer, [*existing, *segments])

        try:
            w.commit(mergetype=policy)
        except BaseException:
            _remove_segment_files(self.path, segments)
            raise

    def optimize(self) -> None:
        """Merge all segments into one (searches keep working meanwhile; updates wait). Worth
        running in the background now and then after many small updates."""
        with self._write_lock:
            ix = self._need_ix()
            try:
                w = ix.writer(timeout=10.0, delay=0.05, codec=PizhuCodec(), compound=False)
            except Exception as exc:  # noqa: BLE001
                raise IndexProblem(f"locked: {exc}") from exc
            try:
                w.commit(mergetype=build.optimize_policy)
            except BaseException:
                w.cancel()
                raise
            self._meta = self._write_meta(self.path, self.watermark)
            self._refresh()

    def segment_count(self) -> int:
        """How many segments the index has (each costs a little on every search)."""
        with self._search_lock:
            return len(self._get_searcher().reader().segments() or [])

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        *,
        total: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        watermark: int = 0,
    ) -> bool:
        """Build a fresh index beside the current one and swap it in. False if cancelled.

        Searches keep using the old index while this runs. Updates made meanwhile go to the old
        index and are lost in the swap, so apply every change after ``watermark`` again."""
        tmp = self.path.parent / f".{self.path.name}.build-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir(parents=True)
            windex.create_in(str(tmp), make_schema(), indexname=INDEX_NAME)
            ok = build.build_into(
                str(tmp), docs, total=total, progress=progress, cancelled=cancelled
            )
            if not ok:
                shutil.rmtree(tmp, ignore_errors=True)
                return False
            self._write_meta(tmp, watermark)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        with self._write_lock, self._search_lock:  # searches wait for the swap, never fail
            self._close_ix()
            old = None
            if self.path.exists():
                old = self.path.parent / f".{self.path.name}.old-{uuid.uuid4().hex[:8]}"
                os.replace(self.path, old)
            os.replace(tmp, self.path)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self.open()
        return True

    def _refresh(self) -> None:
        with self._search_lock:
            if self._searcher is not None:
                # Searcher.refresh() kept serving the pre-commit view here (whoosh3 3.54.0):
                # drop it; the next search opens a searcher on the new generation.
                old, self._searcher = self._searcher, None
                try:
                    old.close()
                except Exception:  # noqa: BLE001
                    pass

    def _get_searcher(self) -> Any:
        if self._searcher is not None and not self._current(self._searcher):
            # Another process (`pizhu import` beside the window) committed: search its view.
            self._refresh()
            with contextlib.suppress(OSError, ValueError):
                self._meta = self._read_meta()
        if self._searcher is None:
            self._searcher = self._need_ix().searcher(weighting=_weighting())
        return self._searcher

    @staticmethod
    def _current(searcher: Any) -> bool:
        """False once the folder holds a newer generation (one directory listing, ~30 µs).
        While another process swaps a rebuilt folder in, the old view stays in use."""
        try:
            return bool(searcher.up_to_date())
        except Exception:  # noqa: BLE001 - folder being swapped: keep searching what is open
            return True

    # ------------------------------------------------------------------ searching

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        with_snippets: bool = True,
        text_of: Callable[[list[int]], dict[int, str]] | None = None,
    ) -> SearchResults:
        node = parse(query)
        if node is None:
            return SearchResults([], 0)
        if limit <= 0:
            limit = 0
        with self._search_lock:
            searcher = self._get_searcher()
            try:
                found = self._run(searcher, node, limit)
                if not found[0] and not found[1]:
                    alt, changed = split_into_words(node)
                    if changed:
                        node = alt
                        found = self._run(searcher, node, limit)
            except QueryError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise IndexProblem(f"corrupt: {type(exc).__name__}: {exc}") from exc
        rows, total = found
        rows = rows[:limit]
        units = positive_units(node)
        title_needles = needles_for([u for u in units if u.field in _TITLE_FIELDS], words=False)
        body_needles = needles_for([u for u in units if u.field in _BODY_FIELDS], words=False)
        bodies: dict[int, str] = {}
        if with_snippets and text_of is not None and rows:
            bodies = text_of([r[0] for r in rows]) or {}
        hits = []
        for art_id, score, title in rows:
            title_spans = find_spans(title_needles, title) if title and title_needles else []
            snippets: list[Snippet] = []
            if with_snippets:
                body = bodies.get(art_id)
                if body:
                    snippets = make_snippets(body, body_needles)
            hits.append(Hit(art_id, score, title_spans, snippets))
        return SearchResults(hits, total)

    def _run(
        self, searcher: Any, node: Any, limit: int
    ) -> tuple[list[tuple[int, float, str]], int]:
        if self.use_fastpath:
            ranked, total = self._fast.search(searcher, node, max(1, limit))
            rows = []
            for docnum, score in ranked:
                stored = searcher.stored_fields(docnum)
                rows.append((int(stored["id"]), float(score), stored.get("title", "")))
            return rows, total
        q = to_whoosh(node)
        results = searcher.search(q, limit=max(1, limit), terms=False)
        rows = []
        for hit in results:
            stored = hit.fields()
            if not str(stored["id"]).isdigit():  # an annotation document (no join here)
                continue
            rows.append((int(stored["id"]), float(hit.score or 0.0), stored.get("title", "")))
        total = len(results) if results.has_exact_length() else results.estimated_length()
        return rows, int(total)

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        try:
            node = parse(query)
            units = [u for u in positive_units(node) if u.field in _TEXT_FIELDS]
            return find_spans(needles_for(units), text) if units and text else []
        except Exception:  # noqa: BLE001 - documented never to raise
            return []

    # ------------------------------------------------------------------ recall (index.keyterms)

    def key_terms(
        self, title: str, body: str, *, limit: int = 16, min_df: int = 1,
        max_chars: int = keyterms.MAX_CHARS, max_df: float = keyterms.MAX_DF_SHARE,
    ) -> list[tuple[str, float]]:
        """An article's key terms, (word, TF-IDF weight) best first, with the library's IDF;
        ``min_df=2`` keeps only words some other document has too."""
        counts = keyterms.term_counts(title, body, max_chars)
        with self._search_lock:
            searcher = self._get_searcher()
            n = max(1, int(searcher.doc_count()))
            fast = self._fast
            return keyterms.weigh(
                counts, lambda w: fast.df(searcher, "body", w.encode("utf-8")), n,
                min_df=min_df, max_df=max_df,
            )[:limit]

    def related(
        self, article_id: int, title: str, body: str, k: int = 5
    ) -> list[keyterms.RelatedHit]:
        """Up to ``k`` articles sharing the most of this article's key terms (more like this),
        each with the shared terms. The article's own text is given (the index keeps none)."""
        terms = self.key_terms(title, body, limit=keyterms.KEY_TERMS, min_df=2,
                               max_chars=keyterms.RELATED_CHARS,
                               max_df=keyterms.RELATED_MAX_DF_SHARE)
        with self._search_lock:
            try:
                return keyterms.related(self._fast, self._get_searcher(), article_id, terms, k)
            except Exception as exc:  # noqa: BLE001
                raise IndexProblem(f"corrupt: {type(exc).__name__}: {exc}") from exc

    def doc_frequencies(self, words: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(documents in the index, {word: documents whose body has it}) — IDF for callers."""
        with self._search_lock:
            searcher = self._get_searcher()
            return int(searcher.doc_count()), keyterms.doc_frequencies(
                self._fast, searcher, words)
