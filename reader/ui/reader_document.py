"""The reader pane's document (a part of :class:`~reader.ui.reader_view.ReaderView`): an
article's text laid out with :class:`QTextCursor` calls only (never HTML), its pictures and
structure, and the other script (繁⇄简) for display. Strings keep the ``ReaderView`` context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
)

from reader.core.library import LibraryError
from reader.core.text import OffsetMap
from reader.ui import theme as th
from reader.ui.article_images import ImageViewer, apply_structure
from reader.ui.highlight_cache import article_highlights
from reader.ui.reader_widgets import ReaderBase


class ArticleDocument(ReaderBase):
    """Showing an article: the document built from its text (never HTML), its pictures and
    structure, the other script (繁⇄简) for display."""

    # ------------------------------------------------------------------ showing an article
    def show_article(self, article_id: int | None, *,
                     restore_position: bool = True) -> bool:
        """Show an article (None clears the pane). Returns False if it no longer exists."""
        if self._article is not None and self._article.id != article_id:
            self.save_position()
            self._read_by_user = False
        self._read_timer.stop()
        self._dwell_timer.stop()
        self._search_spans = []
        self._find_spans, self._find_index = [], -1
        self._end_flash()
        self.toolbar.hide()
        if article_id is None:
            self._article = None
            self._highlights = []
            self._segments = []
            self._show_placeholder()
            self.related.set_article(None)
            self.article_shown.emit(0)
            return True
        try:
            art = self.library.article(article_id)
        except LibraryError:
            self._article = None
            self._show_placeholder()
            self.article_shown.emit(0)
            return False
        self._article = art
        self._map = OffsetMap(art.body or "")
        self._highlights = article_highlights(self.library, art.id)
        self._update_script_direction()
        self._build_document()
        if self.find_bar.isVisible() and self.find_bar.field.text():
            self._find_changed(self.find_bar.field.text(), scroll=False)
        body_len = len(art.body or "")
        self._anchor = min(max(0, art.position), body_len) if restore_position else 0
        self._anchor_delta = 0.0
        if self._anchor > 0:
            self.set_cursor_offset(self._anchor)  # scrolls the cursor into view: guarded
        self._apply_anchor()
        self._refresh_selections()  # once scrolled: the marks on screen are drawn first
        # again once pending layout and geometry changes are through, unless the user scrolled
        scrolls = self._user_scrolls
        QTimer.singleShot(0, lambda: self._settle(art.id, scrolls))
        self.article_shown.emit(art.id)
        self.related.set_article(art.id)
        self._check_read()
        if not art.read and not self._read_by_user:
            self._dwell_timer.start(self.read_after_ms)
        return True

    def _settle(self, article_id: int, scrolls: int) -> None:
        if self.article_id == article_id and self._user_scrolls == scrolls:
            self._apply_anchor()

    def reload(self) -> None:
        """Rebuild from the library, keeping the reading place (after a merge, a theme change…)."""
        if self._article is None:
            return
        anchor, delta = self._anchor, self._anchor_delta
        art_id = self._article.id
        spans = list(self._search_spans)
        self._article = None  # no position save for the old text
        if self.show_article(art_id, restore_position=False):
            if spans:
                self.set_search_spans(spans, scroll=False)
            body_len = len(self._article.body or "") if self._article else 0
            self._anchor, self._anchor_delta = min(anchor, body_len), delta
            self._apply_anchor()  # the same line at the same pixel: no jump

    def _show_placeholder(self) -> None:
        doc = self._new_document()
        c = QTextCursor(doc)
        bf = QTextBlockFormat()
        bf.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bf.setTopMargin(120)
        c.setBlockFormat(bf)
        cf = QTextCharFormat()
        cf.setForeground(QColor(self.theme.muted))
        f = th.reading_font(self.font_px)
        cf.setFont(f)
        c.insertText(QCoreApplication.translate(
            "ReaderView", "Choose an article from the list to read it here."), cf)
        self.text.setDocument(doc)
        self.body_start = doc.characterCount()
        self._update_margins()

    def _new_document(self) -> QTextDocument:
        doc = QTextDocument(self.text)
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(th.reading_font(self.font_px))
        doc.setDocumentMargin(0)
        return doc

    def _build_document(self) -> None:
        art = self._article
        assert art is not None
        px = self.font_px
        doc = self._new_document()
        c = QTextCursor(doc)
        muted = QColor(self.theme.muted)

        def block(top: float, bottom: float, line: int = 150) -> QTextBlockFormat:
            bf = QTextBlockFormat()
            bf.setTopMargin(top)
            bf.setBottomMargin(bottom)
            bf.setLineHeight(line, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            return bf

        def chars(scale: float, *, bold: bool = False, color: QColor | None = None,
                  sans: bool = False) -> QTextCharFormat:
            cf = QTextCharFormat()
            f = th.reading_font(px)
            if sans:
                f.setFamilies(th.SANS_FAMILIES)
            f.setPixelSize(round(px * scale))
            f.setBold(bold)
            cf.setFont(f)
            cf.setForeground(color or QColor(self.theme.text))
            return cf

        kicker = getattr(art, "kicker", "")
        if kicker:  # the 引题 printed above the headline
            c.setBlockFormat(block(0, px * 0.2, 150))
            c.insertText(kicker, chars(0.95, color=muted))
            c.insertBlock(block(0, px * 0.5, 135))
        else:
            c.setBlockFormat(block(0, px * 0.5, 135))
        shown = self._shown
        c.insertText(shown(art.title), chars(1.55, bold=True))
        head = (art.body or "")[:600]
        # page imports repeat the subtitle and byline in the body: show them once, in place
        if art.subtitle and art.subtitle not in head:
            c.insertBlock(block(0, px * 0.3, 150))
            c.insertText(shown(art.subtitle), chars(1.1, color=muted))
        byline = art.byline if art.byline and art.byline not in head else ""
        page = getattr(art, "page", "")
        page_label = QCoreApplication.translate("ReaderView", "Page {page}").format(
            page=page) if page else ""
        meta = " · ".join(x for x in (byline, art.source, art.date, page_label) if x)
        if meta:
            c.insertBlock(block(px * 0.2, 0, 150))
            c.insertText(meta, chars(0.82, color=muted, sans=True))
        if art.tags:
            c.insertBlock(block(px * 0.2, 0, 150))
            c.insertText("  ".join("#" + t for t in art.tags), chars(0.82, color=QColor(
                self.theme.accent), sans=True))
        body_fmt = block(0, px * 0.75, th.LINE_HEIGHT_PERCENT)
        body_fmt.setTextIndent(0)
        first = block(px * 1.6, px * 0.75, th.LINE_HEIGHT_PERCENT)
        c.insertBlock(first, chars(1.0))
        self.body_start = c.position()
        # the first body block keeps the space below the header; the others share body_fmt
        body = shown(art.body or "")  # as long as the stored body: offsets hold
        nl = body.find("\n")
        if nl < 0:
            c.insertText(body, chars(1.0))
        else:
            c.insertText(body[:nl], chars(1.0))
            c.insertBlock(body_fmt, chars(1.0))
            c.insertText(body[nl + 1:], chars(1.0))
        # blank lines in the text are spacing, not a full empty line each
        blank = QTextBlockFormat(body_fmt)
        blank.setBottomMargin(0)
        blank.setLineHeight(px * 0.4, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        b = doc.findBlock(self.body_start)
        while b.isValid():
            if b.length() == 1:
                bc = QTextCursor(b)
                bc.setBlockFormat(blank)
            b = b.next()
        self._apply_structure(doc, body)
        self.text.setDocument(doc)
        self._update_margins()

    def _shown(self, text: str) -> str:
        if not self.script_direction or not text:
            return text
        from reader.core.hanzi import convert_for_display

        return convert_for_display(text, self.script_direction)

    def toggle_script(self) -> None:
        """Show the article in the other script (繁→简 or 简→繁, by what it is written in), or as
        stored again; the choice stays for the next articles (each converted its own way)."""
        self.set_convert_script(not self.convert_script)

    def set_convert_script(self, on: bool) -> None:
        self.convert_script = bool(on)
        self._update_script_direction()
        self.reload()
        if self._article is not None:
            self.message.emit(
                QCoreApplication.translate("ReaderView", "Shown in Simplified characters")
                if self.script_direction == "t2s"
                else QCoreApplication.translate("ReaderView", "Shown in Traditional characters")
                if self.script_direction
                else QCoreApplication.translate("ReaderView", "Shown as written"))

    def _update_script_direction(self) -> None:
        if not self.convert_script or self._article is None:
            self.script_direction = ""
            return
        from reader.core.hanzi import guess_direction

        self.script_direction = guess_direction(self._article.body or self._article.title)

    # ------------------------------------------------------------------ structure (issue 13)
    def _column_width(self) -> int:
        width = self.text.viewport().width()
        max_w = max(th.MAX_TEXT_WIDTH, int(self.font_px * 42))
        return min(max_w, width - 2 * max(28, (width - max_w) // 2))

    def _apply_structure(self, doc: QTextDocument, body: str) -> None:
        """Headings, emphasis, quotes, lists and pictures over the text just inserted; pictures
        shift document positions, so the offset map is replaced by one that knows them."""
        art = self._article
        structure = self.library.structure(art.id) if art is not None else None
        if not structure:
            self._pictures.clear()
            return
        self._map = apply_structure(doc, self.body_start, body, structure, self._pictures,
                                    self.library.root, self.font_px, self.theme,
                                    self._column_width())

    def picture_at(self, doc_pos: int) -> int | None:
        """The picture whose object is at (or right before) a document position."""
        pos = self._pictures.positions
        return pos.get(doc_pos, pos.get(doc_pos - 1))

    def open_picture(self, index: int) -> bool:
        """Show a stored picture at its own size; a web-only picture is never loaded."""
        path = self._pictures.paths[index] if 0 <= index < len(self._pictures.paths) else None
        if path is None:
            self.message.emit(QCoreApplication.translate(
                "ReaderView", "This picture was not saved with the article; Pizhu does not load "
                "it from the web."))
            return False
        self._viewer = ImageViewer(path, self._pictures.images[index].alt, self)
        self._viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._viewer.destroyed.connect(lambda *_: setattr(self, "_viewer", None))
        self._viewer.show()
        return True

    def _fit_pictures(self) -> None:
        """Pictures follow the column's width when the pane is resized."""
        column = max(120, self._column_width())
        if not self._pictures.positions or column == self._pictures.column:
            return
        self._pictures.column = column
        doc = self.text.document()
        for pos, index in self._pictures.positions.items():
            cur = QTextCursor(doc)
            cur.setPosition(pos)
            cur.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
            fmt = cur.charFormat().toImageFormat()
            w, h = self._pictures.display_size(index)
            fmt.setWidth(w)
            fmt.setHeight(h)
            cur.setCharFormat(fmt)

    def _before_relayout(self) -> None:
        self._relayout = True

    def _after_relayout(self) -> None:
        self._update_margins()
        self._relayout = False
        if self._article is not None:
            self._apply_anchor()
            self._check_read()

    def _range_changed(self, _lo: int, _hi: int) -> None:
        # the text was laid out again (width, font, late layout): stay at the same passage
        if self._article is not None and not self._relayout:
            self._apply_anchor()

    def _update_margins(self) -> None:
        doc = self.text.document()
        width = self.text.viewport().width()
        max_w = max(th.MAX_TEXT_WIDTH, int(self.font_px * 42))
        side = max(28, (width - max_w) // 2)
        fmt: QTextFrameFormat = doc.rootFrame().frameFormat()
        if (fmt.leftMargin(), fmt.rightMargin()) != (side, side):
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(36)
            fmt.setBottomMargin(96)
            doc.rootFrame().setFrameFormat(fmt)
        self._fit_pictures()
