"""Version history and readable diffs between versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from annotation_fixtures import ARTICLE_B, wechat_entry, write_wechat

from reader.core.library import Library, LibraryError
from reader.core.versions import DELETE, EQUAL, INSERT, diff, history, hunks, render_hunk, summary

OLD = "春天来到江南小城，河边的柳树抽出了新芽。\n镇上的图书馆今年扩建了阅览室。\n馆长说新书大多来自捐赠。"
NEW = "春天来到江南小城，河边的柳树抽出了嫩芽。\n镇上的图书馆今年扩建了阅览室。\n馆长说，新书大多来自市民捐赠。"


def test_diff_chunks_rebuild_both_texts() -> None:
    chunks = diff(OLD, NEW)
    assert "".join(t for op, t in chunks if op != INSERT) == OLD
    assert "".join(t for op, t in chunks if op != DELETE) == NEW
    assert diff(OLD, OLD) == [(EQUAL, OLD)]


def test_hunks_are_located_with_context() -> None:
    hs = hunks(OLD, NEW, context=6)
    assert [h.line for h in hs] == [1, 3]
    first, second = hs
    assert (first.deleted, first.inserted) == ("新", "嫩")
    assert OLD[first.old_start:first.old_end] == "新"
    assert NEW[first.new_start:first.new_end] == "嫩"
    assert render_hunk(first) == "的柳树抽出了[-新-]{+嫩+}芽。⏎镇上的"
    assert "，" in second.inserted and "市民" in second.inserted
    assert NEW[second.new_start:second.new_end].startswith("，")
    assert "\x1b[31m" in render_hunk(first, color=True)
    assert summary(OLD, NEW) == {"deleted": 1, "inserted": 4, "places": 3}
    assert hunks(OLD, OLD) == []
    j = first.to_json()
    assert j["deleted"] == "新" and j["inserted"] == "嫩" and j["line"] == 1


def test_history_lists_versions_oldest_first(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([write_wechat(tmp_path / "v1.json",
                                       [wechat_entry("wx-9", "秋茶", ARTICLE_B)])])
        (art,) = lib.articles()
        assert [v.number for v in history(lib, art.id)] == [1]
        changed = [ARTICLE_B[0].replace("秋雨", "秋风"), *ARTICLE_B[1:]]
        lib.import_paths([write_wechat(tmp_path / "v2.json",
                                       [wechat_entry("wx-9", "秋茶采摘", changed)])])
        vs = history(lib, art.id)
        assert [(v.number, v.current) for v in vs] == [(1, False), (2, True)]
        assert [v.title for v in vs] == ["秋茶", "秋茶采摘"]
        assert "v2.json" in vs[0].reason and vs[1].reason == ""
        (h,) = hunks(vs[0].body, vs[1].body)
        assert (h.deleted, h.inserted) == ("雨", "风")
        assert vs[0].to_json()["characters"] == len(vs[0].body)
        assert "body" in vs[0].to_json(with_body=True)
        with pytest.raises(LibraryError):
            history(lib, 999)
