"""Article tags and the tag tree's rename / merge / delete (each undoable by :func:`restore_tags`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from reader.core.errors import InvalidInput, NotFound
from reader.core.manage import TagChange, TagSnapshot
from reader.core.store import Executes, Store, Tx
from reader.core.store.tags import (
    article_tags,
    drop_unused_tags,
    tag_ids,
)
from reader.core.tags import clean_tags, is_under, like_pattern, moved

log = logging.getLogger(__name__)

def set_article_tags(store: Store, article_id: int, tags: Iterable[str]) -> list[str]:
    with store.transaction() as tx:
        tx.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
        for tid in tag_ids(tx, tags):
            tx.execute(
                "INSERT OR IGNORE INTO article_tags(article_id, tag_id) VALUES (?, ?)",
                (article_id, tid),
            )
        drop_unused_tags(tx)
        tx.article_tags_changed(article_id)
    return article_tags(store.reader(), article_id)


def subtree(conn: Executes, name: str) -> list[tuple[int, str]]:
    """(id, name) of the tag ``name`` and every tag under it, shortest names first."""
    rows = conn.execute(
        "SELECT id, name FROM tags WHERE name = ? OR name LIKE ? ESCAPE '\\'",
        (name, like_pattern(name)),
    ).fetchall()
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: (len(r[1]), r[1]))


def assignments(conn: Executes, tag_id: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    a = tuple(r[0] for r in conn.execute(
        "SELECT article_id FROM article_tags WHERE tag_id = ? ORDER BY article_id", (tag_id,)))
    h = tuple(r[0] for r in conn.execute(
        "SELECT highlight_id FROM highlight_tags WHERE tag_id = ? ORDER BY highlight_id",
        (tag_id,)))
    return a, h


def tag_change(store: Store, roots: Sequence[str], plan: Callable[[Executes], dict[str, str | None]],
) -> TagChange:
    """Run a tag change in one transaction. ``plan(tx)`` maps each old tag name to its new
    name (None: remove the tag); ``roots`` are the subtrees that may be touched (old names
    and targets), whose assignments are kept for undo."""
    with store.transaction() as tx:
        before: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        for root in roots:
            for tid, name in subtree(tx, root):
                before.setdefault(name, assignments(tx, tid))
        mapping = plan(tx)
        touched_arts: set[int] = set()
        touched_hls: set[int] = set()
        for old, new in mapping.items():
            row = tx.execute("SELECT id FROM tags WHERE name = ?", (old,)).fetchone()
            if row is None:
                continue
            tid = row[0]
            arts, hls = assignments(tx, tid)
            touched_arts.update(arts)
            touched_hls.update(hls)
            if new is None:
                tx.execute("DELETE FROM tags WHERE id = ?", (tid,))
                continue
            other = tx.execute("SELECT id FROM tags WHERE name = ?", (new,)).fetchone()
            if other is None or other[0] == tid:
                tx.execute("UPDATE tags SET name = ? WHERE id = ?", (new, tid))
            else:  # onto an existing tag: merge the assignments
                tx.execute("INSERT OR IGNORE INTO article_tags(article_id, tag_id)"
                             " SELECT article_id, ? FROM article_tags WHERE tag_id = ?",
                             (other[0], tid))
                tx.execute("INSERT OR IGNORE INTO highlight_tags(highlight_id, tag_id)"
                             " SELECT highlight_id, ? FROM highlight_tags WHERE tag_id = ?",
                             (other[0], tid))
                tx.execute("DELETE FROM tags WHERE id = ?", (tid,))
        known = {n.casefold() for n in before}
        created = tuple(sorted({
            n for n in mapping.values() if n is not None and n.casefold() not in known
        }))
        enqueue_tagged(tx, touched_arts, touched_hls)
        drop_unused_tags(tx)
    return TagChange(
        articles=len(touched_arts), highlights=len(touched_hls),
        renamed={o: n for o, n in mapping.items() if n is not None and o != n},
        removed=[o for o, n in mapping.items() if n is None],
        undo=TagSnapshot(before=before, created=created),
    )


def enqueue_tagged(tx: Tx, arts: Iterable[int],
                    hls: Iterable[int]) -> set[int]:
    ids = set(arts)
    hl = sorted(set(hls))
    for i in range(0, len(hl), 500):
        chunk = hl[i:i + 500]
        ids.update(r[0] for r in tx.execute(
            f"SELECT article_id FROM highlights WHERE id IN ({','.join('?' * len(chunk))})",
            chunk))
    for aid in sorted(ids):
        tx.enqueue(aid)
    tx.tags_changed()
    return ids


def rename_tag(store: Store, old: str, new: str) -> TagChange:
    """Rename a tag and every tag under it (``政策`` -> ``时政`` makes ``政策/京津冀``
    ``时政/京津冀``); onto an existing name the two merge. Undo: :meth:`restore_tags` with
    the returned ``undo``."""
    return merge_tags(store, [old], new, _rename=True)


def merge_tags(store: Store, sources: Iterable[str], target: str, *, _rename: bool = False) -> TagChange:
    """Merge tags into ``target``: everything tagged with a source (or a tag under it) gets
    the target (or the same tag under the target) instead. Returns counts and the undo."""
    names = clean_tags(sources)
    target_l = clean_tags([target])
    if not names or not target_l:
        raise InvalidInput("name the tag(s) to merge and the tag to merge them into")
    target = target_l[0]
    conn = store.reader()
    for name in names:
        if not subtree(conn, name):
            raise NotFound(f"no tag {name!r}")
        if is_under(target, name) and target.casefold() != name.casefold():
            raise InvalidInput(f"cannot move {name!r} into {target!r}, a tag under itself")
    if not _rename and all(n.casefold() == target.casefold() for n in names):
        raise InvalidInput(f"{target!r} cannot be merged into itself")

    def plan(c: Executes) -> dict[str, str | None]:
        mapping: dict[str, str | None] = {}
        for name in names:
            for _tid, old in subtree(c, name):
                new = moved(old, name, target)
                if new != old:  # a tag merged into itself stays as it is
                    mapping.setdefault(old, new)
        return mapping

    return tag_change(store, [*names, target], plan)


def delete_tag(store: Store, name: str) -> TagChange:
    """Remove a tag and every tag under it from all articles and highlights. Returns counts
    and the undo (:meth:`restore_tags`)."""
    names = clean_tags([name])
    if not names or not subtree(store.reader(), names[0]):
        raise NotFound(f"no tag {name!r}")
    root = names[0]
    return tag_change(store,
        [root], lambda c: {old: None for _tid, old in subtree(c, root)})


def restore_tags(store: Store, snapshot: TagSnapshot) -> None:
    """Undo a rename/merge/delete: the tags of ``snapshot.before`` get exactly their old
    assignments (articles and highlights that no longer exist are skipped), the tags the
    change created are removed."""
    with store.transaction() as tx:
        arts: set[int] = set()
        hls: set[int] = set()
        for name in snapshot.created:
            row = tx.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
            if row is not None and name not in snapshot.before:
                a, h = assignments(tx, row[0])
                arts.update(a)
                hls.update(h)
                tx.execute("DELETE FROM tags WHERE id = ?", (row[0],))
        for name, (a_ids, h_ids) in snapshot.before.items():
            tx.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
            tid = tx.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]
            tx.execute("UPDATE tags SET name = ? WHERE id = ?", (name, tid))  # its case
            a, h = assignments(tx, tid)
            arts.update(a, a_ids)
            hls.update(h, h_ids)
            tx.execute("DELETE FROM article_tags WHERE tag_id = ?", (tid,))
            tx.execute("DELETE FROM highlight_tags WHERE tag_id = ?", (tid,))
            tx.executemany(
                "INSERT OR IGNORE INTO article_tags(article_id, tag_id)"
                " SELECT id, ? FROM articles WHERE id = ?", [(tid, i) for i in a_ids])
            tx.executemany(
                "INSERT OR IGNORE INTO highlight_tags(highlight_id, tag_id)"
                " SELECT id, ? FROM highlights WHERE id = ?", [(tid, i) for i in h_ids])
        arts = {i for i in arts if tx.execute(
            "SELECT 1 FROM articles WHERE id = ?", (i,)).fetchone()}
        enqueue_tagged(tx, arts, hls)
        drop_unused_tags(tx)
