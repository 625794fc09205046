"""A full disk (issue 15, item 14): reads keep working, writes fail in one line that says the disk
is full (never "damaged or not a database"), a backup error names the destination, nothing is
damaged. The real thing needs a small tmpfs in a private mount namespace (root); the error
classification and the backup's messages are also tested without it."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from adversarial_kit import assert_intact, make_library

from reader.core.backup import BackupError, backup
from reader.core.library import Library
from reader.core.store import db as store_db

ROOT = Path(__file__).resolve().parent.parent


def _can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    r = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                       capture_output=True)
    return r.returncode == 0


CAN_MOUNT = _can_mount()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_library(tmp_path_factory.mktemp("adv-disk"))


PROBES = """
import contextlib, io, json, os, subprocess, sys
from reader.cli import commands as cli
mnt, lib, outside = sys.argv[1], sys.argv[2], sys.argv[3]

def fill(leave_kb):
    path = os.path.join(mnt, "fill")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            st = os.statvfs(mnt)
            want = st.f_bavail * st.f_frsize - leave_kb * 1024
            if want <= 0:
                break
            try:
                os.write(fd, bytes(min(want, 1 << 16)))
            except OSError:
                break
    finally:
        os.close(fd)
    st = os.statvfs(mnt)
    print("FREE", leave_kb, st.f_bavail * st.f_frsize, file=sys.stderr)

def pizhu(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(["--library", lib, *argv])
        except SystemExit as e:
            rc = e.code
        except BaseException as e:
            rc, err = "raised", io.StringIO(f"Traceback: {type(e).__name__}: {e}")
    return {"argv": list(argv), "rc": rc, "out": out.getvalue(),
            "err": err.getvalue()[-2000:]}

report = {}
for leave_kb in (0, 4):
    fill(leave_kb)
    report[leave_kb] = [
        pizhu("search", "小城", "--json"), pizhu("stats", "--json"), pizhu("list", "--json"),
        pizhu("show", "1"), pizhu("highlights"), pizhu("export", "--all"),
        pizhu("highlight", "1", "--quote", "小城", "--note", "磁盘满了"),
        pizhu("backup", os.path.join(mnt, "b.zip")),
        pizhu("backup", os.path.join(outside, f"b{leave_kb}.zip")),
        pizhu("import", os.path.join(outside, "new.txt")),
    ]
print("REPORT " + json.dumps(report, ensure_ascii=False))
"""


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and mount namespaces (a small tmpfs)")
def test_full_disk_reads_work_writes_say_so_nothing_damaged(pristine, tmp_path):
    mnt = tmp_path / "small disk"
    mnt.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "new.txt").write_text("磁盘满时的文章\n小城磁盘满时导入的文章。\n", encoding="utf-8")
    after = tmp_path / "after"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    r = subprocess.run(
        ["unshare", "-m", "sh", "-c",
         f"mount -t tmpfs -o size=2m tmpfs '{mnt}' && cp -a '{pristine}' '{mnt}/lib' && "
         f"rm -rf '{mnt}/lib/backups' || exit 99; "
         f'"{sys.executable}" -c "$0" "{mnt}" "{mnt}/lib" "{outside}"; rc=$?; '
         f"cp -a '{mnt}/lib' '{after}'; exit $rc", PROBES],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.split("REPORT ", 1)[1])
    for leave_kb, probes in report.items():
        by = {p["argv"][0] + (p["argv"][1] if p["argv"][0] == "backup" else ""): p
              for p in probes}
        for p in probes:
            assert p["rc"] in (0, 1), (leave_kb, p)
            assert "Traceback" not in p["err"] and "damaged" not in p["err"], (leave_kb, p)
            if p["rc"] == 1:
                assert len(p["err"].strip().splitlines()) == 1, p
        # reads keep working, and search agrees with the list
        for name in ("search", "stats", "list", "show", "highlights", "export"):
            assert by[name]["rc"] == 0, (leave_kb, by[name])
        listed = {a["id"] for a in json.loads(by["list"]["out"])}
        found = {h["id"] for h in json.loads(by["search"]["out"])["hits"]}
        assert listed == found and len(listed) == 3
        # a write says the disk is full
        assert by["highlight"]["rc"] == 1 and "full" in by["highlight"]["err"], by["highlight"]
        # a backup onto the full disk names the destination; one elsewhere works
        full_backup = by["backup" + str(mnt / "b.zip")]
        assert full_backup["rc"] == 1 and str(mnt / "b.zip") in full_backup["err"], full_backup
        assert "library.db" not in full_backup["err"]
        assert by["backup" + str(outside / f"b{leave_kb}.zip")]["rc"] == 0
        assert by["import"]["rc"] == 1 and "full" in by["import"]["err"], by["import"]
    assert (outside / "b0.zip").is_file() and not (mnt / "b.zip").exists()
    assert [p.name for p in after.iterdir() if p.name.startswith(".pizhu-tmp")] == []
    assert_intact(after)
    with Library.open(after) as lib:
        assert sorted(h.note for h in lib.highlights()) == ["第一条批注", "第二条批注"]


# ---------------------------------------------------------------------- without root
def _error(message: str, name: str) -> sqlite3.OperationalError:
    e = sqlite3.OperationalError(message)
    e.sqlite_errorname = name
    return e


def test_full_disk_is_told_apart_from_damage(tmp_path, monkeypatch):
    db = tmp_path / "library.db"
    monkeypatch.setattr(store_db, "free_space", lambda _folder: 2048)
    assert store_db.disk_full(_error("disk I/O error", "SQLITE_IOERR_SHMSIZE"), db)
    assert store_db.disk_full(_error("database or disk is full", "SQLITE_FULL"), db)
    assert store_db.disk_full(OSError(errno.ENOSPC, "No space left on device"), db)
    assert not store_db.disk_full(_error("database disk image is malformed", "SQLITE_CORRUPT"), db)
    assert not store_db.disk_full(_error("file is not a database", "SQLITE_NOTADB"), db)
    monkeypatch.setattr(store_db, "free_space", lambda _folder: 50 << 30)
    # an I/O error with plenty of room is not called a full disk
    assert not store_db.disk_full(_error("disk I/O error", "SQLITE_IOERR_SHMSIZE"), db)
    assert "the disk is full" in store_db.full_message(db, _error("x", "SQLITE_FULL"))


def test_a_backup_that_fills_the_destination_names_the_destination(pristine, tmp_path,
                                                                    monkeypatch):
    import reader.core.backup as backup_mod

    lib_dir = tmp_path / "lib"
    shutil.copytree(pristine, lib_dir)
    out = tmp_path / "dest" / "b.zip"
    out.parent.mkdir()

    def no_room(*_a, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", no_room)
    with Library.open(lib_dir) as lib, pytest.raises(BackupError) as e:
        backup(lib, out)
    assert str(out) in str(e.value) and "disk is full" in str(e.value)
    assert "library.db" not in str(e.value)
    monkeypatch.undo()

    real = store_db._connect_ro

    class FullCopy:  # SQLite's own backup step hits the full disk
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def backup(self, *_a, **_kw) -> None:
            raise _error("database or disk is full", "SQLITE_FULL")

        def close(self) -> None:
            self.conn.close()

    monkeypatch.setattr("reader.core.store.db._connect_ro", lambda p: FullCopy(real(p)))
    with Library.open(lib_dir) as lib, pytest.raises(BackupError) as e:
        backup(lib, out)
    assert str(out) in str(e.value) and "full" in str(e.value)
    assert list(out.parent.iterdir()) == []  # no temp copy left behind
    monkeypatch.undo()
    # too little room is said before anything is written
    monkeypatch.setattr(backup_mod, "_free_bytes", lambda _folder: 4096)
    with Library.open(lib_dir) as lib, pytest.raises(BackupError) as e:
        backup(lib, out)
    assert "not enough free space" in str(e.value) and str(out.parent) in str(e.value)
    assert_intact(lib_dir)
