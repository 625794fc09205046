"""The annotation library's query: every highlight across the library narrowed by tags (all or
any of them; a tag finds the tags under it), colour, source, the article's date, orphans and a
full-text search over quotes and notes, in one of four orders.

Qt-free; the GUI's recall view and the CLI share it. Reads only, through the Library's public
methods: the tags, orphan and trash conditions run in SQL (``Library.highlights``), the rest
filters the rows it returns (a few thousand at most, in memory).

The text search is ``reader.core.recall.search_highlights`` (the article search's query
language over quotes, notes and tags, substring-complete, 繁简 folded), run over the rows the
other filters kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.model import HIGHLIGHT_COLORS, Highlight

if TYPE_CHECKING:
    from reader.core.library import Library

ORDERS = ("newest", "oldest", "article", "color")
#: ``HighlightQuery.source`` for the articles without a source (a source name is never empty)
NO_SOURCE = ""


@dataclass
class HighlightQuery:
    """Empty fields do not filter. ``source`` None: any source (``NO_SOURCE``: none);
    ``date_from``/``date_to``: ISO days, the article's date; ``undated``: only articles
    without a date; ``orphans``: True only orphans, False none, None both."""

    tags: Sequence[str] = ()
    any_tag: bool = False
    text: str = ""
    color: str = ""
    source: str | None = None
    date_from: str = ""
    date_to: str = ""
    undated: bool = False
    orphans: bool | None = None
    order: str = "newest"

    @property
    def narrowed(self) -> bool:
        """Whether anything narrows the list (for the empty list's message)."""
        return bool(self.tags or self.text or self.color or self.source is not None
                    or self.date_from or self.date_to or self.undated
                    or self.orphans is not None)


def _search() -> Callable[..., list[str]] | None:
    try:
        from reader.core.recall import search_highlights
    except ImportError:  # the search side not installed: a plain substring of quote or note
        return None
    return search_highlights


def base_key(q: HighlightQuery) -> tuple[object, ...]:
    """What :func:`base_rows` depends on: a caller may keep its rows while only the other
    filters change (the GUI re-filters 5,000 rows in memory instead of reading them again)."""
    return (tuple(q.tags), q.any_tag, q.orphans, q.order == "article")


def base_rows(lib: Library, q: HighlightQuery) -> list[Highlight]:
    """The rows the SQL conditions keep (tags, orphans, trash) in the base order."""
    return lib.highlights(tags=q.tags, any_tag=q.any_tag, orphans=q.orphans,
                          order="article" if q.order == "article" else "newest")


def narrow(lib: Library, rows: list[Highlight], q: HighlightQuery) -> list[Highlight]:
    """``rows`` (from :func:`base_rows`) narrowed by colour, date, source and the text search,
    in ``q``'s order; a new list. A malformed search raises ValueError (``index.QueryError``)."""
    rows = [h for h in rows if h.color == q.color] if q.color else list(rows)
    if q.undated:
        rows = [h for h in rows if not h.article_date]
    elif q.date_from or q.date_to:
        lo, hi = q.date_from or "0000", (q.date_to or "9999") + "\uffff"
        rows = [h for h in rows if h.article_date and lo <= h.article_date <= hi]
    if q.source is not None and rows:
        ids = list(dict.fromkeys(h.article_id for h in rows))
        details = lib.article_details(ids)
        keep = {aid for aid, d in details.items() if (d.get("source") or "") == q.source}
        rows = [h for h in rows if h.article_id in keep]
    text = q.text.strip()
    if text and rows:  # last: the search runs over what the cheap filters left
        search = _search()
        if search is None:
            rows = [h for h in rows if text in h.quote or text in h.note]
        else:
            found = set(search(lib, text, highlights=rows))  # ValueError: bad query
            rows = [h for h in rows if h.uuid in found]
    if q.order == "oldest":
        rows.reverse()
    elif q.order == "color":
        rank = {name: i for i, name in enumerate(HIGHLIGHT_COLORS)}
        rows.sort(key=lambda h: rank.get(h.color, len(rank)))  # stable: newest first within
    return rows


def find_highlights(lib: Library, q: HighlightQuery) -> list[Highlight]:
    """The highlights matching ``q`` in its order (deleted ones and those of trashed articles
    never). A malformed search raises ValueError (``index.QueryError``, with ``.message``)."""
    return narrow(lib, base_rows(lib, q), q)
