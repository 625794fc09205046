"""Turning a parsed query tree (:mod:`index.query`) into a Whoosh query."""

from __future__ import annotations

from whoosh import query as wq

from index import analysis
from index.matching import CharQuery, SubstringQuery
from index.query import And, DateRange, Everything, Node, Not, Or, Unit
from index.schema import DEFAULT_FIELDS, GRAM_SUFFIX, normalize_tag

#: Whole-word matches (jieba words of the query found as words in the document) would add this
#: share of a field's boost on top of the substring score; off, like index.fastpath.WORD_BONUS,
#: so that both ways of answering a query rank alike.
WORD_BONUS = 0.0
TAG_BOOST = 2.0


def unit_query(u: Unit) -> wq.Query | None:
    t = u.text
    if not t:
        return None
    if u.field == "tag":
        tag = normalize_tag(t)
        return wq.Term("tag", tag) if tag else None
    fields = DEFAULT_FIELDS if u.field is None else {u.field: 1.0}
    subs: list[wq.Query] = []
    if len(t) >= 2:
        for f, b in fields.items():
            subs.append(SubstringQuery(f + GRAM_SUFFIX, t, boost=b))
    elif analysis.char_class_ok(t):
        for f, b in fields.items():
            subs.append(CharQuery(f, f + GRAM_SUFFIX, t, boost=b))
    else:
        return None
    if u.field is None:
        tag = normalize_tag(t)
        if tag:
            subs.append(wq.Term("tag", tag, boost=TAG_BOOST))
    q: wq.Query = subs[0] if len(subs) == 1 else wq.Or(subs)
    if WORD_BONUS and len(t) >= 2:
        ws = [w for w in analysis.words(t) if analysis.char_class_ok(w)]
        bonus = [wq.Term(f, w, boost=b * WORD_BONUS) for f, b in fields.items() for w in ws]
        if bonus:
            q = wq.AndMaybe(q, bonus[0] if len(bonus) == 1 else wq.Or(bonus))
    return q


def to_whoosh(node: Node | None) -> wq.Query:
    q = _convert(node)
    return q if q is not None else wq.NullQuery


def _convert(node: Node | None) -> wq.Query | None:
    if node is None:
        return None
    if isinstance(node, Unit):
        return unit_query(node)
    if isinstance(node, DateRange):
        return wq.NumericRange("date", node.start, node.end)
    if isinstance(node, Everything):
        return wq.Every()
    if isinstance(node, Not):
        inner = _convert(node.child)
        if inner is None:
            return None
        return wq.AndNot(wq.Every(), inner)
    if isinstance(node, And):
        pos: list[wq.Query] = []
        neg: list[wq.Query] = []
        for c in node.children:
            if isinstance(c, Not):
                q = _convert(c.child)
                if q is not None:
                    neg.append(q)
            else:
                q = _convert(c)
                if q is not None:
                    pos.append(q)
        if not pos and not neg:
            return None
        base: wq.Query = wq.Every() if not pos else pos[0] if len(pos) == 1 else wq.And(pos)
        if neg:
            base = wq.AndNot(base, neg[0] if len(neg) == 1 else wq.Or(neg))
        return base
    if isinstance(node, Or):
        kids = [q for q in (_convert(c) for c in node.children) if q is not None]
        if not kids:
            return None
        return kids[0] if len(kids) == 1 else wq.Or(kids)
    return None
