"""File → Export annotations… (File → Import annotations… is annotation_import_dialog.py).

:class:`ExportDialog` asks what to export (the open article, the articles selected in the list,
the highlights carrying some tags, or the whole library), in which format (Markdown to read,
W3C Web Annotation JSON to import again, CSV for spreadsheets) and where, then writes it on the
library worker (:func:`reader.core.exporters.export_file` / :func:`~reader.core.exporters.export_dir`).

The file chooser is separate from the work: tests call :meth:`ExportDialog.export_to` with a
path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.exporters import (
    EXTENSIONS,
    ExportError,
    Selection,
    check_output_path,
    destination_problem,
)
from reader.core.library import Library
from reader.ui.tag_edit import TagEdit
from reader.ui.tasks import Job, LibrarySignals, LibraryWorker
from reader.ui.widgets import busy_bar

if TYPE_CHECKING:
    from reader.core.exporters.templated import VaultReport

SCOPE_ARTICLE, SCOPE_SELECTED, SCOPE_TAGS, SCOPE_ALL = range(4)


def file_dialog_options() -> QFileDialog.Option:
    """Qt's own file dialog where there is no desktop to host a native one (tests, offscreen)."""
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return QFileDialog.Option.DontUseNativeDialog
    return QFileDialog.Option(0)


def format_label(fmt: str) -> str:
    return {
        "markdown": QCoreApplication.translate("ExportDialog", "Markdown — to read; links open "
                                               "Pizhu at each passage"),
        "json": QCoreApplication.translate("ExportDialog", "JSON — W3C Web Annotation; can be "
                                           "imported again"),
        "csv": QCoreApplication.translate("ExportDialog", "CSV — for spreadsheets"),
    }.get(fmt, fmt)


def _file_filter(fmt: str) -> str:
    return {
        "markdown": QCoreApplication.translate("ExportDialog", "Markdown (*.md)"),
        "json": QCoreApplication.translate("ExportDialog", "Web Annotation JSON (*.json "
                                           "*.jsonld)"),
        "csv": QCoreApplication.translate("ExportDialog", "CSV (*.csv)"),
    }[fmt]


class ExportDialog(QDialog):
    """What to export, how and where. ``export_finished(result)`` when the worker is done:
    ``(path, articles, highlights)`` for one file, a list of paths for a folder, ``None`` if it
    failed (the reason is in :attr:`status`)."""

    export_finished = Signal(object)

    def __init__(
        self, library: Library, worker: LibraryWorker, *, settings: QSettings | None = None,
        signals: LibrarySignals | None = None, article_id: int | None = None,
        article_title: str = "", selected_ids: Sequence[int] = (), tags: Sequence[str] = (),
        any_tag: bool = False, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.worker = worker
        self.settings = settings if settings is not None else QSettings()
        self.article_id = article_id
        self.selected_ids = list(dict.fromkeys(selected_ids))
        self.job: Job | None = None
        self.result_value: object = None
        self.setWindowTitle(self.tr("Export annotations"))
        self.setMinimumWidth(600)

        # what ------------------------------------------------------------
        self.scope_group = QButtonGroup(self)
        title = article_title if len(article_title) <= 40 else article_title[:39] + "…"
        self.scope_article = QRadioButton(
            self.tr("The open article: “{title}”").format(title=title) if article_id
            else self.tr("The open article"), self)
        self.scope_selected = QRadioButton(
            self.tr("The articles selected in the list ({n})").format(n=len(self.selected_ids)),
            self)
        self.scope_tags = QRadioButton(self.tr("Highlights tagged"), self)
        self.scope_all = QRadioButton(self.tr("The whole library"), self)
        for i, b in enumerate((self.scope_article, self.scope_selected, self.scope_tags,
                               self.scope_all)):
            self.scope_group.addButton(b, i)
        self.scope_article.setEnabled(article_id is not None)
        self.scope_selected.setEnabled(len(self.selected_ids) > 1
                                       or (len(self.selected_ids) == 1
                                           and self.selected_ids[0] != article_id))
        self.tag_edit = TagEdit(self, library=library, signals=signals)
        self.tag_edit.set_tags(tags)
        self.tag_mode = QComboBox(self)
        self.tag_mode.addItem(self.tr("all of them"), False)
        self.tag_mode.addItem(self.tr("any of them"), True)
        self.tag_mode.setCurrentIndex(1 if any_tag else 0)
        self.tag_mode.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.tag_mode.setMinimumWidth(self.tag_mode.sizeHint().width() + 16)
        self.tag_edit.textEdited.connect(lambda _t: self.scope_tags.setChecked(True))
        if tags:
            self.scope_tags.setChecked(True)
        elif article_id is not None:
            self.scope_article.setChecked(True)
        else:
            self.scope_all.setChecked(True)

        scope = QGridLayout()
        scope.setHorizontalSpacing(8)
        scope.setVerticalSpacing(6)
        scope.addWidget(self.scope_article, 0, 0, 1, 3)
        scope.addWidget(self.scope_selected, 1, 0, 1, 3)
        scope.addWidget(self.scope_tags, 2, 0)
        scope.addWidget(self.tag_edit, 2, 1)
        scope.addWidget(self.tag_mode, 2, 2)
        scope.addWidget(self.scope_all, 3, 0, 1, 3)
        scope.setColumnStretch(1, 1)

        # how -------------------------------------------------------------
        self.format_combo = QComboBox(self)
        for fmt in ("markdown", "json", "csv"):
            self.format_combo.addItem(format_label(fmt), fmt)
        last = str(self.settings.value("export/format", "markdown"))
        i = self.format_combo.findData(last)
        self.format_combo.setCurrentIndex(max(i, 0))
        self.format_combo.currentIndexChanged.connect(lambda _i: self._format_changed())
        self.orphans = QCheckBox(self.tr("Include orphaned highlights (their text is gone "
                                         "from the article)"), self)
        self.orphans.setChecked(True)
        self.per_article = QCheckBox(self.tr("One file per article, into a folder"), self)
        self.per_article.toggled.connect(lambda _b: self._format_changed())
        # issue 17: Markdown through a template, one file per article into a vault folder
        from reader.ui.export_templates import TemplateChooser

        self.templates = TemplateChooser(self.settings, self)
        self.templates.changed.connect(self._template_changed)

        # where -----------------------------------------------------------
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("exportPath")
        self.browse = QPushButton(self.tr("Choose…"), self)
        self.browse.clicked.connect(self.choose_path)
        where = QHBoxLayout()
        where.setSpacing(6)
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        form.addRow(self.tr("Export:"), scope)
        form.addRow(self.tr("Format:"), self.format_combo)
        form.addRow("", self.orphans)
        form.addRow("", self.per_article)
        form.addRow(self.tr("Template:"), self.templates)
        form.addRow(self.tr("Save to:"), where)

        self.bar = busy_bar(self)
        self.bar.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(self.tr("Export"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.show_button = self.buttons.addButton(self.tr("Show the file"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.show_button.hide()
        self.show_button.clicked.connect(self._show_result)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(lambda: self.export_to(self.path_edit.text()))
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(12)
        lay.addLayout(form)
        lay.addWidget(self.bar)
        lay.addWidget(self.status)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self._article_title = article_title
        self._named = ""  # the default file name last put in the path field
        self._format_changed()
        self._template_changed()
        # the default name follows the scope (a tag name only for a tag export)
        self.scope_group.idToggled.connect(lambda _i, on: self._scope_changed() if on else None)

    # ------------------------------------------------------------------ choices
    @property
    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def set_format(self, fmt: str) -> None:
        i = self.format_combo.findData(fmt)
        if i < 0:
            raise ValueError(fmt)
        self.format_combo.setCurrentIndex(i)

    def set_scope(self, scope: int) -> None:
        self.scope_group.button(scope).setChecked(True)

    def scope(self) -> int:
        return self.scope_group.checkedId()

    def selection(self) -> Selection:
        """The :class:`reader.core.exporters.Selection` the dialog's choices describe."""
        scope = self.scope()
        orphans = self.orphans.isChecked()
        if scope == SCOPE_ARTICLE and self.article_id is not None:
            return Selection(article_ids=[self.article_id], include_orphans=orphans)
        if scope == SCOPE_SELECTED:
            return Selection(article_ids=list(self.selected_ids), include_orphans=orphans)
        if scope == SCOPE_TAGS:
            self.tag_edit.commit()
            return Selection(tags=self.tag_edit.tags(), any_tag=bool(self.tag_mode.currentData()),
                             include_orphans=orphans)
        if scope == SCOPE_ALL:
            return Selection(everything=True, include_orphans=orphans)
        return Selection()

    def _default_name(self) -> str:
        from reader.core.exporters import safe_filename

        stem = f"pizhu-annotations-{date.today().isoformat()}"
        scope = self.scope()
        if scope == SCOPE_TAGS and self.tag_edit.tags():
            stem = safe_filename("pizhu-" + "-".join(self.tag_edit.tags()), fallback=stem)
        elif scope == SCOPE_ARTICLE and self._article_title:
            stem = safe_filename("pizhu-" + self._article_title[:40], fallback=stem)
        self._named = stem
        return stem

    def _scope_changed(self) -> None:
        """A new scope renames the file, unless the user gave it a name of their own."""
        text = self.path_edit.text().strip()
        if self.per_article.isChecked() or not text:
            return
        path = Path(text)
        if path.stem == self._named:
            self.path_edit.setText(str(path.with_name(self._default_name() + path.suffix)))

    def _template_changed(self) -> None:
        if self.templates.template():  # a template writes a folder of files
            self.per_article.setChecked(True)

    def _format_changed(self) -> None:
        """Keep the destination's extension in step with the format (or drop it for a folder)."""
        self.templates.setEnabled(self.fmt == "markdown")
        folder = str(self.settings.value("export/dir", "") or Path.home())
        text = self.path_edit.text().strip()
        if self.per_article.isChecked():
            if not text or Path(text).suffix.lower() in (".md", ".json", ".csv", ".jsonld"):
                self.path_edit.setText(str(Path(text).parent) if text else folder)
            self.browse.setToolTip(self.tr("Choose the folder to write the files into"))
            return
        self.browse.setToolTip(self.tr("Choose the file to write"))
        ext = EXTENSIONS[self.fmt]
        if not text or Path(text).is_dir():
            base = Path(text) if text else Path(folder)
            self.path_edit.setText(str(base / (self._default_name() + ext)))
        elif Path(text).suffix.lower() in (".md", ".json", ".csv", ".jsonld"):
            self.path_edit.setText(str(Path(text).with_suffix(ext)))

    def choose_path(self) -> str:
        """Ask for the destination with a file (or folder) chooser; '' if cancelled."""
        current = self.path_edit.text().strip()
        if self.per_article.isChecked():
            chosen = QFileDialog.getExistingDirectory(
                self, self.tr("Export into a folder"), current, file_dialog_options()
                | QFileDialog.Option.ShowDirsOnly)
        else:
            chosen, _f = QFileDialog.getSaveFileName(  # export_to asks about replacing
                self, self.tr("Export annotations"), current, _file_filter(self.fmt), "",
                file_dialog_options() | QFileDialog.Option.DontConfirmOverwrite)
            if chosen and not Path(chosen).suffix:
                chosen += EXTENSIONS[self.fmt]
        if chosen:
            self.path_edit.setText(chosen)
        return chosen

    # ------------------------------------------------------------------ the work
    @property
    def running(self) -> bool:
        return self.job is not None

    def export_to(self, path: str | os.PathLike[str]) -> Job | None:
        """Export the chosen highlights to ``path`` (a file, or with "one file per article" a
        folder) on the worker; ``None`` (and a message) if the choices cannot be exported."""
        if self.running:
            return None
        sel = self.selection()
        if sel.empty:
            self._fail(self.tr("Choose what to export: type the tags, or pick another option."))
            return None
        text = str(path).strip()
        if not text:
            self._fail(self.tr("Choose where to save the export."))
            return None
        try:
            target = check_output_path(text)
        except ExportError as e:
            self._fail(str(e))
            return None
        fmt = self.fmt
        per_article = self.per_article.isChecked()
        if per_article and not target.is_dir():
            self._fail(self.tr("“{path}” is not an existing folder.").format(path=str(target)))
            return None
        if not per_article and target.is_dir():
            self._fail(self.tr("“{path}” is a folder: give a file name.").format(
                path=str(target)))
            return None
        overwrite = False
        if not per_article and target.is_file() and not destination_problem(
                self.library, target, overwrite=True):  # replacing is the one thing in the way
            from reader.ui.backup_ui import confirm_replace

            if not confirm_replace(self, target):
                self._fail(self.tr("Nothing was exported: “{path}” was kept.").format(
                    path=str(target)))
                return None
            overwrite = True
        template = self.templates.template() if fmt == "markdown" else ""
        since_last = bool(template) and self.templates.since_last.isChecked()
        if template and not per_article:
            self._fail(self.tr("A template writes one file per article: choose a folder."))
            return None
        self.templates.remember()
        self.settings.setValue("export/format", fmt)
        self.settings.setValue("export/dir", str(target if per_article else target.parent))

        def work(lib: Library, job: Job) -> object:
            from reader.core.exporters import export_dir, export_file

            job.report(0, 0, "")
            if template:  # files found again by their markers and updated in place
                from reader.core.exporters.templated import export_vault

                return export_vault(lib, sel, target, template, since_last=since_last)
            if per_article:  # names already taken get a number; nothing is replaced
                return export_dir(lib, sel, fmt, target)
            return export_file(lib, sel, fmt, target, overwrite=overwrite)

        self._busy(True)
        self.status.setText(self.tr("Exporting…"))
        self.job = self.worker.submit(work, on_done=self._done, on_error=self._failed,
                                      name="export annotations")
        return self.job

    def _busy(self, on: bool) -> None:
        self.bar.setVisible(on)
        self.export_button.setEnabled(not on)
        for w in (self.format_combo, self.path_edit, self.browse, self.per_article, self.orphans,
                  self.templates):
            w.setEnabled(not on)

    def _done(self, result: object) -> None:
        self.job = None
        self._busy(False)
        self.result_value = result
        if hasattr(result, "unchanged"):  # a templated export (VaultReport)
            vault = cast("VaultReport", result)
            self.status.setText(self.tr("Wrote {n} files to {path} ({same} unchanged, {left} "
                                        "left alone)").format(
                n=len(vault.written), path=str(vault.folder), same=len(vault.unchanged),
                left=len(vault.skipped)))
        elif isinstance(result, tuple):
            path, articles, highlights = result
            self.status.setText(self.tr("Exported {highlights} highlights from {articles} "
                                        "articles to {path}").format(
                highlights=highlights, articles=articles, path=str(path)))
        else:
            files = list(result)  # type: ignore[call-overload]
            folder = files[0].parent if files else Path(self.path_edit.text())
            self.status.setText(self.tr("Wrote {n} files to {path}").format(
                n=len(files), path=str(folder)))
        self.show_button.setVisible(True)
        self.export_finished.emit(result)

    def _failed(self, message: str) -> None:
        self.job = None
        self._busy(False)
        self._fail(self.tr("The export failed: {reason}").format(reason=message))
        self.export_finished.emit(None)

    def _fail(self, text: str) -> None:
        self.status.setText(text)
        self.show_button.hide()

    def _show_result(self) -> None:
        r = self.result_value
        where = Path(r[0]).parent if isinstance(r, tuple) else Path(self.path_edit.text())
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(where)))
