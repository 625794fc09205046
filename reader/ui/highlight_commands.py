"""Undoable highlight changes for a :class:`QUndoStack`. Each command's ``redo``/``undo`` queues
the write on the :class:`LibraryWorker` (never on the GUI thread); ``on_done(uuid)`` runs on the
GUI thread once the write is committed."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from reader.core.library import Library
from reader.core.model import Highlight
from reader.ui import ops
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

    def _reported(self) -> Callable[[Any], None] | None:
        uuid, done = self.uuid, self.on_done
        return (lambda _r: done(uuid)) if done else None


class CreateHighlightCommand(QUndoCommand):
    """Highlight a passage (``ops.create_highlight``); undo deletes the new highlight, redo
    brings that same highlight back (``ops.restore_highlight``: its note and tags stay).

    The uuid is chosen here, so an undo pressed before the write committed still names it (the
    write lane runs in order). ``on_created(highlight)`` runs on the GUI thread once the first
    redo committed."""

    def __init__(self, worker: LibraryWorker, article_id: int, start: int, end: int, color: str,
                 text: str, on_created: Callable[[Highlight], None] | None = None,
                 on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(text)
        self.worker = worker
        self.article_id = article_id
        self.span = (start, end)
        self.color = color
        self.on_created = on_created
        self.on_error = self._failed
        self._report = on_error
        self.uuid = str(uuidlib.uuid4())
        self._made = False

    def _failed(self, message: str) -> None:
        self.setObsolete(True)  # nothing was made: the undo scope drops it
        if self._report is not None:
            self._report(message)

    def redo(self) -> None:
        if self.isObsolete():  # the highlight could not be made: nothing to redo or undo
            return
        if not self._made:  # the first time (pushing the command runs it)
            self._made = True
            start, end = self.span
            ops.create_highlight(self.worker, self.article_id, start, end, self.color,
                                 uuid=self.uuid, on_done=self.on_created,
                                 on_error=self.on_error)
        else:
            ops.restore_highlight(self.worker, self.uuid, on_error=self._report)

    def undo(self) -> None:
        if not self.isObsolete():
            ops.delete_highlight(self.worker, self.uuid, on_error=self._report)


class DeleteHighlightCommand(_HighlightCommand):
    """Delete a highlight (``ops.delete_highlight``); undo brings it back
    (``ops.restore_highlight``)."""

    def redo(self) -> None:
        ops.delete_highlight(self.worker, self.uuid, on_done=self._reported(),
                             on_error=self.on_error)

    def undo(self) -> None:
        ops.restore_highlight(self.worker, self.uuid, on_done=self._reported(),
                              on_error=self.on_error)


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
        ops.update_highlight(self.worker, self.uuid, self.after, on_done=self._reported(),
                             on_error=self.on_error)

    def undo(self) -> None:
        ops.update_highlight(self.worker, self.uuid, self.before, on_done=self._reported(),
                             on_error=self.on_error)


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


def rename_tag_command(worker: LibraryWorker, old: str, new: str, text: str,
                       **kw: Any) -> LibraryCommand:
    """``Library.rename_tag(old, new)`` (onto an existing name the two merge); undo:
    ``Library.restore_tags``."""
    return tag_change_command(worker, lambda lib: lib.rename_tag(old, new), text, **kw)


def merge_tags_command(worker: LibraryWorker, sources: list[str], target: str, text: str,
                       **kw: Any) -> LibraryCommand:
    """``Library.merge_tags(sources, target)``; undo: ``Library.restore_tags``."""
    sources = list(sources)
    return tag_change_command(worker, lambda lib: lib.merge_tags(sources, target), text, **kw)


def delete_tag_command(worker: LibraryWorker, name: str, text: str,
                       **kw: Any) -> LibraryCommand:
    """``Library.delete_tag(name)`` (and its sub-tags); undo: ``Library.restore_tags``."""
    return tag_change_command(worker, lambda lib: lib.delete_tag(name), text, **kw)
