"""CLI commands for annotations, export/import, versions and backup (registered by reader.cli.commands).

    pizhu export [--article ID]… [--tag T]… [--any] [--all] --format markdown|json|csv [-o FILE|DIR]
                 [--force] [--template obsidian|plain|FILE] [--since-last]
    pizhu import-annotations FILE [--json]
    pizhu import-annotations --undo-last [--json]
    pizhu highlight ARTICLE --quote TEXT [--color C] [--note N] [--tag T]… [--start S --end E]
    pizhu highlights [--tag T]… [--any] [--article ID] [--orphans] [--search TEXT] [--json]
    pizhu versions ARTICLE [--diff] [--json]
    pizhu backup FILE [--force] [--json]
    pizhu restore FILE [--library DIR] [--json]
    pizhu open pizhu://article/<uuid>[#highlight=<uuid>] [--json]

Exit codes as in reader.cli: 0 all good, 1 something failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from reader.cli.common import UsageError, count_arg, fit
from reader.cli.common import article_id as _article_id
from reader.cli.common import print_json as _print_json
from reader.core.model import HIGHLIGHT_COLORS

if TYPE_CHECKING:
    from pathlib import Path

    from reader.core.exporters import Selection
    from reader.core.library import Library
    from reader.core.model import Highlight

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

#: a command's library: an open one, or None for the commands that open none (restore)
_Lib = TypeVar("_Lib", "Library", None)


def _fail(message: str) -> int:
    print(f"pizhu: {message}", file=sys.stderr)
    return EXIT_FAILED


def _handles_errors(
    fn: Callable[[_Lib, argparse.Namespace], int],
) -> Callable[[_Lib, argparse.Namespace], int]:
    """Errors of this module's back ends become one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(lib: _Lib, args: argparse.Namespace) -> int:
        from reader.core.annotations_io import AnnotationImportError
        from reader.core.backup import BackupError
        from reader.core.exporters import ExportError

        try:
            return fn(lib, args)
        except (ExportError, AnnotationImportError, BackupError) as e:
            return _fail(str(e))

    return wrapper


def _usage(message: str) -> Exception:
    return UsageError(message)


def _highlight_json(h: Highlight, article_uuid: str) -> dict:
    from reader.core.links import article_link

    return {
        "uuid": h.uuid, "article_id": h.article_id, "article_uuid": article_uuid,
        "article_title": h.article_title, "quote": h.quote, "start": h.start, "end": h.end,
        "color": h.color, "note": h.note, "tags": h.tags, "created": h.created,
        "updated": h.updated, "orphan": h.orphan, "link": article_link(article_uuid, h.uuid),
    }


def _article_uuids(lib: Library, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    from reader.core.library import ArticleFilter

    return {a.id: a.uuid for a in lib.articles(ArticleFilter(ids=sorted(ids)))}


def _one_line(text: str) -> str:
    return text.replace("\n", " ⏎ ")


# ---------------------------------------------------------------------- export / import
@_handles_errors
def cmd_export(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.exporters import Selection, check_output_path, export_dir, export_file, render

    ids = [_article_id(lib, ref) for ref in args.article or []]
    sel = Selection(article_ids=ids, tags=args.tag or [], any_tag=args.any,
                    everything=args.all)
    if sel.empty:
        raise _usage("say what to export: --article ID, --tag T or --all")
    if args.output is None:
        sys.stdout.write(render(lib, sel, args.format))
        return EXIT_OK
    if not args.output.strip():  # "" would mean the current folder
        raise _usage("-o was given an empty path; name the file or folder to write")
    out = check_output_path(args.output)
    if args.template or args.since_last:  # issue 17: templated files into a vault folder
        return _export_vault(lib, sel, args, out)
    if out.is_dir():
        files = export_dir(lib, sel, args.format, out, overwrite=args.force)
        print(f"wrote {len(files)} files to {out}", file=sys.stderr)
        return EXIT_OK
    path, articles, highlights = export_file(lib, sel, args.format, out, overwrite=args.force)
    print(f"wrote {highlights} highlights from {articles} articles to {path}", file=sys.stderr)
    return EXIT_OK


def _export_vault(lib: Library, sel: Selection, args: argparse.Namespace, out: Path) -> int:
    from reader.core.exporters.templated import export_vault

    if args.format != "markdown":
        raise _usage("--template and --since-last are for --format markdown")
    if not out.is_dir():
        raise _usage(f"{out}: --template writes one file per article; give an existing folder")
    r = export_vault(lib, sel, out, args.template or "obsidian", since_last=args.since_last)
    for path, reason in r.skipped:
        print(f"{path}: left alone: {reason}", file=sys.stderr)
    print(f"wrote {len(r.written)} files ({r.highlights} highlights), {len(r.unchanged)} "
          f"unchanged, {len(r.skipped)} left alone in {r.folder}", file=sys.stderr)
    return EXIT_OK


@_handles_errors
def cmd_import_annotations(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.annotations_io import import_annotations

    if args.undo_last:
        if args.file is not None:
            raise _usage("--undo-last takes no FILE")
        return _undo_last_import(lib, args)
    if args.file is None:
        raise _usage("give the annotation file to import (or --undo-last)")
    if not args.file.strip():  # "" would be the current folder
        raise _usage("import-annotations: an empty path was given; name the file to import")
    report = import_annotations(lib, args.file)
    if args.json:
        _print_json(report.to_json())
    else:
        for label, reason in report.skipped:
            print(f"{args.file}: skipped {label}: {reason}", file=sys.stderr)
        print(
            f"{args.file}: {report.total} annotations: {report.imported} imported, "
            f"{report.updated} updated, {report.unchanged} unchanged, {report.orphaned} "
            f"orphaned (text not found, kept), {len(report.skipped)} skipped"
        )
    return EXIT_FAILED if report.skipped else EXIT_OK


def _undo_last_import(lib: Library, args: argparse.Namespace) -> int:
    """Take the latest annotation import back (every highlight it changed as it was before)."""
    from reader.core.annotations_io import undo_import

    report = undo_import(lib)
    if args.json:
        _print_json(report.to_json())
        return EXIT_OK
    for uuid, reason in report.kept:
        print(f"{report.path}: kept {uuid}: {reason}", file=sys.stderr)
    print(f"undid the annotation import of {report.path} ({report.imported_at}): "
          f"{report.restored} highlights restored, {report.removed} removed, "
          f"{len(report.kept)} kept as they are now")
    return EXIT_OK


# ---------------------------------------------------------------------- highlights
def cmd_highlight(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.anchoring import fold
    from reader.core.text import normalize

    aid = _article_id(lib, args.article)
    art = lib.article(aid)
    body = art.body or ""
    quote = normalize(args.quote).strip() if args.quote is not None else ""
    if (args.start is None) != (args.end is None):
        raise _usage("--start and --end go together")
    if args.start is not None:
        start, end = args.start, args.end
        if not (0 <= start < end <= len(body)):
            return _fail(f"range {start}–{end} is outside article {aid} (0–{len(body)})")
        if quote and fold(body[start:end]) != fold(quote):
            return _fail(
                f"the text at {start}–{end} of article {aid} is “{body[start:end]}”, "
                f"not “{quote}”"
            )
    else:
        if not quote:
            raise _usage("give the text to highlight with --quote TEXT (or --start and --end)")
        start = body.find(quote)
        if start < 0:
            start = fold(body).find(fold(quote))
        if start < 0:
            return _fail(f"“{quote}” does not occur in article {aid} “{art.title}”")
        end = start + len(quote)
    h = lib.add_highlight(aid, start, end, color=args.color, note=args.note or "",
                          tags=args.tag or [])
    if args.json:
        _print_json(_highlight_json(h, art.uuid))
    else:
        print(f"{h.uuid}  article {aid} “{art.title}” {h.start}–{h.end} [{h.color}] "
              f"“{_one_line(h.quote)}”")
    return EXIT_OK


def cmd_highlights(lib: Library, args: argparse.Namespace) -> int:

    aid = _article_id(lib, args.article) if args.article else None
    if aid is not None:
        lib.article(aid)
    hls = lib.highlights(article_id=aid, tags=args.tag or [], any_tag=args.any,
                         orphans=True if args.orphans else None, order="article",
                         limit=None if args.search else args.limit)
    if args.search:  # the article search's engine over quotes, notes and tags (issue 17)
        from reader.cli.recall import search_filter

        hls = search_filter(lib, hls, args.search)[:args.limit]
    uuids = _article_uuids(lib, {h.article_id for h in hls})
    if args.json:
        _print_json([_highlight_json(h, uuids.get(h.article_id, "")) for h in hls])
        return EXIT_OK
    for h in hls:
        extra = ""
        if h.note:
            extra += f" — {_one_line(h.note)}"
        if h.tags:
            extra += " #" + " #".join(h.tags)
        if h.orphan:
            extra += " (orphan: text not in the current version)"
        print(f"{h.uuid}  {h.article_id:>5} {fit(h.article_title, 24)}  {h.start}–{h.end} "
              f"[{h.color}] “{_one_line(h.quote)}”{extra}")
    print(f"{len(hls)} highlights", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------------- versions
def cmd_versions(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.versions import history, hunks, render_hunk, summary

    aid = _article_id(lib, args.article)
    vs = history(lib, aid)
    pairs = list(zip(vs, vs[1:], strict=False))
    if args.json:
        out = {"article_id": aid, "title": vs[-1].title,
               "versions": [v.to_json(with_body=args.body) for v in vs]}
        if args.diff:
            out["diffs"] = [
                {"from": a.number, "to": b.number, "reason": a.reason,
                 "title": [a.title, b.title] if a.title != b.title else None,
                 "hunks": [h.to_json() for h in hunks(a.body, b.body)]}
                for a, b in pairs
            ]
        _print_json(out)
        return EXIT_OK
    print(f"article {aid} “{vs[-1].title}”: {len(vs)} version{'s' if len(vs) > 1 else ''}")
    for i, v in enumerate(vs):
        change = ""
        if i + 1 < len(vs):
            s = summary(v.body, vs[i + 1].body)
            change = f"  (then −{s['deleted']} +{s['inserted']} characters in {s['places']} places)"
        when = "current" if v.current else f"replaced {v.date}"
        why = f" — {v.reason}" if v.reason else ""
        print(f"  v{v.number}  {when}{why}  {len(v.body)} characters{change}")
    if args.diff:
        color = sys.stdout.isatty()
        for a, b in pairs:
            print(f"\n— v{a.number} → v{b.number}" + (f" ({a.reason})" if a.reason else "") + " —")
            if a.title != b.title:
                print(f"title: “{a.title}” → “{b.title}”")
            hs = hunks(a.body, b.body)
            if not hs:
                print("(the text is the same)")
            for h in hs:
                print(f"line {h.line}: …{render_hunk(h, color=color)}…")
    return EXIT_OK


# ---------------------------------------------------------------------- backup / restore
@_handles_errors
def cmd_backup(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.backup import backup

    if not args.file.strip():
        raise _usage("backup: an empty path was given; name the archive to write")
    info = backup(lib, args.file, overwrite=args.force)
    if args.json:
        _print_json(info.to_json())
    else:
        print(f"backup written: {info.path} ({info.articles} articles, {info.highlights} "
              f"highlights, {info.size // 1024} KB)")
    return EXIT_OK


@_handles_errors
def cmd_restore(lib: None, args: argparse.Namespace) -> int:
    from reader.core.backup import restore
    from reader.core.paths import resolve_library_dir

    for value, what in ((args.file, "the archive"), (args.restore_into, "--library"),
                        (args.library, "--library")):
        if value is not None and not value.strip():
            raise _usage(f"restore: {what} was given an empty path")
    target = resolve_library_dir(args.restore_into or args.library)
    info = restore(args.file, target)
    if args.json:
        _print_json(info.to_json())
    else:
        print(f"restored {info.articles} articles and {info.highlights} highlights from "
              f"{args.file} into {info.path} (search index rebuilt)")
    return EXIT_OK


# ---------------------------------------------------------------------- links
def cmd_open(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.links import parse_link

    link = parse_link(args.url)
    if link is None:
        raise _usage(f"{args.url!r} is not a Pizhu link (pizhu://article/<uuid>#highlight=<uuid>)")
    article_id = lib.find_article(link.article_uuid)
    if article_id is None:
        return _fail(f"no article {link.article_uuid} in the library {lib.root}")
    art = lib.article(article_id)
    body = art.body or ""
    h = None
    if link.highlight_uuid:
        from reader.core.library import LibraryError

        try:
            h = lib.highlight(link.highlight_uuid)
        except LibraryError:
            return _fail(f"no highlight {link.highlight_uuid} in the library {lib.root}")
        if h.article_id != art.id:
            return _fail(f"highlight {h.uuid} is not in article {art.id} (it is in {h.article_id})")
    if args.json:
        out = {"article": art.to_json(with_body=args.body)}
        if h is not None:
            out["highlight"] = _highlight_json(h, art.uuid)
        _print_json(out)
        return EXIT_OK
    print(f"{art.id}  {art.title}")
    meta = " · ".join(v for v in (art.source, art.date, art.byline) if v)
    if meta:
        print(meta)
    if h is None:
        print()
        print(body if args.body else body[:400] + ("…" if len(body) > 400 else ""))
        return EXIT_OK
    print()
    if h.orphan:
        print(f"(orphan: this passage is no longer in the current text) “{h.quote}”")
    else:
        s, e = h.start, h.end
        lead = "…" if s > 80 else ""
        tail = "…" if e + 80 < len(body) else ""
        print(f"{lead}{body[max(0, s - 80):s]}【{body[s:e]}】{body[e:e + 80]}{tail}")
    if h.note:
        print(f"\n批注：{h.note}")
    if h.tags:
        print("标签：" + "、".join(h.tags))
    print(f"[{h.color}] {h.start}–{h.end}  {h.uuid}")
    return EXIT_OK


# ---------------------------------------------------------------------- parser
def _count(text: str) -> int:

    return count_arg(text)


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the `pizhu` parser."""
    from reader.core.exporters import FORMATS

    s = sub.add_parser("export", help="export highlights and notes (Markdown, Web Annotation "
                       "JSON or CSV)")
    s.add_argument("--article", action="append", metavar="ID",
                   help="an article number or uuid (repeatable)")
    s.add_argument("--tag", action="append", metavar="T",
                   help="highlights with this tag (repeatable: all of them; see --any)")
    s.add_argument("--any", action="store_true", help="highlights with any of the tags")
    s.add_argument("--all", action="store_true", help="the whole library")
    s.add_argument("--format", choices=FORMATS, default="markdown")
    s.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (or one file per article into an existing folder); "
                   "default: standard output")
    s.add_argument("--force", action="store_true",
                   help="replace FILE if it exists (into a folder: replace files of the same "
                   "name instead of numbering the new ones)")
    s.add_argument("--template", metavar="obsidian|plain|FILE",
                   help="Markdown through a Jinja2 template, one file per article into the "
                   "folder -o names; a re-export updates the files in place (Pizhu's block "
                   "between its markers; the rest of each file is kept)")
    s.add_argument("--since-last", action="store_true",
                   help="with --template: only the articles whose highlights changed since the "
                   "last export into that folder")
    s.set_defaults(func=cmd_export, create_library=False)

    s = sub.add_parser("import-annotations",
                       help="import annotations from a Web Annotation JSON file")
    s.add_argument("file", metavar="FILE", nargs="?")
    s.add_argument("--undo-last", action="store_true",
                   help="take the latest annotation import back (highlights as they were)")
    s.add_argument("--json", action="store_true", help="print the report as JSON")
    s.set_defaults(func=cmd_import_annotations, create_library=False)

    s = sub.add_parser("highlight", help="highlight a passage of an article")
    s.add_argument("article", metavar="ARTICLE", help="article number or uuid")
    s.add_argument("--quote", metavar="TEXT", help="the text to highlight (first occurrence)")
    s.add_argument("--start", type=int, metavar="S", help="start offset (code points)")
    s.add_argument("--end", type=int, metavar="E", help="end offset (code points)")
    s.add_argument("--color", choices=list(HIGHLIGHT_COLORS), default="yellow")
    s.add_argument("--note", metavar="N")
    s.add_argument("--tag", action="append", metavar="T", help="a tag (repeatable)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_highlight, create_library=False)

    s = sub.add_parser("highlights", help="list highlights (recall by tag)")
    s.add_argument("--tag", action="append", metavar="T",
                   help="with this tag (repeatable: all of them; see --any)")
    s.add_argument("--any", action="store_true", help="with any of the tags")
    s.add_argument("--article", metavar="ID", help="of one article")
    s.add_argument("--orphans", action="store_true",
                   help="only orphans (highlights whose text is gone from the article)")
    s.add_argument("--search", metavar="TEXT",
                   help="whose quote, note or tags match (the search's query language)")
    s.add_argument("--limit", type=_count, default=None)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_highlights, create_library=False)

    s = sub.add_parser("versions", help="the version history of an article")
    s.add_argument("article", metavar="ARTICLE", help="article number or uuid")
    s.add_argument("--diff", action="store_true", help="show what changed between versions")
    s.add_argument("--body", action="store_true", help="with --json: include each text")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_versions, create_library=False)

    s = sub.add_parser("backup", help="write a backup archive of the whole library")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--force", action="store_true", help="replace FILE if it exists")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_backup, create_library=False)

    s = sub.add_parser("restore", help="restore a backup into a new or empty library folder")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--library", dest="restore_into", metavar="DIR",
                   help="the folder to restore into (must be new or empty)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_restore, without_library=True)

    s = sub.add_parser("open", help="show the article and passage a pizhu:// link points to")
    s.add_argument("url", metavar="URL")
    s.add_argument("--body", action="store_true", help="print the whole article")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_open, create_library=False)
