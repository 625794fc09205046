"""Text normalisation and the one place that converts between offset systems.

Every article body is normalised exactly once, on import, by :func:`normalize`. All offsets
Pizhu stores (highlights, reading positions, search spans) are *code point* indices into that
normalised text. Qt reports positions in UTF-16 code units; the two differ for astral characters
(emoji, CJK Extension B). Convert only with :func:`utf16_to_cp` / :func:`cp_to_utf16`.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import json
import os
import re
import unicodedata

_BLANK_RUN = re.compile(r"\n{3,}")
_TRAILING_WS = re.compile(r"[ \t\u3000\xa0]+$", re.MULTILINE)


def normalize_newlines(text: str) -> str:
    """CRLF, CR, and the Unicode line/paragraph separators all become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace(
        "\u2029", "\n"
    )


def normalize(text: str) -> str:
    """The canonical stored form of a text: ``\\n`` line ends, NFC, no trailing blanks per line,
    no runs of more than one empty line, no leading/trailing empty lines. Idempotent."""
    text = normalize_newlines(text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\ufeff", "").replace("\x00", "")
    text = _TRAILING_WS.sub("", text)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip("\n")


def clean_line(line: str) -> str:
    """A single-line field (title, byline, source): whitespace collapsed and trimmed."""
    line = unicodedata.normalize("NFC", normalize_newlines(line)).replace("\ufeff", "")
    return " ".join(line.replace("\u3000", " ").split())


# C0/C1 control characters and DEL, except tab and newline (which a note may hold)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_note(text: str) -> str:
    """A note or tag as it may be stored: ``\n`` line ends, no control characters (NUL, ESC,
    backspace, C1 codes …; tab and newline stay), no byte-order marks, no lone surrogates.

    Why: control characters are invisible in the reader but not in the files Pizhu writes —
    a leading NUL hid ``=HYPERLINK(…)`` from the CSV formula guard while LibreOffice dropped the
    NUL and ran the formula. Imported annotations and new notes are cleaned on the way in."""
    text = normalize_newlines(text).replace("\ufeff", "")
    text = _CONTROL.sub("", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a JSON "\ud800" escape): U+FFFD
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


_ASTRAL_CHAR = re.compile("[\U00010000-\U0010FFFF]")


class OffsetMap:
    """Converts between code point offsets and UTF-16 offsets for one text.

    Built once per displayed text; O(log n) per conversion, O(1) when the text is all BMP.
    """

    __slots__ = ("_astral",)

    def __init__(self, text: str) -> None:
        # code point indices of astral characters (each takes two UTF-16 units)
        # (a regular expression scans in C: a 4 MB text costs ~5 ms, not ~40 ms)
        self._astral = [m.start() for m in _ASTRAL_CHAR.finditer(text)]

    def cp_to_utf16(self, cp: int) -> int:
        if not self._astral:
            return cp
        return cp + bisect.bisect_left(self._astral, cp)

    def utf16_to_cp(self, u16: int) -> int:
        if not self._astral:
            return u16
        # find the largest k such that astral[k-1] + (k-1) + 2 <= u16, i.e. astral chars fully
        # before the UTF-16 position; a position inside a surrogate pair rounds down.
        lo, hi = 0, len(self._astral)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._astral[mid] + mid < u16:
                lo = mid + 1
            else:
                hi = mid
        cp = u16 - lo
        # position in the middle of a pair: astral[lo-1] + (lo-1) + 1 == u16
        if lo and self._astral[lo - 1] + (lo - 1) + 1 == u16:
            cp = self._astral[lo - 1]
        return cp


class DocumentMap(OffsetMap):
    """An :class:`OffsetMap` for a document that shows the text with objects inserted into it
    (pictures, each in a block of its own): ``inserts`` are ``(cp, n)`` pairs, ``n`` document
    positions inserted right before code point ``cp``. ``cp_to_utf16`` gives the position of the
    text's code point (after the objects inserted before it); a position on an inserted object
    maps back to the code point it was inserted before. With no inserts it is an OffsetMap."""

    __slots__ = ("_cps", "_cum", "_starts", "_widths")

    def __init__(self, text: str, inserts: list[tuple[int, int]] | tuple[tuple[int, int], ...] = ()) -> None:
        super().__init__(text)
        pairs = sorted((cp, n) for cp, n in inserts if n > 0)
        self._cps = [cp for cp, _ in pairs]
        self._widths = [n for _, n in pairs]
        self._cum = [0]  # positions inserted before insert k
        for n in self._widths:
            self._cum.append(self._cum[-1] + n)
        self._starts = [
            OffsetMap.cp_to_utf16(self, cp) + self._cum[k] for k, cp in enumerate(self._cps)
        ]

    def cp_to_utf16(self, cp: int) -> int:
        return OffsetMap.cp_to_utf16(self, cp) + self._cum[bisect.bisect_right(self._cps, cp)]

    def utf16_to_cp(self, u16: int) -> int:
        k = bisect.bisect_right(self._starts, u16)
        if k and u16 < self._starts[k - 1] + self._widths[k - 1]:
            return self._cps[k - 1]
        return OffsetMap.utf16_to_cp(self, u16 - self._cum[k])


def cp_to_utf16(text: str, cp: int) -> int:
    return OffsetMap(text).cp_to_utf16(cp)


def utf16_to_cp(text: str, u16: int) -> int:
    return OffsetMap(text).utf16_to_cp(u16)


# ---------------------------------------------------------------------- title sort (issue 14)
_SORT_CHARS = 48  # the first characters of a title decide its place


@functools.cache
def _pinyin_table() -> dict[int, str]:
    """pypinyin's character table ({code point: "readings,…"}), read straight from its JSON
    file: importing the ``pypinyin`` package would also load its 2.5 MB phrase table, which the
    title order does not need (and the desktop bundle leaves out)."""
    spec = importlib.util.find_spec("pypinyin")  # finds the package without running it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, "pinyin_dict.json")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                return {int(k): v for k, v in json.load(f).items()}
    from pypinyin.pinyin_dict import pinyin_dict  # an unusual installation: the usual way

    return dict(pinyin_dict)


def title_sort_key(title: str) -> str:
    """A key that sorts titles as a Chinese reader expects: Chinese characters by their
    pinyin (the first reading of each character, without tones: 北京 → "bei jing"), other
    characters case-folded as they are. Only the first characters count; ties fall back to
    the title itself in the query."""
    pinyin_dict = _pinyin_table()

    out: list[str] = []
    run: list[str] = []
    for ch in title.strip()[:_SORT_CHARS]:
        readings = pinyin_dict.get(ord(ch))
        if readings is None:
            run.append(ch.casefold())
            continue
        if run:
            out.append("".join(run))
            run = []
        first = readings.split(",", 1)[0]
        decomposed = unicodedata.normalize("NFD", first).replace("u\u0308", "v")  # ü → v
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    if run:
        out.append("".join(run))
    return " ".join(p for p in out if p.strip()) or title.casefold()


def scrub_surrogates(s: str) -> str:
    """Text SQLite can store: a lone surrogate (e.g. from a JSON ``"\\ud800"`` escape) cannot be
    encoded as UTF-8 and becomes U+FFFD; a surrogate pair split into two code points is joined."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s
