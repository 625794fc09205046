"""Pizhu's search engine: Whoosh with a jieba analyzer and a bigram field for exact substrings.

No Qt, no SQLite, no imports from ``reader``. See :class:`index.engine.SearchIndex`.
"""

from index.engine import (
    HighlightDoc,
    Hit,
    IndexDoc,
    IndexProblem,
    SearchIndex,
    SearchResults,
    Snippet,
)
from index.query import QueryError

__all__ = [
    "HighlightDoc",
    "Hit",
    "IndexDoc",
    "IndexProblem",
    "QueryError",
    "SearchIndex",
    "SearchResults",
    "Snippet",
]
