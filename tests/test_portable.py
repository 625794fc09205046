"""Portable seams (issue 18): no POSIX-only call in reader/ or index/ without a portable path, so a
Windows or macOS build is a packaging step. The source scan keeps new ones out; what each
allowed one does elsewhere is said beside it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core import fileguard

ROOT = Path(__file__).resolve().parent.parent

# pattern → the files allowed to use it (each with its portable path beside the call)
POSIX_ONLY = {
    r"\bimport fcntl\b|\bfcntl\.": set(),  # locks: reader/core/store/lock.py (filelock)
    r"\bos\.fork\b|\bos\.forkpty\b|get_context\(\s*[\"']fork": set(),  # index/build.py: spawn
    r"\bos\.kill\(": {"reader/core/fileguard.py"},  # Windows: OpenProcess there
    r"\bos\.get(e)?uid\(": {"reader/ui/single_instance.py"},  # behind hasattr(); Windows: pipe ACL
    r"\bAF_UNIX\b|\bsocket\.socket\(": set(),  # single instance: QLocalServer (named pipe)
    r"[\"']/tmp\b|[\"']~/\.config|[\"']~/\.local": set(),  # platformdirs / tempfile
    r"\bos\.(setsid|getpgid|killpg|nice|getloadavg|statvfs)\b|\bimport (pwd|grp|termios)\b": {
        "reader/cli/review.py",  # one key at a time: termios on POSIX, msvcrt on Windows
    },
}


# files whose os.open may lack O_BINARY for now (none: the import reads each file once, binary)
BINARY_PENDING: set[str] = set()


def _sources() -> list[Path]:
    return sorted(p for d in ("reader", "index") for p in (ROOT / d).rglob("*.py"))


@pytest.mark.parametrize("pattern", sorted(POSIX_ONLY))
def test_no_posix_only_call_without_a_portable_path(pattern):
    found = []
    for p in _sources():
        rel = p.relative_to(ROOT).as_posix()
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(pattern, code) and rel not in POSIX_ONLY[pattern]:
                found.append(f"{rel}:{n}: {line.strip()}")
    assert found == []


def test_index_workers_are_spawned_not_forked():
    text = (ROOT / "index" / "build.py").read_text(encoding="utf-8")
    contexts = re.findall(r"get_context\(\s*[\"'](\w+)[\"']", text)
    assert contexts and set(contexts) == {"spawn"}


def test_low_level_opens_are_binary_on_windows():
    """``os.open`` without O_BINARY is a text-mode descriptor on Windows (CRLF translated, Ctrl-Z
    ends the file): every one of them must ask for O_BINARY."""
    missing = []
    for p in _sources():
        text = p.read_text(encoding="utf-8")
        for m in re.finditer(r"\bos\.open\(", text):
            depth, end = 0, m.end() - 1
            for end in range(m.end() - 1, len(text)):  # to the call's closing parenthesis
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
            rel = p.relative_to(ROOT).as_posix()
            if "O_BINARY" not in text[m.start():end] and rel not in BINARY_PENDING:
                missing.append(f"{rel}:{text.count(chr(10), 0, m.start()) + 1}")
    assert missing == []


def test_a_process_that_ended_is_not_alive():
    assert fileguard._alive(__import__("os").getpid())  # noqa: SLF001
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    assert not fileguard._alive(int(done.stdout))  # noqa: SLF001  (reaped: gone)
