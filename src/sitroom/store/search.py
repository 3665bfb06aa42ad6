"""Full-text search over document text: the one module with dialect-specific SQL.

SQLite uses an FTS5 table kept beside ``documents`` (Porter stemming); PostgreSQL a stored
``search_vector`` column, ``to_tsvector('english', ...)`` of the title and a bounded prefix of
the text (a generated column, so it follows the row), with a GIN index. User text only ever
reaches SQL as a bound parameter, or as quoted ``\\w+`` words in an FTS5 query.

Stemming does not fold a nationality word into its country ("Korean" is not "Korea"), so a
query's nationality words and country names are widened with the gazetteer: "North Korean
soldiers" asks for ("north korean" OR "north korea") AND "soldiers" (``query_units``).

The cost of one query is bounded: at most ``MAX_QUERY_CHARS`` characters and ``MAX_TERMS``
distinct words (repeats are folded), and each search runs under a budget, a progress handler on
SQLite and ``statement_timeout`` on PostgreSQL. A query over those is ``SearchRejected``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

_WORD = re.compile(r"\w+", re.UNICODE)

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
BUDGET_SECONDS = 5.0
# PostgreSQL refuses a tsvector over 1 MB ("string is too long for tsvector", about 960k
# characters of news text): it indexes the title and this many leading characters of the text.
INDEXED_CHARS = 100_000
# Highlight marks in snippets: private-use characters no article carries, turned into offsets.
_OPEN, _CLOSE = "\ue000", "\ue001"


class SearchRejected(ValueError):
    """A query too long, with too many words, or over the time budget."""


# -- the index -------------------------------------------------------------------------------


def create_index(engine: Engine) -> None:
    """The text index, and on SQLite the key table that ties each FTS row to its document."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts "
                              "USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')"))
            have = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'documents_fts_keys'")).first()
            if not have:
                conn.execute(text("CREATE TABLE documents_fts_keys (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)"))
                # A store made before the key table: adopt the FTS rows' own rowids, drop repeats.
                conn.execute(text("INSERT OR IGNORE INTO documents_fts_keys (key, id) SELECT rowid, id FROM documents_fts"))
                conn.execute(text("DELETE FROM documents_fts WHERE rowid NOT IN (SELECT key FROM documents_fts_keys)"))
        elif engine.dialect.name == "postgresql":
            # A stored vector: ranking and a scan read it instead of parsing every matched text
            # again (0.3-0.6 s a query on 900 Reuters documents when it was an expression index).
            # Looked up first: ALTER TABLE ... IF NOT EXISTS takes the table's exclusive lock even
            # when the column is there, and queued behind a long transaction (a picture update)
            # it stops every reader of the documents, that update's own reads included.
            have = conn.execute(text("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                                     "AND table_name = 'documents' AND column_name = 'search_vector'")).first()
            if not have:
                conn.execute(text(f"ALTER TABLE documents ADD COLUMN IF NOT EXISTS search_vector tsvector "
                                  f"GENERATED ALWAYS AS ({_pg_vector('')}) STORED"))
            indexed = conn.execute(text("SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() "
                                        "AND indexname = 'ix_documents_search_vector'")).first()
            if not indexed:
                conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_search_vector ON documents "
                                  "USING gin (search_vector)"))
            for older in ("ix_documents_fts", "ix_documents_fts_prefix"):  # expression indexes of older stores
                conn.execute(text(f"DROP INDEX IF EXISTS {older}"))


def _fts_key(conn: Connection, document_id: str) -> int | None:
    return conn.execute(text("SELECT key FROM documents_fts_keys WHERE id = :id"), {"id": document_id}).scalar()


def index_document(conn: Connection, document_id: str, title: str, body: str) -> None:
    """(Re)index one document; on SQLite by its integer key, never by scanning the FTS table."""
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL's expression index follows the row
    key = _fts_key(conn, document_id)
    if key is None:
        key = conn.execute(text("INSERT INTO documents_fts_keys (id) VALUES (:id)"), {"id": document_id}).lastrowid
    else:
        conn.execute(text("DELETE FROM documents_fts WHERE rowid = :key"), {"key": key})
    conn.execute(text("INSERT INTO documents_fts (rowid, id, title, body) VALUES (:key, :id, :title, :body)"),
                 {"key": key, "id": document_id, "title": title, "body": body})


def unindex_document(conn: Connection, document_id: str) -> None:
    if conn.dialect.name != "sqlite":
        return
    key = _fts_key(conn, document_id)
    if key is not None:
        conn.execute(text("DELETE FROM documents_fts WHERE rowid = :key"), {"key": key})
        conn.execute(text("DELETE FROM documents_fts_keys WHERE key = :key"), {"key": key})


# -- the query -------------------------------------------------------------------------------


def query_words(query: str) -> list[str]:
    """The distinct words of a query, in order and as written (a word repeated in any case
    counts once); too long a query or too many distinct words is ``SearchRejected``."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchRejected(f"a search is at most {MAX_QUERY_CHARS} characters (this one has {len(query)})")
    first: dict[str, str] = {}
    for word in _WORD.findall(query):
        first.setdefault(word.casefold(), word)
    words = list(first.values())
    if len(words) > MAX_TERMS:
        raise SearchRejected(f"a search takes at most {MAX_TERMS} different words (this one has {len(words)})")
    return words


def _country_of(phrase: str) -> str | None:
    """The country a phrase names or is the nationality word of ("north korean" -> KP)."""
    try:
        from sitroom.nlp import gazetteer

        return gazetteer.country_of_demonym(phrase) or gazetteer.country_code(phrase)
    except Exception:  # noqa: BLE001 - no place index: search without widening
        return None


def _country_forms(code: str) -> list[str]:
    """A country's name and the nationality words that belong to it alone and are as specific
    as its name ("North Korea": "north korean", not the shared "korean")."""
    from sitroom.nlp import gazetteer

    entry = gazetteer.country(code)
    if entry is None:
        return []
    name = " ".join(_WORD.findall(entry.name.casefold()))
    size = len(name.split())
    return [name, *(d for d in gazetteer.demonyms_of(code)
                     if len(d.split()) >= size and gazetteer.country_of_demonym(d) == code)]


def query_units(query: str) -> list[list[str]]:
    """The query as units that must all match, each a list of alternatives: the user's own
    words (matched anywhere in the document, all of them), then for a country name or
    nationality word (up to three words, longest first) the country's other forms as phrases.
    Widening only adds hits: every document the words alone find is still found."""
    words = query_words(query)
    units: list[list[str]] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            phrase = " ".join(words[i:i + size])
            code = _country_of(phrase) if len(words[i:i + size]) == size and not phrase.isdigit() else None
            if code:
                units.append(list(dict.fromkeys([phrase.casefold(), *_country_forms(code)])))
                i += size
                break
        else:
            units.append([words[i].casefold()])
            i += 1
    return units


def _fts5_unit(unit: list[str]) -> str:
    """The user's own words (all of them, anywhere), or any other form as a phrase."""
    own = " AND ".join(f'"{word}"' for word in unit[0].split())
    return "(" + " OR ".join([f"({own})", *(f'"{phrase}"' for phrase in unit[1:])]) + ")"


def fts5_query(query: str) -> str:
    """The query in FTS5 syntax: every unit must match; each word is quoted, so no FTS syntax in
    the user's text ever acts as syntax."""
    return " AND ".join(_fts5_unit(unit) for unit in query_units(query))


def _pg_tsquery(units: list[list[str]]) -> tuple[str, dict[str, str]]:
    """A tsquery expression for the units, its phrases as bound parameters."""
    parts, params = [], {}
    for i, unit in enumerate(units):
        alternatives = []
        for j, phrase in enumerate(unit):
            params[f"p{i}_{j}"] = phrase
            alternatives.append(f"{'plainto' if j == 0 else 'phraseto'}_tsquery('english', :p{i}_{j})")
        parts.append("(" + " || ".join(alternatives) + ")")
    return " && ".join(parts), params


def _pg_vector(alias: str) -> str:
    """The expression of the stored ``search_vector`` column."""
    at = f"{alias}." if alias else ""
    return f"to_tsvector('english', left(coalesce({at}title, '') || ' ' || {at}text, {INDEXED_CHARS}))"


# -- the budget ------------------------------------------------------------------------------


@contextmanager
def _budget(conn: Connection, seconds: float = BUDGET_SECONDS) -> Iterator[None]:
    """Stop a search that runs past ``seconds``: SQLite's progress handler interrupts it, and
    PostgreSQL cancels it itself (``statement_timeout``), even after the client has gone."""
    if conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        deadline = time.monotonic() + seconds
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)  # every 1000 VM steps
    else:  # for this transaction only; 0 would mean no limit
        conn.execute(text("SELECT set_config('statement_timeout', :ms, true)"), {"ms": str(max(1, int(seconds * 1000)))})
    try:
        yield
    except OperationalError as error:
        if "interrupted" in str(error) or "statement timeout" in str(error):
            conn.rollback()  # PostgreSQL refuses further statements in the cancelled transaction
            raise SearchRejected(f"the search ran past its {seconds:g} s budget: use fewer or rarer words") from error
        raise
    finally:
        if conn.dialect.name == "sqlite":
            raw.set_progress_handler(None, 0)


# -- search ----------------------------------------------------------------------------------


def _highlights(marked: str | None) -> tuple[str, list[list[int]]]:
    """A snippet with highlight marks as plain text and [start, end] offsets of the marked words."""
    plain: list[str] = []
    spans: list[list[int]] = []
    at, start = 0, None
    for part in re.split(f"([{_OPEN}{_CLOSE}])", marked or ""):
        if part == _OPEN:
            start = at
        elif part == _CLOSE:
            if start is not None and at > start:
                spans.append([start, at])
            start = None
        else:
            plain.append(part)
            at += len(part)
    return "".join(plain), spans


def search(conn: Connection, query: str, limit: int = 20, offset: int = 0,
           budget: float = BUDGET_SECONDS) -> list[dict[str, Any]]:
    """Documents matching every unit of ``query``, best first: id, title, source, published, a
    snippet and the [start, end] offsets of the matched words in it."""
    units = query_units(query)
    if not units:
        return []
    with _budget(conn, budget):
        if conn.dialect.name == "sqlite":
            rows = conn.execute(text(
                "SELECT d.id, d.title, d.source, d.published, "
                f"snippet(documents_fts, 2, '{_OPEN}', '{_CLOSE}', ' … ', 16) AS snippet "
                "FROM documents_fts JOIN documents d ON d.id = documents_fts.id "
                "WHERE documents_fts MATCH :query ORDER BY bm25(documents_fts), d.id LIMIT :limit OFFSET :offset"),
                {"query": fts5_query(query), "limit": limit, "offset": offset})
        else:
            tsquery, params = _pg_tsquery(units)
            rows = conn.execute(text(
                "SELECT d.id, d.title, d.source, d.published, "
                f"ts_headline('english', left(d.text, {INDEXED_CHARS}), {tsquery}, "
                f"'StartSel={_OPEN},StopSel={_CLOSE},MaxWords=24,MinWords=8') AS snippet "
                f"FROM documents d WHERE d.search_vector @@ ({tsquery}) "
                f"ORDER BY ts_rank(d.search_vector, {tsquery}) DESC, d.id LIMIT :limit OFFSET :offset"),
                {**params, "limit": limit, "offset": offset})
        found = [dict(r) for r in rows.mappings()]
    for row in found:
        row["snippet"], row["highlights"] = _highlights(row["snippet"])
    return found


def count(conn: Connection, query: str, budget: float = BUDGET_SECONDS) -> int:
    """How many documents match every unit of ``query``."""
    units = query_units(query)
    if not units:
        return 0
    with _budget(conn, budget):
        if conn.dialect.name == "sqlite":
            return conn.execute(text("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :query"),
                                {"query": fts5_query(query)}).scalar_one()
        tsquery, params = _pg_tsquery(units)
        return conn.execute(text(f"SELECT count(*) FROM documents d WHERE d.search_vector @@ ({tsquery})"),
                            params).scalar_one()
