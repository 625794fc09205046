"""The core's errors: everything it raises for the user is a :class:`LibraryError` (the message
names the file or item and the reason), so the CLI and the GUI catch one family and never
``sqlite3`` errors."""

from __future__ import annotations


class LibraryError(Exception):
    """Something the user asked for cannot be done; the message says what and why."""


class NotFound(LibraryError):
    """No such article, highlight or tag."""


class InvalidInput(LibraryError):
    """A value the library refuses (a range outside the text, a note too long, a bad date)."""


class WriteFailed(LibraryError):
    """A change could not be saved (locked by another process, disk full, I/O error); nothing of
    it was kept."""


class ReadOnlyLibrary(WriteFailed):
    """A change to a library opened read-only."""


class IndexBusy(LibraryError):
    """Another process is writing the search index."""
