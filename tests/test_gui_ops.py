"""Named write operations (reader/ui/ops.py): each names the public Library method it calls, runs
it on the worker's write lane and reports back on the GUI thread; a new highlight's undo
command deletes exactly that highlight, even when undone before the write committed."""

from __future__ import annotations

import importlib
import inspect
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from reader.core.library import Library
from reader.ui import ops
from reader.ui.highlight_commands import CreateHighlightCommand
from reader.ui.tasks import LibraryWorker

# our own text, not the sample corpus
TEXT = "晨雾里的渡口\n\n老船工把缆绳系在石桩上，等第一班渡船靠岸。江面很宽，对岸的灯还没有熄。\n"
PHRASE = "老船工把缆绳系在石桩上"


@pytest.fixture
def lib(lib: Library, tmp_path: Path) -> Library:
    """The shared empty library with one article of our own."""
    src = tmp_path / "渡口.txt"
    src.write_text(TEXT, encoding="utf-8")
    assert lib.import_paths([src]).count("added") == 1
    return lib


@pytest.fixture
def worker(lib: Library) -> Iterator[LibraryWorker]:
    w = LibraryWorker(lib)
    yield w
    w.stop()


def _aid(lib: Library) -> int:
    return lib.articles()[0].id


def _span(lib: Library) -> tuple[int, int]:
    i = lib.article(_aid(lib)).body.index(PHRASE)
    return i, i + len(PHRASE)


def _run(qtbot, job) -> None:  # noqa: ANN001
    with qtbot.waitSignal(job.done, timeout=10000):
        pass


def _ops() -> list[tuple[str, object]]:
    return [(name, fn) for name, fn in inspect.getmembers(ops, inspect.isfunction)
            if fn.__module__ == ops.__name__ and not name.startswith("_") and name != "run"]


def test_every_op_names_a_public_library_method():
    found = _ops()
    assert len(found) >= 10
    for name, fn in found:
        doc = inspect.getdoc(fn) or ""
        core = re.match(r"``reader\.core\.([\w.]+)\.(\w+)``", doc)  # a core function
        if core:
            module = importlib.import_module(f"reader.core.{core.group(1)}")
            assert callable(getattr(module, core.group(2), None)), name
            assert f"{core.group(2)}," in inspect.getsource(fn), name
            continue
        m = re.match(r"``Library\.(\w+)", doc)
        assert m, f"ops.{name}: its docstring must begin with the core method it calls"
        method = m.group(1)
        assert not method.startswith("_") and callable(getattr(Library, method, None)), name
        src = inspect.getsource(fn)  # directly, or through the op of the same name
        assert f"Library.{method}," in src or f"{method}(worker" in src, \
            f"ops.{name} does not call Library.{method}"


def test_an_op_runs_on_the_write_lane_and_reports_on_the_gui_thread(qtbot, lib, worker):
    start, end = _span(lib)
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def done(h: object) -> None:
        seen["thread"] = threading.get_ident()
        seen["h"] = h

    job = ops.create_highlight(worker, _aid(lib), start, end, "green", on_done=done)
    assert job.name == "add_highlight"  # the job is named after the core method
    _run(qtbot, job)
    assert seen["thread"] == gui
    h = seen["h"]
    assert h.quote == PHRASE and h.color == "green"  # type: ignore[attr-defined]
    assert [x.uuid for x in lib.highlights(article_id=_aid(lib))] == [h.uuid]  # type: ignore[attr-defined]


def test_highlight_ops_change_what_they_say(qtbot, lib, worker):
    start, end = _span(lib)
    h = lib.add_highlight(_aid(lib), start, end, color="yellow")
    _run(qtbot, ops.recolour_highlight(worker, h.uuid, "blue"))
    _run(qtbot, ops.edit_note(worker, h.uuid, "渡船六点靠岸"))
    got = lib.highlight(h.uuid)
    assert (got.color, got.note) == ("blue", "渡船六点靠岸")
    _run(qtbot, ops.reattach_highlight(worker, h.uuid, start, start + 3))
    assert lib.highlight(h.uuid).quote == PHRASE[:3]
    _run(qtbot, ops.delete_highlight(worker, h.uuid))
    assert lib.highlights(article_id=_aid(lib)) == []
    _run(qtbot, ops.restore_highlight(worker, h.uuid))
    assert [x.uuid for x in lib.highlights(article_id=_aid(lib))] == [h.uuid]


def test_article_ops_change_what_they_say(qtbot, lib, worker):
    aid = _aid(lib)
    _run(qtbot, ops.set_read(worker, aid, True))
    _run(qtbot, ops.save_position(worker, aid, 7))
    _run(qtbot, ops.tag_article(worker, aid, ["江边", "清晨"]))
    art = lib.article(aid)
    assert art.read and art.position == 7 and sorted(art.tags) == sorted(["江边", "清晨"])
    lib.delete_articles([aid])
    counts: list[object] = []
    _run(qtbot, ops.empty_trash(worker, [aid], on_done=counts.append))
    assert counts == [1] and lib.trash() == []


def test_a_failed_op_is_a_message(qtbot, lib, worker):
    errors: list[str] = []
    _run(qtbot, ops.recolour_highlight(worker, "no-such-uuid", "blue", on_error=errors.append))
    assert errors and errors[0]


def test_create_highlight_command_undo_and_redo_keep_one_highlight(qtbot, lib, worker):
    start, end = _span(lib)
    stack = QUndoStack()
    created: list[object] = []
    cmd = CreateHighlightCommand(worker, _aid(lib), start, end, "pink", "Highlight",
                                 on_created=created.append)
    stack.push(cmd)  # runs the first redo: the write is queued
    stack.undo()  # at once, before the write committed: the uuid is already known
    qtbot.waitUntil(lambda: not worker.busy, timeout=10000)
    assert [getattr(h, "uuid", None) for h in created] == [cmd.uuid]
    assert lib.highlights(article_id=_aid(lib)) == []
    stack.redo()  # the same highlight comes back, not a new one
    qtbot.waitUntil(lambda: not worker.busy, timeout=10000)
    assert [(h.uuid, h.color) for h in lib.highlights(article_id=_aid(lib))] == [
        (cmd.uuid, "pink")]
    assert len(created) == 1  # on_created only for the first redo


def test_a_highlight_that_could_not_be_made_is_dropped_from_the_stack(qtbot, lib, worker):
    errors: list[str] = []
    cmd = CreateHighlightCommand(worker, 424242, 0, 3, "yellow", "Highlight",
                                 on_error=errors.append)
    stack = QUndoStack()
    stack.push(cmd)
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert cmd.isObsolete() and "424242" in errors[0]
