"""The `pizhu` command. With no command it starts the GUI; otherwise it runs one CLI command.

Exit codes: 0 all good, 1 something failed (e.g. some files could not be imported), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from reader import __version__
from reader.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    count_arg,
    fit,
    print_json,
)
from reader.cli.common import article_id as _article_id
from reader.core.library import NO_SOURCE, ArticleFilter, Library, LibraryError
from reader.core.store import DatabaseError


# ---------------------------------------------------------------------- output helpers
def _mark(text: str, spans: Sequence[Sequence[int]], offset: int = 0, *, color: bool) -> str:
    """Surround matched spans with 【】 (or ANSI bold on a terminal)."""
    left, right = ("\x1b[1;31m", "\x1b[0m") if color else ("【", "】")
    out, pos = [], 0
    for s, e in sorted((s - offset, e - offset) for s, e in spans):
        s, e = max(s, pos), min(e, len(text))
        if s >= e:
            continue
        out += [text[pos:s], left, text[s:e], right]
        pos = e
    out.append(text[pos:])
    return "".join(out).replace("\n", " ")


class _ProgressBar:
    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stdout.isatty()
        self._last = ""

    def __call__(self, n: int, total: int, what: str) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = width * n // total
        name = Path(what).name if what else ""
        line = f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {n}/{total} {fit(name, 30)}"
        if line != self._last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self._last = line

    def done(self) -> None:
        if self.enabled and self._last:
            sys.stderr.write("\r" + " " * (len(self._last) + 10) + "\r")
            sys.stderr.flush()


# ---------------------------------------------------------------------- commands
#: Imports of more files than this print a line only for skipped files (and the summary).
QUIET_IMPORT_FILES = 50


def cmd_import(lib: Library, args: argparse.Namespace) -> int:
    if any(not p.strip() for p in args.paths):  # "" would mean the current folder
        raise UsageError("import: an empty path was given; name the files or folders to import")
    source = " ".join((args.source or "").split())[:200]
    date = ""
    if args.date:
        from reader.core.importers.dates import to_iso_date

        date = to_iso_date(args.date.strip())
        if not date:
            raise UsageError(f"import: --date {args.date!r} is not a date (use YYYY-MM-DD)")
    bar = _ProgressBar("importing")
    try:
        # --source/--date go to the articles whose text, file name and folder give none
        summary = lib.import_paths(args.paths, progress=bar, source=source, date=date)
    finally:
        bar.done()
    if args.json:
        print_json({
            "files": [f.to_json() for f in summary.files],
            "added": summary.count("added"), "updated": summary.count("updated"),
            "unchanged": summary.count("unchanged"), "failed_files": summary.failed,
        })
    else:
        # a line per file for a few files or with --verbose; skipped files always
        every = args.verbose or len(summary.files) <= QUIET_IMPORT_FILES
        for f in summary.files:
            if f.status == "failed":
                print(f"{f.path}: skipped: {f.reason}", file=sys.stderr)
            elif every:
                detail = f"{f.added} added, {f.updated} updated, {f.unchanged} unchanged"
                fmt = f" [{f.format}]" if f.format else ""
                extra = f" ({f.reason})" if f.reason else ""
                print(f"{f.path}: {f.status}{fmt}: {detail}{extra}")
        print(
            f"{len(summary.files)} files: {summary.count('added')} articles added, "
            f"{summary.count('updated')} updated, {summary.count('unchanged')} unchanged, "
            f"{summary.failed} files skipped"
        )
    return EXIT_FAILED if summary.failed else EXIT_OK


def _filter_from(args: argparse.Namespace) -> ArticleFilter:
    return ArticleFilter(
        source=NO_SOURCE if getattr(args, "no_source", False) else args.source or "",
        tags=args.tag or [], date_from=args.since or "", date_to=args.until or "",
        unread=args.unread, undated=getattr(args, "undated", False),
    )


def cmd_list(lib: Library, args: argparse.Namespace) -> int:
    arts = lib.articles(_filter_from(args), order=args.sort, descending=not args.asc,
                        limit=args.limit)
    if args.json:
        print_json([a.to_json() for a in arts])
        return EXIT_OK
    for a in arts:
        mark = " " if a.read else "•"
        print(f"{a.id:>6} {mark} {a.date or '          '}  {fit(a.source, 14)}  {a.title}")
    total = lib.count_articles(_filter_from(args))
    print(f"{len(arts)} of {total} articles shown" if len(arts) < total else f"{total} articles",
          file=sys.stderr)
    return EXIT_OK


def cmd_show(lib: Library, args: argparse.Namespace) -> int:
    a = lib.article(_article_id(lib, args.id))
    hls = lib.highlights(article_id=a.id, order="article")
    if args.json:
        d = a.to_json(with_body=True)
        d["highlights"] = [h.to_json() for h in hls]
        print_json(d)
        return EXIT_OK
    print(a.title)
    for label, value in (("副题", a.subtitle), ("作者", a.byline), ("来源", a.source),
                         ("日期", a.date), ("链接", a.url), ("标签", "、".join(a.tags))):
        if value:
            print(f"{label}：{value}")
    print()
    print(a.body)
    if hls:
        print(f"\n— {len(hls)} highlights —")
        for h in hls:
            tags = f" #{' #'.join(h.tags)}" if h.tags else ""
            note = f" — {h.note}" if h.note else ""
            print(f"[{h.color}] {h.start}-{h.end} “{h.quote}”{note}{tags}")
    return EXIT_OK


def cmd_search(lib: Library, args: argparse.Namespace) -> int:
    from index import QueryError

    try:
        hits, total = lib.search(args.query, limit=args.limit)
    except QueryError as e:
        print(f"pizhu: bad query: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print_json({"query": args.query, "total": total, "hits": [h.to_json() for h in hits]})
        return EXIT_OK
    color = sys.stdout.isatty()
    for h in hits:
        a = h.article
        print(f"{a.id:>6}  {a.date or '          '}  {fit(a.source, 12)}  "
              f"{_mark(a.title, h.title_spans, color=color)}  ({h.score:.2f})")
        for s in h.snippets[:2]:
            print(f"        …{_mark(s.text, s.spans, s.start, color=color)}…")
    print(f"{len(hits)} of {total} matching articles shown", file=sys.stderr)
    return EXIT_OK


def cmd_reindex(lib: Library, args: argparse.Namespace) -> int:
    bar = _ProgressBar("indexing")
    try:
        lib.reindex(progress=bar)
    finally:
        bar.done()
    print(f"index rebuilt: {lib.index().doc_count()} articles")
    return EXIT_OK


def cmd_stats(lib: Library, args: argparse.Namespace) -> int:
    st = lib.stats()
    st["indexed"] = lib.index().doc_count()
    if args.json:
        print_json(st)
    else:
        for k, v in st.items():
            print(f"{k:>16}: {v}")
    return EXIT_OK


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pizhu",
        description="Pizhu 批注 — read and annotate Chinese news offline. "
        "Without a command, starts the desktop app.",
    )
    p.add_argument("--version", action="version", version=f"pizhu {__version__}")
    p.add_argument("--library", metavar="DIR",
                   help="library folder (default: $PIZHU_HOME or the user data directory)")
    p.add_argument("--self-test", action="store_true", help="run a quick self-test and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("import", help="import files or folders (WeChat JSON, newspaper pages, text)")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--json", action="store_true", help="print the per-file report as JSON")
    s.add_argument("-v", "--verbose", action="store_true",
                   help=f"a line per file also for imports of more than {QUIET_IMPORT_FILES} files")
    s.add_argument("--source", metavar="S",
                   help="source (paper, account) for articles that state none")
    s.add_argument("--date", metavar="D",
                   help="date (YYYY-MM-DD) for articles whose text, file name and folder give none")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("list", help="list articles")
    s.add_argument("--source")
    s.add_argument("--tag", action="append", help="only articles with this tag (repeatable: all)")
    s.add_argument("--since", metavar="DATE", help="published on or after (YYYY-MM-DD)")
    s.add_argument("--until", metavar="DATE", help="published on or before (YYYY-MM-DD)")
    s.add_argument("--unread", action="store_true")
    s.add_argument("--no-source", action="store_true", help="only articles without a source")
    s.add_argument("--undated", action="store_true", help="only articles without a date")
    s.add_argument("--sort", choices=sorted(Library.ORDERS), default="date")
    s.add_argument("--asc", action="store_true", help="ascending order")
    s.add_argument("--limit", type=count_arg, default=None)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="print an article with its highlights")
    s.add_argument("id", help="article number (from list/search) or uuid")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("search", help="full-text search (words, \"phrases\", AND/OR/NOT, "
                       "title: source: tag: note: date:2026-01-01..2026-01-31)")
    s.add_argument("query")
    s.add_argument("--limit", type=count_arg, default=20)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("reindex", help="rebuild the search index from the database")
    s.set_defaults(func=cmd_reindex)

    s = sub.add_parser("stats", help="library statistics")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)

    from reader.cli import annotations as cli_annotations

    cli_annotations.register(sub)
    from reader.cli import manage as cli_manage

    cli_manage.register(sub)
    from reader.cli import recall as cli_recall

    cli_recall.register(sub)
    from reader.cli import sync as cli_sync  # issue 16: pizhu sync

    cli_sync.register(sub)
    from reader.cli import review as cli_review  # issue 17: pizhu review

    cli_review.register(sub)
    return p


def _date_arg(value: str | None, name: str) -> None:
    if value and not (len(value) in (4, 7, 10) and value[:4].isdigit()):
        raise UsageError(f"--{name} wants a date like 2026-01-20, 2026-01 or 2026")


def files_to_open(argv: Sequence[str], commands: Iterable[str]) -> tuple[list[str], list[str]] | None:
    """``pizhu [--library DIR] FILE…`` — how the desktop entry (``Exec=pizhu %F``) and "Open with
    Pizhu" call us: returns (options, files) when the first positional argument is an existing
    path (or a ``pizhu://`` link, a ``file://`` URL) rather than a command, else None (an
    ordinary command line)."""
    opts: list[str] = []
    files: list[str] = []
    it = iter(argv)
    for a in it:
        if a == "--library":
            opts += [a, next(it, "")]
        elif a.startswith("--library="):
            opts.append(a)
        elif a == "--":
            files += list(it)
        elif a.startswith("-"):
            return None
        else:
            files.append(a)
    if not files or files[0] in set(commands) or not (
            files[0].startswith(("pizhu:", "file:")) or _exists(files[0])):
        return None
    return opts, files


def _exists(path: str) -> bool:
    """``Path.exists`` without its OSErrors (a 4 KB name is "too long", not a traceback)."""
    try:
        return Path(path).exists()
    except (OSError, ValueError):
        return False


def _run_gui(library: str | None, files: Sequence[str] = ()) -> int:
    from reader.ui.app import run_gui

    if os.environ.get("PIZHU_EXIT_AFTER_SHOW", "") not in ("", "0"):  # bench/startup.py
        from reader.ui.startup_probe import arm

        arm()
    return run_gui(library=library, files=files)


# commands that only read the library: on a full disk they open it read-only and still work
READING_COMMANDS = frozenset({"list", "show", "search", "stats", "highlights", "versions",
                              "open", "export", "backup"})


def _open_library(library: str | None, command: str, create: bool) -> Library:
    try:
        lib = Library.open(library, create=create)
    except LibraryError as e:
        if "disk is full" not in str(e) or command not in READING_COMMANDS:
            raise
        return Library.open(library, create=False, readonly=True)
    if command not in READING_COMMANDS:
        # a change made here is recorded for sync as it is made (when sync is on), as in the app
        from reader.core.sync import attach

        attach(lib)
    return lib


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = next(
        (a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {}
    )
    opening = files_to_open(argv, commands)
    if opening is not None:
        library = parser.parse_args(opening[0]).library
        if library is not None and not library.strip():
            print("pizhu: --library was given an empty folder name", file=sys.stderr)
            return EXIT_USAGE
        return _run_gui(library, opening[1])
    args = parser.parse_args(argv)
    if args.self_test:
        from reader.cli.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        return _run_gui(args.library)
    try:
        if args.library is not None and not args.library.strip():
            raise UsageError("--library was given an empty folder name")
        for name in ("since", "until"):
            _date_arg(getattr(args, name, None), name)
        if getattr(args, "without_library", False):  # e.g. restore: makes its own library
            return args.func(None, args)
        create = getattr(args, "create_library", args.command not in ("show", "search"))
        with _open_library(args.library, args.command, create) as lib:
            return args.func(lib, args)
    except UsageError as e:
        print(f"pizhu: {e}", file=sys.stderr)
        return EXIT_USAGE
    except LibraryError as e:
        print(f"pizhu: {e}", file=sys.stderr)
        return EXIT_FAILED
    except DatabaseError as e:  # damage that appeared after the library was opened
        where = f" ({args.library})" if args.library else ""
        print(f"pizhu: the library database{where} cannot be read: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("pizhu: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
