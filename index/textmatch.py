"""The query language evaluated on small in-memory records (highlights: quote, note, tags).

Same parser, same folding (width, case, Traditional → Simplified: :func:`index.analysis.fold`) and
the same matching rules as the index: a term matches where its folded string occurs as a
substring (so recall is substring-complete by construction), ``tag:`` matches a whole tag or any
tag under it (``tag:政策`` finds ``政策/京津冀``), ``date:`` the record's date, and when nothing
matches the unquoted multi-word terms are split into jieba words, all of which must match
(:func:`index.query.split_into_words`). For thousands of records a linear scan of the folded
texts is a few milliseconds, and it needs no index documents for quotes (the quote is part of the
article body, which the index holds as one text).

Record fields: ``quote`` (searched as ``body:``/``text:``), ``note``, ``tags`` (list), ``title``,
``source``, ``date`` (yyyymmdd int, 0 for none). Unfielded terms search quote, note and tags.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from index import analysis
from index.query import And, DateRange, Everything, Node, Not, Or, Unit, parse, split_into_words
from index.schema import normalize_tag

#: query field -> record field
_FIELD = {"body": "quote", "note": "note", "title": "title", "subtitle": "title",
          "source": "source", "byline": "source"}
_DEFAULT = ("quote", "note")
_tag = functools.lru_cache(maxsize=1024)(normalize_tag)  # once per query term, not per record


def fold_record(rec: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its texts folded and its tags normalised with their ancestors."""
    out: dict[str, Any] = {k: analysis.fold(str(rec.get(k) or "")) for k in
                           ("quote", "note", "title", "source")}
    tags: set[str] = set()
    for t in rec.get("tags") or ():
        name = normalize_tag(str(t))
        parts = name.split("/")
        for i in range(1, len(parts) + 1):
            tags.add("/".join(parts[:i]).strip())
    out["tags"] = tags
    out["date"] = int(rec.get("date") or 0)
    return out


def _unit(u: Unit, rec: Mapping[str, Any]) -> bool:
    text = u.text
    if not text:
        return True
    if u.field == "tag":
        return _tag(text) in rec["tags"]
    if u.field is None:
        return text in rec["quote"] or text in rec["note"] or _tag(text) in rec["tags"]
    return text in rec.get(_FIELD.get(u.field, ""), "")


def matches(node: Node | None, rec: Mapping[str, Any]) -> bool:
    """Does the folded record (:func:`fold_record`) match the parsed query?"""
    if node is None or isinstance(node, Everything):
        return True
    if isinstance(node, Unit):
        return _unit(node, rec)
    if isinstance(node, And):
        return all(matches(c, rec) for c in node.children)
    if isinstance(node, Or):
        return any(matches(c, rec) for c in node.children)
    if isinstance(node, Not):
        return not matches(node.child, rec)
    if isinstance(node, DateRange):
        d = rec.get("date") or 0
        if not d:
            return False
        return (node.start is None or d >= node.start) and (node.end is None or d <= node.end)
    return False


def search(query: str, records: Sequence[Mapping[str, Any]]) -> list[int]:
    """Indexes of the folded records matching ``query``, in their order (the jieba-word
    fall-back when none matches the whole strings). Raises index.QueryError when malformed."""
    node = parse(query)
    if node is None:
        return []
    found = [i for i, r in enumerate(records) if matches(node, r)]
    if not found:
        alt, changed = split_into_words(node)
        if changed:
            found = [i for i, r in enumerate(records) if matches(alt, r)]
    return found


def fold_all(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [fold_record(r) for r in records]
