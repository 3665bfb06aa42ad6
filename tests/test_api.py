"""The REST API and the pages against a real store built from the bundled examples, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from conftest import SEED_TITLE
from fastapi.testclient import TestClient
from web_store import HOSTILE_ID, example_store_url

from sitroom.store import open_store
from sitroom.web.app import create_app


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, tmp_path_factory):
    store = open_store(example_store_url(tmp_path_factory, request.param))
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store=store))


@pytest.fixture(scope="module")
def seed_id(client):
    items = client.get("/api/documents", params={"q": SEED_TITLE}).json()["items"]
    assert len(items) == 1
    return items[0]["id"]


def _check_evidence(client, evidence):
    """Evidence points into the document text, and its sentence holds the span."""
    text = client.get(f"/api/documents/{evidence['document_id']}").json()["text"]
    assert 0 <= evidence["start"] < evidence["end"] <= len(text)
    assert text[evidence["start"]:evidence["end"]].strip() in evidence["sentence"] or \
        evidence["sentence"] in text[evidence["start"]:evidence["end"]]


def test_documents_page_and_filter(client, store):
    total = store.status()["counts"]["documents"]
    first = client.get("/api/documents", params={"limit": 5}).json()
    assert first["total"] == total and len(first["items"]) == 5
    second = client.get("/api/documents", params={"limit": 5, "offset": 5}).json()
    assert not {d["id"] for d in first["items"]} & {d["id"] for d in second["items"]}
    dates = [d["published"] for d in first["items"]]
    assert dates == sorted(dates, reverse=True)
    voa = client.get("/api/documents", params={"source": "Voice of America", "limit": 500}).json()
    assert voa["total"] == total - 2 and all(d["source"] == "Voice of America" for d in voa["items"])
    old = client.get("/api/documents", params={"until": "2020-12-31", "limit": 500}).json()["items"]
    assert old and all(d["published"] <= "2020-12-31" for d in old)
    assert client.get("/api/documents", params={"since": "not a date"}).status_code == 422
    assert client.get("/api/documents", params={"limit": 0}).status_code == 422


def test_document_carries_text_and_records(client, seed_id):
    data = client.get(f"/api/documents/{seed_id}").json()
    assert data["document"]["published"] == "2024-10-24"
    assert data["text"].startswith("On Wednesday")
    for entity in data["entities"]:
        for mention in entity["mentions"]:
            assert data["text"][mention["start"]:mention["end"]] == mention["text"]
    assert client.get("/api/documents/nope").status_code == 404


def test_entities_are_resolved_across_documents(client, store):
    items = client.get("/api/entities", params={"limit": 500}).json()["items"]
    us = [e for e in items if e["country_code"] == "US"]
    assert len(us) == 1 and us[0]["name"] == "United States"
    spellings = {row["name"] for row in store.entity_surfaces()
                 if row["name"] in ("U.S.", "US", "United States", "the United States", "American")}
    assert spellings - {"United States"} <= set(us[0]["aliases"])
    view = client.get(f"/api/entities/{us[0]['key']}").json()
    assert view["entity"]["key"] == us[0]["key"] and view["documents"]["total"] >= 2
    assert client.get("/api/entities/no-such-entity").status_code == 404


def test_claims_carry_evidence_and_filter_by_speaker(client, store):
    total = store.status()["counts"]["claims"]
    page = client.get("/api/claims", params={"limit": 500}).json()
    assert page["total"] == total
    assert total, "the example store holds no claims"
    for claim in page["items"][:40]:
        _check_evidence(client, claim["evidence"])
    speaker = next(c["speaker_key"] for c in page["items"] if c["speaker_kind"] == "named")
    by_speaker = client.get("/api/claims", params={"speaker": speaker, "limit": 500}).json()["items"]
    assert by_speaker and all(c["speaker_key"] == speaker for c in by_speaker)
    unresolved = [c for c in page["items"] if c["speaker_kind"] == "unresolved"]
    assert all(c["speaker"] is None and c["speaker_key"].startswith("unresolved-") for c in unresolved)
    listed = {s["key"] for s in client.get("/api/speakers", params={"limit": 500}).json()["items"]}
    assert not any(key.startswith("unresolved") or key == "speaker-unresolved" for key in listed)
    clusters = client.get("/api/claims/clusters").json()
    assert clusters["total"] >= 1 and all(c["independent_sources"] <= c["documents"] for c in clusters["items"])


def test_figures_events_places_have_evidence_when_present(client):
    for track in client.get("/api/figures").json()["items"]:
        for point in track["points"]:
            _check_evidence(client, point["evidence"])
    for event in client.get("/api/events", params={"limit": 100}).json()["items"]:
        _check_evidence(client, event["evidence"])
    timeline = client.get("/api/timeline").json()
    dates = [e["date"] or "9999" for e in timeline["items"]]
    assert dates == sorted(dates)
    places = client.get("/api/places").json()
    for place in places["items"]:
        assert place["mentions"] >= 1
        _check_evidence(client, place["evidence"])


def test_seed_troop_figures_form_one_track(client, store, seed_id):
    """The acceptance case: the North Korean troop figures from their sources are one track."""
    assert store.status()["counts"]["quantities"]
    tracks = client.get("/api/figures", params={"limit": 500}).json()["items"]
    troops = [t for t in tracks if t["counts"] == "troops" and t["entity"] == "North Korea"]
    assert len(troops) == 1
    points = troops[0]["points"]
    assert {p["value"] for p in points} >= {3000.0, 10000.0}
    assert len(troops[0]["sources"]) >= 2
    assert any(p["bound"] == "at_least" for p in points)
    assert all(p["date"] and p["evidence"]["document_id"] for p in points)


def test_search_finds_words_and_survives_hostile_input(client, seed_id):
    hits = client.get("/api/search", params={"q": "Vladivostok"}).json()["items"]
    assert [h["id"] for h in hits] == [seed_id]
    for hostile in ("' OR 1=1 --", '"unbalanced', "NEAR(a b)", "%_%", "\\"):
        assert client.get("/api/search", params={"q": hostile}).status_code == 200
        assert client.get("/api/claims", params={"q": hostile}).status_code == 200
        assert client.get("/api/documents", params={"q": hostile}).json()["total"] == 0


@pytest.mark.parametrize("path", ["/", "/documents", "/claims", "/claims?grouped=true", "/figures", "/timeline", "/map", "/entities",
                                  "/documents?q=Korea", "/docs"])
def test_pages_render_offline(client, path):
    response = client.get(path)
    assert response.status_code == 200
    # Nothing is loaded from another host: every script, style and image is ours.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", response.text)


def test_article_markup_is_shown_as_text(client):
    page = client.get(f"/documents/{HOSTILE_ID}").text
    assert "<script>alert" not in page and "<b>bold</b>" not in page and "<i>hostile</i>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page or "&lt;script&gt;alert(&quot;x&quot;)" in page
    listing = client.get("/documents", params={"offset": 0}).text
    assert "<i>hostile</i>" not in listing


def test_reader_highlights_and_marks_followed_evidence(client, store, seed_id):
    page = client.get(f"/documents/{seed_id}", params={"at": "3-12"}).text
    assert 'id="at-3"' in page and "hl-target" in page
    assert store.status()["counts"]["claims"]
    assert "hl-speaker" in page and "hl-content sp-0" in page
    assert client.get(f"/documents/{seed_id}", params={"at": "x"}).status_code == 422


def test_map_projects_places_and_escapes_names():
    from sitroom.web.charts import world_map

    svg = str(world_map([{"name": "<b>Quito</b>", "lat": 0.0, "lon": 0.0, "mentions": 2, "documents": 1},
                         {"name": "Nowhere", "lat": None, "lon": None, "mentions": 1, "documents": 1}]))
    assert '<circle cx="480.0" cy="240.0"' in svg  # lon 0, lat 0 is the middle of the 960x480 map
    assert "&lt;b&gt;Quito&lt;/b&gt;" in svg and "<b>" not in svg
    assert svg.count("<circle") == 1


def test_reader_nests_overlapping_spans_and_escapes():
    from sitroom import kinds
    from sitroom.kinds.builtin import speaker_colours
    from sitroom.model import Claim, Document, Extraction, Quantity, Span, Speaker
    from sitroom.web.reader import render_text

    text = 'Ana said <i>at least 30</i> boats left.\nNext & last.'
    start = text.index("at least 30")
    found = Extraction(document=Document(id="x", text=text),
                       claims=[Claim(id="c1", speaker=Speaker("Ana", None, "Ana", 0, 3), cue=Span("said", 4, 8),
                                     content=Span(text[9:38], 9, 38))],
                       quantities=[Quantity(text="at least 30", start=start, end=start + 11, value=30.0,
                                            bound="at_least", counts="boat")])
    html = str(render_text(text, kinds.marks(found)))
    assert speaker_colours(found.claims) == {"Ana": 0}
    assert html.count("<p>") == 2 and "&lt;i&gt;" in html and "&amp; last" in html and "<i>" not in html
    # The figure sits inside the claim's content: one focusable element each, the figure nested.
    assert html.count('data-tip="Claim by Ana') == 1 and html.count('id="figure-0"') == 1
    content_at = html.index('id="claim-0-content"')
    assert content_at < html.index('id="figure-0"') < html.index("</p>")
    assert "bound at least" in html


def test_warm_up_brings_the_picture_up_to_date_in_the_background(store):
    from sitroom.store import picture_tables

    app = create_app(store=store, warm=True)  # a new app: it has not looked at the store yet
    assert app.state.warmed.wait(timeout=120)
    assert app.state.warm_seconds >= 0
    assert "picture" in app.state.picture.cache.computed() and picture_tables.is_current(store)
    view = TestClient(app).get("/api/entities/" + TestClient(app).get("/api/entities").json()["items"][0]["key"])
    assert view.status_code == 200 and view.json()["documents"]["items"]
