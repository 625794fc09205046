"""Related articles under the open article (issue 17): a one-line header — “Related articles (5)”,
click or Enter to open or close it — over up to five rows, each a link to the article with the key
words it shares (the why). Looked up on the search's thread (:meth:`RelatedPanel.use_runner`;
without one, the library worker's quick lane) with reader.core.recall.related_articles; a result
for an article no longer shown is dropped. Whether the list is open is remembered (``reader/related_open``)."""

from __future__ import annotations

import functools
import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from reader.ui.tasks import LibraryWorker

_SCHEME = "pizhu-related:"


class RelatedPanel(QFrame):
    """``article_requested(id)`` when a related article is clicked; ``loaded(list)`` with the
    rows shown: [(id, title, shared words)]."""

    article_requested = Signal(int)
    loaded = Signal(list)

    def __init__(self, worker: LibraryWorker | None, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relatedPanel")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.worker = worker
        self._pending: int | None = None
        self.runner: Any = None  # a QueryRunner (use_runner): reads beside the writes
        self._channel = f"related-{id(self)}"
        self._token = -1
        self.settings = settings
        self._article: int | None = None
        self._rows: list[tuple[int, str, list[str]]] = []
        self.header = QToolButton(self)
        self.header.setAutoRaise(True)
        self.header.setCheckable(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setAccessibleName(self.tr("Related articles"))
        self.header.toggled.connect(self._toggled)
        self.body = QLabel(self)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.body.linkActivated.connect(self._link)
        self.body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 2, 12, 4)
        lay.setSpacing(2)
        lay.addWidget(self.header)
        lay.addWidget(self.body)
        is_open = False
        if settings is not None:
            is_open = settings.value("reader/related_open", False) in (True, "true")
        self.header.setChecked(is_open)
        self._toggled(is_open)
        self.setVisible(False)

    # ------------------------------------------------------------------ public API
    def rows(self) -> list[tuple[int, str, list[str]]]:
        return list(self._rows)

    def is_open(self) -> bool:
        return self.header.isChecked()

    def set_open(self, on: bool) -> None:
        self.header.setChecked(on)

    def set_article(self, article_id: int | None) -> None:
        """Look up the articles related to ``article_id`` (None: hide the panel)."""
        if article_id == self._article and self._rows:
            return
        self._article = article_id
        self._show([])
        if article_id is None or (self.worker is None and self.runner is None):
            return

        def work(lib: Any) -> list[tuple[int, str, list[str]]]:
            from reader.core.recall import related_articles

            return [(r.article.id, r.article.title, r.terms)
                    for r in related_articles(lib, article_id)]

        if self.runner is not None:
            self._token = self.runner.request(self._channel, work)
            self._pending = article_id
            return
        assert self.worker is not None
        self.worker.write(work, on_done=functools.partial(self._arrived, article_id),
                          on_error=lambda _msg: None)  # no index yet: nothing to show

    def use_runner(self, runner: Any) -> None:
        """Look up on ``runner`` (reader.ui.search_panel.QueryRunner, the search's thread: an
        index being rebuilt there holds up searches, never the library's quick writes)."""
        self.runner = runner
        runner.finished_request.connect(self._runner_done)

    def _runner_done(self, channel: str, token: int, ok: bool, result: object) -> None:
        if channel == self._channel and token == self._token and ok:
            self._arrived(self._pending, result)  # type: ignore[arg-type]

    def refresh(self) -> None:
        """Look again if nothing was found (the index caught up with a new article, say)."""
        if self._article is not None and not self._rows:
            article, self._article = self._article, None
            self.set_article(article)

    def open_row(self, i: int) -> bool:
        if not 0 <= i < len(self._rows):
            return False
        self.article_requested.emit(self._rows[i][0])
        return True

    # ------------------------------------------------------------------ internals
    def _arrived(self, article_id: int, rows: list[tuple[int, str, list[str]]]) -> None:
        if article_id != self._article:
            return
        self._show(rows)

    def _show(self, rows: list[tuple[int, str, list[str]]]) -> None:
        self._rows = list(rows)
        self._update_header()
        lines = []
        for aid, title, terms in rows:
            why = "、".join(terms[:4])
            lines.append(
                f'<a href="{_SCHEME}{aid}">{html.escape(title or self.tr("(untitled)"))}</a>'
                f' <span style="color: gray">— {html.escape(self.tr("shares: {words}").format(words=why))}</span>'
            )
        self.body.setText("<br>".join(lines))
        self.setVisible(bool(rows))
        self.loaded.emit(self.rows())

    def _update_header(self) -> None:
        arrow = Qt.ArrowType.DownArrow if self.header.isChecked() else Qt.ArrowType.RightArrow
        self.header.setArrowType(arrow)
        self.header.setText(self.tr("Related articles ({n})").format(n=len(self._rows)))

    def _toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        self._update_header()
        if self.settings is not None:
            self.settings.setValue("reader/related_open", bool(on))

    def _link(self, href: str) -> None:
        if href.startswith(_SCHEME) and href[len(_SCHEME):].isdigit():
            self.article_requested.emit(int(href[len(_SCHEME):]))
