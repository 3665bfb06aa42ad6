"""Places across documents and the offline world map they are drawn on.

Country shapes come from the npm package ``world-atlas`` (Natural Earth, 1:110m TopoJSON),
installed at install time beside the web app (``make install`` runs ``npm ci``). The map is
plain SVG in an equirectangular projection, drawn on the server: no tiles, no CDN. When the
package is missing the map still shows every place as a point on a graticule.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

WORLD_ATLAS = Path(__file__).resolve().parent.parent / "web" / "node_modules" / "world-atlas" / "countries-110m.json"
MAP_WIDTH, MAP_HEIGHT = 960, 480


def country_name(code: str | None) -> str | None:
    """A country's common English name ("Russia", not "Russian Federation")."""
    from sitroom.nlp.gazetteer import country

    entry = country(code) if code else None
    return entry.name if entry else None


def gazetteer_place(name: str) -> tuple[str, str, str, int] | None:
    """The place the gazetteer ranks first for ``name`` (as the geocoder would resolve it):
    (its own name, kind, a key naming the place, population); None when it knows no place."""
    from sitroom.nlp.gazetteer import lookup

    found = lookup(name)
    if not found:
        return None
    top = found[0]
    if top.kind == "country":
        key = f"country-{top.country_code}"
    elif top.geonameid:
        key = f"geonames-{top.geonameid}"
    else:
        key = f"{top.kind}-{top.country_code}-{top.name.lower()}"
    return top.name, top.kind, key, top.population


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection onto the map's SVG box."""
    return round((lon + 180.0) / 360.0 * MAP_WIDTH, 1), round((90.0 - lat) / 180.0 * MAP_HEIGHT, 1)


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are delta-encoded integers; the transform maps them to lon/lat."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def _path(ring: list[tuple[float, float]]) -> str:
    # Rings that cross the antimeridian would smear across the map: cut them there.
    out, last_x = [], None
    for lon, lat in ring:
        x, y = project(lon, lat)
        command = "M" if last_x is None or abs(x - last_x) > MAP_WIDTH / 2 else "L"
        out.append(f"{command}{x},{y}")
        last_x = x
    return "".join(out) + "Z"


@lru_cache(maxsize=1)
def country_shapes() -> list[dict[str, str]]:
    """[{id, name, d}] SVG paths of every country, or [] when world-atlas is not installed."""
    if not WORLD_ATLAS.is_file():
        return []
    topology = json.loads(WORLD_ATLAS.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        d = "".join(_path(_ring(arcs, ring)) for polygon in polygons for ring in polygon)
        shapes.append({"id": str(geometry.get("id", "")), "name": geometry.get("properties", {}).get("name", ""), "d": d})
    return shapes
