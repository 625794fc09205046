"""The version history of an article, and what changed between two versions.

Earlier texts are kept in ``article_versions`` whenever a corrected version replaces the text
(re-import, merge, split). :func:`history` lists them with the current text last; :func:`diff`
compares two texts character by character (diff-match-patch, cleaned up to readable chunks) and
:func:`hunks` groups the changes with a little context, located by paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diff_match_patch import diff_match_patch

if TYPE_CHECKING:
    from reader.core.library import Library

EQUAL, INSERT, DELETE = 0, 1, -1


@dataclass
class Version:
    number: int
    title: str
    body: str
    content_hash: str
    date: str  # when it was replaced (for the current version: when it became current)
    reason: str  # why it was replaced ('' for the current version)
    current: bool = False

    def to_json(self, *, with_body: bool = False) -> dict[str, Any]:
        d = {"version": self.number, "title": self.title, "content_hash": self.content_hash,
             "date": self.date, "reason": self.reason, "current": self.current,
             "characters": len(self.body)}
        if with_body:
            d["body"] = self.body
        return d


def history(library: Library, article_id: int) -> list[Version]:
    """Every version of an article, oldest first; the last one is the current text."""
    art = library.article(article_id)  # LibraryError for an unknown id
    row = library.store.reader().execute(
        "SELECT version, updated_at FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    out = [
        Version(v["version"], v["title"], v["body"], v["content_hash"], v["replaced_at"],
                v["reason"])
        for v in library.versions(article_id)
    ]
    out.append(Version(row["version"], art.title, art.body or "", art.content_hash,
                       row["updated_at"], "", current=True))
    return out


@dataclass
class Hunk:
    """One place where two texts differ: the changed chunks with some context around them."""

    old_start: int  # code point offsets of the changed region in each text
    old_end: int
    new_start: int
    new_end: int
    line: int  # 1-based line of the new text where the change starts
    chunks: list[tuple[int, str]] = field(default_factory=list)  # (op, text), context included

    @property
    def deleted(self) -> str:
        return "".join(t for op, t in self.chunks if op == DELETE)

    @property
    def inserted(self) -> str:
        return "".join(t for op, t in self.chunks if op == INSERT)

    def to_json(self) -> dict[str, Any]:
        return {"old": [self.old_start, self.old_end], "new": [self.new_start, self.new_end],
                "line": self.line, "deleted": self.deleted, "inserted": self.inserted,
                "chunks": [[op, t] for op, t in self.chunks]}


def diff(old: str, new: str) -> list[tuple[int, str]]:
    """(op, text) chunks turning ``old`` into ``new``: op is -1 delete, 0 equal, 1 insert."""
    d = diff_match_patch()
    d.Diff_Timeout = 2.0
    chunks = d.diff_main(old, new, False)
    d.diff_cleanupSemantic(chunks)
    return [(op, text) for op, text in chunks if text]


def hunks(old: str, new: str, *, context: int = 20) -> list[Hunk]:
    """The changes between two texts, each with ``context`` characters around it; changes
    closer than twice the context are one hunk."""
    chunks = diff(old, new)
    out: list[Hunk] = []
    o = n = 0
    cur: Hunk | None = None
    pending_equal = ""
    for i, (op, text) in enumerate(chunks):
        if op == EQUAL:
            if cur is not None:
                if len(text) > 2 * context or i == len(chunks) - 1:
                    cur.chunks.append((EQUAL, text[:context]))
                    out.append(cur)
                    cur = None
                else:
                    cur.chunks.append((EQUAL, text))
            pending_equal = text
            o += len(text)
            n += len(text)
            continue
        if cur is None:
            lead = pending_equal[-context:] if pending_equal else ""
            cur = Hunk(o, o, n, n, new.count("\n", 0, n) + 1,
                       [(EQUAL, lead)] if lead else [])
        cur.chunks.append((op, text))
        if op == DELETE:
            o += len(text)
        else:
            n += len(text)
        cur.old_end, cur.new_end = o, n
        pending_equal = ""
    if cur is not None:
        out.append(cur)
    # a trailing equal chunk kept inside a hunk moved the ends: recompute from the chunks
    for h in out:
        h.old_end = h.old_start + sum(len(t) for op, t in _core(h.chunks) if op != INSERT)
        h.new_end = h.new_start + sum(len(t) for op, t in _core(h.chunks) if op != DELETE)
    return out


def _core(chunks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The chunks without the leading and trailing context."""
    lo, hi = 0, len(chunks)
    if lo < hi and chunks[lo][0] == EQUAL:
        lo += 1
    if lo < hi and chunks[hi - 1][0] == EQUAL:
        hi -= 1
    return chunks[lo:hi]


def render_hunk(h: Hunk, *, color: bool = False) -> str:
    """A one-line readable form: deletions as ``[-…-]``, insertions as ``{+…+}`` (or red and
    green on a terminal), newlines shown as ``⏎``."""
    out = []
    for op, text in h.chunks:
        t = text.replace("\n", "⏎")
        if op == EQUAL:
            out.append(t)
        elif op == DELETE:
            out.append(f"\x1b[31m[-{t}-]\x1b[0m" if color else f"[-{t}-]")
        else:
            out.append(f"\x1b[32m{{+{t}+}}\x1b[0m" if color else f"{{+{t}+}}")
    return "".join(out)


def summary(old: str, new: str) -> dict[str, Any]:
    """How much changed: characters deleted and inserted, number of places."""
    chunks = diff(old, new)
    return {
        "deleted": sum(len(t) for op, t in chunks if op == DELETE),
        "inserted": sum(len(t) for op, t in chunks if op == INSERT),
        "places": len(hunks(old, new, context=0)),
    }
