"""Background work for the GUI.

* :class:`LibraryWorker` — the single thread on which every library *write* and every long job
  (import, indexing, export) runs, one after another (Anki's model: one database worker). The GUI
  thread only reads (fast SQLite selects) and never waits on a write.
* :class:`LibrarySignals` — the library's change notifications as Qt signals, delivered on the
  GUI thread whatever thread made the change.
* :class:`Job` — what :meth:`LibraryWorker.submit` returns: progress and cancel for long work.
"""

from __future__ import annotations

import logging
import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.library import Library
from reader.ui import highlight_cache

log = logging.getLogger(__name__)


class LibrarySignals(QObject):
    """Emitted on the GUI thread after the library committed a change."""

    articles_changed = Signal()  # articles added, removed, merged, split
    article_changed = Signal(int)  # one article's fields (read state, tags)
    highlights_changed = Signal(int)  # highlights of this article
    tags_changed = Signal()
    index_changed = Signal()  # the search index caught up with a change
    _relay = Signal(str, object)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay.connect(self._dispatch)  # queued when emitted from another thread
        highlight_cache.watch(library)  # first: the shared read is stale before we hear of it
        library.subscribe(lambda kind, payload: self._relay.emit(kind, payload))

    @Slot(str, object)
    def _dispatch(self, kind: str, payload: Any) -> None:
        if kind == "articles":
            self.articles_changed.emit()
        elif kind == "article":
            self.article_changed.emit(int(payload))
        elif kind == "highlights":
            self.highlights_changed.emit(int(payload))
        elif kind == "tags":
            self.tags_changed.emit()
        elif kind == "index":
            self.index_changed.emit()


class Job(QObject):
    """One piece of work on the worker. Signals arrive on the GUI thread.

    The function receives ``(library, job)`` and may call ``job.report(n, total, text)`` and poll
    ``job.cancelled()``.
    """

    progress = Signal(int, int, str)
    finished = Signal(object)  # the function's result
    failed = Signal(str)  # a readable message (the traceback goes to the log)
    done = Signal()  # after finished or failed

    def __init__(self, fn: Callable[[Library, Job], Any], name: str = "") -> None:
        super().__init__()
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "job")
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, n: int, total: int, text: str = "") -> None:
        """Called on the worker thread; delivered to ``progress`` on the GUI thread."""
        self._runner.progressed.emit(self, n, total, text)

    _runner: _Runner


class _Runner(QObject):
    """Lives on the worker thread. Its signals reach the GUI-thread worker as queued calls, so
    every Job signal (and so every callback) fires on the GUI thread."""

    progressed = Signal(object, int, int, str)
    succeeded = Signal(object, object)
    errored = Signal(object, str)

    def __init__(self, library: Library, jobs: queue.Queue) -> None:
        super().__init__()
        self.library = library
        self.jobs = jobs

    @Slot()
    def run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            try:
                result = job.fn(self.library, job)
            except Exception as e:  # reported to the user, never a crash of the worker
                log.error("%s failed:\n%s", job.name, traceback.format_exc())
                self.errored.emit(job, str(e) or e.__class__.__name__)
            else:
                self.succeeded.emit(job, result)


class LibraryWorker(QObject):
    """Runs jobs on two dedicated threads: long jobs (:meth:`submit`: imports, indexing,
    exports) one after another on one, quick writes (:meth:`write`: a highlight, a note, a tag)
    one after another on the other, so that highlighting goes on while a long import runs. Both
    write through the library's one write lock, one transaction at a time."""

    busy_changed = Signal(bool)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._pending = 0
        self._lanes: list[tuple[QThread, _Runner, queue.Queue]] = []
        for name in ("pizhu-library-worker", "pizhu-library-writes"):
            jobs: queue.Queue = queue.Queue()
            thread = QThread()
            thread.setObjectName(name)
            runner = _Runner(library, jobs)
            runner.moveToThread(thread)
            runner.progressed.connect(self._on_progress)
            runner.succeeded.connect(self._on_success)
            runner.errored.connect(self._on_error)
            thread.started.connect(runner.run)
            thread.start()
            self._lanes.append((thread, runner, jobs))
        self._thread, self._runner, self._jobs = self._lanes[0]

    @Slot(object, int, int, str)
    def _on_progress(self, job: Job, n: int, total: int, text: str) -> None:
        job.progress.emit(n, total, text)

    @Slot(object, object)
    def _on_success(self, job: Job, result: object) -> None:
        job.finished.emit(result)
        self._job_done(job)

    @Slot(object, str)
    def _on_error(self, job: Job, message: str) -> None:
        job.failed.emit(message)
        self._job_done(job)

    def submit(
        self,
        fn: Callable[[Library, Job], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        name: str = "",
    ) -> Job:
        """Queue ``fn(library, job)``; callbacks run on the GUI thread."""
        return self._queue(0, fn, on_done, on_error, name)

    def _queue(
        self, lane: int, fn: Callable[[Library, Job], Any],
        on_done: Callable[[Any], None] | None, on_error: Callable[[str], None] | None,
        name: str,
    ) -> Job:
        job = Job(fn, name)
        if on_done is not None:
            job.finished.connect(on_done)
        if on_error is not None:
            job.failed.connect(on_error)
        _thread, runner, jobs = self._lanes[lane]
        job._runner = runner
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        jobs.put(job)
        return job

    def write(
        self, fn: Callable[[Library], Any], on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> Job:
        """A quick write, ``fn(library)``, on the writes thread (beside a long job)."""
        return self._queue(1, lambda lib, _job: fn(lib), on_done, on_error,
                           getattr(fn, "__name__", "write"))

    def _job_done(self, job: Job) -> None:
        job.done.emit()
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def stop(self) -> None:
        """Finish queued work, then stop the thread (call before closing the library)."""
        for thread, _runner, jobs in self._lanes:
            if thread.isRunning():
                jobs.put(None)
                thread.quit()
        for thread, _runner, _jobs in self._lanes:
            thread.wait()
