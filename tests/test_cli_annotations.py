"""The annotation commands of the `pizhu` CLI, run through reader.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from annotation_fixtures import ARTICLE_A, wechat_entry, write_articles, write_wechat

from reader.cli.commands import main


@pytest.fixture
def lib_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    lib = tmp_path / "lib"
    write_articles(tmp_path / "in")
    assert main(["--library", str(lib), "import", str(tmp_path / "in")]) == 0
    capsys.readouterr()
    return lib


def run(lib: Path, *args: str) -> int:
    return main(["--library", str(lib), *args])


def run_json(lib: Path, capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert run(lib, *args, "--json") == 0
    return json.loads(capsys.readouterr().out)


def _article_ids(lib: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    assert run(lib, "list", "--json") == 0
    return {a["title"]: a["id"] for a in json.loads(capsys.readouterr().out)}


def test_highlight_and_recall(lib_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _article_ids(lib_dir, capsys)
    lib_id = str(ids["小城图书馆扩建"])
    h = run_json(lib_dir, capsys, "highlight", lib_id, "--quote", "读书的孩子", "--color",
                 "green", "--note", "热闹", "--tag", "阅读", "--tag", "教育")
    assert h["quote"] == "读书的孩子" and h["color"] == "green" and h["note"] == "热闹"
    assert h["tags"] == ["教育", "阅读"] and h["article_title"] == "小城图书馆扩建"
    assert h["end"] - h["start"] == 5
    assert h["link"] == f"pizhu://article/{h['article_uuid']}#highlight={h['uuid']}"

    # first occurrence; full-width/half-width blind
    tea = run_json(lib_dir, capsys, "highlight", str(ids["秋茶采摘忙"]), "--quote",
                   "负责人介绍,线上订单", "--tag", "经济")
    assert tea["quote"] == "负责人介绍，线上订单"
    # by offsets
    assert run(lib_dir, "highlight", lib_id, "--start", "0", "--end", "2") == 0
    assert "“春天”" in capsys.readouterr().out

    out = run_json(lib_dir, capsys, "highlights", "--tag", "阅读")
    assert [x["uuid"] for x in out] == [h["uuid"]]
    assert set(out[0]) >= {"uuid", "article_id", "article_title", "quote", "start", "end",
                           "color", "note", "tags"}
    assert run_json(lib_dir, capsys, "highlights", "--tag", "阅读", "--tag", "经济") == []
    both = run_json(lib_dir, capsys, "highlights", "--tag", "阅读", "--tag", "经济", "--any")
    assert {x["uuid"] for x in both} == {h["uuid"], tea["uuid"]}
    mine = run_json(lib_dir, capsys, "highlights", "--article", lib_id)
    assert [x["start"] for x in mine] == sorted(x["start"] for x in mine) and len(mine) == 2
    assert run(lib_dir, "highlights") == 0
    text = capsys.readouterr().out
    assert "“读书的孩子” — 热闹 #教育 #阅读" in text and h["uuid"] in text


def test_highlight_errors(lib_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _article_ids(lib_dir, capsys)
    aid = str(ids["秋茶采摘忙"])
    assert run(lib_dir, "highlight", aid, "--quote", "不存在的句子") == 1
    err = capsys.readouterr().err
    assert "“不存在的句子” does not occur in article" in err and "秋茶采摘忙" in err
    assert "Traceback" not in err
    assert run(lib_dir, "highlight", aid) == 2
    assert "--quote" in capsys.readouterr().err
    assert run(lib_dir, "highlight", aid, "--start", "3") == 2
    assert run(lib_dir, "highlight", aid, "--start", "0", "--end", "2", "--quote", "别的") == 1
    assert "not “别的”" in capsys.readouterr().err
    assert run(lib_dir, "highlight", aid, "--start", "5", "--end", "99999") == 1
    assert "outside" in capsys.readouterr().err
    assert run(lib_dir, "highlight", "no-such-article", "--quote", "秋") == 2
    assert run(lib_dir, "highlight", "9999", "--quote", "秋") == 1
    with pytest.raises(SystemExit) as e:
        run(lib_dir, "highlight", aid, "--quote", "秋雨", "--color", "black")
    assert e.value.code == 2
    assert run_json(lib_dir, capsys, "highlights") == []  # nothing half-made


def test_export_and_import_annotations(lib_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    ids = _article_ids(lib_dir, capsys)
    for title, quote, tag in (("小城图书馆扩建", "绝版的地方志", "文化"),
                              ("秋茶采摘忙", "烘焙设备", "经济"),
                              ("社区食堂开张记", "两荤两素", "民生")):
        assert run(lib_dir, "highlight", str(ids[title]), "--quote", quote, "--tag", tag) == 0
    capsys.readouterr()

    assert run(lib_dir, "export", "--all", "--format", "markdown") == 0
    md = capsys.readouterr().out
    assert md.startswith("# Pizhu 批注导出") and "> 绝版的地方志" in md

    assert run(lib_dir, "export", "--tag", "经济", "--format", "csv") == 0
    csv_text = capsys.readouterr().out
    assert "烘焙设备" in csv_text and "两荤两素" not in csv_text

    assert run(lib_dir, "export", "--article", str(ids["社区食堂开张记"]), "--format",
               "markdown") == 0
    assert "两荤两素" in capsys.readouterr().out

    out = tmp_path / "all.json"
    assert run(lib_dir, "export", "--all", "--format", "json", "-o", str(out)) == 0
    assert f"wrote 3 highlights from 3 articles to {out}" in capsys.readouterr().err
    assert json.loads(out.read_text(encoding="utf-8"))["total"] == 3

    folder = tmp_path / "per-article"
    folder.mkdir()
    assert run(lib_dir, "export", "--all", "--format", "markdown", "-o", str(folder)) == 0
    assert len(list(folder.glob("*.md"))) == 3

    assert run(lib_dir, "export", "--format", "json") == 2
    assert "--all" in capsys.readouterr().err
    assert run(lib_dir, "export", "--all", "-o", str(tmp_path / "x" / ".." / "y.md")) == 1
    assert "'..'" in capsys.readouterr().err

    # into another library holding the same articles
    other = tmp_path / "other"
    assert main(["--library", str(other), "import", str(tmp_path / "in")]) == 0
    capsys.readouterr()
    report = run_json(other, capsys, "import-annotations", str(out))
    assert (report["imported"], report["unchanged"], report["skipped"]) == (3, 0, [])
    report = run_json(other, capsys, "import-annotations", str(out))
    assert (report["imported"], report["unchanged"]) == (0, 3)
    assert run(other, "import-annotations", str(out)) == 0
    assert "3 annotations: 0 imported, 0 updated, 3 unchanged" in capsys.readouterr().out
    assert len(run_json(other, capsys, "highlights")) == 3

    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    assert run(other, "import-annotations", str(bad)) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "not valid JSON" in err and "Traceback" not in err

    # an annotation whose article is missing: reported, exit code 1, the others imported
    empty = tmp_path / "empty-lib"
    assert main(["--library", str(empty), "import", str(tmp_path / "in" / "canteen.txt")]) == 0
    capsys.readouterr()
    assert run(empty, "import-annotations", str(out)) == 1
    captured = capsys.readouterr()
    assert "1 imported" in captured.out and "2 skipped" in captured.out
    assert "not in this library (小城图书馆扩建)" in captured.err


def test_versions_command(lib_dir: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    ids = _article_ids(lib_dir, capsys)
    aid = str(ids["小城图书馆扩建"])
    assert run(lib_dir, "highlight", aid, "--quote", "为了方便老人", "--note", "适老化") == 0
    fixed = [ARTICLE_A[0].replace("新芽", "嫩芽"), *ARTICLE_A[1:3], "阅览室还添置了大字本。"]
    write_wechat(tmp_path / "fix.json", [wechat_entry("wx-0001", "小城图书馆扩建", fixed)])
    assert main(["--library", str(lib_dir), "import", str(tmp_path / "fix.json")]) == 0
    capsys.readouterr()

    assert run(lib_dir, "versions", aid, "--diff") == 0
    out = capsys.readouterr().out
    assert "2 versions" in out and "v1" in out and "fix.json" in out
    assert "[-新-]{+嫩+}" in out and "[-为了方便老人，-]" in out
    data = run_json(lib_dir, capsys, "versions", aid, "--diff")
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["versions"][-1]["current"] is True
    assert any(h["inserted"] == "嫩" for h in data["diffs"][0]["hunks"])

    orphans = run_json(lib_dir, capsys, "highlights", "--orphans")
    assert [(o["quote"], o["note"], o["orphan"]) for o in orphans] == [
        ("为了方便老人", "适老化", True)]
    assert run(lib_dir, "highlights", "--orphans") == 0
    assert "orphan" in capsys.readouterr().out


def test_backup_and_restore_commands(lib_dir: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    ids = _article_ids(lib_dir, capsys)
    assert run(lib_dir, "highlight", str(ids["秋茶采摘忙"]), "--quote", "秋茶") == 0
    capsys.readouterr()
    archive = tmp_path / "backup.zip"
    info = run_json(lib_dir, capsys, "backup", str(archive))
    assert (info["articles"], info["highlights"]) == (3, 1) and archive.is_file()

    target = tmp_path / "restored"
    assert main(["restore", str(archive), "--library", str(target)]) == 0
    assert "restored 3 articles and 1 highlights" in capsys.readouterr().out
    assert run(target, "search", "秋茶", "--json") == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1
    assert len(run_json(target, capsys, "highlights")) == 1

    # the global --library form works too, and a non-empty folder is refused
    assert main(["--library", str(target), "restore", str(archive)]) == 1
    assert "not empty" in capsys.readouterr().err
    second = tmp_path / "second"
    assert main(["--library", str(second), "restore", str(archive), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == 3

    notzip = tmp_path / "notes.txt"
    notzip.write_text("随便写的", encoding="utf-8")
    assert main(["restore", str(notzip), "--library", str(tmp_path / "r3")]) == 1
    err = capsys.readouterr().err
    assert str(notzip) in err and "not a zip archive" in err
    assert not (tmp_path / "r3").exists()


def test_open_link(lib_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _article_ids(lib_dir, capsys)
    h = run_json(lib_dir, capsys, "highlight", str(ids["秋茶采摘忙"]), "--quote", "烘焙设备",
                 "--note", "新设备")
    assert run(lib_dir, "open", h["link"]) == 0
    out = capsys.readouterr().out
    assert "秋茶采摘忙" in out and "引进了新的【烘焙设备】" in out and "批注：新设备" in out
    data = run_json(lib_dir, capsys, "open", h["link"])
    assert data["highlight"]["uuid"] == h["uuid"] and data["article"]["id"] == h["article_id"]
    assert run(lib_dir, "open", h["link"].split("#")[0]) == 0
    assert "一场秋雨过后" in capsys.readouterr().out
    assert run(lib_dir, "open", "https://example.org/") == 2
    assert run(lib_dir, "open", "pizhu://article/00000000-0000-0000-0000-000000000000") == 1
    assert "no article" in capsys.readouterr().err


def test_commands_need_an_existing_library(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    for args in (["highlights"], ["export", "--all"], ["backup", str(tmp_path / "b.zip")],
                 ["versions", "1"], ["highlight", "1", "--quote", "x"]):
        assert run(missing, *args) == 1
        assert "no Pizhu library here" in capsys.readouterr().err
    assert not missing.exists()
