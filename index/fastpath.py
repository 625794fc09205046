"""Top-k search for the common query shape, on whole posting lists instead of matcher objects.

Whoosh evaluates a query one posting at a time through a tree of Python matcher objects; that is
fine for rare terms and hopeless for a two-character string that occurs in half of 100,000
articles. Most queries typed into Pizhu are one or a few plain terms (an AND of substrings in the
default fields), and for those this module works on whole lists, with C doing the per-posting work:

1. each needed bigram's posting list of each segment is read in one go (a few C calls per block,
   see :class:`index.codec.PzLeafMatcher`); positions stay compressed per block until a check
   needs them; recently used lists are kept (search-as-you-type repeats most of its bigrams);
2. a string longer than two characters is looked up through its rarest cover bigram, filtered by
   membership in all its other bigrams' lists (``map`` + ``itertools.compress``);
3. BM25 (the formula, statistics and field boosts of the Whoosh path) is computed once per distinct
   (frequency, length byte) pair and mapped onto the postings;
4. where bigrams must line up (strings of three or more characters) the score so far is an upper
   bound (a string occurs at most as often as its least frequent bigram); candidates are checked
   best first and checking stops once no unchecked candidate can enter the top k. The top k is
   exact (ties go to the lower document number, so a bigger limit only adds hits after these);
   the total is then an estimate from a sample of the unchecked candidates (exact whenever
   everything was checked, e.g. when the limit covers all candidates).
5. an optional whole-word bonus (off, :data:`WORD_BONUS`) would re-order a pool of the best.

Anything else (OR, NOT, dates, tags, one-character terms) goes through Whoosh.
"""

from __future__ import annotations

import heapq
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from itertools import accumulate, compress
from operator import add
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
#: Share of a field's boost added when the query's jieba words are words of the document. Off:
#: it can only be applied to a pool of the best candidates, which makes the first hits depend
#: on the limit asked for (see bench/NOTES.md); ranking is BM25F of the exact string.
WORD_BONUS = 0.0
TAG_BOOST = 2.0
#: Fields whose whole-word matches earn the bonus.
BONUS_FIELDS = ("title", "body")
#: Uncertain candidates are all checked up front when there are at most this many.
EAGER_CHECK = 150
#: How many candidates beyond the limit get the whole-word bonus before the final ordering.
BONUS_EXTRA = 10
BONUS_POOL = 50
#: Unchecked candidates checked to estimate the total when checking stopped early.
ESTIMATE_SAMPLE = 64
#: Decoded posting lists kept between searches, counted in postings.
CACHE_POSTINGS = 4_000_000

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


# ---------------------------------------------------------------------------------------------
# Posting lists


class _Postings:
    """One term's postings in one segment (document numbers local to the segment): ids and
    frequencies as arrays; positions kept per block as stored, decoded only where asked."""

    __slots__ = ("ids", "tfs", "blocks", "starts", "_cums")

    def __init__(
        self,
        ids: array,
        tfs: array,
        blocks: list[tuple[str, bytes]] | None,
        starts: list[int] | None,
    ) -> None:
        self.ids = ids
        self.tfs = tfs
        self.blocks = blocks  # per block: (position typecode, positions as stored)
        self.starts = starts  # index of each block's first posting
        self._cums: dict[int, list[int]] = {}

    def idset(self) -> set[int]:
        return set(self.ids)

    def index(self, doc: int) -> int:
        k = bisect_left(self.ids, doc)
        return k if k < len(self.ids) and self.ids[k] == doc else -1

    def positions(self, doc: int) -> array | None:
        k = self.index(doc)
        if k < 0 or self.blocks is None or self.starts is None:
            return None
        return self._positions_at(k)

    def _positions_at(self, k: int) -> array:
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

    def all_positions(self) -> tuple[array, list[int]]:
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


def _raw_bytes(a: array) -> bytes:
    if sys.byteorder == "big":
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


# ---------------------------------------------------------------------------------------------
# Matches


class _GTable(dict):  # type: ignore[type-arg]
    """BM25 without its idf factor, by key tf * 256 + length byte, filled on demand."""

    def __init__(self, avgfl: float) -> None:
        super().__init__()
        self.avgfl = avgfl

    def __missing__(self, key: int) -> float:
        v = self[key] = bm25(1.0, key >> 8, _LEN[key & 255], self.avgfl, B, K1)
        return v


class _Seg:
    __slots__ = ("reader", "offset", "deleted", "segid")

    def __init__(self, reader: Any, offset: int) -> None:
        self.reader = reader
        self.offset = offset
        self.deleted = set(reader.segment().deleted_docs()) if reader.has_deletions() else set()
        self.segid = reader.segment().segment_id()


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
        self.ids: list[int] = []
        self.tfs: list[int] = []
        self.boost = self.idf = self.avgfl = 1.0

    def verify(self, doc: int) -> int:
        """The string's true frequency in local ``doc`` (0 if the bigrams do not line up)."""
        if self.exact:
            k = bisect_left(self.ids, doc)
            return self.tfs[k] if k < len(self.ids) and self.ids[k] == doc else 0
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
    """Answers :func:`eligible` queries; keeps field lengths and recent posting lists."""

    def __init__(self) -> None:
        self._lengths: dict[tuple[Any, str], bytes] = {}
        self._cache: OrderedDict[tuple[Any, str, bytes, bool], _Postings] = OrderedDict()
        self._cached = 0
        self._df: dict[tuple[str, bytes], int] = {}
        self._g: dict[tuple[str, float], _GTable] = {}
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
        self, searcher: Any, units: list[Unit], limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """[(global docnum, score)] best first, and the (possibly estimated) total."""
        subs = searcher.subsearchers if not searcher.is_atomic() else [(searcher, 0)]
        segs = [_Seg(sub.reader(), off) for sub, off in subs if sub.reader().segment() is not None]
        if not segs:
            return [], 0
        if WORD_BONUS:  # the bonus re-orders a pool of the best candidates
            depth = max(limit, BONUS_POOL) + max(BONUS_EXTRA, limit // 2)
        else:
            depth = max(1, limit)
        matches: list[list[_FieldMatch]] = []
        combined: list[tuple[list[int], list[float], set[int]]] = []
        for u in units:
            fms = self._unit_matches(searcher, segs, u)
            if not fms:
                return [], 0
            matches.append(fms)
            combined.append(self._combine(fms))
        if len(combined) == 1:
            ids, scores, uncertain = combined[0]
        else:
            maps = [dict(zip(c[0], c[1], strict=True)) for c in combined]
            common = set(maps[0])
            for mp in maps[1:]:
                common.intersection_update(mp)
            ids = sorted(common)
            scores = [sum(mp[d] for mp in maps) for d in ids]
            uncertain = set()
            for c in combined:
                uncertain |= c[2] & common
        if not ids:
            return [], 0
        ranked, total = self._top(matches, ids, scores, uncertain, depth)
        ranked = self._bonus(searcher, segs, units, ranked)
        ranked.sort(key=lambda t: (-t[1], t[0]))
        return ranked[:limit], total

    def _unit_matches(self, searcher: Any, segs: list[_Seg], u: Unit) -> list[_FieldMatch]:
        fields = DEFAULT_FIELDS if u.field is None else {u.field: 1.0}
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
                        fm = self._match(gf, seg, lists, others, [terms[k][1] for k in order])
                        if fm is not None:
                            fm.boost, fm.idf, fm.avgfl = boost, idf, avgfl
                            out.append(fm)
        return out

    def _match(
        self,
        field: str,
        seg: _Seg,
        lists: list[_Postings],
        others: list[_Postings],
        offs: list[int],
    ) -> _FieldMatch | None:
        fm = _FieldMatch(field, seg, lists, offs)
        first = lists[0]
        ids, tfs = first.ids.tolist(), first.tfs.tolist()
        if others or seg.deleted:
            mask = None
            for other in sorted(others, key=lambda p: len(p.ids)):
                m2 = list(map(other.idset().__contains__, ids))
                mask = m2 if mask is None else list(map(min, mask, m2))
            if seg.deleted:
                m3 = [d not in seg.deleted for d in ids]
                mask = m3 if mask is None else list(map(min, mask, m3))
            ids = list(compress(ids, mask))  # type: ignore[arg-type]
            tfs = list(compress(tfs, mask))  # type: ignore[arg-type]
        if not ids:
            return None
        if others and len(ids) > EAGER_CHECK:
            # A tighter bound: the string occurs at most as often as its least frequent bigram.
            for other in others:
                tf_of = dict(zip(other.ids, other.tfs, strict=True))
                tfs = list(map(min, tfs, map(tf_of.__getitem__, ids)))
        fm.ids, fm.tfs = ids, tfs
        if not fm.exact and len(ids) <= EAGER_CHECK:
            self._check_all(fm)
            if not fm.ids:
                return None
        return fm

    def _check_all(self, fm: _FieldMatch) -> None:
        ids, tfs = [], []
        for d in fm.ids:
            tf = fm.verify(d)
            if tf:
                ids.append(d)
                tfs.append(tf)
        fm.ids, fm.tfs, fm.exact = ids, tfs, True

    def _scores(self, fm: _FieldMatch) -> list[float]:
        lens = self.lengths(fm.seg.reader, fm.field)
        # key = tf * 256 + length byte: one int per posting. BM25 = idf * g(tf, length), and g
        # depends on the field's average length only: kept per field between searches.
        keys = list(map(add, map((256).__mul__, fm.tfs), map(lens.__getitem__, fm.ids)))
        g = self._g_table(fm.field, fm.avgfl)
        return list(map((fm.boost * fm.idf).__mul__, map(g.__getitem__, keys)))

    def _g_table(self, field: str, avgfl: float) -> dict[int, float]:
        key = (field, avgfl)
        table = self._g.get(key)
        if table is None:
            if len(self._g) > 64:
                self._g.clear()
            table = self._g[key] = _GTable(avgfl)
        return table

    def _combine(self, fms: list[_FieldMatch]) -> tuple[list[int], list[float], set[int]]:
        """One unit's candidates over all its fields: global ids (not sorted), summed scores
        (upper bounds where uncertain) and the uncertain ids."""
        per_field: dict[str, list[tuple[list[int], list[float], bool]]] = {}
        for fm in fms:
            off = fm.seg.offset
            gids = fm.ids if not off else list(map(off.__add__, fm.ids))
            per_field.setdefault(fm.field, []).append((gids, self._scores(fm), fm.exact))
        parts: list[tuple[list[int], list[float], bool]] = []
        for segs in per_field.values():
            if len(segs) == 1:
                parts.append(segs[0])
            else:  # segments are in offset order: concatenating keeps ids ascending
                ids: list[int] = []
                sc: list[float] = []
                uncertain = True
                for g, s, ex in segs:
                    ids.extend(g)
                    sc.extend(s)
                    uncertain = uncertain and not ex
                parts.append((ids, sc, all(ex for _g, _s, ex in segs)))
        parts.sort(key=lambda p: len(p[0]), reverse=True)
        base_ids, base_scores, base_exact = parts[0]
        uncertain_ids: set[int] = set()
        if not base_exact:
            uncertain_ids = _uncertain_of(fms, parts[0][0])
        if len(parts) == 1:
            return base_ids, base_scores, uncertain_ids
        # Add the smaller fields' scores into the biggest field's lists: a bisect per posting of
        # the smaller list; documents found only there are appended (order does not matter
        # from here on).
        ids, scores = list(base_ids), list(base_scores)
        n = len(ids)
        extra: dict[int, float] = {}
        for pids, pscores, pexact in parts[1:]:
            if not pexact:
                uncertain_ids |= _uncertain_of(fms, pids)
            for d, sc in zip(pids, pscores, strict=True):
                k = bisect_left(ids, d, 0, n)
                if k < n and ids[k] == d:
                    scores[k] += sc
                else:
                    extra[d] = extra.get(d, 0.0) + sc
        if extra:
            ids.extend(extra)
            scores.extend(extra.values())
        return ids, scores, uncertain_ids

    def _exact_score(self, matches: list[list[_FieldMatch]], doc: int) -> float:
        """The true score of global ``doc`` (0.0 if some unit does not really occur in it)."""
        total = 0.0
        for fms in matches:
            unit_score = 0.0
            hit = False
            for fm in fms:
                local = doc - fm.seg.offset
                if local < 0 or local >= fm.seg.reader.doc_count_all():
                    continue
                tf = fm.verify(local)
                if tf:
                    hit = True
                    lb = self.lengths(fm.seg.reader, fm.field)[local]
                    g = self._g_table(fm.field, fm.avgfl)
                    unit_score += (fm.boost * fm.idf) * g[tf * 256 + lb]
            if not hit:
                return 0.0
            total += unit_score
        return round(total, 9)

    def _top(
        self,
        matches: list[list[_FieldMatch]],
        ids: list[int],
        scores: list[float],
        uncertain: set[int],
        depth: int,
    ) -> tuple[list[tuple[int, float]], int]:
        n = len(ids)
        neg = list(map((0).__sub__, ids))
        if not uncertain:
            top = heapq.nlargest(depth, zip(scores, neg, strict=True))
            return [(-nd, s) for s, nd in top], n
        if len(uncertain) <= EAGER_CHECK or depth >= n:
            keep_s, keep_n = [], []
            for s, nd in zip(scores, neg, strict=True):
                if -nd in uncertain:
                    s = self._exact_score(matches, -nd)
                    if not s:
                        continue
                keep_s.append(s)
                keep_n.append(nd)
            top = heapq.nlargest(depth, zip(keep_s, keep_n, strict=True))
            return [(-nd, s) for s, nd in top], len(keep_s)
        # Best first by upper bound; stop when the next bound cannot beat the depth-th score.
        order = heapq.nlargest(min(n, max(256, depth * 8)), zip(scores, neg, strict=True))
        heap: list[tuple[float, int]] = []
        checked = matched = 0
        i = 0
        while i < n:
            if i == len(order):  # ran out of the partial ordering: take the full one
                order = sorted(zip(scores, neg, strict=True), reverse=True)
            ub, nd = order[i]
            if len(heap) >= depth and (ub, nd) < heap[0]:
                break
            i += 1
            s = ub
            if -nd in uncertain:
                checked += 1
                s = self._exact_score(matches, -nd)
                if not s:
                    continue
            matched += 1
            if len(heap) < depth:
                heapq.heappush(heap, (s, nd))
            elif (s, nd) > heap[0]:
                heapq.heapreplace(heap, (s, nd))
        found = [(-nd, s) for s, nd in heap]
        if i >= n:
            return found, matched
        # Estimate how many of the unchecked candidates really match from a sample of them (the
        # checked ones were the best bounds, not a fair sample).
        rest = [-nd for _ub, nd in order[i:] if -nd in uncertain] if i < len(order) else []
        if len(order) < n:
            seen = {-nd for _ub, nd in order[:i]}
            rest = [d for d in uncertain if d not in seen]
        unchecked = len(rest)
        sure_rest = (n - i) - unchecked
        if unchecked:
            step = max(1, unchecked // ESTIMATE_SAMPLE)
            sample = rest[::step][:ESTIMATE_SAMPLE]
            ok = sum(1 for d in sample if self._exact_score(matches, d))
            estimate = round(unchecked * ok / len(sample))
        else:
            estimate = 0
        return found, max(len(found), matched + sure_rest + estimate)

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
                if f in BONUS_FIELDS:
                    for w in ws:
                        terms.append((f, w.encode("utf-8"), b * WORD_BONUS))
        if not terms:
            return list(ranked)
        scores = dict(ranked)
        offsets = [s.offset for s in segs]
        by_seg: dict[int, list[int]] = {}
        for d in scores:
            k = max(0, bisect_left(offsets, d + 1) - 1)
            by_seg.setdefault(k, []).append(d - offsets[k])
        for f, tb, boost in terms:
            if not self.df(searcher, f, tb):
                continue
            idf = searcher.idf(f, tb)
            avgfl = searcher.avg_field_length(f) or 1.0
            for k, docs in by_seg.items():
                seg = segs[k]
                plist = self.postings(seg, f, tb, False)
                if plist is None:
                    continue
                lens = self.lengths(seg.reader, f)
                pids, ptfs = plist.ids, plist.tfs
                n = len(pids)
                for local in docs:
                    j = bisect_left(pids, local)
                    if j < n and pids[j] == local:
                        scores[local + seg.offset] += boost * bm25(
                            idf, ptfs[j], _LEN[lens[local]], avgfl, B, K1
                        )
        return list(scores.items())


def _uncertain_of(fms: list[_FieldMatch], gids: list[int]) -> set[int]:
    return set(gids)
