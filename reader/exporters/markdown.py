"""Annotations as Markdown to read: grouped by article, each highlight with its quote, note, tags,
colour and a ``pizhu://`` link that opens Pizhu at the passage."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reader.links import article_link

if TYPE_CHECKING:
    from reader.exporters import ArticleGroup

COLOR_NAMES = {"yellow": "黄", "green": "绿", "blue": "蓝", "pink": "粉", "purple": "紫",
               "orange": "橙"}

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def escape(text: str) -> str:
    """Markdown-inert text: characters with a meaning are backslash-escaped."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m[1] + "\\" + m[2], text)


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
        if a.url:
            links.append(f"[原文链接](<{a.url.replace('>', '%3E')}>)")
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
