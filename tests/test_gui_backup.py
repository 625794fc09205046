"""File → Back up library… and Restore from backup…, and the daily automatic backup: archives
written on the worker while the window runs, restorable into a new folder, restores refused
where they would replace something, the restored library offered to open, the automatic backup
made once a day on start."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    isolated_settings,  # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
    wait_idle,
)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from reader.core.backup import BACKUP_DIR, auto_backups, restore
from reader.core.library import Library
from reader.ui import app as appmod
from reader.ui import backup_ui
from reader.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


@pytest.fixture
def marked(sample_lib):  # noqa: F811
    arts = sample_lib.articles()
    for i, a in enumerate(arts[:3]):
        sample_lib.add_highlight(a.id, 2, 8 + i, note=f"批注{i}", tags=["备份"])
    return sample_lib


def _finish(qtbot, dlg: backup_ui.BackupDialog):  # noqa: ANN001, ANN202
    with qtbot.waitSignal(dlg.finished_work, timeout=60000) as sig:
        pass
    return sig.args[0]


def test_backup_from_the_menu_makes_a_restorable_archive(
        qtbot, marked, settings_file, tmp_path, monkeypatch):  # noqa: F811
    out = tmp_path / "saved" / "my-backup"
    out.parent.mkdir()
    monkeypatch.setattr(backup_ui, "choose_backup_file", lambda _parent, _start: str(out) + ".zip")
    w = open_window(qtbot, marked, settings_file)
    file_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&File")
    assert {w.act_backup, w.act_restore} <= set(file_menu.actions())
    w.act_backup.trigger()
    dlg = w.backup_dialog
    assert dlg is not None and dlg.isVisible() and dlg.running
    # the app keeps working while it runs: a write queued behind the backup
    aid = marked.articles()[0].id
    w.worker.write(lambda lib_: lib_.set_read(aid, True))
    info = _finish(qtbot, dlg)
    assert info is not None and info.path == out.with_suffix(".zip")
    assert (info.articles, info.highlights) == (6, 3)
    assert "6 articles and 3 highlights" in dlg.message.text()
    assert dlg.close_button.isEnabled() and dlg.open_button.isHidden()
    assert w.settings.value("backup/dir") == str(out.parent)
    wait_idle(qtbot, w)
    close_window(w)
    with zipfile.ZipFile(info.path) as z:
        assert {"manifest.json", "library.db"} <= set(z.namelist())
    restored = restore(info.path, tmp_path / "restored")
    assert restored.articles == 6 and restored.highlights == 3
    with Library.open(tmp_path / "restored") as lib2:
        assert sorted(h.note for h in lib2.highlights()) == ["批注0", "批注1", "批注2"]
        hits, _total = lib2.search("备份")  # the index was rebuilt
        assert len(hits) == 3


def test_restore_into_an_empty_folder_then_offer_to_open_it(
        qtbot, marked, settings_file, tmp_path, monkeypatch):  # noqa: F811
    w = open_window(qtbot, marked, settings_file)
    archive = tmp_path / "b.zip"
    info = _finish(qtbot, w.start_backup(str(archive)))
    assert info is not None
    target = tmp_path / "new library"
    launched: list[str] = []
    w.launch_library = lambda root: launched.append(root) or True
    monkeypatch.setattr(backup_ui, "choose_archive", lambda _p, _s: str(archive))
    monkeypatch.setattr(backup_ui, "choose_empty_folder", lambda _p, _s: str(target))
    w.act_restore.trigger()
    dlg = w.backup_dialog
    restored = _finish(qtbot, dlg)
    assert restored is not None and restored.path == target
    assert (restored.articles, restored.highlights) == (6, 3)
    assert "This window stays on your current library" in dlg.message.text()
    assert dlg.open_button.isVisible()
    dlg.open_button.click()
    assert launched == [str(target)]
    assert w.library.root == marked.root  # the window is still on its own library
    close_window(w)


def test_restores_that_would_replace_something_are_refused(
        qtbot, marked, settings_file, tmp_path, monkeypatch):  # noqa: F811
    w = open_window(qtbot, marked, settings_file)
    archive = tmp_path / "b.zip"
    _finish(qtbot, w.start_backup(str(archive)))
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    assert w.start_restore(str(archive), str(full)) is None
    assert "not empty" in w.last_message
    assert w.start_restore(str(archive), str(marked.root)) is None
    assert "open library" in w.last_message
    assert (full / "keep.txt").read_text() == "mine"
    # from the menu: a non-empty folder is refused with a message, then an empty one is used
    shown: list[str] = []
    monkeypatch.setattr(backup_ui, "choose_archive", lambda _p, _s: str(archive))
    folders = iter([str(full), str(tmp_path / "second try")])
    monkeypatch.setattr(backup_ui, "choose_empty_folder", lambda _p, _s: next(folders))
    from reader.ui import library_tasks as mw  # the File menu's dialogs

    monkeypatch.setattr(mw, "show_message", lambda _p, _i, _t, text, *_a: shown.append(text))
    w.act_restore.trigger()
    assert shown and "not empty" in shown[0]
    assert _finish(qtbot, w.backup_dialog).path == tmp_path / "second try"
    # a damaged archive: a readable failure, nothing left behind
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK not really a zip")
    dlg = w.start_restore(str(bad), str(tmp_path / "third"))
    assert _finish(qtbot, dlg) is None
    assert dlg.heading.text() == "The restore failed" and "bad.zip" in dlg.message.text()
    assert not (tmp_path / "third").exists()
    close_window(w)


def test_automatic_backup_once_a_day(qtbot, marked, settings_file):  # noqa: F811
    w = open_window(qtbot, marked, settings_file)
    assert auto_backups(marked) == []
    with qtbot.waitSignal(w.worker.busy_changed, timeout=60000,
                          check_params_cb=lambda busy: not busy):
        job = w.start_auto_backup()
    assert job is not None
    made = auto_backups(marked)
    assert [p.name for p in made] == [f"pizhu-auto-{date.today().isoformat()}.zip"]
    assert made[0].parent == marked.root / BACKUP_DIR
    assert "Daily backup saved" in w.statusBar().currentMessage()
    stamp = made[0].stat().st_mtime_ns
    with qtbot.waitSignal(w.worker.busy_changed, timeout=60000,
                          check_params_cb=lambda busy: not busy):
        w.start_auto_backup()  # the same day: nothing new
    assert auto_backups(marked) == made and made[0].stat().st_mtime_ns == stamp
    w.settings.setValue("backup/auto", False)
    assert w.start_auto_backup() is None
    close_window(w)


def test_the_app_makes_the_daily_backup_after_start(qtbot, marked, tmp_path, isolated_settings,  # noqa: F811, E501
                                                    monkeypatch):
    root = marked.root
    marked.close()
    monkeypatch.setattr(appmod, "AUTO_BACKUP_DELAY_MS", 0)
    seen: dict = {}

    def poll() -> None:
        wins = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()]
        if not wins or wins[0].library is None:
            QTimer.singleShot(20, poll)
            return
        w = wins[0]
        found = list((root / BACKUP_DIR).glob("pizhu-auto-*.zip"))
        if not found or w.worker.busy:
            QTimer.singleShot(20, poll)
            return
        seen["backups"] = found
        w.close()

    QTimer.singleShot(0, poll)
    assert appmod.run_gui(str(root)) == 0
    assert len(seen["backups"]) == 1
    with zipfile.ZipFile(seen["backups"][0]) as z:
        assert "library.db" in z.namelist()
