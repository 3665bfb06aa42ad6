"""Every export format on the example store (the seed and VOA stories), each loaded by the library
that consumes it or validated against the schema its specification gives: csv, followthemoney,
stix2, rdflib (JSON-LD) and JSON Schema for GeoJSON (RFC 7946), PLOVER's data fields, W3C Web
Annotation and TimelineJS."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_store import example_store_path

import sitroom
from sitroom import export as exports
from sitroom.cli import app as cli
from sitroom.export.csv_tables import FORMULA_STARTS, cell
from sitroom.web.app import create_app

PLOVER_EVENTS = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                 "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory) -> str:
    return f"sqlite:///{example_store_path(tmp_path_factory)}"


@pytest.fixture(scope="module")
def picture(store_url):
    with sitroom.open(store_url) as picture:
        yield picture


@pytest.fixture(scope="module")
def texts(picture):
    return {d["id"]: picture.store.extraction(d["id"]).document.text for d in picture.documents(limit=500)["items"]}


def _check_evidence(texts, document_id, start, end, sentence):
    text = texts[document_id]
    assert 0 <= int(start) < int(end) <= len(text)
    assert " ".join(text[int(start):int(end)].split())[:60] in " ".join(sentence.split())


# -- CSV -------------------------------------------------------------------------------------


CSV_TOTALS = {"csv-claims": lambda p: p.claims(limit=1)["total"],
              "csv-events": lambda p: p.events(limit=1)["total"],
              "csv-places": lambda p: p.places(limit=1)["total"],
              "csv-entities": lambda p: p.entities(limit=1)["total"],
              "csv-figures": lambda p: sum(len(t["points"]) for t in p.figure_tracks(limit=500)["items"])}


@pytest.mark.parametrize("name", sorted(CSV_TOTALS))
def test_csv_has_one_row_per_item_with_its_evidence(picture, texts, name):
    rows = list(csv.DictReader(io.StringIO(picture.export(name), newline="")))
    assert rows and len(rows) == CSV_TOTALS[name](picture)
    if name != "csv-entities":
        for row in rows:
            if row["document_id"]:
                _check_evidence(texts, row["document_id"], row["start"], row["end"], row["sentence"])
    for row in rows:  # spreadsheet-safe: nothing a spreadsheet would run as a formula
        for value in row.values():
            if value.startswith(FORMULA_STARTS):
                float(value)  # only a number may start with - or +


def test_csv_cells_are_defused_and_numbers_stay_numbers():
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [cell(v) for v in ("+1", "-2+3", "@SUM(A1)", "\tx", "plain")] == ["'+1", "'-2+3", "'@SUM(A1)", "'\tx", "plain"]
    assert cell(-98.03) == -98.03 and cell(None) == "" and cell(["a", "b"]) == "a; b" and cell(True) == "true"


def test_csv_takes_the_filters_of_its_list(picture):
    rows = list(csv.DictReader(io.StringIO(picture.export("csv-claims", speaker="Kirby"), newline="")))
    assert rows and {r["speaker"] for r in rows} == {"John Kirby"}
    with pytest.raises(ValueError, match="takes"):
        picture.export("csv-claims", country="RU")


# -- GeoJSON ---------------------------------------------------------------------------------

# RFC 7946 sections 3.1.1, 3.1.2, 3.2 and 3.3 for a FeatureCollection of Points.
GEOJSON = {
    "type": "object", "required": ["type", "features"], "not": {"required": ["crs"]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": {
            "type": "object", "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"const": "Feature"},
                "properties": {"type": ["object", "null"]},
                "geometry": {"type": "object", "required": ["type", "coordinates"], "properties": {
                    "type": {"const": "Point"},
                    "coordinates": {"type": "array", "minItems": 2, "maxItems": 3,
                                    "prefixItems": [{"type": "number", "minimum": -180, "maximum": 180},
                                                    {"type": "number", "minimum": -90, "maximum": 90}]}}}}}}}}


@pytest.mark.parametrize("name", ["geojson", "geojson-events"])
def test_geojson_follows_rfc_7946_longitude_first(picture, texts, name):
    collection = json.loads(picture.export(name))
    jsonschema.validate(collection, GEOJSON)
    assert collection["features"]
    for feature in collection["features"]:
        evidence = feature["properties"]["evidence"]
        _check_evidence(texts, evidence["document_id"], evidence["start"], evidence["end"], evidence["sentence"])
    if name == "geojson":
        vladivostok = next(f for f in collection["features"] if f["properties"]["name"] == "Vladivostok")
        lon, lat = vladivostok["geometry"]["coordinates"]
        assert 131 < lon < 133 and 42 < lat < 44  # longitude first


# -- PLOVER ----------------------------------------------------------------------------------

# The manual's "PLOVER JSON" table (required fields Y) and its entity, text and location objects.
ENTITY = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                                           "entity_text": {"type": "string"}}}
PLOVER = {
    "type": "object", "required": ["id", "date", "actor", "event"],
    "properties": {
        "id": {"type": "string"}, "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
        "actor": {"type": "array", "items": ENTITY}, "recipient": {"type": "array", "items": ENTITY},
        "event": {"type": "array", "minItems": 1, "items": {"enum": sorted(PLOVER_EVENTS)}},
        "mode": {"type": "array", "items": {"type": "string"}},
        "context": {"type": "array", "items": {"type": "string"}},
        "event_text": {"type": "array", "items": {"type": "string"}},
        "quad_code": {"enum": [1, 2, 3, 4]}, "event_scale": {"type": "number", "minimum": -10, "maximum": 10},
        "text": {"type": "string"}, "link": {"type": "string"},
        "text_info": {"type": "object", "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}}},
        "cite_info": {"type": "object"}, "coder": {"type": "string"},
        "event_loc": {"type": "object", "properties": {"extracted_place": {"type": "string"},
                                                       "lat": {"type": "number"}, "lon": {"type": "number"},
                                                       "geonameid": {"type": "integer"},
                                                       "country_code": {"type": "string", "pattern": "^[A-Z]{3}$"}}},
    }}


def test_plover_records_carry_the_required_fields(picture, texts):
    records = [json.loads(line) for line in picture.export("plover").splitlines()]
    assert len(records) == picture.events(limit=1)["total"]
    checker = jsonschema.Draft202012Validator(PLOVER, format_checker=jsonschema.FormatChecker())
    for record in records:
        checker.validate(record)
        _check_evidence(texts, record["cite_info"]["citation"], record["text_info"]["start"],
                        record["text_info"]["end"], record["text"])
    assert len({r["id"] for r in records}) == len(records)
    assert any(r.get("event_loc", {}).get("lat") is not None for r in records)
    assert any(a.get("code") == "PRK" for r in records for a in r["actor"] + r["recipient"])


# -- FollowTheMoney --------------------------------------------------------------------------


def test_followthemoney_reads_every_entity(picture):
    from followthemoney import model

    proxies = [model.get_proxy(json.loads(line), cleaned=False) for line in picture.export("ftm").splitlines()]
    by_id = {p.id: p for p in proxies}
    assert len(by_id) == len(proxies)  # each entity once
    assert {p.schema.name for p in proxies} == {"Article", "Person", "Organization", "Mention", "Event"}
    for proxy, raw in zip(proxies, picture.export("ftm").splitlines()):
        given = json.loads(raw)["properties"]
        cleaned = model.get_proxy(json.loads(raw), cleaned=False).to_dict()["properties"]
        assert {k: sorted(v) for k, v in cleaned.items()} == {k: sorted(v) for k, v in given.items()}, proxy.schema
        for name in proxy.schema.required:
            assert proxy.get(name), (proxy.schema.name, name)
        for prop, value in proxy.itervalues():  # every reference points at an entity of the export, of its range
            if prop.type.name == "entity":
                assert by_id[value].schema.is_a(prop.range), (proxy.schema.name, prop.name)
    kirby = [p for p in proxies if p.schema.name == "Person" and "John Kirby" in p.get("name")]
    assert len(kirby) == 1


# -- STIX 2.1 --------------------------------------------------------------------------------


def test_stix2_parses_the_bundle(picture):
    import stix2

    bundle = stix2.parse(picture.export("stix"), allow_custom=False)
    objects = {o.id: o for o in bundle.objects}
    assert len(objects) == len(bundle.objects)
    assert {o.type for o in bundle.objects} == {"report", "identity", "location", "note"}
    for item in bundle.objects:
        for ref in item.get("object_refs", []):
            assert ref in objects
        if "confidence" in item:
            assert 0 <= item.confidence <= 100
    notes = [o for o in bundle.objects if o.type == "note"]
    assert len(notes) == picture.claims(limit=1)["total"] and all("confidence" in n for n in notes)
    reports = [o for o in bundle.objects if o.type == "report"]
    assert len(reports) == picture.documents(limit=1)["total"]
    vladivostok = [o for o in bundle.objects if o.type == "location" and o.name == "Vladivostok"]
    assert len(vladivostok) == 1 and 131 < vladivostok[0].longitude < 133


# -- schema.org Claim JSON-LD ----------------------------------------------------------------


def test_claims_json_ld_reads_as_schema_org_claims(picture):
    from rdflib import Graph, Namespace, RDF

    data = json.loads(picture.export("claims-jsonld"))
    assert data["@context"] == "https://schema.org"
    data["@context"] = {"@vocab": "https://schema.org/"}  # schema.org's context maps its terms so; offline here
    graph = Graph().parse(data=json.dumps(data), format="json-ld")
    schema = Namespace("https://schema.org/")
    claims = list(graph.subjects(RDF.type, schema.Claim))
    assert len(claims) == picture.claims(limit=1)["total"]
    for claim in claims:
        assert graph.value(claim, schema.text) and graph.value(claim, schema.author)
        assert graph.value(claim, schema.datePublished)
        appearance = graph.value(claim, schema.appearance)
        assert (appearance, RDF.type, schema.NewsArticle) in graph
    kirby = [c for c in claims if str(graph.value(graph.value(c, schema.author), schema.name)) == "John Kirby"]
    assert kirby and all((graph.value(c, schema.author), RDF.type, schema.Person) in graph for c in kirby)


# -- W3C Web Annotation ----------------------------------------------------------------------

# The Web Annotation Data Model's MUSTs for what this export writes (sections 3.1, 3.2.1, 4.2.4, 4.2.5).
ANNOTATION = {
    "type": "object", "required": ["id", "type", "target"],
    "properties": {
        "id": {"type": "string", "format": "uri"}, "type": {"const": "Annotation"},
        "body": {"type": "array", "items": {"type": "object", "required": ["type", "value"],
                                            "properties": {"type": {"const": "TextualBody"}}}},
        "target": {"type": "object", "required": ["source", "selector"], "properties": {
            "source": {"type": "string", "format": "uri"},
            "selector": {"type": "array", "items": {"oneOf": [
                {"type": "object", "required": ["type", "exact"],
                 "properties": {"type": {"const": "TextQuoteSelector"}, "exact": {"type": "string", "minLength": 1},
                                "prefix": {"type": "string"}, "suffix": {"type": "string"}}},
                {"type": "object", "required": ["type", "start", "end"],
                 "properties": {"type": {"const": "TextPositionSelector"},
                                "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0}}}]}}}}}}
COLLECTION = {"type": "object", "required": ["@context", "id", "type", "first"],
              "properties": {"@context": {"const": "http://www.w3.org/ns/anno.jsonld"},
                             "type": {"const": "AnnotationCollection"},
                             "first": {"type": "object", "required": ["type", "items"],
                                       "properties": {"type": {"const": "AnnotationPage"},
                                                      "items": {"type": "array", "items": ANNOTATION}}}}}


def test_web_annotations_select_every_span(picture, texts):
    collection = json.loads(picture.export("annotations"))
    jsonschema.Draft202012Validator(COLLECTION, format_checker=jsonschema.FormatChecker()).validate(collection)
    items = collection["first"]["items"]
    assert len({a["id"] for a in items}) == len(items)
    for item in items:
        quote, position = item["target"]["selector"]
        text = texts[item["target"]["source"].rsplit(":", 1)[1]]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])
    tags = {b["value"] for a in items for b in a["body"] if b.get("purpose") == "tagging"}
    assert {"entity", "speaker", "cue", "content", "figure", "date", "place", "event"} <= tags


# -- TimelineJS ------------------------------------------------------------------------------

# TimelineJS3's JSON format: events (slides) need a start_date with a year; text and group optional.
DATE = {"type": "object", "required": ["year"], "properties": {
    "year": {"type": "integer"}, "month": {"type": "integer", "minimum": 1, "maximum": 12},
    "day": {"type": "integer", "minimum": 1, "maximum": 31}}}
SLIDE = {"type": "object", "required": ["start_date"], "properties": {
    "start_date": DATE, "unique_id": {"type": "string"}, "group": {"type": "string"},
    "text": {"type": "object", "properties": {"headline": {"type": "string"}, "text": {"type": "string"}}}}}
TIMELINE = {"type": "object", "required": ["events"], "properties": {
    "title": {"type": "object"}, "events": {"type": "array", "minItems": 1, "items": SLIDE}}}


def test_timelinejs_has_a_slide_per_dated_entry(picture):
    data = json.loads(picture.export("timelinejs"))
    jsonschema.validate(data, TIMELINE)
    dated = [e for e in picture.timeline(limit=500)["items"] if e["date"]]
    assert len(data["events"]) == len(dated)
    assert len({s["unique_id"] for s in data["events"]}) == len(data["events"])
    assert all("<script" not in s["text"]["text"] for s in data["events"])


# -- every face ------------------------------------------------------------------------------


def test_every_format_streams_the_same_through_the_cli_and_the_rest_api(picture, store_url, tmp_path):
    client = TestClient(create_app(store_url))
    listed = {f["name"] for f in client.get("/api/exports").json()}
    assert {f.name for f in exports.formats()} == listed
    for name in sorted(listed):
        chosen = {"since": "2024"} if "since" in exports.filter_names(exports.get(name)) else {"q": "Korea"}
        expected = picture.export(name, **chosen)
        out = tmp_path / f"out-{name}"
        (key, value), = chosen.items()
        result = CliRunner().invoke(cli, ["export", "--format", name, "--filter", f"{key}={value}", "--db", store_url,
                                          "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().decode("utf-8") == expected
        response = client.get(f"/api/export/{name}", params=chosen)
        assert response.status_code == 200 and response.text == expected
        assert "attachment" in response.headers["content-disposition"]


def test_exports_walk_the_list_page_by_page(picture, monkeypatch):
    whole = picture.export("csv-claims")
    monkeypatch.setattr(exports, "PAGE_SIZE", 7)
    assert picture.export("csv-claims") == whole
