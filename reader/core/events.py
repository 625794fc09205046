"""Who hears about changes: ``listener(kind, payload)`` after each committed change (see
:meth:`reader.core.library.Library.subscribe`). A listener never breaks a write."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

Listener = Callable[[str, object], None]


class Listeners:
    def __init__(self) -> None:
        self._fns: list[Listener] = []
        self._local = threading.local()

    def subscribe(self, listener: Listener) -> None:
        self._fns.append(listener)

    def notify(self, kind: str, payload: object = None) -> None:
        deferred: list[tuple[str, object]] | None = getattr(self._local, "deferred", None)
        if deferred is not None:  # an import's index thread: the importing thread tells
            deferred.append((kind, payload))
            return
        for fn in list(self._fns):
            try:
                fn(kind, payload)
            except Exception:  # a listener must never break a write
                log.exception("library listener failed")

    @contextlib.contextmanager
    def deferred(self, heard: list[tuple[str, object]]) -> Iterator[None]:
        """On this thread, keep notifications in ``heard`` instead of telling the listeners
        (a short-lived thread: listeners — the GUI's signals — hear from threads they know)."""
        self._local.deferred = heard
        try:
            yield
        finally:
            self._local.deferred = None

    def flush(self, heard: list[tuple[str, object]]) -> None:
        """Tell the listeners what :meth:`deferred` kept, on this thread."""
        while heard:
            kind, payload = heard.pop(0)
            self.notify(kind, payload)
