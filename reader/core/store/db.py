"""Opening a library database: pragmas, version checks and migrations."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Literal

from reader.core.store.schema import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x50495A48  # 'PIZH'


class StoreError(Exception):
    """A library database that cannot be used; the message names the file and the reason."""


def connect(path: Path, *, readonly: bool = False, check: bool = False) -> sqlite3.Connection:
    """Open (and for a writer, create or migrate) the database at ``path``. ``check``: run
    ``PRAGMA quick_check`` first (reads every page; ~0.1 s per 200 MB) and refuse a damaged file
    before anything is written to it."""
    try:
        if readonly:
            conn = _connect_ro(path)
        else:
            conn = sqlite3.connect(
                path, check_same_thread=False, isolation_level=None, timeout=30
            )
    except sqlite3.Error as e:
        if disk_full(e, path):
            raise StoreError(full_message(path, e)) from None
        raise StoreError(f"{path}: cannot open the library database ({e})") from None
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        if check:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError(" ".join(problems).replace("\n", " ")[:300])
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path}: this library was written by a newer Pizhu (schema {version}, this "
                f"version understands up to {SCHEMA_VERSION}); it was not changed. "
                "Please update Pizhu."
            )
        if app_id not in (0, APPLICATION_ID):
            raise StoreError(f"{path}: not a Pizhu library (application id {app_id:#x})")
        if not readonly:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            _migrate(conn, version)
    except sqlite3.DatabaseError as e:
        conn.close()
        if disk_full(e, path):
            raise StoreError(full_message(path, e)) from None
        if "unable to open" in str(e):
            raise StoreError(f"{path}: cannot open the library database ({e})") from None
        raise StoreError(f"{path}: the library database is damaged or not a database ({e})") from None
    except StoreError:
        conn.close()
        raise
    return conn


LOW_SPACE = 1 << 20  # bytes: with less free, an I/O error on writing is taken as a full disk


def free_space(folder: Path) -> int | None:
    """Free bytes on the drive holding ``folder`` (``None`` if it cannot be told)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_full(e: BaseException, path: Path) -> bool:
    """Whether a database error means the disk is full, not that the file is damaged: SQLite's
    SQLITE_FULL ("database or disk is full"), ENOSPC, or one of its I/O errors (growing the
    ``-shm`` or ``-wal`` file fails with SQLITE_IOERR_SHMSIZE/WRITE) while the drive is full."""
    if isinstance(e, OSError):
        return e.errno in (errno.ENOSPC, errno.EDQUOT)
    name = getattr(e, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL") or "disk is full" in str(e):
        return True
    if name.startswith("SQLITE_IOERR") or str(e) == "disk I/O error":
        free = free_space(path.parent)
        return free is not None and free < LOW_SPACE
    return False


def full_message(path: Path, e: BaseException) -> str:
    free = free_space(path.parent)
    room = f" ({free // 1024} KB free)" if free is not None else ""
    return (f"{path}: the disk is full{room}; free some space and try again (the library was "
            f"not changed; {e})")


def _connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL database in a folder nobody can write (a read-only mount, a
    CD, a locked-down share) cannot get its ``-shm`` file, so SQLite refuses it; if no unmerged
    ``-wal`` changes exist the file is then opened as immutable, which needs no ``-shm``."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False,
                           isolation_level=None, timeout=30)
    try:
        conn.execute("PRAGMA user_version").fetchone()
        return conn
    except sqlite3.OperationalError as e:
        # a full disk cannot take the -shm file either: reading must keep working
        if not disk_full(e, path) and (
                "unable to open" not in str(e) or os.access(path.parent, os.W_OK)):
            return conn  # the caller's first statement reports it
    conn.close()
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise sqlite3.OperationalError(
            f"its last changes are still in {wal.name} and the folder is read-only or its disk "
            "full; open the library once where it can be written"
        )
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False,
                           isolation_level=None, timeout=30)


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    if version == SCHEMA_VERSION:
        return
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise StoreError("the file is an SQLite database that is not a Pizhu library")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for number in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _split_sql(MIGRATIONS[number - 1]):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit the open transaction)."""
    statements, buf = [], []
    for line in script.splitlines():
        stripped = line.split("--", 1)[0]
        buf.append(stripped)
        if stripped.rstrip().endswith(";"):
            stmt = "\n".join(buf).strip()
            if sqlite3.complete_statement(stmt):
                statements.append(stmt)
                buf = []
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements


#: Limits for :func:`open_file` connections that read untrusted files (a restore).
LIMIT_LENGTH = sqlite3.SQLITE_LIMIT_LENGTH
LIMIT_ATTACHED = sqlite3.SQLITE_LIMIT_ATTACHED


def open_file(
    path: Path | str, *, uri: bool = False,
    isolation_level: Literal["DEFERRED", "EXCLUSIVE", "IMMEDIATE"] | None = "DEFERRED",
) -> sqlite3.Connection:
    """A plain connection to a database file that is not an open library (a backup's copy, a
    file being restored): no pragmas, no migration."""
    return sqlite3.connect(path, uri=uri, isolation_level=isolation_level)
