"""Annotations as Markdown to read: grouped by article, each highlight with its quote, note, tags,
colour and a ``pizhu://`` link that opens Pizhu at the passage."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reader.core.links import article_link

if TYPE_CHECKING:
    from reader.core.exporters import ArticleGroup

COLOR_NAMES = {"yellow": "黄", "green": "绿", "blue": "蓝", "pink": "粉", "purple": "紫",
               "orange": "橙"}

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def escape(text: str) -> str:
    """Markdown-inert text: characters with a meaning are backslash-escaped."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m[1] + "\\" + m[2], text)


_SAFE_SCHEMES = ("http", "https", "pizhu")


def safe_url(url: str) -> bool:
    """Whether ``url`` may become a link in an export: only http, https and pizhu URLs. Other
    schemes (``javascript:``, ``data:``, ``vbscript:``, ``file:``) run code or read local files
    when clicked in a Markdown viewer. It is a list of the allowed, so unknown tricks fail
    closed; a scheme holding whitespace or control characters (browsers drop them, making
    ``java\tscript:`` ``javascript:``) is refused too."""
    head, sep, _rest = url.strip().partition(":")
    if not sep or any(ord(c) < 0x21 or c in "\x7f\\" for c in head):
        return False
    return head.lower() in _SAFE_SCHEMES


def _link_target(url: str) -> str:
    """The URL as a Markdown link destination in ``<…>``: no line breaks, no closing ``>``."""
    return "".join(c if ord(c) >= 0x20 else f"%{ord(c):02X}" for c in url.strip()
                   ).replace("<", "%3C").replace(">", "%3E")


def _quote_block(text: str) -> str:
    return "\n".join("> " + escape(line) if line.strip() else ">" for line in text.split("\n"))


def render(groups: list[ArticleGroup], *, now: str | None = None) -> str:
    stamp = now or datetime.now(UTC).isoformat(timespec="seconds")
    n = sum(len(g.highlights) for g in groups)
    out = ["# Pizhu 批注导出", "", f"导出时间：{stamp} · {len(groups)} 篇文章 · {n} 条批注", ""]
    for g in groups:
        a = g.article
        out += ["---", "", f"## {escape(a.title)}", ""]
        if a.subtitle:
            out += [f"*{escape(a.subtitle)}*", ""]
        meta = [f"{label}：{escape(value)}" for label, value in
                (("来源", a.source), ("日期", a.date), ("作者", a.byline)) if value]
        if a.tags:
            meta.append("标签：" + "、".join(escape(t) for t in a.tags))
        if meta:
            out += [" · ".join(meta), ""]
        links = [f"[在 Pizhu 中打开]({article_link(a.uuid)})"]
        if a.url and safe_url(a.url):
            links.append(f"[原文链接](<{_link_target(a.url)}>)")
        elif a.url:  # javascript:, data:, file: … shown as text, never as a link
            links.append(f"原文链接：{escape(a.url)}")
        out += [" · ".join(links), ""]
        if not g.highlights:
            out += ["（没有批注）", ""]
        for h in g.highlights:
            out += [_quote_block(h.quote), ""]
            if h.orphan:
                out += ["**失联划线**：这段文字在文章的当前版本中已找不到。", ""]
            if h.note:
                lines = [escape(line) for line in h.note.split("\n")]
                out += ["**批注**：" + "  \n".join(lines), ""]
            info = []
            if h.tags:
                info.append("标签：" + "、".join(escape(t) for t in h.tags))
            info.append("颜色：" + COLOR_NAMES.get(h.color, escape(h.color)))
            info.append(f"位置：{h.start}–{h.end}")
            info.append(f"[在 Pizhu 中打开]({article_link(a.uuid, h.uuid)})")
            out += [" · ".join(info), ""]
    return "\n".join(out).rstrip("\n") + "\n"
