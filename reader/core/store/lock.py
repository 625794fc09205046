"""A lock between processes on one library, the same on Linux, macOS and Windows.

Pizhu keeps one writer of a library's search index at a time across processes (a GUI and a
``pizhu import`` in a terminal, say): :func:`exclusive` holds a lock file beside the database for
the length of a ``with`` block. It is the operating system's own lock on an open file —
``flock`` on Linux and macOS, ``LockFileEx`` on Windows, through the kept ``filelock``
library — so it dies with its process: a lock left by a crashed or killed Pizhu never blocks
the next one (no pid files, no stale markers). ``filelock``'s soft fallback (a marker file
where the file system has no ``flock``) is turned off for that reason: such a marker outlives
a crash.

* Non-blocking with a deadline: tries at once, then every :data:`POLL_S` until ``wait`` seconds
  have passed, then raises :class:`LockBusy` (the caller turns it into its own message).
* Re-entrant for one owner in one thread (a drain inside a reindex): the inner ``with`` neither
  waits nor releases. Two owners in one process (two ``Library`` objects on one folder) exclude
  each other like two processes do.
* A folder where the lock file cannot be created (a read-only library, a read-only medium) is
  not locked: nothing can be written there either.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

POLL_S = 0.05


class LockBusy(Exception):
    """Another process (or another owner in this one) held the lock for the whole wait."""


_held: dict[tuple[int, str, int], int] = {}  # (owner, path, thread) → depth
_held_guard = threading.Lock()


def _new_lock(path: Path) -> FileLock:
    # mode 0o644: the lock file's contents never matter, its permissions do not either; kept
    # after release (no unlink/create race between processes); no soft marker (see above).
    return FileLock(str(path), mode=0o644, thread_local=False, fallback_to_soft=False,
                    preserve_lock_file=True)


@contextlib.contextmanager
def exclusive(path: str | os.PathLike[str], wait: float, *, owner: object,
              busy: Callable[[], Exception] | None = None) -> Iterator[bool]:
    """Hold the lock on ``path`` for the ``with`` block. Yields True when it is held (or was
    already held by ``owner`` in this thread), False when the file cannot be created (nothing
    to lock: a read-only folder). After ``wait`` seconds raises ``busy()`` (the caller's own
    message), by default :class:`LockBusy`."""
    path = Path(path)
    key = (id(owner), os.path.abspath(path), threading.get_ident())
    with _held_guard:
        depth = _held.get(key, 0)
        if depth:
            _held[key] = depth + 1
    if depth:
        try:
            yield True
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    lock = _new_lock(path)
    try:
        lock.acquire(timeout=max(wait, 0.0), poll_interval=POLL_S)
        lockable = True
    except Timeout:
        raise (busy() if busy is not None else LockBusy(str(path))) from None
    except OSError:  # cannot create or open the lock file: a read-only folder
        lockable = False
    if not lockable:
        yield False
        return
    with _held_guard:
        _held[key] = 1
    try:
        yield True
    finally:
        with _held_guard:
            del _held[key]
        lock.release(force=True)
