"""bench.grow_store: a store grown from a real ingested one holds distinct, searchable copies with
every row a document has, on SQLite and PostgreSQL, and a re-run adds nothing."""

from __future__ import annotations

import re

import pytest
from pg_server import postgres_url
from sqlalchemy import func, select

from sitroom.store.grow import copy_id, grow, plan, shift_date
from sitroom.store import open_store, schema

GROWN = 7


@pytest.fixture(scope="module")
def source_url(tmp_path_factory) -> str:
    """A real store: the seed article and two VOA stories, extracted and saved as ``sitroom ingest`` does."""
    from sitroom.bundled import load_examples

    url = f"sqlite:///{tmp_path_factory.mktemp('grow') / 'source.db'}"
    store = open_store(url)
    assert load_examples(store, limit=2) == 3
    store.close()
    return url


def _rows_per_document(url: str) -> dict[str, dict[str, int]]:
    """Table name -> document id -> how many rows it has there."""
    store = open_store(url)
    tables = {"documents": schema.documents, "appearances": schema.appearances,
              "document_lines": schema.document_lines, **schema.record_tables()}
    counts: dict[str, dict[str, int]] = {}
    with store.engine.connect() as conn:
        for name, table in tables.items():
            key = table.c.id if name == "documents" else table.c.document_id
            counts[name] = {row[0]: row[1] for row in conn.execute(select(key, func.count()).group_by(key))}
    store.close()
    return counts


def test_the_plan_cycles_through_the_source_whatever_the_chunk():
    ids = ["a", "b", "c"]
    whole = {(c, ids[i]) for part, pairs in plan(ids, GROWN) for c, i in pairs}
    assert whole == {(0, "a"), (0, "b"), (0, "c"), (1, "a"), (1, "b"), (1, "c"), (2, "a")}
    chunked = {(c, part[i]) for part, pairs in plan(ids, GROWN, chunk=2) for c, i in pairs}
    assert chunked == whole
    assert shift_date("2024-02-28", 2) == "2024-03-01" and shift_date(None, 3) is None


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_grown_store_holds_distinct_searchable_copies(dialect, source_url, tmp_path):
    target_url = f"sqlite:///{tmp_path / 'grown.db'}" if dialect == "sqlite" else postgres_url()
    result = grow(source_url, target_url, GROWN, batch=3)
    assert result["added"] == GROWN and result["present"] == 0

    source, grown = _rows_per_document(source_url), _rows_per_document(target_url)
    original = open_store(source_url)
    order = sorted(original.documents(limit=None), key=lambda d: (d["published"], d["id"]))
    first, first_text = order[0], original.document(order[0]["id"]).text
    original.close()
    copies = {d["id"]: [c for c in range(3) if c * len(order) + i < GROWN] for i, d in enumerate(order)}
    for table, per_document in source.items():
        expected = {copy_id(sid, c): per_document[sid] for sid, cs in copies.items() for c in cs
                    if per_document.get(sid)}
        assert grown[table] == expected, table
    assert sum(grown["documents"].values()) == GROWN
    assert sum(grown["entities"].values()) > GROWN and sum(grown["document_lines"].values()) > GROWN

    store = open_store(target_url)
    try:
        rows = store.documents(limit=None)
        assert len({r["id"] for r in rows}) == GROWN
        assert all(re.fullmatch(r"[0-9a-f]{16}", r["id"]) and r["id"] not in copies for r in rows)
        assert all(r["near_duplicate_of"] is None for r in rows)
        for c in copies[first["id"]]:
            copied = store.document_row(copy_id(first["id"], c))
            assert copied["published"] == shift_date(first["published"], c + 1)
            assert copied["source"] == first["source"] and copied["text"] == first_text
        # nothing in a copy's records points at a source document
        for name in schema.record_tables():
            for record in store.records(name, limit=None):
                assert not any(sid in str(record["data"]) for sid in copies), name
        # searchable as an ingested document: every copy of the first document is found by its title words
        word = max(re.findall(r"[A-Za-z]{5,}", first["title"]), key=len)
        found, total = store.search(word, limit=50)
        assert {copy_id(first["id"], c) for c in copies[first["id"]]} <= {f["id"] for f in found}
        if "picture_pending" in schema.metadata.tables:
            pending = schema.metadata.tables["picture_pending"]
            with store.engine.connect() as conn:
                assert set(conn.execute(select(pending.c.document_id)).scalars()) == {r["id"] for r in rows}
    finally:
        store.close()

    again = grow(source_url, target_url, GROWN, batch=3, boilerplate="source")
    assert again["added"] == 0 and again["present"] == GROWN
    assert _rows_per_document(target_url) == grown
    original, store = open_store(source_url), open_store(target_url)
    assert store.boilerplate() == original.boilerplate()
    original.close()
    store.close()
