"""Import benchmark: the path a user takes (`pizhu import FOLDER`), against raw jieba.

    python bench/import.py [--files 2000] [--base N | --base-library DIR] [--json] [--seed S]

Generates (seeded) a folder of one-article text files of 500–5,000 characters, a folder per day,
from ``../shared/corpus`` paragraphs when present else fixture paragraphs (bench/corpus.py), and
measures in this run:

* ``jieba_chars_per_s``: raw single-core ``jieba.lcut`` over the same texts;
* ``import_chars_per_s`` / ``import_ratio``: ``Library.import_paths(folder)`` into an empty library
  (exactly what ``pizhu import`` runs: parse, one SQLite transaction per file, the index in
  batches), wall time until the index has caught up, over raw jieba;
* ``base_import_ratio``: the same import into a library already holding ``--base`` articles
  (built once through the rebuild path; ``--base-library DIR`` reuses a kept copy);
* ``tail_slowdown``: seconds per character indexed for the last 10 % of the characters over the
  first 10 % (batch by batch, from the index's notifications; of the import into the bigger
  library when there is one);
* ``reimport_s``: importing the unchanged folder again;
* ``highlight_add_ms`` / ``note_edit_ms`` / ``highlight_delete_ms``: medians, end to end through
  ``Library`` including the index, on a 20,000-character article that has 500 highlights;
* ``peak_rss_mb``: this process's peak (VmHWM).
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import corpus_paragraphs, synthesize  # noqa: E402
from bench.run import _peak_rss_mb  # noqa: E402


def make_files(folder: Path, n: int, seed: int) -> list[str]:
    """n files of 500–5,000 characters, a folder per day; returns their texts."""
    rng = random.Random(seed)
    paras = corpus_paragraphs()
    texts = []
    for i in range(n):
        day = folder / f"2026-01-{1 + i % 28:02d}"
        day.mkdir(parents=True, exist_ok=True)
        want = rng.randint(500, 5000)
        body: list[str] = []
        size = 0
        while size < want:
            p = rng.choice(paras)
            # a per-file number keeps every file distinct (no "already imported" shortcuts)
            p = p.replace("。", f"（{i}-{len(body)}）。", 1)
            body.append(p)
            size += len(p)
        title = f"第{i}号稿件：" + rng.choice(paras)[:14]
        text = title + "\n\n" + "\n\n".join(body) + "\n"
        (day / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    return texts


def jieba_rate(texts: list[str]) -> float:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    t = time.perf_counter()
    chars = 0
    for s in texts:
        jieba.lcut(s)
        chars += len(s)
    return chars / (time.perf_counter() - t)


def timed_import(lib_dir: Path, folder: Path) -> tuple[float, float]:
    """(seconds until the index has caught up, tail slowdown) of one import.

    The tail slowdown compares the seconds per character *indexed* of the batches that carry
    the last tenth of the characters with those of the first tenth (the index catches up in
    batches, so a file's own time says little): from the index's notifications, the
    watermark each batch reached and the queue position each file's articles had."""
    from reader.core.library import Library

    marks: list[tuple[float, int]] = []  # (time, index watermark) after each batch
    files: list[tuple[int, int]] = []  # (queue position after the file, characters so far)
    with Library.open(lib_dir) as lib:
        chars = 0

        def progress(n: int, total: int, path: str) -> None:
            nonlocal chars
            if path:
                files.append((lib.search_index.queue_seq(), chars))
                with contextlib.suppress(OSError):
                    chars += len(Path(path).read_text(encoding="utf-8"))

        def heard(kind: str, _payload: object) -> None:
            if kind == "index" and lib.search_index.is_open:
                marks.append((time.perf_counter(), lib.search_index.watermark()))

        lib.subscribe(heard)
        t0 = time.perf_counter()
        rep = lib.import_paths([folder], progress=progress)
        lib.index()  # caught up
        secs = time.perf_counter() - t0
        failed = [f for f in rep.files if f.status == "failed"]
        if failed:
            raise SystemExit(f"import failed: {failed[:3]}")
        files.append((lib.search_index.queue_seq(), chars))
    # characters indexed at each mark: those of the files queued at or before it
    seqs = [f[0] for f in files[1:]]
    pts = [(t0, 0)] + [(t, files[bisect.bisect_right(seqs, wm)][1]) for t, wm in marks]
    total = chars

    def seconds_per_char(lo: float, hi: float) -> float:
        """Over the batches that indexed the characters between lo and hi of the total."""
        a = max(i for i, (_t, c) in enumerate(pts) if c <= lo * total)
        b = min((i for i, (_t, c) in enumerate(pts) if c >= hi * total), default=len(pts) - 1)
        return (pts[b][0] - pts[a][0]) / max(1, pts[b][1] - pts[a][1])

    return secs, seconds_per_char(0.9, 1.0) / seconds_per_char(0.0, 0.1)


def build_base(lib_dir: Path, n: int, seed: int) -> None:
    from reader.core.library import Library

    with Library.open(lib_dir) as lib:
        # bench set-up only: bulk rows in one transaction, then one rebuild
        with lib.store.transaction() as tx:
            for a in synthesize(n, seed=seed + 1):
                tx.execute(
                    "INSERT INTO articles(uuid, key, title, source, date, body, content_hash,"
                    " imported_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    (f"base-{a.id}", f"base:{a.id}", a.title, a.source, a.date, a.body,
                     f"h{a.id}", "2026-01-01", "2026-01-01"),
                )
        lib.reindex()


def highlights(lib_dir: Path) -> dict[str, float]:
    from reader.core.library import Library

    paras = corpus_paragraphs()
    rng = random.Random(7)
    body = ""
    while len(body) < 20000:
        body += rng.choice(paras) + "\n\n"
    f = lib_dir.parent / "long-article.txt"
    f.write_text("一篇两万字的长文\n\n" + body, encoding="utf-8")
    with Library.open(lib_dir) as lib:
        lib.import_paths([f])
        aid = next(a.id for a in lib.articles(limit=None) if a.title == "一篇两万字的长文")
        text = lib.article(aid).body
        for i in range(500):
            s = (i * 37) % (len(text) - 20)
            lib.add_highlight(aid, s, s + 10, note=f"旧笔记{i}", tags=["基线"])
        add, edit, delete = [], [], []
        for i in range(30):
            s = (i * 101) % (len(text) - 30)
            t = time.perf_counter()
            h = lib.add_highlight(aid, s, s + 12, color="blue", note="新的想法",
                                  tags=["政策", "港口"])
            add.append(time.perf_counter() - t)
            t = time.perf_counter()
            lib.update_highlight(h.uuid, note=f"改过的笔记{i}")
            edit.append(time.perf_counter() - t)
            t = time.perf_counter()
            lib.delete_highlight(h.uuid)
            delete.append(time.perf_counter() - t)
        hits, _ = lib.search("note:改过的笔记29")
        assert not hits, "a deleted highlight's note is still found"
    return {
        "highlight_add_ms": round(statistics.median(add) * 1000, 1),
        "note_edit_ms": round(statistics.median(edit) * 1000, 1),
        "highlight_delete_ms": round(statistics.median(delete) * 1000, 1),
    }


def run(args: argparse.Namespace) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="pizhu-import-bench-"))
    os.environ.setdefault("PIZHU_CACHE", str(tmp / "cache"))
    try:
        folder = tmp / "archive"
        texts = make_files(folder, args.files, args.seed)
        sizes = [len(t) for t in texts]
        chars = sum(sizes)
        jr = jieba_rate(texts)
        secs, first_tail = timed_import(tmp / "empty", folder)
        out: dict[str, object] = {
            "files": args.files, "chars": chars, "jieba_chars_per_s": round(jr),
            "import_s": round(secs, 2), "import_chars_per_s": round(chars / secs),
            "import_ratio": round(chars / secs / jr, 3),
        }
        t = time.perf_counter()
        from reader.core.library import Library

        with Library.open(tmp / "empty") as lib:
            rep = lib.import_paths([folder])
            assert rep.count("added") == 0
        out["reimport_s"] = round(time.perf_counter() - t, 2)
        base = args.base
        if args.base_library:
            base_dir = tmp / "base"
            shutil.copytree(args.base_library, base_dir)
            with Library.open(base_dir) as lib:
                base = lib.count_articles()
        elif base:
            base_dir = tmp / "base"
            t = time.perf_counter()
            build_base(base_dir, base, args.seed)
            out["base_build_s"] = round(time.perf_counter() - t, 1)
        if base:
            secs, base_tail = timed_import(base_dir, folder)
            out.update(base_articles=base, base_import_s=round(secs, 2),
                       base_import_ratio=round(chars / secs / jr, 3),
                       tail_slowdown=round(base_tail, 2))
            if args.keep_base:
                shutil.copytree(base_dir, args.keep_base, dirs_exist_ok=True)
        else:
            out.update(base_articles=0, base_import_ratio=None,
                       tail_slowdown=round(first_tail, 2))
        out.update(highlights(tmp / "empty"))
        out["peak_rss_mb"] = round(_peak_rss_mb())
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=2000)
    p.add_argument("--base", type=int, default=0, help="articles already in the library")
    p.add_argument("--base-library", metavar="DIR", help="reuse a kept base library (copied)")
    p.add_argument("--keep-base", metavar="DIR", help="keep the base library here")
    p.add_argument("--seed", type=int, default=20261207)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    res = run(args)
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
    else:
        for k, v in res.items():
            print(f"{k:>22}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
