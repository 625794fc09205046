"""Managing articles (issue 14): editing details of one or many, the trash (delete, restore,
empty), the "(no source)" and undated filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.library import NO_SOURCE, TRASH, ArticleFilter, Library, LibraryError
from reader.core.manage import normalize_date

ARTICLES = {
    "a.txt": ("城南菜市场完成改造", "改造后的菜市场设置了净菜区和熟食区。\n摊位租金三年不涨。"),
    "b.txt": ("渡口小学开设航模课", "每周三下午，四年级学生在操场放飞自制航模。"),
    "c.txt": ("老茶馆里的评书场", "评书艺人每晚七点开讲，茶客多是附近的老街坊。"),
}


@pytest.fixture
def lib(lib: Library, tmp_path: Path) -> Library:
    src = tmp_path / "src"
    src.mkdir()
    for name, (title, body) in ARTICLES.items():
        (src / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    library = lib  # conftest's empty library, stocked here
    summary = library.import_paths([src])
    assert summary.count("added") == 3
    return library


def ids_by_title(lib: Library) -> dict[str, int]:
    return {a.title: a.id for a in lib.articles()}


def test_normalize_date_accepts_loose_forms_and_refuses_others():
    assert normalize_date("2026-1-5") == "2026-01-05"
    assert normalize_date(" 2026/01/05 ") == "2026-01-05"
    assert normalize_date("2026年1月5日") == "2026-01-05"
    assert normalize_date("20260105") == "2026-01-05"
    assert normalize_date("") == ""
    for bad in ("2026-13-01", "2026-02-30", "明天", "2026-01", "26-1-5"):
        with pytest.raises(ValueError):
            normalize_date(bad)


def test_edit_title_is_persisted_and_searchable(lib, tmp_path):
    aid = ids_by_title(lib)["渡口小学开设航模课"]
    assert lib.edit_article([aid], title="渡口小学的航模兴趣班", byline="记者 林一舟",
                            subtitle="每周三下午上课", url="https://example.org/a") == 1
    hits, _total = lib.search("航模兴趣班")
    assert [h.article.id for h in hits] == [aid]
    hits, _total = lib.search("byline:林一舟")
    assert [h.article.id for h in hits] == [aid]
    lib.close()
    again = Library.open(tmp_path / "lib")
    try:
        art = again.article(aid)
        assert (art.title, art.byline, art.subtitle, art.url) == (
            "渡口小学的航模兴趣班", "记者 林一舟", "每周三下午上课", "https://example.org/a")
    finally:
        again.close()


def test_edit_many_sets_source_and_date_at_once(lib):
    ids = list(ids_by_title(lib).values())
    assert lib.edit_article(ids, source="江城晚报", date="2026-1-5") == 3
    assert {(a.source, a.date) for a in lib.articles()} == {("江城晚报", "2026-01-05")}
    assert lib.sources() == [("江城晚报", 3)]
    assert lib.count_articles(ArticleFilter(date_from="2026-01-01", date_to="2026-01-31")) == 3
    hits, _total = lib.search("source:江城晚报")
    assert len(hits) == 3
    # nothing changes: nothing counted
    assert lib.edit_article(ids, source="江城晚报") == 0


def test_bad_edit_changes_nothing(lib):
    ids = list(ids_by_title(lib).values())
    before = lib.article_details(ids)
    with pytest.raises(LibraryError, match="not a day"):
        lib.edit_article(ids, source="新来源", date="2026-02-30")
    with pytest.raises(LibraryError, match="title"):
        lib.edit_article(ids, title="  ")
    with pytest.raises(LibraryError, match="no article"):
        lib.edit_article([*ids, 9999], source="新来源")
    assert lib.article_details(ids) == before


def test_edit_tags_and_undo_with_set_article_details(lib):
    aid = ids_by_title(lib)["老茶馆里的评书场"]
    lib.set_article_tags(aid, ["曲艺"])
    before = lib.article_details([aid])
    assert lib.edit_article([aid], add_tags=["民俗/茶馆", "曲艺"], remove_tags=["曲艺"],
                            source="周末版") == 1
    art = lib.article(aid)
    assert art.tags == ["民俗/茶馆"] and art.source == "周末版"
    lib.set_article_details(before)
    art = lib.article(aid)
    assert art.tags == ["曲艺"] and art.source == ""
    assert [t.name for t in lib.tags()] == ["曲艺"]  # the unused tag went away


def test_delete_to_trash_restore_and_empty(lib):
    t = ids_by_title(lib)
    aid = t["城南菜市场完成改造"]
    h = lib.add_highlight(aid, 0, 5, tags=["民生"], note="净菜区")
    assert lib.search("菜市场")[0]
    assert lib.delete_articles([aid]) == 1
    assert lib.delete_articles([aid]) == 0  # already there
    assert aid not in ids_by_title(lib).values()
    assert lib.count_articles() == 2
    assert lib.count_articles(ArticleFilter(source=TRASH)) == 1
    assert lib.count_articles(ArticleFilter(trashed=True)) == 1
    assert [e.article.id for e in lib.trash()] == [aid]
    assert lib.trash()[0].trashed_at
    hits, total = lib.search("菜市场")
    assert hits == [] and total == 0
    assert lib.highlights(tags=["民生"]) == []  # recall leaves it out
    assert [x.uuid for x in lib.highlights(article_id=aid)] == [h.uuid]  # but it is kept
    assert all(t.name != "民生" for t in lib.tag_tree())
    assert sum(n for _s, n in lib.sources()) == 2

    assert lib.restore_articles([aid]) == 1
    assert lib.count_articles() == 3
    assert [x.uuid for x in lib.highlights(tags=["民生"])] == [h.uuid]
    assert [x.article.id for x in lib.search("菜市场")[0]] == [aid]

    lib.delete_articles([aid, t["渡口小学开设航模课"]])
    assert lib.empty_trash([aid]) == 1  # only that one
    with pytest.raises(LibraryError):
        lib.article(aid)
    with pytest.raises(LibraryError):
        lib.highlight(h.uuid)
    assert [e.article.title for e in lib.trash()] == ["渡口小学开设航模课"]
    assert lib.empty_trash() == 1
    assert lib.trash() == [] and lib.count_articles() == 1
    assert lib.stats()["articles"] == 1


def test_trash_survives_reopening(lib, tmp_path):
    aid = ids_by_title(lib)["老茶馆里的评书场"]
    lib.delete_articles([aid])
    lib.close()
    again = Library.open(tmp_path / "lib")
    try:
        assert [e.article.id for e in again.trash()] == [aid]
        assert again.count_articles() == 2
    finally:
        again.close()


def test_no_source_and_undated_filters(lib):
    t = ids_by_title(lib)
    lib.edit_article([t["城南菜市场完成改造"]], source="江城晚报", date="2026-03-01")
    assert lib.count_articles(ArticleFilter(source=NO_SOURCE)) == 2
    assert {a.id for a in lib.articles(ArticleFilter(undated=True))} == {
        t["渡口小学开设航模课"], t["老茶馆里的评书场"]}
    lib.delete_articles([t["渡口小学开设航模课"]])
    assert [a.id for a in lib.articles(ArticleFilter(source=NO_SOURCE))] == [t["老茶馆里的评书场"]]
