"""The store on real SQLite files and, where a server answers, real PostgreSQL."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from pg_server import postgres_url
from sqlalchemy import text

from sitroom.model import Document, Entity, Extraction, Quantity, Span
from sitroom.store import normalize_url, open_store, schema


def _postgres_url() -> str:
    """A fresh schema on the local server (dropped when the session ends), or a skip with the reason."""
    return postgres_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else _postgres_url()
    s = open_store(url)
    yield s
    s.close()


def _extraction(body: str = "Officials in Kyiv said 3,000 soldiers arrived.") -> Extraction:
    document = Document(id=uuid.uuid4().hex[:16], text=body, title="Troops <b>arrive</b>", published="2024-10-24",
                        source="Example Wire", language="en")
    kyiv = Entity(id="e1", name="Kyiv", type="GPE", mentions=[Span("Kyiv", 13, 17)], country_code="UA")
    figure = Quantity(text="3,000 soldiers", start=23, end=37, value=3000.0, counts="soldier", bound="exact")
    return Extraction(document=document, entities=[kyiv], quantities=[figure])


def test_saved_extraction_reads_back_as_contract_records(store):
    found = _extraction()
    store.save_extraction(found, location="wire.txt")
    again = store.extraction(found.document.id)
    assert again is not None
    assert again.to_dict() == found.to_dict()
    assert again.document.text == found.document.text
    assert [a["location"] for a in store.appearances(found.document.id)] == ["wire.txt"]


def test_saving_again_replaces_rows_instead_of_adding(store):
    found = _extraction()
    store.save_extraction(found, location="a.txt")
    found.quantities.append(Quantity(text="two", start=0, end=3, value=2.0))
    store.save_extraction(found, location="a.txt")
    counts = store.status()["counts"]
    assert counts["documents"] == 1
    assert counts["quantities"] == 2
    assert counts["appearances"] == 1


def test_a_failed_save_leaves_no_half_written_rows(store):
    found = _extraction()
    # A record the quantities table cannot hold: the whole document must roll back.
    found.quantities.append(Quantity(text="x", start=0, end=1, value="not a number"))  # type: ignore[arg-type]
    with pytest.raises(Exception):
        store.save_extraction(found, location="bad.txt")
    counts = store.status()["counts"]
    assert counts["documents"] == 0 and counts["entities"] == 0 and counts["appearances"] == 0


def test_search_finds_words_and_takes_user_text_as_data(store):
    found = _extraction()
    store.save_extraction(found, location="a.txt")
    hits, total = store.search("soldiers Kyiv")
    assert [h["id"] for h in hits] == [found.document.id] and total == 1
    assert store.search("soldiers Kyiv", offset=1) == ([], 1)
    # FTS syntax and SQL in the query are plain words, never syntax.
    assert store.search('soldiers" OR 1=1; DROP TABLE documents; --') == ([], 0)
    assert store.search("NEAR(") == ([], 0)
    assert store.status()["counts"]["documents"] == 1


def test_appearances_are_kept_once_per_location(store):
    found = _extraction()
    store.save_extraction(found, location="a.txt")
    copy = dataclasses.replace(found.document, source="Other Wire")  # the same text from another outlet
    assert store.add_appearance(copy, "b.txt") is True
    assert store.add_appearance(copy, "b.txt") is False
    assert [a["location"] for a in store.appearances(found.document.id)] == ["a.txt", "b.txt"]
    assert store.appearances(found.document.id)[1]["source"] == "Other Wire"


def test_records_filter_with_bound_expressions(store):
    store.save_extraction(_extraction(), location="a.txt")
    other = _extraction("Nobody was counted in Lviv.")
    other.quantities = []
    store.save_extraction(other, location="b.txt")
    q = schema.quantities
    rows = store.records("quantities", where=[q.c.counts == "soldier"])
    assert len(rows) == 1 and rows[0]["value"] == 3000.0 and rows[0]["document_source"] == "Example Wire"
    assert [(row["name"], row["type"], row["documents"]) for row in store.entity_surfaces()] == [("Kyiv", "GPE", 2)]


def test_runs_and_failures_show_in_status(store):
    run = store.start_run("ingest x")
    store.record_failure(run, "x/empty.txt", "empty file")
    store.finish_run(run, {"seen": 1, "failed": 1}, 0.5)
    last = store.status()["runs"][0]
    assert last["failed"] == 1 and last["failures"] == [{"location": "x/empty.txt", "reason": "empty file"}]


def test_sqlite_file_uses_write_ahead_logging(tmp_path):
    s = open_store(str(tmp_path / "wal.db"))
    with s.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_store_urls():
    assert normalize_url("x.db") == "sqlite:///x.db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


def test_opening_an_older_store_adds_the_indexes_it_lacks(tmp_path):
    import sqlite3

    from sitroom.store import open_store

    path = tmp_path / "old.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ix_documents_published_id")
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_documents_published_id" in names
