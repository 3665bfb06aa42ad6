"""TimelineJS (Knight Lab) JSON for the timeline: one slide per dated timeline entry, its date
as ``start_date`` (year, and month and day where known), the PLOVER type and participants as
the headline, the summary and the reports that tell it as text (HTML, escaped), the type as
``group``. An entry dated only by the report that tells it (``date_basis`` "published") says
so in its ``display_date`` ("reported 2024-10-24"), and history told as context is marked
"background" in its headline. Undated entries are left out: a TimelineJS slide needs a year.
"""

from __future__ import annotations

import json
from html import escape
from typing import IO, Any

from sitroom.export import ExportFormat, each, register


def start_date(date: str) -> dict[str, int]:
    parts = [int(p) for p in date.split("-")]
    return dict(zip(("year", "month", "day"), parts))


def slide(entry: dict[str, Any]) -> dict[str, Any] | None:
    if not entry["date"]:
        return None
    who = ", ".join(entry["actors"]) or "Unnamed actor"
    to = f" → {', '.join(entry['recipients'])}" if entry["recipients"] else ""
    reports = "".join(f"<li>{escape(r['evidence']['document_title'] or r['document_id'])}"
                      f"{' (' + escape(r['evidence']['source']) + ')' if r['evidence']['source'] else ''}, "
                      f"characters {r['evidence']['start']}-{r['evidence']['end']}</li>" for r in entry["reports"])
    background = " (background)" if entry.get("background") else ""
    text = (f"<p>{escape(entry['summary'] or '')}</p><p>{len(entry['reports'])} report(s), "
            f"{entry['independent_sources']} independent source(s):</p><ul>{reports}</ul>")
    out: dict[str, Any] = {"unique_id": entry["key"], "start_date": start_date(entry["date"]), "group": entry["type"],
                           "text": {"headline": escape(f"{entry['type']}{background}: {who}{to}"), "text": text}}
    if entry.get("date_basis") == "published":
        out["display_date"] = f"reported {entry['date']}"  # the text gives no date of its own
    return out


def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    title = {"text": {"headline": "sitroom timeline", "text": "Events merged across reports, each with its sources."}}
    out.write('{"title": %s, "events": [' % json.dumps(title))
    first = True
    for entry in each(picture, "timeline", filters):
        found = slide(entry)
        if found is not None:
            out.write(("\n" if first else ",\n") + json.dumps(found, ensure_ascii=False))
            first = False
    out.write("\n]}\n")


register(ExportFormat(name="timelinejs", media_type="application/json", suffix=".json", list="timeline", write=write,
                      description="The timeline as TimelineJS JSON: one slide per dated event with its reports."))
