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
