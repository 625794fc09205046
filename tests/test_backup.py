"""Backup and restore: consistent archives while a writer is active, validation of archives,
rolling automatic backups."""

from __future__ import annotations

import json
import sqlite3
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from annotation_fixtures import annotated_library, write_articles

from reader.core.annotating import context as _context
from reader.core.backup import (
    BackupError,
    auto_backup,
    auto_backups,
    backup,
    read_manifest,
    restore,
)
from reader.core.library import Library

WAIT = 120  # seconds; only a guard against a hung thread, never reached when things work


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _check_restored(target: Path) -> Library:
    assert _integrity(target / "library.db") == "ok"
    lib = Library.open(target, create=False)
    for h in lib.highlights(include_deleted=True):
        if not h.orphan:
            assert lib.article(h.article_id).body[h.start:h.end] == h.quote
    return lib


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    lib, hls = annotated_library(tmp_path / "a")
    with lib:
        info = backup(lib, tmp_path / "b.zip")
        expected = {h.uuid: h for h in lib.highlights(include_deleted=True)}
        versions = lib.versions(hls["orphan"].article_id)
    assert (info.articles, info.highlights) == (3, 6)
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        assert sorted(z.namelist()) == ["library.db", "manifest.json"]
    manifest = read_manifest(tmp_path / "b.zip")
    assert manifest["format"] == "pizhu-backup" and manifest["articles"] == 3

    restored = restore(tmp_path / "b.zip", tmp_path / "restored")
    assert (restored.articles, restored.highlights) == (3, 6)
    with _check_restored(tmp_path / "restored") as lib2:
        got = {h.uuid: h for h in lib2.highlights(include_deleted=True)}
        assert got == expected
        assert lib2.versions(hls["orphan"].article_id) == versions
        hits, _ = lib2.search("图书馆")
        assert [h.article.title for h in hits] == ["小城图书馆扩建"]
        assert (tmp_path / "restored" / "index").is_dir()


def test_backup_while_a_transaction_is_open_sees_only_committed_data(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib")
    lib.import_paths(write_articles(tmp_path / "in"))
    (aid, body) = next(iter(lib.bodies([lib.articles()[0].id]).items()))
    lib.add_highlight(aid, 0, 4, note="已提交")
    in_tx, backup_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with lib.store.transaction() as conn:
                for i in range(50):
                    s, e = i % 10, i % 10 + 3
                    conn.execute(
                        "INSERT INTO highlights(uuid, article_id, start, end, quote, prefix,"
                        " suffix, created, updated) VALUES (?,?,?,?,?,?,?,?,?)",
                        (f"uncommitted-{i}", aid, s, e, body[s:e], *_context(body, s, e),
                         "2026-01-01", "2026-01-01"),
                    )
                in_tx.set()
                assert backup_done.wait(WAIT)
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    t = threading.Thread(target=writer)
    t.start()
    try:
        assert in_tx.wait(WAIT)
        info = backup(lib, tmp_path / "b.zip")
    finally:
        backup_done.set()
        t.join(WAIT)
    assert not errors and not t.is_alive()
    assert info.highlights == 1  # the open transaction's 50 rows are not in the copy
    assert len(lib.highlights()) == 51  # …but were committed afterwards
    lib.close()
    restore(tmp_path / "b.zip", tmp_path / "r")
    with _check_restored(tmp_path / "r") as r:
        assert [h.note for h in r.highlights()] == ["已提交"]


def test_backup_while_a_writer_thread_adds_highlights(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib")
    lib.import_paths(write_articles(tmp_path / "in"))
    arts = [(a.id, len(lib.article(a.id).body)) for a in lib.articles()]
    started, stop = threading.Event(), threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        n = 0
        try:
            while not stop.is_set() or n < 5:
                aid, length = arts[n % len(arts)]
                s = n % (length - 6)
                lib.add_highlight(aid, s, s + 5, note=f"第{n}条", tags=[f"t{n % 3}"])
                n += 1
                written.append(n)
                if n == 3:
                    started.set()
        except BaseException as e:
            errors.append(e)
            started.set()

    t = threading.Thread(target=writer)
    t.start()
    try:
        assert started.wait(WAIT)
        before = len(written)
        info = backup(lib, tmp_path / "live.zip")
    finally:
        stop.set()
        t.join(WAIT)
    assert not errors and not t.is_alive()
    total = len(lib.highlights())
    lib.close()
    assert before <= info.highlights <= total
    restore(tmp_path / "live.zip", tmp_path / "r")
    with _check_restored(tmp_path / "r") as r:
        notes = {h.note for h in r.highlights()}
        assert len(notes) == info.highlights
        # the copy holds a prefix of the writer's sequence: no gaps, no half-written highlight
        assert notes == {f"第{i}条" for i in range(info.highlights)}
        for h in r.highlights():
            assert h.tags == [f"t{int(h.note[1:-1]) % 3}"]
        hits, _ = r.search("note:第0条")
        assert len(hits) == 1


def _zip(path: Path, manifest: dict | None, db: Path | None) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        if manifest is not None:
            z.writestr("manifest.json", json.dumps(manifest))
        if db is not None:
            z.write(db, "library.db")
    return path


def _good(tmp_path: Path) -> Path:
    with Library.open(tmp_path / "src") as lib:
        lib.import_paths(write_articles(tmp_path / "in"))
        backup(lib, tmp_path / "good.zip")
    return tmp_path / "good.zip"


def test_restore_refuses_bad_archives(tmp_path: Path) -> None:
    good = _good(tmp_path)
    manifest = read_manifest(good)
    with zipfile.ZipFile(good) as z:
        (tmp_path / "db").write_bytes(z.read("library.db"))
    newer_db = tmp_path / "newer.db"
    newer_db.write_bytes((tmp_path / "db").read_bytes())
    conn = sqlite3.connect(newer_db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    text = tmp_path / "notes.zip"
    text.write_text("这不是压缩包", encoding="utf-8")
    cases = {
        "not a zip archive": text,
        "no manifest.json": _zip(tmp_path / "a.zip", None, tmp_path / "db"),
        "unknown manifest format": _zip(tmp_path / "b.zip", {"format": "other"}, tmp_path / "db"),
        "backup format 2": _zip(tmp_path / "c.zip", {**manifest, "format_version": 2},
                                tmp_path / "db"),
        "library schema 99": _zip(tmp_path / "d.zip", {**manifest, "schema_version": 99},
                                  tmp_path / "db"),
        "the database is missing": _zip(tmp_path / "e.zip", manifest, None),
        "checksum does not match": _zip(tmp_path / "f.zip", manifest, newer_db),
        "understands up to": _zip(
            tmp_path / "g.zip", {k: v for k, v in manifest.items() if k != "database_sha256"},
            newer_db),
        "no such file": tmp_path / "absent.zip",
    }
    for reason, archive in cases.items():
        target = tmp_path / f"target-{archive.stem}"
        with pytest.raises(BackupError) as e:
            restore(archive, target)
        assert str(archive.name) in str(e.value) and reason in str(e.value), str(e.value)
        assert not target.exists()  # a failed restore leaves nothing behind


def test_restore_only_into_an_empty_folder(tmp_path: Path) -> None:
    good = _good(tmp_path)
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("别动我", encoding="utf-8")
    with pytest.raises(BackupError, match="not empty"):
        restore(good, target)
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert restore(good, empty).articles == 3


def test_backup_refuses_a_folder_or_a_missing_folder(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as lib:
        with pytest.raises(BackupError, match="is a folder"):
            backup(lib, tmp_path)
        with pytest.raises(BackupError, match="does not exist"):
            backup(lib, tmp_path / "no" / "b.zip")


def test_auto_backup_keeps_the_newest(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths(write_articles(tmp_path / "in"))
        made = [auto_backup(lib, keep=3, today=date(2026, 1, d)) for d in range(1, 6)]
        assert all(p is not None for p in made)
        assert auto_backup(lib, keep=3, today=date(2026, 1, 5)) is None  # one a day
        names = [p.name for p in auto_backups(lib)]
        assert names == [f"pizhu-auto-2026-01-0{d}.zip" for d in (3, 4, 5)]
        assert read_manifest(auto_backups(lib)[-1])["articles"] == 3
