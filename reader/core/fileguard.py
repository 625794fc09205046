"""Guards for files Pizhu writes to a place the user names, or reads from an untrusted source.

Backups and exports go where the user says, so a typo must not destroy anything: a destination
inside the library folder (``library.db`` itself!), a device, a FIFO or a folder is refused, and
an existing file is replaced only when the user says so (``--force``, or a confirmation in the
GUI). Files are written through a temporary file in the destination folder and renamed into
place; the temporary names are recognisable (``.pizhu-tmp-<kind>-<host>-<pid>-<random>``), so the
copies a killed process leaves behind are removed by the next backup or export into that folder.

Reading: :func:`read_bounded` never reads more than a limit (``/dev/zero`` is not a file) and
:func:`loads_json` turns JSON that nests too deeply or holds numbers of thousands of digits into
one :class:`ValueError` with a readable reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import socket
import stat
import sys
import time
from pathlib import Path

TEMP_PREFIX = ".pizhu-tmp-"
STALE_AFTER_S = 24 * 3600  # a temp copy this old is stale whoever made it
MAX_JSON_DIGITS = 30  # no count, version, offset or date in Pizhu's files needs more digits


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def temp_name(kind: str) -> str:
    """A hidden name for a temporary copy: who made it (host, process) is part of the name so a
    later run can tell a copy left by a killed process from one being written right now."""
    return f"{TEMP_PREFIX}{kind}-{_host_tag()}-{os.getpid()}-{secrets.token_hex(4)}"


if sys.platform == "win32":

    def _alive(pid: int) -> bool:
        """Whether process ``pid`` of this host still runs (when unsure: yes, its copy is kept).
        OpenProcess + GetExitCodeProcess: ``os.kill(pid, 0)`` on Windows would send CTRL+C."""
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        process_query_limited_information, still_active = 0x1000, 259
        error_invalid_parameter = 87  # no such process
        handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
        if not handle:  # access denied: it exists (another user's, or protected)
            return bool(ctypes.get_last_error() != error_invalid_parameter)
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)

else:

    def _alive(pid: int) -> bool:
        """Whether process ``pid`` of this host still runs (when unsure: yes, its copy is kept)."""
        if pid <= 0:
            return True  # 0 and -1 name process groups for kill(): never one process of ours
        try:
            os.kill(pid, 0)  # signal 0: only checks
        except ProcessLookupError:
            return False
        except OSError:  # PermissionError: it exists, another user's
            return True
        return True


def clean_stale(folder: str | os.PathLike[str], kind: str | None = None) -> list[Path]:
    """Remove the temporary copies a killed backup/export/restore left in ``folder``: those of a
    process of this host that is gone, and any older than a day. Returns what was removed."""
    removed: list[Path] = []
    host = _host_tag()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for e in entries:
        if e.name.startswith(_LEGACY) and (kind is None or kind in e.name):
            # written by an earlier Pizhu (no process in the name): stale after an hour
            with contextlib.suppress(OSError):
                if now - e.stat(follow_symlinks=False).st_mtime > 3600:
                    _remove(e)
                    removed.append(Path(e.path))
            continue
        if not e.name.startswith(TEMP_PREFIX):
            continue
        parts = e.name[len(TEMP_PREFIX):].split("-")
        if len(parts) < 4 or (kind is not None and parts[0] != kind):
            continue
        try:
            pid = int(parts[2])
            age = now - e.stat(follow_symlinks=False).st_mtime
        except (ValueError, OSError):
            continue
        if not ((parts[1] == host and not _alive(pid)) or age > STALE_AFTER_S):
            continue
        with contextlib.suppress(OSError):
            _remove(e)
            removed.append(Path(e.path))
    return removed


_LEGACY = (".pizhu-backup-", ".pizhu-export-")


def _remove(e: os.DirEntry[str]) -> None:
    if e.is_dir(follow_symlinks=False):
        shutil.rmtree(e.path)
    else:
        os.unlink(e.path)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (symlinks resolved) is ``folder`` or lies anywhere inside it."""
    try:
        p, f = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):
        return False
    return p == f or f in p.parents


def destination_problem(
    path: Path, *, library_root: Path | None, overwrite: bool,
    allowed_inside: tuple[Path, ...] = (),
) -> str:
    """Why a new file cannot be written at ``path`` ('' if it can): the reason, without the path.

    Refused: a path inside the library folder (except under ``allowed_inside``), anything that
    exists and is not a regular file (a folder, a device such as ``/dev/full``, a FIFO, a
    socket), and an existing file unless ``overwrite``."""
    if library_root is not None and inside(path, library_root) and not any(
            inside(path, a) for a in allowed_inside):
        return (f"is inside the library folder {library_root}; choose a place outside it "
                "(nothing was written)")
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        return f"cannot be checked ({(e.strerror or str(e)).lower()})"
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            return "is a folder; give a file name"
        if not stat.S_ISREG(st.st_mode):
            return "exists and is not a regular file (a device, FIFO or socket); nothing was written"
        if not overwrite:
            return "already exists; it was not replaced (use --force to replace it)"
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    return ""


# ---------------------------------------------------------------------- reading
class TooLarge(ValueError):
    """A file larger than the caller's limit (nothing beyond the limit was read)."""


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them. Raises
    :class:`TooLarge`, ``IsADirectoryError``, ``ValueError`` (not a regular file: a device, a
    FIFO — opened without blocking, never read) or ``OSError``."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                 | getattr(os, "O_BINARY", 0))  # Windows: no CRLF/Ctrl-Z translation
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file (a device, FIFO or socket)")
        if st.st_size > limit:
            raise TooLarge(f"too large ({_size(st.st_size)}; the limit is {_size(limit)})")
        with os.fdopen(fd, "rb", closefd=True) as f:
            fd = -1
            data = f.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:  # it grew after the check
        raise TooLarge(f"too large (more than {_size(limit)})")
    return data


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n < 10 * 2**20 else f"{n // 2**20} MB"


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_DIGITS:
        raise ValueError(f"a number of {len(text)} digits")
    return int(text)


def _bounded_float(text: str) -> float:
    if len(text) > 100:
        raise ValueError(f"a number of {len(text)} characters")
    return float(text)


def loads_json(text: str | bytes) -> object:
    """``json.loads`` for untrusted files: ``ValueError`` with a short reason for invalid JSON,
    JSON nested deeper than the interpreter's recursion limit, or numbers of more than
    :data:`MAX_JSON_DIGITS` digits (Python refuses 5,000 digits with a traceback-worthy error,
    and no count, version or offset needs them)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("not UTF-8 text") from None
    try:
        return json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float)
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    except ValueError as e:  # from the number parsers
        raise ValueError(f"not valid JSON ({e})") from None
