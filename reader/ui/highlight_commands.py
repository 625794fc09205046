"""Undoable highlight changes for a :class:`QUndoStack`. Each command's ``redo``/``undo`` queues
the write on the :class:`LibraryWorker` (never on the GUI thread); ``on_done(uuid)`` runs on the
GUI thread once the write is committed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from reader.library import Library
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
