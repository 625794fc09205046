"""Helpers for the main-window GUI tests: isolated settings, a library with the sample articles,
a window that is shut down properly (threads stopped before the library closes)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from reader.core.library import Library
from reader.ui import i18n
from reader.ui.main_window import MainWindow, samples_dir

# The offscreen platform plugin warns about size hints of popups and top-level windows.
QT_LOG_IGNORE = "This plugin does not support"


def settings_at(path: Path) -> QSettings:
    """Settings in an INI file of the test's own (never the user's)."""
    s = QSettings(str(path), QSettings.Format.IniFormat)
    if not s.contains("view/theme"):  # not the desktop's dark mode, unless a test asks
        s.setValue("view/theme", "light")
        s.sync()
    return s


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """run_gui uses the default QSettings: point them at a temporary folder."""
    app = QCoreApplication.instance()
    assert app is not None
    monkeypatch.setenv("PIZHU_LANG", "en")  # whatever the machine's locale
    names = (app.organizationName(), app.applicationName())
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "config"))
    yield tmp_path / "config"
    i18n.remove_translators(app)
    app.setOrganizationName(names[0])
    app.setApplicationName(names[1])


@pytest.fixture
def sample_lib(lib: Library) -> Library:
    summary = lib.import_paths([samples_dir()])
    assert summary.count("added") == 6, [(f.path, f.status, f.reason) for f in summary.files]
    return lib


def open_window(qtbot, library: Library, settings_file: Path, *, size=(1400, 880)) -> MainWindow:  # noqa: ANN001
    w = MainWindow(library, settings=settings_at(settings_file))
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def close_window(w: MainWindow) -> None:
    w.close()  # saves its state, stops the query thread and the worker
    # collect the closed window's Qt objects now, while no thread of it runs, not at some
    # random moment of a later test (PySide objects freed mid-test beside running threads)
    gc.collect()


def wait_idle(qtbot, w: MainWindow, timeout: int = 30000) -> None:  # noqa: ANN001
    """Until every queued library write/job of the window's worker has finished."""
    qtbot.waitUntil(lambda: not w.worker.busy, timeout=timeout)


def article_id(library: Library, title_part: str) -> int:
    return next(a.id for a in library.articles() if title_part in a.title)
