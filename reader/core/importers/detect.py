"""Which importer a decoded text needs, decided from its content (never from the file name).

Order: JSON (the text parses as JSON, or starts like JSON — ``{``, or ``[`` followed by ``{``, ``[``,
``"`` or ``]`` — in which case a parse error is reported as such)
-> marked page (at least two lines starting with ``##``, the first line is not a Markdown
``# `` document title, and the page starts with a ``##`` line or shows a byline, masthead,
continuation marker or photo credit, see :func:`reader.core.importers.page.is_marked_page`) -> unmarked page (at least two headline blocks and a byline, masthead,
continuation marker or photo credit, see :func:`reader.core.importers.page.looks_like_unmarked_page`)
-> a single plain article.
"""

from __future__ import annotations

import re

from .page import is_marked_page, looks_like_unmarked_page

_JSON_START = re.compile(r"^\s*(?:\{|\[\s*(?:[\[{\"\]]|$))")
_MD_DOC_TITLE = re.compile(r"^#[ \t\u3000]*[^#\s]")


def looks_like_json(text: str) -> bool:
    return bool(_JSON_START.match(text[:4096]))


def detect_format(text: str, *, json_checked: bool = False) -> str:
    """'wechat' (JSON), 'wechat-html' (a saved WeChat article page), 'html' (another saved web
    page), 'markdown' (front matter, pictures, bold runs or links), 'page-marked', 'page' or
    'plain'. ``json_checked``: the caller already
    found that the text does not parse as JSON."""
    if not json_checked and looks_like_json(text):
        return "wechat"
    # saved web pages and Markdown with structure (issue 13): before the page rules, which
    # would read their markup as text
    from .markdown import looks_like_markdown
    from .webpage import looks_like_html
    from .wechat_html import looks_like_wechat_page

    if looks_like_html(text):
        return "wechat-html" if looks_like_wechat_page(text) else "html"
    if looks_like_markdown(text):
        return "markdown"
    first = next((line.strip() for line in text.split("\n", 200)[:200] if line.strip()), "")
    if not _MD_DOC_TITLE.match(first) and is_marked_page(text):
        return "page-marked"
    if looks_like_unmarked_page(text):
        return "page"
    return "plain"
