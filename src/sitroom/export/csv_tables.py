"""CSV for spreadsheets, one format per list (``csv-claims``, ``csv-figures``, ``csv-events``,
``csv-places``, ``csv-entities``): one row per item with its evidence (document, outlet, date,
character offsets and sentence), so every row can be checked against its source.

Spreadsheet-safe: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'``, so a spreadsheet shows it as text instead of running it as a
formula (numbers are written as numbers, so -98.03 stays a longitude).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import IO, Any

from sitroom.export import ExportFormat, each, register

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EVIDENCE = ("document_id", "document_title", "source", "published", "start", "end", "sentence")
EVIDENCE_HEADER = ["document_id", "document_title", "outlet", "published", "start", "end", "sentence"]


def cell(value: Any) -> Any:
    """One spreadsheet-safe cell: numbers as numbers, lists joined with "; ", formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value if v is not None)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def evidence_cells(evidence: dict[str, Any] | None) -> list[Any]:
    return [(evidence or {}).get(key) for key in EVIDENCE]


def claim_rows(claim: dict[str, Any]) -> list[list[Any]]:
    return [[claim["speaker"], claim["speaker_key"], claim["speaker_kind"], claim["speaker_text"], claim["cue"],
             claim["content"], claim["kind"], claim["stance"], claim["said_on"], claim["via"],
             *evidence_cells(claim["evidence"])]]


def figure_rows(track: dict[str, Any]) -> list[list[Any]]:
    """One row per value of the track (a figure given once is a track of one value)."""
    return [[track["key"], track["entity"], track["counts"], track["happened"], track["scope"], p["value"], p["low"],
             p["high"], p["bound"], p["unit"], p["text"], p["counts_text"], p["kind"], p["target"], p["source"],
             p["outlet"], p["date"], p["refers_to"], p["place"], p["conflict"], *evidence_cells(p["evidence"])]
            for p in track["points"]]


def event_rows(event: dict[str, Any]) -> list[list[Any]]:
    return [[event["timeline_key"], event["type"], event["mode"], event["modality"], event["date"],
             event["date_basis"], [a["name"] for a in event["actors"]], [r["name"] for r in event["recipients"]],
             event["location"], event["time"], event["quantity"], (event.get("trigger") or {}).get("text"),
             *evidence_cells(event["evidence"])]]


def place_rows(place: dict[str, Any]) -> list[list[Any]]:
    return [[place["name"], place["country_code"], place["lat"], place["lon"], place["geonameid"], place["mentions"],
             place["documents"], *evidence_cells(place.get("evidence"))]]


def entity_rows(entity: dict[str, Any]) -> list[list[Any]]:
    return [[entity["key"], entity["name"], entity["type"], entity["aliases"], entity["country_code"],
             entity["documents"], entity["mentions"]]]


TABLES: dict[str, tuple[str, list[str], Callable[[dict[str, Any]], list[list[Any]]], str]] = {
    "claims": ("claims", ["speaker", "speaker_key", "speaker_kind", "speaker_text", "cue", "content", "kind", "stance",
                          "said_on", "via", *EVIDENCE_HEADER], claim_rows,
               "Claims as CSV: speaker, cue, content, kind, date and evidence, one row per claim."),
    "figures": ("figure_tracks", ["track", "entity", "counts", "happened", "scope", "value", "low", "high", "bound",
                                  "unit", "text", "counts_text", "kind", "target", "source", "outlet", "date",
                                  "refers_to", "place", "conflict", *EVIDENCE_HEADER], figure_rows,
                "Figures as CSV: one row per value of each figure track, with its source and evidence."),
    "events": ("events", ["timeline_key", "type", "mode", "modality", "date", "date_basis", "actors", "recipients",
                          "location", "time", "quantity", "trigger", *EVIDENCE_HEADER], event_rows,
               "Events as CSV: one row per event per report (PLOVER type, mode, participants) with evidence."),
    "places": ("places", ["name", "country_code", "lat", "lon", "geonameid", "mentions", "documents",
                          *EVIDENCE_HEADER], place_rows,
               "Places as CSV: name, country, coordinates, counts and the evidence of the first mention."),
    "entities": ("entities", ["key", "name", "type", "aliases", "country_code", "documents", "mentions"], entity_rows,
                 "Entities as CSV: resolved entities with their other spellings and counts (no evidence)."),
}


def writer_for(name: str) -> Callable[[Any, IO[str], dict[str, Any]], None]:
    list_name, header, rows, _ = TABLES[name]

    def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
        table = csv.writer(out)
        table.writerow(header)
        for item in each(picture, list_name, filters):
            table.writerows([cell(value) for value in row] for row in rows(item))

    return write


for _name, (_list, _header, _rows, _description) in TABLES.items():
    register(ExportFormat(name=f"csv-{_name}", media_type="text/csv", suffix=".csv", list=_list,
                          write=writer_for(_name), description=_description))
