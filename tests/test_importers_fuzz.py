"""Property tests: parse_file never raises anything but ImportFailure, and every article it
returns has a non-empty title and body."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.importers import ImportFailure, parse_file, parse_text

KEYS = [
    "文章标识符aid",
    "标题title",
    "链接url",
    "时间time",
    "公众号名称",
    "finalContent",
    "content",
    "x",
]
CJK_TEXT = st.text(
    alphabet=st.sampled_from(
        list("新闻记者本报讯天津市，。、：；“”（）()##·—\r\n 　\u0488\u0301𠀋1a")
    ),
    max_size=200,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | CJK_TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), children, max_size=6)
    ),
    max_leaves=30,
)

_DIR = Path(tempfile.mkdtemp(prefix="pizhu-fuzz-"))


def check(data: bytes) -> None:
    path = _DIR / "f.txt"
    path.write_bytes(data)
    try:
        parsed = parse_file(path)
    except ImportFailure as exc:
        assert exc.reason and "\n" not in exc.reason
        # the safety net in parse_file must not be what catches a bug
        assert not exc.reason.startswith(("internal error", "too deeply nested")), exc.reason
        return
    assert parsed.articles
    for a in parsed.articles:
        assert a.title.strip() and a.body.strip()
        assert "\r" not in a.body


# PIZHU_FUZZ_EXAMPLES=5000 for a longer run
common = settings(
    max_examples=int(os.environ.get("PIZHU_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@common
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@common
@given(json_values)
def test_random_json(doc) -> None:
    check(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


@common
@given(st.lists(json_values, max_size=5))
def test_random_json_arrays(doc) -> None:
    check(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


@common
@given(CJK_TEXT, st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_text(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    check(data)


@common
@given(
    st.lists(
        st.sampled_from(
            [
                "## 标题一行",
                "标题一行",
                "编者按",
                "本报讯（记者 王一）正文。",
                "记者 李二",
                "城乡·新观察",
                "——副标题",
                "正文的一句话，很长很长。",
                "（上接第1版）",
                "图为现场。",
                "",
                "临川日报 2025年1月2日 星期四",
                "短行",
                "# 文档标题",
            ]
        ),
        max_size=40,
    )
)
def test_random_pages(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        parsed = parse_text(text)
    except ImportFailure as exc:
        assert exc.reason == "no articles found"
        return
    for a in parsed.articles:
        assert a.title.strip() and a.body.strip()
