"""The reading place (a part of :class:`~reader.ui.reader_view.ReaderView`): scrolling to a
body offset, the anchor that re-layouts and resizes keep, the saved position, and when an
article counts as read."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor

from reader.core.library import LibraryError
from reader.ui import ops
from reader.ui.reader_widgets import READ_FRACTION, TOP_MARGIN_PX, ReaderBase


class ReadingPlace(ReaderBase):
    """The reading place: scrolling to offsets, the anchor kept across re-layouts, the saved
    position and when an article counts as read."""

    # ------------------------------------------------------------------ scrolling
    def _scroll_to_offset(self, cp: int, *, top: bool = False) -> None:
        doc = self.text.document()
        cur = QTextCursor(doc)
        cur.setPosition(min(self.doc_pos(cp), doc.characterCount() - 1))
        block = cur.block()
        layout = doc.documentLayout()
        rect = layout.blockBoundingRect(block)
        line_y = 0.0
        bl = block.layout()
        if bl is not None and bl.lineCount():
            line = bl.lineForTextPosition(cur.positionInBlock())
            if line.isValid():
                line_y = line.y()
        y = rect.top() + line_y
        vp_h = self.text.viewport().height()
        target = y - TOP_MARGIN_PX if top else y - vp_h / 3
        self._set_scroll(target)
        if top or not self.text.isVisible():
            self._anchor, self._anchor_delta = cp, 0.0
        else:
            self._capture_anchor()
        self._position_timer.start()
        self._check_read()

    def _set_scroll(self, target: float) -> None:
        """Scroll by program: the reading place is not read back from the view meanwhile."""
        was = self._relayout
        self._relayout = True
        try:
            self.text.verticalScrollBar().setValue(max(0, round(target)))
        finally:
            self._relayout = was

    def _line_top(self, doc_pos: int) -> float:
        """Document y of the top of the line holding ``doc_pos`` (lays the text out to it)."""
        doc = self.text.document()
        block = doc.findBlock(min(max(0, doc_pos), doc.characterCount() - 1))
        y = doc.documentLayout().blockBoundingRect(block).top()
        bl = block.layout()
        if bl is not None and bl.lineCount():
            line = bl.lineForTextPosition(doc_pos - block.position())
            if line.isValid():
                y += line.y()
        return y

    def _top_line(self) -> tuple[int, float] | None:
        """(document position, document y) of the first line whose top is at most 2 px above
        where a restored place puts it — the same rule both ways, so restoring a place and
        reading it back gives the same place (it used to give the line above, every time)."""
        doc = self.text.document()
        bar = self.text.verticalScrollBar()
        threshold = bar.value() + TOP_MARGIN_PX - 2
        x = int(doc.rootFrame().frameFormat().leftMargin()) + 2
        hit = self.text.cursorForPosition(QPoint(x, TOP_MARGIN_PX - 2)).position()
        block = doc.findBlock(hit)
        if block.previous().isValid():
            block = block.previous()
        layout = doc.documentLayout()
        while block.isValid():
            top = layout.blockBoundingRect(block).top()
            bl = block.layout()
            for i in range(bl.lineCount() if bl is not None else 0):
                line = bl.lineAt(i)
                if top + line.y() >= threshold:
                    return block.position() + line.textStart(), top + line.y()
            block = block.next()
        return None

    def _capture_anchor(self) -> None:
        """Take the reading place from the view (after the user scrolled or jumped)."""
        value = self.text.verticalScrollBar().value()
        found = self._top_line() if value > 0 else None
        if found is None or found[0] < self.body_start:
            self._anchor, self._anchor_delta = 0, float(value)  # in the header: pixels
        else:
            self._anchor = self.body_offset(found[0])
            self._anchor_delta = value - (found[1] - TOP_MARGIN_PX)

    def _apply_anchor(self) -> None:
        """Scroll to the reading place: its line where a restore puts it, plus the offset the
        view had past it (restores, re-layouts, re-renders: the text does not jump)."""
        if self._article is None:
            return
        if self._anchor <= 0:
            self._set_scroll(self._anchor_delta)
            return
        self._set_scroll(self._line_top(self.doc_pos(self._anchor)) - TOP_MARGIN_PX
                         + self._anchor_delta)

    def scroll_to(self, start: int, end: int | None = None, flash: bool = True) -> None:
        """Bring body offsets ``start..end`` into view (a third from the top); flash them."""
        if self._article is None:
            return
        body_len = len(self._article.body or "")
        start = max(0, min(start, body_len))
        end = start if end is None else max(start, min(end, body_len))
        self._scroll_to_offset(start)
        if flash and end > start:
            self._flash = (start, end)
            self._refresh_selections()
            self._flash_timer.start(self.flash_ms)

    def scroll_to_highlight(self, uuid: str, flash: bool = True) -> bool:
        for h in self._highlights:
            if h.uuid == uuid:
                self.scroll_to(h.start, h.end, flash=flash)
                return True
        return False

    def _end_flash(self) -> None:
        if self._flash is not None:
            self._flash = None
            self._refresh_selections()

    def _scrolled(self) -> None:
        self.toolbar.hide()
        if self._article is not None and not self._relayout and self.text.isVisible():
            self._user_scrolls += 1
            self._capture_anchor()
            self._position_timer.start()
            self._check_read()

    def save_position(self) -> None:
        """Store the reading place: the anchor, never a position read from the view while it is
        being restored or laid out."""
        self._position_timer.stop()
        art = self._article
        if art is None or self.library.readonly:
            return
        pos = self._anchor
        if pos == art.position:
            return
        art.position = pos
        aid = art.id
        ops.save_position(self.worker, aid, pos)

    # ------------------------------------------------------------------ read state
    def seen_fraction(self) -> float:
        """How much of the article has been above the bottom of the pane (0..1)."""
        bar = self.text.verticalScrollBar()
        total = bar.maximum() + bar.pageStep()
        return 1.0 if bar.maximum() <= 0 or total <= 0 else (bar.value() + bar.pageStep()) / total

    def _check_read(self) -> None:
        art = self._article
        if art is None or art.read or self._read_by_user or self._read_timer.isActive():
            return
        if self.seen_fraction() >= READ_FRACTION:
            self._read_timer.start(self.read_delay_ms)

    def set_read_by_user(self, read: bool) -> None:
        """The user marked the open article read or unread: no automatic change of it until
        another article is opened."""
        self._read_by_user = True
        self._read_timer.stop()
        self._dwell_timer.stop()
        if self._article is not None:
            self._article.read = read

    def _mark_read_now(self) -> None:
        art = self._article
        if art is None or art.read or self._read_by_user or self.library.readonly:
            return
        art.read = True
        aid = art.id
        ops.set_read(self.worker, aid, True)
        self.read_marked.emit(aid)

    def _article_changed(self, article_id: int) -> None:
        if self._article is not None and article_id == self._article.id:
            try:
                fresh = self.library.article(article_id)
            except LibraryError:
                return
            self._article.read = fresh.read
            if fresh.tags != self._article.tags:
                self.reload()
