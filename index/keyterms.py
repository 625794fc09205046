"""Key terms of a text against the index, and the articles that share them ("more like this").

An article's key terms are its jieba words weighted by TF-IDF, the IDF coming from the index
itself (the user's own library): ``(1 + ln tf) · ln(N / df)``, title words counted
:data:`TITLE_WEIGHT` times. Words that cannot describe a topic are left out: single characters,
numbers, dates, Latin fragments shorter than three letters, the boilerplate of Chinese news
(:data:`NEWS_STOPWORDS`: 记者, 本报, 日电, 同比 …) and words found in more than
:data:`MAX_DF_SHARE` of the documents.

:func:`related` scores every article by BM25 of those terms in its word fields (body and title),
each term weighted by its key-term weight, over the postings the fast path already reads (one
numpy pass per term and segment, no Whoosh matcher tree): a document must share at least
:data:`MIN_SHARED` key terms. Each result says which key terms it shares (the "why").
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from index import analysis

#: Words of news boilerplate that never make a topic (compared after folding).
_STOPWORDS_TEXT = """
    记者 本报 本报讯 日电 电讯 新华社 新华网 中新社 中新网 人民网 央视 央视网 通讯员 编辑 责编
    责任编辑 校对 审核 来源 原标题 图片 摄影 供图 摄 图为 视频 客户端 公众号 微信 转载 声明
    同比 环比 增长 下降 增加 减少 同期 上年 去年 今年 明年 前年 当年 当天 当日 今天 昨天
    明天 日前 近日 目前 近期 此前 此外 同时 其中 以及 以上 以下 左右 约 多个 一些 一批 一个
    有关 相关 方面 工作 问题 情况 进行 开展 推进 推动 加强 加快 持续 不断 进一步 全面 积极
    表示 介绍 指出 认为 强调 称 据悉 获悉 据了解 了解到 报道 消息 发布 发布会 会上 会议 活动
    部门 单位 负责人 工作人员 有限公司 公司 集团 市民 群众 大家 我们 他们 这些 那些 这个
    那个 自己 记者从 上午 下午 晚上 凌晨 期间 时间 时候 第一 第二 第三 首次 全年 全市 全省
    全国 百分点 百分之 亿元 万元 千元 元 万人 人次 年度 季度 月份 星期 周一 周二 周三 周四
    周五 周六 周日 这里 那里 这样 那样 提供 通过 成为 实现 主要 重要 重点 不再 更加 还是 已经
    一步 下一步 服务
    """
NEWS_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
#: Title words count this many times.
TITLE_WEIGHT = 3
#: Words in more than this share of the documents are no key terms.
MAX_DF_SHARE = 0.2
#: Related articles are found from the key terms of the first this many characters (the
#: segmentation is most of the cost; a news article says what it is about early).
RELATED_CHARS = 3000
#: Related articles: a key term must be in at most this share of the documents (a word that
#: one article in twenty has tells little about which are related, and its postings cost most).
RELATED_MAX_DF_SHARE = 0.05
#: How many key terms describe an article for :func:`related`.
KEY_TERMS = 16
#: A related article shares at least this many key terms.
MIN_SHARED = 2
#: Only the start of a very long article is segmented for its key terms (jieba costs ~10 ms per
#: 4,000 characters; the opening of a news article carries its topic).
MAX_CHARS = 6000

_DATEISH = re.compile(r"^[\d０-９〇零一二三四五六七八九十百千万亿两几多余第]+[年月日号时分秒点届次期版个名位家条项%％]*$")
_NUMERIC = re.compile(r"^[\d.,%％\-+]+$")


def is_candidate(word: str) -> bool:
    """True if the (folded) jieba word may be a key term or a tag suggestion."""
    if len(word) < 2 or word in NEWS_STOPWORDS:
        return False
    if _NUMERIC.match(word) or _DATEISH.match(word):
        return False
    if word.isascii():
        return len(word) >= 3 and any(c.isalpha() for c in word)
    return any(analysis.is_cjk(c) for c in word)


_COUNTS: OrderedDict[tuple[str, str, str], Counter[str]] = OrderedDict()
_COUNTS_KEEP = 256
_COUNTS_LOCK = threading.Lock()


def term_counts(title: str, body: str, max_chars: int = MAX_CHARS) -> Counter[str]:
    """Candidate words of an article with their weighted counts (title words count
    :data:`TITLE_WEIGHT` times); segmentation of the first ``max_chars`` of the body. The
    counts of the last :data:`_COUNTS_KEEP` texts are kept (an article opened again, the
    segmentation is most of the cost); they depend on the text alone, the weights
    (:func:`weigh`) on the library and are computed each time."""
    key = (analysis.segmenter_id(), title, body[:max_chars])
    with _COUNTS_LOCK:
        got = _COUNTS.get(key)
        if got is not None:
            _COUNTS.move_to_end(key)
            return Counter(got)
    counts = _term_counts(title, key[2])
    with _COUNTS_LOCK:
        _COUNTS[key] = counts
        while len(_COUNTS) > _COUNTS_KEEP:
            _COUNTS.popitem(last=False)
    return Counter(counts)


def _term_counts(title: str, body: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for w in analysis.words(analysis.fold(body)):
        if is_candidate(w):
            counts[w] += 1
    for w in analysis.words(analysis.fold(title)):
        if is_candidate(w):
            counts[w] += TITLE_WEIGHT
    return counts


def idf(n_docs: int, df: int) -> float:
    return math.log((n_docs + 1) / (df + 0.5))


def weigh(
    counts: Counter[str], df_of: Callable[[str], int], n_docs: int, *, max_df: float = MAX_DF_SHARE,
    min_df: int = 1,
) -> list[tuple[str, float]]:
    """(word, weight) best first: TF-IDF with the library's document frequencies. Words with a
    document frequency under ``min_df`` or above ``max_df`` of the documents are left out."""
    out = []
    # (a small library keeps words shared by up to half of it, at most twenty documents)
    cap = max(2, int(n_docs * max_df), min(20, n_docs // 2))
    for w, tf in counts.items():
        df = df_of(w)
        if df < min_df or df > cap:
            continue
        out.append((w, (1.0 + math.log(tf)) * idf(n_docs, df)))
    out.sort(key=lambda t: (-t[1], t[0]))
    return out


@dataclass
class RelatedHit:
    id: int
    score: float
    #: the key terms it shares with the article, most weighty first
    terms: list[str] = field(default_factory=list)


# BM25 as in index.fastpath
_K1, _B = 1.2, 0.75
#: The word fields compared, with their boosts (index.schema.DEFAULT_FIELDS).
FIELDS = {"body": 1.0, "title": 2.0}


def related(
    fast: Any, searcher: Any, article_id: int, terms: list[tuple[str, float]], k: int = 5,
    *, min_shared: int = MIN_SHARED,
) -> list[RelatedHit]:
    """The ``k`` articles (never ``article_id``) that best share the weighted ``terms``."""
    from index.fastpath import _LEN_NP, _Seg

    if not terms or k <= 0:
        return []
    subs = searcher.subsearchers if not searcher.is_atomic() else [(searcher, 0)]
    segs = [_Seg(sub.reader(), off) for sub, off in subs if sub.reader().segment() is not None]
    if not segs:
        return []
    size = searcher.doc_count_all()
    score = np.zeros(size, dtype=np.float64)
    shared = np.zeros(size, dtype=np.int32)
    # per term: a bool array over the documents, True where it occurs (in either field)
    present: list[Any] = [None for _ in terms]
    for fieldname, boost in FIELDS.items():
        avgfl = searcher.avg_field_length(fieldname) or 1.0
        for ti, (word, weight) in enumerate(terms):
            tb = word.encode("utf-8")
            if not fast.df(searcher, fieldname, tb):
                continue
            w_idf = searcher.idf(fieldname, tb) * boost * weight
            for seg in segs:
                p = fast.postings(seg, fieldname, tb, False)
                if p is None:
                    continue
                ids = p.np_ids()
                lens = _LEN_NP[fast.lengths_np(seg.reader, fieldname)[ids]]
                tf = p.np_tfs().astype(np.float64)
                g = (tf * (_K1 + 1)) / (tf + _K1 * ((1 - _B) + _B * lens / avgfl))
                gids = ids.astype(np.intp) + seg.offset
                score[gids] += w_idf * g
                if present[ti] is None:
                    present[ti] = np.zeros(size, dtype=bool)
                present[ti][gids] = True
    for mask in present:
        if mask is not None:
            shared += mask
    ok = shared >= min_shared
    for seg in segs:
        n = seg.reader.doc_count_all()
        aids = fast.aids(seg)
        part = ok[seg.offset : seg.offset + n]
        part &= (aids > 0) & (aids != int(article_id))
        if seg.deleted:
            part &= seg.alive(n)
    cand = np.flatnonzero(ok)
    if not len(cand):
        return []
    take = min(k, len(cand))
    best = cand[np.argpartition(-score[cand], take - 1)[:take]]
    ranked: list[int] = sorted(best.tolist(), key=lambda d: (-score[d], d))
    out = []
    for doc in ranked:
        why = [terms[ti][0] for ti, mask in enumerate(present)
               if mask is not None and mask[doc]]
        stored = searcher.stored_fields(doc)
        out.append(RelatedHit(int(stored["id"]), float(score[doc]), why))
    return out


def doc_frequencies(
    fast: Any, searcher: Any, words: Iterable[str], fieldname: str = "body"
) -> dict[str, int]:
    return {w: fast.df(searcher, fieldname, w.encode("utf-8")) for w in words}
