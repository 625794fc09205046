"""The article list's date filter: two fields that take typed dates (``2026-01-15``, ``2026-1``,
``2026``, ``2026/1/15``, ``2026年1月``), a calendar that opens at the library's newest date,
quick ranges (today, the last 7 days, this month, this year) and the undated articles as a
filter of their own.

A partial date is a range: ``2026-1`` in *From* means 2026-01-01, in *To* 2026-01-31.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

_DATE = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?)?\s*年?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})?\s*$")


def parse_date(text: str, *, end: bool = False) -> str | None:
    """An ISO day for a typed date, '' for an empty field, None when it is not a date. Partial
    dates stand for their first day, or their last with ``end=True``."""
    text = text.strip()
    if not text:
        return ""
    m = _DATE.match(text) or _COMPACT.match(text)
    if m is None:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        return None
    if month is None:
        month, day = (12, 31) if end else (1, 1)
    elif day is None:
        day = calendar.monthrange(year, month)[1] if end else 1
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def quick_range(name: str, today: date | None = None) -> tuple[str, str]:
    """(from, to) of a quick range: ``today``, ``week`` (the last 7 days), ``month``, ``year``."""
    today = today or date.today()
    if name == "today":
        start = today
    elif name == "week":
        start = today - timedelta(days=6)
    elif name == "month":
        start = today.replace(day=1)
    elif name == "year":
        start = today.replace(month=1, day=1)
    else:
        raise ValueError(name)
    return start.isoformat(), today.isoformat()


class DateField(QLineEdit):
    """A date typed or picked. ``changed`` fires with the field's ISO date when it is
    committed (Enter, leaving the field, a calendar click); a text that is no date is marked and
    says so in its tooltip, and does not filter."""

    changed = Signal(str)

    def __init__(self, placeholder: str, *, end: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._end = end  # (not "end": that is QLineEdit.end(), which it would hide)
        self._iso = ""
        self._tip = ""
        # the library's newest date (asked when the calendar opens): where it opens if empty
        self.newest: Callable[[], str] | None = None
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(96)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText("▾")
        self.calendar_button.setAutoRaise(True)
        self.calendar_button.setCursor(Qt.CursorShape.ArrowCursor)
        self.calendar_button.setToolTip(self.tr("Pick a day"))
        self.calendar_button.clicked.connect(self.open_calendar)
        act = QWidgetAction(self)
        act.setDefaultWidget(self.calendar_button)
        self.addAction(act, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self.commit)
        self.textChanged.connect(self._typed)
        self.popup: QMenu | None = None
        self.calendar: QCalendarWidget | None = None

    def iso(self) -> str:
        return self._iso

    def set_iso(self, value: str, *, quiet: bool = False) -> None:
        """Show a date (or nothing) and filter by it; with ``quiet`` no ``changed`` signal."""
        iso = parse_date(value or "", end=self._end) or ""
        self.blockSignals(True)
        self.setText(iso)
        self.blockSignals(False)
        self._mark(True)
        if iso != self._iso:
            self._iso = iso
            if not quiet:
                self.changed.emit(iso)

    def setToolTip(self, tip: str) -> None:  # noqa: N802 — remember the plain tip
        self._tip = tip
        super().setToolTip(tip)

    def _typed(self, text: str) -> None:
        if not text.strip():  # the clear button: at once
            self.commit()
        else:
            self._mark(parse_date(text, end=self._end) is not None)

    def _mark(self, ok: bool) -> None:
        self.setProperty("invalid", not ok)
        self.setStyleSheet("" if ok else "QLineEdit { border: 1px solid #c0392b; }")
        super().setToolTip(self._tip if ok else self.tr(
            "Not a date: type 2026-01-15, 2026-1 or 2026"))

    def commit(self) -> None:
        iso = parse_date(self.text(), end=self._end)
        if iso is None:
            self._mark(False)
            return
        self._mark(True)
        if iso and iso != self.text():
            self.blockSignals(True)
            self.setText(iso)
            self.blockSignals(False)
        if iso != self._iso:
            self._iso = iso
            self.changed.emit(iso)

    def calendar_start(self) -> QDate:
        """The month the calendar shows: the field's date, else the library's newest, else
        today (never January 1900)."""
        if self._iso:
            return QDate.fromString(self._iso, "yyyy-MM-dd")
        newest = QDate.fromString((self.newest() if self.newest else "")[:10], "yyyy-MM-dd")
        return newest if newest.isValid() else QDate.currentDate()

    def open_calendar(self) -> QCalendarWidget:
        menu = QMenu(self)
        cal = QCalendarWidget(menu)
        cal.setGridVisible(False)
        start = self.calendar_start()
        cal.setSelectedDate(start)
        cal.setCurrentPage(start.year(), start.month())
        act = QWidgetAction(menu)
        act.setDefaultWidget(cal)
        menu.addAction(act)

        def picked(d: QDate) -> None:
            menu.close()
            self.set_iso(d.toString("yyyy-MM-dd"), quiet=False)

        cal.clicked.connect(picked)
        cal.activated.connect(picked)
        self.popup, self.calendar = menu, cal
        menu.popup(self.mapToGlobal(QPoint(0, self.height())))
        return cal


class DateFilterBar(QWidget):
    """From – To, and a menu of quick ranges with "Undated articles". ``changed`` fires with
    (from, to, undated) whenever the effective filter changes."""

    changed = Signal(str, str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_from = DateField(self.tr("From"), parent=self)
        self.date_from.setToolTip(self.tr("Articles dated on or after this day (2026-01-15, "
                                          "2026-1 or 2026)"))
        self.date_to = DateField(self.tr("To"), end=True, parent=self)
        self.date_to.setToolTip(self.tr("Articles dated on or before this day (2026-01-15, "
                                        "2026-1 or 2026)"))
        self._undated = False
        self.quick = QToolButton(self)
        self.quick.setText(self.tr("Dates"))
        self.quick.setToolTip(self.tr("Quick date ranges, and the articles without a date"))
        self.quick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.quick)
        self.quick_actions: dict[str, QAction] = {}
        for key, label in (("today", self.tr("Today")), ("week", self.tr("Last 7 days")),
                           ("month", self.tr("This month")), ("year", self.tr("This year"))):
            act = menu.addAction(label)
            act.triggered.connect(lambda _=False, k=key: self.set_quick(k))
            self.quick_actions[key] = act
        menu.addSeparator()
        self.undated_action = menu.addAction(self.tr("Undated articles"))
        self.undated_action.setCheckable(True)
        self.undated_action.toggled.connect(self.set_undated)
        self.any_action = menu.addAction(self.tr("Any date"))
        self.any_action.triggered.connect(self.clear)
        self.quick.setMenu(menu)
        self._fit_quick()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.date_from, 1)
        lay.addWidget(QLabel("–", self))
        lay.addWidget(self.date_to, 1)
        lay.addWidget(self.quick)
        self.date_from.changed.connect(self._fields_changed)
        self.date_to.changed.connect(self._fields_changed)

    def set_newest(self, newest: Callable[[], str]) -> None:
        """Where the calendars open: ``newest()`` gives the library's newest article date."""
        for f in (self.date_from, self.date_to):
            f.newest = newest

    @property
    def undated(self) -> bool:
        return self._undated

    def values(self) -> tuple[str, str, bool]:
        if self._undated:
            return "", "", True
        return self.date_from.iso(), self.date_to.iso(), False

    def _fields_changed(self, _iso: str) -> None:
        if self._undated and (self.date_from.iso() or self.date_to.iso()):
            self._set_undated_quietly(False)
        self.changed.emit(*self.values())

    def _set_undated_quietly(self, on: bool) -> None:
        self._undated = on
        self.undated_action.blockSignals(True)
        self.undated_action.setChecked(on)
        self.undated_action.blockSignals(False)
        for f in (self.date_from, self.date_to):
            f.setEnabled(not on)
        self.quick.setText(self.tr("Undated") if on else self.tr("Dates"))
        self._fit_quick()

    def _fit_quick(self) -> None:
        """Room for the word and the menu arrow (the arrow drew over the word)."""
        fm = self.quick.fontMetrics()
        words = (self.tr("Dates"), self.tr("Undated"))
        self.quick.setMinimumWidth(max(fm.horizontalAdvance(w) for w in words) + 30)

    def set_undated(self, on: bool) -> None:
        if on:
            self.date_from.set_iso("", quiet=True)
            self.date_to.set_iso("", quiet=True)
        self._set_undated_quietly(on)
        self.changed.emit(*self.values())

    def set_quick(self, key: str) -> None:
        start, end = quick_range(key)
        self._set_undated_quietly(False)
        self.date_from.set_iso(start, quiet=True)
        self.date_to.set_iso(end, quiet=True)
        self.changed.emit(*self.values())

    def set_range(self, start: str, end: str) -> None:
        self._set_undated_quietly(False)
        self.date_from.set_iso(start, quiet=True)
        self.date_to.set_iso(end, quiet=True)
        self.changed.emit(*self.values())

    def clear(self, *, quiet: bool = False) -> None:
        self._set_undated_quietly(False)
        self.date_from.set_iso("", quiet=True)
        self.date_to.set_iso("", quiet=True)
        if not quiet:
            self.changed.emit(*self.values())
