"""Every column the read API filters on has an index, on SQLite and PostgreSQL, in new stores and
in older ones; and the planners use them (PostgreSQL's text search its GIN index)."""

from __future__ import annotations

import pytest
from pg_server import postgres_url
from sqlalchemy import event, inspect, text

from sitroom.picture import Picture
from sitroom.store import open_store

# (table, column) of every filter of store/filters.py and picture/api.py that compares a column
# with a value (text "contains" filters are LIKE '%...%' and no b-tree serves them), and of the
# documents' default order.
FILTERED = [
    ("documents", "published"),  # since / until, and newest first
    ("documents", "source"),  # source=
    ("documents", "id"),
    ("documents", "near_duplicate_of"),
    ("entities", "document_id"),  # entity= (documents naming it)
    ("entities", "name"),
    ("entities", "type"),
    ("claims", "document_id"),
    ("claims", "speaker"),  # speaker=
    ("claims", "said_on"),
    ("quantities", "counts"),  # figures: counts=
    ("events", "type"),
    ("events", "time"),
    ("places", "name"),  # entity= on places
    ("places", "country_code"),  # country=
    ("document_lines", "line"),  # boilerplate lines
]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else postgres_url())
    yield s
    s.close()


def _leading_columns(store, table: str) -> set[str]:
    """The columns some index (or the primary key) of ``table`` starts with."""
    found = inspect(store.engine)
    leading = {index["column_names"][0] for index in found.get_indexes(table) if index["column_names"]}
    primary = found.get_pk_constraint(table)["constrained_columns"]
    return leading | set(primary[:1])


@pytest.mark.parametrize("table, column", FILTERED, ids=[f"{t}.{c}" for t, c in FILTERED])
def test_every_filtered_column_leads_an_index(store, table, column):
    assert column in _leading_columns(store, table)


def test_an_older_store_gets_the_indexes_it_lacks(store):
    with store.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_documents_source_published"))
        conn.execute(text("DROP INDEX ix_places_country_code"))
    assert "source" not in _leading_columns(store, "documents")
    open_store(store.url).close()
    assert "source" in _leading_columns(store, "documents")
    assert "country_code" in _leading_columns(store, "places")


def _plans(store, call) -> str:
    """The plans of the SELECTs that ``call`` sends, as sent (SQL and bound values); on
    PostgreSQL with sequential scans priced out, as they would be on a large store (on a
    handful of rows a scan is always cheapest)."""
    sent: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)
    explain = "EXPLAIN QUERY PLAN " if store.dialect == "sqlite" else "EXPLAIN "
    plans = []
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("SET LOCAL enable_seqscan = off"))
        for statement, parameters in sent:
            plans += [" ".join(str(v) for v in row) for row in conn.exec_driver_sql(explain + statement, parameters)]
    return "\n".join(plans)


def test_the_planner_uses_the_filter_indexes(store):
    picture = Picture(store)
    by_source = _plans(store, lambda: picture.documents(source="Reuters", since="2024"))
    assert "ix_documents_source_published" in by_source
    in_country = _plans(store, lambda: picture.places(country="ru"))
    assert "ix_places_country_code" in in_country


def test_postgresql_search_uses_its_text_index():
    store = open_store(postgres_url())
    try:
        plan = _plans(store, lambda: store.search("North Korean soldiers"))
        assert plan.count("ix_documents_search_vector") == 2  # the page and the count
    finally:
        store.close()
