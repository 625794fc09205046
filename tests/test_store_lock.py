"""The inter-process lock on a library's index (reader.core.store.lock): another process holding
it makes a writer wait and then give up with the caller's message; a holder that crashed or was
killed leaves nothing behind that blocks the next one; one owner may re-enter it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.core.store import lock

ROOT = Path(__file__).resolve().parent.parent

HOLDER = textwrap.dedent("""
    import sys
    from reader.core.store import lock
    with lock.exclusive(sys.argv[1], 0, owner=object()) as held:
        print("held" if held else "not held", flush=True)
        if sys.argv[2] == "crash":
            import os
            os._exit(3)  # no clean-up at all: the lock must still go away with the process
        sys.stdin.readline()  # hold until told to let go
    print("released", flush=True)
""")


def _holder(path: Path, how: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), how], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_another_process_holding_it_makes_us_wait_then_give_up(tmp_path):
    path = tmp_path / "index.lock"
    proc = _holder(path, "hold")
    try:
        with pytest.raises(lock.LockBusy), lock.exclusive(path, 0.2, owner=object()):
            pytest.fail("got a lock another process holds")
        with pytest.raises(RuntimeError, match="another Pizhu"), \
                lock.exclusive(path, 0, owner=object(), busy=lambda: RuntimeError("another Pizhu")):
            pytest.fail("got a lock another process holds")
    finally:
        proc.communicate("\n", timeout=60)
    assert proc.returncode == 0
    with lock.exclusive(path, 0, owner=object()) as held:  # released: free at once
        assert held is True


def test_a_crashed_holder_does_not_block_the_next_one(tmp_path):
    path = tmp_path / "index.lock"
    proc = _holder(path, "crash")
    proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert path.exists()  # the file stays; only the operating system's lock on it went away
    with lock.exclusive(path, 0, owner=object()) as held:
        assert held is True


def test_a_killed_holder_does_not_block_the_next_one(tmp_path):
    path = tmp_path / "index.lock"
    proc = _holder(path, "hold")
    proc.kill()
    proc.communicate(timeout=60)
    with lock.exclusive(path, 0, owner=object()) as held:
        assert held is True


def test_one_owner_re_enters_two_owners_exclude_each_other(tmp_path):
    path = tmp_path / "index.lock"
    me, other = object(), object()
    with lock.exclusive(path, 0, owner=me) as outer:
        with lock.exclusive(path, 0, owner=me) as inner:
            assert outer and inner
        # the inner block did not release it
        with pytest.raises(lock.LockBusy), lock.exclusive(path, 0, owner=other):
            pytest.fail("two owners in one process both got the lock")
    with lock.exclusive(path, 0, owner=other) as held:
        assert held is True
    assert lock._held == {}  # noqa: SLF001  (nothing remembered after release)


def test_the_body_s_errors_pass_through_and_release(tmp_path):
    path = tmp_path / "index.lock"
    with pytest.raises(ZeroDivisionError), lock.exclusive(path, 0, owner=object()):
        1 / 0  # noqa: B018
    with lock.exclusive(path, 0, owner=object()) as held:
        assert held is True


def test_no_lock_file_possible_means_no_lock(tmp_path):
    """A read-only library: nothing can be written to the index either (the old behaviour). As
    root a mode cannot make a folder read-only, so a file where the folder should be stands in
    for it."""
    (tmp_path / "library").write_text("not a folder")
    path = tmp_path / "library" / "index.lock"
    with lock.exclusive(path, 0, owner=object()) as held:
        assert held is False
    assert (tmp_path / "library").read_text() == "not a folder"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder_is_not_locked(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with lock.exclusive(folder / "index.lock", 0, owner=object()) as held:
            assert held is False
        assert not (folder / "index.lock").exists()
    finally:
        folder.chmod(0o755)
