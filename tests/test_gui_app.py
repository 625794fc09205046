"""Starting the app: the window first, the library opened on a thread, files given on the command
line imported, the search engine warmed up on the worker; errors shown, not a hang."""

from __future__ import annotations

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    isolated_settings,  # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from reader.core.library import Library
from reader.ui import app as appmod
from reader.ui.main_window import MainWindow, samples_dir

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def test_library_opener_runs_off_the_gui_thread(qtbot, tmp_path):
    opener = appmod.LibraryOpener(str(tmp_path / "new-lib"))
    with qtbot.waitSignal(opener.opened, timeout=10000) as sig:
        opener.start()
    opener.wait()
    lib_ = sig.args[0]
    assert isinstance(lib_, Library) and lib_.count_articles() == 0
    lib_.close()


def test_library_opener_reports_a_readable_error(qtbot, tmp_path):
    bad = tmp_path / "lib"
    bad.mkdir()
    (bad / "library.db").write_bytes(b"this is not a database" * 100)
    opener = appmod.LibraryOpener(str(bad))
    with qtbot.waitSignal(opener.failed, timeout=10000) as sig:
        opener.start()
    opener.wait()
    assert "library.db" in sig.args[0]


def test_run_gui_shows_the_window_then_the_library_and_imports_files(
        qtbot, tmp_path, isolated_settings, monkeypatch):  # noqa: F811
    seen: dict = {}

    def poll() -> None:
        wins = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()]
        if not wins:
            QTimer.singleShot(20, poll)
            return
        w = wins[0]
        seen.setdefault("first_page", w.stack.currentIndex())
        dlg = w.import_dialog
        if w.library is None or dlg is None or dlg.summary is None or w.worker.busy:
            QTimer.singleShot(20, poll)
            return
        seen["articles"] = w.library.count_articles()
        seen["org"] = QCoreApplication.organizationName()
        seen["indexed"] = w.library.search_index.is_open
        w.close()

    QTimer.singleShot(0, poll)
    code = appmod.run_gui(str(tmp_path / "lib"), files=[str(samples_dir())])
    assert code == 0
    assert seen["first_page"] == 0  # the loading page, before the library was open
    assert seen["articles"] == 6
    assert seen["org"] == "Pizhu"
    assert seen["indexed"]
    assert any(isolated_settings.rglob("*")), "settings were written to the temporary folder"


def test_run_gui_with_an_unusable_library_says_why(
        qtbot, tmp_path, isolated_settings, monkeypatch):  # noqa: F811
    bad = tmp_path / "lib"
    bad.mkdir()
    (bad / "library.db").write_bytes(b"garbage" * 200)
    shown = []

    def record(box: QMessageBox, *_a: object) -> int:  # instead of showing the modal box
        shown.append((box.windowTitle(), box.text(), box.textFormat()))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", record)
    assert appmod.run_gui(str(bad)) == 1
    assert shown and "library.db" in shown[0][1]
    assert shown[0][2] == Qt.TextFormat.PlainText  # a path is text, never HTML (issue 15)


def test_warm_up_opens_the_index_on_the_worker(qtbot, sample_lib, settings_file):  # noqa: F811
    w = open_window(qtbot, sample_lib, settings_file)
    with qtbot.waitSignal(w.worker.busy_changed, timeout=60000,
                          check_params_cb=lambda busy: not busy):
        w.warm_up()
    assert sample_lib.search_index.is_open
    close_window(w)


def test_warm_up_finds_same_size_index_damage_and_rebuilds(qtbot, sample_lib, settings_file):  # noqa: F811
    def found() -> set[int]:
        hits, _total = sample_lib.search("的", limit=1000, with_snippets=False)
        return {h.article.id for h in hits}

    want = found()
    assert want
    sample_lib.search_index.close()  # as after a restart: the index is not open yet
    victim = max((p for p in sample_lib.index_path.iterdir() if p.suffix == ".pst"),
                 key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    third = len(data) // 3
    data[third : 2 * third] = bytes(third)  # a torn write: same size, zeros in the middle
    victim.write_bytes(bytes(data))
    w = open_window(qtbot, sample_lib, settings_file)
    with qtbot.waitSignal(w.notice, timeout=60000,
                          check_params_cb=lambda text: "rebuilt" in text) as notice:
        w.warm_up()
    assert "search index" in notice.args[0]
    qtbot.waitUntil(lambda: not w.worker.busy, timeout=60000)
    assert found() == want
    close_window(w)
