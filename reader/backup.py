"""Backup and restore of a whole library.

A backup is a zip archive holding ``manifest.json`` and ``library.db``. The database is copied
with SQLite's online backup API from a read snapshot, so the copy is consistent even while the
app (or another thread) keeps writing. The search index is not saved: it is derived, and
:func:`restore` rebuilds it.

:func:`auto_backup` keeps a rolling daily backup in ``<library>/backups/`` (the newest ``keep``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from reader import __version__
from reader.library import DB_NAME, Library, LibraryError
from reader.store.db import APPLICATION_ID
from reader.store.schema import SCHEMA_VERSION

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

    def to_json(self) -> dict:
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


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live WAL database, as one self-contained file."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            # pages=-1: everything in one step, from one read snapshot
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{source}: the copy failed its integrity check ({check})")
        finally:
            dst.close()
    finally:
        src.close()


def backup(library: Library, file: str | os.PathLike[str]) -> BackupInfo:
    """Write a backup of ``library`` to ``file`` (replaced atomically if it exists)."""
    out = Path(file).expanduser().absolute()
    if out.is_dir():
        raise BackupError(f"{file}: is a folder; give a file name such as pizhu-backup.zip")
    if not out.parent.is_dir():
        raise BackupError(f"{file}: the folder {out.parent} does not exist")
    try:
        with tempfile.TemporaryDirectory(prefix=".pizhu-backup-", dir=out.parent) as tmp:
            db_copy = Path(tmp) / DB_NAME
            try:
                _copy_database(library.db_path, db_copy)
            except sqlite3.Error as e:
                raise BackupError(f"{library.db_path}: cannot copy the database ({e})") from None
            conn = sqlite3.connect(db_copy)
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
            zip_tmp = Path(tmp) / "backup.zip"
            with zipfile.ZipFile(zip_tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
                z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
                z.write(db_copy, DB_NAME)
            os.replace(zip_tmp, out)
    except OSError as e:
        raise BackupError(f"{file}: cannot write the backup ({_reason(e)})") from None
    return BackupInfo(out, created, articles, highlights, schema, out.stat().st_size)


# ---------------------------------------------------------------------- restore
def read_manifest(file: str | os.PathLike[str]) -> dict:
    """The manifest of a backup archive, after checking it is one this Pizhu can restore."""
    path = Path(file).expanduser()
    if not path.exists():
        raise BackupError(f"{file}: no such file")
    if path.is_dir():
        raise BackupError(f"{file}: is a folder, not a backup archive")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if MANIFEST not in names:
                raise BackupError(f"{file}: not a Pizhu backup (no {MANIFEST} in the archive)")
            try:
                manifest = json.loads(z.read(MANIFEST).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise BackupError(f"{file}: not a Pizhu backup (unreadable manifest)") from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{file}: not a Pizhu backup (unknown manifest format)")
            fv = manifest.get("format_version")
            if not isinstance(fv, int) or fv > FORMAT_VERSION:
                raise BackupError(
                    f"{file}: made by a newer Pizhu (backup format {fv}; this version reads "
                    f"up to {FORMAT_VERSION}). Please update Pizhu."
                )
            schema = manifest.get("schema_version")
            if not isinstance(schema, int) or schema > SCHEMA_VERSION:
                raise BackupError(
                    f"{file}: made by a newer Pizhu (library schema {schema}; this version "
                    f"understands up to {SCHEMA_VERSION}). Please update Pizhu."
                )
            if manifest.get("database") != DB_NAME or DB_NAME not in names:
                raise BackupError(f"{file}: damaged backup (the database is missing)")
    except zipfile.BadZipFile:
        raise BackupError(f"{file}: not a zip archive (damaged, or not a Pizhu backup)") from None
    except OSError as e:
        raise BackupError(f"{file}: cannot read ({_reason(e)})") from None
    return manifest


def _empty_target(target: Path) -> None:
    if target.exists():
        if not target.is_dir():
            raise BackupError(f"{target}: exists and is not a folder; restore into an empty folder")
        if any(target.iterdir()):
            raise BackupError(
                f"{target}: the folder is not empty; restore into a new or empty folder "
                "(nothing was changed)"
            )


def restore(
    file: str | os.PathLike[str], target_dir: str | os.PathLike[str]
) -> BackupInfo:
    """Restore the backup ``file`` into ``target_dir`` (new or empty) and rebuild its index."""
    manifest = read_manifest(file)
    target = Path(target_dir).expanduser().absolute()
    _empty_target(target)
    created_dir = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BackupError(f"{target}: cannot create the folder ({_reason(e)})") from None
    ok = False
    try:
        part = target / (DB_NAME + ".restoring")
        try:
            with zipfile.ZipFile(file) as z, z.open(DB_NAME) as src, open(part, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except zipfile.BadZipFile as e:
            raise BackupError(f"{file}: damaged archive ({e})") from None
        except OSError as e:
            raise BackupError(f"{target}: cannot write the database ({_reason(e)})") from None
        digest = manifest.get("database_sha256")
        if digest and _sha256(part) != digest:
            raise BackupError(f"{file}: damaged backup (the database checksum does not match)")
        _check_database(file, part)
        os.replace(part, target / DB_NAME)
        try:
            with Library.open(target, create=False) as lib:
                lib.reindex()
                st = lib.stats()
        except LibraryError as e:
            raise BackupError(f"{file}: restored database cannot be opened ({e})") from None
        ok = True
    finally:
        if not ok:
            _clean_failed(target, created_dir)
    return BackupInfo(target, str(manifest.get("created", "")), st["articles"],
                      st["highlights"], int(manifest["schema_version"]),
                      (target / DB_NAME).stat().st_size)


def _check_database(file: str | os.PathLike[str], db: Path) -> None:
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{file}: damaged backup (the database cannot be read: {e})") from None
    if check != "ok":
        raise BackupError(f"{file}: damaged backup (database integrity check: {check})")
    if app_id != APPLICATION_ID:
        raise BackupError(f"{file}: not a Pizhu backup (the database is not a Pizhu library)")
    if version > SCHEMA_VERSION:
        raise BackupError(
            f"{file}: made by a newer Pizhu (library schema {version}; this version understands "
            f"up to {SCHEMA_VERSION}). Please update Pizhu."
        )


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
    path = folder / f"{AUTO_PREFIX}{day}.zip"
    made = None
    if not path.exists():
        backup(library, path)
        made = path
    for old in auto_backups(library)[: -max(1, keep)]:
        with contextlib.suppress(OSError):
            old.unlink()
    return made
