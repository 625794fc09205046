"""Issue 11: a folder import indexes in batches (segmented on worker processes when large), the
index stays exact, a killed batched import leaves whole files and no stray worker, and the CLI
does not print a line per file for big imports."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import reader.core.importing as library_module
from reader.cli.commands import main as cli_main
from reader.core.library import Library

PARAS = [
    "河道综合治理工程全面完工，沿岸建成滨水绿道。",
    "社区食堂每天供应三餐，老人就餐可享受优惠。",
    "港口集装箱吞吐量再创新高，智慧码头建设持续推进。",
    "新建成的城市公园设有健身步道和儿童游乐区。",
    "农技人员深入田间地头，指导农户做好春耕备耕。",
]


def make_folder(root: Path, n: int, seed: int = 1) -> list[str]:
    """n one-article files, a folder per day; returns a unique token of each."""
    rng = random.Random(seed)
    tokens = []
    for i in range(n):
        day = root / f"2026-02-{1 + i % 5:02d}"
        day.mkdir(parents=True, exist_ok=True)
        token = "".join(rng.choice("甲乙丙丁戊己庚辛壬癸") for _ in range(6))
        body = "\n\n".join(rng.choice(PARAS) + f"编号{token}{k}。" for k in range(rng.randint(3, 8)))
        (day / f"{i:04d}.txt").write_text(f"第{i}号稿件{token}\n\n{body}\n", encoding="utf-8")
        tokens.append(token)
    return tokens


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "INDEX_BATCH_MIN_CHARS", 1500)


def test_a_folder_import_indexes_in_batches_and_search_sees_every_file(
    lib: Library, tmp_path: Path, small_batches: None
) -> None:
    tokens = make_folder(tmp_path / "in", 40)
    drained: list[int] = []
    keeper = lib.search_index
    real = keeper.drain

    def spy() -> None:
        drained.append(lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0])
        real()

    keeper.drain = spy  # type: ignore[method-assign]
    notes: list[str] = []
    lib.subscribe(lambda kind, _p: notes.append(kind))
    rep = lib.import_paths([tmp_path / "in"])
    assert rep.count("added") == 40
    assert sum(1 for n in drained if n) >= 5  # several batches, not one per file nor one at the end
    assert notes.count("articles") >= 5  # the window hears of each batch
    for t in tokens:
        hits, total = lib.search(t)
        assert total == 1 and t in hits[0].article.title, t
    assert lib.stats()["index_pending"] == 0


def test_batches_on_worker_processes_index_exactly(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "INDEX_BATCH_MIN_CHARS", 3000)
    monkeypatch.setattr(library_module, "INDEX_WORKERS_MIN_CHARS", 1)
    tokens = make_folder(tmp_path / "in", 30, seed=2)
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([tmp_path / "in"])
        assert lib.index().doc_count() == 30
        for t in tokens:
            assert lib.search(t)[1] == 1, t
        # a substring across words, and a note added afterwards (its own small document)
        assert lib.search("智慧码头")[1] == sum(
            "智慧码头" in (lib.article(a.id).body or "") for a in lib.articles(limit=None))
        a = lib.articles(limit=None)[0]
        lib.add_highlight(a.id, 0, 4, note="批注里的独特词语", tags=["港口"])
        hits, total = lib.search("独特词语 智慧码头 OR 独特词语")
        assert total == 1 and hits[0].article.id == a.id


def test_reimporting_an_unchanged_folder_indexes_nothing(lib: Library, tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 20, seed=3)
    lib.import_paths([tmp_path / "in"])
    seq = lib.search_index.queue_seq()
    rep = lib.import_paths([tmp_path / "in"])
    assert rep.count("added") == rep.count("updated") == 0
    assert {f.status for f in rep.files} == {"unchanged"}
    assert lib.search_index.queue_seq() == seq  # nothing queued for the index


def test_a_killed_batched_import_leaves_whole_files_and_no_worker(tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 120, seed=4)
    lib_dir = tmp_path / "lib"
    script = textwrap.dedent(f"""
        import os, sys
        import reader.core.importing as I
        import reader.core.library as L
        I.INDEX_BATCH_MIN_CHARS = 8000
        I.INDEX_WORKERS_MIN_CHARS = 1
        if __name__ == "__main__":
            with L.Library.open({str(lib_dir)!r}) as lib:
                def progress(n, total, path):
                    if n == 100:
                        print("half", flush=True)
                lib.import_paths([{str(tmp_path / "in")!r}], progress=progress)
    """)
    (tmp_path / "run.py").write_text(script, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, str(tmp_path / "run.py")], stdout=subprocess.PIPE,
                            env=env, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "half"
    children = _children(proc.pid)
    assert children  # the segmenting workers were running
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    # its workers notice and stop on their own
    deadline = time.monotonic() + 30
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [c for c in children if _alive(c)]
    conn = sqlite3.connect(lib_dir / "library.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    files = conn.execute("SELECT count(*) FROM imported_files").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == files  # whole files
    conn.close()
    with Library.open(lib_dir) as lib:
        assert lib.index().doc_count() == lib.count_articles() == files
        rep = lib.import_paths([tmp_path / "in"])  # the rest arrives, nothing twice
        assert rep.count("added") == 120 - files
        assert lib.index().doc_count() == lib.count_articles() == 120
        assert lib.stats()["index_pending"] == 0


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True, check=False).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def test_the_cli_prints_a_line_per_file_only_for_small_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_folder(tmp_path / "in", 60, seed=5)
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x01\x02" * 10)
    code = cli_main(["--library", str(tmp_path / "lib"), "import", str(tmp_path / "in")])
    out, err = capsys.readouterr()
    assert code == 1  # one file skipped
    assert "bad.txt: skipped" in err
    assert out.count("\n") <= 3 and "61 files: 60 articles added" in out
    code = cli_main(["--library", str(tmp_path / "lib"), "import", "--verbose",
                     str(tmp_path / "in")])
    out, _err = capsys.readouterr()
    assert out.count(": unchanged") == 60
