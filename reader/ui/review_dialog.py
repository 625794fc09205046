"""Daily review (issue 17): today's highlights one at a time, each with its note, its context in
the article and the article; answered from the keyboard — 1 again, 2 hard, 3 good, 4 easy,
K keep, R retire, S skip, O (or Enter) open the passage in the article.

Scheduling is reader.core.review (FSRS); the list is read and each answer written on the
library worker. Opened from the Recall tab (its Review button reviews the tags recalled there).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reader.core import review
from reader.core.library import Library
from reader.ui import ops
from reader.ui.highlight_cards import highlight_qcolor
from reader.ui.tasks import LibraryWorker
from reader.ui.widgets import heading_label


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


class ReviewDialog(QDialog):
    """``open_highlight(article_id, uuid)`` when the reader asks to see a passage in its
    article; ``answered(uuid, answer)`` after each answer is written; ``loaded(n)`` when
    today's list is in."""

    open_highlight = Signal(int, str)
    answered = Signal(str, str)
    loaded = Signal(int)

    def __init__(self, library: Library, worker: LibraryWorker, *, tags: Sequence[str] = (),
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.worker = worker
        self.tags = list(tags)
        self.settings = settings  # where "a day" is kept (None: only for this dialog)
        self.items: list[review.ReviewItem] = []
        self.at = 0
        self.count_answered = 0
        self._writing = False
        self.setWindowTitle(self.tr("Daily review"))
        self.setMinimumSize(620, 420)

        self.per_day = QSpinBox(self)
        self.per_day.setRange(1, 200)
        self.per_day.setValue(_int(settings.value("review/per_day") if settings is not None
                                   else None, review.DEFAULT_LIMIT))
        self.per_day.setAccessibleName(self.tr("Highlights a day"))
        self.per_day.editingFinished.connect(self._per_day_changed)
        self.per_day.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # digits answer, not edit
        scope = (self.tr("Highlights tagged {tags}").format(tags="、".join(self.tags))
                 if self.tags else self.tr("All highlights"))
        self.scope_label = QLabel(scope, self)
        self.progress = QLabel(self)
        self.progress.setObjectName("muted")
        top = QHBoxLayout()
        top.addWidget(self.scope_label, 1)
        top.addWidget(QLabel(self.tr("A day:"), self))
        top.addWidget(self.per_day)
        top.addSpacing(12)
        top.addWidget(self.progress)

        self.article_label = heading_label(self)
        self.article_label.setWordWrap(True)
        self.article_label.setTextFormat(Qt.TextFormat.PlainText)
        self.meta_label = QLabel(self)
        self.meta_label.setObjectName("muted")
        self.meta_label.setTextFormat(Qt.TextFormat.PlainText)
        self.passage = QLabel(self)
        self.passage.setWordWrap(True)
        self.passage.setTextFormat(Qt.TextFormat.RichText)  # built from escaped text only
        self.passage.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.passage.font()
        font.setPointSizeF(max(font.pointSizeF() * 1.25, 12.0))
        self.passage.setFont(font)
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.tags_label = QLabel(self)
        self.tags_label.setObjectName("muted")
        self.tags_label.setTextFormat(Qt.TextFormat.PlainText)
        card = QWidget(self)
        cl = QVBoxLayout(card)
        cl.setContentsMargins(0, 8, 0, 8)
        cl.setSpacing(10)
        for w in (self.article_label, self.meta_label, self.passage, self.note_label,
                  self.tags_label):
            cl.addWidget(w)
        cl.addStretch(1)
        self.done_label = QLabel(self)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_label.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(card)
        self.stack.addWidget(self.done_label)
        self.stack.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the keys come to the dialog

        self.buttons: dict[str, QPushButton] = {}
        answers = QHBoxLayout()
        for key, name, label, tip in (
            ("1", "again", self.tr("1 Again"), self.tr("Forgotten: show it again soon")),
            ("2", "hard", self.tr("2 Hard"), self.tr("Hard to recall: a short interval")),
            ("3", "good", self.tr("3 Good"), self.tr("Recalled: the usual interval")),
            ("4", "easy", self.tr("4 Easy"), self.tr("Easy: a long interval")),
            ("k", "keep", self.tr("K Keep"), self.tr("Keep it in the rotation")),
            ("r", "retire", self.tr("R Retire"), self.tr("Never show it again")),
        ):
            b = QPushButton(label, self)
            b.setToolTip(tip)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _c=False, k=key: self.answer(k))
            self.buttons[name] = b
            answers.addWidget(b)
            if name == "easy":
                answers.addSpacing(16)
        answers.addStretch(1)
        self.open_button = QPushButton(self.tr("O Open"), self)
        self.open_button.setToolTip(self.tr("Open the passage in its article (O or Enter)"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_current)
        self.skip_button = QPushButton(self.tr("S Skip"), self)
        self.skip_button.setAutoDefault(False)
        self.skip_button.clicked.connect(self.skip)
        answers.addWidget(self.skip_button)
        answers.addWidget(self.open_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addLayout(top)
        lay.addWidget(self.stack, 1)
        lay.addLayout(answers)
        self._set_enabled(False)
        self.progress.setText(self.tr("Loading…"))
        self.stack.setFocus()

    # ------------------------------------------------------------------ the list
    def load(self) -> None:
        """Read today's list on the worker; ``loaded(n)`` when it is in."""
        limit, tags = self.per_day.value(), list(self.tags)
        self.worker.submit(lambda lib, _job: review.due(lib, limit=limit, tags=tags),
                           on_done=self._loaded, on_error=self._failed, name="review list")

    def _loaded(self, items: list[review.ReviewItem]) -> None:
        self.items = list(items)
        self.at = 0
        self._show()
        self.loaded.emit(len(self.items))

    def _failed(self, message: str) -> None:
        self._writing = False
        self.done_label.setText(message)
        self.stack.setCurrentWidget(self.done_label)

    def _per_day_changed(self) -> None:
        if self.settings is not None:
            self.settings.setValue("review/per_day", self.per_day.value())
        self.stack.setFocus()
        self.load()

    def current(self) -> review.ReviewItem | None:
        return self.items[self.at] if 0 <= self.at < len(self.items) else None

    def _set_enabled(self, on: bool) -> None:
        for b in (*self.buttons.values(), self.open_button, self.skip_button):
            b.setEnabled(on)

    def _show(self) -> None:
        it = self.current()
        if it is None:
            self._set_enabled(False)
            self.progress.setText("")
            if self.count_answered:
                text = self.tr("Done for today: {n} answered.").format(n=self.count_answered)
            elif self.items:
                text = self.tr("Done for today.")
            else:
                text = self.tr("Nothing to review today. New highlights join the review "
                               "a few a day; answered ones come back when they are due.")
            self.done_label.setText(text)
            self.stack.setCurrentWidget(self.done_label)
            return
        h = it.highlight
        self.progress.setText(self.tr("{i} of {n}").format(i=self.at + 1, n=len(self.items)))
        self.article_label.setText(h.article_title)
        state = self.tr("New") if it.state == "new" else self.tr("Due")
        self.meta_label.setText(" · ".join(x for x in (it.source, h.article_date, state) if x))
        color = highlight_qcolor(h.color)
        color.setAlphaF(1.0)
        tint = color.lighter(115).name() if color.lightness() < 200 else color.name()
        self.passage.setText(
            f"<span>…{html.escape(it.before)}</span>"
            f"<span style='background-color:{tint}; color:#1a1a1a'>{html.escape(h.quote)}</span>"
            f"<span>{html.escape(it.after)}…</span>")
        self.note_label.setText(self.tr("Note: {note}").format(note=h.note) if h.note else "")
        self.note_label.setVisible(bool(h.note))
        self.tags_label.setText("、".join(h.tags))
        self.tags_label.setVisible(bool(h.tags))
        self.stack.setCurrentIndex(0)
        self._set_enabled(True)

    # ------------------------------------------------------------------ answers
    def answer(self, key: str) -> None:
        """Answer the highlight on screen (1–4, k, r or the answer's name) and go on."""
        it = self.current()
        if it is None or self._writing:
            return
        uuid = it.highlight.uuid
        self._writing = True
        self._set_enabled(False)

        def done(got: review.Answered) -> None:
            self._writing = False
            self.count_answered += 1
            self.answered.emit(uuid, got.answer)
            self.at += 1
            self._show()

        ops.answer_review(self.worker, uuid, key, on_done=done, on_error=self._failed)

    def skip(self) -> None:
        if self.current() is not None and not self._writing:
            self.at += 1
            self._show()

    def open_current(self) -> None:
        it = self.current()
        if it is not None:
            self.open_highlight.emit(it.highlight.article_id, it.highlight.uuid)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text().lower()
        if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier
                                 | Qt.KeyboardModifier.ShiftModifier):
            super().keyPressEvent(event)
            return
        if text in review.KEYS:
            self.answer(text)
        elif text == "s":
            self.skip()
        elif text == "o" or event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
