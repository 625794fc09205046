"""Changes to many highlights in ONE transaction (the annotation library's multi-selection: tag,
recolour, delete hundreds at once), through the store's write path like every other write
(``lib.store.transaction()``; each highlight reported with ``tx.highlight_changed``, so the
index, the window and sync hear of it after the commit, once).

:func:`change_highlights` returns the old values of what it changed in the same shape it takes,
so that passing them back undoes the change exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reader.core.tags import clean_tags

if TYPE_CHECKING:
    from reader.core.library import Library

FIELDS = ("color", "tags", "deleted")


def change_highlights(lib: Library, changes: Mapping[str, Mapping[str, Any]]
                      ) -> dict[str, dict[str, Any]]:
    """Apply ``{uuid: {"color": str, "tags": [str], "deleted": bool}}`` (any of the three)
    in one transaction; unknown uuids and values already in place are skipped. Returns
    ``{uuid: {field: old value}}`` for the fields that changed."""
    from reader.core.store.tags import drop_unused_tags, tag_ids

    bad = {k for fields in changes.values() for k in fields} - set(FIELDS)
    if bad:
        raise ValueError(f"cannot change {', '.join(sorted(bad))} of highlights in a batch")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    before: dict[str, dict[str, Any]] = {}
    with lib.store.transaction() as tx:
        tags_touched = False
        for uuid, fields in changes.items():
            row = tx.execute("SELECT id, article_id, color, deleted FROM highlights"
                             " WHERE uuid = ?", (uuid,)).fetchone()
            if row is None:
                continue
            old: dict[str, Any] = {}
            sets: dict[str, object] = {}
            if "color" in fields and fields["color"] != row["color"]:
                old["color"], sets["color"] = row["color"], str(fields["color"])
            if "deleted" in fields and bool(fields["deleted"]) != bool(row["deleted"]):
                old["deleted"], sets["deleted"] = bool(row["deleted"]), int(bool(fields["deleted"]))
            if "tags" in fields:
                current = [r[0] for r in tx.execute(
                    "SELECT t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id"
                    " WHERE ht.highlight_id = ? ORDER BY t.name", (row["id"],))]
                new = clean_tags(fields["tags"])
                if sorted(t.casefold() for t in current) != sorted(t.casefold() for t in new):
                    old["tags"] = current
                    tx.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", (row["id"],))
                    for tid in tag_ids(tx, new):
                        tx.execute("INSERT OR IGNORE INTO highlight_tags VALUES (?, ?)",
                                   (row["id"], tid))
                    tags_touched = True
            if not old:
                continue
            sets["updated"] = stamp
            tx.execute(f"UPDATE highlights SET {', '.join(f'{k} = ?' for k in sets)}"
                       " WHERE id = ?", (*sets.values(), row["id"]))
            deleted = bool(sets.get("deleted", row["deleted"]))
            tx.highlight_changed(uuid, row["article_id"], deleted=deleted)
            before[uuid] = old
        if tags_touched:
            drop_unused_tags(tx)
    return before
