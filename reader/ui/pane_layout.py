"""How the workspace's panes share the window's width (issue 14): the saved proportions of each
library, a reading column never narrower than :data:`READING_MIN_CHARS` characters (on a small
window the sidebar and then the annotations give way), and reading mode (only the article).

The base class of :class:`~reader.ui.workspace.Workspace` (the main splitter): it uses the
workspace's panes (``sidebar``, ``tabs``, ``right``, ``reader``, ``annotations``), declared below
and made by the workspace, its settings and the window's View actions; it has no strings of its
own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSplitter, QTabWidget

if TYPE_CHECKING:
    from reader.ui.annotations_panel import AnnotationsPanel
    from reader.ui.main_window import MainWindow
    from reader.ui.reader_view import ReaderView
    from reader.ui.sidebar import Sidebar

READING_MIN_CHARS = 28  # the reading column never gets narrower while the window has room
MAIN_RATIOS = [0.13, 0.29, 0.58]  # sidebar | list | reader and annotations
RIGHT_RATIOS = [0.7, 0.3]  # reader | annotations


def splitter_ratios(splitter: QSplitter) -> list[float]:
    sizes = splitter.sizes()
    total = sum(sizes)
    return [round(s / total, 4) for s in sizes] if total > 0 else []


class PaneLayout(QSplitter):
    """Layout state: ``_pending_ratios`` (the saved proportions, applied once the window has
    its size), ``_reading_mode`` and the sizes to go back to after it."""

    _pending_ratios: tuple[list[float], list[float]] | None = None
    _reading_mode = False
    _saved_sizes: tuple[list[int], list[int]] = ([], [])
    # made by the workspace
    w: MainWindow
    settings: QSettings
    sidebar: Sidebar
    tabs: QTabWidget
    right: QSplitter
    reader: ReaderView
    annotations: AnnotationsPanel

    @property
    def shown(self) -> bool:
        raise NotImplementedError

    def lib_key(self, name: str) -> str:
        raise NotImplementedError

    def _saved_ratios(self, name: str, splitter: QSplitter,
                      default: list[float]) -> list[float]:
        s = self.settings
        v = s.value(self.lib_key(f"window/{name}_ratios"))
        try:
            ratios = [float(x) for x in v] if isinstance(v, list) else []
        except (TypeError, ValueError):
            ratios = []
        if len(ratios) != len(default) or sum(ratios) <= 0:
            old = s.value(f"window/{name}_splitter")  # pixels, from before: as proportions
            if old is not None and splitter.restoreState(old) and sum(splitter.sizes()) > 0:
                ratios = splitter_ratios(splitter)
            else:
                ratios = list(default)
        return [r if r > 0 else d for r, d in zip(ratios, default, strict=True)]

    def reading_min_width(self) -> int:
        """The narrowest reading pane: READING_MIN_CHARS characters a line, its margins and
        the scroll bar."""
        bar = self.reader.text.verticalScrollBar().sizeHint().width()
        return READING_MIN_CHARS * self.reader.font_px + 2 * 28 + bar + 4

    def fit_panels(self, *, collapse: bool = True) -> None:
        """Give the reading column its minimum: first the saved proportions (once, when the
        window has its size), then, on a window too small for all panes, hide the sidebar and
        then the annotations (the View menu keeps the user's choice and they come back when
        there is room), and take width from the list, the sidebar, the annotations."""
        if self._reading_mode or self.w.closing:
            return
        total = self.width()
        if total <= 0 or not self.isVisible():
            return
        if self._pending_ratios is not None:
            main, right = self._pending_ratios
            self._pending_ratios = None
            self.setSizes([round(r * total) for r in main])
            rw = self.sizes()[2]
            self.right.setSizes([round(r * rw) for r in right])
        need = self.reading_min_width()
        h_main, h_right = self.handleWidth(), self.right.handleWidth()
        side_min, list_min = self.sidebar.minimumWidth(), self.tabs.minimumWidth()
        notes_min = self.annotations.minimumWidth()

        def room(side: bool, notes: bool) -> int:
            return (total - list_min - h_main - (side_min + h_main if side else 0)
                    - (notes_min + h_right if notes else 0))

        side, notes = self.sidebar.isVisible(), self.annotations.isVisible()
        if collapse:
            side = self.w.act_sidebar.isChecked()
            notes = self.w.act_annotations.isChecked()
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
            sizes = self.sizes()
            for i, floor in ((1, list_min), (0, side_min if side else 0)):
                take = max(0, min(deficit, sizes[i] - floor))
                sizes[i] -= take
                sizes[2] += take
                deficit -= take
            self.setSizes(sizes)
            rsizes = self.right.sizes()
            if notes and rsizes[0] < need:  # the growth went to the annotations: move it
                self.right.setSizes([need, max(notes_min, sum(rsizes) - need)])

    def set_reading_mode(self, on: bool) -> bool:
        """Only the article (True), or the panes back; returns whether reading mode is on."""
        if not on or not self.shown:
            self._leave_reading_mode()
            return False
        if self._reading_mode:
            return True
        self._reading_mode = True
        self._saved_sizes = (self.sizes(), self.right.sizes())
        for pane in (self.sidebar, self.tabs, self.annotations):
            pane.hide()
        self.reader.text.setFocus()
        return True

    def _leave_reading_mode(self) -> None:
        if not self._reading_mode:
            return
        self._reading_mode = False
        self.w.act_reading_mode.setChecked(False)
        self.tabs.show()
        self.sidebar.setVisible(self.w.act_sidebar.isChecked())
        self.annotations.setVisible(self.w.act_annotations.isChecked())
        main, right = self._saved_sizes
        self.setSizes(main)
        self.right.setSizes(right)
        self.fit_panels()

    @property
    def reading_mode(self) -> bool:
        return self._reading_mode

    def restore_layout(self) -> None:
        self._pending_ratios = (self._saved_ratios("main", self, MAIN_RATIOS),
                                self._saved_ratios("right", self.right, RIGHT_RATIOS))

    def save_layout(self) -> None:
        # proportions, not pixels: a smaller screen must not crush the reading column
        if self._pending_ratios is None and not self._reading_mode:
            self.settings.setValue(self.lib_key("window/main_ratios"), splitter_ratios(self))
            self.settings.setValue(self.lib_key("window/right_ratios"),
                                   splitter_ratios(self.right))
