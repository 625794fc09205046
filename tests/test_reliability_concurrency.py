"""Two processes on one library (issue 6): imports, highlights and reindexing at the same time never
corrupt anything and lose no committed write; the search index ends up holding every change.

(One GUI window per library is handled by reader.ui.single_instance and its tests; two CLI
processes, or a CLI beside the GUI, are what this module exercises.)"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid as uuidlib
from pathlib import Path

import pytest
from crashkit import harness

from reader.core.library import Library


def writer(lib_dir: str, inbox: str, log_path: str, seed: int, ops: int, reindex_every: int,
           start) -> None:  # noqa: ANN001
    """One process: imports and highlight edits (and sometimes a reindex); every completed
    write is appended to its own log."""
    from reader.core.library import Library, LibraryError

    rng = random.Random(seed)
    log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115
    start.wait(60)
    with Library.open(lib_dir) as lib:
        for n in range(ops):
            try:
                if reindex_every and n % reindex_every == reindex_every - 1:
                    lib.reindex()
                    rec = {"op": "reindex"}
                elif n % 5 == 0:
                    path, _ = harness.write_import_file(rng, Path(inbox), f"p{seed}-{n}")
                    rep = lib.import_paths([path])
                    rec = {"op": "import", "path": str(path), "status": rep.files[0].status}
                else:
                    arts = [a.id for a in lib.articles()]
                    aid = rng.choice(arts)
                    note = f"并发{harness._token(rng, harness.NOTE_ALPHA)}"
                    hid = str(uuidlib.UUID(int=rng.getrandbits(128), version=4))
                    lib.add_highlight(aid, 0, 2, note=note, uuid=hid)
                    rec = {"op": "add", "uuid": hid, "article": aid, "note": note}
            except LibraryError as e:  # a clear refusal is allowed, silence is not
                rec = {"op": "refused", "error": str(e)}
            log.write(json.dumps(rec, ensure_ascii=False) + "\n")
            log.flush()
        log.write(json.dumps({"op": "messages", "messages": lib.messages}) + "\n")
    log.close()


def _run_pair(tmp_path: Path, *, ops: int, reindex_every: tuple[int, int]) -> list[dict]:
    harness.build_seed_library(tmp_path / "lib", tmp_path / "inbox", seed=21, files=4)
    ctx = harness.context()
    start = ctx.Event()
    procs = []
    for k in range(2):
        p = ctx.Process(target=writer, args=(
            str(tmp_path / "lib"), str(tmp_path / "inbox"), str(tmp_path / f"w{k}.log"),
            100 + k, ops, reindex_every[k], start))
        p.start()
        procs.append(p)
    start.set()
    for p in procs:
        p.join(600)
        assert p.exitcode == 0, f"writer exited with {p.exitcode}"
    recs = []
    for k in range(2):
        recs += [json.loads(line) for line in (tmp_path / f"w{k}.log").read_text("utf-8").splitlines()]
    return recs


def _check(tmp_path: Path, recs: list[dict]) -> None:
    root = tmp_path / "lib"
    conn = sqlite3.connect(root / "library.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    adds = [r for r in recs if r["op"] == "add"]
    imports = [r for r in recs if r["op"] == "import"]
    refused = [r for r in recs if r["op"] == "refused"]
    assert not refused, refused[:3]
    assert adds and imports
    with Library.open(root) as lib:
        for r in adds:
            h = lib.highlight(r["uuid"])
            assert (h.article_id, h.note) == (r["article"], r["note"])
        for r in imports:
            assert r["status"] == "added"
            row = lib.store.reader().execute("SELECT articles FROM imported_files WHERE path = ?",
                                      (r["path"],)).fetchone()
            stored = lib.store.reader().execute("SELECT count(*) FROM articles WHERE source_file = ?",
                                         (r["path"],)).fetchone()[0]
            assert row is not None and row[0] == stored
        # a fresh open leaves the index holding exactly the database
        lib.index()
        assert lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0] == 0
        assert lib.index().doc_count() == lib.count_articles()
        missing = [r["note"] for r in adds
                   if r["article"] not in {h.article.id for h in
                                           lib.search("note:" + r["note"][2:])[0]}]
        assert missing == [], f"{len(missing)} of {len(adds)} notes not searchable"


def test_two_processes_writing_at_once(tmp_path):
    recs = _run_pair(tmp_path, ops=40, reindex_every=(0, 0))
    _check(tmp_path, recs)


def test_two_processes_writing_while_one_reindexes(tmp_path):
    """One process rebuilds the index now and then while the other keeps annotating: changes
    the other process indexed during a rebuild must not vanish when the rebuilt index is
    swapped in."""
    recs = _run_pair(tmp_path, ops=40, reindex_every=(0, 4))
    _check(tmp_path, recs)


@pytest.mark.parametrize("n", [3])
def test_cli_processes_in_parallel(tmp_path, n):
    """Several `pizhu import` and `pizhu highlight`-style CLI runs at the same moment."""
    import subprocess
    import sys

    root = tmp_path / "lib"
    harness.build_seed_library(root, tmp_path / "inbox", seed=5, files=2)
    rng = random.Random(55)  # not the seed library's own sequence
    files = [harness.write_import_file(rng, tmp_path / "more", f"c{i}")[0] for i in range(n * 2)]
    procs = [subprocess.Popen([sys.executable, "-m", "reader", "--library", str(root), "import",
                               str(files[2 * i]), str(files[2 * i + 1])],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(n)]
    procs.append(subprocess.Popen([sys.executable, "-m", "reader", "--library", str(root),
                                   "reindex"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True))
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "Traceback" not in err
    with Library.open(root) as lib:
        assert lib.store.reader().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        srcs = {a.source_file for a in lib.articles()}
        assert {str(f) for f in files} <= srcs
        for a in lib.articles():
            tok = harness.ART_TOKEN.search(lib.article(a.id).body)
            if tok:
                assert a.id in {h.article.id for h in lib.search(tok.group(0))[0]}


def test_search_sees_another_process_commits(tmp_path):
    harness.build_seed_library(tmp_path / "lib", tmp_path / "in", seed=8, files=2)
    with Library.open(tmp_path / "lib") as gui, Library.open(tmp_path / "lib") as cli:
        assert gui.search("编号")[1] > 0  # the window has searched before
        art = cli.articles()[0]
        cli.add_highlight(art.id, 0, 2, note="别处写的子丑寅卯辰")
        assert cli.search("note:子丑寅卯辰")[1] == 1
        assert gui.search("note:子丑寅卯辰")[1] == 1
