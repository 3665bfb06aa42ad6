"""A plain-text rendering of one extraction, for reading in a terminal."""

from __future__ import annotations

from sitroom.model import Extraction


def extraction_as_text(found: Extraction) -> str:
    """Document header, then one line per extracted record, grouped by kind."""
    d = found.document
    lines = [f"document {d.id}  published={d.published or '-'}  source={d.source or '-'}  language={d.language or '-'}"]
    if d.title:
        lines.append(f"  {d.title}")
    for e in found.entities:
        roles = f"  roles: {'; '.join(e.roles)}" if e.roles else ""
        lines.append(f"entity   {e.id:>5} {e.type:<6} {e.name}  ({len(e.mentions)} mentions){roles}")
    for c in found.claims:
        lines.append(f"claim    {c.id:>5} {c.speaker.name} [{c.cue.text}] {c.kind}: {c.content.text}")
    for q in found.quantities:
        lines.append(f"figure   {q.text!r} value={q.value} bound={q.bound} unit={q.unit or '-'} counts={q.counts or '-'}")
    for t in found.times:
        lines.append(f"time     {t.text!r} {t.type} {t.value}{' ' + t.mod if t.mod else ''}")
    for p in found.places:
        lines.append(f"place    {p.text!r} {p.name} [{p.country_code or '-'}] {p.lat},{p.lon}")
    for v in found.events:
        actors = ", ".join(a.name for a in v.actors)
        lines.append(f"event    {v.id:>5} {v.type} ({v.modality}) {actors}: {v.text}")
    lines.extend(f"note     {n}" for n in found.notes)
    return "\n".join(lines)
