"""The SQLite store: pragmas, schema versioning, refusal of newer or foreign databases."""

from __future__ import annotations

import sqlite3

import pytest

from reader.core.library import Library, LibraryError
from reader.core.store.db import APPLICATION_ID, StoreError, connect
from reader.core.store.schema import SCHEMA_VERSION


def test_new_library_is_wal_with_current_schema(tmp_path):
    with Library.open(tmp_path / "lib") as lib:
        conn = lib.store.reader()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert (tmp_path / "lib" / "library.db").exists()


def test_newer_schema_is_refused_and_not_altered(tmp_path):
    root = tmp_path / "lib"
    Library.open(root).close()
    db = root / "library.db"
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.commit()
    raw.close()
    before = db.read_bytes()
    with pytest.raises(LibraryError) as e:
        Library.open(root)
    assert "newer" in str(e.value) and str(db) in str(e.value)
    assert db.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    raw = sqlite3.connect(root / "library.db")
    raw.execute("CREATE TABLE other(x)")
    raw.commit()
    raw.close()
    with pytest.raises(LibraryError, match="not a Pizhu library"):
        Library.open(root)


def test_garbage_database_file_names_the_file(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "library.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError) as e:
        Library.open(root)
    assert "library.db" in str(e.value)
    assert (root / "library.db").read_bytes() == b"this is not sqlite" * 100


def test_migration_from_empty_runs_in_one_transaction(tmp_path, monkeypatch):
    from reader.core.store import schema

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, "CREATE TABLE broken(;"])
    monkeypatch.setattr("reader.core.store.db.MIGRATIONS", schema.MIGRATIONS)
    monkeypatch.setattr("reader.core.store.db.SCHEMA_VERSION", len(schema.MIGRATIONS))
    db = tmp_path / "x.db"
    with pytest.raises(StoreError):
        connect(db)
    raw = sqlite3.connect(db)
    # nothing of the failed migration run is left: still version 0, no tables
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 0
    assert raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_missing_library_without_create(tmp_path):
    with pytest.raises(LibraryError, match="no Pizhu library"):
        Library.open(tmp_path / "nothing", create=False)


def test_pizhu_home_overrides_default(tmp_path, monkeypatch):
    from reader.core.paths import default_library_dir, resolve_library_dir

    monkeypatch.setenv("PIZHU_HOME", str(tmp_path / "home"))
    assert default_library_dir() == tmp_path / "home"
    assert resolve_library_dir(tmp_path / "explicit") == tmp_path / "explicit"
