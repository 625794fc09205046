"""Recall figures (issue 17), not a test:

    .venv/bin/python bench/recall.py related [--articles 100000] [--workdir DIR] [--keep]
    .venv/bin/python bench/recall.py t2s [--articles 2000] [--queries 300]

``related``: a library of N synthetic articles (bench/corpus.py, rows written straight into the
database, then ``Library.reindex``), then the user's path — ``reader.core.recall.related_articles``
(the article from SQLite, its key terms segmented, the index's more-like-this, the five articles
read back) — timed warm for 200 random articles: p50 / p95 / max in ms. Also the time of
``suggest_tags`` (the first call loads jieba's POS tables: reported apart).

``suggest``: precision@5 of suggested tags on the fixture articles of tests/recall_fixtures.py
(our own texts, each with the tags a reader would give it), in a library of those articles alone
and with ``--articles`` synthetic ones beside them (a larger library's IDF); and every suggested
word that is news boilerplate (the fixtures' list, plus numbers).

``highlights``: ``search_highlights`` (pizhu highlights --search, the annotation library's
search) over ``--highlights`` highlights (default 5,000) of synthetic articles, a note on every
third: p50 / p95 for 2–4 character queries taken from quotes and notes — the whole call (which
reads every highlight from the library) and the matching alone (a caller that already holds the
list, as the annotation library view does) — and recall against a plain substring scan (must be
1.0).

``t2s``: 繁简 folding. A Traditional copy of the benchmark corpus is made with OpenCC ``s2t``
(phrase-level, as a Traditional source would be written) and indexed; Simplified queries sampled
from the Simplified originals (2–4 characters, as bench/run.py samples them) are searched in it.
``recall`` is against a substring scan of the folded Traditional texts (the engine's promise:
must be 1.0); ``cross_recall`` is against the Simplified originals (what a user expects: an
article containing the Simplified string should be found in its Traditional copy; below 1.0 only
where OpenCC's s2t maps a character outside the one-to-one folding table, e.g. to an astral
character, or a phrase conversion changed the words).
"""

from __future__ import annotations

import argparse
import bisect
import json
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

from bench.corpus import synthesize  # noqa: E402


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _fill(lib, n: int, seed: int) -> None:  # noqa: ANN001
    from reader.core.library import now_iso

    tx = lib.store.transaction() if hasattr(lib, "store") else lib._write()
    now = now_iso()
    with tx as c:
        batch = []
        for a in synthesize(n, seed=seed):
            batch.append((a.id, f"u{a.id}", f"k{a.id}", a.title, a.body, a.source, a.byline,
                          a.date, "h", now, now))
            if len(batch) >= 5000:
                c.executemany(
                    "INSERT INTO articles(id,uuid,key,title,body,source,byline,date,content_hash,"
                    "imported_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch)
                batch = []
        if batch:
            c.executemany(
                "INSERT INTO articles(id,uuid,key,title,body,source,byline,date,content_hash,"
                "imported_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch)


def related(args: argparse.Namespace) -> dict:
    from reader.core import recall
    from reader.core.library import Library

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="pizhu-recall-"))
    root = work / f"lib-{args.articles}"
    out: dict = {"articles": args.articles}
    fresh = not root.exists()
    lib = Library.open(root)
    try:
        if fresh:
            t = time.perf_counter()
            _fill(lib, args.articles, args.seed)
            out["fill_s"] = round(time.perf_counter() - t, 1)
            t = time.perf_counter()
            lib.reindex()
            out["reindex_s"] = round(time.perf_counter() - t, 1)
        lib.index()
        rng = random.Random(args.seed)
        ids = [rng.randint(1, args.articles) for _ in range(args.samples)]
        recall.related_articles(lib, ids[0])  # warm: jieba, the searcher
        times, found, shared = [], [], []
        for i in ids:
            t = time.perf_counter()
            r = recall.related_articles(lib, i)
            times.append((time.perf_counter() - t) * 1000)
            found.append(len(r))
            shared += [len(x.terms) for x in r]
        again = []
        for i in ids[:50]:  # the same articles opened again: their segmentation is kept
            t = time.perf_counter()
            recall.related_articles(lib, i)
            again.append((time.perf_counter() - t) * 1000)
        out.update({
            "related_again_p50_ms": round(_pct(again, 50), 1),
            "related_again_p95_ms": round(_pct(again, 95), 1),
            "related_p50_ms": round(_pct(times, 50), 1),
            "related_p95_ms": round(_pct(times, 95), 1),
            "related_max_ms": round(max(times), 1),
            "related_mean_found": round(statistics.mean(found), 2),
            "related_mean_shared_terms": round(statistics.mean(shared), 2) if shared else 0,
        })
        t = time.perf_counter()
        recall.suggest_tags(lib, ids[0])
        out["suggest_first_ms"] = round((time.perf_counter() - t) * 1000)
        st = []
        for i in ids[:50]:
            t = time.perf_counter()
            recall.suggest_tags(lib, i)
            st.append((time.perf_counter() - t) * 1000)
        out["suggest_p50_ms"] = round(_pct(st, 50), 1)
        out["suggest_p95_ms"] = round(_pct(st, 95), 1)
    finally:
        lib.close()
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return out


def t2s(args: argparse.Namespace) -> dict:
    import opencc

    from bench.run import _sample_queries
    from index import IndexDoc, SearchIndex, analysis

    s2t = opencc.OpenCC("s2t")
    arts = list(synthesize(args.articles, seed=args.seed))
    trad = [(a.id, s2t.convert(a.title), s2t.convert(a.body)) for a in arts]
    changed = sum(1 for a, t in zip(arts, trad, strict=True) for x, y in zip(a.body, t[2], strict=False)
                  if x != y)
    work = Path(tempfile.mkdtemp(prefix="pizhu-t2s-"))
    try:
        ix = SearchIndex(work / "ix", cache_dir=analysis.default_cache_dir())
        ix.rebuild((IndexDoc(i, t, body=b) for i, t, b in trad), total=len(trad))
        queries = _sample_queries(arts, args.queries, args.seed + 1)

        def scan(texts: list[str]) -> tuple[str, list[int]]:
            big, starts, pos = [], [], 0
            for t in texts:
                starts.append(pos)
                big.append(analysis.fold(t))
                pos += len(t) + 1
            return "\x00".join(big), starts

        trad_big, trad_starts = scan([t + "\n" + b for _i, t, b in trad])
        simp_big, simp_starts = scan([a.title + "\n" + a.body for a in arts])
        ids = [a.id for a in arts]

        def expected(big: str, starts: list[int], q: str) -> set[int]:
            f, got, i = analysis.fold(q), set(), -1
            i = big.find(f)
            while i >= 0:
                got.add(ids[bisect.bisect_right(starts, i) - 1])
                i = big.find(f, i + 1)
            return got

        rec, cross, snippets_ok, checked = [], [], 0, 0
        bodies = {i: b for i, _t, b in trad}
        for q in queries:
            res = ix.search(q, limit=len(arts) + 10, text_of=lambda xs: {x: bodies[x] for x in xs})
            got = {h.id for h in res.hits}
            e = expected(trad_big, trad_starts, q)
            if e:
                rec.append(len(got & e) / len(e))
            c = expected(simp_big, simp_starts, q)
            if c:
                cross.append(len(got & c) / len(c))
            for h in res.hits[:20]:  # snippet marks are on the Traditional text and fold to q
                body = bodies[h.id]
                for sn in h.snippets:
                    for s, e2 in sn.spans:  # offsets into the stored Traditional body
                        checked += 1
                        snippets_ok += (analysis.fold(q) in analysis.fold(body[s:e2])
                                        or s == sn.start or e2 == sn.end)
        ix.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "articles": args.articles, "queries": len(queries),
        "characters_changed_by_s2t": changed,
        "recall": round(statistics.mean(rec), 4) if rec else None,
        "cross_recall": round(statistics.mean(cross), 4) if cross else None,
        "snippet_marks_checked": checked,
        "snippet_marks_ok": snippets_ok,
    }


def suggest(args: argparse.Namespace) -> dict:
    sys.path.insert(0, str(ROOT / "tests"))
    from recall_fixtures import ARTICLES, BOILERPLATE, GOLD, write_markdown

    from reader.core import recall
    from reader.core.library import Library

    out: dict = {}
    for extra in (0, args.articles):
        work = Path(tempfile.mkdtemp(prefix="pizhu-suggest-"))
        try:
            lib = Library.open(work / "lib")
            if extra:
                _fill(lib, extra, args.seed)
            lib.import_paths(write_markdown(work / "src"))
            lib.reindex()
            ids = {a.title: a.id for a in lib.articles(limit=None)}
            hits, leaks, per = 0, [], []
            for a, gold in zip(ARTICLES, GOLD, strict=True):
                got = [t.tag for t in recall.suggest_tags(lib, ids[a["title"]])]
                good = [t for t in got if t in gold]
                hits += len(good)
                per.append({"title": a["title"], "suggested": got, "hits": len(good)})
                leaks += [t for t in got if t in BOILERPLATE or any(c.isdigit() for c in t)]
            lib.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)
        out[f"library_{len(ARTICLES) + extra}"] = {
            "precision_at_5": round(hits / (5 * len(ARTICLES)), 3),
            "boilerplate_leaks": leaks, "articles": per}
    return out


def highlights(args: argparse.Namespace) -> dict:
    from index import analysis
    from reader.core import recall
    from reader.core.library import Library

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="pizhu-hl-"))
    try:
        lib = Library.open(work / "lib")
        _fill(lib, args.articles, args.seed)
        notes = ["值得跟进", "和去年对比", "数据来源待查", "港口群协同", "老人服务的样板"]
        made = 0
        while made < args.highlights:
            aid = rng.randint(1, args.articles)
            body = lib.article(aid).body or ""
            if len(body) < 40:
                continue
            s = rng.randrange(0, len(body) - 30)
            lib.add_highlight(aid, s, s + rng.randint(8, 30),
                              note=notes[made % len(notes)] if made % 3 == 0 else "")
            made += 1
        hls = lib.highlights()
        texts = [analysis.fold(h.quote + "\n" + h.note) for h in hls]
        queries = []
        while len(queries) < args.queries:
            h = hls[rng.randrange(len(hls))]
            src = h.quote if rng.random() < 0.8 or not h.note else h.note
            n = rng.randint(2, 4)
            if len(src) <= n:
                continue
            q = src[(i := rng.randrange(len(src) - n)):i + n]
            if (q.strip() and q.isprintable()
                    and not set(analysis.fold_width(q)) & set('()"“”「」『』:-+ ')):
                queries.append(q)
        recall.search_highlights(lib, queries[0])  # warm: the folded records
        times, given, recs = [], [], []
        for q in queries:
            t = time.perf_counter()
            got = set(recall.search_highlights(lib, q))
            times.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()  # the annotation library's path: it holds the list
            recall.search_highlights(lib, q, highlights=hls)
            given.append((time.perf_counter() - t) * 1000)
            f = analysis.fold(q)
            want = {h.uuid for h, x in zip(hls, texts, strict=True) if f in x}
            recs.append(len(got & want) / len(want) if want else 1.0)
        lib.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"articles": args.articles, "highlights": len(hls), "queries": len(queries),
            "search_p50_ms": round(_pct(times, 50), 1), "search_p95_ms": round(_pct(times, 95), 1),
            "matching_only_p50_ms": round(_pct(given, 50), 1),
            "matching_only_p95_ms": round(_pct(given, 95), 1),
            "recall": round(statistics.mean(recs), 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["related", "t2s", "suggest", "highlights"])
    ap.add_argument("--highlights", type=int, default=5000)
    ap.add_argument("--articles", type=int, default=None)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20260115)
    ap.add_argument("--workdir", default=None, help="keep the library here (reused if there)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    if args.what == "related":
        args.articles = args.articles or 100_000
        res = related(args)
    elif args.what == "highlights":
        args.articles = args.articles or 2000
        args.queries = min(args.queries, 200)
        res = highlights(args)
    elif args.what == "suggest":
        args.articles = args.articles or 2000
        res = suggest(args)
    else:
        args.articles = args.articles or 2000
        res = t2s(args)
    print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
