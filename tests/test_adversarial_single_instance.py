"""Adversarial clients of the single-instance socket (issue 15, item 12): a slow or silent
client must not hold the GUI, a flood of connections, an endless or deeply nested message are
refused with one line, and the socket's folder must really be private to the user."""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import tempfile
import threading
import time
from pathlib import Path

import pytest
from gui_support import QT_LOG_IGNORE

from reader.ui import single_instance as si

pytestmark = [
    pytest.mark.qt_log_ignore(QT_LOG_IGNORE),
    # the hostile clients are raw AF_UNIX sockets (Windows: a named pipe, not tested here)
    pytest.mark.skipif(si.PIPES, reason="raw Unix domain socket clients"),
]


@pytest.fixture(autouse=True)
def runtime_dir(monkeypatch):
    """A short private folder for the sockets (socket paths are limited to ~100 bytes)."""
    d = tempfile.mkdtemp(prefix="pz")
    os.chmod(d, 0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", d)
    yield Path(d)
    for p in Path(d).iterdir():
        p.unlink()
    os.rmdir(d)


@pytest.fixture
def server(tmp_path):
    srv = si.InstanceServer(si.server_name(tmp_path / "lib"))
    assert srv.listen()
    yield srv
    srv.close()


def _client(name: str, payload: bytes, answers: list[bytes]) -> threading.Thread:
    def run() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(20)
            s.connect(name)
            try:
                s.sendall(payload)
                answers.append(s.recv(100))
            except OSError as e:  # the server closed on a refused request mid-send
                answers.append(f"closed: {e.__class__.__name__}".encode())
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def _good_request_gets_through(qtbot, srv: si.InstanceServer) -> None:
    out: dict = {}
    t = threading.Thread(target=lambda: out.setdefault(
        "ok", si.send_request(srv.name, si.Request(["/新闻/好的.txt"]))), daemon=True)
    with qtbot.waitSignal(srv.request_received, timeout=10000) as sig:
        t.start()
    t.join(10)
    assert out["ok"] is True and sig.args[0] == si.Request(["/新闻/好的.txt"])


# ------------------------------------------------------------------ slow and silent clients
def test_a_slow_client_does_not_hold_up_the_next_one(qtbot, server):
    """A client that writes one byte at a time (never a whole line) kept the old server in a
    blocking read for as long as it kept writing (42 s in the probe) — the GUI froze and a second
    ``pizhu`` gave up and opened its own window. Now the good request is answered while the
    slow client is still writing."""
    dripping = threading.Event()
    stop = threading.Event()

    def drip() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(server.name)
            dripping.set()
            deadline = time.monotonic() + 15  # the old server read for as long as this
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    s.sendall(b" ")
                except OSError:  # the server gave up on us: fine
                    break
                time.sleep(0.05)

    slow = threading.Thread(target=drip, daemon=True)
    slow.start()
    assert dripping.wait(10)
    qtbot.wait(100)  # the server has accepted the slow client and read its first bytes
    still_dripping: list[bool] = []
    server.request_received.connect(lambda _r: still_dripping.append(slow.is_alive()))
    _good_request_gets_through(qtbot, server)
    assert still_dripping == [True]
    stop.set()
    slow.join(20)


def test_a_silent_client_is_dropped(qtbot, server):
    answers: list[bytes] = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(server.name)
        s.setblocking(False)
        # the server answers "no" once READ_S has passed without a whole request
        def got_answer() -> bool:
            try:
                answers.append(s.recv(100))
            except BlockingIOError:
                return False
            return True
        qtbot.waitUntil(got_answer, timeout=int(si.READ_S * 1000) + 10000)
    assert answers == [b'{"ok": false}\n']
    assert server._clients == []


def test_a_flood_of_idle_connections_is_bounded(qtbot, server, monkeypatch):
    monkeypatch.setattr(si, "READ_S", 60.0)  # none of them times out during the test
    idle: list[socket.socket] = []

    def connect_many() -> None:  # beside the event loop: a full backlog blocks connect()
        for _ in range(si.MAX_CLIENTS * 3):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(server.name)  # blocking: waits while the backlog is full
            idle.append(s)

    t = threading.Thread(target=connect_many, daemon=True)
    try:
        t.start()
        qtbot.waitUntil(lambda: not t.is_alive(), timeout=20000)
        qtbot.waitUntil(lambda: len(server._clients) == si.MAX_CLIENTS, timeout=10000)
        refused = 0
        for s in idle:
            s.settimeout(0.5)
            try:
                refused += s.recv(100) == b""  # closed by the server at once
            except TimeoutError:
                pass  # waiting for its request
        assert refused == len(idle) - si.MAX_CLIENTS > 0
        assert len(server._clients) == si.MAX_CLIENTS
    finally:
        for s in idle:
            s.close()
    # the clients went away: the server forgets them and serves a real request
    qtbot.waitUntil(lambda: not server._clients, timeout=10000)
    _good_request_gets_through(qtbot, server)


# ------------------------------------------------------------------ hostile messages
def test_an_endless_message_is_refused(qtbot, server, caplog):
    caplog.set_level(logging.INFO, logger=si.__name__)
    received: list = []
    server.request_received.connect(received.append)
    answers: list[bytes] = []
    t = _client(server.name, b"x" * (si.MAX_REQUEST + 200_000), answers)
    qtbot.waitUntil(lambda: not t.is_alive(), timeout=20000)
    assert received == []
    assert answers and (answers[0] == b'{"ok": false}\n' or answers[0].startswith(b"closed"))
    assert any("longer than" in r.getMessage() for r in caplog.records)
    _good_request_gets_through(qtbot, server)


def test_a_deeply_nested_message_is_refused_in_one_line(qtbot, server, caplog):
    caplog.set_level(logging.INFO, logger=si.__name__)
    depth = 200_000
    nested = b'{"pizhu": 1, "files": ' + b"[" * depth + b"]" * depth + b"}\n"
    assert len(nested) < si.MAX_REQUEST
    assert si.Request.from_bytes(nested.strip()) is None  # no RecursionError
    received: list = []
    server.request_received.connect(received.append)
    answers: list[bytes] = []
    t = _client(server.name, nested, answers)
    qtbot.waitUntil(lambda: not t.is_alive(), timeout=20000)
    assert answers == [b'{"ok": false}\n'] and received == []
    lines = [r.getMessage() for r in caplog.records if "nested" in r.getMessage()]
    assert lines and all("\n" not in m for m in lines)
    _good_request_gets_through(qtbot, server)


@pytest.mark.parametrize("payload", [
    {"pizhu": 1, "files": ["a\x00b"]},
    {"pizhu": 1, "files": ["f"] * (si.MAX_ITEMS + 1)},
    {"pizhu": 1, "links": [{"x": 1}]},
    {"pizhu": True},
])
def test_malformed_requests_are_refused(payload: dict):
    assert si.Request.from_bytes(json.dumps(payload).encode()) is None


# ------------------------------------------------------------------ the socket's folder
def test_a_shared_runtime_dir_is_not_used(tmp_path, runtime_dir, monkeypatch):
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    os.chmod(runtime_dir, 0o1777)  # like /tmp: anyone may create the socket name first
    name = si.server_name(tmp_path / "lib")
    assert name and Path(name).parent != runtime_dir
    folder = Path(name).parent
    assert folder == tmp_path / f"pizhu-{os.getuid()}"
    assert stat.S_IMODE(folder.lstat().st_mode) == 0o700
    os.chmod(runtime_dir, 0o750)  # group may enter: not private either
    assert Path(si.server_name(tmp_path / "lib")).parent == folder
    os.chmod(runtime_dir, 0o700)
    assert Path(si.server_name(tmp_path / "lib")).parent == runtime_dir


def test_a_runtime_dir_of_another_user_is_not_used(tmp_path, runtime_dir, monkeypatch):
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    me = os.getuid()
    monkeypatch.setattr(si, "_uid", lambda: me + 4242)  # the folder now belongs to "someone else"
    # neither the runtime dir nor the fallback (made by this process, so owned by the real uid)
    # belongs to "this user": no socket at all, each start opens its own window (safe)
    assert si.server_name(tmp_path / "lib") == ""


@pytest.mark.parametrize("value", ["relative/dir", "/nonexistent/pizhu-run"])
def test_a_missing_or_relative_runtime_dir_falls_back(tmp_path, monkeypatch, value):
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setenv("XDG_RUNTIME_DIR", value)
    assert Path(si.server_name(tmp_path / "lib")).parent == tmp_path / f"pizhu-{os.getuid()}"


def test_a_symlink_as_the_fallback_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    (tmp_path / f"pizhu-{os.getuid()}").symlink_to(target)
    assert si.server_name(tmp_path / "lib") == ""
