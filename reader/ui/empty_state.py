"""The first thing a new user sees: a welcome, an Import button and a sample library."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from reader.core import paths


def app_icon() -> QIcon:
    return QIcon(str(paths.resources_dir() / "icons" / "pizhu.svg"))


class EmptyState(QWidget):
    import_files = Signal()
    import_folder = Signal()
    load_samples = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        icon = QLabel(self)
        icon.setPixmap(app_icon().pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(self.tr("Welcome to Pizhu 批注"), self)
        title.setObjectName("emptyTitle")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.9)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(self.tr(
            "A quiet place to read Chinese news, highlight what matters, and find it again.\n"
            "Your library is empty — import WeChat exports, newspaper pages or plain text files."
        ), self)
        text.setObjectName("emptyText")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tf = text.font()
        tf.setPointSizeF(tf.pointSizeF() * 1.12)
        text.setFont(tf)
        self.import_button = QPushButton(self.tr("Import files…"), self)
        self.import_button.setObjectName("primary")
        self.folder_button = QPushButton(self.tr("Import a folder…"), self)
        self.folder_button.setObjectName("secondary")
        self.sample_button = QPushButton(self.tr("Load the sample library"), self)
        self.sample_button.setObjectName("secondary")
        for b in (self.import_button, self.folder_button, self.sample_button):
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.setMinimumHeight(38)
        self.import_button.clicked.connect(self.import_files)
        self.folder_button.clicked.connect(self.import_folder)
        self.sample_button.clicked.connect(self.load_samples)
        hint = QLabel(self.tr(
            "You can also drop files or folders anywhere on this window. "
            "Everything stays on this computer."
        ), self)
        hint.setObjectName("emptyText")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        column = QWidget(self)
        column.setFixedWidth(640)
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(18)
        col.addWidget(icon)
        col.addWidget(title)
        col.addWidget(text)
        col.addSpacing(10)
        col.addLayout(buttons)
        col.addSpacing(6)
        col.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 48, 48, 48)
        outer.addStretch(2)
        outer.addLayout(row)
        outer.addStretch(3)
