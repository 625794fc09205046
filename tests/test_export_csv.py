"""CSV export: one row per highlight with every field; a byte-order mark in files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotation_fixtures import annotated_library

from reader.core.exporters import Selection, export_file, render
from reader.core.exporters.csv import COLUMNS


def test_csv_rows(tmp_path: Path) -> None:
    lib, hls = annotated_library(tmp_path / "a")
    with lib:
        text = render(lib, Selection(everything=True), "csv")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == COLUMNS
        assert len(rows) == 6
        by_uuid = {r["highlight_uuid"]: r for r in rows}
        assert hls["deleted"].uuid not in by_uuid
        tea = by_uuid[hls["tea"].uuid]
        h = hls["tea"]
        art = lib.article(h.article_id)
        assert tea["quote"] == h.quote and tea["note"] == "数据" and tea["color"] == "orange"
        assert tea["tags"] == "民生; 经济"
        assert (int(tea["start"]), int(tea["end"])) == (h.start, h.end)
        assert tea["article_title"] == "秋茶采摘忙" and tea["article_uuid"] == art.uuid
        assert tea["link"] == f"pizhu://article/{art.uuid}#highlight={h.uuid}"
        assert by_uuid[hls["note"].uuid]["note"] == "孩子们很多。\n值得再去看看"
        assert by_uuid[hls["orphan"].uuid]["orphan"] == "1"
        assert by_uuid[hls["astral"].uuid]["quote"] == "来自𠮷林村的王师傅"

        out = tmp_path / "h.csv"
        export_file(lib, Selection(tags=["人物"]), "csv", out)
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets recognise UTF-8
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [r["highlight_uuid"] for r in rows] == [hls["astral"].uuid]


def test_formula_cells_are_neutralised() -> None:
    from reader.core.exporters.csv import _cell

    assert _cell("=SUM(A1)") == "'=SUM(A1)"
    assert _cell("@cmd") == "'@cmd"
    assert _cell("普通文字") == "普通文字"
    assert _cell(42) == "42"
