"""Managing articles and tags from the main window (issue 14): the article list's context menu
(Edit details…, Set source…, Set date…, Add tags…, Move to trash; in the trash Restore, Delete
for good, Empty trash…), the Delete key on the list, and the tag browser's Rename… / Merge into…
/ Delete… (with the counts in the confirmation).

Every change but emptying the trash is a command on the window's undo stack (Ctrl+Z restores
deleted articles, an edit's old values, a renamed/merged/deleted tag's assignments). Writes run
on the worker; dialogs are opened with ``open()`` (never a nested event loop) and kept in
``self.dialog`` while shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import clean_tags
from reader.core.tags import SEP
from reader.ui import ops
from reader.ui.article_edit_dialog import ArticleEditDialog
from reader.ui.highlight_commands import (
    delete_tag_command,
    edit_articles_command,
    merge_tags_command,
    rename_tag_command,
    restore_articles_command,
    trash_articles_command,
)
from reader.ui.tag_edit import TagEdit
from reader.ui.widgets import message_box, text_label

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

Action = tuple[str, Callable[[], Any]]


class ArticleManager(QObject):
    """Attached to a main window with its library views built (``MainWindow.attach_library``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        ws = window.workspace
        assert ws is not None, "made once the window's library is open"
        self.library = ws.library
        self.worker = ws.worker
        self.dialog: QDialog | None = None
        self.menu: QMenu | None = None
        pane = window.list_pane
        pane.context_menu_requested.connect(self.show_menu)
        pane.restore_requested.connect(self.restore)
        pane.empty_trash_requested.connect(self.ask_empty_trash)
        window.sidebar.tag_manager = self.tag_actions
        self.act_delete = QAction(self.tr("Move to trash"), pane.view)
        self.act_delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_delete.triggered.connect(lambda: self._delete_key())
        pane.view.addAction(self.act_delete)

    @property
    def readonly(self) -> bool:
        return self.library.readonly

    # ------------------------------------------------------------------ the list's menu
    def menu_actions(self, ids: list[int]) -> list[Action]:
        """(text, callable) of the list's context menu for the articles ``ids`` ('' text: a
        separator)."""
        if not ids or self.readonly:
            return []
        n = len(ids)
        if self.w.list_pane.showing_trash:
            return [
                (self.tr("Restore"), lambda: self.restore(ids)),
                ("", lambda: None),
                (self.tr("Delete for good…"), lambda: self.ask_empty_trash(ids)),
                (self.tr("Empty trash…"), lambda: self.ask_empty_trash()),
            ]
        actions: list[Action] = []
        if n == 1:
            actions.append((self.tr("Edit details…"), lambda: self.edit_details(ids)))
        else:
            actions.append((self.tr("Edit details of {n} articles…").format(n=n),
                            lambda: self.edit_details(ids)))
        actions += [
            (self.tr("Set source…"), lambda: self.edit_details(ids, ("source",))),
            (self.tr("Set date…"), lambda: self.edit_details(ids, ("date",))),
            (self.tr("Add tags…"), lambda: self.add_tags_dialog(ids)),
            ("", lambda: None),
            (self.tr("Move to trash") if n == 1
             else self.tr("Move {n} articles to trash").format(n=n), lambda: self.delete(ids)),
        ]
        return actions

    def show_menu(self, where: QPoint, ids: list[int]) -> None:
        actions = self.menu_actions(ids)
        if not actions:
            return
        menu = QMenu(self.w)
        for text, fn in actions:
            if text:
                menu.addAction(text, fn)
            else:
                menu.addSeparator()
        self.menu = menu
        menu.popup(where)

    def _delete_key(self) -> None:
        ids = self.w.list_pane.selected_ids()
        if not ids or self.readonly:
            return
        if self.w.list_pane.showing_trash:
            self.ask_empty_trash(ids)
        else:
            self.delete(ids)

    # ------------------------------------------------------------------ articles
    def delete(self, ids: list[int]) -> None:
        """Move articles to the trash (Ctrl+Z restores them)."""
        if not ids or self.readonly:
            return
        n = len(ids)
        text = self.tr("Delete {n} article(s)").format(n=n)

        def done(moved: int) -> None:
            if self.w.reader.article_id in ids:  # it is in the trash now: show another
                self.w.reader.show_article(None)
                opener = getattr(self.w, "_open_first_if_none", None)
                if opener is not None:
                    opener()
            self.w.notify(self.tr("{n} article(s) moved to the trash. Ctrl+Z restores them.")
                          .format(n=moved))

        self.w.undo_stack.push(trash_articles_command(
            self.worker, ids, text, on_done=done, on_error=self.w.notify))

    def restore(self, ids: list[int]) -> None:
        if not ids or self.readonly:
            return
        self.w.undo_stack.push(restore_articles_command(
            self.worker, ids, self.tr("Restore {n} article(s)").format(n=len(ids)),
            on_done=lambda n: self.w.notify(
                self.tr("{n} article(s) restored from the trash.").format(n=n)),
            on_error=self.w.notify))

    def ask_empty_trash(self, ids: list[int] | None = None) -> QMessageBox | None:
        """Confirm, then delete the trashed articles (``ids`` of them, or all) for good."""
        if self.readonly:
            return None
        lib = self.library
        n = len(ids) if ids is not None else len(lib.trash())
        if n == 0:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Empty trash"),
                          self.tr("Delete {n} article(s) and their highlights for good? This "
                                  "cannot be undone.").format(n=n),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self.w)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete for good"))

        def finished(_r: int) -> None:
            self.dialog = None
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.empty_trash(ids)

        box.finished.connect(finished)
        self.dialog = box
        box.open()
        return box

    def empty_trash(self, ids: list[int] | None = None) -> None:
        """Delete trashed articles for good (no undo: ``ask_empty_trash`` asks first)."""
        ops.empty_trash(
            self.worker, ids,
            on_done=lambda k: self.w.notify(
                self.tr("{n} article(s) deleted for good.").format(n=k)),
            on_error=self.w.notify)

    def edit_details(self, ids: list[int],
                     fields: tuple[str, ...] | None = None) -> ArticleEditDialog | None:
        """The details dialog for the articles (all fields for one article; source, date and
        byline for several; or just ``fields``)."""
        if not ids or self.readonly:
            return None
        before = self.library.article_details(ids)
        if not before:
            return None
        if fields is None:
            fields = (("title", "subtitle", "source", "date", "byline", "url") if len(ids) == 1
                      else ("source", "date", "byline"))
        dlg = ArticleEditDialog(list(before.values()), fields, self.w)
        dlg.changes_accepted.connect(lambda changes: self.apply_edit(ids, changes, before))
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dlg
        dlg.open()
        return dlg

    def apply_edit(self, ids: list[int], changes: dict[str, Any],
                   before: dict[int, dict] | None = None) -> None:
        """``Library.edit_article(ids, **changes)`` as an undoable command."""
        if not ids or not changes or self.readonly:
            return
        if before is None:
            before = self.library.article_details(ids)
        self.w.undo_stack.push(edit_articles_command(
            self.worker, ids, before, changes,
            self.tr("Edit {n} article(s)").format(n=len(ids)),
            on_done=lambda n: self.w.notify(self.tr("{n} article(s) changed.").format(n=n)),
            on_error=self.w.notify))

    def add_tags_dialog(self, ids: list[int]) -> QDialog | None:
        if not ids or self.readonly:
            return None
        dlg = QDialog(self.w)
        dlg.setWindowTitle(self.tr("Add tags"))
        lay = QVBoxLayout(dlg)
        lay.addWidget(QLabel(self.tr("Tags to add to {n} article(s); use / to nest "
                                     "(政策/京津冀)").format(n=len(ids)), dlg))
        edit = TagEdit(dlg, library=self.library, signals=self.w.signals)
        edit.setObjectName("addTags")
        lay.addWidget(edit)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                              | QDialogButtonBox.StandardButton.Cancel, dlg)
        bb.accepted.connect(dlg.accept)
        bb.rejected.connect(dlg.reject)
        lay.addWidget(bb)
        dlg.accepted.connect(lambda: self.apply_edit(ids, {"add_tags": edit.tags()})
                             if edit.tags() else None)
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        dlg.resize(420, dlg.sizeHint().height())
        self.dialog = dlg
        dlg.open()
        return dlg

    # ------------------------------------------------------------------ tags
    def tag_actions(self, tags: list[str]) -> list[Action]:
        """The tag browser's management entries (after its recall/filter entries)."""
        if self.readonly or not tags:
            return []
        if len(tags) > 1:
            return [("", lambda: None),
                    (self.tr("Merge these tags into…"), lambda: self.ask_merge(tags))]
        name = tags[0]
        return [("", lambda: None),
                (self.tr("Rename…"), lambda: self.ask_rename(name)),
                (self.tr("Merge into…"), lambda: self.ask_merge([name])),
                (self.tr("Delete…"), lambda: self.ask_delete(name))]

    def _usage(self, names: list[str]) -> str:
        """'3 articles and 5 highlights' for tags (each with the tags under it), as shown."""
        counts = self.w.sidebar.tag_counts()
        a = sum(counts.get(n, (0, 0))[0] for n in names)
        h = sum(counts.get(n, (0, 0))[1] for n in names)
        return self.tr("{a} article(s) and {h} highlight(s)").format(a=a, h=h)

    def _children(self, name: str) -> int:
        prefix = name.casefold() + SEP
        return sum(1 for k in self.w.sidebar.tag_counts() if k.casefold().startswith(prefix))

    def _name_dialog(self, title: str, text: str, field: QWidget,
                     accept: Callable[[], str | None]) -> QDialog:
        """A small dialog: ``text``, ``field``, OK/Cancel; ``accept()`` returns a problem to show
        (the dialog stays open) or None (it closes)."""
        dlg = QDialog(self.w)
        dlg.setWindowTitle(title)
        lay = QVBoxLayout(dlg)
        label = text_label(text, dlg)  # it names tags and articles
        label.setWordWrap(True)
        lay.addWidget(label)
        lay.addWidget(field)
        problem = text_label("", dlg)
        problem.setObjectName("problem")
        problem.setWordWrap(True)
        lay.addWidget(problem)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                              | QDialogButtonBox.StandardButton.Cancel, dlg)

        def ok() -> None:
            msg = accept()
            if msg:
                problem.setText(msg)
            else:
                dlg.accept()

        bb.accepted.connect(ok)
        bb.rejected.connect(dlg.reject)
        lay.addWidget(bb)
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        dlg.resize(420, dlg.sizeHint().height())
        self.dialog = dlg
        dlg.open()
        return dlg

    def ask_rename(self, name: str) -> QDialog:
        edit = QLineEdit(name)
        edit.setObjectName("tagName")
        edit.selectAll()
        kids = self._children(name)
        text = self.tr("Rename “{name}” on {usage}.").format(name=name, usage=self._usage([name]))
        if kids:
            text += " " + self.tr("The {n} tag(s) under it move along.").format(n=kids)
        text += " " + self.tr("Use / to nest (政策/京津冀); an existing name merges the two.")

        def accept() -> str | None:
            new = clean_tags([edit.text()])
            if not new:
                return self.tr("Give the tag a name.")
            if new[0] == name:
                return None
            if new[0].casefold().startswith(name.casefold() + SEP):
                return self.tr("A tag cannot move under itself.")
            self.rename_tag(name, new[0])
            return None

        return self._name_dialog(self.tr("Rename tag"), text, edit, accept)

    def ask_merge(self, sources: list[str]) -> QDialog:
        box = QComboBox()
        box.setObjectName("mergeTarget")
        box.setEditable(True)
        box.addItems([k for k in self.w.sidebar.tag_counts() if k not in sources])
        box.setCurrentIndex(-1)
        text = self.tr("Merge {names} ({usage}) into the tag:").format(
            names="、".join(f"“{s}”" for s in sources), usage=self._usage(sources))

        def accept() -> str | None:
            target = clean_tags([box.currentText()])
            if not target:
                return self.tr("Choose or type the tag to merge into.")
            if any(target[0].casefold().startswith(s.casefold() + SEP) for s in sources):
                return self.tr("A tag cannot move under itself.")
            self.merge_tags(sources, target[0])
            return None

        return self._name_dialog(self.tr("Merge tags"), text, box, accept)

    def ask_delete(self, name: str) -> QMessageBox:
        kids = self._children(name)
        text = self.tr("Remove the tag “{name}” from {usage}?").format(
            name=name, usage=self._usage([name]))
        if kids:
            text += " " + self.tr("The {n} tag(s) under it go too.").format(n=kids)
        text += " " + self.tr("Ctrl+Z undoes it.")
        box = message_box(self.w, QMessageBox.Icon.Question, self.tr("Delete tag"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete tag"))

        def finished(_r: int) -> None:
            self.dialog = None
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.delete_tag(name)

        box.finished.connect(finished)
        self.dialog = box
        box.open()
        return box

    def _tag_done(self, change: Any) -> None:
        self.w.notify(self.tr("{usage} changed. Ctrl+Z undoes it.").format(
            usage=self.tr("{a} article(s) and {h} highlight(s)").format(
                a=change.articles, h=change.highlights)))

    def rename_tag(self, old: str, new: str) -> None:
        self.w.undo_stack.push(rename_tag_command(
            self.worker, old, new, self.tr("Rename tag “{name}”").format(name=old),
            on_done=self._tag_done, on_error=self.w.notify))

    def merge_tags(self, sources: list[str], target: str) -> None:
        self.w.undo_stack.push(merge_tags_command(
            self.worker, sources, target, self.tr("Merge tags into “{name}”").format(name=target),
            on_done=self._tag_done, on_error=self.w.notify))

    def delete_tag(self, name: str) -> None:
        self.w.undo_stack.push(delete_tag_command(
            self.worker, name, self.tr("Delete tag “{name}”").format(name=name),
            on_done=self._tag_done, on_error=self.w.notify))
