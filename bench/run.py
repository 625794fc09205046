"""Search benchmark: Pizhu's index against raw jieba and SQLite FTS5 fed jieba tokens.

    python bench/run.py --articles 10000 [--json] [--queries 300] [--seed N]

Builds everything in a temporary directory (removed afterwards) from a synthetic library
(bench/corpus.py), then measures:

* ``jieba_chars_per_s``: raw single-core ``jieba.cut`` over the article texts (the segmenter's limit);
* ``index_chars_per_s``: a full Pizhu rebuild (segmentation + words + bigrams, both cores), wall time;
* ``index_bytes``, ``index_ratio`` (index bytes / UTF-8 bytes of the indexed text);
* ``add_ms``: median time to add one article to the built index (one commit);
* ``search_p50_ms``/``search_p95_ms``: top-20 searches *with snippets* (bodies fetched from SQLite,
  as the app does), warm, for random 2–4 character strings taken from the articles;
* ``fts5_p50_ms``/``fts5_p95_ms`` (and ``fts5_snippet_*``): the same queries on an FTS5 table fed
  jieba tokens, ranked by bm25, LIMIT 20;
* ``compound_p50_ms``/``compound_p95_ms``: 100 queries of the other shapes made from those
  strings (``a OR b``, ``a -b``, ``a date:2025-03``, one character, ``(a OR b) date:2024..2025-06``);
* ``recall``/``precision``: macro averages of Pizhu's full result sets against a substring scan;
* ``first_search_s``, ``open_s``, ``peak_rss_mb``: a fresh process opens the index and answers
  the first search (no jieba needed), then loads jieba's dictionary (``open_s`` is the sum);
  then its peak RSS after all the queries.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import synthesize  # noqa: E402

SYNTAX = set('()"“”「」『』:-+')


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def _fts_phrase(tokens: list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _sample_queries(arts: list, n: int, seed: int) -> list[str]:
    from index import analysis

    rng = random.Random(seed)
    out: list[str] = []
    tries = 0
    while len(out) < n and tries < n * 50:
        tries += 1
        a = arts[rng.randrange(len(arts))]
        length = rng.randint(2, 4)
        if len(a.body) <= length:
            continue
        p = rng.randrange(len(a.body) - length)
        s = a.body[p : p + length]
        f = analysis.fold(s)
        if any(c.isspace() or c in SYNTAX for c in f):
            continue
        if f in ("and", "or", "not") or s in ("AND", "OR", "NOT"):
            continue
        out.append(s)
    return out


def _warm_times(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    """Milliseconds for each query on a second pass (the first one warms the caches)."""
    for q in queries:
        fn(q)
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t) * 1000)
    return times


def _compound_queries(queries: list[str], n: int = 100) -> list[str]:
    """Queries of the other shapes, made from the sampled strings: OR, NOT, a date filter, a
    single character, a group with a date range."""
    out = []
    for k in range(min(n, max(0, len(queries) - 1))):
        a, b = queries[k], queries[-1 - k]
        shape = k % 5
        if shape == 0:
            out.append(f"{a} OR {b}")
        elif shape == 1:
            out.append(f"{a} -{b}")
        elif shape == 2:
            out.append(f"{a} date:{2024 + k % 3}-{1 + k % 12:02d}")
        elif shape == 3:
            out.append(a[0])
        else:
            out.append(f"({a} OR {b}) date:2024..2025-06")
    return out


def probe(args: argparse.Namespace) -> int:
    """Runs in a fresh process: open, warm jieba, first search; then all queries; RSS."""
    t0 = time.perf_counter()
    from index import SearchIndex, analysis

    ix = SearchIndex(Path(args.probe), cache_dir=analysis.default_cache_dir())
    ix.open()
    conn = sqlite3.connect(args.db)

    def text_of(ids: list[int]) -> dict[int, str]:
        q = f"SELECT id, body FROM docs WHERE id IN ({','.join('?' * len(ids))})"
        return dict(conn.execute(q, ids).fetchall())

    queries = json.loads(Path(args.queries_file).read_text(encoding="utf-8"))
    # A substring search needs no jieba (only the fall-back to jieba words of a string found
    # nowhere does): time the first answer, then jieba's dictionary load, which the app does on
    # its worker after showing the window.
    ix.search(queries[0], text_of=text_of)
    first_s = time.perf_counter() - t0
    analysis.warm_up()
    open_s = time.perf_counter() - t0
    for q in queries:
        ix.search(q, text_of=text_of)
    print(json.dumps({"open_s": open_s, "first_search_s": first_s, "peak_rss_mb": _peak_rss_mb()}))
    return 0


def run(args: argparse.Namespace) -> dict:
    import jieba

    from index import IndexDoc, SearchIndex, analysis

    cache = analysis.default_cache_dir()
    analysis.configure(cache_dir=cache)
    analysis.warm_up()
    jt = jieba.Tokenizer()
    jt.tmp_dir = str(cache)
    jt.initialize()
    jieba.setLogLevel(40)

    result: dict = {"articles": args.articles}
    work = Path(tempfile.mkdtemp(prefix="pizhu-bench-", dir=args.workdir))
    try:
        arts = list(synthesize(args.articles, seed=args.seed, use_shared=not args.no_shared))
        texts_chars = sum(len(a.title) + len(a.body) for a in arts)
        text_bytes = sum(len(a.title.encode()) + len(a.body.encode()) for a in arts)
        result["chars"] = texts_chars

        # -- raw jieba (single core) and the FTS5 comparison table, fed the same tokens
        db_path = work / "bench.db"
        conn = sqlite3.connect(db_path)
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT)")
        conn.execute("CREATE VIRTUAL TABLE ft USING fts5(title, body)")
        jieba_s = 0.0
        batch = []
        for a in arts:
            t = time.perf_counter()
            tt = list(jt.cut(a.title))
            bt = list(jt.cut(a.body))
            jieba_s += time.perf_counter() - t
            batch.append((a.id, a.title, a.body, " ".join(tt), " ".join(bt)))
            if len(batch) >= 2000:
                _insert(conn, batch)
                batch = []
        _insert(conn, batch)
        conn.commit()
        result["jieba_chars_per_s"] = round(texts_chars / jieba_s)

        # -- Pizhu rebuild (both cores)
        ixdir = work / "index"
        ix = SearchIndex(ixdir, cache_dir=cache)
        docs = (
            IndexDoc(a.id, a.title, a.subtitle, a.byline, a.source, a.date, a.body, [], "")
            for a in arts
        )
        cpu0 = _cpu()
        t = time.perf_counter()
        ix.rebuild(docs, total=len(arts), watermark=1)
        index_s = time.perf_counter() - t
        result["index_chars_per_s"] = round(texts_chars / index_s)
        result["index_s"] = round(index_s, 2)
        result["index_cpu_s"] = round(_cpu() - cpu0, 2)
        result["index_vs_jieba"] = round(
            result["index_chars_per_s"] / result["jieba_chars_per_s"], 3
        )
        index_bytes = sum(f.stat().st_size for f in ixdir.rglob("*") if f.is_file())
        result["index_bytes"] = index_bytes
        result["index_ratio"] = round(index_bytes / text_bytes, 3)

        # -- incremental add of one article (one commit each), median
        adds = []
        for k in range(5):
            src = arts[k % len(arts)]
            d = IndexDoc(args.articles + 1 + k, src.title, "", "", src.source, src.date, src.body)
            t = time.perf_counter()
            ix.update([d], watermark=2 + k)
            adds.append((time.perf_counter() - t) * 1000)
        ix.update([], delete_ids=[args.articles + 1 + k for k in range(5)], watermark=10)
        result["add_ms"] = round(statistics.median(adds), 1)

        # -- searches
        queries = _sample_queries(arts, args.queries, args.seed + 1)
        result["queries"] = len(queries)

        def text_of(ids: list[int]) -> dict[int, str]:
            q = f"SELECT id, body FROM docs WHERE id IN ({','.join('?' * len(ids))})"
            return dict(conn.execute(q, ids).fetchall())

        def pizhu(q: str) -> None:
            ix.search(q, limit=20, text_of=text_of)

        times = _warm_times(pizhu, queries)
        result["search_p50_ms"] = round(_pct(times, 50), 2)
        result["search_p95_ms"] = round(_pct(times, 95), 2)

        # -- the other query shapes (OR, NOT, dates, one character)
        compound = _compound_queries(queries)
        times = _warm_times(pizhu, compound)
        result["compound_queries"] = len(compound)
        result["compound_p50_ms"] = round(_pct(times, 50), 2)
        result["compound_p95_ms"] = round(_pct(times, 95), 2)

        fts_q = [_fts_phrase([w for w in jt.cut(q) if w.strip()]) for q in queries]
        plain_sql = "SELECT rowid FROM ft WHERE ft MATCH ? ORDER BY bm25(ft, 3.0, 1.0) LIMIT 20"
        snip_sql = (
            "SELECT rowid, snippet(ft, 1, '[', ']', '…', 16) FROM ft WHERE ft MATCH ?"
            " ORDER BY bm25(ft, 3.0, 1.0) LIMIT 20"
        )
        for sql, key in ((plain_sql, "fts5"), (snip_sql, "fts5_snippet")):
            ft_times = _warm_times(lambda q, sql=sql: _fts(conn, sql, q), fts_q)
            result[f"{key}_p50_ms"] = round(_pct(ft_times, 50), 2)
            result[f"{key}_p95_ms"] = round(_pct(ft_times, 95), 2)
        result["p95_ratio_vs_fts5"] = round(
            result["search_p95_ms"] / max(result["fts5_p95_ms"], 1e-9), 3
        )

        # -- recall and precision against a substring scan
        big = "\x00".join(analysis.fold(a.title + "\n" + a.body) for a in arts)
        starts = []
        pos = 0
        for a in arts:
            starts.append(pos)
            pos += len(a.title) + 1 + len(a.body) + 1
        recalls, precisions = [], []
        for q in queries:
            f = analysis.fold(q)
            expected = set()
            i = big.find(f)
            while i >= 0:
                expected.add(arts[bisect.bisect_right(starts, i) - 1].id)
                i = big.find(f, i + 1)
            got = {h.id for h in ix.search(q, limit=len(arts) + 10, with_snippets=False).hits}
            if expected:
                recalls.append(len(got & expected) / len(expected))
            if got:
                precisions.append(len(got & expected) / len(got))
        result["recall"] = round(statistics.mean(recalls), 4) if recalls else 0.0
        result["precision"] = round(statistics.mean(precisions), 4) if precisions else 0.0
        ix.close()

        # -- a fresh process: open + jieba + first search, then RSS after all queries
        qfile = work / "queries.json"
        qfile.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
        conn.close()
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--probe",
                str(ixdir),
                "--db",
                str(db_path),
                "--queries-file",
                str(qfile),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=str(ROOT),
        )
        result.update(json.loads(out.stdout.strip().splitlines()[-1]))
        result["open_s"] = round(result["open_s"], 3)
        result["first_search_s"] = round(result["first_search_s"], 3)
        result["peak_rss_mb"] = round(result["peak_rss_mb"], 1)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["machine"] = (
        f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    result["date"] = time.strftime("%Y-%m-%d")
    return result


def _peak_rss_mb() -> float:
    """This process's peak RSS. Linux: VmHWM, because ru_maxrss of a process started by
    fork+exec starts at the parent's size (the bench process is big)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _insert(conn: sqlite3.Connection, batch: list[tuple]) -> None:
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", [b[:3] for b in batch])
    conn.executemany(
        "INSERT INTO ft(rowid, title, body) VALUES (?, ?, ?)", [(b[0], b[3], b[4]) for b in batch]
    )


def _fts(conn: sqlite3.Connection, sql: str, q: str) -> list:
    try:
        return conn.execute(sql, (q,)).fetchall()
    except sqlite3.Error:
        return []


ROWS = [
    ("articles", "articles"),
    ("chars", "characters"),
    ("jieba_chars_per_s", "raw jieba.cut, chars/s (1 core)"),
    ("index_chars_per_s", "Pizhu indexing, chars/s (wall)"),
    ("index_vs_jieba", "indexing / jieba"),
    ("index_cpu_s", "indexing CPU seconds (all processes)"),
    ("index_bytes", "index bytes"),
    ("index_ratio", "index size / text"),
    ("add_ms", "add one article, ms (median)"),
    ("search_p50_ms", "Pizhu top-20 + snippets p50, ms"),
    ("search_p95_ms", "Pizhu top-20 + snippets p95, ms"),
    ("fts5_p50_ms", "FTS5 + jieba p50, ms"),
    ("fts5_p95_ms", "FTS5 + jieba p95, ms"),
    ("fts5_snippet_p95_ms", "FTS5 + jieba + snippet() p95, ms"),
    ("p95_ratio_vs_fts5", "p95 Pizhu / FTS5"),
    ("compound_p50_ms", "OR/NOT/date/1-char queries p50, ms"),
    ("compound_p95_ms", "OR/NOT/date/1-char queries p95, ms"),
    ("recall", "substring recall"),
    ("precision", "substring precision"),
    ("first_search_s", "open + first search (no jieba needed), s"),
    ("open_s", "open + first search, then jieba loaded, s"),
    ("peak_rss_mb", "peak RSS after searching, MB"),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20260115)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--no-shared", action="store_true", help="fixture paragraphs only")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--workdir", default=None, help="where to make the temporary directory")
    ap.add_argument("--probe", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--queries-file", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.probe:
        return probe(args)
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        width = max(len(label) for _, label in ROWS)
        for key, label in ROWS:
            print(f"{label:<{width}}  {result.get(key)}")
        print(f"{'machine':<{width}}  {result['machine']}, {result['date']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
