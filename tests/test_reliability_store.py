"""The database file and the file system (issue 6): a damaged or truncated database is refused
with a message naming the file and the latest automatic backup, and is never written to; a
read-only library, a full disk, and a library on a path with spaces and Chinese characters get
clear messages and lose nothing."""

from __future__ import annotations

import errno
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from crashkit import harness

from reader.cli import commands as cli
from reader.core.importing import Importer
from reader.core.library import Library, LibraryError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A closed library with two automatic backups (an older and today's)."""
    from reader.core.backup import auto_backup

    work = tmp_path_factory.mktemp("store-faults")
    harness.build_seed_library(work / "lib", work / "inbox", seed=11, files=10)
    with Library.open(work / "lib") as lib:
        auto_backup(lib, today=date(2026, 1, 1))
        auto_backup(lib, today=date(2026, 1, 20))
    return work / "lib"


@pytest.fixture
def lib_dir(pristine, tmp_path) -> Path:
    dst = tmp_path / "lib"
    shutil.copytree(pristine, dst)
    return dst


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _garbage(p: Path) -> None:
    p.write_bytes(b"\x00garbage" * 2000)


def _header(p: Path) -> None:
    b = bytearray(p.read_bytes())
    b[:16] = b"not sqlite here!"
    p.write_bytes(bytes(b))


def _zero_pages(p: Path) -> None:  # a torn write: two pages of zeros in the middle
    b = bytearray(p.read_bytes())
    b[4096 * 3 : 4096 * 5] = bytes(8192)
    p.write_bytes(bytes(b))


def _flip(p: Path) -> None:
    b = bytearray(p.read_bytes())
    for i in range(4096 * 2, len(b), 997):
        b[i] ^= 0x5A
    p.write_bytes(bytes(b))


def _empty(p: Path) -> None:
    p.write_bytes(b"")


DAMAGE = {"truncated": _truncate, "garbage": _garbage, "header": _header,
          "zeroed-pages": _zero_pages, "flipped-bytes": _flip, "emptied": _empty}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_damaged_database_is_refused_naming_file_and_backup(lib_dir, how, capsys):
    db = lib_dir / "library.db"
    DAMAGE[how](db)
    before = db.read_bytes()
    with pytest.raises(LibraryError) as exc:
        Library.open(lib_dir)
    msg = str(exc.value)
    assert str(db) in msg
    assert "pizhu-auto-2026-01-20.zip" in msg, msg  # the latest automatic backup
    assert "\n" not in msg
    assert db.read_bytes() == before, "the damaged file was written to"
    # the CLI says the same in one line, exit code 1, no traceback
    assert cli.main(["--library", str(lib_dir), "list"]) == 1
    err = capsys.readouterr().err
    assert "pizhu-auto-2026-01-20.zip" in err and "Traceback" not in err
    assert db.read_bytes() == before
    assert not (lib_dir / "library.db-wal").exists() or how != "emptied"


def test_damaged_database_read_only_open_is_refused_too(lib_dir):
    db = lib_dir / "library.db"
    _zero_pages(db)
    before = db.read_bytes()
    with pytest.raises(LibraryError, match="damaged"):
        Library.open(lib_dir, readonly=True)
    assert db.read_bytes() == before


def test_backup_restores_what_the_damage_took(lib_dir, tmp_path):
    """The hint is actionable: `pizhu restore` of the named backup brings the annotations back."""
    with Library.open(lib_dir) as lib:
        want = sorted((h.uuid, h.note) for h in lib.highlights())
    _garbage(lib_dir / "library.db")
    target = tmp_path / "restored"
    backup = lib_dir / "backups" / "pizhu-auto-2026-01-20.zip"
    rc = cli.main(["--library", str(target), "restore", str(backup)])
    assert rc == 0
    with Library.open(target) as lib:
        assert sorted((h.uuid, h.note) for h in lib.highlights()) == want
        assert lib.search("编号")[1] == lib.count_articles()


def test_newer_schema_is_refused_and_not_changed(lib_dir):
    db = lib_dir / "library.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(LibraryError, match="newer"):
        Library.open(lib_dir)
    assert db.read_bytes() == before


def test_garbage_wal_is_ignored_and_nothing_is_lost(lib_dir):
    """A torn or foreign -wal file next to a good database: SQLite's checksums drop it."""
    with Library.open(lib_dir) as lib:
        want = sorted((h.uuid, h.note) for h in lib.highlights())
    (lib_dir / "library.db-wal").write_bytes(os.urandom(50_000))
    with Library.open(lib_dir) as lib:
        assert sorted((h.uuid, h.note) for h in lib.highlights()) == want
        assert lib.store.reader().execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ---------------------------------------------------------------------- file system
def _can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    r = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                       capture_output=True)
    return r.returncode == 0


CAN_MOUNT = _can_mount()


def _in_private_mount(script: str, setup: str, after: str = "true") -> subprocess.CompletedProcess:
    """Run the Python ``script`` in a private mount namespace after the shell ``setup`` (and
    ``after`` it): the mounts vanish with the namespace, whatever happens."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    return subprocess.run(
        ["unshare", "-m", "sh", "-c",
         f'{setup} || exit 99; "{sys.executable}" -c "$0"; rc=$?; {after}; exit $rc', script],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and mount namespaces")
def test_read_only_mount_opens_read_only_and_writes_nothing(lib_dir):
    with Library.open(lib_dir) as lib:
        n = lib.count_articles()
        want = sorted((h.uuid, h.note) for h in lib.highlights())
    script = f"""
import sys
from reader.core.library import Library, LibraryError
from reader.cli import commands as cli
root = {str(lib_dir)!r}
try:
    Library.open(root)
except LibraryError as e:
    print("WRITE-REFUSED:", e)
with Library.open(root, readonly=True) as lib:
    print("ARTICLES", lib.count_articles())
    print("NOTES", sorted((h.uuid, h.note) for h in lib.highlights()))
    print("SEARCH", lib.search("编号", limit=1000)[1])
    try:
        lib.add_highlight(lib.articles()[0].id, 0, 2)
    except LibraryError as e:
        print("ADD-REFUSED:", e)
rc = cli.main(["--library", root, "import", {str(ROOT / "README.md")!r}])
print("CLI-RC", rc)
"""
    r = _in_private_mount(script, f"mount --bind '{lib_dir}' '{lib_dir}' && "
                                  f"mount -o remount,ro,bind '{lib_dir}'")
    out = r.stdout
    assert "WRITE-REFUSED:" in out and "read-only" in out, (out, r.stderr)
    assert f"ARTICLES {n}" in out
    assert f"NOTES {want}" in out
    assert f"SEARCH {n}" in out, (out, r.stderr[-2000:])  # every seeded article says 编号
    assert "ADD-REFUSED:" in out
    assert "CLI-RC 1" in out and "Traceback" not in r.stderr, r.stderr
    with Library.open(lib_dir) as lib:  # outside the namespace it is writable and intact
        assert sorted((h.uuid, h.note) for h in lib.highlights()) == want


def test_read_only_folder_refuses_writes_clearly(lib_dir, monkeypatch):
    """Without root's mount powers: the folder reports itself unwritable (os.access)."""
    real_access = os.access

    def access(path, mode, *a, **kw):
        if Path(path) == lib_dir and mode & os.W_OK:
            return False
        return real_access(path, mode, *a, **kw)

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(LibraryError, match="read-only"):
        Library.open(lib_dir)
    with Library.open(lib_dir, readonly=True) as lib:
        assert lib.count_articles() > 0
        with pytest.raises(LibraryError, match="read-only"):
            lib.set_read(lib.articles()[0].id)


FULL_DISK_SCRIPT = """
import json, os, random, sys
from pathlib import Path
from crashkit import harness
from reader.core.library import Library, LibraryError
root = Path(sys.argv[1])
saved, refused, other = [], [], []
with Library.open(root) as lib:
    arts = [a.id for a in lib.articles()]
    rng = random.Random(1)
    for i in range(4000):
        note = "很长的批注" * 400 + f"{i}"
        try:
            h = lib.add_highlight(rng.choice(arts), 0, 3, note=note)
            saved.append([h.uuid, note])
        except LibraryError as e:
            refused.append(str(e))
        except Exception as e:  # must not happen
            other.append(f"{type(e).__name__}: {e}")
        if len(refused) > 20:
            break
    messages = list(lib.messages)
print(json.dumps({"saved": saved, "refused": refused[:3], "other": other[:3],
                  "messages": messages[-3:]}))
"""


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and mount namespaces")
def test_full_disk_refuses_cleanly_and_keeps_every_saved_highlight(lib_dir, tmp_path):
    """A 3 MB tmpfs fills up while highlights with long notes are added: every call either
    saves (and the highlight is there afterwards) or fails with a readable LibraryError."""
    import json

    mnt = tmp_path / "small disk 小盘"
    mnt.mkdir()
    out_dir = tmp_path / "after"
    r = _in_private_mount(
        FULL_DISK_SCRIPT.replace("sys.argv[1]", repr(str(mnt / "lib"))),
        f"mount -t tmpfs -o size=3m tmpfs '{mnt}' && cp -a '{lib_dir}' '{mnt}/lib' && "
        f"rm -rf '{mnt}/lib/backups'",
        after=f"cp -a '{mnt}/lib' '{out_dir}'",
    )
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert report["other"] == [], report["other"]
    assert report["refused"], "the disk never filled up"
    assert all("library.db" in m or "disk" in m or "space" in m for m in report["refused"]), report
    assert report["saved"]
    # what was saved is still there (the copy taken when the namespace ended)
    with Library.open(out_dir) as lib:
        got = {h.uuid: h.note for h in lib.highlights()}
        assert lib.store.reader().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for uuid, note in report["saved"]:
            assert got.get(uuid) == note
        assert len(lib.search("note:很长的批注", limit=10_000)[0]) >= 1


def test_disk_full_in_sqlite_commit_is_a_clear_error_and_rolls_back(lib_dir, monkeypatch):
    """Without a small file system: make SQLite's COMMIT fail as on a full disk."""
    with Library.open(lib_dir) as lib:
        a = lib.articles()[0]
        before = len(lib.highlights())
        real = lib.store._writer  # the store's own connection: this test is about its COMMIT

        class FullDisk:
            def __getattr__(self, name):
                return getattr(real, name)

            def execute(self, sql, *args):
                if sql == "COMMIT":
                    raise sqlite3.OperationalError("database or disk is full")
                return real.execute(sql, *args)

        monkeypatch.setattr(lib.store, "_writer", FullDisk())
        with pytest.raises(LibraryError, match="could not save") as exc:
            lib.add_highlight(a.id, 0, 3, note="不会保存")
        assert "library.db" in str(exc.value)
        monkeypatch.setattr(lib.store, "_writer", real)
        assert len(lib.highlights()) == before
        h = lib.add_highlight(a.id, 0, 3, note="空间回来了")  # and the library still works
        assert lib.highlight(h.uuid).note == "空间回来了"


def test_disk_full_while_importing_is_one_failed_file(lib_dir, tmp_path, monkeypatch):
    good = tmp_path / "good.txt"
    good.write_text("磁盘满了之后的文章\n正文第一段。\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("另一篇文章标题\n另一篇正文。\n", encoding="utf-8")
    with Library.open(lib_dir) as lib:
        n = lib.count_articles()
        real = Importer._store_draft
        calls = {"n": 0}

        def full(self, *a, **kw):
            calls["n"] += 1
            if calls["n"] == 1:
                raise sqlite3.OperationalError("database or disk is full")
            return real(self, *a, **kw)

        monkeypatch.setattr(Importer, "_store_draft", full)
        rep = lib.import_paths([good, other])
        st = {Path(f.path).name: f for f in rep.files}
        assert st["good.txt"].status == "failed" and "disk is full" in st["good.txt"].reason
        assert st["other.txt"].status == "added"
        assert lib.count_articles() == n + 1


def test_library_on_a_path_with_spaces_and_chinese(tmp_path):
    root = tmp_path / "我的 文库 (2026)" / "批注 library"
    src = tmp_path / "导入 文件夹"
    src.mkdir()
    (src / "第一篇 文章.txt").write_text("路径里的空格与汉字\n正文提到了滨海新区。\n",
                                        encoding="utf-8")
    env = dict(os.environ, PIZHU_HOME=str(root))
    r = subprocess.run([sys.executable, "-m", "reader", "import", str(src)], capture_output=True,
                       text=True, env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "reader", "search", "--json", "滨海新区"],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "路径里的空格与汉字" in r.stdout
    with Library.open(root) as lib:
        a = lib.articles()[0]
        h = lib.add_highlight(a.id, 0, 4, note="空格 路径")
        assert lib.highlight(h.uuid).note == "空格 路径"
        assert Path(a.source_file).name == "第一篇 文章.txt"
    assert (root / "library.db").exists() and (root / "index").is_dir()


def test_random_damage_never_yields_a_traceback(pristine, tmp_path):
    """Seeded random corruption of the database file: open either works (and reads work) or
    fails with a LibraryError naming the file; the file is never changed by the attempt."""
    rng = random.Random(20260122)
    outcomes = {"opened": 0, "refused": 0}
    for i in range(40):
        d = tmp_path / f"d{i}"
        shutil.copytree(pristine, d)
        db = d / "library.db"
        b = bytearray(db.read_bytes())
        for _ in range(rng.randint(1, 40)):
            at = rng.randrange(len(b))
            b[at : at + rng.randint(1, 64)] = os.urandom(rng.randint(1, 64))
        db.write_bytes(bytes(b))
        before = db.read_bytes()
        try:
            with Library.open(d) as lib:
                for a in lib.articles():
                    lib.article(a.id)
                lib.highlights(include_deleted=True)
                outcomes["opened"] += 1
        except LibraryError as e:
            assert str(db) in str(e)
            outcomes["refused"] += 1
            assert db.read_bytes() == before
    assert outcomes["refused"] > 0, outcomes


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_index_folder_that_cannot_be_written(lib_dir, monkeypatch, err):
    """Whoosh cannot write its files (full, read-only, no permission): the database write is
    kept and the user is told the index will catch up."""
    from whoosh.filedb.filestore import FileStorage

    def broken(self, name, **kw):
        raise OSError(err, os.strerror(err))

    with Library.open(lib_dir) as lib:
        lib.index()
        monkeypatch.setattr(FileStorage, "create_file", broken)
        a = lib.articles()[0]
        h = lib.add_highlight(a.id, 0, 2, note="索引写不进去")
        assert lib.highlight(h.uuid).note == "索引写不进去"
        assert lib.messages and "later" in lib.messages[-1]
        monkeypatch.undo()
        assert [x.article.id for x in lib.search("note:索引写不进去")[0]] == [a.id]
