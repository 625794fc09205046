"""Identity by content (reader.core.identity, issue 15 items 1–2, issue 12): a re-imported page or
file is matched to the stored articles by what they say, never by position or path, so
highlights never move to another article."""

from __future__ import annotations

import json
from pathlib import Path

from reader.core.identity import align, carry_over, similarity
from reader.core.library import Library

# Invented articles of a marked newspaper page (## headline, then text).
ARTS = [
    ("河畔公园完成改造", "河畔公园的改造工程昨天完工。新修的步道沿河延伸三公里，两侧种上了本地树种。"
     "附近居民说，傍晚散步的人比往年多了不少。"),
    ("社区食堂试行夜间供餐", "城东三个社区食堂从本月起试行夜间供餐，菜价与午餐相同。"
     "食堂负责人表示，试行一个月后将根据就餐人数调整窗口。"),
    ("老厂房变身青年剧场", "一座废弃多年的纺织厂房经过改造，成为可容纳三百人的青年剧场。"
     "首演季安排了十二部原创话剧，票价最低二十元。"),
    ("公交线路优化方案公布", "市交通部门公布了新一轮公交线路优化方案，调整线路十八条。"
     "方案征求意见期为两周，市民可通过热线提出建议。"),
    ("中学开设航模课程", "第五中学本学期开设航模选修课，每周两节，学生自己设计并试飞模型。"
     "指导老师说，课程重在动手和团队合作。"),
]
NEW = ("图书馆延长开放时间", "市图书馆自下周起延长开放时间至晚上九点，自习区增加座位一百个。"
       "馆方提醒读者合理安排时间，避免高峰排队。")


def page(arts: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"## {t}\n{b}" for t, b in arts) + "\n"


def _by_title(lib: Library) -> dict[str, int]:
    return {a.title: a.id for a in lib.articles(limit=None)}


def _hl(lib: Library, aid: int, quote: str, **kw: object):
    body = lib.article(aid).body
    s = body.index(quote)
    return lib.add_highlight(aid, s, s + len(quote), **kw)


def test_an_article_inserted_into_a_page_moves_no_highlight(lib: Library, tmp_path: Path) -> None:
    f = tmp_path / "page.txt"
    f.write_text(page(ARTS), encoding="utf-8")
    lib.import_paths([f])
    ids = _by_title(lib)
    assert len(ids) == 5
    h = _hl(lib, ids["公交线路优化方案公布"], "调整线路十八条", note="关注")
    f.write_text(page([*ARTS[:2], NEW, *ARTS[2:]]), encoding="utf-8")
    rep = lib.import_paths([f])
    assert (rep.count("added"), rep.count("updated")) == (1, 0)
    after = _by_title(lib)
    assert {k: after[k] for k in ids} == ids  # every article kept its id
    got = lib.highlight(h.uuid)
    assert got.article_id == ids["公交线路优化方案公布"] and not got.orphan
    assert lib.article(got.article_id).body[got.start:got.end] == "调整线路十八条"
    assert all(not v for v in (lib.versions(i) for i in ids.values()))


def test_a_corrected_page_from_another_folder_is_a_new_version(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "p1.txt").write_text(page(ARTS), encoding="utf-8")
    lib.import_paths([tmp_path / "a"])
    ids = _by_title(lib)
    h = _hl(lib, ids["老厂房变身青年剧场"], "首演季安排了十二部原创话剧", note="去看")
    fixed = list(ARTS)
    t, b = fixed[2]
    fixed[2] = (t, b.replace("十二部", "十三部"))
    (tmp_path / "b" / "p1-校对.txt").write_text(page(fixed), encoding="utf-8")
    rep = lib.import_paths([tmp_path / "b"])
    assert (rep.count("added"), rep.count("updated")) == (0, 1)
    assert lib.count_articles() == 5
    a = lib.article(ids["老厂房变身青年剧场"])
    assert "十三部" in a.body and len(lib.versions(a.id)) == 1
    got = lib.highlight(h.uuid)
    assert got.article_id == a.id and a.body[got.start:got.end] == "首演季安排了十三部原创话剧"


def test_a_different_page_with_the_same_name_is_new(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "page.txt").write_text(page(ARTS[:2]), encoding="utf-8")
    (tmp_path / "b" / "page.txt").write_text(page(ARTS[3:] + [NEW]), encoding="utf-8")
    lib.import_paths([tmp_path / "a"])
    rep = lib.import_paths([tmp_path / "b"])
    assert rep.count("added") == 3 and rep.count("updated") == 0
    assert lib.count_articles() == 5


def test_a_merge_is_kept_by_a_later_reimport(lib: Library, tmp_path: Path) -> None:
    f = tmp_path / "page.txt"
    f.write_text(page(ARTS), encoding="utf-8")
    lib.import_paths([f])
    ids = _by_title(lib)
    merged = lib.merge_with_previous(ids["社区食堂试行夜间供餐"])
    h = _hl(lib, merged, "菜价与午餐相同", note="便宜")
    # unchanged page: nothing happens
    rep = lib.import_paths([f])
    assert rep.files[0].status == "unchanged"
    # an edited copy of the page: the change lands in the merged article, the merge stays
    fixed = list(ARTS)
    t, b = fixed[1]
    fixed[1] = (t, b.replace("一个月后", "两个月后"))
    f.write_text(page(fixed), encoding="utf-8")
    rep = lib.import_paths([f])
    assert rep.count("added") == 0
    assert lib.count_articles() == 4
    a = lib.article(merged)
    assert "两个月后" in a.body and "河畔公园" in a.body
    got = lib.highlight(h.uuid)
    assert got.article_id == merged and not got.orphan
    assert a.body[got.start:got.end] == "菜价与午餐相同"


def test_wechat_entries_without_ids_are_separate_articles(lib: Library, tmp_path: Path) -> None:
    entries = [
        {"title": "第一篇", "content": "春天的第一场雨落在城北的菜园里。"},
        {"title": "第二篇", "content": "夏天的夜市一直开到凌晨两点。"},
        {"title": "第三篇", "content": "秋天的银杏大道吸引了很多摄影爱好者。"},
    ]
    f = tmp_path / "wx.json"
    f.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    rep = lib.import_paths([f])
    assert rep.count("added") == 3 and rep.count("updated") == 0
    assert sorted(a.title for a in lib.articles(limit=None)) == ["第一篇", "第三篇", "第二篇"]
    # again, and with one entry corrected: still three, one updated
    entries[1]["content"] = "夏天的夜市一直开到凌晨三点。"
    f.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    rep = lib.import_paths([f])
    assert rep.count("added") == 0 and rep.count("updated") == 1
    assert lib.count_articles() == 3


def test_many_entries_without_ids_stay_many(lib: Library, tmp_path: Path) -> None:
    entries = [{"title": f"短讯{i}", "content": f"第{i}条消息：编号{i * 7919}的项目开工。"}
               for i in range(300)]
    f = tmp_path / "wx.json"
    f.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    lib.import_paths([f])
    assert lib.count_articles() == 300


def test_similarity_and_alignment() -> None:
    a = ARTS[0][1]
    assert similarity(a, a) == 1.0
    assert similarity(a, a.replace("三公里", "四公里")) > 0.9
    assert similarity(a, ARTS[1][1]) < 0.3
    from reader.core.identity import Candidate

    cands = [Candidate(10 + i, t, b) for i, (t, b) in enumerate(ARTS)]
    drafts = [ARTS[3], NEW, (ARTS[0][0], ARTS[0][1] + "记者 某某")]
    assert align(drafts, cands) == {0: 13, 2: 10}


def test_carry_over_applies_a_change_to_a_reshaped_text() -> None:
    old, new = ARTS[1][1], ARTS[1][1].replace("一个月后", "两个月后")
    current = ARTS[0][1] + "\n\n" + ARTS[1][0] + "\n" + old
    out = carry_over(old, new, current)
    assert out == ARTS[0][1] + "\n\n" + ARTS[1][0] + "\n" + new
    assert carry_over(old, new, old) == new


def test_untitled_entries_are_matched_by_text_only(lib: Library, tmp_path: Path) -> None:
    """Review finding: every untitled entry used to match every untitled origin of its file."""
    a = {"content": "第一条没有标题的消息，讲的是城东的新公园。"}
    b = {"content": "第二条没有标题的消息，讲的是地铁延长线。"}
    c = {"content": "第三条完全不同：图书馆周末延长开放时间。"}
    f = tmp_path / "wx.json"
    f.write_text(json.dumps([a, b], ensure_ascii=False), encoding="utf-8")
    lib.import_paths([f])
    first = {lib.article(x.id).body: x.id for x in lib.articles(limit=None)}
    aid = first[a["content"]]
    h = _hl(lib, aid, "城东的新公园", note="保留")
    f.write_text(json.dumps([b, c], ensure_ascii=False), encoding="utf-8")
    rep = lib.import_paths([f])
    assert (rep.count("added"), rep.count("updated")) == (1, 0)
    assert lib.article(aid).body == a["content"]
    assert not lib.highlight(h.uuid).orphan


def test_a_keyed_reimport_keeps_a_merge(lib: Library, tmp_path: Path) -> None:
    """Review finding: a WeChat entry with an aid replaced the whole merged text."""
    one = {"aid": "m-1", "title": "合并的第一篇", "content": "第一篇的正文，讲社区食堂。"}
    two = {"aid": "m-2", "title": "合并的第二篇", "content": "第二篇的正文，讲老年大学开学。"}
    f = tmp_path / "wx.json"
    f.write_text(json.dumps([one, two], ensure_ascii=False), encoding="utf-8")
    lib.import_paths([f])
    ids = _by_title(lib)
    merged = lib.merge_into(ids["合并的第一篇"], ids["合并的第二篇"])
    h = _hl(lib, merged, "老年大学开学", note="合并后")
    one["content"] = "第一篇的正文，讲社区食堂的晚餐。"
    f.write_text(json.dumps([one, two], ensure_ascii=False), encoding="utf-8")
    lib.import_paths([f])
    body = lib.article(merged).body
    assert "社区食堂的晚餐" in body and "老年大学开学" in body
    assert lib.count_articles() == 1
    got = lib.highlight(h.uuid)
    assert got.article_id == merged and not got.orphan


def test_going_back_to_an_earlier_version_of_a_file(lib: Library, tmp_path: Path) -> None:
    """Review finding: v1, v2, then v1 again said "already imported" and kept v2."""
    f = tmp_path / "a.txt"
    v1 = "版本的文章\n第一版：公园周末开放。\n"
    v2 = "版本的文章\n第二版：公园周末和节假日开放。\n"
    f.write_text(v1, encoding="utf-8")
    lib.import_paths([f])
    f.write_text(v2, encoding="utf-8")
    assert lib.import_paths([f]).files[0].status == "updated"
    f.write_text(v1, encoding="utf-8")
    assert lib.import_paths([f]).files[0].status == "updated"
    (art,) = lib.articles()
    assert "第一版" in lib.article(art.id).body
    assert lib.import_paths([f]).files[0].status == "unchanged"  # and then it is the latest


def test_merge_with_previous_skips_the_trash(lib: Library, tmp_path: Path) -> None:
    f = tmp_path / "page.txt"
    f.write_text(page(ARTS[:3]), encoding="utf-8")
    lib.import_paths([f])
    ids = _by_title(lib)
    lib.delete_articles([ids[ARTS[1][0]]])
    assert lib.merge_with_previous(ids[ARTS[2][0]]) == ids[ARTS[0][0]]
