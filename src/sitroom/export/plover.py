"""PLOVER event records (the "Data Fields" chapter of the PLOVER manual), one JSON record a
line as the manual suggests: one record per event per report, with its evidence sentence.

Required fields: ``id``, ``date`` (YYYY-MM-DD), ``actor`` (entity objects), ``event``. A date
known only to the month or year is written as its first day with ``date_precision``
("month", "year"); an undated event takes its report's date (``date_basis``: "published"),
except background history, which is never dated by its report: undated, it has no record.
Modality goes into ``context`` as the manual's auxiliary modes (future, hypothetical,
negation); ``quad_code`` and ``event_scale`` come from the manual's tables.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import IO, Any

from sitroom.export import ExportFormat, each, register

QUAD = {**dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
        **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),
        **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), 3),
        **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), 4)}
# The manual's conflict-cooperation scores (table "PLOVER conflict--cooperation scores"),
# by category and by category: mode.
SCALE = {
    "AGREE": 2.5, "CONSULT": 2.5, "CONSULT:visit": 4, "CONSULT:third-party": 1, "CONSULT:multilateral": 4,
    "CONSULT:phone": 1.5, "SUPPORT": 5, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10, "RETREAT": 6.5,
    "RETREAT:withdraw": 8, "RETREAT:release": 6.5, "RETREAT:disarm": 10, "RETREAT:ceasefire": 7.5,
    "RETREAT:access": 6.5, "RETREAT:resign": 4.5, "REQUEST": 0, "REQUEST:assist": 0.5, "REQUEST:change": -1,
    "REQUEST:yield": -1, "REQUEST:meet": 0, "ACCUSE": -3, "ACCUSE:disapprove": -2, "ACCUSE:investigate": -3.5,
    "ACCUSE:allege": -3.5, "REJECT": -2, "REJECT:assist": -1.5, "REJECT:change": -2, "REJECT:yield": -2,
    "REJECT:meet": -2, "THREATEN": -3.5, "THREATEN:restrict": -3, "THREATEN:arrest": -3.5,
    "THREATEN:relations": -3.5, "THREATEN:expel": -3.5, "THREATEN:territory": -4, "THREATEN:violence": -3.5,
    "PROTEST": -5, "PROTEST:demo": -5, "PROTEST:riot": -7, "PROTEST:strike": -5, "PROTEST:hunger": -4.5,
    "PROTEST:boycott": -4.5, "PROTEST:obstruct": -4.5, "SANCTION": -6, "SANCTION:convict": -6,
    "SANCTION:expel": -5.5, "SANCTION:withdraw": -6, "SANCTION:discontinue": -6, "MOBILIZE": -5.5,
    "MOBILIZE:troops": -6.5, "MOBILIZE:weapons": -6.5, "MOBILIZE:police": -5.5, "MOBILIZE:militia": -6,
    "COERCE": -7, "COERCE:seize": -7, "COERCE:restrict": -7, "COERCE:censor": -6.5, "COERCE:curfew": -6.5,
    "COERCE:martial-law": -7.5, "COERCE:arrest": -7, "COERCE:deport": -7, "COERCE:withhold": -7,
    "COERCE:misinformation": -6.5, "COERCE:cyber": -7, "ASSAULT": -9, "ASSAULT:abduct": -8.5, "ASSAULT:beat": -7.5,
    "ASSAULT:torture": -8.5, "ASSAULT:sexual": -8.5, "ASSAULT:targeted": -9.5, "ASSAULT:destroy": -8.5,
    "ASSAULT:primitive": -8, "ASSAULT:firearms": -9, "ASSAULT:explosives": -9, "ASSAULT:suicide-attack": -9.5,
    "ASSAULT:aerial": -9.5, "ASSAULT:drone": -9.5, "ASSAULT:heavy-weapons": -9.5, "ASSAULT:crowd-control": -7.5,
    "ASSAULT:unconventional": -10,
}
AUXILIARY = {"future": "future", "hypothetical": "hypothetical", "negated": "negation"}
CODER = "sitroom 0.1.0"


@lru_cache(maxsize=512)
def alpha3(code: str | None) -> str | None:
    """The three-letter country code PLOVER's entity and location objects use."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code) if code else None
    return found.alpha_3 if found else None


def entity(actor: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"entity_text": actor["name"]}
    if alpha3(actor.get("country_code")):
        out["code"] = alpha3(actor["country_code"])
    return out


def plover_date(event: dict[str, Any]) -> tuple[str | None, str]:
    """(YYYY-MM-DD, precision) of the event's date, else of its report's (not for background)."""
    date = event.get("date") or (None if event.get("background") else event["evidence"].get("published"))
    if not date:
        return None, "none"
    precision = {4: "year", 7: "month"}.get(len(date), "day")
    return (date + "-01-01")[:10] if precision == "year" else (date + "-01")[:10], precision


def location(name: str) -> dict[str, Any]:
    """PLOVER's location object: the place as written, resolved through the gazetteer when it knows it."""
    from sitroom.nlp import gazetteer

    out: dict[str, Any] = {"extracted_place": name}
    found = gazetteer.lookup(name)
    if found:
        best = found[0]
        out.update(resolved_place=best.name, geonameid=best.geonameid, lat=best.lat, lon=best.lon,
                   country_code=alpha3(best.country_code),
                   resolution=1 if best.kind == "country" else 4 if best.kind == "city" else 2)
        out = {key: value for key, value in out.items() if value is not None}
    return out


def record(event: dict[str, Any]) -> dict[str, Any] | None:
    """One event report as a PLOVER record; None when neither the event nor its report is dated."""
    date, precision = plover_date(event)
    if date is None:
        return None
    evidence = event["evidence"]
    out: dict[str, Any] = {
        "id": f"{event['document_id']}-{event['id']}", "date": date, "actor": [entity(a) for a in event["actors"]],
        "recipient": [entity(r) for r in event["recipients"]], "event": [event["type"]],
        "event_text": [event["text"]], "quad_code": QUAD.get(event["type"]),
        "event_scale": SCALE.get(f"{event['type']}:{event['mode']}", SCALE.get(event["type"])),
        "link": event["timeline_key"], "text": evidence["sentence"],
        "text_info": {"start": evidence["start"], "end": evidence["end"]},
        "cite_info": {"citation": event["document_id"], "title": evidence["document_title"],
                      "publication": evidence["source"], "coder": CODER, "codebook": "PLOVER"},
        "coder": CODER, "date_precision": precision, "date_basis": event["date_basis"] if event.get("date") else "published",
    }
    if event["mode"]:
        out["mode"] = [event["mode"]]
    if event["modality"] in AUXILIARY:
        out["context"] = [AUXILIARY[event["modality"]]]
    if event["location"]:
        out["event_loc"] = location(event["location"])
    out["cite_info"] = {key: value for key, value in out["cite_info"].items() if value is not None}
    return {key: value for key, value in out.items() if value is not None}


def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    for event in each(picture, "events", filters):
        found = record(event)
        if found is not None:
            out.write(json.dumps(found, ensure_ascii=False) + "\n")


register(ExportFormat(name="plover", media_type="application/x-ndjson", suffix=".jsonl", list="events", write=write,
                      description="PLOVER event records, one JSON record a line, one per event per report."))
