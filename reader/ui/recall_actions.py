"""Changes to many highlights at once (the annotation library's multi-selection): add or remove
tags, recolour, delete — each one entry on the window's undo stack.

Each runs on the library worker; the redo reads every highlight's current value of the fields
it changes before changing them, and the undo puts those values back, so an undo restores what
was there even if the cards on screen were a little behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reader.core.library import Library, LibraryError
from reader.core.model import Highlight
from reader.ui.highlight_commands import LibraryCommand
from reader.ui.tasks import LibraryWorker


def _update_each(uuids: Sequence[str], change: Callable[[Highlight], dict[str, Any] | None]
                 ) -> Callable[[Library], dict[str, dict[str, Any]]]:
    """A redo that applies ``change(h)`` (the new field values, None to leave it) to each
    highlight and returns the old values of the fields it changed, by uuid."""
    uuids = list(uuids)

    def run(lib: Library) -> dict[str, dict[str, Any]]:
        before: dict[str, dict[str, Any]] = {}
        for uuid in uuids:
            try:
                h = lib.highlight(uuid)
            except LibraryError:  # deleted meanwhile (another window, a sync)
                continue
            after = change(h)
            if not after:
                continue
            before[uuid] = {k: (list(getattr(h, k)) if k == "tags" else getattr(h, k))
                            for k in after}
            lib.update_highlight(uuid, **after)
        return before

    return run


def _put_back(lib: Library, before: dict[str, dict[str, Any]]) -> None:
    for uuid, fields in before.items():
        try:
            lib.update_highlight(uuid, **fields)
        except LibraryError:
            continue


def add_tags_command(worker: LibraryWorker, uuids: Sequence[str], tags: Iterable[str],
                     text: str, **kw: Any) -> LibraryCommand:
    """Add ``tags`` to every highlight (those already there stay once)."""
    new = list(tags)

    def change(h: Highlight) -> dict[str, Any] | None:
        have = {t.casefold() for t in h.tags}
        missing = [t for t in new if t.casefold() not in have]
        return {"tags": [*h.tags, *missing]} if missing else None

    return LibraryCommand(worker, text, _update_each(uuids, change), _put_back, **kw)


def remove_tag_command(worker: LibraryWorker, uuids: Sequence[str], tag: str, text: str,
                       **kw: Any) -> LibraryCommand:
    """Take ``tag`` off every highlight carrying it."""
    key = tag.casefold()

    def change(h: Highlight) -> dict[str, Any] | None:
        kept = [t for t in h.tags if t.casefold() != key]
        return {"tags": kept} if len(kept) != len(h.tags) else None

    return LibraryCommand(worker, text, _update_each(uuids, change), _put_back, **kw)


def recolor_command(worker: LibraryWorker, uuids: Sequence[str], color: str, text: str,
                    **kw: Any) -> LibraryCommand:
    """Give every highlight the colour ``color``."""
    return LibraryCommand(
        worker, text,
        _update_each(uuids, lambda h: {"color": color} if h.color != color else None),
        _put_back, **kw)


def delete_command(worker: LibraryWorker, uuids: Sequence[str], text: str,
                   **kw: Any) -> LibraryCommand:
    """Delete every highlight (a deletion marker, as one highlight's delete); undo brings back
    those this deleted."""
    uuids = list(uuids)

    def redo(lib: Library) -> list[str]:
        done = []
        for uuid in uuids:
            try:
                if lib.highlight(uuid).deleted:
                    continue
                lib.delete_highlight(uuid)
            except LibraryError:
                continue
            done.append(uuid)
        return done

    def undo(lib: Library, done: list[str]) -> None:
        for uuid in done:
            try:
                lib.delete_highlight(uuid, deleted=False)
            except LibraryError:
                continue

    return LibraryCommand(worker, text, redo, undo, **kw)
