"""Importers: read a file, decode it, detect its format from the content, split it into articles.

Public API (used by reader.core.library and the CLI)::

    parse_file(path, *, max_bytes=MAX_FILE_BYTES) -> ParsedFile     # raises ImportFailure only
    iter_import_files(paths) -> Iterator[(Path, reason | None)]    # folders expanded, sorted
    decode_bytes(data) -> (text, encoding)                         # raises ImportFailure

Formats (``ParsedFile.format``): ``wechat`` (a JSON export, :mod:`.wechat`), ``page-marked`` and
``page`` (newspaper pages, :mod:`.page`), ``article`` (one article per file with a
kicker/headline/subtitle header, :mod:`.articlefile`), ``plain`` (one article, :mod:`.plain`);
with structure and pictures (issue 13): ``wechat-html`` (a saved WeChat article page,
:mod:`.wechat_html`), ``html`` (another saved web page, :mod:`.webpage`), ``markdown``
(:mod:`.markdown`).
Outside JSON, the file's name and folders may give a date, page and source
(:func:`.articlefile.path_metadata`).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..model import ArticleDraft, ParsedFile
from .articlefile import apply_path_metadata, looks_like_article_file, parse_article_file
from .decode import decode_bytes
from .detect import detect_format, looks_like_json
from .errors import Code, ImportFailure, Reason, os_reason
from .page import split_page
from .plain import parse_plain
from .wechat import parse_wechat

__all__ = [
    "CANDIDATE_SUFFIXES",
    "Code",
    "ImportFailure",
    "Reason",
    "MAX_FILE_BYTES",
    "decode_bytes",
    "iter_import_files",
    "parse_file",
    "parse_text",
]

MAX_FILE_BYTES = 64 * 1024 * 1024

# Inside a folder, only files with these suffixes (case-insensitive) or none are imported;
# a file named explicitly is always tried, whatever its name.
CANDIDATE_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".json", "", ".html", ".htm", ".xhtml"}
)


def _html_twin(path: Path) -> bool:
    """A Markdown file beside a page of the same name (an exporter's article folder holds the
    page, its Markdown and pictures): the page is the article, the Markdown would repeat it."""
    return path.suffix.lower() in (".md", ".markdown") and any(
        path.with_suffix(ext).is_file() for ext in (".html", ".htm", ".HTML", ".xhtml")
    )


def _mb(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; refuses (without reading) anything that is not a regular file or is
    larger than ``max_bytes``."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ImportFailure.of(os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise ImportFailure(Code.IS_A_FOLDER)
    if not stat.S_ISREG(st.st_mode):
        raise ImportFailure(Code.NOT_A_REGULAR_FILE)
    if st.st_size > max_bytes:
        raise ImportFailure(Code.TOO_LARGE, size=_mb(st.st_size), limit=_mb(max_bytes))
    try:
        # O_NONBLOCK: a file swapped for a FIFO since the stat must not hang the import
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ImportFailure(Code.NOT_A_REGULAR_FILE)
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ImportFailure.of(os_reason(exc)) from None
    if len(data) > max_bytes:  # grew since stat
        raise ImportFailure(Code.GREW_TOO_LARGE, limit=_mb(max_bytes))
    return data


def _json_error(exc: json.JSONDecodeError, text: str) -> ImportFailure:
    truncated = exc.pos >= len(text.rstrip()) - 1 or "Unterminated" in exc.msg
    if truncated:
        return ImportFailure(Code.NOT_JSON_TRUNCATED, line=exc.lineno, column=exc.colno)
    return ImportFailure(Code.NOT_JSON, line=exc.lineno, column=exc.colno, message=exc.msg)


_NOT_JSON = object()


def _parse_int(s: str) -> int | None:
    # Python refuses to convert integers of more than 4300 digits; such a number is no date/id.
    return int(s) if len(s) <= 100 else None


def _json_lines(text: str) -> list[Any] | None:
    """JSON Lines (one article object per line), or None when the text is not that."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line, parse_int=_parse_int)
        except (ValueError, RecursionError):
            return None
        if not isinstance(obj, dict):
            return None
        out.append(obj)
    return out


def _load_json(text: str) -> object:
    """The parsed document, or _NOT_JSON when the text is not JSON and does not look like JSON
    (a plain article whose first line happens to start with ``[``)."""
    if text.lstrip()[:1] not in ("[", "{"):
        return _NOT_JSON
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        if not looks_like_json(text):
            return _NOT_JSON
        if exc.msg == "Extra data":
            lines = _json_lines(text)
            if lines is not None:
                return lines
        raise _json_error(exc, text) from None
    except RecursionError:
        raise ImportFailure(Code.JSON_TOO_DEEP) from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise ImportFailure(Code.NOT_JSON_VALUE, message=str(exc)) from None


def parse_text(text: str, *, path: str = "", encoding: str = "utf-8") -> ParsedFile:
    """Detect the format of an already decoded text and split it. Raises ImportFailure."""
    data = _load_json(text)
    fmt = "wechat" if data is not _NOT_JSON else detect_format(text, json_checked=True)
    if fmt in ("page", "page-marked", "plain") and looks_like_article_file(text, path):
        fmt = "article"  # one article per file with a kicker/headline/subtitle header
    skipped = 0
    if fmt == "wechat":
        drafts, skipped = parse_wechat(data)
    elif fmt in ("wechat-html", "html", "markdown"):
        drafts = _parse_structured(fmt, text, path)
    elif fmt == "article":
        drafts = parse_article_file(text)
    elif fmt == "page-marked":
        drafts = split_page(text, marked=True)
    elif fmt == "page":
        drafts = split_page(text, marked=False)
    else:
        drafts = parse_plain(text)
    if fmt in ("page", "page-marked") and not any(d.kind == "page" for d in drafts):
        fmt, drafts = "plain", parse_plain(text)
    drafts = [d for d in drafts if d.title.strip() and d.body.strip()]
    if fmt in ("article", "plain", "page", "page-marked"):
        # date, page and source from the file name and folders where the text said nothing
        apply_path_metadata(drafts, path, dateline=fmt in ("article", "plain"))
    if not drafts:
        raise ImportFailure(Code.NO_ARTICLES)
    return ParsedFile(path=path, format=fmt, encoding=encoding, articles=drafts, skipped=skipped)


def _parse_structured(fmt: str, text: str, path: str) -> list[ArticleDraft]:
    """Saved web pages and Markdown (issue 13): pictures are read from beside the file."""
    base_dir = Path(path).parent if path else None
    if fmt == "wechat-html":
        from .wechat_html import parse_wechat_html

        return parse_wechat_html(text, base_dir)
    if fmt == "html":
        from .webpage import parse_webpage

        return parse_webpage(text, base_dir)
    from .markdown import parse_markdown

    return parse_markdown(text, base_dir)


def parse_file(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, data: bytes | None = None
) -> ParsedFile:
    """Read, decode, detect and split one file (``data``: its bytes, already read with
    :func:`read_limited`). Raises :class:`ImportFailure` (and nothing else) for any bad input."""
    path = Path(path)
    try:
        if data is None:
            data = read_limited(path, max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        text, encoding = decode_bytes(data)
        del data
        parsed = parse_text(text, path=str(path), encoding=encoding)
        parsed.digest = digest
        return parsed
    except ImportFailure:
        raise
    except MemoryError:
        raise ImportFailure(Code.OUT_OF_MEMORY) from None
    except RecursionError:
        raise ImportFailure(Code.TOO_DEEPLY_NESTED) from None
    except OSError as exc:
        raise ImportFailure.of(os_reason(exc)) from None
    except (UnicodeError, ValueError) as exc:
        name = type(exc).__name__
        raise ImportFailure(Code.CANNOT_READ, error=name, message=name) from None
    except Exception as exc:  # a bug in a splitter must not take the whole import down
        raise ImportFailure(Code.INTERNAL, error=type(exc).__name__, message=str(exc)) from None


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_import_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Reason | None]]:
    """Expand the given paths into the files to import, in a stable order.

    Files named explicitly are yielded as given. Folders are walked recursively in sorted order,
    skipping hidden files and folders (names starting with ``.``) and files whose suffix is not in
    :data:`CANDIDATE_SUFFIXES`; a symlinked folder is followed only when it points inside the
    chosen folder, and each real folder is walked once (no loops: a link to ``/`` or to a parent
    never walks the whole file system). A path that does not exist, or a folder that cannot be
    listed, is yielded with a reason.
    """
    seen: set[str] = set()
    for p in paths:
        path = Path(p)
        try:
            st = os.stat(path)
        except OSError as exc:
            yield path, os_reason(exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, seen, set(), os.path.realpath(path))
        else:
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield path, None


def _walk(folder: Path, seen: set[str], walked: set[str], root: str
          ) -> Iterator[tuple[Path, Reason | None]]:
    real = os.path.realpath(folder)
    if real in walked or not (real == root or real.startswith(root.rstrip(os.sep) + os.sep)):
        return  # walked already (a loop, or two links to one folder), or outside the chosen one
    walked.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        reason = os_reason(exc)
        yield folder, (Reason(Code.CANNOT_LIST_FOLDER, {"cause": reason.code})
                       if reason.code != Code.NO_SUCH_FILE else reason)
        return
    for entry in entries:
        if _hidden(entry.name):
            continue
        child = folder / entry.name
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            continue
        if is_dir:
            yield from _walk(child, seen, walked, root)
        elif (is_file and Path(entry.name).suffix.lower() in CANDIDATE_SUFFIXES
              and not _html_twin(child)):
            key = os.path.realpath(child)
            if key not in seen:
                seen.add(key)
                yield child, None
