"""W3C Web Annotation (JSON-LD) for every extracted span: one ``Annotation`` per entity mention,
claim part (speaker, cue, content), figure, date, place and event (and the spans of plugin
kinds), in an ``AnnotationCollection``. Each targets the stored text of its document
(``urn:sitroom:document:ID``, the text sitroom's offsets index) with a ``TextQuoteSelector``
(exact, 32 characters of prefix and suffix) and a ``TextPositionSelector`` (start, end, in
characters); ``scope`` is the page the text came from, where known. The bodies say what was
extracted (``describing``) and its kind (``tagging``).
"""

from __future__ import annotations

import json
from typing import IO, Any

from sitroom import kinds
from sitroom.export import ExportFormat, each, register

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
AFFIX = 32


def annotation(document_id: str, text: str, start: int, end: int, kind: str, anchor: str, tip: str,
               scope: str | None) -> dict[str, Any]:
    target: dict[str, Any] = {
        "source": f"urn:sitroom:document:{document_id}",
        "selector": [{"type": "TextQuoteSelector", "exact": text[start:end], "prefix": text[max(0, start - AFFIX):start],
                      "suffix": text[end:end + AFFIX]},
                     {"type": "TextPositionSelector", "start": start, "end": end}]}
    if scope:
        target["scope"] = scope
    return {"id": f"urn:sitroom:annotation:{document_id}:{anchor}", "type": "Annotation", "motivation": "describing",
            "body": [{"type": "TextualBody", "value": tip, "format": "text/plain", "purpose": "describing"},
                     {"type": "TextualBody", "value": kind, "purpose": "tagging"}],
            "target": target}


def document_annotations(picture: Any, row: dict[str, Any]) -> list[dict[str, Any]]:
    found = picture.store.extraction(row["id"])
    if found is None:
        return []
    text, document_id, scope = found.document.text, found.document.id, row.get("url")
    spans = [(m.start, m.end, m.kind, m.anchor, m.tip) for m in kinds.marks(found)]
    spans += [(s.start, s.end, "entity", f"entity-{e.id}-{i}", f"{e.type}: {e.name}")
              for e in found.entities for i, s in enumerate(e.mentions)]
    return [annotation(document_id, text, start, end, kind, anchor, tip, scope)
            for start, end, kind, anchor, tip in sorted(spans) if 0 <= start < end <= len(text)]


def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    out.write(json.dumps({"@context": CONTEXT, "id": "urn:sitroom:annotations", "type": "AnnotationCollection",
                          "label": "Spans extracted by sitroom"})[:-1])
    out.write(', "first": {"id": "urn:sitroom:annotations:page-1", "type": "AnnotationPage", "items": [')
    first = True
    for row in each(picture, "documents", filters):
        for item in document_annotations(picture, row):
            out.write(("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False))
            first = False
    out.write("\n]}}\n")


register(ExportFormat(name="annotations", media_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
                      suffix=".jsonld", list="documents", write=write,
                      description="W3C Web Annotations of every extracted span (text quote and position "
                                  "selectors)."))
