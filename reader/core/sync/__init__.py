"""Sync between devices through change logs in a folder or on a WebDAV server (issue 16).

Never the database file: each device appends immutable, gzipped JSON-lines log files of field
operations (``logfmt``), stamped by a hybrid logical clock (``hlc``) and merged per field, last
writer wins, by uuid, with tombstones (``merge``); ``engine`` runs one sync over a ``targets``
target. Design and formats: docs/SYNC.md.
"""

from reader.core.sync.engine import SyncEngine, SyncReport, attach, enabled
from reader.core.sync.targets import (
    FolderTarget,
    SyncError,
    WebDAVTarget,
    make_target,
    password_for,
    store_password,
)

__all__ = ["FolderTarget", "SyncEngine", "SyncError", "SyncReport", "WebDAVTarget", "attach",
           "enabled", "make_target", "password_for", "store_password"]
