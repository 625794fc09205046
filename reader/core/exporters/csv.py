"""Annotations as CSV, one row per highlight (UTF-8; files get a byte-order mark for
spreadsheets). Cells that a spreadsheet would run as a formula are prefixed with ``'`` (see
:func:`_cell`)."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import TYPE_CHECKING

from reader.core.links import article_link
from reader.core.text import clean_note

if TYPE_CHECKING:
    from reader.core.exporters import ArticleGroup

COLUMNS = [
    "highlight_uuid", "article_id", "article_uuid", "article_title", "source", "date", "url",
    "start", "end", "quote", "prefix", "suffix", "color", "note", "tags", "created", "updated",
    "orphan", "link",
]
TAG_SEPARATOR = "; "
_FORMULA_START = frozenset("=+-@")


def _cell(value: object) -> str:
    """A cell a spreadsheet shows as text. Control characters go first (LibreOffice drops a
    leading NUL and then runs ``=HYPERLINK(…)``), then a cell whose first visible character —
    after blanks, zero-width and direction marks, which spreadsheets may trim — reads as
    ``= + - @`` in any width (full-width ``＝``, small ``﹦`` …: NFKC) gets a leading ``'``."""
    s = clean_note(str(value))
    return "'" + s if _formula_like(s) else s


def _formula_like(s: str) -> bool:
    for ch in s:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in _FORMULA_START
    return False


def render(groups: list[ArticleGroup]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for g in groups:
        a = g.article
        for h in g.highlights:
            w.writerow([_cell(v) for v in (
                h.uuid, a.id, a.uuid, a.title, a.source, a.date, a.url, h.start, h.end, h.quote,
                h.prefix, h.suffix, h.color, h.note, TAG_SEPARATOR.join(h.tags), h.created,
                h.updated, int(h.orphan), article_link(a.uuid, h.uuid),
            )])
    return buf.getvalue()
