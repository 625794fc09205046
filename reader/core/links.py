"""Links that open Pizhu at an article or a passage: ``pizhu://article/<uuid>[#highlight=<uuid>]``.

Markdown exports carry them; ``pizhu open URL`` resolves one from a terminal, and the desktop app
(registered as the handler of the ``pizhu`` URL scheme) opens the article and scrolls to the
highlight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

SCHEME = "pizhu"
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_LINK = re.compile(
    rf"^pizhu://article/(?P<article>{_UUID})/?(?:#(?:highlight=(?P<highlight>{_UUID}))?)?$"
)


@dataclass(frozen=True, slots=True)
class Link:
    article_uuid: str
    highlight_uuid: str | None = None


def article_link(article_uuid: str, highlight_uuid: str | None = None) -> str:
    """The link that opens an article (at a highlight if given)."""
    url = f"{SCHEME}://article/{article_uuid}"
    return f"{url}#highlight={highlight_uuid}" if highlight_uuid else url


def article_iri(article_uuid: str) -> str:
    """The IRI naming an article in exported annotations (the target's ``source``)."""
    return f"{SCHEME}://article/{article_uuid}"


MAX_LINK_CHARS = 1024  # a real link is under 110 characters; anything this long is not one


def parse_link(url: str) -> Link | None:
    """The article (and highlight) a ``pizhu://`` link names, or ``None`` if it is not one
    (also for anything that is not a string or is longer than :data:`MAX_LINK_CHARS`, before
    any decoding)."""
    if not isinstance(url, str) or len(url) > MAX_LINK_CHARS:
        return None
    m = _LINK.match(unquote(url.strip()))
    if not m:
        return None
    return Link(m["article"].lower(), m["highlight"].lower() if m["highlight"] else None)
