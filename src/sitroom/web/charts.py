"""Server-rendered SVG: a chart per figure track and the offline world map. No script, no CDN.

Every string from the store goes through ``escape`` before it reaches the markup.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from sitroom.picture.places import MAP_HEIGHT, MAP_WIDTH, country_shapes, project

PALETTE = ["#1f77b4", "#d95f02", "#2ca02c", "#7570b3", "#e7298a", "#8c564b", "#17becf", "#666666"]


def _fmt(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _compact(value: float) -> str:
    """Axis labels that fit: 12,500 / 1.2M / 3B."""
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:.2g}"


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) covering ``top`` in about ``ticks`` steps."""
    import math

    raw = top / ticks if top > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def point_label(point: dict[str, Any]) -> str:
    bound = point["bound"].replace("_", " ")
    value = f"{_fmt(point['low'])}–{_fmt(point['high'])}" if point["bound"] == "range" else _fmt(point["value"])
    label = f"{point['source']}: {value} ({bound}, {point['kind']}) on {point['date'] or 'unknown date'}"
    if point.get("conflict"):
        label += " — conflicts with another count"
    return label


def track_chart(track: dict[str, Any], width: int = 640, height: int = 260) -> Markup:
    """Values per source over time, bounds drawn, plans hollow, conflicts ringed in red
    (``track`` is an item of the read API's figure tracks)."""
    left, right, top, bottom = 70, 20, 20, 50
    points = track["points"]
    dates = sorted({p["date"] or "?" for p in points})
    sources = track["sources"]
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    highs = [v for p in points for v in (p["value"], p["high"], p["low"]) if v is not None]
    step = _nice_step(max(highs) * 1.15 if highs else 1.0)
    y_max = step * 4
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(v: float) -> float:
        return round(top + plot_h - (v / y_max) * plot_h, 1)

    slot = plot_w / max(1, len(dates))
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape("Figures for " + track["label"])}" xmlns="http://www.w3.org/2000/svg">',
           f'<title>{escape("Figures for " + track["label"])}</title>']
    for i in range(5):
        v = step * i
        y = y_of(v)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" class="grid"/>'
                   f'<text x="{left - 6}" y="{y + 4}" class="axis" text-anchor="end">{escape(_compact(v))}</text>')
    for i, date in enumerate(dates):
        x = left + slot * (i + 0.5)
        out.append(f'<text x="{x:.1f}" y="{height - bottom + 18}" class="axis" text-anchor="middle">{escape(date)}</text>')
    by_date: dict[str, list[dict[str, Any]]] = {}
    for p in points:
        by_date.setdefault(p["date"] or "?", []).append(p)
    for i, date in enumerate(dates):
        group = by_date[date]
        for j, p in enumerate(group):
            x = round(left + slot * i + slot * (j + 1) / (len(group) + 1), 1)
            c = colour[p["source"]]
            tip = escape(point_label(p))
            out.append(f'<g class="point{" conflict" if p["conflict"] else ""} {p["kind"]}" tabindex="0">'
                       f"<title>{tip}</title>")
            bound, value = p["bound"], p["value"]
            if bound == "range" and p["low"] is not None and p["high"] is not None:
                out.append(f'<line x1="{x}" x2="{x}" y1="{y_of(p["low"])}" y2="{y_of(p["high"])}" stroke="{c}" '
                           f'stroke-width="6" stroke-linecap="round" opacity="0.6"/>')
                value = (p["low"] + p["high"]) / 2
            if value is None:
                out.append("</g>")
                continue
            y = y_of(value)
            if bound in ("at_least", "more_than"):
                out.append(f'<line x1="{x}" x2="{x}" y1="{y}" y2="{top + 4}" stroke="{c}" stroke-dasharray="3 3"/>'
                           f'<path d="M{x - 5},{top + 10}L{x},{top}L{x + 5},{top + 10}" fill="none" stroke="{c}"/>')
            elif bound in ("at_most", "less_than"):
                out.append(f'<line x1="{x}" x2="{x}" y1="{y}" y2="{top + plot_h}" stroke="{c}" stroke-dasharray="3 3"/>')
            elif bound == "approx":
                out.append(f'<line x1="{x}" x2="{x}" y1="{y_of(value * 1.1)}" y2="{y_of(value * 0.9)}" stroke="{c}"/>')
            if p["kind"] == "plan":
                out.append(f'<path d="M{x},{y - 7}L{x + 7},{y}L{x},{y + 7}L{x - 7},{y}Z" fill="white" stroke="{c}" '
                           f'stroke-width="2" stroke-dasharray="2 1"/>')
            else:
                out.append(f'<circle cx="{x}" cy="{y}" r="6" fill="{c}"/>')
            if p["conflict"]:
                out.append(f'<circle cx="{x}" cy="{y}" r="10" fill="none" stroke="#c00" stroke-width="2"/>')
            out.append(f'<text x="{x + 9}" y="{y - 8}" class="value">{escape(_fmt(value))}</text></g>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" class="axisline"/>'
               f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" class="axisline"/>')
    out.append("</svg>")
    return Markup("".join(out))


def source_colours(track: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s, PALETTE[i % len(PALETTE)]) for i, s in enumerate(track["sources"])]


LABELS = 12  # the most mentioned places are named on the map; every point has its name as a tooltip


def place_link(place: dict[str, Any]) -> str:
    """Where a point of the map leads: the place's first mention in its report."""
    evidence = place.get("evidence")
    if evidence:
        return f'/documents/{quote(evidence["document_id"])}?at={evidence["start"]}-{evidence["end"]}#at-{evidence["start"]}'
    return f'/documents/{quote(place["document_id"])}' if place.get("document_id") else "/map"


def world_map(places: list[dict[str, Any]]) -> Markup:
    """Country shapes with a point per place (sized by mentions), each point a link to the place's
    first mention, named in its tooltip; the most mentioned places are labelled."""
    shapes = country_shapes()
    out = [f'<svg class="map" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" role="img" aria-label="Map of places mentioned" '
           f'xmlns="http://www.w3.org/2000/svg"><title>Map of places mentioned</title>'
           f'<rect width="{MAP_WIDTH}" height="{MAP_HEIGHT}" class="sea"/>']
    for lon in range(-180, 181, 30):
        x, _ = project(lon, 0)
        out.append(f'<line x1="{x}" x2="{x}" y1="0" y2="{MAP_HEIGHT}" class="graticule"/>')
    for lat in range(-90, 91, 30):
        _, y = project(0, lat)
        out.append(f'<line x1="0" x2="{MAP_WIDTH}" y1="{y}" y2="{y}" class="graticule"/>')
    for shape in shapes:
        out.append(f'<path class="country" d="{shape["d"]}"><title>{escape(shape["name"])}</title></path>')
    largest = max((p["mentions"] for p in places), default=1)
    located = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    labelled = {id(p) for p in sorted(located, key=lambda p: -p["mentions"])[:LABELS]}
    for place in located:
        x, y = project(place["lon"], place["lat"])
        r = 3 + 7 * (place["mentions"] / largest) ** 0.5
        label = f'{place["name"]}: {place["mentions"]} mention(s) in {place["documents"]} document(s) ' \
                f'({place["lat"]:.3f}, {place["lon"]:.3f})'
        out.append(f'<a class="place" href="{escape(place_link(place))}" aria-label="{escape(label)}">'
                   f'<title>{escape(label)}</title><circle cx="{x}" cy="{y}" r="{r:.1f}"/>')
        if id(place) in labelled:
            out.append(f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}" class="label">{escape(place["name"])}</text>')
        out.append("</a>")
    out.append("</svg>")
    return Markup("".join(out))
