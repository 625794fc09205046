"""One article per file, as newspaper crawlers save them, and what a file's path says about it.

**Article files.** A month of a daily saved as a folder per day with one file per article
(``20191002/20191002-03-04.txt``: date, page 版次, article number), UTF-8, often with ``\\r\\n``. The
first three lines are a fixed header — line 1 the kicker (引题, often empty), line 2 the headline
(标题), line 3 the subtitle (副题, often empty) — and the paragraphs follow, indented with two
ideographic spaces ``　　``. Such a file is one article, never a page: taking its first non-empty
line as the title would make a kicker the title, and its section heads and datelines could make
it look like a page.

Recognised from the content (:func:`looks_like_article_file`): three header lines (the second
not empty, none indented, none a finished sentence, none longer than :data:`HEADER_MAX`), then
text whose lines are mostly indented. A file named like the crawler's files
(``YYYYMMDD-PP-NN.txt``) only needs the header shape.

**Path metadata** (:func:`path_metadata`), for every non-JSON import: the date from the file name
(``20191002-03-04``, ``人民日报_2019-10-02_第3版``) or from a folder (``20191002``, ``2026-01-20``,
``2019/10/02``); the page from ``第3版``/``A03版`` or the crawler's ``-PP-`` field; the source
from a paper's name at the start of the file name (``人民日报_…``) or as a folder name.
An article file's dateline (``新华社北京10月7日电``) gives the date when the path has none: with
its own year, or with the year the path gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from ..model import ArticleDraft
from ..text import clean_line, normalize_newlines
from .cleanup import clean_text_line, continues, heading_blocks, join_broken
from .dates import to_iso_date
from .page import byline_of

HEADER_MAX = 100
_INDENTED = re.compile(r"^(?:\u3000|[ \t\xa0]{2,}|\t)[ \t\xa0\u3000]*\S")
_FINISHED_SENTENCE = re.compile(r"[。；;]\s*[”’\"']?$")
DUMP_NAME = re.compile(r"^(\d{8})-([A-Za-z]?\d{1,3})-(\d{1,4})$")
# dates inside names: 20191002 (not part of a longer number), 2019-10-02, 2019_10_02, 2019年10月2日
_NAME_DATE = re.compile(
    r"(?<!\d)(\d{4})(?:([01]\d)([0-3]\d)|[-_.年]([01]?\d)[-_.月]([0-3]?\d)日?)(?!\d)"
)
_NAME_PAGE = re.compile(r"第\s*([A-Za-z]?\d{1,3})\s*版|(?<![A-Za-z\d])([A-Za-z]?\d{1,3})\s*版")
_PAPER_NAME = re.compile(
    r"^([\u4e00-\u9fff]{2,12}(?:日报|晚报|早报|时报|商报|晨报|青年报|法制报|经济报|周报|导报|都市报|报|"
    r"新闻网|网|新闻|通讯社|社|杂志|周刊|半月刊|月刊|客户端|电视台|广播电台))(?=$|[_\-\s·(（\d])"
)
_DATELINE = re.compile(
    r"^[\u4e00-\u9fff]{0,12}?(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:[\u4e00-\u9fff]{0,3})?电"
)
_DASHES = re.compile(r"^(?:——|—|--|－－|──)+")
_CAPTION_END = re.compile(r"(?:摄|供图|制图)\s*$|^图为")
_DATELINE_AREA = 200  # characters of the body where the dateline is looked for


@dataclass(slots=True)
class PathInfo:
    date: str = ""
    page: str = ""
    source: str = ""
    year: str = ""  # a year the path gives even without a full date


def _page_label(raw: str) -> str:
    """``03`` -> ``3``; ``A03`` stays ``A03`` (as printed)."""
    raw = raw.strip()
    if raw.isdigit():
        return str(int(raw)) if int(raw) > 0 else ""
    return raw.upper()


def _date_in(name: str) -> str:
    for m in _NAME_DATE.finditer(name):
        y, m1, d1, m2, d2 = m.groups()
        iso = to_iso_date(f"{y}-{m1 or m2}-{d1 or d2}")
        if iso:
            return iso
    return ""


def path_metadata(path: str) -> PathInfo:
    """Date, page and source that a file's name and its folders state (empty when they don't)."""
    info = PathInfo()
    if not path:
        return info
    p = PurePath(path)
    stem = p.stem
    folders = [part for part in p.parent.parts[-4:] if part not in ("/", "\\")]
    m = DUMP_NAME.match(stem)
    if m:
        info.date = to_iso_date(m.group(1))
        info.page = _page_label(m.group(2))
    if not info.date:
        info.date = _date_in(stem)
    if not info.date:
        for folder in reversed(folders):
            info.date = _date_in(folder)
            if info.date:
                break
    if not info.date and len(folders) >= 3:  # 2019/10/02/…
        y, mo, d = folders[-3:]
        if re.fullmatch(r"\d{4}", y) and re.fullmatch(r"\d{1,2}", mo) and re.fullmatch(r"\d{1,2}", d):
            info.date = to_iso_date(f"{y}-{mo}-{d}")
    if not info.page:
        pm = _NAME_PAGE.search(stem)
        if pm:
            info.page = _page_label(pm.group(1) or pm.group(2))
    for part in [stem, *reversed(folders)]:
        sm = _PAPER_NAME.match(part)
        if sm:
            info.source = sm.group(1)
            break
    if info.date:
        info.year = info.date[:4]
    else:
        for part in [stem, *reversed(folders)]:
            ym = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", part)
            if ym:
                info.year = ym.group(1)
                break
    return info


def dateline_date(body: str, year: str = "") -> str:
    """The date of a dateline at the start of the text (``新华社北京10月7日电``), ISO; it needs
    its own year or ``year`` (from the path)."""
    for raw in body[:_DATELINE_AREA].split("\n"):
        line = clean_text_line(raw)
        if not line:
            continue
        m = _DATELINE.match(line)
        if not m:
            return ""
        y = m.group(1) or year
        return to_iso_date(f"{y}-{m.group(2)}-{m.group(3)}") if y else ""
    return ""


def is_dump_name(path: str) -> bool:
    return bool(path) and bool(DUMP_NAME.match(PurePath(path).stem))


def _header_line_ok(raw: str) -> bool:
    line = clean_text_line(raw)
    return (
        not _INDENTED.match(raw)
        and len(line) <= HEADER_MAX
        and not _FINISHED_SENTENCE.search(line)
    )


def _split_header(text: str) -> tuple[list[str], list[str]] | None:
    """(the three header lines, the rest) when the text starts with the crawler's header."""
    raw = normalize_newlines(text).lstrip("\ufeff").split("\n")
    if len(raw) < 4:
        return None
    header, rest = raw[:3], raw[3:]
    if not clean_text_line(header[1]) or not all(_header_line_ok(h) for h in header):
        return None
    if not any(clean_text_line(r) for r in rest):
        return None
    return header, rest


def looks_like_article_file(text: str, path: str = "") -> bool:
    """The crawler's one-article file (see the module docstring)."""
    split = _split_header(text[:200_000])
    if split is None:
        return False
    if is_dump_name(path):
        return True
    _header, rest = split
    body = [r for r in rest if r.strip()]
    indented = sum(1 for r in body if _INDENTED.match(r))
    return bool(body) and bool(_INDENTED.match(body[0])) and indented * 10 >= len(body) * 6


def parse_article_file(text: str) -> list[ArticleDraft]:
    """One draft: kicker, headline and subtitle from the header, the indented paragraphs as the
    body (layout breaks joined), the byline from the top of the body."""
    split = _split_header(text)
    if split is None:
        return []
    header, rest = split
    kicker, title, subtitle = (clean_line(clean_text_line(h)) for h in header)
    if kicker and _DASHES.match(title) and not subtitle:
        # ``headline / ——subtitle / (empty)``: a dash line is a subtitle, never a headline
        kicker, title, subtitle = "", kicker, title
    subtitle = _DASHES.sub("", subtitle).strip()
    # Paragraphs are marked by the indent (blank lines between them carry nothing): an indented
    # line starts a paragraph; a line without indent continues the previous one when the layout
    # broke it mid-sentence.
    paragraphs: list[str] = []
    for raw in rest:
        line = clean_text_line(raw)
        if not line:
            continue
        if paragraphs and not _INDENTED.match(raw) and continues(
            paragraphs[-1], line, starts_group=False
        ):
            paragraphs[-1] = join_broken(paragraphs[-1], line)
        else:
            paragraphs.append(line)
    heads = [k for k in range(len(paragraphs)) if _section_head(paragraphs, k)]
    body, blocks = heading_blocks(paragraphs, heads)
    byline = next((b for b in (byline_of(ln) for ln in body.split("\n")[:6] if ln) if b), "")
    return [
        ArticleDraft(
            title=title,
            body=body,
            subtitle=subtitle,
            kicker=kicker,
            byline=byline,
            kind="plain",
            blocks=blocks,
        )
    ]


SECTION_HEAD_MAX = 24
_SENTENCE = re.compile(r"[，,。；;！？!?：:]")


def _section_head(paragraphs: list[str], k: int) -> bool:
    """A short paragraph without sentence marks followed by a paragraph with them: a section
    head (``冰雪经济 激活冬季消费``), kept in the text and shown as a heading. Bylines and
    captions are not."""
    line = paragraphs[k]
    if len(line) > SECTION_HEAD_MAX or _SENTENCE.search(line) or k + 1 >= len(paragraphs):
        return False
    if byline_of(line) or _CAPTION_END.search(line):
        return False
    return bool(_SENTENCE.search(paragraphs[k + 1]))


def apply_path_metadata(drafts: list[ArticleDraft], path: str, *, dateline: bool) -> None:
    """Fill date, page and source from the path where the text said nothing; ``dateline``: also
    read a dateline at the start of each body."""
    info = path_metadata(path)
    for d in drafts:
        if not d.date:
            d.date = info.date or (dateline_date(d.body, info.year) if dateline else "")
        if not d.page and info.page:
            d.page = info.page
        if not d.source and info.source:
            d.source = info.source
