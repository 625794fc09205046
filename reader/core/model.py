"""Plain data types shared by the importers, the store, the CLI and the GUI. No I/O here."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.core.structure import Block, Image


@dataclass(slots=True)
class ArticleDraft:
    """One article as an importer found it, before it is stored.

    ``body`` need not be normalised yet: the store normalises it (reader.core.text.normalize) once.
    ``date`` is ISO ``YYYY-MM-DD`` or empty. ``external_id`` is a stable id from the source
    (e.g. the WeChat aid) used to recognise a re-import of the same article.
    """

    title: str
    body: str
    subtitle: str = ""
    byline: str = ""
    source: str = ""
    date: str = ""
    url: str = ""
    external_id: str = ""
    kind: str = "plain"  # "wechat" | "page" | "plain"
    # For page imports: the 0-based position of the article on its page.
    page_index: int = 0
    kicker: str = ""  # 引题: the line printed above a newspaper headline
    page: str = ""  # 版次 as printed ("3", "A03"), empty when unknown
    # Structure beside the text (reader.core.structure.Block / Image): offsets are code points into
    # the body, which an importer that fills these must hand over already normalised.
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # tags the source gives (front matter)


@dataclass(slots=True)
class ParsedFile:
    """What an importer made of one file: its articles, or nothing and a reason."""

    path: str
    format: str  # "wechat" | "page-marked" | "page" | "plain"
    encoding: str
    articles: list[ArticleDraft] = field(default_factory=list)
    skipped: int = 0  # entries of the file that were not usable articles (e.g. no body text)
    digest: str = ""  # sha256 of the bytes that were parsed (recorded as imported)


@dataclass(slots=True)
class Article:
    id: int
    uuid: str
    title: str
    subtitle: str
    byline: str
    source: str
    date: str
    url: str
    external_id: str
    kind: str
    body: str | None  # None when listed without the body
    content_hash: str
    source_file: str
    page_index: int
    imported_at: str
    read: bool
    position: int
    kicker: str = ""
    page: str = ""
    highlight_count: int = 0
    orphan_count: int = 0  # highlights whose text is gone from the current version
    tags: list[str] = field(default_factory=list)

    def to_json(self, *, with_body: bool = False) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        if not with_body:
            d.pop("body", None)
        return d


@dataclass(slots=True)
class Highlight:
    uuid: str
    article_id: int
    start: int  # code points into the article's stored body
    end: int
    quote: str
    prefix: str
    suffix: str
    color: str
    note: str
    created: str
    updated: str
    deleted: bool = False
    orphan: bool = False
    tags: list[str] = field(default_factory=list)
    article_title: str = ""
    article_date: str = ""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class FileReport:
    """The outcome of importing one file: status is added | unchanged | updated | skipped | failed."""

    path: str
    status: str
    added: int = 0
    unchanged: int = 0
    updated: int = 0
    reason: str = ""  # the English sentence (the CLI prints it)
    format: str = ""
    chars: int = 0  # characters stored (for the index batches), not part of the report
    # why, as a stable code of reader.core.importers.errors.Code ("" when there is nothing to
    # say), and the details the sentence was made from: the GUI translates by these
    code: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d.pop("chars", None)
        return d


HIGHLIGHT_COLORS: dict[str, str] = {
    # name -> (light theme) background; the GUI maps them per theme
    "yellow": "#ffe58a",
    "green": "#b7eb8f",
    "blue": "#a6d4fa",
    "pink": "#ffadd2",
    "purple": "#d3adf7",
    "orange": "#ffc58a",
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\x00{body}".encode()).hexdigest()[:32]


@dataclass
class ArticleFilter:
    """What the article list shows. Empty fields do not filter."""

    source: str = ""
    tags: Sequence[str] = ()
    date_from: str = ""
    date_to: str = ""
    unread: bool = False
    text: str = ""  # a plain substring of the title
    ids: Sequence[int] | None = None
    undated: bool = False  # only articles without a date
    trashed: bool = False  # the articles in the trash instead of the others


# ArticleFilter.source values that are not a source's name (the sidebar's special rows)
NO_SOURCE = "\x00none"  # articles whose source is empty
TRASH = "\x00trash"  # the articles in the trash


@dataclass
class SearchHit:
    article: Article
    score: float
    title_spans: list[tuple[int, int]]
    snippets: list[Any]  # index.Snippet

    def to_json(self) -> dict[str, Any]:
        d = self.article.to_json()
        d["score"] = round(self.score, 4)
        d["title_spans"] = [list(s) for s in self.title_spans]
        d["snippets"] = [
            {"start": s.start, "end": s.end, "text": s.text, "spans": [list(x) for x in s.spans]}
            for s in self.snippets
        ]
        return d


@dataclass
class TagCount:
    name: str
    articles: int
    highlights: int


@dataclass
class ImportSummary:
    files: list[FileReport] = field(default_factory=list)
    cancelled: bool = False

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.status == "failed")

    def count(self, attr: str) -> int:
        return sum(getattr(f, attr) for f in self.files)
