"""The management commands of the `pizhu` CLI (issue 14), run through reader.cli.main:
edit, delete, trash, annotate, tag list|rename|merge|delete — exit codes and --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli.commands import main

ARTICLES = {
    "a.txt": ("河口湿地迎来候鸟", "成群的白鹭在浅滩觅食，观鸟的人带着长焦镜头。"),
    "b.txt": ("山区公路通上公交", "每天四班车，村民进城看病不用再搭便车。"),
    "c.txt": ("古镇老宅修缮完工", "工匠按原样更换了梁柱，门楼上的砖雕保留下来。"),
}


@pytest.fixture
def lib_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name, (title, body) in ARTICLES.items():
        (src / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    lib = tmp_path / "lib"
    assert main(["--library", str(lib), "import", str(src)]) == 0
    capsys.readouterr()
    return lib


def run(lib: Path, *args: str) -> int:
    return main(["--library", str(lib), *args])


def run_json(lib: Path, capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code = run(lib, *args, "--json")
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def ids(lib: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    return {a["title"]: a["id"] for a in run_json(lib, capsys, "list")}


def test_edit_fields_and_tags(lib_dir, capsys):
    t = ids(lib_dir, capsys)
    a, b = str(t["河口湿地迎来候鸟"]), str(t["山区公路通上公交"])
    out = run_json(lib_dir, capsys, "edit", a, b, "--source", "江城晚报", "--date", "2026-1-5",
                   "--add-tag", "民生/交通", "--add-tag", "生态")
    assert out["changed"] == 2
    assert {(x["source"], x["date"]) for x in out["articles"]} == {("江城晚报", "2026-01-05")}
    assert all(x["tags"] == ["民生/交通", "生态"] for x in out["articles"])
    assert run(lib_dir, "edit", a, "--title", "河口湿地的白鹭", "--remove-tag", "生态") == 0
    assert "1 of 1 articles changed" in capsys.readouterr().out
    shown = run_json(lib_dir, capsys, "show", a)
    assert shown["title"] == "河口湿地的白鹭" and shown["tags"] == ["民生/交通"]
    found = run_json(lib_dir, capsys, "search", "白鹭")
    assert [h["id"] for h in found["hits"]] == [int(a)]
    listed = run_json(lib_dir, capsys, "list", "--tag", "民生")  # the parent finds the child
    assert {x["id"] for x in listed} == {int(a), int(b)}


def test_edit_errors(lib_dir, capsys):
    a = str(ids(lib_dir, capsys)["古镇老宅修缮完工"])
    assert run(lib_dir, "edit", a) == 2  # nothing to change
    assert "nothing to change" in capsys.readouterr().err
    assert run(lib_dir, "edit", a, "--date", "2026-02-30") == 2
    assert "--date" in capsys.readouterr().err
    assert run(lib_dir, "edit", a, "--title", " ") == 2
    capsys.readouterr()
    assert run(lib_dir, "edit", "9999", "--source", "某报") == 1
    assert "no article" in capsys.readouterr().err
    assert run_json(lib_dir, capsys, "show", a)["source"] == ""


def test_delete_trash_restore_empty(lib_dir, capsys):
    t = ids(lib_dir, capsys)
    a, b = t["河口湿地迎来候鸟"], t["山区公路通上公交"]
    assert run_json(lib_dir, capsys, "delete", str(a), str(b)) == {"trashed": 2, "ids": [a, b]}
    assert set(ids(lib_dir, capsys)) == {"古镇老宅修缮完工"}
    trash = run_json(lib_dir, capsys, "trash")
    assert {x["id"] for x in trash} == {a, b} and all(x["trashed_at"] for x in trash)
    assert run(lib_dir, "trash") == 0
    assert "2 articles in the trash" in capsys.readouterr().err
    assert run_json(lib_dir, capsys, "search", "白鹭")["hits"] == []
    assert run_json(lib_dir, capsys, "trash", "--restore", str(a)) == {"restored": 1, "ids": [a]}
    assert "河口湿地迎来候鸟" in ids(lib_dir, capsys)
    assert run(lib_dir, "trash", "--restore", str(a)) == 1  # not in the trash any more
    assert "not in the trash" in capsys.readouterr().err
    assert run(lib_dir, "trash", "--restore", str(b), "--empty") == 2
    capsys.readouterr()
    assert run_json(lib_dir, capsys, "trash", "--empty") == {"deleted": 1}
    assert run_json(lib_dir, capsys, "trash") == []
    assert run(lib_dir, "show", str(b)) == 1
    capsys.readouterr()
    assert run(lib_dir, "delete", "9999") == 1


def test_annotate_one_highlight(lib_dir, capsys):
    a = str(ids(lib_dir, capsys)["古镇老宅修缮完工"])
    h = run_json(lib_dir, capsys, "highlight", a, "--quote", "砖雕", "--tag", "建筑")
    out = run_json(lib_dir, capsys, "annotate", h["uuid"], "--note", "清代的", "--color", "blue",
                   "--tag", "建筑/古建", "--tag", "工艺")
    assert (out["note"], out["color"], out["tags"]) == ("清代的", "blue", ["工艺", "建筑/古建"])
    assert run(lib_dir, "annotate", h["uuid"][:8], "--note", "") == 0  # a unique prefix
    assert "砖雕" in capsys.readouterr().out
    assert run(lib_dir, "annotate", h["uuid"]) == 2
    assert run(lib_dir, "annotate", h["uuid"], "--delete", "--note", "x") == 2
    assert run(lib_dir, "annotate", "no-such-highlight", "--note", "x") == 1
    capsys.readouterr()
    assert run_json(lib_dir, capsys, "annotate", h["uuid"], "--delete") == {"deleted": h["uuid"]}
    assert run_json(lib_dir, capsys, "highlights", "--article", a) == []


def test_tag_commands(lib_dir, capsys):
    t = ids(lib_dir, capsys)
    a, b = str(t["河口湿地迎来候鸟"]), str(t["山区公路通上公交"])
    assert run(lib_dir, "edit", a, "--add-tag", "生态/湿地") == 0
    assert run(lib_dir, "edit", b, "--add-tag", "民生") == 0
    capsys.readouterr()
    run_json(lib_dir, capsys, "highlight", a, "--quote", "白鹭", "--tag", "生态/鸟类")
    tags = run_json(lib_dir, capsys, "tag", "list")
    assert tags == [
        {"name": "民生", "articles": 1, "highlights": 0},
        {"name": "生态", "articles": 1, "highlights": 1},
        {"name": "生态/湿地", "articles": 1, "highlights": 0},
        {"name": "生态/鸟类", "articles": 0, "highlights": 1},
    ]
    assert run(lib_dir, "tag", "list") == 0
    assert "  湿地" in capsys.readouterr().out  # nested

    out = run_json(lib_dir, capsys, "tag", "rename", "生态", "环境")
    assert out["renamed"] == {"生态/湿地": "环境/湿地", "生态/鸟类": "环境/鸟类"}
    assert (out["articles"], out["highlights"]) == (1, 1)
    out = run_json(lib_dir, capsys, "tag", "merge", "民生", "环境/湿地", "--into", "社会")
    assert out["renamed"] == {"民生": "社会", "环境/湿地": "社会"}
    assert run(lib_dir, "tag", "delete", "环境") == 0
    assert "deleted: 0 articles, 1 highlights changed" in capsys.readouterr().out
    assert [x["name"] for x in run_json(lib_dir, capsys, "tag", "list")] == ["社会"]

    assert run(lib_dir, "tag", "delete", "没有") == 1
    assert run(lib_dir, "tag", "rename", "社会", "社会/子") == 1
    with pytest.raises(SystemExit) as exc:  # argparse: --into is required
        run(lib_dir, "tag", "merge", "社会")
    assert exc.value.code == 2
    capsys.readouterr()


def test_list_without_source_or_date(lib_dir, capsys):
    t = ids(lib_dir, capsys)
    a = t["河口湿地迎来候鸟"]
    assert run(lib_dir, "edit", str(a), "--source", "江城晚报", "--date", "2026-03-01") == 0
    capsys.readouterr()
    others = {i for i in t.values() if i != a}
    assert {x["id"] for x in run_json(lib_dir, capsys, "list", "--no-source")} == others
    assert {x["id"] for x in run_json(lib_dir, capsys, "list", "--undated")} == others
    assert [x["id"] for x in run_json(lib_dir, capsys, "list", "--source", "江城晚报")] == [a]
