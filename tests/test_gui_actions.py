"""The window's action table (reader/ui/actions.py): every action has a text, a menu and known
conditions; update_enabled() enables each by its conditions — no library, an empty library, a
read-only one, with and without a selection in the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    article_id,
    close_window,
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_at,
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtWidgets import QMenu

from reader.core.library import Library
from reader.ui.actions import CONDITIONS, ActionSpec, UiState
from reader.ui.main_window import MainWindow, samples_dir

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

HIGHLIGHTING = ["act_note", "color_yellow", "color_blue"]
NEED_ARTICLES = ["act_find", "act_export", "act_merge", "act_split", "act_versions"]
WRITES = ["act_import", "act_import_folder", "act_samples", "act_import_annotations",
          "act_article_tags", "act_merge", "act_split", *HIGHLIGHTING]
ALWAYS = ["act_quit", "act_shortcuts", "act_about", "act_fullscreen", "act_next_theme"]


def _enabled(w: MainWindow) -> dict[str, bool]:
    return {k: a.isEnabled() for k, a in w.actions_by_key.items()}


def _menu_actions(w: MainWindow) -> list:  # noqa: ANN401
    out = []
    for top in w.menuBar().actions():
        menus = [top.menu()]
        while menus:
            m = menus.pop()
            for a in m.actions():
                if isinstance(a.menu(), QMenu):
                    menus.append(a.menu())
                elif not a.isSeparator():
                    out.append(a)
    return out


def test_enabled_when_is_all_of_its_conditions():
    spec = ActionSpec("k", "Text", None, when=("library", "writable", "selection"))
    assert not spec.enabled(UiState())
    assert not spec.enabled(UiState(library=True, writable=True))
    assert spec.enabled(UiState(library=True, writable=True, selection=True))
    assert ActionSpec("k", "Text", None, when=()).enabled(UiState())
    assert ActionSpec("k", "Text", None, when=None).enabled(UiState())  # not the table's


def test_every_action_has_a_text_a_menu_and_known_conditions(qtbot, tmp_path: Path):
    w = MainWindow(None, settings=settings_at(tmp_path / "s.ini"))
    qtbot.addWidget(w)
    keys = [s.key for s in w.action_specs]
    assert len(keys) == len(set(keys)) and len(keys) >= 40
    in_menus = _menu_actions(w)
    for spec in w.action_specs:
        act = w.actions_by_key[spec.key]
        assert act.text().replace("&", "").strip(), spec.key
        assert spec.menu, spec.key
        assert spec.when is None or CONDITIONS.issuperset(spec.when), spec.key
        assert in_menus.count(act) == 1, f"{spec.key} is in the menus {in_menus.count(act)}×"
        if spec.key.startswith("act_"):
            assert getattr(w, spec.key) is act  # the attributes callers and tests know
    assert len(in_menus) == len(w.action_specs)  # every menu entry comes from the table
    close_window(w)


def test_without_a_library_only_the_window_actions_are_enabled(qtbot, tmp_path: Path):
    w = MainWindow(None, settings=settings_at(tmp_path / "s.ini"))
    qtbot.addWidget(w)
    on = _enabled(w)
    assert all(on[k] for k in ALWAYS)
    lib_only = [s.key for s in w.action_specs if s.when and "library" in s.when]
    assert lib_only and not any(on[k] for k in lib_only)
    close_window(w)


def test_selection_enables_the_highlight_actions(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    aid = article_id(sample_lib, "修表匠")
    assert w.open_article(aid, select=True)
    on = _enabled(w)
    assert all(on[k] for k in NEED_ARTICLES + ["act_import", "act_article_tags"])
    assert not any(on[k] for k in HIGHLIGHTING)  # nothing selected: nothing to highlight
    w.reader.select_range(0, 4)
    assert all(_enabled(w)[k] for k in HIGHLIGHTING)
    cur = w.reader.text.textCursor()
    cur.clearSelection()
    w.reader.text.setTextCursor(cur)
    assert not any(_enabled(w)[k] for k in HIGHLIGHTING)
    close_window(w)


def test_an_empty_library_disables_what_needs_articles(qtbot, lib, settings_file):  # noqa: F811
    w = open_window(qtbot, lib, settings_file)
    assert w.showing_empty_state
    on = _enabled(w)
    assert not any(on[k] for k in NEED_ARTICLES)
    assert on["act_import"] and on["act_samples"] and on["act_backup"]
    close_window(w)


def test_a_read_only_library_disables_the_writes(qtbot, tmp_path: Path):
    with Library.open(tmp_path / "lib") as writable:
        writable.import_paths([samples_dir()])
    ro = Library.open(tmp_path / "lib", readonly=True)
    try:
        w = open_window(qtbot, ro, tmp_path / "s.ini")
        assert w.reader.article is not None  # the first article opens
        w.reader.select_range(0, 4)  # a selection, but nothing may be written
        on = _enabled(w)
        assert not any(on[k] for k in WRITES)
        assert on["act_find"] and on["act_export"] and on["act_backup"]
        close_window(w)
    finally:
        ro.close()
