"""Daily review of highlights, scheduled with FSRS (issue 17; the ``fsrs`` package, v6).

Each day a few highlights come back (``limit``, default 10; optionally only those carrying some
tags): first those whose review is due, then some never reviewed yet (shuffled by the day, so a
day's list is stable and the next day's different). Each is shown with its note, its context in
the article and the article; the reader answers

* ``again`` / ``hard`` / ``good`` / ``easy`` (1–4): FSRS grades, the next review is days to
  months away (no same-day learning steps: passages are reread, not drilled);
* ``keep``: stays in the rotation, scheduled as ``good``;
* ``retire``: never shown again.

The schedule is stored per highlight **uuid** (``review_cards``; every answer in ``review_log``),
so an edited or re-anchored highlight keeps it, and a sync can carry it as a field of the
highlight. Deleted highlights and those of articles in the trash are never shown; their cards
stay (an undone delete finds its schedule again). No Qt: the CLI and the GUI share it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from reader.core.links import article_link
from reader.core.model import Highlight

if TYPE_CHECKING:
    from fsrs import Scheduler

    from reader.core.library import Library

DEFAULT_LIMIT = 10
ANSWERS = ("again", "hard", "good", "easy", "keep", "retire")
KEYS = {"1": "again", "2": "hard", "3": "good", "4": "easy", "k": "keep", "r": "retire"}
CONTEXT_CHARS = 60
STATES = {1: "learning", 2: "review", 3: "relearning"}


class ReviewError(ValueError):
    """An answer that cannot be recorded (unknown answer or highlight)."""


def _scheduler() -> Scheduler:
    from fsrs import Scheduler  # imported lazily: never on the start-up path

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def day_start(now: datetime | None = None) -> datetime:
    """The start of the local day ``now`` is in (the daily count restarts at local midnight)."""
    local = (now or datetime.now(UTC)).astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class ReviewItem:
    highlight: Highlight
    article_uuid: str
    source: str
    before: str  # the article's text just before the quote (same paragraph)
    after: str
    state: str  # new | learning | review | relearning
    due: str  # ISO UTC, '' for a new one
    reps: int

    def to_json(self) -> dict[str, Any]:
        h = self.highlight
        return {
            "uuid": h.uuid, "article_id": h.article_id, "article_title": h.article_title,
            "article_date": h.article_date, "source": self.source, "quote": h.quote,
            "note": h.note, "tags": list(h.tags), "color": h.color, "orphan": h.orphan,
            "before": self.before, "after": self.after, "state": self.state, "due": self.due,
            "reps": self.reps, "link": self.link,
        }

    @property
    def link(self) -> str:
        """``pizhu://`` link that opens the article at the passage."""
        return article_link(self.article_uuid, self.highlight.uuid)


def _cards(lib: Library) -> dict[str, Any]:
    conn = lib.store.reader()
    return {r["highlight_uuid"]: r for r in conn.execute("SELECT * FROM review_cards")}


def reviewed_today(lib: Library, now: datetime | None = None) -> set[str]:
    """The highlights answered since the start of the local day."""
    conn = lib.store.reader()
    since = _iso(day_start(now))
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT highlight_uuid FROM review_log WHERE reviewed_at >= ?", (since,))}


def due(lib: Library, *, limit: int = DEFAULT_LIMIT, tags: tuple[str, ...] | list[str] = (),
        any_tag: bool = False, now: datetime | None = None) -> list[ReviewItem]:
    """Today's highlights to review: at most ``limit`` a day, less those answered today."""
    t = _now(now)
    done = reviewed_today(lib, t)
    room = max(0, limit - len(done))
    if room == 0:
        return []
    cards = _cards(lib)
    stamp = _iso(t)
    pool = [h for h in lib.highlights(tags=tags, any_tag=any_tag) if h.uuid not in done]
    scheduled = sorted((h for h in pool if h.uuid in cards and not cards[h.uuid]["retired"]
                        and cards[h.uuid]["due"] <= stamp),
                       key=lambda h: (cards[h.uuid]["due"], h.uuid))
    new = sorted((h for h in pool if h.uuid not in cards), key=lambda h: h.uuid)
    random.Random(day_start(t).date().isoformat()).shuffle(new)
    chosen = (scheduled + new)[:room]
    return [_item(lib, h, cards.get(h.uuid)) for h in chosen]


def _item(lib: Library, h: Highlight, card: Any) -> ReviewItem:
    before, after = h.prefix, h.suffix
    article = lib.article(h.article_id)
    body = article.body or ""
    if not h.orphan and body[h.start:h.end] == h.quote:
        before = body[max(0, h.start - CONTEXT_CHARS):h.start].rsplit("\n", 1)[-1]
        after = body[h.end:h.end + CONTEXT_CHARS].split("\n", 1)[0]
    return ReviewItem(
        highlight=h, article_uuid=article.uuid, source=article.source, before=before, after=after,
        state=STATES.get(card["state"], "review") if card is not None else "new",
        due=card["due"] if card is not None else "", reps=card["reps"] if card is not None else 0)


@dataclass
class Answered:
    uuid: str
    answer: str
    due: str  # the next review, ISO UTC ('' when retired)
    state: str
    retired: bool

    def to_json(self) -> dict[str, Any]:
        return {"uuid": self.uuid, "answer": self.answer, "due": self.due, "state": self.state,
                "retired": self.retired}


def answer(lib: Library, uuid: str, reply: str, *, now: datetime | None = None) -> Answered:
    """Record an answer (one of :data:`ANSWERS`, or its key 1–4/k/r) and schedule the next
    review. Raises :class:`ReviewError` for an unknown answer, LibraryError for an unknown
    highlight."""
    from fsrs import Card, Rating

    reply = KEYS.get(reply.strip().lower(), reply.strip().lower())
    if reply not in ANSWERS:
        raise ReviewError(f"{reply!r} is no answer (give one of {', '.join(ANSWERS)} or 1–4)")
    lib.highlight(uuid)  # raises LibraryError for an unknown highlight
    t = _now(now)
    stamp = _iso(t)
    with lib.store.transaction() as tx:
        row = tx.execute("SELECT * FROM review_cards WHERE highlight_uuid = ?", (uuid,)).fetchone()
        reps = (row["reps"] if row is not None else 0) + 1
        if reply == "retire":
            if row is None:
                tx.execute(
                    "INSERT INTO review_cards(highlight_uuid, state, due, reps, retired, updated)"
                    " VALUES (?, 2, ?, ?, 1, ?)", (uuid, stamp, reps, stamp))
            else:
                tx.execute("UPDATE review_cards SET retired = 1, reps = ?, updated = ?"
                           " WHERE highlight_uuid = ?", (reps, stamp, uuid))
            tx.execute("INSERT INTO review_log(highlight_uuid, answer, reviewed_at)"
                       " VALUES (?, ?, ?)", (uuid, reply, stamp))
            return Answered(uuid, reply, "", STATES.get(row["state"], "review") if row else "review",
                            True)
        card = Card() if row is None or row["stability"] is None else Card.from_dict({
            "card_id": 0, "state": row["state"], "step": row["step"],
            "stability": row["stability"], "difficulty": row["difficulty"], "due": row["due"],
            "last_review": row["last_review"] or None})
        rating = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good,
                  "easy": Rating.Easy, "keep": Rating.Good}[reply]
        card, _log = _scheduler().review_card(card, rating, review_datetime=t)
        next_due = _iso(card.due)
        tx.execute(
            "INSERT INTO review_cards(highlight_uuid, state, step, stability, difficulty, due,"
            " last_review, reps, retired, updated) VALUES (?,?,?,?,?,?,?,?,0,?)"
            " ON CONFLICT(highlight_uuid) DO UPDATE SET state = excluded.state,"
            " step = excluded.step, stability = excluded.stability,"
            " difficulty = excluded.difficulty, due = excluded.due,"
            " last_review = excluded.last_review, reps = excluded.reps, retired = 0,"
            " updated = excluded.updated",
            (uuid, int(card.state), card.step, card.stability, card.difficulty, next_due,
             _iso(card.last_review) if card.last_review else stamp, reps, stamp))
        tx.execute("INSERT INTO review_log(highlight_uuid, answer, reviewed_at) VALUES (?, ?, ?)",
                   (uuid, reply, stamp))
    return Answered(uuid, reply, next_due, STATES.get(int(card.state), "review"), False)


def stats(lib: Library, *, now: datetime | None = None) -> dict[str, int]:
    """How many highlights are under review, retired, due now, answered today."""
    t = _now(now)
    conn = lib.store.reader()
    row = conn.execute(
        "SELECT count(*), coalesce(sum(retired), 0), coalesce(sum(retired = 0 AND due <= ?), 0)"
        " FROM review_cards", (_iso(t),)).fetchone()
    return {"cards": row[0], "retired": row[1], "due": row[2],
            "today": len(reviewed_today(lib, t))}


def next_due_in(answered: Answered, now: datetime | None = None) -> timedelta | None:
    """How long until an answered highlight comes back (None when retired)."""
    if answered.retired or not answered.due:
        return None
    return datetime.fromisoformat(answered.due) - _now(now)
