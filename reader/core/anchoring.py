"""Re-anchoring highlights on a changed text, in the style of Hypothesis's anchoring.

A highlight is stored with three selectors: its quote (the exact highlighted text), a little
context before and after it (prefix/suffix), and its old position. To find it in a new text:

1. every exact occurrence of the quote is a candidate (full-width and half-width forms compare
   equal, see :func:`fold`); one whose context agrees completely with the stored prefix/suffix
   is taken at once (the nearest to the old position if there are several);
2. otherwise fuzzy candidates are added: the quote's head and tail, and the stored context, are
   located with Bitap (diff-match-patch's ``match_main``) near the old position, and the
   boundaries are refined locally;
3. every candidate is scored like Hypothesis's ``match-quote``: quote similarity (weight 50),
   prefix and suffix similarity (20 each) and nearness to the old position (2). A candidate
   whose text is less similar to the quote than :data:`MIN_SIMILARITY` is never taken;
4. nothing left: ``None``, and the caller keeps the highlight as an orphan.

The guarantees (tested with hypothesis in tests/test_anchoring.py): a highlight whose quote still
occurs in the new text is always anchored, and it is only ever anchored on text whose
:func:`similarity` to the quote is at least :data:`MIN_SIMILARITY`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch

MIN_SIMILARITY = 0.75  # 1 - edit distance / length, for fuzzy matches
_BITS = 32  # Bitap pattern limit of diff-match-patch
_MAX_SCORED = 48  # exact candidates scored in full (the rest by cheap context agreement only)

# Weights of Hypothesis's match-quote scoring.
_W_QUOTE, _W_PREFIX, _W_SUFFIX, _W_POS = 50.0, 20.0, 20.0, 2.0

# Width folding, one character for one (offsets in folded and original text are the same):
# full-width ASCII forms, the ideographic space, curly quotes.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x201C: 0x22, 0x201D: 0x22, 0x2018: 0x27, 0x2019: 0x27})


def fold(s: str) -> str:
    """``s`` with full-width forms as half-width (``，`` → ``,``, ``Ａ`` → ``A``); same length."""
    return s.translate(_FOLD)


def _dmp(distance: int = 1000) -> diff_match_patch:
    d = diff_match_patch()
    d.Match_Threshold = 0.35
    d.Match_Distance = distance
    d.Diff_Timeout = 0.2
    return d


_DIFF = _dmp()


def _distance(a: str, b: str) -> int:
    distance: int = _DIFF.diff_levenshtein(_DIFF.diff_main(a, b, False))
    return distance


def similarity(a: str, b: str) -> float:
    """1.0 for equal strings (width-folded), falling with the Levenshtein distance relative to
    the longer one; 0.0 when either is empty (unless both are)."""
    a, b = fold(a), fold(b)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return max(0.0, 1.0 - _distance(a, b) / max(len(a), len(b)))


def _contiguous(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the stored context agree with the text next to a candidate,
    counted outwards from the candidate's edges."""
    score = 0
    for i in range(1, len(prefix) + 1):
        if start - i < 0 or text[start - i] != prefix[-i]:
            break
        score += 1
    for i in range(len(suffix)):
        if end + i >= len(text) or text[end + i] != suffix[i]:
            break
        score += 1
    return score


def _context_sim(stored: str, found: str) -> float:
    """How well the stored context agrees with the text beside a candidate. An empty stored
    context (the highlight was at an edge of the text, or another tool gave none) says
    nothing either way: 0.5 everywhere."""
    if not stored:
        return 0.5
    if stored == found:
        return 1.0
    if not found:
        return 0.0
    return max(0.0, 1.0 - _distance(stored, found) / max(len(stored), len(found)))


@dataclass(slots=True)
class _Query:
    text: str  # folded
    quote: str  # folded
    prefix: str  # folded
    suffix: str  # folded
    hint: int
    _psim: dict[int, float] = field(default_factory=dict)
    _ssim: dict[int, float] = field(default_factory=dict)
    _qsim: dict[tuple[int, int], float] = field(default_factory=dict)

    def quote_sim(self, s: int, e: int) -> float:
        v = self._qsim.get((s, e))
        if v is None:
            v = self._qsim[s, e] = self._quote_sim(s, e)
        return v

    def _quote_sim(self, s: int, e: int) -> float:
        found = self.text[s:e]
        if found == self.quote:
            return 1.0
        if not found:
            return 0.0
        return max(0.0, 1.0 - _distance(self.quote, found) / max(len(self.quote), len(found)))

    def score(self, s: int, e: int, qsim: float | None = None) -> tuple[float, float]:
        """(total score, quote similarity) of the candidate ``text[s:e]``."""
        if qsim is None:
            qsim = self.quote_sim(s, e)
        psim = self._psim.get(s)
        if psim is None:
            p = self.prefix
            psim = self._psim[s] = _context_sim(p, self.text[max(0, s - len(p)):s])
        ssim = self._ssim.get(e)
        if ssim is None:
            x = self.suffix
            ssim = self._ssim[e] = _context_sim(x, self.text[e:e + len(x)])
        pos = 1.0 - min(1.0, abs(s - self.hint) / max(1, len(self.text)))
        return _W_QUOTE * qsim + _W_PREFIX * psim + _W_SUFFIX * ssim + _W_POS * pos, qsim


def _exact_candidates(q: _Query) -> list[tuple[int, int]]:
    out = []
    pos = q.text.find(q.quote)
    while pos >= 0:
        out.append((pos, pos + len(q.quote)))
        pos = q.text.find(q.quote, pos + 1)
    return out


def _match(text: str, pattern: str, loc: int) -> int:
    """Bitap: the best place for ``pattern`` (≤ 32 characters) within reach of ``loc``."""
    if not pattern or not text:
        return -1
    found: int = _dmp().match_main(text, pattern, max(0, min(loc, len(text))))
    return found


def _far_hints(q: _Query, limit: int = 3) -> list[int]:
    """Likely starts of a near match anywhere in the text, by the pigeonhole principle: a match
    within the similarity threshold keeps at least one of ``e + 1`` pieces of the quote intact
    (``e`` the edits allowed), so every exact occurrence of a piece votes for a start. This
    finds a quote that moved beyond Bitap's reach (a long insertion before it) at the cost of
    a few substring searches."""
    t, quote, L = q.text, q.quote, len(q.quote)
    if L < 4:
        return []
    pieces = min(L // 2, int(L * (1 - MIN_SIMILARITY) / MIN_SIMILARITY) + 1)
    size = L // pieces
    votes: dict[int, int] = {}
    for i in range(pieces):
        off = i * size
        piece = quote[off:off + size] if i < pieces - 1 else quote[off:]
        pos, found = t.find(piece), 0
        while pos >= 0 and found < 200:  # a very common piece says little
            bucket = (pos - off) // 8
            votes[bucket] = votes.get(bucket, 0) + 1
            pos, found = t.find(piece, pos + 1), found + 1
    near = q.hint // 8
    best = sorted(votes, key=lambda b: (-votes[b], abs(b - near)))
    return [max(0, b * 8) for b in best if votes[b] >= 2 and abs(b - near) > 8][:limit]


def _fuzzy_candidates(q: _Query) -> list[tuple[int, int]]:
    t, L = q.text, len(q.quote)
    starts: set[int] = set()
    ends: set[int] = set()
    for hint in [q.hint, *_far_hints(q)]:
        head = q.quote[:_BITS]
        loc = _match(t, head, hint)
        if loc >= 0:
            starts.add(loc)
        if L > _BITS:
            tail = q.quote[-_BITS:]
            loc = _match(t, tail, hint + L - len(tail))
            if loc >= 0:
                ends.add(loc + len(tail))
        if q.prefix:
            p = q.prefix[-_BITS:]
            loc = _match(t, p, hint - len(p))
            if loc >= 0:
                starts.add(loc + len(p))
        if q.suffix:
            x = q.suffix[:_BITS]
            loc = _match(t, x, hint + L)
            if loc >= 0:
                ends.add(loc)
    pairs = set()
    for s in starts:
        pairs.add((s, s + L))
        pairs.update((s, e) for e in ends if s < e <= s + 2 * L + 8)
    for e in ends:
        pairs.add((e - L, e))
    return sorted((max(0, s), min(len(t), e)) for s, e in pairs if min(len(t), e) > max(0, s))


def _refine(q: _Query, s: int, e: int) -> tuple[float, float, int, int]:
    """Move the candidate's edges (a little) to where the total score is best."""
    n = len(q.text)
    k = max(2, min(12, len(q.quote) // 3))
    total, qsim = q.score(s, e)
    best = (total, qsim, s, e)
    for _ in range(3):
        moved = False
        for s2 in range(max(0, s - k), min(e - 1, s + k) + 1):
            t2, q2 = q.score(s2, e)
            if t2 > best[0]:
                best, moved = (t2, q2, s2, e), True
        s = best[2]
        for e2 in range(max(s + 1, e - k), min(n, e + k) + 1):
            t2, q2 = q.score(s, e2)
            if t2 > best[0]:
                best, moved = (t2, q2, s, e2), True
        e = best[3]
        if not moved:
            break
    return best


def reanchor(text: str, quote: str, prefix: str = "", suffix: str = "", hint: int = 0
             ) -> tuple[int, int] | None:
    """Where the highlight ``quote`` (with its context and old start ``hint``) now lies in
    ``text``, as code point offsets, or ``None`` if its text is gone."""
    if not quote or not text:
        return None
    q = _Query(fold(text), fold(quote), fold(prefix), fold(suffix), hint)
    exact = _exact_candidates(q)
    if exact:
        # quick path: complete context agreement, the raw (unfolded) text equal too
        full = len(q.prefix) + len(q.suffix)
        agreeing = [
            c for c in exact
            if text[c[0]:c[1]] == quote
            and _contiguous(q.text, c[0], c[1], q.prefix, q.suffix) >= full
            and (q.prefix or c[0] == 0) and (q.suffix or c[1] == len(text))
        ]
        if agreeing:
            return min(agreeing, key=lambda c: (abs(c[0] - hint), c[0]))
        if len(exact) > _MAX_SCORED:
            exact.sort(key=lambda c: (-_contiguous(q.text, c[0], c[1], q.prefix, q.suffix),
                                      abs(c[0] - hint)))
            exact = exact[:_MAX_SCORED]
    scored: list[tuple[float, int, int]] = []
    for s, e in exact:
        total, _ = q.score(s, e, 1.0)
        if text[s:e] == quote:
            total += 1.0  # the same characters beat equal-after-folding
        scored.append((total, s, e))
    # no occurrence, or only ones whose context differs: a near-exact match in the old
    # context (a corrected character) may be the better place, so look near it too
    seen = set()
    for s, e in _fuzzy_candidates(q):
        total, qsim, s2, e2 = _refine(q, s, e)
        if (s2, e2) in seen or qsim < MIN_SIMILARITY:
            continue
        seen.add((s2, e2))
        scored.append((total, s2, e2))
    if not scored:
        return None
    total, s, e = max(scored, key=lambda c: (c[0], -abs(c[1] - hint)))
    return s, e


# Kept for callers that want one strategy only.
def find_exact(text: str, quote: str, prefix: str = "", suffix: str = "", hint: int = 0
               ) -> tuple[int, int] | None:
    """The best exact (width-folded) occurrence of ``quote``, or ``None``."""
    if not quote or not text:
        return None
    q = _Query(fold(text), fold(quote), fold(prefix), fold(suffix), hint)
    exact = _exact_candidates(q)
    if not exact:
        return None
    return max(exact, key=lambda c: (_contiguous(q.text, c[0], c[1], q.prefix, q.suffix),
                                     -abs(c[0] - hint)))
