"""The import dialog asks for a source and a date (issue 12): prefilled from what the chosen
paths' names state, applied to the articles of that import that state none; the reader shows a
kicker above the title and the page in the header."""

from __future__ import annotations

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtWidgets import QDialogButtonBox

from reader.core.library import ArticleFilter
from reader.ui.import_dialog import detected_metadata

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

NOTE = "社区食堂开进老小区\n\n社区食堂开业第一天，不少老人早早排起了队。\n"


def test_detected_metadata_from_names(tmp_path) -> None:
    day = tmp_path / "临江日报" / "2026-01-20"
    day.mkdir(parents=True)
    assert detected_metadata([str(day)]) == ("临江日报", "2026-01-20")
    a = tmp_path / "人民日报_2019-10-02_第3版.txt"
    b = tmp_path / "人民日报_2019-10-03_第1版.txt"
    assert detected_metadata([str(a)]) == ("人民日报", "2019-10-02")
    assert detected_metadata([str(a), str(b)]) == ("人民日报", "")  # the dates disagree
    assert detected_metadata([str(tmp_path / "notes.txt")]) == ("", "")


def test_ask_prefills_then_applies_source_and_date(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    folder = tmp_path / "临江日报"
    folder.mkdir()
    (folder / "note.txt").write_text(NOTE, encoding="utf-8")
    w = open_window(qtbot, lib, settings_file)
    dlg = w.start_import([str(folder)], ask=True)
    assert dlg is not None and not dlg.running
    assert dlg.form.isVisible() and not dlg.bar.isVisible()
    assert dlg.source_edit.text() == "临江日报" and dlg.date_edit.text() == ""
    ok = dlg.form_buttons.button(QDialogButtonBox.StandardButton.Ok)
    dlg.date_edit.setText("下周")
    assert not ok.isEnabled() and dlg.date_error.text()
    dlg.date_edit.setText("2026年2月1日")
    assert ok.isEnabled() and dlg.date_error.text() == ""
    with qtbot.waitSignal(w.import_finished, timeout=60000) as sig:
        ok.click()
    assert sig.args[0].count("added") == 1
    (art,) = w.library.articles(ArticleFilter())
    assert (art.source, art.date) == ("临江日报", "2026-02-01")
    close_window(w)


def test_reader_header_shows_kicker_and_page(qtbot, lib, settings_file, fixtures):  # noqa: F811
    dump = fixtures / "newspaper" / "dump" / "20260120" / "20260120-03-02.txt"
    w = open_window(qtbot, lib, settings_file)
    with qtbot.waitSignal(w.import_finished, timeout=60000):
        w.start_import([str(dump)])
    (art,) = w.library.articles(ArticleFilter())
    assert w.reader.show_article(art.id)
    header = w.reader.text.document().toPlainText()[: w.reader.body_start]
    lines = header.split("\u2029") if "\u2029" in header else header.split("\n")
    assert lines[0] == "奋进新征程"  # the kicker above the title
    assert lines[1] == "山乡巨变看今朝"
    assert "来自西部山区的蹲点调研" in header
    assert "Page 3" in header or "第3版" in header
    close_window(w)
