"""Top-k search on whole posting lists, as numpy arrays, instead of Whoosh's matcher objects.

Whoosh evaluates a query one posting at a time through a tree of Python matcher objects; that is
fine for rare terms and hopeless for a two-character string that occurs in 90 % of 100,000
articles (0.3 s), an OR of two such strings (0.2 s), a date filter (0.6 s) or a single character
(3 s). This module answers every query of :mod:`index.query` from the same index files, with
numpy doing the per-posting work:

1. each needed bigram's posting list of each segment is read in one go (a few C calls per block,
   see :class:`index.codec.PzLeafMatcher`) and viewed as uint32 arrays; positions stay
   compressed per block until a check needs them; recently used lists are kept
   (search-as-you-type repeats most of its bigrams);
2. a string longer than two characters is looked up through its rarest cover bigram, filtered by
   membership in all its other bigrams' lists (a boolean array over the segment's documents);
3. BM25 (Whoosh's formula, statistics and field boosts, the same float operations in the same
   order) is computed for all postings at once;
4. every node of the query tree becomes four arrays over the documents (:class:`_Val`): may
   match, surely matches, exactly known, score (an upper bound where not exactly known). AND,
   OR, NOT, dates (one array of dates per segment, read once) and tags are array operations;
5. where bigrams must line up (strings of three or more characters) a document's frequency is
   only bounded (a string occurs at most as often as its least frequent bigram): candidates are
   checked best first (:meth:`_Eval.exact` re-evaluates the whole tree for one document) and
   checking stops once no unchecked candidate can enter the top k. The top k is exact (ties go
   to the lower document number, so a bigger limit only adds hits after these); the total is
   exact when everything was checked, otherwise estimated from a sample of the unchecked
   candidates.

The Whoosh path (:func:`index.compiler.to_whoosh`) is kept as the reference the tests compare
with (``SearchIndex.use_fastpath = False``).
"""

from __future__ import annotations

import heapq
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.scoring import bm25
from whoosh.util.numeric import byte_to_length

from index import analysis
from index.codec import PzLeafMatcher, _arr
from index.matching import CHAR_EXPANSION_LIMIT, cover
from index.query import And, DateRange, Everything, Node, Not, Or, Unit
from index.schema import ANNOTATION_FIELDS, DEFAULT_FIELDS, GRAM_SUFFIX, normalize_tag

B = 0.75
K1 = 1.2
TAG_BOOST = 2.0
#: Uncertain candidates are all checked up front when there are at most this many.
EAGER_CHECK = 150
#: Unchecked candidates checked to estimate the total when checking stopped early.
ESTIMATE_SAMPLE = 64
#: Decoded posting lists kept between searches, counted in postings.
CACHE_POSTINGS = 4_000_000

_LEN = [byte_to_length(b) for b in range(256)]
_LEN_NP = np.array(_LEN, dtype=np.float64)
_EMPTY = np.zeros(0, dtype=np.uint32)


# ---------------------------------------------------------------------------------------------
# Posting lists


class _Postings:
    """One term's postings in one segment (document numbers local to the segment): ids and
    frequencies as arrays; positions kept per block as stored, decoded only where asked."""

    __slots__ = ("ids", "tfs", "blocks", "starts", "_cums")

    def __init__(
        self,
        ids: array[int],
        tfs: array[int],
        blocks: list[tuple[str, bytes]] | None,
        starts: list[int] | None,
    ) -> None:
        self.ids = ids
        self.tfs = tfs
        self.blocks = blocks  # per block: (position typecode, positions as stored)
        self.starts = starts  # index of each block's first posting
        self._cums: dict[int, list[int]] = {}

    def np_ids(self) -> Any:
        return np.frombuffer(self.ids, dtype=np.uint32) if len(self.ids) else _EMPTY

    def np_tfs(self) -> Any:
        return np.frombuffer(self.tfs, dtype=np.uint32) if len(self.tfs) else _EMPTY

    def np_mask(self, n: int) -> Any:
        """A bool array over the segment's ``n`` documents: True where the term occurs."""
        mask = np.zeros(n, dtype=bool)
        mask[self.np_ids()] = True
        return mask

    def index(self, doc: int) -> int:
        k = bisect_left(self.ids, doc)
        return k if k < len(self.ids) and self.ids[k] == doc else -1

    def positions(self, doc: int) -> array[int] | None:
        k = self.index(doc)
        if k < 0 or self.blocks is None or self.starts is None:
            return None
        return self._positions_at(k)

    def _positions_at(self, k: int) -> array[int]:
        assert self.blocks is not None and self.starts is not None
        b = bisect_right(self.starts, k) - 1
        start = self.starts[b]
        cum = self._cums.get(b)
        if cum is None:
            end = self.starts[b + 1] if b + 1 < len(self.starts) else len(self.ids)
            cum = self._cums[b] = list(accumulate(self.tfs[start:end], initial=0))
        code, raw = self.blocks[b]
        if isinstance(raw, _LazyBytes):
            raw = raw.get()
        sz = 2 if code == "H" else 4
        j = k - start
        return _arr(code, raw[cum[j] * sz : cum[j + 1] * sz])

    def all_positions(self) -> tuple[array[int], list[int]]:
        """Every position, concatenated (as uint32), and the running total of frequencies."""
        pos = array("I")
        for code, raw in self.blocks or []:
            a = _arr(code, raw.get() if isinstance(raw, _LazyBytes) else raw)
            if code == "I":
                pos.extend(a)
            else:
                pos.fromlist(a.tolist())
        return pos, list(accumulate(self.tfs, initial=0))


def read_postings(reader: Any, fieldname: str, tbytes: bytes, positions: bool) -> _Postings | None:
    if (fieldname, tbytes) not in reader:
        return None
    return read_matcher(reader.postings(fieldname, tbytes), positions)


def read_matcher(m: Any, positions: bool) -> _Postings:
    """All the postings of a fresh leaf matcher."""
    ids = array("I")
    tfs = array("I")
    blocks: list[tuple[str, Any]] | None = [] if positions else None
    starts: list[int] | None = [] if positions else None
    if isinstance(m, PzLeafMatcher):
        while True:
            if m._data is None:
                m._read_data()
            if starts is not None:
                starts.append(len(ids))
            if m._pz:
                m._read_ids()
                bids = m._ids
                if isinstance(bids, array) and bids.typecode == "I":
                    ids.extend(bids)
                else:
                    ids.fromlist(list(bids))
                btfs = m._tfs
                if btfs.typecode == "I":  # type: ignore[union-attr]
                    tfs.extend(btfs)  # type: ignore[arg-type]
                else:
                    tfs.fromlist(btfs.tolist())  # type: ignore[union-attr]
                if blocks is not None:
                    blocks.append((m._poscode, _LazyBytes(m._possec, m._poscomp)))
            else:
                m._read_ids()
                m._read_weights()
                ids.fromlist(list(m._ids))
                tfs.fromlist([int(w) for w in m._weights])
                if blocks is not None:
                    m._read_values()
                    pos = array("I")
                    for v in m._values:
                        pos.fromlist(list(m.format.decode_positions(v)))
                    blocks.append(("I", _raw_bytes(pos)))
            if m._lastblock:
                break
            m._goto(m._nextoffset)
    else:
        pos = array("I")
        while m.is_active():
            ids.append(m.id())
            tfs.append(int(m.weight()))
            if positions and m.supports("positions"):
                pos.fromlist(list(m.value_as("positions")))
            m.next()
        if blocks is not None and starts is not None:
            starts.append(0)
            blocks.append(("I", _raw_bytes(pos)))
    return _Postings(ids, tfs, blocks, starts)


class _LazyBytes:
    """A block's positions as stored; inflated the first time they are needed."""

    __slots__ = ("sec", "comp")

    def __init__(self, sec: bytes, comp: bool) -> None:
        self.sec = sec
        self.comp = comp

    def get(self) -> bytes:
        if self.comp:
            self.sec = zlib.decompress(self.sec)
            self.comp = False
        return self.sec


def _raw_bytes(a: array[int]) -> bytes:
    if sys.byteorder == "big":
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


# ---------------------------------------------------------------------------------------------
# Matches


def read_aids(reader: Any) -> Any:
    """The ``aid`` column of a segment as an int64 array (0 where a document has none)."""
    n = reader.doc_count_all()
    out = np.zeros(n, dtype=np.int64)
    if "aid" not in reader.schema or not reader.has_column("aid"):
        return out
    cr = reader.column_reader("aid", translate=False)
    try:  # the column's bytes in one read: big-endian int32, trailing defaults not stored
        raw = cr._dbfile.get(cr._basepos, cr._count * cr._fixedlen)
        vals = np.frombuffer(raw, dtype=">i4")
        out[: len(vals)] = vals
    except AttributeError:  # another column reader: one value at a time
        out[:] = [int(v) for v in cr]
    return out


class _Seg:
    __slots__ = ("reader", "offset", "deleted", "segid", "_alive")

    def __init__(self, reader: Any, offset: int) -> None:
        self.reader = reader
        self.offset = offset
        self.deleted = set(reader.segment().deleted_docs()) if reader.has_deletions() else set()
        self.segid = reader.segment().segment_id()
        self._alive: Any = None

    def alive(self, n: int) -> Any:
        """A bool array over the segment's documents: False where deleted."""
        if self._alive is None:
            self._alive = np.ones(n, dtype=bool)
            if self.deleted:
                self._alive[np.fromiter(self.deleted, dtype=np.intp)] = False
        return self._alive


class _FieldMatch:
    """A unit in one field of one segment: candidate documents (local, ascending), their
    frequency (exact, or an upper bound when ``exact`` is False), and how to check them."""

    __slots__ = ("field", "seg", "lists", "offs", "exact", "ids", "tfs", "boost", "idf", "avgfl")

    def __init__(self, field: str, seg: _Seg, lists: list[_Postings], offs: list[int]) -> None:
        self.field = field
        self.seg = seg
        self.lists = lists
        self.offs = offs
        self.exact = len(lists) == 1
        self.ids: Any = _EMPTY  # numpy uint32, ascending
        self.tfs: Any = _EMPTY
        self.boost = self.idf = self.avgfl = 1.0

    def verify(self, doc: int) -> int:
        """The string's true frequency in local ``doc`` (0 if the bigrams do not line up)."""
        if self.exact:
            k = int(np.searchsorted(self.ids, doc))
            return int(self.tfs[k]) if k < len(self.ids) and self.ids[k] == doc else 0
        starts: set[int] | None = None
        for lst, off in zip(self.lists, self.offs, strict=True):
            p = lst.positions(doc)
            if not p:
                return 0
            shifted = set(p) if off == 0 else {x - off for x in p}
            if starts is None:
                starts = shifted
            else:
                starts &= shifted
            if not starts:
                return 0
        return len(starts) if starts else 0


class FastSearch:
    """Answers parsed queries (:meth:`search`); keeps field lengths, dates and recent posting
    lists between searches."""

    def __init__(self) -> None:
        self._lengths: dict[tuple[Any, str], Any] = {}
        self._cache: OrderedDict[tuple[Any, str, bytes, bool], _Postings] = OrderedDict()
        self._cached = 0
        self._df: dict[tuple[str, bytes], int] = {}
        self._dates: dict[Any, Any] = {}
        self._aids: dict[Any, Any] = {}
        self._df_of: Any = None

    def df(self, searcher: Any, field: str, tbytes: bytes) -> int:
        """Document frequency, remembered for as long as the searcher is the same."""
        if self._df_of is not searcher:
            self._df_of = searcher
            self._df = {}
        key = (field, tbytes)
        n = self._df.get(key)
        if n is None:
            n = self._df[key] = searcher.doc_frequency(field, tbytes)
        return n

    def lengths_np(self, reader: Any, field: str) -> Any:
        """The field's length bytes of every document of the segment, as a uint8 array."""
        key = (reader.segment().segment_id(), field)
        got = self._lengths.get(key)
        if got is None:
            n = reader.doc_count_all()
            cr = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            raw = b"" if cr is None else bytes(cr._dbfile.get(cr._basepos, cr._count))
            got = np.frombuffer(raw[:n] + bytes(max(0, n - len(raw))), dtype=np.uint8)
            if len(self._lengths) > 512:
                self._lengths.clear()
            self._lengths[key] = got
        return got

    def postings(self, seg: _Seg, field: str, tbytes: bytes, positions: bool) -> _Postings | None:
        key = (seg.segid, field, tbytes, positions)
        p = self._cache.get(key)
        if p is not None:
            self._cache.move_to_end(key)
            return p
        if not positions:
            p = self._cache.get((seg.segid, field, tbytes, True))
            if p is not None:
                return p
        p = read_postings(seg.reader, field, tbytes, positions)
        if p is None:
            return None
        n = len(p.ids)
        if n <= CACHE_POSTINGS // 4:
            self._cache[key] = p
            self._cached += n
            while self._cached > CACHE_POSTINGS and self._cache:
                _k, old = self._cache.popitem(last=False)
                self._cached -= len(old.ids)
        return p

    def forget(self) -> None:
        """Drop cached lists (segments are immutable, but deletions change what is visible)."""
        self._cache.clear()
        self._cached = 0

    # ------------------------------------------------------------------ search

    def search(
        self, searcher: Any, node: Node | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """[(global docnum, score)] best first (ties: lower docnum first), and the total
        (exact, or estimated when position checks stopped early)."""
        subs = searcher.subsearchers if not searcher.is_atomic() else [(searcher, 0)]
        segs = [_Seg(sub.reader(), off) for sub, off in subs if sub.reader().segment() is not None]
        if not segs or node is None:
            return [], 0
        ev = _Eval(self, searcher, segs)
        val = ev.node(node)
        if val is None:
            return [], 0
        ids = np.flatnonzero(val.maybe)
        if not len(ids):
            return [], 0
        unsure = ~val.known[ids]
        ranked, count = self._top(
            lambda doc: ev.exact(node, doc), ids, val.score[ids], unsure, max(1, limit)
        )
        ranked.sort(key=lambda t: (-t[1], t[0]))
        return ranked[:limit], count

    def _unit_matches(self, searcher: Any, segs: list[_Seg], u: Unit) -> list[_FieldMatch]:
        """The unit's matches in every field it searches and every segment, in a fixed order
        (the order its scores are added up in)."""
        if u.field == "tag":
            tag = normalize_tag(u.text)
            return self._term_matches(searcher, segs, [("tag", tag.encode("utf-8"), 1.0)])
        fields = DEFAULT_FIELDS if u.field is None else {u.field: 1.0}
        if len(u.text) == 1:
            return self._char_matches(searcher, segs, u.text, fields)
        covering = cover(u.text)
        # Every bigram of the string filters candidates (cheap set membership); positions are
        # read only for the cover bigrams, which are enough to prove an occurrence.
        cover_set = {g for g, _ in covering}
        extra = sorted({u.text[i : i + 2] for i in range(len(u.text) - 1)} - cover_set)
        grams = [(g.encode("utf-8"), off) for g, off in covering]
        filters = [g.encode("utf-8") for g in extra]
        sources = [(f + GRAM_SUFFIX, grams, filters, boost) for f, boost in fields.items()]
        if u.field is None:
            tag = normalize_tag(u.text)
            if tag:
                sources.append(("tag", [(tag.encode("utf-8"), 0)], [], TAG_BOOST))
        out: list[_FieldMatch] = []
        for gf, terms, filt, boost in sources:
            dfs = [self.df(searcher, gf, g) for g, _ in terms]
            if not all(dfs) or not all(self.df(searcher, gf, g) for g in filt):
                continue
            order = sorted(range(len(terms)), key=dfs.__getitem__)  # rarest first
            rare = terms[order[0]][0]
            idf = searcher.idf(gf, rare)
            avgfl = searcher.avg_field_length(gf) or 1.0
            need_pos = len(terms) > 1
            for seg in segs:
                lists = []
                for k in order:
                    p = self.postings(seg, gf, terms[k][0], need_pos)
                    if p is None:
                        break
                    lists.append(p)
                else:
                    others = lists[1:]
                    for g in filt:
                        p = self.postings(seg, gf, g, False)
                        if p is None:
                            break
                        others.append(p)
                    else:
                        fm = _FieldMatch(gf, seg, lists, [terms[k][1] for k in order])
                        fm.boost, fm.idf, fm.avgfl = boost, idf, avgfl
                        if self._match(fm, others):
                            out.append(fm)
        return out

    def _term_matches(
        self, searcher: Any, segs: list[_Seg], terms: list[tuple[str, bytes, float]]
    ) -> list[_FieldMatch]:
        """Whole terms (field, term, boost), each scored as BM25 on its own list."""
        out: list[_FieldMatch] = []
        for field, tbytes, boost in terms:
            if not tbytes or not self.df(searcher, field, tbytes):
                continue
            idf = searcher.idf(field, tbytes)
            avgfl = searcher.avg_field_length(field) or 1.0
            for seg in segs:
                p = self.postings(seg, field, tbytes, False)
                if p is None:
                    continue
                fm = _FieldMatch(field, seg, [p], [0])
                fm.boost, fm.idf, fm.avgfl = boost, idf, avgfl
                if self._match(fm, []):
                    out.append(fm)
        return out

    def _char_matches(
        self, searcher: Any, segs: list[_Seg], ch: str, fields: dict[str, float]
    ) -> list[_FieldMatch]:
        """One character, as :class:`index.matching.CharQuery` finds it: the character as a
        jieba word, or starting a bigram (at half the boost; none when more than
        CHAR_EXPANSION_LIMIT bigrams start with it), in each segment."""
        out: list[_FieldMatch] = []
        tag = normalize_tag(ch)
        for seg in segs:
            one = [seg]
            for f, b in fields.items():
                terms = [(f, ch.encode("utf-8"), b)]
                gf = f + GRAM_SUFFIX
                grams: list[bytes] = []
                for t in seg.reader.expand_prefix(gf, ch):
                    grams.append(t if isinstance(t, bytes) else t.encode("utf-8"))
                    if len(grams) > CHAR_EXPANSION_LIMIT:
                        grams = []
                        break
                terms.extend((gf, g, b * 0.5) for g in grams)
                out.extend(self._term_matches(searcher, one, terms))
            if len(fields) > 1 and tag:
                out.extend(
                    self._term_matches(searcher, one, [("tag", tag.encode("utf-8"), TAG_BOOST)])
                )
        return out

    def aids(self, seg: _Seg) -> Any:
        """The article id of every document of the segment (negative for an annotation
        document, 0 for none), read once from the ``aid`` column as one array."""
        got = self._aids.get(seg.segid)
        if got is None:
            got = read_aids(seg.reader)
            if len(self._aids) > 64:
                self._aids.clear()
            self._aids[seg.segid] = got
        return got

    def dates(self, seg: _Seg) -> Any:
        """The date (yyyymmdd, 0 = none) of every document of the segment, read once."""
        got = self._dates.get(seg.segid)
        if got is None:
            reader = seg.reader
            got = np.zeros(reader.doc_count_all(), dtype=np.uint32)
            if "date" in reader.schema:
                fobj = reader.schema["date"]
                for bt in fobj.sortable_terms(reader, "date"):
                    p = read_matcher(reader.postings("date", bt), False)
                    got[p.np_ids()] = int(fobj.from_bytes(bt))
            if len(self._dates) > 64:
                self._dates.clear()
            self._dates[seg.segid] = got
        return got

    def _match(self, fm: _FieldMatch, others: list[_Postings]) -> bool:
        """Fill ``fm``'s candidates: the documents of its rarest bigram that are in every other
        bigram's list and not deleted. False when none is left."""
        seg = fm.seg
        first = fm.lists[0]
        ids, tfs = first.np_ids(), first.np_tfs()
        if others or seg.deleted:
            n = seg.reader.doc_count_all()
            keep = np.ones(n, dtype=bool) if not seg.deleted else seg.alive(n).copy()
            for other in others:
                keep &= other.np_mask(n)
            sel = keep[ids]
            ids, tfs = ids[sel], tfs[sel]
        if not len(ids):
            return False
        if others and len(ids) > EAGER_CHECK:
            # A tighter bound: the string occurs at most as often as its least frequent bigram.
            n = seg.reader.doc_count_all()
            for other in others:
                dense = np.zeros(n, dtype=np.uint32)
                dense[other.np_ids()] = other.np_tfs()
                tfs = np.minimum(tfs, dense[ids])
        fm.ids, fm.tfs = ids, tfs
        if not fm.exact and len(ids) <= EAGER_CHECK:
            self._check_all(fm)
            if not len(fm.ids):
                return False
        return True

    def _check_all(self, fm: _FieldMatch) -> None:
        ids, tfs = [], []
        for d in fm.ids.tolist():
            tf = fm.verify(d)
            if tf:
                ids.append(d)
                tfs.append(tf)
        fm.ids = np.array(ids, dtype=np.uint32)
        fm.tfs = np.array(tfs, dtype=np.uint32)
        fm.exact = True

    def _scores(self, fm: _FieldMatch) -> Any:
        """BM25 of every candidate, as Whoosh's ``bm25`` computes it (same operations, same
        order, so the same floats), times the field's boost."""
        lens = _LEN_NP[self.lengths_np(fm.seg.reader, fm.field)[fm.ids]]
        tf = fm.tfs.astype(np.float64)
        g = (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lens / fm.avgfl))
        return (fm.boost * fm.idf) * g

    def _dense(self, fms: list[_FieldMatch], size: int) -> tuple[Any, Any, Any]:
        """One unit over all its fields and segments, as arrays over global document numbers:
        present, score (summed over fields in ``fms`` order; an upper bound where unsure),
        unsure (some field's frequency is a bound still to be checked)."""
        present = np.zeros(size, dtype=bool)
        score = np.zeros(size, dtype=np.float64)
        unsure = np.zeros(size, dtype=bool)
        for fm in fms:
            gids = fm.ids.astype(np.intp)
            if fm.seg.offset:
                gids += fm.seg.offset
            present[gids] = True
            score[gids] += self._scores(fm)  # ids are unique within one match
            if not fm.exact:
                unsure[gids] = True
        return present, score, unsure

    def _top(
        self,
        exact: Callable[[int], float | None],
        ids: Any,
        scores: Any,
        unsure: Any,
        depth: int,
    ) -> tuple[list[tuple[int, float]], int]:
        """The ``depth`` best (doc, score), ties to the lower document, and the total."""
        n = len(ids)
        n_unsure = int(np.count_nonzero(unsure))
        if not n_unsure:
            return _best(ids, scores, depth), n
        if n_unsure <= EAGER_CHECK or depth >= n:
            scores = scores.copy()
            ok = np.ones(n, dtype=bool)
            for k in np.flatnonzero(unsure).tolist():
                s = exact(int(ids[k]))
                if s is None:
                    ok[k] = False
                else:
                    scores[k] = s
            ids, scores = ids[ok], scores[ok]
            return _best(ids, scores, depth), len(ids)
        # Best first by upper bound; stop when the next bound cannot beat the depth-th score.
        pool = min(n, max(256, depth * 8))
        order = _order(ids, scores, pool)
        heap: list[tuple[float, int]] = []
        checked = np.zeros(n, dtype=bool)
        matched = 0
        i = 0
        while i < n:
            if i == len(order):  # ran out of the partial ordering: take the full one
                order = _order(ids, scores, n)
            k = order[i]
            ub, doc = float(scores[k]), int(ids[k])
            if len(heap) >= depth and (ub, -doc) < heap[0]:
                break
            i += 1
            checked[k] = True
            s = ub
            if unsure[k]:
                s = exact(doc)
                if s is None:
                    continue
            matched += 1
            if len(heap) < depth:
                heapq.heappush(heap, (s, -doc))
            elif (s, -doc) > heap[0]:
                heapq.heapreplace(heap, (s, -doc))
        found = [(-nd, s) for s, nd in heap]
        if i >= n:
            return found, matched
        # Estimate how many of the unchecked candidates really match from a sample of them (the
        # checked ones were the best bounds, not a fair sample).
        rest = np.flatnonzero(unsure & ~checked)
        unchecked = len(rest)
        sure_rest = int(np.count_nonzero(~unsure & ~checked))
        estimate = 0
        if unchecked:
            step = max(1, unchecked // ESTIMATE_SAMPLE)
            sample = rest[::step][:ESTIMATE_SAMPLE].tolist()
            n_ok = sum(1 for k in sample if exact(int(ids[k])) is not None)
            estimate = round(unchecked * n_ok / len(sample))
        return found, max(len(found), matched + sure_rest + estimate)


class _Val:
    """A query node over all documents (arrays indexed by global document number): ``maybe``
    could match, ``definite`` surely matches, ``known`` the match and the score are exact (an
    unknown document's score is an upper bound), ``score`` (0 where ``maybe`` is False)."""

    __slots__ = ("maybe", "definite", "known", "score")

    def __init__(self, maybe: Any, definite: Any, known: Any, score: Any) -> None:
        known |= ~maybe
        score[~maybe] = 0.0
        self.maybe, self.definite, self.known, self.score = maybe, definite, known, score


class _Eval:
    """Evaluates a query tree on whole arrays (:meth:`node`), and exactly for one document
    (:meth:`exact`), adding scores in the same order both ways. Nodes the Whoosh path drops
    (an empty term, a lone punctuation mark) are dropped here too."""

    def __init__(self, fast: FastSearch, searcher: Any, segs: list[_Seg]) -> None:
        self.fast = fast
        self.searcher = searcher
        self.segs = segs
        self.size = max(s.offset + s.reader.doc_count_all() for s in segs)
        self.units: dict[int, list[_FieldMatch]] = {}
        self.dropped: set[int] = set()
        self._alive: Any = None
        self._live: Any = None
        self._dates: Any = None
        self._aids: Any = None
        self._owner: Any = None
        self._starts: Any = None
        self._anns: Any = None

    def live(self) -> Any:
        """Documents not deleted (article and annotation documents)."""
        if self._live is None:
            self._live = np.ones(self.size, dtype=bool)
            for seg in self.segs:
                if seg.deleted:
                    n = seg.reader.doc_count_all()
                    self._live[seg.offset : seg.offset + n] = seg.alive(n)
        return self._live

    def alive(self) -> Any:
        """Live article documents: what a query can return."""
        if self._alive is None:
            self._alive = self.live() & (self.aids() >= 0)
        return self._alive

    def aids(self) -> Any:
        if self._aids is None:
            self._aids = np.zeros(self.size, dtype=np.int64)
            for seg in self.segs:
                a = self.fast.aids(seg)
                self._aids[seg.offset : seg.offset + len(a)] = a
        return self._aids

    def join(self) -> tuple[Any, Any, Any]:
        """(owner, starts, anns): for each live annotation document the global number of its
        live article document (-1: none); and the annotation documents of article document
        ``d`` as ``anns[starts[d]:starts[d + 1]]``."""
        if self._owner is None:
            aids, live = self.aids(), self.live()
            owner = np.full(self.size, -1, dtype=np.int64)
            art = np.flatnonzero(live & (aids > 0))
            ann = np.flatnonzero(live & (aids < 0))
            if len(art) and len(ann):
                ids = aids[art]
                order = np.argsort(ids, kind="stable")
                sorted_ids = ids[order]
                want = -aids[ann]
                k = np.searchsorted(sorted_ids, want)
                k[k >= len(sorted_ids)] = 0
                hit = sorted_ids[k] == want
                owner[ann[hit]] = art[order[k[hit]]]
            linked = np.flatnonzero(owner >= 0)
            by_owner = linked[np.argsort(owner[linked], kind="stable")]
            counts = np.bincount(owner[linked], minlength=self.size)
            starts = np.zeros(self.size + 1, dtype=np.int64)
            np.cumsum(counts, out=starts[1:])
            self._owner, self._starts, self._anns = owner, starts, by_owner
        return self._owner, self._starts, self._anns

    def dates(self) -> Any:
        if self._dates is None:
            self._dates = np.zeros(self.size, dtype=np.uint32)
            for seg in self.segs:
                d = self.fast.dates(seg)
                self._dates[seg.offset : seg.offset + len(d)] = d
        return self._dates

    def _zeros(self) -> Any:
        return np.zeros(self.size, dtype=np.float64)

    def node(self, n: Node) -> _Val | None:
        val = self._node(n)
        if val is None:
            self.dropped.add(id(n))
        return val

    def _node(self, n: Node) -> _Val | None:
        if isinstance(n, Unit):
            return self._unit(n)
        if isinstance(n, DateRange):
            d = self.dates()
            m = d > 0
            if n.start is not None:
                m &= d >= n.start
            if n.end is not None:
                m &= d <= n.end
            m &= self.alive()
            return _Val(m, m.copy(), np.ones(self.size, dtype=bool), m.astype(np.float64))
        if isinstance(n, Everything):
            a = self.alive()
            return _Val(a.copy(), a.copy(), np.ones(self.size, dtype=bool), self._zeros())
        if isinstance(n, Not):
            c = self.node(n.child)
            if c is None:
                return None
            a = self.alive()
            known = c.known | c.definite  # (~c.maybe is already in c.known)
            return _Val(a & ~c.definite, a & ~c.maybe, known, self._zeros())
        if isinstance(n, (And, Or)):
            kids = [v for v in map(self.node, n.children) if v is not None]
            if not kids:
                return None
            first = kids[0]
            maybe, definite = first.maybe.copy(), first.definite.copy()
            known, score = first.known.copy(), first.score.copy()
            for v in kids[1:]:
                if isinstance(n, And):
                    maybe &= v.maybe
                    definite &= v.definite
                else:
                    maybe |= v.maybe
                    definite |= v.definite
                known &= v.known
                score += v.score
            return _Val(maybe, definite, known, score)
        return None

    def _unit(self, u: Unit) -> _Val | None:
        if not u.text:
            return None
        if u.field == "tag":
            if not normalize_tag(u.text):
                return None
        elif len(u.text) < 2 and not analysis.char_class_ok(u.text):
            return None
        fms = self.fast._unit_matches(self.searcher, self.segs, u)
        self.units[id(u)] = fms
        present, score, unsure = self.fast._dense(fms, self.size)
        if any(fm.field in ANNOTATION_FIELDS for fm in fms):
            # matches in annotation documents count for their articles (several per article)
            owner = self.join()[0]
            src = np.flatnonzero(present & (self.aids() < 0))
            if len(src):
                tgt = owner[src]
                ok = tgt >= 0
                s_, t_ = src[ok], tgt[ok]
                present[t_] = True
                np.add.at(score, t_, score[s_])
                np.logical_or.at(unsure, t_, unsure[s_])
                present[src] = False
                score[src] = 0.0
                unsure[src] = False
        return _Val(present, present & ~unsure, ~unsure, score)

    def exact(self, n: Node, doc: int) -> float | None:
        """The score of global ``doc`` for node ``n``, or None if it does not match."""
        if isinstance(n, Unit):
            hit = False
            score = 0.0
            anns: list[int] | None = None
            for fm in self.units[id(n)]:
                if fm.field in ANNOTATION_FIELDS:
                    if anns is None:
                        _o, starts, by_owner = self.join()
                        anns = by_owner[starts[doc] : starts[doc + 1]].tolist()
                    targets = anns
                else:
                    targets = [doc]
                for d in targets:
                    local = d - fm.seg.offset
                    if local < 0 or local >= fm.seg.reader.doc_count_all():
                        continue
                    tf = fm.verify(local)
                    if tf:
                        hit = True
                        fl = _LEN[self.fast.lengths_np(fm.seg.reader, fm.field)[local]]
                        score += (fm.boost * fm.idf) * bm25(1.0, tf, fl, fm.avgfl, B, K1)
            return score if hit else None
        if isinstance(n, DateRange):
            v = int(self.dates()[doc])
            ok = v > 0 and (n.start is None or v >= n.start) and (n.end is None or v <= n.end)
            return 1.0 if ok and self.alive()[doc] else None
        if isinstance(n, Everything):
            return 0.0 if self.alive()[doc] else None
        if isinstance(n, Not):
            if not self.alive()[doc]:
                return None
            return 0.0 if self.exact(n.child, doc) is None else None
        if isinstance(n, (And, Or)):
            total = 0.0
            hit = False
            for c in n.children:
                if id(c) in self.dropped:
                    continue
                r = self.exact(c, doc)
                if r is None:
                    if isinstance(n, And):
                        return None
                    continue
                hit = True
                total += r
            return total if hit else None
        return None


def _order(ids: Any, scores: Any, k: int) -> list[int]:
    """Indices of the ``k`` (or a few more, on ties) best by score, then lower document: a
    prefix of the full order."""
    n = len(scores)
    if k >= n:
        sel = np.arange(n)
    else:
        thr = np.partition(scores, n - k)[n - k]
        sel = np.flatnonzero(scores >= thr)
    order: list[int] = sel[np.lexsort((ids[sel], -scores[sel]))].tolist()
    return order


def _best(ids: Any, scores: Any, depth: int) -> list[tuple[int, float]]:
    return [(int(ids[k]), float(scores[k])) for k in _order(ids, scores, depth)[:depth]]
