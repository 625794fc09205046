"""Traditional ⇄ Simplified Chinese for display (issue 17): the reader can show an article in the
other script without touching the stored text or its highlights.

OpenCC (the ``opencc`` package: the reference implementation's own Python binding, maintained with
it, wheels with the dictionaries inside; ``opencc-python-reimplemented`` has seen no release
since 2022) converts by phrase (头发 → 頭髮, 发展 → 發展), which reads better than character by
character, but a phrase may change length (``tw2sp``: 網際網路 → 互联网). Highlights and search
marks are offsets into the stored text, so :func:`convert_for_display` keeps every offset: it
converts sentence by sentence and takes a sentence's phrase conversion only when it has the
same length (and the same characters outside the Basic Multilingual Plane, which take two UTF-16
units in Qt); otherwise that sentence is converted character by character, which never changes
a length. The result always has exactly the length of the input, so highlights paint where they
belong.

OpenCC is imported on first use (the reader's View menu), never at start-up. The search index
does not use this module: it folds with a frozen character table (:mod:`index.t2s_table`).
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

#: directions offered to the reader, with OpenCC's configuration
DIRECTIONS = {"t2s": "t2s", "s2t": "s2t"}
_SENTENCE = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]?")
_LOCK = threading.Lock()


@functools.cache
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def available() -> bool:
    """True if OpenCC can be loaded (the reader's menu entry is disabled otherwise)."""
    try:
        _converter("t2s")
    except Exception:  # noqa: BLE001 - a missing or broken native module
        return False
    return True


def _aligned(a: str, b: str) -> bool:
    return len(a) == len(b) and all(
        (ord(x) > 0xFFFF) == (ord(y) > 0xFFFF) for x, y in zip(a, b, strict=True)
        if x != y)


def _by_char(conv: Any, text: str) -> str:
    """Each character converted alone (one line each: no phrase spans two); a character whose
    conversion is not one character of the same UTF-16 width stays as it is."""
    chars = [c for c in text]
    out = conv.convert("\n".join("" if c == "\n" else c for c in chars)).split("\n")
    if len(out) != len(chars):
        return text
    return "".join(o if len(o) == 1 and _aligned(c, o) else c
                   for c, o in zip(chars, out, strict=True))


def convert_for_display(text: str, direction: str) -> str:
    """``text`` in the other script: ``direction`` is ``"t2s"`` (繁→简), ``"s2t"`` (简→繁) or
    any OpenCC configuration name. Always exactly as long as ``text`` (see the module)."""
    if not text:
        return text
    conv = _converter(DIRECTIONS.get(direction, direction))
    out = []
    with _LOCK:
        for m in _SENTENCE.finditer(text):
            s = m.group()
            if not s:
                continue
            c = conv.convert(s)
            out.append(c if _aligned(s, c) else _by_char(conv, s))
    result = "".join(out)
    return result if len(result) == len(text) else text


def guess_direction(text: str) -> str:
    """``"t2s"`` for a text written mostly in Traditional characters, else ``"s2t"``: the
    conversion that shows it in the other script."""
    from index.analysis import fold

    sample = text[:5000]
    changed = sum(1 for a, b in zip(sample, fold(sample), strict=True)
                  if a != b and "\u3400" <= a <= "\u9fff")
    han = sum(1 for a in sample if "\u3400" <= a <= "\u9fff")
    return "t2s" if han and changed * 20 >= han else "s2t"
