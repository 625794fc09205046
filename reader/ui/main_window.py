"""The main window: sidebar | article list, search, recall | reader pane and annotations.

Everything that writes goes through the :class:`LibraryWorker`; the window only reads. Library
changes arrive as :class:`LibrarySignals` and refresh what shows them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QCursor,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader.core import paths
from reader.core.library import ArticleFilter, Library, LibraryError
from reader.core.model import HIGHLIGHT_COLORS
from reader.ui import backup_ui
from reader.ui import theme as th
from reader.ui.annotations_panel import AnnotationsPanel
from reader.ui.article_list import ArticleListPane
from reader.ui.article_manage import ArticleManager
from reader.ui.article_model import COL_TITLE
from reader.ui.empty_state import EmptyState, app_icon
from reader.ui.export_dialog import ExportDialog, ImportAnnotationsDialog, file_dialog_options
from reader.ui.highlight_editor import HighlightEditor
from reader.ui.import_dialog import ImportDialog
from reader.ui.reader_view import ReaderView, color_label
from reader.ui.recall_view import RecallView
from reader.ui.search_panel import QueryRunner, SearchPanel
from reader.ui.shortcuts_dialog import ShortcutsDialog, action_rows, plain_label
from reader.ui.sidebar import Sidebar
from reader.ui.tag_edit import TagEdit
from reader.ui.tasks import Job, LibrarySignals, LibraryWorker
from reader.ui.undo_scope import MergeCommand, SplitCommand, UndoScope
from reader.ui.versions_dialog import VersionsDialog
from reader.ui.widgets import show_message, text_label

log = logging.getLogger(__name__)

PAGE_LOADING, PAGE_EMPTY, PAGE_MAIN = range(3)
TAB_ARTICLES, TAB_SEARCH, TAB_RECALL = range(3)


def samples_dir() -> Path:
    return paths.resources_dir() / "samples"


def standard_keys(key: QKeySequence.StandardKey) -> list[QKeySequence]:
    """All the platform's bindings of a standard key (tests stand in other platforms' here)."""
    return list(QKeySequence.keyBindings(key))


def key_sequences(keys: object) -> list[QKeySequence]:
    """Key sequences from strings, standard keys or sequences (one or a list), each once: a
    sequence bound twice to one action is an ambiguous shortcut for Qt and never fires."""
    items = list(keys) if isinstance(keys, list | tuple) else [keys]
    out: list[QKeySequence] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, QKeySequence.StandardKey):
            seqs = standard_keys(item)
        else:
            seqs = [QKeySequence(item)]  # type: ignore[call-overload]
        for seq in seqs:
            text = seq.toString(QKeySequence.SequenceFormat.PortableText)
            if not seq.isEmpty() and text not in seen:
                seen.add(text)
                out.append(seq)
    return out


READING_MIN_CHARS = 28  # the reading column never gets narrower while the window has room
MAIN_RATIOS = [0.13, 0.29, 0.58]  # sidebar | list | reader and annotations
RIGHT_RATIOS = [0.7, 0.3]  # reader | annotations


def _ratios(splitter: QSplitter) -> list[float]:
    sizes = splitter.sizes()
    total = sum(sizes)
    return [round(s / total, 4) for s in sizes] if total > 0 else []


class _Placeholder(QLabel):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("muted")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMargin(24)


class CreatedHighlightCommand(QUndoCommand):
    """Undo for a highlight just made: undo deletes it, redo brings it back."""

    def __init__(self, worker: LibraryWorker, uuid: str, text: str) -> None:
        super().__init__(text)
        self.worker = worker
        self.uuid = uuid
        self._first = True

    def redo(self) -> None:
        if self._first:  # it was created before the command was pushed
            self._first = False
            return
        uuid = self.uuid
        self.worker.write(lambda lib: lib.delete_highlight(uuid, deleted=False))

    def undo(self) -> None:
        uuid = self.uuid
        self.worker.write(lambda lib: lib.delete_highlight(uuid))


class MainWindow(QMainWindow):
    """``MainWindow(library)``; ``library=None`` shows a loading page until
    :meth:`attach_library` is called (the app opens the library off the critical path)."""

    library_attached = Signal()
    article_opened = Signal(int)
    import_finished = Signal(object)  # ImportSummary | None
    notice = Signal(str)

    def __init__(
        self, library: Library | None = None, *, settings: QSettings | None = None,
        worker: LibraryWorker | None = None, signals: LibrarySignals | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.library: Library | None = None
        self.worker: LibraryWorker | None = worker
        self.signals: LibrarySignals | None = signals
        self._owns_worker = worker is None
        self.runner: QueryRunner | None = None
        self.import_dialog: ImportDialog | None = None
        self.last_message = ""
        self._pending_files: list[str] = []
        self._pending_links: list[str] = []
        self.export_dialog: ExportDialog | None = None
        self.annotation_import_dialog: ImportAnnotationsDialog | None = None
        self.backup_dialog: backup_ui.BackupDialog | None = None
        self.versions_dialog: VersionsDialog | None = None
        self.launch_library = backup_ui.launch_library  # opens a restored library (tests stub it)
        self._pending_query: tuple[int, str] | None = None
        self._closing = False
        self._reading_mode = False
        self._pending_ratios: tuple[list[float], list[float]] | None = None
        self.setWindowTitle("Pizhu 批注")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.resize(1440, 900)

        self.stack = QStackedWidget(self)
        self.loading = _Placeholder(self.tr("Opening the library…"), self)
        self.empty = EmptyState(self)
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self.empty)
        self.setCentralWidget(self.stack)
        self.empty.import_files.connect(self.import_files)
        self.empty.import_folder.connect(self.import_folder)
        self.empty.load_samples.connect(self.load_samples)

        self.undo_stack = QUndoStack(self)
        self.theme_name = str(self.settings.value("view/theme", "system"))
        self.theme = th.resolve_theme(self.theme_name)
        self._make_actions()
        self._make_menus()
        self.statusBar().setSizeGripEnabled(False)
        self._busy_label = QLabel(self)
        self._busy_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self._busy_label)
        self._restore_geometry()
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_scheme_changed)
        self._set_library_actions_enabled(False)
        if library is not None:
            self.attach_library(library)

    # ------------------------------------------------------------------ actions and menus
    def _action(self, text: str, slot: Callable[..., Any] | None = None,
                shortcut: str | QKeySequence | Sequence[Any] | None = None,
                tip: str = "", checkable: bool = False) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcuts(key_sequences(shortcut))
        if tip:
            act.setStatusTip(tip)
        act.setCheckable(checkable)
        if slot is not None:
            act.triggered.connect(lambda *_a, s=slot: s())
        self.addAction(act)
        return act

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        a = self._action
        self.act_import = a(self.tr("&Import files…"), self.import_files, K.Open)
        self.act_import_folder = a(self.tr("Import &folder…"), self.import_folder, "Ctrl+Shift+O")
        self.act_samples = a(self.tr("Load the &sample library"), self.load_samples)
        self.act_export = a(self.tr("&Export annotations…"), self.export_annotations,
                            "Ctrl+Shift+E")
        self.act_import_annotations = a(self.tr("Import a&nnotations…"),
                                        self.import_annotations, "Ctrl+Shift+I")
        self.act_backup = a(self.tr("&Back up library…"), self.backup_library)
        self.act_restore = a(self.tr("&Restore from backup…"), self.restore_backup)
        self.act_quit = a(self.tr("&Quit"), self.close, "Ctrl+Q")
        # one stack; an undo opens the article it changes and says what it undid
        self.undo_scope = UndoScope(self, self.undo_stack)
        self.act_undo = self.undo_scope.undo_action
        self.act_undo.setShortcuts(key_sequences(K.Undo))
        self.act_redo = self.undo_scope.redo_action
        # the platform's redo keys (Ctrl+Shift+Z on X11, Ctrl+Y on Windows) plus the other one;
        # a key listed twice makes Qt's shortcut map ambiguous and the key does nothing
        self.act_redo.setShortcuts(key_sequences([K.Redo, "Ctrl+Shift+Z", "Ctrl+Y"]))
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)

        self.act_find = a(self.tr("&Find in article…"), self._open_find, K.Find)
        self.act_find_next = a(self.tr("Find &next"), self._find_next, K.FindNext)
        self.act_find_prev = a(self.tr("Find &previous"), self._find_prev, K.FindPrevious)
        self.act_search = a(self.tr("&Search the library…"), self.focus_search, "Ctrl+K")
        self.act_filter = a(self.tr("Filter the article &list"), self._focus_filter, "Ctrl+L")

        self.act_tab_articles = a(self.tr("&Articles"), lambda: self.show_tab(TAB_ARTICLES),
                                  "Ctrl+1")
        self.act_tab_search = a(self.tr("Searc&h results"), lambda: self.show_tab(TAB_SEARCH),
                                "Ctrl+2")
        self.act_tab_recall = a(self.tr("&Recall by tag"), lambda: self.show_tab(TAB_RECALL),
                                "Ctrl+3")
        self.act_sidebar = a(self.tr("Show &sidebar"), self._toggle_sidebar, "Ctrl+Shift+B",
                             checkable=True)
        self.act_annotations = a(self.tr("Show a&nnotations"), self._toggle_annotations,
                                 "Ctrl+Shift+A", checkable=True)
        self.act_zoom_in = a(self.tr("&Bigger text"), self._zoom_in, ["Ctrl+=", "Ctrl++"])
        self.act_zoom_out = a(self.tr("S&maller text"), self._zoom_out, "Ctrl+-")
        self.act_zoom_reset = a(self.tr("&Normal text size"), self._zoom_reset, "Ctrl+0")
        self.act_fullscreen = a(self.tr("&Full screen"), self._toggle_fullscreen, K.FullScreen,
                                checkable=True)
        self.act_next_theme = a(self.tr("Next &theme"), self._next_theme, "Ctrl+Shift+T")
        self.act_reading_mode = a(self.tr("&Reading mode"), self.toggle_reading_mode,
                                  "Ctrl+Shift+R", checkable=True,
                                  tip=self.tr("Only the article: hide the list and the panels"))
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name, label in (
            ("system", self.tr("Follow the system")), ("light", self.tr("Light")),
            ("dark", self.tr("Dark")), ("sepia", self.tr("Sepia")),
        ):
            act = QAction(label, self)
            act.setCheckable(True)
            act.setChecked(name == self.theme_name)
            act.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            self.theme_group.addAction(act)
            self.theme_actions[name] = act

        self.act_next_article = a(self.tr("&Next article"), lambda: self.step_article(1),
                                  ["Alt+Down", "Ctrl+]"])
        self.act_prev_article = a(self.tr("&Previous article"), lambda: self.step_article(-1),
                                  ["Alt+Up", "Ctrl+["])
        self.act_toggle_read = a(self.tr("Mark as read / &unread"), self.toggle_read, "Ctrl+U")
        self.act_article_tags = a(self.tr("Article &tags…"), self.edit_article_tags, "Ctrl+T")
        self.act_merge = a(self.tr("&Merge with the previous article"), self.merge_with_previous,
                           "Ctrl+Shift+M")
        self.act_split = a(self.tr("&Split the article at the cursor's line"),
                           self.split_at_cursor, "Ctrl+Shift+L")
        self.act_versions = a(self.tr("&Version history…"), self.show_versions, "Ctrl+Shift+H")

        self.color_actions: dict[str, QAction] = {}
        for i, name in enumerate(HIGHLIGHT_COLORS, 1):
            act = a(self.tr("Highlight in {color}").format(color=color_label(name)),
                    lambda n=name: self.highlight_selection(n), str(i))
            self.color_actions[name] = act
        self.act_note = a(self.tr("Highlight and add a &note…"), self._highlight_with_note, "N")
        self.act_shortcuts = a(self.tr("&Keyboard shortcuts"), self.show_shortcuts,
                               ["Ctrl+/", "F1"])
        self.act_about = a(self.tr("&About Pizhu"), self.show_about)

    def _make_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu(self.tr("&File"))
        m.addActions([self.act_import, self.act_import_folder, self.act_samples])
        m.addSeparator()
        m.addActions([self.act_export, self.act_import_annotations])
        m.addSeparator()
        m.addActions([self.act_backup, self.act_restore])
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu(self.tr("&Edit"))
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        m.addActions([self.act_search, self.act_filter])
        m.addSeparator()
        m.addActions([self.act_find, self.act_find_next, self.act_find_prev])
        m = mb.addMenu(self.tr("&View"))
        m.addActions([self.act_tab_articles, self.act_tab_search, self.act_tab_recall])
        m.addSeparator()
        m.addActions([self.act_sidebar, self.act_annotations, self.act_reading_mode])
        m.addSeparator()
        m.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset])
        tm = m.addMenu(self.tr("&Theme"))
        tm.addActions(list(self.theme_actions.values()))
        tm.addSeparator()
        tm.addAction(self.act_next_theme)
        m.addAction(self.act_fullscreen)
        m = mb.addMenu(self.tr("&Article"))
        m.addActions([self.act_next_article, self.act_prev_article, self.act_toggle_read,
                      self.act_article_tags])
        m.addSeparator()
        m.addActions([self.act_merge, self.act_split])
        m.addSeparator()
        m.addAction(self.act_versions)
        m = mb.addMenu(self.tr("Hi&ghlight"))  # &H is Help
        m.addActions(list(self.color_actions.values()))
        m.addSeparator()
        m.addAction(self.act_note)
        self.highlight_menu = m
        m = mb.addMenu(self.tr("&Help"))
        m.addActions([self.act_shortcuts, self.act_about])

    def _set_library_actions_enabled(self, on: bool) -> None:
        for act in (
            self.act_import, self.act_import_folder, self.act_samples, self.act_find,
            self.act_find_next, self.act_find_prev, self.act_search, self.act_filter,
            self.act_tab_articles, self.act_tab_search, self.act_tab_recall,
            self.act_next_article, self.act_prev_article, self.act_toggle_read,
            self.act_article_tags, self.act_merge, self.act_split, self.act_note,
            self.act_export, self.act_import_annotations, self.act_backup, self.act_restore,
            self.act_versions, *self.color_actions.values(),
        ):
            act.setEnabled(on)

    # ------------------------------------------------------------------ the library
    def attach_library(self, library: Library) -> None:
        """Build the library views (called once, when the library is open)."""
        self.library = library
        if self.worker is None:
            self.worker = LibraryWorker(library, self)
        if self.signals is None:
            self.signals = LibrarySignals(library, self)
        worker, signals = self.worker, self.signals
        self.runner = QueryRunner(library, self)

        # left: sources and tags
        self.sidebar = Sidebar(library, signals)
        self.sidebar.setMinimumWidth(150)
        self.sidebar.source_selected.connect(self._source_selected)
        self.sidebar.tags_selected.connect(self._tags_selected)

        # middle: articles / search / recall
        self.list_pane = ArticleListPane(library, self.settings, self)
        self.search_panel = SearchPanel(library, self.runner, self)
        self.recall = RecallView(library, worker, signals, undo_stack=self.undo_stack)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.list_pane, self.tr("Articles"))
        self.tabs.addTab(self.search_panel, self.tr("Search"))
        self.tabs.addTab(self.recall, self.tr("Recall"))
        self.tabs.setMinimumWidth(280)

        # right: reader and annotations
        self.reader = ReaderView(library, worker, signals, self.settings, self)
        self.annotations = AnnotationsPanel(library, worker, signals, undo_stack=self.undo_stack)
        self.annotations.setMinimumWidth(200)
        self.highlight_editor = HighlightEditor(library, worker, signals, self.undo_stack,
                                                parent=self)

        self.right = QSplitter(Qt.Orientation.Horizontal, self)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(self.reader)
        self.right.addWidget(self.annotations)
        self.right.setStretchFactor(0, 1)
        self.right.setStretchFactor(1, 0)
        self.right.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([190, 420, 830])
        self.right.setSizes([600, 260])
        self.stack.addWidget(self.splitter)

        # wiring
        # several articles can be chosen (Ctrl/Shift+click) to export their annotations
        self.list_pane.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list_pane.article_selected.connect(self.open_article)
        self.list_pane.article_activated.connect(self._read_article)
        self.list_pane.filters_cleared.connect(self._filters_cleared)
        self.search_panel.result_activated.connect(self.open_search_result)
        self.runner.finished_request.connect(self._query_done)
        self.reader.highlight_clicked.connect(self.edit_highlight)
        self.reader.note_requested.connect(self._edit_note)
        self.reader.message.connect(self.notify)
        self.reader.split_requested.connect(self.split_at_cursor)
        self.reader.toggle_read_requested.connect(self.toggle_read)
        self.reader.article_shown.connect(self._article_shown)
        self.reader.read_marked.connect(lambda aid: self.list_pane.model.set_read_locally(aid, True))
        self.reader.highlight_created.connect(self._highlight_created)
        self.reader.text.selectionChanged.connect(self._reader_selection_changed)
        self.annotations.highlight_activated.connect(
            lambda uuid: self.reader.scroll_to_highlight(uuid, flash=True))
        self.annotations.edit_requested.connect(lambda uuid: self.edit_highlight(uuid))
        self.annotations.reattach_requested.connect(self.reattach_highlight)
        self.recall.open_highlight.connect(self.open_highlight)
        self.sidebar.recall_requested.connect(self.recall_tags)
        signals.articles_changed.connect(self._articles_changed)
        signals.article_changed.connect(self.list_pane.model.refresh_article)
        signals.highlights_changed.connect(self.list_pane.model.refresh_article)
        signals.index_changed.connect(self._index_changed)
        worker.busy_changed.connect(self._busy_changed)
        # edit details, trash, tag rename/merge/delete: list and tag browser context menus
        self.article_manager = ArticleManager(self)

        self._restore_state()
        self.apply_theme()
        self._set_library_actions_enabled(True)
        if library.readonly:
            for act in (self.act_import, self.act_import_folder, self.act_samples,
                        self.act_merge, self.act_split, self.act_note, self.act_article_tags,
                        self.act_import_annotations, *self.color_actions.values()):
                act.setEnabled(False)
            self.notify(self.tr("The library is open read-only."))
        self._update_page()
        # after a drag (not inside it: the splitter would set its own sizes again)
        self.splitter.splitterMoved.connect(
            lambda *_a: QTimer.singleShot(0, lambda: self._fit_panels(collapse=False)))
        self.right.splitterMoved.connect(
            lambda *_a: QTimer.singleShot(0, lambda: self._fit_panels(collapse=False)))
        self.reader.font_changed.connect(lambda *_a: self._fit_panels())
        QTimer.singleShot(0, self._fit_panels)
        last = self.settings.value(self._lib_key("last/article_id"),
                                   self.settings.value("last/article_id"))
        if self.stack.currentIndex() == PAGE_MAIN:
            try:
                last_id = int(last) if last is not None else None
            except (TypeError, ValueError):
                last_id = None
            if last_id is not None and self.open_article(last_id, select=True):
                pass
            elif self.list_pane.model.rowCount():
                self.list_pane.select_article(
                    self.list_pane.model.article_at(0).id, quiet=False)
        for msg in library.messages:
            self.notify(msg)
        self.library_attached.emit()
        if self._pending_files:
            files, self._pending_files = self._pending_files, []
            self.start_import(files)
        if self._pending_links:
            links, self._pending_links = self._pending_links, []
            for url in links:
                self.open_link(url)

    def _update_page(self) -> None:
        if self.library is None:
            self.stack.setCurrentIndex(PAGE_LOADING)
            return
        # articles all in the trash still show the main page: its Trash row brings them back
        empty = self.library.count_articles() == 0 and (
            self.library.count_articles(ArticleFilter(trashed=True)) == 0)
        self.stack.setCurrentIndex(PAGE_EMPTY if empty else PAGE_MAIN)
        for act in (self.act_find, self.act_find_next, self.act_find_prev, self.act_merge,
                    self.act_split, self.act_toggle_read, self.act_article_tags,
                    self.act_versions, self.act_export):
            act.setEnabled(not empty)
        if self.library.readonly:
            self.act_import_annotations.setEnabled(False)

    @property
    def showing_empty_state(self) -> bool:
        return self.stack.currentIndex() == PAGE_EMPTY

    # ------------------------------------------------------------------ opening articles
    def open_article(self, article_id: int, *, select: bool = False) -> bool:
        """Show an article in the reader (select=True also makes it the list's current row)."""
        if self.library is None:
            return False
        if self.reader.article_id != article_id and not self.reader.show_article(article_id):
            return False
        if select:
            self.list_pane.select_article(article_id)
        self.annotations.set_article(article_id)
        self.settings.setValue(self._lib_key("last/article_id"), article_id)
        self.article_opened.emit(article_id)
        return True

    def _read_article(self, article_id: int) -> None:
        self.open_article(article_id)
        self.reader.text.setFocus()

    def _article_shown(self, article_id: int) -> None:
        art = self.reader.article
        self.setWindowTitle(f"{art.title} — Pizhu 批注" if art else "Pizhu 批注")
        if not article_id:
            self.annotations.set_article(None)

    def open_highlight(self, article_id: int, uuid: str) -> None:
        """Open an article scrolled to a highlight, flashing it (recall view, links)."""
        if self.open_article(article_id, select=True):
            self.reader.scroll_to_highlight(uuid, flash=True)
            self.annotations.select_highlight(uuid)

    def open_search_result(self, article_id: int, query: str) -> None:
        if not self.open_article(article_id, select=True):
            return
        body = self.reader.article.body if self.reader.article else ""
        self._pending_query = (article_id, query)
        self.runner.request("spans", lambda lib, q=query, b=body: lib.match_spans(q, b))

    def _query_done(self, channel: str, token: int, ok: bool, result: object) -> None:
        if channel != "spans" or not self.runner.is_latest("spans", token):
            return
        pending, self._pending_query = self._pending_query, None
        if pending is None or pending[0] != self.reader.article_id:
            return
        if ok:
            self.reader.set_search_spans(list(result))  # type: ignore[arg-type]
        else:
            self.notify(str(result))

    def step_article(self, delta: int) -> None:
        if self.tabs.currentIndex() != TAB_ARTICLES:
            self.show_tab(TAB_ARTICLES)
        self.list_pane.step(delta)

    # ------------------------------------------------------------------ list filters
    def _source_selected(self, source: str) -> None:
        self.list_pane.set_source(source)
        self.show_tab(TAB_ARTICLES)

    def _tags_selected(self, tags: list) -> None:
        self.list_pane.set_tags(list(tags))
        self.show_tab(TAB_ARTICLES)

    def _filters_cleared(self) -> None:
        self.sidebar.clear_selection()

    def _focus_filter(self) -> None:
        self.show_tab(TAB_ARTICLES)
        self.list_pane.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list_pane.text.selectAll()

    def show_tab(self, index: int) -> None:
        if self.stack.currentIndex() == PAGE_MAIN:
            self.tabs.setCurrentIndex(index)

    def focus_search(self) -> None:
        if self.stack.currentIndex() != PAGE_MAIN:
            return
        self.tabs.setCurrentIndex(TAB_SEARCH)
        self.search_panel.focus_field()

    # ------------------------------------------------------------------ highlights
    def highlight_selection(self, color: str) -> bool:
        if self.library is None or self.stack.currentIndex() != PAGE_MAIN:
            return False
        return self.reader.highlight_selection(color)

    def _highlight_with_note(self) -> None:
        if self.library is not None and self.stack.currentIndex() == PAGE_MAIN:
            self.reader.highlight_with_note()

    def edit_highlight(self, uuid: str, where: QPoint | None = None) -> bool:
        """Open the highlight editor popup on ``uuid`` near ``where`` (default: the pointer)."""
        ed = self.highlight_editor
        if ed is None:
            self.notify(self.tr("Highlight editing is not available yet."))
            return False
        if not ed.edit(uuid):
            return False
        ed.popup_at(where if where is not None else QCursor.pos())
        return True

    def _edit_note(self, uuid: str, where: QPoint) -> None:
        self.edit_highlight(uuid, where)

    def _highlight_created(self, uuid: str) -> None:
        self.undo_stack.push(CreatedHighlightCommand(self.worker, uuid, self.tr("Highlight")))

    def _reader_selection_changed(self) -> None:
        fn = getattr(self.annotations, "set_selection_available", None)
        if fn is not None:
            fn(self.reader.selection_range() is not None)

    def reattach_highlight(self, uuid: str) -> None:
        """Attach an orphaned highlight to the current selection in the reader."""
        rng = self.reader.selection_range()
        if rng is None:
            self.notify(self.tr("Select the passage in the article first, then re-attach."))
            return
        start, end = rng  # code points (ReaderView converts Qt's UTF-16 through OffsetMap)

        def done(h: object) -> None:
            cur = self.reader.text.textCursor()
            cur.clearSelection()
            self.reader.text.setTextCursor(cur)
            self.reader.scroll_to_highlight(uuid, flash=True)
            self.annotations.refresh()
            self.annotations.select_highlight(uuid)
            self.notify(self.tr("The highlight is attached to “{quote}”.").format(
                quote=getattr(h, "quote", "")[:40]))

        self.worker.write(lambda lib: lib.update_highlight(uuid, start=start, end=end),
                          on_done=done, on_error=self.notify)

    def recall_tags(self, tags: list) -> None:
        """Show the recall view for ``tags``."""
        self.show_tab(TAB_RECALL)
        fn = getattr(self.recall, "show_tags", None)
        if fn is not None:
            fn(list(tags))

    # ------------------------------------------------------------------ article actions
    def _current_article(self) -> int | None:
        if self.library is None or self.stack.currentIndex() != PAGE_MAIN:
            return None
        return self.reader.article_id

    def toggle_read(self) -> None:
        aid = self._current_article()
        art = self.reader.article
        if aid is None or art is None:
            return
        new = not art.read
        self.reader.set_read_by_user(new)  # no automatic re-marking of it meanwhile
        self.list_pane.model.set_read_locally(aid, new)
        self.worker.write(lambda lib: lib.set_read(aid, new), on_error=self.notify)
        self.notify(self.tr("Marked as read.") if new else self.tr("Marked as unread."))

    def edit_article_tags(self) -> None:
        aid = self._current_article()
        if aid is None:
            return
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Article tags"))
        lay = QVBoxLayout(dlg)
        lay.addWidget(text_label(self.tr("Tags for “{title}”").format(
            title=self.reader.article.title)))
        edit = TagEdit(dlg, library=self.library, signals=self.signals)
        edit.set_tags(self.reader.article.tags)
        self.tag_dialog_edit = edit
        lay.addWidget(edit)
        bb = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dlg)
        bb.accepted.connect(dlg.accept)
        bb.rejected.connect(dlg.reject)
        lay.addWidget(bb)
        dlg.resize(420, dlg.sizeHint().height())
        self.tag_dialog = dlg
        dlg.accepted.connect(lambda: self.set_article_tags(aid, edit.tags()))
        dlg.open()

    def set_article_tags(self, article_id: int, tags: list[str]) -> None:
        self.worker.write(lambda lib: lib.set_article_tags(article_id, tags),
                          on_done=lambda _t: self.reader.reload()
                          if self.reader.article_id == article_id else None,
                          on_error=self.notify)

    def merge_with_previous(self) -> None:
        aid = self._current_article()
        if aid is None or self.library.readonly:
            return
        title = self.reader.article.title

        first = [True]

        def done(shown_id: int) -> None:  # after the merge, and after its undo and redo
            if shown_id:
                self.reader.show_article(None)
                self.open_article(shown_id, select=True)
            if first[0]:
                first[0] = False
                self.notify(self.tr("“{title}” was joined to the article before it. "
                                    "Undo ({key}) splits it off again.").format(
                    title=title, key=self.act_undo.shortcut().toString(
                        QKeySequence.SequenceFormat.NativeText)))

        self.undo_stack.push(MergeCommand(
            self.worker, aid, self.tr("Merge “{title}”").format(title=title), on_done=done,
            on_error=self.notify))

    def split_at_cursor(self) -> None:
        aid = self._current_article()
        if aid is None or self.library.readonly:
            return
        at = self.reader.cursor_offset()
        if at is None:
            self.notify(self.tr("Click in the line that should begin the new article, then "
                                "split."))
            return

        first = [True]

        def done(shown_id: int) -> None:  # after the split, and after its undo and redo
            if shown_id:
                self.reader.show_article(None)
                self.open_article(shown_id, select=True)
            if first[0]:
                first[0] = False
                art = self.reader.article
                self.notify(self.tr("“{title}” is now an article of its own. Undo ({key}) "
                                    "merges it back.").format(
                    title=art.title if art else "", key=self.act_undo.shortcut().toString(
                        QKeySequence.SequenceFormat.NativeText)))

        self.undo_stack.push(SplitCommand(
            self.worker, aid, at, self.tr("Split “{title}”").format(
                title=self.reader.article.title if self.reader.article else ""),
            on_done=done, on_error=self.notify))

    # ------------------------------------------------------------------ import
    def import_files(self) -> None:
        if self.library is None:
            return
        files, _f = QFileDialog.getOpenFileNames(
            self, self.tr("Import files"), str(self.settings.value("import/dir", "")),
            self.tr("Articles (*.txt *.json *.md *.text *.html *.htm);;All files (*)"),
        )
        if files:
            self.settings.setValue("import/dir", str(Path(files[0]).parent))
            self.start_import(files, ask=True)

    def import_folder(self) -> None:
        if self.library is None:
            return
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Import a folder"), str(self.settings.value("import/dir", "")))
        if folder:
            self.settings.setValue("import/dir", folder)
            self.start_import([folder], ask=True)

    def load_samples(self) -> ImportDialog | None:
        return self.start_import([str(samples_dir())])

    def start_import(self, paths_: Sequence[str], *, ask: bool = False) -> ImportDialog | None:
        """Import files/folders on the worker with a progress dialog; returns the dialog.
        ``ask``: first let the user give a source and date for articles that state none."""
        if self.library is None:
            self._pending_files.extend(str(p) for p in paths_)
            return None
        if self.library.readonly:
            self.notify(self.tr("The library is open read-only."))
            return None
        if self.import_dialog is not None and self.import_dialog.running:
            self.notify(self.tr("An import is already running."))
            return None
        dlg = ImportDialog(self.worker, self)
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
        self._update_page()
        self._open_first_if_none()
        self.import_finished.emit(summary)

    def fill_sort_keys(self) -> Job | None:
        """Give new titles their pinyin sort keys on the worker; re-sort a list sorted by
        title once they are in."""
        if self.library is None or self.library.readonly or self._closing:
            return None

        def done(n: object) -> None:
            if n and self.list_pane.model.sort_column == COL_TITLE:
                self.list_pane.reload()

        return self.worker.submit(lambda lib, _job: lib.fill_title_sort_keys(), on_done=done,
                                  name="title sort keys")

    def _open_first_if_none(self) -> None:
        """After the first import, open the newest article rather than an empty pane."""
        if self.stack.currentIndex() != PAGE_MAIN or self.reader.article_id is not None:
            return
        first = self.list_pane.model.article_at(0)
        if first is not None:
            self.list_pane.select_article(first.id, quiet=False)

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if self._local_paths(e) and self.library is not None and not self.library.readonly:
            e.acceptProposedAction()
        else:
            e.ignore()

    def dragMoveEvent(self, e) -> None:  # noqa: ANN001
        if self._local_paths(e):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        found = self._local_paths(e)
        if found:
            e.acceptProposedAction()
            self.start_import(found)

    @staticmethod
    def _local_paths(e: Any) -> list[str]:
        md = e.mimeData()
        if md is None or not md.hasUrls():
            return []
        return [u.toLocalFile() for u in md.urls() if u.isLocalFile()]

    # ------------------------------------------------------------------ export and import
    def selected_article_ids(self) -> list[int]:
        """The articles chosen in the list (several with Ctrl/Shift+click), in list order."""
        if self.library is None:
            return []
        rows = sorted(i.row() for i in self.list_pane.view.selectionModel().selectedRows())
        out = []
        for row in rows:
            art = self.list_pane.model.article_at(row)
            if art is not None:
                out.append(art.id)
        return out

    def export_annotations(self) -> ExportDialog | None:
        """File → Export annotations…: the dialog, preset to the open article or the tags
        being recalled."""
        if self.library is None:
            return None
        if self.export_dialog is not None and self.export_dialog.running:
            self.export_dialog.raise_()
            return self.export_dialog
        art = self.reader.article if self.stack.currentIndex() == PAGE_MAIN else None
        recalling = self.tabs.currentIndex() == TAB_RECALL and bool(self.recall.tags())
        # the tags being recalled, else those the article list is filtered by
        tags = self.recall.tags() or list(self.list_pane.filter.tags)
        dlg = ExportDialog(
            self.library, self.worker, settings=self.settings, signals=self.signals,
            article_id=art.id if art else None, article_title=art.title if art else "",
            selected_ids=self.selected_article_ids(), tags=tags,
            any_tag=self.recall.any_tag() if self.recall.tags() else False, parent=self,
        )
        if not recalling and art is not None:
            dlg.set_scope(0)
        dlg.export_finished.connect(self._export_finished)
        self.export_dialog = dlg
        dlg.show()
        return dlg

    def _export_finished(self, result: object) -> None:
        if isinstance(result, tuple):
            self.notify(self.tr("Exported {n} highlights to {path}").format(
                n=result[2], path=str(result[0])))

    def import_annotations(self) -> None:
        """File → Import annotations…: choose a Web Annotation JSON file, then import it."""
        if self.library is None or self.library.readonly:
            return
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Import annotations"), str(self.settings.value("export/dir", "")),
            self.tr("Web Annotation JSON (*.json *.jsonld);;All files (*)"), "",
            file_dialog_options())
        if path:
            self.start_annotation_import(path)

    def start_annotation_import(self, path: str) -> ImportAnnotationsDialog | None:
        """Import the annotations in ``path`` on the worker; the dialog shows the report."""
        if self.library is None or self.library.readonly:
            return None
        if self.annotation_import_dialog is not None and self.annotation_import_dialog.running:
            self.notify(self.tr("An import of annotations is already running."))
            return None
        dlg = ImportAnnotationsDialog(self.worker, self)
        self.annotation_import_dialog = dlg
        dlg.start(path)
        dlg.show()
        return dlg

    # ------------------------------------------------------------------ versions
    def show_versions(self) -> VersionsDialog | None:
        """Article → Version history…: the open article's earlier texts and what changed."""
        aid = self._current_article()
        if aid is None:
            return None
        dlg = VersionsDialog(self.library, self.worker, aid, self)
        self.versions_dialog = dlg
        dlg.show()
        return dlg

    # ------------------------------------------------------------------ backup and restore
    def backup_library(self) -> None:
        """File → Back up library…: choose the archive, then write it on the worker."""
        if self.library is None:
            return
        start = str(self.settings.value("backup/dir", "") or Path.home())
        path = backup_ui.choose_backup_file(self, start)
        if path:
            self.start_backup(path)

    def start_backup(self, path: str) -> backup_ui.BackupDialog | None:
        if self.library is None:
            return None
        if self.backup_dialog is not None and self.backup_dialog.running:
            self.notify(self.tr("A backup or restore is already running."))
            return None
        self.settings.setValue("backup/dir", str(Path(path).parent))
        dlg = backup_ui.BackupDialog(self.worker, self)
        self.backup_dialog = dlg
        if dlg.start_backup(path) is None:  # the user kept the existing file
            return None
        dlg.show()
        return dlg

    def restore_backup(self) -> None:
        """File → Restore from backup…: choose the archive and a new empty folder; the open
        library is left alone and the restored one can be opened in a window of its own."""
        if self.library is None:
            return
        start = str(self.settings.value("backup/dir", "") or Path.home())
        archive = backup_ui.choose_archive(self, start)
        if not archive:
            return
        while True:
            folder = backup_ui.choose_empty_folder(self, str(Path(archive).parent))
            if not folder:
                return
            problem = backup_ui.folder_problem(folder, self.library.root)
            if not problem:
                break
            show_message(self, QMessageBox.Icon.Information, self.tr("Restore from backup"),
                         problem)
        self.start_restore(archive, folder)

    def start_restore(self, archive: str, folder: str) -> backup_ui.BackupDialog | None:
        if self.library is None:
            return None
        problem = backup_ui.folder_problem(folder, self.library.root)
        if problem:
            self.notify(problem)
            return None
        if self.backup_dialog is not None and self.backup_dialog.running:
            self.notify(self.tr("A backup or restore is already running."))
            return None
        dlg = backup_ui.BackupDialog(self.worker, self)
        self.backup_dialog = dlg
        dlg.open_requested.connect(self.open_other_library)
        dlg.start_restore(archive, folder)
        dlg.show()
        return dlg

    def open_other_library(self, root: str) -> None:
        if not self.launch_library(root):
            self.notify(self.tr("Pizhu could not be started on {path}.").format(path=root))

    def start_auto_backup(self) -> Job | None:
        """The daily automatic backup (in the library's ``backups`` folder, the last few kept),
        on the worker; does nothing if today's exists or it is switched off."""
        if self.library is None or self.library.readonly or self._closing:
            return None
        if self.settings.value("backup/auto", True) in (False, "false", "0"):
            return None
        try:
            keep = max(1, int(self.settings.value("backup/auto_keep", backup_ui.AUTO_KEEP)))
        except (TypeError, ValueError):
            keep = backup_ui.AUTO_KEEP

        used = [str(self.settings.value(k, "") or "") for k in ("backup/dir", "export/dir")]

        def work(lib: Library, _job: Job) -> object:
            from reader.core.backup import auto_backup

            backup_ui.clean_stale_copies(used)  # what killed backups/exports left there
            return auto_backup(lib, keep)

        def done(made: object) -> None:
            if made is not None:
                self.statusBar().showMessage(
                    self.tr("Daily backup saved: {path}").format(path=str(made)), 5000)

        return self.worker.submit(
            work, on_done=done, name="auto backup",
            on_error=lambda m: self.notify(self.tr("The daily backup failed: {reason}").format(
                reason=m)))

    # ------------------------------------------------------------------ links, other instances
    def open_link(self, url: str) -> bool:
        """Open a ``pizhu://article/<uuid>#highlight=<uuid>`` link at its passage."""
        from reader.core.links import parse_link

        link = parse_link(url)
        if link is None:
            self.notify(self.tr("Not a Pizhu link: {url}").format(url=url))
            return False
        if self.library is None:
            self._pending_links.append(url)
            return True
        found = self.library.find_article(link.article_uuid)
        if found is None:
            self.notify(self.tr("The linked article is not in this library."))
            return False
        aid = found
        if link.highlight_uuid is None:
            return self.open_article(aid, select=True)
        try:
            h = self.library.highlight(link.highlight_uuid)
        except LibraryError:
            h = None
        if h is None or h.article_id != aid or h.deleted:
            self.open_article(aid, select=True)
            self.notify(self.tr("The linked highlight is no longer there; its article is open."))
            return True
        if h.orphan:
            self.open_article(aid, select=True)
            self.annotations.select_highlight(h.uuid)
            self.notify(self.tr("The linked highlight is orphaned: its text is gone from the "
                                "article. Re-attach it in the annotations panel."))
            return True
        self.open_highlight(aid, h.uuid)
        return True

    def handle_request(self, request: object) -> None:
        """A request from a second ``pizhu`` (reader.ui.single_instance): show this window,
        import its files, open its links."""
        if self._closing:
            return
        self.bring_to_front()
        files = [str(f) for f in getattr(request, "files", [])]
        if files:
            self.start_import(files)
        for url in getattr(request, "links", []):
            self.open_link(str(url))

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # ------------------------------------------------------------------ library changes
    def _articles_changed(self) -> None:
        self._update_page()
        self.list_pane.reload()
        self._open_first_if_none()
        if self.reader.article_id is not None:
            aid = self.reader.article_id
            try:
                self.library.article(aid)
            except LibraryError:
                self.reader.show_article(None)
            else:
                self.reader.reload()

    def _index_changed(self) -> None:
        if self.tabs.currentIndex() == TAB_SEARCH and self.search_panel.query:
            self.search_panel.refresh()

    def _busy_changed(self, busy: bool) -> None:
        self._busy_label.setText(self.tr("Working…") if busy else "")

    def notify(self, text: str) -> None:
        self.last_message = text
        self.statusBar().showMessage(text, 10000)
        self.notice.emit(text)

    # ------------------------------------------------------------------ view
    def _open_find(self) -> None:
        if self._current_article() is not None:
            self.reader.open_find()

    def _find_next(self) -> None:
        if self._current_article() is not None:
            self.reader.find_next()

    def _find_prev(self) -> None:
        if self._current_article() is not None:
            self.reader.find_previous()

    def _zoom_in(self) -> None:
        if self.library is not None:
            self.reader.zoom_in()

    def _zoom_out(self) -> None:
        if self.library is not None:
            self.reader.zoom_out()

    def _zoom_reset(self) -> None:
        if self.library is not None:
            self.reader.zoom_reset()

    def _toggle_sidebar(self) -> None:
        if self.library is not None:
            self._leave_reading_mode()
            self.sidebar.setVisible(self.act_sidebar.isChecked())
            self._fit_panels(collapse=False)

    def _toggle_annotations(self) -> None:
        if self.library is not None:
            self._leave_reading_mode()
            self.annotations.setVisible(self.act_annotations.isChecked())
            self._fit_panels(collapse=False)

    def _toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def set_theme(self, name: str) -> None:
        self.theme_name = name if name in th.THEME_NAMES else "system"
        self.settings.setValue("view/theme", self.theme_name)
        if self.theme_name in self.theme_actions:
            self.theme_actions[self.theme_name].setChecked(True)
        self.apply_theme()

    def _next_theme(self) -> None:
        names = list(th.THEME_NAMES)
        self.set_theme(names[(names.index(self.theme_name) + 1) % len(names)])

    def _system_scheme_changed(self, *_args: object) -> None:
        if self.theme_name == "system" and not self._closing:
            self.apply_theme()

    def apply_theme(self) -> None:
        self.theme = th.resolve_theme(self.theme_name)
        th.apply_theme(self.theme)
        if self.library is not None:
            self.reader.set_theme(self.theme)
            self.search_panel.set_accent(self.theme.accent)

    # ------------------------------------------------------------------ help
    def shortcut_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        groups = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if menu is None:
                continue
            acts: list[QAction] = []
            for act in menu.actions():
                if act.menu() is not None:
                    acts.extend(act.menu().actions())
                elif not act.isSeparator():
                    acts.append(act)
            groups.append((plain_label(menu_action.text()), action_rows(acts)))
        groups.append((self.tr("Reading"), [
            (self.tr("Scroll a screen down / up"), self.tr("Space / Shift+Space, PgDn / PgUp")),
            (self.tr("Select text with the keyboard"), self.tr("Shift+arrows")),
            (self.tr("Copy the selection"), QKeySequence(QKeySequence.StandardKey.Copy)
             .toString(QKeySequence.SequenceFormat.NativeText)),
            (self.tr("Next / previous match while finding"), self.tr("Enter / Shift+Enter")),
            (self.tr("Close the find bar"), self.tr("Esc")),
        ]))
        groups.append((self.tr("Search and lists"), [
            (self.tr("Run the search now"), self.tr("Enter")),
            (self.tr("From the search field to the results"), self.tr("Down")),
            (self.tr("Open the chosen result or article"), self.tr("Enter")),
            (self.tr("Move in a list"), self.tr("Up / Down, PgUp / PgDn, Home / End")),
        ]))
        return groups

    def show_shortcuts(self) -> ShortcutsDialog:
        dlg = ShortcutsDialog(self.shortcut_groups(), self)
        self.shortcuts_dialog = dlg
        dlg.open()
        return dlg

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Pizhu"), self.tr(
            "Pizhu 批注 — read, highlight and annotate Chinese news, offline.\n\n"
            "Your library: {path}").format(
                path=str(self.library.root) if self.library else "—"))

    def open_library_folder(self) -> None:
        if self.library is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.library.root)))

    # ------------------------------------------------------------------ layout (issue 14)
    def _lib_key(self, name: str) -> str:
        """A settings key of the open library's own (last article, pane proportions, tab):
        each library keeps its place; window size, theme and fonts are shared."""
        if self.library is None:
            return name
        root = str(Path(self.library.root).resolve())
        return f"libraries/{hashlib.sha1(root.encode('utf-8')).hexdigest()[:16]}/{name}"

    def _saved_ratios(self, name: str, splitter: QSplitter, default: list[float]) -> list[float]:
        s = self.settings
        v = s.value(self._lib_key(f"window/{name}_ratios"))
        try:
            ratios = [float(x) for x in v] if isinstance(v, list) else []
        except (TypeError, ValueError):
            ratios = []
        if len(ratios) != len(default) or sum(ratios) <= 0:
            old = s.value(f"window/{name}_splitter")  # pixels, from before: as proportions
            if old is not None and splitter.restoreState(old) and sum(splitter.sizes()) > 0:
                ratios = _ratios(splitter)
            else:
                ratios = list(default)
        return [r if r > 0 else d for r, d in zip(ratios, default, strict=True)]

    def reading_min_width(self) -> int:
        """The narrowest reading pane: READING_MIN_CHARS characters a line, its margins and
        the scroll bar."""
        bar = self.reader.text.verticalScrollBar().sizeHint().width()
        return READING_MIN_CHARS * self.reader.font_px + 2 * 28 + bar + 4

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        if self.library is not None:
            self._fit_panels()

    def _fit_panels(self, *, collapse: bool = True) -> None:
        """Give the reading column its minimum: first the saved proportions (once, when the
        window has its size), then, on a window too small for all panes, hide the sidebar and
        then the annotations (the View menu keeps the user's choice and they come back when
        there is room), and take width from the list, the sidebar, the annotations."""
        if self.library is None or self._reading_mode or self._closing:
            return
        total = self.splitter.width()
        if total <= 0 or not self.splitter.isVisible():
            return
        if self._pending_ratios is not None:
            main, right = self._pending_ratios
            self._pending_ratios = None
            self.splitter.setSizes([round(r * total) for r in main])
            rw = self.splitter.sizes()[2]
            self.right.setSizes([round(r * rw) for r in right])
        need = self.reading_min_width()
        h_main, h_right = self.splitter.handleWidth(), self.right.handleWidth()
        side_min, list_min = self.sidebar.minimumWidth(), self.tabs.minimumWidth()
        notes_min = self.annotations.minimumWidth()

        def room(side: bool, notes: bool) -> int:
            return (total - list_min - h_main - (side_min + h_main if side else 0)
                    - (notes_min + h_right if notes else 0))

        side, notes = self.sidebar.isVisible(), self.annotations.isVisible()
        if collapse:
            side = self.act_sidebar.isChecked()
            notes = self.act_annotations.isChecked()
            if side and room(side, notes) < need:
                side = False
            if notes and room(side, notes) < need:
                notes = False
            self.sidebar.setVisible(side)
            self.annotations.setVisible(notes)
        for _pass in range(2):  # the right splitter shares out what the main one gives it
            rsizes = self.right.sizes()
            deficit = need - rsizes[0]
            if deficit <= 0:
                break
            if notes:  # first from the annotations, down to their minimum
                take = max(0, min(deficit, rsizes[1] - notes_min))
                self.right.setSizes([rsizes[0] + take, rsizes[1] - take])
                deficit -= take
            if deficit <= 0:
                break
            sizes = self.splitter.sizes()
            for i, floor in ((1, list_min), (0, side_min if side else 0)):
                take = max(0, min(deficit, sizes[i] - floor))
                sizes[i] -= take
                sizes[2] += take
                deficit -= take
            self.splitter.setSizes(sizes)
            rsizes = self.right.sizes()
            if notes and rsizes[0] < need:  # the growth went to the annotations: move it
                self.right.setSizes([need, max(notes_min, sum(rsizes) - need)])

    def toggle_reading_mode(self) -> None:
        """View → Reading mode: only the article; the same key brings the panes back."""
        if self.library is None or self.stack.currentIndex() != PAGE_MAIN:
            self.act_reading_mode.setChecked(False)
            return
        on = not self._reading_mode
        if not on:
            self._leave_reading_mode()
            return
        self._reading_mode = True
        self.act_reading_mode.setChecked(True)
        self._saved_sizes = (self.splitter.sizes(), self.right.sizes())
        for pane in (self.sidebar, self.tabs, self.annotations):
            pane.hide()
        self.reader.text.setFocus()

    def _leave_reading_mode(self) -> None:
        if not self._reading_mode:
            return
        self._reading_mode = False
        self.act_reading_mode.setChecked(False)
        self.tabs.show()
        self.sidebar.setVisible(self.act_sidebar.isChecked())
        self.annotations.setVisible(self.act_annotations.isChecked())
        main, right = self._saved_sizes
        self.splitter.setSizes(main)
        self.right.setSizes(right)
        self._fit_panels()

    @property
    def reading_mode(self) -> bool:
        return self._reading_mode

    # ------------------------------------------------------------------ state
    def _restore_geometry(self) -> None:
        geo = self.settings.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)

    def _restore_state(self) -> None:
        s = self.settings
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        self._pending_ratios = (self._saved_ratios("main", self.splitter, MAIN_RATIOS),
                                self._saved_ratios("right", self.right, RIGHT_RATIOS))
        show_sidebar = s.value("view/sidebar", True) not in (False, "false")
        show_notes = s.value("view/annotations", True) not in (False, "false")
        self.act_sidebar.setChecked(show_sidebar)
        self.act_annotations.setChecked(show_notes)
        self.sidebar.setVisible(show_sidebar)
        self.annotations.setVisible(show_notes)
        try:
            tab = int(s.value(self._lib_key("view/tab"), s.value("view/tab", TAB_ARTICLES)))
        except (TypeError, ValueError):
            tab = TAB_ARTICLES
        self.tabs.setCurrentIndex(tab if tab in (TAB_ARTICLES, TAB_RECALL) else TAB_ARTICLES)

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        if self.library is not None:
            # proportions, not pixels: a smaller screen must not crush the reading column
            if self._pending_ratios is None and not self._reading_mode:
                s.setValue(self._lib_key("window/main_ratios"), _ratios(self.splitter))
                s.setValue(self._lib_key("window/right_ratios"), _ratios(self.right))
            s.setValue("view/sidebar", self.act_sidebar.isChecked())
            s.setValue("view/annotations", self.act_annotations.isChecked())
            s.setValue(self._lib_key("view/tab"), self.tabs.currentIndex())
            self.list_pane.save_state()
            if self.reader.article_id is not None:
                s.setValue(self._lib_key("last/article_id"), self.reader.article_id)
        s.sync()

    def closeEvent(self, e: QCloseEvent) -> None:
        if self.import_dialog is not None and self.import_dialog.running:
            self.import_dialog.cancel()
        self.save_state()
        self.shutdown()
        super().closeEvent(e)

    def shutdown(self) -> None:
        """Save the reading place, stop the query thread and (if ours) the worker."""
        if self._closing:
            return
        self._closing = True
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            try:
                hints.colorSchemeChanged.disconnect(self._system_scheme_changed)
            except (RuntimeError, RuntimeWarning, TypeError):
                pass
        if self.library is not None:
            self.reader.save_position()
        if self.runner is not None:
            self.runner.stop()
        if self.worker is not None and self._owns_worker:
            self.worker.stop()

    def warm_up(self) -> None:
        """Open the search index and load jieba on the worker, after the window is shown."""
        if self.library is None or self.library.readonly:
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
            self.statusBar().clearMessage()
            if problem:
                self.notify(problem)

        self.statusBar().showMessage(self.tr("Preparing search…"))
        self.worker.submit(work, on_done=done, on_error=self.notify, name="warm-up")


def install_app_font(app: QApplication) -> None:
    f = th.ui_font()
    f.setPointSizeF(max(f.pointSizeF(), 10.0))
    app.setFont(f)
