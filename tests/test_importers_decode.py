"""Decoding: BOMs, strict UTF-8, GB18030/GBK via charset-normalizer, binary and undecodable input."""

from __future__ import annotations

import codecs

import pytest

from reader.core.importers import ImportFailure, decode_bytes, parse_file

TEXT = "城市书房里的夜读时光\n\n晚上八点，城市书房里依然坐满了读者。“下班后来这里看一会儿书。”\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # with BOM (native order)
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
    ],
)
def test_boms_and_utf8(data: bytes, encoding: str) -> None:
    text, enc = decode_bytes(data)
    assert text == TEXT
    assert enc == encoding


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "gb2312"])
def test_gb_family_is_detected(codec: str) -> None:
    long_text = (
        TEXT * 3 + "本报讯（记者 李华）昨天，临川市举行春季招聘会，两百余家企业提供岗位五千多个。\n"
    )
    text, enc = decode_bytes(long_text.encode(codec))
    assert text == long_text
    assert enc == "gb18030"  # GB18030 is a superset of GBK and GB2312


def test_short_gbk_text() -> None:
    text, enc = decode_bytes("夜读".encode("gbk"))
    assert text == "夜读"
    assert enc == "gb18030"


def test_encoded_files_give_the_same_articles(tmp_path, fixtures) -> None:
    source = (fixtures / "importers" / "page_unmarked.txt").read_text(encoding="utf-8")
    results = []
    for codec, prefix in [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("gb18030", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ]:
        path = tmp_path / f"page-{codec}-{len(prefix)}.txt"
        path.write_bytes(prefix + source.replace("\n", "\r\n").encode(codec))
        parsed = parse_file(path)
        results.append([(a.title, a.body, a.byline, a.subtitle) for a in parsed.articles])
        assert parsed.format == "page"
    assert all(r == results[0] for r in results)
    assert len(results[0]) == 4


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\r\n\t  ", "empty file"),
        (codecs.BOM_UTF8 + b"  \n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        (b"abc\x00def", "binary file"),
        (b"\x01\x02\x03\x04\x05\x06" * 50 + "文字".encode(), "binary file"),
    ],
)
def test_bad_bytes(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure) as info:
        decode_bytes(data)
    assert info.value.reason == reason


def test_undecodable_bytes() -> None:
    # 0x80 and 0xFF are invalid lead bytes in both UTF-8 and GB18030 (and in Big5)
    with pytest.raises(ImportFailure) as info:
        decode_bytes(b"\xff\x80\xff\x80 abc \xff\xff\x80\x80" * 20)
    assert info.value.reason.startswith("cannot decode text")


def test_broken_utf16_with_bom() -> None:
    with pytest.raises(ImportFailure) as info:
        decode_bytes(
            codecs.BOM_UTF16_LE + "文字".encode("utf-16-le") + b"\x00\xd8"
        )  # lone surrogate
    assert info.value.reason.startswith("cannot decode text")


def test_big5_traditional_text() -> None:
    t = "臺北市政府今日宣布，將於明年擴大公共運輸補助，並增設多條公車路線，以改善市民通勤品質。" * 3
    assert decode_bytes(t.encode("big5")) == (t, "big5")
