"""`pizhu export-article`: an article's text as Markdown with its structure and its pictures
copied beside it (issue 13)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.cli.commands import main as cli_main

FIXTURES = Path(__file__).parent / "fixtures" / "wechat"


def test_an_exported_article_keeps_headings_emphasis_and_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = str(tmp_path / "lib")
    assert cli_main(["--library", lib, "import", str(FIXTURES / "exporter"),
                     str(FIXTURES / "article_page.html")]) == 0
    capsys.readouterr()
    assert cli_main(["--library", lib, "list", "--json"]) == 0
    ids = [str(a["id"]) for a in json.loads(capsys.readouterr().out)]
    assert len(ids) == 2
    out = tmp_path / "out"
    assert cli_main(["--library", lib, "export-article", *ids, "-o", str(out), "--json"]) == 0
    files = json.loads(capsys.readouterr().out)["files"]
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    assert all(t.lstrip().startswith("# ") for t in texts)
    both = "\n".join(texts)
    assert "**" in both and re.search(r"\n#{2,6} ", both)  # a bold run, a heading inside
    assert "\n> " in both and "\n- " in both  # a quote, a list item
    pictures = list((out / "images").iterdir())  # the exporter folder's local pictures
    assert pictures and all(f"images/{p.name}" in both for p in pictures)


def test_export_article_refuses_the_library_folder_and_unknown_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "lib"
    assert cli_main(["--library", str(lib), "import", str(FIXTURES / "exporter")]) == 0
    assert cli_main(["--library", str(lib), "export-article", "1", "-o", str(lib / "x")]) == 2
    assert cli_main(["--library", str(lib), "export-article", "999", "-o",
                     str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "inside the library folder" in err and "no article matches" in err
