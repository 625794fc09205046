"""The analyzer: width folding, jieba word positions, bigrams, the Whoosh tokenizer."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from index import analysis
from index.matching import cover


def test_fold_width_and_case_one_to_one() -> None:
    s = "ＡＩ芯片（ＧＰＵ）１２０亿，Ｓｍａｒｔ\u3000Factory"
    f = analysis.fold(s)
    assert f == "ai芯片(gpu)120亿,smart factory"
    assert len(f) == len(s)
    assert analysis.fold("，（）") == ",()"
    assert analysis.fold_width("ＡＮＤ") == "AND"


@given(st.text())
def test_fold_keeps_length(s: str) -> None:
    assert len(analysis.fold(s)) == len(s)
    assert len(analysis.fold_width(s)) == len(s)


def test_words_keep_single_chars_latin_digits_and_drop_punctuation() -> None:
    ws = analysis.words(analysis.fold("我在天津，看到了ＡＩ芯片和5G网络！2026年"))
    assert "我" in ws and "在" in ws  # single characters are kept
    assert "ai" in ws  # folded Latin
    assert "5g" in ws or "5" in ws
    assert "2026" in ws
    assert "，" not in ws and "！" not in ws and "," not in ws
    assert all(w.strip() for w in ws)


def test_word_positions_are_consecutive_and_phrase_friendly() -> None:
    text = analysis.fold("推动京津冀协同发展，培育新质生产力。")
    postings, n = analysis.word_postings(text)
    ws = analysis.words(text)
    assert n == len(ws)
    positions = sorted(p for ps in postings.values() for p in ps)
    assert positions == list(range(n))  # consecutive, punctuation does not take a position
    assert postings["协同"][0] + 1 == postings["发展"][0]


def test_whoosh_tokenizer_positions_and_offsets() -> None:
    text = "推动京津冀协同发展，培育新质生产力。"
    toks = analysis.tokens_with_offsets(text)
    assert [t[1] for t in toks] == list(range(len(toks)))
    for word, _pos, start, end in toks:
        assert analysis.fold(text[start:end]) == word
    # the tokenizer is pickled inside the index schema: it must survive a round trip
    tk = pickle.loads(pickle.dumps(analysis.JiebaTokenizer()))
    assert [t.text for t in tk(text)] == [t[0] for t in toks]


def test_astral_characters_are_single_code_points() -> None:
    text = "古籍𠀀字和𠀁字"
    toks = analysis.tokens_with_offsets(text)
    chars = [t for t in toks if t[0] in ("𠀀", "𠀁")]
    assert len(chars) == 2
    for word, _pos, start, end in chars:
        assert text[start:end] == word and end - start == 1
    grams, _ = analysis.gram_postings(text)
    assert grams["籍𠀀"] == [1]


def test_gram_postings_offsets_and_line_breaks() -> None:
    text = "京津冀\n协同"
    grams, n = analysis.gram_postings(text)
    assert grams["京津"] == [0] and grams["津冀"] == [1]
    assert grams["协同"] == [4]
    assert "冀\n" in grams  # every character starts a bigram (prefix search for one char)
    assert "同\n" in grams  # ... the last one too
    assert not any(g.startswith("\n") for g in grams)
    assert n == sum(len(v) for v in grams.values())


def test_cover_proves_every_position() -> None:
    for s in ["ab", "abc", "abcd", "abcde", "abcdefg"]:
        parts = cover(s)
        covered = set()
        for g, off in parts:
            assert s[off : off + 2] == g
            covered.update((off, off + 1))
        assert covered == set(range(len(s)))


def test_segmenter_id_names_jieba_and_userdict(tmp_path) -> None:
    sid = analysis.segmenter_id()
    assert "jieba-" in sid and "userdict=" in sid
    ud = tmp_path / "ud.txt"
    ud.write_text("协同创新区 10 n\n", encoding="utf-8")
    old = analysis.segmenter_state()
    try:
        analysis.configure(userdict=ud)
        assert analysis.segmenter_id() != sid
        assert "协同创新区" in analysis.words("建设协同创新区")
    finally:
        # restore what earlier tests (a library open) may have configured
        analysis.configure(cache_dir=old[0], userdict=old[1])  # type: ignore[arg-type]
    assert analysis.segmenter_id() == sid
