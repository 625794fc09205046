"""Imported by the crash harness's fork server: the app's modules and jieba's dictionary are
loaded once there, so each forked child starts in milliseconds instead of seconds."""

from __future__ import annotations

import index  # noqa: F401
import reader.core.importers  # noqa: F401
import reader.core.search_index
from index import analysis
from reader.core import paths

analysis.configure(cache_dir=paths.cache_dir() / "jieba", userdict=reader.core.search_index.userdict())
analysis.warm_up()
