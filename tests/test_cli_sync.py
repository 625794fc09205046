"""`pizhu sync`: set a folder or WebDAV target once, sync, the remembered target, --status
[--json], --off; exit codes and one-sentence errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli.commands import main

ARTICLES = {
    "a.txt": ("江心洲的渡船", "渡船每半小时一班，早班船上多是去镇上卖菜的农户。"),
    "b.txt": ("老城墙下的早市", "天刚亮，卖豆腐脑的摊子前就排起了队。"),
}


@pytest.fixture
def two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, Path]:
    src = tmp_path / "in"
    src.mkdir()
    for name, (title, body) in ARTICLES.items():
        (src / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    a, b, shared = tmp_path / "a", tmp_path / "b", tmp_path / "shared"
    shared.mkdir()
    assert main(["--library", str(a), "import", str(src)]) == 0
    capsys.readouterr()
    return a, b, shared


def run(lib: Path, *args: str) -> int:
    return main(["--library", str(lib), *args])


def test_folder_once_then_plain_sync(two, capsys):
    a, b, shared = two
    assert run(a, "sync", "--folder", str(shared)) == 0
    out = capsys.readouterr().out
    assert "sent" in out
    assert run(b, "sync", "--folder", str(shared), "--json") == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["received_ops"] > 0 and rep["unreadable"] == []
    assert run(b, "list", "--json") == 0
    titles = {x["title"] for x in json.loads(capsys.readouterr().out)}
    assert titles == {"江心洲的渡船", "老城墙下的早市"}
    # a highlight's note made on b reaches a by plain `pizhu sync` (the remembered folder)
    assert run(b, "tag", "list", "--json") == 0
    capsys.readouterr()
    assert run(a, "list", "--json") == 0
    first = json.loads(capsys.readouterr().out)[0]["id"]
    assert run(a, "edit", str(first), "--add-tag", "渡口") == 0
    assert run(a, "sync") == 0
    assert run(b, "sync") == 0
    capsys.readouterr()
    assert run(b, "tag", "list", "--json") == 0
    assert "渡口" in capsys.readouterr().out


def test_status_json_and_text(two, capsys):
    a, _, shared = two
    assert run(a, "sync", "--status", "--json") == 0
    st = json.loads(capsys.readouterr().out)
    assert st["enabled"] is False
    assert run(a, "sync", "--folder", str(shared), "--device-name", "办公室") == 0
    capsys.readouterr()
    assert run(a, "sync", "--status", "--json") == 0
    st = json.loads(capsys.readouterr().out)
    assert st["enabled"] and st["device_name"] == "办公室" and st["last_sync"]
    assert st["changes_waiting"] == 0 and st["last_error"] == ""
    assert run(a, "sync", "--status") == 0
    out = capsys.readouterr().out
    assert f"folder {shared.resolve()}" in out and "办公室" in out
    assert run(a, "sync", "--off") == 0
    capsys.readouterr()
    assert run(a, "sync") == 2
    assert "sync is off" in capsys.readouterr().err


def test_errors_are_one_sentence(two, capsys, tmp_path):
    a, _, shared = two
    assert run(a, "sync") == 2
    assert "--folder" in capsys.readouterr().err
    assert run(a, "sync", "--folder", str(tmp_path / "missing")) == 1
    assert "no such folder" in capsys.readouterr().err
    (a / "inside").mkdir()
    assert run(a, "sync", "--folder", str(a / "inside")) == 2
    assert "outside the library" in capsys.readouterr().err
    assert run(a, "sync", "--webdav", "ftp://x", "--user", "u") == 2
    assert "http" in capsys.readouterr().err
    # the folder disappears after it was set (an unmounted drive): a clear message, status keeps it
    gone = tmp_path / "usb"
    gone.mkdir()
    assert run(a, "sync", "--folder", str(gone)) == 0
    shutil.rmtree(gone)
    capsys.readouterr()
    assert run(a, "sync") == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
    assert run(a, "sync", "--status", "--json") == 0
    assert "does not exist" in json.loads(capsys.readouterr().out)["last_error"]


def test_webdav_password_from_stdin_or_environment(two, capsys, monkeypatch):
    pytest.importorskip("wsgidav")
    from webdav_server import PASSWORD, USER, Server

    a, b, _ = two
    server = Server(a.parent / "dav")
    try:
        monkeypatch.setenv("PIZHU_WEBDAV_PASSWORD", PASSWORD)
        assert run(a, "sync", "--webdav", server.url, "--user", USER) == 0
        assert run(b, "sync", "--webdav", server.url, "--user", USER) == 0
        capsys.readouterr()
        assert run(b, "list", "--json") == 0
        assert len(json.loads(capsys.readouterr().out)) == 2
        monkeypatch.setenv("PIZHU_WEBDAV_PASSWORD", "wrong")
        assert run(b, "sync") == 1
        assert "refused the user name or password" in capsys.readouterr().err
        # nothing of the password is in the library's settings
        assert PASSWORD.encode() not in (b / "library.db").read_bytes()
    finally:
        server.stop()


def test_folder_sync_and_status_open_no_socket(two, capsys, monkeypatch):
    """Sync through a folder (and the status) never touches the network."""
    import socket

    a, b, shared = two
    attempts: list[str] = []

    def refuse(name):
        def f(*args, **kw):
            attempts.append(name)
            raise OSError(f"network access attempted: {name}")
        return f

    real = socket.socket

    class NoNet(real):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if family in (socket.AF_INET, socket.AF_INET6) or (family == -1 and fileno is None):
                attempts.append("socket")
                raise OSError("network access attempted: socket()")
            super().__init__(family, type, proto, fileno)

    monkeypatch.setattr(socket, "socket", NoNet)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "create_server"):
        monkeypatch.setattr(socket, name, refuse(name))
    assert run(a, "sync", "--status") == 0
    assert run(a, "sync", "--folder", str(shared)) == 0
    assert run(b, "sync", "--folder", str(shared)) == 0
    assert run(b, "sync", "--status", "--json") == 0
    capsys.readouterr()
    assert attempts == []


def test_a_cli_change_is_recorded_for_sync_when_it_is_made(two, capsys):
    """A writing command records its change in the sync outbox in its own transaction (as the
    app does), not only when the next sync compares the whole library."""
    from reader.core.library import Library

    a, _b, shared = two
    assert run(a, "sync", "--folder", str(shared)) == 0
    with Library.open(a) as lib:
        before = lib.store.reader().execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
        first = lib.articles()[0].id
    assert run(a, "edit", str(first), "--add-tag", "渡口") == 0
    with Library.open(a) as lib:
        after = lib.store.reader().execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
    assert after > before
