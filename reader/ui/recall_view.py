"""The annotation library (the Recall tab): every highlight across the library, narrowed by tags
(all / any of several; a tag finds the tags under it), a full-text search over quotes and notes,
colour, source, the article's date and orphans; newest or oldest first, by article or by colour.
One click (or Enter) on a card asks the main window to open the article at that passage.

Several cards (Ctrl/Shift-click, Ctrl+A) can be tagged, untagged, recoloured, exported or
deleted at once; each such change is one entry on the undo stack (reader.ui.recall_actions).

Thousands of highlights stay instant: the query runs once (reader.core.highlight_query), and
the list model hands the view 200 cards at a time as it scrolls (Qt's fetchMore), each laid
out lazily by the delegate.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.highlight_query import NO_SOURCE, HighlightQuery, base_key, base_rows, narrow
from reader.core.library import Library, clean_tags
from reader.core.model import HIGHLIGHT_COLORS, Highlight
from reader.ui import ops, recall_actions
from reader.ui.annotations_panel import hint_label, section_label
from reader.ui.date_filter import DateFilterBar
from reader.ui.highlight_cards import (
    READ_ERRORS,
    CardListView,
    HighlightCardDelegate,
    HighlightListModel,
    HighlightRole,
)
from reader.ui.highlight_commands import LibraryCommand
from reader.ui.reader_view import _swatch_icon, color_label
from reader.ui.tag_edit import TagEdit
from reader.ui.tasks import LibrarySignals, LibraryWorker

ORPHANS_ALL, ORPHANS_ONLY, ORPHANS_NONE = "all", "only", "none"


class PagedHighlightModel(HighlightListModel):
    """All the matching highlights, handed to the view a page at a time (``fetchMore``):
    ``highlights()`` and ``row_of`` cover them all, ``rowCount`` the rows handed out so far."""

    PAGE = 200

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Highlight] = []

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self.beginResetModel()
        self._all = list(highlights)
        self._rows = self._all[:self.PAGE]
        self._row_of = {h.uuid: i for i, h in enumerate(self._all)}
        self.endResetModel()

    def highlights(self) -> list[Highlight]:
        return list(self._all)

    def total(self) -> int:
        return len(self._all)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self._rows) < len(self._all)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        self.fetch_to(len(self._rows) + self.PAGE - 1)

    def fetch_to(self, row: int) -> None:
        """Hand out the rows up to ``row`` (all with a large number)."""
        have, want = len(self._rows), min(row + 1, len(self._all))
        if want > have:
            self.beginInsertRows(QModelIndex(), have, want - 1)
            self._rows = self._all[:want]
            self.endInsertRows()


class RecallListView(CardListView):
    """Cards with a multi-selection; Ctrl+A selects every matching card, not only those
    handed out so far."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def selectAll(self) -> None:  # noqa: N802
        model = self.model()
        if isinstance(model, PagedHighlightModel):
            model.fetch_to(model.total())
        super().selectAll()


class RecallView(QWidget):
    """``open_highlight(article_id, uuid)`` when a card is clicked or Enter is pressed on it;
    ``refreshed(count)`` after each reload."""

    open_highlight = Signal(int, str)
    refreshed = Signal(int)
    selection_changed = Signal(int)  # how many cards are selected
    batch_done = Signal(str)  # a change to several highlights was written (its undo text)
    FILTER_DELAY_MS = 200

    def __init__(self, library: Library, worker: LibraryWorker, signals: LibrarySignals,
                 parent: QWidget | None = None, *, undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.worker = worker
        self.signals = signals
        # the window's undo stack; a view on its own (tests) keeps one of its own
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self._dirty = False
        self._visible = False
        # the rows read for the SQL conditions (tags, orphans, order), kept while only colour,
        # source, dates or the search change; dropped on every library change
        self._base: tuple[tuple[object, ...], list[Highlight]] | None = None

        self.tag_edit = TagEdit(self, library=library, signals=signals)
        self.tag_edit.setPlaceholderText(self.tr("All highlights — type tags to narrow"))
        self.tag_edit.setAccessibleName(self.tr("Tags to recall"))
        self.tag_edit.tags_changed.connect(self._tags_committed)
        # filter as you type: the whole tags typed so far count after a short pause (a tag
        # half typed does not empty the list); Enter or a comma commits as before
        self._typing = False
        self._tag_timer = QTimer(self)
        self._tag_timer.setSingleShot(True)
        self._tag_timer.setInterval(self.FILTER_DELAY_MS)
        self._tag_timer.timeout.connect(self._typed_tags)
        self.tag_edit.textEdited.connect(lambda _t: self._tag_timer.start())
        tags_label = QLabel(self.tr("Tags"), self)
        tags_label.setBuddy(self.tag_edit)

        self.all_button = QToolButton(self)
        self.all_button.setText(self.tr("All of them"))
        self.all_button.setToolTip(self.tr("Highlights carrying every one of these tags (AND)"))
        self.any_button = QToolButton(self)
        self.any_button.setText(self.tr("Any of them"))
        self.any_button.setToolTip(self.tr("Highlights carrying at least one of these tags (OR)"))
        self.mode_group = QButtonGroup(self)
        for b in (self.all_button, self.any_button):
            b.setCheckable(True)
            b.setAutoRaise(False)
            self.mode_group.addButton(b)
        self.all_button.setChecked(True)
        self.mode_group.buttonToggled.connect(self._mode_toggled)

        self.order_combo = QComboBox(self)
        self.order_combo.addItem(self.tr("Newest first"), "newest")
        self.order_combo.addItem(self.tr("Oldest first"), "oldest")
        self.order_combo.addItem(self.tr("By article"), "article")
        self.order_combo.addItem(self.tr("By colour"), "color")
        self.order_combo.setAccessibleName(self.tr("Order"))
        self.order_combo.currentIndexChanged.connect(lambda _i: self.refresh())

        self.color_combo = QComboBox(self)
        self.color_combo.addItem(self.tr("All colours"), "")
        for name in HIGHLIGHT_COLORS:
            self.color_combo.addItem(_swatch_icon(name), color_label(name), name)
        self.color_combo.setAccessibleName(self.tr("Colour"))
        self.color_combo.setToolTip(self.tr("Only the highlights of one colour"))
        self.color_combo.currentIndexChanged.connect(lambda _i: self.refresh(reread=False))

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Search quotes and notes"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Search quotes and notes"))
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(self.FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(lambda: self.refresh(reread=False))
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(lambda: self.refresh(reread=False))

        self.source_combo = QComboBox(self)
        self.source_combo.setAccessibleName(self.tr("Source"))
        self.source_combo.setToolTip(self.tr("Only the highlights in articles from one source"))
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_combo.setMinimumContentsLength(8)
        self._fill_sources()
        self.source_combo.currentIndexChanged.connect(lambda _i: self.refresh(reread=False))

        self.date_bar = DateFilterBar(self)
        self.date_bar.set_newest(lambda: self.library.date_range()[1])
        self.date_bar.changed.connect(lambda *_a: self.refresh(reread=False))

        self.orphan_combo = QComboBox(self)
        self.orphan_combo.addItem(self.tr("With orphans"), ORPHANS_ALL)
        self.orphan_combo.addItem(self.tr("Only orphans"), ORPHANS_ONLY)
        self.orphan_combo.addItem(self.tr("Without orphans"), ORPHANS_NONE)
        self.orphan_combo.setAccessibleName(self.tr("Orphans"))
        self.orphan_combo.setToolTip(self.tr("Orphans: highlights whose text is gone from the "
                                             "current version of their article"))
        self.orphan_combo.currentIndexChanged.connect(lambda _i: self.refresh())

        self.count_label = section_label("", self)

        self.review_button = QToolButton(self)
        self.review_button.setText(self.tr("Review"))
        self.review_button.setToolTip(self.tr("Daily review of your highlights (of the tags "
                                              "typed here, if any): 1–4 to answer"))
        self.review_button.clicked.connect(lambda: self.open_review())
        self.review_dialog: QDialog | None = None  # the daily review (reader.ui.review_dialog)

        # what to do with the selected cards
        self.selection_label = QLabel(self)
        self.tag_button = QPushButton(self.tr("Tags"), self)
        self.tag_button.setToolTip(self.tr("Add tags to the selected highlights, or remove one"))
        self.tag_menu = QMenu(self.tag_button)
        self.tag_menu.aboutToShow.connect(self._fill_tag_menu)
        self.tag_button.setMenu(self.tag_menu)
        self.color_button = QPushButton(self.tr("Colour"), self)
        self.color_button.setToolTip(self.tr("Give the selected highlights one colour"))
        color_menu = QMenu(self.color_button)
        for name in HIGHLIGHT_COLORS:
            color_menu.addAction(_swatch_icon(name), color_label(name),
                                 lambda c=name: self.recolor_selected(c))
        self.color_button.setMenu(color_menu)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setToolTip(self.tr("Export the selected highlights (Markdown, JSON "
                                              "or CSV)"))
        self.export_button.clicked.connect(self._export_clicked)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setToolTip(self.tr("Delete the selected highlights (Undo brings "
                                              "them back)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.selection_bar = QWidget(self)
        bar = QHBoxLayout(self.selection_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.selection_label, 1)
        for button in (self.tag_button, self.color_button, self.export_button,
                       self.delete_button):
            bar.addWidget(button)

        self.model = PagedHighlightModel(self)
        self.view = RecallListView(self)
        self.view.setModel(self.model)
        self.delegate = HighlightCardDelegate(self.view, show_article=True)
        self.view.setItemDelegate(self.delegate)
        self.view.setAccessibleName(self.tr("Recalled highlights"))
        self.view.chosen.connect(self._chosen)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.delete_pressed.connect(lambda _i: self.delete_selected())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.empty_label = hint_label("", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(24, 40, 24, 24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)

        row1 = QHBoxLayout()
        row1.addWidget(tags_label)
        row1.addWidget(self.tag_edit, 1)
        modes = QHBoxLayout()
        modes.setSpacing(0)
        modes.addWidget(self.all_button)
        modes.addWidget(self.any_button)
        row1.addLayout(modes)
        row1.addWidget(self.review_button)
        row2 = QHBoxLayout()
        row2.addWidget(self.filter_edit, 1)
        row2.addWidget(self.color_combo)
        row2.addWidget(self.order_combo)
        row2.addSpacing(8)
        row2.addWidget(self.count_label)
        row3 = QHBoxLayout()
        row3.addWidget(self.source_combo, 3)
        row3.addWidget(self.orphan_combo, 2)
        top = QVBoxLayout()
        top.setContentsMargins(12, 10, 12, 4)
        top.setSpacing(8)
        top.addLayout(row1)
        top.addLayout(row2)
        top.addLayout(row3)
        top.addWidget(self.date_bar)
        top.addWidget(self.selection_bar)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addWidget(self.stack, 1)

        signals.highlights_changed.connect(self._changed)
        signals.tags_changed.connect(self._changed)
        signals.articles_changed.connect(self._changed)
        signals.articles_changed.connect(lambda *_a: self._fill_sources())
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)
        self._refresh_timer.timeout.connect(self.refresh)
        self._selection_changed()
        # read when first shown: the window starts on another tab, and reading every highlight
        # (thousands) is no part of opening a library
        self._dirty = True

    # ------------------------------------------------------------------ public API
    def show_tags(self, tags: Sequence[str], any_tag: bool = False) -> None:
        """Recall the highlights carrying ``tags`` (all of them, or any with ``any_tag``)."""
        self._typing = False
        self.tag_edit.set_tags(tags)
        self.mode_group.blockSignals(True)
        (self.any_button if any_tag else self.all_button).setChecked(True)
        self.mode_group.blockSignals(False)
        self.refresh()

    def tags(self) -> list[str]:
        return self.tag_edit.tags()

    def any_tag(self) -> bool:
        return self.any_button.isChecked()

    def set_any_tag(self, any_tag: bool) -> None:
        (self.any_button if any_tag else self.all_button).setChecked(True)

    def order(self) -> str:
        return self.order_combo.currentData()

    def set_order(self, order: str) -> None:
        i = self.order_combo.findData(order)
        if i >= 0:
            self.order_combo.setCurrentIndex(i)

    def color(self) -> str:
        """The colour the cards are narrowed to ('' for all)."""
        return self.color_combo.currentData() or ""

    def set_color(self, color: str) -> None:
        i = self.color_combo.findData(color or "")
        if i >= 0:
            self.color_combo.setCurrentIndex(i)

    def set_filter_text(self, text: str) -> None:
        self.filter_edit.setText(text)
        self.refresh(reread=False)

    def source(self) -> str | None:
        """The source the cards are narrowed to (None: any; '' the articles without one)."""
        data = self.source_combo.currentData()
        return None if data is None else str(data)

    def set_source(self, source: str | None) -> None:
        i = self.source_combo.findData(source) if source is not None else 0
        if i >= 0:
            self.source_combo.setCurrentIndex(i)

    def orphans(self) -> bool | None:
        return {ORPHANS_ONLY: True, ORPHANS_NONE: False}.get(self.orphan_combo.currentData())

    def set_orphans(self, orphans: bool | None) -> None:
        key = ORPHANS_ALL if orphans is None else ORPHANS_ONLY if orphans else ORPHANS_NONE
        self.orphan_combo.setCurrentIndex(self.orphan_combo.findData(key))

    def set_date_range(self, start: str, end: str) -> None:
        self.date_bar.set_range(start, end)
        self.refresh(reread=False)

    def query(self, tags: Sequence[str] | None = None) -> HighlightQuery:
        """What the filters ask for now."""
        date_from, date_to, undated = self.date_bar.values()
        return HighlightQuery(
            tags=clean_tags(self.tag_edit.tags()) if tags is None else tags,
            any_tag=self.any_tag(), text=self.filter_edit.text().strip(), color=self.color(),
            source=self.source(), date_from=date_from, date_to=date_to, undated=undated,
            orphans=self.orphans(), order=self.order())

    def count(self) -> int:
        """How many highlights match (all of them, not only the cards handed out so far)."""
        return self.model.total()

    def selected_highlights(self) -> list[Highlight]:
        """The selected cards' highlights, in list order."""
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [h for r in rows if (h := self.model.highlight_at(r)) is not None]

    def select_uuids(self, uuids: Sequence[str]) -> None:
        """Select these cards (loading as many as needed), the first one current."""
        sel = self.view.selectionModel()
        rows = sorted(r for u in uuids if (r := self.model.row_of(u)) >= 0)
        if not rows:
            sel.clearSelection()
            return
        self.model.fetch_to(rows[-1])
        # one selection of runs of rows, set at once: one selectionChanged, however many rows
        # (row by row it was quadratic: 5,000 cards took minutes)
        runs = QItemSelection()
        start = prev = rows[0]
        for r in [*rows[1:], -1]:
            if r != prev + 1:
                runs.select(self.model.index(start, 0), self.model.index(prev, 0))
                start = r
            prev = r
        sel.setCurrentIndex(self.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        sel.select(runs, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def open_review(self):  # noqa: ANN201
        """Open the daily review (of the tags recalled here, if any); returns the dialog."""
        from reader.ui.review_dialog import ReviewDialog

        if self.review_dialog is not None:
            self.review_dialog.close()
            self.review_dialog.deleteLater()
        settings = getattr(self.window(), "settings", None)  # the main window's
        dlg = ReviewDialog(self.library, self.worker, tags=clean_tags(self.tag_edit.tags()),
                           settings=settings if isinstance(settings, QSettings) else None,
                           parent=self.window())
        dlg.open_highlight.connect(self.open_highlight)
        self.review_dialog = dlg
        dlg.show()
        dlg.load()
        return dlg

    # ------------------------------------------------------------------ changes to the selection
    def _push(self, cmd: LibraryCommand) -> None:
        text = cmd.text()
        cmd.on_done = lambda _r: self.batch_done.emit(text)
        cmd.on_error = self._error  # said where the count is, never dropped
        self.undo_stack.push(cmd)

    def add_tags_to_selected(self, tags: Sequence[str]) -> None:
        hs, tags = self.selected_highlights(), clean_tags(tags)
        if hs and tags:
            self._push(recall_actions.add_tags_command(
                self.worker, [h.uuid for h in hs], tags,
                self._n_text(self.tr("Tag 1 highlight"), self.tr("Tag %1 highlights"), len(hs))))

    def remove_tag_from_selected(self, tag: str) -> None:
        hs = self.selected_highlights()
        if hs:
            self._push(recall_actions.remove_tag_command(
                self.worker, [h.uuid for h in hs], tag,
                self._n_text(self.tr("Untag 1 highlight"), self.tr("Untag %1 highlights"),
                             len(hs))))

    def recolor_selected(self, color: str) -> None:
        hs = self.selected_highlights()
        if hs:
            self._push(recall_actions.recolor_command(
                self.worker, [h.uuid for h in hs], color,
                self._n_text(self.tr("Recolour 1 highlight"), self.tr("Recolour %1 highlights"),
                             len(hs))))

    def delete_selected(self) -> None:
        hs = self.selected_highlights()
        if hs:
            self._push(recall_actions.delete_command(
                self.worker, [h.uuid for h in hs],
                self._n_text(self.tr("Delete 1 highlight"), self.tr("Delete %1 highlights"),
                             len(hs))))

    def export_selected(self, path: str) -> None:
        """Write the selected highlights to ``path`` (the format from its extension: .md, .json
        or .csv) on the worker; ``batch_done`` says where, or the error is shown."""
        from reader.core.exporters import EXTENSIONS, Selection

        hs = self.selected_highlights()
        if not hs:
            return
        ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
        fmt = next((f for f, e in EXTENSIONS.items() if e == "." + ext), "markdown")
        sel = Selection(uuids=[h.uuid for h in hs])
        ops.export_highlights(self.worker, sel, fmt, path,
                              on_done=lambda r: self.batch_done.emit(str(r[0])),
                              on_error=self._error)

    def _error(self, message: str) -> None:
        self.count_label.setText(message)

    @staticmethod
    def _n_text(one: str, many: str, n: int) -> str:
        return one if n == 1 else many.replace("%1", str(n))

    def _selection_changed(self, *_args: object) -> None:
        n = len(self.view.selectionModel().selectedRows())
        self.selection_label.setText(self._n_text(self.tr("1 selected"), self.tr("%1 selected"), n))
        for b in (self.tag_button, self.color_button, self.export_button, self.delete_button):
            b.setEnabled(n > 0)
        self.selection_bar.setVisible(n > 0)
        self.selection_changed.emit(n)

    def _fill_tag_menu(self) -> None:
        m = self.tag_menu
        m.clear()
        m.addAction(self.tr("Add tags…"), self._ask_tags)
        present = sorted({t for h in self.selected_highlights() for t in h.tags})
        if present:
            sub = m.addMenu(self.tr("Remove tag"))
            for t in present:
                def remove(tag: str = t) -> None:
                    self.remove_tag_from_selected(tag)

                sub.addAction(t, remove)

    def _ask_tags(self) -> None:
        text, ok = QInputDialog.getText(self, self.tr("Add tags"),
                                        self.tr("Tags for the selected highlights (separate "
                                                "them with commas):"))
        if ok and text.strip():
            self.add_tags_to_selected([t for t in text.replace("，", ",").split(",")])

    def _export_clicked(self) -> None:
        from reader.ui.export_dialog import file_dialog_options

        path, _f = QFileDialog.getSaveFileName(
            self, self.tr("Export highlights"), "highlights.md",
            self.tr("Markdown (*.md);;Web Annotation JSON (*.json);;CSV (*.csv)"),
            options=file_dialog_options())
        if path:
            self.export_selected(path)

    def _fill_sources(self) -> None:
        current = self.source()
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        self.source_combo.addItem(self.tr("All sources"), None)
        try:
            sources = self.library.sources()
        except READ_ERRORS:
            sources = []
        for name, n in sources:
            label = name or self.tr("No source")
            self.source_combo.addItem(f"{label} ({n})", name or NO_SOURCE)
        i = self.source_combo.findData(current) if current is not None else 0
        self.source_combo.setCurrentIndex(max(i, 0))
        self.source_combo.blockSignals(False)

    def highlights(self) -> list[Highlight]:
        return self.model.highlights()

    def refresh(self, *, reread: bool = True) -> None:
        """Reload the matching highlights now. ``reread=False`` (colour, source, dates, the
        search changed): filter the rows read before for the same tags, orphans and order."""
        if reread:
            self._base = None
        self._filter_timer.stop()
        self._refresh_timer.stop()
        self._dirty = False
        self._tag_timer.stop()
        tags = clean_tags(self.tag_edit.tags())
        if self._typing:  # not committed yet: only the tags typed out in full
            known = {t.casefold() for t in self.tag_edit.known_tags()}
            tags = [t for t in tags if t.casefold() in known]
        q = self.query(tags)
        current = self.model.highlight_at(self.view.currentIndex().row())
        selected = [h.uuid for h in self.selected_highlights()]
        problem = ""
        try:
            key = base_key(q)
            if self._base is None or self._base[0] != key:  # else only in-memory filters changed
                self._base = (key, base_rows(self.library, q))
            rows = narrow(self.library, self._base[1], q)
        except READ_ERRORS:
            rows = []
        except ValueError as e:  # a malformed search (an unclosed quote …)
            rows, problem = [], str(getattr(e, "message", "") or e)
        self.model.set_highlights(rows)
        if len(selected) > 1:
            self.select_uuids(selected)
        elif current is not None and (row := self.model.row_of(current.uuid)) >= 0:
            self.model.fetch_to(row)
            self.view.setCurrentIndex(self.model.index(row, 0))
        self._selection_changed()
        n = len(rows)
        self.count_label.setText(self.tr("1 highlight") if n == 1
                                 else self.tr("%1 highlights").replace("%1", str(n)))
        if n:
            self.stack.setCurrentWidget(self.view)
        else:
            if problem:
                self.empty_label.setText(problem)
            elif q.narrowed:
                self.empty_label.setText(self.tr("No highlights match."))
            else:
                self.empty_label.setText(self.tr(
                    "No highlights yet.\nHighlight passages in an article and give them tags; "
                    "then recall them here by tag."))
            self.stack.setCurrentWidget(self.empty_label)
        self.refreshed.emit(n)

    # ------------------------------------------------------------------ internals
    def _tags_committed(self, _tags: list) -> None:
        self._typing = False
        self.refresh()

    def _typed_tags(self) -> None:
        self._typing = True
        self.refresh()

    def _mode_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked and self.tag_edit.tags():
            self.refresh()

    def _changed(self, *_args: object) -> None:
        self._base = None
        if self._visible:
            self._refresh_timer.start()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._visible = True
        if self._dirty:
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._visible = False

    def _chosen(self, index: QModelIndex) -> None:
        mods = QGuiApplication.keyboardModifiers()
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return  # adding to the selection, not opening
        h: Highlight | None = index.data(HighlightRole)
        if h is not None:
            self.open_highlight.emit(h.article_id, h.uuid)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        h: Highlight | None = index.data(HighlightRole) if index.isValid() else None
        if h is None:
            return
        menu = QMenu(self)
        if len(self.view.selectionModel().selectedRows()) > 1:
            self._fill_tag_menu()
            menu.addMenu(self.tag_menu).setText(self.tr("Tags"))
            menu.addMenu(self.color_button.menu()).setText(self.tr("Colour"))
            menu.addAction(self.tr("Export…"), self._export_clicked)
            menu.addAction(self.tr("Delete"), self.delete_selected)
            menu.popup(self.view.viewport().mapToGlobal(pos))
            return
        menu.addAction(self.tr("Open at this passage"),
                       lambda: self.open_highlight.emit(h.article_id, h.uuid))
        menu.addAction(self.tr("Copy quote"),
                       lambda: QGuiApplication.clipboard().setText(h.quote))
        if h.note:
            menu.addAction(self.tr("Copy note"),
                           lambda: QGuiApplication.clipboard().setText(h.note))
        if h.tags:
            sub = menu.addMenu(self.tr("Recall by tag"))
            for t in h.tags:
                def recall(tag: str = t) -> None:
                    self.show_tags([tag])

                sub.addAction(t, recall)
        menu.popup(self.view.viewport().mapToGlobal(pos))
