"""The export dialog's template choice (issue 17): the built-in Markdown layout, a Jinja2 preset
(plain; Obsidian / Logseq with front matter, #tags and callouts) or the user's own template file,
and "only what changed since the last export into that folder".

A template writes one file per article into a folder (a notes vault) and updates those files
in place on the next export (reader.core.exporters.templated)."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

NONE, PLAIN, OBSIDIAN, FILE = "", "plain", "obsidian", "file"


class TemplateChooser(QWidget):
    """``changed()`` when the choice changes. :meth:`template` is what
    ``export_vault(…, template=…)`` takes (a preset's name or a file's path), '' for none."""

    changed = Signal()

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.combo = QComboBox(self)
        self.combo.addItem(self.tr("None — Pizhu's own layout"), NONE)
        self.combo.addItem(self.tr("Plain — headings, quotes and notes"), PLAIN)
        self.combo.addItem(self.tr("Obsidian / Logseq — front matter, #tags, a callout per "
                                   "highlight"), OBSIDIAN)
        self.combo.addItem(self.tr("My own template file (Jinja2)"), FILE)
        self.combo.setAccessibleName(self.tr("Template"))
        self.combo.setToolTip(self.tr("A template writes one file per article into a folder "
                                      "and updates those files on the next export; text you add "
                                      "outside Pizhu's marked block is kept"))
        self.file_edit = QLineEdit(self)
        self.file_edit.setPlaceholderText(self.tr("Template file"))
        self.file_edit.setText(str(settings.value("export/template_file", "") or ""))
        self.file_button = QPushButton(self.tr("Choose…"), self)
        self.file_button.clicked.connect(self.choose_file)
        self.since_last = QCheckBox(self.tr("Only articles whose highlights changed since the "
                                            "last export into that folder"), self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.file_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.combo)
        lay.addLayout(row)
        lay.addWidget(self.since_last)
        i = self.combo.findData(str(settings.value("export/template", NONE) or NONE))
        self.combo.setCurrentIndex(max(i, 0))
        self.combo.currentIndexChanged.connect(lambda _i: self._update())
        self.file_edit.textChanged.connect(lambda _t: self.changed.emit())
        self._update(emit=False)

    def choice(self) -> str:
        return str(self.combo.currentData())

    def set_choice(self, choice: str) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(choice), 0))

    def template(self) -> str:
        """A preset's name, the template file's path, or '' (no template)."""
        c = self.choice()
        return self.file_edit.text().strip() if c == FILE else c

    def remember(self) -> None:
        self.settings.setValue("export/template", self.choice())
        if self.choice() == FILE:
            self.settings.setValue("export/template_file", self.file_edit.text().strip())

    def choose_file(self) -> str:
        from reader.ui.export_dialog import file_dialog_options

        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Choose a template"), self.file_edit.text(),
            self.tr("Templates (*.j2 *.jinja *.md *.txt);;All files (*)"), "",
            file_dialog_options())
        if path:
            self.file_edit.setText(path)
        return path

    def _update(self, *, emit: bool = True) -> None:
        own = self.choice() == FILE
        self.file_edit.setVisible(own)
        self.file_button.setVisible(own)
        self.since_last.setVisible(self.choice() != NONE)
        if emit:
            self.changed.emit()
