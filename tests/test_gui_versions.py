"""Article → Version history: the versions of a re-imported article, newest first, with when
and why; what each version changed, marked as deleted and inserted; comparing with the current
text; the whole text; article text shown as text, never as markup."""

from __future__ import annotations

import json

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    settings_file,  # noqa: F401  (fixture)
)

from reader.ui.versions_dialog import VersionsDialog, reason_label

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

V1 = ("第一段：旧城改造启动，首批涉及十二个小区。\n"
      "第二段：资金由市区两级财政共同承担。\n"
      "第三段：<b>居民</b>可在社区服务中心咨询。")
V2 = ("第一段：旧城改造启动，首批涉及十五个小区。\n"
      "第二段：资金由市区两级财政共同承担。\n"
      "第三段：<b>居民</b>可在社区服务中心咨询。")
V3 = ("第一段：旧城改造启动，首批涉及十五个小区。\n"
      "第二段：资金由市区两级财政和社会资本共同承担。\n"
      "第三段：<b>居民</b>可在社区服务中心咨询。\n"
      "第四段：工程预计明年完工。")


def _wechat(path, body: str) -> None:  # noqa: ANN001
    path.write_text(json.dumps([{
        "文章标识符aid": "5501_1", "标题title": "旧城改造启动", "时间time": "2026-02-10",
        "公众号名称": "城建简报", "finalContent": body,
    }], ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def versioned(lib, tmp_path):  # noqa: F811
    for i, body in enumerate((V1, V2, V3), 1):
        f = tmp_path / f"v{i}.json"
        _wechat(f, body)
        assert lib.import_paths([f]).files[0].status == ("added" if i == 1 else "updated")
    aid = lib.articles()[0].id
    return lib, aid


def _open_dialog(qtbot, w, aid: int) -> VersionsDialog:  # noqa: ANN001
    w.open_article(aid, select=True)
    dlg = w.show_versions()
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.last_result is not None, timeout=20000)
    return dlg


def _choose(qtbot, dlg: VersionsDialog, number: int) -> None:  # noqa: ANN001
    with qtbot.waitSignal(dlg.diff_shown, timeout=20000,
                          check_params_cb=lambda n: n == number or number == 1):
        assert dlg.select_version(number)


def test_versions_listed_newest_first_with_when_why_and_size(qtbot, versioned, settings_file):  # noqa: F811
    lib_, aid = versioned
    w = open_window(qtbot, lib_, settings_file)
    dlg = _open_dialog(qtbot, w, aid)
    assert "旧城改造启动" in dlg.heading.text()
    rows = [[dlg.list.topLevelItem(i).text(c) for c in range(4)]
            for i in range(dlg.list.topLevelItemCount())]
    assert [r[0] for r in rows] == ["3 (current)", "2", "1"]
    assert rows[0][2] == "re-imported from v3.json" and rows[1][2] == "re-imported from v2.json"
    assert rows[2][2] == "first imported"
    assert [int(r[3].replace(",", "")) for r in rows] == [len(V3), len(V2), len(V1)]
    assert all(len(r[1]) == 16 and r[1][4] == "-" for r in rows)  # local YYYY-MM-DD HH:MM
    assert dlg.current_version() == 3
    close_window(w)


def test_a_version_shows_what_it_changed(qtbot, versioned, settings_file):  # noqa: F811
    lib_, aid = versioned
    w = open_window(qtbot, lib_, settings_file)
    dlg = _open_dialog(qtbot, w, aid)
    # the current version (chosen at first): what the last re-import changed
    marked = dlg.marked()
    assert "".join(marked["inserted"]).count("社会资本") == 1
    assert "工程预计明年完工" in "".join(marked["inserted"])
    assert marked["deleted"] == []
    assert "2 → 3" in dlg.summary.text() and "places changed: 2" in dlg.summary.text()
    inserted = len("和社会资本") + len("\n第四段：工程预计明年完工。")
    assert f"deleted: 0, inserted: {inserted}" in dlg.summary.text()
    text = dlg.shown_text()
    assert "Line 2" in text  # the two changes are close: one place shown, with its context
    assert "资金由市区两级财政" in text  # context around the change
    # version 2: 十二 → 十五
    _choose(qtbot, dlg, 2)
    marked = dlg.marked()
    assert "".join(marked["deleted"]) == "二" and "".join(marked["inserted"]) == "五"
    assert "1 → 2" in dlg.summary.text()
    # colours: red behind deletions, green behind insertions
    fmt = _format_of(dlg, "二")
    assert fmt.fontStrikeOut() and fmt.background().color().red() > fmt.background().color().green()
    fmt = _format_of(dlg, "五")
    assert fmt.fontUnderline() and fmt.background().color().green() > fmt.background().color().red()
    close_window(w)


def _format_of(dlg: VersionsDialog, fragment_text: str):  # noqa: ANN202
    block = dlg.view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.text() == fragment_text:
                return frag.charFormat()
            it += 1
        block = block.next()
    raise AssertionError(f"{fragment_text!r} not shown")


def test_first_version_compare_with_current_and_whole_text(qtbot, versioned, settings_file):  # noqa: F811
    lib_, aid = versioned
    w = open_window(qtbot, lib_, settings_file)
    dlg = _open_dialog(qtbot, w, aid)
    _choose(qtbot, dlg, 1)
    assert "first imported" in dlg.summary.text()
    assert dlg.marked() == {"deleted": [], "inserted": []}
    with qtbot.waitSignal(dlg.diff_shown, timeout=20000):
        dlg.whole_text.setChecked(True)
    assert dlg.shown_text().strip() == V1
    assert "<b>居民</b>" in dlg.shown_text()  # article text is text, never markup
    # version 1 against today's text: every change since
    with qtbot.waitSignal(dlg.diff_shown, timeout=20000, check_params_cb=lambda n: n == 3):
        dlg.compare_current.setChecked(True)
    marked = dlg.marked()
    assert "二" in "".join(marked["deleted"])
    inserted = "".join(marked["inserted"])
    assert "五" in inserted and "社会资本" in inserted and "工程预计明年完工" in inserted
    assert "1 → 3" in dlg.summary.text()
    # the whole text holds the unchanged parts too, once each
    assert dlg.shown_text().count("可在社区服务中心咨询") == 1
    with qtbot.waitSignal(dlg.diff_shown, timeout=20000):
        dlg.whole_text.setChecked(False)
    assert "Line 1" in dlg.shown_text()
    close_window(w)


def test_an_article_with_one_version(qtbot, lib, settings_file, tmp_path):  # noqa: F811
    f = tmp_path / "one.txt"
    f.write_text("只有一个版本\n\n正文只有一段。\n", encoding="utf-8")
    lib.import_paths([f])
    w = open_window(qtbot, lib, settings_file)
    dlg = _open_dialog(qtbot, w, lib.articles()[0].id)
    assert dlg.list.topLevelItemCount() == 1
    assert "only ever had one text" in dlg.hint.text()
    assert not dlg.compare_current.isEnabled()
    close_window(w)


def test_version_history_action_and_menu(qtbot, versioned, settings_file):  # noqa: F811
    lib_, aid = versioned
    w = open_window(qtbot, lib_, settings_file)
    w.open_article(aid, select=True)
    assert w.act_versions.isEnabled()
    article_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Article")
    assert w.act_versions in article_menu.actions()
    w.act_versions.trigger()
    dlg = w.versions_dialog
    assert dlg is not None and dlg.isVisible() and dlg.article_id == aid
    qtbot.waitUntil(lambda: dlg.last_result is not None, timeout=20000)
    dlg.close()
    close_window(w)


def test_reasons_are_translated_labels():
    assert reason_label("re-imported from a.json") == "re-imported from a.json"
    assert reason_label("merged with “前文”") == "merged with “前文”"
    assert reason_label("split") == "split off its end as a new article"
    assert reason_label("something else") == "something else"
