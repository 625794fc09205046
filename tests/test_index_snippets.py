"""Span finding and snippet windows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index import analysis
from index.query import Unit
from index.snippets import Needle, find_spans, make_snippets, needles_for

ALPHABET = st.sampled_from(list("aAａＡbBｂ协同，,　 𠀀İ"))


@given(st.text(alphabet=ALPHABET, max_size=40), st.text(alphabet=ALPHABET, min_size=1, max_size=3))
def test_needle_matches_exactly_like_folded_find(text: str, needle: str) -> None:
    folded_needle = analysis.fold(needle)
    out: list[tuple[int, int, int]] = []
    Needle(folded_needle).find_all(text, out, 0)
    expected = []
    hay = analysis.fold(text)
    i = hay.find(folded_needle)
    while i >= 0:
        expected.append((i, i + len(folded_needle), 0))
        i = hay.find(folded_needle, i + len(folded_needle))
    assert out == expected


def test_snippets_windows() -> None:
    text = (
        "第一段没有关键词。\n"
        + "填充文字。" * 30
        + "这里说到协同发展，"
        + "填充文字。" * 30
        + "\n末段又提协同。"
    )
    needles = needles_for([Unit("协同发展"), Unit("协同")])
    snips = make_snippets(text, needles)
    assert 1 <= len(snips) <= 3
    first = snips[0]
    assert "协同发展" in first.text  # the window with both needles comes first
    for sn in snips:
        assert sn.text == text[sn.start : sn.end]
        assert "\n" not in sn.text  # a snippet stays inside its paragraph
        for s, e in sn.spans:
            assert sn.start <= s < e <= sn.end
    starts = [sn.start for sn in snips]
    assert len(set(starts)) == len(starts)
    spans = find_spans(needles, text)
    assert [text[s:e] for s, e in spans] == ["协同发展", "协同"]


def test_unquoted_unit_falls_back_to_words_in_spans() -> None:
    needles = needles_for([Unit("港口智慧码头")])
    text = "港口正在建设智慧码头"
    assert [text[s:e] for s, e in find_spans(needles, text)] == ["港口", "智慧", "码头"]
    quoted = needles_for([Unit("港口智慧码头", quoted=True)])
    assert find_spans(quoted, text) == []
