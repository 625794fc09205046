"""Faults in the search index (issue 6): deleted, truncated, corrupted or foreign files, a stale or a
live writer lock, a watermark ahead of the database, a failing index write. On open (or on first
use) the library notices, says so, and rebuilds from SQLite — and never touches the database."""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing as mp
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from crashkit import harness

from reader.core.library import Library

QUERIES = ("编号", "公众号文章", "城市新闻")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A closed library: imported articles, highlights with notes and tags, a built index."""
    work = tmp_path_factory.mktemp("index-faults")
    harness.build_seed_library(work / "lib", work / "inbox", seed=7, files=6)
    return work / "lib"


@pytest.fixture
def lib_dir(pristine, tmp_path) -> Path:
    dst = tmp_path / "lib"
    shutil.copytree(pristine, dst)
    return dst


def db_digest(root: Path) -> str:
    """A digest of every row the user owns (not of the file's bytes: SQLite may checkpoint)."""
    conn = sqlite3.connect(f"{(root / 'library.db').as_uri()}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'index_queue' ORDER BY name")]
        for t in tables:
            for row in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2"):
                h.update(repr(tuple(row)).encode())
        return h.hexdigest()
    finally:
        conn.close()


def expected_results(root: Path) -> dict[str, set[int]]:
    conn = sqlite3.connect(root / "library.db")
    try:
        texts = {r[0]: r[1] + "\n" + r[2] for r in conn.execute("SELECT id, title, body FROM articles")}
        notes = {r[0]: r[1] for r in conn.execute(
            "SELECT article_id, note FROM highlights WHERE deleted = 0 AND note != ''")}
    finally:
        conn.close()
    want = {q: {i for i, s in texts.items() if q in s} for q in QUERIES}
    for aid, note in list(notes.items())[:3]:
        tok = harness.NOTE_TOKEN.search(note).group(0)
        want[f"note:{tok}"] = {aid}
    return want


def assert_search_matches_db(lib: Library, want: dict[str, set[int]]) -> None:
    for q, ids in want.items():
        got = {h.article.id for h in lib.search(q, limit=500, with_snippets=False)[0]}
        assert got == ids, q
    assert lib.index().doc_count() == lib.count_articles()


def index_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "index").iterdir() if p.is_file())


def _damage(path: Path, how: str, rng: random.Random) -> bool:
    """Damage ``path``; False if that left it as it was (zeroing the middle of a 1-byte file)."""
    before = path.read_bytes()
    data = bytearray(before)
    if how == "truncate":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"\x00garbage\xff" * 20)
    elif how == "flip":  # same size, bytes flipped all over: only reading the file can tell
        for _ in range(max(1, len(data) // 40)):
            i = rng.randrange(len(data))
            data[i] ^= 0xFF
        path.write_bytes(bytes(data))
    elif how == "zero-middle":  # same size, a block of zeros (a torn write)
        a = len(data) // 3
        data[a : a + len(data) // 3] = bytes(len(data) // 3)
        path.write_bytes(bytes(data))
    elif how == "delete":
        path.unlink()
        return True
    else:  # pragma: no cover
        raise ValueError(how)
    return path.read_bytes() != before


KINDS = {  # the files of a Whoosh segment (compound .seg, or separate terms/postings/columns)
    "toc": lambda p: p.suffix == ".toc",
    "terms": lambda p: p.suffix in (".trm", ".seg"),
    "postings": lambda p: p.suffix in (".pst", ".seg"),
    "columns": lambda p: p.suffix in (".col", ".seg"),
    "meta": lambda p: p.name == "pizhu-index.json",
}


# Whoosh leaves the file open when it fails to unpickle a damaged segment or table of contents
# (whoosh3 3.54.0); harmless here, collected at the end of the test.
WHOOSH_LEAKS = pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)


# Damage that keeps a file's size ("flip", "zero-middle") is invisible to the size check on
# open; Library.verify_index(), which the app runs after opening, compares checksums.
CASES = [
    (kind, how)
    for kind in sorted(KINDS)
    for how in ["truncate", "empty", "garbage", "flip", "zero-middle", "delete"]
]


@WHOOSH_LEAKS
@pytest.mark.parametrize(("kind", "how"), CASES)
def test_damaged_index_file_is_noticed_and_rebuilt(lib_dir, kind, how):
    want = expected_results(lib_dir)
    before = db_digest(lib_dir)
    victims = [p for p in index_files(lib_dir) if KINDS[kind](p)]
    assert victims
    rng = random.Random(f"{kind}-{how}")
    changed = False
    for v in victims if kind in ("toc", "meta") else rng.sample(victims, min(3, len(victims))):
        changed |= _damage(v, how, rng)
    first = reopen_and_compare(lib_dir, want)
    second = reopen_and_compare(lib_dir, want)  # and the repaired index stays repaired
    gc.collect()  # Whoosh's leaked file objects go now, under this test's warning filter
    assert first[0] == [], first[0]
    if changed:
        assert any("index" in m for m in first[1]), "the user is not told about the rebuild"
    assert db_digest(lib_dir) == before
    assert second == ([], [])


def reopen_and_compare(root: Path, want: dict[str, set[int]]) -> tuple[list[str], list[str]]:
    """(problems, the library's messages) after opening ``root`` and comparing search with the
    database. Never raises, so that no traceback keeps Whoosh's objects alive past the test."""
    problems: list[str] = []
    messages: list[str] = []
    try:
        with Library.open(root) as lib:
            lib.verify_index()  # as the app does on its worker once the window is shown
            try:
                assert_search_matches_db(lib, want)
            except AssertionError as e:
                problems.append(f"search differs from the database: {e}")
            messages = list(lib.messages)
    except Exception as e:  # noqa: BLE001
        problems.append(f"{type(e).__name__}: {e}")
    return problems, messages


def test_missing_index_folder_is_rebuilt(lib_dir):
    want = expected_results(lib_dir)
    before = db_digest(lib_dir)
    shutil.rmtree(lib_dir / "index")
    with Library.open(lib_dir) as lib:
        assert_search_matches_db(lib, want)
    assert db_digest(lib_dir) == before


def test_index_folder_replaced_by_a_file(lib_dir):
    want = expected_results(lib_dir)
    shutil.rmtree(lib_dir / "index")
    (lib_dir / "index").write_bytes(b"not a folder")
    with Library.open(lib_dir) as lib:
        assert_search_matches_db(lib, want)
    assert (lib_dir / "index").is_dir()


def test_watermark_ahead_of_the_database_rebuilds(lib_dir):
    """An index newer than the database (say, a restored older database): rebuilt, with a message."""
    want = expected_results(lib_dir)
    before = db_digest(lib_dir)
    meta_path = lib_dir / "index" / "pizhu-index.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["watermark"] = 10**9
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with Library.open(lib_dir) as lib:
        assert_search_matches_db(lib, want)
        assert any("ahead" in m for m in lib.messages), lib.messages
    assert db_digest(lib_dir) == before
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["watermark"] < 10**9


def test_index_from_another_schema_or_segmenter_is_rebuilt(lib_dir):
    want = expected_results(lib_dir)
    meta_path = lib_dir / "index" / "pizhu-index.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["schema"] = -1
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with Library.open(lib_dir) as lib:
        assert_search_matches_db(lib, want)
        assert lib.messages
    gc.collect()


def test_leftover_build_folders_do_not_matter(lib_dir):
    """A crash during a rebuild leaves a half-built folder beside the index; it is ignored."""
    junk = lib_dir / ".index.build-deadbeef"
    shutil.copytree(lib_dir / "index", junk)
    _damage(sorted(junk.glob("*.toc"))[0], "garbage", random.Random(1))
    want = expected_results(lib_dir)
    with Library.open(lib_dir) as lib:
        assert_search_matches_db(lib, want)
        assert lib.messages == []


# ---------------------------------------------------------------------- locks
def _hold_writer_lock(index_dir: str, locked, release) -> None:
    from whoosh import index as windex

    ix = windex.open_dir(index_dir, indexname="MAIN")
    w = ix.writer()
    locked.set()
    release.wait(60)
    w.cancel()


def test_stale_lock_of_a_dead_process(lib_dir):
    """A process that died holding Whoosh's writer lock leaves MAIN_WRITELOCK behind: harmless."""
    ctx = mp.get_context("spawn")
    locked, release = ctx.Event(), ctx.Event()
    p = ctx.Process(target=_hold_writer_lock, args=(str(lib_dir / "index"), locked, release))
    p.start()
    assert locked.wait(60)
    p.kill()
    p.join()
    assert (lib_dir / "index" / "MAIN_WRITELOCK").exists()
    with Library.open(lib_dir) as lib:
        a = lib.articles()[0]
        h = lib.add_highlight(a.id, 0, 2, note="死锁之后子丑寅卯")
        assert lib.search("note:子丑寅卯")[0][0].article.id == a.id
        assert lib.highlight(h.uuid).note.endswith("子丑寅卯")
        assert lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0] == 0


def test_live_lock_delays_indexing_but_loses_nothing(lib_dir, monkeypatch):
    """Another process holds the writer lock longer than the library waits: the highlight is
    saved and reported saved, the queue keeps the change, and the next use catches up."""
    from whoosh.index import FileIndex

    real_writer = FileIndex.writer

    def impatient(self, procs=1, **kw):
        kw["timeout"] = 0.2
        return real_writer(self, procs, **kw)

    monkeypatch.setattr(FileIndex, "writer", impatient)
    ctx = mp.get_context("spawn")
    locked, release = ctx.Event(), ctx.Event()
    p = ctx.Process(target=_hold_writer_lock, args=(str(lib_dir / "index"), locked, release))
    p.start()
    try:
        assert locked.wait(60)
        with Library.open(lib_dir) as lib:
            lib.index()
            a = lib.articles()[0]
            h = lib.add_highlight(a.id, 0, 2, note="锁住了辰巳午未")  # must not raise
            assert lib.highlight(h.uuid).note == "锁住了辰巳午未"
            queued = lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0]
            assert queued >= 1
            assert any("later" in m for m in lib.messages), lib.messages
            release.set()
            p.join(60)
            hits, _ = lib.search("note:辰巳午未")
            assert [x.article.id for x in hits] == [a.id]
            assert lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0] == 0
    finally:
        release.set()
        p.join(60)


# ---------------------------------------------------------------------- failing index writes
def test_index_write_failing_with_disk_full_keeps_the_annotation(lib_dir, monkeypatch):
    """ENOSPC from Whoosh's commit (after the database commit): the highlight is saved, the call
    succeeds, the change stays queued; once space is back the index catches up."""
    import errno

    from whoosh.writing import SegmentWriter

    real_commit = SegmentWriter.commit
    full = {"on": True}

    def commit(self, *a, **kw):
        if full["on"]:
            self.cancel()
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_commit(self, *a, **kw)

    monkeypatch.setattr(SegmentWriter, "commit", commit)
    before_digest = db_digest(lib_dir)
    with Library.open(lib_dir) as lib:
        lib.index()
        a = lib.articles()[0]
        h = lib.add_highlight(a.id, 1, 3, note="满了申酉戌亥")
        assert lib.highlight(h.uuid).note == "满了申酉戌亥"
        assert lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0] >= 1
        assert lib.messages
    assert db_digest(lib_dir) != before_digest  # the highlight is in the database
    full["on"] = False
    with Library.open(lib_dir) as lib:
        assert [x.article.id for x in lib.search("note:申酉戌亥")[0]] == [a.id]
        assert lib.store.reader().execute("SELECT count(*) FROM index_queue").fetchone()[0] == 0


def test_index_failing_inside_search_is_rebuilt(lib_dir, monkeypatch):
    """Damage that only reading the postings shows (Whoosh raising from deep inside a search):
    the library rebuilds the index and answers, instead of passing on an internal error."""
    from index.engine import SearchIndex

    want = expected_results(lib_dir)
    real_run = SearchIndex._run
    failures = {"left": 1}

    def run(self, *a, **kw):
        if failures["left"]:
            failures["left"] -= 1
            raise ValueError("unsupported pickle protocol: 250")  # as seen on flipped bytes
        return real_run(self, *a, **kw)

    monkeypatch.setattr(SearchIndex, "_run", run)
    with Library.open(lib_dir) as lib:
        lib.index()
        assert_search_matches_db(lib, want)
        assert failures["left"] == 0
        assert any("rebuilt" in m for m in lib.messages), lib.messages


@WHOOSH_LEAKS
def test_segment_names_do_not_depend_on_the_global_random_state(tmp_path):
    # Whoosh names segments with the global `random` module (whoosh.util.random_name): with the
    # same random state two commits reused a name and the second overwrote the first's files
    # (Hypothesis reseeds `random` per example). Pizhu's writers name them from os.urandom.
    from index import IndexDoc, SearchIndex

    ix = SearchIndex(tmp_path / "ix")
    ix.open()
    found: object = None
    try:
        for n, body in enumerate(["第一篇正文", "第二篇正文"], start=1):
            random.seed(12345)  # as Hypothesis does before every example
            ix.update([IndexDoc(id=n, title=f"标题{n}", body=body)], watermark=n)
        found = (ix.doc_count(), sorted(h.id for h in ix.search("篇正文").hits))
    except Exception as e:  # noqa: BLE001 - kept as text: no traceback may keep Whoosh alive
        found = f"{type(e).__name__}: {e}"
    finally:
        ix.close()
    gc.collect()
    assert found == (2, [1, 2])
