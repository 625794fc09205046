"""Hierarchical tags: ``政策/京津冀`` is the tag ``京津冀`` under ``政策``. Pure string rules shared
by the library (SQL matching, rename/merge), the search index (``tag:政策`` finds the children:
index every ancestor of a tag) and the GUI's tag tree. No I/O, no Qt.

Names compare case-blind, like the ``tags`` table (``COLLATE NOCASE``)."""

from __future__ import annotations

from collections.abc import Iterable

from reader.core.text import clean_note

SEP = "/"


def normalize_tag(name: str) -> str:
    """``'政策／京津冀/'`` -> ``'政策/京津冀'``: the full-width slash is the separator too, empty
    levels (``a//b``, a leading or trailing slash) go. Spaces are left as they are (a tag may
    hold any text, e.g. a formula that CSV export guards); the tag editor splits at spaces."""
    if SEP not in name and "／" not in name:
        return name
    return SEP.join(p for p in name.replace("／", SEP).split(SEP) if p.strip())


def tag_ancestors(name: str) -> list[str]:
    """Every ancestor of a tag, nearest last, without the tag itself:
    ``'政策/京津冀/交通'`` -> ``['政策', '政策/京津冀']``. The index adds these to an article's
    tag field so that ``tag:政策`` finds articles tagged with any tag under it."""
    parts = normalize_tag(name).split(SEP)
    return [SEP.join(parts[:i]) for i in range(1, len(parts))]


def tag_with_ancestors(name: str) -> list[str]:
    """``tag_ancestors(name) + [name]``."""
    return [*tag_ancestors(name), normalize_tag(name)]


def is_under(name: str, parent: str) -> bool:
    """True if ``name`` is ``parent`` or one of its descendants (case-blind)."""
    n, p = name.casefold(), parent.casefold()
    return n == p or n.startswith(p + SEP)


def moved(name: str, old: str, new: str) -> str:
    """The name ``name`` gets when the subtree ``old`` is renamed to ``new``
    (``moved('政策/京津冀', '政策', '时政')`` -> ``'时政/京津冀'``). ``name`` must be under ``old``."""
    return new + name[len(old):]


def leaf(name: str) -> str:
    """The last level: ``'政策/京津冀'`` -> ``'京津冀'``."""
    return name.rsplit(SEP, 1)[-1]


def like_pattern(name: str) -> str:
    """A SQL ``LIKE … ESCAPE '\\'`` pattern matching the descendants of ``name``."""
    esc = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return esc + SEP + "%"


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as the user means them: trimmed, no '#', no empties, no duplicates (case-blind)."""
    seen: dict[str, str] = {}
    for t in tags:
        text = clean_note(str(t))  # no control characters (see reader.core.text.clean_note)
        name = normalize_tag(" ".join(text.replace("\u3000", " ").split()).lstrip("#＃").strip())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())
