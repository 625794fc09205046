"""Why a file was not imported: a stable reason code plus its details, and the one exception the
importers raise for bad input.

Each :class:`Code` is a stable string (it appears in ``pizhu import --json`` output and in
scripts' hands: never rename one). :data:`ENGLISH` holds the sentence the CLI prints; the GUI
translates by code (``reader.ui.import_dialog.REASON_TEXTS``), with the details put into its own
sentence — never by matching the English text. Details are numbers, sizes, positions and
identifiers (an errno name, an exception's class); a detail that is only an English phrase
(an OS or parser message) is given as ``message`` and shown by the CLI only.
"""

from __future__ import annotations

import errno as errnomod
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Code(StrEnum):
    """Why a file was not imported (or, for ENTRIES_SKIPPED, what was left out of it)."""

    # reading the file
    NO_SUCH_FILE = "no-such-file"
    PERMISSION_DENIED = "permission-denied"
    IS_A_FOLDER = "is-a-folder"
    NOT_A_REGULAR_FILE = "not-a-regular-file"
    CANNOT_LIST_FOLDER = "cannot-list-folder"  # cause: another code
    CANNOT_READ = "cannot-read"  # error: errno name or exception class; message
    TOO_LARGE = "too-large"  # size, limit
    GREW_TOO_LARGE = "grew-too-large"  # limit
    OUT_OF_MEMORY = "out-of-memory"
    # its text
    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    NOT_JSON = "not-json"  # line, column; message
    NOT_JSON_TRUNCATED = "not-json-truncated"  # line, column
    NOT_JSON_VALUE = "not-json-value"  # message (e.g. a number of 5,000 digits)
    JSON_TOO_DEEP = "json-too-deep"
    TOO_DEEPLY_NESTED = "too-deeply-nested"
    NOT_HTML = "not-html"  # message
    # its articles
    NO_ARTICLES = "no-articles"
    METADATA_ONLY = "metadata-only"
    NO_PAGE_TEXT = "no-page-text"
    WECHAT_DELETED = "wechat-deleted"
    WECHAT_BLOCKED = "wechat-blocked"
    WECHAT_COMPLAINT = "wechat-complaint"
    WECHAT_UNAVAILABLE = "wechat-unavailable"
    WECHAT_MOVED = "wechat-moved"
    INTERNAL = "internal-error"  # error: exception class; message
    # storing it (reader.core.library)
    ALREADY_IMPORTED = "already-imported"
    NO_ARTICLE_TEXT = "no-article-text"
    ARTICLE_TOO_LONG = "article-too-long"  # chars, limit
    NOT_SAVED = "not-saved"  # message
    NOT_SAVED_INTERNAL = "not-saved-internal"  # error: exception class
    ENTRIES_SKIPPED = "entries-skipped"  # count (the file was imported; a note)


#: The CLI's sentence for each code (``str.format`` with the details; a pair is singular/plural
#: by ``count``). These are the texts Pizhu has always printed.
ENGLISH: dict[Code, str | tuple[str, str]] = {
    Code.NO_SUCH_FILE: "no such file",
    Code.PERMISSION_DENIED: "permission denied",
    Code.IS_A_FOLDER: "is a folder",
    Code.NOT_A_REGULAR_FILE: "not a regular file",
    Code.CANNOT_LIST_FOLDER: "cannot list folder: {cause}",
    Code.CANNOT_READ: "cannot read file ({message})",
    Code.TOO_LARGE: "file too large ({size}; limit {limit})",
    Code.GREW_TOO_LARGE: "file too large (more than {limit})",
    Code.OUT_OF_MEMORY: "out of memory",
    Code.EMPTY: "empty file",
    Code.BINARY: "binary file",
    Code.UNDECODABLE: "cannot decode text (tried UTF-8, GB18030, Big5, UTF-16)",
    Code.NOT_JSON: "not valid JSON: line {line} column {column} ({message})",
    Code.NOT_JSON_TRUNCATED: "not valid JSON: line {line} column {column} (truncated?)",
    Code.NOT_JSON_VALUE: "not valid JSON: {message}",
    Code.JSON_TOO_DEEP: "not valid JSON: nested too deeply",
    Code.TOO_DEEPLY_NESTED: "too deeply nested",
    Code.NOT_HTML: "not a readable HTML page ({message})",
    Code.NO_ARTICLES: "no articles found",
    Code.METADATA_ONLY: "metadata only, no article text",
    Code.NO_PAGE_TEXT: "no article text found on the page",
    Code.WECHAT_DELETED: "deleted by the publisher (该内容已被发布者删除)",
    Code.WECHAT_BLOCKED: "blocked for violating the rules (此内容因违规无法查看)",
    Code.WECHAT_COMPLAINT: "removed after a complaint (此内容被投诉且经审核涉嫌侵权)",
    Code.WECHAT_UNAVAILABLE: "temporarily unavailable (该内容暂时无法查看)",
    Code.WECHAT_MOVED: "the account has moved (该公众号已迁移)",
    Code.INTERNAL: "internal error while reading ({error}: {message})",
    Code.ALREADY_IMPORTED: "already imported",
    Code.NO_ARTICLE_TEXT: "no article text",
    Code.ARTICLE_TOO_LONG: "an article is too long ({chars:,} characters; the limit is {limit:,})",
    Code.NOT_SAVED: "not saved: {message}",
    Code.NOT_SAVED_INTERNAL: "not saved (internal error: {error})",
    Code.ENTRIES_SKIPPED: ("{count} entry without article text skipped",
                           "{count} entries without article text skipped"),
}

MAX_LINE = 200  # characters of an English reason (an exception's message can be anything)


@dataclass(frozen=True)
class Reason:
    """A reason code with its details (``cause`` may itself be a :class:`Code`)."""

    code: Code
    params: Mapping[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        template = ENGLISH[self.code]
        if isinstance(template, tuple):
            template = template[0] if self.params.get("count") == 1 else template[1]
        params = {k: Reason(v).english() if isinstance(v, Code) else v
                  for k, v in self.params.items()}
        try:
            return template.format(**params)[:MAX_LINE]
        except (KeyError, IndexError, ValueError):  # a detail missing: the sentence before it
            return template.split("{", 1)[0].rstrip(" (:")

    def fields(self) -> dict[str, Any]:
        """The keyword arguments of a :class:`reader.core.model.FileReport` for this reason."""
        detail = {k: v.value if isinstance(v, Code) else v for k, v in self.params.items()}
        return {"reason": self.english(), "code": self.code.value, "detail": detail}

    def __str__(self) -> str:
        return self.english()


class ImportFailure(Exception):
    """A file could not be imported: ``code`` says why (a :class:`Code`), ``params`` the details;
    ``reason`` is the English sentence (one short line, no path, no traceback), e.g.
    ``'binary file'`` or ``'not valid JSON: line 3 column 5 (truncated?)'``."""

    def __init__(self, code: Code, **params: Any) -> None:
        self.why = Reason(code, params)
        super().__init__(self.why.english())

    @classmethod
    def of(cls, why: Reason) -> ImportFailure:
        return cls(why.code, **why.params)

    @property
    def code(self) -> Code:
        return self.why.code

    @property
    def params(self) -> Mapping[str, Any]:
        return self.why.params

    @property
    def reason(self) -> str:
        return self.why.english()

    def __str__(self) -> str:
        return self.reason


def os_reason(exc: OSError) -> Reason:
    """Why reading failed, from the operating system's error."""
    if isinstance(exc, FileNotFoundError) or exc.errno == errnomod.ENOENT:
        return Reason(Code.NO_SUCH_FILE)
    if isinstance(exc, PermissionError) or exc.errno in (errnomod.EACCES, errnomod.EPERM):
        return Reason(Code.PERMISSION_DENIED)
    if isinstance(exc, IsADirectoryError):
        return Reason(Code.IS_A_FOLDER)
    name = errnomod.errorcode.get(exc.errno or 0, type(exc).__name__)
    return Reason(Code.CANNOT_READ, {"error": name, "message": exc.strerror or name})
