"""The interface in Chinese and English: the translation file is complete and current, the
compiled file loads, the window follows the chosen locale."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gui_support import (
    QT_LOG_IGNORE,
    close_window,
    # noqa: F401  (fixture)
    open_window,
    sample_lib,  # noqa: F401  (fixture)
    settings_file,  # noqa: F401  (fixture)
)
from PySide6.QtCore import QCoreApplication, QLocale

from reader.ui import i18n

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "pizhu_zh_CN.ts"
QM = TS.with_suffix(".qm")


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source"))] = msg
    return out


def test_every_string_has_a_chinese_translation():
    msgs = _messages(TS)
    assert len(msgs) > 150
    bad = []
    for key, msg in msgs.items():
        tr = msg.find("translation")
        text = "".join(tr.itertext()).strip()
        if tr.get("type") in ("unfinished", "obsolete", "vanished") or not text:
            bad.append(key)
        # placeholders survive translation
        for ph in ("{title}", "{name}", "{total}", "{color}", "%n", "%1", "{reason}"):
            if ph in key[1] and ph not in text:
                bad.append((key, ph))
    assert bad == []


def test_translation_file_is_current_with_the_sources(tmp_path):
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists() and not shutil.which("pyside6-lupdate"):
        pytest.skip("pyside6-lupdate is not installed")
    out = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "reader" / "ui").glob("*.py"))
    subprocess.run(
        [str(lupdate) if lupdate.exists() else "pyside6-lupdate", "-no-obsolete",
         "-locations", "none", *sources, "-ts", str(out)],
        check=True, capture_output=True,
    )
    fresh = set(_messages(out))
    committed = set(_messages(TS))
    assert fresh - committed == set(), "run lupdate and translate the new strings"


def test_compiled_translation_is_there_and_newer():
    assert QM.is_file()
    assert QM.stat().st_size > 1000


def test_window_in_chinese(qtbot, sample_lib, settings_file):  # noqa: F811
    app = QCoreApplication.instance()
    assert i18n.install_translators(app, QLocale("zh_CN")) == "zh_CN"
    try:
        w = open_window(qtbot, sample_lib, settings_file)
        menus = [a.text() for a in w.menuBar().actions()]
        assert menus[0] == "文件(&F)" and "帮助(&H)" in menus
        assert w.tabs.tabText(0) == "文章"
        assert "篇文章" in w.list_pane.count.text()
        assert w.search_panel.field.placeholderText().startswith("搜索文库")
        assert w.act_merge.text() == "与上一篇合并(&M)"
        # Qt's own strings come from Qt's Chinese translation
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        close_window(w)
    finally:
        i18n.remove_translators(app)
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_english_plurals():
    app = QCoreApplication.instance()
    assert i18n.install_translators(app, QLocale("en_GB")) == "en"
    try:
        t = QCoreApplication.translate
        assert t("ArticleListPane", "%n article(s)", None, 1) == "1 article"
        assert t("ArticleListPane", "%n article(s)", None, 3) == "3 articles"
    finally:
        i18n.remove_translators(app)


def test_pizhu_lang_overrides_the_system_locale(monkeypatch):
    monkeypatch.setenv("PIZHU_LANG", "zh_CN")
    assert i18n.ui_locale().language() == QLocale.Language.Chinese
    monkeypatch.setenv("PIZHU_LANG", "en")
    assert i18n.ui_locale().language() == QLocale.Language.English
