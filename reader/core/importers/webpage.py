"""Any other saved web page (a news site's article saved with the browser): main-content
extraction with readability-lxml, metadata from the page's ``<meta>`` tags.

Why readability-lxml and not trafilatura: both install cleanly and import without warnings under
``-W error`` on Python 3.11, and both are maintained (releases in 2025–2026). readability-lxml
only needs lxml, lxml-html-clean, cssselect and chardet (well under 1 MB besides lxml), has no code
path that fetches anything given a string, and returns the *subtree* it chose, so the same walk
that reads WeChat pages keeps headings, emphasis, lists, quotes and pictures. trafilatura brings
dateparser, regex, babel, pytz, courlan, htmldate and urllib3 (~50 MB in the bundle), has
fetching functions, and on our fixture news page dropped the subheading and the picture.

How: every element of our own parse gets a ``data-pz`` number; readability works on its copy of
the tree and returns the article's HTML with those numbers still on it; the walk then reads *our*
tree, keeping the numbered elements readability kept (so its choice of the main content is
respected, while the text comes from the original page). Lists readability drops only for being
short and that hold no links are put back: a short bullet list in an article is content.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import ArticleDraft
from ..text import clean_line
from .cleanup import strip_decorations
from .dates import to_iso_date
from .errors import Code, ImportFailure
from .wechat_html import ImageSource, _clean_url, _meta, parse_html_tree, walk

if TYPE_CHECKING:
    from lxml.html import HtmlElement

log = logging.getLogger(__name__)

_MARK = "data-pz"
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|link|script|style|"
    r"div|section|article|main)\b", re.I | re.S
)
_TITLE_SPLIT = re.compile(r"\s+[-_|–—]\s+|[_|｜]")


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:8192].lstrip("\ufeff")))


def _mark_tree(root: HtmlElement) -> None:
    for n, el in enumerate(root.iter()):
        if isinstance(el.tag, str):
            el.set(_MARK, str(n))


def _kept_ids(root: HtmlElement) -> set[str]:
    import lxml.etree
    import lxml.html
    from readability import Document
    from readability.readability import Unparseable

    logging.getLogger("readability").setLevel(logging.ERROR)
    try:
        summary = Document(root, min_text_length=10, retry_length=120).summary(html_partial=True)
        if not summary or not summary.strip():
            return set()
        kept = lxml.html.fragment_fromstring(
            summary, create_parent="div",
            parser=lxml.html.HTMLParser(no_network=True, huge_tree=True),
        )
    except (Unparseable, ValueError, TypeError, AssertionError, lxml.etree.LxmlError):
        # the extractor is a heuristic: when it cannot decide, the whole page body is read
        return set()
    return {m for el in kept.iter() if isinstance(el.tag, str) and (m := el.get(_MARK))}


def _rescued_lists(root: HtmlElement, kept: set[str]) -> set[str]:
    """Lists readability dropped as too short, inside kept elements, holding no links."""
    extra: set[str] = set()
    for lst in root.iter("ul", "ol"):
        parent = lst.getparent()
        if lst.get(_MARK) in kept or parent is None or parent.get(_MARK) not in kept:
            continue
        if lst.xpath(".//a"):
            continue
        extra.update(m for el in lst.iter() if isinstance(el.tag, str)
                     and (m := el.get(_MARK)) is not None)
    return extra


def parse_webpage(text: str, base_dir: Path | None) -> list[ArticleDraft]:
    root = parse_html_tree(text)
    title = clean_line(_meta(root, "og:title", "twitter:title"))
    if not title:
        h1 = root.xpath("//h1")
        title = clean_line(h1[0].text_content()) if h1 else ""
    if not title:
        t = root.xpath("//title")
        full = clean_line(t[0].text_content()) if t else ""
        title = _TITLE_SPLIT.split(full)[0].strip() if full else ""
    site = clean_line(_meta(root, "og:site_name", "application-name", "publisher"))
    byline = clean_line(_meta(root, "author", "article:author", "byl", "dc.creator"))
    date = ""
    for name in ("article:published_time", "pubdate", "publishdate", "date", "dc.date",
                 "og:article:published_time", "publish_time"):
        date = to_iso_date(_meta(root, name)[:64])
        if date:
            break
    if not date:
        for el in root.iter("time"):
            date = to_iso_date((el.get("datetime") or el.text_content() or "")[:64])
            if date:
                break
    url = _clean_url(_meta(root, "og:url") or next(
        (el.get("href") or "" for el in root.iter("link") if el.get("rel") == "canonical"), ""))
    digest = clean_line(_meta(root, "og:description", "description"))

    _mark_tree(root)
    kept = _kept_ids(root)
    body_el = root.find("body")
    container = body_el if body_el is not None else root
    if kept:
        kept |= _rescued_lists(root, kept)
        through = {m for el in root.iter() if el.get(_MARK) in kept
                   for a in el.iterancestors() if (m := a.get(_MARK)) is not None} - kept
        rich = walk(container, ImageSource(base_dir), keep=lambda el: _kept(el, kept, through))
    else:
        rich = walk(container, ImageSource(base_dir))
    if not rich.body.strip():
        raise ImportFailure(Code.NO_PAGE_TEXT)
    # a title repeated as the first line of the text is not shown twice
    body, blocks, images = rich.body, rich.blocks, rich.images
    first, _, rest = body.partition("\n")
    if rest and title and clean_line(first) == title:
        shift = len(first) + 1
        body = rest
        blocks = [b for b in blocks if b.start >= shift]
        for b in blocks:
            b.start -= shift
            b.end -= shift
        for img in images:
            img.offset = max(0, img.offset - shift)
    if not title:
        title = body.split("\n", 1)[0][:60]
    return [ArticleDraft(
        title=strip_decorations(title)[:200], body=body, subtitle=digest[:500], byline=byline[:200],
        source=site[:200], date=date, url=url, kind="web", blocks=blocks, images=images,
    )]


def _kept(el: HtmlElement, kept: set[str], through: set[str]) -> bool | None:
    mark = el.get(_MARK)
    if mark is None or mark in kept:
        return True  # an element readability did not number is one it created
    return None if mark in through else False
