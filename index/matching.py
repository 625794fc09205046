"""A Whoosh query that finds an exact (folded) substring through the bigram fields.

A string ``s`` of length L ≥ 2 occurs at offset p exactly when its bigrams occur at p, p+1, …,
p+L-2. It is enough to check a *cover*: bigrams at offsets 0, 2, 4, … plus the last one (L-2),
which halves the posting lists to read for longer strings. Positions are code point offsets
(see :func:`index.analysis.gram_postings`), so checking is a set intersection per candidate.

Scoring: BM25 of the substring's own frequency in the document, with the IDF of its rarest bigram
(a lower bound on the substring's true IDF), times the query boost.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

from whoosh import matching
from whoosh.query import qcore, terms

from index.schema import _BIG_ENDIAN


def _null_matcher() -> matching.Matcher:
    null: matching.Matcher = matching.NullMatcher()  # whoosh's singleton (its __call__ is untyped)
    return null


def cover(s: str) -> list[tuple[str, int]]:
    """(bigram, offset) pairs whose presence at p+offset proves ``s`` occurs at p."""
    n = len(s)
    if n < 2:
        return []
    offs = list(range(0, n - 1, 2))
    if offs[-1] != n - 2:
        offs.append(n - 2)
    return [(s[o : o + 2], o) for o in offs]


def _positions(vbytes: bytes) -> array[int]:
    a = array(chr(vbytes[0]))
    a.frombytes(vbytes[1:])
    if _BIG_ENDIAN:
        a.byteswap()
    return a


class SubstringQuery(qcore.Query):
    """Documents whose bigram field ``fieldname`` contains the folded string ``text``."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        self.fieldname = fieldname
        self.text = text
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.fieldname == other.fieldname
            and self.text == other.text
            and self.boost == other.boost
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fieldname, self.text, self.boost))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r}, boost={self.boost})"

    def __str__(self) -> str:
        return f'{self.fieldname}:"{self.text}"'

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        for g, _ in cover(self.text):
            yield (self.fieldname, g)

    def normalize(self) -> qcore.Query:
        if len(self.text) < 2:
            return qcore.NullQuery
        return self

    def _and_query(self) -> qcore.Query:
        from whoosh.query import And

        return And([terms.Term(self.fieldname, g) for g, _ in cover(self.text)])

    def estimate_size(self, ixreader: Any) -> int:
        return self._and_query().estimate_size(ixreader)

    def estimate_min_size(self, ixreader: Any) -> int:
        return self._and_query().estimate_min_size(ixreader)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        parts = cover(self.text)
        if not parts:
            return _null_matcher()
        if len(parts) == 1:
            return terms.Term(self.fieldname, parts[0][0], boost=self.boost).matcher(
                searcher, context
            )
        fieldname = self.fieldname
        reader = searcher.reader()
        keyed = []
        for g, off in parts:
            gb = g.encode("utf-8")
            if (fieldname, gb) not in reader:
                return _null_matcher()
            keyed.append((reader.doc_frequency(fieldname, gb), gb, off))
        keyed.sort()
        weighting = (context.weighting if context is not None else None) or searcher.weighting
        scorer = weighting.scorer(searcher, fieldname, keyed[0][1]) if weighting else None
        ms = []
        offs = []
        for _df, gb, off in keyed:
            ms.append(reader.postings(fieldname, gb))
            offs.append(off)
        return SubstringMatcher(ms, offs, scorer, self.boost)


class SubstringMatcher(matching.Matcher):
    """Intersects the cover bigrams' postings and keeps documents where they line up."""

    def __init__(self, ms: list[matching.Matcher], offs: list[int], scorer: Any, boost: float) -> None:
        self._ms = ms
        self._offs = offs
        self._scorer = scorer
        self._boost = boost
        self._count = 0
        self._active = True
        self._find()

    # -- matching

    def _align(self) -> bool:
        """Move all matchers to the next common id (>= current); False when exhausted."""
        ms = self._ms
        lead = ms[0]
        if not lead.is_active():
            return False
        target = lead.id()
        while True:
            moved = False
            for m in ms:
                if not m.is_active():
                    return False
                mid = m.id()
                if mid < target:
                    m.skip_to(target)
                    if not m.is_active():
                        return False
                    mid = m.id()
                if mid > target:
                    target = mid
                    moved = True
            if not moved:
                return True

    def _verify(self) -> int:
        ms = self._ms
        offs = self._offs
        a = _positions(ms[0].value())
        o0 = offs[0]
        starts = {p - o0 for p in a} if o0 else set(a)
        for m, o in zip(ms[1:], offs[1:], strict=True):
            b = _positions(m.value())
            starts.intersection_update([p - o for p in b] if o else b)
            if not starts:
                return 0
        return len(starts)

    def _find(self) -> None:
        while True:
            if not self._align():
                self._active = False
                return
            c = self._verify()
            if c:
                self._count = c
                return
            self._ms[0].next()

    # -- Matcher interface

    def is_active(self) -> bool:
        return self._active

    def id(self) -> int:
        return self._ms[0].id()

    # whoosh annotates next/skip_to as -> None, but its compound matchers read the bool
    # ("the tree needs replacing")
    def next(self) -> bool:  # type: ignore[override]
        if not self._active:
            raise matching.ReadTooFar
        self._ms[0].next()
        self._find()
        return False

    def skip_to(self, id: int) -> bool:  # type: ignore[override]
        if not self._active:
            raise matching.ReadTooFar
        if id <= self.id():
            return False
        for m in self._ms:
            if m.is_active() and m.id() < id:
                m.skip_to(id)
        self._find()
        return False

    def weight(self) -> float:
        return float(self._count)

    def score(self) -> float:
        if self._scorer is None:
            return self._boost
        score: float = self._scorer.score(self)
        return score * self._boost

    def supports(self, astype: str) -> bool:
        return astype in ("frequency", "weight")

    def value_as(self, astype: str) -> Any:
        if astype == "frequency":
            return self._count
        if astype == "weight":
            return float(self._count)
        raise ValueError(astype)

    def value(self) -> Any:
        return None

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return 1e9

    def block_quality(self) -> float:
        return self.max_quality()

    def copy(self) -> SubstringMatcher:
        return SubstringMatcher([m.copy() for m in self._ms], self._offs, self._scorer, self._boost)

    def replace(self, minquality: float = 0) -> matching.Matcher:
        if not self._active:
            return _null_matcher()
        return self

    def depth(self) -> int:
        return 1 + max(m.depth() for m in self._ms)

    def children(self) -> list[Any]:
        return []

    def term(self) -> None:
        return None

    def matching_terms(self, id: int | None = None) -> Iterator[tuple[str, bytes]]:
        return iter(())

    def reset(self) -> None:
        for m in self._ms:
            m.reset()
        self._active = True
        self._find()


#: A one-character query expands to the bigrams starting with that character; above this many
#: distinct bigrams it only looks the character up as a jieba word (too common to be useful).
CHAR_EXPANSION_LIMIT = 256


class CharQuery(qcore.Query):
    """One character: as a jieba word in ``wordfield``, or starting a bigram in ``gramfield``."""

    def __init__(self, wordfield: str, gramfield: str, char: str, boost: float = 1.0) -> None:
        self.wordfield = wordfield
        self.gramfield = gramfield
        self.char = char
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.wordfield, self.gramfield, self.char, self.boost))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.wordfield!r}, {self.gramfield!r}, {self.char!r})"

    def __str__(self) -> str:
        return f"{self.wordfield}:{self.char}"

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        yield (self.wordfield, self.char)

    def _expanded(self, reader: Any) -> list[bytes]:
        out: list[bytes] = []
        if self.gramfield not in reader.schema:
            return out
        for t in reader.expand_prefix(self.gramfield, self.char):
            out.append(t if isinstance(t, bytes) else t.encode("utf-8"))
            if len(out) > CHAR_EXPANSION_LIMIT:
                return []
        return out

    def _or(self, reader: Any) -> qcore.Query:
        from whoosh.query import Or

        subs: list[qcore.Query] = [terms.Term(self.wordfield, self.char, boost=self.boost)]
        for t in self._expanded(reader):
            subs.append(terms.Term(self.gramfield, t.decode("utf-8"), boost=self.boost * 0.5))
        return subs[0] if len(subs) == 1 else Or(subs)

    def estimate_size(self, ixreader: Any) -> int:
        return self._or(ixreader).estimate_size(ixreader)

    def estimate_min_size(self, ixreader: Any) -> int:
        return self._or(ixreader).estimate_min_size(ixreader)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        return self._or(searcher.reader()).matcher(searcher, context)
