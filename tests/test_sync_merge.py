"""Sync between libraries through a shared folder: what syncs, per-field last-writer-wins by
the hybrid logical clock, tombstones, versions on conflicting texts, no echo, off means off."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sync_support import PARAS, TITLES, Wall, engine, hl, import_articles, seed, state, wechat

from reader.core.library import Library
from reader.core.sync import SyncEngine
from reader.core.sync.hlc import Clock, parse


@pytest.fixture
def libs(tmp_path: Path):
    opened = [Library.open(tmp_path / n) for n in ("a", "b", "c")]
    yield opened
    for lib in opened:
        lib.close()


def uuid_of(lib: Library, aid: int) -> str:
    return lib.article(aid).uuid


def local(lib: Library, uuid: str) -> int:
    found = lib.find_article(uuid)
    assert found is not None, uuid
    return found


def test_everything_reaches_the_other_device_and_edits_come_back(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "shared"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    h1 = hl(a, ids[0], "老板说茶价一分没涨", note="价格稳定", color="green", tags=["民生"])
    a.set_article_tags(ids[1], ["教育", "夜校"])
    a.set_read(ids[2])
    a.set_position(ids[2], 7)
    a.edit_article([ids[0]], source="河湾晚报·城市版", date="2026-11-02")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    rep = eb.sync()
    assert rep.received_ops > 0 and rep.waiting == 0
    assert state(a) == state(b)
    got = b.highlight(h1.uuid)
    assert (got.quote, got.note, got.color, got.tags) == ("老板说茶价一分没涨", "价格稳定", "green",
                                                          ["民生"])
    # an edit on b travels back; b's own merge was not sent back (no echo)
    assert rep.sent_ops == 0
    b.update_highlight(h1.uuid, note="价格稳定，街坊满意", tags=["民生", "茶馆"])
    b.delete_articles([local(b, uuid_of(a, ids[1]))])
    eb.sync()
    ea.sync()
    assert a.highlight(h1.uuid).note == "价格稳定，街坊满意"
    assert a.highlight(h1.uuid).tags == ["民生", "茶馆"]
    assert [t.article.title for t in a.trash()] == [TITLES[1]]
    assert state(a) == state(b)
    # the index is derived here from what arrived: search finds the synced text, not the trash
    hits, _ = b.search("太阳能")
    assert [x.article.id for x in hits] == [local(b, uuid_of(a, ids[2]))]
    assert b.search("书法")[0] == []


def test_concurrent_edits_of_different_fields_both_survive(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[0], "街坊们照旧每天早上来喝一壶")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    a.update_highlight(h.uuid, color="blue")
    b.update_highlight(h.uuid, note="早茶文化")
    ea.sync()
    eb.sync()
    ea.sync()
    for lib in (a, b):
        got = lib.highlight(h.uuid)
        assert (got.color, got.note) == ("blue", "早茶文化")
    assert state(a) == state(b)


def test_same_field_later_edit_wins_everywhere(libs, tmp_path):
    a, b, c = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[2], "孩子们写字的手不再冻得发红")
    es = [engine(x, shared) for x in (a, b, c)]
    for e in es:
        e.sync()
    b.update_highlight(h.uuid, note="先写的")
    c.update_highlight(h.uuid, note="后写的")
    for e in es + es:
        e.sync()
    assert {x.highlight(h.uuid).note for x in (a, b, c)} == {"后写的"}
    assert state(a) == state(b) == state(c)


def test_concurrent_article_tags_are_a_union_and_removals_stick(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    a.set_article_tags(ids[0], ["茶馆"])
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    bid = local(b, uuid_of(a, ids[0]))
    a.set_article_tags(ids[0], ["茶馆", "老街"])
    b.set_article_tags(bid, ["早点"])  # removes 茶馆, adds 早点
    ea.sync()
    eb.sync()
    ea.sync()
    assert a.article(ids[0]).tags == b.article(bid).tags == ["早点", "老街"]


def test_tag_rename_and_merge_travel(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    a.set_article_tags(ids[0], ["政策/交通"])
    a.set_article_tags(ids[1], ["政策"])
    h = hl(a, ids[2], "山村小学装上了太阳能板", tags=["政策/能源"])
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    b.rename_tag("政策", "时政")
    b.merge_tags(["时政/能源"], "时政/交通")
    eb.sync()
    ea.sync()
    assert {t.name for t in a.tags()} == {"时政", "时政/交通"}
    assert a.highlight(h.uuid).tags == ["时政/交通"]
    assert state(a) == state(b)


def test_text_reimported_on_two_devices_keeps_both_as_versions(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in", 1)
    keep = hl(a, ids[0], "老板说茶价一分没涨", note="留着")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    fix_a = [PARAS[0][0], "老板说茶价一分没涨，还送一碟瓜子，", PARAS[0][2]]
    fix_b = [PARAS[0][0], "老板说茶价一分没涨，", "街坊们照旧每天早上来喝两壶。"]
    import_articles(a, tmp_path / "fa", [wechat("wx-0", TITLES[0], fix_a)])
    import_articles(b, tmp_path / "fb", [wechat("wx-0", TITLES[0], fix_b)])
    ea.sync()
    eb.sync()
    ea.sync()
    assert state(a) == state(b)
    bodies = {a.article(ids[0]).body} | {v["body"] for v in a.versions(ids[0])}
    assert any("瓜子" in x for x in bodies) and any("两壶" in x for x in bodies)
    assert any("一壶" in x for x in bodies)  # the first text too
    assert a.highlight(keep.uuid).quote == "老板说茶价一分没涨"  # moved along, not lost


def test_deleted_for_good_stays_deleted(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[1], "报名的人从退休教师到外卖骑手都有")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    a.delete_articles([ids[1]])
    a.empty_trash()
    b.update_highlight(h.uuid, note="晚一点的编辑")  # concurrent: the deletion still wins
    ea.sync()
    eb.sync()
    ea.sync()
    eb.sync()
    for lib in (a, b):
        assert lib.find_article(uuid_of_title(b, TITLES[1]) or "x") is None
        assert TITLES[1] not in {x.title for x in lib.articles()}
    assert state(a) == state(b)


def uuid_of_title(lib: Library, title: str) -> str | None:
    for art in lib.articles():
        if art.title == title:
            return art.uuid
    return None


def test_highlight_deletion_and_undo_sync(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[0], "河边的老茶馆")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    a.delete_highlight(h.uuid)
    ea.sync()
    eb.sync()
    assert b.highlights(article_id=local(b, uuid_of(a, ids[0]))) == []
    b.delete_highlight(h.uuid, deleted=False)
    eb.sync()
    ea.sync()
    assert [x.uuid for x in a.highlights(article_id=ids[0])] == [h.uuid]


def test_clock_hours_slow_cannot_lose_a_newer_edit(libs, tmp_path):
    """b's wall clock is five hours behind a's: b edits after seeing a's edit, and b's edit
    wins on both (the HLC moves past what it has seen); then a, whose clock is right, edits
    after seeing b's, and wins in turn."""
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[0], "老板说茶价一分没涨")
    wa, wb = Wall(), Wall(skew=-5 * 3600 * 1000)
    ea, eb = engine(a, shared, wa), engine(b, shared, wb)
    ea.sync()
    eb.sync()
    a.update_highlight(h.uuid, note="甲先写")
    ea.sync()
    eb.sync()
    b.update_highlight(h.uuid, note="乙后写，时钟慢五小时")
    eb.sync()
    ea.sync()
    assert a.highlight(h.uuid).note == b.highlight(h.uuid).note == "乙后写，时钟慢五小时"
    a.update_highlight(h.uuid, note="甲再写")
    ea.sync()
    eb.sync()
    assert b.highlight(h.uuid).note == "甲再写"


def test_clock_hours_fast_does_not_make_an_old_edit_win(libs, tmp_path):
    """a's clock runs five hours fast: its stamps are far ahead, but b, once it has seen
    them, stamps its own later edit after them, so b's later edit wins."""
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[0], "老板说茶价一分没涨")
    ea, eb = engine(a, shared, Wall(skew=5 * 3600 * 1000)), engine(b, shared, Wall())
    ea.sync()
    eb.sync()
    a.update_highlight(h.uuid, color="pink")  # stamped five hours "in the future"
    ea.sync()
    eb.sync()
    b.update_highlight(h.uuid, color="blue")
    eb.sync()
    ea.sync()
    assert a.highlight(h.uuid).color == b.highlight(h.uuid).color == "blue"


def test_hlc_orders_after_everything_seen():
    c = Clock("aaaaaaaaaaaa", wall=lambda: 1000)
    first = c.now()
    c.observe(Clock("bbbbbbbbbbbb", wall=lambda: 9_000_000).now())
    later = c.now()
    assert later > first and parse(later)[0] == 9_000_000
    assert c.now() > later  # the same millisecond: the counter moves on


def test_sync_off_records_nothing_and_writes_nothing(libs, tmp_path):
    a, _, _ = libs
    ids = seed(a, tmp_path / "in")
    SyncEngine(a)  # attaching the hook alone does not turn sync on
    hl(a, ids[0], "河边的老茶馆")
    conn = a.store.reader()
    assert conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sync_state").fetchone()[0] == 0
    assert SyncEngine(a).status()["enabled"] is False


def test_log_files_are_gzipped_json_lines_named_by_device_and_sequence(libs, tmp_path):
    a, _, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    seed(a, tmp_path / "in", 1)
    e = engine(a, shared)
    e.sync()
    device = e.status()["device"]
    (f,) = (shared / "logs").iterdir()
    assert f.name == f"{device}-00000001.jsonl.gz"
    lines = gzip.decompress(f.read_bytes()).decode().splitlines()
    assert '"pizhu-sync":1' in lines[0] and lines[-1] == f'{{"end": {len(lines) - 2}}}'
    before = f.read_bytes()
    e.sync()  # nothing new: no new file, the old one untouched
    assert [p.name for p in (shared / "logs").iterdir()] == [f.name]
    assert f.read_bytes() == before


def test_one_tag_spelled_two_ways_settles_and_stays_quiet(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    a.set_article_tags(ids[0], ["AI"])
    b.set_article_tags(local(b, uuid_of(a, ids[1])), ["ai"])
    for _ in range(3):
        ea.sync()
        eb.sync()
    assert {t.name for t in a.tags()} == {t.name for t in b.tags()}
    assert len(a.tags()) == 1
    assert state(a) == state(b)
    assert (ea.sync().sent_ops, eb.sync().sent_ops) == (0, 0)


def test_a_change_made_without_the_hook_is_found_before_the_sync(libs, tmp_path):
    """Another process that wrote without recording for sync (an older Pizhu, a script):
    comparing the whole library before the sync finds its change."""
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[0], "河边的老茶馆")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    other = Library.open(tmp_path / "a")  # no SyncEngine here: nothing is recorded
    try:
        other.update_highlight(h.uuid, note="另一个进程写的")
        other.set_article_tags(ids[2], ["乡村"])
    finally:
        other.close()
    assert a.store.reader().execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0
    ea.sync()
    eb.sync()
    assert b.highlight(h.uuid).note == "另一个进程写的"
    assert state(a) == state(b)


def test_a_failing_capture_never_blocks_the_users_change(libs, tmp_path, monkeypatch, caplog):
    from reader.core.sync import merge

    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()

    def broken(self, scope):  # noqa: ANN001
        raise RuntimeError("a bug in capture")

    monkeypatch.setattr(merge.Capture, "run", broken)
    h = hl(a, ids[0], "河边的老茶馆", note="照样保存")
    assert a.highlight(h.uuid).note == "照样保存"
    assert "recording a change failed" in caplog.text
    monkeypatch.undo()
    ea.sync()
    eb.sync()
    assert b.highlight(h.uuid).note == "照样保存"


def test_turned_off_records_nothing_and_catches_up_when_on_again(libs, tmp_path):
    a, b, _ = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in")
    ea, eb = engine(a, shared), engine(b, shared)
    ea.sync()
    eb.sync()
    ea.configure(None)
    h = hl(a, ids[0], "河边的老茶馆", note="关着同步时写的")
    assert a.store.reader().execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0
    ea.configure({"kind": "folder", "path": str(shared)})
    ea.sync()
    eb.sync()
    assert b.highlight(h.uuid).note == "关着同步时写的"


def test_a_highlight_made_on_an_article_merged_elsewhere_follows_the_merge(libs, tmp_path):
    a, b, c = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in", 2)
    first, second = (a.article(i).uuid for i in ids)
    es = [engine(x, shared) for x in (a, b, c)]
    for e in es:
        e.sync()
    old = hl(a, ids[1], "报名的人从退休教师到外卖骑手都有", note="合并前的")
    es[0].sync()
    es[1].sync()
    a.merge_into(ids[0], ids[1])  # a: the evening-class article goes into the tea-house one
    new = hl(b, b.find_article(second), "教室常常坐不下", note="乙在被合并的文章上写的")
    for e in es + es:
        e.sync()
    assert state(a) == state(b) == state(c)
    for lib in (a, b, c):
        assert lib.find_article(second) is None
        target = lib.find_article(first)
        got = {h.uuid: h for h in lib.highlights(article_id=target)}
        assert set(got) == {old.uuid, new.uuid}
        assert got[new.uuid].quote == "教室常常坐不下" and not got[new.uuid].orphan
        assert got[old.uuid].note == "合并前的"


def settle(es: list[SyncEngine], order: tuple[int, ...], rounds: int = 8) -> None:
    """Sync in this order until two rounds in a row in which no device sends anything (what
    merging produces on a device, e.g. a kept text, goes out at its next sync)."""
    quiet = 0
    for _ in range(rounds):
        quiet = quiet + 1 if sum(es[d].sync().sent_ops for d in order) == 0 else 0
        if quiet == 2:
            return
    raise AssertionError(f"still sending after {rounds} rounds")


def _texts_and_highlights(lib: Library, uuids: list[str]) -> tuple[list[str], str, dict]:
    """The articles of ``uuids`` still here, the text of the one left, its highlights."""
    left = [u for u in uuids if lib.find_article(u) is not None]
    body = lib.article(lib.find_article(left[0])).body if left else ""
    hls = {h.uuid: h for h in lib.highlights(article_id=lib.find_article(left[0]))} if left \
        else {}
    return left, body, hls


HOUR = 3600_000


@pytest.mark.parametrize("later", [0, 1])
@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0), (2, 0, 1)])
def test_two_articles_merged_into_each_other_on_two_devices_keep_everything(libs, tmp_path,
                                                                            order, later):
    """a merges the evening-class article into the tea-house one while b merges the tea-house
    one into the evening-class one, and c highlights both meanwhile: in any sync order exactly
    one article is left, on every device the same (the later merge's target), holding both
    texts and every highlight."""
    a, b, c = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in", 2)
    first, second = (a.article(i).uuid for i in ids)
    walls = [Wall(), Wall(), Wall()]
    es = [engine(x, shared, w) for x, w in zip((a, b, c), walls, strict=True)]
    for e in es:
        e.sync()
    old = [hl(a, ids[0], "老板说茶价一分没涨", note="甲在合并前写的"),
           hl(a, ids[1], "报名的人从退休教师到外卖骑手都有")]
    es[0].sync()
    es[1].sync()
    es[2].sync()
    walls[later].skew = HOUR  # its merge is stamped after the other one
    a.merge_into(local(a, first), local(a, second))
    b.merge_into(local(b, second), local(b, first))
    walls[later].skew = 0
    made = [hl(a, local(a, first), "教室常常坐不下", note="甲合并后写的"),
            hl(b, local(b, second), "街坊们照旧每天早上来喝一壶", color="green"),
            hl(c, local(c, first), "河边的老茶馆今年换了新招牌", note="丙在茶馆上写的"),
            hl(c, local(c, second), "县里的夜校开了书法课")]
    settle(es, order)
    assert state(a) == state(b) == state(c)
    for lib in (a, b, c):
        left, body, hls = _texts_and_highlights(lib, [first, second])
        assert left == [[first, second][later]]
        # the one left is itself (its title), not the other one under its name
        assert lib.article(lib.find_article(left[0])).title == TITLES[[first, second].index(
            left[0])]
        for p in PARAS[0] + PARAS[1]:
            assert p in body
        assert set(hls) == {h.uuid for h in old + made}
        assert not any(h.orphan or h.deleted for h in hls.values())
        for h in old + made:
            assert hls[h.uuid].quote == h.quote
        assert hls[old[0].uuid].note == "甲在合并前写的"
        assert hls[made[1].uuid].color == "green"
    assert [e.sync().sent_ops for e in es] == [0, 0, 0]


@pytest.mark.parametrize("earliest", [0, 1, 2])
@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0)])
def test_three_articles_merged_in_a_ring_on_three_devices_keep_everything(libs, tmp_path,
                                                                          order, earliest):
    """a merges article 0 into 1, b 1 into 2, c 2 into 0, each before seeing the others: the
    earliest of the three merges is void, its article is left holding all three texts."""
    a, b, c = libs
    shared = tmp_path / "s"
    shared.mkdir()
    ids = seed(a, tmp_path / "in", 3)
    uuids = [a.article(i).uuid for i in ids]
    walls = [Wall(), Wall(), Wall()]
    es = [engine(x, shared, w) for x, w in zip((a, b, c), walls, strict=True)]
    for e in es:
        e.sync()
    for n, lib in enumerate((a, b, c)):
        walls[n].skew = HOUR * ((n - earliest) % 3)
        lib.merge_into(local(lib, uuids[(n + 1) % 3]), local(lib, uuids[n]))
        walls[n].skew = 0
    made = [hl(a, local(a, uuids[1]), "老板说茶价一分没涨"),  # each on the merged-in part
            hl(b, local(b, uuids[2]), "报名的人从退休教师到外卖骑手都有", note="乙"),
            hl(c, local(c, uuids[0]), "孩子们写字的手不再冻得发红", color="blue")]
    settle(es, order)
    assert state(a) == state(b) == state(c)
    for lib in (a, b, c):
        left, body, hls = _texts_and_highlights(lib, uuids)
        assert left == [uuids[earliest]]
        assert lib.article(lib.find_article(left[0])).title == TITLES[uuids.index(left[0])]
        versions = [v["body"] for v in lib.versions(lib.find_article(left[0]))]
        for p in PARAS[0] + PARAS[1] + PARAS[2]:
            assert p in body or any(p in v for v in versions), p
        assert set(hls) == {h.uuid for h in made}
        assert not any(h.deleted for h in hls.values())
    assert [e.sync().sent_ops for e in es] == [0, 0, 0]
