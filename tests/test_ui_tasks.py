"""The GUI's worker: jobs run off the GUI thread, callbacks and signals arrive on it."""

from __future__ import annotations

import threading

from reader.ui.tasks import LibrarySignals, LibraryWorker


def test_job_runs_on_worker_thread_and_reports_on_gui_thread(qtbot, lib):
    worker = LibraryWorker(lib)
    seen = {}
    gui = threading.get_ident()

    def work(library, job):
        seen["work_thread"] = threading.get_ident()
        for i in range(3):
            job.report(i, 3, f"step {i}")
        return library.stats()["articles"]

    def on_done(result):
        seen["done_thread"] = threading.get_ident()
        seen["result"] = result

    progress = []
    job = worker.submit(work, on_done=on_done)
    job.progress.connect(lambda n, t, s: progress.append((n, t, threading.get_ident())))
    with qtbot.waitSignal(job.done, timeout=10000):
        pass
    worker.stop()
    assert seen["work_thread"] != gui
    assert seen["done_thread"] == gui
    assert seen["result"] == 0
    assert [p[0] for p in progress] == [0, 1, 2]
    assert all(p[2] == gui for p in progress)


def test_failure_is_a_message_not_a_crash(qtbot, lib):
    worker = LibraryWorker(lib)
    errors = []
    job = worker.write(lambda library: library.article(424242), on_error=errors.append)
    with qtbot.waitSignal(job.done, timeout=10000):
        pass
    worker.stop()
    assert errors and "424242" in errors[0]


def test_library_signals_delivered_on_gui_thread(qtbot, lib, tmp_path):
    signals = LibrarySignals(lib)
    worker = LibraryWorker(lib)
    src = tmp_path / "a.txt"
    src.write_text("标题一行\n正文第一段。\n", encoding="utf-8")
    threads = []
    signals.articles_changed.connect(lambda: threads.append(threading.get_ident()))
    with qtbot.waitSignal(signals.articles_changed, timeout=30000):
        worker.write(lambda library: library.import_paths([src], update_index=False))
    worker.stop()
    assert threads == [threading.get_ident()]
