"""The annotation import dialog takes an import back in one step (issue 15, item 7): a file that
overwrote a note and hid a highlight is undone with the dialog's "Undo this import" button."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from gui_support import QT_LOG_IGNORE, close_window, open_window, wait_idle
from PySide6.QtCore import Qt

from reader.core.library import Library

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def test_undo_this_import_restores_the_overwritten_highlights(qtbot, tmp_path) -> None:
    src = tmp_path / "茶.txt"
    src.write_text("秋茶采摘忙\n\n合作社今年引进了新的烘焙设备，茶叶的香气更加浓郁。\n",
                   encoding="utf-8")
    lib = Library.open(tmp_path / "lib")
    lib.import_paths([src])
    (art,) = lib.articles()
    body = lib.article(art.id).body
    at = body.index("烘焙设备")
    h = lib.add_highlight(art.id, at, at + 4, note="原来的批注", tags=["设备"], color="green")
    before = lib.highlight(h.uuid)
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat(timespec="seconds")
    path = tmp_path / "覆盖.json"
    path.write_text(json.dumps([{
        "id": f"urn:uuid:{h.uuid}", "type": "Annotation", "modified": soon,
        "bodyValue": "文件里的批注", "pizhu:deleted": True, "pizhu:color": "blue",
        "target": {"source": f"pizhu://article/{lib.article(art.id).uuid}",
                   "selector": {"type": "TextPositionSelector", "start": at, "end": at + 4}},
    }], ensure_ascii=False), encoding="utf-8")
    w = open_window(qtbot, lib, tmp_path / "settings.ini")
    try:
        wait_idle(qtbot, w)
        dlg = w.start_annotation_import(str(path))
        assert dlg is not None
        with qtbot.waitSignal(dlg.import_finished, timeout=30000) as sig:
            pass
        assert sig.args[0].updated == 1
        changed = lib.highlight(h.uuid)
        assert (changed.note, changed.deleted, changed.tags) == ("文件里的批注", True, [])
        assert dlg.undo_button.isVisible() and dlg.undo_button.isEnabled()
        with qtbot.waitSignal(dlg.import_undone, timeout=30000) as undone:
            qtbot.mouseClick(dlg.undo_button, Qt.MouseButton.LeftButton)
        assert undone.args[0] is not None and undone.args[0].restored == 1
        assert lib.highlight(h.uuid) == before
        assert not dlg.undo_button.isVisible()
        wait_idle(qtbot, w)
        w.open_article(art.id, select=True)
        wait_idle(qtbot, w)
        assert h.uuid in {x.uuid for x in w.reader.highlights}
        dlg.close()
    finally:
        close_window(w)
        lib.close()
