"""The main window: a shell of menus, a status bar and three pages — loading, the empty library,
and the :class:`~reader.ui.workspace.Workspace` (sidebar | article list, search, recall | reader
pane and annotations), built once the library is open.

The actions are one table (:meth:`MainWindow.action_table`, ``reader/ui/actions.py``) and
:meth:`MainWindow.update_enabled` the one place that enables them. Writes go through the worker
(``reader/ui/ops.py`` names each); library changes arrive as :class:`LibrarySignals`."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from reader.core.library import ArticleFilter, Library
from reader.core.model import HIGHLIGHT_COLORS
from reader.ui import backup_ui
from reader.ui import theme as th
from reader.ui.actions import ActionSpec, UiState, make_actions, make_menus
from reader.ui.actions import update_enabled as _update_enabled
from reader.ui.article_manage import ArticleManager
from reader.ui.empty_state import EmptyState, app_icon
from reader.ui.library_tasks import LibraryTasks, samples_dir  # noqa: F401 — samples_dir: tests
from reader.ui.pane_layout import READING_MIN_CHARS  # noqa: F401 — tests
from reader.ui.reader_view import color_label
from reader.ui.shortcuts_dialog import ShortcutsDialog, action_rows, plain_label
from reader.ui.tasks import LibrarySignals, LibraryWorker
from reader.ui.undo_scope import UndoScope
from reader.ui.workspace import TAB_ARTICLES, TAB_RECALL, TAB_SEARCH, Workspace

PAGE_LOADING, PAGE_EMPTY, PAGE_MAIN = range(3)
THEMES = ("system", "light", "dark", "sepia")


def _part(part: str, name: str) -> property:
    """A window attribute that lives in ``self.<part>`` (the workspace or the library tasks),
    kept on the window for its callers and tests."""
    return property(lambda self: getattr(getattr(self, part), name),
                    doc=f"``self.{part}.{name}``")


class MainWindow(QMainWindow):
    """``MainWindow(library)``; ``library=None`` shows a loading page until
    :meth:`attach_library` is called (the app opens the library off the critical path)."""

    # the actions come from action_table(); those the window's parts use by name
    act_undo: QAction
    act_sidebar: QAction
    act_annotations: QAction
    act_reading_mode: QAction

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
        self.workspace: Workspace | None = None  # built once the library is open
        self.worker: LibraryWorker | None = worker
        self.signals: LibrarySignals | None = signals
        self._owns_worker = worker is None
        self.tasks = LibraryTasks(self)
        self.last_message = ""
        self._pending_links: list[str] = []
        self.launch_library = backup_ui.launch_library  # opens a restored library (tests stub it)
        self.closing = False
        self.setWindowTitle("Pizhu 批注")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.resize(1440, 900)

        self.stack = QStackedWidget(self)
        self.loading = QLabel(self.tr("Opening the library…"), self)
        self.loading.setObjectName("muted")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self.loading.setMargin(24)
        self.empty = EmptyState(self)
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self.empty)
        self.setCentralWidget(self.stack)
        self.empty.import_files.connect(self.import_files)
        self.empty.import_folder.connect(self.import_folder)
        self.empty.load_samples.connect(self.load_samples)

        self.undo_stack = QUndoStack(self)
        # one stack; an undo opens the article it changes and says what it undid
        self.undo_scope = UndoScope(self, self.undo_stack)
        self.theme_name = str(self.settings.value("view/theme", "system"))
        self.theme = th.resolve_theme(self.theme_name)
        self.action_specs = self.action_table()
        self.actions_by_key = make_actions(self, self.action_specs)
        for key, act in self.actions_by_key.items():
            if key.startswith("act_"):
                setattr(self, key, act)
        self.color_actions = {n: self.actions_by_key[f"color_{n}"] for n in HIGHLIGHT_COLORS}
        self.theme_actions = {n: self.actions_by_key[f"theme_{n}"] for n in THEMES}
        self.theme_group = self.theme_actions["system"].actionGroup()
        self.menus = make_menus(self.menuBar(), self.menu_titles(), self.action_specs,
                                self.actions_by_key)
        self.highlight_menu = self.menus["highlight"]
        self.statusBar().setSizeGripEnabled(False)
        self._busy_label = QLabel(self)
        self._busy_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self._busy_label)
        geo = self.settings.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_scheme_changed)
        self.update_enabled()
        if library is not None:
            self.attach_library(library)

    # ------------------------------------------------------------------ actions and menus
    def menu_titles(self) -> list[tuple[str, str]]:
        return [("file", self.tr("&File")), ("edit", self.tr("&Edit")),
                ("view", self.tr("&View")), ("view/theme", self.tr("&Theme")),
                ("article", self.tr("&Article")),
                ("highlight", self.tr("Hi&ghlight")),  # &H is Help
                ("help", self.tr("&Help"))]

    def action_table(self) -> list[ActionSpec]:
        """Every action of the window: (key, text, slot, shortcut, menu, enabled when…).
        ``when`` flags: see :class:`UiState`; a menu's section changes where a separator goes."""
        K = QKeySequence.StandardKey
        A = ActionSpec
        lib, rw, arts = ("library",), ("library", "writable"), ("library", "articles")
        rw_arts = ("library", "writable", "articles")
        ws = self._in_workspace
        specs = [
            A("act_import", self.tr("&Import files…"), self.import_files, K.Open, "file", rw),
            A("act_import_folder", self.tr("Import &folder…"), self.import_folder,
              "Ctrl+Shift+O", "file", rw),
            A("act_samples", self.tr("Load the &sample library"), self.load_samples, None,
              "file", rw),
            A("act_export", self.tr("&Export annotations…"), self.export_annotations,
              "Ctrl+Shift+E", "file", arts, 1),
            A("act_import_annotations", self.tr("Import a&nnotations…"), self.import_annotations,
              "Ctrl+Shift+I", "file", rw, 1),
            A("act_backup", self.tr("&Back up library…"), self.backup_library, None, "file",
              lib, 2),
            A("act_restore", self.tr("&Restore from backup…"), self.restore_backup, None, "file",
              lib, 2),
            A("act_quit", self.tr("&Quit"), self.close, "Ctrl+Q", "file", (), 3),
            # the undo stack enables these; the platform's redo keys (Ctrl+Shift+Z on X11,
            # Ctrl+Y on Windows) plus the other one, each once (a key listed twice makes Qt's
            # shortcut map ambiguous and the key does nothing)
            A("act_undo", "", None, K.Undo, "edit", None, action=self.undo_scope.undo_action),
            A("act_redo", "", None, [K.Redo, "Ctrl+Shift+Z", "Ctrl+Y"], "edit", None,
              action=self.undo_scope.redo_action),
            A("act_search", self.tr("&Search the library…"), ws("focus_search"), "Ctrl+K", "edit",
              lib, 1),
            A("act_filter", self.tr("Filter the article &list"), ws("focus_filter"), "Ctrl+L",
              "edit", lib, 1),
            A("act_find", self.tr("&Find in article…"), ws("open_find"), K.Find, "edit", arts, 2),
            A("act_find_next", self.tr("Find &next"), ws("find_next"), K.FindNext, "edit",
              arts, 2),
            A("act_find_prev", self.tr("Find &previous"), ws("find_previous"), K.FindPrevious,
              "edit", arts, 2),
            A("act_tab_articles", self.tr("&Articles"), lambda: self.show_tab(TAB_ARTICLES),
              "Ctrl+1", "view", lib),
            A("act_tab_search", self.tr("Searc&h results"), lambda: self.show_tab(TAB_SEARCH),
              "Ctrl+2", "view", lib),
            A("act_tab_recall", self.tr("&Recall by tag"), lambda: self.show_tab(TAB_RECALL),
              "Ctrl+3", "view", lib),
            A("act_sidebar", self.tr("Show &sidebar"), partial(self._toggle_pane, "sidebar"),
              "Ctrl+Shift+B", "view", lib, 1, checkable=True),
            A("act_annotations", self.tr("Show a&nnotations"),
              partial(self._toggle_pane, "annotations"), "Ctrl+Shift+A", "view", lib, 1,
              checkable=True),
            A("act_reading_mode", self.tr("&Reading mode"), self.toggle_reading_mode,
              "Ctrl+Shift+R", "view", (), 1, checkable=True,
              tip=self.tr("Only the article: hide the list and the panels")),
            A("act_zoom_in", self.tr("&Bigger text"), ws("reader.zoom_in"), ["Ctrl+=", "Ctrl++"],
              "view", lib, 2),
            A("act_zoom_out", self.tr("S&maller text"), ws("reader.zoom_out"), "Ctrl+-", "view",
              lib, 2),
            A("act_zoom_reset", self.tr("&Normal text size"), ws("reader.zoom_reset"), "Ctrl+0",
              "view", lib, 2),
            A("act_convert_script", self.tr("Show in the &other script (繁⇄简)"),
              ws("reader.toggle_script"), "Ctrl+Shift+J", "view", lib, 2, checkable=True,
              tip=self.tr("Traditional characters shown as Simplified, or the reverse; the "
                          "text and its highlights stay as they are")),
            *(A(f"theme_{name}", label, partial(self.set_theme, name), None, "view/theme",
                (), 3, checkable=True, checked=name == self.theme_name, group="theme")
              for name, label in zip(THEMES, (self.tr("Follow the system"), self.tr("Light"),
                                              self.tr("Dark"), self.tr("Sepia")), strict=True)),
            A("act_next_theme", self.tr("Next &theme"), self._next_theme, "Ctrl+Shift+T",
              "view/theme", (), 4),
            A("act_fullscreen", self.tr("&Full screen"), self._toggle_fullscreen, K.FullScreen,
              "view", (), 3, checkable=True),  # after the Theme submenu (section 3)
            A("act_next_article", self.tr("&Next article"), lambda: self.step_article(1),
              ["Alt+Down", "Ctrl+]"], "article", lib),
            A("act_prev_article", self.tr("&Previous article"), lambda: self.step_article(-1),
              ["Alt+Up", "Ctrl+["], "article", lib),
            A("act_toggle_read", self.tr("Mark as read / &unread"), ws("toggle_read"), "Ctrl+U",
              "article", arts),
            A("act_article_tags", self.tr("Article &tags…"), ws("edit_article_tags"), "Ctrl+T",
              "article", rw_arts),
            A("act_merge", self.tr("&Merge with the previous article"), ws("merge_with_previous"),
              "Ctrl+Shift+M", "article", rw_arts, 1),
            A("act_split", self.tr("&Split the article at the cursor's line"),
              ws("split_at_cursor"), "Ctrl+Shift+L", "article", rw_arts, 1),
            A("act_versions", self.tr("&Version history…"), ws("show_versions"), "Ctrl+Shift+H",
              "article", arts, 2),
            *(A(f"color_{name}", self.tr("Highlight in {color}").format(color=color_label(name)),
                partial(self._highlight_in, name), str(i), "highlight",
                (*rw_arts, "selection"))
              for i, name in enumerate(HIGHLIGHT_COLORS, 1)),
            A("act_note", self.tr("Highlight and add a &note…"), ws("highlight_with_note"), "N",
              "highlight", (*rw_arts, "selection"), 1),
            A("act_review", self.tr("Daily &review…"), ws("recall.open_review"), "Ctrl+Shift+D",
              "highlight", rw, 2),
            A("act_shortcuts", self.tr("&Keyboard shortcuts"), self.show_shortcuts,
              ["Ctrl+/", "F1"], "help", ()),
            A("act_about", self.tr("&About Pizhu"), self.show_about, None, "help", ()),
        ]
        return specs

    def _in_workspace(self, path: str) -> Any:
        """A slot that calls ``self.workspace.<path>()`` (its action is enabled only with a
        library, so the workspace is there)."""

        def slot() -> None:
            target: Any = self.workspace
            for name in path.split("."):
                target = getattr(target, name)
            target()

        return slot

    def ui_state(self) -> UiState:
        ws = self.workspace
        return UiState(
            library=ws is not None,
            writable=ws is not None and not ws.library.readonly,
            articles=ws is not None and ws.shown,
            selection=ws is not None and ws.reader.selection_range() is not None,
        )

    def update_enabled(self) -> None:
        """Enable the actions for what is open and chosen now (the one place that does)."""
        _update_enabled(self.action_specs, self.actions_by_key, self.ui_state())

    # ------------------------------------------------------------------ the library
    def attach_library(self, library: Library) -> None:
        """Build the workspace (called once, when the library is open)."""
        self.library = library
        if self.worker is None:
            self.worker = LibraryWorker(library, self)
        if self.signals is None:
            self.signals = LibrarySignals(library, self)
        self.workspace = ws = Workspace(self, library, self.worker, self.signals)
        self.stack.addWidget(ws)
        self.signals.articles_changed.connect(self._articles_changed)
        self.worker.busy_changed.connect(self._busy_changed)
        # edit details, trash, tag rename/merge/delete: list and tag browser context menus
        self.article_manager = ArticleManager(self)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        sidebar, notes = (self.settings.value(k, True) not in (False, "false")
                          for k in ("view/sidebar", "view/annotations"))
        self.act_sidebar.setChecked(sidebar)
        self.act_annotations.setChecked(notes)
        ws.restore_state(sidebar=sidebar, annotations=notes)
        self.apply_theme()
        if library.readonly:
            self.notify(self.tr("The library is open read-only."))
        self.update_page()
        QTimer.singleShot(0, ws.fit_panels)
        ws.open_last()
        for msg in library.messages:
            self.notify(msg)
        from reader.ui.sync_ui import install as install_sync  # issue 16: sync menu, status

        install_sync(self)
        self.library_attached.emit()
        files, self.tasks.pending_files = self.tasks.pending_files, []
        if files:
            self.start_import(files)
        links, self._pending_links = self._pending_links, []
        for url in links:
            self.open_link(url)

    def update_page(self) -> None:
        """The workspace, or the empty library's page (articles all in the trash still show
        the workspace: its Trash row brings them back)."""
        if self.library is None or self.workspace is None:
            self.stack.setCurrentIndex(PAGE_LOADING)
        elif self.library.count_articles() == 0 and (
                self.library.count_articles(ArticleFilter(trashed=True)) == 0):
            self.stack.setCurrentIndex(PAGE_EMPTY)
        else:
            self.stack.setCurrentWidget(self.workspace)
        self.update_enabled()

    @property
    def showing_empty_state(self) -> bool:
        return self.stack.currentIndex() == PAGE_EMPTY

    def _articles_changed(self) -> None:
        self.update_page()
        if self.workspace is not None:
            self.workspace.articles_changed()

    def _highlight_in(self, color: str) -> None:
        if self.workspace is not None:
            self.workspace.highlight_selection(color)

    # ------------------------------------------------------------------ the workspace's parts
    splitter = property(lambda self: self.workspace, doc="the workspace: the main splitter")
    sidebar = _part("workspace", "sidebar")
    list_pane = _part("workspace", "list_pane")
    search_panel = _part("workspace", "search_panel")
    recall = _part("workspace", "recall")
    tabs = _part("workspace", "tabs")
    right = _part("workspace", "right")
    reader = _part("workspace", "reader")
    annotations = _part("workspace", "annotations")
    highlight_editor = _part("workspace", "highlight_editor")
    runner = _part("workspace", "runner")
    tag_dialog = _part("workspace", "tag_dialog")
    tag_dialog_edit = _part("workspace", "tag_dialog_edit")
    versions_dialog = _part("workspace", "versions_dialog")
    _pending_ratios = _part("workspace", "_pending_ratios")
    reading_mode = _part("workspace", "reading_mode")
    reading_min_width = _part("workspace", "reading_min_width")
    selected_article_ids = _part("workspace", "selected_article_ids")
    open_highlight = _part("workspace", "open_highlight")
    open_search_result = _part("workspace", "open_search_result")
    step_article = _part("workspace", "step_article")
    show_tab = _part("workspace", "show_tab")
    focus_search = _part("workspace", "focus_search")
    recall_tags = _part("workspace", "recall_tags")
    highlight_selection = _part("workspace", "highlight_selection")
    edit_highlight = _part("workspace", "edit_highlight")
    reattach_highlight = _part("workspace", "reattach_highlight")
    toggle_read = _part("workspace", "toggle_read")
    edit_article_tags = _part("workspace", "edit_article_tags")
    set_article_tags = _part("workspace", "set_article_tags")
    merge_with_previous = _part("workspace", "merge_with_previous")
    split_at_cursor = _part("workspace", "split_at_cursor")
    show_versions = _part("workspace", "show_versions")

    def open_article(self, article_id: int, *, select: bool = False) -> bool:
        """Show an article in the reader (select=True also makes it the list's current row);
        False before the library is open."""
        return self.workspace is not None and self.workspace.open_article(article_id,
                                                                         select=select)

    # ------------------------------------------------------------------ import, export, backup
    import_dialog = _part("tasks", "import_dialog")
    export_dialog = _part("tasks", "export_dialog")
    annotation_import_dialog = _part("tasks", "annotation_import_dialog")
    backup_dialog = _part("tasks", "backup_dialog")
    import_files = _part("tasks", "import_files")
    import_folder = _part("tasks", "import_folder")
    load_samples = _part("tasks", "load_samples")
    start_import = _part("tasks", "start_import")
    fill_sort_keys = _part("tasks", "fill_sort_keys")
    export_annotations = _part("tasks", "export_annotations")
    import_annotations = _part("tasks", "import_annotations")
    start_annotation_import = _part("tasks", "start_annotation_import")
    backup_library = _part("tasks", "backup_library")
    start_backup = _part("tasks", "start_backup")
    restore_backup = _part("tasks", "restore_backup")
    start_restore = _part("tasks", "start_restore")
    open_other_library = _part("tasks", "open_other_library")
    start_auto_backup = _part("tasks", "start_auto_backup")
    warm_up = _part("tasks", "warm_up")

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if self._local_paths(e) and self.library is not None and not self.library.readonly:
            e.acceptProposedAction()
        else:
            e.ignore()

    def dragMoveEvent(self, e: QDragMoveEvent) -> None:
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

    # ------------------------------------------------------------------ links, other instances
    def open_link(self, url: str) -> bool:
        """Open a ``pizhu://article/<uuid>#highlight=<uuid>`` link at its passage."""
        from reader.core.links import parse_link

        link = parse_link(url)
        if link is None:
            self.notify(self.tr("Not a Pizhu link: {url}").format(url=url))
            return False
        if self.workspace is None:
            self._pending_links.append(url)
            return True
        return self.workspace.open_link(link)

    def handle_request(self, request: object) -> None:
        """A request from a second ``pizhu`` (reader.ui.single_instance): show this window,
        import its files, open its links."""
        if self.closing:
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

    # ------------------------------------------------------------------ status line
    def _busy_changed(self, busy: bool) -> None:
        self._busy_label.setText(self.tr("Working…") if busy else "")

    def notify(self, text: str) -> None:
        self.last_message = text
        self.statusBar().showMessage(text, 10000)
        self.notice.emit(text)

    # ------------------------------------------------------------------ view
    def _toggle_pane(self, name: str) -> None:
        """View → Show sidebar / annotations: the pane ``name`` follows its action."""
        if self.workspace is not None:
            on = self.actions_by_key[f"act_{name}"].isChecked()
            self.workspace.show_pane(getattr(self.workspace, name), on)

    def toggle_reading_mode(self) -> None:
        """View → Reading mode: only the article; the same key brings the panes back."""
        ws = self.workspace
        self.act_reading_mode.setChecked(
            ws is not None and ws.set_reading_mode(not ws.reading_mode))

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
        if self.theme_name == "system" and not self.closing:
            self.apply_theme()

    def apply_theme(self) -> None:
        self.theme = th.resolve_theme(self.theme_name)
        th.apply_theme(self.theme)
        if self.workspace is not None:
            self.workspace.set_theme(self.theme)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        if self.workspace is not None:
            self.workspace.fit_panels()

    # ------------------------------------------------------------------ help
    def shortcut_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        groups = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if not isinstance(menu, QMenu):
                continue
            acts = []
            for act in menu.actions():
                sub = act.menu()
                if isinstance(sub, QMenu):
                    acts.extend(sub.actions())
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

    # ------------------------------------------------------------------ state
    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        if self.workspace is not None:
            s.setValue("view/sidebar", self.act_sidebar.isChecked())
            s.setValue("view/annotations", self.act_annotations.isChecked())
            self.workspace.save_state()
        s.sync()

    def closeEvent(self, e: QCloseEvent) -> None:
        if self.import_dialog is not None and self.import_dialog.running:
            self.import_dialog.cancel()
        self.save_state()
        self.shutdown()
        super().closeEvent(e)

    def shutdown(self) -> None:
        """Save the reading place, stop the query thread and (if ours) the worker."""
        if self.closing:
            return
        self.closing = True
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            try:
                hints.colorSchemeChanged.disconnect(self._system_scheme_changed)
            except (RuntimeError, RuntimeWarning, TypeError):
                pass
        if self.workspace is not None:
            self.workspace.reader.save_position()
            self.workspace.runner.stop()
        if self.worker is not None and self._owns_worker:
            self.worker.stop()


def install_app_font(app: QApplication) -> None:
    f = th.ui_font()
    f.setPointSizeF(max(f.pointSizeF(), 10.0))
    app.setFont(f)

