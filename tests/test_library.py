"""The Library: import, re-import, highlights and tags, the index queue, repair on open."""

from __future__ import annotations

import json
import shutil

import pytest

from reader.core.importing import Importer
from reader.core.library import ArticleFilter, Library, LibraryError

ARTICLE_A = """津城冬季供暖保障工作全面启动

本报讯（记者 林晓）11月1日起，我市各供热单位陆续开始试运行，确保居民按时用暖。
市城市管理委相关负责人表示，今年新改造老旧管网120公里，京津冀协同发展带来的清洁热源持续增加。

在河西区一处换热站，工作人员正在逐一检查设备。
"""

ARTICLE_B = """滨海新区推进新质生产力发展

记者 周宁
新区今年培育智能工厂30家，数字化车间覆盖率进一步提升。
企业负责人说，高质量发展离不开人才。
"""

WECHAT = [
    {
        "文章标识符aid": "900001_1",
        "标题title": "社区食堂让老人吃上热乎饭",
        "链接url": "https://example.invalid/a1",
        "时间time": "2026-01-05",
        "公众号名称": "津门社区",
        "finalContent": "社区食堂今天开业。\r\r每天中午提供两荤两素，老人凭卡就餐。\r",
    },
    {
        "文章标识符aid": "900002_1",
        "标题title": "图书馆延长开放时间",
        "链接url": "https://example.invalid/a2",
        "时间time": "2026-01-08",
        "公众号名称": "津门社区",
        "finalContent": "市图书馆自下周起延长开放时间至晚九点。\r读者可在线预约座位。",
    },
]


@pytest.fixture
def files(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (d / "b.md").write_text(ARTICLE_B, encoding="utf-8")
    (d / "wx.json").write_text(json.dumps(WECHAT, ensure_ascii=False), encoding="utf-8")
    return d


def test_import_folder_then_reimport_changes_nothing(lib, files):
    first = lib.import_paths([files])
    assert first.failed == 0
    assert first.count("added") == 4
    assert lib.count_articles() == 4
    before = lib.store.reader().execute("SELECT * FROM articles ORDER BY id").fetchall()
    second = lib.import_paths([files])
    assert [f.status for f in second.files] == ["unchanged"] * 3
    assert second.count("added") == 0
    after = lib.store.reader().execute("SELECT * FROM articles ORDER BY id").fetchall()
    assert [tuple(r) for r in before] == [tuple(r) for r in after]


def test_same_wechat_article_in_another_file_is_not_duplicated(lib, files, tmp_path):
    lib.import_paths([files / "wx.json"])
    copy = tmp_path / "copy.json"
    copy.write_text(json.dumps(WECHAT[:1], ensure_ascii=False, indent=1), encoding="utf-8")
    rep = lib.import_paths([copy])
    assert rep.count("added") == 0 and rep.count("unchanged") == 1
    assert lib.count_articles() == 2


def test_bad_files_are_reported_and_the_rest_imports(lib, files, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"标题title": "x", "finalContent": "正文', encoding="utf-8")
    rep = lib.import_paths([bad, files / "a.txt", tmp_path / "missing.txt"])
    statuses = {f.path: (f.status, f.reason) for f in rep.files}
    assert statuses[str(bad)][0] == "failed" and statuses[str(bad)][1]
    assert statuses[str(tmp_path / "missing.txt")][0] == "failed"
    assert statuses[str(files / "a.txt")][0] == "added"
    assert lib.count_articles() == 1


def test_a_failing_file_leaves_nothing_half_written(lib, files, monkeypatch):
    calls = {"n": 0}
    real = Importer._store_draft

    def flaky(self, conn, path, draft, stamp, *rest):
        calls["n"] += 1
        if calls["n"] == 2:
            raise LibraryError("disk full (simulated)")
        return real(self, conn, path, draft, stamp, *rest)

    monkeypatch.setattr(Importer, "_store_draft", flaky)
    rep = lib.import_paths([files / "wx.json"])
    assert rep.files[0].status == "failed" and "disk full" in rep.files[0].reason
    assert lib.count_articles() == 0  # the first article of the file was rolled back too
    assert lib.store.reader().execute("SELECT count(*) FROM imported_files").fetchone()[0] == 0


def test_article_fields_and_normalised_body(lib, files):
    lib.import_paths([files / "wx.json"])
    arts = lib.articles(order="date", descending=False)
    a = lib.article(arts[0].id)
    assert a.title == "社区食堂让老人吃上热乎饭"
    assert a.source == "津门社区" and a.date == "2026-01-05"
    assert a.url == "https://example.invalid/a1" and a.external_id == "900001_1"
    assert "\r" not in a.body and "\n\n\n" not in a.body
    assert a.body.startswith("社区食堂今天开业。")


def test_filters(lib, files):
    lib.import_paths([files])
    assert lib.count_articles(ArticleFilter(source="津门社区")) == 2
    assert lib.count_articles(ArticleFilter(date_from="2026-01-06")) == 1
    assert lib.count_articles(ArticleFilter(date_to="2026-01")) == 2
    wx = lib.articles(ArticleFilter(source="津门社区"))[0]
    lib.set_read(wx.id)
    assert lib.count_articles(ArticleFilter(unread=True)) == 3
    lib.set_article_tags(wx.id, ["民生", "#民生", " 社区 "])
    assert lib.article(wx.id).tags == ["民生", "社区"]
    assert [a.id for a in lib.articles(ArticleFilter(tags=["民生"]))] == [wx.id]


def test_highlight_note_tags_and_recall(lib, files):
    lib.import_paths([files / "a.txt", files / "b.md"])
    a = next(x for x in lib.articles() if x.title.startswith("津城"))
    body = lib.article(a.id).body
    s = body.index("京津冀协同发展")
    h = lib.add_highlight(a.id, s, s + 7, color="green", note="热源来自周边", tags=["能源", "协同"])
    assert h.quote == "京津冀协同发展" and h.prefix.endswith("，") and h.suffix.startswith("带来")
    assert h.tags == ["协同", "能源"]
    b = next(x for x in lib.articles() if x.title.startswith("滨海"))
    bb = lib.article(b.id).body
    s2 = bb.index("高质量发展")
    h2 = lib.add_highlight(b.id, s2, s2 + 5, tags=["协同"])
    assert {x.uuid for x in lib.highlights(tags=["协同"])} == {h.uuid, h2.uuid}
    assert [x.uuid for x in lib.highlights(tags=["协同", "能源"])] == [h.uuid]
    assert {x.uuid for x in lib.highlights(tags=["能源", "协同"], any_tag=True)} == {h.uuid, h2.uuid}
    assert [x.uuid for x in lib.highlights(text="周边")] == [h.uuid]
    counts = {t.name: (t.articles, t.highlights) for t in lib.tags()}
    assert counts == {"协同": (0, 2), "能源": (0, 1)}
    # a note's words are searchable right after saving
    lib.update_highlight(h.uuid, note="供暖季的清洁热源", color="pink")
    hits, _ = lib.search("note:清洁热源")
    assert [x.article.id for x in hits] == [a.id]
    hits, _ = lib.search("tag:能源")
    assert [x.article.id for x in hits] == [a.id]
    # deletion is a marker, and can be undone
    lib.delete_highlight(h.uuid)
    assert h.uuid not in {x.uuid for x in lib.highlights()}
    assert lib.highlight(h.uuid).deleted
    assert lib.search("tag:能源")[0] == []
    lib.delete_highlight(h.uuid, deleted=False)
    assert lib.highlight(h.uuid).color == "pink"


def test_highlight_out_of_range_is_refused(lib, files):
    lib.import_paths([files / "a.txt"])
    a = lib.articles()[0]
    with pytest.raises(LibraryError):
        lib.add_highlight(a.id, 5, 10**6)


def test_search_finds_substrings_and_marks_spans(lib, files):
    lib.import_paths([files])
    hits, total = lib.search("津冀")
    assert total == 1 and hits[0].article.title.startswith("津城")
    body = lib.article(hits[0].article.id).body
    spans = [sp for sn in hits[0].snippets for sp in sn.spans]
    assert spans and all(body[s:e] == "津冀" for s, e in spans)
    hits, _ = lib.search("质生产")
    assert [h.article.title for h in hits] == ["滨海新区推进新质生产力发展"]


def test_index_queue_survives_a_crash_between_commits(tmp_path, files):
    root = tmp_path / "lib"
    with Library.open(root) as lib:
        lib.import_paths([files / "a.txt"])
        assert lib.search("供暖")[1] == 1
        # simulate a crash after the database commit, before the index commit
        real_sync = lib.search_index.sync
        lib.search_index.sync = lambda: None  # type: ignore[method-assign]
        try:
            lib.import_paths([files / "b.md"])
        finally:
            lib.search_index.sync = real_sync  # type: ignore[method-assign]
        assert lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0] == 1
    with Library.open(root) as lib:
        assert lib.search("智能工厂")[1] == 1  # caught up on open
        assert lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0] == 0


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage"])
def test_damaged_index_is_rebuilt_without_touching_the_database(tmp_path, files, damage):
    root = tmp_path / "lib"
    with Library.open(root) as lib:
        lib.import_paths([files])
        assert lib.search("图书馆")[1] == 1
    db_before = (root / "library.db").read_bytes()
    index_dir = root / "index"
    if damage == "delete":
        shutil.rmtree(index_dir)
    else:
        for f in index_dir.iterdir():
            if f.is_file():
                if damage == "truncate":
                    f.write_bytes(f.read_bytes()[: max(0, f.stat().st_size // 3)])
                else:
                    f.write_bytes(b"\x00garbage" * 10)
    with Library.open(root) as lib:
        assert lib.search("图书馆")[1] == 1
        assert lib.index().doc_count() == 4
    assert (root / "library.db").read_bytes()[:100] == db_before[:100]


def test_reindex(lib, files):
    lib.import_paths([files])
    assert lib.reindex() is True
    assert lib.index().doc_count() == 4
    assert lib.search("社区食堂")[1] == 1


def test_merge_and_split_keep_highlights(lib, files):
    page = files / "page.txt"
    page.write_text(
        "## 第一篇报道标题在这里\n\n第一篇的正文。讲述社区变化。\n\n"
        "## 第二篇报道标题在这里\n\n第二篇的正文，有一句值得划线的话。\n\n"
        "## 第三篇报道标题\n\n第三篇正文内容。\n",
        encoding="utf-8",
    )
    rep = lib.import_paths([page])
    assert rep.count("added") == 3, rep.files
    arts = lib.articles(order="page", descending=False)
    second = arts[1]
    body = lib.article(second.id).body
    s = body.index("值得划线")
    h = lib.add_highlight(second.id, s, s + 4, note="重要")
    merged_id = lib.merge_with_previous(second.id)
    assert merged_id == arts[0].id
    merged = lib.article(merged_id)
    hh = lib.highlight(h.uuid)
    assert hh.article_id == merged_id and not hh.orphan
    assert merged.body[hh.start:hh.end] == "值得划线"
    assert lib.count_articles() == 2
    # split it again at the line holding the second headline
    at = merged.body.index("第二篇报道标题在这里")
    new_id = lib.split_article(merged_id, at)
    new = lib.article(new_id)
    assert new.title == "第二篇报道标题在这里"
    hh = lib.highlight(h.uuid)
    assert hh.article_id == new_id and not hh.orphan
    assert new.body[hh.start:hh.end] == "值得划线"
    assert lib.search("值得划线")[0][0].article.id == new_id
    assert len(lib.versions(merged_id)) == 2
    # the split-off article sits between its origin and the third one, so merging it back
    # joins it to where it came from
    order = [a.id for a in lib.articles(order="page", descending=False)]
    assert order == [merged_id, new_id, arts[2].id]
    assert lib.merge_with_previous(new_id) == merged_id
    hh = lib.highlight(h.uuid)
    assert hh.article_id == merged_id and lib.article(merged_id).body[hh.start:hh.end] == "值得划线"


def test_split_and_merge_a_wechat_article(lib, files):
    lib.import_paths([files / "wx.json"])
    a = lib.articles(ArticleFilter(source="津门社区"), order="date", descending=False)[0]
    body = lib.article(a.id).body
    new_id = lib.split_article(a.id, body.index("每天中午"))
    assert lib.article(new_id).title.startswith("每天中午")
    assert lib.merge_with_previous(new_id) == a.id


def test_unusable_wechat_entries_are_counted_in_the_report(lib, tmp_path):
    data = [*WECHAT, {"标题title": "只有标题没有正文", "文章标识符aid": "900003_1"}]
    f = tmp_path / "partly.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rep = lib.import_paths([f])
    assert rep.files[0].status == "added" and rep.files[0].added == 2
    assert "1 entry without article text skipped" in rep.files[0].reason
