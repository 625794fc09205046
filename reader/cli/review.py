"""``pizhu review``: today's highlights to review (issue 17; scheduling in reader.core.review).

    pizhu review [-n N] [--tag T]… [--any]          answer in the terminal, one key each
    pizhu review --json [-n N] [--tag T]… [--any]   today's list as JSON (nothing answered)
    pizhu review --answer UUID again|hard|good|easy|keep|retire [--json]

Keys: 1 again · 2 hard · 3 good · 4 easy · k keep · r retire · s skip · q quit — one key in a
terminal; a line each when the answers are piped in.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING

from reader.cli.common import EXIT_OK, UsageError, count_arg, print_json

if TYPE_CHECKING:
    from reader.core.library import Library
    from reader.core.review import ReviewItem

PROMPT = "[1] again  [2] hard  [3] good  [4] easy  [k]eep  [r]etire  [s]kip  [q]uit > "


def _show(item: ReviewItem, i: int, n: int) -> None:
    h = item.highlight
    head = " · ".join(x for x in (h.article_title, item.source, h.article_date) if x)
    print(f"\n—— {i}/{n} ——  {head}")
    print(textwrap.fill(f"…{item.before}【{h.quote}】{item.after}…", width=72))
    if h.note:
        print(textwrap.fill("批注：" + h.note, width=72))
    if h.tags:
        print("标签：" + "、".join(h.tags))
    print(item.link)


def _read_key(prompt: str) -> str:
    """One key from a terminal (no Enter), else one line (piped answers); 'q' at the end."""
    if not sys.stdin.isatty():
        try:
            return input(prompt).strip().lower()
        except EOFError:  # the end of piped answers
            print()
            return "q"
    if sys.platform == "win32":
        import msvcrt

        print(prompt, end="", flush=True)
        key = msvcrt.getwch()
    else:
        import termios
        import tty

        fd = sys.stdin.fileno()
        old = termios.tcgetattr(fd)
        try:
            # one key at a time BEFORE the prompt shows, and without flushing (TCSANOW): a key
            # pressed as soon as the prompt appears is read, not thrown away
            tty.setcbreak(fd, termios.TCSANOW)
            print(prompt, end="", flush=True)
            key = sys.stdin.read(1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
    print(key)
    if key in ("\x03", "\x04", "\x1b"):  # Ctrl+C, Ctrl+D, Esc
        return "q"
    return key.strip().lower()


def _when(days: float) -> str:
    if days < 1.5:
        return "tomorrow"
    if days < 60:
        return f"in {round(days)} days"
    return f"in {round(days / 30)} months"


def cmd_review(lib: Library, args: argparse.Namespace) -> int:
    from reader.core import review

    if args.answer:
        uuid, reply = args.answer
        try:
            got = review.answer(lib, uuid, reply)
        except review.ReviewError as e:
            raise UsageError(str(e)) from None
        if args.json:
            print_json(got.to_json())
        else:
            print(f"{uuid}: {got.answer}" + ("" if got.retired else f", next on {got.due[:10]}"))
        return EXIT_OK
    items = review.due(lib, limit=args.n, tags=args.tag or [], any_tag=args.any)
    if args.json:
        print_json([it.to_json() for it in items])
        return EXIT_OK
    if not items:
        s = review.stats(lib)
        print(f"nothing to review today ({s['today']} answered today, {s['cards']} under review)")
        return EXIT_OK
    answered = 0
    for i, item in enumerate(items, 1):
        _show(item, i, len(items))
        while True:
            key = _read_key(PROMPT)
            if key in ("q", "s") or key in review.KEYS or key in review.ANSWERS:
                break
            print("answer with 1–4, k, r, s or q")
        if key == "q":
            break
        if key == "s":
            continue
        got = review.answer(lib, item.highlight.uuid, key)
        answered += 1
        delta = review.next_due_in(got)
        print("retired: it will not come back" if delta is None
              else f"{got.answer}: back {_when(delta.total_seconds() / 86400)}")
    print(f"\n{answered} answered", file=sys.stderr)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``pizhu review`` to the parser."""
    s = sub.add_parser("review", help="review today's highlights (FSRS spaced repetition)")
    s.add_argument("-n", type=count_arg, default=10, metavar="N",
                   help="highlights a day (default 10)")
    s.add_argument("--tag", action="append", metavar="T",
                   help="only highlights with this tag (repeatable: all of them; see --any)")
    s.add_argument("--any", action="store_true", help="highlights with any of the tags")
    s.add_argument("--answer", nargs=2, metavar=("UUID", "ANSWER"),
                   help="record one answer (again, hard, good, easy, keep or retire)")
    s.add_argument("--json", action="store_true",
                   help="list today's highlights to review as JSON (nothing is answered)")
    s.set_defaults(func=cmd_review)
