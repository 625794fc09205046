"""Markdown export through Jinja2 templates into a vault folder (issue 17): the two presets, the
user's own template, article text kept plain, files updated in place (the user's text around
Pizhu's block kept), unchanged files not rewritten, "since last export", and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import frontmatter
import pytest

from reader.cli.commands import main
from reader.core.exporters import ExportError, Selection
from reader.core.exporters.templated import BEGIN, END, STATE_FILE, export_vault
from reader.core.library import Library

ALL = Selection(everything=True)


def _entry(aid: str, title: str, body: str, url: str) -> dict:
    return {"文章标识符aid": aid, "标题title": title, "时间time": "2026-03-01",
            "公众号名称": "海港日报", "finalContent": body, "链接url": url}


@pytest.fixture
def lib(lib: Library, tmp_path: Path) -> Library:  # conftest's library, stocked
    src = tmp_path / "in.json"
    src.write_text(json.dumps([
        _entry("t1", "港口城市的夜间经济",
               "夜市沿着老码头铺开，灯火一直亮到凌晨。\r摊主们说，游客比去年多了不少。",
               "https://example.invalid/t1"),
        _entry("t2", "标题里有<script>alert(1)</script>和[链接](javascript:x)",
               "# 这一行像标题\r山里的茶农开始采摘秋茶。", "javascript:alert(2)"),
    ], ensure_ascii=False), encoding="utf-8")
    summary = lib.import_paths([src], update_index=False)
    assert not summary.failed
    return lib


def _ids(lib: Library) -> dict[str, int]:
    return {a.title[:4]: a.id for a in lib.articles(limit=None)}


def _mark(lib: Library, aid: int, quote: str, **kw):
    body = lib.article(aid).body
    s = body.index(quote)
    return lib.add_highlight(aid, s, s + len(quote), **kw)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    v = tmp_path / "vault"
    v.mkdir()
    return v


def test_obsidian_preset(lib, vault):
    ids = _ids(lib)
    a = ids["港口城市"]
    lib.set_article_tags(a, ["城市", "夜间 经济"])
    h = _mark(lib, a, "夜市沿着老码头铺开", note="值得\n# 再看", tags=["港口/夜市"], color="green")
    r = export_vault(lib, ALL, vault, "obsidian")
    assert len(r.written) == 1 and r.highlights == 1  # articles without highlights: no file
    path = r.written[0]
    assert path.name == "港口城市的夜间经济.md"
    text = path.read_text(encoding="utf-8")
    post = frontmatter.loads(text)
    assert post["title"] == "港口城市的夜间经济"
    assert post["tags"] == ["夜间 经济", "城市"] or sorted(post["tags"]) == ["城市", "夜间 经济"]
    assert post["pizhu"] == f"pizhu://article/{lib.article(a).uuid}"
    assert "#夜间_经济" in text and "#城市" in text and "#港口/夜市" in text
    assert text.count("> [!quote]") == 1
    assert "> 夜市沿着老码头铺开" in text
    assert "> \\# 再看" in text  # the note's '#' stays text inside the callout
    assert f"pizhu://article/{lib.article(a).uuid}#highlight={h.uuid}" in text
    assert BEGIN.format(uuid=lib.article(a).uuid) in text and END in text
    assert json.loads((vault / STATE_FILE).read_text())["last_export"]


def test_article_text_stays_plain_text(lib, vault):
    b = _ids(lib)["标题里有"]
    _mark(lib, b, "山里的茶农", note="<img src=x onerror=alert(1)> [点我](javascript:alert(1))")
    for template in ("plain", "obsidian"):
        [path] = export_vault(lib, Selection(article_ids=[b]), vault, template).written
        body = frontmatter.loads(path.read_text(encoding="utf-8")).content
        assert "\\<script\\>" in body
        assert not re.search(r"(?<!\\)\]\(<?javascript:", body)  # no live link
        assert "\\[链接\\](javascript:x)" in body
        assert "javascript:alert(2)" not in body  # the article's own bad URL: no link at all
        assert not re.search(r"(?<!\\)<(img|script)", body) and "\\<img" in body
        assert "\\[点我\\](javascript:alert(1))" in body


def test_reexport_updates_in_place_and_keeps_the_users_text(lib, vault):
    a = _ids(lib)["港口城市"]
    _mark(lib, a, "夜市沿着老码头铺开")
    [path] = export_vault(lib, ALL, vault, "obsidian").written
    text = path.read_text(encoding="utf-8")
    # the user adds a property, a line above Pizhu's block and notes below it, and renames it
    text = text.replace("pizhu:", "aliases: [夜市]\npizhu:", 1)
    text = text.replace("<!-- pizhu:begin", "我的开头\n\n<!-- pizhu:begin", 1)
    text += "\n## 我的想法\n夜市还要看治安。\n"
    renamed = vault / "夜市笔记.md"
    renamed.write_text(text, encoding="utf-8")
    path.unlink()
    _mark(lib, a, "游客比去年多了不少", note="第二条")
    r = export_vault(lib, ALL, vault, "obsidian")
    assert r.written == [renamed.resolve()]
    assert sorted(p.name for p in vault.glob("*.md")) == ["夜市笔记.md"]  # no duplicate
    new = renamed.read_text(encoding="utf-8")
    assert "第二条" in new and new.count("> [!quote]") == 2
    assert "我的开头" in new and "## 我的想法\n夜市还要看治安。" in new
    assert frontmatter.loads(new)["aliases"] == ["夜市"]
    assert new.index("我的开头") < new.index("<!-- pizhu:begin") < new.index("我的想法")
    # nothing changed: the file is not written again
    r = export_vault(lib, ALL, vault, "obsidian")
    assert r.written == [] and r.unchanged == [renamed.resolve()]
    assert renamed.read_text(encoding="utf-8") == new


def test_a_file_without_its_markers_is_left_alone(lib, vault):
    a = _ids(lib)["港口城市"]
    _mark(lib, a, "夜市沿着老码头铺开")
    [path] = export_vault(lib, ALL, vault, "plain").written
    mine = path.read_text(encoding="utf-8").replace(END, "")
    path.write_text(mine, encoding="utf-8")
    r = export_vault(lib, ALL, vault, "plain")
    assert r.written == [] and r.skipped and r.skipped[0][0] == path.resolve()
    assert path.read_text(encoding="utf-8") == mine


def test_since_last_export(lib, vault):
    ids = _ids(lib)
    _mark(lib, ids["港口城市"], "夜市沿着老码头铺开")
    _mark(lib, ids["标题里有"], "山里的茶农")
    assert len(export_vault(lib, ALL, vault, "plain", now=lambda: "2000-01-01T00:00:00+00:00")
               .written) == 2
    # everything changed after 2000: both again, from a later stamp only the edited one
    assert len(export_vault(lib, ALL, vault, "plain", since_last=True,
                            now=lambda: "2999-01-01T00:00:00+00:00").unchanged) == 2
    r = export_vault(lib, ALL, vault, "plain", since_last=True)
    assert r.written == [] and r.unchanged == []


def test_since_last_export_picks_the_changed_article(lib, vault):
    ids = _ids(lib)
    _mark(lib, ids["港口城市"], "夜市沿着老码头铺开")
    h = _mark(lib, ids["标题里有"], "山里的茶农")
    written = {p.name: p for p in export_vault(lib, ALL, vault, "plain").written}
    assert len(written) == 2
    with lib.store.transaction() as tx:  # both highlights made long before the last export
        tx.execute("UPDATE highlights SET created = '2001-01-01T00:00:00+00:00',"
                   " updated = '2001-01-01T00:00:00+00:00'")
    (vault / STATE_FILE).write_text(json.dumps({"last_export": "2020-01-01T00:00:00+00:00"}))
    lib.update_highlight(h.uuid, note="新的想法")
    r = export_vault(lib, ALL, vault, "plain", since_last=True)
    assert len(r.written) == 1 and r.unchanged == []
    assert "新的想法" in r.written[0].read_text(encoding="utf-8")
    assert r.written[0].name.startswith("标题里有")
    assert json.loads((vault / STATE_FILE).read_text())["last_export"] > "2020"


def test_users_template_and_its_errors(lib, vault, tmp_path):
    a = _ids(lib)["港口城市"]
    _mark(lib, a, "夜市沿着老码头铺开", tags=["夜市"])
    tpl = tmp_path / "mine.md.j2"
    tpl.write_text("## {{ article.title }}\n{% for h in highlights %}- {{ h.quote }} "
                   "{{ h.tags | hashtags }}\n{% endfor %}", encoding="utf-8")
    [path] = export_vault(lib, ALL, vault, str(tpl)).written
    assert "- 夜市沿着老码头铺开 #夜市" in path.read_text(encoding="utf-8")
    tpl.write_text("{{ article.nope }}", encoding="utf-8")
    with pytest.raises(ExportError, match="港口城市的夜间经济"):
        export_vault(lib, ALL, vault, str(tpl))
    tpl.write_text("{% for %}", encoding="utf-8")
    with pytest.raises(ExportError, match="mine.md.j2: the template is not valid"):
        export_vault(lib, ALL, vault, str(tpl))
    with pytest.raises(ExportError, match="no such template"):
        export_vault(lib, ALL, vault, str(tmp_path / "missing.j2"))
    # the sandbox: no reaching into Python internals
    tpl.write_text("{{ article.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(ExportError):
        export_vault(lib, ALL, vault, str(tpl))


def test_cli_export_with_a_template(lib, vault, capsys):
    a = _ids(lib)["港口城市"]
    _mark(lib, a, "夜市沿着老码头铺开")
    root = str(lib.root)
    lib.close()
    args = ["--library", root, "export", "--all", "--format", "markdown", "--template",
            "obsidian", "--output", str(vault)]
    assert main(args) == 0
    assert "wrote 1 files" in capsys.readouterr().err
    assert [p.name for p in vault.glob("*.md")] == ["港口城市的夜间经济.md"]
    assert main(args + ["--since-last"]) == 0
    assert "wrote 0 files" in capsys.readouterr().err
    assert main(["--library", root, "export", "--all", "--template", "obsidian", "--format",
                 "csv", "-o", str(vault)]) != 0
    assert "--format markdown" in capsys.readouterr().err
