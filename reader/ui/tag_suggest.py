"""Suggested tags beside a tag editor (issue 17): up to five buttons under a :class:`TagEdit`,
each adding its tag with one click, or one key: Alt+1 … Alt+5 while the editor's window has the
focus. The user's own tags are marked ●. Suggestions are computed on the search's thread
(:meth:`TagSuggestions.use_runner`; without one, the library worker's quick lane) with
reader.core.recall.suggest_tags (jieba's POS tables load on the first one, not at start-up); a
result for an article or highlight no longer shown is dropped."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from reader.ui.tag_edit import TagEdit, join_tags
from reader.ui.widgets import plain_tooltip

if TYPE_CHECKING:
    from reader.ui.tasks import LibraryWorker


class TagSuggestions(QWidget):
    """A row of suggested tags for ``edit``. :meth:`load` asks for an article's or a highlight's
    suggestions; ``accepted(tag)`` after one was added to the editor (and committed)."""

    accepted = Signal(str)
    loaded = Signal(list)  # the suggested tags shown (tests, accessibility)

    def __init__(self, edit: TagEdit, worker: LibraryWorker | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self.worker = worker
        self.runner: Any = None  # a QueryRunner (use_runner): reads beside the writes
        self._channel = f"suggest-{id(self)}"
        self._token = -1
        self._target: tuple[str, Any] | None = None
        self._buttons: list[QToolButton] = []
        self.label = QLabel(self.tr("Suggested:"), self)
        self.label.setObjectName("muted")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.label)
        self._row = lay
        lay.addStretch(1)
        # the row keeps its height whether or not it has suggestions: no jumping layout
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        probe = QToolButton()
        probe.setText("+")
        self.setFixedHeight(max(self.label.sizeHint().height(), probe.sizeHint().height()) + 2)
        probe.deleteLater()
        self._shown: list[tuple[str, bool]] = []
        # Alt+1…5 anywhere inside the widget holding the row (the editor, the tags dialog)
        owner = parent if parent is not None else self
        self._shortcuts = []
        for n in range(1, 6):
            sc = QShortcut(QKeySequence(f"Alt+{n}"), owner)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda n=n: self.accept_index(n - 1))
            self._shortcuts.append(sc)
        self.label.setVisible(False)

    # ------------------------------------------------------------------ public API
    def suggestions(self) -> list[str]:
        return [b.property("tag") for b in self._buttons]

    def clear(self) -> None:
        self._target = None
        self._show([])

    def load(self, *, article_id: int | None = None, highlight: str | None = None) -> None:
        """Ask for suggestions (off the GUI thread); shown when they arrive."""
        target: tuple[str, Any] = ("h", highlight) if highlight else ("a", article_id)
        self._target = target
        self._show([])
        if (self.worker is None and self.runner is None) or target[1] is None:
            return

        def work(lib: Any) -> list[tuple[str, bool]]:
            from reader.core.recall import suggest_tags

            found = (suggest_tags(lib, highlight=highlight) if highlight
                     else suggest_tags(lib, article_id))
            return [(s.tag, s.existing) for s in found]

        if self.runner is not None:
            self._token = self.runner.request(self._channel, work)
            return
        assert self.worker is not None
        self.worker.write(work, on_done=functools.partial(self._arrived, target),
                          on_error=lambda _msg: None)  # no suggestions: nothing to say

    def use_runner(self, runner: Any) -> None:
        """Compute on ``runner`` (reader.ui.search_panel.QueryRunner, the search's thread: an
        index being rebuilt there holds up searches, never the library's quick writes)."""
        self.runner = runner
        runner.finished_request.connect(self._runner_done)

    def _runner_done(self, channel: str, token: int, ok: bool, result: object) -> None:
        if channel == self._channel and token == self._token and ok and self._target:
            self._arrived(self._target, result)  # type: ignore[arg-type]

    def accept_index(self, i: int) -> bool:
        if not (0 <= i < len(self._buttons)) or not self.isVisible():
            return False
        self.accept(self._buttons[i].property("tag"))
        return True

    def accept(self, tag: str) -> None:
        """Add ``tag`` to the editor and commit it (the editor's owner saves the tags)."""
        tags = self.edit.tags()
        if tag.casefold() not in {t.casefold() for t in tags}:
            self.edit.setText(join_tags([*tags, tag]))
            self.edit.commit()
        self._show([(t, e) for t, e in self._shown if t != tag])
        self.accepted.emit(tag)

    # ------------------------------------------------------------------ internals
    def _arrived(self, target: tuple[str, Any], got: list[tuple[str, bool]]) -> None:
        if target != self._target:
            return  # another article or highlight meanwhile
        present = {t.casefold() for t in self.edit.tags()}
        self._show([(t, e) for t, e in got if t.casefold() not in present])

    def _show(self, items: list[tuple[str, bool]]) -> None:
        for b in self._buttons:
            self._row.removeWidget(b)
            b.deleteLater()
        self._buttons = []
        self._shown = list(items)
        for i, (tag, existing) in enumerate(items[:5], 1):
            b = QToolButton(self)
            b.setAutoRaise(True)
            b.setText(("● " if existing else "+ ") + tag.replace("&", "&&"))  # no mnemonic
            b.setProperty("tag", tag)
            b.setToolTip(plain_tooltip(  # a tag is the user's text: never markup
                self.tr("Add the tag “{tag}” (Alt+{n})").format(tag=tag, n=i)
                + ("\n" + self.tr("One of your tags") if existing else "")))
            b.clicked.connect(lambda _c=False, t=tag: self.accept(t))
            self._row.insertWidget(self._row.count() - 1, b)
            self._buttons.append(b)
        self.label.setVisible(bool(items))
        self.loaded.emit([t for t, _e in items[:5]])
