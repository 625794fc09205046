"""Sync figures (issue 16): the initial sync of a 10,000-article library with 5,000 highlights
to an empty second device, through a folder and through WebDAV on loopback (wsgidav + cheroot),
and an incremental sync of 100 annotation edits. Time and bytes written. Figures, not a test:

    .venv/bin/python bench/sync.py [ARTICLES] [HIGHLIGHTS]

Targets (issue 16): initial ≤ 2 min, incremental ≤ 1 s and ≤ 100 KB. "receive" includes the
merge into the second library and its search index catching up (after-commit hooks).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench.corpus import synthesize  # noqa: E402
from reader.core.library import Library, content_hash, now_iso  # noqa: E402
from reader.core.sync import FolderTarget, SyncEngine, WebDAVTarget  # noqa: E402

TAGS = ["时政", "民生", "经济/外贸", "经济/消费", "教育", "交通", "生态", "科技/人工智能"]


def build(root: Path, n: int, nh: int) -> Library:
    lib = Library.open(root)
    rng = random.Random(16)
    stamp = now_iso()
    with lib.store.transaction() as tx:
        for a in synthesize(n):  # ../shared/corpus when present (text that compresses as news does)
            tx.execute(
                "INSERT INTO articles(id, uuid, key, title, byline, source, date, body,"
                " content_hash, imported_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (a.id, str(uuid.UUID(int=rng.getrandbits(128))), f"doc:{a.id}", a.title,
                 a.byline, a.source, a.date, a.body, content_hash(a.title, a.body), stamp, stamp))
        for t in TAGS:
            tx.execute("INSERT INTO tags(name) VALUES (?)", (t,))
        for aid in rng.sample(range(1, n + 1), n // 3):
            tx.execute("INSERT INTO article_tags VALUES (?, ?)", (aid, rng.randint(1, len(TAGS))))
        for h in range(1, nh + 1):
            aid = rng.randint(1, n)
            body = tx.execute("SELECT body FROM articles WHERE id = ?", (aid,)).fetchone()[0]
            s = rng.randrange(0, len(body) - 20)
            tx.execute(
                "INSERT INTO highlights(id, uuid, article_id, start, end, quote, prefix, suffix,"
                " note, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (h, str(uuid.UUID(int=rng.getrandbits(128))), aid, s, s + 12, body[s:s + 12],
                 body[max(0, s - 32):s], body[s + 12:s + 44],
                 "值得再读" if h % 3 == 0 else "", stamp, stamp))
            if h % 2 == 0:
                tx.execute("INSERT INTO highlight_tags VALUES (?, ?)", (h, rng.randint(1, 8)))
    return lib


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t
    print(f"{label:<44}{dt:9.2f} s", flush=True)
    return out, dt


def run(kind: str, root: Path, a: Library, n: int, nh: int) -> None:
    print(f"--- {kind}")
    if kind == "folder":
        shared = root / f"shared-{kind}"
        shared.mkdir()
        spec = {"kind": "folder", "path": str(shared)}

        def target():
            return FolderTarget(shared)
        server = None
    else:
        from webdav_server import PASSWORD, USER, Server

        server = Server(root / "dav")
        shared = server.root
        spec = {"kind": "webdav", "url": server.url, "user": USER}

        def target():
            return WebDAVTarget(server.url, USER, PASSWORD)
    try:
        ea = SyncEngine(a, target())
        ea.configure(spec)
        rep, _ = timed(f"initial: send {n} articles + {nh} highlights", ea.sync)
        print(f"  {rep.sent_ops} operations in {rep.sent_files} files, "
              f"{rep.sent_bytes / 1e6:.1f} MB written"
              + (f" (the logs, then a snapshot replacing them: {rep.snapshot})"
                 if rep.snapshot else ""))
        print(f"  the target holds {size_of(shared) / 1e6:.1f} MB")
        b = Library.open(root / f"b-{kind}")
        indexing = [0.0]
        holder = getattr(b, "search_index", b)  # the index's owner (mid-refactor: either)
        name = "sync" if holder is not b else "sync_index"
        real_sync_index = getattr(holder, name)

        def timed_sync_index(*args, **kw):  # the search index catching up (after-commit hook)
            t = time.perf_counter()
            try:
                return real_sync_index(*args, **kw)
            finally:
                indexing[0] += time.perf_counter() - t

        setattr(holder, name, timed_sync_index)
        eb = SyncEngine(b, target())
        eb.configure(spec)
        rep, total = timed("initial: receive into an empty library", eb.sync)
        print(f"  of which the search index catching up: {indexing[0]:.2f} s; merging and the"
              f" rest: {total - indexing[0]:.2f} s")
        print(f"  {rep.received_ops} operations from {rep.received_files} files, "
              f"{rep.changed} fields applied; {b.count_articles()} articles, "
              f"{len(b.highlights())} highlights")
        rng = random.Random(7)
        mark = "甲" if kind == "folder" else "乙"  # each run's edits differ from the last
        hls = [h.uuid for h in a.highlights()]
        before = size_of(shared)
        t = time.perf_counter()
        for i, u in enumerate(rng.sample(hls, 100)):
            if i % 3 == 0:
                a.update_highlight(u, note=f"{mark}第{i}次修改的笔记")
            elif i % 3 == 1:
                a.update_highlight(u, color="blue" if kind == "folder" else "pink")
            else:
                a.update_highlight(u, tags=[f"复习/{mark}"])
        edits = time.perf_counter() - t
        print(f"{'  (100 edits made, with capture in the commit)':<44}{edits:9.2f} s")
        rep, _ = timed("incremental: send 100 edits", ea.sync)
        print(f"  {rep.sent_ops} operations, {rep.sent_bytes} bytes written "
              f"(target grew {size_of(shared) - before} bytes)")
        indexing[0] = 0.0
        rep, total = timed("incremental: receive 100 edits", eb.sync)
        print(f"  {rep.received_ops} operations, {rep.changed} fields applied; index "
              f"{indexing[0]:.2f} s, the rest {total - indexing[0]:.2f} s")
        rep, _ = timed("a sync with nothing new (both sides)", lambda: (ea.sync(), eb.sync()))
        b.close()
    finally:
        if server is not None:
            server.stop()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    nh = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    root = Path(tempfile.mkdtemp(prefix="pizhu-sync-bench-"))
    a, _ = timed(f"build library ({n} articles, {nh} highlights)", lambda: build(root / "a", n, nh))
    # the first device's own search index plays no part in these figures: not built
    holder = getattr(a, "search_index", a)
    setattr(holder, "sync" if holder is not a else "sync_index", lambda *_a, **_k: None)
    for kind in ("folder", "webdav"):
        # each target starts from a library that has never synced (a fresh copy of a)
        with a.store.transaction() as tx:
            for t in ("sync_meta", "sync_state", "sync_outbox", "sync_files", "sync_seen",
                      "sync_pending"):
                tx.execute(f"DELETE FROM {t}")
        run(kind, root, a, n, nh)
    a.close()


if __name__ == "__main__":
    main()
