"""Render the annotation widgets (highlight editor, annotations panel, recall view, sidebar) to
PNG files, offscreen, so they can be looked at without a display.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/render_annotations.py [OUT_DIR] [--lang zh_CN]
        [--qm FILE.qm]

Builds a throw-away library from a few fixture articles written here.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ARTICLES = [
    ("城市更新的三道难题",
     "老旧小区改造牵动千家万户，资金从哪里来是首要问题。\n"
     "居民意见不一，加装电梯往往卡在低层住户的顾虑上。\n"
     "规划部门提出“微更新”思路，以小投入换取大改善。\n"
     "专家认为，长效管理机制比一次性投入更重要。"),
    ("乡村振兴中的数字经济",
     "电商直播让山区的农产品走出大山，也带来了品控的新挑战。\n"
     "县里建起冷链仓储中心，物流成本下降了三成。\n"
     "年轻人返乡创业，正在改变村庄的人口结构。"),
]


def settle(app) -> None:
    """Let posted layout requests and zero-delay timers run (layouts settle in a few rounds)."""
    for _ in range(5):
        app.processEvents()


def main() -> int:
    args = [a for i, a in enumerate(sys.argv[1:], 1)
            if not a.startswith("--") and sys.argv[i - 1] not in ("--lang", "--qm")]
    out = Path(args[0] if args else "/tmp/pizhu-annotations-png")
    out.mkdir(parents=True, exist_ok=True)
    lang = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else ""

    from PySide6.QtCore import QLocale
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    if "--qm" in sys.argv:  # a translation file of one's own, e.g. while translating
        from PySide6.QtCore import QTranslator

        extra = QTranslator(app)
        if extra.load(sys.argv[sys.argv.index("--qm") + 1]):
            app.installTranslator(extra)
    try:
        from reader.ui import i18n

        i18n.install_translators(app, QLocale(lang) if lang else QLocale("en_US"))
    except Exception as e:  # translations are optional here
        print("no translations:", e)
    try:
        from reader.ui import theme as themes
    except ImportError:
        themes = None

    from reader.core.library import Library
    from reader.ui.annotations_panel import AnnotationsPanel
    from reader.ui.highlight_editor import HighlightEditor
    from reader.ui.recall_view import RecallView
    from reader.ui.sidebar import Sidebar
    from reader.ui.tasks import LibrarySignals, LibraryWorker

    tmp = Path(tempfile.mkdtemp(prefix="pizhu-render-"))
    lib = Library.open(tmp / "lib")
    ids = []
    for n, (title, body) in enumerate(ARTICLES):
        p = tmp / f"a{n}.txt"
        p.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        lib.import_paths([p])
        ids.append(max(a.id for a in lib.articles()))

    def hl(aid, quote, **kw):
        body = lib.article(aid).body
        s = body.index(quote)
        return lib.add_highlight(aid, s, s + len(quote), **kw)

    a, b = ids
    h1 = hl(a, "老旧小区改造牵动千家万户，资金从哪里来是首要问题", tags=["住房", "财政"],
            note="资金来源：中央补助、地方配套、居民出资三块，比例各地不同。")
    hl(a, "加装电梯往往卡在低层住户的顾虑上", color="green", tags=["住房"])
    hl(a, "微更新", color="blue", note="Small-scale renewal — worth comparing with Shanghai.")
    orphan = hl(a, "长效管理机制比一次性投入更重要", color="pink", note="后续跟进物业费")
    hl(b, "物流成本下降了三成", color="orange", tags=["数据", "乡村"], note="三成：需核实口径")
    hl(b, "年轻人返乡创业", color="purple", tags=["乡村", "人口"])
    # make one orphan: the article's sentence is rewritten in a new version
    p0 = tmp / "a0.txt"
    p0.write_text(p0.read_text(encoding="utf-8").replace(
        "长效管理机制比一次性投入更重要", "管理要跟上"), encoding="utf-8")
    lib.import_paths([p0])
    assert lib.highlight(orphan.uuid).orphan

    signals = LibrarySignals(lib)
    worker = LibraryWorker(lib)
    for theme_name in ("light", "dark", "sepia"):
        if themes is not None:
            themes.apply_theme(themes.THEMES[theme_name], app)
        elif theme_name != "light":
            continue
        suffix = f"{theme_name}{'-' + lang if lang else ''}"

        editor = HighlightEditor(lib, worker, signals, QUndoStack())
        editor.edit(h1.uuid)
        editor.resize(360, 280)
        editor.show()
        settle(app)
        editor.grab().save(str(out / f"editor-{suffix}.png"))

        panel = AnnotationsPanel(lib, worker, signals)
        panel.set_article(a)
        panel.resize(380, 760)
        panel.show()
        settle(app)
        panel.grab().save(str(out / f"panel-{suffix}.png"))

        recall = RecallView(lib, worker, signals)
        recall.show_tags(["住房", "乡村"], any_tag=True)
        recall.resize(720, 640)
        recall.show()
        settle(app)
        recall.view.setCurrentIndex(recall.model.index(1, 0))
        settle(app)
        recall.grab().save(str(out / f"recall-{suffix}.png"))

        sidebar = Sidebar(lib, signals)
        sidebar.resize(240, 520)
        sidebar.show()
        sidebar.select_tags(["住房"])
        settle(app)
        sidebar.grab().save(str(out / f"sidebar-{suffix}.png"))
        for w in (editor, panel, recall, sidebar):
            w.close()
            w.deleteLater()
        settle(app)
    worker.stop()
    lib.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
