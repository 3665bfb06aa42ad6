"""One question, one answer: each list of the read API asked through the Python API, the CLI
(``--format json``) and the REST API gives the same items and counts, on a real SQLite and PostgreSQL store."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pg_server import postgres_url
from typer.testing import CliRunner
from web_store import copy_store, example_store_url

import sitroom
from sitroom.cli import app as cli
from sitroom.web.app import create_app

# (question, Python API method, its arguments, CLI arguments, REST path)
QUESTIONS = [
    ("documents", "documents", {"limit": 5, "offset": 2}, ["documents", "--limit", "5", "--offset", "2"],
     "/api/documents?limit=5&offset=2"),
    ("documents by outlet and date", "documents", {"source": "Voice of America", "since": "2021", "limit": 50},
     ["documents", "--source", "Voice of America", "--since", "2021"],
     "/api/documents?source=Voice%20of%20America&since=2021&limit=50"),
    ("documents naming an entity", "documents", {"entity": "North Korea", "limit": 50},
     ["documents", "--entity", "North Korea"], "/api/documents?entity=North%20Korea&limit=50"),
    ("entities", "entities", {"limit": 100}, ["entities", "--limit", "100"], "/api/entities?limit=100"),
    ("people", "entities", {"type": "PERSON", "limit": 50}, ["entities", "--type", "PERSON"],
     "/api/entities?type=PERSON&limit=50"),
    ("claims by speaker", "claims", {"speaker": "Kirby", "limit": 50}, ["claims", "--speaker", "Kirby"],
     "/api/claims?speaker=Kirby&limit=50"),
    ("claims about an entity since a date", "claims", {"entity": "North Korea", "since": "2024-10", "limit": 50},
     ["claims", "--about", "North Korea", "--since", "2024-10"],
     "/api/claims?entity=North%20Korea&since=2024-10&limit=50"),
    ("claim clusters", "claim_clusters", {"limit": 30}, ["claims", "--clusters", "--limit", "30"],
     "/api/claims/clusters?limit=30"),
    ("speakers", "speakers", {"limit": 40}, ["speakers", "--limit", "40"], "/api/speakers?limit=40"),
    ("figure tracks", "figure_tracks", {"limit": 50}, ["figures"], "/api/figures?limit=50"),
    ("figures of a counted thing about an entity", "figure_tracks", {"counts": "soldiers", "entity": "North Korea",
                                                                      "limit": 50},
     ["figures", "soldiers", "--entity", "North Korea"], "/api/figures?counts=soldiers&entity=North%20Korea&limit=50"),
    ("events", "events", {"limit": 40, "offset": 10}, ["events", "--limit", "40", "--offset", "10"],
     "/api/events?limit=40&offset=10"),
    ("timeline of an entity", "timeline", {"entity": "Russia", "limit": 100}, ["timeline", "--entity", "Russia"],
     "/api/timeline?entity=Russia&limit=100"),
    ("places", "places", {"limit": 200}, ["places"], "/api/places?limit=200"),
    ("places in a country", "places", {"country": "RU", "limit": 200}, ["places", "--country", "RU"],
     "/api/places?country=RU&limit=200"),
    ("search", "search", {"q": "troops", "limit": 20}, ["search", "troops"], "/api/search?q=troops&limit=20"),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_url(request, tmp_path_factory) -> str:
    return example_store_url(tmp_path_factory, request.param)


@pytest.fixture(scope="module")
def picture(store_url):
    picture = sitroom.open(store_url)
    yield picture
    picture.close()


@pytest.fixture(scope="module")
def client(store_url):
    return TestClient(create_app(store_url))


def _python(picture, method: str, arguments: dict[str, Any]) -> dict[str, Any]:
    arguments = dict(arguments)
    if method == "search":
        return picture.search(arguments.pop("q"), **arguments)
    return getattr(picture, method)(**arguments)


@pytest.mark.parametrize("question, method, arguments, command, path", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_every_face_gives_the_same_answer(picture, client, store_url, question, method, arguments, command, path):
    from_python = json.loads(json.dumps(_python(picture, method, arguments)))
    result = CliRunner().invoke(cli, [*command, "--db", store_url, "--format", "json"])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.output)
    response = client.get(path)
    assert response.status_code == 200, response.text
    from_rest = response.json()
    assert from_python["total"] == from_cli["total"] == from_rest["total"]
    assert from_python["items"] == from_cli["items"] == from_rest["items"]
    assert from_python["items"], f"{question}: the example store gave nothing to compare"


def test_name_parts_and_keys_ask_the_same_question(picture):
    kirby = picture.find_entity("Kirby")
    assert kirby.name == "John Kirby"
    by_name = picture.claims(speaker="Kirby", limit=100)
    assert by_name == picture.claims(speaker=kirby.key, limit=100) == picture.claims(speaker="john kirby", limit=100)
    assert by_name["total"] >= 4 and {c["speaker_key"] for c in by_name["items"]} == {kirby.key}


def test_corrections_show_on_every_face(store_url, tmp_path):
    url = copy_store(store_url, f"sqlite:///{tmp_path / 'corrected.db'}" if store_url.startswith("sqlite")
                     else postgres_url())
    client = TestClient(create_app(url))
    before = client.get("/api/entities", params={"type": "NORP", "limit": 500}).json()["total"]
    result = CliRunner().invoke(cli, ["entities", "merge", "Ukrainian", "Russian", "--db", url])
    assert result.exit_code == 0, result.output
    client.app.state.picture.cache.invalidate()  # another process wrote the correction
    after_rest = client.get("/api/entities", params={"type": "NORP", "limit": 500}).json()
    after_cli = json.loads(CliRunner().invoke(cli, ["entities", "--type", "NORP", "--limit", "500", "--db", url,
                                                    "--format", "json"]).output)
    assert after_rest == after_cli and after_rest["total"] <= before
    with sitroom.open(url) as picture:
        assert picture.find_entity("Ukrainian").key == picture.find_entity("Russian").key


def test_bad_filters_are_clear_errors_on_every_face(picture, client, store_url):
    with pytest.raises(ValueError, match="YYYY"):
        picture.claims(since="Oct 24, 2024")
    with pytest.raises(LookupError, match="no entity"):
        picture.timeline(entity="Atlantis")
    assert client.get("/api/timeline", params={"entity": "Atlantis"}).status_code == 404
    assert client.get("/api/claims", params={"since": "Oct 24"}).status_code == 422
    for command in (["timeline", "--entity", "Atlantis"], ["claims", "--since", "Oct 24"]):
        result = CliRunner().invoke(cli, [*command, "--db", store_url])
        assert result.exit_code == 2 and "error:" in result.output


def test_the_python_api_checks_the_publication_date_as_the_cli_does(tmp_path):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        sitroom.extract("Officials said the talks would go on.", published="Oct 24, 2024")
    result = CliRunner().invoke(cli, ["ingest", "--quiet", "--db", f"sqlite:///{tmp_path / 'x.db'}",
                                      "--published", "Oct 24, 2024", str(tmp_path)])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        sitroom.ingest_paths([str(tmp_path)], db=f"sqlite:///{tmp_path / 'x.db'}", published="Oct 24, 2024")


def test_only_the_store_opens_database_connections():
    """The store owns every connection to the database; the nlp layer's place index is a
    read-only gazetteer file of its own, not the store."""
    from pathlib import Path

    package = Path(sitroom.__file__).parent
    gazetteer_files = {package / "nlp" / "geocode_index.py", package / "nlp" / "gazetteer.py"}
    opening = re.compile(r"\.engine\b|create_engine|sqlite3\.connect|psycopg\.connect|\.connect\(\)|\.begin\(\)")
    offenders = [f"{path.relative_to(package)}:{number}"
                 for path in package.rglob("*.py") if "store" not in path.relative_to(package).parts[:1]
                 and path not in gazetteer_files
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if opening.search(line)]
    assert offenders == []
