"""The open article's highlights, read once per change and shared by everything on the GUI
thread that shows them (the reader pane, the annotations panel).

Opening an article or adding a highlight to it used to read its highlights twice, once for the
reader's marks and once for the cards: 500 highlights with their tags, 5–25 ms each (more while
the worker thread updates the search index). The cache holds the last article read. It is keyed
by a count of the library's change notifications (:meth:`Library.subscribe`, called on the
writing thread right after each commit, before the window hears of it), so a change made in this
process is never hidden; only 'index' (the search index caught up) leaves it alone. Another
process's writes are seen on the next change or when another article is read.
"""

from __future__ import annotations

import weakref

from reader.core.library import Library
from reader.core.model import Highlight


class _State:
    def __init__(self) -> None:
        self.generation = 0
        self.key: tuple[int, int] | None = None
        self.rows: list[Highlight] = []

    def changed(self, kind: str, _payload: object) -> None:
        if kind != "index":
            self.generation += 1


_states: weakref.WeakKeyDictionary[Library, _State] = weakref.WeakKeyDictionary()
reads = 0  # how many times the highlights were read from the library (tests count them)


def watch(library: Library) -> _State:
    """Start counting ``library``'s changes. :class:`~reader.ui.tasks.LibrarySignals` calls it
    before it subscribes itself: the count must move before the window can hear of a change
    (a listener subscribed later runs after the window's refresh may have read the cache)."""
    state = _states.get(library)
    if state is None:
        state = _states[library] = _State()
        library.subscribe(state.changed)
    return state


def article_highlights(library: Library, article_id: int) -> list[Highlight]:
    """``library.highlights(article_id=…, order="article")``, shared until the next change.
    The list is a copy; the highlights in it are shared and must not be changed."""
    global reads
    state = watch(library)
    key = (article_id, state.generation)  # taken before reading: a change meanwhile re-reads
    if state.key == key:
        return list(state.rows)
    rows = library.highlights(article_id=article_id, order="article")
    reads += 1
    state.key, state.rows = key, rows
    return list(rows)
