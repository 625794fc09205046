"""Text analysis for the search index: width folding, jieba words, character bigrams.

This module's import path is part of the index format (Whoosh pickles the schema, which refers to
:class:`JiebaTokenizer`), so do not move or rename it without bumping ``schema.SCHEMA_VERSION``.

* :func:`fold` maps full-width ASCII (U+FF01–FF5E) and the ideographic space (U+3000) to their
  half-width forms, lower-cases letters and maps Traditional Chinese characters to Simplified
  (OpenCC ``t2s``, character by character: :mod:`index.t2s_table`), always one code point to one
  code point, so offsets computed on folded text are valid offsets into the original, and a
  Traditional article is found by a Simplified query and the reverse with the same
  substring-complete recall. (OpenCC's phrase-level conversion would read better, but it can
  change a text's length; for matching, folding both sides the same way is all that counts.)
* :func:`words` segments folded text with jieba (the segmenter of record) and keeps every token that
  contains a letter or digit — single characters, Latin words, numbers — dropping whitespace and
  pure punctuation. Word positions are consecutive over the kept tokens, so phrases work.
* :func:`gram_postings` lists every character bigram (pairs across a line break excluded) with its
  code point offset. A phrase of bigrams is an exact substring match, which is what gives the index
  100 % substring recall for strings of two or more characters, whatever jieba made of them.

jieba's dictionary is loaded lazily, on the first segmentation or by :func:`warm_up` (which the
application may call from a background thread). :func:`configure` says where jieba keeps its
dictionary cache and which user dictionary to load.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jieba
from whoosh.analysis import Token, Tokenizer

# ---------------------------------------------------------------------------------------------
# Width folding


def _build_fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII -> ASCII
        table[cp] = cp - 0xFEE0
    table[0x3000] = 0x20  # ideographic space
    for cp in range(0xD800, 0xE000):  # lone surrogates cannot be encoded as index terms
        table[cp] = 0xFFFD
    from index.t2s_table import SOURCE, TARGET  # Traditional -> Simplified (繁简 folding)

    for src, dst in zip(SOURCE, TARGET, strict=True):
        table[ord(src)] = ord(dst)
    # Lower-case every BMP letter whose lower-case form is a single code point (keeps 1:1).
    for cp in range(0x10000):
        ch = chr(cp)
        if cp in table:
            low = chr(table[cp]).lower()
            if len(low) == 1:
                table[cp] = ord(low)
            continue
        if ch.isupper():
            low = ch.lower()
            if len(low) == 1 and low != ch:
                table[cp] = ord(low)
    return table


FOLD_TABLE: dict[int, int] = _build_fold_table()
# str.translate looks a str table up by index, about twice as fast as a dict (astral characters
# raise IndexError, which translate() treats as "unchanged").
_FOLD_STR = "".join(chr(FOLD_TABLE.get(i, i)) for i in range(0x10000))
WIDTH_TABLE: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
#: For each folded character, every character that folds to it (itself included).
VARIANTS: dict[str, str] = {}
for _src, _dst in FOLD_TABLE.items():
    VARIANTS.setdefault(chr(_dst), chr(_dst))
    VARIANTS[chr(_dst)] += chr(_src)
FOLD_VERSION = 2  # 2: Traditional -> Simplified (index.t2s_table)


def fold(text: str) -> str:
    """Width-fold, lower-case and 繁→简 ``text``; the result has exactly the same length."""
    return text.translate(_FOLD_STR)


def fold_width(text: str) -> str:
    """Only the width folding of :func:`fold` (no lower-casing); same length."""
    return text.translate(WIDTH_TABLE)


# ---------------------------------------------------------------------------------------------
# jieba: one private tokenizer, configured once, loaded lazily

_log = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)


class _Segmenter:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.cache_dir: Path | None = None
        self.userdict: Path | None = None
        self.userdict_digest = ""
        self.tk = jieba.Tokenizer()
        self.ready = False

    def configure(self, cache_dir: str | Path | None, userdict: str | Path | None) -> None:
        with self.lock:
            digest = _file_digest(userdict) if userdict is not None else ""
            if self.ready and (digest != self.userdict_digest or userdict != self.userdict):
                # jieba cannot unload a user dictionary: start again with a fresh tokenizer.
                self.tk = jieba.Tokenizer()
                self.ready = False
            if cache_dir is not None:
                self.cache_dir = Path(cache_dir)
            self.userdict = Path(userdict) if userdict is not None else None
            self.userdict_digest = digest
            if self.cache_dir is not None:
                self.tk.tmp_dir = str(self.cache_dir)

    def get(self) -> jieba.Tokenizer:
        if self.ready:
            return self.tk
        with self.lock:
            if not self.ready:
                tk = self.tk
                if self.cache_dir is None:
                    self.cache_dir = default_cache_dir()
                if self.cache_dir is not None:
                    try:
                        self.cache_dir.mkdir(parents=True, exist_ok=True)
                    except OSError:
                        pass
                    tk.tmp_dir = str(self.cache_dir)
                tk.initialize()
                if self.userdict is not None:
                    try:
                        with open(self.userdict, "rb") as f:  # jieba leaves a path's file open
                            # jieba reads a binary file (a path it opens "rb"); its stubs say text
                            tk.load_userdict(f)  # type: ignore[arg-type]
                    except (OSError, ValueError, UnicodeDecodeError) as exc:
                        _log.warning("jieba user dictionary %s not loaded: %s", self.userdict, exc)
                self.ready = True
            return self.tk


def _file_digest(path: str | Path | None) -> str:
    if path is None:
        return ""
    try:
        return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return "unreadable"


_SEG = _Segmenter()


def configure(
    *, cache_dir: str | Path | None = None, userdict: str | Path | None = None
) -> None:
    """Where jieba caches its dictionary (never the system temp dir when given) and which user
    dictionary to add. Cheap: nothing is loaded until the first segmentation or :func:`warm_up`."""
    _SEG.configure(cache_dir, userdict)


def warm_up() -> None:
    """Load jieba's dictionary now (safe to call from a background thread, idempotent)."""
    _SEG.get()


def is_warm() -> bool:
    return _SEG.ready


def segmenter_id() -> str:
    """Identifies everything that decides which terms a text produces; stored in the index."""
    ud = _SEG.userdict_digest or "none"
    return (f"jieba-{jieba.__version__}+hmm;userdict={ud};fold={FOLD_VERSION};"
            f"block={MAX_BLOCK}")


def segmenter_state() -> tuple[str | None, str | None]:
    """(cache_dir, userdict) as strings, for handing the configuration to worker processes."""
    return (
        str(_SEG.cache_dir) if _SEG.cache_dir is not None else None,
        str(_SEG.userdict) if _SEG.userdict is not None else None,
    )


def _keep(tok: str) -> bool:
    if tok.isalnum():
        return True
    return any(ch.isalnum() for ch in tok)


#: jieba's cost grows faster than linearly with the length of a run of characters it cannot
#: split (300 KB of one repeated character took 36 s, 3 MB never finished), so text is given to
#: it in pieces of at most this many characters, cut after a non-word character where there is
#: one (jieba splits there anyway, so ordinary text segments exactly as before) and inside a
#: longer unbroken run only where there is none: segmentation stays linear in the text.
MAX_BLOCK = 200


def cut(text: str) -> Iterator[str]:
    """jieba's segmentation of ``text`` (all tokens, HMM on), in bounded pieces (MAX_BLOCK)."""
    tk = _SEG.get()
    n = len(text)
    if n <= MAX_BLOCK:
        yield from tk.cut(text)
        return
    i = 0
    while i < n:
        end = i + MAX_BLOCK
        if end < n:
            j = end
            while j > i and text[j - 1].isalnum():
                j -= 1
            if j > i:
                end = j
        yield from tk.cut(text[i:end])
        i = end


def raw_cut(text: str) -> Iterator[str]:
    """jieba's own segmentation of ``text`` (all tokens, HMM on), with the configured dictionary."""
    return cut(text)


def words(text: str) -> list[str]:
    """The kept jieba words of already-folded ``text``, in order (position = list index)."""
    out: list[str] = []
    append = out.append
    for tok in cut(text):
        if tok.isalnum() or _keep(tok):
            append(tok)
    return out


def word_postings(text: str) -> tuple[dict[str, list[int]], int]:
    """{word: [positions]} of already-folded ``text`` and the number of words."""
    d: dict[str, list[int]] = {}
    get = d.get
    pos = 0
    for tok in cut(text):
        if tok.isalnum() or _keep(tok):
            lst = get(tok)
            if lst is None:
                d[tok] = [pos]
            else:
                lst.append(pos)
            pos += 1
    return d, pos


def word_postings_from_list(ws: list[str]) -> dict[str, list[int]]:
    d: dict[str, list[int]] = {}
    get = d.get
    for pos, tok in enumerate(ws):
        lst = get(tok)
        if lst is None:
            d[tok] = [pos]
        else:
            lst.append(pos)
    return d


def gram_postings(text: str) -> tuple[dict[str, list[int]], int]:
    """{bigram: [code point offsets]} of already-folded ``text`` and the number of bigrams.

    Every pair of adjacent code points is a bigram, except pairs starting with a line break. The
    last character of the text is paired with a line break too, so that every character starts
    some bigram (single characters are then found by a prefix search)."""
    d: dict[str, list[int]] = {}
    if not text:
        return d, 0
    grams = list(map(str.__add__, text, text[1:]))
    grams.append(text[-1] + "\n")
    get = d.get
    for i, g in enumerate(grams):
        lst = get(g)
        if lst is None:
            d[g] = [i]
        else:
            lst.append(i)
    n = len(grams)
    if "\n" in text:
        for g in [g for g in d if g[0] == "\n"]:
            n -= len(d.pop(g))
    return d, n


def grams_of(s: str) -> list[str]:
    """The bigrams of a (folded) query string, in order."""
    return [s[i : i + 2] for i in range(len(s) - 1)]


def char_class_ok(s: str) -> bool:
    """True if ``s`` is worth looking up as a word (has a letter or digit)."""
    return bool(s) and (s.isalnum() or _keep(s))


# ---------------------------------------------------------------------------------------------
# A Whoosh tokenizer with the same behaviour, for anything that analyses text through Whoosh.


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer: folded jieba words with consecutive positions and code point offsets."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = fold(value)
        pos = start_pos
        offset = 0
        for tok in cut(text):
            start = offset
            offset += len(tok)
            if not (tok.isalnum() or _keep(tok)):
                continue
            t.text = tok
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:offset]  # type: ignore[attr-defined]  # whoosh's own
                # tokenizers set it too; its Token does not declare it
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + offset
            pos += 1
            yield t


def tokens_with_offsets(text: str) -> list[tuple[str, int, int, int]]:
    """(word, position, start, end) for each kept word of ``text`` (folded here)."""
    out = []
    for t in JiebaTokenizer()(text, positions=True, chars=True):
        out.append((t.text, t.pos, t.startchar, t.endchar))
    return out


def is_cjk(ch: str) -> bool:
    return "CJK" in unicodedata.name(ch, "")


def default_cache_dir() -> Path:
    """Where jieba's cache goes when nobody configured it: never the system temp dir."""
    env = os.environ.get("PIZHU_CACHE")
    if env:
        return Path(env) / "jieba"
    import platformdirs

    return Path(platformdirs.user_cache_dir("pizhu", appauthor=False)) / "jieba"
