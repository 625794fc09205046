"""Issue 11: the window stays live during a long import — highlighting goes through beside it
(the worker's writes lane), search sees the import batch by batch, and the dialog shows files,
articles, rate and time left."""

from __future__ import annotations

import time

import pytest
from gui_support import article_id, close_window, open_window, sample_lib, settings_file  # noqa: F401
from test_import_batches import make_folder

import reader.core.importing as importing


def test_highlighting_and_search_work_while_a_long_import_runs(
    qtbot, sample_lib, settings_file, tmp_path, monkeypatch  # noqa: F811
) -> None:
    tokens = make_folder(tmp_path / "in", 60, seed=9)
    monkeypatch.setattr(importing, "INDEX_BATCH_MIN_CHARS", 1500)
    real = importing.Importer._import_one

    def slow(self, *a, **kw):  # a long import: 60 files, 0.1 s each
        time.sleep(0.1)
        return real(self, *a, **kw)

    monkeypatch.setattr(importing.Importer, "_import_one", slow)
    w = open_window(qtbot, sample_lib, settings_file)
    aid = article_id(sample_lib, "花市")
    dlg = w.start_import([str(tmp_path / "in")])
    assert dlg is not None and dlg.running
    # a highlight is saved while the import still runs
    with qtbot.waitSignal(w.signals.highlights_changed, timeout=20000):
        w.worker.write(lambda lib: lib.add_highlight(aid, 0, 2, note="导入时写的批注"))
    assert dlg.running
    assert [h.note for h in sample_lib.highlights(article_id=aid)] == ["导入时写的批注"]
    # search sees the first batches before the import is over
    qtbot.waitUntil(lambda: sample_lib.search(tokens[0])[1] == 1, timeout=20000)
    assert dlg.running
    # the dialog says how far it is, how fast and how long is left
    qtbot.waitUntil(lambda: "files/s" in dlg.current.text() or "文件/秒" in dlg.current.text(),
                    timeout=20000)
    with qtbot.waitSignal(w.import_finished, timeout=60000) as sig:
        pass
    assert sig.args[0].count("added") == 60
    assert all(sample_lib.search(t)[1] == 1 for t in tokens)
    close_window(w)


@pytest.mark.parametrize("seconds, text", [(5, "5 s"), (150, "2 min"), (3900, "1 h 5 min")])
def test_time_left_reads_well(qapp, seconds: float, text: str) -> None:  # noqa: ANN001
    from reader.ui.import_dialog import _duration

    assert _duration(seconds) == text
