"""GeoJSON (RFC 7946): one Point feature per place, longitude first, with its mention counts
and the evidence of its first mention."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

from sitroom.export import ExportFormat, each, register


def feature(place: dict[str, Any]) -> dict[str, Any] | None:
    """A place of the read API as a GeoJSON feature, or None when it has no coordinates."""
    if place.get("lat") is None or place.get("lon") is None:
        return None
    properties = {key: place.get(key) for key in ("name", "country_code", "geonameid", "mentions", "documents")}
    properties["evidence"] = place.get("evidence")
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": properties}


def write_features(picture: Any, out: IO[str], filters: dict[str, Any], list_name: str,
                   to_feature: Callable[[dict[str, Any]], dict[str, Any] | None]) -> None:
    """A FeatureCollection of the items of one read-API list that have a point, written as it goes."""
    out.write('{"type": "FeatureCollection", "features": [')
    first = True
    for item in each(picture, list_name, filters):
        found = to_feature(item)
        if found is None:
            continue
        out.write(("\n" if first else ",\n") + json.dumps(found, ensure_ascii=False))
        first = False
    out.write("\n]}\n")


def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    write_features(picture, out, filters, "places", feature)


register(ExportFormat(name="geojson", media_type="application/geo+json", suffix=".geojson", list="places",
                      write=write, description="Places as GeoJSON points (RFC 7946, longitude first)."))


def event_feature(event: dict[str, Any]) -> dict[str, Any] | None:
    """An event report whose place the gazetteer knows, as a Point feature; None otherwise."""
    from sitroom.export.plover import location

    place = location(event["location"]) if event.get("location") else {}
    if place.get("lat") is None or place.get("lon") is None:
        return None
    properties = {key: event.get(key) for key in ("type", "mode", "modality", "date", "location", "timeline_key")}
    properties.update(actors=[a["name"] for a in event["actors"]], recipients=[r["name"] for r in event["recipients"]],
                      resolved_place=place.get("resolved_place"), geonameid=place.get("geonameid"),
                      evidence=event["evidence"])
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": properties}


def write_events(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    write_features(picture, out, filters, "events", event_feature)


register(ExportFormat(name="geojson-events", media_type="application/geo+json", suffix=".geojson", list="events",
                      write=write_events, description="Located events as GeoJSON points (RFC 7946), one per event "
                                                      "per report, placed at the gazetteer's point for their place."))
