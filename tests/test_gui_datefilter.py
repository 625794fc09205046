"""The article list's date filter: typed dates (whole and partial), a calendar that opens at
the library's newest date, quick ranges, and the undated articles (issue 14, item 6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtCore import Qt

from reader.ui.date_filter import parse_date, quick_range

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026-01-15", "2026-01-15", "2026-01-15"),
    ("2026-1-5", "2026-01-05", "2026-01-05"),
    ("2026/1/5", "2026-01-05", "2026-01-05"),
    ("2026年1月5日", "2026-01-05", "2026-01-05"),
    ("20260105", "2026-01-05", "2026-01-05"),
    ("2026-1", "2026-01-01", "2026-01-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2026年3月", "2026-03-01", "2026-03-31"),
    ("2026", "2026-01-01", "2026-12-31"),
    (" 2026 ", "2026-01-01", "2026-12-31"),
    ("", "", ""),
])
def test_typed_dates(text, start, end):  # noqa: ANN001
    assert parse_date(text) == start
    assert parse_date(text, end=True) == end


@pytest.mark.parametrize("text", ["2026-13", "2026-02-30", "abc", "26-1-1", "2026-1-1-1"])
def test_not_dates(text):  # noqa: ANN001
    assert parse_date(text) is None


def test_quick_ranges():
    today = date(2026, 3, 12)
    assert quick_range("today", today) == ("2026-03-12", "2026-03-12")
    assert quick_range("week", today) == ("2026-03-06", "2026-03-12")
    assert quick_range("month", today) == ("2026-03-01", "2026-03-12")
    assert quick_range("year", today) == ("2026-01-01", "2026-03-12")


def _titles(pane) -> list[str]:  # noqa: ANN001
    return sorted(pane.model.article_at(r).title for r in range(pane.model.rowCount()))


def _type(qtbot, field, text: str) -> None:  # noqa: ANN001
    field.setFocus()
    field.selectAll()  # typing replaces the text, as a user does
    qtbot.keyClicks(field, text)  # ASCII only (never Chinese through keyClicks)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_typed_dates_filter_the_list(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    pane = w.list_pane
    on_11 = sample_lib.count_articles(
        type(pane.filter)(date_from="2026-03-11", date_to="2026-03-11"))
    assert 0 < on_11 < 6
    _type(qtbot, pane.date_from, "2026-03-11")
    _type(qtbot, pane.date_to, "2026-3-11")
    assert pane.filter.date_from == "2026-03-11" and pane.filter.date_to == "2026-03-11"
    assert pane.model.total == on_11
    assert pane.date_to.text() == "2026-03-11"  # shown normalised
    # a month in To reaches its last day; a year in From its first
    _type(qtbot, pane.date_from, "2026")
    _type(qtbot, pane.date_to, "2026-3")
    assert (pane.filter.date_from, pane.filter.date_to) == ("2026-01-01", "2026-03-31")
    assert pane.model.total == 6
    # not a date: marked, and the filter stays as it was
    _type(qtbot, pane.date_to, "2026-3-40")
    assert pane.date_to.property("invalid") is True
    assert pane.filter.date_to == "2026-03-31"
    pane.date_to.clear()
    assert pane.filter.date_to == ""
    close_window(w)


def test_calendar_opens_at_the_newest_date(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    newest = sample_lib.date_range()[1]
    assert newest.startswith("2026-03")
    cal = w.list_pane.date_from.open_calendar()
    assert (cal.yearShown(), cal.monthShown()) == (2026, 3)
    w.list_pane.date_from.popup.close()
    close_window(w)


def test_quick_ranges_and_undated_articles(qtbot, sample_lib, settings_file, tmp_path):  # noqa: F811
    f = tmp_path / "无日期.txt"
    f.write_text("一篇没有日期的短文\n\n社区图书角新添了一批童书，孩子们放学后常来翻看。\n",
                 encoding="utf-8")
    assert sample_lib.import_paths([f]).count("added") == 1
    undated = [a for a in sample_lib.articles() if not a.date]
    assert len(undated) == 1
    w = open_window(qtbot, sample_lib, settings_file)
    pane = w.list_pane
    assert pane.model.total == 7
    pane.dates.undated_action.trigger()
    assert pane.filter.undated
    assert _titles(pane) == [undated[0].title]
    pane.dates.set_quick("week")
    assert not pane.filter.undated
    today = date.today()
    assert pane.filter.date_from == (today - timedelta(days=6)).isoformat()
    assert pane.filter.date_to == today.isoformat()
    pane.dates.any_action.trigger()
    assert pane.model.total == 7
    pane.dates.undated_action.trigger()
    assert pane.model.total == 1
    pane.clear_filters()
    assert pane.model.total == 7 and not pane.dates.undated
    close_window(w)
