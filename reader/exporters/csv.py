"""Annotations as CSV, one row per highlight (UTF-8; files get a byte-order mark for
spreadsheets). Cells that a spreadsheet would run as a formula are prefixed with ``'``."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from reader.links import article_link

if TYPE_CHECKING:
    from reader.exporters import ArticleGroup

COLUMNS = [
    "highlight_uuid", "article_id", "article_uuid", "article_title", "source", "date", "url",
    "start", "end", "quote", "prefix", "suffix", "color", "note", "tags", "created", "updated",
    "orphan", "link",
]
TAG_SEPARATOR = "; "


def _cell(value: object) -> str:
    s = str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


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
