"""GUI benchmark: how quickly the window answers on a big library, offscreen.

    python bench/gui.py [--articles 100000] [--highlights 5000] [--json]
                        [--keep DIR | --library DIR]

Builds a library of N synthetic articles (bench/corpus.py; WeChat-export JSON files imported
through ``Library.import_paths``, then one index rebuild), one article of 20,000 characters with
500 highlights, and 5,000 highlights in all carrying the tag ``基准`` (a second process then
measures, so that the figures are of a fresh start). ``--keep DIR`` builds into DIR and keeps it,
``--library DIR`` reuses one built before.

Measured (milliseconds unless said), each action started from the event loop until what it shows
is painted (``repaint()``, synchronous):

* ``window_s``: process start → the main window painted (seconds);
* ``first_page_ms``: the library attached → the first page of the article list painted;
* ``open_article_500_ms``: open the 20,000-character article with 500 highlights;
* ``add_highlight_ms``: highlight a selection → its card painted in the annotations panel;
* ``search_ms``: a 3-character query run → its results painted;
* ``recall_first_screen_ms``: recall the tag with 5,000 highlights → the first screen painted;
* ``scroll_1000_ms``: scroll the article list by 1,000 rows (20 at a time, painting each);
* ``library_all_ms`` / ``library_colour_ms`` / ``library_search_ms``: the annotation library
  (issue 17) over every highlight, narrowed to one colour, searched for a note's word → the
  first screen painted; ``library_select_all_ms``: Ctrl+A over all of them (every card handed
  to the view); ``library_scroll_1000_ms``: 1,000 cards scrolled, 20 at a time;
* ``max_stall_ms``: the longest the GUI thread went without serving a 1 ms heartbeat timer
  during any of these actions (``stall_ms`` has it per action).

Targets (issue 14): window ≤ 1 s, article with 500 highlights ≤ 50 ms, highlight ≤ 30 ms,
search ≤ 100 ms, recall first screen ≤ 150 ms, no GUI-thread stall over 16 ms while scrolling.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TAG = "基准"
BIG_TITLE = "基准长文：五百条划线"
BIG_CHARS = 20_000
BIG_HIGHLIGHTS = 500
QUERY_LEN = 3
COLORS = ["yellow", "green", "blue", "pink", "purple", "orange"]


# ---------------------------------------------------------------------- building the library
def build(root: Path, n: int, highlights: int, *, use_shared: bool = True) -> dict:
    """Make the benchmark library at ``root``; returns what the measuring process needs."""
    from bench.corpus import synthesize
    from reader.core.library import Library

    t0 = time.perf_counter()
    src = root.parent / (root.name + "-src")
    src.mkdir(parents=True, exist_ok=True)
    arts = list(synthesize(n, use_shared=use_shared))
    chunk = 2000
    files = []
    for k in range(0, len(arts), chunk):
        items = [{
            "文章标识符aid": f"bench{a.id}", "标题title": a.title, "时间time": a.date,
            "公众号名称": a.source, "finalContent": a.body,
            "链接url": f"https://example.invalid/bench/{a.id}",
        } for a in arts[k:k + chunk]]
        f = src / f"bench-{k // chunk:03d}.json"
        f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        files.append(f)
    paras = [p for a in arts[:200] for p in a.body.split("\n") if len(p) > 20]
    big_body, i = [], 0
    while sum(len(p) + 1 for p in big_body) < BIG_CHARS:
        big_body.append(paras[i % len(paras)])
        i += 1
    big = src / "big.json"  # one export entry: a single article, however it reads
    big.write_text(json.dumps([{
        "文章标识符aid": "bench-big", "标题title": BIG_TITLE, "时间time": "2026-01-15",
        "公众号名称": "基准", "finalContent": "\n".join(big_body),
        "链接url": "https://example.invalid/bench/big"}], ensure_ascii=False), encoding="utf-8")
    files.append(big)

    lib = Library.open(root)
    try:
        summary = lib.import_paths(files, update_index=False)
        failed = [(f.path, f.reason) for f in summary.files if f.status == "failed"]
        if failed:
            raise SystemExit(f"bench/gui.py: import failed: {failed[:3]}")
        t_import = time.perf_counter() - t0
        big_id = next(a.id for a in lib.articles(order="id", descending=True, limit=50)
                      if a.title == BIG_TITLE)
        body = lib.article(big_id).body
        assert len(body) >= BIG_CHARS * 0.9, len(body)
        step = len(body) // BIG_HIGHLIGHTS
        items = [(big_id, k * step + 2, k * step + 10, COLORS[k % len(COLORS)],
                  "批注" if k % 10 == 0 else "") for k in range(BIG_HIGHLIGHTS)]
        others = [a.id for a in lib.articles(order="id", limit=max(1, highlights - BIG_HIGHLIGHTS))
                  if a.id != big_id]
        items += [(others[k % len(others)], 4, 14, COLORS[k % len(COLORS)], "")
                  for k in range(max(0, highlights - BIG_HIGHLIGHTS))]
        _bulk_highlights(lib, items)
        t_hl = time.perf_counter() - t0 - t_import
        lib.reindex()  # articles, highlights' notes and tags: one rebuild
        t_index = time.perf_counter() - t0 - t_import - t_hl
        fill = getattr(lib, "fill_title_sort_keys", None)
        if fill is not None:
            fill()
        info = {"articles": n + 1, "big_id": big_id, "highlights": highlights,
                "import_s": round(t_import, 1), "index_s": round(t_index, 1),
                "build_s": round(time.perf_counter() - t0, 1)}
    finally:
        lib.close()
    shutil.rmtree(src, ignore_errors=True)
    (root / "bench-gui.json").write_text(json.dumps(info), encoding="utf-8")
    return info


def _bulk_highlights(lib, items: list[tuple[int, int, int, str, str]]) -> None:  # noqa: ANN001
    """What ``Library.add_highlight`` stores, for thousands at once (one transaction, the index
    rebuilt afterwards): per call it also re-indexes the article, ~0.1 s each."""
    import uuid as uuidlib

    from reader.core.annotating import context as _context
    from reader.core.model import now_iso

    with lib.store.transaction() as conn:
        from reader.core.store.tags import tag_ids

        tids = tag_ids(conn, [TAG])
        bodies: dict[int, str] = {}
        for aid, start, end, color, note in items:
            if aid not in bodies:
                bodies[aid] = conn.execute("SELECT body FROM articles WHERE id = ?",
                                           (aid,)).fetchone()[0]
            body = bodies[aid]
            prefix, suffix = _context(body, start, end)
            stamp = now_iso()
            cur = conn.execute(
                "INSERT INTO highlights(uuid, article_id, start, end, quote, prefix, suffix,"
                " color, note, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (str(uuidlib.uuid4()), aid, start, end, body[start:end], prefix, suffix, color,
                 note, stamp, stamp))
            conn.executemany("INSERT OR IGNORE INTO highlight_tags VALUES (?, ?)",
                             [(cur.lastrowid, t) for t in tids])


# ---------------------------------------------------------------------- measuring (child)
from reader.ui.startup_probe import _process_age  # noqa: E402

_T0 = time.perf_counter() - _process_age()


class Heartbeat:
    """A 1 ms timer on the GUI thread; the longest gap between its ticks is the longest stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.worst * 1000


def _until(app, done: Callable[[], bool], timeout: float = 60.0) -> None:  # noqa: ANN001
    from PySide6.QtCore import QEventLoop

    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise SystemExit("bench/gui.py: timed out waiting for the GUI")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def measure(root: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    info = json.loads((root / "bench-gui.json").read_text(encoding="utf-8"))
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("PizhuBench")
    app.setApplicationName("PizhuBench")
    settings_dir = Path(tempfile.mkdtemp(prefix="pizhu-bench-settings-"))
    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("view/theme", "light")
    from reader.core.library import Library
    from reader.ui.main_window import MainWindow, install_app_font

    install_app_font(app)
    out: dict = {"articles": info["articles"], "highlights": info["highlights"]}
    stalls: dict[str, float] = {}
    w = MainWindow(None, settings=settings)
    w.resize(1440, 900)
    w.show()
    w.repaint()
    out["window_s"] = round(time.perf_counter() - _T0, 3)
    beat = Heartbeat()

    def action(name: str, start: Callable[[], None], done: Callable[[], bool],
               paint: Callable[[], None]) -> float:
        """Run ``start`` from the event loop, wait for ``done``, paint; milliseconds."""
        box: dict[str, float] = {}

        def go() -> None:
            box["t"] = time.perf_counter()
            start()

        beat.start()
        QTimer.singleShot(0, go)
        _until(app, lambda: "t" in box and done())
        paint()
        ms = (time.perf_counter() - box["t"]) * 1000
        stalls[name] = round(beat.stop(), 1)
        return round(ms, 1)

    lib = Library.open(root)
    try:
        # the first page of the article list
        out["first_page_ms"] = action(
            "first_page", lambda: w.attach_library(lib),
            lambda: w.library is not None and w.list_pane.model.rowCount() > 0,
            lambda: w.list_pane.view.viewport().repaint())
        _until(app, lambda: not w.worker.busy)
        # as the app does 200 ms after a library opens: the index and jieba loaded on the worker
        # (else the first actions below measure a cold start racing them for the GIL)
        w.warm_up()
        _until(app, lambda: not w.worker.busy)
        app.processEvents()
        # the article of 20,000 characters with 500 highlights
        big = int(info["big_id"])
        out["open_article_500_ms"] = action(
            "open_article_500", lambda: w.open_article(big),
            lambda: w.reader.article_id == big,
            lambda: (w.reader.text.viewport().repaint(), w.annotations.repaint()))
        assert len(w.reader.highlights) >= BIG_HIGHLIGHTS, len(w.reader.highlights)
        # one highlight from a selection until its card shows
        before = len(w.annotations.highlights())
        body = w.reader.article.body
        s = len(body) // 2 + 5
        w.reader.select_range(s, s + 6)
        out["add_highlight_ms"] = action(
            "add_highlight", lambda: w.highlight_selection("blue"),
            lambda: len(w.annotations.highlights()) > before,
            lambda: w.annotations.repaint())
        _until(app, lambda: not w.worker.busy)
        # a 3-character query until its results are painted
        from reader.ui.main_window import TAB_SEARCH

        w.show_tab(TAB_SEARCH)
        warm: dict[str, int] = {}
        w.search_panel.results_ready.connect(lambda n: warm.setdefault("n", n))
        w.search_panel.set_query("预热一")  # warm: the index and jieba are loaded once
        _until(app, lambda: "n" in warm)
        _until(app, lambda: not w.worker.busy)
        app.processEvents()
        query = body[100:100 + QUERY_LEN]
        got: dict[str, int] = {}
        w.search_panel.results_ready.connect(lambda n: got.setdefault("n", n))
        out["search_ms"] = action(
            "search", lambda: w.search_panel.set_query(query), lambda: "n" in got,
            lambda: w.search_panel.repaint())
        out["search_hits"] = got.get("n", 0)
        # recall the tag with 5,000 highlights: the first screen
        out["recall_first_screen_ms"] = action(
            "recall_first_screen", lambda: w.recall_tags([TAG]),
            lambda: w.recall.count() > 0, lambda: w.recall.view.viewport().repaint())
        out["recall_cards"] = w.recall.count()
        # the annotation library over every highlight (issue 17): all of them, a colour, a text
        # search, Ctrl+A over all 5,000 (every card handed to the view), 1,000 cards scrolled
        rv = w.recall
        marks: dict[str, int] = {}
        rv.refreshed.connect(lambda n: marks.__setitem__("n", n))

        def refreshed(fn: Callable[[], None]) -> Callable[[], None]:
            def go() -> None:
                marks.pop("n", None)
                fn()
            return go

        paint = rv.view.viewport().repaint
        out["library_all_ms"] = action("library_all", refreshed(lambda: rv.show_tags([])),
                                       lambda: "n" in marks, paint)
        out["library_cards"] = rv.count()
        out["library_colour_ms"] = action("library_colour", refreshed(lambda: rv.set_color("blue")),
                                          lambda: "n" in marks, paint)
        rv.set_color("")
        out["library_search_ms"] = action(
            "library_search", refreshed(lambda: rv.set_filter_text("批注")),
            lambda: "n" in marks, paint)
        out["library_search_cards"] = rv.count()
        rv.set_filter_text("")
        out["library_select_all_ms"] = action(
            "library_select_all", rv.view.selectAll,
            lambda: len(rv.view.selectionModel().selectedRows()) == rv.count(), paint)
        rv.view.clearSelection()
        bar = rv.view.verticalScrollBar()

        def scroll_cards() -> None:
            step = max(1, rv.view.sizeHintForRow(0)) * 20
            for _ in range(50):
                bar.setValue(bar.value() + step)
                app.processEvents()
                rv.view.viewport().repaint()

        out["library_scroll_1000_ms"] = action("library_scroll_1000", scroll_cards,
                                               lambda: True, paint)
        # scroll the article list by 1,000 rows, 20 at a time, painting each step
        from reader.ui.main_window import TAB_ARTICLES

        w.show_tab(TAB_ARTICLES)
        app.processEvents()
        view = w.list_pane.view
        row_h = max(1, view.sizeHintForRow(0))

        def scroll() -> None:
            bar = view.verticalScrollBar()
            for _ in range(50):
                bar.setValue(bar.value() + 20 * row_h)
                app.processEvents()
                view.viewport().repaint()

        out["scroll_1000_ms"] = action("scroll_1000", scroll, lambda: True,
                                       lambda: view.viewport().repaint())
        out["stall_ms"] = stalls
        out["max_stall_ms"] = max(stalls.values())
    finally:
        w.close()
        app.processEvents()
        lib.close()
        shutil.rmtree(settings_dir, ignore_errors=True)
    return out


# ---------------------------------------------------------------------- driver
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--highlights", type=int, default=5000)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--keep", metavar="DIR", help="build the library into DIR and keep it")
    ap.add_argument("--library", metavar="DIR", help="measure a library built before (--keep)")
    ap.add_argument("--no-shared", action="store_true", help="fixture paragraphs only")
    ap.add_argument("--measure-only", metavar="DIR", help=argparse.SUPPRESS)  # the child
    args = ap.parse_args(argv)
    if args.measure_only:
        print(json.dumps(measure(Path(args.measure_only))))
        return 0
    tmp = None
    if args.library:
        root = Path(args.library)
        if not (root / "bench-gui.json").exists():
            ap.error(f"{root}: not a library built by bench/gui.py --keep")
        info = json.loads((root / "bench-gui.json").read_text(encoding="utf-8"))
    else:
        if args.keep:
            root = Path(args.keep)
            if root.exists() and any(root.iterdir()):
                ap.error(f"{root}: not empty")
        else:
            tmp = Path(tempfile.mkdtemp(prefix="pizhu-bench-gui-"))
            root = tmp / "library"
        info = build(root, args.articles, args.highlights, use_shared=not args.no_shared)
    try:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        r = subprocess.run([sys.executable, __file__, "--measure-only", str(root)],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
        if r.returncode != 0:
            print(r.stderr[-3000:], file=sys.stderr)
            return 1
        result = json.loads(r.stdout.strip().splitlines()[-1])
        result.update({k: info[k] for k in ("import_s", "index_s", "build_s") if k in info})
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    targets = {"window_s": 1.0, "first_page_ms": None, "open_article_500_ms": 50,
               "add_highlight_ms": 30, "search_ms": 100, "recall_first_screen_ms": 150,
               "scroll_1000_ms": None, "library_all_ms": 150, "library_colour_ms": 150,
               "library_search_ms": 150, "library_select_all_ms": None,
               "library_scroll_1000_ms": None, "max_stall_ms": 16}
    print(f"Pizhu GUI benchmark: {result['articles']:,} articles, "
          f"{result['highlights']:,} highlights (offscreen)")
    print(f"{'measure':<26}{'value':>10}{'target':>10}{'stall ms':>10}")
    for key, target in targets.items():
        stall = result["stall_ms"].get(key.removesuffix("_ms"), "")
        print(f"{key:<26}{result[key]:>10}{'' if target is None else target:>10}{stall:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
