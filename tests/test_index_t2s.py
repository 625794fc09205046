"""繁简 folding in the index (issue 17): a Traditional article is found by a Simplified query and
the reverse, every substring; offsets and snippets stay on the original text; a conversion that
changes length (OpenCC's regional phrases) never reaches the index or the reader's offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import IndexDoc, SearchIndex, analysis
from index.engine import META_NAME
from index.t2s_table import SOURCE, TARGET

TRAD = IndexDoc(
    id=1, title="港口建設邁出新步伐", source="濱海日報", date="2026-03-01",
    body="記者從港務集團獲悉，智慧碼頭建設進展順利。\n他在網際網路上看到計程車的影片，頭髮都白了。",
)
SIMP = IndexDoc(
    id=2, title="社区食堂让老人吃上热乎饭", source="城市晚报", date="2026-03-02",
    body="社区食堂开进老旧小区，头发花白的老人排队打饭。\n智慧码头建设也在推进。",
)


@pytest.fixture()
def ix(tmp_path: Path):
    ix = SearchIndex(tmp_path / "ix", cache_dir=tmp_path / "cache")
    ix.open()
    ix.update([TRAD, SIMP])
    yield ix
    ix.close()


def _ids(ix: SearchIndex, q: str) -> set[int]:
    return {h.id for h in ix.search(q, limit=50, with_snippets=False).hits}


def test_fold_is_one_to_one_and_idempotent() -> None:
    assert analysis.fold("頭髮發展，臺灣ＡＢＣ") == "头发发展,台湾abc"
    assert len(SOURCE) == len(TARGET) > 2000
    folded = analysis.fold(SOURCE)
    assert len(folded) == len(SOURCE)
    assert analysis.fold(folded) == folded  # no chains: folding twice changes nothing
    assert "fold=2" in analysis.segmenter_id()


@pytest.mark.parametrize(("query", "ids"), [
    ("智慧码头", {1, 2}), ("智慧碼頭", {1, 2}),  # either script finds both
    ("港口建设", {1}), ("头发", {1, 2}), ("頭髮", {1, 2}),
    ("务集", {1}),  # a substring across jieba's words (港务 集团)
    ("网际网路", {1}), ("社區食堂", {2}), ("title:港口建设", {1}), ("source:滨海日报", {1}),
    ("老舊小區", {2}), ("網", {1}),
])
def test_either_script_finds_both(ix: SearchIndex, query: str, ids: set[int]) -> None:
    assert _ids(ix, query) == ids


def test_offsets_and_snippets_stay_on_the_original_text(ix: SearchIndex) -> None:
    res = ix.search("智慧码头", text_of=lambda xs: {1: TRAD.body, 2: SIMP.body})
    by_id = {h.id: h for h in res.hits}
    sn = by_id[1].snippets[0]
    marked = [TRAD.body[s:e] for s, e in sn.spans]
    assert marked == ["智慧碼頭"]  # the Traditional characters of the stored text
    assert sn.text == TRAD.body[sn.start:sn.end]
    assert ix.search("港口建设", text_of=lambda xs: {}).hits[0].title_spans == [(0, 4)]
    assert [TRAD.body[s:e] for s, e in ix.match_spans("头发", TRAD.body)] == ["頭髮"]


def test_a_length_changing_conversion_does_not_move_offsets(ix: SearchIndex) -> None:
    """OpenCC's tw2sp turns 網際網路 (4 characters) into 互联网 (3): phrase conversion changes
    lengths. The index folds character by character, so the found span is the stored text's."""
    opencc = pytest.importorskip("opencc")
    sentence = "他在網際網路上看到計程車的影片"
    assert len(opencc.OpenCC("tw2sp").convert(sentence)) != len(sentence)
    start = TRAD.body.index("網際網路")
    spans = ix.match_spans("网际网路", TRAD.body)
    assert spans == [(start, start + 4)]
    res = ix.search("网际网路", text_of=lambda xs: {1: TRAD.body})
    assert (start, start + 4) in res.hits[0].snippets[0].spans

    from reader.core.hanzi import convert_for_display

    shown = convert_for_display(TRAD.body, "tw2sp")  # the sentence falls back to characters
    assert len(shown) == len(TRAD.body)
    assert shown[start:start + 4] == "网际网路"
    assert convert_for_display(TRAD.body, "t2s")[start:start + 4] == "网际网路"
    s2t = convert_for_display(SIMP.body, "s2t")
    assert len(s2t) == len(SIMP.body) and "頭髮" in s2t and "社區食堂" in s2t


def test_an_index_of_the_old_folding_asks_for_a_rebuild(ix: SearchIndex) -> None:
    meta_path = ix.path / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["segmenter"] = meta["segmenter"].replace("fold=2", "fold=1")
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    problem = ix.check()
    assert problem is not None and problem.startswith("segmenter changed")
