"""Undo that shows what it does: one stack for the window, but an undo (or redo) first opens the
article it affects and then says in the status bar what was undone — it never changes an article
that is not on screen without a word. Merging and splitting articles are commands on the stack.

A command tells its article by an ``article_id`` attribute (an int, or a callable returning one,
for commands whose article is only known once they ran) or, for highlight commands, by ``uuid``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from reader.core.library import Library, LibraryError
from reader.ui.tasks import LibraryWorker

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow


def _details(lib: Library, article_id: int) -> dict[str, Any] | None:
    """The editable details and tags of an article (None if it is gone)."""
    try:
        return lib.article_details([article_id]).get(article_id)
    except LibraryError:
        return None


def _put_details(lib: Library, article_id: int, details: dict[str, Any] | None) -> None:
    if details is not None:
        lib.set_article_details({article_id: details})


class _ArticleCommand(QUndoCommand):
    """A merge or split on the undo stack, run on the worker's writes thread."""

    def __init__(self, worker: LibraryWorker, text: str,
                 on_done: Callable[[int], None] | None,
                 on_error: Callable[[str], None] | None) -> None:
        super().__init__(text)
        self.worker = worker
        self.on_done = on_done
        self.on_error = self._failed
        self._report = on_error

    def _failed(self, message: str) -> None:
        """A change that failed is dropped from the stack at the next undo (nothing to undo)."""
        self.setObsolete(True)
        if self._report is not None:
            self._report(message)


class MergeCommand(_ArticleCommand):
    """Append an article to the one before it on its page; undo splits it off again at the
    merge point (its highlights follow it back; its details and tags are put back)."""

    def __init__(self, worker: LibraryWorker, article_id: int, text: str,
                 on_done: Callable[[int], None] | None = None,
                 on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(worker, text, on_done, on_error)
        # written on the worker thread, so that an undo queued right after the merge sees it
        self.state: dict[str, Any] = {"second": article_id, "merged": None, "at": None}

    def article_id(self) -> int | None:
        return self.state["merged"] or self.state["second"]

    def redo(self) -> None:
        st = self.state

        def run(lib: Library) -> int:
            second = lib.article(st["second"])
            details = _details(lib, second.id)
            merged = lib.merge_with_previous(second.id)
            body = lib.article(merged).body or ""
            st.update(merged=merged, details=details,
                      at=len(body) - len(second.body or "") - len(second.title) - 1)
            return merged

        self.worker.write(run, on_done=self.on_done, on_error=self.on_error)

    def undo(self) -> None:
        st = self.state

        def run(lib: Library) -> int:
            if st["merged"] is None:  # the merge failed: nothing to take back
                return 0
            new_id = lib.split_article(st["merged"], st["at"])
            _put_details(lib, new_id, st.get("details"))
            st.update(second=new_id, merged=None)
            return new_id

        self.worker.write(run, on_done=self.on_done, on_error=self.on_error)


class SplitCommand(_ArticleCommand):
    """Split an article at a body offset (the start of its line); undo merges the new article
    back into it."""

    def __init__(self, worker: LibraryWorker, article_id: int, at: int, text: str,
                 on_done: Callable[[int], None] | None = None,
                 on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(worker, text, on_done, on_error)
        self.state: dict[str, Any] = {"article": article_id, "at": at, "new": None}

    def article_id(self) -> int | None:
        return self.state["new"] or self.state["article"]

    def redo(self) -> None:
        st = self.state

        def run(lib: Library) -> int:
            new_id = lib.split_article(st["article"], st["at"])
            st["new"] = new_id
            return new_id

        self.worker.write(run, on_done=self.on_done, on_error=self.on_error)

    def undo(self) -> None:
        st = self.state

        def run(lib: Library) -> int:
            if st["new"] is None:
                return 0
            merged = lib.merge_into(st["article"], st["new"])
            st.update(article=merged, new=None)
            return merged

        self.worker.write(run, on_done=self.on_done, on_error=self.on_error)


class UndoScope(QObject):
    """The window's Undo and Redo actions over its one :class:`QUndoStack`."""

    def __init__(self, window: MainWindow, stack: QUndoStack) -> None:
        super().__init__(window)
        self.window = window
        self.stack = stack
        self.undo_action = QAction(self.tr("&Undo"), window)
        self.redo_action = QAction(self.tr("&Redo"), window)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action.triggered.connect(self.redo)
        stack.indexChanged.connect(self._update)
        stack.cleanChanged.connect(self._update)
        self._update()

    def _update(self, *_args: object) -> None:
        s = self.stack
        if not shiboken6.isValid(s):  # the stack clears itself while it is being destroyed
            return
        self.undo_action.setEnabled(s.canUndo())
        self.redo_action.setEnabled(s.canRedo())
        self.undo_action.setText(self.tr("&Undo {what}").format(what=s.undoText()).strip()
                                 if s.canUndo() else self.tr("&Undo"))
        self.redo_action.setText(self.tr("&Redo {what}").format(what=s.redoText()).strip()
                                 if s.canRedo() else self.tr("&Redo"))

    def affected_article(self, cmd: QUndoCommand | None) -> int | None:
        """The article a command changes, if it is about one."""
        if cmd is None:
            return None
        aid = getattr(cmd, "article_id", None)
        if callable(aid):
            aid = aid()
        if isinstance(aid, int):
            return aid
        uuid = getattr(cmd, "uuid", None)
        lib = self.window.library
        if isinstance(uuid, str) and lib is not None:
            try:
                h = lib.highlight(uuid)
            except LibraryError:
                return None
            return h.article_id if h is not None else None
        return None

    def _bring_into_view(self, cmd: QUndoCommand | None) -> str:
        """Open the command's article if another one is shown; returns its title ('' if none)."""
        aid = self.affected_article(cmd)
        w = self.window
        if aid is None or w.library is None:
            return ""
        try:
            title = w.library.article(aid).title
        except LibraryError:
            return ""
        if w.reader.article_id != aid:
            w.open_article(aid, select=True)
        return title

    def undo(self) -> None:
        s = self.stack
        while s.canUndo() and s.command(s.index() - 1).isObsolete():
            s.undo()  # a change that failed: the stack drops it
        if not s.canUndo():
            return
        cmd = s.command(s.index() - 1)
        text = s.undoText()
        title = self._bring_into_view(cmd)
        s.undo()
        self.window.notify(self._said(self.tr("Undone: {what}"), text, title))

    def redo(self) -> None:
        s = self.stack
        if not s.canRedo():
            return
        cmd = s.command(s.index())
        text = s.redoText()
        title = self._bring_into_view(cmd)
        s.redo()
        self.window.notify(self._said(self.tr("Redone: {what}"), text, title))

    def _said(self, pattern: str, text: str, title: str) -> str:
        msg = pattern.format(what=text)
        if title:
            msg += self.tr(" (in “{title}”)").format(title=title)
        return msg
