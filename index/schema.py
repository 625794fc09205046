"""The index schema: field types, the posting format, and the versions an index records.

Whoosh pickles the schema into every index, so the classes here (and their module path) are part of
the on-disk format. Changing what they write means bumping :data:`SCHEMA_VERSION`, which makes
:meth:`index.engine.SearchIndex.check` ask for a rebuild.

Every text field comes twice: ``<name>`` holds jieba words (positions = word numbers, for ranking and
word phrases) and ``<name>_g`` holds character bigrams (positions = code point offsets, for exact
substring matching). Values handed to these fields are either a string (analysed here) or a
pre-computed ``(postings, length)`` pair from :mod:`index.analysis`, so a document is segmented
exactly once however many fields use the result.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Generator, Iterable
from typing import Any, cast

from whoosh import columns, fields, formats
from whoosh.analysis import Analyzer
from whoosh.system import pack_uint

from index import analysis

SCHEMA_VERSION = 2  # 2: annotation documents (note, tag) beside article documents

#: Text fields; each has a word field ``name`` and a bigram field ``name + "_g"``.
TEXT_FIELDS = ("title", "subtitle", "body", "source", "byline", "note")
#: Fields searched by a query word without a ``field:`` prefix, with their BM25F boosts.
DEFAULT_FIELDS = {"title": 3.0, "subtitle": 2.0, "body": 1.0, "note": 1.0}
GRAM_SUFFIX = "_g"
#: Fields held by *annotation documents* (article tags: id ``a<article id>``; each highlight with
#: a note or tags: id ``h<uuid>``; aid = -article id), not by the article document: a note or tag
#: edit rewrites one small document, never the article's body postings. The fast path joins
#: them to their article (index.fastpath).
ANNOTATION_FIELDS = frozenset({"note", "note" + "_g", "tag"})

_BIG_ENDIAN = sys.byteorder == "big"


class PositionList(formats.Format):
    """Positions stored as a raw little-endian array: ``b"H"`` + uint16s or ``b"I"`` + uint32s.

    Decoding is one C call (``array.frombytes``); frequency is the array length. The posting's
    weight (stored by the codec beside the value) is the frequency."""

    posting_contents = ("frequency", "weight", "positions")

    def __init__(self, field_boost: float = 1.0, **options: Any) -> None:
        self.field_boost = field_boost
        self.options = options

    # whoosh types the word as bytes; it is the token's text, which FieldType.index encodes
    def word_values(  # type: ignore[override]
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterable[tuple[str, int, float, bytes]]:
        postings: dict[str, list[int]] = {}
        kwargs["positions"] = True
        for t in formats.tokens(value, analyzer, kwargs):
            postings.setdefault(t.text, []).append(t.pos)
        encode = self.encode
        for w, poslist in postings.items():
            yield w, len(poslist), float(len(poslist)), encode(poslist)

    def encode(self, poslist: Any) -> bytes:
        code = "H" if poslist[-1] < 65536 else "I"
        a = array(code, poslist)
        if _BIG_ENDIAN:
            a.byteswap()
        return code.encode() + a.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        a = array(chr(valuestring[0]))
        a.frombytes(valuestring[1:])
        if _BIG_ENDIAN:
            a.byteswap()
        return a.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return (len(valuestring) - 1) // (2 if valuestring[:1] == b"H" else 4)

    def decode_weight(self, valuestring: bytes) -> float:
        return float(self.decode_frequency(valuestring)) * self.field_boost

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(p, 1.0) for p in self.decode_positions(valuestring)]

    def combine(self, vs: Iterable[bytes]) -> bytes:
        s: set[int] = set()
        for v in vs:
            s.update(self.decode_positions(v))
        return self.encode(sorted(s))


def encode_positions(poslist: list[int]) -> bytes:
    code = "H" if poslist[-1] < 65536 else "I"
    a = array(code, poslist)
    if _BIG_ENDIAN:
        a.byteswap()
    return code.encode() + a.tobytes()


def _postings_items(
    postings: dict[str, list[int]],
) -> Generator[tuple[bytes, int, float, bytes], None, None]:
    enc = encode_positions
    for w, poslist in postings.items():
        n = len(poslist)
        yield w.encode("utf-8"), n, float(n), enc(poslist)


def _jieba_analyzer() -> Analyzer:
    # whoosh types a field's analyzer as Analyzer, yet takes any tokenizer (as its own fields do)
    return cast(Analyzer, analysis.JiebaTokenizer())


class WordField(fields.FieldType):
    """jieba words of folded text, positions = consecutive word numbers."""

    def __init__(self, stored: bool = False) -> None:
        self.format = PositionList()
        self.analyzer = _jieba_analyzer()
        self.scorable = True
        self.stored = stored
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float, bytes], None, None]:
        if isinstance(value, str):
            postings, _n = analysis.word_postings(analysis.fold(value))
        else:
            postings = value[0]
        return _postings_items(postings)


class GramField(fields.FieldType):
    """Character bigrams of folded text, positions = code point offsets."""

    def __init__(self) -> None:
        self.format = PositionList()
        self.analyzer = _jieba_analyzer()  # only for Whoosh's own tooling
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float, bytes], None, None]:
        if isinstance(value, str):
            postings, _n = analysis.gram_postings(analysis.fold(value))
        else:
            postings = value[0]
        return _postings_items(postings)


class TagField(fields.FieldType):
    """Whole tags, folded; a document's value is a list of tags."""

    def __init__(self) -> None:
        self.format = formats.Frequency()
        self.analyzer = _jieba_analyzer()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float, bytes], None, None]:
        tags = [value] if isinstance(value, str) else list(value)
        seen: dict[str, int] = {}
        for t in tags:
            t = normalize_tag(t)
            if t:
                seen[t] = seen.get(t, 0) + 1
        for t, n in seen.items():
            yield t.encode("utf-8"), n, float(n), pack_uint(n)


def normalize_tag(tag: str) -> str:
    return " ".join(analysis.fold(tag).split())


def make_schema() -> fields.Schema:
    kw: dict[str, fields.FieldType] = {
        "id": fields.ID(stored=True, unique=True),
        # the article every document belongs to (its own id for the article document)
        "owner": fields.ID(),
        # the article id of every document, negative for an annotation document (see
        # ANNOTATION_FIELDS): a column, read as one array per segment by the fast path
        "aid": fields.COLUMN(columns.NumericColumn("i", default=0)),
        "date": fields.NUMERIC(int, bits=32, signed=False, shift_step=8),
        "tag": TagField(),
    }
    for name in TEXT_FIELDS:
        kw[name] = WordField(stored=(name == "title"))
        kw[name + GRAM_SUFFIX] = GramField()
    return fields.Schema(**kw)
