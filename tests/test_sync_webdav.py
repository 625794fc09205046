"""Sync through a real WebDAV server (wsgidav on cheroot, 127.0.0.1): two and three
libraries, a server that answers 500 or 507 half-way, an upload cut off, a wrong password."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import hl, seed, state

from reader.core.library import Library
from reader.core.sync import SyncEngine, SyncError, WebDAVTarget

pytest.importorskip("wsgidav")
pytest.importorskip("cheroot")
from webdav_server import PASSWORD, USER, Server  # noqa: E402


@pytest.fixture
def dav(tmp_path: Path):
    server = Server(tmp_path / "dav")
    yield server
    server.stop()


@pytest.fixture
def libs(tmp_path: Path):
    opened = [Library.open(tmp_path / n) for n in ("a", "b", "c")]
    yield opened
    for lib in opened:
        lib.close()


def dav_engine(lib: Library, dav: Server, password: str = PASSWORD) -> SyncEngine:
    e = SyncEngine(lib, WebDAVTarget(dav.url, USER, password, timeout=10))
    e.configure({"kind": "webdav", "url": dav.url, "user": USER})
    return e


def test_three_libraries_through_webdav(libs, dav, tmp_path):
    a, b, c = libs
    ids = seed(a, tmp_path / "in")
    es = [dav_engine(x, dav) for x in (a, b, c)]
    es[0].sync()
    es[1].sync()
    es[2].sync()
    h = hl(b, b.find_article(a.article(ids[0]).uuid), "老板说茶价一分没涨", note="网盘同步")
    c.set_article_tags(c.find_article(a.article(ids[1]).uuid), ["夜校"])
    for e in es + es:
        e.sync()
    assert state(a) == state(b) == state(c)
    assert a.highlight(h.uuid).note == "网盘同步"
    assert sorted(p.name for p in (dav.root / "logs").iterdir())  # the logs are on the server


@pytest.mark.parametrize("status, words", [(507, "storage is full"), (500, "internal error")])
def test_server_failing_half_way_loses_nothing_and_doubles_nothing(libs, dav, tmp_path, status,
                                                                     words, monkeypatch):
    from reader.core.sync import engine as engine_mod

    a, b, _ = libs
    monkeypatch.setattr(engine_mod, "FILE_OPS", 10)  # many small files: fail between them
    ids = seed(a, tmp_path / "in")
    for i, quote in enumerate(("河边的老茶馆", "县里的夜校", "山村小学")):
        hl(a, ids[i], quote, note=f"第{i}条")
    ea, eb = dav_engine(a, dav), dav_engine(b, dav)
    dav.faults.status, dav.faults.after = status, 3
    with pytest.raises(SyncError, match=words):
        ea.sync()
    assert words in ea.status()["last_error"]
    assert ea.status()["changes_waiting"] > 0
    assert [p for p in (dav.root / "logs").iterdir() if p.name.endswith(".jsonl.gz")]  # a part
    eb.sync()  # b reads what got there: a part
    dav.faults.clear()
    ea.sync()
    eb.sync()
    assert state(a) == state(b)
    assert len(b.highlights()) == 3
    assert ea.status()["changes_waiting"] == 0 and ea.status()["last_error"] == ""
    # the server has each file once, no leftovers under other names that a reader would take
    names = [p.name for p in (dav.root / "logs").iterdir() if not p.name.startswith(".")]
    assert len(names) == len(set(names))


def test_upload_cut_off_is_sent_again(libs, dav, tmp_path):
    a, b, _ = libs
    ids = seed(a, tmp_path / "in")
    h = hl(a, ids[0], "河边的老茶馆", note="断线重传")
    ea, eb = dav_engine(a, dav), dav_engine(b, dav)
    dav.faults.cut, dav.faults.methods = True, ("PUT",)
    with pytest.raises(SyncError):
        ea.sync()
    dav.faults.clear()
    ea.sync()
    eb.sync()
    assert b.highlight(h.uuid).note == "断线重传"
    assert state(a) == state(b)


def test_wrong_password_is_one_sentence(libs, dav):
    a, _, _ = libs
    e = dav_engine(a, dav, password="wrong")
    with pytest.raises(SyncError, match="refused the user name or password"):
        e.sync()


def test_password_from_the_environment(libs, dav, monkeypatch):
    a, _, _ = libs
    monkeypatch.setenv("PIZHU_WEBDAV_PASSWORD", PASSWORD)
    e = SyncEngine(a)
    e.configure({"kind": "webdav", "url": dav.url, "user": USER})
    assert e.sync().sent_files == 0  # empty library: connects, nothing to send
    assert e.status()["last_error"] == ""


def test_webdav_sync_talks_only_to_its_host(libs, dav, tmp_path, monkeypatch):
    import socket

    a, b, _ = libs
    seed(a, tmp_path / "in", 1)
    peers: list[object] = []
    real_connect = socket.socket.connect

    def connect(self, address):  # noqa: ANN001
        peers.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    dav_engine(a, dav).sync()
    dav_engine(b, dav).sync()
    assert peers and {(p[0], p[1]) for p in peers} == {("127.0.0.1", dav.port)}
