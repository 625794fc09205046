"""Recall beyond tags (issue 17), core and CLI: highlight search, related articles, suggested
tags, pinyin tag matching."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from recall_fixtures import ARTICLES, BOILERPLATE, recall_library, write_markdown

from index import QueryError
from reader.cli.commands import main
from reader.core import recall


@pytest.fixture(scope="module")
def lib_ids(tmp_path_factory: pytest.TempPathFactory):
    lib, ids = recall_library(tmp_path_factory.mktemp("recall"))
    lib.index()
    yield lib, ids
    lib.close()


def _id(ids: dict[str, int], k: int) -> int:
    return ids[ARTICLES[k]["title"]]


# ---------------------------------------------------------------------- highlight search
def test_search_highlights_quotes_notes_tags_and_query_language(lib_ids) -> None:
    lib, ids = lib_ids
    a0, a2 = lib.article(_id(ids, 0)), lib.article(_id(ids, 2))
    s = a0.body.index("智慧港口")
    h1 = lib.add_highlight(a0.id, s, s + len("智慧港口建设"), note="码头自动化值得跟进",
                           tags=["港口/天津"])
    s = a2.body.index("社区食堂由街道")
    h2 = lib.add_highlight(a2.id, s, s + 6, note="", tags=[])
    try:
        find = lambda q: set(recall.search_highlights(lib, q))  # noqa: E731
        assert find("港口建") == {h1.uuid}  # a substring of the quote, not a jieba word
        assert find("自动化") == {h1.uuid}  # the note
        assert find("tag:港口") == {h1.uuid}  # a parent tag finds its children
        assert find("港口/天津") == {h1.uuid}  # an unfielded term matches a whole tag
        assert find("食堂") == {h2.uuid}
        assert find("食堂 OR 跟进") == {h1.uuid, h2.uuid}
        assert find("-食堂") >= {h1.uuid} and h2.uuid not in find("-食堂")
        assert find("note:食堂") == set()
        assert find("ＳＨＥ食堂") == set()  # all terms must match
        assert find("title:社区食堂") == {h2.uuid}
        assert find("source:滨海日报") == {h1.uuid, h2.uuid}
        assert find("食堂 -source:城市晚报") == {h2.uuid}
        assert find("source:城市晚报") == set()
        assert find("date:2026-01") == {h1.uuid, h2.uuid}
        assert find("date:2026-02") == set()
        assert find("社區食堂") == {h2.uuid}  # Traditional finds Simplified (folding)
        assert find("食堂由") == {h2.uuid}
        assert find("") == {h.uuid for h in lib.highlights()}
        with pytest.raises(QueryError):
            recall.search_highlights(lib, '"open')
    finally:
        lib.delete_highlight(h1.uuid)
        lib.delete_highlight(h2.uuid)


def test_search_highlights_is_substring_complete(lib_ids) -> None:
    """Every substring of every quote (2–6 characters) finds its highlight."""
    lib, ids = lib_ids
    art = lib.article(_id(ids, 6))
    s = art.body.index("检查组")
    h = lib.add_highlight(art.id, s, s + 20)
    try:
        q = h.quote
        for n in range(2, 7):
            for i in range(len(q) - n + 1):
                sub = q[i:i + n]
                if not sub.strip() or any(c in '()"“”「」『』:-' for c in sub) or " " in sub:
                    continue
                assert h.uuid in recall.search_highlights(lib, sub), sub
    finally:
        lib.delete_highlight(h.uuid)


# ---------------------------------------------------------------------- related
def test_related_articles_share_key_words(lib_ids) -> None:
    lib, ids = lib_ids
    port = _id(ids, 0)
    got = recall.related_articles(lib, port)
    assert 1 <= len(got) <= recall.MAX_RELATED
    assert port not in [r.article.id for r in got]
    assert {_id(ids, 1), _id(ids, 7)} <= {r.article.id for r in got}  # the ports, 京津冀
    for r in got:
        assert len(r.terms) >= 2
        text = r.article.title + lib.article(r.article.id).body
        assert all(t in text for t in r.terms), r.terms  # each shared word is in both
    elderly = {r.article.id for r in recall.related_articles(lib, _id(ids, 2))}
    assert _id(ids, 3) in elderly and port not in elderly


def test_related_leaves_out_the_trash(lib_ids) -> None:
    lib, ids = lib_ids
    other = _id(ids, 1)
    lib.delete_articles([other])
    try:
        lib.index()
        assert other not in [r.article.id for r in recall.related_articles(lib, _id(ids, 0))]
    finally:
        lib.restore_articles([other])
        lib.index()


# ---------------------------------------------------------------------- suggested tags
def test_suggested_tags_leave_out_boilerplate_and_prefer_the_users_tags(lib_ids) -> None:
    lib, ids = lib_ids
    for k in range(len(ARTICLES)):
        got = recall.suggest_tags(lib, _id(ids, k))
        assert 1 <= len(got) <= 5
        assert not {s.tag for s in got} & BOILERPLATE, [s.tag for s in got]
        assert not any(ch.isdigit() for s in got for ch in s.tag)
    port = _id(ids, 1)
    lib.set_article_tags(_id(ids, 6), ["交通/航线"])  # an existing tag, on another article
    try:
        got = recall.suggest_tags(lib, port)
        assert got[0].tag == "交通/航线" and got[0].existing
        assert "航线" not in [s.tag for s in got]  # the keyword became the user's own tag
        lib.set_article_tags(port, ["交通/航线"])
        assert "交通/航线" not in [s.tag for s in recall.suggest_tags(lib, port)]  # has it
    finally:
        lib.set_article_tags(port, [])
        lib.set_article_tags(_id(ids, 6), [])


def test_suggested_tags_for_a_highlight(lib_ids) -> None:
    lib, ids = lib_ids
    art = lib.article(_id(ids, 4))
    s = art.body.index("八家人工智能芯片企业")
    h = lib.add_highlight(art.id, s, s + 10, note="芯片设计企业扎堆")
    try:
        tags = [t.tag for t in recall.suggest_tags(lib, highlight=h.uuid)]
        assert "芯片" in tags or "人工智能" in tags, tags
    finally:
        lib.delete_highlight(h.uuid)


def test_startup_does_not_load_jieba_analysis() -> None:
    """Importing the app (CLI entry and GUI modules) never imports jieba.analyse/posseg."""
    code = (
        "import sys, reader.cli.commands, reader.ui.app, reader.ui.main_window, "
        "reader.core.recall, reader.cli.recall\n"
        "bad = [m for m in ('jieba.analyse', 'jieba.posseg') if m in sys.modules]\n"
        "print(bad)\n"
        "assert not bad, bad"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
                         cwd=str(Path(__file__).resolve().parent.parent))
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------- pinyin
@pytest.mark.parametrize(("query", "tag", "ok"), [
    ("gangkou", "港口", True), ("gk", "港口", True), ("gangk", "港口", True),
    ("GangKou", "港口", True), ("gang kou", "港口", True), ("kou", "天津港口", True),
    ("zhengce", "政策/京津冀", True), ("jjj", "政策/京津冀", True), ("港", "港口", True),
    ("港口", "港口", True), ("hang", "银行", True), ("xing", "银行", True),  # heteronym
    ("gkx", "港口", False), ("kg", "港口", False), ("gangkouu", "港口", False),
    ("", "港口", True), ("ai", "AI芯片", True), ("aix", "AI芯片", True),
    ("gang", "港口", True), ("港口", "港口建設", True), ("港口建设", "港口建設", True),
])
def test_tag_matches(query: str, tag: str, ok: bool) -> None:
    assert recall.tag_matches(query, tag) is ok


# ---------------------------------------------------------------------- CLI
def test_cli_related_suggest_and_highlight_search(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "import", *map(str, write_markdown(tmp_path / "src"))]) == 0
    capsys.readouterr()
    assert main(["--library", lib, "list", "--json"]) == 0
    ids = {a["title"]: a["id"] for a in json.loads(capsys.readouterr().out)}
    port = str(ids[ARTICLES[0]["title"]])
    assert main(["--library", lib, "related", port, "--json"]) == 0
    rel = json.loads(capsys.readouterr().out)
    assert rel and all(r["id"] != int(port) and len(r["shared"]) >= 2 for r in rel)
    assert main(["--library", lib, "related", port]) == 0
    assert "共有" in capsys.readouterr().out
    assert main(["--library", lib, "suggest-tags", port, "--json"]) == 0
    tags = [s["tag"] for s in json.loads(capsys.readouterr().out)]
    assert "港口" in tags or "天津港" in tags, tags
    assert main(["--library", lib, "highlight", port, "--quote", "智慧港口建设",
                 "--note", "值得跟进", "--json"]) == 0
    uuid = json.loads(capsys.readouterr().out)["uuid"]
    assert main(["--library", lib, "highlights", "--search", "港口建", "--json"]) == 0
    assert [h["uuid"] for h in json.loads(capsys.readouterr().out)] == [uuid]
    assert main(["--library", lib, "highlights", "--search", "note:跟进 -港口", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--library", lib, "highlights", "--search", '"open']) == 2
    assert "--search" in capsys.readouterr().err
    assert main(["--library", lib, "suggest-tags", "--highlight", uuid, "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)
    assert main(["--library", lib, "related", "999"]) == 1
