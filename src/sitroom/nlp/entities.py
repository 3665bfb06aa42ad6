"""Named entities of one document, grouped by name (a first cut; canonical names come next)."""

from __future__ import annotations

from spacy.tokens import Doc

from sitroom.model import Entity, Extraction, Span

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


def extract_entities(doc: Doc, found: Extraction) -> list[Entity]:
    """One entity per distinct name among spaCy's PERSON/ORG/GPE/LOC/NORP/FAC spans."""
    by_name: dict[tuple[str, str], Entity] = {}
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        key = (ent.label_, ent.text)
        if key not in by_name:
            by_name[key] = Entity(id=f"e{len(by_name) + 1}", name=ent.text, type=ent.label_)
        by_name[key].mentions.append(Span(ent.text, ent.start_char, ent.end_char))
    return list(by_name.values())
