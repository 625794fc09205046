"""WeChat public-account exports: a JSON array of article objects.

The keys mix Chinese and English (``文章标识符aid``, ``标题title``, ``链接url``, ``时间time``,
``公众号名称``, ``finalContent``) and vary between export tools, so a key is recognised by what it
*contains* (case-insensitive): see :data:`_FIELDS`. Missing fields are tolerated; a value of the
wrong type is coerced when that is harmless (a number as a title) and otherwise ignored. An entry
without usable body text is skipped (its title alone is not an article); an entry without a title
takes the first line of its body.

Also accepted: a single article object, or an object holding the list under some key
(``{"articles": [...]}``, ``{"data": {"list": [...]}}``).

Bodies: lines are separated by ``\\r`` (sometimes doubled, sometimes ``\\r\\n``); every line is
trimmed of stray spaces, decorative marks are removed (:mod:`reader.core.importers.cleanup`), lines of
box-drawing frames (``┏`` ``┓``) are dropped, and a doubled separator stays as one blank line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..model import ArticleDraft
from ..text import clean_line
from .cleanup import clean_text_line, is_decoration_line, reflow_text, strip_decorations
from .dates import to_iso_date
from .errors import Code, ImportFailure

if TYPE_CHECKING:
    from .richtext import RichBody

# field -> (substrings that identify the key, substrings that disqualify it), checked in order.
_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "external_id": (("aid", "标识", "msgid"), ()),
    "title": (("title", "标题", "题目"), ("sub", "副")),
    "subtitle": (("digest", "摘要", "subtitle", "副标题"), ()),
    "url": (("url", "链接", "link"), ("cover", "img", "image", "pic", "封面", "图")),
    "date": (("time", "时间", "date", "日期"), ()),
    "source": (
        ("公众号", "account", "nickname", "source", "来源", "biz_name", "mp_name"),
        ("url", "link", "链接", "id", "avatar", "头像"),
    ),
    "byline": (("author", "作者"), ()),
    "body": (("content", "正文", "内容", "body", "text"), ("html", "url", "link", "链接")),
}
_LIST_KEYS_MAX_DEPTH = 3
_HTML_TAG = re.compile(r"<[^<>]{0,400}>")
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|/div|/section|/h\d|/li)\b[^<>]{0,400}>", re.I)
_TITLE_MAX = 200


def _match_key(key: str, field: str) -> bool:
    k = key.casefold()
    wanted, unwanted = _FIELDS[field]
    return any(w in k for w in wanted) and not any(u in k for u in unwanted)


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\r".join(value)  # a body given as a list of paragraphs
    return None


def _body_text(value: Any) -> str | None:
    return value if isinstance(value, str) else _as_text(value) if isinstance(value, list) else None


def _field(entry: dict[str, Any], field: str) -> Any:
    """The value of the first key recognised as ``field``; for the body, the longest such text
    (an export may carry both a short ``content`` and the full ``finalContent``)."""
    values = [v for k, v in entry.items() if isinstance(k, str) and _match_key(k, field)]
    if field == "body":  # only real text: a number or an object is not an article body
        texts = [t for t in (_body_text(v) for v in values) if t and t.strip()]
        return max(texts, key=len) if texts else None
    for v in values:
        if v not in (None, ""):
            return v
    return None


def looks_like_article(entry: Any) -> bool:
    return isinstance(entry, dict) and _field(entry, "body") is not None


def find_entries(data: Any) -> list[Any]:
    """The list of article objects in a parsed JSON document (see the module docstring)."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if looks_like_article(data):
            return [data]
        found = _find_list(data, _LIST_KEYS_MAX_DEPTH)
        if found is not None:
            return found
    return []


def _find_list(obj: dict[str, Any], depth: int) -> list[Any] | None:
    best: list[Any] | None = None
    for value in obj.values():
        is_list = isinstance(value, list) and any(isinstance(v, dict) for v in value[:50])
        if is_list and (best is None or len(value) > len(best)):
            best = value
    if best is not None or depth <= 1:
        return best
    for value in obj.values():
        if isinstance(value, dict):
            found = _find_list(value, depth - 1)
            if found is not None:
                return found
    return None


def clean_body(raw: str) -> str:
    """A WeChat body -> lines joined by ``\\n``, at most one blank line between paragraphs."""
    if "<" in raw and _HTML_TAG.search(raw) and _HTML_BREAK.search(raw):
        raw = _HTML_TAG.sub("", _HTML_BREAK.sub("\n", raw))
        raw = _unescape(raw)
    lines: list[str] = []
    for piece in re.split(r"\r\n|\r|\n|\u2028|\u2029", raw):
        line = clean_text_line(piece)
        if line and is_decoration_line(line):
            continue
        if not line and (not lines or lines[-1] == ""):
            continue
        lines.append(line)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def _unescape(s: str) -> str:
    import html

    return html.unescape(s)


_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")


def clean_title(raw: str) -> str:
    if _ENTITY.search(raw):
        raw = _unescape(raw)
    return clean_line(strip_decorations(raw))[:_TITLE_MAX].strip()


def entry_to_draft(entry: Any) -> ArticleDraft | None:
    """One export entry -> a draft, or None when the entry holds no usable article."""
    if not isinstance(entry, dict):
        return None
    raw_body = _field(entry, "body")
    if raw_body is None:
        return None
    body = reflow_text(clean_body(raw_body))  # lines broken mid-sentence joined
    rich = _html_rich(raw_body)  # HTML content keeps its structure (issue 13)
    if rich is not None:
        body = rich.body
    if not body.strip():
        return None
    title_text = _as_text(_field(entry, "title")) or ""
    title = clean_title(title_text)
    if not title:
        first = next(line for line in body.split("\n") if line.strip())
        title = clean_title(first[:60] + ("…" if len(first) > 60 else ""))
    if not title:
        return None

    def text_of(field: str, limit: int = 500) -> str:
        value = _as_text(_field(entry, field))
        return clean_line(strip_decorations(value))[:limit] if value else ""

    return ArticleDraft(
        title=title,
        body=body,
        subtitle=text_of("subtitle"),
        byline=text_of("byline", 200),
        source=text_of("source", 200),
        date=to_iso_date(_field(entry, "date")),
        url=_entry_url(text_of("url", 4000)),
        external_id=text_of("external_id", 200),
        kind="wechat",
        page_index=0,
        blocks=rich.blocks if rich is not None else [],
        images=rich.images if rich is not None else [],
    )


def parse_wechat(data: Any) -> tuple[list[ArticleDraft], int]:
    """Parsed JSON -> (drafts in file order, number of entries skipped). A document whose
    entries are all metadata (titles and links, no text: the message list shape) is refused
    with ``metadata only, no article text``."""
    entries: Iterable[Any] = expand_message_list(find_entries(data))
    drafts: list[ArticleDraft] = []
    skipped = titled = 0
    for entry in entries:
        draft = entry_to_draft(entry)
        if draft is None:
            skipped += 1
            titled += isinstance(entry, dict) and bool(_as_text(_field(entry, "title")))
        else:
            drafts.append(draft)
    if not drafts and titled:
        raise ImportFailure(Code.METADATA_ONLY)
    return drafts, skipped


# ---------------------------------------------------------------------- other shapes (issue 13)


def expand_message_list(entries: list[Any]) -> list[Any]:
    """The older message list shape: ``{comm_msg_info: {datetime}, app_msg_ext_info: {title,
    digest, content_url, author, multi_app_msg_item_list: […]}}`` -> one flat entry per article
    (the list's date given to each). Other entries pass unchanged."""
    out: list[Any] = []
    for entry in entries:
        info = entry.get("app_msg_ext_info") if isinstance(entry, dict) else None
        if not isinstance(info, dict):
            out.append(entry)
            continue
        comm = entry.get("comm_msg_info")
        when = comm.get("datetime") if isinstance(comm, dict) else None
        items = info.get("multi_app_msg_item_list")
        main = {k: v for k, v in info.items() if k != "multi_app_msg_item_list"}
        for item in [main] + (items if isinstance(items, list) else [])[:100]:
            if isinstance(item, dict):
                flat = {k: v for k, v in item.items() if not isinstance(v, dict | list)}
                if when is not None and "datetime" not in flat:
                    flat["datetime"] = when
                out.append(flat)
    return out


def _entry_url(url: str) -> str:
    """Links as exports escape them (``&amp;``; ``\\/`` when the JSON was escaped twice)."""
    if "&" in url or "\\/" in url:
        url = _unescape(url).replace("\\/", "/")
    return url


def _html_rich(raw: str) -> RichBody | None:
    """Text and structure of HTML content (``<p>``/``<section>`` blocks); None for plain text."""
    if "<" not in raw or not _HTML_TAG.search(raw) or not _HTML_BREAK.search(raw):
        return None
    import lxml.etree
    import lxml.html

    from .wechat_html import ImageSource, walk

    try:
        root = lxml.html.fragment_fromstring(
            raw, create_parent="div",
            parser=lxml.html.HTMLParser(no_network=True, huge_tree=True, remove_comments=True),
        )
    except (lxml.etree.ParserError, ValueError):
        return None
    rich = walk(root, ImageSource(None))
    return rich if rich.body.strip() else None
