"""Named write operations: one function per change a user makes (after Anki's ``aqt/operations``).

Each op queues ONE public :class:`~reader.core.library.Library` method on the
:class:`LibraryWorker`'s write lane (never the GUI thread) and reports back on the GUI thread:
``on_done(result)`` after the commit, ``on_error(message)`` if it failed. The first line of each
docstring names the core method it calls, so "which control calls which core method" is
``grep -n "ops\\." reader/ui``. Undoable changes are commands (``highlight_commands.py``,
``undo_scope.py``) whose ``redo``/``undo`` are these ops.

The library's change notifications (``LibrarySignals``) refresh what shows the change; an op's
``on_done`` is only for what the caller itself must do next (focus, a status message, …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reader.core.library import Library
from reader.ui.tasks import Job, LibraryWorker

Done = Callable[[Any], None] | None
Failed = Callable[[str], None] | None


def run(worker: LibraryWorker, method: Callable[..., Any], *args: Any, on_done: Done = None,
        on_error: Failed = None, **kwargs: Any) -> Job:
    """Queue ``method(library, *args, **kwargs)`` (an unbound public ``Library`` method) on
    the write lane; the job is named after the method."""

    def write(lib: Library) -> Any:
        return method(lib, *args, **kwargs)

    write.__name__ = getattr(method, "__name__", "write")
    return worker.write(write, on_done=on_done, on_error=on_error)


# ---------------------------------------------------------------------- highlights
def create_highlight(worker: LibraryWorker, article_id: int, start: int, end: int, color: str,
                     *, uuid: str | None = None, on_done: Done = None,
                     on_error: Failed = None) -> Job:
    """``Library.add_highlight``: highlight body code points ``[start, end)`` (``uuid``: the
    caller's, for an undo that must name it before the write ran); ``on_done`` gets the new
    :class:`Highlight`."""
    return run(worker, Library.add_highlight, article_id, start, end, color=color, uuid=uuid,
               on_done=on_done, on_error=on_error)


def delete_highlight(worker: LibraryWorker, uuid: str, *, on_done: Done = None,
                     on_error: Failed = None) -> Job:
    """``Library.delete_highlight``: mark a highlight deleted (it can be brought back)."""
    return run(worker, Library.delete_highlight, uuid, on_done=on_done, on_error=on_error)


def restore_highlight(worker: LibraryWorker, uuid: str, *, on_done: Done = None,
                      on_error: Failed = None) -> Job:
    """``Library.delete_highlight(uuid, deleted=False)``: bring a deleted highlight back."""
    return run(worker, Library.delete_highlight, uuid, deleted=False, on_done=on_done,
               on_error=on_error)


def update_highlight(worker: LibraryWorker, uuid: str, fields: dict[str, Any], *,
                     on_done: Done = None, on_error: Failed = None) -> Job:
    """``Library.update_highlight``: change some of ``color``, ``note``, ``tags``,
    ``start``/``end``."""
    return run(worker, Library.update_highlight, uuid, **fields, on_done=on_done,
               on_error=on_error)


def recolour_highlight(worker: LibraryWorker, uuid: str, color: str, *, on_done: Done = None,
                       on_error: Failed = None) -> Job:
    """``Library.update_highlight(uuid, color=…)``."""
    return update_highlight(worker, uuid, {"color": color}, on_done=on_done, on_error=on_error)


def edit_note(worker: LibraryWorker, uuid: str, note: str, *, on_done: Done = None,
              on_error: Failed = None) -> Job:
    """``Library.update_highlight(uuid, note=…)``."""
    return update_highlight(worker, uuid, {"note": note}, on_done=on_done, on_error=on_error)


def reattach_highlight(worker: LibraryWorker, uuid: str, start: int, end: int, *,
                       on_done: Done = None, on_error: Failed = None) -> Job:
    """``Library.update_highlight(uuid, start=…, end=…)``: an orphan onto a new passage."""
    return update_highlight(worker, uuid, {"start": start, "end": end}, on_done=on_done,
                            on_error=on_error)


# ---------------------------------------------------------------------- articles
def set_read(worker: LibraryWorker, article_id: int, read: bool, *, on_done: Done = None,
             on_error: Failed = None) -> Job:
    """``Library.set_read``: mark an article read or unread."""
    return run(worker, Library.set_read, article_id, read, on_done=on_done, on_error=on_error)


def save_position(worker: LibraryWorker, article_id: int, position: int, *,
                  on_done: Done = None, on_error: Failed = None) -> Job:
    """``Library.set_position``: the reading place (a body code point)."""
    return run(worker, Library.set_position, article_id, position, on_done=on_done,
               on_error=on_error)


def tag_article(worker: LibraryWorker, article_id: int, tags: Iterable[str], *,
                on_done: Done = None, on_error: Failed = None) -> Job:
    """``Library.set_article_tags``: replace an article's tags."""
    return run(worker, Library.set_article_tags, article_id, list(tags), on_done=on_done,
               on_error=on_error)


def empty_trash(worker: LibraryWorker, ids: Iterable[int] | None = None, *,
                on_done: Done = None, on_error: Failed = None) -> Job:
    """``Library.empty_trash``: delete trashed articles for good (all of them if ``ids`` is
    None); ``on_done`` gets how many."""
    return run(worker, Library.empty_trash, None if ids is None else list(ids),
               on_done=on_done, on_error=on_error)


# ---------------------------------------------------------------------- recall
def answer_review(worker: LibraryWorker, uuid: str, reply: str, *, on_done: Done = None,
                  on_error: Failed = None) -> Job:
    """``reader.core.review.answer``: record a review answer for a highlight and schedule its
    next review; ``on_done`` gets the ``Answered``."""
    from reader.core import review

    return run(worker, review.answer, uuid, reply, on_done=on_done, on_error=on_error)


def export_highlights(worker: LibraryWorker, selection: Any, fmt: str, path: str, *,
                      on_done: Done = None, on_error: Failed = None) -> Job:
    """``reader.core.exporters.export_file``: write the chosen highlights to ``path`` (an
    existing file is replaced); ``on_done`` gets ``(path, articles, highlights)``."""
    from reader.core.exporters import export_file

    return run(worker, export_file, selection, fmt, path, overwrite=True, on_done=on_done,
               on_error=on_error)
