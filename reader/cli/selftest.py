"""``pizhu --self-test``: a quick end-to-end check of an installation (source tree or bundle).

It opens a library in a temporary folder, imports the bundled self-test sample (and the sample
library, when there is one), searches it, creates a highlight and reads it back (also after
reopening the library), then renders the main window offscreen to an image. One line per check;
exit status 0 when every check passed, 1 otherwise (the ``FAIL`` line names the check).
``PIZHU_SELFTEST_SHOT=FILE.png`` keeps the rendering of the window.

It never touches the user's library, settings or the system temp folder outside its own
temporary directory: ``PIZHU_HOME``, ``XDG_CONFIG_HOME``/``XDG_DATA_HOME``/``XDG_STATE_HOME``,
``XDG_RUNTIME_DIR`` (when unset) and ``TMPDIR`` point into that directory while it runs. jieba's
dictionary cache goes to the user cache folder when it is writable (so later starts are fast),
otherwise into the temporary directory too.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reader import __version__
from reader.core import paths as pathsmod

if TYPE_CHECKING:
    pass

SAMPLE = "selftest/selftest_wechat.json"
SAMPLE_ARTICLES = 2
SAMPLE_TITLE = "秋日银杏大道迎来观赏季"
SAMPLE_OTHER_TITLE = "社区图书角添置新书"
QUERY = "银杏"
HIGHLIGHT_QUOTE = "两旁的树叶由绿转黄"
NOTE = "自检笔记：秋色"
TAGS = ["自检", "selftest"]


class CheckFailed(Exception):
    pass


def _require(cond: object, message: str) -> None:
    if not cond:
        raise CheckFailed(message)


class _Runner:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.failed: list[str] = []
        self.t0 = time.perf_counter()

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def check(self, name: str, fn: Callable[[], str | None]) -> bool:
        """Run one check; a failing check stops the ones that depend on it (the caller's job)."""
        t = time.perf_counter()
        try:
            detail = fn()
        except CheckFailed as e:
            self.failed.append(name)
            self.say(f"FAIL {name}: {e}")
            return False
        except Exception as e:  # anything unexpected is a failure of this check, with a trace
            self.failed.append(name)
            self.say(f"FAIL {name}: {type(e).__name__}: {e}")
            traceback.print_exc(file=sys.stderr)
            return False
        ms = (time.perf_counter() - t) * 1000
        self.say(f"ok   {name}{': ' + detail if detail else ''} ({ms:.0f} ms)")
        return True


@contextlib.contextmanager
def _isolated_env(tmp: Path) -> Iterator[None]:
    """Point everything the app might write to at ``tmp``; restore the environment afterwards."""
    saved = dict(os.environ)
    saved_tempdir = tempfile.tempdir
    real_cache = pathsmod.cache_dir()
    try:
        for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                         ("XDG_STATE_HOME", "state"), ("TMPDIR", "tmp"), ("PIZHU_HOME", "home")):
            d = tmp / sub
            d.mkdir(parents=True, exist_ok=True)
            os.environ[var] = str(d)
        if not os.environ.get("XDG_RUNTIME_DIR"):
            run = tmp / "runtime"
            run.mkdir(mode=0o700, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(run)
        tempfile.tempdir = str(tmp / "tmp")
        if not saved.get("PIZHU_CACHE"):
            os.environ["PIZHU_CACHE"] = str(
                real_cache if _writable(real_cache) else tmp / "cache"
            )
        if not (saved.get("QT_QPA_PLATFORM") or "").strip():
            # never pop a window up on the user's screen: render offscreen
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        tempfile.tempdir = saved_tempdir


def _writable(d: Path) -> bool:
    try:
        d.mkdir(parents=True, exist_ok=True)
        probe = d / f".pizhu-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False


def _sample_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".md"
    )


def run_self_test() -> int:
    """Run every check; print a line per check; return 0 if all passed, else 1."""
    r = _Runner()
    frozen = bool(getattr(sys, "frozen", False))
    r.say(
        f"pizhu {__version__} self-test — Python {platform.python_version()}"
        f" ({'bundle' if frozen else 'source'}: {Path(sys.executable).resolve()})"
    )
    with tempfile.TemporaryDirectory(prefix="pizhu-selftest-") as tmpname:
        tmp = Path(tmpname)
        with _isolated_env(tmp):
            r.say(f"     temporary folder {tmp}; jieba cache {os.environ['PIZHU_CACHE']}")
            _run_checks(r, tmp)
    total = (time.perf_counter() - r.t0) * 1000
    if r.failed:
        r.say(f"self-test FAILED ({', '.join(r.failed)}) in {total:.0f} ms")
        return 1
    r.say(f"self-test passed in {total:.0f} ms")
    return 0


def _run_checks(r: _Runner, tmp: Path) -> None:
    from reader.core.library import Library

    res = pathsmod.resources_dir()
    sample = res / SAMPLE
    # PIZHU_SELFTEST_SHOT=FILE.png keeps the rendering of the main window for a look
    state: dict = {"shot": os.environ.get("PIZHU_SELFTEST_SHOT", "")}

    def resources() -> str:
        _require(res.is_dir(), f"{res}: resources folder missing")
        _require(sample.is_file(), f"{sample}: self-test sample missing")
        icon = res / "icons" / "pizhu.svg"
        _require(icon.is_file(), f"{icon}: application icon missing")
        return str(res)

    def dictionary() -> str:
        import jieba

        d = Path(jieba.__file__).parent / "dict.txt"
        _require(d.is_file() and d.stat().st_size > 1_000_000, f"{d}: jieba dictionary missing")
        return f"jieba dictionary {d.stat().st_size // 1024} KiB"

    def open_library() -> str:
        lib = Library.open(tmp / "library")
        state["lib"] = lib
        _require(lib.root.resolve().is_relative_to(tmp.resolve()), "library outside temp folder")
        return str(lib.root)

    def import_sample() -> str:
        lib = state["lib"]
        summary = lib.import_paths([sample])
        reasons = "; ".join(f.reason for f in summary.files if f.status == "failed")
        _require(summary.failed == 0, f"{sample.name}: {reasons}")
        added = summary.count("added")
        _require(added == SAMPLE_ARTICLES, f"{added} articles added, expected {SAMPLE_ARTICLES}")
        return f"{added} articles from {sample.name}"

    def import_samples_library() -> str:
        files = _sample_files(res / "samples")
        if not files:
            return "no sample library bundled (resources/samples is empty)"
        lib = state["lib"]
        summary = lib.import_paths(files)
        reasons = "; ".join(
            f"{Path(f.path).name}: {f.reason}" for f in summary.files if f.status == "failed"
        )
        _require(summary.failed == 0, reasons)
        _require(summary.count("added") > 0, "the sample library added no articles")
        return f"{summary.count('added')} articles from {len(files)} files in samples/"

    def search() -> str:
        lib = state["lib"]
        hits, total = lib.search(QUERY)
        titles = [h.article.title for h in hits]
        _require(SAMPLE_TITLE in titles, f"{QUERY!r} did not find “{SAMPLE_TITLE}” ({titles})")
        _require(SAMPLE_OTHER_TITLE not in titles, f"{QUERY!r} also found “{SAMPLE_OTHER_TITLE}”")
        state["article"] = next(h.article for h in hits if h.article.title == SAMPLE_TITLE)
        return f"{QUERY!r}: {total} hit(s)"

    def index_workers() -> str:
        # A rebuild big enough for worker processes: proves a frozen app can start them.
        from index import IndexDoc, SearchIndex, build

        n = build.PARALLEL_MIN_DOCS
        ix = SearchIndex(tmp / "workers-index", cache_dir=tmp / "workers-cache")
        try:
            docs = (IndexDoc(i, f"标题{i}", body=f"第{i}篇，京津冀协同发展。") for i in range(1, n + 1))
            _require(ix.rebuild(docs, total=n), "rebuild cancelled")
            found = ix.search("协同发展", limit=1).total
        finally:
            ix.close()
        _require(found == n, f"{found} of {n} articles found after the rebuild")
        _require(build.last_build_workers >= 2, "the index was built in one process")
        return f"{n} articles indexed by {build.last_build_workers} worker processes"

    def highlight() -> str:
        lib = state["lib"]
        art = lib.article(state["article"].id)
        start = art.body.find(HIGHLIGHT_QUOTE)
        _require(start >= 0, "the sample text lost its highlight passage")
        hl = lib.add_highlight(art.id, start, start + len(HIGHLIGHT_QUOTE), color="green",
                               note=NOTE, tags=TAGS)
        state["uuid"] = hl.uuid
        back = [h for h in lib.highlights(article_id=art.id) if h.uuid == hl.uuid]
        _require(back, "the new highlight is not in the article's highlights")
        h = back[0]
        _require(h.quote == HIGHLIGHT_QUOTE, f"quote read back as {h.quote!r}")
        _require(h.note == NOTE, f"note read back as {h.note!r}")
        _require(sorted(h.tags) == sorted(TAGS), f"tags read back as {h.tags!r}")
        _require(h.color == "green", f"colour read back as {h.color!r}")
        return f"“{h.quote}” [{h.color}] {' '.join('#' + t for t in h.tags)}"

    def note_searchable() -> str:
        lib = state["lib"]
        hits, _ = lib.search("秋色")
        _require(any(x.article.id == state["article"].id for x in hits),
                 "the highlight's note is not searchable")
        return "'秋色' finds the annotated article"

    def reopen() -> str:
        state.pop("lib").close()
        lib = Library.open(tmp / "library")
        state["lib"] = lib
        h = lib.highlight(state["uuid"])
        _require(h.quote == HIGHLIGHT_QUOTE and h.note == NOTE, "highlight changed on reopening")
        _require(lib.count_articles() >= SAMPLE_ARTICLES, "articles lost on reopening")
        return f"{lib.count_articles()} articles, highlight intact"

    def qt_plugins() -> str:
        from PySide6.QtCore import QLibraryInfo

        plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
        found = sorted(p.name for p in (plugins / "platforms").glob("*.so"))
        _require(found, f"{plugins}/platforms: no Qt platform plugins")
        if sys.platform.startswith("linux"):
            _require(any("xcb" in n for n in found), f"no X11 (xcb) platform plugin in {found}")
            _require(any("wayland" in n for n in found), f"no Wayland platform plugin in {found}")
        return ", ".join(n.removeprefix("libq").removesuffix(".so") for n in found)

    def window() -> str:
        from PySide6.QtGui import QFontDatabase, QImage

        from reader.ui.app import make_window

        app, w = make_window(state["lib"], tmp / "settings.ini")
        try:
            w.resize(1200, 800)
            w.show()
            if "article" in state:
                _require(w.open_article(state["article"].id, select=True),
                         "the window could not open the sample article")
            for _ in range(20):
                app.processEvents()
            img = w.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
            _require(not img.isNull() and img.width() >= 600 and img.height() >= 400,
                     f"window rendered as {img.width()}×{img.height()}")
            colours = {img.pixel(x, y) for x in range(0, img.width(), 7)
                       for y in range(0, img.height(), 7)}
            _require(len(colours) >= 8, f"window rendered nearly blank ({len(colours)} colours)")
            out = Path(state["shot"]) if state.get("shot") else tmp / "main-window.png"
            # PySide6's stubs say the format is bytes; the binding itself only takes a str
            saved = img.save(str(out), "PNG")  # type: ignore[call-overload]
            _require(saved, f"{out}: could not save the rendering")
        finally:
            w.close()  # saves its state into the temporary settings and stops its threads
            w.deleteLater()
            for _ in range(5):
                app.processEvents()
        cjk = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        font = f"CJK font: {cjk[0]}" if cjk else "WARNING: no Chinese font installed"
        return f"{img.width()}×{img.height()}, {len(colours)} colours; {font}"

    ok = r.check("resources", resources)
    r.check("jieba dictionary", dictionary)
    if ok and r.check("open temporary library", open_library):
        try:
            if r.check("import sample", import_sample):
                r.check("import sample library", import_samples_library)
                if r.check("search", search) and r.check("highlight", highlight):
                    r.check("note searchable", note_searchable)
                    r.check("reopen library", reopen)
            r.check("index worker processes", index_workers)
            r.check("qt plugins", qt_plugins)
            r.check("render main window", window)
        finally:
            lib = state.pop("lib", None)
            if lib is not None:
                lib.close()
