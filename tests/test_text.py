"""Normalisation and the UTF-16 <-> code point conversion."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.text import OffsetMap, clean_line, normalize


def test_line_endings_and_blank_runs():
    raw = "第一段\r\r\r第二段  \r\n第三段\u3000\r\n\r\n\r\n\r\n第四段\r"
    assert normalize(raw) == "第一段\n\n第二段\n第三段\n\n第四段"


def test_nfc_and_bom():
    assert normalize("\ufeffe\u0301") == "\u00e9"


def test_idempotent_example():
    t = "  a\r\n\r\n\r\nb  "
    assert normalize(normalize(t)) == normalize(t)


@given(st.text())
def test_normalize_idempotent(t):
    assert normalize(normalize(t)) == normalize(t)


def test_clean_line():
    assert clean_line("  本报讯\u3000（记者 王音）\r\n") == "本报讯 （记者 王音）"


@given(st.text(alphabet=st.sampled_from("a中😀𠀀\n文")))
def test_offset_map_round_trip(text):
    m = OffsetMap(text)
    for cp in range(len(text) + 1):
        u16 = len(text[:cp].encode("utf-16-le")) // 2
        assert m.cp_to_utf16(cp) == u16
        assert m.utf16_to_cp(u16) == cp


def test_offset_inside_surrogate_pair_rounds_down():
    m = OffsetMap("a😀b")
    assert m.utf16_to_cp(2) == 1  # between the two halves of 😀
    assert m.utf16_to_cp(3) == 2
