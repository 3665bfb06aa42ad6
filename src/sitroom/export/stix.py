"""A STIX 2.1 bundle for threat-intelligence platforms: per document a ``report``; an
``identity`` for its outlet and for each named speaker; a ``location`` for each place with
coordinates; a ``note`` per claim, its ``authors`` the speaker, its ``abstract`` the cue.

``confidence`` (0-100) says how firmly a claim is attributed, on the STIX High/Medium/Low
scale (85/50/15): a named speaker quoted directly is High, a named speaker in reported speech
Medium, an unnamed or hedged source Low. Ids are UUIDv5 of sitroom's own keys, so two exports
of one store agree; timestamps are the report's publication date.
"""

from __future__ import annotations

import json
import uuid
from typing import IO, Any

from sitroom.export import ExportFormat, each, register

NAMESPACE = uuid.UUID("6f7c2a5e-3d1b-5a8e-9c4f-2b1d7e6a9c30")
HIGH, MEDIUM, LOW = 85, 50, 15
IDENTITY_CLASS = {"PERSON": "individual", "ORG": "organization", "GPE": "organization", "NORP": "group"}


def stix_id(kind: str, *key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, chr(31).join((kind, *key)))}"


def timestamp(date: str | None) -> str:
    """A STIX timestamp from a YYYY[-MM[-DD]] date (the first day of a month or year)."""
    if not date:
        return "1970-01-01T00:00:00.000Z"
    return f"{(date + '-01-01')[:10] if len(date) == 4 else (date + '-01')[:10]}T00:00:00.000Z"


def confidence(claim: Any) -> int:
    if claim.speaker.kind != "named" or claim.hedge:
        return LOW
    return HIGH if claim.kind == "direct" else MEDIUM


def sdo(kind: str, id: str, when: str, **properties: Any) -> dict[str, Any]:
    return {"type": kind, "spec_version": "2.1", "id": id, "created": when, "modified": when,
            **{key: value for key, value in properties.items() if value not in (None, "", [])}}


def document_objects(picture: Any, row: dict[str, Any], written: set[str]) -> list[dict[str, Any]]:
    """The STIX objects of one document; identities and locations already in ``written`` are referred to only."""
    found = picture.store.extraction(row["id"])
    if found is None:
        return []
    document, index = found.document, picture.entity_index()
    when = timestamp(document.published)
    report = stix_id("report", document.id)
    out: list[dict[str, Any]] = []
    refs: list[str] = []

    def once(item: dict[str, Any]) -> str:
        if item["id"] not in written:
            written.add(item["id"])
            out.append(item)
        if item["id"] not in refs:
            refs.append(item["id"])
        return item["id"]

    outlet = once(sdo("identity", stix_id("identity", "outlet", document.source), when, name=document.source,
                      identity_class="organization", sectors=["communications"])) if document.source else None
    types = {e.name: e.type for e in found.entities}
    for claim in found.claims:
        speaker = claim.speaker
        author = speaker.name if speaker.kind == "named" else speaker.text
        if speaker.kind == "named" and speaker.name:
            key = index.key_for(speaker.name) or speaker.name
            once(sdo("identity", stix_id("identity", key), when, name=speaker.name,
                     identity_class=IDENTITY_CLASS.get(types.get(speaker.name, ""), "unknown")))
        note = stix_id("note", document.id, claim.id)
        out.append(sdo("note", note, when, abstract=f"{author} {claim.cue.text}".strip(), content=claim.content.text,
                       authors=[author] if author else None, object_refs=[report], confidence=confidence(claim),
                       external_references=[{"source_name": "sitroom", "external_id": f"{document.id}:{claim.id}",
                                             "description": f"characters {claim.content.start}-{claim.content.end}"}]))
        refs.append(note)
    for place in found.places:
        if place.lat is None or place.lon is None:
            continue
        once(sdo("location", stix_id("location", str(place.geonameid or place.name)), when, name=place.name,
                 latitude=round(place.lat, 6), longitude=round(place.lon, 6), country=place.country_code))
    if not refs:  # a report refers to at least one object
        refs.append(outlet or once(sdo("identity", stix_id("identity", "outlet", ""), when, name="unknown outlet",
                                       identity_class="unknown")))
    external = [{"source_name": document.source or "sitroom", "url": row["url"]}] if row.get("url") else None
    out.append(sdo("report", report, when, name=document.title or document.id, published=when,
                   report_types=["threat-report"], description=document.text[:500], object_refs=refs,
                   created_by_ref=outlet, external_references=external))
    return out


def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    out.write('{"type": "bundle", "id": "%s", "objects": [' % stix_id("bundle", json.dumps(filters, sort_keys=True)))
    written: set[str] = set()  # identities and locations: one object each, however many reports name them
    first = True
    for row in each(picture, "documents", filters):
        for item in document_objects(picture, row, written):
            out.write(("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False))
            first = False
    out.write("\n]}\n")


register(ExportFormat(name="stix", media_type="application/stix+json;version=2.1", suffix=".stix.json",
                      list="documents", write=write,
                      description="A STIX 2.1 bundle: reports, outlet and speaker identities, locations, "
                                  "claims as notes with a confidence."))
