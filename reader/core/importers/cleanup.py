"""Small text clean-ups shared by the importers (no I/O).

Decorative marks: WeChat titles and bodies carry characters such as ``冷҈`` — a Han character
followed by U+0488 COMBINING CYRILLIC HUNDRED THOUSANDS SIGN — for visual effect. Chinese text never
uses combining marks, so we remove:

* U+0488/U+0489 and the other enclosing marks (category Me) except U+20E3 COMBINING ENCLOSING
  KEYCAP, which is part of keycap emoji (``1️⃣``);
* the general-purpose combining marks (U+0300–036F, U+0483–0487, U+1AB0–1AFF, U+1DC0–1DFF,
  U+20D0–20F0, U+FE20–FE2F) when they follow a Han character, CJK punctuation or a full-width form
  (a stacked "zalgo" decoration). Variation selectors (U+FE00–FE0F, U+E0100–E01EF), which select
  glyph variants and emoji presentation, are not marks of that kind and stay.

Marks on Latin, Cyrillic, kana etc. are left alone: there they may be real diacritics.
"""

from __future__ import annotations

import re

from ..structure import Block
from ..text import normalize

_SPACES = "\u3000\xa0\u2002\u2003\u2009\u200a\u202f\u205f"
_ZERO_WIDTH = "\u200b\u2060\ufeff"  # ZWJ/ZWNJ are kept (emoji sequences)
_BOX_ONLY = re.compile(r"^[\u2500-\u257f\u2580-\u259f\s]+$")


_CJK_BASE = (
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff00-\uffef"  # half/full-width forms
    "\U00020000-\U0003ffff"
    "\u201c\u201d\u2018\u2019\u2014\u2026"
)
# Enclosing marks (category Me) except U+20E3 COMBINING ENCLOSING KEYCAP.
_ENCLOSING = re.compile("[\u0488\u0489\u1abe\u20dd-\u20e0\u20e2\u20e4\ua670-\ua672]")
# The blocks of general-purpose combining marks used for "zalgo" decoration.
_COMBINING = (
    "\u0300-\u036f\u0483-\u0487\u1ab0-\u1abd\u1abf-\u1aff\u1dc0-\u1dff"
    "\u20d0-\u20dc\u20e1\u20e5-\u20f0\ufe20-\ufe2f"
)
_ANY_COMBINING = re.compile(f"[{_COMBINING}]")
_MARKS_AFTER_CJK = re.compile(f"(?<=[{_CJK_BASE}])[{_COMBINING}]+")


def strip_decorations(text: str) -> str:
    """Remove decorative combining marks (see the module docstring) and zero-width spaces."""
    if text.isascii():
        return text
    for ch in _ZERO_WIDTH:
        if ch in text:
            text = text.replace(ch, "")
    text = _ENCLOSING.sub("", text)
    if not _ANY_COMBINING.search(text):
        return text
    return _MARKS_AFTER_CJK.sub("", text)


def clean_text_line(line: str) -> str:
    """One line of body text: decorations removed, surrounding white space (incl. ideographic
    space and no-break space) trimmed. Inner spaces are kept."""
    return strip_decorations(line).strip(" \t\f\v" + _SPACES + _ZERO_WIDTH)


def is_decoration_line(line: str) -> bool:
    """A line made only of box-drawing/block characters (``┏`` ``┓`` frames around a lead)."""
    return bool(_BOX_ONLY.match(line))


# ------------------------------------------------------------------ reflow
# Layout breaks: a printed column (or a poster-style WeChat body) breaks lines where the space ends,
# not where a sentence ends (``……充分展现`` / ``了发展的活力。``). Such lines are joined back into one
# paragraph; a line that ends a sentence, a headline over its paragraph, a caption, a list item, a
# ``来源：`` line or a date line keeps its own line.

_FINISHED = set("。！？!?.…；;：:）)】》」』〕>")
_CLOSING_QUOTES = "”’\"'"
_OPEN_MARKS = set("，,、“‘（(《〈「『【—-－·")
_SENTENCE_MARKS = re.compile(r"[，,。；;！？!?]")
_LIST_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}[、.．](?!\d)|"
    r"[①-⑳❶-❿■□●○◆◇▲△★☆✦✧▶►◎※•·\-－—–]|第[一二三四五六七八九十\d]+[章节条部分])"
)
_META = re.compile(r"^[\u4e00-\u9fff]{1,6}[：:]")
# a line that is or starts with a full date (a signature's date, ``2025年12月25日如需转载…``)
_DATE_LINE = re.compile(r"^\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}(?:\s*日|\s*$)")
_CAPTION_LINE = re.compile(
    r"^(?:图为|图片|图\s*[①-⑳\d]|资料图|左图|右图|上图|下图|中图)|(?:摄|供图|制图|绘图|摄影)\s*$"
)
_CONTINUATION = re.compile(r"^[（(](?:上接|下转|接第|转第)")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
HEADING_LINE_MAX = 40
HEADING_LINES_MAX = 2  # a headline over its paragraph has at most this many lines
# a line ending in a conjunction or preposition is no headline: the sentence goes on
_JOINING_CHARS = set("和与及或的在从对把被将向跟并而但且")


def is_unfinished(line: str) -> bool:
    """The line stops in the middle of a sentence (no closing mark at its end)."""
    core = line.rstrip(_CLOSING_QUOTES + " \u3000")
    if not core:
        return False
    if core != line.rstrip(" \u3000") and core[-1] in _FINISHED:
        return False  # 。” — a quote closed after the sentence mark
    last = core[-1]
    # a word, a digit or a mark that needs a continuation; a symbol or emoji (``↓``) ends a line
    return last.isalnum() or last in _OPEN_MARKS


def _is_paragraph(line: str) -> bool:
    return bool(_SENTENCE_MARKS.search(line))


def _keeps_own_line(line: str) -> bool:
    return bool(
        _CAPTION_LINE.search(line)
        or _META.match(line)
        or _DATE_LINE.match(line)
        or _CONTINUATION.match(line)
        or is_decoration_line(line)
    )


def continues(prev: str, line: str, *, starts_group: bool, after: str = "") -> bool:
    """Whether ``line`` continues the sentence that ``prev`` leaves unfinished (a layout break).

    ``starts_group``: ``prev`` is the first line after a finished line, a blank line or the start;
    a short line there without sentence marks, over a line with sentence marks, is a headline
    over its paragraph and is not joined. ``after``: the line following ``line`` ('' when none):
    a short line without sentence marks between a paragraph and another paragraph is a heading.
    """
    if not prev or not line or not is_unfinished(prev):
        return False
    if _keeps_own_line(prev) or _keeps_own_line(line) or _LIST_START.match(line):
        return False
    if (
        starts_group
        and prev[-1] not in _JOINING_CHARS
        and not _is_paragraph(prev)
        and len(prev) <= HEADING_LINE_MAX
        and _is_paragraph(line)
    ):
        return False  # a headline (or a section head) over its paragraph
    # a heading line between two paragraphs is no continuation
    return not (
        _is_paragraph(prev)
        and not _is_paragraph(line)
        and len(line) <= HEADING_LINE_MAX
        and bool(after)
        and _is_paragraph(after)
    )


def join_broken(prev: str, line: str) -> str:
    """Join two pieces of one sentence: no separator in CJK text, a space between two words of
    Latin letters or digits."""
    if _ASCII_WORD.match(prev[-1:]) and _ASCII_WORD.match(line[:1]):
        return prev + " " + line
    return prev + line


def reflow_groups(lines: list[str]) -> list[list[int]]:
    """Indices of ``lines`` grouped into paragraphs: each group is one line or consecutive lines
    broken mid-sentence. An empty string is a paragraph break and always its own group."""
    groups: list[list[int]] = []
    starts_group = True
    for i, line in enumerate(lines):
        if groups and line and lines[groups[-1][-1]]:
            prev_joined = "".join(lines[k] for k in groups[-1])
            after = lines[i + 1] if i + 1 < len(lines) else ""
            heading_start = starts_group and len(groups[-1]) <= HEADING_LINES_MAX
            if continues(prev_joined, line, starts_group=heading_start, after=after):
                groups[-1].append(i)
                continue
        prev_done = not groups or not lines[groups[-1][-1]] or not is_unfinished(
            "".join(lines[k] for k in groups[-1])
        )
        starts_group = prev_done
        groups.append([i])
    return groups


def reflow_text(text: str) -> str:
    """A body (lines separated by ``\\n``) with its layout breaks joined (see :func:`continues`)."""
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    out = []
    for group in reflow_groups(lines):
        joined = lines[group[0]]
        for k in group[1:]:
            joined = join_broken(joined, lines[k])
        out.append(joined)
    return "\n".join(out)


def heading_blocks(lines: list[str], heads: list[int]) -> tuple[str, list[Block]]:
    """The body made of ``lines`` and ``heading`` blocks over the lines numbered in ``heads``
    (section heads kept in the text, shown as headings). With headings the body is handed over
    normalised (:func:`reader.core.text.normalize`), as the structure's offsets require; without, it
    is returned as is."""
    body = "\n".join(lines)
    if not heads:
        return body, []
    norm = normalize(body)
    norm_lines = norm.split("\n")
    if len(norm_lines) != len(lines):  # blank lines collapsed: offsets would not line up
        return body, []
    starts, pos = [], 0
    for line in norm_lines:
        starts.append(pos)
        pos += len(line) + 1
    blocks = [
        Block("heading", starts[k], starts[k] + len(norm_lines[k]), 2)
        for k in sorted(set(heads))
        if 0 <= k < len(norm_lines) and norm_lines[k]
    ]
    return norm, blocks
