"""Exporting annotations: Markdown (to read), W3C Web Annotation JSON (to import again), CSV.

Every exporter takes the same :class:`Selection` (one article, several, a tag, the whole library)
and writes text. :func:`export_file` writes one file atomically; :func:`export_dir` writes one
file per article into a folder, with names derived from the titles and sanitised so that nothing
is ever written outside that folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core import fileguard
from reader.core.model import Article, Highlight

if TYPE_CHECKING:
    from reader.core.library import Library

FORMATS = ("markdown", "json", "csv")
EXTENSIONS = {"markdown": ".md", "json": ".json", "csv": ".csv"}


class ExportError(Exception):
    """An export that cannot be done; the message names the file and the reason."""


@dataclass
class Selection:
    """Which highlights to export. Empty ``article_ids`` and ``tags`` with ``everything`` set
    mean the whole library; tags select highlights carrying all of them (any with ``any_tag``).
    Deleted highlights are never exported; orphans are, marked as such."""

    article_ids: Sequence[int] = ()
    tags: Sequence[str] = ()
    any_tag: bool = False
    everything: bool = False
    include_orphans: bool = True
    uuids: Sequence[str] = ()  # these highlights only (the annotation library's selection)

    @property
    def empty(self) -> bool:
        return not (self.article_ids or self.tags or self.everything or self.uuids)


@dataclass
class ArticleGroup:
    article: Article  # with body
    highlights: list[Highlight]


def collect(library: Library, selection: Selection) -> list[ArticleGroup]:
    """The selected highlights grouped by article (articles by date, highlights by position)."""
    if selection.empty:
        raise ExportError("nothing selected: name articles or tags, or export everything")
    wanted = set(selection.article_ids)
    hls: list[Highlight] = []
    if selection.uuids:
        for uuid in dict.fromkeys(selection.uuids):
            h = library.highlight(uuid)  # raises LibraryError for an unknown uuid
            if not h.deleted and (not wanted or h.article_id in wanted):
                hls.append(h)
        wanted = set()
    elif selection.article_ids:
        for aid in dict.fromkeys(selection.article_ids):
            library.article(aid)  # raises LibraryError for an unknown id
            hls += library.highlights(
                article_id=aid, tags=selection.tags, any_tag=selection.any_tag, order="article"
            )
    else:
        hls = library.highlights(tags=selection.tags, any_tag=selection.any_tag, order="article")
    if not selection.include_orphans:
        hls = [h for h in hls if not h.orphan]
    by_article: dict[int, list[Highlight]] = {}
    for h in hls:
        by_article.setdefault(h.article_id, []).append(h)
    ids = list(dict.fromkeys(selection.article_ids)) if wanted else list(by_article)
    groups = []
    for aid in ids:
        if aid not in by_article and (not wanted or selection.tags):
            continue
        groups.append(ArticleGroup(library.article(aid), by_article.get(aid, [])))
    groups.sort(key=lambda g: (g.article.date or "9999", g.article.id))
    for g in groups:
        g.highlights.sort(key=lambda h: (h.orphan, h.start, h.end, h.created, h.uuid))
    return groups


def _writer(fmt: str) -> Callable[[list[ArticleGroup]], str]:
    render: Callable[[list[ArticleGroup]], str]
    if fmt == "markdown":
        from reader.core.exporters.markdown import render
    elif fmt == "json":
        from reader.core.exporters.webannotation import render
    elif fmt == "csv":
        from reader.core.exporters.csv import render
    else:
        raise ExportError(f"unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
    return render


def render(library: Library, selection: Selection, fmt: str) -> str:
    """The export as one text."""
    return _writer(fmt)(collect(library, selection))


# ---------------------------------------------------------------------- files
def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Refuse an empty output path (it would mean the current folder) and paths that climb
    with ``..``; the result is absolute."""
    if not str(path).strip():
        raise ExportError("no output path given: name the file (or folder) to write")
    p = Path(path).expanduser()
    if any(part == ".." for part in p.parts):
        raise ExportError(f"{path}: give the output path without '..' components")
    return p.absolute()


def _reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


def _atomic_write(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to a recognisable temporary file beside ``path``, then rename it into
    place: a reader of ``path`` sees the old file or the new one, never half of one."""
    if path.is_dir():
        raise ExportError(f"{path}: is a folder")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: the folder {path.parent} does not exist")
    tmp = path.parent / fileguard.temp_name("export")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_BINARY", 0), 0o666)  # Windows: newline="" must hold
    except OSError as e:
        raise ExportError(f"{path}: cannot write in {path.parent} ({_reason(e)})") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"{path}: cannot write ({_reason(e)})") from None


def _encoding(fmt: str) -> str:
    # a byte-order mark lets spreadsheet programs recognise UTF-8 Chinese text
    return "utf-8-sig" if fmt == "csv" else "utf-8"


def destination_problem(library: Library | None, path: Path, *, overwrite: bool) -> str:
    """Why an export cannot be written to the file ``path`` ('' if it can): inside the
    library folder, not a regular file, or an existing file without ``overwrite``."""
    return fileguard.destination_problem(
        path, library_root=library.root if library is not None else None, overwrite=overwrite)


def export_file(
    library: Library, selection: Selection, fmt: str, path: str | os.PathLike[str], *,
    overwrite: bool = False,
) -> tuple[Path, int, int]:
    """Write the export to ``path``. Returns (path, articles, highlights). An existing file is
    replaced only with ``overwrite``; see :func:`destination_problem` for what is refused."""
    target = check_output_path(path)
    problem = destination_problem(library, target, overwrite=overwrite)
    if problem:
        raise ExportError(f"{path}: {problem}")
    fileguard.clean_stale(target.parent, "export")
    render_fn = _writer(fmt)
    groups = collect(library, selection)
    _atomic_write(target, render_fn(groups), encoding=_encoding(fmt))
    return target, len(groups), sum(len(g.highlights) for g in groups)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, *, fallback: str = "article", max_len: int = 80) -> str:
    """A file name (no folder parts) made from a title: separators and control characters
    removed, no leading dots, no ``..``, no reserved Windows names, at most ``max_len``
    characters."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub(" ", name)
    name = " ".join(name.split()).strip(" .")
    name = name.replace("..", "·")
    if not name or name.upper().split(".")[0] in _RESERVED:
        name = fallback + ("-" + name if name else "")
    name = name[:max_len]
    while len(name.encode("utf-8")) > 200:  # file systems allow 255 bytes: 80 emoji are 320
        name = name[:-1]
    return name.rstrip(" .") or fallback


def _taken(path: Path, overwrite: bool) -> bool:
    """Whether a file of an export into a folder must take another name: something that is not
    a regular file is there (a FIFO, a folder, a device link), or a file and no ``overwrite``."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return not (overwrite and stat.S_ISREG(st.st_mode))


def export_dir(
    library: Library, selection: Selection, fmt: str, directory: str | os.PathLike[str], *,
    overwrite: bool = False,
) -> list[Path]:
    """One file per article in ``directory`` (which must exist, outside the library). Names
    come from the article date and title; nothing is written outside the folder. A name already
    taken gets a number (`` (2)``) unless ``overwrite``, which replaces regular files only."""
    folder = check_output_path(directory)
    if not folder.is_dir():
        raise ExportError(f"{directory}: not an existing folder")
    if fileguard.inside(folder, library.root):
        raise ExportError(f"{directory}: is inside the library folder {library.root}; choose a "
                          "folder outside it (nothing was written)")
    fileguard.clean_stale(folder, "export")
    render_fn = _writer(fmt)
    root = folder.resolve()
    written: list[Path] = []
    used: set[str] = set()
    for g in collect(library, selection):
        a = g.article
        stem = safe_filename(f"{a.date} {a.title}" if a.date else a.title,
                             fallback=f"article-{a.id}")
        name, n = stem, 2
        while name.casefold() in used or _taken(root / (name + EXTENSIONS[fmt]), overwrite):
            name, n = f"{stem} ({n})", n + 1
        used.add(name.casefold())
        target = (root / (name + EXTENSIONS[fmt])).resolve()
        if target.parent != root:  # cannot happen after safe_filename; checked all the same
            raise ExportError(f"{target}: outside the export folder {root}; not written")
        _atomic_write(target, render_fn([g]), encoding=_encoding(fmt))
        written.append(target)
    return written
