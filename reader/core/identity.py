"""Which stored article is a newly imported one? Identity by content, never by file position.

An import keeps, for every article, the *origins* it was made from: the title and text of each
draft as an importer produced it, with its hash, file and position. A re-import then matches its
drafts to origins:

1. a draft whose hash is an origin's hash is that article, unchanged (also when the file was
   moved, renamed or reached through another folder);
2. the others are aligned with candidate origins (the same file; the same headline; the same file
   name in another folder; and every origin of a file a sibling draft matched) by the similarity
   of their texts (:func:`similarity`), best pairs first, each origin used once;
3. a draft left over is a new article.

A page with one article inserted therefore keeps every other article's identity (and its
highlights), and a corrected copy of a page from another folder becomes new versions of the same
articles. Ids and URLs from the source (a WeChat ``aid``) still decide where a draft has them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: A draft and an origin are the same article at this text similarity (0–1) …
SAME_TEXT = 0.6
#: … or at this one when the headlines are equal too.
SAME_TEXT_SAME_TITLE = 0.35
#: Texts are compared on at most this many characters from their start and end.
_SAMPLE = 20_000


def _grams(text: str) -> set[str]:
    if len(text) > _SAMPLE:
        text = text[: _SAMPLE // 2] + text[-_SAMPLE // 2 :]
    s = "".join(text.split())
    if len(s) < 2:
        return {s} if s else set()
    return {s[i : i + 2] for i in range(len(s) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character bigrams (whitespace ignored): 1 for the same
    text, ~0.9 after a few corrections, near 0 for unrelated articles."""
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 1.0 if ga == gb else 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


@dataclass(slots=True)
class Candidate:
    origin_id: int
    title: str
    body: str
    same_file: bool = False  # imported from the file being imported now (same path)
    seq: int = -1  # its position in that file


#: The title the store gives an article without one: no evidence of identity.
UNTITLED = "（无标题）"


def align(
    drafts: Sequence[tuple[str, str]], candidates: Sequence[Candidate],
    seqs: Sequence[int] | None = None,
) -> dict[int, int]:
    """Pair drafts ``(title, body)`` (at positions ``seqs`` of their file) with candidate
    origins: {draft index: origin id}. A pair needs similar texts (:data:`SAME_TEXT`), or the same
    real headline and some similarity (:data:`SAME_TEXT_SAME_TITLE`), or the same headline at the
    same place of the same file (a one-article file rewritten)."""
    if not drafts or not candidates:
        return {}
    dgrams = [_grams(b) or {"\n"} for _, b in drafts]
    scored: list[tuple[float, int, int]] = []
    for c in candidates:
        cg = _grams(c.body) or {"\n"}
        for i, (title, _body) in enumerate(drafts):
            dg = dgrams[i]
            if not dg or not cg:
                continue
            sim = 2 * len(dg & cg) / (len(dg) + len(cg))
            same_title = title.strip() == c.title.strip() and title.strip() != UNTITLED
            same_place = c.same_file and seqs is not None and seqs[i] == c.seq
            if sim >= SAME_TEXT or (same_title and (sim >= SAME_TEXT_SAME_TITLE or same_place)):
                scored.append((sim + (0.05 if same_title else 0.0), i, c.origin_id))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _score, i, oid in scored:
        if i in out or oid in used:
            continue
        out[i] = oid
        used.add(oid)
    return out


def carry_over(old_origin: str, new_origin: str, current: str) -> str:
    """Apply the change between an article's old and new imported text to its current text,
    which the user changed since (merged with another article, split): the hunks that still fit
    are applied, the rest of the user's text stays."""
    if current == old_origin:
        return new_origin
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Match_Distance = 100_000
    dmp.Patch_DeleteThreshold = 0.5
    patches = dmp.patch_make(old_origin, new_origin)
    patched: tuple[str, list[bool]] = dmp.patch_apply(patches, current)
    return patched[0]
