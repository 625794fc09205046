"""Article → Version history: every text an article has had, and what each change did.

The list shows the versions newest first, each with when it became the text, why (re-imported,
merged, split) and its length. Choosing one shows what changed from the version before it
(or, with "compare with the current text", from it to today's text): deletions struck through
on red, insertions underlined on green, a little context around each change. The diff runs on
the library worker; the article text is put into the view as plain text, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import Library, LibraryError
from reader.core.versions import DELETE, EQUAL, INSERT, Hunk, Version, diff, history, hunks
from reader.ui.tasks import Job, LibraryWorker
from reader.ui.widgets import heading_label, plain_tooltip

CONTEXT = 30  # characters of unchanged text shown around a change


def reason_label(reason: str) -> str:
    """Why a text was replaced, in the interface language (the library stores English)."""
    if reason.startswith("re-imported from "):
        return QCoreApplication.translate("VersionsDialog", "re-imported from {name}").format(
            name=reason.removeprefix("re-imported from "))
    if reason.startswith("merged with "):
        return QCoreApplication.translate("VersionsDialog", "merged with {title}").format(
            title=reason.removeprefix("merged with "))
    if reason == "split":
        return QCoreApplication.translate("VersionsDialog", "split off its end as a new article")
    return reason


def local_time(stamp: str) -> str:
    """An ISO time stamp as local ``YYYY-MM-DD HH:MM`` (as given if it is not one)."""
    try:
        dt = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp or ""
    if dt.tzinfo is not None:
        dt = dt.astimezone()
    return dt.strftime("%Y-%m-%d %H:%M")


@dataclass
class VersionRow:
    """A version as the dialog lists it: when it became the text and why."""

    version: Version
    arrived: str  # ISO time it became the article's text
    why: str  # readable reason it came ("" for the first import)
    previous: Version | None


def version_rows(versions: list[Version], imported_at: str) -> list[VersionRow]:
    """Oldest first. A version arrived when the one before it was replaced, for that reason."""
    rows: list[VersionRow] = []
    prev: Version | None = None
    for v in versions:
        if prev is None:
            rows.append(VersionRow(v, imported_at, "", None))
        else:
            rows.append(VersionRow(v, prev.date, reason_label(prev.reason), prev))
        prev = v
    return rows


def _colors(dark: bool) -> tuple[QColor, QColor, QColor]:
    """(deleted background, inserted background, muted text)."""
    if dark:
        return QColor("#6b2b2b"), QColor("#1f5130"), QColor("#8d929a")
    return QColor("#ffd4d1"), QColor("#c9f2d2"), QColor("#6e7781")


class DiffView(QTextBrowser):
    """Shows diff chunks. Text goes in through QTextCursor, so nothing in it is markup."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("versionDiff")
        self.setOpenLinks(False)
        self.setReadOnly(True)
        self.document().setDocumentMargin(14)

    def _dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def _formats(self) -> dict[str, QTextCharFormat]:
        deleted_bg, inserted_bg, muted = _colors(self._dark())
        plain = QTextCharFormat()
        deleted = QTextCharFormat()
        deleted.setBackground(deleted_bg)
        deleted.setFontStrikeOut(True)
        deleted.setToolTip(self.tr("Deleted"))
        inserted = QTextCharFormat()
        inserted.setBackground(inserted_bg)
        inserted.setFontUnderline(True)
        inserted.setToolTip(self.tr("Inserted"))
        head = QTextCharFormat()
        head.setForeground(muted)
        head.setFontWeight(QFont.Weight.Bold)
        return {"plain": plain, "deleted": deleted, "inserted": inserted, "head": head}

    def show_message(self, text: str) -> None:
        doc, cur, fmts = self._start()
        cur.insertText(text, fmts["head"])
        self.setDocument(doc)

    def show_chunks(self, chunks: list[tuple[int, str]], *, heading: str = "") -> None:
        """The whole text with its changes marked."""
        doc, cur, fmts = self._start()
        if heading:
            cur.insertText(heading, fmts["head"])
            cur.insertBlock()
        self._insert(cur, chunks, fmts)
        self.setDocument(doc)

    def show_hunks(self, found: list[Hunk], *, heading: str = "", new_length: int = -1) -> None:
        """Each change with a little context, under the line it is on (``new_length``: of the
        newer text, so that "…" marks only context that really goes on)."""
        doc, cur, fmts = self._start()
        if heading:
            cur.insertText(heading, fmts["head"])
            cur.insertBlock()
        for i, h in enumerate(found):
            if i or heading:
                cur.insertBlock(self._gap)
                cur.setBlockFormat(self._gap)
            cur.insertText(self.tr("Line {line}").format(line=h.line), fmts["head"])
            cur.insertBlock(self._text_block)
            chunks = list(h.chunks)
            if chunks and chunks[0][0] == EQUAL and h.old_start > len(chunks[0][1]):
                chunks[0] = (EQUAL, "…" + chunks[0][1])
            if chunks and chunks[-1][0] == EQUAL and len(chunks) > 1:
                more = new_length < 0 or h.new_end + len(chunks[-1][1]) < new_length
                if more:
                    chunks[-1] = (EQUAL, chunks[-1][1] + "…")
            self._insert(cur, chunks, fmts)
        self.setDocument(doc)

    def _start(self) -> tuple[QTextDocument, QTextCursor, dict[str, QTextCharFormat]]:
        doc = QTextDocument(self)
        doc.setDocumentMargin(16)
        f = QFont(self.font())
        if f.pointSizeF() > 0:
            f.setPointSizeF(f.pointSizeF() * 1.12)
        doc.setDefaultFont(f)
        cur = QTextCursor(doc)
        cur.setBlockFormat(self._text_block)
        return doc, cur, self._formats()

    @property
    def _text_block(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(165, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        fmt.setBottomMargin(4)
        return fmt

    @property
    def _gap(self) -> QTextBlockFormat:
        fmt = self._text_block
        fmt.setTopMargin(14)
        return fmt

    @staticmethod
    def _insert(cur: QTextCursor, chunks: list[tuple[int, str]],
                fmts: dict[str, QTextCharFormat]) -> None:
        for op, text in chunks:
            if op == EQUAL:
                cur.insertText(text, fmts["plain"])
            else:
                # a changed line break is shown as ⏎ (an inserted one also breaks the line)
                shown = text.replace("\n", "⏎\n" if op == INSERT else "⏎")
                cur.insertText(shown, fmts["inserted" if op == INSERT else "deleted"])


@dataclass
class DiffResult:
    token: int
    old: Version
    new: Version
    hunks: list[Hunk]
    chunks: list[tuple[int, str]] | None  # the whole-text diff, when asked for
    places: int = 0  # separate changes (a hunk may hold several close together)
    deleted: int = 0  # characters
    inserted: int = 0


class VersionsDialog(QDialog):
    """``VersionsDialog(library, worker, article_id)``; ``diff_shown(version)`` after the view
    shows what a version changed (tests wait on it)."""

    diff_shown = Signal(int)

    def __init__(self, library: Library, worker: LibraryWorker, article_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.worker = worker
        self.article_id = article_id
        self._token = 0
        self.rows: list[VersionRow] = []
        self.last_result: DiffResult | None = None
        self.setWindowTitle(self.tr("Version history"))
        self.resize(1040, 660)

        self.heading = heading_label(self)
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        self.hint = QLabel(self)
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)

        self.list = QTreeWidget(self)
        self.list.setObjectName("versionList")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels([self.tr("Version"), self.tr("Since"), self.tr("Why"),
                                   self.tr("Characters")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setStyleSheet("QTreeWidget::item { padding: 4px 2px; }")
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.list.currentItemChanged.connect(lambda *_a: self._show_selected())

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.compare_current = QCheckBox(self.tr("Compare with the current text"), self)
        self.compare_current.setToolTip(
            self.tr("Show what changed from the chosen version to today's text, instead of "
                    "what the chosen version changed"))
        self.compare_current.toggled.connect(lambda _b: self._show_selected())
        self.whole_text = QCheckBox(self.tr("Show the whole text"), self)
        self.whole_text.setToolTip(self.tr("The whole text with the changes marked, instead of "
                                           "only the changed places"))
        self.whole_text.toggled.connect(lambda _b: self._show_selected())
        self.view = DiffView(self)
        legend = QLabel(self)
        legend.setObjectName("muted")
        legend.setText(self.tr("Struck through on red: deleted · underlined on green: inserted"))
        legend.setWordWrap(True)
        self.legend = legend

        right = QWidget(self)
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(10, 0, 0, 0)
        rlay.setSpacing(8)
        rlay.addWidget(self.summary)
        opts = QHBoxLayout()
        opts.setSpacing(16)
        opts.addWidget(self.compare_current)
        opts.addWidget(self.whole_text)
        opts.addStretch(1)
        rlay.addLayout(opts)
        rlay.addWidget(self.view, 1)
        rlay.addWidget(legend)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([460, 560])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).clicked.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 14)
        lay.setSpacing(10)
        lay.addWidget(self.heading)
        lay.addWidget(self.hint)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(buttons)
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        """Read the versions again (the article may have changed meanwhile)."""
        try:
            art = self.library.article(self.article_id)
            versions = history(self.library, self.article_id)
        except LibraryError as e:
            self.heading.setText(str(e))
            self.rows = []
            self.list.clear()
            return
        self.heading.setText(self.tr("Versions of “{title}”").format(title=art.title))
        self.rows = version_rows(versions, art.imported_at)
        n = len(self.rows)
        if n == 1:
            self.hint.setText(self.tr("This article has only ever had one text. When a corrected "
                                      "version is imported, the earlier text is kept here."))
        else:
            self.hint.setText(self.tr("Earlier texts are kept when a corrected version is "
                                      "imported, or the article is merged or split. Choose a "
                                      "version to see what it changed."))
        self.list.clear()
        for row in reversed(self.rows):
            v = row.version
            label = (self.tr("{n} (current)").format(n=v.number) if v.current else str(v.number))
            why = row.why or self.tr("first imported")
            item = QTreeWidgetItem([label, local_time(row.arrived), why, f"{len(v.body):,}"])
            item.setData(0, Qt.ItemDataRole.UserRole, v.number)
            item.setToolTip(2, plain_tooltip(why))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if v.current:
                f = item.font(0)
                f.setBold(True)
                item.setFont(0, f)
            self.list.addTopLevelItem(item)
        self.compare_current.setEnabled(n > 1)
        first = self.list.topLevelItem(0)
        if n and first is not None:
            self.list.setCurrentItem(first)

    def versions(self) -> list[Version]:
        return [r.version for r in self.rows]

    def select_version(self, number: int) -> bool:
        """Choose version ``number`` in the list (the view follows)."""
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == number:
                self.list.setCurrentItem(item)
                return True
        return False

    def current_version(self) -> int | None:
        item = self.list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    # ------------------------------------------------------------------ the diff
    def _row(self, number: int) -> VersionRow | None:
        return next((r for r in self.rows if r.version.number == number), None)

    def _show_selected(self) -> None:
        number = self.current_version()
        row = self._row(number) if number is not None else None
        if row is None:
            return
        self._token += 1
        token = self._token
        current = self.rows[-1].version
        if self.compare_current.isChecked() and not row.version.current:
            old, new = row.version, current
        elif row.previous is not None:
            old, new = row.previous, row.version
        else:
            old = new = row.version
        whole = self.whole_text.isChecked()
        if old is new:
            self.summary.setText(self.tr("Version {n}: the text as first imported, "
                                         "{chars} characters.").format(
                n=new.number, chars=f"{len(new.body):,}"))
            if whole:
                self.view.show_chunks([(EQUAL, new.body)])
            else:
                self.view.show_message(self.tr("The first version: nothing to compare it with. "
                                               "Tick “Show the whole text” to read it."))
            self.last_result = DiffResult(token, old, new, [], None)
            self.diff_shown.emit(new.number)
            return
        self.summary.setText(self.tr("Comparing version {old} with version {new}…").format(
            old=old.number, new=new.number))
        self.view.show_message(self.tr("Comparing…"))
        old_body, new_body = old.body, new.body

        def work(_lib: Library, _job: Job) -> DiffResult:
            chunks = diff(old_body, new_body)
            places, prev = 0, EQUAL
            for op, _text in chunks:
                if op != EQUAL and prev == EQUAL:
                    places += 1
                prev = op
            return DiffResult(
                token, old, new, hunks(old_body, new_body, context=CONTEXT),
                chunks if whole else None, places,
                sum(len(t) for op, t in chunks if op == DELETE),
                sum(len(t) for op, t in chunks if op == INSERT))

        self.worker.submit(work, on_done=self._diff_done, on_error=self._diff_failed,
                           name="version diff")

    def _diff_done(self, result: DiffResult) -> None:
        if result.token != self._token:
            return  # the user chose another version meanwhile
        self.last_result = result
        old, new = result.old, result.new
        title_note = ""
        if old.title != new.title:
            title_note = self.tr("Title: “{old}” → “{new}”").format(old=old.title, new=new.title)
        if not result.hunks:
            text = self.tr("Version {old} → {new}: the text is the same.").format(
                old=old.number, new=new.number)
        else:
            text = self.tr("Version {old} → {new} · places changed: {places} · characters "
                           "deleted: {deleted}, inserted: {inserted}").format(
                old=old.number, new=new.number, places=result.places, deleted=result.deleted,
                inserted=result.inserted)
        self.summary.setText(text)
        if result.chunks is not None:
            self.view.show_chunks(result.chunks, heading=title_note)
        elif result.hunks:
            self.view.show_hunks(result.hunks, heading=title_note,
                                 new_length=len(new.body))
        else:
            self.view.show_message(title_note or self.tr("No change in the text."))
        self.diff_shown.emit(new.number)

    def _diff_failed(self, message: str) -> None:
        self.summary.setText(self.tr("Could not compare the versions: {reason}").format(
            reason=message))
        self.view.show_message("")

    def shown_text(self) -> str:
        return self.view.toPlainText()

    def marked(self) -> dict[str, list[str]]:
        """The runs of text shown as deleted and inserted (tests read the view back)."""
        out: dict[str, list[str]] = {"deleted": [], "inserted": []}
        block = self.view.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                fmt = frag.charFormat()
                if fmt.fontStrikeOut():
                    out["deleted"].append(frag.text())
                elif fmt.fontUnderline():
                    out["inserted"].append(frag.text())
                it += 1
            block = block.next()
        return out
