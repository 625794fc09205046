"""Plain data and rules of library management (editing article details, the trash, renaming,
merging and deleting tags) shared by :class:`reader.core.library.Library`, the CLI and the GUI.
No I/O, no Qt."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from reader.core.model import Article

EDITABLE_FIELDS = ("title", "subtitle", "source", "date", "byline", "url")

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def normalize_date(value: str) -> str:
    """A date the user typed -> ISO ``YYYY-MM-DD``; ``''`` clears the date.

    ``2026-01-05``, ``2026-1-5``, ``2026/1/5``, ``2026.1.5``, ``2026年1月5日`` and ``20260105`` are
    the same day. Raises ValueError with a readable reason for anything else (a partial date such
    as ``2026-01`` too: an article's date is a day)."""
    s = value.strip()
    if not s:
        return ""
    m = _DATE.match(s) or _COMPACT.match(s)
    if m is None:
        raise ValueError(f"{value!r} is not a date (write it as YYYY-MM-DD, e.g. 2026-01-05)")
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a day of the calendar") from None


@dataclass
class TrashEntry:
    """An article in the trash and when it was put there (ISO UTC)."""

    article: Article
    trashed_at: str

    def to_json(self) -> dict[str, Any]:
        d = self.article.to_json()
        d["trashed_at"] = self.trashed_at
        return d


@dataclass(frozen=True)
class TagSnapshot:
    """The assignments of some tags before a rename/merge/delete, enough to undo it:
    ``before`` maps each tag name (exact case) to the article ids and highlight ids carrying it;
    ``created`` names the tags the change made (dropped again on undo)."""

    before: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict)
    created: tuple[str, ...] = ()


@dataclass
class TagChange:
    """What a tag rename/merge/delete did: how many articles and highlights lost or changed a
    tag, which tag names changed into which (``renamed``), and the snapshot that undoes it
    (:meth:`reader.core.library.Library.restore_tags`)."""

    articles: int
    highlights: int
    renamed: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    undo: TagSnapshot = field(default_factory=TagSnapshot)

    def to_json(self) -> dict[str, Any]:
        return {"articles": self.articles, "highlights": self.highlights,
                "renamed": dict(self.renamed), "removed": list(self.removed)}
