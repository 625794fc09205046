"""Starting the GUI: the application object, translations, the window shown at once, the
library opened on a thread, and the search engine warmed up once the window is on screen."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from reader.library import Library, LibraryError

log = logging.getLogger(__name__)

ORG = "Pizhu"
APP = "Pizhu"


class LibraryOpener(QThread):
    """Opens (and if needed migrates) the library off the GUI thread."""

    opened = Signal(object)
    failed = Signal(str)

    def __init__(self, root: str | None, parent=None) -> None:  # noqa: ANN001
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


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    from reader.ui.i18n import install_translators
    from reader.ui.main_window import install_app_font

    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName("Pizhu 批注")
    app.setDesktopFileName("io.github.pizhu.Pizhu")
    install_translators(app)
    install_app_font(app)
    return app


def run_gui(library: str | None = None, files: Sequence[str] = ()) -> int:
    """Run the desktop app on the library at ``library`` (default: the usual place); ``files``
    are imported once it is open. Returns the process exit code."""
    app = make_app()
    from reader.ui.empty_state import app_icon
    from reader.ui.main_window import MainWindow

    app.setWindowIcon(app_icon())
    window = MainWindow(None)
    window.show()
    if files:
        window.start_import([str(f) for f in files])  # kept until the library is open
    state: dict[str, object] = {"library": None, "code": 0}

    def opened(lib: Library) -> None:
        state["library"] = lib
        if window.isVisible():
            window.attach_library(lib)
            QTimer.singleShot(200, window.warm_up)
        else:
            lib.close()

    def failed(message: str) -> None:
        state["code"] = 1
        QMessageBox.critical(window, QCoreApplication.translate("MainWindow", "Cannot open the library"), message)
        window.close()

    opener = LibraryOpener(library)
    opener.opened.connect(opened)
    opener.failed.connect(failed)
    opener.start()
    code = app.exec()
    opener.wait()
    app.processEvents()  # a library opened while the window was closing arrives now
    window.shutdown()
    lib = state["library"]
    if isinstance(lib, Library):
        lib.close()
    return int(state["code"]) or code
