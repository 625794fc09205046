"""Annotations as JSON following the W3C Web Annotation Data Model
(https://www.w3.org/TR/annotation-model/), importable again by :mod:`reader.core.annotations_io`.

The file is an ``AnnotationCollection`` whose first (only) ``AnnotationPage`` holds every
annotation. Each highlight becomes::

    {"id": "urn:uuid:<highlight uuid>", "type": "Annotation",
     "motivation": "highlighting" | "commenting",   # commenting when it has a note
     "created": …, "modified": …,
     "body": [{"type": "TextualBody", "purpose": "commenting", "value": <note>, …},
              {"type": "TextualBody", "purpose": "tagging", "value": <tag>}, …],
     "target": {"type": "SpecificResource",
                "source": "pizhu://article/<article uuid>",
                "selector": [{"type": "TextQuoteSelector", "exact", "prefix", "suffix"},
                             {"type": "TextPositionSelector", "start", "end"}],
                "pizhu:article": {"uuid", "title", "url", "externalId", "kind", "source",
                                  "date", "contentHash"}},
     "pizhu:color": "yellow", "pizhu:orphan": false}

Positions count Unicode code points of the article's stored (normalised) text, as the model
asks. ``pizhu:`` properties are extensions declared in the ``@context``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reader import __version__
from reader.core.links import article_iri
from reader.core.model import Article, Highlight

if TYPE_CHECKING:
    from reader.core.exporters import ArticleGroup

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PIZHU_NS = "pizhu://ns#"
CONTEXT = [ANNO_CONTEXT, {"pizhu": PIZHU_NS}]
FORMAT_VERSION = 1


def article_info(a: Article) -> dict[str, Any]:
    """What identifies an article in another library: uuid, then external id, url, content."""
    return {
        "uuid": a.uuid, "title": a.title, "url": a.url, "externalId": a.external_id,
        "kind": a.kind, "source": a.source, "date": a.date, "contentHash": a.content_hash,
    }


def annotation(h: Highlight, a: Article) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if h.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": h.note,
                     "format": "text/plain", "language": "zh"})
    body += [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in h.tags]
    anno: dict[str, Any] = {
        "id": f"urn:uuid:{h.uuid}",
        "type": "Annotation",
        "motivation": "commenting" if h.note else "highlighting",
        "created": h.created,
        "modified": h.updated,
    }
    if body:
        anno["body"] = body
    anno["target"] = {
        "type": "SpecificResource",
        "source": article_iri(a.uuid),
        "selector": [
            {"type": "TextQuoteSelector", "exact": h.quote, "prefix": h.prefix,
             "suffix": h.suffix},
            {"type": "TextPositionSelector", "start": h.start, "end": h.end},
        ],
        "pizhu:article": article_info(a),
    }
    anno["pizhu:color"] = h.color
    anno["pizhu:orphan"] = h.orphan
    return anno


def collection(groups: list[ArticleGroup], *, now: str | None = None) -> dict[str, Any]:
    items = [annotation(h, g.article) for g in groups for h in g.highlights]
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "Pizhu 批注",
        "generator": {"type": "Software", "name": f"Pizhu {__version__}",
                      "homepage": "pizhu://app"},
        "generated": now or datetime.now(UTC).isoformat(timespec="seconds"),
        "pizhu:formatVersion": FORMAT_VERSION,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def render(groups: list[ArticleGroup]) -> str:
    return json.dumps(collection(groups), ensure_ascii=False, indent=2) + "\n"
