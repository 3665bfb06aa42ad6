"""FollowTheMoney entities (the data model of Aleph and OpenSanctions), one entity a line as
``ftm`` tools read them: per document an ``Article``; the people and organisations it names as
``Person`` and ``Organization`` (one per resolved entity, written once); a ``Mention`` per name
in the document, resolved to that entity; an ``Event`` per event with its participants and the
article as ``proof``. Countries and places go into the article's ``country`` and
``locationMentioned``. Entity ids are stable across exports of the same store.
"""

from __future__ import annotations

import hashlib
import json
from typing import IO, Any

from sitroom.export import ExportFormat, each, register

SCHEMA_OF_TYPE = {"PERSON": "Person", "ORG": "Organization"}
PLACE_TYPES = ("GPE", "LOC", "FAC")


def entity_id(*parts: str) -> str:
    return "sitroom-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def entity(schema: str, id: str, **properties: Any) -> dict[str, Any]:
    """An FtM entity: every property a list of strings, empty ones left out."""
    props = {}
    for name, value in properties.items():
        values = value if isinstance(value, (list, tuple, set)) else [value]
        kept = sorted({str(v).strip() for v in values if str(v or "").strip()}) if isinstance(value, set) else \
            [str(v).strip() for v in values if str(v or "").strip()]
        if kept:
            props[name] = kept
    return {"id": id, "schema": schema, "properties": props}


def document_entities(picture: Any, row: dict[str, Any], written: set[str]) -> list[dict[str, Any]]:
    """The FtM entities of one stored document (people and organisations not in ``written`` yet)."""
    found = picture.store.extraction(row["id"])
    if found is None:
        return []
    index = picture.entity_index()
    document = found.document
    article_id = entity_id("article", document.id)
    out: list[dict[str, Any]] = []
    people, places, countries, resolved = set(), set(), set(), {}
    for record in found.entities:
        key = index.key_for(record.name, record.type)
        resolved_entity = index.get(key) if key else None
        name = resolved_entity.name if resolved_entity else record.name
        if record.type in PLACE_TYPES:
            places.add(name)
            if record.country_code:
                countries.add(record.country_code.lower())
        schema = SCHEMA_OF_TYPE.get(resolved_entity.type if resolved_entity else record.type)
        if schema is None:
            continue
        target = entity_id("entity", key or record.name)
        resolved[record.id] = target
        if record.type == "PERSON":
            people.add(name)
        if target not in written:
            written.add(target)
            out.append(entity(schema, target, name=name,
                              alias=sorted(set(resolved_entity.aliases) - {name}) if resolved_entity else [],
                              country=resolved_entity.country_code.lower()
                              if resolved_entity and resolved_entity.country_code else None,
                              position=record.roles if schema == "Person" else None,
                              proof=article_id))
        out.append(entity("Mention", entity_id("mention", document.id, record.id), document=article_id,
                          name=record.name, resolved=target, detectedSchema=schema))
    out.insert(0, entity("Article", article_id, title=document.title, publishedAt=document.published,
                         publisher=document.source, sourceUrl=row.get("url"), language=_language(document.language),
                         peopleMentioned=people, locationMentioned=places, country=countries,
                         summary=document.text[:500]))
    for event in found.events:
        involved = [resolved[a.entity_id] for a in (*event.actors, *event.recipients) if a.entity_id in resolved]
        out.append(entity("Event", entity_id("event", document.id, event.id),
                          name=f"{event.type}{': ' + event.mode if event.mode else ''}", summary=event.text,
                          date=event.time if _is_date(event.time) else document.published,
                          location=event.location, involved=involved, proof=article_id,
                          keywords=[event.type, event.modality]))
    return out


def _is_date(value: str | None) -> bool:
    """A YYYY, YYYY-MM or YYYY-MM-DD on the calendar (an event's time may be "1950-53")."""
    import datetime as dt
    import re

    if not value or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return False
    try:
        dt.date.fromisoformat((value + "-01-01")[:10] if len(value) == 4 else (value + "-01")[:10])
    except ValueError:
        return False
    return True


def _language(code: str | None) -> str | None:
    """FtM names languages by ISO 639-3 ("eng")."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if code and len(code) == 2 else None
    return getattr(found, "alpha_3", None)


def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    written: set[str] = set()  # people and organisations already written: one id each, however many documents
    for row in each(picture, "documents", filters):
        for item in document_entities(picture, row, written):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


register(ExportFormat(name="ftm", media_type="application/x-ndjson", suffix=".ftm.json", list="documents",
                      write=write, description="FollowTheMoney entities (Article, Person, Organization, Mention, "
                                               "Event), one a line, for Aleph and ftm tools."))
