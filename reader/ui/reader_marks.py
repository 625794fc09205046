"""What the reader pane draws over the text (a part of
:class:`~reader.ui.reader_view.ReaderView`): highlights by segment, search matches, the find
bar's matches and the flash of a passage jumped to. Strings keep the ``ReaderView`` context."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit

from reader.ui import theme as th
from reader.ui.reader_widgets import ReaderBase, highlight_segments


class ReaderMarks(ReaderBase):
    """What is drawn over the text: highlights, search matches and the find bar's matches."""

    # ------------------------------------------------------------------ drawing
    def _selection(self, start: int, end: int,
                   fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.text.document())
        cur.setPosition(self.doc_pos(start))
        cur.setPosition(self.doc_pos(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        sel.format = fmt
        return sel

    # the highlight marks of the shown document by what they look like: a change to one
    # highlight builds the marks of its segments again, not those of all 500 (see
    # :attr:`marks_built`); a new document or theme starts afresh
    _mark_doc: object = None
    _mark_theme: object = None
    _mark_cache: dict[tuple, QTextEdit.ExtraSelection] | None = None
    marks_built = 0  # highlight marks built since the reader was made (tests count them)

    LAZY_MARKS = 150  # more marks than this on a new document: those on screen first
    _marks_partial = False

    def _screen_window(self) -> tuple[int, int]:
        """Body code points from a screen above the viewport to a screen below it."""
        vp = self.text.viewport()
        top = self.body_offset(self.text.cursorForPosition(QPoint(0, 0)).position())
        bottom = self.body_offset(
            self.text.cursorForPosition(QPoint(vp.width(), vp.height())).position())
        screen = max(bottom - top, 500)
        return top - screen, bottom + screen

    def _complete_marks(self) -> None:
        if self._marks_partial:
            self._refresh_selections()

    def _highlight_marks(self) -> list[QTextEdit.ExtraSelection]:
        doc = self.text.document()
        fresh = (self._mark_cache is None or self._mark_doc is not doc
                 or self._mark_theme is not self.theme)
        old: dict[tuple[Any, ...], QTextEdit.ExtraSelection] = (
            {} if fresh or self._mark_cache is None else self._mark_cache)
        self._mark_doc, self._mark_theme = doc, self.theme
        cache: dict[tuple, QTextEdit.ExtraSelection] = {}
        looks: dict[tuple, QTextCharFormat] = {}  # a format per colour, depth and note
        sels: list[QTextEdit.ExtraSelection] = []
        segments = self._segments
        # a new document with many marks: those within a screen of the viewport now, the
        # rest on the next turn of the event loop (500 marks take 20-40 ms to make)
        self._marks_partial = fresh and len(segments) > self.LAZY_MARKS
        if self._marks_partial:
            lo, hi = self._screen_window()
            segments = [s for s in segments if s.end >= lo and s.start <= hi]
            QTimer.singleShot(0, self, self._complete_marks)
        for seg in segments:
            top = seg.top
            noted = any(h.note for h in seg.highlights)
            key = (seg.start, seg.end, top.uuid, top.color, len(seg.highlights), noted)
            sel = old.get(key)
            if sel is None:
                look = (top.color, len(seg.highlights), noted)
                base = looks.get(look)
                if base is None:
                    base = looks[look] = QTextCharFormat()
                    base.setBackground(th.highlight_background(top.color, self.theme,
                                                               len(seg.highlights)))
                    if self.theme.dark:
                        base.setForeground(QColor("#f2f2ee"))
                    if noted:
                        base.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                        base.setUnderlineColor(QColor(self.theme.muted))
                fmt = QTextCharFormat(base)
                fmt.setProperty(QTextFormat.Property.UserProperty, top.uuid)
                sel = self._selection(seg.start, seg.end, fmt)
                self.marks_built += 1
            cache[key] = sel
            sels.append(sel)
        self._mark_cache = cache
        return sels

    def _refresh_selections(self) -> None:
        sels: list[QTextEdit.ExtraSelection] = []
        if self._article is not None:
            self._segments = highlight_segments(self._highlights)
            sels = self._highlight_marks()
            hit = QTextCharFormat()
            hit.setBackground(QColor(self.theme.find_hit))
            for s, e in self._search_spans:
                sels.append(self._selection(s, e, hit))
            for i, (s, e) in enumerate(self._find_spans):
                f = QTextCharFormat(hit)
                if i == self._find_index:
                    f.setBackground(QColor(self.theme.find_current))
                sels.append(self._selection(s, e, f))
            if self._flash is not None:
                fl = QTextCharFormat()
                fl.setBackground(QColor(self.theme.flash))
                fl.setForeground(QColor("#ffffff"))
                sels.append(self._selection(*self._flash, fl))
        self.text.setExtraSelections(sels)

    def set_theme(self, theme: th.Theme) -> None:
        self.theme = theme
        if self._article is not None:
            self.reload()
        else:
            self._show_placeholder()

    # ------------------------------------------------------------------ search marks and find
    def set_search_spans(self, spans: list[tuple[int, int]], *,
                         scroll: bool = True) -> None:
        """Mark search hits (body code points) and scroll to the first one."""
        body_len = len(self._article.body or "") if self._article else 0
        self._search_spans = sorted(
            (max(0, s), min(body_len, e)) for s, e in spans if e > s and s < body_len
        )
        self._refresh_selections()
        if scroll and self._search_spans:
            s, e = self._search_spans[0]
            self.scroll_to(s, e, flash=False)

    def clear_search_spans(self) -> None:
        self._search_spans = []
        self._refresh_selections()

    def open_find(self) -> None:
        self.find_bar.show()
        sel = self.selection_range()
        if sel and self._article is not None and sel[1] - sel[0] <= 40:
            self.find_bar.field.setText((self._article.body or "")[sel[0]:sel[1]])
        self.find_bar.field.setFocus()
        self.find_bar.field.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self._find_spans, self._find_index = [], -1
        self._update_find_label()
        self._refresh_selections()
        self.text.setFocus()

    def _find_changed(self, needle: str, scroll: bool = True) -> None:
        body = (self._article.body or "") if self._article else ""
        self._find_spans = []
        if needle:
            pat = re.compile(re.escape(needle), re.IGNORECASE)
            self._find_spans = [(m.start(), m.end()) for m in pat.finditer(body)]
        self._find_index = -1
        if self._find_spans:
            top = self.current_position()
            self._find_index = next(
                (i for i, (s, _e) in enumerate(self._find_spans) if s >= top), 0
            )
            if scroll:
                s, e = self._find_spans[self._find_index]
                self.scroll_to(s, e, flash=False)
        self._update_find_label()
        self._refresh_selections()

    def _update_find_label(self) -> None:
        n = len(self._find_spans)
        if not self.find_bar.field.text():
            self.find_bar.count.setText("")
        elif n == 0:
            self.find_bar.count.setText(QCoreApplication.translate("ReaderView", "No matches"))
        else:
            self.find_bar.count.setText(
                QCoreApplication.translate("ReaderView", "{current} of {total}").format(
                    current=self._find_index + 1, total=n)
            )

    def _step_find(self, delta: int) -> None:
        if not self.find_bar.isVisible():
            self.open_find()
            return
        if not self._find_spans:
            return
        self._find_index = (self._find_index + delta) % len(self._find_spans)
        s, e = self._find_spans[self._find_index]
        self.scroll_to(s, e, flash=False)
        self._update_find_label()
        self._refresh_selections()

    def find_next(self) -> None:
        self._step_find(1)

    def find_previous(self) -> None:
        self._step_find(-1)
