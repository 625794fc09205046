"""The shared corpus (../shared/corpus) imported as its README states. Skipped when absent.

No corpus text is copied here: the headlines, labels and the account name the README lists are
read from the README itself at test time.

Page invariant checked (tests/page_partition.py): each article's body holds its lines in page order
except the title and subtitle lines (lines broken mid-sentence joined); re-inserting them after its
article's pre-title lines and concatenating the articles gives back each non-empty page line
exactly once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from page_partition import partition

from reader.core.importers import parse_file
from reader.core.text import normalize

pytestmark = pytest.mark.corpus

TERMINAL = ("。", "！", "？", "”", "…", "!", "?", '"')
# the README's byline shapes: 本报讯（记者 …）, ■记者 王音, 记者 姚华 (not a photo credit)
BYLINE_LINE = re.compile(r"^(?:本报讯\s*[（(]|■\s*记者|(?:本报)?记者[ \u3000][^，,。]{2,20}$)")


def readme(corpus: Path) -> str:
    return (corpus / "README.md").read_text(encoding="utf-8")


def listed_headlines(corpus: Path) -> dict[str, list[str]]:
    text = readme(corpus)
    start = text.index("these headlines each start an article")
    end = text.index("section labels", start)
    section = text[start:end]
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"-\s*(\d{3}):(.*?)(?=\n\s*-\s*\d{3}:|\Z)", section, re.S):
        out[m.group(1)] = re.findall(r"`([^`]+)`", m.group(2))
    assert set(out) == {"000", "003"} and all(out.values()), out
    return out


def listed_labels(corpus: Path) -> list[str]:
    text = readme(corpus)
    m = re.search(r"section labels \(([^)]*)\)[^\n]*\n?[^\n]*do not become articles", text)
    assert m, "README: section labels sentence not found"
    labels = re.findall(r"`([^`]+)`", m.group(1))
    assert labels
    return labels


def listed_subtitles(corpus: Path) -> list[str]:
    m = re.search(r"kicker or subtitle line around the headline \(([^)]*)\)", readme(corpus))
    assert m
    return [s.rstrip("…") for s in re.findall(r"`([^`]+)`", m.group(1))]


def corpus_file(corpus: Path, prefix: str) -> Path:
    (path,) = sorted(corpus.glob(f"{prefix}_*.txt"))
    return path


def spans(text: str, drafts) -> list[list[str]]:
    """Each article's page lines; asserts the partition invariant (tests/page_partition.py)."""
    return partition(text, drafts)


def test_wechat_export(shared_corpus: Path) -> None:
    m = re.search(r"source \(`([^`]+)`\)", readme(shared_corpus))
    assert m
    account = m.group(1)
    parsed = parse_file(corpus_file(shared_corpus, "002"))
    assert parsed.format == "wechat"
    arts = parsed.articles
    assert len(arts) == 51
    for a in arts:
        assert a.title.strip() and a.body.strip()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.date)
        assert a.source == account
        assert a.url.startswith("http")
        assert a.external_id
        assert a.kind == "wechat"
        assert "\r" not in a.body and "\u0488" not in a.title + a.body
        assert "\u0489" not in a.title + a.body
        assert "\n\n\n" not in a.body and normalize(a.body) == a.body
    assert len({a.external_id for a in arts}) == 51
    # re-parsing gives identical drafts (the store relies on this for "re-import adds nothing")
    again = parse_file(corpus_file(shared_corpus, "002")).articles
    assert [(a.external_id, a.title, a.body) for a in again] == [
        (a.external_id, a.title, a.body) for a in arts
    ]


# Article counts the current rules give; a change here is a change in splitting behaviour.
EXPECTED_COUNTS = {"000": 12, "003": 5}


def _unmarked(t: str) -> str:
    return re.sub(r"(?m)^#{1,6}\s*", "", t)


def _half_width(t: str) -> str:
    return t.translate(str.maketrans("，（）：；", ",():;"))


def _full_width(t: str) -> str:
    return t.translate(str.maketrans(",():;", "，（）：；"))


# Other pages "of the same family" are not available; these variants of the two pages (markup
# removed, punctuation width swapped, blank lines removed, CRLF, indented) must obey the same rules.
VARIANTS = {
    "as-is": lambda t: t,
    "unmarked": _unmarked,
    "unmarked-half-width": lambda t: _half_width(_unmarked(t)),
    "full-width": _full_width,
    "no-blank-lines": lambda t: re.sub(r"\n\s*\n", "\n", t),
    "crlf-indented": lambda t: re.sub(r"(?m)^(?=\S)", "\u3000\u3000", t).replace("\n", "\r\n"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("prefix", ["000", "003"])
def test_newspaper_page(shared_corpus: Path, prefix: str, variant: str, tmp_path: Path) -> None:
    original = corpus_file(shared_corpus, prefix).read_text(encoding="utf-8")
    text = VARIANTS[variant](original)
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode("utf-8"))
    text = text.replace("\r\n", "\n")
    parsed = parse_file(path)
    marked = "## " in text
    assert parsed.format == ("page-marked" if marked else "page")
    arts = parsed.articles
    assert [a.page_index for a in arts] == list(range(len(arts)))
    assert all(a.kind == "page" for a in arts)

    # every non-empty line in exactly one article, in page order
    article_lines = spans(text, arts)

    # the listed headlines each start an article (its title contains them)
    headlines = listed_headlines(shared_corpus)[prefix]
    titles = [a.title for a in arts]
    for h in headlines:
        assert sum(h in t for t in titles) == 1, (
            f"headline {h!r} does not start exactly one article"
        )
    # ... in page order
    order = [next(k for k, t in enumerate(titles) if h in t) for h in headlines]
    assert order == sorted(order)

    # section labels and bare subtitle lines do not become articles of their own
    labels = {lab.rstrip("：:") for lab in listed_labels(shared_corpus)}
    subtitles = listed_subtitles(shared_corpus)
    for a, lines in zip(arts, article_lines, strict=True):
        assert a.title.rstrip("：:") not in labels
        assert not any(a.title.lstrip("—").startswith(s.lstrip("—")) for s in subtitles)
        assert not a.title.startswith("—")
        # every article has real text: at least one line that is a finished sentence
        assert any(ln.endswith(TERMINAL) for ln in lines), a.title

    # a byline, where the article has one, is recorded (and is text of the article)
    for a, lines in zip(arts, article_lines, strict=True):
        has = [ln for ln in lines if BYLINE_LINE.match(ln) and not ln.endswith("摄")]
        if has:
            assert a.byline, f"{a.title!r} has a byline line but no byline"
            assert a.byline.lstrip("■ ") in has[0].replace("■", "").strip() or a.byline in has[0]
        else:
            assert a.byline == ""

    # no source or date invented: these pages carry no masthead
    assert all(a.source == "" and a.date == "" for a in arts)
    assert len(arts) == EXPECTED_COUNTS[prefix]
    if variant == "as-is" and prefix == "000":
        # the joined titles: a second headline line is part of the title, never its own article
        assert sum(" " in a.title for a in arts) >= 2
