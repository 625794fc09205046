"""Markdown articles: WeChat Markdown exports and notes with YAML front matter.

Parsed with markdown-it-py (CommonMark plus tables and strikethrough); front matter with
python-frontmatter (PyYAML's safe loader). Two shapes:

* **Front matter** (note apps, clippers): ``title``, ``author``, ``date``, ``url``/``source``/
  ``link``, ``tags``, and an account/site name under ``account``/``site``/``公众号``… fill the
  fields (only scalar values, and lists of scalars for tags, are read).
* **A WeChat export without front matter**: a cover picture, ``# 标题``, an author/account line
  ``原创 作者名 [公众号名](javascript:void(0);)`` (the account becomes the source, the author the
  byline), and the account card's lines (``微信号 …``, ``功能介绍 …``, the account name alone).
  Those header lines are metadata, not article text: they are left out of the body.

The first level-1 heading at the top is the title (left out of the body); other headings, block
quotes, list items, bold and italic runs, and pictures are kept as structure. Links keep their
text only (a ``javascript:`` link is never kept as a link anywhere). Raw HTML in the Markdown is
never interpreted: tags are dropped, their text stays.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import ArticleDraft
from ..text import clean_line
from .cleanup import strip_decorations
from .dates import to_iso_date
from .richtext import RichText
from .wechat_html import ImageSource

if TYPE_CHECKING:
    from markdown_it.token import Token

_FRONT = re.compile(r"^\ufeff?(?:---|\+\+\+)[ \t]*\r?\n", re.S)
_MD_SIGNALS = re.compile(
    r"!\[[^\]\n]{0,500}\]\([^)\n]{1,4000}\)|\*\*[^*\n]{1,500}\*\*|"
    r"\[[^\]\n]{1,500}\]\((?:https?:|javascript:)[^)\n]{0,4000}\)"
)
_HEADER_LINES = 12  # the author line and the account card are looked for in this many lines
_BOILERPLATE = re.compile(r"^(?:微信号|功能介绍|微信扫一扫|长按识别|预览时标签不可点)(?:[\s:：]|$)")
_AUTHOR_LINE = re.compile(r"^(?:原创[\s:：]*)?(?P<author>[^\[\]]{0,60}?)\s*$")
_FRONT_MAX = 64 * 1024

_FIELD_KEYS = {
    "title": ("title", "标题"),
    "byline": ("author", "authors", "作者", "byline"),
    "date": ("date", "published", "created", "time", "日期", "时间", "publish_date"),
    "url": ("url", "link", "source_url", "original_url", "链接", "原文链接"),
    "source": ("account", "site", "source", "公众号", "来源", "publisher", "site_name"),
    "subtitle": ("description", "digest", "summary", "摘要"),
}


def has_front_matter(text: str) -> bool:
    m = _FRONT.match(text)
    if not m:
        return False
    fence = text[m.start():m.end()].strip().lstrip("\ufeff")
    head = text[m.end():m.end() + _FRONT_MAX]
    return bool(re.search(rf"^{re.escape(fence)}[ \t]*$", head, re.M)) and bool(
        re.match(r"\s*[\w\u4e00-\u9fff\"'-]+\s*[:=]", head)
    )


def looks_like_markdown(text: str) -> bool:
    """Front matter, or Markdown that is more than ``#`` headings (a picture, a bold run, a
    link): plain text with a ``# title`` stays a plain article."""
    return has_front_matter(text) or bool(_MD_SIGNALS.search(text[:200_000]))


def _scalar(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value)[:4000]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value[:20]):
        return ", ".join(value[:20])
    return ""


def _front_matter(text: str) -> tuple[dict[str, str], list[str], str]:
    """(fields, tags, Markdown content)."""
    import frontmatter
    import yaml

    if not has_front_matter(text):
        return {}, [], text
    try:
        meta, content = frontmatter.parse(text)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, UnicodeError):
        return {}, [], text
    if not isinstance(meta, dict):
        return {}, [], content
    lower = {str(k).strip().lower(): v for k, v in list(meta.items())[:200]}
    fields: dict[str, str] = {}
    for field, keys in _FIELD_KEYS.items():
        for k in keys:
            value = _scalar(lower.get(k))
            if value.strip():
                fields[field] = value
                break
    raw_tags = lower.get("tags", lower.get("标签", lower.get("keywords")))
    if isinstance(raw_tags, str):
        raw_tags = re.split(r"[,，;；\s]+", raw_tags)
    tags = [clean_line(str(t))[:60] for t in (raw_tags if isinstance(raw_tags, list) else [])
            if isinstance(t, str | int) and not isinstance(t, bool)][:50]
    return fields, [t for t in tags if t], content


def _inline_text(children: list[Token]) -> str:
    return "".join(c.content for c in children if c.type in ("text", "code_inline"))


def parse_markdown(text: str, base_dir: Path | None) -> list[ArticleDraft]:
    from markdown_it import MarkdownIt

    fields, tags, content = _front_matter(text)
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.options["maxNesting"] = 50  # deeper nesting becomes text, never a recursion error
    tokens = md.parse(content)
    rt = RichText(collapse=False)
    images = ImageSource(base_dir)
    title = ""
    source, byline = fields.get("source", ""), fields.get("byline", "")
    list_stack: list[list[int]] = []
    lines_seen = 0
    heading_level = 0
    skip_heading = False
    for i, tok in enumerate(tokens):
        t = tok.type
        if t == "heading_open":
            level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            heading_text = clean_line(_inline_text(nxt.children or [])) if nxt else ""
            if level == 1 and not title and lines_seen <= _HEADER_LINES and heading_text and (
                not fields.get("title") or heading_text == clean_line(fields["title"])
            ):
                title, skip_heading = heading_text, True
                continue
            heading_level = level
            rt.push_block("heading", level)
        elif t == "heading_close":
            if skip_heading:
                skip_heading = False
                continue
            rt.pop_block("heading")
            heading_level = 0
        elif t == "inline":
            if skip_heading:
                continue
            for group in _line_groups(tok.children or []):
                lines_seen += 1
                plain = clean_line(_inline_text(group))
                if lines_seen <= _HEADER_LINES and not heading_level:
                    meta = _author_line(group)
                    if meta is not None:
                        byline = byline or meta[0]
                        source = source or meta[1]
                        continue
                    if plain and (_BOILERPLATE.match(plain) or (source and plain == source)):
                        continue
                _feed_inline(rt, group, images)
                rt.end_paragraph()
        elif t == "paragraph_close":
            rt.end_paragraph()
        elif t == "blockquote_open":
            rt.push_block("quote")
        elif t == "blockquote_close":
            rt.pop_block("quote")
        elif t in ("bullet_list_open", "ordered_list_open"):
            rt.end_paragraph()
            start = tok.attrGet("start")
            list_stack.append([t == "ordered_list_open", int(start) if start else 1])
        elif t in ("bullet_list_close", "ordered_list_close"):
            rt.end_paragraph()
            if list_stack:
                list_stack.pop()
        elif t == "list_item_open":
            ordered, number = list_stack[-1] if list_stack else (False, 1)
            if list_stack:
                list_stack[-1][1] += 1
            rt.push_block("list_item", max(1, len(list_stack)),
                          marker=f"{number}. " if ordered else "• ")
        elif t == "list_item_close":
            rt.pop_block("list_item")
        elif t in ("fence", "code_block"):
            rt.end_paragraph()
            rt.text(tok.content)
            rt.end_paragraph()
        elif t == "html_block":
            rt.end_paragraph()
            rt.text(re.sub(r"<[^<>]{0,2000}>", "", tok.content))
            rt.end_paragraph()
        elif t in ("tr_close", "hr"):
            rt.end_paragraph()
        elif t in ("th_open", "td_open"):
            rt.text(" ")
    rich = rt.build()
    title = title or clean_line(fields.get("title", ""))
    body = rich.body
    if not title and body.strip():
        first = body.split("\n", 1)[0]
        title = first[:60] + ("…" if len(first) > 60 else "")
    if not body.strip():
        return []
    draft = ArticleDraft(
        title=clean_line(strip_decorations(title))[:200], body=body,
        subtitle=clean_line(fields.get("subtitle", ""))[:500],
        byline=clean_line(byline)[:200], source=clean_line(source)[:200],
        date=to_iso_date(fields.get("date", "")[:64]),
        url=_web_url(fields.get("url", "")), kind="markdown", blocks=rich.blocks,
        images=rich.images,
    )
    if tags and "tags" in ArticleDraft.__dataclass_fields__:  # front matter tags, when kept
        draft = dataclasses.replace(draft, tags=tags)
    return [draft]


def _web_url(url: str) -> str:
    url = url.strip()
    return url[:4000] if url.lower().startswith(("http://", "https://")) else ""


def _line_groups(children: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = [[]]
    for c in children:
        if c.type in ("softbreak", "hardbreak"):
            groups.append([])
        else:
            groups[-1].append(c)
    return [g for g in groups if g]


_AUTHOR_TEXT = re.compile(
    r"^(?:原创[\s:：]*)?(?P<author>[^\[\]]{0,60}?)\s*\[(?P<account>[^\[\]]{1,100})\]"
    r"\(\s*javascript:[^\n]{0,100}$",
    re.I,
)


def _author_line(group: list[Token]) -> tuple[str, str] | None:
    """``原创 作者名 [公众号名](javascript:void(0);)`` -> (author, account). markdown-it refuses
    ``javascript:`` links (they stay text), so the line is read from its text; a link token is
    looked at too, for parsers or options that keep it."""
    text = "".join(c.content for c in group if c.type in ("text", "code_inline"))
    m = _AUTHOR_TEXT.match(clean_line(text))
    if m:
        return clean_line(m.group("author")), clean_line(m.group("account"))
    for k, c in enumerate(group):
        if c.type == "link_open" and str(c.attrGet("href") or "").strip().lower().startswith(
            "javascript:"
        ):
            before = "".join(x.content for x in group[:k] if x.type == "text")
            m = _AUTHOR_LINE.match(clean_line(before))
            if m is None:
                return None
            account = []
            for x in group[k + 1:]:
                if x.type == "link_close":
                    break
                if x.type == "text":
                    account.append(x.content)
            return clean_line(m.group("author")), clean_line("".join(account))
    return None


def _feed_inline(rt: RichText, group: list[Token], images: ImageSource) -> None:
    for c in group:
        t = c.type
        if t in ("text", "code_inline"):
            rt.text(c.content)
        elif t == "strong_open":
            rt.push_mark("strong")
        elif t == "strong_close":
            rt.pop_mark("strong")
        elif t == "em_open":
            rt.push_mark("em")
        elif t == "em_close":
            rt.pop_mark("em")
        elif t == "image":
            alt = "".join(x.content for x in (c.children or []) if x.type == "text")
            img = images.image_for([str(c.attrGet("src") or "")], alt)
            if img is not None:
                rt.image(img)
