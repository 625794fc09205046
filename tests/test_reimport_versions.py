"""Re-importing a corrected version of an article through Library.import_paths: the old text is
kept as a version, highlights move with their text, a highlight whose text is gone becomes an
orphan (never deleted), and comes back when its text returns."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from annotation_fixtures import ARTICLE_A, wechat_entry, write_wechat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.anchoring import MIN_SIMILARITY, reanchor, similarity
from reader.core.annotating import context as _context
from reader.core.editing import replace_text
from reader.core.library import Library
from reader.core.versions import history, hunks


def _hl(lib: Library, article_id: int, quote: str, **kw: object):
    body = lib.article(article_id).body
    start = body.index(quote)
    return lib.add_highlight(article_id, start, start + len(quote), **kw)


def test_wechat_reimport_keeps_version_and_moves_highlights(lib: Library, tmp_path: Path) -> None:
    v1 = write_wechat(tmp_path / "v1.json", [wechat_entry("wx-7", "小城图书馆扩建", ARTICLE_A)])
    rep = lib.import_paths([v1])
    assert rep.count("added") == 1
    (art,) = lib.articles()
    moved = _hl(lib, art.id, "周末常常坐满了读书的孩子", note="热闹", tags=["阅读"])
    corrected = _hl(lib, art.id, "新书大多来自市民捐赠，其中不少是绝版的地方志", color="blue")
    gone = _hl(lib, art.id, "为了方便老人", note="适老化")
    old_body = lib.article(art.id).body

    fixed = [
        "【更正】本文第三段有误，已更正。",  # inserted before everything: offsets shift
        ARTICLE_A[0],
        ARTICLE_A[1],
        "馆长说，新书大多来自市民的捐赠，其中不少是绝版的地方志。",  # one word corrected
        "阅览室还添置了大字本和放大镜。",  # the highlighted clause is removed
    ]
    v2 = write_wechat(tmp_path / "v2.json", [wechat_entry("wx-7", "小城图书馆扩建", fixed)])
    rep = lib.import_paths([v2])
    assert [f.status for f in rep.files] == ["updated"]

    a = lib.article(art.id)
    assert a.body != old_body
    vs = lib.versions(art.id)
    assert [v["body"] for v in vs] == [old_body]
    assert "v2.json" in vs[0]["reason"]

    h1 = lib.highlight(moved.uuid)
    assert a.body[h1.start:h1.end] == "周末常常坐满了读书的孩子" == h1.quote
    assert h1.start > moved.start and not h1.orphan
    assert (h1.note, h1.tags) == ("热闹", ["阅读"])

    h2 = lib.highlight(corrected.uuid)
    assert not h2.orphan
    assert h2.quote == a.body[h2.start:h2.end]
    assert h2.quote == "新书大多来自市民的捐赠，其中不少是绝版的地方志"
    assert h2.color == "blue"

    h3 = lib.highlight(gone.uuid)
    assert h3.orphan and not h3.deleted
    assert h3.quote == "为了方便老人" and h3.note == "适老化"
    assert [h.uuid for h in lib.highlights(orphans=True)] == [gone.uuid]
    assert len(lib.highlights(article_id=art.id)) == 3  # nothing deleted

    # the same corrected file again: nothing changes
    rep = lib.import_paths([v2])
    assert [f.status for f in rep.files] == ["unchanged"]
    assert len(lib.versions(art.id)) == 1

    # a third version brings the removed clause back: the orphan is re-attached
    v3 = write_wechat(tmp_path / "v3.json", [wechat_entry("wx-7", "小城图书馆扩建", [
        *fixed[:4], "为了方便老人，阅览室还添置了大字本和放大镜。"])])
    assert [f.status for f in lib.import_paths([v3]).files] == ["updated"]
    h3 = lib.highlight(gone.uuid)
    a = lib.article(art.id)
    assert not h3.orphan and a.body[h3.start:h3.end] == "为了方便老人"
    assert [v["version"] for v in lib.versions(art.id)] == [1, 2]

    # the history and its diff
    hist = history(lib, art.id)
    assert [v.number for v in hist] == [1, 2, 3] and hist[-1].current
    changes = hunks(hist[0].body, hist[1].body)
    assert any("更正" in h.inserted for h in changes)
    assert any(h.inserted == "的" for h in changes)
    assert any("为了方便老人" in h.deleted for h in changes)

    # search sees the current text
    hits, _ = lib.search("更正")
    assert [h.article.id for h in hits] == [art.id]


def test_same_page_file_reextracted_with_a_fix(lib: Library, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "## 老街社区食堂开张\n\n老街的社区食堂上周正式开张，每天中午供应两荤两素。\n"
        "七十岁以上的老人凭卡用餐可以享受八折忧惠。\n\n"
        "## 河道整治完工\n\n历时半年的河道整治工程日前完工，两岸新建了步行道。\n"
        "附近居民傍晚常来散步。\n",
        encoding="utf-8",
    )
    rep = lib.import_paths([page])
    assert rep.count("added") == 2, rep.files
    canteen = next(a for a in lib.articles() if "食堂" in a.title)
    river = next(a for a in lib.articles() if "河道" in a.title)
    typo = _hl(lib, canteen.id, "可以享受八折忧惠", note="错别字？")
    walk = _hl(lib, river.id, "两岸新建了步行道")

    # the same file, re-extracted with the typo fixed and a sentence added
    page.write_text(page.read_text(encoding="utf-8").replace("忧惠", "优惠").replace(
        "两荤两素。\n", "两荤两素。\n食堂由社区居委会和一家本地餐馆合作经营。\n"), encoding="utf-8")
    rep = lib.import_paths([page])
    assert rep.count("updated") == 1 and rep.count("added") == 0, rep.files

    c = lib.article(canteen.id)
    assert "优惠" in c.body and len(lib.versions(canteen.id)) == 1
    h = lib.highlight(typo.uuid)
    assert not h.orphan and h.quote == "可以享受八折优惠" == c.body[h.start:h.end]
    assert h.start > typo.start  # moved past the inserted sentence
    w = lib.highlight(walk.uuid)
    assert (w.start, w.end, w.orphan) == (walk.start, walk.end, False)  # other article untouched
    assert lib.versions(river.id) == []


def test_merge_and_split_keep_highlights(lib: Library, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "## 第一篇报道\n\n春天来到江南小城，河边的柳树抽出了新芽。\n\n"
        "## 第二篇报道\n\n镇上的图书馆今年扩建了阅览室。\n",
        encoding="utf-8",
    )
    lib.import_paths([page])
    first, second = sorted(lib.articles(), key=lambda a: a.page_index)
    h1 = _hl(lib, first.id, "柳树抽出了新芽")
    h2 = _hl(lib, second.id, "扩建了阅览室")
    merged = lib.merge_with_previous(second.id)
    body = lib.article(merged).body
    for h in (h1, h2):
        got = lib.highlight(h.uuid)
        assert got.article_id == merged and body[got.start:got.end] == h.quote
    new_id = lib.split_article(merged, body.index("第二篇报道"))
    got = lib.highlight(h2.uuid)
    assert got.article_id == new_id
    assert lib.article(new_id).body[got.start:got.end] == "扩建了阅览室"
    assert len(lib.versions(merged)) == 2  # merge and split each kept the previous text


# ---------------------------------------------------------------------- property, through the store
HAN = "春风江南岸水城市乡村经济文化人民生活科技创新改革发展时代绿色教育建设"
sentence = st.builds(lambda b, p: b + p, st.text(alphabet=HAN, min_size=3, max_size=20),
                     st.sampled_from(["，", "。", ",", "；", "。\n"]))


@st.composite
def edit_script(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], str]:
    text = "".join(draw(st.lists(sentence, min_size=2, max_size=10))).strip("\n")
    spans = []
    for _ in range(draw(st.integers(1, 4))):
        s = draw(st.integers(0, len(text) - 1))
        spans.append((s, draw(st.integers(s + 1, min(len(text), s + 25)))))
    new = text
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "width"]))
        at = draw(st.integers(0, len(new)))
        if op == "insert":
            new = new[:at] + draw(sentence) + new[at:]
        elif op == "delete" and at < len(new):
            new = new[:at] + new[at + draw(st.integers(1, 15)):]
        else:
            new = new.replace("，", ",", 1) if draw(st.booleans()) else new.replace(",", "，", 1)
    return text, spans, new.strip("\n") or "空"


@pytest.fixture(scope="module")
def shared_lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with Library.open(tmp_path_factory.mktemp("prop") / "lib") as library:
        yield library


@settings(max_examples=int(os.environ.get("PIZHU_FUZZ_EXAMPLES", "200")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edit_script())
def test_replacing_text_never_deletes_and_never_misplaces(
    shared_lib: Library, case: tuple[str, list[tuple[int, int]], str]
) -> None:
    text, spans, new = case
    lib = shared_lib
    # rows written directly (the index is not involved: hypothesis seeds `random`, and Whoosh
    # names its segments with it)
    with lib.store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO articles(uuid, key, title, body, content_hash, imported_at, updated_at)"
            " VALUES (?, ?, '测试', ?, ?, '2026-01-01', '2026-01-01')",
            (str(uuid.uuid4()), f"test:{uuid.uuid4()}", text, uuid.uuid4().hex),
        )
        aid = cur.lastrowid
        for s, e in spans:
            conn.execute(
                "INSERT INTO highlights(uuid, article_id, start, end, quote, prefix, suffix,"
                " created, updated) VALUES (?,?,?,?,?,?,?, '2026-01-01', '2026-01-01')",
                (str(uuid.uuid4()), aid, s, e, text[s:e], *_context(text, s, e)),
            )
    before = lib.highlights(article_id=aid)
    with lib.store.transaction() as conn:
        replace_text(conn, aid, "测试", new, reason="property test")
    after = {h.uuid: h for h in lib.highlights(article_id=aid, include_deleted=True)}
    assert set(after) == {h.uuid for h in before}  # nothing lost, nothing deleted
    for old in before:
        h = after[old.uuid]
        assert not h.deleted
        expected = reanchor(new, old.quote, old.prefix, old.suffix, old.start)
        assert h.orphan == (expected is None)
        if old.quote in new:
            assert not h.orphan
        if not h.orphan:
            found = new[h.start:h.end]
            assert h.quote == found
            assert found == old.quote or similarity(old.quote, found) >= MIN_SIMILARITY
    assert lib.versions(aid)[-1]["body"] == text
