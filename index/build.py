"""Preparing documents for Whoosh, bulk builds on several cores, and the merge policy."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from whoosh import index as windex
from whoosh.writing import SegmentWriter

from index import analysis
from index.bulk import BulkSegmentBuilder, merge_segments
from index.codec import PizhuCodec
from index.schema import GRAM_SUFFIX

#: Below this many documents a rebuild runs in this process (starting workers costs ~1 s).
PARALLEL_MIN_DOCS = 1500
#: Worker processes are started with multiprocessing's "spawn". A frozen (PyInstaller) app can
#: only do that after calling multiprocessing.freeze_support() first thing in its entry script;
#: packaging/pizhu_entry.py does and says so in PIZHU_FREEZE_SUPPORT. Otherwise frozen builds
#: index in one process.
ALLOW_PROCESSES = (
    not getattr(sys, "frozen", False) or os.environ.get("PIZHU_FREEZE_SUPPORT") == "1"
)
#: How many worker processes built the last index built in this process (0: built in-process).
last_build_workers = 0
BATCH_DOCS = 64
WRITER_LIMIT_MB = 96
#: Segments under this many bytes on disk are merged by any commit, MAX_SMALL_SEGMENTS at a time
#: (see merge_policy); bigger ones only by import batches beyond MAX_SEGMENTS segments.
SMALL_SEGMENT_BYTES = 256 << 10
SMALL_BANDS = (16 << 10, 64 << 10, SMALL_SEGMENT_BYTES)
MAX_SEGMENTS = 40
MAX_SMALL_SEGMENTS = 8

_DocTuple = tuple[
    int, str, str, str, str, str, str, list[str], str, list[tuple[str, str, list[str]]]
]


def as_tuple(doc: Any) -> _DocTuple:
    return (
        int(doc.id),
        doc.title or "",
        doc.subtitle or "",
        doc.byline or "",
        doc.source or "",
        doc.date or "",
        doc.body or "",
        list(doc.tags or ()),
        doc.notes or "",
        [(h.key, h.note or "", list(h.tags or ())) for h in getattr(doc, "highlights", ()) or ()],
    )


def date_number(date: str) -> int | None:
    d = (date or "").strip()
    if len(d) >= 10 and d[4] == "-" and d[7] == "-" and d[:4].isdigit():
        try:
            return int(d[:4]) * 10000 + int(d[5:7]) * 100 + int(d[8:10])
        except ValueError:
            return None
    return None


def prepare_tuple(t: _DocTuple, *, annotations_only: bool = False) -> list[dict[str, Any]]:
    """The keyword arguments for ``writer.add_document`` of all an article's documents: the
    article document; its annotation document (article tags, and notes given as one text) when
    it has any; a document per highlight with a note or tags (see
    index.schema.ANNOTATION_FIELDS). With ``annotations_only`` only the article's own annotation
    document.
    Every document carries ``owner`` (the article id) for deleting them together. Segmentation
    is done here, once."""
    doc_id, title, subtitle, byline, source, date, body, tags, notes, highlights = t
    owner = str(doc_id)
    out: list[dict[str, Any]] = []
    fold = analysis.fold
    if not annotations_only:
        values = {
            "title": title,
            "subtitle": subtitle,
            "body": body,
            "source": source,
            "byline": byline,
        }
        fields: dict[str, Any] = {"id": owner, "owner": owner, "aid": int(doc_id)}
        for name, text in values.items():
            if not text:
                continue
            folded = fold(text)
            fields[name] = analysis.word_postings(folded)
            grams = analysis.gram_postings(folded)
            if grams[0]:
                fields[name + GRAM_SUFFIX] = grams
        fields["_stored_title"] = title
        dn = date_number(date)
        if dn is not None:
            fields["date"] = dn
        out.append(fields)
    if notes or tags:
        out.append(annotation_fields(f"a{doc_id}", int(doc_id), notes, tags))
    if annotations_only:  # the article's own tags changed: its highlights did not
        return out
    for key, note, htags in highlights:
        if note or htags:
            out.append(annotation_fields(f"h{key}", int(doc_id), note, htags))
    return out


def annotation_fields(key: str, article_id: int, note: str, tags: list[str]) -> dict[str, Any]:
    """An annotation document: a note and tags, for article ``article_id``."""
    ann: dict[str, Any] = {"id": key, "owner": str(article_id), "aid": -int(article_id)}
    if note:
        folded = analysis.fold(note)
        ann["note"] = analysis.word_postings(folded)
        grams = analysis.gram_postings(folded)
        if grams[0]:
            ann["note" + GRAM_SUFFIX] = grams
    if tags:
        ann["tag"] = list(tags)
    return ann


def prepare(doc: Any, *, annotations_only: bool = False) -> list[dict[str, Any]]:
    return prepare_tuple(as_tuple(doc), annotations_only=annotations_only)


def merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """The merges of an ordinary commit (an edit): only small segments (under
    :data:`SMALL_SEGMENT_BYTES` on disk, e.g. the annotation documents of highlight edits) are
    merged, :data:`MAX_SMALL_SEGMENTS` of about the same size (:data:`SMALL_BANDS`) at a time,
    so that an edit never waits for a big merge.
    Segments whose documents are all deleted are dropped."""
    segments = [s for s in segments if s.doc_count() > 0]
    sizes = _segment_bytes(writer.storage, writer.indexname)
    lo = 0
    for hi in SMALL_BANDS:  # segments of about the same size merge together (logarithmic)
        band = [s for s in segments if lo <= sizes.get(s.segment_id(), 0) < hi]
        if len(band) >= MAX_SMALL_SEGMENTS:
            return _merge(writer, segments, band)
        lo = hi
    return segments


def bulk_merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """The merges of an import batch's commit: those of :func:`merge_policy`, and once the index
    has more than :data:`MAX_SEGMENTS` segments, the :data:`MAX_SMALL_SEGMENTS` smallest of the
    others together (each posting is rewritten about once per eight-fold growth, and an import of
    a few thousand files merges nothing big at all). :meth:`SearchIndex.optimize` merges all."""
    segments = merge_policy(writer, segments)
    if len(segments) <= MAX_SEGMENTS:
        return segments
    sizes = _segment_bytes(writer.storage, writer.indexname)
    smallest = sorted(segments, key=lambda s: sizes.get(s.segment_id(), 0))[:MAX_SMALL_SEGMENTS]
    return _merge(writer, segments, smallest)


def _merge(writer: Any, segments: list[Any], group: list[Any]) -> list[Any]:
    merged = merge_segments(writer.storage, writer.schema, writer.indexname, group)
    keep = {id(s) for s in group}
    rest = [s for s in segments if id(s) not in keep]
    return [*rest, merged] if merged.doc_count_all() else rest


def _segment_bytes(storage: Any, indexname: str) -> dict[str, int]:
    """Bytes on disk of each segment (by ``segment_id()``: ``MAIN_<segid>``), from the index
    folder's listing."""
    out: dict[str, int] = {}
    prefix = indexname + "_"
    for name in storage.list():
        if name.startswith(prefix):
            segid = name.split(".", 1)[0]
            try:
                out[segid] = out.get(segid, 0) + storage.file_length(name)
            except OSError:
                continue
    return out


def optimize_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge every segment into one."""
    if len(segments) <= 1 and not any(s.has_deletions() for s in segments):
        return segments
    merged = merge_segments(writer.storage, writer.schema, writer.indexname, segments)
    return [merged] if merged.doc_count_all() else []


# ---------------------------------------------------------------------------------------------
# Bulk building


def build_into(
    folder: str,
    docs: Iterable[Any],
    *,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    procs: int | None = None,
) -> bool:
    """Index ``docs`` into the (new, empty) index at ``folder``. False if cancelled."""
    it = iter(docs)
    head: list[Any] = []
    if total is None or total >= PARALLEL_MIN_DOCS:
        for d in it:
            head.append(d)
            if len(head) >= PARALLEL_MIN_DOCS:
                break
    nprocs = procs if procs is not None else min(2, os.cpu_count() or 1)
    big = len(head) >= PARALLEL_MIN_DOCS
    stream = _chain(head, it)
    global last_build_workers
    last_build_workers = 0
    if big and nprocs >= 2 and ALLOW_PROCESSES:
        return _build_parallel(folder, stream, total, progress, cancelled, nprocs)
    return _build_serial(folder, stream, total, progress, cancelled)


def _chain(head: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from head
    yield from rest


def _build_serial(
    folder: str,
    docs: Iterator[Any],
    total: int | None,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> bool:
    ix = windex.open_dir(folder, indexname="MAIN")
    builder = BulkSegmentBuilder(ix, _run_dir(folder))
    n = 0
    try:
        for d in docs:
            if n % BATCH_DOCS == 0:
                if cancelled is not None and cancelled():
                    builder.abort()
                    ix.close()
                    return False
                if progress is not None and n:
                    progress(n, total if total is not None else 0)
            for fields in prepare(d):
                builder.add(fields)
            n += 1
        if n:
            segments = [builder.finish()]
        else:
            segments = []
            builder.abort()  # closes its (empty) per-document files
    except BaseException:
        builder.abort()
        ix.close()
        raise
    ix.close()
    commit_segments(folder, segments)
    if progress is not None:
        progress(n, total if total is not None else n)
    return True


def _run_dir(folder: str) -> str:
    path = os.path.join(folder, f"runs-{os.getpid()}.tmp")
    os.makedirs(path, exist_ok=True)
    return path


def commit_segments(folder: str, segments: list[Any]) -> None:
    """Make ``segments`` (written by bulk builders) the content of the index at ``folder``."""
    ix = windex.open_dir(folder, indexname="MAIN")
    # a file index's writer is a SegmentWriter (whoosh types it as the base IndexWriter)
    w = cast(SegmentWriter, ix.writer(codec=PizhuCodec(), compound=False))
    w._close_segment()
    w._commit_toc(segments)
    w._finish()
    ix.close()
    _remove_temp_runs(folder)


def _worker(
    folder: str,
    seg_state: tuple[str | None, str | None],
    jobs: Any,
    results: Any,
) -> None:
    cache_dir, userdict = seg_state
    analysis.configure(cache_dir=cache_dir, userdict=userdict)
    analysis.warm_up()
    ix = windex.open_dir(folder, indexname="MAIN")
    builder = BulkSegmentBuilder(ix, _run_dir(folder))
    results.put(("ready", None))
    while True:
        batch = jobs.get()
        if batch is None:
            break
        for t in batch:
            for fields in prepare_tuple(t):
                builder.add(fields)
        results.put(("progress", len(batch)))
    segment = builder.finish() if builder.docnum else None
    results.put(("done", segment))


def _build_parallel(
    folder: str,
    docs: Iterator[Any],
    total: int | None,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    nprocs: int,
) -> bool:
    ctx = mp.get_context("spawn")
    jobs = ctx.Queue(maxsize=nprocs * 3)
    results = ctx.Queue()
    state = analysis.segmenter_state()
    workers = [
        ctx.Process(target=_worker, args=(folder, state, jobs, results), daemon=True)
        for _ in range(nprocs)
    ]
    for p in workers:
        p.start()
    ready = 0
    while ready < len(workers):
        try:
            kind, _val = results.get(timeout=0.2)
            ready += kind == "ready"
        except queue.Empty:
            if any(p.exitcode is not None for p in workers) or (
                cancelled is not None and cancelled()
            ):
                for p in workers:
                    if p.is_alive():
                        p.terminate()
                    p.join(5)
                if cancelled is not None and cancelled():
                    return False
                # Workers cannot start (e.g. an unguarded __main__ under "spawn"): build here.
                return _build_serial(folder, docs, total, progress, cancelled)
    done = 0
    sent = 0
    segments: list[Any] = []
    finished = 0

    def drain(block: bool) -> None:
        nonlocal done, finished
        while True:
            try:
                kind, val = results.get(timeout=0.2) if block else results.get_nowait()
            except queue.Empty:
                return
            if kind == "progress":
                done += val
            else:
                finished += 1
                if val is not None:
                    segments.append(val)
            block = False

    def check_alive() -> None:
        for p in workers:
            if p.exitcode not in (None, 0):
                raise RuntimeError(f"an index worker failed (exit code {p.exitcode})")

    def stop() -> None:
        for p in workers:
            if p.is_alive():
                p.terminate()
        for p in workers:
            p.join(5)
        _remove_temp_runs(folder)

    try:
        batch: list[_DocTuple] = []
        for d in docs:
            batch.append(as_tuple(d))
            if len(batch) >= BATCH_DOCS:
                if cancelled is not None and cancelled():
                    stop()
                    return False
                while True:
                    try:
                        jobs.put(batch, timeout=0.2)
                        break
                    except queue.Full:
                        check_alive()
                        drain(False)
                        if cancelled is not None and cancelled():
                            stop()
                            return False
                sent += len(batch)
                batch = []
                drain(False)
                if progress is not None:
                    progress(done, total if total is not None else 0)
        if batch:
            jobs.put(batch)
            sent += len(batch)
        for _ in workers:
            jobs.put(None)
        while finished < len(workers):
            if cancelled is not None and cancelled():
                stop()
                return False
            drain(True)
            if finished < len(workers):
                check_alive()
                if all(p.exitcode is not None for p in workers):
                    drain(False)
                    if finished < len(workers):
                        raise RuntimeError("an index worker stopped without finishing")
            if progress is not None:
                progress(done, total if total is not None else sent)
        for p in workers:
            p.join()
    except BaseException:
        stop()
        raise
    commit_segments(folder, segments)
    if progress is not None:
        progress(sent, total if total is not None else sent)
    global last_build_workers
    last_build_workers = len(workers)
    return True


def _remove_temp_runs(folder: str) -> None:
    for entry in os.scandir(folder):
        if entry.is_dir() and entry.name.endswith(".tmp"):  # run files, Whoosh temp storage
            shutil.rmtree(entry.path, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Batches of an incremental update (an import): segments built beside the live index


def _pool_worker(folder: str, seg_state: tuple[str | None, str | None], jobs: Any,
                 results: Any) -> None:
    cache_dir, userdict = seg_state
    analysis.configure(cache_dir=cache_dir, userdict=userdict)
    analysis.warm_up()
    ix = windex.open_dir(folder, indexname="MAIN")
    results.put(("ready", None))
    parent = os.getppid()
    while True:
        try:
            batch = jobs.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:  # the importing process is gone (killed): so are we
                break
            continue
        if batch is None:
            break
        try:
            builder = BulkSegmentBuilder(ix, _run_dir(folder))
            for t, only in batch:
                for fields in prepare_tuple(t, annotations_only=only):
                    builder.add(fields)
            seg = builder.finish() if builder.docnum else None
            if seg is None:
                builder.abort()
            results.put(("segment", seg))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which falls back
            results.put(("error", f"{type(exc).__name__}: {exc}"))


def build_segments_here(
    folder: str, docs: Iterable[Any], annotations_only: Iterable[int] = ()
) -> list[Any]:
    """Build one new segment of ``docs`` in this process (not yet in the index's TOC)."""
    only = {int(i) for i in annotations_only}
    ix = windex.open_dir(folder, indexname="MAIN")
    builder = BulkSegmentBuilder(ix, _run_dir(folder))
    try:
        for d in docs:
            for fields in prepare(d, annotations_only=int(d.id) in only):
                builder.add(fields)
        if builder.docnum:
            return [builder.finish()]
        builder.abort()
        return []
    except BaseException:
        builder.abort()
        raise
    finally:
        ix.close()
        _remove_temp_runs(folder)


#: Smaller batches are segmented in this process (sending them costs more than it saves).
POOL_MIN_DOCS = 8


class SegmentPool:
    """Worker processes that segment batches of documents into new segments of a live index,
    started once and used for every batch of an import (starting one costs ~1 s: jieba's
    dictionary). :meth:`build` splits a batch between the workers by characters; the caller
    commits the segments (:meth:`index.engine.SearchIndex.update`). Without workers (frozen
    app without freeze support, a failure to start) the batch is built in this process."""

    def __init__(self, folder: str, procs: int | None = None) -> None:
        self.folder = folder
        self.procs = procs if procs is not None else min(2, os.cpu_count() or 1)
        self._workers: list[Any] = []
        self._jobs: list[Any] = []
        self._results: Any = None
        self._failed = self.procs < 2 or not ALLOW_PROCESSES

    def _start(self) -> bool:
        if self._workers or self._failed:
            return not self._failed
        ctx = mp.get_context("spawn")
        self._results = ctx.Queue()
        state = analysis.segmenter_state()
        for _ in range(self.procs):
            q = ctx.Queue()
            p = ctx.Process(target=_pool_worker, args=(self.folder, state, q, self._results),
                            daemon=True)
            p.start()
            self._jobs.append(q)
            self._workers.append(p)
        ready = 0
        while ready < len(self._workers):
            try:
                kind, _v = self._results.get(timeout=0.5)
                ready += kind == "ready"
            except queue.Empty:
                if any(p.exitcode is not None for p in self._workers):
                    self.close()
                    self._failed = True
                    return False
        return True

    def build(self, docs: list[Any], annotations_only: Iterable[int] = ()) -> list[Any]:
        only = {int(i) for i in annotations_only}
        if len(docs) < POOL_MIN_DOCS or not self._start():
            return build_segments_here(self.folder, docs, only)
        tuples = [as_tuple(d) for d in docs]
        parts: list[list[tuple[_DocTuple, bool]]] = [[] for _ in self._workers]
        sizes = [0] * len(parts)
        for t in sorted(tuples, key=lambda t: -len(t[6])):  # biggest first, to the lightest
            k = sizes.index(min(sizes))
            parts[k].append((t, t[0] in only))
            sizes[k] += (0 if t[0] in only else len(t[6]) + len(t[1])) + len(t[8]) + 1
        for q, part in zip(self._jobs, parts, strict=True):
            q.put(sorted(part, key=lambda p: p[0][0]))
        segments: list[Any] = []
        errors: list[str] = []
        got = 0
        while got < len(parts):
            try:
                kind, val = self._results.get(timeout=0.5)
            except queue.Empty:
                if any(p.exitcode is not None for p in self._workers):
                    self.close()
                    self._failed = True
                    raise RuntimeError("an index worker stopped") from None
                continue
            got += 1
            if kind == "segment":
                if val is not None:
                    segments.append(val)
            else:
                errors.append(str(val))
        if errors:
            raise RuntimeError(f"an index worker failed ({errors[0]})")
        return segments

    def close(self) -> None:
        for q in self._jobs:
            with contextlib.suppress(Exception):
                q.put(None)
        for p in self._workers:
            p.join(5)
            if p.is_alive():
                p.terminate()
                p.join(5)
        self._workers, self._jobs = [], []
        with contextlib.suppress(OSError):
            _remove_temp_runs(self.folder)
