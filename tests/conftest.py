"""Shared test setup: headless Qt, an isolated cache, fixture paths."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.library import Library

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep jieba's dictionary cache and anything else out of the user's real directories.
os.environ.setdefault("PIZHU_CACHE", str(Path(tempfile.gettempdir()) / "pizhu-test-cache"))
os.environ.pop("PIZHU_HOME", None)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return SHARED_CORPUS


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    """An empty library in a temporary folder, closed after the test. Test modules that need
    articles in it override this fixture and ask for it (``def lib(lib): …``)."""
    with Library.open(tmp_path / "lib") as library:
        yield library
