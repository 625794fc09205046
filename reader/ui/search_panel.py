"""Library search (Ctrl+K): a field, results with emphasised hits, run off the GUI thread.

Queries go to a :class:`QueryRunner` thread of their own (so a long import on the library worker
does not hold them up). Only the newest request matters: a request that was overtaken before it
ran is skipped, and a result that arrives after a newer request was made is dropped.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library, SearchHit
from reader.ui.widgets import plain_tooltip, text_label

RESULT_LIMIT = 50
_Index = QModelIndex | QPersistentModelIndex


# ---------------------------------------------------------------------------------------------
# the query thread
@dataclass
class _Request:
    token: int
    channel: str
    fn: Callable[[Library], Any]


class QueryRunner(QThread):
    """Runs read-only library calls on its own thread, newest request per channel only.

    ``finished_request(channel, token, ok, result)`` arrives on the GUI thread; ``result`` is the
    return value, or the exception when ``ok`` is False.
    """

    finished_request = Signal(str, int, bool, object)

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("pizhu-query-runner")
        self.library = library
        self._cond = threading.Condition()
        self._pending: dict[str, _Request] = {}
        self._latest: dict[str, int] = {}
        self._token = 0
        self._stopping = False

    def request(self, channel: str, fn: Callable[[Library], Any]) -> int:
        """Queue ``fn(library)``; replaces a request on the same channel not yet started."""
        with self._cond:
            self._token += 1
            self._pending[channel] = _Request(self._token, channel, fn)
            self._latest[channel] = self._token
            self._cond.notify()
        if not self.isRunning() and not self._stopping:
            self.start()
        return self._token

    def is_latest(self, channel: str, token: int) -> bool:
        return self._latest.get(channel) == token

    def cancel(self, channel: str) -> None:
        """Forget a channel's pending request; a result already under way will be stale."""
        with self._cond:
            self._pending.pop(channel, None)
            self._token += 1
            self._latest[channel] = self._token

    def run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                channel = next(iter(self._pending))
                req = self._pending.pop(channel)
            try:
                result = req.fn(self.library)
            except Exception as e:  # shown inline by the caller
                self.finished_request.emit(req.channel, req.token, False, e)
            else:
                self.finished_request.emit(req.channel, req.token, True, result)

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._pending.clear()
            self._cond.notify_all()
        if self.isRunning():
            self.wait()


# ---------------------------------------------------------------------------------------------
# results
class SearchResultsModel(QAbstractListModel):
    HitRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.article.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(hit.article.title)
        if role == self.HitRole:
            return hit
        return None


def emphasise(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    """HTML for ``text`` with ``spans`` (offsets minus ``offset``) in bold; everything escaped."""
    out, at = [], 0
    for s, e in sorted(spans):
        s, e = max(s - offset, at), min(e - offset, len(text))
        if e <= s:
            continue
        out.append(html.escape(text[at:s]))
        out.append("<b>" + html.escape(text[s:e]) + "</b>")
        at = e
    out.append(html.escape(text[at:]))
    return "".join(out).replace("\n", " ")


def result_html(hit: SearchHit, muted: str, accent: str, text: str = "") -> str:
    a = hit.article
    title = emphasise(a.title, hit.title_spans)
    meta = html.escape(" · ".join(x for x in (a.source, a.date) if x))
    parts = [f'<div style="font-size:15px; font-weight:600">{title}</div>']
    if meta:
        parts.append(f'<div style="color:{muted}; font-size:12px; margin-top:2px">{meta}</div>')
    for sn in hit.snippets[:2]:
        text = emphasise(sn.text.strip(), sn.spans, sn.start + (len(sn.text) - len(
            sn.text.lstrip())))
        pre = "…" if sn.start > 0 else ""
        parts.append(
            f'<div style="margin-top:4px; font-size:13px">{pre}{text}…</div>'
        )
    body = "".join(parts).replace("<b>", f'<b style="color:{accent}">')
    return f'<div style="color:{text}">{body}</div>' if text else body


class SearchResultDelegate(QStyledItemDelegate):
    """Paints a result as title / source · date / snippets, hits in bold accent colour."""

    PAD = 10

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cache: dict[tuple[int, int], QTextDocument] = {}
        self.accent = "#b5472b"

    def clear(self) -> None:
        self._cache.clear()

    def _doc(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument:
        hit: SearchHit = index.data(SearchResultsModel.HitRole)
        width = max(120, option.rect.width() - 2 * self.PAD)
        key = (id(hit), width)
        doc = self._cache.get(key)
        if doc is None:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(option.font)
            muted = option.palette.color(QPalette.ColorRole.PlaceholderText).name()
            text = option.palette.color(QPalette.ColorRole.Text).name()
            doc.setHtml(result_html(hit, muted, self.accent, text))
            doc.setTextWidth(width)
            self._cache[key] = doc
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        self.initStyleOption(option, index)
        doc = self._doc(option, index)
        return QSize(int(doc.idealWidth()) + 2 * self.PAD, int(doc.size().height()) + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.AlternateBase))
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        doc = self._doc(option, index)
        painter.translate(option.rect.left() + self.PAD, option.rect.top() + self.PAD)
        doc.drawContents(painter, QRectF(0, 0, doc.textWidth(), doc.size().height()))
        painter.restore()


class _ResultsView(QListView):
    activated_row = Signal(int)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(e)

    def resizeEvent(self, e: QResizeEvent) -> None:
        d = self.itemDelegate()
        if isinstance(d, SearchResultDelegate):
            d.clear()
        super().resizeEvent(e)


class _SearchField(QLineEdit):
    down_pressed = Signal()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(e)


# ---------------------------------------------------------------------------------------------
class SearchPanel(QWidget):
    """The search tab. ``result_activated(article_id, query)`` when a result is opened."""

    result_activated = Signal(int, str)
    results_ready = Signal(int)  # how many hits in total (after the newest query ran)
    query_failed = Signal(str)

    def __init__(
        self, library: Library, runner: QueryRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self._token = -1
        self._query = ""
        self.field = _SearchField(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(self.tr("Search the library  (Ctrl+K)"))
        self.field.setClearButtonEnabled(True)
        self.error = text_label("", self)  # it quotes the query back
        self.error.setObjectName("queryError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.status = QLabel(self)
        self.status.setObjectName("countLabel")
        self.help = QLabel(self)
        self.help.setObjectName("muted")
        self.help.setWordWrap(True)
        self.help.setText(self.tr(
            "Words match anywhere in titles, text and notes. Use \"quotes\" for an exact phrase, "
            "OR for either word, -word to leave out; title:, source:, tag:, date:2026-01 narrow it."
        ))
        self.model = SearchResultsModel(self)
        self.view = _ResultsView(self)
        self.view.setModel(self.model)
        self.delegate = SearchResultDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setUniformItemSizes(False)
        self.view.setMouseTracking(True)
        self.view.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 0)
        lay.setSpacing(6)
        lay.addWidget(self.field)
        lay.addWidget(self.error)
        lay.addWidget(self.status)
        lay.addWidget(self.help)
        lay.addWidget(self.view, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(220)
        self._debounce.timeout.connect(self.run_query)
        self.field.textChanged.connect(self._text_changed)
        self.field.returnPressed.connect(self.run_query)
        self.field.down_pressed.connect(self._focus_results)
        self.view.clicked.connect(lambda idx: self.open_row(idx.row()))
        self.view.activated_row.connect(self.open_row)
        runner.finished_request.connect(self._finished)

    def set_accent(self, color: str) -> None:
        self.delegate.accent = color
        self.delegate.clear()
        self.view.viewport().update()

    @property
    def query(self) -> str:
        return self._query

    @property
    def hits(self) -> list[SearchHit]:
        return list(self.model.hits)

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def set_query(self, text: str) -> None:
        self.field.setText(text)
        self.run_query()

    def _text_changed(self, _text: str) -> None:
        self._debounce.start()

    def run_query(self) -> None:
        self._debounce.stop()
        q = self.field.text().strip()
        if q == self._query and self._token >= 0 and self.runner.is_latest("search", self._token):
            return
        self._query = q
        if not q:
            self.runner.cancel("search")
            self._token = -1
            self.model.set_hits([])
            self.error.hide()
            self.status.setText("")
            self.help.show()
            return
        self.status.setText(self.tr("Searching…"))
        def work(lib: Library, q: str = q) -> tuple[list[SearchHit], int]:
            return lib.search(q, limit=RESULT_LIMIT)

        self._token = self.runner.request("search", work)

    def _finished(self, channel: str, token: int, ok: bool, result: object) -> None:
        if channel != "search" or token != self._token:
            return  # a stale query: a newer one is on its way
        if not ok:
            msg = getattr(result, "message", None) or str(result)
            if isinstance(result, ValueError):
                self.error.setText(self.tr("Cannot search for that: {reason}").format(reason=msg))
            else:
                self.error.setText(self.tr("Search failed: {reason}").format(reason=msg))
            self.error.show()
            self.status.setText("")
            self.model.set_hits([])
            self.query_failed.emit(msg)
            return
        hits, total = cast("tuple[list[SearchHit], int]", result)
        self.error.hide()
        self.help.hide()
        self.delegate.clear()
        self.model.set_hits(hits)
        if total == 0:
            self.status.setText(self.tr("Nothing found"))
        elif total > len(hits):
            self.status.setText(self.tr("{shown} of {total} articles").format(
                shown=len(hits), total=total))
        else:
            self.status.setText(self.tr("%n article(s)", "", total))
        self.results_ready.emit(total)

    def _focus_results(self) -> None:
        if self.model.rowCount():
            self.view.setFocus()
            self.view.setCurrentIndex(self.model.index(0, 0))

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.model.hits):
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.result_activated.emit(self.model.hits[row].article.id, self._query)

    def refresh(self) -> None:
        """Run the current query again (the library changed)."""
        if self._query:
            q, self._query = self._query, ""
            self.field.setText(q)
            self.run_query()


def muted_color(widget: QWidget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.PlaceholderText)
