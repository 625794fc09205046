"""File → Import annotations…: :class:`ImportAnnotationsDialog` imports a Web Annotation JSON
file on the worker (:func:`reader.core.annotations_io.import_annotations`), shows what became of
every annotation and can take the import back. Tests call :meth:`ImportAnnotationsDialog.start`
with a path."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

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

from reader.core.library import Library
from reader.ui.tasks import Job, LibraryWorker
from reader.ui.widgets import busy_bar, heading_label, plain_tooltip

if TYPE_CHECKING:
    from reader.core.annotations_io import AnnotationImportReport, UndoReport


def skip_reason_label(reason: str) -> str:
    """An importer's reason for skipping an annotation, in the interface language."""
    lead = "its article is not in this library"
    if reason.startswith(lead):
        rest = reason.removeprefix(lead).strip()
        label = QCoreApplication.translate("ImportAnnotationsDialog",
                                           "its article is not in this library")
        return f"{label} {rest}".strip()
    known = {
        "the annotation has no id": QCoreApplication.translate(
            "ImportAnnotationsDialog", "the annotation has no id"),
        "the annotation has no target": QCoreApplication.translate(
            "ImportAnnotationsDialog", "the annotation has no target"),
        "the annotation has no TextQuoteSelector or TextPositionSelector":
            QCoreApplication.translate(
                "ImportAnnotationsDialog", "the annotation says nowhere which text it marks"),
        "its position is outside the article and it has no quote": QCoreApplication.translate(
            "ImportAnnotationsDialog", "its position is outside the article and it has no quote"),
    }
    return known.get(reason, reason)


class ImportAnnotationsDialog(QDialog):
    """Imports one Web Annotation JSON file: :meth:`start` with the path;
    ``import_finished(report)`` at the end (``None`` if the file could not be imported)."""

    import_finished = Signal(object)
    import_undone = Signal(object)  # reader.core.annotations_io.UndoReport (None: it failed)

    def __init__(self, worker: LibraryWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.job: Job | None = None
        self.report_value: object = None
        self.setWindowTitle(self.tr("Import annotations"))
        self.setMinimumWidth(560)
        self.heading = heading_label(self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = busy_bar(self)
        self.skipped = QTreeWidget(self)
        self.skipped.setObjectName("skippedAnnotations")
        self.skipped.setColumnCount(2)
        self.skipped.setHeaderLabels([self.tr("Annotation"), self.tr("Why it was skipped")])
        self.skipped.setRootIsDecorated(False)
        self.skipped.setAlternatingRowColors(True)
        self.skipped.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.skipped.header().setStretchLastSection(True)
        self.skipped.setColumnWidth(0, 220)
        self.skipped.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).clicked.connect(self.accept)
        # an import may overwrite notes and tags: it can be taken back as one step (issue 15)
        self.undo_button = self.buttons.addButton(self.tr("Undo this import"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.setToolTip(self.tr("Put every highlight this import changed back as "
                                            "it was, and remove the ones it added"))
        self.undo_button.clicked.connect(self.undo_import)
        self.undo_button.hide()
        self.buttons.setEnabled(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(10)
        lay.addWidget(self.heading)
        lay.addWidget(self.details)
        lay.addWidget(self.bar)
        lay.addWidget(self.skipped, 1)
        lay.addWidget(self.buttons)

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, path: str | os.PathLike[str]) -> Job:
        path = str(path)
        self.heading.setText(self.tr("Importing annotations from {name}…").format(
            name=Path(path).name))
        self.details.setText(path)

        def work(lib: Library, job: Job) -> object:
            from reader.core.annotations_io import import_annotations

            job.report(0, 0, path)
            return import_annotations(lib, path)

        self.job = self.worker.submit(work, on_done=self._done, on_error=self._failed,
                                      name="import annotations")
        return self.job

    def _done(self, report: AnnotationImportReport) -> None:
        self.job = None
        self.report_value = report
        self.bar.hide()
        self.buttons.setEnabled(True)
        r = report
        self.heading.setText(self.tr("{total} annotations in {name}").format(
            total=r.total, name=Path(r.path).name))
        lines = [
            self.tr("New highlights: {n}").format(n=r.imported),
            self.tr("Updated with a newer version: {n}").format(n=r.updated),
            self.tr("Already in the library: {n}").format(n=r.unchanged),
        ]
        if r.orphaned:
            lines.append(self.tr("Orphaned — their text is not in the article, kept so you can "
                                 "re-attach them: {n}").format(n=r.orphaned))
        if r.skipped:
            lines.append(self.tr("Skipped: {n}").format(n=len(r.skipped)))
        self.details.setText("\n".join(lines))
        self.skipped.clear()
        for label, reason in r.skipped:
            item = QTreeWidgetItem([label, skip_reason_label(reason)])
            item.setToolTip(0, plain_tooltip(label))
            item.setToolTip(1, plain_tooltip(reason))
            self.skipped.addTopLevelItem(item)
        self.skipped.setVisible(bool(r.skipped))
        if r.skipped:
            self.resize(max(self.width(), 680), 420)
        self.undo_button.setVisible(getattr(r, "import_id", None) is not None)
        self.import_finished.emit(report)

    def undo_import(self) -> Job | None:
        """Take the import just shown back (on the worker): highlights it changed get their
        earlier state, highlights it added go; ones edited since are left alone."""
        import_id = getattr(self.report_value, "import_id", None)
        if import_id is None or self.job is not None:
            return None
        self.undo_button.setEnabled(False)

        def work(lib: Library, _job: Job) -> object:
            from reader.core.annotations_io import undo_import

            return undo_import(lib, import_id)

        self.job = self.worker.submit(work, on_done=self._undone, on_error=self._undo_failed,
                                      name="undo annotation import")
        return self.job

    def _undone(self, report: UndoReport) -> None:
        self.job = None
        self.undo_button.hide()
        r = report
        self.heading.setText(self.tr("The import was undone"))
        lines = [self.tr("Highlights put back as they were: {n}").format(n=r.restored),
                 self.tr("New highlights removed: {n}").format(n=r.removed)]
        if r.kept:
            lines.append(self.tr("Changed since the import, left as they are: {n}").format(
                n=len(r.kept)))
        self.details.setText("\n".join(lines))
        self.import_undone.emit(report)

    def _undo_failed(self, message: str) -> None:
        self.job = None
        self.undo_button.setEnabled(True)
        self.details.setText(self.tr("The import could not be undone: {reason}").format(
            reason=message))
        self.import_undone.emit(None)

    def _failed(self, message: str) -> None:
        self.job = None
        self.bar.hide()
        self.buttons.setEnabled(True)
        self.heading.setText(self.tr("The annotations could not be imported"))
        self.details.setText(message)
        self.import_finished.emit(None)
