"""What the CLI's command modules share: exit codes, the usage error, terminal output helpers and
article references. It imports no other CLI module, so commands ↔ annotations/manage has no cycle."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.library import Library

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def columns(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def fit(s: str, width: int) -> str:
    """Cut and pad ``s`` to ``width`` terminal columns (CJK characters take two)."""
    out: list[str] = []
    w = 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if w + cw > width:
            if out:
                out[-1] = "…"
                w = w - (2 if unicodedata.east_asian_width(out[-1]) in "WF" else 1) + 1
            break
        out.append(c)
        w += cw
    return "".join(out) + " " * (width - columns("".join(out)))


def print_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


MAX_ID_DIGITS = 18  # SQLite's integers end at 9,223,372,036,854,775,807


def count_arg(text: str) -> int:
    """An argparse type for counts such as ``--limit``: 0–999,999,999 written with 0–9 (a
    20-digit number overflows SQLite's integers; ``²`` is no count)."""
    t = text.strip()
    if not (t.isascii() and t.isdigit()) or len(t) > 9:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a count from 0 to 999999999")
    return int(t)


def article_id(lib: Library, ref: str) -> int:
    ref = ref.strip()
    if ref.isdigit():  # a number is taken as given: a missing one is exit 1
        if not ref.isascii():  # ² or ١٢: digits to Python, no article number
            raise UsageError(f"no article {ref!r}: write article numbers with the digits 0–9")
        if len(ref) > MAX_ID_DIGITS:
            raise UsageError(f"no article {ref[:30]}{'…' if len(ref) > 30 else ''}: article "
                             f"numbers have at most {MAX_ID_DIGITS} digits")
        return int(ref)
    found = lib.find_article(ref)
    if found is None:
        raise UsageError(f"no single article matches {ref!r} (give its number or uuid)")
    return found
