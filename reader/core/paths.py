"""Where a library lives: --library DIR, else $PIZHU_HOME, else the platformdirs data dir."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "pizhu"


def default_library_dir() -> Path:
    env = os.environ.get("PIZHU_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "library"


def resolve_library_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit).expanduser() if explicit else default_library_dir()


def cache_dir() -> Path:
    """jieba's dictionary cache and other throw-away files (never the system temp dir)."""
    env = os.environ.get("PIZHU_CACHE")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The resources/ folder: beside the packages in a checkout, inside a PyInstaller bundle."""
    import sys

    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def path_text(path: Path) -> str:
    """A path as storable text: undecodable bytes of a file name (surrogate-escaped by Python)
    are kept as ``\\xNN`` instead of breaking the UTF-8 database."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def name_text(path: Path) -> str:
    """A file's name as text that SQLite can store (undecodable bytes escaped)."""
    return path_text(Path(path.name))


def os_reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()
