"""Render the dialogs of issue 4 (and the orphan badge) to PNG files, without a display.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/render_dialogs.py OUT_DIR [--lang zh_CN|en]

Builds a throw-away library from resources/samples in a temporary folder, re-imports one
article in a corrected version (so it has versions and an orphaned highlight) and writes:
orphans.png (the window: list badge and orphan list), versions.png, versions-whole.png,
versions-dark.png, export.png, export-done.png, import-annotations.png, backup.png,
restore.png. Settings go to the temporary folder; nothing of the user's is read or changed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("PIZHU_CACHE", str(Path(tempfile.gettempdir()) / "pizhu-render-cache"))

from PySide6.QtCore import QSettings  # noqa: E402
from render_views import SIZE, save, seed, start, wait  # noqa: E402

OLD = ("市区今年将完成二十个老旧小区改造，首批涉及十二个小区，资金由市区两级财政共同承担。\n"
       "改造内容包括加装电梯、更换管网和整治停车，加装电梯往往卡在低层住户的顾虑上。\n"
       "居民可在社区服务中心咨询具体方案，也可以通过“滨河发布”公众号留言。\n"
       "工程预计年底前全部开工。")
NEW = ("市区今年将完成二十个老旧小区改造，首批涉及十五个小区，资金由市区两级财政和社会资本共同承担。\n"
       "改造内容包括加装电梯、更换管网和整治停车，方案几经讨论终于通过。\n"
       "居民可在社区服务中心咨询具体方案，也可以通过“滨河发布”公众号留言。\n"
       "工程预计年底前全部开工，明年夏天完工。")


def _wechat(path: Path, body: str) -> None:
    path.write_text(json.dumps([{
        "文章标识符aid": "9901_1", "标题title": "老旧小区改造方案公布", "时间time": "2026-03-14",
        "公众号名称": "滨河发布", "finalContent": body,
    }], ensure_ascii=False), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    out, tmp, app = start(argv, __doc__.splitlines()[0])

    from reader.core.library import Library
    from reader.ui.export_dialog import SCOPE_TAGS
    from reader.ui.main_window import MainWindow, samples_dir

    s = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    s.setValue("view/theme", "light")
    s.setValue("export/dir", str(tmp / "exports"))
    (tmp / "exports").mkdir()

    lib = Library.open(tmp / "lib")
    lib.import_paths([samples_dir()])
    seed(lib)
    f = tmp / "v1.json"
    _wechat(f, OLD)
    lib.import_paths([f])
    aid = next(a.id for a in lib.articles() if a.title == "老旧小区改造方案公布")
    body = lib.article(aid).body
    for quote, note, tags in (("加装电梯往往卡在低层住户的顾虑上", "低层住户的顾虑值得单独追踪", ["电梯"]),
                              ("首批涉及十二个小区", "", ["数据"]),
                              ("资金由市区两级财政共同承担", "资金来源", ["数据"])):
        i = body.index(quote)
        lib.add_highlight(aid, i, i + len(quote), note=note, tags=tags)
    f2 = tmp / "v2.json"
    _wechat(f2, NEW)
    lib.import_paths([f2])

    w = MainWindow(lib, settings=s)
    w.resize(*SIZE)
    w.show()
    w.open_article(aid, select=True)
    save(w, out, "orphans.png")

    # version history
    dlg = w.show_versions()
    wait(dlg.diff_shown)
    save(dlg, out, "versions.png")
    dlg.whole_text.setChecked(True)
    wait(dlg.diff_shown)
    save(dlg, out, "versions-whole.png")
    dlg.close()
    w.set_theme("dark")
    dlg = w.show_versions()
    wait(dlg.diff_shown)
    save(dlg, out, "versions-dark.png")
    dlg.close()
    w.set_theme("light")

    # export
    w.recall_tags(["数据"])
    w.show_tab(0)
    exp = w.export_annotations()
    exp.set_scope(SCOPE_TAGS)
    save(exp, out, "export.png")
    exp.export_to(exp.path_edit.text())
    wait(exp.export_finished)
    save(exp, out, "export-done.png")
    json_out = tmp / "exports" / "all.json"
    exp.set_format("json")
    exp.set_scope(3)
    exp.export_to(json_out)
    wait(exp.export_finished)
    exp.close()

    # import annotations (one of them for an article this library does not have)
    data = json.loads(json_out.read_text(encoding="utf-8"))
    items = data.get("items") or data.get("first", {}).get("items", [])
    if items:
        stranger = json.loads(json.dumps(items[0]))
        stranger["id"] = "urn:uuid:6f1c7f4e-31b2-4b7e-9d1e-0c1a2b3c4d5e"
        stranger["target"]["source"] = "pizhu://article/11111111-1111-4111-8111-111111111111"
        stranger["target"]["pizhu:article"] = {"title": "本文库没有的文章"}
        items.append(stranger)
    json_out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    imp = w.start_annotation_import(str(json_out))
    wait(imp.import_finished)
    save(imp, out, "import-annotations.png")
    imp.close()

    # backup and restore
    bk = w.start_backup(str(tmp / "exports" / "pizhu-backup.zip"))
    wait(bk.finished_work)
    save(bk, out, "backup.png")
    bk.close()
    rs = w.start_restore(str(tmp / "exports" / "pizhu-backup.zip"), str(tmp / "restored"))
    wait(rs.finished_work, 60000)
    save(rs, out, "restore.png")
    rs.close()

    w.close()
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
