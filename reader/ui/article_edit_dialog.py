"""The "Edit article details" dialog: title, subtitle, source, date, byline and url of one
article, or some of these fields of many at once (Set source…, Set date… on a multi-selection).

With several articles, a field whose values differ starts empty with a placeholder saying so;
only fields the user changed are applied. The date is checked here (``2026-1-5`` is accepted and
shown as ``2026-01-05``) so that a bad one keeps the dialog open with the reason, instead of
failing later on the worker."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reader.core.manage import EDITABLE_FIELDS, normalize_date
from reader.ui.widgets import text_label


class ArticleEditDialog(QDialog):
    """``details``: ``Library.article_details`` of the articles; ``fields``: the fields to show.
    ``changes_accepted(dict)`` carries the changed fields (never empty) when OK is pressed."""

    changes_accepted = Signal(dict)

    def __init__(self, details: Sequence[dict[str, object]], fields: Sequence[str] = EDITABLE_FIELDS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleEditDialog")
        n = len(details)
        labels = {
            "title": self.tr("Title"), "subtitle": self.tr("Subtitle"),
            "source": self.tr("Source"), "date": self.tr("Date"),
            "byline": self.tr("Byline"), "url": self.tr("Link"),
        }
        if n == 1 and len(fields) > 1:
            self.setWindowTitle(self.tr("Edit article details"))
        elif n == 1:
            self.setWindowTitle(self.tr("Set {field}").format(field=labels[fields[0]].lower()))
        else:
            self.setWindowTitle(self.tr("{n} articles").format(n=n))
        self.initial: dict[str, str] = {}
        self.mixed: set[str] = set()
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for f in fields:
            values = {str(d.get(f, "")) for d in details}
            edit = QLineEdit(self)
            edit.setObjectName(f"edit_{f}")
            if len(values) > 1:
                self.mixed.add(f)
                self.initial[f] = ""
                edit.setPlaceholderText(self.tr("(several values; leave empty to keep them)"))
            else:
                self.initial[f] = values.pop() if values else ""
                edit.setText(self.initial[f])
                if f == "date":
                    edit.setPlaceholderText(self.tr("YYYY-MM-DD, e.g. 2026-01-05"))
                elif f == "source":
                    edit.setPlaceholderText(self.tr("e.g. the newspaper's name"))
            edit.textEdited.connect(lambda _t: self.problem.clear())
            self.edits[f] = edit
            form.addRow(labels[f], edit)
        self.problem: QLabel = text_label("", self)  # reasons quote what was typed
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        if n > 1:
            head = QLabel(self.tr("The changes apply to all {n} selected articles.").format(n=n),
                          self)
            head.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        if n > 1:
            lay.addWidget(head)
        lay.addLayout(form)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def set_value(self, field: str, text: str) -> None:
        """Type ``text`` into a field (as the user would; for tests and scripts)."""
        edit = self.edits[field]
        edit.setText(text)
        edit.setModified(True)

    def changes(self) -> dict[str, str]:
        """The changed fields, the date normalised. Raises ValueError for a bad date or an empty
        title."""
        out: dict[str, str] = {}
        for f, edit in self.edits.items():
            text = " ".join(edit.text().split())
            if (f in self.mixed and not text) or (f not in self.mixed and text == self.initial[f]):
                continue
            if f == "date":
                try:
                    text = normalize_date(text)
                except ValueError:
                    raise ValueError(self.tr("“{text}” is not a date: write it as YYYY-MM-DD,"
                                             " e.g. 2026-01-05.").format(text=text)) from None
            elif f == "title" and not text:
                raise ValueError(self.tr("An article needs a title."))
            out[f] = text
        return out

    def accept(self) -> None:
        try:
            changes = self.changes()
        except ValueError as e:
            self.problem.setText(str(e))
            return
        super().accept()
        if changes:
            self.changes_accepted.emit(changes)
