"""Sync in the window: the File menu's "Sync now" and "Sync settings…", the settings dialog
(folder, device name, test connection, turn off), the status line, a sync on the worker that
brings another device's highlight into the open window, and the sync when the window closes."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import close_window, open_window, settings_file  # noqa: F401
from sync_support import engine, hl, seed, state

from reader.core.library import Library
from reader.core.sync import SyncEngine


@pytest.fixture
def pair(tmp_path: Path):
    a, b = Library.open(tmp_path / "a"), Library.open(tmp_path / "b")
    shared = tmp_path / "shared"
    shared.mkdir()
    yield a, b, shared
    a.close()
    b.close()


def test_sync_off_shows_nothing_and_the_menu_offers_settings(qtbot, pair, settings_file):  # noqa: F811
    a, _b, _shared = pair
    w = open_window(qtbot, a, settings_file)
    try:
        ctl = w.sync
        texts = [act.text() for act in w.menus["file"].actions()]
        assert ctl.act_sync.text() in texts and ctl.act_settings.text() in texts
        assert texts.index(ctl.act_settings.text()) < texts.index(
            w.actions_by_key["act_quit"].text())
        assert not ctl.act_sync.isEnabled() and ctl.label.isHidden()
        assert ctl.sync_now() is None  # off: nothing runs
    finally:
        close_window(w)


def test_settings_dialog_turns_sync_on_and_a_sync_brings_changes_in(qtbot, pair, tmp_path,
                                                                    settings_file):  # noqa: F811
    a, b, shared = pair
    ids = seed(b, tmp_path / "in")
    h = hl(b, ids[0], "老板说茶价一分没涨", note="从另一台电脑来")
    eb = engine(b, shared)
    eb.sync()
    w = open_window(qtbot, a, settings_file)
    try:
        ctl = w.sync
        dlg = ctl.open_settings()
        assert dlg.use_folder.isChecked()
        dlg.folder.setText(str(tmp_path / "missing"))
        dlg._accept()
        assert "does not exist" in dlg.message.text() and dlg.isVisible()
        dlg.folder.setText(str(shared))
        dlg.device.setText("家里的电脑")
        with qtbot.waitSignal(dlg.tested, timeout=20000) as got:
            dlg.test_connection()
        assert got.args[0].startswith("Connected")
        with qtbot.waitSignal(ctl.synced, timeout=60000):
            dlg._accept()
        assert dlg.result() == dlg.DialogCode.Accepted
        assert ctl.timer.isActive()
        st = SyncEngine(a).status()
        assert st["device_name"] == "家里的电脑" and st["target"]["path"] == str(shared.resolve())
        qtbot.waitUntil(lambda: a.find_article(b.article(ids[0]).uuid) is not None)
        assert a.highlight(h.uuid).note == "从另一台电脑来"
        # the open window shows what arrived (the store's after-commit notifications)
        qtbot.waitUntil(lambda: w.workspace is not None
                        and w.workspace.list_pane.model.total == 3, timeout=30000)
        qtbot.waitUntil(lambda: ctl.label.text().startswith("Synced"))
        assert ctl.act_sync.isEnabled()
        # a change made elsewhere arrives through "Sync now"
        b.update_highlight(h.uuid, note="又改了一次")
        eb.sync()
        with qtbot.waitSignal(ctl.synced, timeout=60000):
            ctl.act_sync.trigger()
        assert a.highlight(h.uuid).note == "又改了一次"
    finally:
        close_window(w)
    # the window's close ran one more sync: a's changes made just before closing are out
    eb.sync()
    assert state(a) == state(b)


def test_a_failing_sync_says_why_in_the_status_line(qtbot, pair, tmp_path,
                                                    settings_file):  # noqa: F811
    a, _b, _shared = pair
    usb = tmp_path / "usb"
    usb.mkdir()
    SyncEngine(a).configure({"kind": "folder", "path": str(usb)})
    usb.rmdir()
    w = open_window(qtbot, a, settings_file)
    try:
        ctl = w.sync
        with qtbot.waitSignal(ctl.failed, timeout=60000) as got:
            ctl.sync_now()
        assert "does not exist" in got.args[0]
        assert "does not exist" in ctl.label.text() and ctl.label.text().startswith("Sync failed")
        assert "Traceback" not in ctl.label.text()
    finally:
        close_window(w)


def test_closing_the_window_syncs_what_was_made(qtbot, pair, tmp_path, settings_file):  # noqa: F811
    a, b, shared = pair
    ids = seed(a, tmp_path / "in")
    engine(a, shared)
    w = open_window(qtbot, a, settings_file)
    h = hl(a, ids[1], "教室常常坐不下", note="关窗前写的")
    close_window(w)  # no sync ran before: the one on closing sends everything
    eb = engine(b, shared)
    eb.sync()
    assert b.highlight(h.uuid).note == "关窗前写的"


def test_turning_sync_off(qtbot, pair, settings_file):  # noqa: F811
    a, _b, shared = pair
    engine(a, shared)
    w = open_window(qtbot, a, settings_file)
    try:
        ctl = w.sync
        assert ctl.timer.isActive()
        dlg = ctl.open_settings()
        assert dlg.off.isVisible()
        dlg.off.click()
        qtbot.waitUntil(lambda: not SyncEngine(a).status()["enabled"])
        qtbot.waitUntil(lambda: ctl.label.isHidden())
        assert not ctl.timer.isActive()
    finally:
        close_window(w)
