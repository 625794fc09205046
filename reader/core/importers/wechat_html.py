"""HTML pages: a WeChat article page as saved from the browser or by an exporter, and the walk
from HTML to text + structure that the generic web page importer (:mod:`.webpage`) shares.

A WeChat article page: title in ``<h1 id="activity-name">`` (or ``og:title``), the account in
``#js_name`` (the source), the author in ``<meta name="author">`` (or ``#js_author_name``), the
publish time as a Unix timestamp in a script (``var ct = "1762475508"``, read as a China date) or
as ``var createTime = '2025-11-07 08:31'``, the link in ``var msg_link`` or ``og:url``, the digest
in ``og:description``/``var msg_desc``, the body in ``#js_content``. Pages for deleted, blocked or
unavailable articles have no body and one of the notices in :data:`UNAVAILABLE`; they are refused
with that reason.

Safety: the page is only *read*. Nothing in it runs or is fetched: scripts, styles, frames,
forms and event handlers are skipped, links are not kept, remote pictures are kept as their URL
only. Pictures are read from files beside the page (relative paths, or ``file:`` URLs: regular
files only, size-limited) and from ``data:`` URIs up to :data:`MAX_DATA_URI`; bytes that are not
a picture are dropped later (:mod:`reader.core.structure`). The walk is iterative (deep nesting cannot
exhaust the stack), and lxml is run with ``huge_tree`` so a 50 MB ``data:`` URI cannot cut the
rest of the page away.
"""

from __future__ import annotations

import base64
import binascii
import html as htmllib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..model import ArticleDraft
from ..structure import Image, sniff_image
from ..text import clean_line
from .cleanup import strip_decorations
from .dates import to_iso_date
from .errors import Code, ImportFailure
from .richtext import RichBody, RichText

if TYPE_CHECKING:
    from lxml.html import HtmlElement

UNAVAILABLE: dict[str, Code] = {
    "该内容已被发布者删除": Code.WECHAT_DELETED,
    "此内容因违规无法查看": Code.WECHAT_BLOCKED,
    "此内容被投诉且经审核涉嫌侵权": Code.WECHAT_COMPLAINT,
    "该内容暂时无法查看": Code.WECHAT_UNAVAILABLE,
    "该公众号已迁移": Code.WECHAT_MOVED,
}
MAX_DATA_URI = 16 * 1024 * 1024  # decoded bytes
MAX_LOCAL_IMAGE = 32 * 1024 * 1024
MAX_IMAGE_TOTAL = 256 * 1024 * 1024  # all pictures of one page

_SKIP = frozenset(
    "script style noscript template iframe frame frameset object embed applet svg math canvas "  # noqa: SIM905
    "video audio source track map button input select textarea option head title meta link "
    "base form dialog".split()
)
_BLOCK = frozenset(
    "p div section article header footer main aside nav figure address center dl dt dd pre "  # noqa: SIM905
    "table thead tbody tfoot tr caption fieldset details summary hgroup body html".split()
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_INLINE_MARKS = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "cite": "em"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}\?>", re.I)
_IMG_ATTRS = ("src", "data-src", "data-original", "data-actualsrc", "data-backsrc")
_DATA_URI = re.compile(r"^data:([\w.+/-]{0,100})((?:;[^,;]{0,100})*?)(;base64)?,", re.I | re.S)


# ---------------------------------------------------------------------- parsing
def parse_html_tree(text: str) -> HtmlElement:
    """An lxml HTML tree of a decoded page (never fetches anything). Raises ImportFailure."""
    import lxml.etree
    import lxml.html

    text = _XML_DECL.sub("", text, count=1)
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=True,
        default_doctype=False,
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            # nested deeper than libxml2 follows (2048): it would drop everything after the
            # deep part. Read the page again without its wrapper tags (paragraphs kept).
            flat = _WRAPPER_TAG.sub(_flatten_tag, text)
            root = lxml.html.document_fromstring(flat, parser=parser)
    except (lxml.etree.LxmlError, ValueError, AssertionError) as exc:
        raise ImportFailure(Code.NOT_HTML, message=str(exc)) from None
    if root is None:
        raise ImportFailure(Code.NOT_HTML)
    return root


_WRAPPER_TAG = re.compile(
    r"</?(div|section|article|span|font|center|table|tbody|thead|tr|td|th|ul|ol|li|blockquote|"
    r"b|strong|i|em|a|p|figure|main|aside|header|footer|nav)\b[^<>]{0,2000}>", re.I)
_INLINE_WRAPPERS = frozenset({"span", "font", "b", "strong", "i", "em", "a"})


def _flatten_tag(m: re.Match[str]) -> str:
    if re.search(r"\sid\s*=", m.group(0), re.I):
        return m.group(0)  # #js_content and friends stay
    return "" if m.group(1).lower() in _INLINE_WRAPPERS else "<br>"


def _tag(el: HtmlElement) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _hidden(el: HtmlElement) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


class ImageSource:
    """Reads pictures for one page: files beside it and ``data:`` URIs, within the limits."""

    def __init__(self, base_dir: Path | None) -> None:
        self.base_dir = base_dir
        self.budget = MAX_IMAGE_TOTAL

    def picture(self, el: HtmlElement) -> Image | None:
        values = [v.strip() for v in (el.get(a) for a in _IMG_ATTRS) if v and v.strip()]
        for attr in ("width", "height"):
            try:
                if int(str(el.get(attr, "")).strip().rstrip("px") or 99) <= 2:
                    return None  # a tracking pixel
            except ValueError:
                pass
        return self.image_for(values, el.get("alt") or el.get("title") or "")

    def image_for(self, values: list[str], alt: str) -> Image | None:
        """A picture from its references (best first) and alt text; None when there is
        nothing to show."""
        values = [v for v in values if v]
        if not values:
            return None
        alt = clean_line(strip_decorations(alt))[:500]
        remote = next((v for v in values if v.lower().startswith(("http://", "https://", "//"))),
                      "")
        if remote.startswith("//"):
            remote = "https:" + remote
        data = None
        for v in values:
            data = self._read(v)
            if data is not None and sniff_image(data) is not None:
                break
            data = None  # not there, or not a picture (a text file named like one)
        if data is None and not remote and not alt and not any(
            v.lower().startswith("data:") for v in values
        ):
            return None  # a local file that is not there, nothing to show
        return Image(offset=0, alt=alt, url=remote[:4000], data=data)

    def _read(self, ref: str) -> bytes | None:
        low = ref[:8].lower()
        if low.startswith("data:"):
            return self._data_uri(ref)
        if low.startswith(("http:", "https:", "//", "javascript", "blob:", "about:")):
            return None
        if low.startswith("file:"):
            parts = urlsplit(ref)
            if parts.netloc not in ("", "localhost"):
                return None
            path = Path(unquote(parts.path))
        else:
            if self.base_dir is None or ":" in ref.split("/", 1)[0]:
                return None
            rel = unquote(ref.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
            if not rel or rel.startswith("/"):
                return None
            path = self.base_dir / rel
        return self._file(path)

    def _file(self, path: Path) -> bytes | None:
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size > min(MAX_LOCAL_IMAGE, self.budget):
                return None
            with open(path, "rb") as fh:
                data = fh.read(MAX_LOCAL_IMAGE + 1)
        except (OSError, ValueError):
            return None
        if len(data) > MAX_LOCAL_IMAGE:
            return None
        self.budget -= len(data)
        return data

    def _data_uri(self, ref: str) -> bytes | None:
        m = _DATA_URI.match(ref[:400])
        if not m or not m.group(1).lower().startswith("image/"):
            return None
        payload = ref[m.end():]
        if len(payload) > MAX_DATA_URI * 4 // 3 + 16 or len(payload) > self.budget:
            return None
        try:
            data = (base64.b64decode(re.sub(r"\s+", "", payload)) if m.group(3)
                    else unquote(payload).encode("latin-1"))
        except (binascii.Error, ValueError, UnicodeError):
            return None
        self.budget -= len(data)
        return data


def walk(
    container: HtmlElement,
    images: ImageSource,
    *,
    keep: Callable[[HtmlElement], bool | None] | None = None,
) -> RichBody:
    """Text and structure of an element. ``keep``: an optional function of an element returning
    True (read it), False (leave it out; its tail text stays when its parent is read) or None
    (only pass through it: its own text is left out, its children are visited) — the generic
    page importer uses it to read what the main-content extractor kept."""
    rt = RichText(collapse=True)
    list_stack: list[list[int]] = []  # per open list: [ordered, next number]
    # iterative walk: (element, entering?, is the parent's text read?)
    stack: list[tuple[HtmlElement, bool, bool]] = [(container, True, False)]
    reads: dict[int, bool] = {}
    while stack:
        el, entering, parent_reads = stack.pop()
        if not entering:
            if reads.pop(id(el)):
                _leave(el, rt, list_stack)
            if parent_reads and el.tail:
                rt.text(el.tail)
            continue
        tag = _tag(el)
        verdict = True if keep is None else keep(el)
        if el is container and verdict is False:
            verdict = None
        if not tag or tag in _SKIP or (el is not container and _hidden(el)) or verdict is False:
            if parent_reads and el.tail:
                rt.text(el.tail)
            continue
        if tag == "img":
            img = images.picture(el) if verdict else None
            if img is not None:
                rt.image(img)
            if parent_reads and el.tail:
                rt.text(el.tail)
            continue
        if tag == "br":
            if verdict:
                rt.end_paragraph()
            if parent_reads and el.tail:
                rt.text(el.tail)
            continue
        own = verdict is True
        reads[id(el)] = own
        if own:
            _enter(el, tag, rt, list_stack)
            if el.text:
                rt.text(el.text)
        stack.append((el, False, parent_reads))
        for child in reversed(el):
            stack.append((child, True, own))
    return rt.build()


def _style_marks(el: HtmlElement) -> list[str]:
    style = el.get("style")
    marks = []
    if style:
        if _BOLD_STYLE.search(style):
            marks.append("strong")
        if _ITALIC_STYLE.search(style):
            marks.append("em")
    return marks


def _enter(el: HtmlElement, tag: str, rt: RichText, list_stack: list[list[int]]) -> None:
    if tag in _HEADINGS:
        rt.push_block("heading", _HEADINGS[tag])
    elif tag == "blockquote":
        rt.push_block("quote")
    elif tag == "figcaption":
        rt.push_block("caption")
    elif tag in ("ul", "ol", "menu"):
        rt.end_paragraph()
        start = 1
        try:
            start = int(el.get("start", "1"))
        except ValueError:
            pass
        list_stack.append([tag == "ol", start])
    elif tag == "li":
        ordered, number = list_stack[-1] if list_stack else (False, 1)
        marker = f"{number}. " if ordered else "• "
        if list_stack:
            list_stack[-1][1] += 1
        rt.push_block("list_item", max(1, len(list_stack)), marker=marker)
    elif tag in _BLOCK:
        rt.end_paragraph()
    elif tag in ("td", "th"):
        rt.text(" ")
    elif tag == "hr":
        rt.end_paragraph()
    if tag == "pre":  # preformatted: its line breaks are lines
        rt.collapse = False
    mark = _INLINE_MARKS.get(tag)
    if mark:
        rt.push_mark(mark)
    for m in _style_marks(el):
        rt.push_mark(m)


def _leave(el: HtmlElement, rt: RichText, list_stack: list[list[int]]) -> None:
    tag = _tag(el)
    for m in reversed(_style_marks(el)):
        rt.pop_mark(m)
    mark = _INLINE_MARKS.get(tag)
    if mark:
        rt.pop_mark(mark)
    if tag in _HEADINGS:
        rt.pop_block("heading")
    elif tag == "blockquote":
        rt.pop_block("quote")
    elif tag == "figcaption":
        rt.pop_block("caption")
    elif tag == "li":
        rt.pop_block("list_item")
    elif tag in ("ul", "ol", "menu"):
        rt.end_paragraph()
        if list_stack:
            list_stack.pop()
    elif tag in _BLOCK:
        rt.end_paragraph()
    if tag == "pre":
        rt.collapse = True


# ---------------------------------------------------------------------- WeChat pages
_WECHAT_MARKERS = re.compile(
    r'id\s*=\s*["\']?(?:js_content|activity-name|js_name)\b|var\s+msg_link\s*=|'
    r'mp\.weixin\.qq\.com|var\s+ct\s*=\s*["\']\d{9,11}',
    re.I,
)


def looks_like_wechat_page(text: str) -> bool:
    return bool(_WECHAT_MARKERS.search(text[:2_000_000]))


_SCRIPT_VARS = ("msg_title", "nickname", "author", "ct", "createTime", "msg_link", "msg_desc",
                "mid", "idx")
_SCRIPT_VAR = re.compile(
    r"(?<![\w$.])(var\s+)?(" + "|".join(_SCRIPT_VARS) + r")\s*[:=]\s*(?:htmlDecode\()?\s*"
    r"(['\"])(.{0,2000}?)\3",
    re.S,
)


def script_vars(scripts: str) -> dict[str, str]:
    """The values the page's scripts give the variables of :data:`_SCRIPT_VARS` (one pass over
    the scripts; ``var name = …`` wins over ``name: …``)."""
    found: dict[str, str] = {}
    weak: dict[str, str] = {}
    for m in _SCRIPT_VAR.finditer(scripts):
        name, value = m.group(2), m.group(4)
        target = found if m.group(1) else weak
        if name in target or not value:
            continue
        value = value.replace("\\x26", "&").replace("\\/", "/").replace("\\'", "'")
        target[name] = htmllib.unescape(value.replace('\\"', '"')).strip()
    return {**weak, **found}


def _meta(root: HtmlElement, *names: str) -> str:
    for name in names:
        for el in root.iter("meta"):
            key = (el.get("property") or el.get("name") or "").strip().lower()
            if key == name:
                content = (el.get("content") or "").strip()
                if content:
                    return content
    return ""


def _text_of(root: HtmlElement, xpath: str) -> str:
    for el in root.xpath(xpath):
        t = clean_line(strip_decorations(el.text_content()))
        if t:
            return t
    return ""


def _china_date_from_ct(value: str) -> str:
    return to_iso_date(value) if value.isdigit() else ""


def unavailable_reason(text: str) -> Code | None:
    for phrase, reason in UNAVAILABLE.items():
        if phrase in text:
            return reason
    return None


def parse_wechat_html(text: str, base_dir: Path | None) -> list[ArticleDraft]:
    """A saved WeChat article page -> one draft. Raises ImportFailure for an unavailable
    article (the reason says which notice the page shows) or a page without article text."""
    root = parse_html_tree(text)
    found = root.xpath('//*[@id="js_content"]')
    content = found[0] if found else None
    # the article's variables sit in small inline scripts; bundled libraries are not read
    scripts = "\n".join(s.text for s in root.iter("script") if s.text and len(s.text) < 256_000)
    svars = script_vars(scripts)
    rich = walk(content, ImageSource(base_dir)) if content is not None else None
    if rich is None or not rich.body.strip():
        reason = unavailable_reason(root.text_content() if len(text) < 5_000_000 else text)
        if reason:
            raise ImportFailure(reason)
        from .webpage import parse_webpage  # a WeChat-like page of another layout

        return parse_webpage(text, base_dir)
    title = (_text_of(root, '//*[@id="activity-name"]') or clean_line(_meta(root, "og:title"))
             or clean_line(svars.get("msg_title", "")))
    if not title:
        title = _text_of(root, "//title")
    source = (_text_of(root, '//*[@id="js_name"]') or clean_line(svars.get("nickname", ""))
              or clean_line(_meta(root, "og:site_name")))
    byline = (clean_line(_meta(root, "author")) or _text_of(root, '//*[@id="js_author_name"]')
              or clean_line(svars.get("author", "")))
    date = _china_date_from_ct(svars.get("ct", ""))
    if not date:
        date = to_iso_date(svars.get("createTime", "")) or to_iso_date(
            _text_of(root, '//*[@id="publish_time"]'))
    url = svars.get("msg_link", "") or _meta(root, "og:url")
    digest = clean_line(_meta(root, "og:description", "description")
                        or svars.get("msg_desc", ""))
    mid, idx = svars.get("mid", ""), svars.get("idx", "")
    external_id = f"{mid}_{idx}" if mid.isdigit() and idx.isdigit() else ""
    if not title:
        first = rich.body.split("\n", 1)[0]
        title = first[:60] + ("…" if len(first) > 60 else "")
    return [ArticleDraft(
        title=strip_decorations(title)[:200], body=rich.body, subtitle=digest[:500],
        byline=byline[:200], source=source[:200], date=date, url=_clean_url(url),
        external_id=external_id, kind="wechat", blocks=rich.blocks, images=rich.images,
    )]


def _clean_url(url: str) -> str:
    url = htmllib.unescape(url.strip()).replace("\\/", "/")
    if not url.lower().startswith(("http://", "https://")):
        return ""
    return url.split("#", 1)[0][:4000]
