"""Adversarial probes of exports, annotation files, ids, links and folder imports (issue 15,
items 3, 10, 11, 13): each ends in success or one readable line, and the library stays intact."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from adversarial_kit import assert_intact, in_thread, make_library, run

from reader.cli import commands as cli
from reader.core import fileguard
from reader.core.exporters import ExportError, Selection, export_dir
from reader.core.exporters.markdown import render as render_markdown
from reader.core.exporters.markdown import safe_url
from reader.core.importers import iter_import_files
from reader.core.library import Library
from reader.core.links import parse_link


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_library(tmp_path_factory.mktemp("adv-cli"))


@pytest.fixture
def lib_dir(pristine, tmp_path) -> Path:
    import shutil

    dst = tmp_path / "lib"
    shutil.copytree(pristine, dst)
    return dst


# ---------------------------------------------------------------------- item 3: export -o
def test_export_never_replaces_the_library_or_a_device(lib_dir, tmp_path, capsys):
    db = lib_dir / "library.db"
    before = db.read_bytes()
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    targets = [db, lib_dir / "notes.md", lib_dir / "index", fifo]
    targets += [Path(p) for p in ("/dev/full", "/dev/null") if os.path.exists(p)]
    for target in targets:
        for force in ([], ["--force"]):
            rc, _out, err = run(capsys, "--library", str(lib_dir), "export", "--all", "-o",
                                str(target), *force)
            assert rc == 1, (target, err)
            assert ("library folder" in err or "not a regular file" in err), err
    assert db.read_bytes() == before
    assert fifo.is_fifo() and not (lib_dir / "notes.md").exists()
    assert_intact(lib_dir)


def test_export_replaces_an_existing_file_only_with_force(lib_dir, tmp_path, capsys):
    out = tmp_path / "notes.md"
    out.write_text("我自己写的笔记", encoding="utf-8")
    rc, _out, err = run(capsys, "--library", str(lib_dir), "export", "--all", "-o", str(out))
    assert rc == 1 and "already exists" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "我自己写的笔记"
    rc, _out, _err = run(capsys, "--library", str(lib_dir), "export", "--all", "-o", str(out),
                         "--force")
    assert rc == 0 and "第一条批注" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib", "notes.md"]


def test_export_into_a_folder_numbers_names_already_taken(lib_dir, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with Library.open(lib_dir) as lib:
        first = export_dir(lib, Selection(everything=True), "markdown", folder)
        mine = first[0]
        mine.write_text("改过的", encoding="utf-8")
        os.mkfifo(folder / (first[1].stem + " (2).md"))  # a FIFO under a name it would take
        second = export_dir(lib, Selection(everything=True), "markdown", folder)
        assert mine.read_text(encoding="utf-8") == "改过的"
        assert not set(second) & set(first)
        assert all(p.is_file() for p in second)
        forced = export_dir(lib, Selection(everything=True), "markdown", folder, overwrite=True)
        assert sorted(forced) == sorted(first)
        assert "改过的" not in mine.read_text(encoding="utf-8")
        with pytest.raises(ExportError, match="library folder"):
            export_dir(lib, Selection(everything=True), "markdown", lib_dir)


def test_export_to_a_folder_that_cannot_be_written_is_one_line(lib_dir, tmp_path, capsys,
                                                                monkeypatch):
    # /proc refuses new files even to root; TMPDIR pointing nowhere must not matter either
    monkeypatch.setenv("TMPDIR", str(tmp_path / "no such temp dir"))
    rc, _out, err = run(capsys, "--library", str(lib_dir), "export", "--all", "-o",
                        "/proc/self/pizhu-export.md")
    assert rc == 1 and "/proc/self/pizhu-export.md" in err and "cannot write" in err, err


# ---------------------------------------------------------------------- item 13: Markdown links
HOSTILE_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                "java\tscript:alert(1)", "java\nscript:alert(1)", "\x01javascript:alert(1)",
                "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
                "file:///etc/passwd", "javascript&colon;alert(1)", "//evil.example/x",
                "ｊavascript:alert(1)"]


def test_markdown_export_links_only_http_https_and_pizhu(lib_dir):
    for url in HOSTILE_URLS:
        assert not safe_url(url), url
    for url in ("https://mp.weixin.qq.com/s/abc", "http://example.org/a?b=1",
                "HTTPS://EXAMPLE.ORG"):
        assert safe_url(url), url
    from reader.core.exporters import collect

    with Library.open(lib_dir) as lib:
        aid = lib.articles()[0].id
        for url in [*HOSTILE_URLS, "https://example.org/a>b"]:
            with lib.store.transaction() as tx:
                tx.execute("UPDATE articles SET url = ? WHERE id = ?", (url, aid))
            text = render_markdown(collect(lib, Selection(article_ids=[aid])))
            link_targets = [part.split(")", 1)[0] for part in text.split("](")[1:]]
            for target in link_targets:
                target = target.strip("<>").lstrip()
                assert target.startswith(("pizhu://", "https://")), (url, target)
            assert "](<https://example.org/a%3Eb>)" in text or url in HOSTILE_URLS


# ---------------------------------------------------------------------- item 10: ids and links
def test_superscript_and_huge_ids_are_one_line(lib_dir, capsys):
    for ref in ("²", "١٢", "99999999999999999999999", "9" * 5000, "9223372036854775808"):
        for argv in (["show", ref], ["versions", ref], ["highlights", "--article", ref],
                     ["export", "--article", ref]):
            rc, _out, err = run(capsys, "--library", str(lib_dir), *argv)
            assert rc in (1, 2) and err.startswith("pizhu"), (argv, err)
            assert len(err) < 400
    for argv in (["list", "--limit", "99999999999999999999"], ["search", "小城", "--limit", "²"],
                 ["highlights", "--limit", "-1"]):
        rc, _out, err = run(capsys, "--library", str(lib_dir), *argv)
        assert rc == 2 and "count" in err, err
    assert_intact(lib_dir)


def test_long_links_are_not_links(lib_dir, capsys):
    long = "pizhu://article/" + "a" * 5000
    assert parse_link(long) is None
    assert parse_link("pizhu://article/" + "%41" * 3000) is None
    rc, _out, err = run(capsys, "--library", str(lib_dir), "open", long)
    assert rc == 2 and "not a Pizhu link" in err
    # the GUI's argument check does not stat a 5,000-character name (ENAMETOOLONG)
    assert cli.files_to_open([long], {"open"}) == ([], [long])
    assert cli.files_to_open(["x" * 5000], {"open"}) is None


def test_deeply_nested_socket_message_is_not_a_request():
    single_instance = pytest.importorskip("reader.ui.single_instance")
    for raw in (b"[" * 200_000 + b"]" * 200_000, b'{"paths": ' + b"[" * 100_000 + b"}",
                b'{"paths": [' + b"9" * 5000 + b"]}"):
        assert single_instance.Request.from_bytes(raw) is None


# ---------------------------------------------------------------------- items 10, 11: annotation files
def _annotation(start: object, end: object) -> dict:
    return {"type": "Annotation", "id": "urn:uuid:5c1f1a8e-1d1b-4c1e-9a53-2f0e0e7b8a11",
            "bodyValue": "批注", "target": {"source": "pizhu://article/unknown", "selector": [
                {"type": "TextPositionSelector", "start": start, "end": end}]}}


REPORTED = {"huge-start.json", "float.json"}  # valid files whose one annotation is skipped


def test_hostile_annotation_files_are_one_line(lib_dir, tmp_path, capsys):
    cases = {
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "deep-dict.json": '{"type": "AnnotationPage", "items": ' + "[" * 50_000 + "}",
        "digits.json": json.dumps(_annotation(0, 1)).replace('"end": 1', '"end": ' + "9" * 5000),
        "huge-start.json": json.dumps(_annotation(2**70, 2**70 + 5)),
        "float.json": json.dumps(_annotation(0, 1)).replace('"end": 1', '"end": 1e999999'),
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        rc, out, err = run(capsys, "--library", str(lib_dir), "import-annotations", str(path),
                           one_line=name not in REPORTED)
        assert rc == 1 and name in err, (name, err)
        assert len(err.splitlines()) == 1, err
        if name in REPORTED:  # the file is fine, this annotation is skipped
            assert "1 skipped" in out and "TextPositionSelector" in err, (out, err)
    assert_intact(lib_dir)


def test_annotation_import_reads_no_device_fifo_or_giant_file(lib_dir, tmp_path, capsys):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    giant = tmp_path / "giant.json"
    with open(giant, "wb") as f:  # sparse: takes no room
        f.truncate(200 << 20)
    for src, reason in [(fifo, "not a regular file"), (giant, "too large"),
                        *[(Path(p), "not a regular file") for p in ("/dev/zero", "/dev/urandom")
                          if os.path.exists(p)]]:
        rc, _out, err = in_thread(lambda s=src: run(capsys, "--library", str(lib_dir),
                                                    "import-annotations", str(s)))
        assert rc == 1 and reason in err and str(src) in err, err
    with pytest.raises(fileguard.TooLarge):
        fileguard.read_bounded(giant, 1 << 20)


# ---------------------------------------------------------------------- item 11: folder walks
def test_a_folder_import_stays_inside_the_chosen_folder(tmp_path):
    top = tmp_path / "top"
    (top / "sub").mkdir(parents=True)
    (top / "sub" / "a.txt").write_text("标题\n正文。\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("外面\n不该导入。\n", encoding="utf-8")
    (top / "root").symlink_to("/")
    (top / "out").symlink_to(outside)
    (top / "sub" / "loop").symlink_to(top)
    (top / "sub" / "again").symlink_to(top / "sub")
    (top / "inner").symlink_to(top / "sub")  # inside the chosen folder: allowed, walked once
    found = in_thread(lambda: list(iter_import_files([top])))
    assert found == [(top / "inner" / "a.txt", None)] or found == [
        (top / "sub" / "a.txt", None)], found


def test_a_folder_import_with_a_link_to_root_ends_quickly_through_the_cli(tmp_path, capsys):
    top = tmp_path / "inbox"
    top.mkdir()
    (top / "a.txt").write_text("小城新闻\n小城的一条新闻。\n", encoding="utf-8")
    (top / "everything").symlink_to("/")
    rc, out, _err = in_thread(lambda: run(capsys, "--library", str(tmp_path / "lib"), "import",
                                          str(top)))
    assert rc == 0 and "1 files" in out
    assert_intact(tmp_path / "lib", articles=1)
