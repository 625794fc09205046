"""Pane layout: proportions (not pixels) restored across a size change, a reading column of at
least 28 characters, panels collapsing on small windows and coming back, a reading mode on one
key, and per-library state (issue 14, items 7 and 11)."""

from __future__ import annotations

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    article_id,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.core.library import Library
from reader.ui.main_window import READING_MIN_CHARS, samples_dir

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def ratios(splitter) -> list[float]:  # noqa: ANN001
    sizes = splitter.sizes()
    return [s / sum(sizes) for s in sizes]


def settled(qtbot, w) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: w._pending_ratios is None)


def test_splitter_proportions_across_a_size_change(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file, size=(1600, 900))
    settled(qtbot, w)
    w.splitter.setSizes([240, 400, 950])
    want = ratios(w.splitter)
    close_window(w)

    w = open_window(qtbot, sample_lib, settings_file, size=(2400, 1200))
    settled(qtbot, w)
    got = ratios(w.splitter)
    assert all(abs(a - b) < 0.01 for a, b in zip(got, want, strict=True)), (got, want)
    close_window(w)

    # a smaller screen: the reading column keeps its 28 characters, the list gives way
    w = open_window(qtbot, sample_lib, settings_file, size=(1280, 720))
    settled(qtbot, w)
    assert w.reader.width() >= w.reading_min_width()
    assert w.reader.width() >= READING_MIN_CHARS * w.reader.font_px
    assert w.act_sidebar.isChecked() and w.act_annotations.isChecked()
    close_window(w)


def test_small_windows_collapse_panels_and_they_come_back(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file, size=(1900, 1000))
    settled(qtbot, w)
    assert w.sidebar.isVisible() and w.annotations.isVisible()
    w.resize(1000, 700)
    qtbot.waitUntil(lambda: not w.sidebar.isVisible())
    assert w.reader.width() >= w.reading_min_width()
    assert w.act_sidebar.isChecked()  # the user's choice is kept
    w.resize(1900, 1000)
    qtbot.waitUntil(lambda: w.sidebar.isVisible() and w.annotations.isVisible())
    # a user's drag cannot crush the reading column either
    sizes = w.splitter.sizes()
    w.splitter.moveSplitter(sum(sizes) - 100, 2)
    qtbot.waitUntil(lambda: w.reader.width() >= w.reading_min_width())
    close_window(w)


def test_reading_mode_on_one_key(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file, size=(1400, 880))
    settled(qtbot, w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(w.reader.text, Qt.Key.Key_R, mods)
    assert w.reading_mode
    assert not w.tabs.isVisible() and not w.sidebar.isVisible()
    assert not w.annotations.isVisible() and w.reader.isVisible()
    qtbot.keyClick(w.reader.text, Qt.Key.Key_R, mods)
    assert not w.reading_mode
    assert w.tabs.isVisible() and w.sidebar.isVisible() and w.annotations.isVisible()
    close_window(w)


def test_each_library_keeps_its_own_last_article(qtbot, sample_lib, settings_file, tmp_path):  # noqa: F811
    other = Library.open(tmp_path / "other")
    try:
        other.import_paths([samples_dir()])
        a = article_id(sample_lib, "修表匠")
        b = article_id(other, "图书馆")
        w = open_window(qtbot, sample_lib, settings_file)
        w.open_article(a, select=True)
        close_window(w)
        w = open_window(qtbot, other, settings_file)
        w.open_article(b, select=True)
        close_window(w)
        w = open_window(qtbot, sample_lib, settings_file)
        assert w.reader.article_id == a
        close_window(w)
        w = open_window(qtbot, other, settings_file)
        assert w.reader.article_id == b
        close_window(w)
    finally:
        other.close()
