"""Importing files and folders: runs on the library worker with progress and Cancel, then lists
what happened to every file (added, updated, unchanged, skipped or failed, with the reason)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.library import ImportSummary, Library
from reader.model import FileReport
from reader.ui.tasks import Job, LibraryWorker
from reader.ui.widgets import busy_bar, heading_label


def status_label(status: str) -> str:
    return {
        "added": QCoreApplication.translate("ImportDialog", "added"),
        "updated": QCoreApplication.translate("ImportDialog", "updated"),
        "unchanged": QCoreApplication.translate("ImportDialog", "unchanged"),
        "skipped": QCoreApplication.translate("ImportDialog", "skipped"),
        "failed": QCoreApplication.translate("ImportDialog", "not imported"),
    }.get(status, status)


def reason_label(reason: str) -> str:
    """The importer's reason in the interface language (known phrases; the rest as given)."""
    known = {
        "already imported": QCoreApplication.translate("ImportDialog", "already imported"),
        "no such file": QCoreApplication.translate("ImportDialog", "no such file"),
        "permission denied": QCoreApplication.translate("ImportDialog", "permission denied"),
        "is a folder": QCoreApplication.translate("ImportDialog", "is a folder"),
        "not a regular file": QCoreApplication.translate("ImportDialog", "not a regular file"),
        "empty file": QCoreApplication.translate("ImportDialog", "empty file"),
        "binary file": QCoreApplication.translate("ImportDialog", "binary file, not text"),
        "no articles found": QCoreApplication.translate("ImportDialog", "no articles found"),
    }
    if reason in known:
        return known[reason]
    for prefix, label in (
        ("file too large", QCoreApplication.translate("ImportDialog", "file too large")),
        ("not valid JSON", QCoreApplication.translate("ImportDialog", "not valid JSON")),
        ("cannot read file", QCoreApplication.translate("ImportDialog", "cannot read the file")),
    ):
        if reason.startswith(prefix):
            rest = reason[len(prefix):].strip(" :")
            return f"{label} {rest}".strip() if rest else label
    return reason


def summary_text(summary: ImportSummary) -> str:
    """One or two sentences: how many articles were added, how many files had nothing new…"""
    files = summary.files
    added = summary.count("added")
    updated = summary.count("updated")
    unchanged_files = sum(1 for f in files if f.status == "unchanged")
    bad = sum(1 for f in files if f.status in ("failed", "skipped"))
    parts = [QCoreApplication.translate("ImportDialog", "Articles added: %n", None, added)]
    if updated:
        parts.append(QCoreApplication.translate("ImportDialog", "updated: %n", None, updated))
    if unchanged_files:
        parts.append(QCoreApplication.translate(
            "ImportDialog", "files already in the library: %n", None, unchanged_files))
    if bad:
        parts.append(QCoreApplication.translate("ImportDialog", "files not imported: %n", None, bad))
    text = " · ".join(parts)
    if summary.cancelled:
        text = QCoreApplication.translate("ImportDialog", "Cancelled.") + " " + text
    return text


class ImportDialog(QDialog):
    """Shows one import: call :meth:`start` with paths; ``import_finished(summary)`` at the end."""

    import_finished = Signal(object)  # ImportSummary (or None when the job failed)

    def __init__(self, worker: LibraryWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.job: Job | None = None
        self.summary: ImportSummary | None = None
        self._finished = False
        self.setWindowTitle(self.tr("Import"))
        self.setMinimumWidth(560)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.heading = heading_label(self)
        self.current = QLabel(self)
        self.current.setObjectName("muted")
        self.current.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = busy_bar(self)
        self.report = QTreeWidget(self)
        self.report.setObjectName("importReport")
        self.report.setColumnCount(3)
        self.report.setHeaderLabels([self.tr("File"), self.tr("Result"), self.tr("Why")])
        self.report.setRootIsDecorated(False)
        self.report.setAlternatingRowColors(True)
        self.report.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.report.header().setStretchLastSection(True)
        self.report.setColumnWidth(0, 230)
        self.report.setColumnWidth(1, 110)
        self.report.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self._cancel_or_close)
        self.buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(10)
        lay.addWidget(self.heading)
        lay.addWidget(self.current)
        lay.addWidget(self.bar)
        lay.addWidget(self.report, 1)
        lay.addWidget(self.buttons)

    @property
    def running(self) -> bool:
        return self.job is not None and not self._finished

    def start(self, paths: Sequence[str | os.PathLike[str]]) -> Job:
        paths = [str(p) for p in paths]
        names = ", ".join(Path(p).name for p in paths[:3]) + ("…" if len(paths) > 3 else "")
        self.heading.setText(self.tr("Importing {names}").format(names=names))
        self.current.setText(self.tr("Looking for files…"))

        def work(lib: Library, job: Job) -> ImportSummary:
            return lib.import_paths(paths, progress=job.report, cancelled=job.cancelled)

        self.job = self.worker.submit(
            work, on_done=self._done, on_error=self._failed, name="import"
        )
        self.job.progress.connect(self._progress)
        return self.job

    def _progress(self, n: int, total: int, text: str) -> None:
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(n)
        if text:
            name = Path(text).name
            self.current.setText(self.tr("{n} of {total}: {name}").format(
                n=min(n + 1, total), total=total, name=name))

    def _cancel_or_close(self) -> None:
        if self.running:
            self.job.cancel()
            self.current.setText(self.tr("Cancelling after the current file…"))
            self.buttons.setEnabled(False)
        else:
            self.reject()

    def cancel(self) -> None:
        self._cancel_or_close()

    def _done(self, summary: ImportSummary) -> None:
        self._finished = True
        self.summary = summary
        self.bar.hide()
        self.current.hide()
        self.heading.setText(summary_text(summary))
        self._fill_report(summary.files)
        self._finish_buttons()
        self.import_finished.emit(summary)

    def _failed(self, message: str) -> None:
        self._finished = True
        self.bar.hide()
        self.current.setText(self.tr("The import stopped: {reason}").format(reason=message))
        self.heading.setText(self.tr("Import failed"))
        self._finish_buttons()
        self.import_finished.emit(None)

    def _finish_buttons(self) -> None:
        self.buttons.clear()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.setEnabled(True)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        close.setDefault(True)

    def _fill_report(self, files: list[FileReport]) -> None:
        self.report.clear()
        order = {"failed": 0, "skipped": 1, "added": 2, "updated": 3, "unchanged": 4}
        for f in sorted(files, key=lambda r: (order.get(r.status, 9), r.path)):
            what = status_label(f.status)
            if f.added or f.updated:
                what += " " + self.tr("(%n article(s))", "", f.added + f.updated)
            item = QTreeWidgetItem([Path(f.path).name, what, reason_label(f.reason)])
            item.setToolTip(0, f.path)
            item.setToolTip(2, f.reason)
            self.report.addTopLevelItem(item)
        self.report.setVisible(bool(files))
        if files:
            self.resize(max(self.width(), 640), 420)
