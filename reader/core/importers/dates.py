"""Dates in the shapes exports and pages use -> ISO ``YYYY-MM-DD`` (or '' when not a real date)."""

from __future__ import annotations

import datetime as _dt
import re

_CHINA = _dt.timezone(_dt.timedelta(hours=8))
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _iso(y: int, m: int, d: int) -> str:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return ""


def to_iso_date(value: object) -> str:
    """``'2026-01-20'``, ``'2026/1/20 08:00'``, ``'2026年1月20日'``, ``20260120`` or a Unix timestamp
    (seconds or milliseconds, read in China time) -> ``'2026-01-20'``. Anything else -> ``''``."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and value == value and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return _from_timestamp(value)
    if not isinstance(value, str):
        return ""
    s = value.strip()
    if len(s) > 64:
        return ""
    m = _YMD.search(s)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    m = _COMPACT.match(s)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if s.isdigit() and len(s) in (10, 13):
        return _from_timestamp(int(s))
    return ""


def _from_timestamp(ts: int) -> str:
    if 1e12 <= ts < 1e14:  # milliseconds
        ts //= 1000
    if not 0 < ts < 1e11:
        return ""
    try:
        return _dt.datetime.fromtimestamp(ts, _CHINA).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return ""
