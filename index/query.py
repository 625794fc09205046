"""The query language, parsed into a small tree, then turned into Whoosh queries.

Syntax (all operators and field names also in their full-width forms, which fold to these):

* ``天津 政策`` — several terms: all must match (AND).
* ``京津冀协同发展`` — one term: matches wherever that exact string occurs (after width folding and
  lower-casing), whatever jieba made of it; ranked by BM25F of that string (title matches first).
  If no article contains the exact string, the search is repeated with the term split into jieba
  words, all of which must match.
* ``"协同发展"`` or ``“协同发展”`` — a phrase: the exact string, spaces included (runs of spaces
  collapse to one). Never split into words.
* ``a OR b``, ``a AND b``, ``NOT a``, ``-a``, ``( … )``.
* ``title:`` ``subtitle:`` ``body:`` ``source:`` ``byline:`` ``note:`` ``tag:`` before a term, a phrase
  or a parenthesised group (also ``标题:`` ``来源:`` ``作者:`` ``批注:`` ``标签:`` ``正文:``).
  ``tag:`` matches a whole tag.
* ``date:2026-01-15``, ``date:2026-01``, ``date:2026``, ``date:2026-01-01..2026-01-31`` (either end
  may be left open), ``date:>=2026-01-15`` (also ``>`` ``<`` ``<=``); ``/`` or ``.`` may separate.

Malformed input raises :class:`QueryError` with a message and the position (a code point offset
into the query). Nothing else is ever raised by :func:`parse`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from index import analysis

MAX_QUERY_CHARS = 1000
MAX_UNITS = 64
MAX_DEPTH = 32


class QueryError(ValueError):
    """A malformed query; ``message`` is readable, ``position`` a code point offset or None."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        super().__init__(message if position is None else f"{message} at {position}")


# ---------------------------------------------------------------------------------------------
# The tree


@dataclass
class Unit:
    """A term or phrase to find. ``text`` is folded; ``field`` None means the default fields."""

    text: str
    field: str | None = None
    quoted: bool = False
    pos: int = 0


@dataclass
class DateRange:
    start: int | None  # inclusive, yyyymmdd
    end: int | None  # inclusive, yyyymmdd
    pos: int = 0


@dataclass
class And:
    children: list[Node] = field(default_factory=list)


@dataclass
class Or:
    children: list[Node] = field(default_factory=list)


@dataclass
class Not:
    child: Node


@dataclass
class Everything:
    pass


Node = Unit | DateRange | And | Or | Not | Everything

FIELD_ALIASES = {
    "title": "title",
    "标题": "title",
    "subtitle": "subtitle",
    "副标题": "subtitle",
    "body": "body",
    "text": "body",
    "正文": "body",
    "source": "source",
    "来源": "source",
    "byline": "byline",
    "author": "byline",
    "作者": "byline",
    "note": "note",
    "notes": "note",
    "批注": "note",
    "笔记": "note",
    "tag": "tag",
    "tags": "tag",
    "标签": "tag",
    "date": "date",
    "日期": "date",
}

_OPEN_QUOTES = {'"': '"', "\u201c": "\u201d", "\u300c": "\u300d", "\u300e": "\u300f"}
_CLOSE_ONLY = {"\u201d", "\u300d", "\u300f"}
_SPECIAL = set("()") | set(_OPEN_QUOTES) | _CLOSE_ONLY

# ---------------------------------------------------------------------------------------------
# Lexer


@dataclass
class _Tok:
    kind: str  # WORD QUOTED LPAREN RPAREN AND OR NOT NEG PLUS FIELD
    text: str
    pos: int


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "(":
            toks.append(_Tok("LPAREN", ch, i))
            i += 1
            continue
        if ch == ")":
            toks.append(_Tok("RPAREN", ch, i))
            i += 1
            continue
        if ch in _OPEN_QUOTES:
            close = _OPEN_QUOTES[ch]
            j = q.find(close, i + 1)
            if j < 0 and close != '"':
                j = q.find('"', i + 1)
            if j < 0:
                raise QueryError("unbalanced quote", i)
            toks.append(_Tok("QUOTED", q[i + 1 : j], i))
            i = j + 1
            continue
        if ch in _CLOSE_ONLY:
            raise QueryError(f"closing quote {ch} without an opening one", i)
        if ch in "-+" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in ")":
            # a prefix only at the start of a term
            toks.append(_Tok("NEG" if ch == "-" else "PLUS", ch, i))
            i += 1
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] not in _SPECIAL:
            j += 1
        word = q[i:j]
        colon = word.find(":")
        if colon > 0 and word[:colon].lower() in FIELD_ALIASES:
            toks.append(_Tok("FIELD", FIELD_ALIASES[word[:colon].lower()], i))
            rest = word[colon + 1 :]
            if rest:
                toks.append(_Tok("WORD", rest, i + colon + 1))
            i = j
            continue
        if word in ("AND", "&&"):
            toks.append(_Tok("AND", word, i))
        elif word in ("OR", "||", "|"):
            toks.append(_Tok("OR", word, i))
        elif word == "NOT":
            toks.append(_Tok("NOT", word, i))
        else:
            toks.append(_Tok("WORD", word, i))
        i = j
    return toks


# ---------------------------------------------------------------------------------------------
# Parser


class _Parser:
    def __init__(self, toks: list[_Tok], qlen: int) -> None:
        self.toks = toks
        self.i = 0
        self.qlen = qlen
        self.units = 0
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def end_pos(self) -> int:
        t = self.peek()
        return t.pos if t is not None else self.qlen

    def parse(self) -> Node | None:
        if not self.toks:
            return None
        node = self.parse_or(None)
        t = self.peek()
        if t is not None:
            if t.kind == "RPAREN":
                raise QueryError("unbalanced parenthesis ')'", t.pos)
            raise QueryError(f"unexpected {t.text!r}", t.pos)
        return node

    def parse_or(self, fld: str | None) -> Node:
        items = [self.parse_and(fld)]
        while (t := self.peek()) is not None and t.kind == "OR":
            self.take()
            nt = self.peek()
            if nt is None or nt.kind in ("OR", "AND", "RPAREN"):
                raise QueryError("OR needs a term after it", t.pos)
            items.append(self.parse_and(fld))
        return items[0] if len(items) == 1 else Or(items)

    def parse_and(self, fld: str | None) -> Node:
        t = self.peek()
        if t is None:
            raise QueryError("a term is missing", self.qlen)
        if t.kind in ("AND", "OR"):
            raise QueryError(f"{t.text} needs a term before it", t.pos)
        if t.kind == "RPAREN":
            raise QueryError("unexpected ')'", t.pos)
        items = [self.parse_unary(fld)]
        while (t := self.peek()) is not None:
            if t.kind == "AND":
                self.take()
                nt = self.peek()
                if nt is None or nt.kind in ("OR", "AND", "RPAREN"):
                    raise QueryError("AND needs a term after it", t.pos)
                items.append(self.parse_unary(fld))
            elif t.kind in ("WORD", "QUOTED", "LPAREN", "NOT", "NEG", "PLUS", "FIELD"):
                items.append(self.parse_unary(fld))
            else:
                break
        return items[0] if len(items) == 1 else And(items)

    def parse_unary(self, fld: str | None) -> Node:
        t = self.take()
        if t.kind == "NOT":
            nt = self.peek()
            if nt is None or nt.kind in ("OR", "AND", "RPAREN"):
                raise QueryError("NOT needs a term after it", t.pos)
            return Not(self._nested(lambda: self.parse_unary(fld), t.pos))
        if t.kind == "NEG":
            return Not(self.parse_atom(self.take(), fld))
        if t.kind == "PLUS":
            return self.parse_atom(self.take(), fld)
        return self.parse_atom(t, fld)

    def _nested(self, fn: Callable[[], Node], pos: int) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError("query nested too deeply", pos)
        try:
            return fn()
        finally:
            self.depth -= 1

    def parse_atom(self, t: _Tok, fld: str | None) -> Node:
        if t.kind == "LPAREN":
            nt = self.peek()
            if nt is None:
                raise QueryError("unbalanced parenthesis '('", t.pos)
            if nt.kind == "RPAREN":
                raise QueryError("empty parentheses", t.pos)
            node = self._nested(lambda: self.parse_or(fld), t.pos)
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise QueryError("unbalanced parenthesis '('", t.pos)
            self.take()
            return node
        if t.kind == "FIELD":
            nt = self.peek()
            if nt is None or nt.kind not in ("WORD", "QUOTED", "LPAREN"):
                raise QueryError(f"nothing to search for after {t.text}:", t.pos)
            if t.text == "date":
                vt = self.take()
                if vt.kind != "WORD":
                    raise QueryError("date: needs a date such as 2026-01-15", vt.pos)
                return parse_date_value(vt.text, vt.pos)
            return self.parse_atom(self.take(), t.text)
        if t.kind == "WORD":
            return self.unit(t.text, fld, False, t.pos)
        if t.kind == "QUOTED":
            return self.unit(t.text, fld, True, t.pos)
        if t.kind == "RPAREN":
            raise QueryError("unexpected ')'", t.pos)
        raise QueryError(f"unexpected {t.text!r}", t.pos)

    def unit(self, text: str, fld: str | None, quoted: bool, pos: int) -> Node:
        self.units += 1
        if self.units > MAX_UNITS:
            raise QueryError(f"too many terms (at most {MAX_UNITS})", pos)
        text = " ".join(analysis.fold(text).split())
        if quoted and not text:
            raise QueryError("empty phrase", pos)
        return Unit(text, fld, quoted, pos)


_DATE_PART = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _date_bounds(s: str, pos: int) -> tuple[int, int]:
    """The first and last day (yyyymmdd) that a year, month or day designates."""
    m = _DATE_PART.match(s) or _DATE_COMPACT.match(s)
    if not m:
        raise QueryError(f"not a date: {s!r} (use 2026-01-15, 2026-01 or 2026)", pos)
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    if not 1 <= y <= 9999:
        raise QueryError(f"year out of range: {s!r}", pos)
    if mo is None:
        return y * 10000 + 101, y * 10000 + 1231
    if not 1 <= mo <= 12:
        raise QueryError(f"month out of range: {s!r}", pos)
    last = calendar.monthrange(y, mo)[1]
    if d is None:
        return y * 10000 + mo * 100 + 1, y * 10000 + mo * 100 + last
    if not 1 <= d <= last:
        raise QueryError(f"day out of range: {s!r}", pos)
    v = y * 10000 + mo * 100 + d
    return v, v


def _prev_day(v: int) -> int:
    import datetime as dt

    d = dt.date(v // 10000, v // 100 % 100, v % 100) - dt.timedelta(days=1)
    return d.year * 10000 + d.month * 100 + d.day


def _next_day(v: int) -> int:
    import datetime as dt

    d = dt.date(v // 10000, v // 100 % 100, v % 100)
    if d == dt.date.max:
        return v
    d += dt.timedelta(days=1)
    return d.year * 10000 + d.month * 100 + d.day


def parse_date_value(s: str, pos: int) -> DateRange:
    for op in (">=", "<=", ">", "<", "="):
        if s.startswith(op):
            rest = s[len(op) :]
            if not rest:
                raise QueryError(f"date:{op} needs a date", pos)
            lo, hi = _date_bounds(rest, pos + len(op))
            if op == ">=":
                return DateRange(lo, None, pos)
            if op == ">":
                return DateRange(_next_day(hi), None, pos)
            if op == "<=":
                return DateRange(None, hi, pos)
            if op == "<":
                return DateRange(None, _prev_day(lo) if lo > 10101 else 0, pos)
            return DateRange(lo, hi, pos)
    if ".." in s:
        a, _, b = s.partition("..")
        if not a and not b:
            raise QueryError("date range needs at least one end", pos)
        start = _date_bounds(a, pos)[0] if a else None
        end = _date_bounds(b, pos + len(a) + 2)[1] if b else None
        if start is not None and end is not None and start > end:
            raise QueryError("date range ends before it starts", pos)
        return DateRange(start, end, pos)
    lo, hi = _date_bounds(s, pos)
    return DateRange(lo, hi, pos)


def parse(query: str) -> Node | None:
    """Parse ``query`` into a tree; None for a blank query. Raises only :class:`QueryError`."""
    try:
        if not isinstance(query, str):
            raise QueryError("the query is not text", None)
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(f"query too long (at most {MAX_QUERY_CHARS} characters)", None)
        q = analysis.fold_width(query)  # operators are upper case: lower-case units later
        return _Parser(_lex(q), len(q)).parse()
    except QueryError:
        raise
    except RecursionError:
        raise QueryError("query nested too deeply", None) from None
    except Exception as exc:  # never anything but QueryError out of the parser
        raise QueryError(f"cannot read the query ({type(exc).__name__})", None) from exc


# ---------------------------------------------------------------------------------------------
# What a tree asks to highlight


def positive_units(node: Node | None, negated: bool = False) -> list[Unit]:
    """Units that must or may match (not under a NOT), in query order."""
    out: list[Unit] = []
    if node is None:
        return out
    if isinstance(node, Unit):
        if not negated:
            out.append(node)
    elif isinstance(node, (And, Or)):
        for c in node.children:
            out.extend(positive_units(c, negated))
    elif isinstance(node, Not):
        out.extend(positive_units(node.child, not negated))
    return out


def split_into_words(node: Node | None) -> tuple[Node | None, bool]:
    """The fallback tree: every unquoted multi-word unit becomes an AND of its jieba words.
    Returns (tree, changed)."""
    if node is None:
        return None, False
    return _split_words(node)


def _split_words(node: Node) -> tuple[Node, bool]:
    if isinstance(node, Unit):
        if node.quoted or node.field == "tag" or len(node.text) < 2:
            return node, False
        ws = [w for w in analysis.words(node.text) if analysis.char_class_ok(w)]
        if len(ws) < 2:
            return node, False
        return And([Unit(w, node.field, False, node.pos) for w in ws]), True
    if isinstance(node, (And, Or)):
        changed = False
        kids: list[Node] = []
        for c in node.children:
            nc, ch = _split_words(c)
            kids.append(nc)
            changed = changed or ch
        return type(node)(kids), changed
    if isinstance(node, Not):
        return node, False
    return node, False
