"""Start-up timing for ``bench/startup.py``: with ``PIZHU_EXIT_AFTER_SHOW=1`` the GUI prints a
marker line when its main window is first painted (``shown``) and when the library is attached
and painted (``interactive``), then closes the window, so a benchmark can time a cold start
from outside. Armed by ``reader.cli.commands`` before ``run_gui``; does nothing otherwise.

``PIZHU_EXIT_AFTER_SHOW=import`` waits, after ``interactive``, for the import of the files given
on the command line ("Open with Pizhu") to finish, prints ``imported N`` (articles added) and
closes: tests/test_packaging.py checks the desktop entry's ``pizhu %F`` path with it.

Markers go to stdout, one per line: ``pizhu-startup: shown 0.412`` (seconds since the process
started, from /proc, 10 ms resolution; the benchmark times their arrival itself).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

ENV = "PIZHU_EXIT_AFTER_SHOW"


def _process_age() -> float:
    """Seconds since this process started (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


_T0 = time.perf_counter() - _process_age()


def _mark(what: str) -> None:
    sys.stdout.write(f"pizhu-startup: {what} {time.perf_counter() - _T0:.3f}\n")
    sys.stdout.flush()


class _Probe(QObject):
    """Watches the first main window: its paints, its library, its imports."""

    def __init__(self, app: QApplication, wait_import: bool) -> None:
        super().__init__(app)
        self.window: QMainWindow | None = None
        self.wait_import = wait_import
        self.shown = False
        self.attached = False
        self.interactive = False
        self.done = False

    def _adopt(self, window: QMainWindow) -> None:
        self.window = window
        sig = getattr(window, "library_attached", None)
        if sig is not None:
            sig.connect(self._attached)
        self.attached = sig is None or getattr(window, "library", None) is not None
        if self.wait_import:
            cast("MainWindow", window).import_finished.connect(self._imported)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 (Qt API)
        t = ev.type()
        if self.window is None and isinstance(obj, QMainWindow) and t in (
                QEvent.Type.Show, QEvent.Type.Paint):
            self._adopt(obj)
        if self.interactive or t != QEvent.Type.Paint or self.window is None:
            return False
        if obj is self.window or (isinstance(obj, QWidget) and obj.window() is self.window):
            # after this paint has finished
            QTimer.singleShot(0, self._painted if self.attached else self._first_paint)
        return False

    def _attached(self) -> None:
        self.attached = True
        if self.window is not None:
            self.window.update()  # the next paint shows the library

    def _first_paint(self) -> None:
        if not self.shown:
            self.shown = True
            _mark("shown")

    def _painted(self) -> None:
        if self.interactive:
            return
        self._first_paint()
        self.interactive = True
        _mark("interactive")
        if not self.wait_import:
            self._finish()

    def _imported(self, summary: object) -> None:
        added = summary.count("added") if hasattr(summary, "count") else -1
        sys.stdout.write(f"pizhu-startup: imported {added}\n")
        sys.stdout.flush()
        self._finish()

    def _finish(self) -> None:
        if not self.done:
            self.done = True
            QTimer.singleShot(0, self._close)

    def _close(self) -> None:
        if self.window is not None:
            self.window.close()
        QTimer.singleShot(0, QApplication.quit)


def arm() -> None:
    """Create the application early and watch it (``run_gui`` reuses the instance)."""
    app = cast("QApplication | None", QApplication.instance()) or QApplication(sys.argv[:1])
    _mark("qt-loaded")
    app.installEventFilter(_Probe(app, os.environ.get(ENV, "") == "import"))
