"""CLI commands of recall (issue 17): ``pizhu related ID``, ``pizhu suggest-tags ID``, and the
``--search TEXT`` of ``pizhu highlights`` (see :func:`search_filter`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from reader.cli.common import EXIT_OK, UsageError, fit, print_json
from reader.cli.common import article_id as _article_id

if TYPE_CHECKING:
    from reader.core.library import Library


def cmd_related(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.recall import related_articles

    aid = _article_id(lib, args.id)
    lib.article(aid)
    found = related_articles(lib, aid, k=args.limit)
    if args.json:
        print_json([r.to_json() for r in found])
        return EXIT_OK
    for r in found:
        a = r.article
        print(f"{a.id:>6}  {a.date[:10]:<10}  {fit(a.title, 36)}  共有: {'、'.join(r.terms[:5])}")
    if not found:
        print("no related articles (none shares enough key words)")
    return EXIT_OK


def cmd_suggest_tags(lib: Library, args: argparse.Namespace) -> int:
    from reader.core.recall import suggest_tags

    if args.highlight:
        lib.highlight(args.highlight)
        found = suggest_tags(lib, highlight=args.highlight, k=args.limit)
    else:
        if not args.id:
            raise UsageError("suggest-tags: give an article number (or --highlight UUID)")
        aid = _article_id(lib, args.id)
        lib.article(aid)
        found = suggest_tags(lib, aid, k=args.limit)
    if args.json:
        print_json([s.to_json() for s in found])
        return EXIT_OK
    for s in found:
        print(f"{s.tag}" + ("  (your tag)" if s.existing else ""))
    if not found:
        print("no suggestions")
    return EXIT_OK


def search_filter(lib: Library, hls: list[Any], text: str) -> list[Any]:
    """``pizhu highlights --search TEXT``: the highlights of ``hls`` matching the query, in
    their order (reader.core.recall.search_highlights). A malformed query is a usage error."""
    from reader.core.recall import search_highlights

    try:
        keep = set(search_highlights(lib, text, highlights=hls))
    except ValueError as e:
        raise UsageError(f"--search: {getattr(e, 'message', e)}") from None
    return [h for h in hls if h.uuid in keep]


def _limit(text: str) -> int:
    t = text.strip()
    if not (t.isascii() and t.isdigit()) or not 1 <= int(t) <= 50:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number from 1 to 50")
    return int(t)


def register(sub: Any) -> None:
    s = sub.add_parser("related", help="articles related to one (shared key words)")
    s.add_argument("id", metavar="ID", help="article number or uuid")
    s.add_argument("--limit", type=_limit, default=5, help="how many (default 5)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_related, create_library=False)

    s = sub.add_parser("suggest-tags", help="suggested tags for an article or a highlight")
    s.add_argument("id", metavar="ID", nargs="?", help="article number or uuid")
    s.add_argument("--highlight", metavar="UUID", help="suggest for this highlight instead")
    s.add_argument("--limit", type=_limit, default=5, help="how many (default 5)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_suggest_tags, create_library=False)
