"""CLI commands to manage the library (registered by reader.cli.commands):

    pizhu edit ID… [--title T] [--subtitle S] [--source S] [--date D] [--byline B] [--url U]
                   [--add-tag T]… [--remove-tag T]… [--json]
    pizhu delete ID… [--json]                      (to the trash)
    pizhu trash [--restore ID…|--empty] [--json]
    pizhu annotate UUID [--note N] [--color C] [--tag T]… [--delete] [--json]
    pizhu tag list [--json]
    pizhu tag rename OLD NEW [--json]
    pizhu tag merge SRC… --into T [--json]
    pizhu tag delete T [--json]

Exit codes as in reader.cli: 0 all good, 1 something failed (no such article, tag, highlight),
2 usage error (nothing to change, a malformed date). Shared helpers come from reader.cli.common.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.manage import normalize_date
from reader.core.model import HIGHLIGHT_COLORS

if TYPE_CHECKING:
    from reader.core.library import Library

from reader.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from reader.cli.common import print_json as _print_json


def _usage(message: str) -> int:
    print(f"pizhu: {message}", file=sys.stderr)
    return EXIT_USAGE


def _ids(lib: Library, refs: list[str]) -> list[int] | str:
    """Article numbers or uuids -> ids; a str is the message for a reference matching none."""
    out = []
    for ref in refs:
        found = lib.find_article(ref)
        if found is None:
            return f"no article matches {ref!r} (give its number or uuid)"
        out.append(found)
    return out


# ---------------------------------------------------------------------- articles
def cmd_export_article(lib: Library, args: argparse.Namespace) -> int:
    """Articles' text as Markdown with headings, emphasis, quotes, lists and pictures (copied
    into FOLDER/images/), one file per article (issue 13)."""
    from reader.core.exporters.article_markdown import export_article
    from reader.core.fileguard import inside

    if not args.output.strip():
        return _usage("export-article: an empty folder was given")
    folder = Path(args.output)
    if inside(folder, lib.root):
        return _usage(f"export-article: {folder} is inside the library folder; choose another")
    if folder.exists() and not folder.is_dir():
        return _usage(f"export-article: {folder} is not a folder")
    ids = _ids(lib, args.ids)
    if isinstance(ids, str):
        print(f"pizhu: {ids}", file=sys.stderr)
        return EXIT_FAILED
    written: list[str] = []
    taken: set[Path] = set()
    try:
        for aid in ids:
            written.append(str(export_article(lib, aid, folder, taken)))
    except OSError as e:
        print(f"pizhu: cannot write in {folder}: {e.strerror or e}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        _print_json({"files": written})
    else:
        for w in written:
            print(w)
    return EXIT_OK


def cmd_edit(lib: Library, args: argparse.Namespace) -> int:
    fields = {k: getattr(args, k) for k in ("title", "subtitle", "source", "date", "byline", "url")}
    if all(v is None for v in fields.values()) and not args.add_tag and not args.remove_tag:
        return _usage("edit: nothing to change (give --title, --source, --date, --add-tag, …)")
    if fields["date"] is not None:
        try:
            fields["date"] = normalize_date(fields["date"])
        except ValueError as e:
            return _usage(f"--date: {e}")
    if fields["title"] is not None and not fields["title"].strip():
        return _usage("--title: an article needs a title")
    ids = _ids(lib, args.ids)
    if isinstance(ids, str):
        print(f"pizhu: {ids}", file=sys.stderr)
        return EXIT_FAILED
    changed = lib.edit_article(ids, add_tags=args.add_tag or (),
                               remove_tags=args.remove_tag or (), **fields)
    if args.json:
        _print_json({"changed": changed, "articles": [lib.article(i).to_json() for i in ids]})
    else:
        print(f"{changed} of {len(ids)} articles changed")
    return EXIT_OK


def cmd_delete(lib: Library, args: argparse.Namespace) -> int:
    ids = _ids(lib, args.ids)
    if isinstance(ids, str):
        print(f"pizhu: {ids}", file=sys.stderr)
        return EXIT_FAILED
    n = lib.delete_articles(ids)
    if args.json:
        _print_json({"trashed": n, "ids": ids})
    else:
        print(f"{n} articles moved to the trash (pizhu trash --restore ID… brings them back)")
    return EXIT_OK


def cmd_trash(lib: Library, args: argparse.Namespace) -> int:
    if args.restore and args.empty:
        return _usage("trash: --restore and --empty exclude each other")
    if args.restore:
        in_trash = {e.article.id for e in lib.trash()}
        ids = _ids(lib, args.restore)
        if isinstance(ids, str) or not set(ids) <= in_trash:
            bad = ids if isinstance(ids, str) else "not in the trash: " + ", ".join(
                str(i) for i in ids if i not in in_trash)
            print(f"pizhu: {bad}", file=sys.stderr)
            return EXIT_FAILED
        n = lib.restore_articles(ids)
        if args.json:
            _print_json({"restored": n, "ids": ids})
        else:
            print(f"{n} articles restored")
        return EXIT_OK
    if args.empty:
        n = lib.empty_trash()
        if args.json:
            _print_json({"deleted": n})
        else:
            print(f"{n} articles deleted for good")
        return EXIT_OK
    entries = lib.trash()
    if args.json:
        _print_json([e.to_json() for e in entries])
        return EXIT_OK
    for e in entries:
        a = e.article
        print(f"{a.id:>6}  {e.trashed_at[:10]}  {a.date or '          '}  {a.title}")
    print(f"{len(entries)} articles in the trash", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------------- one highlight
def cmd_annotate(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.library import LibraryError

    changes = args.note is not None or args.color is not None or args.tag is not None
    if args.delete and changes:
        return _usage("annotate: --delete takes no other option")
    if not args.delete and not changes:
        return _usage("annotate: nothing to change (give --note, --color, --tag or --delete)")
    uuid = args.uuid.strip()
    try:
        h = lib.highlight(uuid)
    except LibraryError:
        matches = [x for x in lib.highlights(include_deleted=True) if x.uuid.startswith(uuid)]
        if len(uuid) < 4 or len(matches) != 1:
            print(f"pizhu: no single highlight matches {uuid!r}", file=sys.stderr)
            return EXIT_FAILED
        h = matches[0]
    if args.delete:
        lib.delete_highlight(h.uuid)
        if args.json:
            _print_json({"deleted": h.uuid})
        else:
            print(f"highlight {h.uuid} deleted")
        return EXIT_OK
    h = lib.update_highlight(h.uuid, note=args.note, color=args.color, tags=args.tag)
    if args.json:
        _print_json(h.to_json())
    else:
        tags = f" #{' #'.join(h.tags)}" if h.tags else ""
        note = f" — {h.note}" if h.note else ""
        print(f"[{h.color}] “{h.quote}”{note}{tags}")
    return EXIT_OK


# ---------------------------------------------------------------------- tags
def _tag_result(lib: Library, args: argparse.Namespace, change: object, verb: str) -> int:
    if args.json:
        _print_json(change.to_json())  # type: ignore[attr-defined]
    else:
        print(f"{verb}: {change.articles} articles, {change.highlights} highlights"  # type: ignore[attr-defined]
              " changed")
        for old, new in change.renamed.items():  # type: ignore[attr-defined]
            print(f"  {old} -> {new}")
        for old in change.removed:  # type: ignore[attr-defined]
            print(f"  {old} removed")
    return EXIT_OK


def cmd_tag(lib: Library, args: argparse.Namespace) -> int:
    if args.tag_command == "list":
        tree = lib.tag_tree()
        if args.json:
            _print_json([{"name": t.name, "articles": t.articles, "highlights": t.highlights}
                         for t in tree])
        else:
            for t in tree:
                depth = t.name.count("/")
                print(f"{'  ' * depth}{t.name.rsplit('/', 1)[-1]:<20} {t.articles:>6} articles"
                      f" {t.highlights:>6} highlights")
        return EXIT_OK
    if args.tag_command == "rename":
        return _tag_result(lib, args, lib.rename_tag(args.old, args.new), "renamed")
    if args.tag_command == "merge":
        return _tag_result(lib, args, lib.merge_tags(args.sources, args.into), "merged")
    return _tag_result(lib, args, lib.delete_tag(args.name), "deleted")


# ---------------------------------------------------------------------- parser
def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the `pizhu` parser."""
    s = sub.add_parser("export-article",
                       help="articles' text as Markdown with their structure and pictures")
    s.add_argument("ids", nargs="+", metavar="ID", help="article numbers or uuids")
    s.add_argument("-o", "--output", required=True, metavar="FOLDER",
                   help="folder for <title>.md files (pictures under FOLDER/images/)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_export_article, create_library=False)

    s = sub.add_parser("edit", help="change the title, source, date, … or tags of articles")
    s.add_argument("ids", nargs="+", metavar="ID", help="article numbers or uuids")
    s.add_argument("--title")
    s.add_argument("--subtitle")
    s.add_argument("--source")
    s.add_argument("--date", help="YYYY-MM-DD (2026-1-5 is fine too); '' clears it")
    s.add_argument("--byline")
    s.add_argument("--url")
    s.add_argument("--add-tag", action="append", metavar="T", help="repeatable")
    s.add_argument("--remove-tag", action="append", metavar="T", help="repeatable")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_edit, create_library=False)

    s = sub.add_parser("delete", help="move articles to the trash")
    s.add_argument("ids", nargs="+", metavar="ID", help="article numbers or uuids")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_delete, create_library=False)

    s = sub.add_parser("trash", help="list the trash, restore articles from it or empty it")
    s.add_argument("--restore", nargs="+", metavar="ID", help="take these articles back")
    s.add_argument("--empty", action="store_true", help="delete the trashed articles for good")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_trash, create_library=False)

    s = sub.add_parser("annotate", help="change or delete one highlight")
    s.add_argument("uuid", metavar="UUID", help="the highlight's uuid (or a unique prefix)")
    s.add_argument("--note", metavar="N", help="the new note ('' clears it)")
    s.add_argument("--color", choices=list(HIGHLIGHT_COLORS))
    s.add_argument("--tag", action="append", metavar="T",
                   help="the highlight's tags (repeatable; replaces its tags)")
    s.add_argument("--delete", action="store_true")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_annotate, create_library=False)

    s = sub.add_parser("tag", help="list, rename, merge or delete tags (nested with '/')")
    tsub = s.add_subparsers(dest="tag_command", metavar="ACTION", required=True)
    t = tsub.add_parser("list", help="every tag with its counts, nested")
    t.add_argument("--json", action="store_true")
    t = tsub.add_parser("rename", help="rename a tag and the tags under it")
    t.add_argument("old")
    t.add_argument("new")
    t.add_argument("--json", action="store_true")
    t = tsub.add_parser("merge", help="merge tags into one")
    t.add_argument("sources", nargs="+", metavar="SRC")
    t.add_argument("--into", required=True, metavar="T")
    t.add_argument("--json", action="store_true")
    t = tsub.add_parser("delete", help="remove a tag (and the tags under it) everywhere")
    t.add_argument("name")
    t.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_tag, create_library=False)
