"""An article's text as Markdown with its structure (issue 13): headings, bold and italic runs,
quotes, list items, captions, and pictures by relative path in an export folder.

:func:`export_article` writes ``FOLDER/<title>.md`` and copies the article's stored pictures into
``FOLDER/images/`` (named by content hash, so several articles exported into one folder share
them). A web-only picture becomes an image link to its URL when that is an http(s) URL, otherwise
its alt text. Every piece of article text is escaped (:func:`reader.core.exporters.markdown.escape`),
so nothing in an article turns into Markdown of its own.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.exporters.markdown import _link_target, escape, safe_url
from reader.core.structure import Block, Image, Structure

if TYPE_CHECKING:
    from reader.core.library import Library
    from reader.core.model import Article

IMAGES = "images"
_MARKS = {"strong": "**", "em": "*"}


def _inline(line: str, start: int, marks: list[Block]) -> str:
    """One line of text with its emphasis, escaped."""
    points = {0, len(line)}
    for mark in marks:
        points.update((max(0, mark.start - start), min(len(line), mark.end - start)))
    cuts = sorted(p for p in points if 0 <= p <= len(line))
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = line[a:b]
        kinds = [m.kind for m in marks if m.start - start <= a and m.end - start >= b]
        text = escape(piece)
        stripped = text.strip()
        if kinds and stripped:
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            for kind in sorted(set(kinds)):
                stripped = f"{_MARKS[kind]}{stripped}{_MARKS[kind]}"
            text = lead + stripped + trail
        out.append(text)
    return "".join(out)


def render_article(article: Article, structure: Structure,
                   picture_paths: dict[int, str] | None = None) -> str:
    """The article as Markdown. ``picture_paths``: image index -> relative path of its file in
    the export (pictures without one are linked to their web URL or shown by their alt text)."""
    picture_paths = picture_paths or {}
    body = article.body or ""
    lines = body.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    inline = [b for b in structure.blocks if b.kind in _MARKS]
    kinds: dict[int, Block] = {}
    for b in structure.blocks:
        if b.kind in _MARKS:
            continue
        for n, s in enumerate(starts):
            if s >= b.start and s + len(lines[n]) <= b.end and lines[n]:
                kinds.setdefault(n, b)
    pictures: dict[int, list[int]] = {}
    for i, img in enumerate(structure.images):
        line_no = next((n for n, s in enumerate(starts) if s >= img.offset), len(lines))
        pictures.setdefault(line_no, []).append(i)
    out = [f"# {escape(article.title)}", ""]
    meta = [escape(x) for x in (article.byline, article.source, article.date) if x]
    if meta:
        out += [" · ".join(meta), ""]
    if article.url and safe_url(article.url):
        out += [f"[原文链接](<{_link_target(article.url)}>)", ""]
    for n, line in enumerate(lines):
        for i in pictures.get(n, []):
            out += [_picture(structure.images[i], picture_paths.get(i)), ""]
        if not line:
            continue
        mine = [b for b in inline if b.start < starts[n] + len(line) and b.end > starts[n]]
        text = _inline(line, starts[n], mine)
        block = kinds.get(n)
        if block is None:
            out += [text, ""]
        elif block.kind == "heading":
            out += ["#" * min(6, max(2, block.level + 1)) + " " + text, ""]
        elif block.kind == "quote":
            out += ["> " + text, ""]
        elif block.kind == "list_item":
            marker, _, rest = line.partition(" ")
            if marker == "•" or (marker[:-1].isdigit() and marker.endswith(".")):
                text = _inline(rest, starts[n] + len(marker) + 1, mine)
                out += [("- " if marker == "•" else marker + " ") + text]
            else:
                out += ["- " + text]
            if n + 1 >= len(lines) or kinds.get(n + 1) is None or kinds[n + 1].kind != "list_item":
                out.append("")
        elif block.kind == "caption":
            out += [f"*{text}*" if text.strip() else text, ""]
    for i in pictures.get(len(lines), []):
        out += [_picture(structure.images[i], picture_paths.get(i)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _picture(img: Image, path: str | None) -> str:
    alt = escape(img.alt or "图片")
    if path:
        return f"![{alt}](<{_link_target(path)}>)"
    if img.url and safe_url(img.url) and img.url.lower().startswith(("http://", "https://")):
        return f"![{alt}](<{_link_target(img.url)}>)"
    return f"（图片：{alt}）"


def export_article(library: Library, article_id: int, folder: str | os.PathLike[str],
                   taken: set[Path] | None = None) -> Path:
    """Write the article as ``<title>.md`` into ``folder`` (created if missing) with its stored
    pictures under ``folder/images/``. Returns the Markdown file's path. ``taken``: files already
    written by this export (two articles of one title get ``<title> (2).md``); the path written
    is added to it."""
    from reader.core.exporters import _atomic_write, safe_filename

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    article = library.article(article_id)
    structure = library.structure(article_id)
    paths: dict[int, str] = {}
    for i, img in enumerate(structure.images):
        src = library.image_path(img)
        if src is None or not src.is_file():
            continue
        rel = f"{IMAGES}/{src.name}"
        target = folder / rel
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(src, target)
        paths[i] = rel
    stem = safe_filename(article.title)
    md = folder / (stem + ".md")
    n = 1
    while taken is not None and md in taken:
        n += 1
        md = folder / f"{stem} ({n}).md"
    _atomic_write(md, render_article(article, structure, paths))
    if taken is not None:
        taken.add(md)
    return md
