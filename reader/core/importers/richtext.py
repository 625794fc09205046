"""Builds an article body together with its structure (shared by the HTML and Markdown importers).

A parser feeds runs of text with their emphasis, ends paragraphs, enters and leaves block kinds
(heading, quote, list item, caption) and puts pictures between paragraphs; :meth:`RichText.build`
returns the body — one paragraph per line, joined by ``\\n``, already in the form
:func:`reader.core.text.normalize` gives, so that every offset it hands out is valid in the stored text —
and the blocks and images at code point offsets of that body.

Each run is cleaned on its own (NFC, decorative marks removed, HTML white space collapsed) and a
paragraph is trimmed at both ends, so cleaning never moves an offset inside the paragraph. If the
result were still not in normal form (a combining mark that NFC joins across two runs), the body is
normalised and the structure dropped: text is never sacrificed to structure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..structure import Block, Image
from ..text import normalize
from .cleanup import strip_decorations

_HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_TRIM = " \t\u3000\xa0\u2002\u2003\u2009\u200a\u202f\u205f\u200b\u2060\ufeff"
_DROP_RE = re.compile("[\ufeff\x00\u2028\u2029\r]")
_HTML_SPACE_ANY = re.compile(r"[\t\n\r\f\v]|  ")
MAX_PARAGRAPHS = 200_000


@dataclass(slots=True)
class _Para:
    runs: list[tuple[str, frozenset[str]]] = field(default_factory=list)


@dataclass(slots=True)
class RichBody:
    body: str
    blocks: list[Block]
    images: list[Image]


class RichText:
    """Incremental builder; see the module docstring. ``collapse``: HTML white space rules (runs
    of spaces/newlines become one space); without it (Markdown), newlines inside a run end the
    line."""

    def __init__(self, *, collapse: bool = True) -> None:
        self.collapse = collapse
        self._lines: list[str] = []
        self._line_blocks: list[list[tuple[str, int]]] = []  # per line: (kind, level)
        self._inline: list[tuple[int, str, int, int]] = []  # line, kind, start, end
        self._images: list[tuple[int, Image]] = []  # before line n
        self._para = _Para()
        self._kinds: list[tuple[str, int]] = []  # open block kinds, outermost first
        self._marks: list[str] = []
        self._prefix = ""  # a list marker waiting for the paragraph's first text

    # ------------------------------------------------------------------ feeding
    def text(self, s: str) -> None:
        if not s:
            return
        if _DROP_RE.search(s):
            s = _DROP_RE.sub("", s)
        if self.collapse and _HTML_SPACE_ANY.search(s):
            s = _HTML_SPACE.sub(" ", s)
        elif "\n" in s:
            first, *rest = s.split("\n")
            self.text(first)
            for piece in rest:
                self.end_paragraph()
                self.text(piece)
            return
        if not s.isascii() and not unicodedata.is_normalized("NFC", s):
            s = unicodedata.normalize("NFC", s)
        s = strip_decorations(s)
        if not s:
            return
        if self._prefix and s.strip(_TRIM):
            prefix, self._prefix = self._prefix, ""
            self._para.runs.append((prefix, frozenset()))
        self._para.runs.append((s, frozenset(self._marks)))

    def push_mark(self, kind: str) -> None:
        self._marks.append(kind)

    def pop_mark(self, kind: str) -> None:
        for i in range(len(self._marks) - 1, -1, -1):
            if self._marks[i] == kind:
                del self._marks[i]
                return

    def push_block(self, kind: str, level: int = 0, *, marker: str = "") -> None:
        self.end_paragraph()
        self._kinds.append((kind, level))
        if marker:
            self._prefix = marker

    def pop_block(self, kind: str) -> None:
        self.end_paragraph()
        for i in range(len(self._kinds) - 1, -1, -1):
            if self._kinds[i][0] == kind:
                del self._kinds[i]
                return

    def image(self, img: Image) -> None:
        """A picture between paragraphs (it ends the current one)."""
        self.end_paragraph()
        self._images.append((len(self._lines), img))

    def end_paragraph(self) -> None:
        runs = self._para.runs
        self._para = _Para()
        if not runs or len(self._lines) >= MAX_PARAGRAPHS:
            return
        # trim the paragraph's ends (never inside it: offsets inside stay put)
        while runs and not runs[0][0].lstrip(_TRIM):
            runs.pop(0)
        while runs and not runs[-1][0].rstrip(_TRIM):
            runs.pop()
        if not runs:
            return
        runs[0] = (runs[0][0].lstrip(_TRIM), runs[0][1])
        runs[-1] = (runs[-1][0].rstrip(_TRIM), runs[-1][1])
        line_no = len(self._lines)
        parts: list[str] = []
        pos = 0
        for s, marks in runs:
            for kind in marks:
                self._inline.append((line_no, kind, pos, pos + len(s)))
            parts.append(s)
            pos += len(s)
        self._lines.append("".join(parts))
        kinds = list(self._kinds)
        items = [k for k in kinds if k[0] == "list_item"]
        if len(items) > 1:  # a nested list: the line is an item of the innermost one
            kinds = [k for k in kinds if k[0] != "list_item"] + items[-1:]
        self._line_blocks.append(kinds)

    # ------------------------------------------------------------------ result
    def build(self) -> RichBody:
        self.end_paragraph()
        starts: list[int] = []
        pos = 0
        for line in self._lines:
            starts.append(pos)
            pos += len(line) + 1
        body = "\n".join(self._lines)
        total = len(body)
        blocks: list[Block] = []
        open_runs: dict[tuple[str, int], int] = {}  # a kind continued over consecutive lines
        for n, kinds in enumerate(self._line_blocks):
            end = starts[n] + len(self._lines[n])
            for kind, level in dict.fromkeys(kinds):
                if kind == "quote" and (kind, level) in open_runs and blocks:
                    blk = blocks[open_runs[(kind, level)]]
                    if blk.end + 1 == starts[n]:
                        blk.end = end
                        continue
                open_runs[(kind, level)] = len(blocks)
                blocks.append(Block(kind, starts[n], end, level))
        for line_no, kind, a, b in self._inline:
            if b > a:
                blocks.append(Block(kind, starts[line_no] + a, starts[line_no] + b))
        blocks = _merge_inline(blocks)
        images = []
        for line_no, img in self._images:
            img.offset = starts[line_no] if line_no < len(starts) else total
            images.append(img)
        if normalize(body) != body:  # see the module docstring
            return RichBody(normalize(body), [], [])
        return RichBody(body, blocks, images)


def _merge_inline(blocks: list[Block]) -> list[Block]:
    """Adjacent runs of the same emphasis (split by an inner tag) become one range."""
    out: list[Block] = []
    last: dict[str, Block] = {}
    for b in sorted(blocks, key=lambda b: (b.start, -b.end)):
        if b.kind in ("strong", "em"):
            prev = last.get(b.kind)
            if prev is not None and prev.end >= b.start:
                prev.end = max(prev.end, b.end)
                continue
            last[b.kind] = b
        out.append(b)
    return out
