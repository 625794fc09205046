"""Markdown export through a Jinja2 template, one file per article into a folder (a notes vault),
updated in place by the next export (issue 17).

Templates
    Two presets — ``plain`` (headings, quotes, notes) and ``obsidian`` (YAML front matter, ``#tags``,
    one ``> [!quote]`` callout per highlight, ``pizhu://`` links back; Logseq reads it too) — or
    the user's own template file (``--template FILE``). The context is ``article`` (title,
    subtitle, source, date, byline, url — only http(s), else '' —, tags, link, uuid, id) and
    ``highlights`` (quote, note, tags, color, color_name, created, updated, orphan, link, uuid,
    start, end). Templates run sandboxed (``jinja2.sandbox``) and an unknown name is an error.

Plain text stays plain text
    Every ``{{ … }}`` is Markdown-escaped on output (``finalize``), so a title or quote holding
    ``<script>``, ``[link](javascript:…)`` or a ``#`` at a line start shows as text. Filters
    that build Markdown return already-safe text: ``quote`` (a ``> `` block), ``yaml`` (a quoted
    YAML scalar or list), ``hashtag`` / ``hashtags`` (Obsidian tags: letters, digits, ``_ - /``),
    ``url`` (an http(s)/pizhu link destination, or nothing). ``raw`` lets a template author opt
    out for a value they know is safe.

Updating in place (the decision)
    Each file carries ``<!-- pizhu:begin article=UUID -->`` … ``<!-- pizhu:end -->`` around what
    Pizhu wrote (added around the template's output; the front matter, if the template writes
    one, stays first). The next export finds an article's file by that marker — whatever the
    file is called now — and replaces only the block between the markers and the front matter's
    keys the template writes; anything the user wrote before or after the block, and front
    matter keys of their own, are kept. A file whose markers were removed is left alone (named
    in the report), never overwritten. New files are named after the title (``title.md``; with
    the uuid's first 8 characters when another file has that name). A file whose text would not
    change is not written (vault sync tools see no change).

Since last export
    The folder remembers its last export in ``.pizhu-export.json``; ``since_last`` exports only
    the articles whose highlights changed (added, edited, deleted) since then.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core import fileguard
from reader.core.exporters import (
    ArticleGroup,
    ExportError,
    Selection,
    _atomic_write,
    check_output_path,
    collect,
    safe_filename,
)
from reader.core.exporters.markdown import COLOR_NAMES, escape, safe_url
from reader.core.links import article_link

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment

    from reader.core.library import Library

STATE_FILE = ".pizhu-export.json"
BEGIN = "<!-- pizhu:begin article={uuid} -->"
END = "<!-- pizhu:end -->"
_BEGIN_RE = re.compile(r"<!-- pizhu:begin article=([0-9A-Fa-f-]{36}) -->")
MAX_SCAN_BYTES = 4_000_000  # a vault file bigger than this is not one of ours

PLAIN = """\
# {{ article.title }}

{% if article.subtitle %}
*{{ article.subtitle }}*

{% endif %}
{% set meta = [article.source, article.date, article.byline] | select | list %}
{% if meta %}
{{ meta | join(" · ") }}

{% endif %}
{% if article.tags %}
标签：{{ article.tags | join("、") }}

{% endif %}
[在 Pizhu 中打开]({{ article.link | url }})
{%- if article.url %} · [原文]({{ article.url | url }}){% endif %}


{% for h in highlights %}
{{ h.quote | quote }}

{% if h.orphan %}
（失联划线：这段文字在文章的当前版本中已找不到）

{% endif %}
{% if h.note %}
批注：{{ h.note }}

{% endif %}
{% if h.tags %}标签：{{ h.tags | join("、") }} · {% endif %}{{ h.color_name }} · [打开]({{ h.link | url }})

{% else %}
（没有批注）
{% endfor %}
"""

OBSIDIAN = """\
---
title: {{ article.title | yaml }}
source: {{ article.source | yaml }}
date: {{ article.date | yaml }}
{% if article.url %}
url: {{ article.url | yaml }}
{% endif %}
tags: {{ article.tags | yaml }}
pizhu: {{ article.link | yaml }}
---
# {{ article.title }}

{% if article.tags %}
{{ article.tags | hashtags }}

{% endif %}
[在 Pizhu 中打开]({{ article.link | url }})
{%- if article.url %} · [原文]({{ article.url | url }}){% endif %}


{% for h in highlights %}
> [!quote]{{ "- 失联" | raw if h.orphan }} {{ h.color_name }}{{ (" · " ~ h.tags | hashtags) | raw if h.tags }}
{{ h.quote | quote }}
{% if h.note %}
>
{{ h.note | quote("**批注**：") }}
{% endif %}
> [↗ Pizhu]({{ h.link | url }})

{% endfor %}
"""

PRESETS = {"plain": PLAIN, "obsidian": OBSIDIAN}


class Raw(str):
    """Text that is already Markdown (built by a filter): written as it is."""


def _md(value: Any) -> str:
    if isinstance(value, Raw):
        return value
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(_md(v) for v in value)
    return escape(str(value))


def _quote(value: Any, lead: str = "") -> Raw:
    """``value`` as a ``> `` block; ``lead``: Markdown the template puts before it (its own)."""
    text = lead + (value if isinstance(value, Raw) else escape(str(value)))
    return Raw("\n".join("> " + line if line.strip() else ">" for line in text.split("\n")))


def _yaml(value: Any) -> Raw:
    if isinstance(value, (list, tuple)):
        return Raw("[" + ", ".join(json.dumps(str(v), ensure_ascii=False) for v in value) + "]")
    return Raw(json.dumps("" if value is None else str(value), ensure_ascii=False))


_TAG_BAD = re.compile(r"[^\w\-/]+")


def _hashtag(tag: Any) -> Raw:
    name = _TAG_BAD.sub("_", str(tag)).strip("_/") or "_"
    if name.isdigit():  # Obsidian needs a non-digit in a tag
        name = "_" + name
    return Raw("#" + name)


def _hashtags(tags: Iterable[Any]) -> Raw:
    return Raw(" ".join(_hashtag(t) for t in tags))


def _url(value: Any) -> Raw:
    url = str(value).strip()
    if not url or not safe_url(url):
        return Raw("")
    return Raw("<" + "".join(c if ord(c) >= 0x20 else f"%{ord(c):02X}" for c in url)
               .replace("<", "%3C").replace(">", "%3E") + ">")


def environment() -> SandboxedEnvironment:  # (jinja2 is imported lazily: exports only)
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=False, finalize=_md, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(quote=_quote, yaml=_yaml, hashtag=_hashtag, hashtags=_hashtags, url=_url,
                       raw=Raw, md=_md)
    return env


def template_source(template: str) -> tuple[str, str]:
    """(name, source) of a preset name or a template file's path."""
    if template in PRESETS:
        return template, PRESETS[template]
    path = Path(template).expanduser()
    try:
        return path.name, path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExportError(f"{template}: no such template file (presets: "
                          f"{', '.join(PRESETS)})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ExportError(f"{template}: cannot read the template ({e})") from None


def compile_template(template: str) -> Template:
    from jinja2 import TemplateError

    name, source = template_source(template)
    try:
        return environment().from_string(source)
    except TemplateError as e:
        line = getattr(e, "lineno", None)
        raise ExportError(f"{name}: the template is not valid"
                          f"{f' (line {line})' if line else ''}: {e}") from None


def context(group: ArticleGroup) -> dict[str, Any]:
    a = group.article
    return {
        "article": {
            "id": a.id, "uuid": a.uuid, "title": a.title, "subtitle": a.subtitle,
            "source": a.source, "date": a.date, "byline": a.byline,
            "url": a.url if a.url and safe_url(a.url) and not a.url.lower().startswith("pizhu")
            else "",
            "tags": list(a.tags), "link": article_link(a.uuid),
        },
        "highlights": [
            {"uuid": h.uuid, "quote": h.quote, "note": h.note, "tags": list(h.tags),
             "color": h.color, "color_name": COLOR_NAMES.get(h.color, h.color),
             "created": h.created, "updated": h.updated, "orphan": h.orphan,
             "start": h.start, "end": h.end, "link": article_link(a.uuid, h.uuid)}
            for h in group.highlights
        ],
    }


def render_group(tmpl: Template, group: ArticleGroup) -> str:
    """One article's file: the template's output with the block markers put in."""
    from jinja2 import TemplateError

    try:
        text = tmpl.render(**context(group))
    except TemplateError as e:
        raise ExportError(f"the template failed on “{group.article.title}”: {e}") from None
    front, body = split_front_matter(text)
    body = body.strip("\n")
    return front + BEGIN.format(uuid=group.article.uuid) + "\n" + body + "\n\n" + END + "\n"


# ---------------------------------------------------------------------- updating in place
_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
_KEY = re.compile(r"^([^\s#:][^:]*):")


def split_front_matter(text: str) -> tuple[str, str]:
    m = _FRONT.match(text)
    return (m.group(0), text[m.end():]) if m else ("", text)


def _front_keys(front: str) -> list[tuple[str, list[str]]]:
    """The top-level keys of a front matter block with their lines (continuations included)."""
    out: list[tuple[str, list[str]]] = []
    lines = front.split("\n")[1:-2] if front else []
    for line in lines:
        m = _KEY.match(line)
        if m:
            out.append((m.group(1).strip(), [line]))
        elif out:
            out[-1][1].append(line)
    return out


def merge(existing: str, new: str) -> str | None:
    """``new`` (a rendered file) put into ``existing``: the block between the markers and the
    front matter keys ``new`` has are replaced, the rest of ``existing`` kept. None when
    ``existing`` has lost its markers (the caller leaves it alone)."""
    old_front, old_body = split_front_matter(existing)
    new_front, new_body = split_front_matter(new)
    m = _BEGIN_RE.search(old_body)
    end = old_body.find(END, m.end()) if m else -1
    if m is None or end < 0:
        return None
    block = new_body.strip("\n")
    before, after = old_body[:m.start()], old_body[end + len(END):]
    after = after[1:] if after.startswith("\n") else after
    front = new_front
    if new_front and old_front:
        ours = {k for k, _ in _front_keys(new_front)}
        theirs = [lines for k, lines in _front_keys(old_front) if k not in ours]
        if theirs:
            front = new_front[:-4] + "".join("\n".join(ls) + "\n" for ls in theirs) + "---\n"
    elif old_front and not new_front:
        front = old_front
    return front + before + block + "\n" + after


def scan(folder: Path) -> dict[str, Path]:
    """The Markdown files of ``folder`` (not its subfolders) that Pizhu wrote, by article uuid."""
    found: dict[str, Path] = {}
    try:
        entries = sorted(folder.glob("*.md"))
    except OSError:
        return found
    for p in entries:
        try:
            if not p.is_file() or p.stat().st_size > MAX_SCAN_BYTES:
                continue
            text = p.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        m = _BEGIN_RE.search(text)
        if m and m.group(1).lower() not in found:
            found[m.group(1).lower()] = p
    return found


@dataclass
class VaultReport:
    folder: Path
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    articles: int = 0
    highlights: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "written": [str(p) for p in self.written],
                "unchanged": [str(p) for p in self.unchanged],
                "skipped": [{"file": str(p), "reason": r} for p, r in self.skipped],
                "articles": self.articles, "highlights": self.highlights}


def last_export(folder: Path) -> str:
    """When this folder last had an export written into it (ISO, '' if never)."""
    try:
        return str(json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
                   .get("last_export", ""))
    except (OSError, ValueError, AttributeError):
        return ""


def changed_since(lib: Library, stamp: str) -> set[int]:
    """The articles with a highlight added, edited or deleted after ``stamp``."""
    return {h.article_id for h in lib.highlights(include_deleted=True)
            if (h.updated or h.created) >= stamp}


def export_vault(
    lib: Library, selection: Selection, folder: str | os.PathLike[str], template: str = "obsidian",
    *, since_last: bool = False, now: Callable[[], str] | None = None,
) -> VaultReport:
    """Write one file per selected article into ``folder`` (an existing folder outside the
    library) through ``template``; see the module's notes on updating files in place."""
    target = check_output_path(folder)
    if not target.is_dir():
        raise ExportError(f"{folder}: not an existing folder")
    if fileguard.inside(target, lib.root):
        raise ExportError(f"{folder}: is inside the library folder {lib.root}; choose a folder "
                          "outside it (nothing was written)")
    tmpl = compile_template(template)
    stamp = (now or (lambda: datetime.now(UTC).isoformat(timespec="seconds")))()
    groups = collect(lib, selection)
    if since_last and (last := last_export(target)):
        changed = changed_since(lib, last)
        groups = [g for g in groups if g.article.id in changed]
    fileguard.clean_stale(target, "export")
    root = target.resolve()
    mine = scan(root)
    used = {p.name.casefold() for p in mine.values()}
    report = VaultReport(root)
    for g in groups:
        a = g.article
        text = render_group(tmpl, g)
        path = mine.get(a.uuid.lower())
        if path is not None:
            try:
                existing = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                report.skipped.append((path, f"cannot read it ({e})"))
                continue
            merged = merge(existing, text)
            if merged is None:
                report.skipped.append((path, "its pizhu:begin/end markers are gone"))
                continue
            if merged == existing:
                report.unchanged.append(path)
                continue
            text = merged
        else:
            stem = safe_filename(a.title, fallback=f"article-{a.id}")
            name = stem + ".md"
            if name.casefold() in used or (root / name).exists():
                name = safe_filename(f"{a.title} {a.uuid[:8]}", fallback=f"article-{a.id}") + ".md"
            n = 2
            while name.casefold() in used or (root / name).exists():
                name = f"{stem} {a.uuid[:8]} ({n}).md"
                n += 1
            path = (root / name).resolve()
            if path.parent != root:
                raise ExportError(f"{path}: outside the export folder {root}; not written")
        used.add(path.name.casefold())
        _atomic_write(path, text)
        report.written.append(path)
        report.articles += 1
        report.highlights += len(g.highlights)
    _atomic_write(root / STATE_FILE, json.dumps({"last_export": stamp, "template": template},
                                                ensure_ascii=False) + "\n")
    return report
