"""Shared checks of the adversarial suite (issue 15): every probe ends in success or one readable
line (exit 1 or 2, no traceback), and the library is intact afterwards."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from reader.cli import commands as cli
from reader.core.library import Library

WAIT = 120  # seconds: a guard against a hang (a probe that never ends fails), never reached


def make_library(root: Path) -> Path:
    """A library of three invented articles (every one says 小城) with two highlights."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    texts = {
        "a.txt": "小城图书馆扩建\n小城的图书馆今年扩建了阅览室，周末常常坐满了读书的孩子。\n",
        "b.txt": "秋茶采摘忙\n一场秋雨过后，小城山里的茶农开始忙着采摘最后一批秋茶。\n",
        "c.txt": "社区食堂开张记\n小城老街的社区食堂上周正式开张，每天中午供应两荤两素。\n",
    }
    for name, text in texts.items():
        (inbox / name).write_text(text, encoding="utf-8")
    lib_dir = root / "lib"
    with Library.open(lib_dir) as lib:
        lib.import_paths([inbox])
        arts = lib.articles()
        lib.add_highlight(arts[0].id, 0, 2, note="第一条批注", tags=["检验"])
        lib.add_highlight(arts[1].id, 1, 4, note="第二条批注")
    return lib_dir


def assert_intact(lib_dir: Path, *, articles: int | None = 3) -> None:
    """``PRAGMA integrity_check`` is ok, no foreign-key violations, and a search for the word
    every article holds finds exactly the listed articles."""
    conn = sqlite3.connect(lib_dir / "library.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    with Library.open(lib_dir, create=False) as lib:
        listed = {a.id for a in lib.articles()}
        hits, _total = lib.search("小城", limit=10_000)
        assert {h.article.id for h in hits} == listed
        if articles is not None:
            assert len(listed) == articles


def run(capsys, *argv: str, one_line: bool = True) -> tuple[int, str, str]:  # noqa: ANN001
    """``pizhu ARGV`` in this process: (exit code, stdout, stderr). A failure must be one line
    starting with ``pizhu:`` (unless ``one_line`` is false: a per-item report such as an
    import's); an exception escaping ``main`` fails the test by itself."""
    capsys.readouterr()
    try:
        rc = cli.main(list(argv))
    except SystemExit as e:  # argparse's own usage errors
        rc = int(e.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    assert rc in (0, 1, 2), (rc, err)
    if rc != 0:
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines, "a failure must say why"
        if rc == 1 and one_line:
            assert len(lines) == 1 and lines[0].startswith("pizhu: "), err
    return rc, out, err


def in_thread(fn: Callable[[], object]) -> object:
    """Run ``fn`` with a guard against a hang; returns its result or the exception it raised."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 — handed back to the test
            box["value"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(WAIT)
    assert not t.is_alive(), "the probe hung"
    return box["value"]


def repack(src_zip: Path, out: Path, *, db: bytes | None = None, manifest: dict | None = None,
           fix_manifest: bool = True) -> Path:
    """A copy of a backup archive with its database and/or manifest replaced (the manifest's
    checksum and size made to match the new database unless ``fix_manifest`` is false)."""
    import hashlib
    import zipfile

    with zipfile.ZipFile(src_zip) as z:
        old_manifest = json.loads(z.read("manifest.json"))
        old_db = z.read("library.db")
    data = old_db if db is None else db
    m = dict(old_manifest if manifest is None else manifest)
    if fix_manifest:
        m["database_sha256"] = hashlib.sha256(data).hexdigest()
        m["database_size"] = len(data)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(m))
        z.writestr("library.db", data)
    return out
