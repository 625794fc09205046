"""Top-k search for the common query shape, on whole posting lists instead of matcher objects.

Whoosh evaluates a query one posting at a time through a tree of Python matcher objects; that is
fine for rare terms and hopeless for a two-character string that occurs in half of 100,000
articles. Most queries typed into Pizhu are one or a few plain terms (an AND of substrings in the
default fields), and for those this module:

1. reads each needed bigram's posting list of each segment in one go (a few C calls per block of
   128 postings, see :meth:`index.codec.PzLeafMatcher`), positions only when needed;
2. intersects document sets with Python's set operations (C);
3. scores with BM25 (the same formula, statistics and field boosts as the Whoosh path) through a
   table of the distinct (frequency, length byte) pairs, so no Python code runs per posting;
4. for strings longer than two characters, where the bigrams must line up, ranks candidates by an
   upper bound (the substring's frequency is at most its rarest bigram's) and checks positions
   lazily, best first, stopping once no unchecked candidate can enter the top k. The total is then
   an estimate (exact whenever every candidate was checked, e.g. when the limit covers them all).
5. adds the whole-word bonus (jieba words of the query found as words) to the best candidates.

Anything else (OR, NOT, dates, tags, one-character terms) goes through Whoosh.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate
from operator import itemgetter
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.scoring import bm25
from whoosh.util.numeric import byte_to_length

from index import analysis
from index.codec import PzLeafMatcher, _arr
from index.matching import cover
from index.query import And, Node, Unit
from index.schema import DEFAULT_FIELDS, GRAM_SUFFIX, TEXT_FIELDS, normalize_tag

B = 0.75
K1 = 1.2
WORD_BONUS = 0.5
TAG_BOOST = 2.0
#: Candidates whose positions are checked up front when there are at most this many.
EAGER_CHECK = 2500
#: How many of the best candidates get the whole-word bonus before the final ordering.
BONUS_DEPTH = 3

_LEN = [byte_to_length(b) for b in range(256)]


def eligible(node: Node | None) -> list[Unit] | None:
    """The units of a plain conjunction this module can answer, or None."""
    units: list[Unit]
    if isinstance(node, Unit):
        units = [node]
    elif isinstance(node, And) and all(isinstance(c, Unit) for c in node.children):
        units = list(node.children)  # type: ignore[arg-type]
    else:
        return None
    for u in units:
        if u.field is not None and u.field not in TEXT_FIELDS:
            return None
        if len(u.text) < 2:
            return None
    return units


class _Postings:
    """One term's postings in one segment (document numbers local to the segment)."""

    __slots__ = ("ids", "tfs", "cum", "pos")

    def __init__(self, ids: list[int], tfs: array, cum: list[int] | None, pos: array | None):
        self.ids = ids
        self.tfs = tfs
        self.cum = cum
        self.pos = pos

    def positions(self, doc: int) -> array | None:
        k = bisect_left(self.ids, doc)
        if k >= len(self.ids) or self.ids[k] != doc or self.cum is None or self.pos is None:
            return None
        return self.pos[self.cum[k] : self.cum[k + 1]]

    def tf(self, doc: int) -> int:
        k = bisect_left(self.ids, doc)
        if k < len(self.ids) and self.ids[k] == doc:
            return self.tfs[k]
        return 0


def read_postings(reader: Any, fieldname: str, tbytes: bytes, positions: bool) -> _Postings | None:
    if (fieldname, tbytes) not in reader:
        return None
    m = reader.postings(fieldname, tbytes)
    ids: list[int] = []
    tfs = array("I")
    pos = array("I") if positions else None
    if isinstance(m, PzLeafMatcher):
        while True:
            if m._data is None:
                m._read_data()
            if m._pz:
                m._read_ids()
                ids.extend(m._ids)
                tfs.fromlist(m._tfs.tolist())
                if pos is not None:
                    pos.fromlist(_arr(m._poscode, m._posbytes).tolist())
            else:
                _generic_block(m, ids, tfs, pos)
            if m._lastblock:
                break
            m._goto(m._nextoffset)
    else:
        while m.is_active():
            ids.append(m.id())
            w = m.weight()
            tfs.append(int(w))
            if pos is not None:
                pos.extend(m.value_as("positions") if m.supports("positions") else ())
            m.next()
    cum = list(accumulate(tfs, initial=0)) if positions else None
    return _Postings(ids, tfs, cum, pos)


def _generic_block(m: Any, ids: list[int], tfs: array, pos: array | None) -> None:
    m._read_ids()
    m._read_weights()
    ids.extend(m._ids)
    tfs.extend(int(w) for w in m._weights)
    if pos is not None:
        m._read_values()
        for v in m._values:
            pos.extend(m.format.decode_positions(v))


class _Seg:
    def __init__(self, reader: Any, offset: int) -> None:
        self.reader = reader
        self.offset = offset
        self.deleted = set(reader.segment().deleted_docs()) if reader.has_deletions() else set()


class _FieldMatch:
    """A unit in one field of one segment: candidate docs, their tf bound, how to check them."""

    __slots__ = ("field", "seg", "lists", "offs", "exact", "tf")

    def __init__(self, field: str, seg: _Seg, lists: list[_Postings], offs: list[int]) -> None:
        self.field = field
        self.seg = seg
        self.lists = lists
        self.offs = offs
        self.exact = len(lists) == 1
        self.tf: dict[int, int] = {}

    def verify(self, doc: int) -> int:
        """The substring's true frequency in ``doc`` (0 if the bigrams do not line up)."""
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


class _Entry:
    """A unit's match in one field of one segment, with what scoring it needs."""

    __slots__ = ("fm", "boost", "idf", "avgfl", "docs")

    def __init__(self, fm: _FieldMatch, boost: float, idf: float, avgfl: float, docs: set[int]):
        self.fm = fm
        self.boost = boost
        self.idf = idf
        self.avgfl = avgfl
        self.docs = docs  # global document numbers


class FastSearch:
    """Answers :func:`eligible` queries; keeps each segment's field lengths between searches."""

    def __init__(self) -> None:
        self._lengths: dict[tuple[Any, str], bytes] = {}

    def lengths(self, reader: Any, field: str) -> bytes:
        key = (reader.segment().segment_id(), field)
        got = self._lengths.get(key)
        if got is None:
            n = reader.doc_count_all()
            cr = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            raw = b"" if cr is None else bytes(cr._dbfile.get(cr._basepos, cr._count))
            got = raw[:n] + bytes(max(0, n - len(raw)))
            if len(self._lengths) > 512:
                self._lengths.clear()
            self._lengths[key] = got
        return got

    # ------------------------------------------------------------------ search

    def search(
        self, searcher: Any, units: list[Unit], limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """[(global docnum, score)] best first, and the (possibly estimated) total."""
        subs = searcher.subsearchers if not searcher.is_atomic() else [(searcher, 0)]
        segs = [_Seg(sub.reader(), off) for sub, off in subs]
        unit_entries: list[list[_Entry]] = []
        unit_docs: list[set[int]] = []
        for u in units:
            entries = self._unit_entries(searcher, segs, u)
            docs: set[int] = set()
            for e in entries:
                docs |= e.docs
            unit_entries.append(entries)
            unit_docs.append(docs)
        common = unit_docs[0]
        for docs in unit_docs[1:]:
            common = common & docs
        if not common:
            return [], 0

        # Upper bounds (exact where no positions need checking), through score tables.
        bound: dict[int, float] | None = None
        uncertain: set[int] = set()
        for entries in unit_entries:
            for e in entries:
                docs_in = e.docs if e.docs <= common else e.docs & common
                if not docs_in:
                    continue
                dl = list(docs_in)
                scores = self._scores(e, dl)
                if bound is None:
                    bound = dict(zip(dl, scores, strict=True))
                else:
                    get = bound.get
                    for d, sc in zip(dl, scores, strict=True):
                        bound[d] = get(d, 0.0) + sc
                if not e.fm.exact:
                    uncertain |= docs_in
        assert bound is not None
        depth = max(1, limit) * BONUS_DEPTH
        ranked, total = self._top(unit_entries, bound, uncertain, depth)
        ranked = self._bonus(searcher, segs, units, ranked)
        ranked.sort(key=lambda t: (-t[1], t[0]))
        return ranked[:limit], total

    def _unit_entries(self, searcher: Any, segs: list[_Seg], u: Unit) -> list[_Entry]:
        fields = DEFAULT_FIELDS if u.field is None else {u.field: 1.0}
        grams = [(g.encode("utf-8"), off) for g, off in cover(u.text)]
        sources = [(f + GRAM_SUFFIX, grams, boost) for f, boost in fields.items()]
        if u.field is None:
            tag = normalize_tag(u.text)
            if tag:
                sources.append(("tag", [(tag.encode("utf-8"), 0)], TAG_BOOST))
        out: list[_Entry] = []
        for gf, terms, boost in sources:
            dfs = [searcher.doc_frequency(gf, g) for g, _ in terms]
            if not all(dfs):
                continue
            rare = terms[dfs.index(min(dfs))][0]
            idf = searcher.idf(gf, rare)
            avgfl = searcher.avg_field_length(gf) or 1.0
            need_pos = len(terms) > 1
            for seg in segs:
                lists = []
                for g, _off in terms:
                    p = read_postings(seg.reader, gf, g, need_pos)
                    if p is None:
                        break
                    lists.append(p)
                else:
                    fm = _FieldMatch(gf, seg, lists, [off for _g, off in terms])
                    if fm.exact:
                        fm.tf = dict(zip(lists[0].ids, lists[0].tfs, strict=True))
                    else:
                        common = set(lists[0].ids)
                        for lst in lists[1:]:
                            common.intersection_update(lst.ids)
                        cl = list(common)
                        bound: list[int] | None = None
                        for lst in lists:
                            d = dict(zip(lst.ids, lst.tfs, strict=True))
                            vals = list(map(d.__getitem__, cl))
                            bound = vals if bound is None else list(map(min, bound, vals))
                        fm.tf = dict(zip(cl, bound or [], strict=True))
                    if seg.deleted:
                        for d in seg.deleted & fm.tf.keys():
                            del fm.tf[d]
                    if not fm.tf:
                        continue
                    off = seg.offset
                    docs = set(fm.tf) if not off else set(map(off.__add__, fm.tf))
                    out.append(_Entry(fm, boost, idf, avgfl, docs))
        return out

    def _scores(self, e: _Entry, docs: list[int]) -> list[float]:
        fm = e.fm
        lens = self.lengths(fm.seg.reader, fm.field)
        off = fm.seg.offset
        local = list(map((-off).__add__, docs)) if off else docs
        tfs = list(map(fm.tf.__getitem__, local))
        lbs = list(map(lens.__getitem__, local))
        pairs = list(zip(tfs, lbs, strict=True))
        boost, idf, avgfl = e.boost, e.idf, e.avgfl
        table = {(tf, lb): boost * bm25(idf, tf, _LEN[lb], avgfl, B, K1) for tf, lb in set(pairs)}
        return list(map(table.__getitem__, pairs))

    def _exact_score(self, unit_entries: list[list[_Entry]], doc: int) -> float:
        """The true score of ``doc`` (0.0 if some unit does not really occur in it)."""
        total = 0.0
        for entries in unit_entries:
            unit_score = 0.0
            hit = False
            for e in entries:
                if doc not in e.docs:
                    continue
                fm = e.fm
                local = doc - fm.seg.offset
                tf = fm.tf[local] if fm.exact else fm.verify(local)
                if tf:
                    hit = True
                    lb = self.lengths(fm.seg.reader, fm.field)[local]
                    unit_score += e.boost * bm25(e.idf, tf, _LEN[lb], e.avgfl, B, K1)
            if not hit:
                return 0.0
            total += unit_score
        return total

    def _top(
        self,
        unit_entries: list[list[_Entry]],
        bound: dict[int, float],
        uncertain: set[int],
        depth: int,
    ) -> tuple[list[tuple[int, float]], int]:
        if not uncertain:
            return heapq.nlargest(depth, bound.items(), key=itemgetter(1)), len(bound)
        if len(uncertain) <= EAGER_CHECK or depth >= len(bound):
            exact = {}
            for d, s in bound.items():
                if d in uncertain:
                    s = self._exact_score(unit_entries, d)
                    if not s:
                        continue
                exact[d] = s
            return heapq.nlargest(depth, exact.items(), key=itemgetter(1)), len(exact)
        # Best first by upper bound; stop when the next bound cannot beat the depth-th score.
        n = len(bound)
        order = heapq.nlargest(min(n, max(256, depth * 8)), bound.items(), key=itemgetter(1))
        heap: list[tuple[float, int]] = []
        checked = matched = 0
        i = 0
        while i < n:
            if i == len(order):  # ran out of the partial ordering: take the full one
                order = sorted(bound.items(), key=itemgetter(1), reverse=True)
            d, ub = order[i]
            if len(heap) >= depth and ub < heap[0][0]:
                break
            i += 1
            if d in uncertain:
                checked += 1
                s = self._exact_score(unit_entries, d)
                if not s:
                    continue
            else:
                s = ub
            matched += 1
            if len(heap) < depth:
                heapq.heappush(heap, (s, -d))
            elif (s, -d) > heap[0]:
                heapq.heapreplace(heap, (s, -d))
        found = [(-nd, s) for s, nd in heap]
        if i >= n:
            return found, matched
        passed = checked - (i - matched)
        rate = passed / checked if checked else 1.0
        unchecked = len(uncertain) - checked
        sure_rest = (n - i) - unchecked
        return found, max(len(found), matched + sure_rest + round(unchecked * rate))

    def _bonus(
        self, searcher: Any, segs: list[_Seg], units: list[Unit], ranked: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """Add the whole-word bonus: jieba words of each unit found as words in the document."""
        if not WORD_BONUS or not ranked:
            return list(ranked)
        terms: list[tuple[str, bytes, float]] = []
        for u in units:
            fields = DEFAULT_FIELDS if u.field is None else {u.field: 1.0}
            ws = [w for w in analysis.words(u.text) if analysis.char_class_ok(w)]
            for f, b in fields.items():
                for w in ws:
                    terms.append((f, w.encode("utf-8"), b * WORD_BONUS))
        if not terms:
            return list(ranked)
        scores = {d: s for d, s in ranked}
        by_seg: dict[int, list[int]] = {}
        offsets = [s.offset for s in segs]
        for d in scores:
            k = _seg_index(offsets, d)
            by_seg.setdefault(k, []).append(d)
        for f, tb, boost in terms:
            if not searcher.doc_frequency(f, tb):
                continue
            idf = searcher.idf(f, tb)
            avgfl = searcher.avg_field_length(f) or 1.0
            for k, docs in by_seg.items():
                seg = segs[k]
                tfs = _tfs_for(seg.reader, f, tb, sorted(d - seg.offset for d in docs))
                if not tfs:
                    continue
                lens = self.lengths(seg.reader, f)
                for local, tf in tfs.items():
                    scores[local + seg.offset] += boost * bm25(
                        idf, tf, _LEN[lens[local]], avgfl, B, K1
                    )
        return list(scores.items())


def _seg_index(offsets: list[int], doc: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= doc:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _tfs_for(reader: Any, field: str, tbytes: bytes, docs: Iterable[int]) -> dict[int, int]:
    """Frequencies of one term for a few (sorted) local documents, skipping whole blocks."""
    if (field, tbytes) not in reader:
        return {}
    m = reader.postings(field, tbytes)
    out: dict[int, int] = {}
    for d in docs:
        if not m.is_active():
            break
        m.skip_to(d)
        if m.is_active() and m.id() == d:
            out[d] = int(m.weight())
    return out
