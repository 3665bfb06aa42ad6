"""A timeline of events across documents, one entry per event however many reports tell it.

Events of the same PLOVER type, with the same resolved actors, on the same date (their own,
else their report's) and with the same modality are one event; the entry keeps every report
of it and counts independent sources as claims do. An undated event is matched with no other
report.

An event's date is its own time expression when that resolved to a calendar value ("June of
this year" -> 2024-06, "Tuesday morning" -> 2024-10-22, "last week" -> the month or year
that holds the whole week); otherwise it is reported on its document's date, and
``date_basis`` says which ("event" or "published"), so a reader, the pages and the API can
tell an event's own date from a report's. Background history (``Event.background``) is never
dated by its report: without a calendar time of its own it stays undated.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from sitroom.picture.entities import EntityIndex, country_code_of, normalize, stable_hash
from sitroom.picture.evidence import evidence
from sitroom.store import Store

# A year, month or day, with a clock time or a part of the day perhaps ("T10:00", "TMO"):
# not a range ("1950-53") nor a duration.
CALENDAR_VALUE = re.compile(r"^(\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)(?:T[\w:.+-]+)?$")
# A week or its weekend ("2024-W42", "2024-W43-WE"), and parts of a year ("2024-Q3", "2024-H1",
# "2024-SU", "2024-FY"): the event's own time, known to a stretch of days.
WEEK_VALUE = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])(-WE)?$")
PART_OF_YEAR_VALUE = re.compile(r"^(\d{4})-(?:Q[1-4]|H[12]|SP|SU|FA|WI|FY)$")


def _week_date(year: int, week: int, weekend: bool) -> str | None:
    """The month (or, across a month's end, the year) that holds a whole ISO week or weekend:
    never a day the text does not give."""
    try:
        first = dt.date.fromisocalendar(year, week, 6 if weekend else 1)
    except ValueError:  # week 53 of a year that has 52
        return None
    last = first + dt.timedelta(days=1 if weekend else 6)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.year:04d}" if first.year == last.year else None


def calendar_date(time_value: str | None) -> str | None:
    """The calendar date of a TIMEX3 value ("2024-06", "2024-10-23T10:00" -> "2024-10-23",
    "2024-W42" -> "2024-10", "2024-Q3" -> "2024"), or None."""
    value = time_value or ""
    match = CALENDAR_VALUE.match(value)
    if match:
        return match.group(1)
    week = WEEK_VALUE.match(value)
    if week:
        return _week_date(int(week.group(1)), int(week.group(2)), bool(week.group(3)))
    part = PART_OF_YEAR_VALUE.match(value)
    return part.group(1) if part else None


def event_date(time_value: str | None, published: str | None,
               background: bool = False) -> tuple[str | None, str | None]:
    """(date, basis): the event's own calendar time if it has one ("event"), else the
    document's date ("published"): explicit, so it is never taken for the event's own.
    Background history has no report date to fall back on: it stays undated."""
    own = calendar_date(time_value)
    if own:
        return own, "event"
    if published and not background:
        return published, "published"
    return None, None


def _match_key(name: str, index: EntityIndex) -> str:
    """What an actor is matched on: its country for countries and nationalities, else its entity."""
    key = index.key_for(name)
    entity = index.get(key) if key else None
    code = entity.country_code if entity else (country_code_of(name, "NORP") or country_code_of(name, "GPE"))
    return f"country-{code}" if code else key or normalize(name)


def _actor_keys(actors: list[dict[str, Any]], index: EntityIndex) -> tuple[str, ...]:
    return tuple(sorted({_match_key(a["name"], index) for a in actors if a.get("name")}))


def _link_keys(actors: list[dict[str, Any]], index: EntityIndex) -> list[str | None]:
    return [index.key_for(a["name"]) if a.get("name") else None for a in actors]


def _merge_dating(entry: dict[str, Any], report: dict[str, Any]) -> None:
    """An entry is dated by an event's own time if any of its reports gives one, and is
    background only while every report tells it as history."""
    if report["date_basis"] == "event":
        entry["date_basis"] = "event"
    entry["background"] = entry["background"] and bool(report.get("background"))


def entry_key(row: dict[str, Any], index: EntityIndex) -> tuple[Any, ...]:
    """What reports of one event share: its type, its actors and recipients (matched by entity
    or country), its date and modality; an event with nothing to match on stays alone."""
    data = row["data"]
    date, _ = event_date(data.get("time"), row.get("document_published"), bool(data.get("background")))
    actors = _actor_keys(data.get("actors", []), index)
    recipients = _actor_keys(data.get("recipients", []), index)
    key: tuple[Any, ...] = (data.get("type"), actors, recipients, date, data.get("modality"))
    if not actors and not recipients:  # nothing to match reports on: keep apart
        key = key + (row["document_id"], row["idx"])
    elif date is None:  # no date to match reports on: one sentence's event only
        key = key + (row["document_id"], data.get("text"))
    return key


def timeline(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[dict[str, Any]]:
    """Merge event rows (from ``Store.records('events')``) into timeline entries, oldest first."""
    texts = store.document_texts(r["document_id"] for r in rows)
    sources = store.independence_keys(r["document_id"] for r in rows)
    entries: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        data = row["data"]
        date, basis = event_date(data.get("time"), row.get("document_published"), bool(data.get("background")))
        key = entry_key(row, index)
        report = {**data, "document_id": row["document_id"], "date": date, "date_basis": basis,
                  "evidence": evidence(row, texts.get(row["document_id"]))}
        if key not in entries:
            entries[key] = {
                "key": "ev-" + stable_hash(json.dumps(key))[:16], "type": data.get("type"), "mode": data.get("mode"),
                "modality": data.get("modality"), "date": date, "date_basis": basis,
                "background": bool(data.get("background")),
                "actors": [a["name"] for a in data.get("actors", [])],
                "recipients": [a["name"] for a in data.get("recipients", [])],
                "actor_keys": _link_keys(data.get("actors", []), index),
                "recipient_keys": _link_keys(data.get("recipients", []), index),
                "location": data.get("location"), "summary": data.get("text"), "reports": []}
        if any(r["document_id"] == report["document_id"] and r.get("text") == report.get("text")
               for r in entries[key]["reports"]):
            continue  # the same sentence repeated inside one report is one report
        entries[key]["reports"].append(report)
        _merge_dating(entries[key], report)
        if not entries[key]["location"] and data.get("location"):
            entries[key]["location"] = data.get("location")
    out = list(entries.values())
    for entry in out:
        entry["entity_keys"] = sorted({key for report in entry["reports"]
                                       for key in _link_keys(report.get("actors", []) + report.get("recipients", []), index)
                                       if key})
        documents = {r["document_id"] for r in entry["reports"]}
        entry["documents"] = len(documents)
        entry["independent_sources"] = len({sources.get(d, d) for d in documents})
    out.sort(key=lambda e: (e["date"] or "9999", e["type"] or "", e["key"]))
    return out
