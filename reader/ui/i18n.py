"""Interface language: Qt translation files chosen by the system locale (or $PIZHU_LANG).

English is the source language; ``resources/translations/pizhu_zh_CN.qm`` holds Chinese. Qt's own
strings (standard buttons, dialogs) come from Qt's ``qtbase_*.qm``.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from reader.core import paths

_installed: list[QTranslator] = []


def translations_dir() -> str:
    return str(paths.resources_dir() / "translations")


def ui_locale() -> QLocale:
    """The locale whose translation to use: $PIZHU_LANG (e.g. ``zh_CN``, ``en``) or the system's."""
    forced = os.environ.get("PIZHU_LANG", "").strip()
    return QLocale(forced) if forced else QLocale.system()


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> str:
    """Load and install the translators for ``locale``; returns the language code used
    ('zh_CN', or 'en' when no translation applies)."""
    remove_translators(app)
    locale = locale or ui_locale()
    if locale.language() != QLocale.Language.Chinese:
        plurals = QTranslator(app)  # English source text, with English plural forms
        if plurals.load("pizhu_en", translations_dir()):
            app.installTranslator(plurals)
            _installed.append(plurals)
        return "en"
    ours = QTranslator(app)
    found = ours.load(locale, "pizhu", "_", translations_dir()) or ours.load(
        "pizhu_zh_CN", translations_dir())
    if not found:
        return "en"
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return "zh_CN"


def remove_translators(app: QCoreApplication) -> None:
    while _installed:
        app.removeTranslator(_installed.pop())


def tr(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate a string outside a QObject method (module-level tables of labels)."""
    return QCoreApplication.translate(context, text, disambiguation, n)
