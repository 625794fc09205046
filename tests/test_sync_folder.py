"""The folder target as folder-sync engines fill it: files that arrive partially, late or out
of order, temporary names, conflict copies, a log that arrives before the snapshot it follows;
three libraries; snapshots and compaction that never drop a deletion."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sync_support import TITLES, engine, hl, seed, state

from reader.core.library import Library
from reader.core.sync import SyncEngine, SyncError
from reader.core.sync import engine as engine_mod


@pytest.fixture
def libs(tmp_path: Path):
    opened = [Library.open(tmp_path / n) for n in ("a", "b", "c")]
    yield opened
    for lib in opened:
        lib.close()


def folders(tmp_path: Path, n: int) -> list[Path]:
    out = []
    for i in range(n):
        p = tmp_path / f"sync{i}"
        (p / "logs").mkdir(parents=True)
        (p / "snapshots").mkdir()
        out.append(p)
    return out


def logs(folder: Path) -> list[Path]:
    return sorted((folder / "logs").iterdir())


def test_partial_file_waits_then_applies_whole(libs, tmp_path):
    a, b, _ = libs
    fa, fb = folders(tmp_path, 2)
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[0], "老板说茶价一分没涨", note="半截文件")
    ea, eb = engine(a, fa), engine(b, fb)
    ea.sync()
    (log,) = logs(fa)
    data = log.read_bytes()
    (fb / "logs" / log.name).write_bytes(data[: len(data) // 2])  # still arriving
    rep = eb.sync()
    assert rep.unreadable and log.name in rep.unreadable[0]
    assert b.count_articles() == 0
    (fb / "logs" / log.name).write_bytes(data)  # now whole
    rep = eb.sync()
    assert rep.unreadable == [] and b.highlight(h.uuid).note == "半截文件"
    assert state(a) == state(b)


def test_files_arriving_out_of_order_converge(libs, tmp_path):
    a, b, _ = libs
    fa, fb = folders(tmp_path, 2)
    ids = seed(a, tmp_path / "in")
    ea, eb = engine(a, fa), engine(b, fb)
    ea.sync()  # file 1: the articles
    h = hl(a, ids[1], "县里的夜校开了书法课")
    ea.sync()  # file 2: the highlight
    a.update_highlight(h.uuid, note="第三个文件", tags=["夜校"])
    a.set_article_tags(ids[1], ["教育"])
    ea.sync()  # file 3: its note and tags
    files = logs(fa)
    assert len(files) == 3
    for f in reversed(files):  # newest first, one at a time
        shutil.copy(f, fb / "logs" / f.name)
        eb.sync()
    assert state(a) == state(b)
    assert b.highlight(h.uuid).tags == ["夜校"]
    assert eb.status()["remote_waiting"] == 0


def test_temporary_names_are_skipped_and_conflict_copies_are_read(libs, tmp_path):
    a, b, _ = libs
    fa, fb = folders(tmp_path, 2)
    ids = seed(a, tmp_path / "in")
    ea, eb = engine(a, fa), engine(b, fb)
    ea.sync()
    h = hl(a, ids[2], "孩子们写字的手不再冻得发红", color="pink")
    ea.sync()
    first, second = logs(fa)
    shutil.copy(first, fb / "logs" / first.name)
    # an engine's temporary file (garbage) and a conflict copy holding the second file
    (fb / "logs" / f".syncthing.{second.name}.tmp").write_bytes(b"\x1f\x8b partial")
    (fb / "logs" / f"~{second.name}.tmp").write_bytes(b"junk")
    stem = second.name.removesuffix(".gz")
    shutil.copy(second, fb / "logs" / f"{stem}.sync-conflict-20261207-101010-ABCDEFG.gz")
    rep = eb.sync()
    assert rep.unreadable == []
    assert b.highlight(h.uuid).color == "pink"  # read from the conflict copy
    # a Dropbox-style copy of the same file later changes nothing and breaks nothing
    shutil.copy(second, fb / "logs" / second.name.replace(".jsonl", " (conflicted copy).jsonl"))
    shutil.copy(second, fb / "logs" / second.name)
    rep = eb.sync()
    assert rep.unreadable == [] and state(a) == state(b)


def test_three_libraries_each_editing(libs, tmp_path):
    a, b, c = libs
    (shared,) = folders(tmp_path, 1)
    ids = seed(a, tmp_path / "in")
    es = [engine(x, shared) for x in (a, b, c)]
    for e in es:
        e.sync()
    ha = hl(a, ids[0], "河边的老茶馆")
    bid = b.find_article(a.article(ids[1]).uuid)
    hb = hl(b, bid, "教室常常坐不下", tags=["夜校"])
    cid = c.find_article(a.article(ids[2]).uuid)
    c.set_read(cid)
    c.set_article_tags(cid, ["乡村"])
    for e in es + es:
        e.sync()
    assert state(a) == state(b) == state(c)
    assert {x.uuid for x in c.highlights()} == {ha.uuid, hb.uuid}


def test_a_log_that_arrives_before_its_snapshot(libs, tmp_path, monkeypatch):
    """a compacts (a snapshot, then its covered logs deleted) and writes a newer log; c, a new
    device, gets the newer log first and the snapshot later: it ends with everything."""
    a, _, c = libs
    fa, fc = folders(tmp_path, 2)
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[0], "老板说茶价一分没涨", note="快照之前")
    ea = engine(a, fa)
    ea.sync()
    a.delete_highlight(h.uuid)  # a deletion the snapshot must carry
    a.delete_articles([ids[2]])
    a.empty_trash()
    ea.sync()
    monkeypatch.setattr(engine_mod, "SNAPSHOT_AFTER", 1)
    rep = ea.sync()
    assert rep.snapshot and rep.compacted == 2 and logs(fa) == []
    monkeypatch.setattr(engine_mod, "SNAPSHOT_AFTER", 1000)
    h2 = hl(a, ids[1], "报名的人从退休教师到外卖骑手都有", note="快照之后")
    ea.sync()
    ec = engine(c, fc)
    (newer,) = logs(fa)
    shutil.copy(newer, fc / "logs" / newer.name)
    ec.sync()
    assert ec.status()["remote_waiting"] > 0  # its article is in the snapshot, not here yet
    (snap,) = (fa / "snapshots").iterdir()
    shutil.copy(snap, fc / "snapshots" / snap.name)
    ec.sync()
    assert state(a) == state(c)
    assert c.highlight(h2.uuid).note == "快照之后"
    assert c.highlights(article_id=c.find_article(a.article(ids[0]).uuid)) == []  # still deleted
    assert TITLES[2] not in {x.title for x in c.articles()}
    assert ec.status()["remote_waiting"] == 0


def test_new_device_starts_from_the_snapshot(libs, tmp_path, monkeypatch):
    a, b, c = libs
    (shared,) = folders(tmp_path, 1)
    ids = seed(a, tmp_path / "in")
    ea, eb = engine(a, shared), engine(b, shared)
    for i in range(3):
        hl(a, ids[i], a.article(ids[i]).body[:4], note=f"第{i}条")
        ea.sync()
        eb.sync()
    monkeypatch.setattr(engine_mod, "SNAPSHOT_AFTER", 2)
    ea.sync()
    eb.sync()
    assert list((shared / "snapshots").iterdir())
    ec = engine(c, shared)
    ec.sync()
    assert state(a) == state(b) == state(c)


def test_missing_folder_is_one_clear_error(libs, tmp_path):
    a, _, _ = libs
    e = SyncEngine(a)
    e.configure({"kind": "folder", "path": str(tmp_path / "nowhere")})
    with pytest.raises(SyncError, match="does not exist"):
        e.sync()
    assert "does not exist" in e.status()["last_error"]


def test_a_copied_library_gets_its_own_device_id(libs, tmp_path):
    a, _, _ = libs
    (shared,) = folders(tmp_path, 1)
    ids = seed(a, tmp_path / "in")
    ea = engine(a, shared)
    ea.sync()
    a.close()
    shutil.copytree(tmp_path / "a", tmp_path / "a2")
    a = Library.open(tmp_path / "a")
    a2 = Library.open(tmp_path / "a2")
    try:
        ea, ea2 = SyncEngine(a), SyncEngine(a2)
        hl(a, ids[0], "河边的老茶馆", note="原来的")
        ea.sync()
        h2 = hl(a2, ids[1], "县里的夜校", note="复制的")
        ea2.sync()  # sees a file under its own id that it did not write: takes a new id
        ea.sync()
        assert ea.status()["device"] != ea2.status()["device"]
        assert a.highlight(h2.uuid).note == "复制的"
        ea2.sync()
        assert state(a) == state(a2)
    finally:
        a2.close()
        a.close()


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="author" content="林小禾">
<script>var ct = "1762475508"; var msg_link = "http://mp.weixin.qq.com/s?__biz=MzB1&amp;mid=88&amp;idx=1&amp;sn=cd#rd";</script>
</head><body><h1 id="activity-name">渡口的清晨</h1><a id="js_name">江村纪事</a>
<div id="js_content"><p>第一班渡船六点开，<strong>船工把缆绳解开时雾还没散</strong>，岸上已经有人等着。</p>
<p><img src="assets/ferry.png" alt="江面上的渡船"></p><p>坐船的多是去对岸赶集的老人。</p>
<h2>对岸的集市</h2><p>集市上卖的是自家种的青菜和刚打的鱼。</p></div></body></html>"""


def test_structure_and_pictures_travel(libs, tmp_path):
    a, b, _ = libs
    (shared,) = folders(tmp_path, 1)
    src = tmp_path / "page"
    (src / "assets").mkdir(parents=True)
    png = Path(__file__).parent / "fixtures" / "wechat" / "exporter" / \
        "2025-11-07_城南菜市场的早晨" / "assets" / "img_001.png"
    shutil.copyfile(png, src / "assets" / "ferry.png")
    (src / "page.html").write_text(PAGE, encoding="utf-8")
    rep = a.import_paths([src / "page.html"])
    assert not rep.failed
    (art,) = a.articles()
    sa = a.structure(art.id)
    assert sa.images and sa.images[0].file and sa.blocks
    ea, eb = engine(a, shared), engine(b, shared)
    sent = ea.sync()
    assert sent.images_sent == 1 and list((shared / "images").iterdir())
    got = eb.sync()
    assert got.images_received == 1
    bid = b.find_article(art.uuid)
    sb = b.structure(bid)
    assert [(x.kind, x.start, x.end, x.level) for x in sb.blocks] == \
        [(x.kind, x.start, x.end, x.level) for x in sa.blocks]
    assert [(i.offset, i.alt, i.file) for i in sb.images] == \
        [(i.offset, i.alt, i.file) for i in sa.images]
    path = b.image_path(sb.images[0])
    assert path is not None and path.read_bytes() == png.read_bytes()
    assert (ea.sync().sent_ops, eb.sync().sent_ops) == (0, 0)  # nothing echoes


def test_a_hostile_log_file_cannot_name_a_path_outside_the_library(libs, tmp_path):
    from reader.core.sync import logfmt

    _a, b, _ = libs
    (shared,) = folders(tmp_path, 1)
    hlc = "1800000000000.0000.abcdefabcdef"
    uuid = "11111111-2222-3333-4444-555555555555"
    ops = [["a", uuid, "title", hlc, "江边"], ["a", uuid, "body", hlc, "江边的芦苇。"],
           ["a", uuid, "origin", hlc, {"key": "../../x", "kind": "plain"}],
           ["a", uuid, "structure", hlc, {"sha": "x", "blocks": [["heading", 0, 99, 1]],
                                          "images": [[0, 0, "图", "", "images/../../evil.png",
                                                      "image/png", 1, 1]]}],
           ["h", "h-1", "anchor", hlc, [0, 2, "江边", "", ""]],
           ["h", "h-1", "article", hlc, uuid], ["zz", "x", "y", hlc, None],
           ["h", "h-2", "anchor", hlc, 7], ["h", "h-2", "article", hlc, uuid],
           ["a", uuid, "read", "not a clock", 1]]
    (shared / "logs" / logfmt.log_name("abcdefabcdef", 1)).write_bytes(
        logfmt.encode({"device": "abcdefabcdef", "seq": 1}, ops))
    eb = engine(b, shared)
    rep = eb.sync()
    assert rep.unreadable == []
    bid = b.find_article(uuid)
    assert bid is not None and b.article(bid).read is False
    conn = b.store.reader()
    assert conn.execute("SELECT file FROM article_images").fetchall()[0][0] == ""
    assert b.structure(bid).images == [] or b.structure(bid).images[0].file == ""
    assert b.highlight("h-1").quote == "江边"
    assert [h.uuid for h in b.highlights()] == ["h-1"]  # h-2's anchor was no anchor
    assert not (tmp_path / "evil.png").exists()


def test_a_log_that_unpacks_beyond_the_limit_is_refused_not_read():
    """A "gzip bomb" dropped into a shared folder: refused as a bad file after at most the limit
    was unpacked; a real log (and a cut-off one) behave as before."""
    import gzip

    from reader.core.sync import logfmt

    bomb = gzip.compress(b"\n" * (8 << 20))  # 8 MB of newlines pack into ~8 KB
    with pytest.raises(logfmt.BadFile, match="unpacks to more than"):
        logfmt._gunzip(bomb, limit=1 << 20)
    assert logfmt._gunzip(bomb, limit=16 << 20) == b"\n" * (8 << 20)
    good = logfmt.encode({"device": "0" * 12}, [])
    with pytest.raises(logfmt.BadFile):
        logfmt.decode(good[: len(good) // 2])  # cut off: still "not a whole gzip file"
