"""The one exception the importers raise for bad input."""

from __future__ import annotations


class ImportFailure(Exception):
    """A file could not be imported. ``reason`` is one short readable line (no path, no traceback),
    e.g. ``'binary file'`` or ``'not valid JSON: line 3 column 5 (truncated?)'``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
