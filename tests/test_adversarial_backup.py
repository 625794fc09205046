"""Adversarial probes of backup and restore (issue 15, items 3, 8, 10, 11, 13): a backup never
replaces the library or a device, restore reads an archive as untrusted input (only Pizhu's own
tables are copied into a fresh schema, bombs are refused before writing), every damaged archive
is one readable line, killed backups leave nothing that lasts."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from adversarial_kit import assert_intact, in_thread, make_library, repack, run

from reader.core import fileguard
from reader.core.backup import BackupError, backup, read_manifest, restore
from reader.core.library import Library

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, Path]:
    """(a library, a good backup of it), built once."""
    base = tmp_path_factory.mktemp("adv-backup")
    lib_dir = make_library(base)
    with Library.open(lib_dir) as lib:
        backup(lib, base / "good.zip")
    return lib_dir, base / "good.zip"


@pytest.fixture
def lib_dir(pristine, tmp_path) -> Path:
    import shutil

    dst = tmp_path / "lib"
    shutil.copytree(pristine[0], dst)
    return dst


@pytest.fixture
def good(pristine) -> Path:
    return pristine[1]


def _db_bytes(archive: Path) -> bytes:
    with zipfile.ZipFile(archive) as z:
        return z.read("library.db")


def _edit_db(tmp_path: Path, archive: Path, sql: str) -> bytes:
    """The archive's database after running ``sql`` on it (a hostile backup's contents)."""
    db = tmp_path / "edit.db"
    db.write_bytes(_db_bytes(archive))
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.close()
    return db.read_bytes()


# ---------------------------------------------------------------------- item 3: destinations
def test_backup_never_replaces_anything_inside_the_library(lib_dir, tmp_path, capsys):
    db = lib_dir / "library.db"
    before = db.read_bytes()
    link = tmp_path / "innocent.zip"
    link.symlink_to(db)
    for target in (db, lib_dir / "index", lib_dir / "new.zip", lib_dir / "index" / "b.zip", link):
        for force in ([], ["--force"]):
            rc, _out, err = run(capsys, "--library", str(lib_dir), "backup", str(target), *force)
            assert rc == 1, (target, err)
            assert "library folder" in err or "is a folder" in err, err
        with Library.open(lib_dir) as lib, pytest.raises(BackupError):
            backup(lib, target, overwrite=True)
    assert db.read_bytes() == before
    assert link.is_symlink()
    assert not (lib_dir / "new.zip").exists()
    assert_intact(lib_dir)


def test_backup_refuses_devices_fifos_and_folders(lib_dir, tmp_path, capsys):
    fifo = tmp_path / "pipe.zip"
    os.mkfifo(fifo)
    targets = [fifo, tmp_path]
    targets += [Path(p) for p in ("/dev/full", "/dev/null") if os.path.exists(p)]
    for target in targets:
        rc, _out, err = run(capsys, "--library", str(lib_dir), "backup", str(target), "--force")
        assert rc == 1 and str(target) in err, err
        assert "not a regular file" in err or "is a folder" in err, err
    assert fifo.is_fifo()
    assert_intact(lib_dir)


def test_backup_replaces_an_existing_file_only_with_force(lib_dir, tmp_path, capsys):
    out = tmp_path / "mine.zip"
    out.write_text("我的重要文件", encoding="utf-8")
    rc, _out, err = run(capsys, "--library", str(lib_dir), "backup", str(out))
    assert rc == 1 and "already exists" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "我的重要文件"
    rc, _out, _err = run(capsys, "--library", str(lib_dir), "backup", str(out), "--force")
    assert rc == 0
    assert read_manifest(out)["articles"] == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pizhu")] == []


def test_empty_paths_are_usage_errors(lib_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "" must not mean this folder
    monkeypatch.setenv("PIZHU_HOME", str(tmp_path / "default-library"))
    for argv in (["--library", "", "list"], ["--library", " ", "stats"],
                 ["--library", str(lib_dir), "import", ""],
                 ["--library", str(lib_dir), "export", "--all", "-o", ""],
                 ["--library", str(lib_dir), "backup", ""],
                 ["--library", str(lib_dir), "import-annotations", ""],
                 ["restore", "", "--library", str(tmp_path / "r")],
                 ["restore", str(tmp_path / "x.zip"), "--library", ""]):
        rc, _out, err = run(capsys, *argv)
        assert rc == 2, (argv, err)
        assert "empty" in err, err
    assert not (tmp_path / "default-library").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib"]


# ---------------------------------------------------------------------- item 8: untrusted archives
def test_restore_drops_foreign_triggers_and_views(good, tmp_path):
    hostile = _edit_db(tmp_path, good, """
        CREATE TRIGGER eat AFTER INSERT ON highlights BEGIN
            DELETE FROM highlights WHERE id = new.id;
        END;
        CREATE TRIGGER hide AFTER UPDATE ON articles BEGIN UPDATE highlights SET deleted = 1; END;
        CREATE VIEW forever AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
            SELECT x FROM c;
        CREATE INDEX foreign_index ON highlights(note);
    """)
    archive = repack(good, tmp_path / "hostile.zip", db=hostile)
    info = in_thread(lambda: restore(archive, tmp_path / "restored"))
    assert not isinstance(info, BaseException), info
    conn = sqlite3.connect(tmp_path / "restored" / "library.db")
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert not names & {"eat", "hide", "forever", "foreign_index"}
    with Library.open(tmp_path / "restored") as lib:
        a = lib.articles()[0]
        h = lib.add_highlight(a.id, 0, 2, note="恢复之后的新批注")
        lib.set_read(a.id, True)
        assert lib.highlight(h.uuid).note == "恢复之后的新批注"
        assert not lib.highlight(h.uuid).deleted
        assert sorted(x.note for x in lib.highlights()) == sorted(
            ["第一条批注", "第二条批注", "恢复之后的新批注"])
    assert_intact(tmp_path / "restored")


@pytest.mark.parametrize("sql, reason", [
    # a known table replaced by a recursive view: never queried, refused at once
    ("DROP TABLE highlight_tags; CREATE VIEW highlight_tags AS WITH RECURSIVE c(x) AS "
     "(SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS highlight_id, x AS tag_id FROM c;",
     "highlight_tags is missing"),
    ("UPDATE highlights SET note = x'00ff' WHERE id = (SELECT min(id) FROM highlights);",
     "wrong type"),
    ("UPDATE articles SET read = 'yes';", "wrong type"),
    ("PRAGMA foreign_keys = OFF; UPDATE highlights SET article_id = 999999;", "missing"),
    ("DROP TABLE tags;", "tags is missing"),
])
def test_restore_refuses_tables_that_are_not_pizhus(good, tmp_path, sql, reason):
    archive = repack(good, tmp_path / "bad.zip", db=_edit_db(tmp_path, good, sql))
    err = in_thread(lambda: restore(archive, tmp_path / "restored"))
    assert isinstance(err, BackupError), err
    assert reason in str(err) and "bad.zip" in str(err)
    assert not (tmp_path / "restored").exists()


def _bomb(path: Path, size: int, *, manifest: dict, entry: str = "library.db") -> Path:
    """An archive whose ``entry`` unpacks to ``size`` zero bytes (deflate packs ~1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        if entry != "manifest.json":
            z.writestr("manifest.json", json.dumps(manifest))
        info = zipfile.ZipInfo(entry)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            block = bytes(1 << 20)
            for _ in range(size >> 20):
                f.write(block)
    return path


def test_a_zip_bomb_is_refused_before_anything_is_written(good, tmp_path):
    manifest = read_manifest(good)
    manifest.pop("database_sha256")
    manifest.pop("database_size")
    bomb = _bomb(tmp_path / "bomb.zip", 96 << 20, manifest=manifest)
    assert bomb.stat().st_size < 1 << 20
    err = in_thread(lambda: restore(bomb, tmp_path / "restored"))
    assert isinstance(err, BackupError) and "zip bomb" in str(err), err
    assert not (tmp_path / "restored").exists()
    # a manifest that unpacks to 80 MB is refused without being read
    mbomb = _bomb(tmp_path / "mbomb.zip", 80 << 20, manifest={}, entry="manifest.json")
    err = in_thread(lambda: restore(mbomb, tmp_path / "restored"))
    assert isinstance(err, BackupError) and "manifest" in str(err), err
    assert not (tmp_path / "restored").exists()


def test_restore_needs_room_for_the_database(good, tmp_path, monkeypatch):
    import reader.core.backup as backup_mod

    monkeypatch.setattr(backup_mod, "_free_bytes", lambda _folder: 4096)
    err = in_thread(lambda: restore(good, tmp_path / "restored"))
    assert isinstance(err, BackupError) and "not enough free space" in str(err)
    assert str(tmp_path / "restored") in str(err)
    assert not (tmp_path / "restored").exists()


# ---------------------------------------------------------------------- item 10: damaged archives
def _central_offset(data: bytes, name: bytes) -> int:
    """Offset of the central-directory record of ``name``."""
    pos = 0
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        n = int.from_bytes(data[pos + 28:pos + 30], "little")
        if data[pos + 46:pos + 46 + n] == name:
            return pos
        pos += 4


def _patched(good: Path, out: Path, *, flag: int | None = None, method: int | None = None) -> Path:
    data = bytearray(good.read_bytes())
    central = _central_offset(bytes(data), b"library.db")
    local = int.from_bytes(data[central + 42:central + 46], "little")
    for base, flag_at, method_at in ((central, 8, 10), (local, 6, 8)):
        if flag is not None:
            data[base + flag_at] |= flag
        if method is not None:
            data[base + method_at:base + method_at + 2] = method.to_bytes(2, "little")
    out.write_bytes(bytes(data))
    return out


def test_encrypted_and_unknown_compression_archives_are_one_line(good, tmp_path, capsys):
    cases = {
        "encrypted": _patched(good, tmp_path / "enc.zip", flag=0x1),
        "unsupported compression": _patched(good, tmp_path / "aes.zip", method=99),
    }
    lzma_zip = tmp_path / "lzma.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(lzma_zip, "w", zipfile.ZIP_LZMA) as z:
        for name in src.namelist():
            z.writestr(name, src.read(name))
    cases["unsupported compression (method 14)"] = lzma_zip
    for reason, archive in cases.items():
        rc, _out, err = run(capsys, "restore", str(archive), "--library", str(tmp_path / "r"))
        assert rc == 1 and reason in err and archive.name in err, err
        assert not (tmp_path / "r").exists()


def test_a_damaged_deflate_stream_is_one_line(good, tmp_path, capsys):
    data = bytearray(good.read_bytes())
    central = _central_offset(bytes(data), b"library.db")
    local = int.from_bytes(data[central + 42:central + 46], "little")
    start = local + 30 + int.from_bytes(data[local + 26:local + 28], "little") + int.from_bytes(
        data[local + 28:local + 30], "little")
    size = int.from_bytes(data[central + 20:central + 24], "little")
    stream = bytes(data[start:start + size])

    def inflate_fails(s: bytes) -> bool:
        try:
            zlib.decompressobj(-15).decompress(s)
        except zlib.error:
            return True
        return False

    # the first spot where a run of 0xff makes the deflate stream itself invalid
    at = next(i for i in range(8, size - 8, 7)
              if inflate_fails(stream[:i] + b"\xff" * 8 + stream[i + 8:]))
    data[start + at:start + at + 8] = b"\xff" * 8
    bad = tmp_path / "zlib.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(zlib.error), zipfile.ZipFile(bad) as z:  # what zipfile itself raises
        z.read("library.db")
    rc, _out, err = run(capsys, "restore", str(bad), "--library", str(tmp_path / "r"))
    assert rc == 1 and "zlib.zip: damaged archive" in err, err
    assert not (tmp_path / "r").exists()


def test_randomly_damaged_backups_restore_or_fail_in_one_line(good, tmp_path):
    rng = random.Random(15)
    original = good.read_bytes()
    outcomes = {"restored": 0, "refused": 0}
    for i in range(60):
        data = bytearray(original)
        how = rng.choice(["bytes", "run", "truncate"])
        if how == "bytes":
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == "run":
            at = rng.randrange(len(data))
            data[at:at + rng.randint(1, 300)] = os.urandom(rng.randint(1, 300))
        else:
            del data[rng.randrange(len(data)):]
        archive = tmp_path / f"damaged-{i}.zip"
        archive.write_bytes(bytes(data))
        target = tmp_path / f"r{i}"
        result = in_thread(lambda a=archive, t=target: restore(a, t))
        if isinstance(result, BackupError):
            outcomes["refused"] += 1
            assert archive.name in str(result) and "\n" not in str(result), result
            assert not target.exists()
        else:
            assert not isinstance(result, BaseException), f"{how}: {result!r}"
            outcomes["restored"] += 1
            assert_intact(target)
    assert outcomes["refused"] > 30, outcomes


def test_manifest_values_of_the_wrong_type_or_size(good, tmp_path, capsys):
    manifest = read_manifest(good)
    deep = '{"format": "pizhu-backup", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    cases = {
        "format_version is '1', not a version number": {**manifest, "format_version": "1"},
        "format_version is true": {**manifest, "format_version": True},
        "schema_version is '1'": {**manifest, "schema_version": "1"},
        "5000 digits": {**manifest, "format_version": int("9" * 1000)},  # replaced below
        "database_sha256 is not": {**manifest, "database_sha256": ["x"]},
        "nested too deeply": None,
    }
    for reason, m in cases.items():
        archive = tmp_path / "m.zip"
        with zipfile.ZipFile(archive, "w") as z:
            if m is None:
                z.writestr("manifest.json", deep)
            elif reason == "5000 digits":
                z.writestr("manifest.json", json.dumps(manifest)[:-1]
                           + ', "format_version": ' + "9" * 5000 + "}")
            else:
                z.writestr("manifest.json", json.dumps(m))
            z.writestr("library.db", _db_bytes(good))
        rc, _out, err = run(capsys, "restore", str(archive), "--library", str(tmp_path / "r"))
        assert rc == 1 and "m.zip" in err, err
        assert "newer Pizhu" not in err, err  # the old message for a string "1"
        if reason == "5000 digits":
            assert "5000 digits" in err or "digits" in err, err
        elif reason != "format_version is true":
            assert reason in err, err
        assert len(err) < 400


def test_restore_of_a_fifo_or_device_does_not_hang(tmp_path, capsys):
    fifo = tmp_path / "pipe.zip"
    os.mkfifo(fifo)
    for src in [fifo, *[Path(p) for p in ("/dev/zero", "/dev/null") if os.path.exists(p)]]:
        result = in_thread(lambda s=src: run(capsys, "restore", str(s), "--library",
                                             str(tmp_path / "r")))
        rc, _out, err = result
        assert rc == 1 and "not a regular file" in err, err
        assert not (tmp_path / "r").exists()


# ---------------------------------------------------------------------- item 13: temp copies
KILL_DURING_BACKUP = """
import os, signal, sys, zipfile
from reader.core.backup import backup
from reader.core.library import Library
real = zipfile.ZipFile.write
def die(self, *a, **kw):
    real(self, *a, **kw)
    os.kill(os.getpid(), signal.SIGKILL)  # killed with the archive half made
zipfile.ZipFile.write = die
with Library.open(sys.argv[1]) as lib:
    backup(lib, sys.argv[2])
"""


def test_a_killed_backup_leaves_a_temp_copy_the_next_one_removes(lib_dir, tmp_path):
    out = tmp_path / "dest"
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", KILL_DURING_BACKUP, str(lib_dir),
                        str(out / "b.zip")], env=env, capture_output=True, timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr
    left = [p.name for p in out.iterdir()]
    assert len(left) == 1 and left[0].startswith(".pizhu-tmp-backup-"), left
    # one a live process is writing right now is left alone; an old one of an earlier Pizhu goes
    live = out / fileguard.temp_name("backup")
    live.mkdir()
    legacy = out / ".pizhu-backup-abc123"
    legacy.mkdir()
    old = time.time() - 7200
    os.utime(legacy, (old, old))
    with Library.open(lib_dir) as lib:
        backup(lib, out / "b.zip")
    assert sorted(p.name for p in out.iterdir()) == sorted(["b.zip", live.name])


def test_a_killed_restore_does_not_block_the_next_one(good, tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    stale = target / ".pizhu-tmp-restore-{}-999999999-abcd".format(
        fileguard.temp_name("x").split("-")[3])
    stale.mkdir()
    (stale / "archived.db").write_bytes(b"half")
    info = restore(good, target)
    assert info.articles == 3
    assert not stale.exists()
    assert_intact(target)


def test_a_backup_of_an_older_schema_is_copied_then_migrated(tmp_path):
    """The fresh schema is made at the archive's version, the rows copied, then the usual
    migrations bring it up to date (data a migration derives from older tables included)."""
    import hashlib

    from reader.core.store.db import APPLICATION_ID, _split_sql
    from reader.core.store.schema import MIGRATIONS

    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in _split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute(
        "INSERT INTO articles(id, uuid, key, title, body, content_hash, imported_at, updated_at)"
        " VALUES (1, '7d4ee4ec-07a3-4482-98bc-5174d63b016c', 'file:a.txt', '小城旧文章', "
        "'小城的旧版本文库里的一篇文章。', 'h1', '2026-01-01T00:00:00', '2026-01-01T00:00:00')")
    conn.execute(
        "INSERT INTO highlights(uuid, article_id, start, end, quote, note, created, updated) "
        "VALUES ('5c1f1a8e-1d1b-4c1e-9a53-2f0e0e7b8a11', 1, 0, 2, '小城', '旧批注', "
        "'2026-01-01T00:00:00', '2026-01-01T00:00:00')")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    data = db.read_bytes()
    manifest = {"format": "pizhu-backup", "format_version": 1, "schema_version": 1,
                "database": "library.db", "database_sha256": hashlib.sha256(data).hexdigest(),
                "database_size": len(data)}
    archive = tmp_path / "v1.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("library.db", data)
    info = restore(archive, tmp_path / "restored")
    assert (info.articles, info.highlights) == (1, 1)
    with Library.open(tmp_path / "restored") as lib:
        assert [h.note for h in lib.highlights()] == ["旧批注"]
        assert lib.store.reader().execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert_intact(tmp_path / "restored", articles=1)
