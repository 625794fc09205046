"""The export dialog's template choice (issue 17): Obsidian preset into a vault folder from the
window's File → Export, updated in place on the next export; the user's own template file."""

from __future__ import annotations

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
)

from reader.ui.export_dialog import SCOPE_ALL, ExportDialog

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


@pytest.fixture
def annotated(sample_lib):  # noqa: F811
    arts = sample_lib.articles(order="id", descending=False)
    body = sample_lib.article(arts[0].id).body
    h1 = sample_lib.add_highlight(arts[0].id, 10, 18, note="第一条批注", tags=["经济"])
    h2 = sample_lib.add_highlight(arts[1].id, 5, 12, color="green")
    assert body
    return sample_lib, arts, (h1, h2)


def _export(qtbot, dlg: ExportDialog, path):  # noqa: ANN001, ANN202
    with qtbot.waitSignal(dlg.export_finished, timeout=30000) as sig:
        job = dlg.export_to(path)
        assert job is not None, dlg.status.text()
    assert sig.args[0] is not None, dlg.status.text()
    return sig.args[0]


def test_obsidian_template_into_a_vault_and_again(qtbot, annotated, settings_file, tmp_path):  # noqa: F811
    lib_, arts, (h1, h2) = annotated
    w = open_window(qtbot, lib_, settings_file)
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    dlg.set_scope(SCOPE_ALL)
    assert dlg.templates.isEnabled()
    dlg.templates.set_choice("obsidian")
    assert dlg.per_article.isChecked()  # a template writes a folder of files
    vault = tmp_path / "vault"
    vault.mkdir()
    report = _export(qtbot, dlg, vault)
    assert len(report.written) == 2
    text = next(p for p in report.written if arts[0].title[:6] in p.read_text(encoding="utf-8")
                ).read_text(encoding="utf-8")
    assert text.startswith("---\n") and "> [!quote]" in text and "#经济" in text
    assert f"#highlight={h1.uuid}" in text
    assert "Wrote 2 files" in dlg.status.text()
    assert w.settings.value("export/template") == "obsidian"
    # again, only what changed since: nothing
    dlg.templates.since_last.setChecked(True)
    report = _export(qtbot, dlg, vault)
    assert report.written == [] and len(list(vault.glob("*.md"))) == 2
    # the format is not Markdown: no template
    dlg.set_format("csv")
    assert not dlg.templates.isEnabled()
    close_window(w)


def test_own_template_file(qtbot, annotated, settings_file, tmp_path):  # noqa: F811
    lib_, arts, (h1, _h2) = annotated
    tpl = tmp_path / "mine.j2"
    tpl.write_text("{% for h in highlights %}* {{ h.quote }} — {{ h.note }}\n{% endfor %}",
                   encoding="utf-8")
    w = open_window(qtbot, lib_, settings_file)
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    dlg.set_scope(SCOPE_ALL)
    dlg.templates.set_choice("file")
    dlg.templates.file_edit.setText(str(tpl))
    out = tmp_path / "notes"
    out.mkdir()
    report = _export(qtbot, dlg, out)
    texts = [p.read_text(encoding="utf-8") for p in report.written]
    assert any(f"* {h1.quote} — 第一条批注" in t for t in texts)
    # a broken template: one clear message, nothing written
    tpl.write_text("{% for %}", encoding="utf-8")
    with qtbot.waitSignal(dlg.export_finished, timeout=30000) as sig:
        dlg.export_to(out)
    assert sig.args[0] is None and "mine.j2" in dlg.status.text()
    close_window(w)
