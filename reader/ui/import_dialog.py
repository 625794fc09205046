"""Importing files and folders: runs on the library worker with progress and Cancel, then lists
what happened to every file (added, updated, unchanged, skipped or failed, with the reason)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.importers.articlefile import path_metadata
from reader.core.importers.dates import to_iso_date
from reader.core.importers.errors import Code
from reader.core.library import ImportSummary, Library
from reader.core.model import FileReport
from reader.ui.tasks import Job, LibraryWorker
from reader.ui.widgets import busy_bar, heading_label, plain_tooltip


def status_label(status: str) -> str:
    return {
        "added": QCoreApplication.translate("ImportDialog", "added"),
        "updated": QCoreApplication.translate("ImportDialog", "updated"),
        "unchanged": QCoreApplication.translate("ImportDialog", "unchanged"),
        "skipped": QCoreApplication.translate("ImportDialog", "skipped"),
        "failed": QCoreApplication.translate("ImportDialog", "not imported"),
    }.get(status, status)


def reason_texts() -> dict[Code, str]:
    """Every import reason code in the interface language, with ``{detail}`` fields — the GUI's
    side of reader.core.importers.errors.ENGLISH. The English sentences there may carry an OS
    or parser message in English; these never do (the CLI shows those)."""
    return {
        Code.NO_SUCH_FILE: QCoreApplication.translate("ImportReason", "no such file"),
        Code.PERMISSION_DENIED: QCoreApplication.translate("ImportReason", "permission denied"),
        Code.IS_A_FOLDER: QCoreApplication.translate("ImportReason", "is a folder"),
        Code.NOT_A_REGULAR_FILE: QCoreApplication.translate("ImportReason", "not a regular file"),
        Code.CANNOT_LIST_FOLDER: QCoreApplication.translate("ImportReason", "cannot list the folder: {cause}"),
        Code.CANNOT_READ: QCoreApplication.translate("ImportReason", "cannot read the file ({error})"),
        Code.TOO_LARGE: QCoreApplication.translate("ImportReason", "file too large ({size}; the limit is {limit})"),
        Code.GREW_TOO_LARGE: QCoreApplication.translate("ImportReason", "file too large (more than {limit})"),
        Code.OUT_OF_MEMORY: QCoreApplication.translate("ImportReason", "out of memory"),
        Code.EMPTY: QCoreApplication.translate("ImportReason", "empty file"),
        Code.BINARY: QCoreApplication.translate("ImportReason", "binary file, not text"),
        Code.UNDECODABLE: QCoreApplication.translate("ImportReason", "cannot decode the text (tried UTF-8, GB18030, Big5, UTF-16)"),
        Code.NOT_JSON: QCoreApplication.translate("ImportReason", "not valid JSON: line {line}, column {column}"),
        Code.NOT_JSON_TRUNCATED: QCoreApplication.translate("ImportReason", "not valid JSON: line {line}, column {column} (cut off?)"),
        Code.NOT_JSON_VALUE: QCoreApplication.translate("ImportReason", "not valid JSON: a value cannot be read"),
        Code.JSON_TOO_DEEP: QCoreApplication.translate("ImportReason", "not valid JSON: nested too deeply"),
        Code.TOO_DEEPLY_NESTED: QCoreApplication.translate("ImportReason", "nested too deeply"),
        Code.NOT_HTML: QCoreApplication.translate("ImportReason", "not a readable HTML page"),
        Code.NO_ARTICLES: QCoreApplication.translate("ImportReason", "no articles found"),
        Code.METADATA_ONLY: QCoreApplication.translate("ImportReason", "metadata only, no article text"),
        Code.NO_PAGE_TEXT: QCoreApplication.translate("ImportReason", "no article text found on the page"),
        Code.WECHAT_DELETED: QCoreApplication.translate("ImportReason", "deleted by the publisher"),
        Code.WECHAT_BLOCKED: QCoreApplication.translate("ImportReason", "blocked for violating the rules"),
        Code.WECHAT_COMPLAINT: QCoreApplication.translate("ImportReason", "removed after a complaint"),
        Code.WECHAT_UNAVAILABLE: QCoreApplication.translate("ImportReason", "temporarily unavailable"),
        Code.WECHAT_MOVED: QCoreApplication.translate("ImportReason", "the account has moved"),
        Code.INTERNAL: QCoreApplication.translate("ImportReason", "internal error while reading ({error})"),
        Code.ALREADY_IMPORTED: QCoreApplication.translate("ImportReason", "already imported"),
        Code.NO_ARTICLE_TEXT: QCoreApplication.translate("ImportReason", "no article text"),
        Code.ARTICLE_TOO_LONG: QCoreApplication.translate("ImportReason", "an article is too long ({chars} characters; the limit is {limit})"),
        Code.NOT_SAVED: QCoreApplication.translate("ImportReason", "not saved in the library"),
        Code.NOT_SAVED_INTERNAL: QCoreApplication.translate("ImportReason", "not saved (internal error: {error})"),
        Code.ENTRIES_SKIPPED: QCoreApplication.translate(
            "ImportReason", "%n entry(s) without article text skipped", None, 1),
    }


def reason_text(code: str, detail: Mapping[str, Any] | None = None) -> str:
    """The reason ``code`` with its ``detail`` in the interface language ("" for no code)."""
    try:
        key = Code(code)
    except ValueError:
        return ""
    detail = dict(detail or {})
    if key is Code.ENTRIES_SKIPPED:
        return QCoreApplication.translate(
            "ImportReason", "%n entry(s) without article text skipped", None,
            int(detail.get("count", 0)))
    shown = {k: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else v
             for k, v in detail.items()}
    if "cause" in shown:  # another reason: in the same language
        shown["cause"] = reason_text(str(detail["cause"])) or str(detail["cause"])
    template = reason_texts()[key]
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):  # a detail missing: the sentence before it
        return template.split("{", 1)[0].rstrip(" (:：（")


def reason_label(report: FileReport) -> str:
    """Why a file was not imported (or what was left out), in the interface language: by its
    reason code; a report without one shows its text as given."""
    return reason_text(report.code, report.detail) or report.reason


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


def detected_metadata(paths: Sequence[str | os.PathLike[str]]) -> tuple[str, str]:
    """(source, date) that the chosen paths' names state when they all agree (a folder
    ``临江日报/2026-01-20``, files ``人民日报_2019-10-02_第3版.txt``), else empty. Only names are
    read: this runs on the GUI thread before the import starts."""
    sources, dates = set(), set()
    for p in paths:
        path = Path(p)
        # a folder's own name counts like a file's folder
        info = path_metadata(str(path / "_") if path.is_dir() else str(path))
        sources.add(info.source)
        dates.add(info.date)
    source = next(iter(sources)) if len(sources) == 1 else ""
    date = next(iter(dates)) if len(dates) == 1 else ""
    return source, date


class ImportDialog(QDialog):
    """Shows one import: call :meth:`start` with paths (or :meth:`ask` to let the user give a
    source and date first); ``import_finished(summary)`` at the end."""

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
        # source and date for the articles of this import that state none (see ask())
        self.form = QWidget(self)
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        self.form_note = QLabel(self.tr(
            "Source and date for the articles that state none (their text, file name or "
            "folder); leave empty to import them without."), self.form)
        self.form_note.setWordWrap(True)
        self.form_note.setObjectName("muted")
        self.source_edit = QLineEdit(self.form)
        self.source_edit.setMaxLength(200)
        self.date_edit = QLineEdit(self.form)
        self.date_edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.date_error = QLabel(self.form)
        self.date_error.setObjectName("muted")
        self.date_error.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.form_note)
        form.addRow(self.tr("Source"), self.source_edit)
        form.addRow(self.tr("Date"), self.date_edit)
        form.addRow(self.date_error)
        self.form_buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.form_buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        self.form_buttons.accepted.connect(self._start_from_form)
        self.form_buttons.rejected.connect(self.reject)
        self.date_edit.textChanged.connect(self._check_date)
        self.form.hide()
        self.form_buttons.hide()
        self._paths: list[str] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(10)
        lay.addWidget(self.heading)
        lay.addWidget(self.form)
        lay.addWidget(self.current)
        lay.addWidget(self.bar)
        lay.addWidget(self.report, 1)
        lay.addWidget(self.form_buttons)
        lay.addWidget(self.buttons)

    @property
    def running(self) -> bool:
        return self.job is not None and not self._finished

    @staticmethod
    def _names(paths: Sequence[str | os.PathLike[str]]) -> str:
        return ", ".join(Path(p).name for p in paths[:3]) + ("…" if len(paths) > 3 else "")

    def ask(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        """Before importing: show the source and date fields, prefilled from what the paths'
        names state (:func:`detected_metadata`); the import starts on Import."""
        self._paths = [str(p) for p in paths]
        source, date = detected_metadata(self._paths)
        self.source_edit.setText(source)
        self.date_edit.setText(date)
        self.heading.setText(self.tr("Import {names}").format(names=self._names(self._paths)))
        self.current.hide()
        self.bar.hide()
        self.buttons.hide()
        self.form.show()
        self.form_buttons.show()
        self._check_date()
        self.source_edit.setFocus()

    def form_values(self) -> tuple[str, str] | None:
        """(source, ISO date) from the fields, or None while the date is not a date."""
        source = " ".join(self.source_edit.text().split())
        raw = self.date_edit.text().strip()
        date = to_iso_date(raw) if raw else ""
        if raw and not date:
            return None
        return source, date

    def _check_date(self) -> None:
        ok = self.form_values() is not None
        self.date_error.setText("" if ok else self.tr("Not a date: use YYYY-MM-DD."))
        self.form_buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _start_from_form(self) -> None:
        values = self.form_values()
        if values is None:
            return
        self.form.hide()
        self.form_buttons.hide()
        self.current.show()
        self.bar.show()
        self.buttons.show()
        self.start(self._paths, source=values[0], date=values[1])

    def start(self, paths: Sequence[str | os.PathLike[str]], *, source: str = "",
              date: str = "") -> Job:
        """Import now; ``source``/``date`` go to the articles that come without them."""
        paths = [str(p) for p in paths]
        self.heading.setText(self.tr("Importing {names}").format(names=self._names(paths)))
        self.current.setText(self.tr("Looking for files…"))

        articles = [0]

        def counted(report: FileReport) -> None:
            articles[0] += report.added + report.updated

        def work(lib: Library, job: Job) -> ImportSummary:
            def progress(n: int, total: int, text: str) -> None:
                job.report(n, total, f"{articles[0]}\t{text}")

            return lib.import_paths(paths, progress=progress, cancelled=job.cancelled,
                                    source=source, date=date, on_file=counted)

        self._started = time.monotonic()

        self.job = self.worker.submit(
            work, on_done=self._done, on_error=self._failed, name="import"
        )
        self.job.progress.connect(self._progress)
        return self.job

    def _progress(self, n: int, total: int, text: str) -> None:
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(n)
        articles, _sep, path = text.partition("\t")
        if path:
            name = Path(path).name
            line = self.tr("{n} of {total}: {name}").format(
                n=min(n + 1, total), total=total, name=name)
            elapsed = time.monotonic() - self._started
            if n and elapsed > 1:
                rate = n / elapsed
                left = (total - n) / rate
                line += "\n" + self.tr(
                    "{articles} articles so far · {rate} files/s · about {left} left"
                ).format(articles=articles, rate=f"{rate:.0f}" if rate >= 10 else f"{rate:.1f}",
                         left=_duration(left))
            self.current.setText(line)

    _started = 0.0

    def _cancel_or_close(self) -> None:
        if self.job is not None and self.running:
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
            why = reason_label(f)
            item = QTreeWidgetItem([Path(f.path).name, what, why])
            item.setToolTip(0, plain_tooltip(f.path))
            item.setToolTip(1, plain_tooltip(what))
            item.setToolTip(2, plain_tooltip(why))
            self.report.addTopLevelItem(item)
        self.report.setVisible(bool(files))
        if files:
            self.resize(max(self.width(), 640), 420)
            # the result ("Added (12 articles)") is never cut; long file names are (tooltip)
            self.report.resizeColumnToContents(1)
            self.report.resizeColumnToContents(0)
            self.report.setColumnWidth(0, min(self.report.columnWidth(0), 300))


def _duration(seconds: float) -> str:
    """A rough time left: "40 s", "3 min", "1 h 5 min"."""
    if seconds < 60:
        return QCoreApplication.translate("ImportDialog", "{n} s").format(n=max(1, round(seconds)))
    minutes = round(seconds / 60)
    if minutes < 60:
        return QCoreApplication.translate("ImportDialog", "{n} min").format(n=minutes)
    return QCoreApplication.translate("ImportDialog", "{h} h {m} min").format(
        h=minutes // 60, m=minutes % 60)
