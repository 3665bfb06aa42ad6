"""Full-text search over document text: the one module with dialect-specific SQL.

SQLite uses an FTS5 table kept beside ``documents``; PostgreSQL a GIN index over
``to_tsvector('english', text)``. User text only ever reaches SQL as a bound parameter.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

_WORD = re.compile(r"\w+", re.UNICODE)


def create_index(engine: Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts "
                              "USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')"))
        elif engine.dialect.name == "postgresql":
            conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents "
                              "USING gin (to_tsvector('english', coalesce(title, '') || ' ' || text))"))


def index_document(conn: Connection, document_id: str, title: str, body: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM documents_fts WHERE id = :id"), {"id": document_id})
        conn.execute(text("INSERT INTO documents_fts (id, title, body) VALUES (:id, :title, :body)"),
                     {"id": document_id, "title": title, "body": body})


def unindex_document(conn: Connection, document_id: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM documents_fts WHERE id = :id"), {"id": document_id})


def fts5_query(query: str) -> str:
    """Each word of the user's text as a quoted FTS5 term (all must match): no FTS syntax leaks through."""
    return " ".join(f'"{word}"' for word in _WORD.findall(query))


def search(conn: Connection, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Documents matching every word of ``query``, best first: id, title, published, snippet."""
    if not _WORD.search(query):
        return []
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text(
            "SELECT d.id, d.title, d.source, d.published, "
            "snippet(documents_fts, 2, '[', ']', ' … ', 16) AS snippet "
            "FROM documents_fts JOIN documents d ON d.id = documents_fts.id "
            "WHERE documents_fts MATCH :query ORDER BY bm25(documents_fts), d.id LIMIT :limit OFFSET :offset"),
            {"query": fts5_query(query), "limit": limit, "offset": offset})
    else:
        rows = conn.execute(text(
            "SELECT d.id, d.title, d.source, d.published, "
            "ts_headline('english', d.text, plainto_tsquery('english', :query), "
            "'StartSel=[,StopSel=],MaxWords=24,MinWords=8') AS snippet "
            f"FROM documents d WHERE {_PG_MATCH} "
            f"ORDER BY ts_rank({_PG_VECTOR}, plainto_tsquery('english', :query)) DESC, d.id "
            "LIMIT :limit OFFSET :offset"),
            {"query": query, "limit": limit, "offset": offset})
    return [dict(r) for r in rows.mappings()]


def count(conn: Connection, query: str) -> int:
    """How many documents match every word of ``query``."""
    if not _WORD.search(query):
        return 0
    if conn.dialect.name == "sqlite":
        return conn.execute(text("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :query"),
                            {"query": fts5_query(query)}).scalar_one()
    return conn.execute(text(f"SELECT count(*) FROM documents d WHERE {_PG_MATCH}"), {"query": query}).scalar_one()


_PG_VECTOR = "to_tsvector('english', coalesce(d.title, '') || ' ' || d.text)"
_PG_MATCH = f"{_PG_VECTOR} @@ plainto_tsquery('english', :query)"
