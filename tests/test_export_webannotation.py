"""W3C Web Annotation JSON: the structure of the export, and the round trip export → fresh
library with the same articles → import (nothing lost, nothing duplicated, newest wins)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from annotation_fixtures import annotated_library, wechat_entry, write_wechat

from reader.core.annotations_io import AnnotationImportError, import_annotations
from reader.core.exporters import Selection, export_file, render
from reader.core.library import Library
from reader.core.model import Highlight

FIELDS = ("uuid", "quote", "prefix", "suffix", "start", "end", "color", "note", "tags",
          "created", "updated", "orphan", "deleted")


@pytest.fixture
def source(tmp_path: Path) -> Iterator[tuple[Library, dict[str, Highlight]]]:
    lib, hls = annotated_library(tmp_path / "a")
    try:
        yield lib, hls
    finally:
        lib.close()


def _fresh(tmp_path: Path, name: str = "b") -> Library:
    lib = Library.open(tmp_path / name)
    lib.import_paths([tmp_path / "a" / "articles"])
    return lib


def _snapshot(lib: Library) -> dict[str, tuple]:
    out = {}
    for h in lib.highlights(include_deleted=True):
        art = lib.article(h.article_id)
        out[h.uuid] = (*(getattr(h, f) for f in FIELDS), art.title, art.external_id)
    return out


def _export(lib: Library, path: Path) -> dict:
    export_file(lib, Selection(everything=True), "json", path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_structure_follows_the_data_model(source: tuple[Library, dict[str, Highlight]]) -> None:
    lib, hls = source
    data = json.loads(render(lib, Selection(everything=True), "json"))
    assert data["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items) == 6  # the deleted highlight is not exported
    by_id = {a["id"]: a for a in items}
    a = by_id[f"urn:uuid:{hls['tea'].uuid}"]
    assert a["type"] == "Annotation" and a["motivation"] == "commenting"
    assert a["created"] == hls["tea"].created and a["modified"] == hls["tea"].updated
    bodies = {(b["purpose"], b["value"]) for b in a["body"]}
    assert bodies == {("commenting", "数据"), ("tagging", "经济"), ("tagging", "民生")}
    assert all(b["type"] == "TextualBody" for b in a["body"])
    t = a["target"]
    art = lib.article(hls["tea"].article_id)
    assert t["source"] == f"pizhu://article/{art.uuid}"
    quote = next(s for s in t["selector"] if s["type"] == "TextQuoteSelector")
    pos = next(s for s in t["selector"] if s["type"] == "TextPositionSelector")
    assert quote["exact"] == "线上订单比去年增加了三成"
    assert art.body[pos["start"]:pos["end"]] == quote["exact"]
    assert art.body[:pos["start"]].endswith(quote["prefix"])
    assert art.body[pos["end"]:].startswith(quote["suffix"])
    assert t["pizhu:article"]["externalId"] == "wx-0002"
    assert t["pizhu:article"]["url"] == art.url
    assert a["pizhu:color"] == "orange"
    plain = by_id[f"urn:uuid:{hls['plain'].uuid}"]
    assert plain["motivation"] == "highlighting" and "body" not in plain
    assert by_id[f"urn:uuid:{hls['orphan'].uuid}"]["pizhu:orphan"] is True
    # positions are code points: the astral character counts once
    astral = by_id[f"urn:uuid:{hls['astral'].uuid}"]
    pos = next(s for s in astral["target"]["selector"] if s["type"] == "TextPositionSelector")
    assert pos["end"] - pos["start"] == len("来自𠮷林村的王师傅") == 9


def test_round_trip_into_a_fresh_library_loses_nothing(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, _ = source
    exported = tmp_path / "annotations.json"
    _export(lib, exported)
    expected = {k: v for k, v in _snapshot(lib).items() if not v[FIELDS.index("deleted")]}
    with _fresh(tmp_path) as other:
        assert other.highlights() == []
        report = import_annotations(other, exported)
        assert (report.imported, report.orphaned, report.updated, report.unchanged) == (5, 1, 0, 0)
        assert report.skipped == []
        assert _snapshot(other) == expected
        for h in other.highlights():
            if not h.orphan:
                assert other.article(h.article_id).body[h.start:h.end] == h.quote
        # tags and notes are searchable in the other library too
        hits, _ = other.search("tag:经济")
        assert [x.article.title for x in hits] == ["秋茶采摘忙"]

        # a second import duplicates nothing
        again = import_annotations(other, exported)
        assert (again.imported, again.updated, again.unchanged, again.orphaned) == (0, 0, 6, 0)
        assert _snapshot(other) == expected
        assert other.stats()["highlights"] == 6

        # and exporting again from the other library gives the same annotations
        second = _export(other, tmp_path / "again.json")
        first = json.loads(exported.read_text(encoding="utf-8"))
        strip = lambda d: [  # noqa: E731 - article uuids differ between libraries
            {**a, "target": {**a["target"], "source": None, "pizhu:article": None}}
            for a in d["first"]["items"]
        ]
        assert sorted(strip(second), key=lambda a: a["id"]) == sorted(
            strip(first), key=lambda a: a["id"]
        )


def test_import_into_the_same_library_changes_nothing(
    source: tuple[Library, dict[str, Highlight]], tmp_path: Path
) -> None:
    lib, _ = source
    before = _snapshot(lib)
    path = tmp_path / "same.json"
    _export(lib, path)
    report = import_annotations(lib, path)
    assert (report.imported, report.updated, report.unchanged) == (0, 0, 6)
    assert _snapshot(lib) == before


def test_newest_wins(source: tuple[Library, dict[str, Highlight]], tmp_path: Path) -> None:
    lib, hls = source
    path = tmp_path / "annotations.json"
    data = _export(lib, path)
    uid = f"urn:uuid:{hls['tea'].uuid}"
    item = next(a for a in data["first"]["items"] if a["id"] == uid)

    def variant(note: str, modified: str, color: str) -> Path:
        item["body"] = [{"type": "TextualBody", "purpose": "commenting", "value": note},
                        {"type": "TextualBody", "purpose": "tagging", "value": "新标签"}]
        item["modified"] = modified
        item["pizhu:color"] = color
        p = tmp_path / f"{color}.json"
        p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return p

    older = variant("旧的说法", "2000-01-01T00:00:00+00:00", "blue")
    report = import_annotations(lib, older)
    assert (report.updated, report.unchanged) == (0, 6)
    h = lib.highlight(hls["tea"].uuid)
    assert (h.note, h.color, h.tags) == ("数据", "orange", ["民生", "经济"])

    # a little ahead of this clock (another computer's): accepted; far ahead is refused (see
    # tests/test_adversarial_annotations.py)
    soon = (datetime.now(UTC) + timedelta(hours=2)).isoformat(timespec="seconds")
    newer = variant("新的说法", soon, "purple")
    report = import_annotations(lib, newer)
    assert (report.updated, report.unchanged) == (1, 5)
    h = lib.highlight(hls["tea"].uuid)
    assert (h.note, h.color, h.tags, h.updated) == ("新的说法", "purple", ["新标签"], soon)
    assert lib.article(h.article_id).body[h.start:h.end] == h.quote
    assert len(lib.highlights()) == 6
    # a local edit (stamped now, before the file's time) is older than the file: it wins again
    lib.update_highlight(h.uuid, note="本地改过")
    report = import_annotations(lib, newer)
    assert report.updated == 1 and lib.highlight(h.uuid).note == "新的说法"
    report = import_annotations(lib, newer)
    assert (report.updated, report.unchanged) == (0, 6)  # same timestamp: nothing to do


def test_articles_matched_by_url_and_title_and_missing_ones_skipped(tmp_path: Path) -> None:
    entry = wechat_entry("", "无标识的文章", ["第一句话说的是城市。", "第二句话说的是乡村。"],
                         url="https://example.org/news/1")
    del entry["文章标识符aid"]
    src = write_wechat(tmp_path / "in.json", [entry])
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([src])
        (art,) = lib.articles()
        anns = [
            {  # another tool's annotation: an http id, the page url as source, a quote only
                "@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://hyp.example/a/1",
                "type": "Annotation", "bodyValue": "外来的批注",
                "target": {"source": "https://example.org/news/1",
                           "selector": {"type": "TextQuoteSelector", "exact": "说的是乡村"}},
            },
            {
                "id": "urn:uuid:0b7c1b8e-58d5-4d7e-9a3c-2f4f6f3e9a10", "type": "Annotation",
                "created": "2026-01-01T00:00:00+00:00",
                "target": {"source": "pizhu://article/00000000-0000-0000-0000-000000000000",
                           "pizhu:article": {"title": "无标识的文章"},
                           "selector": [{"type": "TextPositionSelector", "start": 0, "end": 3}]},
            },
            {
                "id": "urn:uuid:1b7c1b8e-58d5-4d7e-9a3c-2f4f6f3e9a11", "type": "Annotation",
                "target": {"source": "pizhu://article/00000000-0000-0000-0000-000000000001",
                           "pizhu:article": {"title": "别的文章", "externalId": "nope"},
                           "selector": [{"type": "TextQuoteSelector", "exact": "城市"}]},
            },
            {"id": "urn:uuid:2b7c1b8e-58d5-4d7e-9a3c-2f4f6f3e9a12", "type": "Annotation"},
        ]
        path = tmp_path / "foreign.json"
        path.write_text(json.dumps(anns, ensure_ascii=False), encoding="utf-8")
        report = import_annotations(lib, path)
        assert (report.total, report.imported) == (4, 2)
        reasons = [r for _, r in report.skipped]
        assert any("not in this library" in r and "别的文章" in r for r in reasons)
        assert any("no target" in r for r in reasons)
        hls = sorted(lib.highlights(article_id=art.id), key=lambda h: h.start)
        assert [h.quote for h in hls] == ["第一句", "说的是乡村"]
        assert hls[1].note == "外来的批注"
        again = import_annotations(lib, path)
        assert again.imported == 0 and again.unchanged == 2
        assert len(lib.highlights()) == 2


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"{not json", "not valid JSON (line 1"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b'{"hello": 1}', "not a Web Annotation file"),
])
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with Library.open(tmp_path / "lib") as lib, pytest.raises(AnnotationImportError) as e:
        import_annotations(lib, path)
    assert str(path) in str(e.value) and reason in str(e.value)


def test_missing_file(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as lib, pytest.raises(AnnotationImportError) as e:
        import_annotations(lib, tmp_path / "nope.json")
    assert "nope.json: cannot read (no such file" in str(e.value)
