"""Import benchmark for saved pages (issue 13): a 4 MB WeChat article page with 50 pictures
beside it, imported through ``Library.import_paths`` (parse, pictures stored by content hash, one
transaction, the index caught up), and the same page parsed only.

    python bench/import_html.py [--size-mb 4] [--images 50] [--repeat 3] [--json]

Target: the import under one second on the 2-core reference machine. The page is generated
(seeded, invented text): ``<section>``/``<p>`` paragraphs with bold runs and headings, and every
picture a small PNG in ``assets/`` referenced by a relative ``src`` plus a remote ``data-src``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORDS = ("河湾 城南 菜市场 老街 书店 稻田 合作社 居民 摊主 街道 清晨 傍晚 改造 电梯 管网 停车位 "  # noqa: SIM905
         "志愿者 孩子 老人 公园 候鸟 湿地 图书馆 社区 食堂 面馆 豆腐 青菜 电子秤 采光板").split()


def png(w: int, h: int, rgb: tuple[int, int, int]) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


STYLE = ("margin: 0px 8px; padding: 0px; outline: 0px; max-width: 100%; box-sizing: border-box "
         "!important; overflow-wrap: break-word !important; font-family: -apple-system, "
         "BlinkMacSystemFont, 'Helvetica Neue', 'PingFang SC', sans-serif; letter-spacing: "
         "0.544px; text-align: justify; visibility: visible; line-height: 1.75em;")


def make_page(folder: Path, *, size: int = 4 * 1024 * 1024, images: int = 50,
              text_chars: int = 40_000, seed: int = 13) -> Path:
    """Write ``folder/page.html`` (at least ``size`` bytes) and ``folder/assets/*.png``.

    Shaped like a saved WeChat page: most of the bytes are the page's scripts and styles and
    the inline ``style`` of every span; ``text_chars`` characters of article text (WeChat
    articles hold at most 20,000 characters; 40,000 to be safe), headings every 40 paragraphs,
    a bold run in every paragraph, a picture after every other paragraph."""
    rng = random.Random(seed)
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    for i in range(images):
        (folder / "assets" / f"img_{i:03d}.png").write_bytes(
            png(40 + i, 30, (i * 5 % 256, 120, 200 - i)))
    paras: list[str] = []
    chars = n = 0
    while chars < text_chars or n < images * 2:
        words = "".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60)))
        if n % 40 == 0:
            chunk = f'<h2 style="{STYLE}"><strong>第{n // 40 + 1}部分 {words[:8]}</strong></h2>'
        else:
            spans = "".join(f'<span style="{STYLE}">{words[k:k + 12]}</span>'
                            for k in range(0, len(words), 12))
            chunk = (f'<section style="{STYLE}"><p style="{STYLE}">{spans}，'
                     f'<strong style="{STYLE}">{words[:10]}</strong><span>第{n}段。</span></p>'
                     "</section>")
        if n % 2 == 1 and n // 2 < images:
            i = n // 2
            chunk += (f'<p style="text-align:center"><img src="assets/img_{i:03d}.png" '
                      f'data-src="https://mmbiz.qpic.cn/mmbiz_png/b{i}/640?wx_fmt=png" alt="图{i}" '
                      f'style="{STYLE}" data-ratio="0.75" data-w="1080"></p>')
        paras.append(chunk)
        chars += len(words) + 12
        n += 1
    content = "".join(paras)
    head = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="author" content="周晓岚">'
        '<title>基准页面</title><script>var ct = "1762475508"; var msg_link = '
        '"http://mp.weixin.qq.com/s?__biz=MzA5OTAwMDAwMA==&amp;mid=1&amp;idx=1&amp;sn=bench#rd";'
        "</script>"
    )
    tail = ('</head><body><h1 id="activity-name">基准测试用的长文章</h1>'
            '<a id="js_name">河湾生活观察</a><div id="js_content" style="visibility: hidden;">'
            + content + "</div></body></html>")
    filler = size - len((head + tail).encode())
    script = ""
    if filler > 0:  # the page's own scripts and styles make up the rest
        line = "function f%d(a){return a.map(function(x){return x*2+%d;}).join(',');}\n"
        block = "".join(line % (k, k) for k in range(200))
        script = "<script>" + block * (filler // len(block) + 1) + "</script>"
    page = folder / "page.html"
    page.write_text(head + script + tail, encoding="utf-8")
    return page


def reader_open_ms(library: Path, repeat: int) -> float:
    """Median time of ReaderView.show_article for the page's article (document built, pictures
    placed and formatted, laid out for a 1000x800 pane), offscreen."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from reader.core.library import Library
    from reader.ui.reader_view import ReaderView
    from reader.ui.tasks import LibraryWorker

    app = QApplication.instance() or QApplication([])
    times = []
    with Library.open(library) as lib:
        (aid,) = [a.id for a in lib.articles()]
        worker = LibraryWorker(lib)
        view = ReaderView(lib, worker)
        view.resize(1000, 800)
        view.show()
        app.processEvents()
        for _ in range(repeat + 1):
            view.show_article(None)
            app.processEvents()
            t = time.perf_counter()
            view.show_article(aid)
            view.text.document().documentLayout().documentSize()  # laid out
            times.append((time.perf_counter() - t) * 1000)
        view.close()
        worker.stop()
    return round(statistics.median(times[1:]), 1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size-mb", type=float, default=4.0)
    p.add_argument("--images", type=int, default=50)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--text-chars", type=int, default=40_000,
                   help="article text in the page (the worst case: --text-chars 1000000)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--reader", action="store_true",
                   help="also time opening the article in the reader pane (offscreen Qt)")
    args = p.parse_args(argv)
    from reader.core.importers import parse_file
    from reader.core.library import Library

    parse_s, import_s = [], []
    with tempfile.TemporaryDirectory(prefix="pizhu-bench-html-") as tmp:
        page = make_page(Path(tmp) / "page", size=int(args.size_mb * 1024 * 1024),
                         images=args.images, text_chars=args.text_chars)
        parse_file(page)  # warm: imports of lxml, the importer modules
        for r in range(args.repeat):
            t = time.perf_counter()
            parse_file(page)
            parse_s.append(time.perf_counter() - t)
            with Library.open(Path(tmp) / f"lib{r}") as lib:
                t = time.perf_counter()
                summary = lib.import_paths([page])
                import_s.append(time.perf_counter() - t)
                assert summary.files[0].status == "added", summary.files[0]
                (aid,) = [a.id for a in lib.articles()]
                assert len(lib.structure(aid).images) == args.images
        open_ms = reader_open_ms(Path(tmp) / "lib0", args.repeat) if args.reader else None
        result = {
            "page_bytes": page.stat().st_size, "images": args.images,
            "text_chars": args.text_chars,
            "parse_s_median": round(statistics.median(parse_s), 3),
            "import_s_median": round(statistics.median(import_s), 3),
            "import_s_max": round(max(import_s), 3),
        }
        if open_ms is not None:
            result["reader_open_ms_median"] = open_ms
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
