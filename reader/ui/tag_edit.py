"""A one-line editor for a list of tags, with completion from the library's existing tags.

Tags are separated by commas (``,`` ``，``), the Chinese enumeration comma ``、``, semicolons or
spaces. The completer looks at the tag being typed (the text after the last separator) and offers
every known tag that *contains* it, so typing 经 offers 经济 and 财经. ``tags_changed`` fires when
the set of tags is committed: on a separator, on Enter, on leaving the field, on picking a
completion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

from reader.core.library import Library, clean_tags
from reader.ui.highlight_cards import READ_ERRORS

if TYPE_CHECKING:
    from reader.ui.tasks import LibrarySignals

SEPARATORS = ",，、;；"
_SPLIT = re.compile(r"[,，、;；\s\u3000]+")


def split_tags(text: str) -> list[str]:
    """The tags written in ``text`` (cleaned, de-duplicated case-blind, in order)."""
    return clean_tags(_SPLIT.split(text))


def join_tags(tags: Iterable[str]) -> str:
    return ", ".join(tags)


def _matching(known: list[str], token: str) -> list[str]:
    """Known tags that ``token`` finds: containing it first, then by pinyin (issue 17)."""
    from reader.core.recall import tag_matches

    t = token.casefold()
    plain = [k for k in known if t in k.casefold()]
    seen = set(plain)
    return plain + [k for k in known if k not in seen and tag_matches(token, k)]


def _same(a: list[str], b: list[str]) -> bool:
    return [t.casefold() for t in a] == [t.casefold() for t in b]


class TagEdit(QLineEdit):
    """Edits a list of tags. ``library`` (optional) feeds the completer with
    :meth:`Library.tags`; ``signals`` (optional :class:`LibrarySignals`) keeps it current."""

    tags_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None, *, library: Library | None = None,
                 signals: LibrarySignals | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._known: list[str] = []
        self._committed: list[str] = []
        self.setPlaceholderText(self.tr("Add tags, separated by commas"))
        self.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setWidget(self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.setMaxVisibleItems(8)
        # (PySide6's stubs cannot index an overloaded signal; [str] picks the text overload)
        self._completer.activated[str].connect(self.insert_completion)  # type: ignore[index]
        self.textEdited.connect(self._on_edited)
        self.returnPressed.connect(self.commit)
        if signals is not None and library is not None:
            signals.tags_changed.connect(self.reload_known_tags)
        if library is not None:
            self.reload_known_tags()

    # ------------------------------------------------------------------ public API
    def completer_model(self) -> QStringListModel:
        return self._model

    def tag_completer(self) -> QCompleter:
        return self._completer

    def set_known_tags(self, names: Iterable[str]) -> None:
        self._known = sorted(set(names), key=str.casefold)
        self._model.setStringList(self._known)

    def known_tags(self) -> list[str]:
        return list(self._known)

    def reload_known_tags(self) -> None:
        if self._library is not None:
            try:
                names = [t.name for t in self._library.tags()]
            except READ_ERRORS:
                return
            self.set_known_tags(names)

    def tags(self) -> list[str]:
        return split_tags(self.text())

    def set_tags(self, tags: Iterable[str]) -> None:
        """Show ``tags`` without emitting ``tags_changed``."""
        tags = clean_tags(tags)
        self._committed = tags
        self.setText(join_tags(tags))
        self._popup().hide()

    def _popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None  # a completer always makes its popup (on first call)
        return popup

    def commit(self) -> None:
        """Emit ``tags_changed`` if the tags differ from the last committed ones."""
        tags = self.tags()
        if not _same(tags, self._committed):
            self._committed = tags
            self.tags_changed.emit(tags)

    def current_token(self) -> tuple[int, str]:
        """Where the tag being typed starts, and its text (up to the cursor)."""
        text = self.text()[: self.cursorPosition()]
        m = list(_SPLIT.finditer(text))
        start = m[-1].end() if m else 0
        return start, text[start:]

    def suggestions(self, prefix: str) -> list[str]:
        """Known tags containing ``prefix`` that are not already in the field."""
        present = {t.casefold() for t in self.tags()}
        return [t for t in _matching(self._known, prefix.lstrip("#＃"))
                if t.casefold() not in present]

    def insert_completion(self, completion: str) -> None:
        start, _token = self.current_token()
        rest = self.text()[self.cursorPosition():]
        m = _SPLIT.match(rest)
        rest = rest[m.end():] if m else rest
        head = self.text()[:start]
        new = head + completion + ", "
        self.setText(new + rest)
        self.setCursorPosition(len(new))
        self._popup().hide()
        self.commit()

    # ------------------------------------------------------------------ events
    def _on_edited(self, text: str) -> None:
        if text[: self.cursorPosition()][-1:] in SEPARATORS:
            self._popup().hide()
            self.commit()
            return
        _start, token = self.current_token()
        token = token.strip().lstrip("#＃")
        if not token:
            self._popup().hide()
            return
        present = {t.casefold() for t in self.tags()} - {token.casefold()}
        # the model holds the matches (text or pinyin: gk -> 港口), the completer shows them all
        self._model.setStringList([t for t in _matching(self._known, token)
                                   if t.casefold() not in present])
        self._completer.setCompletionPrefix("")
        if self._completer.completionCount() == 0 or (
            self._completer.completionCount() == 1
            and self._completer.currentCompletion().casefold() == token.casefold()
        ):
            self._popup().hide()
            return
        rect = self.rect()
        rect.setWidth(max(rect.width() // 2, 160))
        self._completer.complete(rect)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        popup = self._popup()
        if popup.isVisible() and event.key() in (
            Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
        ):
            event.ignore()  # the completer's popup handles these
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if not self._popup().isVisible():
            self.commit()
