"""Issue 15 item 5: segmentation cost is bounded, sizes are capped with a clear message, and an
index job that never finishes is parked instead of bricking the library."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import analysis
from reader.core.library import MAX_ARTICLE_CHARS, MAX_NOTE_CHARS, Library, LibraryError
from reader.core.search_index import PARK_AFTER, PARK_MIN_CHARS


def test_jieba_only_ever_sees_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    tk = analysis._SEG.get()
    seen: list[int] = []
    real = tk.cut

    def spy(text: str, *a: object, **kw: object):
        seen.append(len(text))
        return real(text, *a, **kw)

    monkeypatch.setattr(tk, "cut", spy)
    text = "的" * 5000 + "。" + "港口集装箱吞吐量再创新高" * 100
    words, n = analysis.word_postings(text)
    assert seen and max(seen) <= analysis.MAX_BLOCK
    assert sum(seen) == len(text)  # nothing dropped, nothing twice
    assert n >= 1 and "港口" in words


def test_ordinary_text_segments_as_jieba_does() -> None:
    para = "京津冀协同发展持续走深走实，三地在交通一体化、生态环境联防联治等领域取得成果。"
    text = para * 40  # 1,600 characters, a comma or full stop at least every 25
    assert list(analysis.cut(text)) == list(analysis._SEG.get().cut(text))


def test_a_file_of_one_repeated_character_imports_and_is_found(lib: Library,
                                                                tmp_path: Path) -> None:
    f = tmp_path / "repeat.txt"
    f.write_text("重复字符的文件\n" + "的" * 60_000 + "\n结尾一句话。\n", encoding="utf-8")
    rep = lib.import_paths([f])
    assert rep.files[0].status == "added"
    hits, total = lib.search("结尾一句")
    assert total == 1 and hits[0].article.title == "重复字符的文件"


def test_an_article_over_the_limit_is_refused_with_a_reason(lib: Library, tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    f.write_text("超长文章\n" + "长文本。" * (MAX_ARTICLE_CHARS // 4 + 10), encoding="utf-8")
    rep = lib.import_paths([f])
    (r,) = rep.files
    assert r.status == "failed" and "too long" in r.reason and "1,000,000" in r.reason
    assert lib.count_articles() == 0


def test_a_note_over_the_limit_is_refused(lib: Library, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("笔记上限\n一段普通的正文。\n", encoding="utf-8")
    lib.import_paths([f])
    (a,) = lib.articles()
    with pytest.raises(LibraryError, match="too long"):
        lib.add_highlight(a.id, 0, 2, note="注" * (MAX_NOTE_CHARS + 1))
    h = lib.add_highlight(a.id, 0, 2, note="短")
    with pytest.raises(LibraryError, match="too long"):
        lib.update_highlight(h.uuid, note="注" * (MAX_NOTE_CHARS + 1))
    assert lib.highlight(h.uuid).note == "短"


def test_a_job_that_never_finishes_is_parked(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("停放的文章\n第一版正文。\n", encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([f])
        # a new version whose index job was started twice and never finished
        long = "这篇文章的索引任务两次都没有完成。" + "长" * PARK_MIN_CHARS
        f.write_text("停放的文章\n" + long + "\n", encoding="utf-8")
        lib.import_paths([f], update_index=False)
        with lib.store.transaction() as tx:
            tx.execute("UPDATE index_queue SET attempts = ?", (PARK_AFTER,))
        (a,) = lib.articles()
    with Library.open(tmp_path / "lib") as lib:
        hits, total = lib.search("停放的文章")
        assert total == 1  # found by its title
        assert lib.search("两次都没有完成")[1] == 0  # its text is not searched
        assert lib.parked() == [(a.id, f"indexing it did not finish {PARK_AFTER} times")]
        assert any("could not be indexed" in m for m in lib.messages)
        assert lib.article(a.id).body.startswith("这篇文章")  # kept and readable
        assert lib.stats()["index_pending"] == 0
    # new text for it: unparked and searchable again
    f.write_text("停放的文章\n" + long + "补充一句。\n", encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.import_paths([f])
        assert lib.parked() == []
        assert lib.search("补充一句")[1] == 1


def test_a_file_changed_during_import_is_recorded_by_what_was_parsed(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 9: the digest recorded is that of the bytes parsed — the file is read once, its
    digest and its parse are of the same bytes — so a change made meanwhile is imported on the
    next run, never refused as "already imported"."""
    import hashlib

    import reader.core.importers as importers

    f = tmp_path / "a.txt"
    old = "变化中的文件\n第一版的正文。\n"
    new = "变化中的文件\n第二版的正文，写入发生在读取之间。\n"
    f.write_text(old, encoding="utf-8")
    real = importers.parse_file

    def racing(path, **kw):
        f.write_text(new, encoding="utf-8")  # the file changes after it was read
        return real(path, **kw)

    monkeypatch.setattr(importers, "parse_file", racing)
    rep = lib.import_paths([f])
    assert rep.files[0].status == "added"
    body = lib.article(lib.articles()[0].id).body or ""
    assert "第一版" in body and "第二版" not in body  # what was read is what was stored
    digests = {r[0] for r in lib.store.reader().execute("SELECT sha256 FROM imported_files")}
    assert digests == {hashlib.sha256(old.encode()).hexdigest()}
    monkeypatch.setattr(importers, "parse_file", real)
    assert lib.import_paths([f]).files[0].status == "updated"  # the new content comes in
    assert lib.import_paths([f]).files[0].status == "unchanged"


def test_notes_and_tags_lose_control_characters_on_every_write(lib: Library,
                                                               tmp_path: Path) -> None:
    """Item 6: what the GUI's note editor and `pizhu highlight --note` store is cleaned too."""
    f = tmp_path / "a.txt"
    f.write_text("控制字符\n一段普通的正文。\n", encoding="utf-8")
    lib.import_paths([f])
    (a,) = lib.articles()
    h = lib.add_highlight(a.id, 0, 2, note="\x00=HYPERLINK(1)\x1b", tags=["\x07港口"])
    assert h.note == "=HYPERLINK(1)" and h.tags == ["港口"]
    h = lib.update_highlight(h.uuid, note="新\x00笔记", tags=["\x1b政策"])
    assert h.note == "新笔记" and h.tags == ["政策"]
    assert lib.set_article_tags(a.id, ["\x00经济"]) == ["经济"]


def test_article_references_that_are_no_numbers(lib: Library, tmp_path: Path) -> None:
    """Item 10: "²" and "١٢" pass str.isdigit(); a 20-digit number is beyond SQLite."""
    f = tmp_path / "a.txt"
    f.write_text("编号测试\n正文。\n", encoding="utf-8")
    lib.import_paths([f])
    assert lib.find_article("²") is None
    assert lib.find_article("١٢") is None
    assert lib.find_article("9" * 20) is None
    assert lib.find_article(str(lib.articles()[0].id)) == lib.articles()[0].id


def test_an_import_gives_new_titles_their_sort_key(lib: Library, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("北京新闻\n正文。\n", encoding="utf-8")
    lib.import_paths([f])
    key = lib.store.reader().execute("SELECT title_sort FROM articles").fetchone()[0]
    assert key  # the title order knows it without a GUI start


def test_ordinary_index_failures_never_park(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding: two failed drains (a full disk) parked every long queued article."""
    import errno

    from index import SearchIndex

    f = tmp_path / "a.txt"
    f.write_text("短暂失败\n" + "这是一篇很长的文章。" * (PARK_MIN_CHARS // 9) + "\n", encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.index()
        real = SearchIndex.update
        fails = {"n": 0}

        def full(self, *a, **kw):
            if fails["n"] < 3:
                fails["n"] += 1
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(self, *a, **kw)

        monkeypatch.setattr(SearchIndex, "update", full)
        lib.import_paths([f])  # fails to index
        lib.sync_index()
        lib.sync_index()
        lib.sync_index()  # works now
        assert lib.parked() == []
        assert lib.search("这是一篇很长的文章")[1] == 1
