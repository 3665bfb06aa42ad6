"""A timeline of stored events: dated, in order, each with its evidence.

An event's date is its own time expression when that resolved to a calendar value
("June of this year" -> 2024-06), otherwise the publication date of its document; which
one was used is kept in ``date_basis`` so a reader knows how firm the date is.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Text, cast, func

from sitroom.model import Event, from_dict
from sitroom.store import Store, schema

# A year, month or day, with a clock time perhaps: not a range ("1950-53") nor a duration.
CALENDAR_VALUE = re.compile(r"^(\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)(?:T[\d:.]+)?$")


def calendar_date(time_value: str | None) -> str | None:
    """The calendar date of a TIMEX3 value ("2024-06", "2024-10-23T10:00" -> "2024-10-23"), or None."""
    match = CALENDAR_VALUE.match(time_value or "")
    return match.group(1) if match else None


def event_date(time_value: str | None, published: str | None) -> tuple[str | None, str | None]:
    """(date, basis): the event's own calendar time if it has one, else the document's date."""
    own = calendar_date(time_value)
    if own:
        return own, "event"
    if published:
        return published, "published"
    return None, None


def _names(event: Event) -> list[str]:
    return [a.name.lower() for a in (*event.actors, *event.recipients) if a.name]


def timeline_entries(store: Store, *, entity: str | None = None, since: str | None = None,
                     limit: int | None = 200) -> list[dict[str, Any]]:
    """Stored events in time order (undated last), filtered by participant name and date.

    The name is first looked for in the stored event text by the database (so a large store
    is not read whole), then checked against the actors and recipients themselves.
    """
    wanted = entity.lower().strip() if entity else None
    data_text = func.lower(cast(schema.events.c.data, Text))
    # JSON may store non-ASCII letters escaped: only an ASCII name can be looked for in its text
    where = [data_text.contains(wanted, autoescape=True)] if wanted and wanted.isascii() else []
    entries = []
    for row in store.records("events", where=where, limit=None):
        event = from_dict(Event, row["data"])
        if wanted and not any(wanted == name or wanted in name for name in _names(event)):
            continue
        date, basis = event_date(event.time, row.get("document_published"))
        if since and (date is None or date < since[: len(date)]):
            continue
        entries.append({
            "date": date, "date_basis": basis, "type": event.type, "mode": event.mode, "modality": event.modality,
            "actors": [{"name": a.name, "entity_id": a.entity_id, "country_code": a.country_code} for a in event.actors],
            "recipients": [{"name": a.name, "entity_id": a.entity_id, "country_code": a.country_code}
                           for a in event.recipients],
            "location": event.location, "time": event.time, "quantity": event.quantity, "claim_id": event.claim_id,
            "text": event.text, "start": event.start, "end": event.end, "document_id": row["document_id"],
            "document_title": row.get("document_title"), "document_source": row.get("document_source"),
        })
    entries.sort(key=lambda e: (e["date"] is None, e["date"] or "", e["document_id"], e["start"] or 0))
    return entries[:limit] if limit is not None else entries
