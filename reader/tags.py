"""Hierarchical tags: ``政策/京津冀`` is the tag ``京津冀`` under ``政策``. Pure string rules shared
by the library (SQL matching, rename/merge), the search index (``tag:政策`` finds the children:
index every ancestor of a tag) and the GUI's tag tree. No I/O, no Qt.

Names compare case-blind, like the ``tags`` table (``COLLATE NOCASE``)."""

from __future__ import annotations

SEP = "/"
_SLASHES = str.maketrans({"／": SEP, "\\": SEP})  # full-width and back slashes mean the same


def normalize_tag(name: str) -> str:
    """``' 政策 ／ 京津冀/ '`` -> ``'政策/京津冀'``: one separator, no empty levels, no spaces
    around a level. A plain name comes back as ``clean_tags`` left it."""
    if SEP not in name and "／" not in name and "\\" not in name:
        return name
    parts = [" ".join(p.split()) for p in name.translate(_SLASHES).split(SEP)]
    return SEP.join(p for p in parts if p)


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
