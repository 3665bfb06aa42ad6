"""The store commands (search, show, entities, status) on a store holding the seed article."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import SEED_NAME, SEED_PUBLISHED

from sitroom import settings


def _sitroom(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitroom", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'seed.db'}"
    run = _sitroom("ingest", "--quiet", "--db", db, "--published", SEED_PUBLISHED, "--title", "Troops sent to Russia",
                   str(settings.examples_dir() / SEED_NAME))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 added" in run.stdout
    return db


def test_search_show_and_entities(seed_db):
    found = _sitroom("search", "--db", seed_db, "Vladivostok port")
    assert found.returncode == 0
    doc_id = found.stdout.split()[0]
    shown = _sitroom("show", "--db", seed_db, doc_id, "--format", "json")
    data = json.loads(shown.stdout)
    assert data["document"]["published"] == SEED_PUBLISHED
    assert data["document"]["title"] == "Troops sent to Russia"  # --title fills a plain-text file's headline
    assert "Vladivostok" in data["document"]["text"]
    assert data["appearances"][0]["location"].endswith(SEED_NAME)
    people = _sitroom("entities", "--db", seed_db, "--type", "PERSON")
    assert people.returncode == 0 and "PERSON" in people.stdout
    assert "no documents match" in _sitroom("search", "--db", seed_db, "zzzzqqq").stdout


def test_show_unknown_document_is_a_clear_error(seed_db):
    result = _sitroom("show", "--db", seed_db, "0000000000000000")
    assert result.returncode == 2 and "no document" in result.stderr


def test_status_lists_the_run(seed_db):
    result = _sitroom("status", "--db", seed_db)
    assert result.returncode == 0
    assert "documents" in result.stdout and "ingest" in result.stdout
    assert SEED_NAME in result.stdout  # the run lists what it read
