"""Fuzz every importer through Library.import_paths (issue 6).

    python bench/fuzz_importers.py                         # atheris, every target, 5000 runs each
    python bench/fuzz_importers.py --target json --runs 100000
    python bench/fuzz_importers.py --engine hypothesis --runs 2000   # no atheris needed

Each input becomes a file, is imported into a scratch library, and the database is checked with
the invariants of tests/crashkit/fuzzgen.py (a clean import of whole articles, or one readable
per-file reason; never an exception, never a partial article, never an 'internal error').

``atheris`` (coverage-guided, libFuzzer) is used when it is installed (``pip install atheris``);
the targets build files from the fuzzer's bytes: ``bytes`` (the raw file: decoding and format
detection), ``json`` (a WeChat export: structure, key names, value types, truncation), ``page``
(newspaper pages with and without ``## ``) and ``plain`` (one article). A failing input is saved
as ``bench/out/fuzz-<target>-crash-…``. ``--engine hypothesis`` runs the test suite's strategies
for many more examples instead. Prints cases per target and what became of them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("PIZHU_CACHE", str(Path(tempfile.gettempdir()) / "pizhu-test-cache"))

TARGETS = ("bytes", "json", "page", "plain", "html", "markdown")
# issue 13: pieces of saved web pages and Markdown, hostile ones among them
HTML_TAGS = ["p", "div", "section", "span", "strong", "b", "em", "h1", "h2", "h3", "ul", "ol",
             "li", "blockquote", "figure", "figcaption", "img", "br", "a", "script", "style",
             "iframe", "table", "tr", "td", "svg", "noscript", "object"]
HTML_ATTRS = ['id="js_content"', 'id="activity-name"', 'id="js_name"', 'style="display:none"',
              'style="font-weight:bold"', 'onerror="fetch(\'http://198.51.100.7/\')"',
              'href="javascript:alert(1)"', 'src="data:image/png;base64,iVBORw0KGgo="',
              'data-src="https://mmbiz.qpic.cn/x/640?wx_fmt=png"', 'src="../../etc/passwd"',
              'src="file:///dev/zero"', 'hidden', 'alt="图"']
MD_PIECES = ["# ", "## ", "**", "*", "> ", "- ", "1. ", "![图](a.png)", "![](https://x/y.png)",
             "[号](javascript:void(0);)", "原创 作者 ", "微信号 ", "功能介绍 ", "---\n",
             "title: 标题\n", "```\n", "<b>", "</b>", "\n", "\n\n", "|a|b|\n|-|-|\n"]
KEYS = ["文章标识符aid", "标题title", "链接url", "时间time", "公众号名称", "finalContent", "content",
        "author", "digest", "title", "正文", "publish_time", "cover_url", "content_html", "text"]
NASTY = ["\x00", "\ud800", "\udfff", "\u202e", "\u0301", "😀", "👩\u200d👩\u200d👧", "𠀋", "\ufeff",
         "\r", "\r\n", "\u2028", "## ", "——", "本报讯（记者 林晓）", "<img src=http://x/>", "&amp;"]


def _text(fdp, n: int) -> str:  # noqa: ANN001
    """Fuzzer text with the awkward characters mixed in."""
    parts = []
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        if fdp.ConsumeBool():
            parts.append(NASTY[fdp.ConsumeIntInRange(0, len(NASTY) - 1)])
        else:
            parts.append(fdp.ConsumeUnicodeNoSurrogates(n))
    return "".join(parts)


def _value(fdp, depth: int = 0):  # noqa: ANN001, ANN202
    kind = fdp.ConsumeIntInRange(0, 8 if depth < 4 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeInt(8)
    if kind == 3:
        return fdp.ConsumeFloat()
    if kind in (4, 5):
        return _text(fdp, 40)
    if kind == 6:
        return [_value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 4))]
    return {(KEYS[fdp.ConsumeIntInRange(0, len(KEYS) - 1)] if fdp.ConsumeBool()
             else fdp.ConsumeUnicode(6)): _value(fdp, depth + 1)
            for _ in range(fdp.ConsumeIntInRange(0, 7))}


def build(target: str, data: bytes) -> bytes:
    """The file a fuzzer input stands for."""
    import atheris

    if target == "bytes":
        return data
    fdp = atheris.FuzzedDataProvider(data)
    if target == "json":
        entries = [_value(fdp) if fdp.ConsumeIntInRange(0, 3) == 0 else
                   {KEYS[fdp.ConsumeIntInRange(0, len(KEYS) - 1)]: _value(fdp, 2)
                    for _ in range(fdp.ConsumeIntInRange(0, 8))}
                   for _ in range(fdp.ConsumeIntInRange(0, 5))]
        doc = entries if fdp.ConsumeBool() else {"data": {"list": entries}}
        raw = json.dumps(doc, ensure_ascii=fdp.ConsumeBool()).encode("utf-8", "surrogatepass")
        if fdp.ConsumeBool():
            raw = raw[: fdp.ConsumeIntInRange(0, len(raw))]
        return raw
    if target == "html":
        return _html(fdp).encode("utf-8", "surrogatepass")
    if target == "markdown":
        pieces = [MD_PIECES[fdp.ConsumeIntInRange(0, len(MD_PIECES) - 1)] if fdp.ConsumeBool()
                  else _text(fdp, 20) for _ in range(fdp.ConsumeIntInRange(1, 40))]
        return "".join(pieces).encode("utf-8", "surrogatepass")
    if target == "page":
        marked = fdp.ConsumeBool()
        lines = []
        for _ in range(fdp.ConsumeIntInRange(1, 12)):
            if fdp.ConsumeBool():
                lines.append(("## " if marked else "") + _text(fdp, 20))
            else:
                lines.append(_text(fdp, 80) + "。")
            lines.append("")
        text = "\n".join(lines)
    else:
        text = _text(fdp, 30) + "\n" + _text(fdp, 200)
    enc = ["utf-8", "gb18030", "utf-16", "utf-8-sig"][fdp.ConsumeIntInRange(0, 3)]
    return text.encode(enc, "surrogatepass" if enc.startswith("utf-8") else "replace")


def _html(fdp) -> str:  # noqa: ANN001
    """A page of random tags, hostile attributes and text, sometimes nested very deep."""
    out = ["<!doctype html><html><head>"]
    if fdp.ConsumeBool():
        out.append('<script>var ct = "1762475508";</script>')
    out.append("</head><body>")
    if fdp.ConsumeBool():
        out.append('<div id="js_content">')
    for _ in range(fdp.ConsumeIntInRange(0, 30)):
        kind = fdp.ConsumeIntInRange(0, 5)
        tag = HTML_TAGS[fdp.ConsumeIntInRange(0, len(HTML_TAGS) - 1)]
        if kind == 0:
            out.append(_text(fdp, 30))
        elif kind == 1:
            attr = HTML_ATTRS[fdp.ConsumeIntInRange(0, len(HTML_ATTRS) - 1)]
            out.append(f"<{tag} {attr}>")
        elif kind == 2:
            out.append(f"</{tag}>")
        elif kind == 3:
            out.append(f"<{tag}>" * fdp.ConsumeIntInRange(1, 3000))
        elif kind == 4:
            out.append("该内容已被发布者删除" if fdp.ConsumeBool() else "&amp;&#x1F600;&#0;")
        else:
            out.append(f"<{tag}>{_text(fdp, 40)}</{tag}>")
    return "".join(out)


def run_atheris(target: str, runs: int, stats_file: Path) -> None:
    import atheris

    with atheris.instrument_imports(include=["reader", "index"]):
        from crashkit import fuzzgen

        from reader.core.library import Library
    work = Path(tempfile.mkdtemp(prefix=f"pizhu-fuzz-{target}-"))
    (work / "files").mkdir()
    lib = Library.open(work / "lib")
    checker = fuzzgen.ImportChecker(lib, work / "files")
    count = {"n": 0, "started": time.monotonic()}

    def save() -> None:
        stats_file.write_text(json.dumps({
            "target": target, "cases": count["n"], "outcomes": dict(checker.outcomes),
            "seconds": round(time.monotonic() - count["started"], 1)}), encoding="utf-8")

    def one(data: bytes) -> None:
        try:
            checker.run(build(target, data), target)  # AssertionError = a finding
        except BaseException:
            traceback.print_exc()
            save()
            raise
        count["n"] += 1
        if count["n"] % 200 == 0 or count["n"] >= runs:
            save()

    OUT.mkdir(parents=True, exist_ok=True)
    atheris.Setup([sys.argv[0], f"-runs={runs}", f"-artifact_prefix={OUT}/fuzz-{target}-",
                   "-max_len=65536", "-rss_limit_mb=4096"], one)
    atheris.Fuzz()


def run_hypothesis(runs: int) -> dict[str, dict]:
    from crashkit import fuzzgen
    from hypothesis import HealthCheck, given, settings

    from reader.core.library import Library

    results = {}
    with tempfile.TemporaryDirectory(prefix="pizhu-fuzz-") as tmp:
        lib = Library.open(Path(tmp) / "lib")
        (Path(tmp) / "files").mkdir()
        for name, strategy in sorted(fuzzgen.FAMILIES.items()):
            checker = fuzzgen.ImportChecker(lib, Path(tmp) / "files")
            t = time.monotonic()

            @settings(max_examples=runs, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(strategy)
            def run(data: bytes) -> None:
                checker.run(data, name)  # noqa: B023

            run()
            results[name] = {"cases": sum(checker.outcomes.values()),
                             "outcomes": dict(checker.outcomes),
                             "seconds": round(time.monotonic() - t, 1)}
            print(f"{name:>14}: {results[name]}", flush=True)
        lib.close()
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--engine", choices=["atheris", "hypothesis"], default=None,
                   help="default: atheris if installed, else hypothesis")
    p.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    p.add_argument("--runs", type=int, default=5000, help="inputs per target")
    p.add_argument("--json", type=Path, default=None, help="also write the summary here")
    args = p.parse_args(argv)
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    if engine == "hypothesis":
        summary = run_hypothesis(args.runs)
        failed = 0
    elif args.target != "all":
        run_atheris(args.target, args.runs, OUT / f"fuzz-{args.target}-stats.json")
        return 0
    else:
        summary, failed = {}, 0
        OUT.mkdir(parents=True, exist_ok=True)
        for target in TARGETS:
            stats = OUT / f"fuzz-{target}-stats.json"
            stats.unlink(missing_ok=True)
            r = subprocess.run([sys.executable, __file__, "--engine", "atheris", "--target",
                                target, "--runs", str(args.runs)], capture_output=True, text=True)
            summary[target] = json.loads(stats.read_text("utf-8")) if stats.exists() else {}
            summary[target]["exit"] = r.returncode
            if r.returncode != 0:
                failed += 1
                summary[target]["error"] = r.stderr[-2000:]
            print(f"{target:>6}: {summary[target].get('cases')} cases, "
                  f"{summary[target].get('outcomes')}, exit {r.returncode}", flush=True)
    out = {"engine": engine, "runs_per_target": args.runs, "targets": summary}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
