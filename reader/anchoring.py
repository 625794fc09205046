"""Re-anchoring highlights on a changed text, in the style of Hypothesis's anchoring.

A highlight is stored with three selectors: its quote (the exact highlighted text), a little
context before and after it (prefix/suffix), and its old position. To find it in a new text:

1. every exact occurrence of the quote is a candidate; the one whose context agrees best with the
   stored prefix/suffix (and, to break ties, lies nearest the old position) wins;
2. failing that, a fuzzy match (Bitap, from diff-match-patch) of the quote's head and tail near
   the old position, accepted only if the text found is similar enough to the quote
   (:data:`MIN_SIMILARITY`);
3. failing that, ``None``: the caller keeps the highlight as an orphan.
"""

from __future__ import annotations

from diff_match_patch import diff_match_patch

MIN_SIMILARITY = 0.75  # 1 - edit distance / quote length, for fuzzy matches
_BITS = 32  # Bitap pattern limit of diff-match-patch


def _dmp() -> diff_match_patch:
    d = diff_match_patch()
    d.Match_Threshold = 0.35
    d.Match_Distance = 5000
    return d


def similarity(a: str, b: str) -> float:
    """1.0 for equal strings, falling with the Levenshtein distance relative to ``a``."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    d = _dmp()
    dist = d.diff_levenshtein(d.diff_main(a, b, False))
    return max(0.0, 1.0 - dist / max(len(a), len(b)))


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the stored context agree with the text around a candidate."""
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


def find_exact(text: str, quote: str, prefix: str = "", suffix: str = "", hint: int = 0
               ) -> tuple[int, int] | None:
    if not quote:
        return None
    best: tuple[tuple[int, int], tuple[int, int]] | None = None
    pos = text.find(quote)
    while pos >= 0:
        end = pos + len(quote)
        key = (_context_score(text, pos, end, prefix, suffix), -abs(pos - hint))
        if best is None or key > best[0]:
            best = (key, (pos, end))
        pos = text.find(quote, pos + 1)
    return best[1] if best else None


def find_fuzzy(text: str, quote: str, prefix: str = "", suffix: str = "", hint: int = 0
               ) -> tuple[int, int] | None:
    if not quote or not text:
        return None
    d = _dmp()
    hint = max(0, min(hint, len(text)))
    head = quote[:_BITS]
    start = d.match_main(text, head, hint)
    if start < 0 and prefix:
        # the quote's own first characters may be what changed: find the context instead
        p = prefix[-_BITS:]
        loc = d.match_main(text, p, max(0, hint - len(p)))
        if loc >= 0:
            start = loc + len(p)
    if start < 0:
        return None
    if len(quote) <= _BITS:
        candidates = {start + len(quote) + k for k in range(-len(quote) // 3, len(quote) // 3 + 1)}
    else:
        tail = quote[-_BITS:]
        tail_at = d.match_main(text, tail, start + len(quote) - _BITS)
        if tail_at < 0:
            return None
        candidates = {tail_at + _BITS}
    best: tuple[float, tuple[int, int]] | None = None
    for end in candidates:
        if start < end <= len(text):
            sim = similarity(quote, text[start:end])
            if best is None or sim > best[0]:
                best = (sim, (start, end))
    if best and best[0] >= MIN_SIMILARITY:
        return best[1]
    return None


def reanchor(text: str, quote: str, prefix: str = "", suffix: str = "", hint: int = 0
             ) -> tuple[int, int] | None:
    """Where the highlight ``quote`` (with its context and old start ``hint``) now lies in
    ``text``, as code point offsets, or ``None`` if its text is gone."""
    return find_exact(text, quote, prefix, suffix, hint) or find_fuzzy(
        text, quote, prefix, suffix, hint
    )
