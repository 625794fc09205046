"""Newspaper pages: text extracted from a printed page, several articles one after another.

Two shapes: headings marked with ``## `` (format ``page-marked``) and no markup at all (``page``).
The splitter classifies every non-empty line by *rules* — length, terminal punctuation, byline
patterns, heading markers, a list of section labels — and never by knowing particular headlines.

Line kinds (:func:`classify`, first match wins):

``label``     a section label inside a feature (``编者按``, ``本期关注：``, ``专家解读`` …):
              a known label (:data:`LABELS`), or a 2–4 character line of Han characters, or ≤ 6
              Han characters + ``：``;
``byline``    ``本报讯（记者 …）…``, ``本报北京3月7日电（记者 …）``, ``本报讯 记者 张三 昨天…``, a bare
              dateline (``本报讯 昨天…``: byline ``本报讯``), ``■记者 林晓``, ``记者 周敏``, a paragraph
              ending in ``（记者 …）`` — never a photo credit (``… 摄``);
``furniture`` app/e-paper/QR promotion (``下载××客户端``, ``看往期电子版``) and page credits
              (``本版摄影 …``, ``本版编辑 …``): like a masthead, never part of a title;
``masthead``  page furniture: a date line with weekday/page number/paper name
              (``临川日报 2025年3月8日 星期六``), the paper's name alone, an editor credit;
``kicker``    a short column tag with a middle dot (``新春·新气象``);
``subtitle``  a line starting with a dash (``——以科技创新引领产业升级``);
``heading``   a headline candidate: a ``## `` line (marked pages: only those), or (unmarked pages)
              a line of 4–120 characters with no sentence punctuation (``，。；`` or two colons),
              not ending in a clause mark, ``！``/``？`` or a bracket, not a caption, not mostly
              digits; also, on unmarked pages, the short unfinished line right above a dateline
              (``本报讯（…）``) or above a stand-alone byline followed by text, even with a comma
              or a final ``！`` — those open an article;
``intro``     another short line without sentence punctuation (``合作社理事长周红梅：``, an
              organisation name, a hotline notice) — it can sit between a banner and a headline;
``body``      everything else: paragraphs, column-break fragments, photo captions (``图为…``,
              ``… 摄``), continuation markers (``（上接第1版）``).

Splitting: a maximal run of consecutive label/masthead/kicker/subtitle/heading/intro lines is a
*header block*; it never starts with an ``intro`` line (a short line right after text is the end
of a paragraph cut by a column break, so it stays text). A block with at least one heading starts
a new article. Its title starts at the first heading after the last label/kicker/intro/masthead
line that precedes the block's last heading — so banners and column names above a headline
(``乡村振兴看变化`` / ``新春·新气象`` / headline) stay out of the title — and takes up to
:data:`TITLE_LINES_MAX` consecutive heading lines, joined by a space: a two-line headline, a
kicker-and-main headline or a headline with its second deck becomes one title
(``滨河新区举办青年创业大赛 百余个项目同台竞技``), so the title always contains the
headline even when a banner with no separator sits right above it. Dash lines right after the
title are the ``subtitle``. Lines of the block before the title open the new article's body. A
block without a heading (a lone label, a bare subtitle line) is ordinary text of the current
article, so labels and subtitles never become articles of their own. Lines before the first
headline form a headless article whose title is derived from its first line (truncated with
``…``). A titled article with no other line at the very end of the page is merged into the
previous one. Interleaved columns are *not* reordered: a paragraph of one article printed inside
another stays where it is (the user can merge/split).

Then the page's structure decides which candidates are really articles (:func:`_merge_sections`,
unmarked pages): short headline blocks between a titled article without byline and the first
candidate that *closes* with a byline (``记者 某某``) are section heads of that feature; on a page
whose articles *open* with datelines, a short unsigned headline block right after such an article
is one of its sections; ``XX：…`` heads after a text that starts with ``（上接第1版）`` are sections
of the continued article. Section heads stay in the body and are given as ``heading`` blocks. A
photo label (a headline-like line followed only by ``上图 …``/``下图 …`` captions) joins the
previous article. An organisation line right under a headline (``××市商务局``) is the byline.
Body lines that the layout broke mid-sentence are joined (``……充分展现`` / ``了发展的活力。``, see
:func:`reader.core.importers.cleanup.continues`).

Representation (the invariant the tests check, tests/page_partition.py): for every article,
``body`` is the article's lines in page order, one per ``\\n``-separated line (lines broken by the
layout joined back), *except its title and subtitle lines*; pre-title lines
(banners, kickers, labels) come first in the body, then the subtitle/byline/text lines. The
``## `` marker is removed. ``title`` is the title lines (markup removed, spaces collapsed) joined
by one space; a headless article's title is derived and is no page line. Concatenating, for every
article in order, its body lines with its title and subtitle lines re-inserted after its pre-title
lines gives back every non-empty page line exactly once. The subtitle is not repeated in the body;
``byline`` repeats text that is also in the body (the byline field holds the byline as printed, e.g. ``本报讯（记者 陈立 吴桐）`` or
``记者 林晓`` without the ``■``; for a trailing ``（记者 …）`` the part inside the brackets).

``source`` and ``date`` come from masthead lines on the page; otherwise the file's name and folders
may give them (:mod:`reader.core.importers.articlefile`), or the user at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import ArticleDraft
from ..text import clean_line, normalize_newlines
from .cleanup import clean_text_line, continues, heading_blocks, is_unfinished, join_broken
from .dates import to_iso_date

LABELS: frozenset[str] = frozenset(
    """编者按 编后 编后语 本期关注 一线故事 政策帮问 专家解读 新闻延伸 新闻链接 相关链接 链接 背景链接
    背景 新闻背景 记者手记 记者观察 短评 快评 评论 延伸阅读 相关新闻 相关报道 特别关注 数读 数说 图说
    声音 观点 提示 小贴士 权威发布 核心提示 导读 名词解释 一线直击 基层声音 现场直击 特别报道 聚焦
    记者调查 本报评论员 新闻观察 新闻分析 专家观点 各方声音 群众声音 网友热议 温馨提示 知多少 问答
    政策解读 图片新闻 今日关注 本期导读 本版导读 延伸 记者感言 采访手记 一线声音 专家点评 特写 观察
    现场 案例 对话 解读 访谈 手记 札记 人物 故事 前言 结语 后记 附件 相关阅读 新闻速递 简讯 快讯 动态
    一句话新闻 新闻眼 微评 画外音 小资料 资料 释疑 答问 记者问 记者来信 读者来信 热点 短新闻 延伸链接
    他山之石 数据 数字 说法 图解 新闻多一点 记者连线 现场目击 记者手札""".split()  # noqa: SIM905
)

MARKED_HEADING = re.compile(r"^#{1,6}[ \t\u3000]*(?=[^#\s])")
_MARKED_DETECT = re.compile(r"^[ \t\u3000]*#{2,6}[ \t\u3000]*[^#\s]", re.MULTILINE)

_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_SENTENCE_PUNCT = re.compile(r"[，,。；;]")
_END_BAD = set("。！？!?；;…，,、：:（([【《<")
_END_BRACKETS = set("）)》>】]")
_CLOSERS = "”’」』\"'"
_OPENERS_BAD = ("（", "(", "[", "〔")
_CONTACT = re.compile(r"\d{3,4}-\d{6,8}|https?://|www\.|@|\.com|\.cn")
_CAPTION = re.compile(
    r"^(?:图为|图片|图\s*[①-⑳\d]|本版图片|资料图|左图|右图|上图|下图)|(?:摄|供图|制图|绘图|摄影)\s*$"
)
_POINTER = re.compile(r"(?:详见|见第|转第|接第|转至|接上|接下)\s*[\d一二三四五六七八九十]+\s*版")
_PAGE_SIGNAL = re.compile(r"^[（(](?:上接|下转|接第|转第)|(?:摄|供图)$")
_DOTS = "·•・‧"
_DASH_START = re.compile(r"^(?:——|—|--|－－|──|~~)")

_NAME = r"[\u4e00-\u9fff·]{2,5}"
_ROLE = r"(?:本报|新华社|人民日报|中新社)?\s*(?:特约|见习|实习)?(?:记者|通讯员|实习生)"
_NAMES = rf"{_NAME}(?:[ \t\u3000、，,]+{_NAME})*"
STANDALONE_BYLINE = re.compile(
    rf"^[■□●○◆◇▲△★☆▶►]?[ \t\u3000]*(?:{_ROLE}|文|撰文|作者|文/图|图/文)[ \t\u3000]*[/／:：]?[ \t\u3000]*"
    rf"{_NAMES}(?:[ \t\u3000]+{_ROLE}[ \t\u3000]*{_NAMES})*[ \t\u3000]*$"
)
# A dateline without a bracketed author: ``本报讯`` or ``新华社北京12月15日电``.
DATELINE = re.compile(
    r"^[■□●◆▲★]?[ \t\u3000]*"
    r"(?:本报讯|(?:本报|新华社|中新社)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日[\u4e00-\u9fff]{0,4}电)"
)
_SPACED_AUTHORS = re.compile(
    r"[ \t\u3000]+(?:本报)?(?:特约|见习|实习)?(?:记者|通讯员)[ \t\u3000]*"
    r"[\u4e00-\u9fff·]{2,4}(?:[ \t\u3000、]+(?:(?:记者|通讯员)[ \t\u3000]*)?[\u4e00-\u9fff·]{2,4})*"
    r"(?=[ \t\u3000])"
)
LEADING_BYLINE = re.compile(
    r"^[■□●◆▲★]?[ \t\u3000]*"
    r"(?:本报讯|本报[\u4e00-\u9fff\d]{0,12}电|(?:新华社|中新社|央视新闻|人民网)[\u4e00-\u9fff\d]{0,12}电|"
    r"[\u4e00-\u9fff]{2,6}讯)"
    r"[ \t\u3000]*[（(][^（()）\n]{1,60}[）)]"
)
TRAILING_BYLINE = re.compile(
    r"[（(][ \t\u3000]*((?:本报|新华社)?(?:特约|见习|实习)?(?:记者|通讯员)[^（()）\n]{1,40})[）)][ \t\u3000]*$"
)
_EDITOR_CREDIT = re.compile(
    r"^(?:责任编辑|责编|美术编辑|美编|校对|版式设计|版面设计|本版编辑|编辑|照排)\s*[：:]"
)
_BYLINE_MARKER = re.compile(r"^[■□●○◆◇▲△★☆▶►][ \t\u3000]*")
# Page furniture that is no article text: app/e-paper/QR promotion and page credits.
_PROMO = re.compile(
    r"(?:下载|扫码|扫描|扫一扫|关注|登录|打开).{0,16}(?:客户端|APP|App|app|二维码|公众号|小程序|视频号)|"
    r"(?:客户端|电子版|数字报|手机报)$|^(?:往期回顾|看往期)"
)
_PAGE_CREDIT = re.compile(
    r"^(?:本版|版面|本期)(?:编辑|责编|责任编辑|摄影|图片|供图|统筹|策划|设计|美编|制图|主编|撰文|文字|校对)"
)
FURNITURE_MAX = 40
# An organisation printed as the author line right under a headline (``临江市商务局``).
_ADMIN = re.compile(r"[省市区县州盟旗镇乡]|街道|自治")
_ORG_SUFFIX = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|厅|办|政府|管委会|研究院|研究所|研究中心|中心|集团|公司|协会|学会|联合会|"
    r"法院|检察院|支队|大队|派出所|医院|大学|学院|学校|银行|总工会|工会|妇联|团委|党委|党组|工委|纪委|监委|"
    r"分局|海关|税务局|监狱|博物馆|图书馆|所|站|署)$"
)
# a headline deck starts with a verb (``打造一流市民服务中心``); an organisation's name does not
_VERB_START = re.compile(
    r"^(?:打造|建设|建成|推进|加快|推动|构建|深化|提升|促进|做好|实现|助力|聚焦|开展|迈向|创建|争创|"
    r"服务|激发|优化|完善|守护|筑牢|共建|携手|走进|探访|点亮)"
)
_ORG_ALWAYS = re.compile(r"(?:公司|集团|研究院|研究所|大学|学院|协会|学会|联合会|法院|检察院|医院|银行|海关)$")
ORG_MAX = 30
# Captions of a photo group: ``上图 …`` / ``下图 …`` / ``图① …`` and photo credits.
_POSITION_CAPTION = re.compile(
    r"^(?:上图|下图|左图|右图|中图|左上图|右上图|左下图|右下图|上左图|上右图|下左图|下右图|图\s*[①-⑳]|图\s*\d{1,2}(?!\d))"
    r"|(?:摄|供图|摄影)\s*$"
)

_MASTHEAD_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_PAPER = re.compile(r"[\u4e00-\u9fff]{2,6}(?:日报|晚报|时报|商报|早报|青年报|法制报)")
_PAGE_NO = re.compile(r"第\s*[\d一二三四五六七八九十]+\s*版")
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")

HEADERISH = frozenset(
    {"heading", "label", "kicker", "subtitle", "intro", "masthead", "furniture"}
)
SEPARATORS = frozenset({"label", "kicker", "intro", "masthead", "furniture"})
INTRO_MAX = 60
LIST_HEADINGS_MIN = 5  # so many headline-like lines in a row are a list or a table
TEXT_KINDS = frozenset({"body", "byline"})
TITLE_LINES_MAX = 3  # consecutive headline lines joined into one title
TITLE_CHARS_MAX = 160
HEADING_MAX = 120
HEADLESS_TITLE_CHARS = 30


@dataclass(slots=True)
class PageLine:
    text: str  # trimmed, heading marker removed
    marked: bool
    kind: str = "body"
    byline: str = ""  # the byline as printed, when kind == "byline"
    parts: int = 1  # page lines joined into this one (a sentence broken by the layout)
    section: bool = False  # a section head inside a feature (shown as a heading)


@dataclass(slots=True)
class _Article:
    pre: list[PageLine] = field(default_factory=list)
    title: list[PageLine] = field(default_factory=list)  # empty: a headless article
    rest: list[PageLine] = field(default_factory=list)
    subtitles: list[PageLine] = field(default_factory=list)

    def lines(self) -> list[PageLine]:
        return self.pre + self.title + self.rest


def is_marked_page(text: str) -> bool:
    """A page with marked headings: at least two lines start with ``##``, and either the first
    non-empty line is one of them or the text shows a page signal (byline, masthead, continuation
    marker, photo credit). A Markdown article (title line, then ``##`` sections) is not a page."""
    if len(_MARKED_DETECT.findall(text, 0, 2_000_000)) < 2:
        return False
    first = next((ln for ln in text.split("\n", 50) if ln.strip()), "")
    if _MARKED_DETECT.match(first):
        return True
    return has_page_signal(page_lines(text, marked_page=True))


def has_page_signal(lines: list[PageLine]) -> bool:
    """Whether some line is something only a newspaper page has."""
    return any(ln.kind in ("byline", "masthead") or _PAGE_SIGNAL.search(ln.text) for ln in lines)


def _nospace(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _ends_badly(text: str) -> bool:
    core = text.rstrip(_CLOSERS)
    if not core:
        return True
    return core[-1] in _END_BAD


def _is_label(text: str) -> bool:
    core = text.strip("【】[]〔〕<>《》 \u3000")
    has_colon = core.endswith(("：", ":"))
    core = core.rstrip("：: ")
    if not core or not _HAN.match(_nospace(core)):
        return False
    core = _nospace(core)
    if core in LABELS:
        return True
    if 2 <= len(core) <= 4:
        return True
    return has_colon and len(core) <= 6


def _is_kicker(text: str) -> bool:
    core = _nospace(text)
    return (
        any(d in core for d in _DOTS)
        and 3 <= len(core) <= 12
        and not _SENTENCE_PUNCT.search(core)
        and not _ends_badly(core)
    )


def _is_subtitle(text: str) -> bool:
    return (
        bool(_DASH_START.match(text))
        and len(text) <= 80
        and not text.rstrip(_CLOSERS).endswith("。")
    )


def byline_of(text: str) -> str:
    """The byline a line carries (as printed, without a leading ``■``), or ''."""
    if _CAPTION.search(text) or _nospace(text).strip("【】[]〔〕：:") in LABELS:
        return ""
    text = text.replace("\xa0", " ")  # crawled datelines carry no-break spaces
    m = LEADING_BYLINE.match(text)
    if m:
        return clean_line(_BYLINE_MARKER.sub("", m.group(0)))
    m = DATELINE.match(text)
    if m:  # ``本报讯 记者 张三 昨天……`` or just ``本报讯 昨天……``
        authors = _SPACED_AUTHORS.match(text, m.end())
        return clean_line(_BYLINE_MARKER.sub("", text[: (authors or m).end()]))
    if len(text) <= 40 and STANDALONE_BYLINE.match(text):
        return clean_line(_BYLINE_MARKER.sub("", text))
    m = TRAILING_BYLINE.search(text)
    if m and (m.start() == 0 or text[: m.start()].rstrip()[-1:] in '。！？!?”"'):
        return clean_line(m.group(1))
    return ""


def _is_masthead(text: str) -> bool:
    """Page furniture: a masthead/date line, the paper's name alone, an editor credit."""
    if _EDITOR_CREDIT.match(text) and len(text) <= 60:
        return True
    if len(text) > 60 or _SENTENCE_PUNCT.search(text):
        return False
    if _PAPER.fullmatch(_nospace(text)):
        return True
    has_date = bool(_MASTHEAD_DATE.search(text))
    signals = sum(bool(p.search(text)) for p in (_PAPER, _PAGE_NO, _WEEKDAY))
    return (has_date and signals >= 1) or (bool(_PAGE_NO.search(text)) and signals >= 2)


def _heading_like(text: str) -> bool:
    core = _nospace(text)
    n = len(core)
    if n < 4 or n > HEADING_MAX:
        return False
    if _ends_badly(core) or core[-1] in _END_BRACKETS or core.startswith(_OPENERS_BAD):
        return False
    if _SENTENCE_PUNCT.search(core) or core.count("、") > 2:
        return False
    if core.count("：") + core.count(":") > 1 or _CONTACT.search(text):
        return False
    digits = sum(ch.isdigit() for ch in core)
    return digits * 5 <= n * 2


def _intro_like(text: str) -> bool:
    core = _nospace(text)
    if not core or len(core) > INTRO_MAX:
        return False
    if core.startswith(_OPENERS_BAD) or core.startswith("《") or core.endswith("》"):
        return False
    if _SENTENCE_PUNCT.search(core):
        return False
    last = core.rstrip(_CLOSERS)[-1:] or "。"
    return last not in "。！？!?；;…，,、"


def is_furniture(text: str) -> bool:
    """Page furniture that is no article text: an app/e-paper/QR promotion line (``下载××客户端``,
    ``看往期电子版``) or a page credit (``本版摄影 …``, ``本版编辑 …``). A sentence (``，``/``。``)
    or a bracketed note (``（详情请扫二维码查阅）``) is text, not furniture."""
    if len(_nospace(text)) > FURNITURE_MAX or _SENTENCE_PUNCT.search(text):
        return False
    if _PAGE_CREDIT.match(text):
        return True
    return not text.startswith(_OPENERS_BAD) and bool(_PROMO.search(text))


def is_org_line(text: str) -> bool:
    """An organisation name (or several, separated by spaces), e.g. ``临江市商务局``."""
    parts = [p for p in re.split(r"[ \t\u3000、]+", text) if p]
    if not parts or len(_nospace(text)) > ORG_MAX:
        return False
    for part in parts:
        core = part.replace("（", "").replace("）", "").replace("(", "").replace(")", "")
        if not _HAN.match(core) or len(core) < 3 or not _ORG_SUFFIX.search(core):
            return False
        if _VERB_START.match(core):
            return False
        if not (_ADMIN.search(core) or _ORG_ALWAYS.search(core)):
            return False
    return True


def classify(text: str, marked: bool, *, marked_page: bool) -> tuple[str, str]:
    """(kind, byline) of one trimmed line; see the module docstring for the kinds."""
    short = len(_nospace(text)) <= 8
    if short and _nospace(text).strip("【】[]〔〕：:") in LABELS:
        return "label", ""
    if is_furniture(text):
        return "furniture", ""
    byline = byline_of(text)
    if byline:
        return "byline", byline
    if _is_masthead(text):
        return "masthead", ""
    if short and _is_label(text):
        return "label", ""
    if _is_kicker(text):
        return "kicker", ""
    if _is_subtitle(text):
        return "subtitle", ""
    if _CAPTION.search(text) or _POINTER.search(text):
        return "body", ""
    if marked:
        # trust the marker, except on a whole sentence (a paragraph marked by mistake)
        if len(text) > 40 and text.rstrip(_CLOSERS).endswith(("。", "；", ";")):
            return "body", ""
        return "heading", ""
    if not marked_page and _heading_like(text):
        return "heading", ""
    if _intro_like(text):
        return "intro", ""
    return "body", ""


def page_lines(text: str, *, marked_page: bool) -> list[PageLine]:
    """The page's non-empty lines, trimmed, markers removed, classified."""
    out: list[PageLine] = []
    for raw in normalize_newlines(text).split("\n"):
        line = clean_text_line(raw)
        if not line:
            continue
        m = MARKED_HEADING.match(line)
        marked = bool(m) and line.startswith("#")
        if marked:
            line = clean_text_line(line[m.end() :])  # type: ignore[union-attr]
            if not line:
                continue
        kind, byline = classify(line, marked, marked_page=marked_page)
        out.append(PageLine(line, marked, kind, byline))
    if not marked_page:
        _promote_headlines(out)
    _organisation_bylines(out)
    return _reflow(out)


def _organisation_bylines(lines: list[PageLine]) -> None:
    """An organisation line right under a headline, followed by text, is the article's author
    line (``××市商务局``): a byline, not a second headline line."""
    for i in range(1, len(lines) - 1):
        line = lines[i]
        if (
            lines[i - 1].kind == "heading"
            and line.kind in ("heading", "intro")
            and not line.marked
            and lines[i + 1].kind in TEXT_KINDS
            and is_org_line(line.text)
        ):
            line.kind, line.byline = "byline", clean_line(line.text)


def _reflow(lines: list[PageLine]) -> list[PageLine]:
    """Join body lines that the layout broke in the middle of a sentence (``……充分展现`` /
    ``了发展的活力。``) into one line; see :func:`reader.core.importers.cleanup.continues`. Only two
    consecutive ``body`` lines are ever joined, so a joined line stays inside one article."""
    out: list[PageLine] = []
    starts_group = True
    for i, line in enumerate(lines):
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "body" and line.kind == "body":
            after = lines[i + 1].text if i + 1 < len(lines) and lines[i + 1].kind == "body" else ""
            if continues(prev.text, line.text, starts_group=starts_group, after=after):
                prev.text = join_broken(prev.text, line.text)
                prev.parts += 1
                continue
        starts_group = prev is None or prev.kind != "body" or not is_unfinished(prev.text)
        out.append(line)
    return out


def _could_be_headline(text: str) -> bool:
    core = _nospace(text)
    if not 4 <= len(core) <= INTRO_MAX or "。" in core or core.startswith(_OPENERS_BAD):
        return False
    if _CAPTION.search(text) or _CONTACT.search(text):
        return False
    return core.rstrip(_CLOSERS)[-1:] not in "；;，,、：:（([【《<…"


def _opens_article(lines: list[PageLine], i: int) -> bool:
    """A dateline (``本报讯（记者 …）``) opens an article; so does a stand-alone byline line
    (``■记者 林晓``) followed by text."""
    line = lines[i]
    if line.kind != "byline":
        return False
    if LEADING_BYLINE.match(line.text) or DATELINE.match(line.text):
        return True
    return (
        len(line.text) <= 40
        and STANDALONE_BYLINE.match(line.text) is not None
        and i + 1 < len(lines)
        and lines[i + 1].kind == "body"
    )


def _promote_headlines(lines: list[PageLine]) -> None:
    """The short unfinished line right above a line that opens an article is its headline, even
    when it has a comma or ends in ``！``/``？``."""
    for i in range(1, len(lines)):
        prev = lines[i - 1]
        if (
            prev.kind in ("intro", "body")
            and _opens_article(lines, i)
            and _could_be_headline(prev.text)
        ):
            prev.kind = "heading"


def _title_index(block: list[PageLine], *, marked_page: bool) -> int | None:
    heads = [k for k, line in enumerate(block) if line.kind == "heading"]
    if not heads:
        return None
    if not marked_page and len(heads) >= LIST_HEADINGS_MIN:
        return None  # a run of many short lines is a list or a table, not a headline group
    last = heads[-1]
    seps = [k for k in range(last) if block[k].kind in SEPARATORS]
    start = seps[-1] if seps else -1
    return next(k for k in heads if k > start)


def split_lines(lines: list[PageLine], *, marked_page: bool) -> list[_Article]:
    articles: list[_Article] = []
    current: _Article | None = None
    i, n = 0, len(lines)
    while i < n:
        if lines[i].kind not in HEADERISH:
            if current is None:
                current = _Article()
                articles.append(current)
            current.rest.append(lines[i])
            i += 1
            continue
        if lines[i].kind == "intro":
            # A short line can introduce a headline only below a banner, label or kicker; at the
            # start of a run it is the end of a paragraph cut by a column break: text.
            if current is None:
                current = _Article()
                articles.append(current)
            current.rest.append(lines[i])
            i += 1
            continue
        j = i
        while j < n and lines[j].kind in HEADERISH:
            j += 1
        block = lines[i:j]
        t = _title_index(block, marked_page=marked_page)
        if t is None:
            if current is None:
                current = _Article()
                articles.append(current)
            current.rest.extend(block)
        else:
            k = t + 1
            while (
                k < len(block)
                and k - t < TITLE_LINES_MAX
                and block[k].kind == "heading"
                and sum(len(x.text) for x in block[t : k + 1]) <= TITLE_CHARS_MAX
            ):
                k += 1
            current = _Article(pre=block[:t], title=block[t:k], rest=block[k:])
            for line in current.rest:
                if line.kind not in ("heading", "subtitle"):
                    break
                current.subtitles.append(line)
            articles.append(current)
        i = j
    # A titled article with no text at all (a headline at the very end of the page, a signature
    # such as an office name over a date) is not an article: fold it into the previous one.
    merged: list[_Article] = []
    for art in articles:
        if merged and art.title and not any(ln.kind in TEXT_KINDS for ln in art.pre + art.rest):
            merged[-1].rest.extend(art.lines())
        else:
            merged.append(art)
    merged = _attach_photo_groups(merged)
    merged = _attach_furniture_only(merged)
    if not marked_page:
        merged = _merge_sections(merged)
    return merged


# ------------------------------------------------------------------ article structure
# The candidate articles above start at every headline block. The passes below use how the
# page's articles are built (bylines at the end, datelines at the start, continuation markers)
# to tell a section head inside a feature from the headline of a new article.

SECTION_LINE_MAX = 24  # a section head is short: at most two lines of this many characters
SECTION_LINES_MAX = 2
_SECTION_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,6}[：:][^：:]")


def _text_lines(art: _Article) -> list[PageLine]:
    return [ln for ln in art.lines() if ln.kind in TEXT_KINDS]


def _bylines(art: _Article) -> list[PageLine]:
    return [ln for ln in art.lines() if ln.kind == "byline"]


def _is_position_caption(line: PageLine) -> bool:
    return line.kind == "body" and bool(_POSITION_CAPTION.search(line.text))


def _opens_with_dateline(art: _Article) -> bool:
    """The article's first text line is a dateline/byline that opens it (``本报讯（记者 …）``,
    ``■记者 林晓`` over text)."""
    text = _text_lines(art)
    if not text or text[0].kind != "byline":
        return False
    t = text[0].text
    return bool(LEADING_BYLINE.match(t) or DATELINE.match(t) or STANDALONE_BYLINE.match(t)) and (
        len(text) > 1
    )


def _closes_with_byline(art: _Article) -> bool:
    """The article's last text lines (photo captions aside) are its only bylines: ``记者 姚华``
    (maybe over ``通讯员 …``) or a paragraph ending in ``（记者 …）``."""
    text = [ln for ln in _text_lines(art) if not _CAPTION.search(ln.text)]
    k = len(text)
    while k > 0 and text[k - 1].kind == "byline":
        k -= 1
    if k == 0 or k == len(text):
        return False
    return not any(ln.kind == "byline" for ln in text[:k]) and not _opens_with_dateline(art)


def _has_prose(art: _Article) -> bool:
    """Some body text that is not a photo caption (a photo news item has only captions)."""
    return any(ln.kind == "body" and not _CAPTION.search(ln.text) for ln in art.lines())


def _continued(art: _Article) -> bool:
    """The article continues one from another page: its text starts with ``（上接第1版）``."""
    text = _text_lines(art)
    return bool(text) and bool(re.match(r"^[（(](?:上接|接第)", text[0].text))


def _section_like(art: _Article) -> bool:
    """A titled candidate whose header is only a short headline (one or two lines): no banner,
    label, kicker or subtitle around it, and some text that is not a photo caption."""
    if not art.title or art.pre or art.subtitles or len(art.title) > SECTION_LINES_MAX:
        return False
    if any(len(_nospace(ln.text)) > SECTION_LINE_MAX for ln in art.title):
        return False
    return any(ln.kind == "body" and not _CAPTION.search(ln.text) for ln in art.rest)


def _absorb(into: _Article, arts: list[_Article], *, sections: bool = True) -> None:
    for art in arts:
        for line in art.title:
            line.section = sections
        into.rest.extend(art.lines())


def _merge_sections(arts: list[_Article]) -> list[_Article]:
    """Section heads inside features become text of the feature:

    * bylines at the end: candidates after a titled article without any byline, up to and including
      the first one that closes with a byline (``记者 某某``), are sections of that article — when
      each of them is section-like and none opens with a dateline;
    * datelines at the start (at least two articles open with ``本报讯（记者 …）``): a section-like
      candidate without any byline right after such an article is one of its sections;
    * continuation: ``XX：…`` section heads after an article that starts with ``（上接第1版）`` are
      sections of the continued article, up to its closing byline.
    """
    lead_style = sum(_opens_with_dateline(a) for a in arts) >= 2
    out: list[_Article] = []
    i = 0
    while i < len(arts):
        head = arts[i]
        j = i + 1
        # continuation: XX：… sections
        if _continued(head) and not _bylines(head):
            while j < len(arts):
                cand = arts[j]
                if not (
                    cand.title
                    and not cand.pre
                    and _SECTION_LABEL.match(cand.title[0].text)
                    and not _opens_with_dateline(cand)
                    and len(_bylines(cand)) <= 1
                ):
                    break
                j += 1
                if _bylines(cand):
                    break
        # bylines at the end (a headless start is text from elsewhere: it heads no feature)
        if j == i + 1 and head.title and not _bylines(head) and _has_prose(head):
            k = i + 1
            while k < len(arts) and _section_like(arts[k]) and not _opens_with_dateline(arts[k]):
                if _bylines(arts[k]):
                    if _closes_with_byline(arts[k]):
                        j = k + 1
                    break
                k += 1
        # datelines at the start
        if j == i + 1 and lead_style and _opens_with_dateline(head):
            while j < len(arts) and _section_like(arts[j]) and not _bylines(arts[j]):
                j += 1
        _absorb(head, arts[i + 1 : j])
        out.append(head)
        i = j
    return out


def _attach_photo_groups(arts: list[_Article]) -> list[_Article]:
    """A photo label — a headline-like line followed only by ``上图 …``/``下图 …`` captions and
    photo credits — is no article: it joins the previous article (the next one at the top of
    the page), as text."""
    out: list[_Article] = []
    pending: list[PageLine] = []
    for art in arts:
        text = [ln for ln in art.rest if ln.kind in TEXT_KINDS]
        is_photo = (
            bool(art.title)
            and bool(text)
            and all(_is_position_caption(ln) for ln in text)
            and any(_POSITION_CAPTION.match(ln.text) for ln in text)
        )
        if is_photo and out:
            _absorb(out[-1], [art], sections=False)
        elif is_photo and len(arts) > 1:
            pending.extend(art.lines())
        else:
            if pending:
                art.pre[:0] = pending
                pending = []
            out.append(art)
    if pending:  # only photo groups on the page: keep them as they were
        return arts
    return out


def _attach_furniture_only(arts: list[_Article]) -> list[_Article]:
    """An untitled run of page furniture (``下载××客户端``, ``本版编辑 …``) at the top of the page
    is no article: it opens the next article's body."""
    if (
        len(arts) > 1
        and not arts[0].title
        and all(ln.kind in ("furniture", "masthead") for ln in arts[0].lines())
    ):
        arts[1].pre[:0] = arts[0].lines()
        return arts[1:]
    return arts


def masthead_info(lines: list[PageLine]) -> tuple[str, str]:
    """(source, date) stated by the first masthead line(s) of the page, else ('', '')."""
    source = date = ""
    for line in lines:
        if line.kind != "masthead":
            continue
        if not date:
            m = _MASTHEAD_DATE.search(line.text)
            if m:
                date = to_iso_date(m.group(0))
        if not source:
            m = _PAPER.search(line.text)
            if m:
                source = m.group(0)
        if source and date:
            break
    return source, date


def _headless_title(lines: list[PageLine]) -> str:
    first = next(
        (ln.text for ln in lines if ln.kind not in ("masthead", "label", "furniture")),
        lines[0].text,
    )
    first = clean_line(first)
    if len(first) > HEADLESS_TITLE_CHARS:
        first = first[:HEADLESS_TITLE_CHARS].rstrip() + "…"
    return first


def _clean_subtitle(text: str) -> str:
    return clean_line(_DASH_START.sub("", text).lstrip("—-－─~ "))


def split_page(text: str, *, marked: bool) -> list[ArticleDraft]:
    """Split a page's text into article drafts in page order (see the module docstring)."""
    lines = page_lines(text, marked_page=marked)
    articles = split_lines(lines, marked_page=marked)
    source, date = masthead_info(lines)
    drafts: list[ArticleDraft] = []
    for index, art in enumerate(articles):
        all_lines = art.lines()
        # the subtitle is stored as such, not repeated in the body
        sub_ids = {id(ln) for ln in art.subtitles}
        body_lines = art.pre + [ln for ln in art.rest if id(ln) not in sub_ids]
        if art.title:
            title = " ".join(clean_line(ln.text) for ln in art.title)
        else:
            title = _headless_title(all_lines)
        subtitles = art.subtitles
        if not any(ln.text.strip() for ln in body_lines):  # a page that is only a headline
            body_lines, subtitles = all_lines, []
        byline = next((ln.byline for ln in all_lines if ln.kind == "byline"), "")
        heads = [k for k, ln in enumerate(body_lines) if ln.section or ln.kind == "label"]
        body, blocks = heading_blocks([ln.text for ln in body_lines], heads)
        drafts.append(
            ArticleDraft(
                title=title,
                body=body,
                blocks=blocks,
                subtitle=" ".join(_clean_subtitle(ln.text) for ln in subtitles).strip(),
                byline=byline,
                source=source,
                date=date,
                kind="page",
                page_index=index,
            )
        )
    return [d for d in drafts if d.title and d.body.strip()]


def looks_like_unmarked_page(text: str) -> bool:
    """An unmarked text is a page when the splitter finds at least two headline blocks *and* the
    text shows something only a newspaper page has: a byline or dateline, a masthead, a
    continuation marker (``（上接第1版）``) or a photo credit. A single article with a few
    sub-headings and none of these stays one article; so does a single article whose only
    page signal is the dateline or byline that opens it (``新华社北京10月7日电``, then section
    heads): a page has signals in more than its first article, or page furniture."""
    lines = page_lines(text, marked_page=False)
    articles = split_lines(lines, marked_page=False)
    # a text opening with a continuation (``（上接第1版）…``) counts as an article of the page
    if sum(1 for a in articles if a.title or _continued(a)) < 2 or not has_page_signal(lines):
        return False
    if any(ln.kind in ("masthead", "furniture") for ln in lines):
        return True
    signalled = [k for k, a in enumerate(articles) if has_page_signal(a.lines())]
    return not (signalled == [0] and _opens_with_dateline(articles[0]))
