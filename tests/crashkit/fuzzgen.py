"""Hostile import files, and the invariants an import must keep whatever the file holds.

Every generated case goes through :meth:`reader.core.library.Library.import_paths` and then the
database is checked: each file ends in a clean import or one readable per-file error, never an
exception, never a partial article (see :func:`check_import`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from pathlib import Path

from hypothesis import strategies as st

from reader.core.library import ImportSummary, Library
from reader.core.text import normalize

# ---------------------------------------------------------------------- characters
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
CJK_EXT_B = st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF)
EMOJI = st.sampled_from(
    ["😀", "👩\u200d👩\u200d👧", "🇨🇳", "👍🏽", "❤️", "🧑‍💻", "\U0001f600\ufe0f", "🀄"]
)
RTL = st.sampled_from(
    ["مرحبا بالعالم", "שלום", "\u202e", "\u200f", "\u202b", "\u2067", "abc\u202edef", "\u061c"]
)
COMBINING = st.sampled_from(
    ["e\u0301", "a\u0308\u0323", "\u0301", "Z\u0351\u0352\u0353\u0354", "\u3099", "か\u3099",
     "\u20dd", "\u0488", "中\u0301", "\ufe0f"]
)
PUNCT = st.sampled_from(list("，。；：！？、“”（）《》·—…【】 \u3000\t#*-|>") + ["## ", "——", "■"])
NEWLINE = st.sampled_from(["\n", "\r", "\r\n", "\u2028", "\u2029", "\n\n", "\n\n\n", "\r\r"])
CONTROL = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\ufeff", "\ufffe", "\uffff", "\x0b"])
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)

WORDS = st.sampled_from(
    ["本报讯（记者 林晓）", "记者 周宁", "编者按", "十五五·我关注", "（上接第1版）", "图为工人在检修。",
     "天津日报 2026年1月5日 星期一", "市民", "发展", "http://example.invalid/x", "<b>粗体</b>",
     "<img src=http://example.invalid/x.png>", "&amp;", "\\u4e2d", "\"", "'", "{", "[", "]", "}"]
)

_piece = st.one_of(
    st.text(CJK, min_size=1, max_size=30),
    st.text(CJK_EXT_B, min_size=1, max_size=4),
    st.text(st.characters(codec="ascii"), max_size=20),
    EMOJI, RTL, COMBINING, PUNCT, NEWLINE, WORDS,
    st.text(max_size=10),  # anything hypothesis likes (excludes surrogates)
)

#: text with every kind of awkward character except lone surrogates and control characters
tricky_text = st.lists(_piece, max_size=40).map("".join)
#: the same with control characters, NUL and non-characters mixed in
control_text = st.lists(st.one_of(_piece, CONTROL), max_size=40).map("".join)


#: text that may contain lone surrogates (only representable as JSON escapes or broken bytes)
surrogate_text = st.lists(st.one_of(_piece, SURROGATE), max_size=30).map("".join)

KNOWN_KEYS = [
    "文章标识符aid", "标题title", "链接url", "时间time", "公众号名称", "finalContent", "content",
    "author", "作者", "digest", "摘要", "source", "title", "正文", "publish_time", "msgid",
    "cover_url", "content_html", "text", "body",
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**30, max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True), tricky_text, control_text, surrogate_text,
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=6), children, max_size=8),
    max_leaves=25,
)


@st.composite
def good_entry(draw) -> dict:
    """A plausible WeChat export entry with tricky text in it."""
    return {
        "文章标识符aid": draw(st.one_of(st.text(max_size=12), st.integers())),
        "标题title": draw(tricky_text),
        "链接url": draw(st.sampled_from(["https://example.invalid/a", "", "javascript:alert(1)"])),
        "时间time": draw(st.sampled_from(["2026-01-05", "2026/1/5", "昨天", "", "9999-99-99",
                                          "1700000000", "-1"])),
        "公众号名称": draw(tricky_text),
        "finalContent": draw(st.one_of(tricky_text, control_text, surrogate_text)),
    }


@st.composite
def wrong_type_entry(draw) -> dict:
    """A good entry with one field (or a new one) holding a value of any JSON type."""
    entry = draw(good_entry())
    key = draw(st.sampled_from(KNOWN_KEYS))
    entry[key] = draw(json_values)
    return entry


def _dump(doc: object, ensure_ascii: bool) -> bytes:
    text = json.dumps(doc, ensure_ascii=ensure_ascii)
    # without ensure_ascii a lone surrogate can only be written as broken UTF-8 bytes
    return text.encode("utf-8", "surrogatepass")


@st.composite
def json_file(draw) -> bytes:
    entries = draw(st.lists(st.one_of(good_entry(), wrong_type_entry(), json_values), max_size=6))
    shape = draw(st.sampled_from(["array", "object", "nested", "single"]))
    doc: object = entries
    if shape == "object":
        doc = {"articles": entries}
    elif shape == "nested":
        doc = {"data": {"list": entries}, "code": 0}
    elif shape == "single":
        doc = entries[0] if entries else {}
    data = _dump(doc, draw(st.booleans()))
    if draw(st.booleans()):  # truncated anywhere
        data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
    return data


@st.composite
def deep_json(draw) -> bytes:
    depth = draw(st.sampled_from([2, 50, 900, 1000, 5000, 100_000]))
    opener = draw(st.sampled_from(["[", '{"a":', '[{"finalContent":"正文","x":', '{"data":']))
    closer = {"[": "]", '{"a":': "}", '[{"finalContent":"正文","x":': "}]", '{"data":': "}"}[opener]
    inner = draw(st.sampled_from(["1", '"正文"', "[]", "{}", ""]))
    closed = draw(st.booleans())
    return (opener * depth + inner + (closer * depth if closed else "")).encode()


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk", "big5",
             "utf-32", "latin-1", "shift_jis"]


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "replace" if encoding not in ("utf-8", "utf-8-sig") else
                       "surrogatepass")


@st.composite
def text_file(draw) -> bytes:
    """A plain article or a page, in one encoding or several mixed together."""
    kind = draw(st.sampled_from(["plain", "marked", "unmarked"]))
    paragraphs = draw(st.lists(tricky_text.map(lambda t: t + "。"), min_size=1, max_size=8))
    if kind == "plain":
        text = "\n".join(paragraphs)
    else:
        # an unmarked page needs a page signal besides its headlines: a masthead, bylines
        lines = [] if kind == "marked" else ["天津日报 2026年1月5日 星期一", ""]
        for p in paragraphs:
            head = draw(st.text(CJK, min_size=4, max_size=20))
            byline = "" if kind == "marked" else draw(
                st.sampled_from(["本报讯（记者 林晓）", "记者 周宁", "■记者 王音", ""]))
            lines += [("## " if kind == "marked" else "") + head, "", byline + p, ""]
        text = "\n".join(lines)
    if draw(st.sampled_from([True, True, False])):
        encoding = draw(st.sampled_from(["utf-8", "utf-8", "gb18030", *ENCODINGS]))
        return _encode(text, encoding)
    # mixed encodings: each paragraph in its own
    cut = draw(st.integers(0, len(text)))
    return _encode(text[:cut], draw(st.sampled_from(ENCODINGS))) + _encode(
        text[cut:], draw(st.sampled_from(ENCODINGS))
    )


@st.composite
def mangled(draw, base: st.SearchStrategy[bytes]) -> bytes:
    """Some file with NUL bytes, random bytes or a huge line spliced in."""
    data = draw(base)
    what = draw(st.sampled_from(["nul", "bytes", "long", "controls", "none"]))
    at = draw(st.integers(0, len(data)))
    if what == "nul":
        data = data[:at] + b"\x00" * draw(st.integers(1, 4)) + data[at:]
    elif what == "bytes":
        data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
    elif what == "controls":
        data = data[:at] + draw(control_text).encode("utf-8") + data[at:]
    elif what == "long":
        data = data[:at] + ("长" * draw(st.integers(1000, 60_000))).encode() + data[at:]
    return data


random_bytes = st.binary(max_size=4096)

#: every family of hostile files, by name (the figures in docs/RELIABILITY.md use these names)
FAMILIES: dict[str, st.SearchStrategy[bytes]] = {
    "random-bytes": random_bytes,
    "json": json_file(),
    "json-deep": deep_json(),
    "text": text_file(),
    "mangled-json": mangled(json_file()),
    "mangled-text": mangled(text_file()),
}


# ---------------------------------------------------------------------- invariants
class ImportChecker:
    """Imports one file at a time into ``lib`` and checks the database after each."""

    def __init__(self, lib: Library, workdir: Path) -> None:
        self.lib = lib
        self.workdir = workdir
        self.n = 0
        self.outcomes: Counter[str] = Counter()

    def run(self, data: bytes, name: str = "case") -> str:
        self.n += 1
        path = self.workdir / f"{self.n:06d}-{name}.txt"
        path.write_bytes(data)
        try:
            queued = _queued(self.lib)
            summary = self.lib.import_paths([path], update_index=False)
            outcome = check_import(self.lib, path, summary, queued_before=queued)
        finally:
            path.unlink()
        self.outcomes[outcome] += 1
        return outcome


def _readable_reason(reason: str) -> None:
    assert reason, "a failed file must say why"
    assert "\n" not in reason and len(reason) <= 300, reason
    assert "Traceback" not in reason, reason
    assert "internal error" not in reason, f"an importer or store bug: {reason}"


def check_import(
    lib: Library, path: Path, summary: ImportSummary, *, queued_before: int | None = None
) -> str:
    """The invariants of one imported file; returns 'failed' or the file's format."""
    from reader.core.importers import ImportFailure, parse_file

    assert len(summary.files) == 1, summary.files
    rep = summary.files[0]
    assert rep.status in ("added", "updated", "unchanged", "failed"), rep
    conn: sqlite3.Connection = lib.store.reader()
    stored_path = os.fsencode(path).decode("utf-8", "backslashreplace")
    rows = conn.execute(
        "SELECT id, title, subtitle, byline, source, date, url, external_id, body"
        " FROM articles WHERE source_file = ? ORDER BY page_index, id",
        (stored_path,),
    ).fetchall()
    files = conn.execute(
        "SELECT articles FROM imported_files WHERE path = ?", (stored_path,)
    ).fetchall()
    if rep.status == "failed":
        _readable_reason(rep.reason)
        assert rows == [] and files == [], "a failed file left rows behind"
        if queued_before is not None:
            assert _queued(lib) == queued_before, "a failed file queued index work"
        return "failed"
    # a clean import: every draft the importer made is stored whole, nothing else
    try:
        drafts = parse_file(path).articles
    except ImportFailure as e:  # pragma: no cover - the import just succeeded
        raise AssertionError(f"imported, but parse_file now fails: {e}") from None
    # the library drops drafts whose text normalises to nothing (NUL-only bodies and the like)
    drafts = [d for d in drafts if normalize(_scrub(d.body)).strip()]
    if rep.reason == "already imported":
        assert files == [] and rows == []
        return rep.format or "unchanged"
    assert len(files) == 1 and files[0][0] == len(drafts), (files, len(drafts))
    assert rep.added + rep.updated + rep.unchanged == len(drafts), rep
    assert len(rows) == rep.added, (len(rows), rep)
    for r in rows:
        for col in ("title", "subtitle", "byline", "source", "date", "url", "external_id", "body"):
            v = r[col]
            assert isinstance(v, str), (col, v)
            v.encode("utf-8")  # storable and readable back
        assert r["title"].strip() and r["body"].strip(), "an empty article was stored"
        assert "\x00" not in r["body"] and "\r" not in r["body"]
        assert normalize(r["body"]) == r["body"], "the stored body is not normalised"
    # nothing truncated: each stored article is one of the drafts, whole
    expected = {normalize(_scrub(d.body)) for d in drafts}
    for r in rows:
        assert r["body"] in expected, "a stored body differs from what the importer read"
    return rep.format or "?"


def _scrub(s: str) -> str:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s


def _queued(lib: Library) -> int:
    return lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0]
