"""Full-text search on real SQLite and real PostgreSQL: nationality words find their country, the
total and the offset are right, snippets carry highlight offsets instead of markup, a query's
cost is bounded, and the index is kept by key."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlalchemy import event, text

from sitroom.model import Document, Extraction
from sitroom.store import open_store, search
from sitroom.store.search import MAX_QUERY_CHARS, MAX_TERMS, SearchRejected, query_units, query_words
from test_store import store  # noqa: F401 - the store fixture, on SQLite and PostgreSQL


def _save(store, body: str, title: str = "A report", document_id: str | None = None) -> str:
    document = Document(id=document_id or uuid.uuid4().hex[:16], text=body, title=title, published="2024-10-24",
                        source="Example Wire", language="en")
    store.save_extraction(Extraction(document=document), location=document.id)
    return document.id


def test_a_nationality_word_finds_its_country(store):
    korea = _save(store, "North Korea sent soldiers to the Kursk region, officials said.")
    korean = _save(store, "North Korean soldiers were seen in Kursk.")
    _save(store, "South Korea held talks on trade.")
    hits, total = store.search("North Korean soldiers")
    assert {h["id"] for h in hits} == {korea, korean} and total == 2
    # and the other way round: the country's name finds its nationality word
    assert {h["id"] for h in store.search("North Korea soldiers")[0]} == {korea, korean}
    # widening only adds: the words alone, anywhere in the text, still match
    scattered = _save(store, "In the north, Korean aid workers met soldiers.")
    assert scattered in {h["id"] for h in store.search("North Korean soldiers")[0]}


def test_total_and_offset_page_through_every_match(store):
    ids = {_save(store, f"Report {i}: troops moved near the border.") for i in range(7)}
    _save(store, "Nothing about the army here.")
    seen = []
    for offset in (0, 3, 6):
        hits, total = store.search("troops border", limit=3, offset=offset)
        assert total == 7
        seen += [h["id"] for h in hits]
    assert len(seen) == 7 and set(seen) == ids
    assert store.search("troops border", limit=3, offset=7) == ([], 7)


def test_snippets_are_plain_text_with_highlight_offsets(store):
    _save(store, "Officials said [redacted] 3,000 soldiers arrived in Vladivostok <b>today</b>.")
    hit = store.search("Vladivostok soldiers")[0][0]
    snippet = hit["snippet"]
    assert "\ue000" not in snippet and "\ue001" not in snippet
    assert "redacted]" in snippet  # the text as it is (escaping is the page's job)
    if store.dialect == "sqlite":
        assert "[redacted]" in snippet and "<b>today</b>" in snippet  # PostgreSQL's headline drops tags
    marked = {snippet[start:end].lower() for start, end in hit["highlights"]}
    assert marked == {"soldiers", "vladivostok"}


def test_query_words_are_folded_and_capped():
    assert query_words("troops Troops TROOPS border troops") == ["troops", "border"]
    assert query_units("troops " * 100) == [["troops"]]
    assert query_units("North Korean soldiers")[0][:2] == ["north korean", "north korea"]
    assert query_units("US troops")[0] == ["us", "united states"]
    assert query_units("help us") == [["help"], ["us"]]  # a pronoun is not the country
    with pytest.raises(SearchRejected, match="characters"):
        query_words("x" * (MAX_QUERY_CHARS + 1))
    with pytest.raises(SearchRejected, match="different words"):
        query_words(" ".join(f"w{i}" for i in range(MAX_TERMS + 1)))


def test_hostile_queries_are_refused_at_once_or_answered_as_words(store):
    _save(store, "Officials said 3,000 soldiers arrived.")
    started = time.perf_counter()
    with pytest.raises(SearchRejected):
        store.search("soldiers " * 12_000)  # took 48 s on SQLite before the caps
    assert time.perf_counter() - started < 1
    for hostile in ('soldiers" OR 1=1; --', "NEAR(a b)", "soldiers*", "-soldiers", "soldiers:", "\\", "'"):
        hits, total = store.search(hostile)
        assert total == len(hits) <= 1
    assert store.search("said " * 150)[1] == 1  # repeats fold into one word, under the length cap


def test_a_search_over_its_budget_is_stopped(store):
    for i in range(300):
        _save(store, f"Report {i}: officials said troops moved. " + "More words follow here. " * 40)
    with store.engine.connect() as conn:
        assert search.count(conn, "officials troops") == 300
        with pytest.raises(SearchRejected, match="budget"):
            search.search(conn, "officials troops", limit=300, budget=0.000001)
        assert search.count(conn, "officials troops") == 300  # the connection is usable afterwards


def test_a_huge_text_is_stored_and_found_by_its_opening(store):
    body = "Opening words about Vladivostok. " + "filler " * 138_000 + "closingword."
    assert len(body) > 960_000
    document_id = _save(store, body)  # PostgreSQL refused this with "string is too long for tsvector"
    assert [h["id"] for h in store.search("Vladivostok")[0]] == [document_id]
    beyond = store.search("closingword")[1]
    assert beyond == (1 if store.dialect == "sqlite" else 0)  # PostgreSQL indexes the first INDEXED_CHARS


def test_index_maintenance_goes_by_key_not_by_scan(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    for i in range(20):
        _save(store, f"Report {i} about troops.")
    statements: list[tuple[str, dict]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "documents_fts" in statement and not statement.lstrip().upper().startswith("INSERT"):
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    again = _save(store, "Report 3 about troops, revised.", document_id="fixed-id")
    _save(store, "Report 3 about troops, revised twice.", document_id="fixed-id")
    event.remove(store.engine, "before_cursor_execute", capture)
    assert statements
    with store.engine.connect() as conn:
        for statement, parameters in statements:
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "VIRTUAL TABLE INDEX 0:=" in plan or re.search(r"SEARCH \w+ USING (COVERING INDEX|INDEX|INTEGER PRIMARY KEY)", plan), \
                (statement, plan)
        rows = conn.execute(text("SELECT count(*) FROM documents_fts")).scalar_one()
        keys = conn.execute(text("SELECT count(*) FROM documents_fts_keys")).scalar_one()
    assert rows == keys == 21
    assert [h["id"] for h in store.search("revised twice")[0]] == [again]
    store.close()


def test_an_older_store_adopts_its_index_rows(tmp_path):
    """A store whose FTS table predates the key table gains it on open, keeping every row."""
    path = tmp_path / "old.db"
    store = open_store(f"sqlite:///{path}")
    first = _save(store, "Troops arrived in Kyiv.")
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE documents_fts_keys"))
    store.close()
    store = open_store(f"sqlite:///{path}")
    assert [h["id"] for h in store.search("troops Kyiv")[0]] == [first]
    _save(store, "Troops arrived in Kyiv again.", document_id=first)  # re-saved: replaced, not doubled
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents_fts")).scalar_one() == 1
    store.close()
