"""bench/recall.py runs end to end at a small size (no timing is asserted): 繁简 recall on an
s2t copy of the benchmark corpus is complete, highlight search is substring-complete, suggested
tags leak no boilerplate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is a folder of scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from bench import recall as bench_recall  # noqa: E402


def _args(**kw: object) -> argparse.Namespace:
    base = {"articles": 40, "queries": 40, "samples": 5, "seed": 7, "workdir": None,
            "keep": False, "highlights": 120}
    base.update(kw)
    return argparse.Namespace(**base)


def test_traditional_copy_is_found_by_simplified_queries() -> None:
    pytest.importorskip("opencc")
    res = bench_recall.t2s(_args(articles=60))
    assert res["characters_changed_by_s2t"] > 0  # the copy really is Traditional
    assert res["recall"] == 1.0 and res["cross_recall"] == 1.0
    assert res["snippet_marks_checked"] > 0
    assert res["snippet_marks_ok"] == res["snippet_marks_checked"]


def test_highlight_search_is_substring_complete() -> None:
    res = bench_recall.highlights(_args(articles=30, queries=30))
    assert res["highlights"] == 120 and res["recall"] == 1.0


def test_suggestions_leak_no_boilerplate() -> None:
    res = bench_recall.suggest(_args(articles=20))
    for lib in res.values():
        assert lib["boilerplate_leaks"] == []
        assert lib["precision_at_5"] >= 0.4  # the fixtures' hand-chosen tags
