"""The document reader: the text cut into segments, each wrapped in every extracted span over it.

Spans overlap (a figure inside a claim's content), so the text is cut at every span edge and
each segment is wrapped, outermost first, in an element per span that covers it. Only the
first segment of a span carries its anchor, tab stop and description, so each extracted item
is one stop for the keyboard. All text is escaped here; nothing from the article is markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from sitroom.model import Extraction

SPEAKER_COLOURS = 8  # claims cycle through .sp-0 .. .sp-7


@dataclass
class Highlight:
    start: int
    end: int
    kind: str  # speaker | cue | content | figure | date | place | event
    anchor: str
    tip: str
    css: str = ""


def _fmt(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def highlights(found: Extraction) -> tuple[list[Highlight], dict[str, int]]:
    """Every span to highlight, and the colour index given to each speaker."""
    colours: dict[str, int] = {}
    spans: list[Highlight] = []
    for i, claim in enumerate(found.claims):
        colour = colours.setdefault(claim.speaker.name, len(colours) % SPEAKER_COLOURS)
        said = f"{claim.speaker.name} ({claim.kind}" + (f", said {claim.said_on}" if claim.said_on else "") + ")"
        if claim.stance:
            said += f", stance: {claim.stance}"
        for part, span in (("speaker", claim.speaker), ("cue", claim.cue), ("content", claim.content)):
            if span is None or span.start is None or span.end is None or span.end <= span.start:
                continue
            tip = f"Claim by {said}" if part == "content" else f"{part.capitalize()} of a claim by {said}"
            spans.append(Highlight(span.start, span.end, part, f"claim-{i}-{part}", tip, f"sp-{colour}"))
    for i, q in enumerate(found.quantities):
        if q.bound == "range":
            value = f"{_fmt(q.low)}–{_fmt(q.high)}"
        else:
            value = _fmt(q.value)
        tip = f"Figure: {value}" + (f" {q.unit}" if q.unit else "") + f", bound {q.bound.replace('_', ' ')}"
        if q.counts:
            tip += f", counts {q.counts}"
        spans.append(Highlight(q.start, q.end, "figure", f"figure-{i}", tip))
    for i, t in enumerate(found.times):
        tip = f"Date ({t.type}): {t.value}" + (f", {t.mod}" if t.mod else "")
        if t.interval_start or t.interval_end:
            tip += f", from {t.interval_start or '?'} to {t.interval_end or '?'}"
        spans.append(Highlight(t.start, t.end, "date", f"date-{i}", tip))
    for i, p in enumerate(found.places):
        where = f"{p.lat:.4f}, {p.lon:.4f}" if p.lat is not None and p.lon is not None else "no coordinates"
        tip = f"Place: {p.name}" + (f" ({p.country_code})" if p.country_code else "") + f" at {where}"
        spans.append(Highlight(p.start, p.end, "place", f"place-{i}", tip))
    for i, e in enumerate(found.events):
        actors = ", ".join(a.name for a in e.actors) or "?"
        tip = f"Event {e.type} ({e.modality}) by {actors}"
        if e.recipients:
            tip += " on " + ", ".join(a.name for a in e.recipients)
        for label, value in (("at", e.location), ("when", e.time), ("how many", e.quantity)):
            if value:
                tip += f"; {label} {value}"
        spans.append(Highlight(e.start, e.end, "event", f"event-{i}", tip))
    text_length = len(found.document.text)
    spans = [s for s in spans if 0 <= s.start < s.end <= text_length]
    return spans, colours


def render_text(text: str, spans: list[Highlight]) -> Markup:
    """The escaped text with nested highlight elements; paragraphs kept as <p>."""
    edges = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    started: set[str] = set()
    out: list[str] = []
    for left, right in zip(edges, edges[1:]):
        covering = [s for s in spans if s.start <= left and right <= s.end]
        covering.sort(key=lambda s: (-(s.end - s.start), s.kind))
        opening, closing = [], []
        for span in covering:
            attrs = f'class="{escape(("hl hl-" + span.kind + " " + span.css).strip())}"'
            if span.anchor not in started:
                started.add(span.anchor)
                attrs += f' id="{escape(span.anchor)}" tabindex="0" data-tip="{escape(span.tip)}"'
            opening.append(f"<span {attrs}>")
            closing.append("</span>")
        segment = str(escape(text[left:right]))
        if "\n" in segment and closing:
            segment = segment.replace("\n", "<br>")
        out.append("".join(opening) + segment + "".join(reversed(closing)))
    html = "".join(out)
    paragraphs = [p for p in html.split("\n") if p.strip()]
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs))
