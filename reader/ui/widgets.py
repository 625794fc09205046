"""Small widget factories the dialogs share, and the helpers that show user or imported text
(titles, notes, tags, quotes, sources, file names, error reasons) as plain text.

Qt renders a label, tooltip or message box text that merely *looks* like HTML
(``Qt.mightBeRichText``: a known tag or an entity anywhere in the first line) as HTML: a note
``<img src="/dev/zero">`` arriving in an annotation file made the reader's hover tooltip read
/dev/zero until the app died (std::bad_alloc); local images loaded, links showed. So every such
text goes through :func:`plain_tooltip`, :func:`set_plain`/:func:`text_label` or
:func:`message_box`; ``tests/test_adversarial_ui_plain_text.py`` scans the whole window.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace  # holds mightBeRichText
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QWidget

TOOLTIP_CHARS = 2000  # a tooltip shows a note, not a book: longer ones end in "…"


def plain_tooltip(text: str, limit: int = TOOLTIP_CHARS) -> str:
    """``text`` as a tooltip that shows it literally. Tooltips have no text format of their
    own: text Qt would take for HTML is escaped and wrapped (it then also word-wraps); other
    text is returned as it is, so that ordinary tooltips stay plain strings."""
    if len(text) > limit:
        text = text[:limit] + "…"
    if not _might_be_rich(text):
        return text
    return '<p style="white-space:pre-wrap">' + html.escape(text, quote=False) + "</p>"


def _might_be_rich(text: str) -> bool:
    # Qt.mightBeRichText looks at the first line only; a tooltip may be shown whole, so any line
    return any(QtGuiNamespace.mightBeRichText(line) for line in text.split("\n"))


def set_plain(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` literally (never as HTML)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)


def text_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows its text literally — for anything built from user or imported text."""
    label = QLabel(parent)
    set_plain(label, text)
    return label


def message_box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox:
    """A message box whose text is plain (QMessageBox's static helpers use AutoText, so an
    error naming a file ``<img src=…>.txt`` would be rendered). The caller shows it
    (``exec()`` or ``open()``)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box


def show_message(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox.StandardButton:
    """:func:`message_box`, run modally; the button pressed."""
    return QMessageBox.StandardButton(message_box(parent, icon, title, text, buttons,
                                                  default).exec())


def heading_label(parent: QWidget) -> QLabel:
    """A dialog's heading: plain text (never markup from an article), wrapped, a little larger."""
    label = text_label("", parent)
    label.setWordWrap(True)
    f = label.font()
    f.setPointSizeF(f.pointSizeF() * 1.15)
    label.setFont(f)
    return label


def busy_bar(parent: QWidget) -> QProgressBar:
    """An indeterminate progress bar (give it a range once the amount of work is known)."""
    bar = QProgressBar(parent)
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    return bar
