"""Backup and restore of a whole library.

A backup is a zip archive holding ``manifest.json`` and ``library.db``. The database is copied
with SQLite's online backup API from a read snapshot, so the copy is consistent even while the
app (or another thread) keeps writing. The search index is not saved: it is derived, and
:func:`restore` rebuilds it.

A backup goes only where nothing is lost: never inside the library folder (except its
``backups`` folder), never onto a device, FIFO or folder, and over an existing file only with
``overwrite`` (``--force``, or the GUI's question). An archive to restore is untrusted input
(issue 15): its sizes and compression ratio are checked before anything is written, and only
Pizhu's own tables are copied, with their types checked, into a freshly created schema.

:func:`auto_backup` keeps a rolling daily backup in ``<library>/backups/`` (the newest ``keep``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import lzma
import os
import shutil
import stat
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from reader import __version__
from reader.core import fileguard, structure
from reader.core.library import DB_NAME, Library, LibraryError
from reader.core.store import Connection, DatabaseError, db
from reader.core.store.db import APPLICATION_ID
from reader.core.store.schema import MIGRATIONS, SCHEMA_VERSION

FORMAT = "pizhu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BACKUP_DIR = "backups"
AUTO_PREFIX = "pizhu-auto-"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message names the file and the reason."""


@dataclass
class BackupInfo:
    path: Path
    created: str
    articles: int
    highlights: int
    schema_version: int
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "created": self.created, "articles": self.articles,
                "highlights": self.highlights, "schema_version": self.schema_version,
                "size": self.size}


def _reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _copy_database(source: Path, target: Path, out: Path) -> None:
    """A consistent copy of a live WAL database, as one self-contained file. Errors name the
    file they are about: the destination ``out`` when writing fails (a full disk there), the
    library otherwise."""
    from reader.core.store.db import _connect_ro

    try:  # read-only; on a full disk (no room for a -shm file) the file is read as it is
        src = _connect_ro(source)
    except DatabaseError as e:
        raise BackupError(f"{source}: cannot read the library database ({e})") from None
    try:
        try:
            dst = db.open_file(target)
        except DatabaseError as e:
            raise BackupError(f"{out}: cannot write the backup ({e})") from None
        try:
            # pages=-1: everything in one step, from one read snapshot
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{source}: the copy failed its integrity check ({check})")
        except DatabaseError as e:
            if _is_full(e) or _free_bytes(target.parent) < 1 << 20:
                raise BackupError(f"{out}: cannot write the backup (the disk is full: {e})"
                                  ) from None
            raise BackupError(f"{source}: cannot copy the database ({e})") from None
        finally:
            dst.close()
    finally:
        src.close()


def _is_full(e: BaseException) -> bool:
    """A full disk (SQLITE_FULL, ENOSPC, EDQUOT) rather than damage or another fault."""
    if isinstance(e, OSError):
        return e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
    name = getattr(e, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_FULL") or "disk is full" in str(e)


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 1 << 62


def _amount(n: int) -> str:
    return f"{n // 1024} KB" if n < 10 << 20 else f"{n // 2**20} MB"


def destination_problem(library: Library | None, out: Path, *, overwrite: bool) -> str:
    """Why a backup cannot be written to ``out`` ('' if it can); see
    :func:`reader.core.fileguard.destination_problem`. The library's own ``backups`` folder is the
    one place inside the library a backup may go."""
    root = library.root if library is not None else None
    allowed = (root / BACKUP_DIR,) if root is not None else ()
    return fileguard.destination_problem(out, library_root=root, overwrite=overwrite,
                                         allowed_inside=allowed)


def backup(library: Library, file: str | os.PathLike[str], *,
           overwrite: bool = False) -> BackupInfo:
    """Write a backup of ``library`` to ``file``. An existing file is replaced (atomically) only
    with ``overwrite``; a place inside the library, a folder, a device or a FIFO is refused."""
    if not str(file).strip():
        raise BackupError("no backup file given: name the archive to write, e.g. "
                          "pizhu-backup.zip")
    out = Path(file).expanduser().absolute()
    problem = destination_problem(library, out, overwrite=overwrite)
    if problem:
        raise BackupError(f"{file}: {problem}")
    fileguard.clean_stale(out.parent, "backup")
    try:
        need = library.db_path.stat().st_size
    except OSError:
        need = 0
    if need and _free_bytes(out.parent) < need + (64 << 10):
        raise BackupError(
            f"{file}: not enough free space in {out.parent} for the backup (about "
            f"{_amount(need)} needed, {_amount(_free_bytes(out.parent))} free)")
    tmp = out.parent / fileguard.temp_name("backup")
    try:
        tmp.mkdir()
        try:
            db_copy = tmp / DB_NAME
            _copy_database(library.db_path, db_copy, out)
            conn = db.open_file(db_copy)
            try:
                articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                highlights = conn.execute(
                    "SELECT count(*) FROM highlights WHERE deleted = 0"
                ).fetchone()[0]
                schema = conn.execute("PRAGMA user_version").fetchone()[0]
            finally:
                conn.close()
            created = datetime.now(UTC).isoformat(timespec="seconds")
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "app_version": __version__, "schema_version": schema, "created": created,
                "library": str(library.root), "database": DB_NAME,
                "database_sha256": _sha256(db_copy), "database_size": db_copy.stat().st_size,
                "articles": articles, "highlights": highlights,
            }
            zip_tmp = tmp / "backup.zip"
            with zipfile.ZipFile(zip_tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
                z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
                z.write(db_copy, DB_NAME)
                pictures = db.open_file(db_copy)  # the articles' pictures (issue 13)
                try:
                    structure.backup_images(pictures, library.root, z)
                finally:
                    pictures.close()
            # checked again right before the rename: something may have appeared meanwhile
            problem = destination_problem(library, out, overwrite=overwrite)
            if problem:
                raise BackupError(f"{file}: {problem}")
            os.replace(zip_tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except DatabaseError as e:
        raise BackupError(f"{file}: cannot write the backup ({e})") from None
    except OSError as e:
        full = " (the disk is full)" if _is_full(e) else ""
        raise BackupError(f"{file}: cannot write the backup ({_reason(e)}){full}") from None
    return BackupInfo(out, created, articles, highlights, schema, out.stat().st_size)


# ---------------------------------------------------------------------- restore
# An archive is untrusted input: everything below is bounded before anything is written.
MAX_MANIFEST_BYTES = 1 << 20
MAX_DATABASE_BYTES = 64 << 30  # far beyond any library of text; the free space is checked too
MAX_RATIO = 100  # deflate packs a real library 3–10 times; a bomb packs ~1000 times
RATIO_FROM_BYTES = 64 << 20  # small archives may be as compressible as they like
MAX_VALUE_BYTES = 512 << 20  # one text or blob (SQLITE_LIMIT_LENGTH while copying)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, struct.error,
               lzma.LZMAError, ValueError, OverflowError, KeyError, IndexError, TypeError)


class _WriteFailed(Exception):
    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


@contextlib.contextmanager
def _archive(file: str | os.PathLike[str]) -> Iterator[zipfile.ZipFile]:
    """The archive opened for reading; every way a damaged, encrypted or foreign archive can
    fail becomes one :class:`BackupError` naming the file."""
    path = Path(file).expanduser()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise BackupError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise BackupError(f"{file}: is a folder, not a backup archive") from None
    except OSError as e:
        raise BackupError(f"{file}: cannot read ({_reason(e)})") from None
    try:
        st = os.fstat(fd)
    except OSError as e:
        os.close(fd)
        raise BackupError(f"{file}: cannot read ({_reason(e)})") from None
    if stat.S_ISDIR(st.st_mode):
        os.close(fd)
        raise BackupError(f"{file}: is a folder, not a backup archive")
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise BackupError(f"{file}: not a regular file (a device, FIFO or socket); a backup is a "
                          ".zip file")
    f = os.fdopen(fd, "rb")
    try:
        with zipfile.ZipFile(f) as z:
            yield z
    except BackupError:
        raise
    except _WriteFailed:
        raise
    except RuntimeError as e:
        if "encrypt" in str(e) or "password" in str(e):
            raise BackupError(f"{file}: the archive is encrypted; Pizhu's backups never are "
                              "(not a Pizhu backup)") from None
        raise BackupError(f"{file}: damaged archive ({e})") from None
    except NotImplementedError as e:
        raise BackupError(f"{file}: the archive uses an unsupported compression ({e}); "
                          "not a Pizhu backup") from None
    except zipfile.BadZipFile as e:
        if "not a zip file" in str(e).lower():
            raise BackupError(
                f"{file}: not a zip archive (damaged, or not a Pizhu backup)") from None
        raise BackupError(f"{file}: damaged archive ({e})") from None
    except _ZIP_ERRORS as e:
        raise BackupError(f"{file}: damaged archive ({type(e).__name__}: {e})"[:300]) from None
    except MemoryError:
        raise BackupError(f"{file}: damaged archive (too large to read)") from None
    except OSError as e:
        raise BackupError(f"{file}: cannot read ({_reason(e)})") from None
    finally:
        f.close()


def _entry_problem(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x1:
        return "the archive is encrypted; Pizhu's backups never are (not a Pizhu backup)"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return (f"the archive uses an unsupported compression (method {info.compress_type}); "
                "not a Pizhu backup")
    return ""


def _int_field(manifest: dict[str, Any], key: str) -> int | None:
    value = manifest.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _manifest(file: str | os.PathLike[str], z: zipfile.ZipFile) -> dict[str, Any]:
    names = set(z.namelist())
    if MANIFEST not in names:
        raise BackupError(f"{file}: not a Pizhu backup (no {MANIFEST} in the archive)")
    info = z.getinfo(MANIFEST)
    problem = _entry_problem(info)
    if problem:
        raise BackupError(f"{file}: {problem}")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise BackupError(f"{file}: not a Pizhu backup (the manifest is "
                          f"{info.file_size // 1024} KB; a real one is under 1 KB)")
    with z.open(info) as m:
        raw = m.read(MAX_MANIFEST_BYTES + 1)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise BackupError(f"{file}: not a Pizhu backup (the manifest is too large)")
    try:
        manifest = fileguard.loads_json(raw)
    except ValueError as e:
        raise BackupError(f"{file}: not a Pizhu backup (unreadable manifest: {e})"[:300]
                          ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{file}: not a Pizhu backup (unknown manifest format)")
    fv = _int_field(manifest, "format_version")
    if fv is None or fv < 1:
        raise BackupError(f"{file}: damaged backup (the manifest's format_version is "
                          f"{_show(manifest.get('format_version'))}, not a version number)")
    if fv > FORMAT_VERSION:
        raise BackupError(
            f"{file}: made by a newer Pizhu (backup format {fv}; this version reads "
            f"up to {FORMAT_VERSION}). Please update Pizhu."
        )
    schema = _int_field(manifest, "schema_version")
    if schema is None or schema < 1:
        raise BackupError(f"{file}: damaged backup (the manifest's schema_version is "
                          f"{_show(manifest.get('schema_version'))}, not a version number)")
    if schema > SCHEMA_VERSION:
        raise BackupError(
            f"{file}: made by a newer Pizhu (library schema {schema}; this version "
            f"understands up to {SCHEMA_VERSION}). Please update Pizhu."
        )
    digest = manifest.get("database_sha256")
    if digest is not None and not (isinstance(digest, str) and len(digest) == 64
                                   and all(c in "0123456789abcdef" for c in digest)):
        raise BackupError(f"{file}: damaged backup (the manifest's database_sha256 is not a "
                          "SHA-256 digest)")
    if manifest.get("database") != DB_NAME or DB_NAME not in names:
        raise BackupError(f"{file}: damaged backup (the database is missing)")
    db = z.getinfo(DB_NAME)
    problem = _entry_problem(db)
    if problem:
        raise BackupError(f"{file}: {problem}")
    size = _int_field(manifest, "database_size")
    if "database_size" in manifest and size != db.file_size:
        raise BackupError(f"{file}: damaged backup (the database is {db.file_size} bytes in the "
                          f"archive, the manifest says {_show(manifest.get('database_size'))})")
    if db.file_size > MAX_DATABASE_BYTES:
        raise BackupError(f"{file}: refused: the database would unpack to "
                          f"{db.file_size // 2**30} GB (more than {MAX_DATABASE_BYTES >> 30} GB)")
    if db.file_size > RATIO_FROM_BYTES and db.file_size > MAX_RATIO * max(1, db.compress_size):
        raise BackupError(
            f"{file}: refused: the database would unpack to {db.file_size // 2**20} MB from "
            f"{max(1, db.compress_size // 1024)} KB (a ratio no library reaches: a zip bomb?); "
            "nothing was written")
    return manifest


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def read_manifest(file: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a backup archive, after checking it is one this Pizhu can restore (every
    field that matters has the right type; the database entry is neither encrypted nor oddly
    compressed nor a decompression bomb)."""
    with _archive(file) as z:
        return _manifest(file, z)


def _empty_target(target: Path) -> None:
    if target.exists():
        if not target.is_dir():
            raise BackupError(f"{target}: exists and is not a folder; restore into an empty folder")
        fileguard.clean_stale(target, "restore")  # left by a restore that was killed
        if any(target.iterdir()):
            raise BackupError(
                f"{target}: the folder is not empty; restore into a new or empty folder "
                "(nothing was changed)"
            )


def restore(
    file: str | os.PathLike[str], target_dir: str | os.PathLike[str]
) -> BackupInfo:
    """Restore the backup ``file`` into ``target_dir`` (new or empty) and rebuild its index.

    The archive is untrusted: its sizes are checked before anything is written, its database
    is unpacked into a temporary file and only the tables Pizhu knows are copied, column by
    column and with their types checked, into a freshly created schema; the archived schema's
    own triggers, views and indexes are never used."""
    if not str(file).strip():
        raise BackupError("no backup archive given")
    if not str(target_dir).strip():
        raise BackupError("no folder given to restore into")
    target = Path(target_dir).expanduser().absolute()
    with _archive(file) as z:
        manifest = _manifest(file, z)
        size = z.getinfo(DB_NAME).file_size
        _empty_target(target)
        created_dir = not target.exists()
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise BackupError(f"{target}: cannot create the folder ({_reason(e)})") from None
        ok = False
        work = target / fileguard.temp_name("restore")
        try:
            need = 2 * size + (1 << 20)
            if _free_bytes(target) < need:
                raise BackupError(
                    f"{target}: not enough free space to restore {Path(file).name} (about "
                    f"{_amount(need)} needed, {_amount(_free_bytes(target))} free); "
                    "nothing was restored")
            try:
                work.mkdir()
            except OSError as e:
                raise BackupError(f"{target}: cannot write ({_reason(e)})") from None
            archived = work / "archived.db"
            try:
                digest = _unpack(z, size, archived)
            except _WriteFailed as e:
                full = " (the disk is full)" if _is_full(e.error) else ""
                raise BackupError(
                    f"{target}: cannot write the database ({_reason(e.error)}){full}") from None
            want = manifest.get("database_sha256")
            if want and digest != want:
                raise BackupError(
                    f"{file}: damaged backup (the database checksum does not match)")
            fresh = work / DB_NAME
            _rebuild(file, archived, fresh, size)
            archived.unlink()
            os.replace(fresh, target / DB_NAME)
            structure.restore_images(z, target)  # the articles' pictures (issue 13)
            shutil.rmtree(work, ignore_errors=True)
            try:
                with Library.open(target, create=False) as lib:
                    lib.reindex()
                    st = lib.stats()
            except LibraryError as e:
                raise BackupError(f"{file}: restored database cannot be opened ({e})") from None
            ok = True
        except OSError as e:
            raise BackupError(f"{target}: cannot write ({_reason(e)})") from None
        finally:
            if not ok:
                shutil.rmtree(work, ignore_errors=True)
                _clean_failed(target, created_dir)
    return BackupInfo(target, str(manifest.get("created", ""))[:40], st["articles"],
                      st["highlights"], int(manifest["schema_version"]),
                      (target / DB_NAME).stat().st_size)


def _unpack(z: zipfile.ZipFile, size: int, out: Path) -> str:
    """Copy the archived database to ``out``, never more than its declared ``size`` bytes;
    returns its SHA-256. Write errors come out as :class:`_WriteFailed`."""
    h = hashlib.sha256()
    written = 0
    try:
        dst = open(out, "xb")  # noqa: SIM115 (closed by the with below; its errors differ)
    except OSError as e:
        raise _WriteFailed(e) from None
    with dst, z.open(DB_NAME) as src:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > size:  # zipfile stops at the declared size; checked all the same
                raise zipfile.BadZipFile("the database is larger than the archive says")
            h.update(chunk)
            try:
                dst.write(chunk)
            except OSError as e:
                raise _WriteFailed(e) from None
    return h.hexdigest()


def _rebuild(file: str | os.PathLike[str], archived: Path, fresh: Path, size: int) -> None:
    """Create ``fresh`` with Pizhu's own schema at the archived database's version and copy the
    known tables into it. The archived file is attached read-only with ``trusted_schema`` off,
    values are limited to :data:`MAX_VALUE_BYTES`, and the whole copy to a time budget; only
    tables are read, so a view or trigger in it (recursive, or one that deletes new highlights)
    never runs and is never copied."""
    from reader.core.store.db import _split_sql

    budget = 120 + size / (1 << 20) * 0.5  # seconds: ~8 min for a 1 GB library
    deadline = time.monotonic() + budget
    conn = db.open_file(fresh.as_uri(), uri=True, isolation_level=None)
    try:
        conn.setlimit(db.LIMIT_LENGTH, MAX_VALUE_BYTES)
        conn.setlimit(db.LIMIT_ATTACHED, 1)
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 100_000)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA cache_size = -16384")
        try:
            conn.execute("ATTACH DATABASE ? AS src", (f"{archived.as_uri()}?mode=ro&immutable=1",))
            conn.execute("PRAGMA src.cache_size = -16384")
            problems = [r[0] for r in conn.execute("PRAGMA src.quick_check(3)")]
            version = conn.execute("PRAGMA src.user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA src.application_id").fetchone()[0]
        except DatabaseError as e:
            raise BackupError(f"{file}: damaged backup (the database cannot be read: "
                              f"{_sqlite_reason(e, deadline)})") from None
        if problems != ["ok"]:
            raise BackupError(f"{file}: damaged backup (database integrity check: "
                              f"{' '.join(problems)[:200]})")
        if app_id != APPLICATION_ID:
            raise BackupError(f"{file}: not a Pizhu backup (the database is not a Pizhu library)")
        if version > SCHEMA_VERSION:
            raise BackupError(
                f"{file}: made by a newer Pizhu (library schema {version}; this version "
                f"understands up to {SCHEMA_VERSION}). Please update Pizhu."
            )
        if version < 1:
            raise BackupError(f"{file}: not a Pizhu backup (the database has no schema version)")
        try:
            conn.execute("BEGIN")
            for number in range(1, version + 1):
                for statement in _split_sql(MIGRATIONS[number - 1]):
                    conn.execute(statement)
            triggers = conn.execute(
                "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'").fetchall()
            for name, _sql in triggers:  # Pizhu's own: re-created after the copy
                conn.execute(f'DROP TRIGGER main."{name}"')
            for table in _known_tables(conn):
                conn.execute(f'DELETE FROM main."{table}"')  # rows a migration may have seeded
                _copy_table(file, conn, table)
            for _name, sql in triggers:
                conn.execute(sql)
            bad = conn.execute("PRAGMA main.foreign_key_check").fetchone()
            if bad is not None:
                raise BackupError(f"{file}: damaged backup (table {bad[0]} refers to rows that "
                                  "are missing)")
            conn.execute(f"PRAGMA main.user_version = {int(version)}")
            conn.execute(f"PRAGMA main.application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE src")
        except DatabaseError as e:
            raise BackupError(f"{file}: damaged backup (its tables cannot be copied: "
                              f"{_sqlite_reason(e, deadline)})"[:400]) from None
    finally:
        conn.close()


def _sqlite_reason(e: DatabaseError, deadline: float) -> str:
    if time.monotonic() > deadline and "interrupt" in str(e):
        return "reading it took too long"
    return str(e)


def _known_tables(conn: Connection) -> list[str]:
    """The tables of Pizhu's own schema (just created in ``main``), virtual ones and their
    shadow tables excepted."""
    rows = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").fetchall()
    virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return [n for n, _sql in rows
            if n not in virtual and not any(n.startswith(v + "_") for v in virtual)]


def _copy_table(file: str | os.PathLike[str], conn: Connection, table: str) -> None:
    """Copy the known columns of ``table`` from the attached archive: it must be a plain table
    there, and every value must have the type Pizhu's schema declares."""
    row = conn.execute("SELECT sql FROM src.sqlite_master WHERE type = 'table' AND name = ?",
                       (table,)).fetchone()
    if row is None or (row[0] or "").upper().startswith("CREATE VIRTUAL"):
        raise BackupError(f"{file}: damaged backup (the table {table} is missing)")
    theirs = {r[1]: r[6] for r in conn.execute(f'PRAGMA src.table_xinfo("{table}")')}
    columns, checks = [], []
    for _cid, name, decl, notnull, _default, _pk in conn.execute(
            f'PRAGMA main.table_info("{table}")').fetchall():
        if name not in theirs:
            continue  # an older schema: the column's default fills it
        if theirs[name] != 0:
            raise BackupError(f"{file}: damaged backup (the column {table}.{name} is computed, "
                              "not stored)")
        columns.append(f'"{name}"')
        kinds = {"INTEGER": "'integer'", "TEXT": "'text'", "REAL": "'real', 'integer'"}.get(
            (decl or "").upper())
        if kinds:
            allowed = kinds if notnull else kinds + ", 'null'"
            checks.append(f'typeof("{name}") IN ({allowed})')
    if not columns:
        raise BackupError(f"{file}: damaged backup (the table {table} has none of its columns)")
    cols = ", ".join(columns)
    if checks:
        wrong = conn.execute(f'SELECT count(*) FROM src."{table}" WHERE NOT ('
                             + " AND ".join(checks) + ")").fetchone()[0]
        if wrong:
            raise BackupError(f"{file}: damaged backup ({wrong} rows of {table} hold values of "
                              "the wrong type)")
    conn.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM src."{table}"')


def _clean_failed(target: Path, created_dir: bool) -> None:
    """Leave the target as it was: remove what this restore put there."""
    if created_dir:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in list(target.iterdir()) if target.is_dir() else []:
        with contextlib.suppress(OSError):
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


# ---------------------------------------------------------------------- automatic backups
def auto_backups(library: Library) -> list[Path]:
    """The automatic backups of a library, oldest first."""
    folder = library.root / BACKUP_DIR
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{AUTO_PREFIX}????-??-??.zip"))


def auto_backup(library: Library, keep: int = 7, *, today: date | None = None) -> Path | None:
    """Make today's automatic backup in ``<library>/backups/`` unless it exists, then keep only
    the newest ``keep``. Returns the new backup's path, or ``None`` if there was one already."""
    day = (today or datetime.now(UTC).astimezone().date()).isoformat()
    folder = library.root / BACKUP_DIR
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise BackupError(f"{folder}: cannot create the backup folder ({_reason(e)})") from None
    fileguard.clean_stale(folder)  # copies a killed backup left (this runs on every start)
    path = folder / f"{AUTO_PREFIX}{day}.zip"
    made = None
    if not path.exists():
        backup(library, path)
        made = path
    for old in auto_backups(library)[: -max(1, keep)]:
        with contextlib.suppress(OSError):
            old.unlink()
    return made
