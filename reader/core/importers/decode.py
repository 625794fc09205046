"""Bytes -> text for the importers: BOMs first, then strict UTF-8, then charset-normalizer
restricted to the encodings Chinese news text actually comes in (GB18030 ⊇ GBK ⊇ GB2312, Big5).

Binary data is refused before any guessing: NUL bytes without a UTF-16/32 BOM, or too many
control bytes, mean ``'binary file'``.
"""

from __future__ import annotations

import codecs
import unicodedata

from .errors import Code, ImportFailure

# Order matters: the UTF-32 LE BOM starts with the UTF-16 LE BOM.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

# charset-normalizer is only allowed to choose among these (Python codec names).
_CANDIDATES = ["gb18030", "big5"]
_SAMPLE_BYTES = 256 * 1024
_SHORT_BYTES = 200

# Control bytes that never occur in text files (\t \n \v \f \r and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"


def _looks_binary_bytes(data: bytes) -> bool:
    sample = data[:_SAMPLE_BYTES]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(sample) // 100)


def _looks_binary_text(text: str) -> bool:
    """After decoding: too many control, unassigned or private-use characters means the guess
    turned binary garbage into 'text'."""
    sample = text[:100_000]
    if not sample:
        return False
    bad = 0
    for ch in sample:
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in "\t\n\r\x0b\x0c\x1b") or cat in ("Cn", "Co", "Cs"):
            bad += 1
    return bad > max(2, len(sample) // 50)


def _check_text(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise ImportFailure(Code.EMPTY)
    if _looks_binary_text(text):
        raise ImportFailure(Code.BINARY)
    return text, encoding


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole file. Returns ``(text, encoding name)``; the BOM, if any, is removed.

    Raises :class:`ImportFailure` with ``'empty file'``, ``'binary file'`` or
    ``'cannot decode text (…)'``.
    """
    if not data.strip():
        raise ImportFailure(Code.EMPTY)
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeError:
                raise ImportFailure(Code.UNDECODABLE) from None
            return _check_text(text.lstrip("\ufeff"), name)
    if _looks_binary_bytes(data):
        raise ImportFailure(Code.BINARY)
    try:
        return _check_text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in _guess_encodings(data):
        try:
            return _check_text(data.decode(encoding), encoding)
        except UnicodeError:
            continue
    raise ImportFailure(Code.UNDECODABLE)


def _guess_encodings(data: bytes) -> list[str]:
    """The candidate encodings, best first, as charset-normalizer ranks them on a sample."""
    ranked: list[str] = []
    if len(data) < _SHORT_BYTES:
        # Too little text for a statistical guess to beat the prior: mainland GB18030 first.
        ranked.append("gb18030")
    try:
        from charset_normalizer import from_bytes

        sample = data[:_SAMPLE_BYTES]
        results = from_bytes(sample, cp_isolation=_CANDIDATES, explain=False)
        for match in results:
            enc = codecs.lookup(match.encoding).name
            if enc not in ranked:
                ranked.append(enc)
    except Exception:  # a detector failure must not turn into a crash: fall back below
        ranked = []
    # GB18030 is by far the most common legacy encoding of Chinese text; try it even when the
    # detector (which only saw a sample) had no opinion. Strict decoding still guards it.
    if "gb18030" not in ranked:
        ranked.append("gb18030")
    return ranked
