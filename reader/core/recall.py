"""Recall beyond tags (issue 17): highlight search, related articles, suggested tags, pinyin
matching of tags. Qt-free; every function takes an open :class:`~reader.core.library.Library`
and uses its public methods and search index only.

* :func:`search_highlights` — the article search's query language and folding (width, case,
  繁→简) over the quotes, notes and tags of every highlight; substring-complete.
* :func:`related_articles` — up to five articles sharing the open one's key terms (the index's
  more-like-this, :mod:`index.keyterms`), each with the shared words.
* :func:`suggest_tags` — up to five tags for an article or a highlight: the user's existing tags
  found in the text first, then TF-IDF keywords (jieba's nouns, names and places; IDF from the
  user's own library; news boilerplate, numbers and dates left out). ``jieba.posseg`` is imported
  on the first suggestion, never at start-up.
* :func:`tag_matches` — does a filter/completion query match a tag, by text or by pinyin
  (``gangkou``, ``gk``, ``gangk`` all find 港口).
"""

from __future__ import annotations

import functools
import math
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from index import analysis, keyterms, textmatch

if TYPE_CHECKING:
    from reader.core.library import Library
    from reader.core.model import Article

MAX_RELATED = 5
MAX_SUGGESTIONS = 5


# ---------------------------------------------------------------------- highlight search
class _FoldCache:
    """Folded highlight records by uuid, valid while the highlight's ``updated`` stays."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.data: dict[str, tuple[str, dict[str, Any]]] = {}

    def get(self, h: Any) -> dict[str, Any]:
        key = f"{h.updated}\x00{h.article_title}\x00{'|'.join(h.tags)}"
        got = self.data.get(h.uuid)
        if got is not None and got[0] == key:
            return got[1]
        rec = textmatch.fold_record({
            "quote": h.quote, "note": h.note, "tags": h.tags, "title": h.article_title,
            "date": _date_number(h.article_date),
        })
        with self.lock:
            if len(self.data) > 200_000:
                self.data.clear()
            self.data[h.uuid] = (key, rec)
        return rec


_FOLDED = _FoldCache()


def _date_number(date: str) -> int:
    d = (date or "").strip()
    if len(d) >= 10 and d[4] == "-" and d[7] == "-" and d[:4].isdigit():
        try:
            return int(d[:4]) * 10000 + int(d[5:7]) * 100 + int(d[8:10])
        except ValueError:
            return 0
    return 0


def search_highlights(lib: Library, text: str, *, highlights: list[Any] | None = None) -> list[str]:
    """The uuids of the highlights whose quote, note or tags match ``text`` — the article
    search's query language (terms, "phrases", OR, -NOT, note: tag: title: date:), folded the
    same way (width, case, Traditional = Simplified), every substring found. Order: that of
    ``highlights`` (default: every live highlight, newest first). Raises index.QueryError (a
    ValueError with ``.message``) for a malformed query; a blank query matches all."""
    hls = lib.highlights() if highlights is None else highlights
    if not text.strip():
        return [h.uuid for h in hls]
    records = [_FOLDED.get(h) for h in hls]
    if _asks_source(text):  # source: / byline: need the articles' sources (one query)
        from reader.core.library import ArticleFilter

        ids = sorted({h.article_id for h in hls})
        src = {a.id: analysis.fold(f"{a.source}\n{a.byline}")
               for a in lib.articles(ArticleFilter(ids=ids), limit=None)} if ids else {}
        records = [{**r, "source": src.get(h.article_id, "")}
                   for r, h in zip(records, hls, strict=True)]
    return [hls[i].uuid for i in textmatch.search(text, records)]


def _asks_source(text: str) -> bool:
    """Does the query have a ``source:``/``byline:`` term anywhere (under NOT too)?"""
    from index.query import Not, Unit, parse

    try:
        stack: list[Any] = [parse(text)]
    except ValueError:
        return False  # textmatch.search raises it for the caller
    while stack:
        n = stack.pop()
        if isinstance(n, Unit) and n.field in ("source", "byline"):
            return True
        stack.extend(getattr(n, "children", None) or [])
        if isinstance(n, Not):
            stack.append(n.child)
    return False


# ---------------------------------------------------------------------- related articles
@dataclass
class RelatedArticle:
    article: Article
    score: float
    terms: list[str] = field(default_factory=list)  # the shared key words, weightiest first

    def to_json(self) -> dict[str, Any]:
        a = self.article
        return {"id": a.id, "uuid": a.uuid, "title": a.title, "source": a.source,
                "date": a.date, "score": round(self.score, 4), "shared": self.terms}


def related_articles(lib: Library, article_id: int, k: int = MAX_RELATED) -> list[RelatedArticle]:
    """Up to ``k`` articles related to ``article_id`` (the trash left out), best first."""
    from reader.core.library import ArticleFilter

    art = lib.article(article_id)
    idx = lib.index(wait=False)
    hits = idx.related(article_id, art.title or "", art.body or "", k=k)
    arts = {a.id: a for a in lib.articles(ArticleFilter(ids=[h.id for h in hits]), limit=None)}
    return [RelatedArticle(arts[h.id], h.score, h.terms) for h in hits if h.id in arts]


# ---------------------------------------------------------------------- suggested tags
#: jieba part-of-speech flags kept as tag candidates: nouns, person names, places,
#: organisations, other proper nouns, Latin words.
TAG_POS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "nw", "eng"})
#: A person name right after one of these is a byline, not a topic.
_BYLINE_WORDS = frozenset({"记者", "通讯员", "编辑", "责编", "摄影", "摄", "实习生", "作者",
                           "撰稿", "供稿", "校对", "审核"})
_POS_LOCK = threading.Lock()
#: flags of a word that may start a compound tag with the noun after it
_COMPOUND_HEAD = frozenset({"n", "ns", "nz", "nt", "vn", "b"})
_COMPOUND_TAIL = frozenset({"n", "nz", "nt"})


@functools.cache
def _pos_tokenizer() -> Any:
    """jieba's part-of-speech tagger over Pizhu's configured tokenizer (user dictionary
    included). Imported here, on the first suggestion: it loads its own tables (memory)."""
    import jieba.posseg

    from index.analysis import _SEG

    # (types-jieba leaves out POSTokenizer's tokenizer argument)
    return jieba.posseg.POSTokenizer(_SEG.get())  # type: ignore[call-arg]


@dataclass
class TagSuggestion:
    tag: str
    existing: bool  # one of the user's tags
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"tag": self.tag, "existing": self.existing, "score": round(self.score, 4)}


def keywords(text: str, title: str = "", byline: str = "") -> Counter[str]:
    """Candidate tag words of a text: nouns, names and places by jieba's POS tags (title words
    count :data:`index.keyterms.TITLE_WEIGHT` times), without boilerplate, numbers, dates and
    the names of its byline. Keys are the words as written (width-folded)."""
    counts: Counter[str] = Counter()
    skip = {w for w in analysis.words(analysis.fold(byline))} if byline else set()
    compounds: Counter[str] = Counter()
    parts_of: dict[str, tuple[str, str]] = {}
    with _POS_LOCK:
        pt = _pos_tokenizer()
        for part, weight in ((text[: keyterms.MAX_CHARS], 1), (title, keyterms.TITLE_WEIGHT)):
            prev, prev_flag = "", ""
            for pair in pt.cut(analysis.fold_width(part)):
                w, flag = pair.word.strip(), pair.flag
                if not w:
                    prev, prev_flag = "", ""
                    continue
                if (flag in TAG_POS and keyterms.is_candidate(analysis.fold(w))
                        and not (flag.startswith("nr") and prev in _BYLINE_WORDS)
                        and analysis.fold(w) not in skip):
                    counts[w] += weight
                    # a noun after a noun-like word (养老+服务, 社区+食堂, 智能+手环): a compound
                    if (weight == 1 and prev and prev_flag in _COMPOUND_HEAD
                            and flag in _COMPOUND_TAIL and len(prev) + len(w) <= 6
                            and keyterms.is_candidate(analysis.fold(prev))):
                        c = prev + w
                        compounds[c] += 1
                        parts_of[c] = (prev, w)
                prev, prev_flag = w, flag
    # compounds that recur are kept, and take the counts of their parts
    for c, n in compounds.items():
        if n >= 2 and c not in skip:
            counts[c] += n + (keyterms.TITLE_WEIGHT if c in title else 0)
            for p in parts_of[c]:
                if p in counts:
                    counts[p] -= n
                    if counts[p] <= 0:
                        del counts[p]
    return counts


def tag_score(tf: float, df: int, n_docs: int) -> float:
    """How good a tag a word makes: its (title-weighted) count in the text times the square root
    of its IDF in the library. The count is linear, not damped (in a news article the topic is
    what repeats), and the IDF softened: in a library of thousands, plain IDF prefers a word
    said once that the library rarely has (东南亚, 途经) over the article's subject (港口, 政务),
    which other articles share. On the fixture articles (bench/recall.py suggest) precision@5
    went from 0.30 with (1 + ln tf)·idf to 0.53 in a 2,008-article library, unchanged (0.53) in
    the 8-article one."""
    return tf * math.sqrt(max(keyterms.idf(max(n_docs, 1), df), 0.0))


def suggest_tags(
    lib: Library, article_id: int | None = None, *, highlight: str | None = None,
    k: int = MAX_SUGGESTIONS,
) -> list[TagSuggestion]:
    """Up to ``k`` tags for an article or (``highlight`` = uuid) a highlight that it does not
    have yet, best first: the user's existing tags whose name (or last part, for nested tags)
    occurs in the text come first, then keywords by TF-IDF with the library's IDF."""
    byline = ""
    if highlight is not None:
        h = lib.highlight(highlight)
        text, title, have = f"{h.quote}\n{h.note}", "", set(h.tags)
    elif article_id is not None:
        art = lib.article(article_id)
        text, title, have = art.body or "", art.title or "", set(art.tags)
        byline = getattr(art, "byline", "") or ""
    else:
        raise ValueError("suggest_tags needs an article or a highlight")
    have_f = {analysis.fold(t) for t in have}
    folded_text = analysis.fold(f"{title}\n{text}")
    out: dict[str, TagSuggestion] = {}
    # 1. the user's own tags found in the text (by name, or by the last part of a nested tag)
    existing = [t.name for t in lib.tags()]
    leaf_of: dict[str, str] = {}
    for name in existing:
        if analysis.fold(name) in have_f:
            continue
        leaf = name.rsplit("/", 1)[-1].strip()
        fl = analysis.fold(leaf)
        if len(fl) < 2 and not fl.isalnum():
            continue
        leaf_of.setdefault(fl, name)
        n = folded_text.count(fl) if fl else 0
        if n:
            out[name] = TagSuggestion(name, True, 100.0 + n)
    # 2. keywords, TF-IDF with the library's document frequencies
    counts = keywords(text, title, byline)
    if counts:
        try:
            n_docs, dfs = lib.index(wait=False).doc_frequencies(
                {analysis.fold(w) for w in counts})
        except Exception:  # noqa: BLE001 - no usable index: term frequency alone
            n_docs, dfs = 1, {}
        for w, tf in counts.items():
            fw = analysis.fold(w)
            if fw in have_f:
                continue
            df = dfs.get(fw, 0)
            score = tag_score(tf, df, n_docs)
            tag = leaf_of.get(fw)
            if tag is not None:  # a keyword that is one of the user's tags: theirs
                if tag in out:
                    continue
                out[tag] = TagSuggestion(tag, True, 100.0 + score)
            elif fw not in {analysis.fold(s.tag) for s in out.values()}:
                out[w] = TagSuggestion(w, False, score)
    ranked = sorted(out.values(), key=lambda s: (-s.score, s.tag))
    return ranked[:k]


# ---------------------------------------------------------------------- pinyin
def _readings(ch: str) -> tuple[str, ...]:
    from reader.core.text import _pinyin_table

    r = _pinyin_table().get(ord(ch))
    if r is None:
        return ()
    return _toneless(r)


@functools.lru_cache(maxsize=4096)
def _toneless(readings: str) -> tuple[str, ...]:
    out = []
    for r in readings.split(","):
        d = unicodedata.normalize("NFD", r).replace("u\u0308", "v")
        s = "".join(c for c in d if not unicodedata.combining(c)).lower()
        if s and s not in out:
            out.append(s)
    return tuple(out)


def tag_matches(query: str, tag: str) -> bool:
    """True if ``query`` finds ``tag`` in a tag filter or completer: a substring of the tag
    (width, case and 繁简 folded), or pinyin (case-blind, spaces and ' ignored) that spells
    consecutive characters of the tag, each by its whole syllable or a beginning of it:
    ``gangkou``, ``gk``, ``gangk`` and ``kou`` all find 港口; ``zhengce`` finds 政策/京津冀."""
    q = query.strip()
    if not q:
        return True
    if analysis.fold(q) in analysis.fold(tag):
        return True
    letters = "".join(c for c in q.lower() if c not in " '’")
    if not letters.isascii() or not letters.isalpha():
        return False
    chars = list(analysis.fold(tag))
    readings = [_readings(c) or ((c,) if c.isascii() and c.isalnum() else ()) for c in chars]
    n, m = len(chars), len(letters)

    @functools.cache
    def walk(i: int, j: int) -> bool:
        if j == m:
            return True
        if i == n:
            return False
        for r in readings[i]:
            # the whole syllable, or (initials, an unfinished last syllable) a beginning of it
            k = 0
            while k < len(r) and j + k < m and r[k] == letters[j + k]:
                k += 1
            for used in range(k, 0, -1):
                if walk(i + 1, j + used):
                    return True
        return False

    return any(walk(i, 0) for i in range(n) if readings[i])
