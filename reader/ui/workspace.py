"""The main window's workspace: sidebar | articles, search, recall | reader and annotations.

Built once, when the library is open (:meth:`MainWindow.attach_library`), so everything here
has a library: no ``library is None`` checks. The window keeps the menus, the status bar and
the pages (loading, empty, this); it forwards the attributes callers know it by
(``window.reader``, ``window.list_pane``, …) here.

The workspace is the main splitter itself (objectName ``mainSplitter``), so the widget tree and
the saved pane proportions are those of before it had a class of its own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QCursor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library, LibraryError
from reader.core.links import Link
from reader.ui import ops
from reader.ui import theme as th
from reader.ui.annotations_panel import AnnotationsPanel
from reader.ui.article_list import ArticleListPane
from reader.ui.highlight_editor import HighlightEditor
from reader.ui.pane_layout import PaneLayout
from reader.ui.reader_view import ReaderView
from reader.ui.recall_view import RecallView
from reader.ui.search_panel import QueryRunner, SearchPanel
from reader.ui.sidebar import Sidebar
from reader.ui.tag_edit import TagEdit
from reader.ui.tag_suggest import TagSuggestions
from reader.ui.tasks import LibrarySignals, LibraryWorker
from reader.ui.undo_scope import MergeCommand, SplitCommand
from reader.ui.versions_dialog import VersionsDialog
from reader.ui.widgets import text_label

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

TAB_ARTICLES, TAB_SEARCH, TAB_RECALL = range(3)

def library_key(library: Library, name: str) -> str:
    """A settings key of one library's own (last article, pane proportions, tab): each library
    keeps its place; window size, theme and fonts are shared."""
    root = str(Path(library.root).resolve())
    return f"libraries/{hashlib.sha1(root.encode('utf-8')).hexdigest()[:16]}/{name}"


class Workspace(PaneLayout):
    """What needs an open library. ``window`` gives the settings, the undo stack, the status
    line (``notify``) and the View menu's pane toggles."""

    def __init__(self, window: MainWindow, library: Library, worker: LibraryWorker,
                 signals: LibrarySignals) -> None:
        super().__init__(Qt.Orientation.Horizontal, window)
        self.setObjectName("mainSplitter")
        self.w = window
        self.library = library
        self.worker = worker
        self.signals = signals
        self.settings = window.settings
        self.undo_stack = window.undo_stack
        self._pending_query: tuple[int, str] | None = None
        self.versions_dialog: VersionsDialog | None = None
        self.runner = QueryRunner(library, window)

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
        self.reader = ReaderView(library, worker, signals, self.settings, self,
                                 undo_stack=self.undo_stack)
        self.annotations = AnnotationsPanel(library, worker, signals, undo_stack=self.undo_stack)
        self.annotations.setMinimumWidth(200)
        self.highlight_editor = HighlightEditor(library, worker, signals, self.undo_stack,
                                                parent=window)

        self.right = QSplitter(Qt.Orientation.Horizontal, self)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(self.reader)
        self.right.addWidget(self.annotations)
        self.right.setStretchFactor(0, 1)
        self.right.setStretchFactor(1, 0)
        self.right.setChildrenCollapsible(False)
        self.addWidget(self.sidebar)
        self.addWidget(self.tabs)
        self.addWidget(self.right)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 0)
        self.setStretchFactor(2, 1)
        self.setChildrenCollapsible(False)
        self.setSizes([190, 420, 830])
        self.right.setSizes([600, 260])

        # several articles can be chosen (Ctrl/Shift+click) to export their annotations
        self.list_pane.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list_pane.article_selected.connect(self.open_article)
        self.list_pane.article_activated.connect(self._read_article)
        self.list_pane.filters_cleared.connect(self.sidebar.clear_selection)
        self.search_panel.result_activated.connect(self.open_search_result)
        self.runner.finished_request.connect(self._query_done)
        self.reader.highlight_clicked.connect(self.edit_highlight)
        self.reader.note_requested.connect(self.edit_highlight)
        self.reader.message.connect(window.notify)
        self.reader.split_requested.connect(self.split_at_cursor)
        self.reader.toggle_read_requested.connect(self.toggle_read)
        self.reader.article_shown.connect(self._article_shown)
        self.reader.related.article_requested.connect(
            lambda aid: self.open_article(aid, select=True))
        # related articles and suggested tags are reads: on the search's thread (issue 17)
        self.reader.related.use_runner(self.runner)
        self.highlight_editor.tag_suggestions.use_runner(self.runner)
        self.reader.read_marked.connect(lambda aid: self.list_pane.model.set_read_locally(aid, True))
        self.reader.text.selectionChanged.connect(self._reader_selection_changed)
        self.annotations.highlight_activated.connect(
            lambda uuid: self.reader.scroll_to_highlight(uuid, flash=True))
        self.annotations.edit_requested.connect(lambda uuid: self.edit_highlight(uuid))
        self.annotations.reattach_requested.connect(self.reattach_highlight)
        self.recall.open_highlight.connect(self.open_highlight)
        self.sidebar.recall_requested.connect(self.recall_tags)
        signals.article_changed.connect(self.list_pane.model.refresh_article)
        signals.highlights_changed.connect(self.list_pane.model.refresh_article)
        signals.index_changed.connect(self._index_changed)
        # after a drag (not inside it: the splitter would set its own sizes again)
        self.splitterMoved.connect(
            lambda *_a: QTimer.singleShot(0, lambda: self.fit_panels(collapse=False)))
        self.right.splitterMoved.connect(
            lambda *_a: QTimer.singleShot(0, lambda: self.fit_panels(collapse=False)))
        self.reader.font_changed.connect(lambda *_a: self.fit_panels())

    @property
    def shown(self) -> bool:
        """The window shows the workspace (not the empty library's page)."""
        return self.w.stack.currentWidget() is self

    def lib_key(self, name: str) -> str:
        return library_key(self.library, name)

    # ------------------------------------------------------------------ opening articles
    def open_article(self, article_id: int, *, select: bool = False) -> bool:
        """Show an article in the reader (select=True also makes it the list's current row)."""
        if self.reader.article_id != article_id and not self.reader.show_article(article_id):
            return False
        if select:
            self.list_pane.select_article(article_id)
        self.annotations.set_article(article_id)
        self.settings.setValue(self.lib_key("last/article_id"), article_id)
        self.w.article_opened.emit(article_id)
        return True

    def _read_article(self, article_id: int) -> None:
        self.open_article(article_id)
        self.reader.text.setFocus()

    def _article_shown(self, article_id: int) -> None:
        art = self.reader.article
        self.w.setWindowTitle(f"{art.title} — Pizhu 批注" if art else "Pizhu 批注")
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
        body = (self.reader.article.body or "") if self.reader.article else ""
        self._pending_query = (article_id, query)

        def spans(lib: Library) -> list[tuple[int, int]]:
            return lib.match_spans(query, body)

        self.runner.request("spans", spans)

    def _query_done(self, channel: str, token: int, ok: bool, result: object) -> None:
        if channel != "spans" or not self.runner.is_latest("spans", token):
            return
        pending, self._pending_query = self._pending_query, None
        if pending is None or pending[0] != self.reader.article_id:
            return
        if ok:
            self.reader.set_search_spans(list(cast("list[tuple[int, int]]", result)))
        else:
            self.w.notify(str(result))

    def open_first_if_none(self) -> None:
        """After the first import, open the newest article rather than an empty pane."""
        if not self.shown or self.reader.article_id is not None:
            return
        first = self.list_pane.model.article_at(0)
        if first is not None:
            self.list_pane.select_article(first.id, quiet=False)

    def open_last(self) -> None:
        """At start: the article read last in this library, else the first of the list."""
        if not self.shown:
            return
        last = self.settings.value(self.lib_key("last/article_id"),
                                   self.settings.value("last/article_id"))
        try:
            last_id = int(str(last)) if last is not None else None
        except (TypeError, ValueError):
            last_id = None
        if last_id is not None and self.open_article(last_id, select=True):
            return
        first = self.list_pane.model.article_at(0)
        if first is not None:
            self.list_pane.select_article(first.id, quiet=False)

    def open_link(self, link: Link) -> bool:
        """Open a ``pizhu://`` link's article at its highlight (:meth:`MainWindow.open_link`)."""
        aid = self.library.find_article(link.article_uuid)
        if aid is None:
            self.w.notify(self.tr("The linked article is not in this library."))
            return False
        if link.highlight_uuid is None:
            return self.open_article(aid, select=True)
        try:
            h = self.library.highlight(link.highlight_uuid)
        except LibraryError:
            h = None
        if h is None or h.article_id != aid or h.deleted:
            self.open_article(aid, select=True)
            self.w.notify(self.tr("The linked highlight is no longer there; its article is "
                                  "open."))
            return True
        if h.orphan:
            self.open_article(aid, select=True)
            self.annotations.select_highlight(h.uuid)
            self.w.notify(self.tr("The linked highlight is orphaned: its text is gone from the "
                                  "article. Re-attach it in the annotations panel."))
            return True
        self.open_highlight(aid, h.uuid)
        return True

    def step_article(self, delta: int) -> None:
        if self.tabs.currentIndex() != TAB_ARTICLES:
            self.show_tab(TAB_ARTICLES)
        self.list_pane.step(delta)

    def current_article(self) -> int | None:
        """The article in the reader, if the workspace shows."""
        return self.reader.article_id if self.shown else None

    def selected_article_ids(self) -> list[int]:
        """The articles chosen in the list (several with Ctrl/Shift+click), in list order."""
        rows = sorted(i.row() for i in self.list_pane.view.selectionModel().selectedRows())
        out = []
        for row in rows:
            art = self.list_pane.model.article_at(row)
            if art is not None:
                out.append(art.id)
        return out

    # ------------------------------------------------------------------ list filters and tabs
    def _source_selected(self, source: str) -> None:
        self.list_pane.set_source(source)
        self.show_tab(TAB_ARTICLES)

    def _tags_selected(self, tags: list) -> None:
        self.list_pane.set_tags(list(tags))
        self.show_tab(TAB_ARTICLES)

    def focus_filter(self) -> None:
        self.show_tab(TAB_ARTICLES)
        self.list_pane.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list_pane.text.selectAll()

    def show_tab(self, index: int) -> None:
        if self.shown:
            self.tabs.setCurrentIndex(index)

    def focus_search(self) -> None:
        if not self.shown:
            return
        self.tabs.setCurrentIndex(TAB_SEARCH)
        self.search_panel.focus_field()

    def recall_tags(self, tags: list) -> None:
        """Show the recall view for ``tags``."""
        self.show_tab(TAB_RECALL)
        self.recall.show_tags(list(tags))

    # ------------------------------------------------------------------ highlights
    def highlight_selection(self, color: str) -> bool:
        return self.shown and self.reader.highlight_selection(color)

    def highlight_with_note(self) -> None:
        if self.shown:
            self.reader.highlight_with_note()

    def edit_highlight(self, uuid: str, where: QPoint | None = None) -> bool:
        """Open the highlight editor popup on ``uuid`` near ``where`` (default: the pointer)."""
        ed = self.highlight_editor
        if not ed.edit(uuid):
            return False
        ed.popup_at(where if where is not None else QCursor.pos())
        return True

    def _reader_selection_changed(self) -> None:
        self.annotations.set_selection_available(self.reader.selection_range() is not None)
        self.w.update_enabled()

    def reattach_highlight(self, uuid: str) -> None:
        """Attach an orphaned highlight to the current selection in the reader."""
        rng = self.reader.selection_range()
        if rng is None:
            self.w.notify(self.tr("Select the passage in the article first, then re-attach."))
            return
        start, end = rng  # code points (ReaderView converts Qt's UTF-16 through OffsetMap)

        def done(h: object) -> None:
            cur = self.reader.text.textCursor()
            cur.clearSelection()
            self.reader.text.setTextCursor(cur)
            self.reader.scroll_to_highlight(uuid, flash=True)
            self.annotations.refresh()
            self.annotations.select_highlight(uuid)
            self.w.notify(self.tr("The highlight is attached to “{quote}”.").format(
                quote=getattr(h, "quote", "")[:40]))

        ops.reattach_highlight(self.worker, uuid, start, end, on_done=done,
                               on_error=self.w.notify)

    # ------------------------------------------------------------------ article actions
    def toggle_read(self) -> None:
        aid = self.current_article()
        art = self.reader.article
        if aid is None or art is None:
            return
        new = not art.read
        self.reader.set_read_by_user(new)  # no automatic re-marking of it meanwhile
        self.list_pane.model.set_read_locally(aid, new)
        ops.set_read(self.worker, aid, new, on_error=self.w.notify)
        self.w.notify(self.tr("Marked as read.") if new else self.tr("Marked as unread."))

    def edit_article_tags(self) -> None:
        aid = self.current_article()
        if aid is None or self.reader.article is None:
            return
        dlg = QDialog(self.w)
        dlg.setWindowTitle(self.tr("Article tags"))
        lay = QVBoxLayout(dlg)
        lay.addWidget(text_label(self.tr("Tags for “{title}”").format(
            title=self.reader.article.title)))
        edit = TagEdit(dlg, library=self.library, signals=self.signals)
        edit.set_tags(self.reader.article.tags)
        self.tag_dialog_edit = edit
        lay.addWidget(edit)
        # suggested tags (issue 17): one click or Alt+1…5 adds one; OK saves as ever
        self.tag_dialog_suggestions = TagSuggestions(edit, self.worker, dlg)
        self.tag_dialog_suggestions.use_runner(self.runner)
        lay.addWidget(self.tag_dialog_suggestions)
        self.tag_dialog_suggestions.load(article_id=aid)
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
        ops.tag_article(self.worker, article_id, tags,
                        on_done=lambda _t: self.reader.reload()
                        if self.reader.article_id == article_id else None,
                        on_error=self.w.notify)

    def _undo_key(self) -> str:
        return self.w.act_undo.shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def _reopen(self, shown_id: int) -> None:
        if shown_id:
            self.reader.show_article(None)
            self.open_article(shown_id, select=True)

    def merge_with_previous(self) -> None:
        aid = self.current_article()
        if aid is None or self.library.readonly or self.reader.article is None:
            return
        title = self.reader.article.title
        first = [True]

        def done(shown_id: int) -> None:  # after the merge, and after its undo and redo
            self._reopen(shown_id)
            if first[0]:
                first[0] = False
                self.w.notify(self.tr("“{title}” was joined to the article before it. "
                                      "Undo ({key}) splits it off again.").format(
                    title=title, key=self._undo_key()))

        self.undo_stack.push(MergeCommand(
            self.worker, aid, self.tr("Merge “{title}”").format(title=title), on_done=done,
            on_error=self.w.notify))

    def split_at_cursor(self) -> None:
        aid = self.current_article()
        if aid is None or self.library.readonly:
            return
        at = self.reader.cursor_offset()
        if at is None:
            self.w.notify(self.tr("Click in the line that should begin the new article, then "
                                  "split."))
            return
        first = [True]

        def done(shown_id: int) -> None:  # after the split, and after its undo and redo
            self._reopen(shown_id)
            if first[0]:
                first[0] = False
                art = self.reader.article
                self.w.notify(self.tr("“{title}” is now an article of its own. Undo ({key}) "
                                      "merges it back.").format(
                    title=art.title if art else "", key=self._undo_key()))

        self.undo_stack.push(SplitCommand(
            self.worker, aid, at, self.tr("Split “{title}”").format(
                title=self.reader.article.title if self.reader.article else ""),
            on_done=done, on_error=self.w.notify))

    def show_versions(self) -> VersionsDialog | None:
        """Article → Version history…: the open article's earlier texts and what changed."""
        aid = self.current_article()
        if aid is None:
            return None
        dlg = VersionsDialog(self.library, self.worker, aid, self.w)
        self.versions_dialog = dlg
        dlg.show()
        return dlg

    # ------------------------------------------------------------------ library changes
    def articles_changed(self) -> None:
        self.list_pane.reload()
        self.open_first_if_none()
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

    # ------------------------------------------------------------------ view
    def open_find(self) -> None:
        if self.current_article() is not None:
            self.reader.open_find()

    def find_next(self) -> None:
        if self.current_article() is not None:
            self.reader.find_next()

    def find_previous(self) -> None:
        if self.current_article() is not None:
            self.reader.find_previous()

    def show_pane(self, pane: QWidget, on: bool) -> None:
        """View → Show sidebar / annotations (``pane``: ``self.sidebar`` or
        ``self.annotations``)."""
        self._leave_reading_mode()
        pane.setVisible(on)
        self.fit_panels(collapse=False)

    def set_theme(self, theme: th.Theme) -> None:
        self.reader.set_theme(theme)
        self.search_panel.set_accent(theme.accent)

    # ------------------------------------------------------------------ state
    def restore_state(self, *, sidebar: bool, annotations: bool) -> None:
        s = self.settings
        self.restore_layout()
        self.sidebar.setVisible(sidebar)
        self.annotations.setVisible(annotations)
        try:
            tab = int(str(s.value(self.lib_key("view/tab"), s.value("view/tab", TAB_ARTICLES))))
        except (TypeError, ValueError):
            tab = TAB_ARTICLES
        self.tabs.setCurrentIndex(tab if tab in (TAB_ARTICLES, TAB_RECALL) else TAB_ARTICLES)

    def save_state(self) -> None:
        s = self.settings
        self.save_layout()
        s.setValue(self.lib_key("view/tab"), self.tabs.currentIndex())
        self.list_pane.save_state()
        if self.reader.article_id is not None:
            s.setValue(self.lib_key("last/article_id"), self.reader.article_id)
