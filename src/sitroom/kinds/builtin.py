"""The six kinds of the extraction contract: entities, claims, quantities, times, places, events.

Registered in the contract's order; ``stage`` gives the order the extractors run in (claims
use the entities, times and places found before them; events use everything).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer, String, Text

from sitroom.kinds import Mark, RecordKind, register
from sitroom.model import Actor, Claim, Entity, Event, Place, Quantity, Span, Speaker, TimeExpr

SPEAKER_COLOURS = 8  # claims cycle through .sp-0 .. .sp-7


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


# -- entities --------------------------------------------------------------------------------

def _entity_row(entity: Entity) -> dict[str, Any]:
    return {"local_id": entity.id, "name": entity.name, "type": entity.type, "mention_count": len(entity.mentions),
            "start": min((m.start for m in entity.mentions), default=None),
            "end": max((m.end for m in entity.mentions), default=None)}


register(RecordKind(
    name="entities", record=Entity, extract="sitroom.nlp.entities:extract_entities", stage=10,
    columns={"local_id": String(16), "name": Text, "type": String(16), "mention_count": Integer},
    row=_entity_row, indexes=("name", "type"), required=("local_id", "name", "type", "mention_count"),
    nested={"mentions": Span}))


# -- claims ----------------------------------------------------------------------------------

def speaker_label(claim: Claim) -> str:
    """How the reader names a claim's speaker: its name, what an anonymous source is called in
    the text, or the unresolved phrase in quotation marks."""
    if claim.speaker.kind == "anonymous" or claim.speaker.name is None:
        return f"{claim.speaker.text} ({'anonymous' if claim.speaker.kind == 'anonymous' else 'unresolved'})"
    return claim.speaker.name


def speaker_colours(claims: list[Claim]) -> dict[str, int]:
    """A colour index per speaker label, in order of first appearance."""
    colours: dict[str, int] = {}
    for claim in claims:
        colours.setdefault(speaker_label(claim), len(colours) % SPEAKER_COLOURS)
    return colours


def _claim_row(claim: Claim) -> dict[str, Any]:
    spans = [s for s in (claim.speaker, claim.cue, claim.content) if s is not None and s.start is not None]
    return {"local_id": claim.id, "speaker": claim.speaker.name, "speaker_entity": claim.speaker.entity_id,
            "kind": claim.kind, "said_on": claim.said_on, "content": claim.content.text,
            "start": min(s.start for s in spans) if spans else None,
            "end": max(s.end for s in spans) if spans else None}


def _claim_marks(claims: list[Claim]) -> list[Mark]:
    colours = speaker_colours(claims)
    marks = []
    for i, claim in enumerate(claims):
        who = speaker_label(claim)
        said = f"{who} ({claim.kind}" + (f", said {claim.said_on}" if claim.said_on else "") + ")"
        if claim.stance:
            said += f", stance: {claim.stance}"
        for part, span in (("speaker", claim.speaker), ("cue", claim.cue), ("content", claim.content)):
            if span is None or span.start is None or span.end is None or span.end <= span.start:
                continue
            tip = f"Claim by {said}" if part == "content" else f"{part.capitalize()} of a claim by {said}"
            marks.append(Mark(span.start, span.end, part, f"claim-{i}-{part}", tip, f"sp-{colours[who]}"))
    return marks


register(RecordKind(
    name="claims", record=Claim, extract="sitroom.nlp.attribution:extract_claims", stage=50,
    columns={"local_id": String(16), "speaker": Text, "speaker_entity": String(16), "kind": String(16),
             "said_on": String(32), "content": Text},
    row=_claim_row, indexes=("speaker", "said_on"), required=("local_id",), marks=_claim_marks,
    legend=(("speaker", "Speaker of a claim"), ("cue", "Cue (said, told, according to)"),
            ("content", "What was said (coloured by speaker)")),
    nested={"speaker": Speaker, "cue": Span, "content": Span}))


# -- quantities ------------------------------------------------------------------------------

def _quantity_marks(quantities: list[Quantity]) -> list[Mark]:
    marks = []
    for i, q in enumerate(quantities):
        value = f"{_number(q.low)}–{_number(q.high)}" if q.bound == "range" else _number(q.value)
        tip = f"Figure: {value}" + (f" {q.unit}" if q.unit else "") + f", bound {q.bound.replace('_', ' ')}"
        if q.counts:
            tip += f", counts {q.counts}"
            frame = ", ".join(x for x in (q.owner and f"owner {q.owner}", q.happened, q.scope,
                                          q.kind == "plan" and ("plan" + (f" by {q.target}" if q.target else "")),
                                          q.refers_to and q.refers_basis == "sentence" and f"about {q.refers_to}",
                                          q.place and f"in {q.place}") if x)
            if frame:
                tip += f" ({frame})"
        marks.append(Mark(q.start, q.end, "figure", f"figure-{i}", tip))
    return marks


register(RecordKind(
    name="quantities", record=Quantity, extract="sitroom.nlp.quantities:extract_quantities", stage=45,
    columns={"value": Float, "unit": Text, "counts": Text, "bound": String(16), "entity_id": String(16),
             "owner": Text, "happened": String(16), "scope": String(16)},
    indexes=("counts",), marks=_quantity_marks, legend=(("figure", "Figure"),)))


# -- times -----------------------------------------------------------------------------------

def _time_marks(times: list[TimeExpr]) -> list[Mark]:
    marks = []
    for i, t in enumerate(times):
        tip = f"Date ({t.type}): {t.value}" + (f", {t.mod}" if t.mod else "")
        if t.interval_start or t.interval_end:
            tip += f", from {t.interval_start or '?'} to {t.interval_end or '?'}"
        marks.append(Mark(t.start, t.end, "date", f"date-{i}", tip))
    return marks


register(RecordKind(
    name="times", record=TimeExpr, extract="sitroom.nlp.times:extract_times", stage=20,
    columns={"type": String(16), "value": String(64)}, indexes=("value",), marks=_time_marks,
    legend=(("date", "Date or time"),)))


# -- places ----------------------------------------------------------------------------------

def _place_marks(places: list[Place]) -> list[Mark]:
    marks = []
    for i, p in enumerate(places):
        where = f"{p.lat:.4f}, {p.lon:.4f}" if p.lat is not None and p.lon is not None else "no coordinates"
        tip = f"Place: {p.name}" + (f" ({p.country_code})" if p.country_code else "") + f" at {where}"
        marks.append(Mark(p.start, p.end, "place", f"place-{i}", tip))
    return marks


register(RecordKind(
    name="places", record=Place, extract="sitroom.nlp.places:extract_places", stage=40,
    columns={"name": Text, "country_code": String(8), "lat": Float, "lon": Float, "geonameid": Integer},
    indexes=("name", "country_code"), marks=_place_marks, legend=(("place", "Place"),)))


# -- events ----------------------------------------------------------------------------------

def _event_row(event: Event) -> dict[str, Any]:
    return {"local_id": event.id, "type": event.type, "modality": event.modality, "time": event.time,
            "location": event.location, "claim_id": event.claim_id}


def _event_marks(events: list[Event]) -> list[Mark]:
    marks = []
    for i, e in enumerate(events):
        actors = ", ".join(a.name for a in e.actors) or "?"
        tip = f"Event {e.type} ({e.modality}) by {actors}"
        if e.recipients:
            tip += " on " + ", ".join(a.name for a in e.recipients)
        for label, value in (("at", e.location), ("when", e.time), ("how many", e.quantity)):
            if value:
                tip += f"; {label} {value}"
        marks.append(Mark(e.start, e.end, "event", f"event-{i}", tip))
    return marks


register(RecordKind(
    name="events", record=Event, extract="sitroom.nlp.events:extract_events", stage=60,
    columns={"local_id": String(16), "type": String(32), "modality": String(16), "time": String(64),
             "location": Text, "claim_id": String(16)},
    row=_event_row, indexes=("type", "time"), required=("local_id",), marks=_event_marks,
    legend=(("event", "Event"),),
    nested={"actors": Actor, "recipients": Actor, "trigger": Span}))
