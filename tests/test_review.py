"""Daily review with FSRS (issue 17): N a day, limited to tags, answers persisted with the
schedule per highlight uuid (kept through an edit and a re-anchoring), keep / retire, and
``pizhu review`` (interactive and --json)."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.cli.commands import main
from reader.core import review
from reader.core.library import Library

BODY = ("港口城市的夜市沿着老码头铺开，灯火一直亮到凌晨。\r摊主们说，游客比去年多了不少。\r"
        "交通部门加开了夜班公交，方便市民回家。\r有人担心噪音，街道办设了投诉电话。")


@pytest.fixture
def lib(lib: Library, tmp_path: Path) -> Library:
    src = tmp_path / "in.json"
    src.write_text(json.dumps([{
        "文章标识符aid": "r1", "标题title": "港口城市的夜间经济", "时间time": "2026-03-01",
        "公众号名称": "海港日报", "finalContent": BODY, "链接url": "https://example.invalid/r1",
    }], ensure_ascii=False), encoding="utf-8")
    assert not lib.import_paths([src], update_index=False).failed  # conftest's library, stocked
    return lib


def _mark(lib: Library, quote: str, **kw):
    a = lib.articles(limit=None)[0]
    body = lib.article(a.id).body
    s = body.index(quote)
    return lib.add_highlight(a.id, s, s + len(quote), **kw)


QUOTES = ["夜市沿着老码头铺开", "灯火一直亮到凌晨", "游客比去年多了不少", "加开了夜班公交",
          "方便市民回家", "街道办设了投诉电话"]


@pytest.fixture
def marks(lib):
    return [_mark(lib, q, tags=["夜间经济"] if i % 2 == 0 else ["交通"], note=f"想法{i}")
            for i, q in enumerate(QUOTES)]


T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_n_a_day_with_note_context_and_article(lib, marks):
    items = review.due(lib, limit=4, now=T0)
    assert len(items) == 4 and all(it.state == "new" for it in items)
    it = next(x for x in items if x.highlight.quote == "游客比去年多了不少") if any(
        x.highlight.quote == "游客比去年多了不少" for x in items) else items[0]
    h = it.highlight
    assert h.article_title == "港口城市的夜间经济" and it.source == "海港日报"
    assert h.note.startswith("想法")
    body = lib.article(h.article_id).body
    assert body.index(it.before + h.quote + it.after) >= 0  # the context around the quote
    assert "\n" not in it.before + it.after
    assert it.to_json()["link"].endswith(f"#highlight={h.uuid}")
    # the day's list is stable
    assert [x.highlight.uuid for x in review.due(lib, limit=4, now=T0)] == [
        x.highlight.uuid for x in items]
    # answering counts against the day
    for x in items[:3]:
        review.answer(lib, x.highlight.uuid, "good", now=T0)
    left = review.due(lib, limit=4, now=T0 + timedelta(hours=1))
    assert len(left) == 1 and left[0].highlight.uuid not in {x.highlight.uuid for x in items[:3]}


def test_limited_to_tags(lib, marks):
    items = review.due(lib, limit=10, tags=["交通"], now=T0)
    assert {x.highlight.uuid for x in items} == {m.uuid for m in marks[1::2]}


def test_fsrs_schedule_persisted_and_due_again(lib, marks):
    uuid = marks[0].uuid
    got = review.answer(lib, uuid, "3", now=T0)  # key 3 = good
    assert got.answer == "good" and got.state == "review" and not got.retired
    good_due = datetime.fromisoformat(got.due)
    assert good_due > T0 + timedelta(hours=20)
    easy = review.answer(lib, marks[1].uuid, "easy", now=T0)
    again = review.answer(lib, marks[2].uuid, "again", now=T0)
    assert datetime.fromisoformat(again.due) < good_due < datetime.fromisoformat(easy.due)
    # not shown before it is due (a new day, but too early), shown once due
    next_day = T0 + timedelta(days=1, hours=1)
    assert uuid not in {x.highlight.uuid for x in review.due(lib, limit=10, now=next_day)}
    later = good_due + timedelta(hours=1)
    items = {x.highlight.uuid: x for x in review.due(lib, limit=10, now=later)}
    assert items[uuid].state == "review" and items[uuid].reps == 1
    # due ones come first
    assert next(iter(items)) in {uuid, marks[2].uuid}
    second = review.answer(lib, uuid, "good", now=later)
    assert datetime.fromisoformat(second.due) - later > good_due - T0  # the interval grows
    assert review.stats(lib, now=later)["cards"] == 3


def test_schedule_survives_an_edit_and_a_reanchoring(lib, marks):
    h = marks[3]
    got = review.answer(lib, h.uuid, "easy", now=T0)
    lib.update_highlight(h.uuid, note="改过的想法", color="green")
    lib.update_highlight(h.uuid, start=h.start - 2, end=h.end)  # re-attached to a longer range
    cards = review._cards(lib)
    assert cards[h.uuid]["due"] == got.due and cards[h.uuid]["reps"] == 1


def test_keep_and_retire(lib, marks):
    kept = review.answer(lib, marks[0].uuid, "k", now=T0)
    assert kept.answer == "keep" and not kept.retired and kept.due
    gone = review.answer(lib, marks[1].uuid, "retire", now=T0)
    assert gone.retired and review.next_due_in(gone) is None
    far = T0 + timedelta(days=400)
    uuids = {x.highlight.uuid for x in review.due(lib, limit=50, now=far)}
    assert marks[0].uuid in uuids and marks[1].uuid not in uuids
    assert review.stats(lib, now=far)["retired"] == 1


def test_bad_answers(lib, marks):
    with pytest.raises(review.ReviewError):
        review.answer(lib, marks[0].uuid, "maybe")
    from reader.core.library import LibraryError

    with pytest.raises(LibraryError):
        review.answer(lib, "00000000-0000-0000-0000-000000000000", "good")


def test_deleted_highlights_are_not_reviewed(lib, marks):
    lib.delete_highlight(marks[0].uuid)
    assert marks[0].uuid not in {x.highlight.uuid for x in review.due(lib, limit=50, now=T0)}


# ---------------------------------------------------------------------- CLI
def test_cli_review_json_and_interactive(lib, marks, capsys, monkeypatch):
    root = str(lib.root)
    lib.close()
    assert main(["--library", root, "review", "--json", "-n", "3"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 3 and {"uuid", "quote", "note", "before", "after", "article_title",
                                 "source", "due", "state", "link"} <= set(listed[0])
    # answer in the terminal: good, a wrong key then retire, skip; then quit
    monkeypatch.setattr("sys.stdin", io.StringIO("3\nx\nr\ns\n"))
    assert main(["--library", root, "review", "-n", "3"]) == 0
    out = capsys.readouterr()
    assert out.out.count("——") >= 3 and "港口城市的夜间经济" in out.out
    assert "answer with 1–4" in out.out and "retired" in out.out
    assert "2 answered" in out.err
    # two answered today: one more left of 3, and --json says so
    assert main(["--library", root, "review", "--json", "-n", "3"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    # one answer from a script
    uuid = listed[2]["uuid"]
    assert main(["--library", root, "review", "--answer", uuid, "easy", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answer"] == "easy"
    assert main(["--library", root, "review", "--answer", uuid, "maybe"]) == 2
    assert "no answer" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal (pty) is POSIX")
def test_cli_review_takes_one_key_in_a_terminal(lib, marks):
    import os
    import pty
    import select
    import subprocess

    root = str(lib.root)
    lib.close()
    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "reader", "--library", root, "review", "-n", "1"],
                            stdin=child_fd, stdout=child_fd, stderr=child_fd, close_fds=True)
    os.close(child_fd)
    out = b""

    def read_until(marker: bytes) -> None:
        nonlocal out
        while marker not in out:
            ready, _, _ = select.select([main_fd], [], [], 30)
            assert ready, out.decode("utf-8", "replace")
            try:
                out += os.read(main_fd, 4096)
            except OSError:  # the child closed the terminal
                return

    read_until(b"[q]uit > ")
    os.write(main_fd, b"4")  # one key, no Enter
    read_until(b"answered")
    assert proc.wait(timeout=30) == 0
    os.close(main_fd)
    text = out.decode("utf-8", "replace")
    assert "easy: back in" in text and "1 answered" in text
