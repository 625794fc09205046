"""Sync in the window (issue 16; docs/SYNC.md): Settings ▸ Sync…, Sync now, automatic sync every
few minutes and when the window closes — always on the library worker, never on the GUI thread —
and a status line (last sync, changes waiting, or the error in one sentence).

:func:`install` is the one call the main window makes once its library is open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library

AUTO_SYNC_MS = 5 * 60 * 1000  # every five minutes while sync is on
FIRST_SYNC_MS = 15 * 1000  # … and once soon after the window opens
QUIT_TIMEOUT_S = 15.0  # a WebDAV server that does not answer does not hold up quitting long


def _engine(lib: Library, password: str | None = None, timeout: float | None = None) -> Any:
    from reader.core.sync import SyncEngine, make_target

    engine = SyncEngine(lib, password=password)
    spec = engine.settings()["target"]
    if spec and timeout is not None:
        target = make_target(spec, password)
        if hasattr(target, "timeout"):
            target.timeout = timeout
        engine = SyncEngine(lib, target, password=password)
    return engine


class SyncController(QObject):
    """Runs syncs on the worker and keeps the status line."""

    status_changed = Signal(str)
    synced = Signal(object)  # the SyncReport
    failed = Signal(str)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        from reader.core.sync import attach

        self.w = window
        self.library: Library = window.library
        self.running = False
        attach(self.library)  # changes are recorded as they are made (when sync is on)
        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_SYNC_MS)
        self.timer.timeout.connect(self.auto_sync)
        self.act_sync = QAction(self.tr("S&ync now"), window)
        self.act_sync.triggered.connect(self.sync_now)
        self.act_settings = QAction(self.tr("S&ync settings…"), window)
        self.act_settings.triggered.connect(self.open_settings)
        self.error = ""
        self.refresh()
        if self.enabled():
            self.timer.start()
            QTimer.singleShot(FIRST_SYNC_MS, self.auto_sync)

    # ------------------------------------------------------------------ state
    def status(self) -> dict[str, Any]:
        from reader.core.sync import SyncEngine

        st: dict[str, Any] = SyncEngine(self.library).status()
        return st

    def enabled(self) -> bool:
        return bool(self.status()["enabled"]) and not self.library.readonly

    def refresh(self) -> None:
        st = self.status()
        self.act_sync.setEnabled(st["enabled"] and not self.running
                                 and not self.library.readonly)
        self.act_settings.setEnabled(not self.library.readonly)
        if not st["enabled"]:
            text = ""
        elif self.running:
            text = self.tr("Syncing…")
        elif st["last_error"]:
            text = self.tr("Sync failed: {reason}").format(reason=st["last_error"])
        else:
            when = self._when(st["last_sync"])
            waiting = int(st["changes_waiting"])
            text = (self.tr("Synced {when}").format(when=when) if when
                    else self.tr("Not synced yet"))
            if waiting:
                text += " · " + self.tr("%n change(s) waiting", "", waiting)
        self.label.setText(text)
        self.label.setVisible(bool(text))
        self.label.setToolTip(st["last_error"] or "")
        self.status_changed.emit(text)

    @staticmethod
    def _when(iso: str) -> str:
        if not iso:
            return ""
        dt = QDateTime.fromString(iso, Qt.DateFormat.ISODate).toLocalTime()
        if not dt.isValid():
            return iso
        if dt.date() == QDateTime.currentDateTime().date():
            return dt.toString("HH:mm")
        return dt.toString("yyyy-MM-dd HH:mm")

    # ------------------------------------------------------------------ syncing
    def sync_now(self) -> Any:
        """One sync on the worker (nothing when one runs or sync is off). Returns the job."""
        if self.running or self.w.closing or not self.enabled():
            return None
        self.running = True
        self.refresh()

        def work(lib: Library, job: Any) -> object:
            return _engine(lib).sync(progress=job.report, cancelled=job.cancelled)

        return self.w.worker.submit(work, on_done=self._done, on_error=self._failed,
                                    name="sync")

    def auto_sync(self) -> None:
        if not self.running and not self.w.closing and self.enabled():
            self.sync_now()

    def _done(self, report: object) -> None:
        self.running = False
        self.refresh()
        self.synced.emit(report)

    def _failed(self, message: str) -> None:
        self.running = False
        self.refresh()  # the status line shows the reason (kept by the engine)
        self.failed.emit(message)

    def on_quit(self) -> None:
        """The window closes: one last sync, queued on the worker before it stops (the worker
        finishes queued work), with a short network timeout; no callbacks (the window is gone)."""
        self.timer.stop()
        if self.running or self.library.readonly or not self.status()["enabled"]:
            return
        self.w.worker.submit(lambda lib, _job: _engine(lib, timeout=QUIT_TIMEOUT_S).sync(),
                             name="sync on quit")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and obj is self.w \
                and not getattr(obj, "closing", False):
            self.on_quit()
        return False

    # ------------------------------------------------------------------ settings
    def open_settings(self) -> SyncDialog:
        dlg = SyncDialog(self.w, self.library, self.status())
        dlg.accepted.connect(lambda: self._apply(dlg))
        dlg.turned_off.connect(self._turn_off)
        dlg.open()
        return dlg

    def _apply(self, dlg: SyncDialog) -> None:
        spec, name, password = dlg.result_spec()

        def work(lib: Library, _job: Any) -> object:
            from reader.core.sync import SyncEngine, store_password

            if spec["kind"] == "webdav" and password:
                try:
                    store_password(spec["url"], spec["user"], password)
                except Exception:
                    pass  # no keyring here: the engine below still has it for this session
            SyncEngine(lib, password=password).configure(spec, name)
            return None

        def configured(_r: object) -> None:
            self.timer.start()
            self.refresh()
            self.sync_now()

        self.w.worker.submit(work, on_done=configured, on_error=self._failed,
                             name="sync settings")

    def _turn_off(self) -> None:
        def work(lib: Library, _job: Any) -> object:
            from reader.core.sync import SyncEngine

            SyncEngine(lib).configure(None)
            return None

        self.timer.stop()
        self.w.worker.submit(work, on_done=lambda _r: self.refresh(), name="sync off")


class SyncDialog(QDialog):
    """Settings ▸ Sync: a folder or a WebDAV server, this device's name, a connection test."""

    turned_off = Signal()
    tested = Signal(str)  # the test's outcome, one sentence

    def __init__(self, parent: QWidget | None, library: Library, status: dict[str, Any]) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle(self.tr("Sync"))
        self.setObjectName("syncDialog")
        target = status.get("target") or {}
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Keep this library in step with your other computers. Pizhu writes its changes as "
            "small files into a folder or onto a WebDAV server and reads the others' files; the "
            "library database itself is never copied."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.kind = QButtonGroup(self)
        self.use_folder = QRadioButton(self.tr(
            "A folder kept in sync by Syncthing, Nextcloud, 坚果云, Dropbox…"))
        self.use_webdav = QRadioButton(self.tr("A WebDAV server (坚果云, Nextcloud, a NAS)"))
        self.kind.addButton(self.use_folder)
        self.kind.addButton(self.use_webdav)
        lay.addWidget(self.use_folder)
        row = QHBoxLayout()
        self.folder = QLineEdit(target.get("path", ""))
        self.folder.setPlaceholderText(self.tr("Folder"))
        self.browse = QPushButton(self.tr("Choose…"))
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        lay.addLayout(row)
        lay.addWidget(self.use_webdav)
        form = QFormLayout()
        self.url = QLineEdit(target.get("url", ""))
        self.url.setPlaceholderText("https://dav.jianguoyun.com/dav/pizhu/")
        self.user = QLineEdit(target.get("user", ""))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("kept in the system keyring"))
        form.addRow(self.tr("Address"), self.url)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        lay.addLayout(form)
        form2 = QFormLayout()
        self.device = QLineEdit(status.get("device_name", ""))
        self.device.setPlaceholderText(self.tr("e.g. office laptop"))
        form2.addRow(self.tr("This computer's name"), self.device)
        lay.addLayout(form2)
        test_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("syncMessage")
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.message, 1)
        lay.addLayout(test_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(self.tr("Save and sync"),
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.off = buttons.addButton(self.tr("Turn sync off"),
                                     QDialogButtonBox.ButtonRole.DestructiveRole)
        self.off.setVisible(bool(status.get("enabled")))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.off.clicked.connect(self._off)
        lay.addWidget(buttons)
        (self.use_webdav if target.get("kind") == "webdav" else self.use_folder).setChecked(True)
        self.kind.buttonToggled.connect(lambda *_: self._update())
        self.tested.connect(self.message.setText)
        self._update()
        self.resize(560, self.sizeHint().height())

    def _update(self) -> None:
        webdav = self.use_webdav.isChecked()
        for w in (self.url, self.user, self.password):
            w.setEnabled(webdav)
        self.folder.setEnabled(not webdav)
        self.browse.setEnabled(not webdav)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose the sync folder"),
                                                self.folder.text() or str(Path.home()))
        if path:
            self.folder.setText(path)

    def problem(self) -> str:
        """Why the settings cannot be used, in one sentence ('' when they can)."""
        if self.use_folder.isChecked():
            text = self.folder.text().strip()
            if not text:
                return self.tr("Choose a folder.")
            folder = Path(text).expanduser()
            if not folder.is_dir():
                return self.tr("The folder {path} does not exist.").format(path=text)
            root = self.library.root.resolve()
            if folder.resolve() == root or root in folder.resolve().parents:
                return self.tr("The sync folder must be outside the library folder.")
            return ""
        if not self.url.text().strip().startswith(("http://", "https://")):
            return self.tr("The address must start with https:// (or http://).")
        if not self.user.text().strip():
            return self.tr("Give the user name.")
        return ""

    def result_spec(self) -> tuple[dict[str, str], str, str | None]:
        if self.use_folder.isChecked():
            spec = {"kind": "folder",
                    "path": str(Path(self.folder.text().strip()).expanduser().resolve())}
        else:
            spec = {"kind": "webdav", "url": self.url.text().strip(),
                    "user": self.user.text().strip()}
        return spec, self.device.text().strip(), self.password.text() or None

    def test_connection(self) -> None:
        """Connect and list the target on a short-lived thread (never on the GUI thread); the
        outcome shows beside the button."""
        import threading

        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        spec, _name, password = self.result_spec()
        self.message.setText(self.tr("Testing…"))
        ok_text = self.tr("Connected: Pizhu can sync there.")

        def run() -> None:
            from reader.core.sync import SyncError, make_target

            try:
                target = make_target(spec, password)
                try:
                    target.prepare()
                    target.list("logs")
                finally:
                    target.close()
                outcome = ok_text
            except SyncError as e:
                outcome = str(e)
            except Exception as e:  # anything else the target library raised
                outcome = f"{type(e).__name__}: {e}"
            try:
                self.tested.emit(outcome)  # queued to the GUI thread
            except RuntimeError:
                pass  # the dialog was closed meanwhile

        threading.Thread(target=run, name="pizhu-sync-test", daemon=True).start()

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        self.accept()

    def _off(self) -> None:
        self.turned_off.emit()
        self.reject()


def install(window: Any) -> SyncController:
    """Sync for the window whose library just opened: "Sync now" and "Sync settings…" in the
    File menu (before Quit), the status line, the timer and the sync on closing."""
    ctl = SyncController(window)
    menu = window.menus["file"]
    quit_action = window.actions_by_key.get("act_quit")
    before = quit_action if quit_action in menu.actions() else None
    menu.insertAction(before, ctl.act_sync)
    menu.insertAction(before, ctl.act_settings)
    menu.insertSeparator(before)
    window.addAction(ctl.act_sync)
    window.installEventFilter(ctl)
    window.sync = ctl
    return ctl
