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
