"""Many highlights changed in one transaction (reader.core.highlight_batch): colour, tags,
deletion; the old values it returns undo it exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.highlight_batch import change_highlights
from reader.core.library import Library


@pytest.fixture
def lib(lib: Library, tmp_path: Path) -> Library:
    src = tmp_path / "a.txt"
    src.write_text("港口城市的夜间经济\n\n夜市沿着老码头铺开，灯火一直亮到凌晨。摊主们说，游客比去年多了不少。\n",
                   encoding="utf-8")
    lib.import_paths([src], update_index=False)  # conftest's library, stocked
    return lib


def _marks(lib: Library):
    a = lib.articles(limit=None)[0]
    body = lib.article(a.id).body
    out = []
    for q, tags in (("夜市", ["夜间"]), ("灯火", ["夜间", "城市"]), ("摊主", [])):
        s = body.index(q)
        out.append(lib.add_highlight(a.id, s, s + len(q), tags=tags))
    return out


def test_one_batch_and_its_undo(lib):
    h1, h2, h3 = _marks(lib)
    seen = []
    lib.subscribe(lambda kind, payload: seen.append(kind))
    before = change_highlights(lib, {
        h1.uuid: {"color": "green", "tags": ["夜间", "复盘"]},
        h2.uuid: {"tags": []},
        h3.uuid: {"deleted": True, "color": "yellow"},  # the colour is already yellow
        "00000000-0000-0000-0000-000000000000": {"color": "blue"},
    })
    assert before == {h1.uuid: {"color": "yellow", "tags": ["夜间"]},
                      h2.uuid: {"tags": ["城市", "夜间"]},
                      h3.uuid: {"deleted": False}}
    assert lib.highlight(h1.uuid).color == "green"
    assert lib.highlight(h1.uuid).tags == ["复盘", "夜间"]
    assert lib.highlight(h2.uuid).tags == [] and lib.highlight(h3.uuid).deleted
    assert "城市" not in {t.name for t in lib.tags()}  # unused now
    assert "highlights" in seen
    again = change_highlights(lib, before)
    assert lib.highlight(h1.uuid).color == "yellow" and lib.highlight(h1.uuid).tags == ["夜间"]
    assert lib.highlight(h2.uuid).tags == ["城市", "夜间"] and not lib.highlight(h3.uuid).deleted
    assert again[h3.uuid] == {"deleted": True}
    assert change_highlights(lib, {h1.uuid: {"color": "yellow"}}) == {}  # nothing to do


def test_only_batch_fields(lib):
    h1, _h2, _h3 = _marks(lib)
    with pytest.raises(ValueError, match="note"):
        change_highlights(lib, {h1.uuid: {"note": "x"}})
