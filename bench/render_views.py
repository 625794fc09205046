"""Render the main views of the Pizhu window to PNG files, without a display.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/render_views.py OUT_DIR [--lang zh_CN|en]

Builds a throw-away library from resources/samples (plus a few highlights, notes and tags) in a
temporary folder and writes: empty.png, library.png, search.png, recall.png, dark.png,
sepia.png, dark-search.png, find.png, selection.png, shortcuts.png, import.png. Settings go to the temporary
folder too, so nothing of the user's is read or changed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PIZHU_CACHE", str(Path(tempfile.gettempdir()) / "pizhu-render-cache"))

from PySide6.QtCore import QEventLoop, QLocale, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

SIZE = (1440, 900)


def wait(signal, timeout_ms: int = 30000) -> None:  # noqa: ANN001
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def settle(ms: int = 60) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, out: Path, name: str) -> Path:
    settle()
    path = out / name
    widget.grab().save(str(path))
    print(path)
    return path


def seed(lib) -> None:  # noqa: ANN001
    """Highlights with colours, notes and tags on the sample articles."""
    from reader.core.library import ArticleFilter

    arts = {a.title: a for a in lib.articles(ArticleFilter(), limit=None)}

    def mark(title_part: str, quote: str, color: str, note: str = "", tags=()) -> None:  # noqa: ANN001
        art = next(a for t, a in arts.items() if title_part in t)
        body = lib.article(art.id).body
        i = body.find(quote)
        if i >= 0:
            lib.add_highlight(art.id, i, i + len(quote), color=color, note=note, tags=tags)

    mark("修表匠", "修表急不得", "yellow", "手艺人的耐心", ["手艺", "人物"])
    mark("修表匠", "他修的不只是表，也是一家人的记忆", "pink", "可作为结尾引语", ["人物"])
    mark("修表匠", "慢一点，准一点", "green", "", ["手艺"])
    mark("修表匠", "一个齿轮装歪了，整块表就走不准", "blue")
    mark("图书馆", "我们希望把灯留得久一点", "orange", "标题备选", ["公共服务"])
    mark("图书馆", "夜读小讲堂", "purple", "", ["活动"])
    mark("二号线", "从大学城到高铁站的时间将由现在的一个小时缩短到三十五分钟左右", "yellow",
         "通勤时间减半", ["交通", "数据"])
    mark("食堂", "浪费明显减少", "green", "", ["公共服务", "数据"])


def start(argv: list[str] | None, description: str) -> tuple[Path, Path, QApplication]:
    """Parse ``OUT [--lang L]``; make OUT and a temporary folder; an application with Pizhu's
    translations and font. Returns (out, tmp, app)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("out", type=Path)
    ap.add_argument("--lang", default="zh_CN")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="pizhu-render-"))

    from reader.ui import i18n
    from reader.ui.main_window import install_app_font

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("PizhuRender")
    app.setApplicationName("PizhuRender")
    i18n.install_translators(app, QLocale(args.lang))
    install_app_font(app)
    return out, tmp, app  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    out, tmp, app = start(argv, __doc__.splitlines()[0])

    from reader.core.library import Library
    from reader.ui.main_window import MainWindow, samples_dir

    def settings(name: str) -> QSettings:
        s = QSettings(str(tmp / f"{name}.ini"), QSettings.Format.IniFormat)
        s.setValue("view/theme", "light")
        return s

    # 1. the empty state
    empty_lib = Library.open(tmp / "empty")
    w = MainWindow(empty_lib, settings=settings("empty"))
    w.resize(*SIZE)
    w.show()
    save(w, out, "empty.png")
    w.close()
    empty_lib.close()

    # 2. a library with highlights
    lib = Library.open(tmp / "lib")
    lib.import_paths([samples_dir()])
    seed(lib)
    s = settings("main")
    w = MainWindow(lib, settings=s)
    w.resize(*SIZE)
    w.show()
    target = next(a for a in lib.articles() if "修表匠" in a.title)
    w.open_article(target.id, select=True)
    save(w, out, "library.png")

    # selection toolbar
    body = w.reader.article.body or ""
    i = body.find("铺子里最显眼的")
    w.reader.select_range(i, i + 20)
    w.reader._show_toolbar()
    save(w, out, "selection.png")
    w.reader.select_range(0, 0)
    w.reader.toolbar.hide()

    # find in article
    w.reader.open_find()
    w.reader.find_bar.field.setText("表")
    save(w, out, "find.png")
    w.reader.close_find()

    # 3. search
    w.focus_search()
    w.search_panel.field.setText("滨河 图书馆")
    w.search_panel.run_query()
    wait(w.search_panel.results_ready)
    if w.search_panel.hits:
        w.search_panel.open_row(0)
        wait(w.runner.finished_request, 10000)
    save(w, out, "search.png")

    # 4. recall by tag
    w.show_tab(2)
    recall = w.recall
    for name in ("set_tags", "show_tags"):
        fn = getattr(recall, name, None)
        if callable(fn):
            try:
                fn(["手艺"])
            except TypeError:
                pass
            break
    save(w, out, "recall.png")

    # 5. dark and sepia
    w.show_tab(0)
    w.set_theme("dark")
    save(w, out, "dark.png")
    w.show_tab(1)
    save(w, out, "dark-search.png")
    w.show_tab(0)
    w.set_theme("sepia")
    save(w, out, "sepia.png")
    w.set_theme("light")

    # shortcuts dialog
    dlg = w.show_shortcuts()
    dlg.resize(560, 720)
    save(dlg, out, "shortcuts.png")
    dlg.close()

    # import report
    imp = w.start_import([samples_dir(), tmp / "missing.txt"])
    if imp is not None:
        wait(imp.import_finished)
        save(imp, out, "import.png")
        imp.close()

    w.close()
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
