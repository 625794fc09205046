"""Shared setup for the GUI annotation tests: a real temporary library, its worker and signals,
and small fixture articles written here (never corpus text)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.core.library import Library
from reader.ui.tasks import LibrarySignals, LibraryWorker


def index_available() -> bool:
    try:
        from index import SearchIndex  # noqa: F401
    except ImportError:
        return False
    return True


ARTICLE_ONE = (
    "城市更新的三道难题",
    "第一段：老旧小区改造牵动千家万户，资金从哪里来是首要问题。\n"
    "第二段：居民意见不一，加装电梯往往卡在低层住户的顾虑上。\n"
    "第三段：规划部门提出“微更新”思路，以小投入换取大改善。\n"
    "第四段：专家认为，长效管理机制比一次性投入更重要。",
)
ARTICLE_TWO = (
    "乡村振兴中的数字经济",
    "电商直播让山区的农产品走出大山，也带来了品控的新挑战。\n"
    "县里建起冷链仓储中心，物流成本下降了三成。\n"
    "年轻人返乡创业，正在改变村庄的人口结构。",
)


@dataclass
class Env:
    lib: Library
    worker: LibraryWorker
    signals: LibrarySignals
    tmp: Path

    def write_plain(self, name: str, title: str, body: str) -> Path:
        path = self.tmp / f"{name}.txt"
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        return path

    def import_file(self, path: Path) -> list[int]:
        """Import one file; the ids of the articles it added or updated."""
        before = {a.id for a in self.lib.articles(limit=None)}
        summary = self.lib.import_paths([path], update_index=index_available())
        assert not summary.failed, [f.reason for f in summary.files]
        after = self.lib.articles(order="id", descending=False, limit=None)
        new = [a.id for a in after if a.id not in before]
        return new or [a.id for a in after if a.source_file == str(path)]

    def article(self, name: str, title: str, body: str) -> int:
        return self.import_file(self.write_plain(name, title, body))[0]

    def write_wechat(self, name: str, articles: list[dict]) -> Path:
        path = self.tmp / f"{name}.json"
        path.write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
        return path

    def span(self, article_id: int, quote: str) -> tuple[int, int]:
        body = self.lib.article(article_id).body
        start = body.index(quote)
        return start, start + len(quote)

    def highlight(self, article_id: int, quote: str, **kw):
        s, e = self.span(article_id, quote)
        return self.lib.add_highlight(article_id, s, e, **kw)


@pytest.fixture(name="env")
def env_fixture(tmp_path, monkeypatch, qtbot):
    """The ``env`` fixture (import ``env_fixture`` into a test module to use it)."""
    lib = Library.open(tmp_path / "lib")
    if not index_available():
        # the search index package has not landed yet: keep the library's writes index-free
        monkeypatch.setattr(lib.search_index, "sync", lambda: None)
    signals = LibrarySignals(lib)
    worker = LibraryWorker(lib)
    try:
        yield Env(lib, worker, signals, tmp_path)
    finally:
        from PySide6.QtCore import QCoreApplication

        worker.stop()
        QCoreApplication.processEvents()  # the last callbacks run while the library is open
        lib.close()


def commit_text(widget, text: str) -> None:
    """Type ``text`` as an input method would commit it (safe for Chinese, unlike keyClicks)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def click_row(qtbot, view, row: int, modifier=None) -> None:
    from PySide6.QtCore import Qt

    index = view.model().index(row, 0)
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid() and not rect.isEmpty(), f"row {row} is not laid out"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     modifier or Qt.KeyboardModifier.NoModifier, rect.center())


def show(widget) -> None:
    """Lay out, then show (the offscreen platform warns if a window's size hints change after
    it exists)."""
    widget.adjustSize()
    widget.show()
