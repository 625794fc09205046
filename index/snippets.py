"""Finding what a query matched in a text, and cutting snippets around it.

Query strings are folded (see :func:`index.analysis.fold`); texts are searched as they are, with
each folded character matching all of its width and case variants, so every offset is a code
point offset into the stored text and no text needs folding here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index import analysis
from index.query import Unit

SNIPPET_CHARS = 120
LEAD_CHARS = 24
MAX_CANDIDATES = 400


@dataclass
class Snippet:
    start: int
    end: int
    text: str
    spans: list[tuple[int, int]]


class Needle:
    """A folded string, found in unfolded text: plain ``str.find`` when no character of it has
    width or case variants (most Chinese), else a regular expression over the variants."""

    __slots__ = ("text", "pattern")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pattern: re.Pattern[str] | None = None
        if any(c in analysis.VARIANTS for c in text):
            parts = []
            for c in text:
                v = analysis.VARIANTS.get(c)
                parts.append("[" + "".join(re.escape(x) for x in v) + "]" if v else re.escape(c))
            self.pattern = re.compile("".join(parts))

    def find_all(self, hay: str, out: list[tuple[int, int, int]], k: int) -> bool:
        found = False
        if self.pattern is None:
            needle = self.text
            n = len(needle)
            i = hay.find(needle)
            while i >= 0:
                found = True
                out.append((i, i + n, k))
                i = hay.find(needle, i + n)
        else:
            for m in self.pattern.finditer(hay):
                found = True
                out.append((m.start(), m.end(), k))
        return found


class Needles:
    """What to look for for one query unit: the whole string, else (unquoted) its jieba words.
    The words are only segmented when a text lacks the whole string (an article found by the
    fall-back to words), so a search needs jieba's dictionary only then."""

    __slots__ = ("whole", "text", "quoted", "_words")

    def __init__(self, text: str, quoted: bool) -> None:
        self.whole = Needle(text)
        self.text = text
        self.quoted = quoted
        self._words: list[Needle] | None = None

    @property
    def words(self) -> list[Needle]:
        if self._words is None:
            ws: list[str] = []
            if not self.quoted and len(self.text) >= 2:
                ws = [w for w in analysis.words(self.text) if analysis.char_class_ok(w)]
                if len(ws) < 2:
                    ws = []
            self._words = [Needle(w) for w in ws]
        return self._words


def needles_for(units: list[Unit], *, words: bool = True) -> list[Needles]:
    """Needles for the units; ``words=False`` marks the whole strings only (search results: a
    hit contains them, or was found through the jieba words, which are then the units)."""
    out = []
    for u in units:
        t = u.text
        if not t or (len(t) == 1 and not analysis.char_class_ok(t)):
            continue
        out.append(Needles(t, u.quoted or not words))
    return out


def raw_spans(needles: list[Needles], text: str) -> list[tuple[int, int, int]]:
    """(start, end, needle index) for every occurrence in (unfolded) ``text``, sorted."""
    out: list[tuple[int, int, int]] = []
    for k, nd in enumerate(needles):
        if not nd.whole.find_all(text, out, k):
            for w in nd.words:
                w.find_all(text, out, k)
    out.sort()
    return out


def merge_spans(spans: list[tuple[int, int, int]] | list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for sp in sorted(spans):
        s, e = sp[0], sp[1]
        if merged and s < merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def find_spans(needles: list[Needles], text: str) -> list[tuple[int, int]]:
    return merge_spans(raw_spans(needles, text))


def make_snippets(
    text: str, needles: list[Needles], *, count: int = 3, width: int = SNIPPET_CHARS
) -> list[Snippet]:
    """Up to ``count`` non-overlapping windows of ``text``, best first (most distinct needles,
    then most occurrences). Without any match, the opening of the text."""
    if not text:
        return []
    spans = raw_spans(needles, text) if needles else []
    n = len(text)
    if not spans:
        end = min(n, width)
        nl = text.find("\n", 0, end)
        if nl > 0:
            end = nl
        return [Snippet(0, end, text[:end], [])]
    cands = []
    limit = min(len(spans), MAX_CANDIDATES)
    for i in range(limit):
        s0, e0, _ = spans[i]
        ws = max(0, s0 - LEAD_CHARS)
        nl = text.rfind("\n", ws, s0)
        if nl >= 0:
            ws = nl + 1
        we = min(n, max(ws + width, e0))
        nl = text.find("\n", e0, we)
        if nl >= 0:
            we = nl
        kinds = set()
        inside = 0
        j = i
        while j < len(spans) and spans[j][0] < we:
            if spans[j][1] <= we:
                kinds.add(spans[j][2])
                inside += 1
            j += 1
        # also earlier spans that start inside the window (before s0 but after ws)
        j = i - 1
        while j >= 0 and spans[j][0] >= ws:
            kinds.add(spans[j][2])
            inside += 1
            j -= 1
        cands.append((-(len(kinds) * 1000 + inside), ws, we))
    cands.sort()
    chosen: list[tuple[int, int]] = []
    for _score, ws, we in cands:
        if any(ws < ce and cs < we for cs, ce in chosen):
            continue
        chosen.append((ws, we))
        if len(chosen) >= count:
            break
    merged = merge_spans(spans)
    out = []
    for ws, we in chosen:
        inside_spans = [(max(s, ws), min(e, we)) for s, e in merged if s < we and e > ws]
        out.append(Snippet(ws, we, text[ws:we], inside_spans))
    return out
