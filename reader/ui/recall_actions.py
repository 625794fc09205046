"""Changes to many highlights at once (the annotation library's multi-selection): add or remove
tags, recolour, delete — each one entry on the window's undo stack and ONE transaction
(reader.core.highlight_batch.change_highlights), however many highlights are selected.

Each runs on the library worker; the redo reads every highlight's current value of the fields
it changes, and the undo puts back the old values the batch reported, so an undo restores what
was there even if the cards on screen were a little behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reader.core.highlight_batch import change_highlights
from reader.core.library import Library, LibraryError
from reader.core.model import Highlight
from reader.ui.highlight_commands import LibraryCommand
from reader.ui.tasks import LibraryWorker

Before = dict[str, dict[str, Any]]


def _batch(uuids: Sequence[str], change: Callable[[Highlight], dict[str, Any] | None]
           ) -> Callable[[Library], Before]:
    """A redo that asks ``change(h)`` for each highlight's new values (None: leave it), writes
    them all in one transaction and returns the old values, by uuid."""
    uuids = list(uuids)

    def run(lib: Library) -> Before:
        changes: dict[str, dict[str, Any]] = {}
        # many: one read of them all (5,000 single reads took seconds)
        known = ({h.uuid: h for h in lib.highlights(include_deleted=True)}
                 if len(uuids) > 50 else {})
        for uuid in uuids:
            try:
                h = known.get(uuid) or lib.highlight(uuid)
            except LibraryError:  # gone meanwhile (another window, a sync)
                continue
            after = change(h)
            if after:
                changes[uuid] = after
        return change_highlights(lib, changes) if changes else {}

    return run


def _put_back(lib: Library, before: Before) -> None:
    if before:
        change_highlights(lib, before)


def add_tags_command(worker: LibraryWorker, uuids: Sequence[str], tags: Iterable[str],
                     text: str, **kw: Any) -> LibraryCommand:
    """Add ``tags`` to every highlight (those already there stay once)."""
    new = list(tags)

    def change(h: Highlight) -> dict[str, Any] | None:
        have = {t.casefold() for t in h.tags}
        missing = [t for t in new if t.casefold() not in have]
        return {"tags": [*h.tags, *missing]} if missing else None

    return LibraryCommand(worker, text, _batch(uuids, change), _put_back, **kw)


def remove_tag_command(worker: LibraryWorker, uuids: Sequence[str], tag: str, text: str,
                       **kw: Any) -> LibraryCommand:
    """Take ``tag`` off every highlight carrying it."""
    key = tag.casefold()

    def change(h: Highlight) -> dict[str, Any] | None:
        kept = [t for t in h.tags if t.casefold() != key]
        return {"tags": kept} if len(kept) != len(h.tags) else None

    return LibraryCommand(worker, text, _batch(uuids, change), _put_back, **kw)


def recolor_command(worker: LibraryWorker, uuids: Sequence[str], color: str, text: str,
                    **kw: Any) -> LibraryCommand:
    """Give every highlight the colour ``color``."""
    return LibraryCommand(
        worker, text, _batch(uuids, lambda h: {"color": color} if h.color != color else None),
        _put_back, **kw)


def delete_command(worker: LibraryWorker, uuids: Sequence[str], text: str,
                   **kw: Any) -> LibraryCommand:
    """Delete every highlight (a deletion marker, as one highlight's delete); undo brings back
    those this deleted (not those deleted before)."""
    return LibraryCommand(worker, text, _batch(uuids, lambda h: {"deleted": True}), _put_back,
                          **kw)
