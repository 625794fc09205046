"""Where the slow searches are: times every benchmark query on a library kept by ``run.py --keep``.

    python bench/run.py --articles 100000 --keep --workdir /some/dir
    python bench/tail.py /some/dir/pizhu-bench-XXXX [--rounds 3] [--show 15] [--profile]

Runs the queries of the kept run (``queries.json``, or the same seeded sample re-drawn from the
synthetic corpus) against Pizhu and against the FTS5 table, a warm-up round then ``--rounds``
timed rounds (median per query), and prints p50/p95 of both and the slowest queries with their
hit counts. ``--profile`` adds a cProfile of one round.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import _fts, _fts_phrase, _pct, _sample_queries  # noqa: E402


def _queries(work: Path, articles: int, seed: int, n: int) -> list[str]:
    qfile = work / "queries.json"
    if qfile.exists():
        return json.loads(qfile.read_text(encoding="utf-8"))
    from bench.corpus import synthesize

    arts = list(synthesize(articles, seed=seed))
    return _sample_queries(arts, n, seed + 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work", type=Path, help="a directory kept by run.py --keep")
    ap.add_argument("--articles", type=int, default=100000, help="size of the kept run")
    ap.add_argument("--seed", type=int, default=20260115)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--show", type=int, default=15)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)

    import jieba

    from index import SearchIndex, analysis

    cache = analysis.default_cache_dir()
    analysis.configure(cache_dir=cache)
    analysis.warm_up()
    jieba.setLogLevel(40)
    queries = _queries(args.work, args.articles, args.seed, args.queries)
    conn = sqlite3.connect(args.work / "bench.db")
    ix = SearchIndex(args.work / "index", cache_dir=cache)
    ix.open()

    def text_of(ids: list[int]) -> dict[int, str]:
        q = f"SELECT id, body FROM docs WHERE id IN ({','.join('?' * len(ids))})"
        return dict(conn.execute(q, ids).fetchall())

    def pizhu(q: str) -> None:
        ix.search(q, limit=20, text_of=text_of)

    fts_sql = "SELECT rowid FROM ft WHERE ft MATCH ? ORDER BY bm25(ft, 3.0, 1.0) LIMIT 20"
    fts_q = {q: _fts_phrase([w for w in jieba.cut(q) if w.strip()]) for q in queries}

    def fts(q: str) -> None:
        _fts(conn, fts_sql, fts_q[q])

    table: dict[str, dict[str, float]] = {}
    for name, fn in (("pizhu", pizhu), ("fts5", fts)):
        for q in queries:  # warm-up
            fn(q)
        per: dict[str, list[float]] = {q: [] for q in queries}
        for _ in range(args.rounds):
            for q in queries:
                t = time.perf_counter()
                fn(q)
                per[q].append((time.perf_counter() - t) * 1000)
        table[name] = {q: statistics.median(v) for q, v in per.items()}
        vals = list(table[name].values())
        print(f"{name:6} p50 {_pct(vals, 50):7.2f} ms   p95 {_pct(vals, 95):7.2f} ms")
    ratio = _pct(list(table["pizhu"].values()), 95) / max(_pct(list(table["fts5"].values()), 95), 1e-9)
    print(f"p95 ratio pizhu/fts5: {ratio:.3f}")
    print(f"\nslowest {args.show} for pizhu (ms pizhu, ms fts5, hits):")
    for q in sorted(queries, key=table["pizhu"].__getitem__, reverse=True)[: args.show]:
        total = ix.search(q, limit=20, with_snippets=False).total
        print(f"  {q!r:12} {table['pizhu'][q]:7.2f} {table['fts5'][q]:7.2f} {total:7d}")
    print(f"\nslowest {args.show} for fts5:")
    for q in sorted(queries, key=table["fts5"].__getitem__, reverse=True)[: args.show]:
        print(f"  {q!r:12} {table['pizhu'][q]:7.2f} {table['fts5'][q]:7.2f}  {fts_q[q]}")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for q in queries:
            pizhu(q)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    ix.close()
    conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
