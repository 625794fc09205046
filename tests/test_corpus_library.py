"""The shared corpus through the whole library: import, re-import, search (skips without it)."""

from __future__ import annotations

import pytest

from reader.core.library import ArticleFilter, Library

WECHAT = "002_bfaa984403c8d761.txt"
MARKED = "000_4e140645f91f0324.txt"
PLAIN = "003_ff351304df02b110.txt"


@pytest.fixture(scope="module")
def corpus_lib(tmp_path_factory):
    from conftest import SHARED_CORPUS

    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    root = tmp_path_factory.mktemp("corpus") / "lib"
    lib = Library.open(root)
    summary = lib.import_paths([SHARED_CORPUS])
    yield lib, summary
    lib.close()


def test_every_corpus_file_imports(corpus_lib):
    lib, summary = corpus_lib
    txt = [f for f in summary.files if f.path.endswith(".txt")]
    assert len(txt) == 3
    assert all(f.status == "added" for f in txt), [(f.path, f.reason) for f in txt]


def test_wechat_export_gives_51_articles_with_metadata(corpus_lib):
    lib, _ = corpus_lib
    arts = [a for a in lib.articles() if a.source_file.endswith(WECHAT)]
    assert len(arts) == 51
    for a in arts:
        assert a.title and a.date and a.url and a.external_id
        assert a.source == "天津政务网"


def test_reimport_adds_nothing(corpus_lib):
    from conftest import SHARED_CORPUS

    lib, _ = corpus_lib
    before = lib.count_articles()
    again = lib.import_paths([SHARED_CORPUS])
    assert again.count("added") == 0 and again.count("updated") == 0
    assert lib.count_articles() == before


@pytest.mark.parametrize(
    "headline",
    ["京津冀企业家圆桌交流会举行", "天津政务服务地图上线", "本市累计培育智能工厂720家"],
)
def test_page_headlines_are_found_by_search(corpus_lib, headline):
    lib, _ = corpus_lib
    hits, _total = lib.search(headline, limit=5)
    assert hits and headline in hits[0].article.title


@pytest.mark.parametrize("substring", ["津冀", "质生产", "协同发展"])
def test_substrings_across_words_are_found(corpus_lib, substring):
    lib, _ = corpus_lib
    found = {h.article.id for h in lib.search(substring, limit=1000)[0]}
    expected = {a.id for a in lib.articles() if substring in (a.title + "\n" + lib.article(a.id).body)}
    assert expected and found == expected


def test_source_filter(corpus_lib):
    lib, _ = corpus_lib
    assert lib.count_articles(ArticleFilter(source="天津政务网")) == 51
