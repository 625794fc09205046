"""The page invariant, checked independently of reader/core/importers/page.py.

Every non-empty line of a page lands in exactly one article, in page order. An article covers
the next run of page lines: its body lines (one body line may be several page lines that the
layout broke mid-sentence, joined back) with, at one place, its header: 1-3 title lines (joined by
a space they equal the title) followed by the lines of its subtitle (dash lines, or headline
lines beyond the title) (which are not repeated
in the body). A headless article is just its body lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

MARKER = re.compile(r"^#{1,6}\s*")
_DASH = re.compile(r"^[—\-－─~]+")


def page_lines(text: str) -> list[str]:
    """The page's non-empty lines as a reader sees them (trimmed, ``##`` removed)."""
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = MARKER.sub("", raw.strip()).strip()
        if line:
            out.append(line)
    return out


def _flat(s: str) -> str:
    return "".join(s.split())


def _match_body_line(lines: Sequence[str], i: int, body_line: str) -> int | None:
    """How many page lines from ``i`` make up ``body_line`` (joined), or None."""
    want = _flat(body_line)
    got = ""
    for m in range(1, len(lines) - i + 1):
        got += _flat(lines[i + m - 1])
        if got == want:
            return m
        if len(got) >= len(want) or not want.startswith(got):
            return None
    return None


def _match_seq(lines: Sequence[str], i: int, body: Sequence[str]) -> int | None:
    n = 0
    for b in body:
        m = _match_body_line(lines, i + n, b)
        if m is None:
            return None
        n += m
    return n


def _title_of(seg: Sequence[str]) -> str:
    return " ".join(" ".join(x.split()) for x in seg)


def _subtitle_ok(seg: Sequence[str], subtitle: str) -> bool:
    if not seg:
        return True
    return _flat("".join(_DASH.sub("", x) for x in seg)) == _flat(subtitle)


def readings(lines: Sequence[str], i: int, d) -> list[int]:
    """The numbers of page lines article ``d`` can cover from line ``i`` (see the module doc);
    a negative number -n: a reading without title lines (headless)."""
    body = [ln for ln in d.body.split("\n") if ln.strip()]
    out: list[int] = []
    subs = (1, 2, 3, 4) if d.subtitle else (0,)
    for p in range(len(body) + 1):
        a = _match_seq(lines, i, body[:p])
        if a is None:
            break
        for k in (1, 2, 3):
            if _title_of(lines[i + a : i + a + k]) != d.title or i + a + k > len(lines):
                continue
            for s in subs:
                seg = lines[i + a + k : i + a + k + s]
                if len(seg) != s or not _subtitle_ok(seg, d.subtitle):
                    continue
                b = _match_seq(lines, i + a + k + s, body[p:])
                if b is not None:
                    out.append(a + k + s + b)
    whole = _match_seq(lines, i, body)
    if whole is not None and not d.subtitle:
        out.append(-whole)
    return out


def partition(
    text: str, drafts, *, lines_of: Callable[[str], list[str]] = page_lines
) -> list[list[str]]:
    """Each article's page lines; asserts the invariant."""
    lines = lines_of(text)
    memo: dict[tuple[int, int], list[int] | None] = {}

    def solve(i: int, j: int) -> list[int] | None:
        if j == len(drafts):
            return [] if i == len(lines) else None
        key = (i, j)
        if key not in memo:
            memo[key] = None
            for n in readings(lines, i, drafts[j]):
                rest = solve(i + abs(n), j + 1)
                if rest is not None:
                    memo[key] = [n, *rest]
                    break
        return memo[key]

    result = solve(0, 0)
    assert result is not None, (
        f"the articles are not a partition of the page lines: {[d.title for d in drafts]}"
    )
    out, i = [], 0
    for n in result:
        out.append(lines[i : i + abs(n)])
        i += abs(n)
    return out


def titled_flags(text: str, drafts) -> list[bool]:
    """Per article, whether a reading with title lines exists at its place."""
    lines = page_lines(text)
    spans = partition(text, drafts)
    flags, i = [], 0
    for d, span in zip(drafts, spans, strict=True):
        flags.append(any(n == len(span) for n in readings(lines, i, d)))
        i += len(span)
    return flags
