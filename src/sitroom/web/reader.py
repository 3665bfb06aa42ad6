"""The document reader: the text cut into segments, each wrapped in every extracted span over it.

The spans are the record kinds' reader views (``sitroom.kinds.marks``).

Spans overlap (a figure inside a claim's content), so the text is cut at every span edge and
each segment is wrapped, outermost first, in an element per span that covers it. Only the
first segment of a span carries its anchor, tab stop and description, so each extracted item
is one stop for the keyboard. All text is escaped here; nothing from the article is markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from sitroom.kinds import Mark


def render_text(text: str, spans: list[Mark]) -> Markup:
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
