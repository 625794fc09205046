"""Writing a whole segment from many documents without Whoosh's per-posting machinery.

Whoosh's SegmentWriter sends every (field, term, document) posting through a sorting pool, an
external merge and a per-posting writer call. For a rebuild that is most of the work, so
:class:`BulkSegmentBuilder` inverts documents in memory instead: per term three arrays (document
numbers, frequencies, positions), flushed every ``run_docs`` documents to a sorted *run* file, and
at the end the runs are merged term by term (not posting by posting) and each posting list is
written in one go (:meth:`index.codec.PzFieldWriter.add_term_arrays`). Stored fields and field
lengths go through Whoosh's own per-document writer, so the segment is an ordinary Whoosh segment.
"""

from __future__ import annotations

import heapq
import marshal
import os
from array import array
from collections.abc import Iterator
from itertools import chain
from typing import Any

from index.codec import PizhuCodec
from index.schema import GramField, WordField

#: Postings kept in memory before they are written to a sorted run file (~100 bytes each).
RUN_POSTINGS = 1_000_000


class BulkSegmentBuilder:
    def __init__(self, ix: Any, tempdir: str, *, run_postings: int = RUN_POSTINGS) -> None:
        self.ix = ix
        self.storage = ix.storage
        self.schema = ix.schema
        self.codec = PizhuCodec()
        self.segment = self.codec.new_segment(self.storage, ix.indexname)
        self.perdoc = self.codec.per_document_writer(self.storage, self.segment)
        self.tempdir = tempdir
        self.run_postings = run_postings
        self.docnum = 0
        names = sorted(self.schema.names())
        self.positional = [n for n in names if isinstance(self.schema[n], (WordField, GramField))]
        # per field: term -> [doc, positions, doc, positions, ...]
        self.inv: dict[str, dict[str, list[Any]]] = {n: {} for n in self.positional}
        self.pending = 0
        self.other: dict[tuple[str, bytes], list[tuple[int, float, bytes]]] = {}
        self.lengths: dict[str, array[int]] = {n: array("I") for n in self.positional}
        self.runs: list[str] = []

    # -- adding

    def add(self, fields: dict[str, Any]) -> None:
        d = self.docnum
        schema = self.schema
        perdoc = self.perdoc
        perdoc.start_doc(d)
        npost = 0
        for name in self.positional:
            value = fields.get(name)
            if value is None:
                self.lengths[name].append(0)
                continue
            postings, length = value
            inv = self.inv[name]
            get = inv.get
            for term, pl in postings.items():
                e = get(term)
                if e is None:
                    inv[term] = [d, pl]
                else:
                    e.append(d)
                    e.append(pl)
            npost += len(postings)
            self.lengths[name].append(length)
            stored = fields.get("_stored_" + name) if schema[name].stored else None
            perdoc.add_field(name, schema[name], stored, length)
        for name, value in fields.items():
            if name.startswith("_") or name in self.inv or value is None:
                continue
            field = schema[name]
            if not field.indexed:  # a column only (aid)
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
                continue
            length = 0
            for tbytes, freq, weight, vbytes in field.index(value):
                self.other.setdefault((name, tbytes), []).append((d, weight, vbytes))
                length += freq
            stored = fields.get("_stored_" + name, value) if field.stored else None
            perdoc.add_field(name, field, stored, length if field.scorable else 0)
            column = field.column_type
            if column and value is not None:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1
        self.pending += npost
        if self.pending >= self.run_postings:
            self._flush_run()

    def _flush_run(self) -> None:
        if not any(self.inv.values()):
            return
        path = os.path.join(self.tempdir, f"{self.segment.segid}-{len(self.runs)}.run")
        dump = marshal.dump
        with open(path, "wb") as f:
            for name in self.positional:
                inv = self.inv[name]
                for term in sorted(inv):
                    e = inv[term]
                    pls = e[1::2]
                    ids = array("I", e[0::2])
                    tfs = array("I", map(len, pls))
                    pos = array("I", chain.from_iterable(pls))
                    dump(
                        (name, term.encode("utf-8"), ids.tobytes(), tfs.tobytes(), pos.tobytes()), f
                    )
                self.inv[name] = {}
        self.pending = 0
        self.runs.append(path)

    # -- finishing

    def finish(self) -> Any:
        """Write the segment; returns the Whoosh segment object (not yet in any TOC)."""
        self._flush_run()
        self.perdoc.close()
        fw = self.codec.field_writer(self.storage, self.segment)
        current = None
        other_keys = sorted(self.other)
        oi = 0

        def start(name: str) -> None:
            nonlocal current
            if current is not None:
                fw.finish_field()
            fw.start_field(name, self.schema[name])
            current = name

        def write_other_until(bound: tuple[str, bytes] | None) -> None:
            nonlocal oi
            while oi < len(other_keys) and (bound is None or other_keys[oi] < bound):
                name, tbytes = other_keys[oi]
                if current != name:
                    start(name)
                fw.start_term(tbytes)
                for d, w, v in self.other[(name, tbytes)]:
                    fw.add(d, w, v, None)
                fw.finish_term()
                oi += 1

        for name, tbytes, ids, tfs, pos in self._merged():
            write_other_until((name, tbytes))
            if current != name:
                start(name)
            fw.add_term_arrays(tbytes, ids, tfs, pos, self.lengths[name])
        write_other_until(None)
        if current is not None:
            fw.finish_field()
        fw.close()
        self.segment.set_doc_count(self.docnum)
        # Not a compound file: Whoosh reads a compound file's parts into memory when it opens
        # them (BytesIO over the mmap), separate files are read only where needed.
        self.segment.compound = False
        self.cleanup()
        return self.segment

    def _read_run(self, path: str, k: int) -> Iterator[tuple[str, bytes, int, bytes, bytes, bytes]]:
        load = marshal.load
        with open(path, "rb") as f:
            while True:
                try:
                    name, tb, ids, tfs, pos = load(f)
                except EOFError:
                    return
                yield name, tb, k, ids, tfs, pos

    def _merged(self) -> Iterator[tuple[str, bytes, array[int], array[int], array[int]]]:
        streams = [self._read_run(p, k) for k, p in enumerate(self.runs)]
        merged = heapq.merge(*streams)  # (name, term, run number): runs in document order
        group: list[tuple[str, bytes, int, bytes, bytes, bytes]] = []
        for rec in merged:
            if group and (rec[0] != group[0][0] or rec[1] != group[0][1]):
                yield _join(group)
                group = []
            group.append(rec)
        if group:
            yield _join(group)

    def abort(self) -> None:
        """Give up: close open files and remove the run files (the caller removes the folder)."""
        try:
            if not self.perdoc.is_closed:
                self.perdoc.close()
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass
        self.cleanup()

    def cleanup(self) -> None:
        for p in self.runs:
            try:
                os.remove(p)
            except OSError:
                pass
        self.runs = []


def _join(
    group: list[tuple[str, bytes, int, bytes, bytes, bytes]],
) -> tuple[str, bytes, array[int], array[int], array[int]]:
    ids = array("I")
    tfs = array("I")
    pos = array("I")
    if len(group) == 1:
        _n, _t, _k, a, b, c = group[0]
        ids.frombytes(a)
        tfs.frombytes(b)
        pos.frombytes(c)
    else:
        ids.frombytes(b"".join(r[3] for r in group))
        tfs.frombytes(b"".join(r[4] for r in group))
        pos.frombytes(b"".join(r[5] for r in group))
    return group[0][0], group[0][1], ids, tfs, pos


# ---------------------------------------------------------------------------------------------
# Merging segments


def merge_segments(storage: Any, schema: Any, indexname: str, segments: list[Any]) -> Any:
    """One new segment with the live documents of ``segments`` (in order), written list by list
    like a bulk build; returns it (the caller puts it in the TOC in place of the old ones)."""
    from whoosh.reading import SegmentReader

    from index.fastpath import read_matcher

    codec = PizhuCodec()
    newseg = codec.new_segment(storage, indexname)
    perdoc = codec.per_document_writer(storage, newseg)
    readers = [SegmentReader(storage, schema, s) for s in segments]
    names = sorted(schema.names())
    positional = {n for n in names if isinstance(schema[n], (WordField, GramField))}
    lengths: dict[str, array[int]] = {n: array("I") for n in positional}
    bases: list[int] = []
    docmaps: list[dict[int, int] | None] = []
    newdoc = 0
    colnames = [n for n in names if schema[n].column_type is not None and not schema[n].indexed]
    try:
        for r in readers:
            bases.append(newdoc)
            docmap: dict[int, int] | None = {} if r.has_deletions() else None
            cols = [(n, r.column_reader(n)) for n in colnames if r.has_column(n)]
            for d in range(r.doc_count_all()):
                if docmap is not None:
                    if r.is_deleted(d):
                        continue
                    docmap[d] = newdoc
                perdoc.start_doc(newdoc)
                stored = r.stored_fields(d)
                for name in names:
                    field = schema[name]
                    length = r.doc_field_length(d, name, 0) if field.scorable else 0
                    sv = stored.get(name) if field.stored else None
                    if sv is not None or length:
                        perdoc.add_field(name, field, sv, length or 0)
                    if name in positional:
                        lengths[name].append(length or 0)
                for name, creader in cols:
                    perdoc.add_column_value(name, schema[name].column_type, creader[d])
                perdoc.finish_doc()
                newdoc += 1
            docmaps.append(docmap)
        perdoc.close()

        fw = codec.field_writer(storage, newseg)
        for name in names:
            field = schema[name]
            streams = [_field_terms(r, name, k) for k, r in enumerate(readers)]
            started = False
            group: list[tuple[bytes, int, Any]] = []
            for item in heapq.merge(*streams, key=lambda x: (x[0], x[1])):
                if group and item[0] != group[0][0]:
                    started = _write_merged(
                        fw,
                        field,
                        name,
                        group,
                        readers,
                        bases,
                        docmaps,
                        lengths,
                        started,
                        read_matcher,
                    )
                    group = []
                group.append(item)
            if group:
                started = _write_merged(
                    fw, field, name, group, readers, bases, docmaps, lengths, started, read_matcher
                )
            if started:
                fw.finish_field()
        fw.close()
    finally:
        for r in readers:
            r.close()
    newseg.set_doc_count(newdoc)
    newseg.compound = False
    return newseg


def _field_terms(reader: Any, name: str, k: int) -> Iterator[tuple[bytes, int, Any]]:
    if reader.doc_count_all() == 0:
        return
    try:
        for tbytes, terminfo in reader.iter_field(name):
            yield tbytes, k, terminfo
    except Exception:  # noqa: BLE001 - a field with no terms in this segment
        return


def _write_merged(
    fw: Any,
    field: Any,
    name: str,
    group: list[tuple[bytes, int, Any]],
    readers: list[Any],
    bases: list[int],
    docmaps: list[dict[int, int] | None],
    lengths: dict[str, array[int]],
    started: bool,
    read_matcher: Any,
) -> bool:
    tbytes = group[0][0]
    parts = []
    for _t, k, terminfo in group:
        r = readers[k]
        m = r._codec.postings_reader(
            r._terms._postfile, terminfo, field.format, term=(name, tbytes)
        )
        parts.append((k, m))
    if name in lengths:
        ids = array("I")
        tfs = array("I")
        pos = array("I")
        for k, m in parts:
            p = read_matcher(m, True)
            ppos, cum = p.all_positions()
            dm = docmaps[k]
            if dm is None:
                base = bases[k]
                ids.fromlist([d + base for d in p.ids])
                tfs.extend(p.tfs)
                pos.extend(ppos)
            else:
                for j, d in enumerate(p.ids):
                    nd = dm.get(d)
                    if nd is None:
                        continue
                    ids.append(nd)
                    tfs.append(p.tfs[j])
                    pos.extend(ppos[cum[j] : cum[j + 1]])
        if not ids:
            return started
        if not started:
            fw.start_field(name, field)
        fw.add_term_arrays(tbytes, ids, tfs, pos, lengths[name])
        return True
    postings = []
    for k, m in parts:
        dm = docmaps[k]
        while m.is_active():
            d = m.id()
            nd = d + bases[k] if dm is None else dm.get(d)
            if nd is not None:
                postings.append((nd, m.weight(), m.value()))
            m.next()
    if not postings:
        return started
    if not started:
        fw.start_field(name, field)
    fw.start_term(tbytes)
    for nd, w, v in postings:
        fw.add(nd, w, v, None)
    fw.finish_term()
    return True
