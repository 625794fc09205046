"""SearchIndex: recall, ranking, query features, updates, rebuild, check(), spans."""

from __future__ import annotations

import dataclasses
import json
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from index_fixtures import ARTICLES, body_of

from index import IndexDoc, IndexProblem, QueryError, SearchIndex, analysis
from index.schema import SCHEMA_VERSION


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jieba-cache")


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Iterator[SearchIndex]:
    idx = SearchIndex(tmp_path_factory.mktemp("ix") / "index", cache_dir=cache_dir)
    idx.open()
    idx.update(ARTICLES, watermark=7)
    yield idx
    idx.close()


def ids(ix: SearchIndex, q: str, **kw) -> list[int]:  # type: ignore[no-untyped-def]
    return [h.id for h in ix.search(q, limit=50, **kw).hits]


# ------------------------------------------------------------------ recall


def test_phrase_and_words(ix: SearchIndex) -> None:
    assert ids(ix, '"协同发展"')[:1] == [1]
    assert set(ids(ix, '"协同发展"')) == {1, 2}
    assert set(ids(ix, "协同发展")) == {1, 2}


@pytest.mark.parametrize("q", ["津冀", "质生产", "冀协同", "化、智", "一线，督", "箱吞吐"])
def test_strings_across_jieba_words(ix: SearchIndex, q: str) -> None:
    expected = {a.id for a in ARTICLES if q in a.body or q in a.title}
    assert expected
    assert set(ids(ix, q)) == expected


def test_width_folding_in_documents_and_queries(ix: SearchIndex) -> None:
    assert ids(ix, "ai芯片") == [4]
    assert ids(ix, "ＡＩ芯片") == [4]
    assert ids(ix, "gpu研发") == [4]
    assert ids(ix, '"(含海外"') == [4]  # full-width parenthesis in the text, quoted
    assert ids(ix, "120亿") == [4]
    assert ids(ix, "smart factory") == [4]
    assert ids(ix, '"Smart Factory"') == [4]
    assert ids(ix, "iphone15") == [4]


def test_astral_and_single_characters(ix: SearchIndex) -> None:
    assert ids(ix, "𠀀字") == [5]
    assert ids(ix, "𠀁") == [5]
    assert set(ids(ix, "港")) == {2}  # inside the jieba word 港口 and 码头? found via bigrams


def _all_texts() -> dict[int, str]:
    return {
        a.id: analysis.fold("\n".join([a.title, a.subtitle, a.body, a.notes, *a.tags]))
        for a in ARTICLES
    }


def test_random_substrings_are_found(ix: SearchIndex) -> None:
    rng = random.Random(5)
    texts = _all_texts()
    specials = set('()"“”「」『』:-+ \n')
    checked = 0
    for _ in range(300):
        doc = rng.choice(ARTICLES)
        n = rng.randint(2, 4)
        p = rng.randrange(0, len(doc.body) - n)
        s = doc.body[p : p + n]
        f = analysis.fold(s)  # full-width brackets and quotes are query syntax too
        if any(c in specials or c.isspace() for c in f):
            continue
        expected = {i for i, t in texts.items() if f in t}
        got = set(ids(ix, s))
        assert doc.id in got, s
        assert got == expected, s  # precision too
        checked += 1
    assert checked > 150


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_property_substrings_found(ix: SearchIndex, data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(ARTICLES))
    n = data.draw(st.integers(2, 4))
    p = data.draw(st.integers(0, len(doc.body) - n))
    s = doc.body[p : p + n]
    if any(c.isspace() or c in '()"“”「」『』:-+' for c in analysis.fold(s)):
        return
    assert doc.id in ids(ix, s)


# ------------------------------------------------------------------ ranking


def test_title_matches_rank_above_body_matches(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    filler = "会议还研究了其他事项。" * 3
    docs = [
        IndexDoc(10, "关于城市规划的通知", body="城市更新行动稳步推进。" + filler),
        IndexDoc(11, "城市更新行动启动", body="今年将改造老旧小区一百个。" + filler),
        IndexDoc(12, "一则消息", body=filler + "城市更新。城市更新。"),
    ]
    idx.update(docs)
    assert ids(idx, "城市更新")[0] == 11
    assert set(ids(idx, "城市更新")) == {10, 11, 12}
    idx.close()


def test_more_occurrences_and_shorter_texts_rank_higher(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    filler = "会议还研究了其他事项。" * 10
    idx.update(
        [
            IndexDoc(1, "甲", body="国家" + filler),
            IndexDoc(2, "乙", body="国家，国家，国家。" + filler),
            IndexDoc(3, "丙", body="国家" + filler * 4),
        ]
    )
    assert ids(idx, "国家") == [2, 1, 3]
    idx.close()


# ------------------------------------------------------------------ query features


def test_boolean_operators(ix: SearchIndex) -> None:
    assert set(ids(ix, "协同发展 港口")) == {2}
    assert set(ids(ix, "协同发展 AND 港口")) == {2}
    assert set(ids(ix, "安全生产 OR 社区食堂")) == {3, 5}
    assert set(ids(ix, "协同发展 -港口")) == {1}
    assert set(ids(ix, "协同发展 NOT 港口")) == {1}
    assert set(ids(ix, "(安全生产 OR 集装箱) 检查")) == {3}
    assert 4 in ids(ix, "-协同发展")
    assert 1 not in ids(ix, "-协同发展")


def test_fields(ix: SearchIndex) -> None:
    assert ids(ix, "title:集装箱") == [2]
    assert ids(ix, "title:吞吐量 港口") == [2]
    assert ids(ix, "标题:食堂") == [5]
    assert set(ids(ix, "source:滨河")) == {1, 2}
    assert set(ids(ix, "来源:城市发布")) == {3, 5}
    assert ids(ix, "byline:王晓燕") == [2]
    assert ids(ix, "subtitle:产业链") == [1]
    assert ids(ix, "tag:经济") == [1]
    assert ids(ix, "tag:区域") == []  # whole tags only
    assert ids(ix, 'tag:"人工智能"') == [4]
    assert ids(ix, "note:跟进") == [1]
    assert ids(ix, "note:核实") == [4]
    assert set(ids(ix, "title:(港口 OR 冬季)")) == {2, 3}
    assert ids(ix, "body:港口 title:港口") == [2]
    assert set(ids(ix, "经济")) >= {1}  # a tag matches a plain query too


def test_dates(ix: SearchIndex) -> None:
    assert set(ids(ix, "date:2026-01")) == {1, 3}
    assert set(ids(ix, "date:2026")) == {1, 2, 3}
    assert set(ids(ix, "date:2026-01-01..2026-01-31")) == {1, 3}
    assert set(ids(ix, "date:2026-01-20..")) == {2, 3}
    assert set(ids(ix, "date:..2026-01-15")) == {1, 4}
    assert set(ids(ix, "date:>=2026-01-15")) == {1, 2, 3}
    assert set(ids(ix, "date:>2026-01-15")) == {2, 3}
    assert set(ids(ix, "date:<2026-01-15")) == {4}
    assert set(ids(ix, "date:<=2026-01-15")) == {1, 4}
    assert set(ids(ix, "date:2026-01-15")) == {1}
    assert set(ids(ix, "date:2026/02/03")) == {2}
    assert set(ids(ix, "日期:2025-12")) == {4}
    assert set(ids(ix, "协同 date:2026-02")) == {2}


@pytest.mark.parametrize(
    "q",
    [
        '"协同',
        "“协同",
        "(协同",
        "协同)",
        "()",
        "AND 协同",
        "协同 AND",
        "协同 OR",
        "NOT",
        "title:",
        "date:2026-13",
        "date:2026-02-30",
        "date:2026-02-01..2026-01-01",
        "date:abc",
        "date:>=",
        "date:..",
        "(" * 40 + "a" + ")" * 40,
        "x" * 2000,
    ],
)
def test_malformed_queries_raise_query_error(ix: SearchIndex, q: str) -> None:
    with pytest.raises(QueryError) as info:
        ix.search(q)
    assert info.value.message
    assert str(info.value)


def test_query_error_has_position(ix: SearchIndex) -> None:
    with pytest.raises(QueryError) as info:
        ix.search('协同 "发展')
    assert info.value.position == 3
    assert "quote" in info.value.message


def test_blank_and_punctuation_queries(ix: SearchIndex) -> None:
    assert ix.search("").total == 0
    assert ix.search("   ").hits == []
    assert ix.search("，").hits == []


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(
            list('()"“”:-+ AND OR NOT title:date:..>=<2026-01 协同发展ａ，\u3000')
        ),
        max_size=30,
    )
)
def test_fuzz_only_query_errors(ix: SearchIndex, q: str) -> None:
    try:
        ix.search(q, text_of=body_of)
    except QueryError:
        pass
    assert ix.match_spans(q, ARTICLES[0].body) is not None


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_fuzz_random_text(ix: SearchIndex, q: str) -> None:
    try:
        ix.search(q, limit=5, text_of=body_of)
    except QueryError:
        pass


# ------------------------------------------------------------------ hits, snippets, spans


def test_hit_spans_and_snippets(ix: SearchIndex) -> None:
    res = ix.search("协同发展", text_of=body_of)
    assert res.total == 2
    first = res.hits[0]
    art = ARTICLES[0]
    assert first.id == 1
    assert [art.title[s:e] for s, e in first.title_spans] == ["协同发展"]
    assert first.snippets
    for sn in first.snippets:
        assert sn.text == art.body[sn.start : sn.end]
        for s, e in sn.spans:
            assert sn.start <= s < e <= sn.end
            assert art.body[s:e] == "协同发展"
    assert len(first.snippets) <= 3


def test_snippets_for_folded_matches_use_original_offsets(ix: SearchIndex) -> None:
    res = ix.search("ai芯片", text_of=body_of)
    sn = res.hits[0].snippets[0]
    body = ARTICLES[3].body
    assert [body[s:e] for s, e in sn.spans] == ["ＡＩ芯片"]
    assert [ARTICLES[3].title[s:e] for s, e in res.hits[0].title_spans] == ["ＡＩ芯片"]


def test_snippets_off_and_without_text(ix: SearchIndex) -> None:
    res = ix.search("协同发展", with_snippets=False, text_of=body_of)
    assert all(h.snippets == [] for h in res.hits)
    res = ix.search("协同发展")
    assert all(h.snippets == [] for h in res.hits)
    assert res.hits[0].title_spans


def test_title_only_hit_gets_opening_snippet(ix: SearchIndex) -> None:
    res = ix.search("title:开园", text_of=body_of)
    sn = res.hits[0].snippets
    assert len(sn) == 1 and sn[0].start == 0 and sn[0].spans == []


def test_match_spans(ix: SearchIndex) -> None:
    text = "协同发展，协同创新。ＡＩ与协同"
    assert ix.match_spans("协同", text) == [(0, 2), (5, 7), (13, 15)]
    assert ix.match_spans("ai", text) == [(10, 12)]
    assert ix.match_spans("协同 -创新", text) == [(0, 2), (5, 7), (13, 15)]
    assert ix.match_spans('"协同发展" OR 创新', text) == [(0, 4), (7, 9)]
    assert ix.match_spans('"unbalanced', text) == []
    assert ix.match_spans("", text) == []
    assert ix.match_spans("tag:协同 source:协同", text) == []


def test_fallback_to_words_when_the_exact_string_is_absent(ix: SearchIndex) -> None:
    # no article has the string 港口智慧码头, but one has both words
    assert ids(ix, "港口智慧码头") == [2]
    assert ids(ix, '"港口智慧码头"') == []
    spans = ix.match_spans("港口智慧码头", ARTICLES[1].body)
    assert spans and all(ARTICLES[1].body[s:e] in ("港口", "智慧", "码头") for s, e in spans)


# ------------------------------------------------------------------ updates, rebuild, check


def test_update_delete_and_watermark(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    assert idx.watermark == 0 and idx.doc_count() == 0
    idx.update(ARTICLES[:3], watermark=3)
    assert idx.watermark == 3 and idx.doc_count() == 3
    changed = IndexDoc(2, "港口改名", body="这里不再提集装箱。")
    idx.update([changed], delete_ids=[3], watermark=5)
    assert idx.doc_count() == 2
    assert ids(idx, "集装箱吞吐量") == []
    assert ids(idx, "港口改名") == [2]
    assert ids(idx, "安全生产") == []
    idx.update([], watermark=9)
    assert idx.watermark == 9
    idx.close()
    again = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    assert again.check() is None
    again.open()
    assert again.watermark == 9 and again.doc_count() == 2
    again.close()


def test_many_small_commits_stay_correct(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    for i in range(1, 13):  # enough commits to trigger the small-segment merge
        idx.update([IndexDoc(i, f"第{i}篇", body=f"编号{i}的文章，内容是协同发展。")], watermark=i)
    assert idx.doc_count() == 12
    assert len(ids(idx, "协同发展")) == 12
    idx.update([], delete_ids=range(1, 7), watermark=20)
    assert sorted(ids(idx, "协同发展")) == list(range(7, 13))
    idx.close()


def test_search_while_updating_from_another_thread(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    idx.update(ARTICLES)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for i in range(100, 110):
                idx.update([IndexDoc(i, "新文章", body="协同发展的新消息")], watermark=i)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    t = threading.Thread(target=writer)
    t.start()
    for _ in range(30):
        assert 1 in ids(idx, "协同发展")
    t.join()
    assert not errors
    assert len(ids(idx, "协同发展")) == 12
    idx.close()


def test_rebuild_swaps_in_a_new_index(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    idx.update(ARTICLES[:2], watermark=2)
    seen: list[tuple[int, int]] = []
    assert idx.rebuild(
        iter(ARTICLES), total=len(ARTICLES), progress=lambda n, t: seen.append((n, t)), watermark=40
    )
    assert idx.doc_count() == len(ARTICLES)
    assert idx.watermark == 40
    assert seen and seen[-1] == (len(ARTICLES), len(ARTICLES))
    assert ids(idx, "社区食堂") == [5]
    assert [p.name for p in tmp_path.iterdir()] == ["i"]  # no temporary folders left
    idx.close()


def test_rebuild_cancelled_leaves_old_index(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    idx.update(ARTICLES[:2], watermark=2)
    docs = [IndexDoc(i, "标题", body="正文内容协同") for i in range(1, 300)]
    assert idx.rebuild(docs, total=len(docs), cancelled=lambda: True, watermark=99) is False
    assert idx.watermark == 2 and idx.doc_count() == 2
    assert [p.name for p in tmp_path.iterdir()] == ["i"]
    assert ids(idx, "协同发展") == [1, 2] or set(ids(idx, "协同发展")) == {1, 2}
    idx.close()


def test_rebuild_of_an_unopened_index(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    assert idx.check() == "missing"
    assert idx.rebuild(ARTICLES, watermark=3)
    assert idx.check() is None
    assert idx.doc_count() == len(ARTICLES)
    idx.close()


def test_parallel_rebuild(tmp_path: Path, cache_dir: Path) -> None:
    from index import build

    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    docs = [
        IndexDoc(i, f"标题{i}", body=f"第{i}篇：京津冀协同发展。" + ARTICLES[i % 5].body)
        for i in range(1, 41)
    ]
    old = build.PARALLEL_MIN_DOCS
    build.PARALLEL_MIN_DOCS = 10
    try:
        assert idx.rebuild(docs, total=len(docs), watermark=5)
    finally:
        build.PARALLEL_MIN_DOCS = old
    assert idx.doc_count() == 40
    assert len(ids(idx, "津冀协同")) == 40
    assert set(ids(idx, "社区食堂")) == {i for i in range(1, 41) if i % 5 == 4}
    idx.close()


def _fresh(tmp_path: Path, cache_dir: Path) -> SearchIndex:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    idx.update(ARTICLES, watermark=1)
    idx.close()
    return SearchIndex(tmp_path / "i", cache_dir=cache_dir)


def test_check_missing_and_open_creates(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "nothing", cache_dir=cache_dir)
    assert idx.check() == "missing"
    idx.open()
    assert idx.check() is None
    assert idx.search("协同").total == 0
    idx.close()


def test_check_truncated_segment(tmp_path: Path, cache_dir: Path) -> None:
    idx = _fresh(tmp_path, cache_dir)
    seg = max((tmp_path / "i").glob("*.pst"), key=lambda p: p.stat().st_size)
    data = seg.read_bytes()
    seg.write_bytes(data[: len(data) // 2])
    problem = idx.check()
    assert problem is not None and problem.startswith("corrupt")
    with pytest.raises(IndexProblem) as info:
        idx.open()
    assert info.value.reason.startswith("corrupt")


def test_check_deleted_files(tmp_path: Path, cache_dir: Path) -> None:
    idx = _fresh(tmp_path, cache_dir)
    next((tmp_path / "i").glob("*.trm")).unlink()
    assert (idx.check() or "").startswith("corrupt")
    idx = _fresh(tmp_path / "b", cache_dir)
    next((tmp_path / "b" / "i").glob("*.toc")).unlink()
    assert (idx.check() or "").startswith("corrupt")
    idx = _fresh(tmp_path / "c", cache_dir)
    (tmp_path / "c" / "i" / "pizhu-index.json").unlink()
    assert (idx.check() or "").startswith("corrupt")
    idx = _fresh(tmp_path / "d", cache_dir)
    (tmp_path / "d" / "i" / "pizhu-index.json").write_text("{not json", encoding="utf-8")
    assert (idx.check() or "").startswith("corrupt")


def test_check_stale_schema_and_segmenter(tmp_path: Path, cache_dir: Path) -> None:
    idx = _fresh(tmp_path, cache_dir)
    meta_path = tmp_path / "i" / "pizhu-index.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["schema"] = SCHEMA_VERSION - 1
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert idx.check() == f"built with schema {SCHEMA_VERSION - 1}, need {SCHEMA_VERSION}"
    with pytest.raises(IndexProblem):
        idx.open()
    meta["schema"] = SCHEMA_VERSION
    meta["segmenter"] = "jieba-0.1"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert (idx.check() or "").startswith("segmenter changed")


def test_userdict_change_is_reported(tmp_path: Path, cache_dir: Path) -> None:
    _fresh(tmp_path, cache_dir)
    ud = tmp_path / "userdict.txt"
    ud.write_text("滨河新区 100 ns\n", encoding="utf-8")
    try:
        other = SearchIndex(tmp_path / "i", cache_dir=cache_dir, userdict=ud)
        assert (other.check() or "").startswith("segmenter changed")
    finally:
        analysis.configure(userdict=None)
    assert SearchIndex(tmp_path / "i", cache_dir=cache_dir).check() is None


def test_jieba_cache_goes_to_cache_dir(cache_dir: Path, ix: SearchIndex) -> None:
    ix.search("协同发展")
    assert analysis._SEG.tk.tmp_dir == str(cache_dir)


# ------------------------------------------------------------------ the fast path


def _many_docs() -> list[IndexDoc]:
    rng = random.Random(11)
    sentences = [s for a in ARTICLES for s in a.body.replace("。", "。\n").split("\n") if s]
    docs = []
    for i in range(1, 121):
        body = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        # Every fifth article has no date; the others spread over 2024-2026.
        date = "" if i % 5 == 0 else f"{2024 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        docs.append(
            IndexDoc(
                i,
                rng.choice(sentences)[:12],
                date=date,
                body=body,
                tags=["经济"] * (i % 7 == 0),
                notes="批注：港口" if i % 9 == 2 else "",
            )
        )
    return docs


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Iterator[SearchIndex]:
    docs = _many_docs()
    idx = SearchIndex(tmp_path_factory.mktemp("many") / "index", cache_dir=cache_dir)
    idx.open()
    idx.update(docs[:80], watermark=1)
    idx.update(docs[80:], delete_ids=[3, 5, 81], watermark=2)  # two segments, deletions
    yield idx
    idx.close()


@pytest.fixture(scope="module")
def many_plain(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Iterator[SearchIndex]:
    """``many`` without notes and tags: Whoosh's own matchers (the reference path) see one
    document at a time, and an article's notes and tags live in a document of their own, which
    only the fast path joins (the oracle tests check that join)."""
    docs = [dataclasses.replace(d, tags=[], notes="") for d in _many_docs()]
    idx = SearchIndex(tmp_path_factory.mktemp("many_plain") / "index", cache_dir=cache_dir)
    idx.open()
    idx.update(docs[:80], watermark=1)
    idx.update(docs[80:], delete_ids=[3, 5, 81], watermark=2)
    yield idx
    idx.close()


def _both(idx: SearchIndex, q: str, limit: int = 500) -> tuple[list[int], list[int]]:
    idx.use_fastpath = True
    fast = [h.id for h in idx.search(q, limit=limit).hits]
    idx.use_fastpath = False
    try:
        slow = [h.id for h in idx.search(q, limit=limit).hits]
    finally:
        idx.use_fastpath = True
    return fast, slow


@pytest.mark.parametrize(
    "q",
    [
        "协同发展",
        "发展",
        "安全生产",
        "产业 智能",
        "吞吐量 港口",
        "title:港口",
        "body:智能化",
        "经济",
    ],
)
def test_fast_path_finds_what_whoosh_finds(many_plain: SearchIndex, q: str) -> None:
    fast, slow = _both(many_plain, q)
    assert set(fast) == set(slow)
    assert 3 not in fast and 5 not in fast and 81 not in fast


def test_fast_path_random_substrings_agree(many_plain: SearchIndex) -> None:
    rng = random.Random(3)
    for _ in range(40):
        a = rng.choice(ARTICLES)
        n = rng.randint(2, 5)
        p = rng.randrange(len(a.body) - n)
        s = a.body[p : p + n]
        if any(c.isspace() or c in '()"“”:-+' for c in analysis.fold(s)):
            continue
        fast, slow = _both(many_plain, s)
        assert set(fast) == set(slow), s


COMPOUND_QUERIES = [
    "发展 OR 港口",
    "发展 -港口",
    "-发展",
    "NOT 智能",
    "协同发展 OR (产业 -智能)",
    "(港口 OR 吞吐量) (智能 OR 安全)",
    "发展 date:2025",
    "date:2024-01..2025-06",
    "date:>=2026-03",
    "date:<2025",
    "港口 OR date:2026",
    "-date:2025",
    "发 展",
    "港",
    "，",
    "发展 ，",
    "tag:经济",
    "tag:经济 OR 港口",
    "经济 -tag:经济",
    "note:港口",
    '"协同发展" OR title:港口',
    "化、智 OR 安全生产大检",
    "-化、智",
]


def _oracle(node: object, doc: IndexDoc) -> bool:
    """What a query means, by substring scans of one document's fields."""
    from index.build import date_number
    from index.query import And, DateRange, Everything, Not, Or, Unit
    from index.schema import normalize_tag

    if isinstance(node, Unit):
        tags = {normalize_tag(t) for t in doc.tags}
        if node.field == "tag":
            return normalize_tag(node.text) in tags
        names = ("title", "subtitle", "body", "notes") if node.field is None else (node.field,)
        names = tuple("notes" if n == "note" else n for n in names)
        texts = [analysis.fold(getattr(doc, n)) for n in names]
        if len(node.text) == 1:  # a character that starts a bigram, or is a jieba word
            found = any(node.text in t[:-1] or node.text in analysis.words(t) for t in texts)
        else:
            found = any(node.text in t for t in texts)
        return found or (node.field is None and normalize_tag(node.text) in tags)
    if isinstance(node, DateRange):
        d = date_number(doc.date)
        return (
            d is not None
            and (node.start is None or d >= node.start)
            and (node.end is None or d <= node.end)
        )
    if isinstance(node, Everything):
        return True
    if isinstance(node, Not):
        return not _oracle(node.child, doc)
    if isinstance(node, And):
        return all(_oracle(c, doc) for c in node.children if not _dropped(c))
    if isinstance(node, Or):
        return any(_oracle(c, doc) for c in node.children if not _dropped(c))
    raise AssertionError(node)


def _dropped(node: object) -> bool:
    from index.query import Unit

    return isinstance(node, Unit) and len(node.text) == 1 and not analysis.char_class_ok(node.text)


@pytest.mark.parametrize("q", COMPOUND_QUERIES)
def test_fast_path_answers_any_query_exactly(many: SearchIndex, q: str) -> None:
    from index.query import parse

    node = parse(q)
    alive = [d for d in _many_docs() if d.id not in (3, 5)]  # 81 was deleted, then re-added
    expected = set() if _dropped(node) else {d.id for d in alive if _oracle(node, d)}
    fast = many.search(q, limit=500, with_snippets=False)
    assert {h.id for h in fast.hits} == expected
    assert fast.total == len(expected)
    scores = [h.score for h in fast.hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "q", ["发展 OR 港口", "发展 date:2025", "(港口 OR 吞吐量) (智能 OR 安全)", "港"]
)
def test_fast_path_agrees_with_the_whoosh_path(many_plain: SearchIndex, q: str) -> None:
    fast, slow = _both(many_plain, q)
    assert set(fast) == set(slow)


def test_fast_path_dates_and_negation_are_exact(many: SearchIndex) -> None:
    got = {h.id for h in many.search("date:2025", limit=500).hits}
    # i % 3 == 1 -> 2025; every fifth article has no date; 3 and 5 are deleted
    assert got == {i for i in range(1, 121) if i % 3 == 1 and i % 5 and i not in (3, 5)}
    everything = {h.id for h in many.search("-date:2025", limit=500).hits}
    assert everything == set(range(1, 121)) - got - {3, 5}


@pytest.mark.parametrize(
    "q", ["发展 OR 港口", "化、智 OR 安全生产大检", "-化、智", "港", "发展 -港口"]
)
def test_compound_first_hits_do_not_depend_on_the_limit(many: SearchIndex, q: str) -> None:
    from index import fastpath

    old = fastpath.EAGER_CHECK
    fastpath.EAGER_CHECK = 0  # the lazy, best-first checking
    try:
        full = many.search(q, limit=1000)
        for limit in (1, 3, 7, 20):
            part = many.search(q, limit=limit)
            assert [h.id for h in part.hits] == [h.id for h in full.hits[:limit]]
            assert part.total >= len(part.hits)
    finally:
        fastpath.EAGER_CHECK = old


@pytest.mark.parametrize("q", ["化、智", "协同发展", "发展", "产业 智能", "安全生产大检"])
def test_first_hits_do_not_depend_on_the_limit(many: SearchIndex, q: str) -> None:
    from index import fastpath

    old = fastpath.EAGER_CHECK
    fastpath.EAGER_CHECK = 0  # check positions lazily even for small candidate sets
    try:
        full = [h.id for h in many.search(q, limit=1000).hits]
        for limit in (1, 3, 7, 20):
            assert [h.id for h in many.search(q, limit=limit).hits] == full[:limit]
    finally:
        fastpath.EAGER_CHECK = old


def test_lazy_checking_gives_the_same_top_hits(many: SearchIndex) -> None:
    from index import fastpath

    full = many.search("化、智", limit=500)
    old = fastpath.EAGER_CHECK
    fastpath.EAGER_CHECK = 0
    try:
        lazy = many.search("化、智", limit=3)
        everything = many.search("化、智", limit=500)
    finally:
        fastpath.EAGER_CHECK = old
    assert [h.id for h in lazy.hits] == [h.id for h in full.hits[:3]]
    assert lazy.total >= len(lazy.hits)
    assert [h.id for h in everything.hits] == [h.id for h in full.hits]
    assert everything.total == full.total == len(full.hits)


def test_tiered_merges_and_optimize(tmp_path: Path, cache_dir: Path) -> None:
    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    for i in range(1, 11):
        body = f"第{i}篇，京津冀协同发展。" + ARTICLES[i % 5].body
        idx.update([IndexDoc(i, f"标题{i}", body=body, tags=["标签"])], watermark=i)
    assert idx.segment_count() < 10  # the smallest tier was merged
    idx.update([IndexDoc(4, "改写", body="第4篇已改写")], delete_ids=[2], watermark=11)
    before = {q: sorted(ids(idx, q)) for q in ["津冀协同", "社区食堂", "tag:标签", "改写", "第4篇"]}
    assert 2 not in before["津冀协同"] and 4 not in before["津冀协同"]
    idx.optimize()
    assert idx.segment_count() == 1
    assert idx.doc_count() == 9
    for q, expected in before.items():
        assert sorted(ids(idx, q)) == expected
    assert idx.check() is None
    assert idx.watermark == 11
    idx.close()


def test_check_accepts_a_commit_newer_than_the_description(tmp_path: Path, cache_dir: Path) -> None:
    # a crash after Whoosh's commit but before pizhu-index.json was rewritten
    idx = _fresh(tmp_path, cache_dir)
    meta_path = tmp_path / "i" / "pizhu-index.json"
    old_meta = meta_path.read_text(encoding="utf-8")
    idx.open()
    for i in range(20, 32):
        idx.update([IndexDoc(i, "新文章", body="新的内容")], watermark=i)
    idx.close()
    meta_path.write_text(old_meta, encoding="utf-8")
    assert idx.check() is None
    idx.open()
    assert idx.watermark == 1  # too low is harmless: the changes are applied again
    assert len(ids(idx, "新的内容")) == 12
    idx.close()


def test_limit_zero_gives_only_the_total(ix: SearchIndex) -> None:
    res = ix.search("协同发展", limit=0)
    assert res.hits == [] and res.total == 2


def test_verify_finds_damage_that_keeps_the_size(tmp_path: Path, cache_dir: Path) -> None:
    idx = _fresh(tmp_path, cache_dir)
    assert idx.verify() is None
    victim = max((tmp_path / "i").glob("*.pst"), key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    assert idx.check() is None  # cheap: sizes only
    assert (idx.verify() or "").startswith("corrupt")


def test_a_found_substring_needs_no_jieba_dictionary(tmp_path: Path, cache_dir: Path) -> None:
    # Search answers before jieba's 0.6 s dictionary load: only the fall-back to words uses it.
    import subprocess
    import sys

    idx = SearchIndex(tmp_path / "i", cache_dir=cache_dir)
    idx.open()
    idx.update([IndexDoc(1, "京津冀新闻", body="推进京津冀协同发展。")], watermark=1)
    idx.close()
    code = (
        "import sys; from pathlib import Path; from index import SearchIndex, analysis\n"
        "ix = SearchIndex(Path(sys.argv[1]), cache_dir=Path(sys.argv[2])); ix.open()\n"
        "r = ix.search('协同发展', text_of=lambda ids: {1: '推进京津冀协同发展。'})\n"
        "print(r.total, bool(r.hits[0].snippets), analysis._SEG.ready)\n"
        "r = ix.search('发展协同')\n"  # found nowhere as a string: split into jieba words
        "print(r.total, analysis._SEG.ready)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "i"), str(cache_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout.split()
    assert out == ["1", "True", "False", "1", "True"]


def test_the_reference_path_skips_annotation_documents(tmp_path: Path, cache_dir: Path) -> None:
    """Review finding: an h<uuid> document made the Whoosh path fail on int('h…')."""
    from index import HighlightDoc

    idx = SearchIndex(tmp_path / "index", cache_dir=cache_dir)
    idx.open()
    idx.update([IndexDoc(1, "蝴蝶标本展", body="展出蝴蝶标本三百件。",
                         highlights=[HighlightDoc("u-1", note="蝴蝶的笔记", tags=["展览"])])],
               watermark=1)
    idx.use_fastpath = False
    assert [h.id for h in idx.search("蝴蝶").hits] == [1]
    idx.use_fastpath = True
    assert [h.id for h in idx.search("note:蝴蝶的笔记").hits] == [1]
    idx.close()


def test_edits_across_many_small_segments_and_merges(tmp_path: Path, cache_dir: Path) -> None:
    """Deletions go through segment readers kept between commits: a highlight document in any
    older segment (also one merged since) is replaced, never found twice or left behind."""
    from index import HighlightDoc

    alpha = "甲乙丙丁戊己庚辛壬癸"

    def note(i: int) -> str:
        return f"批注{alpha[i // 10]}{alpha[i % 10]}号"

    idx = SearchIndex(tmp_path / "index", cache_dir=cache_dir)
    idx.open()
    idx.update([IndexDoc(1, "编辑测试", body="正文一段。")], watermark=1)
    for i in range(30):  # 30 commits: small segments, merged eight at a time
        key = f"u{i % 5}"
        idx.update([], highlights=[(1, key, HighlightDoc(key, note=note(i)))], watermark=2 + i)
    assert idx.segment_count() < 30
    for i in range(25):  # older versions are gone
        assert idx.search(note(i)).total == 0, note(i)
    for i in range(25, 30):
        assert [h.id for h in idx.search(note(i)).hits] == [1]
    idx.update([], highlights=[(1, "u0", None)], watermark=40)  # u0's last note was note(25)
    assert idx.search(note(25)).total == 0 and idx.search(note(26)).total == 1
    assert idx.doc_count() == 1
    idx.close()
