"""Starting the GUI: the application object, translations, the window shown at once, the
library opened on a thread, and the search engine warmed up once the window is on screen.

One window per library: a second ``pizhu`` on a library that is already open hands its files and
``pizhu://`` links to the running window (reader.ui.single_instance) and exits. Once a day the
library is backed up automatically after start-up (reader.core.backup.auto_backup, on the worker).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from reader.core import paths
from reader.core.library import Library, LibraryError

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)

ORG = "Pizhu"
APP = "Pizhu"
AUTO_BACKUP_DELAY_MS = 3000  # after the library is attached: a quick open-and-close skips it


class LibraryOpener(QThread):
    """Opens (and if needed migrates) the library off the GUI thread."""

    opened = Signal(object)
    failed = Signal(str)

    def __init__(self, root: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root

    def run(self) -> None:
        try:
            lib = Library.open(self.root)
        except LibraryError as e:
            self.failed.emit(str(e))
        except Exception as e:  # a damaged file system, a bug: say so instead of hanging
            log.exception("opening the library failed")
            self.failed.emit(f"{e.__class__.__name__}: {e}")
        else:
            self.opened.emit(lib)


def make_window(library: Library, settings_file: Path) -> tuple[QApplication, MainWindow]:
    """The main window for ``library``, built as the app builds it, with its settings in
    ``settings_file`` (never the user's): for the installation self-test (``pizhu --self-test``)."""
    from PySide6.QtCore import QSettings

    from reader.ui.main_window import MainWindow

    app = make_app()
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    return app, MainWindow(library, settings=settings)


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    from reader.ui.i18n import install_translators
    from reader.ui.main_window import install_app_font

    app = cast("QApplication | None", QApplication.instance())  # the GUI's: a QApplication
    if app is None:
        app = QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName("Pizhu 批注")
    app.setDesktopFileName("io.github.pizhu.Pizhu")
    install_translators(app)
    install_app_font(app)
    return app


def split_targets(targets: Sequence[str]) -> tuple[list[str], list[str]]:
    """Command-line targets as (absolute file paths, ``pizhu://`` links); ``file://`` URLs (a
    desktop's ``%U``) become paths."""
    from PySide6.QtCore import QUrl

    files, links = [], []
    for t in (str(x) for x in targets):
        if t.lower().startswith("pizhu:"):
            links.append(t)
        elif t.lower().startswith("file:"):
            local = QUrl(t).toLocalFile()
            if local:
                files.append(os.path.abspath(local))
        elif t:
            files.append(os.path.abspath(t))
    return files, links


def no_display_message(env: Mapping[str, str] | None = None,
                       platform: str | None = None) -> str | None:
    """One line when the GUI cannot start for want of a display (on Linux/BSD without
    ``DISPLAY``, ``WAYLAND_DISPLAY`` or an explicit ``QT_QPA_PLATFORM``), else None. Said
    before Qt starts: Qt would abort later with a misleading xcb-cursor message."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if any(env.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return None
    return ("pizhu: no display (DISPLAY/WAYLAND_DISPLAY unset): the Pizhu window needs a desktop "
            "session; use the command line (pizhu --help) or check with pizhu --self-test")


def _single_instance():  # noqa: ANN202
    try:
        from reader.ui import single_instance
    except ImportError:  # a build without QtNetwork: every start opens its own window
        log.warning("single-instance handover unavailable (no QtNetwork)")
        return None
    return single_instance


def run_gui(library: str | None = None, files: Sequence[str] = ()) -> int:
    """Run the desktop app on the library at ``library`` (default: the usual place); ``files``
    (paths, ``file://`` URLs or ``pizhu://`` links) are imported or opened once it is open.
    If a Pizhu window already has that library open, they are handed to it and this returns 0
    at once. Returns the process exit code."""
    problem = no_display_message()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    paths_, links = split_targets(files)
    si = _single_instance()
    server = None
    if si is not None:  # before any window exists, so a handed-over start is quick
        name = si.server_name(paths.resolve_library_dir(library))
        request = si.Request(paths_, links)
        if si.send_request(name, request):
            log.info("handed the request to the running Pizhu")
            return 0
    app = make_app()
    if si is not None:
        server = si.InstanceServer(name, app)
        if not server.listen():
            if si.send_request(name, request):  # another one started at the same moment
                return 0
            server = None
    from reader.ui.empty_state import app_icon
    from reader.ui.main_window import MainWindow

    app.setWindowIcon(app_icon())
    window = MainWindow(None)
    window.show()
    if server is not None:
        server.request_received.connect(window.handle_request)
    if paths_:
        window.start_import(paths_)  # kept until the library is open
    for url in links:
        window.open_link(url)  # likewise
    state: dict[str, Any] = {"library": None, "code": 0}

    def opened(lib: Library) -> None:
        state["library"] = lib
        if window.isVisible():
            window.attach_library(lib)
            QTimer.singleShot(200, window.warm_up)
            if not lib.readonly:
                QTimer.singleShot(AUTO_BACKUP_DELAY_MS, window.start_auto_backup)
        else:
            lib.close()

    def failed(message: str) -> None:
        state["code"] = 1
        from reader.ui.widgets import show_message

        show_message(window, QMessageBox.Icon.Critical,
                     QCoreApplication.translate("MainWindow", "Cannot open the library"), message)
        window.close()

    opener = LibraryOpener(library)
    opener.opened.connect(opened)
    opener.failed.connect(failed)
    opener.start()
    code = app.exec()
    if server is not None:
        server.close()  # a later pizhu starts on its own rather than talk to a closing one
    opener.wait()
    app.processEvents()  # a library opened while the window was closing arrives now
    window.shutdown()
    lib = state["library"]
    if isinstance(lib, Library):
        lib.close()
    return int(state["code"]) or code
