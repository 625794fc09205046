"""A second ``pizhu`` on an open library hands its request to the running window: the socket
name, the round trip, stale sockets, refused garbage, the window's handling of files and
``pizhu://`` links, and one real second process handing a file to a first one."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_at,
    settings_file,  # noqa: F401  (fixture)
)

from reader.cli.commands import files_to_open
from reader.core.links import article_link
from reader.ui import single_instance as si
from reader.ui.app import split_targets
from reader.ui.main_window import MainWindow

pytestmark = [pytest.mark.qt_log_ignore(QT_LOG_IGNORE)]
ROOT = Path(__file__).resolve().parent.parent
# a socket file in a folder private to the user (Windows: a named pipe with a user-only ACL)
posix_only = pytest.mark.skipif(si.PIPES, reason="Unix domain socket files (Windows: named pipe)")


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


def _send_in_thread(name: str, request: si.Request) -> tuple[threading.Thread, dict]:
    """The client blocks while it waits for the answer: run it beside the server's event loop."""
    out: dict = {}
    t = threading.Thread(target=lambda: out.setdefault("ok", si.send_request(name, request)))
    return t, out


# ------------------------------------------------------------------ names
@posix_only
def test_name_depends_on_the_library_and_the_user(tmp_path, runtime_dir, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (tmp_path / "link").symlink_to(a)
    name = si.server_name(a)
    assert Path(name).parent == runtime_dir
    assert name == si.server_name(str(a) + "/.") == si.server_name(tmp_path / "link")
    assert name != si.server_name(b)
    monkeypatch.setattr(si, "_user", lambda: "someone-else")
    assert si.server_name(a) != name


@posix_only
def test_without_a_runtime_dir_the_socket_goes_to_a_private_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    name = si.server_name(tmp_path / "lib")
    folder = Path(name).parent
    assert folder.parent == tmp_path and folder.name == f"pizhu-{os.getuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    folder.chmod(0o755)  # someone made it readable by others: not used
    assert si.server_name(tmp_path / "lib") == ""
    assert not si.send_request("", si.Request())
    assert not si.InstanceServer("").listen()


# ------------------------------------------------------------------ the channel
def test_a_request_reaches_the_running_instance(qtbot, tmp_path):
    name = si.server_name(tmp_path / "lib")
    server = si.InstanceServer(name)
    assert server.listen() and server.listening
    if not si.PIPES:  # a socket only this user may use, in a folder only this user may enter
        assert stat.S_ISSOCK(os.lstat(name).st_mode)
        assert stat.S_IMODE(os.lstat(name).st_mode) == 0o600
        assert stat.S_IMODE(Path(name).parent.stat().st_mode) == 0o700
    request = si.Request(["/data/新闻 1.json"], [article_link("a" * 8 + "-aaaa-4aaa-8aaa-" + "a" * 12)])
    t, out = _send_in_thread(name, request)
    with qtbot.waitSignal(server.request_received, timeout=10000) as sig:
        t.start()
    t.join(10)
    assert out["ok"] is True
    assert sig.args[0] == request
    # a bare request: "show the window"
    t, out = _send_in_thread(name, si.Request())
    with qtbot.waitSignal(server.request_received, timeout=10000) as sig:
        t.start()
    t.join(10)
    assert out["ok"] is True and sig.args[0] == si.Request()
    server.close()
    assert not os.path.exists(name)


@posix_only
@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to become another user")
def test_another_user_cannot_connect(qtbot, tmp_path):
    """The access rule itself: a process of another user (here: nobody) cannot reach the socket.
    A raw AF_UNIX client, so nothing of Qt's is needed in that process."""
    name = si.server_name(tmp_path / "lib")
    server = si.InstanceServer(name)
    assert server.listen()
    received: list = []
    server.request_received.connect(received.append)
    probe = ("import socket, sys\n"
             "s = socket.socket(socket.AF_UNIX)\n"
             "try:\n    s.connect(sys.argv[1])\nexcept OSError as e:\n    print(type(e).__name__)\n"
             "else:\n    s.sendall(b'{\"pizhu\": 1}\\n'); print('connected')\n")
    python = shutil.which("python3", path="/usr/bin:/bin")  # one "nobody" may run
    if python is None:
        pytest.skip("no system python3 for the other user")
    other = subprocess.run([python, "-c", probe, name], user=65534, group=65534,
                           capture_output=True, text=True, timeout=60, cwd="/")
    assert other.stdout.strip() == "PermissionError", other.stderr
    qtbot.wait(50)  # (nothing can arrive; a request that did would be seen below)
    assert received == []
    # the same probe as this user gets through: the refusal above is about the user
    mine = subprocess.run([sys.executable, "-c", probe, name], capture_output=True, text=True,
                          timeout=60)
    assert mine.stdout.strip() == "connected"
    server.close()


def test_on_windows_the_pipe_is_limited_to_the_user(qtbot, tmp_path, monkeypatch):
    """What Windows gets, checked where it can be: the channel is a bare name (QLocalServer makes
    it ``\\\\.\\pipe\\<name>``) and the server asks Qt for a user-only security descriptor. (The
    descriptor itself can only be seen on Windows.)"""
    monkeypatch.setattr(si, "PIPES", True)
    name = si.server_name(tmp_path / "lib")
    assert name.startswith("pizhu-") and os.sep not in name and "/" not in name
    assert name != si.server_name(tmp_path / "other")
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where Qt puts a bare name on Linux
    server = si.InstanceServer(name)
    assert server.listen()
    assert server._server.socketOptions() == si.QLocalServer.SocketOption.UserAccessOption
    server.close()


def test_nobody_listening_means_start_normally(tmp_path):
    name = si.server_name(tmp_path / "lib")
    assert si.send_request(name, si.Request(["x"])) is False


@posix_only
def test_a_second_server_on_the_same_library_loses(qtbot, tmp_path):
    name = si.server_name(tmp_path / "lib")
    first = si.InstanceServer(name)
    assert first.listen()
    second = si.InstanceServer(name)
    assert second.listen() is False
    second.close()  # must not remove the first one's socket
    assert os.path.exists(name)
    t, out = _send_in_thread(name, si.Request())
    with qtbot.waitSignal(first.request_received, timeout=10000):
        t.start()
    t.join(10)
    assert out["ok"] is True
    first.close()


@posix_only
def test_a_stale_socket_left_by_a_crash_is_replaced(qtbot, tmp_path):
    name = si.server_name(tmp_path / "lib")
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(name)  # bound, never accepting, closed without removing the file: a crash
    dead.close()
    assert os.path.exists(name)
    assert si.send_request(name, si.Request()) is False
    server = si.InstanceServer(name)
    assert server.listen()
    t, out = _send_in_thread(name, si.Request(["f.txt"]))
    with qtbot.waitSignal(server.request_received, timeout=10000):
        t.start()
    t.join(10)
    assert out["ok"] is True
    server.close()


@posix_only
def test_a_regular_file_in_the_way_is_not_deleted(tmp_path):
    name = si.server_name(tmp_path / "lib")
    Path(name).write_text("not a socket")
    server = si.InstanceServer(name)
    assert server.listen() is False
    assert Path(name).read_text() == "not a socket"


@posix_only
def test_garbage_is_refused(qtbot, tmp_path):
    name = si.server_name(tmp_path / "lib")
    server = si.InstanceServer(name)
    assert server.listen()
    received: list = []
    server.request_received.connect(received.append)
    answers: list[bytes] = []

    def client(payload: bytes) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(10)
            s.connect(name)
            s.sendall(payload)
            answers.append(s.recv(100))

    for payload in (b"hello\n", json.dumps({"pizhu": 99}).encode() + b"\n",
                    json.dumps({"pizhu": 1, "files": [1, 2]}).encode() + b"\n",
                    b"\xff\xfe\n"):
        t = threading.Thread(target=client, args=(payload,))
        t.start()
        qtbot.waitUntil(lambda th=t: not th.is_alive(), timeout=10000)  # answered
        t.join(10)
    assert answers == [b'{"ok": false}\n'] * 4
    assert received == []
    server.close()


# ------------------------------------------------------------------ the window's side
def test_handed_files_are_imported_and_the_window_raised(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    f = tmp_path / "handed.txt"
    f.write_text("转交的文章\n\n第二个实例把这个文件交给了正在运行的窗口。\n", encoding="utf-8")
    w = open_window(qtbot, lib, settings_file)
    w.showMinimized()
    with qtbot.waitSignal(w.import_finished, timeout=60000) as sig:
        w.handle_request(si.Request([str(f)], []))
    assert sig.args[0].count("added") == 1
    assert not w.isMinimized()
    assert [a.title for a in lib.articles()] == ["转交的文章"]
    close_window(w)


def test_links_open_the_article_at_the_passage(qtbot, sample_lib, settings_file):  # noqa: F811
    lib_ = sample_lib
    arts = lib_.articles()
    target, other = arts[2], arts[0]
    body = lib_.article(target.id).body
    s = len(body) // 2
    h = lib_.add_highlight(target.id, s, s + 6, note="链接到这里")
    w = open_window(qtbot, lib_, settings_file)
    w.open_article(other.id, select=True)
    with qtbot.waitSignal(w.article_opened, timeout=10000):
        w.handle_request(si.Request([], [article_link(target.uuid, h.uuid)]))
    assert w.reader.article_id == target.id
    assert w.reader.flashing == (s, s + 6)
    assert w.annotations.current_uuid() == h.uuid
    assert w.list_pane.current_article_id() == target.id
    # an article link without a highlight, an unknown article, not a link at all
    assert w.open_link(article_link(other.uuid)) and w.reader.article_id == other.id
    assert not w.open_link(article_link("0" * 8 + "-0000-4000-8000-" + "0" * 12))
    assert "not in this library" in w.last_message
    assert not w.open_link("https://example.invalid/")
    assert w.reader.article_id == other.id
    close_window(w)


def test_links_given_before_the_library_is_open_wait_for_it(qtbot, sample_lib, settings_file):  # noqa: F811
    art = sample_lib.articles()[1]
    w = MainWindow(None, settings=settings_at(settings_file))
    qtbot.addWidget(w)
    w.show()
    assert w.open_link(article_link(art.uuid))  # kept
    with qtbot.waitSignal(w.article_opened, timeout=10000,
                          check_params_cb=lambda aid: aid == art.id):
        w.attach_library(sample_lib)
    assert w.reader.article_id == art.id
    close_window(w)


def test_command_line_targets():
    url = article_link("1" * 8 + "-1111-4111-8111-" + "1" * 12)
    assert files_to_open([url], {"import", "open"}) == ([], [url])
    assert files_to_open(["--library", "/x", url], {"import"}) == (["--library", "/x"], [url])
    assert files_to_open(["file:///tmp/a.json"], {"import"}) == ([], ["file:///tmp/a.json"])
    assert files_to_open(["open", url], {"import", "open"}) is None  # the CLI command
    files, links = split_targets(["rel/a.json", "file:///tmp/%E6%96%B0.json", url])
    assert files == [os.path.abspath("rel/a.json"), "/tmp/新.json"] and links == [url]


# ------------------------------------------------------------------ two real processes
def _read_marker(proc: subprocess.Popen, word: str) -> str:
    """Lines of the first process's stdout until one carries ``word`` (its start-up probe)."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if f"pizhu-startup: {word}" in line:
            return line
    raise AssertionError(f"no {word!r} marker; output: {''.join(seen)}")


def test_a_second_process_hands_its_file_to_the_first(tmp_path, runtime_dir):
    library = tmp_path / "lib"
    f = tmp_path / "second.txt"
    f.write_text("第二个进程的文章\n\n它应当出现在第一个进程的文库里。\n", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PIZHU_LANG="en",
               XDG_RUNTIME_DIR=str(runtime_dir), XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=str(ROOT))
    first_env = dict(env, PIZHU_EXIT_AFTER_SHOW="import")  # ends after the handed import
    first = subprocess.Popen(
        [sys.executable, "-m", "reader", "--library", str(library)], cwd=tmp_path,
        env=first_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _read_marker(first, "interactive")  # its library is open and it listens
        second = subprocess.run(
            [sys.executable, "-m", "reader", "--library", str(library), f.name],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        assert "pizhu-startup" not in second.stdout  # it never opened a window
        line = _read_marker(first, "imported")
        assert line.split()[2] == "1"
        assert first.wait(timeout=120) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
        first.stdout.close()
        first.stderr.close()
    assert not list(runtime_dir.iterdir())  # the first one removed its socket on exit
    from reader.core.library import Library

    with Library.open(library) as lib_:
        assert [a.title for a in lib_.articles()] == ["第二个进程的文章"]
