"""File → Export annotations… and File → Import annotations…: the scopes (open article, articles
selected in the list, tags being recalled, whole library), the three formats, one file per
article, mistakes explained, and a round trip through JSON into a fresh library."""

from __future__ import annotations

import csv
import io
import json

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
    wait_idle,
)
from PySide6.QtCore import QItemSelectionModel

from reader.core.library import Library
from reader.ui.export_dialog import (
    SCOPE_ALL,
    SCOPE_ARTICLE,
    SCOPE_SELECTED,
    SCOPE_TAGS,
    ExportDialog,
)
from reader.ui.main_window import samples_dir

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def _mark(lib_: Library, article, quote_len: int, at: float, **kw):  # noqa: ANN001, ANN202
    body = lib_.article(article.id).body
    s = int(len(body) * at)
    return lib_.add_highlight(article.id, s, s + quote_len, **kw)


@pytest.fixture
def annotated(sample_lib):  # noqa: F811
    """Sample articles with highlights: notes, tags, colours, one orphan-free library."""
    arts = sample_lib.articles(order="id", descending=False)
    hs = {
        "a1": _mark(sample_lib, arts[0], 8, 0.2, color="green", note="第一条批注",
                    tags=["经济", "城市"]),
        "a2": _mark(sample_lib, arts[0], 6, 0.6, tags=["经济"]),
        "b1": _mark(sample_lib, arts[1], 10, 0.3, color="pink", note="带\n两行", tags=["人物"]),
        "c1": _mark(sample_lib, arts[2], 5, 0.5, tags=["经济"]),
        "d1": _mark(sample_lib, arts[3], 7, 0.4),
    }
    return sample_lib, arts, hs


def _export(qtbot, dlg: ExportDialog, path):  # noqa: ANN001, ANN202
    with qtbot.waitSignal(dlg.export_finished, timeout=30000) as sig:
        job = dlg.export_to(path)
        assert job is not None, dlg.status.text()
    return sig.args[0]


def test_export_the_open_article_as_markdown(qtbot, annotated, settings_file, tmp_path):  # noqa: F811
    lib_, arts, hs = annotated
    w = open_window(qtbot, lib_, settings_file)
    w.open_article(arts[0].id, select=True)
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    assert dlg.scope() == SCOPE_ARTICLE and arts[0].title[:10] in dlg.scope_article.text()
    assert dlg.fmt == "markdown" and dlg.path_edit.text().endswith(".md")
    assert not dlg.scope_selected.isEnabled()  # only the open article is selected
    out = tmp_path / "one.md"
    path, n_articles, n_highlights = _export(qtbot, dlg, out)
    assert (path, n_articles, n_highlights) == (out, 1, 2)
    text = out.read_text(encoding="utf-8")
    assert hs["a1"].quote in text and "第一条批注" in text and "经济" in text
    assert f"pizhu://article/{arts[0].uuid}#highlight={hs['a1'].uuid}" in text
    assert hs["b1"].quote not in text
    assert "2 highlights from 1 articles" in dlg.status.text()
    assert dlg.show_button.isVisible()
    assert w.settings.value("export/format") == "markdown"
    close_window(w)


def test_export_the_articles_selected_in_the_list_as_json(qtbot, annotated, settings_file, tmp_path):  # noqa: F811
    lib_, arts, hs = annotated
    w = open_window(qtbot, lib_, settings_file)
    view, model = w.list_pane.view, w.list_pane.model
    sel = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    view.clearSelection()
    for a in (arts[0], arts[1]):
        sel.select(model.index(model.row_of(a.id), 0), flags)
    assert sorted(w.selected_article_ids()) == sorted([arts[0].id, arts[1].id])
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    assert dlg.scope_selected.isEnabled() and "(2)" in dlg.scope_selected.text()
    dlg.set_scope(SCOPE_SELECTED)
    dlg.set_format("json")
    assert dlg.path_edit.text().endswith(".json")
    out = tmp_path / "two.json"
    assert _export(qtbot, dlg, out)[1:] == (2, 3)
    data = json.loads(out.read_text(encoding="utf-8"))
    ids = json.dumps(data)
    for key in ("a1", "a2", "b1"):
        assert hs[key].uuid in ids
    assert hs["c1"].uuid not in ids and "TextQuoteSelector" in ids
    close_window(w)


def test_export_the_recalled_tags_as_csv(qtbot, annotated, settings_file, tmp_path,  # noqa: F811
                                        monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from reader.ui import backup_ui

    asked: list[str] = []  # exporting to the same file again asks before replacing it
    monkeypatch.setattr(backup_ui, "show_message", lambda _p, _i, _t, text, *_a: asked.append(
        text) or QMessageBox.StandardButton.Yes)
    lib_, _arts, hs = annotated
    w = open_window(qtbot, lib_, settings_file)
    w.recall_tags(["经济"])
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    assert dlg.scope() == SCOPE_TAGS and dlg.tag_edit.tags() == ["经济"]
    dlg.set_format("csv")
    out = tmp_path / "tags.csv"
    assert _export(qtbot, dlg, out)[2] == 3
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["highlight_uuid"] for r in rows} == {hs["a1"].uuid, hs["a2"].uuid, hs["c1"].uuid}
    # two tags, all of them / any of them
    dlg.tag_edit.set_tags(["经济", "城市"])
    assert _export(qtbot, dlg, out)[2] == 1
    dlg.tag_mode.setCurrentIndex(1)  # any
    assert _export(qtbot, dlg, out)[2] == 3
    assert len(asked) == 2 and "tags.csv" in asked[0]
    close_window(w)


def test_whole_library_one_file_per_article(qtbot, annotated, settings_file, tmp_path):  # noqa: F811
    lib_, _arts, _hs = annotated
    w = open_window(qtbot, lib_, settings_file)
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    dlg.set_scope(SCOPE_ALL)
    dlg.per_article.setChecked(True)
    folder = tmp_path / "out"
    folder.mkdir()
    files = _export(qtbot, dlg, folder)
    assert len(files) == 4 and all(p.parent == folder and p.suffix == ".md" for p in files)
    assert "Wrote 4 files" in dlg.status.text()
    close_window(w)


def test_export_mistakes_are_explained(qtbot, annotated, settings_file, tmp_path):  # noqa: F811
    lib_, _arts, _hs = annotated
    w = open_window(qtbot, lib_, settings_file)
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    dlg.set_scope(SCOPE_TAGS)
    dlg.tag_edit.set_tags([])
    assert dlg.export_to(tmp_path / "x.md") is None
    assert "type the tags" in dlg.status.text()
    dlg.set_scope(SCOPE_ALL)
    assert dlg.export_to("") is None and "where to save" in dlg.status.text()
    assert dlg.export_to(tmp_path) is None and "is a folder" in dlg.status.text()
    assert dlg.export_to(tmp_path / ".." / "up.md") is None and ".." in dlg.status.text()
    dlg.per_article.setChecked(True)
    assert dlg.export_to(tmp_path / "missing") is None
    assert "not an existing folder" in dlg.status.text()
    dlg.per_article.setChecked(False)
    # a folder that does not exist: the worker reports the reason
    assert _export(qtbot, dlg, tmp_path / "missing" / "a.md") is None
    assert "failed" in dlg.status.text() and "does not exist" in dlg.status.text()
    assert dlg.export_button.isEnabled()
    close_window(w)


def test_json_round_trip_into_a_fresh_library_through_the_gui(qtbot, annotated, settings_file, tmp_path):  # noqa: F811
    lib_, _arts, _hs = annotated
    w = open_window(qtbot, lib_, settings_file)
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    dlg.set_scope(SCOPE_ALL)
    dlg.set_format("json")
    out = tmp_path / "all.json"
    assert _export(qtbot, dlg, out)[2] == 5
    close_window(w)
    before = {h.uuid: (h.quote, h.note, h.color, h.tags, h.start, h.end)
              for h in lib_.highlights()}

    fresh = Library.open(tmp_path / "fresh")
    try:
        assert fresh.import_paths([samples_dir()]).count("added") == 6
        w2 = open_window(qtbot, fresh, tmp_path / "settings2.ini")
        idlg = w2.start_annotation_import(str(out))
        qtbot.waitUntil(lambda: idlg.report_value is not None, timeout=30000)
        r = idlg.report_value
        assert (r.total, r.imported, r.updated, r.skipped) == (5, 5, 0, [])
        assert "New highlights: 5" in idlg.details.text()
        after = {h.uuid: (h.quote, h.note, h.color, h.tags, h.start, h.end)
                 for h in fresh.highlights()}
        assert after == before
        # a second import duplicates nothing
        idlg2 = w2.start_annotation_import(str(out))
        qtbot.waitUntil(lambda: idlg2.report_value is not None, timeout=30000)
        assert idlg2.report_value.unchanged == 5 and idlg2.report_value.imported == 0
        assert len(fresh.highlights()) == 5
        close_window(w2)
    finally:
        fresh.close()


def test_import_reports_skipped_and_broken_files(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    lib.import_paths([samples_dir()])
    other = {"type": "Annotation", "id": "urn:uuid:6f1c7f4e-31b2-4b7e-9d1e-0c1a2b3c4d5e",
             "target": {"source": "pizhu://article/11111111-1111-4111-8111-111111111111",
                        "selector": [{"type": "TextQuoteSelector", "exact": "不存在的文字"}]},
             "created": "2026-01-01T00:00:00+00:00"}
    f = tmp_path / "skip.json"
    f.write_text(json.dumps({"type": "AnnotationCollection", "items": [other, {"type": "x"}]}),
                 encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    w = open_window(qtbot, lib, settings_file)
    dlg = w.start_annotation_import(str(f))
    with qtbot.waitSignal(dlg.import_finished, timeout=30000) as sig:
        pass
    report = sig.args[0]
    assert report.imported == 0 and len(report.skipped) >= 1
    assert not dlg.skipped.isHidden()
    assert dlg.skipped.topLevelItemCount() == len(report.skipped)
    reasons = [dlg.skipped.topLevelItem(i).text(1) for i in range(dlg.skipped.topLevelItemCount())]
    assert any("not in this library" in r for r in reasons)
    dlg2 = w.start_annotation_import(str(broken))
    with qtbot.waitSignal(dlg2.import_finished, timeout=30000) as sig:
        pass
    assert sig.args[0] is None
    assert "could not be imported" in dlg2.heading.text() and "not valid JSON" in dlg2.details.text()
    wait_idle(qtbot, w)
    close_window(w)


def test_menu_actions(qtbot, annotated, settings_file, monkeypatch, tmp_path):  # noqa: F811
    lib_, _arts, _hs = annotated
    w = open_window(qtbot, lib_, settings_file)
    file_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&File")
    assert {w.act_export, w.act_import_annotations} <= set(file_menu.actions())
    w.act_export.trigger()
    assert isinstance(w.export_dialog, ExportDialog) and w.export_dialog.isVisible()
    qtbot.addWidget(w.export_dialog)
    w.export_dialog.close()
    from reader.ui import library_tasks as mw  # the File menu's dialogs

    out = tmp_path / "x.json"
    out.write_text(json.dumps({"type": "AnnotationCollection", "items": []}), encoding="utf-8")
    monkeypatch.setattr(mw.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    w.act_import_annotations.trigger()
    dlg = w.annotation_import_dialog
    assert dlg is not None
    qtbot.waitUntil(lambda: not dlg.running, timeout=30000)
    assert dlg.report_value is not None and dlg.report_value.total == 0
    close_window(w)
