"""Tag management (issue 14): nested tags (政策/京津冀: the parent recalls the children), rename,
merge and delete on articles and highlights, each undone exactly by restore_tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.library import ArticleFilter, Library, LibraryError, clean_tags
from reader.core.tags import is_under, moved, normalize_tag, tag_ancestors

ARTICLES = {
    "a.txt": ("京津冀通勤圈扩容", "城际列车加密到每十分钟一班，跨城通勤更方便。"),
    "b.txt": ("长三角港口联动", "几个港口共享堆场信息，集装箱周转快了一天。"),
    "c.txt": ("乡镇卫生院招来年轻医生", "县里给予住房补贴，三年里来了十二位医生。"),
}


@pytest.fixture
def lib(lib: Library, tmp_path: Path) -> Library:
    src = tmp_path / "src"
    src.mkdir()
    for name, (title, body) in ARTICLES.items():
        (src / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    library = lib  # conftest's empty library, stocked here
    assert library.import_paths([src]).count("added") == 3
    return library


@pytest.fixture
def tagged(lib):
    t = {a.title: a.id for a in lib.articles()}
    jjj, csj, xz = t["京津冀通勤圈扩容"], t["长三角港口联动"], t["乡镇卫生院招来年轻医生"]
    lib.set_article_tags(jjj, ["政策/京津冀", "交通"])
    lib.set_article_tags(csj, ["政策/长三角"])
    lib.set_article_tags(xz, ["政策法规"])  # same start, not a child
    h1 = lib.add_highlight(jjj, 0, 4, tags=["政策/京津冀/通勤"])
    h2 = lib.add_highlight(csj, 0, 3, tags=["政策", "港口"])
    h3 = lib.add_highlight(xz, 0, 4, tags=["医疗"])
    return lib, (jjj, csj, xz), (h1.uuid, h2.uuid, h3.uuid)


def assignments(lib: Library) -> tuple[dict[int, list[str]], dict[str, list[str]]]:
    arts = {a.id: lib.article(a.id).tags for a in lib.articles()}
    hls = {h.uuid: h.tags for h in lib.highlights()}
    return arts, hls


def test_tag_strings():
    assert tag_ancestors("政策/京津冀/交通") == ["政策", "政策/京津冀"]
    assert tag_ancestors("政策") == []
    assert normalize_tag("政策／京津冀/") == "政策/京津冀"
    assert normalize_tag("/政策//京津冀") == "政策/京津冀"
    assert clean_tags(["#政策／京津冀", "政策/京津冀", "/"]) == ["政策/京津冀"]
    assert clean_tags(["=cmd|' /C calc'!A0"]) == ["=cmd|' /C calc'!A0"]  # text kept as is
    assert is_under("政策/京津冀", "政策") and is_under("政策", "政策")
    assert not is_under("政策法规", "政策")
    assert moved("政策/京津冀", "政策", "时政") == "时政/京津冀"


def test_parent_recalls_children(tagged):
    lib, (jjj, csj, xz), (h1, h2, _h3) = tagged
    assert {h.uuid for h in lib.highlights(tags=["政策"])} == {h1, h2}
    assert {h.uuid for h in lib.highlights(tags=["政策/京津冀"])} == {h1}
    assert {h.uuid for h in lib.highlights(tags=["政策", "港口"])} == {h2}
    assert {h.uuid for h in lib.highlights(tags=["政策/京津冀", "港口"], any_tag=True)} == {h1, h2}
    assert {a.id for a in lib.articles(ArticleFilter(tags=["政策"]))} == {jjj, csj}
    assert {a.id for a in lib.articles(ArticleFilter(tags=["政策/京津冀"]))} == {jjj}
    assert {a.id for a in lib.articles(ArticleFilter(tags=["政策法规"]))} == {xz}
    tree = {t.name: (t.articles, t.highlights) for t in lib.tag_tree()}
    assert tree["政策"] == (2, 2)
    assert tree["政策/京津冀"] == (1, 1)
    assert tree["政策/京津冀/通勤"] == (0, 1)
    assert tree["政策法规"] == (1, 0)


def test_rename_parent_moves_children_and_undo(tagged):
    lib, (jjj, csj, _xz), (h1, h2, _h3) = tagged
    before = assignments(lib)
    change = lib.rename_tag("政策", "时政")
    assert change.renamed == {"政策": "时政", "政策/京津冀": "时政/京津冀",
                              "政策/京津冀/通勤": "时政/京津冀/通勤", "政策/长三角": "时政/长三角"}
    assert (change.articles, change.highlights) == (2, 2)
    assert lib.article(jjj).tags == ["交通", "时政/京津冀"]
    assert lib.highlight(h1).tags == ["时政/京津冀/通勤"]
    assert lib.article(csj).tags == ["时政/长三角"]
    assert "政策法规" in {t.name for t in lib.tags()}  # not under 政策
    assert {h.uuid for h in lib.highlights(tags=["时政"])} == {h1, h2}
    hits, _n = lib.search('tag:"时政/京津冀"')
    assert [h.article.id for h in hits] == [jjj]
    lib.restore_tags(change.undo)
    assert assignments(lib) == before
    assert not any(t.name.startswith("时政") for t in lib.tags())


def test_rename_onto_existing_merges(tagged):
    lib, (jjj, csj, _xz), (_h1, h2, _h3) = tagged
    before = assignments(lib)
    change = lib.rename_tag("政策/长三角", "交通")
    assert lib.article(csj).tags == ["交通"]
    assert {a.id for a in lib.articles(ArticleFilter(tags=["交通"]))} == {jjj, csj}
    assert change.articles == 1
    lib.restore_tags(change.undo)
    assert assignments(lib) == before


def test_merge_and_undo(tagged):
    lib, (jjj, csj, xz), (h1, h2, h3) = tagged
    before = assignments(lib)
    change = lib.merge_tags(["港口", "医疗"], "民生")
    assert (change.articles, change.highlights) == (0, 2)
    assert "民生" in lib.highlight(h2).tags and lib.highlight(h3).tags == ["民生"]
    assert {t.name for t in lib.tags()} >= {"民生"} and "港口" not in {t.name for t in lib.tags()}
    lib.restore_tags(change.undo)
    assert assignments(lib) == before
    # a child merged into its parent
    change = lib.merge_tags(["政策/京津冀"], "政策")
    assert lib.article(jjj).tags == ["交通", "政策"]
    assert lib.highlight(h1).tags == ["政策/通勤"]
    lib.restore_tags(change.undo)
    assert assignments(lib) == before


def test_delete_tag_with_children_and_undo(tagged):
    lib, (jjj, csj, xz), (h1, h2, _h3) = tagged
    before = assignments(lib)
    change = lib.delete_tag("政策")
    assert (change.articles, change.highlights) == (2, 2)
    assert sorted(change.removed) == ["政策", "政策/京津冀", "政策/京津冀/通勤", "政策/长三角"]
    assert lib.article(jjj).tags == ["交通"] and lib.article(csj).tags == []
    assert lib.highlight(h1).tags == [] and lib.highlight(h2).tags == ["港口"]
    assert lib.article(xz).tags == ["政策法规"]
    lib.restore_tags(change.undo)
    assert assignments(lib) == before


def test_bad_tag_operations_are_refused(tagged):
    lib = tagged[0]
    before = assignments(lib)
    with pytest.raises(LibraryError, match="no tag"):
        lib.rename_tag("不存在", "新")
    with pytest.raises(LibraryError, match="itself"):
        lib.rename_tag("政策", "政策/新")
    with pytest.raises(LibraryError, match="itself"):
        lib.merge_tags(["交通"], "交通")
    with pytest.raises(LibraryError, match="no tag"):
        lib.delete_tag("不存在")
    assert assignments(lib) == before


def test_case_only_rename_and_undo(lib):
    aid = lib.articles()[0].id
    lib.set_article_tags(aid, ["ai/policy"])
    change = lib.rename_tag("ai", "AI")
    assert lib.article(aid).tags == ["AI/policy"]
    lib.restore_tags(change.undo)
    assert lib.article(aid).tags == ["ai/policy"]


def test_search_by_a_parent_tag_finds_the_children(tmp_path) -> None:
    """tag:政策 finds an article tagged 政策/京津冀 and one whose highlight carries it."""
    from reader.core.library import Library

    a = tmp_path / "a.txt"
    a.write_text("父标签一\n第一篇正文。\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("父标签二\n第二篇正文。\n", encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([a, b])
        ids = {x.title: x.id for x in lib.articles()}
        lib.set_article_tags(ids["父标签一"], ["政策/京津冀"])
        lib.add_highlight(ids["父标签二"], 0, 2, tags=["政策/交通"])
        assert {h.article.id for h in lib.search("tag:政策")[0]} == set(ids.values())
        assert [h.article.id for h in lib.search("tag:政策/交通")[0]] == [ids["父标签二"]]
        lib.delete_articles([ids["父标签一"]])
        assert [h.article.id for h in lib.search("tag:政策")[0]] == [ids["父标签二"]]
        assert lib.index().doc_count() == 1  # the trash is out of the index
