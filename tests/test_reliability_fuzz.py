"""Bad input (issue 6): hostile files through Library.import_paths, random query strings through
Library.search and the CLI, and highlight offsets on astral and combining characters.

Every import case ends in a clean import or one readable per-file error; the database never holds
a partial article (see crashkit.fuzzgen.check_import). Runs are derandomised (reproducible).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from crashkit import fuzzgen
from hypothesis import HealthCheck, given, settings

from reader.library import Library

FUZZ = settings(
    max_examples=int(os.environ.get("PIZHU_FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzzlib")
    work = tmp_path_factory.mktemp("fuzzfiles")
    with Library.open(root / "lib") as lib:
        yield fuzzgen.ImportChecker(lib, work)
        ok = lib._writer.execute("PRAGMA integrity_check").fetchone()[0]
        assert ok == "ok"


@pytest.mark.parametrize("family", sorted(fuzzgen.FAMILIES))
def test_hostile_files_import_cleanly_or_fail_readably(checker, family):
    strategy = fuzzgen.FAMILIES[family]

    @FUZZ
    @given(strategy)
    def run(data: bytes) -> None:
        checker.run(data, family)

    run()
    assert sum(checker.outcomes.values()) >= 1


def test_fixed_nasty_cases(checker, tmp_path):
    """Cases worth pinning down whatever hypothesis draws."""
    cases = {
        "lone-surrogates": b'[{"\\u6807\\u9898title": "a\\ud800b", "finalContent": "\\udc00\\u6b63'
        b'\\u6587\\u5185\\u5bb9\\ud83d"}]',
        "pair-as-escapes": b'[{"title": "\\ud83d\\ude00", "content": "\\ud840\\udc0b\\u6b63\\u6587"}]',
        "nul-in-json-string": b'[{"title": "\\u0000", "content": "\\u0000\\u6b63\\u6587\\u0000"}]',
        "rtl-combining-emoji-extb": ("标题\u202e反向\n"
                                     "正文e\u0301 \u0301开头 👩\u200d👩\u200d👧 𠀋𪚥 مرحبا\n").encode(),
        "bom-utf16-mixed-gb": "标题\n".encode("utf-16") + "正文".encode("gb18030"),
        "only-bom": b"\xef\xbb\xbf",
        "only-whitespace": " \u3000\n\r\n\t".encode(),
        "huge-json-number": b'[{"title": 1' + b"9" * 5000 + b', "content": "\\u6b63\\u6587"}]',
        "json-nan": b'[{"title": NaN, "content": Infinity, "finalContent": "\\u6b63\\u6587"}]',
        "deep-array": b"[" * 200_000,
        "deep-object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        "huge-line": ("标题\n" + "长" * 3_000_000).encode(),
        "huge-json-string": json.dumps([{"title": "大", "content": "字" * 2_000_000}]).encode(),
        "many-tiny-articles": json.dumps(
            [{"title": f"第{i}篇", "content": f"内容{i}"} for i in range(3000)], ensure_ascii=False
        ).encode(),
    }
    outcomes = {name: checker.run(data, name) for name, data in cases.items()}
    assert outcomes["lone-surrogates"] == "wechat"
    assert outcomes["rtl-combining-emoji-extb"] == "plain"
    assert outcomes["only-bom"] == "failed" and outcomes["deep-array"] == "failed"
    titles = {r[0] for r in checker.lib._writer.execute("SELECT title FROM articles")}
    assert "a\ufffdb" in titles and "😀" in titles


def test_files_that_are_not_files(checker, tmp_path):
    """A sparse 200 MB file, a fifo, a folder named like a file, a missing path: one line each,
    the good file in between still imports."""
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text("好文章的标题\n好文章的正文在此。\n", encoding="utf-8")
    dirlike = tmp_path / "dir.json"
    dirlike.mkdir()
    weird = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"\xff\xfe-name.txt")))
    weird.write_text("怪名字的文章\n正文。\n", encoding="utf-8")
    summary = checker.lib.import_paths(
        [big, fifo, good, tmp_path / "missing.txt", weird], update_index=False
    )
    by = {f.path: f for f in summary.files}
    assert by[str(big)].status == "failed" and "large" in by[str(big)].reason
    assert by[str(fifo)].status == "failed"
    assert by[str(tmp_path / "missing.txt")].status == "failed"
    assert by[str(good)].status == "added" and by[str(weird)].status == "added"
    for f in summary.files:
        if f.status == "failed":
            fuzzgen._readable_reason(f.reason)
