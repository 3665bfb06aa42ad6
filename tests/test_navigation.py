"""Pages and API you can navigate, asked over HTTP of the real app on the example store: error
pages with navigation for every 4xx/5xx a person can meet, calendar dates, case-insensitive
event types, empty-filter wording, search with a count, highlights and paging, the overview's
counts, entity roles, quotation marks, map links, the favicon and the download links."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_store import example_store_path

from sitroom.web.app import create_app

NAVIGATION = ('href="/documents"', 'href="/claims"', 'href="/timeline"', 'href="/entities"')


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return TestClient(create_app(f"sqlite:///{example_store_path(tmp_path_factory)}"), raise_server_exceptions=False)


@pytest.mark.parametrize("path, status", [
    ("/claims?since=2024-99-99", 422), ("/claims?since=2024-02-30", 422), ("/timeline?until=2023-02-29", 422),
    ("/documents?offset=99999999999999999999999", 422), ("/entities?offset=-1", 422), ("/documents/x?at=1", 422),
    ("/figures?happened=exploded", 422), ("/entities/no-such-entity", 404), ("/documents/no-such-document", 404),
    ("/no/such/page", 404), ("/documents?q=" + "word+" * 12_000, 422), ("/timeline?entity=Atlantis", 404)])
def test_errors_are_pages_with_navigation(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert all(link in response.text for link in NAVIGATION)
    assert '"detail"' not in response.text


def test_api_errors_stay_json(client):
    for path, status in (("/api/claims?since=2024-02-30", 422), ("/api/nowhere", 404),
                         ("/api/search?q=" + "word+" * 12_000, 422), ("/api/timeline?entity=Atlantis", 404)):
        response = client.get(path)
        assert response.status_code == status and response.headers["content-type"] == "application/json"


def test_event_types_match_in_any_case_and_an_empty_filter_says_so(client):
    upper = client.get("/api/events", params={"type": "ASSAULT", "limit": 500}).json()
    lower = client.get("/api/events", params={"type": "assault", "limit": 500}).json()
    assert upper["total"] and lower == upper
    page = client.get("/timeline", params={"type": "assault"}).text
    merged = client.get("/api/timeline", params={"type": "assault"}).json()["total"]
    assert merged and page.count('class="badge ev">ASSAULT<') == min(merged, 50) == page.count('class="badge ev"')
    empty = client.get("/timeline", params={"type": "ASSAULT", "since": "2090"}).text
    assert "No events match" in empty and "No events extracted yet" not in empty


def test_search_counts_highlights_and_pages(client):
    seed = client.get("/api/search", params={"q": "Vladivostok"}).json()["items"][0]["id"]
    found = client.get("/api/search", params={"q": "North Korean soldiers", "limit": 100}).json()
    assert seed in {h["id"] for h in found["items"]} and found["total"] == len(found["items"]) >= 1
    page = client.get("/documents", params={"q": "North Korean soldiers"}).text
    assert f"{found['total']} document(s) match" in page and "<mark>" in page
    for snippet in re.findall(r'<p class="snippet">(.*?)</p>', page, re.S):
        assert not re.search(r"\[\w[^\]]*\]", snippet.replace("<mark>", "").replace("</mark>", "")) or "&" in snippet
    every = client.get("/api/search", params={"q": "the", "limit": 100}).json()
    pages = [client.get("/api/search", params={"q": "the", "limit": 4, "offset": o}).json() for o in range(0, 12, 4)]
    assert all(p["total"] == every["total"] for p in pages)
    assert [h["id"] for p in pages for h in p["items"]] == [h["id"] for h in every["items"]][:12]


def test_overview_counts_are_those_of_the_list_pages(client):
    page = client.get("/").text
    counts = dict((name, int(number)) for number, name in
                  re.findall(r'data-count="[^"]+">(\d+) ([a-z ]+)</a>', page))
    assert counts["entities"] == client.get("/api/entities").json()["total"]
    assert counts["claims"] == client.get("/api/claims").json()["total"]
    assert counts["documents"] == client.get("/api/documents").json()["total"]
    assert counts["events"] == client.get("/api/timeline").json()["total"]
    assert counts["places"] == client.get("/api/places").json()["total"]
    assert counts["figure tracks"] == client.get("/api/figures").json()["total"]


def test_entity_page_shows_roles_figures_given_and_single_quotation_marks(client):
    page = client.get("/entities/" + client.get("/api/entities", params={"q": "Kirby"}).json()["items"][0]["key"]).text
    assert "spokesperson" in page.split('class="roles"', 1)[1].split("</p>", 1)[0]
    assert "Figures John Kirby gave" in page and "3,000" in page.split('id="h-given"', 1)[1]
    assert not re.search(r"<q>\s*[“”\"]", page) and not re.search(r"[“”\"]\s*</q>", page)


def test_map_points_are_labelled_links_to_their_evidence(client):
    page = client.get("/map").text
    links = re.findall(r'<a class="place" href="([^"]+)" aria-label="([^"]+)">', page)
    assert links and all(href.startswith("/documents/") and label for href, label in links)
    assert len(re.findall(r'class="label"', page)) >= 5
    assert client.get(links[0][0].replace("&amp;", "&")).status_code == 200


def test_favicon_is_a_static_file(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg"' in page and "data:" not in page
    assert client.get("/static/favicon.svg").headers["content-type"].startswith("image/svg")
    assert client.get("/favicon.ico").status_code == 200


@pytest.mark.parametrize("path, expected", [
    ("/documents?source=Voice+of+America", {"jsonl", "ftm", "stix", "annotations"}),
    ("/claims?speaker=Kirby", {"csv-claims", "claims-jsonld"}), ("/figures?counts=soldiers", {"csv-figures"}),
    ("/timeline?type=ASSAULT", {"timelinejs", "csv-events", "plover", "geojson-events"}),
    ("/map?country=RU", {"geojson", "csv-places"}), ("/entities?type=PERSON", {"csv-entities"})])
def test_download_links_carry_the_page_filters(client, path, expected):
    page = client.get(path).text
    links = dict((name, href.replace("&amp;", "&")) for href, name in
                 re.findall(r'<a href="(/api/export/[^"]+)" download data-format="([^"]+)"', page))
    assert set(links) == expected
    key, value = path.split("?", 1)[1].split("=")
    for href in links.values():
        assert f"{key}={value}" in href
        assert client.get(href).status_code == 200


def test_every_list_has_a_typed_response_schema(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/documents", "/api/search", "/api/entities", "/api/claims", "/api/claims/clusters",
                 "/api/speakers", "/api/figures", "/api/events", "/api/timeline", "/api/places"):
        ref = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(page["required"]) == {"total", "limit", "offset", "items"}, path
        item = page["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
        assert schema["components"]["schemas"][item]["properties"], path
