"""What the main window does with the library as a whole, through a dialog or in the background:
importing articles, exporting and importing annotations, backup and restore, the warm-up after
start and the daily backup. The window's File menu calls these; each long job runs on the
:class:`LibraryWorker`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.core import paths
from reader.core.library import Library
from reader.ui import backup_ui
from reader.ui.annotation_import_dialog import ImportAnnotationsDialog
from reader.ui.article_model import COL_TITLE
from reader.ui.export_dialog import ExportDialog, file_dialog_options
from reader.ui.import_dialog import ImportDialog
from reader.ui.tasks import Job, LibraryWorker
from reader.ui.widgets import show_message
from reader.ui.workspace import TAB_RECALL, Workspace

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow


def samples_dir() -> Path:
    return paths.resources_dir() / "samples"


class LibraryTasks(QObject):
    """Made with the window; the library comes later (``window.library``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.settings = window.settings
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.annotation_import_dialog: ImportAnnotationsDialog | None = None
        self.backup_dialog: backup_ui.BackupDialog | None = None
        self.pending_files: list[str] = []  # given before the library was open

    # the library, its worker and the workspace: there once the window's library is open (the
    # actions that call these are enabled only then)
    @property
    def library(self) -> Library:
        assert self.w.library is not None, "the window's library actions need a library"
        return self.w.library

    @property
    def worker(self) -> LibraryWorker:
        assert self.w.worker is not None, "the window's library actions need its worker"
        return self.w.worker

    @property
    def ws(self) -> Workspace:
        assert self.w.workspace is not None, "the window's library actions need its workspace"
        return self.w.workspace

    # ------------------------------------------------------------------ import
    def import_files(self) -> None:
        files, _f = QFileDialog.getOpenFileNames(
            self.w, self.tr("Import files"), str(self.settings.value("import/dir", "")),
            self.tr("Articles (*.txt *.json *.md *.text *.html *.htm);;All files (*)"),
        )
        if files:
            self.settings.setValue("import/dir", str(Path(files[0]).parent))
            self.start_import(files, ask=True)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.w, self.tr("Import a folder"), str(self.settings.value("import/dir", "")))
        if folder:
            self.settings.setValue("import/dir", folder)
            self.start_import([folder], ask=True)

    def load_samples(self) -> ImportDialog | None:
        return self.start_import([str(samples_dir())])

    def start_import(self, paths_: Sequence[str], *, ask: bool = False) -> ImportDialog | None:
        """Import files/folders on the worker with a progress dialog; returns the dialog.
        ``ask``: first let the user give a source and date for articles that state none.
        Before the library is open the paths are kept and imported once it is."""
        if self.w.library is None:
            self.pending_files.extend(str(p) for p in paths_)
            return None
        if self.library.readonly:
            self.w.notify(self.tr("The library is open read-only."))
            return None
        if self.import_dialog is not None and self.import_dialog.running:
            self.w.notify(self.tr("An import is already running."))
            return None
        dlg = ImportDialog(self.worker, self.w)
        self.import_dialog = dlg
        dlg.import_finished.connect(self._import_finished)
        if ask:
            dlg.ask(list(paths_))
        else:
            dlg.start(list(paths_))
        dlg.show()
        return dlg

    def _import_finished(self, summary: object) -> None:
        self.fill_sort_keys()
        self.w.update_page()
        self.ws.open_first_if_none()
        self.w.import_finished.emit(summary)

    def fill_sort_keys(self) -> Job | None:
        """Give new titles their pinyin sort keys on the worker; re-sort a list sorted by
        title once they are in."""
        if self.library.readonly or self.w.closing:
            return None
        pane = self.ws.list_pane

        def done(n: object) -> None:
            if n and pane.model.sort_column == COL_TITLE:
                pane.reload()

        return self.worker.submit(lambda lib, _job: lib.fill_title_sort_keys(), on_done=done,
                                    name="title sort keys")

    # ------------------------------------------------------------------ export and import
    def export_annotations(self) -> ExportDialog | None:
        """File → Export annotations…: the dialog, preset to the open article or the tags
        being recalled."""
        if self.export_dialog is not None and self.export_dialog.running:
            self.export_dialog.raise_()
            return self.export_dialog
        ws = self.ws
        art = ws.reader.article if ws.shown else None
        recalling = ws.tabs.currentIndex() == TAB_RECALL and bool(ws.recall.tags())
        # the tags being recalled, else those the article list is filtered by
        tags = ws.recall.tags() or list(ws.list_pane.filter.tags)
        dlg = ExportDialog(
            self.library, self.worker, settings=self.settings, signals=self.w.signals,
            article_id=art.id if art else None, article_title=art.title if art else "",
            selected_ids=ws.selected_article_ids(), tags=tags,
            any_tag=ws.recall.any_tag() if ws.recall.tags() else False, parent=self.w,
        )
        if not recalling and art is not None:
            dlg.set_scope(0)
        dlg.export_finished.connect(self._export_finished)
        self.export_dialog = dlg
        dlg.show()
        return dlg

    def _export_finished(self, result: object) -> None:
        if isinstance(result, tuple):
            self.w.notify(self.tr("Exported {n} highlights to {path}").format(
                n=result[2], path=str(result[0])))

    def import_annotations(self) -> None:
        """File → Import annotations…: choose a Web Annotation JSON file, then import it."""
        if self.library.readonly:
            return
        path, _f = QFileDialog.getOpenFileName(
            self.w, self.tr("Import annotations"), str(self.settings.value("export/dir", "")),
            self.tr("Web Annotation JSON (*.json *.jsonld);;All files (*)"), "",
            file_dialog_options())
        if path:
            self.start_annotation_import(path)

    def start_annotation_import(self, path: str) -> ImportAnnotationsDialog | None:
        """Import the annotations in ``path`` on the worker; the dialog shows the report."""
        if self.library.readonly:
            return None
        if self.annotation_import_dialog is not None and self.annotation_import_dialog.running:
            self.w.notify(self.tr("An import of annotations is already running."))
            return None
        dlg = ImportAnnotationsDialog(self.worker, self.w)
        self.annotation_import_dialog = dlg
        dlg.start(path)
        dlg.show()
        return dlg

    # ------------------------------------------------------------------ backup and restore
    def backup_library(self) -> None:
        """File → Back up library…: choose the archive, then write it on the worker."""
        start = str(self.settings.value("backup/dir", "") or Path.home())
        path = backup_ui.choose_backup_file(self.w, start)
        if path:
            self.start_backup(path)

    def start_backup(self, path: str) -> backup_ui.BackupDialog | None:
        if self.backup_dialog is not None and self.backup_dialog.running:
            self.w.notify(self.tr("A backup or restore is already running."))
            return None
        self.settings.setValue("backup/dir", str(Path(path).parent))
        dlg = backup_ui.BackupDialog(self.worker, self.w)
        self.backup_dialog = dlg
        if dlg.start_backup(path) is None:  # the user kept the existing file
            return None
        dlg.show()
        return dlg

    def restore_backup(self) -> None:
        """File → Restore from backup…: choose the archive and a new empty folder; the open
        library is left alone and the restored one can be opened in a window of its own."""
        start = str(self.settings.value("backup/dir", "") or Path.home())
        archive = backup_ui.choose_archive(self.w, start)
        if not archive:
            return
        while True:
            folder = backup_ui.choose_empty_folder(self.w, str(Path(archive).parent))
            if not folder:
                return
            problem = backup_ui.folder_problem(folder, self.library.root)
            if not problem:
                break
            show_message(self.w, QMessageBox.Icon.Information, self.tr("Restore from backup"),
                         problem)
        self.start_restore(archive, folder)

    def start_restore(self, archive: str, folder: str) -> backup_ui.BackupDialog | None:
        problem = backup_ui.folder_problem(folder, self.library.root)
        if problem:
            self.w.notify(problem)
            return None
        if self.backup_dialog is not None and self.backup_dialog.running:
            self.w.notify(self.tr("A backup or restore is already running."))
            return None
        dlg = backup_ui.BackupDialog(self.worker, self.w)
        self.backup_dialog = dlg
        dlg.open_requested.connect(self.open_other_library)
        dlg.start_restore(archive, folder)
        dlg.show()
        return dlg

    def open_other_library(self, root: str) -> None:
        if not self.w.launch_library(root):
            self.w.notify(self.tr("Pizhu could not be started on {path}.").format(path=root))

    # ------------------------------------------------------------------ background chores
    def start_auto_backup(self) -> Job | None:
        """The daily automatic backup (in the library's ``backups`` folder, the last few kept),
        on the worker; does nothing if today's exists or it is switched off."""
        if self.w.library is None or self.library.readonly or self.w.closing:
            return None
        if self.settings.value("backup/auto", True) in (False, "false", "0"):
            return None
        try:
            keep = max(1, int(str(self.settings.value("backup/auto_keep", backup_ui.AUTO_KEEP))))
        except (TypeError, ValueError):
            keep = backup_ui.AUTO_KEEP

        used = [str(self.settings.value(k, "") or "") for k in ("backup/dir", "export/dir")]

        def work(lib: Library, _job: Job) -> object:
            from reader.core.backup import auto_backup

            backup_ui.clean_stale_copies(used)  # what killed backups/exports left there
            return auto_backup(lib, keep)

        def done(made: object) -> None:
            if made is not None:
                self.w.statusBar().showMessage(
                    self.tr("Daily backup saved: {path}").format(path=str(made)), 5000)

        return self.worker.submit(
            work, on_done=done, name="auto backup",
            on_error=lambda m: self.w.notify(self.tr("The daily backup failed: {reason}").format(
                reason=m)))

    def warm_up(self) -> None:
        """Open the search index and load jieba on the worker, after the window is shown."""
        if self.w.library is None or self.library.readonly:
            return

        def work(lib: Library, job: Any) -> str | None:
            lib.fill_title_sort_keys()  # titles sort by pinyin (new libraries, old ones)
            lib.index()
            try:
                lib.search("预热", limit=1, with_snippets=False)
            except ValueError:
                pass
            # Then read the whole index once: damage that keeps file sizes is found here, and
            # the index is rebuilt before a search can miss an article because of it.
            return lib.verify_index()

        def done(problem: str | None) -> None:
            self.w.statusBar().clearMessage()
            if problem:
                self.w.notify(problem)

        self.w.statusBar().showMessage(self.tr("Preparing search…"))
        self.worker.submit(work, on_done=done, on_error=self.w.notify, name="warm-up")
