"""Small widget factories the dialogs share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget


def heading_label(parent: QWidget) -> QLabel:
    """A dialog's heading: plain text (never markup from an article), wrapped, a little larger."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
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
