"""The GUI's backup and export never replace a file without asking (issue 15, item 3): an
existing file is replaced only after the user says Yes to a question (No is the default), and a
place inside the library, a device or a FIFO is refused with the reason shown as text."""

from __future__ import annotations

import os

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
from PySide6.QtWidgets import QMessageBox

from reader.core.backup import read_manifest
from reader.ui import backup_ui
from reader.ui.export_dialog import SCOPE_ALL

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


class Answers:
    """Replies to the replace-file question, in order; the questions asked are recorded."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.replies: list[QMessageBox.StandardButton] = []


@pytest.fixture
def answers(monkeypatch) -> Answers:  # noqa: ANN001
    box = Answers()

    def question(_parent, icon, _title, text, buttons, default):  # noqa: ANN001, ANN202
        assert icon == QMessageBox.Icon.Question
        assert buttons & YES and buttons & NO and default == NO
        box.asked.append(text)
        return box.replies.pop(0)

    monkeypatch.setattr(backup_ui, "show_message", question)
    return box


def _finish(qtbot, dlg: backup_ui.BackupDialog):  # noqa: ANN001, ANN202
    with qtbot.waitSignal(dlg.finished_work, timeout=60000) as sig:
        pass
    return sig.args[0]


def test_gui_backup_asks_before_replacing_and_refuses_the_library(
        qtbot, sample_lib, settings_file, tmp_path, answers):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    out = tmp_path / "mine.zip"
    out.write_text("我的文件", encoding="utf-8")
    answers.replies.append(NO)
    assert w.start_backup(str(out)) is None
    assert len(answers.asked) == 1 and str(out) in answers.asked[0]
    assert out.read_text(encoding="utf-8") == "我的文件"
    answers.replies.append(YES)
    info = _finish(qtbot, w.start_backup(str(out)))
    assert info is not None and read_manifest(out)["articles"] == info.articles
    # inside the library: refused by the back end, the reason shown; no question asked
    db = sample_lib.db_path
    before = db.read_bytes()
    dlg = w.start_backup(str(db))
    assert _finish(qtbot, dlg) is None
    assert "library folder" in dlg.message.text() and dlg.heading.text() == "The backup failed"
    assert len(answers.asked) == 2 and db.read_bytes() == before
    fifo = tmp_path / "pipe.zip"
    os.mkfifo(fifo)
    dlg = w.start_backup(str(fifo))
    assert _finish(qtbot, dlg) is None and "not a regular file" in dlg.message.text()
    assert fifo.is_fifo()
    wait_idle(qtbot, w)
    close_window(w)


def test_gui_export_asks_before_replacing_a_file(
        qtbot, sample_lib, settings_file, tmp_path, answers):  # noqa: F811
    arts = sample_lib.articles()
    sample_lib.add_highlight(arts[0].id, 0, 4, note="导出的批注")
    w = open_window(qtbot, sample_lib, settings_file)
    dlg = w.export_annotations()
    qtbot.addWidget(dlg)
    dlg.set_scope(SCOPE_ALL)
    out = tmp_path / "notes.md"
    out.write_text("我的笔记", encoding="utf-8")
    answers.replies.append(NO)
    assert dlg.export_to(out) is None
    assert "was kept" in dlg.status.text() and out.read_text(encoding="utf-8") == "我的笔记"
    answers.replies.append(YES)
    with qtbot.waitSignal(dlg.export_finished, timeout=30000) as sig:
        assert dlg.export_to(out) is not None
    assert sig.args[0] is not None and "导出的批注" in out.read_text(encoding="utf-8")
    # the library's own file: refused by the back end, shown as the reason
    before = sample_lib.db_path.read_bytes()
    with qtbot.waitSignal(dlg.export_finished, timeout=30000) as sig:
        dlg.export_to(sample_lib.db_path)
    assert sig.args[0] is None and "library folder" in dlg.status.text()
    assert sample_lib.db_path.read_bytes() == before
    assert len(answers.asked) == 2  # no question about replacing the library's file
    wait_idle(qtbot, w)
    close_window(w)


def test_the_daily_backup_removes_copies_killed_backups_and_exports_left(
        qtbot, sample_lib, settings_file, tmp_path):  # noqa: F811
    """A backup or export killed half-way leaves a hidden temp copy; the next start (its daily
    backup job) removes those in the library's backups folder and the folders last used."""
    from reader.core import fileguard

    host = fileguard.temp_name("x").split("-")[3]
    places = {k: tmp_path / k.replace("/", "-") for k in ("backup/dir", "export/dir")}
    stale = []
    for kind, folder in zip(("backup", "export"), places.values(), strict=True):
        folder.mkdir()
        left = folder / f".pizhu-tmp-{kind}-{host}-999999999-dead"
        left.mkdir() if kind == "backup" else left.write_text("半个导出")
        stale.append(left)
    (sample_lib.root / "backups").mkdir(exist_ok=True)
    stale.append(sample_lib.root / "backups" / f".pizhu-tmp-backup-{host}-999999999-dead")
    stale[-1].mkdir()
    live = places["backup/dir"] / fileguard.temp_name("backup")  # being written right now
    live.mkdir()
    w = open_window(qtbot, sample_lib, settings_file)
    for key, folder in places.items():
        w.settings.setValue(key, str(folder))
    with qtbot.waitSignal(w.worker.busy_changed, timeout=60000,
                          check_params_cb=lambda busy: not busy):
        assert w.start_auto_backup() is not None
    assert [p for p in stale if p.exists()] == []
    assert live.is_dir()
    close_window(w)
