"""Undoable highlight changes for a :class:`QUndoStack`. Each command's ``redo``/``undo`` queues
the write on the :class:`LibraryWorker` (never on the GUI thread); ``on_done(uuid)`` runs on the
GUI thread once the write is committed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from reader.core.library import Library
from reader.ui.tasks import LibraryWorker

Done = Callable[[str], None]


class _HighlightCommand(QUndoCommand):
    def __init__(self, worker: LibraryWorker, uuid: str, text: str,
                 on_done: Done | None = None, on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(text)
        self.worker = worker
        self.uuid = uuid
        self.on_done = on_done
        self.on_error = on_error

    def _run(self, fn: Callable[[Library], Any]) -> None:
        uuid = self.uuid
        done = self.on_done
        self.worker.write(fn, on_done=(lambda _r: done(uuid)) if done else None,
                          on_error=self.on_error)


class DeleteHighlightCommand(_HighlightCommand):
    """Delete a highlight; undo brings it back (``delete_highlight(uuid, deleted=False)``)."""

    def redo(self) -> None:
        uuid = self.uuid
        self._run(lambda lib: lib.delete_highlight(uuid))

    def undo(self) -> None:
        uuid = self.uuid
        self._run(lambda lib: lib.delete_highlight(uuid, deleted=False))


class UpdateHighlightCommand(_HighlightCommand):
    """Change some of a highlight's fields (``color``, ``note``, ``tags``, ``start``/``end``);
    ``before`` holds the old values of the same fields for undo."""

    def __init__(self, worker: LibraryWorker, uuid: str, before: dict[str, Any],
                 after: dict[str, Any], text: str, on_done: Done | None = None,
                 on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(worker, uuid, text, on_done, on_error)
        self.before = dict(before)
        self.after = dict(after)

    def redo(self) -> None:
        uuid, fields = self.uuid, dict(self.after)
        self._run(lambda lib: lib.update_highlight(uuid, **fields))

    def undo(self) -> None:
        uuid, fields = self.uuid, dict(self.before)
        self._run(lambda lib: lib.update_highlight(uuid, **fields))


# ---------------------------------------------------------------------- articles and tags
class LibraryCommand(QUndoCommand):
    """An undoable library change on articles or tags (issue 14: delete to the trash, edit
    details, rename/merge/delete a tag). ``redo_fn(lib)`` makes the change and returns what
    ``undo_fn(lib, result)`` needs to take it back (a tag change returns its snapshot). Both run
    on the worker, one after the other, so an undo pressed before the change finished still
    sees its result. ``on_done(result)`` runs on the GUI thread after each redo."""

    def __init__(self, worker: LibraryWorker, text: str, redo_fn: Callable[[Library], Any],
                 undo_fn: Callable[[Library, Any], Any],
                 on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(text)
        self.worker = worker
        self.redo_fn = redo_fn
        self.undo_fn = undo_fn
        self.on_done = on_done
        self.on_error = on_error
        self._result: list[Any] = []  # written on the worker thread

    def redo(self) -> None:
        box, fn = self._result, self.redo_fn

        def run(lib: Library) -> Any:
            box.clear()
            box.append(fn(lib))
            return box[0]

        self.worker.write(run, on_done=self.on_done, on_error=self.on_error)

    def undo(self) -> None:
        box, fn = self._result, self.undo_fn

        def run(lib: Library) -> Any:
            if not box:  # the redo failed: nothing to take back
                return None
            return fn(lib, box[0])

        self.worker.write(run, on_error=self.on_error)


def trash_articles_command(worker: LibraryWorker, ids: list[int], text: str,
                           **kw: Any) -> LibraryCommand:
    """Delete articles to the trash; undo restores them."""
    ids = list(ids)
    return LibraryCommand(worker, text, lambda lib: lib.delete_articles(ids),
                          lambda lib, _n: lib.restore_articles(ids), **kw)


def restore_articles_command(worker: LibraryWorker, ids: list[int], text: str,
                             **kw: Any) -> LibraryCommand:
    """Take articles out of the trash; undo puts them back."""
    ids = list(ids)
    return LibraryCommand(worker, text, lambda lib: lib.restore_articles(ids),
                          lambda lib, _n: lib.delete_articles(ids), **kw)


def edit_articles_command(worker: LibraryWorker, ids: list[int], before: dict[int, dict],
                          changes: dict[str, Any], text: str, **kw: Any) -> LibraryCommand:
    """``Library.edit_article(ids, **changes)``; undo puts back ``before``
    (``Library.article_details`` read before the change)."""
    ids, before, changes = list(ids), dict(before), dict(changes)
    return LibraryCommand(worker, text, lambda lib: lib.edit_article(ids, **changes),
                          lambda lib, _n: lib.set_article_details(before), **kw)


def tag_change_command(worker: LibraryWorker, change: Callable[[Library], Any], text: str,
                       **kw: Any) -> LibraryCommand:
    """A tag rename/merge/delete (``change(lib)`` returns a TagChange); undo restores the
    assignments the change's snapshot kept."""
    return LibraryCommand(worker, text, change,
                          lambda lib, result: lib.restore_tags(result.undo), **kw)
