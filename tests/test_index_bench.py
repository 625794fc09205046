"""The benchmark runs end to end at a small size (no timing is asserted)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is a folder of scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402
from bench.corpus import synthesize  # noqa: E402

KEYS = {
    "articles",
    "chars",
    "jieba_chars_per_s",
    "index_chars_per_s",
    "index_ratio",
    "index_bytes",
    "search_p50_ms",
    "search_p95_ms",
    "fts5_p50_ms",
    "fts5_p95_ms",
    "recall",
    "precision",
    "open_s",
    "peak_rss_mb",
    "add_ms",
    "compound_p50_ms",
    "compound_p95_ms",
}


def test_compound_queries_use_every_shape() -> None:
    qs = bench_run._compound_queries(["发展", "港口", "协同", "企业", "创新", "城市"], n=5)
    assert qs == [
        "发展 OR 城市",
        "港口 -创新",
        "协同 date:2026-03",
        "企",
        "(创新 OR 港口) date:2024..2025-06",
    ]


def test_synthesiser_is_deterministic() -> None:
    a = [(x.title, x.body, x.date) for x in synthesize(30, seed=5)]
    b = [(x.title, x.body, x.date) for x in synthesize(30, seed=5)]
    c = [(x.title, x.body, x.date) for x in synthesize(30, seed=6)]
    assert a == b and a != c
    assert all(x.body and x.title for x in synthesize(30, seed=5, use_shared=False))


def test_bench_runs_small(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        bench_run.main(
            ["--articles", "200", "--queries", "40", "--json", "--workdir", str(tmp_path)]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result.keys() >= KEYS
    assert result["articles"] == 200
    assert result["recall"] == 1.0
    assert result["precision"] >= 0.99
    assert result["index_bytes"] > 0 and result["index_ratio"] > 0
    assert result["open_s"] > 0 and result["peak_rss_mb"] > 0
    assert list(tmp_path.iterdir()) == []  # the temporary library is gone
