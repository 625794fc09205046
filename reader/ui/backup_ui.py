"""File → Back up library… and File → Restore from backup…, and the daily automatic backup.

Backups are written on the library worker (:func:`reader.core.backup.backup`: SQLite's online backup
API, so the copy is consistent while the app keeps running). A restore goes into a new or empty
folder the user picks (:func:`reader.core.backup.restore`, which rebuilds the search index there); the
app then offers to open the restored library in a new window of its own. The automatic backup
(:func:`reader.core.backup.auto_backup`) runs once a day after the window is shown, keeping the last
:data:`AUTO_KEEP` in ``<library>/backups``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QProcess, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from reader.core.backup import BackupInfo
from reader.core.library import Library
from reader.ui.export_dialog import file_dialog_options
from reader.ui.tasks import Job, LibraryWorker
from reader.ui.widgets import busy_bar, heading_label, show_message

AUTO_KEEP = 7


def default_backup_name(today: date | None = None) -> str:
    return f"pizhu-backup-{(today or date.today()).isoformat()}.zip"


def open_library_command(root: str | os.PathLike[str]) -> tuple[str, list[str]]:
    """The program and arguments that start Pizhu on another library (a bundle or a checkout)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--library", str(root)]
    return sys.executable, ["-m", "reader", "--library", str(root)]


def launch_library(root: str | os.PathLike[str]) -> bool:
    """Start a separate Pizhu window on ``root``; False if the program could not be started."""
    program, args = open_library_command(root)
    ok, _pid = QProcess.startDetached(program, args)
    return bool(ok)


class BackupDialog(QDialog):
    """One backup or restore running on the worker: a heading, a busy bar, then the outcome.

    ``finished_work(result)``: a :class:`reader.core.backup.BackupInfo`, or ``None`` if it failed
    (the reason is in :attr:`message`)."""

    finished_work = Signal(object)
    open_requested = Signal(str)  # "Open it" after a restore: the restored library's folder

    def __init__(self, worker: LibraryWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.job: Job | None = None
        self.info: BackupInfo | None = None
        self.kind = ""
        self.setMinimumWidth(520)
        self.heading = heading_label(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = busy_bar(self)
        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton(self.tr("Open the restored library"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.hide()
        self.open_button.clicked.connect(self._open_restored)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.reject)
        self.close_button.setEnabled(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(10)
        lay.addWidget(self.heading)
        lay.addWidget(self.message)
        lay.addWidget(self.bar)
        lay.addStretch(1)
        lay.addWidget(self.buttons)

    @property
    def running(self) -> bool:
        return self.job is not None

    def start_backup(self, path: str | os.PathLike[str]) -> Job | None:
        """Back the library up to ``path`` (a .zip) on the worker. An existing file is replaced
        only if the user confirms (``None``, nothing written, if not); a place inside the library,
        a folder, a device or a FIFO is refused by :func:`reader.core.backup.backup` with a message."""
        from reader.core.backup import destination_problem

        out = str(path)
        overwrite = False
        # ask only when replacing is the one thing in the way (the library's own files are
        # refused without a question)
        if out.strip() and _existing_file(out) and not destination_problem(
                self.worker.library, Path(out).expanduser().absolute(), overwrite=True):
            if not confirm_replace(self.parentWidget() or self, out):
                return None
            overwrite = True
        self.kind = "backup"
        self.setWindowTitle(self.tr("Back up library"))
        self.heading.setText(self.tr("Backing up the library…"))
        self.message.setText(out)

        def work(lib: Library, _job: Job) -> BackupInfo:
            from reader.core.backup import backup

            return backup(lib, out, overwrite=overwrite)

        return self._submit(work, "backup")

    def start_restore(self, archive: str | os.PathLike[str],
                      target: str | os.PathLike[str]) -> Job:
        """Restore ``archive`` into the new or empty folder ``target`` (on the worker: it is long,
        and the open library is not touched)."""
        src, dst = str(archive), str(target)
        self.kind = "restore"
        self.setWindowTitle(self.tr("Restore from backup"))
        self.heading.setText(self.tr("Restoring {name}…").format(name=Path(src).name))
        self.message.setText(self.tr("Into {path}; the search index is rebuilt there.").format(
            path=dst))

        def work(_lib: Library, _job: Job) -> BackupInfo:
            from reader.core.backup import restore

            return restore(src, dst)

        return self._submit(work, "restore")

    def _submit(self, work: Callable[[Library, Job], BackupInfo], name: str) -> Job:
        self.job = self.worker.submit(work, on_done=self._done, on_error=self._failed, name=name)
        return self.job

    def _done(self, info: BackupInfo) -> None:
        self.job = None
        self.info = info
        self.bar.hide()
        self.close_button.setEnabled(True)
        size = f"{max(1, info.size // 1024):,} KB"
        if self.kind == "backup":
            self.heading.setText(self.tr("The library is backed up"))
            self.message.setText(self.tr(
                "{articles} articles and {highlights} highlights in {path} ({size}). Restore it "
                "with File → Restore from backup…").format(
                articles=info.articles, highlights=info.highlights, path=str(info.path),
                size=size))
        else:
            self.heading.setText(self.tr("The backup is restored"))
            self.message.setText(self.tr(
                "{articles} articles and {highlights} highlights are in the library at {path}. "
                "This window stays on your current library.").format(
                articles=info.articles, highlights=info.highlights, path=str(info.path)))
            self.open_button.show()
            self.open_button.setDefault(True)
        self.finished_work.emit(info)

    def _failed(self, message: str) -> None:
        self.job = None
        self.bar.hide()
        self.close_button.setEnabled(True)
        self.heading.setText(self.tr("The backup failed") if self.kind == "backup"
                             else self.tr("The restore failed"))
        self.message.setText(message)
        self.finished_work.emit(None)

    def _open_restored(self) -> None:
        if self.info is not None:
            self.open_requested.emit(str(self.info.path))
        self.accept()


def _existing_file(path: str) -> bool:
    """Whether ``path`` is an existing regular file (the one case worth a question: anything
    else there is refused by the back end)."""
    try:
        return Path(path).expanduser().is_file()
    except (OSError, ValueError):
        return False


def confirm_replace(parent: QWidget, path: str | os.PathLike[str]) -> bool:
    """Ask before a backup or export replaces an existing file (No is the default). The path
    is shown as plain text (a file may be named ``<img src=…>.zip``)."""
    answer = show_message(
        parent, QMessageBox.Icon.Question,
        QCoreApplication.translate("BackupDialog", "Replace the file?"),
        QCoreApplication.translate(
            "BackupDialog", "“{path}” already exists. Replace it? Its current contents will be "
            "lost.").format(path=str(path)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def clean_stale_copies(folders: list[str]) -> None:
    """Remove the temporary copies killed backups and exports left in the folders last used for
    them (run with the daily backup, on the worker: a few directory listings)."""
    from reader.core import fileguard

    for folder in dict.fromkeys(f for f in folders if f):
        fileguard.clean_stale(folder)


def choose_backup_file(parent: QWidget, start_dir: str) -> str:
    """A save-file chooser for a new backup archive; '' if cancelled. The chooser does not ask
    about replacing a file: :meth:`BackupDialog.start_backup` does, for the final name."""
    path, _f = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("BackupDialog", "Back up library"),
        str(Path(start_dir) / default_backup_name()),
        QCoreApplication.translate("BackupDialog", "Pizhu backup (*.zip)"), "",
        file_dialog_options() | QFileDialog.Option.DontConfirmOverwrite)
    if path and not path.lower().endswith(".zip"):
        path += ".zip"
    return path


def choose_archive(parent: QWidget, start_dir: str) -> str:
    path, _f = QFileDialog.getOpenFileName(
        parent, QCoreApplication.translate("BackupDialog", "Choose a backup to restore"),
        start_dir,
        QCoreApplication.translate("BackupDialog", "Pizhu backup (*.zip);;All files (*)"), "",
        file_dialog_options())
    return path


def choose_empty_folder(parent: QWidget, start_dir: str) -> str:
    return QFileDialog.getExistingDirectory(
        parent, QCoreApplication.translate(
            "BackupDialog", "Choose a new, empty folder for the restored library"),
        start_dir, file_dialog_options() | QFileDialog.Option.ShowDirsOnly)


def folder_problem(folder: str | os.PathLike[str], library_root: Path | None) -> str:
    """Why ``folder`` cannot take a restore ('' if it can): it must be new or empty, and not the
    open library."""
    p = Path(folder).expanduser().absolute()
    if library_root is not None and p.resolve() == library_root.resolve():
        return QCoreApplication.translate(
            "BackupDialog", "That is the open library. Choose a new, empty folder.")
    if p.exists() and not p.is_dir():
        return QCoreApplication.translate(
            "BackupDialog", "“{path}” is a file. Choose a new, empty folder.").format(path=str(p))
    if p.is_dir() and any(p.iterdir()):
        return QCoreApplication.translate(
            "BackupDialog", "“{path}” is not empty. Choose a new, empty folder: nothing in your "
            "current library is replaced by a restore.").format(path=str(p))
    return ""
