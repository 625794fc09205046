"""Small text clean-ups shared by the importers (no I/O).

Decorative marks: WeChat titles and bodies carry characters such as ``冷҈`` — a Han character
followed by U+0488 COMBINING CYRILLIC HUNDRED THOUSANDS SIGN — for visual effect. Chinese text never
uses combining marks, so we remove:

* U+0488/U+0489 and the other enclosing marks (category Me) except U+20E3 COMBINING ENCLOSING
  KEYCAP, which is part of keycap emoji (``1️⃣``);
* any non-spacing mark (Mn) that directly follows a Han character, CJK punctuation or a full-width
  form (a stacked "zalgo" decoration), except variation selectors (U+FE00–FE0F, U+E0100–E01EF),
  which select glyph variants and emoji presentation.

Marks on Latin, Cyrillic, kana etc. are left alone: there they may be real diacritics.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = "\u3000\xa0\u2002\u2003\u2009\u200a\u202f\u205f"
_ZERO_WIDTH = "\u200b\u2060\ufeff"  # ZWJ/ZWNJ are kept (emoji sequences)
_BOX_ONLY = re.compile(r"^[\u2500-\u257f\u2580-\u259f\s]+$")


def _is_cjk_base(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3000 <= o <= 0x303F  # CJK symbols and punctuation
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF  # half/full-width forms
        or 0x20000 <= o <= 0x3FFFF
        or o in (0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026)
    )


def _is_variation_selector(ch: str) -> bool:
    o = ord(ch)
    return 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF


def strip_decorations(text: str) -> str:
    """Remove decorative combining marks (see the module docstring) and zero-width spaces."""
    if text.isascii():
        return text
    out: list[str] = []
    base = ""  # the last non-mark character
    for ch in text:
        if ch in _ZERO_WIDTH:
            continue
        cat = unicodedata.category(ch)
        if cat == "Me":
            if ch == "\u20e3":
                out.append(ch)
            continue
        if cat == "Mn" and not _is_variation_selector(ch):
            if base and _is_cjk_base(base):
                continue
            out.append(ch)
            continue
        base = ch
        out.append(ch)
    return "".join(out)


def clean_text_line(line: str) -> str:
    """One line of body text: decorations removed, surrounding white space (incl. ideographic
    space and no-break space) trimmed. Inner spaces are kept."""
    return strip_decorations(line).strip(" \t\f\v" + _SPACES + _ZERO_WIDTH)


def is_decoration_line(line: str) -> bool:
    """A line made only of box-drawing/block characters (``┏`` ``┓`` frames around a lead)."""
    return bool(_BOX_ONLY.match(line))
