"""A single article as plain text or Markdown: the first non-empty line is the title (leading
``#`` marks removed), everything after it is the body (lines kept, trimmed of stray spaces). A byline near the top of
the body (``本报讯（记者 …）``, ``记者 周宁``) fills ``byline``; the line stays in the body."""

from __future__ import annotations

import re

from ..model import ArticleDraft
from ..text import clean_line, normalize_newlines
from .cleanup import clean_text_line
from .page import byline_of

_MD_TITLE = re.compile(r"^#{1,6}[ \t\u3000]*")
TITLE_MAX = 200
BYLINE_LINES = 6  # a byline is looked for near the top of the body


def parse_plain(text: str) -> list[ArticleDraft]:
    lines = [clean_text_line(raw) for raw in normalize_newlines(text).split("\n")]
    first = next((k for k, line in enumerate(lines) if line), None)
    if first is None:
        return []
    title = clean_line(_MD_TITLE.sub("", lines[first]))
    body_lines = lines[first + 1 :]
    while body_lines and not body_lines[0]:
        body_lines.pop(0)
    body = "\n".join(body_lines).strip("\n")
    if len(title) > TITLE_MAX:
        # one long paragraph and no title line: keep all of it as the body
        body = lines[first] + ("\n" + body if body else "")
        title = title[:60].rstrip() + "…"
    if not title:
        title = "（无标题）"
    if not body.strip():
        body = title  # a one-line file: the line is both title and text
    byline = next(
        (b for b in (byline_of(ln) for ln in body.split("\n")[:BYLINE_LINES] if ln) if b), ""
    )
    return [ArticleDraft(title=title, body=body, byline=byline, kind="plain")]
