"""SIGKILL during a sync, at many points (while sending, while merging), then sync again:
nothing is lost and nothing is doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sync_support import import_articles, state

from reader.core.library import Library
from reader.core.sync import SyncEngine

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys, time
from reader.core.library import Library
from reader.core.sync import SyncEngine, engine as em, targets as tm
em.FILE_OPS = 15  # many small files: many points to die between
import os
# no compaction unless asked: the receiver merges file by file
em.SNAPSHOT_AFTER = int(os.environ.get("SNAPSHOT_AFTER", 10**6))
write, merge = tm.FolderTarget.write, em.SyncEngine._merge
def slow_write(self, path, data):
    time.sleep(0.01); write(self, path, data)
def slow_merge(self, *a, **k):
    time.sleep(0.01); merge(self, *a, **k)
tm.FolderTarget.write, em.SyncEngine._merge = slow_write, slow_merge
with Library.open(sys.argv[1]) as lib:
    print("ready", flush=True)
    SyncEngine(lib).sync()
print("done", flush=True)
"""

SENTENCES = ["码头上的吊车昼夜不停，", "集装箱一层层码到了天上，", "海关的灯光一直亮到清晨，",
             "渔船回港时天边刚发白，", "夜市的烤鱼摊排起长队，", "新修的栈道通到灯塔下面，"]


def run_child(lib: Path, kill_after: float | None, snapshot_after: int = 10**6) -> bool:
    """Run one sync in a child; SIGKILL it ``kill_after`` seconds after it is ready.
    Returns whether it finished."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SNAPSHOT_AFTER": str(snapshot_after)}
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(lib)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, text=True)
    assert p.stdout is not None
    assert p.stdout.readline().strip() == "ready"
    if kill_after is None:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        return True
    time.sleep(kill_after)  # where the kill lands is what varies, not an assertion on time
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=60)
    return p.returncode == 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killed_syncs_lose_nothing_and_double_nothing(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    rnd = random.Random(16)
    entries = []
    for i in range(40):
        body = [rnd.choice(SENTENCES) for _ in range(4)] + [f"第{i}号通告。"]
        entries.append({"文章标识符aid": f"port-{i}", "标题title": f"港口夜景之{i}",
                        "链接url": f"https://mp.weixin.qq.com/s/port-{i}",
                        "时间time": "2026-11-03 20:00:00", "公众号名称": "港城晚报",
                        "finalContent": "\r".join(body)})
    with Library.open(tmp_path / "a") as a:
        import_articles(a, tmp_path / "in", entries)
        for art in a.articles():
            body = a.article(art.id).body
            a.add_highlight(art.id, 0, 4, note=f"{art.title}的笔记", tags=["港口"])
            a.add_highlight(art.id, 5, 9, color="blue")
        SyncEngine(a).configure({"kind": "folder", "path": str(shared)})
        want = state(a)
    with Library.open(tmp_path / "b") as b:
        SyncEngine(b).configure({"kind": "folder", "path": str(shared)})
    finished = 0
    half_sent = half_merged = 0
    for lib in ("a", "b"):
        for _ in range(6):
            finished += run_child(tmp_path / lib, rnd.uniform(0.05, 1.2))
            with Library.open(tmp_path / lib) as opened:
                conn = opened.store.reader()
                unsent = conn.execute("SELECT count(*) FROM sync_files").fetchone()[0]
                seen = conn.execute("SELECT count(*) FROM sync_seen").fetchone()[0]
            sent = len(list((shared / "logs").iterdir())) if (shared / "logs").is_dir() else 0
            half_sent += lib == "a" and unsent > 0 and sent > 0
            half_merged += lib == "b" and 0 < seen < sent
        run_child(tmp_path / lib, None)
    with Library.open(tmp_path / "a") as a, Library.open(tmp_path / "b") as b:
        assert state(a) == want
        got = state(b)
        assert got == want
        assert len(got["highlights"]) == 80 and len(got["articles"]) == 40
        conn = b.store.reader()
        assert conn.execute("SELECT count(*) FROM highlights").fetchone()[0] == 80
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 40
        assert SyncEngine(a).status()["changes_waiting"] == 0
    assert finished < 12  # the kills did land inside syncs
    assert half_sent and half_merged  # … also between two files sent, between two merged


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killed_while_compacting_then_a_new_device_gets_everything(tmp_path):
    """Kills while a device writes its snapshot and deletes the logs it covers; a device that
    starts afterwards still gets everything, deletions included."""
    shared = tmp_path / "shared"
    shared.mkdir()
    rnd = random.Random(61)
    entries = [{"文章标识符aid": f"bay-{i}", "标题title": f"海湾晨报之{i}",
                "链接url": f"https://mp.weixin.qq.com/s/bay-{i}",
                "时间time": "2026-11-04 06:00:00", "公众号名称": "海湾晨报",
                "finalContent": "\r".join(rnd.choice(SENTENCES) for _ in range(4))}
               for i in range(30)]
    with Library.open(tmp_path / "a") as a:
        import_articles(a, tmp_path / "in", entries)
        ids = sorted(x.id for x in a.articles())
        for aid in ids:
            a.add_highlight(aid, 0, 3, note="晨报笔记")
        a.delete_articles(ids[:3])
        a.empty_trash()
        SyncEngine(a).configure({"kind": "folder", "path": str(shared)})
    for _ in range(5):
        run_child(tmp_path / "a", rnd.uniform(0.05, 1.5), snapshot_after=3)
    run_child(tmp_path / "a", None, snapshot_after=3)
    with Library.open(tmp_path / "a") as a, Library.open(tmp_path / "c") as c:
        assert list((shared / "snapshots").iterdir())
        ec = SyncEngine(c)
        ec.configure({"kind": "folder", "path": str(shared)})
        ec.sync()
        assert state(c) == state(a)
        assert len(state(c)["articles"]) == 27
