"""The store's tables (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Each extracted record is one row: the columns that get queried (speaker, value, date,
coordinates, offsets) are real columns with indexes, and ``data`` holds the whole contract
record as JSON so that fields added to ``model.py`` need no migration. Every record row
belongs to one document and is deleted with it (re-extraction replaces them in one
transaction).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from sitroom import kinds
from sitroom.model import CONTRACT_LISTS

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("source", Text),
    Column("url", Text),
    Column("published", String(10), index=True),
    Column("language", String(8)),
    Column("chars", Integer, nullable=False),
    Column("near_duplicate_of", String(32), index=True),
    Column("origin", Text),  # the wire the text credits as its origin ("Reuters"), when it says so
    Column("similarity", Float),
    Column("minhash", LargeBinary),
    Column("extracted", Boolean, nullable=False, default=False),
    Column("added_at", String(32), nullable=False),
)

appearances = Table(
    "appearances",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("location", Text, nullable=False),
    Column("url", Text),
    Column("source", Text),
    Column("published", String(10)),
    Column("title", Text),
    Column("run_id", Integer),
    Column("seen_at", String(32), nullable=False),
    UniqueConstraint("document_id", "location", name="uq_appearance"),
)


def record_table(name: str) -> Table:
    """The table of one record kind (``sitroom.kinds``): (document_id, idx) key, offsets, the
    kind's queried columns with their indexes, and the whole record as JSON in ``data``."""
    if name in metadata.tables:
        return metadata.tables[name]
    kind = kinds.get(name)
    table = Table(
        name,
        metadata,
        Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        Column("idx", Integer, primary_key=True),
        Column("start", Integer),
        Column("end", Integer),
        *(Column(column, type_, nullable=column not in kind.required) for column, type_ in kind.columns.items()),
        Column("data", JSON, nullable=False),
        Column("line", String(16)),  # the key of the text line the record starts in (see document_lines)
    )
    for column in kind.indexes:
        Index(f"ix_{name}_{column}", table.c[column])
    return table


def record_tables() -> dict[str, Table]:
    """Every registered kind's table, keyed by kind name, in contract order."""
    return {name: record_table(name) for name in kinds.names()}


runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", Text, nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("seen", Integer, nullable=False, default=0),
    Column("added", Integer, nullable=False, default=0),
    Column("duplicates", Integer, nullable=False, default=0),
    Column("near_duplicates", Integer, nullable=False, default=0),
    Column("replaced", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("seconds", Float),
    Column("error", Text),  # why the run stopped, when the store failed under it (locked, full)
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("location", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

# For the web UI and API: newest-first pages in index order (of all outlets, and of one: the
# ``source`` filter), and a cheap "has anything changed".
ix_documents_published_id = Index("ix_documents_published_id", documents.c.published, documents.c.id)
ix_documents_source_published = Index("ix_documents_source_published", documents.c.source, documents.c.published,
                                      documents.c.id)
ix_documents_added_at = Index("ix_documents_added_at", documents.c.added_at)

# The lines of every document, by key (lower-cased, spaces collapsed, hashed), so that lines
# repeated across an outlet's reports (newsletter sign-ups, teasers, share prompts) are found:
# ``boilerplate_lines`` holds those, recomputed after each ingest run.
document_lines = Table(
    "document_lines",
    metadata,
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("line", String(16), primary_key=True),
)
Index("ix_document_lines_line", document_lines.c.line)

boilerplate_lines = Table(
    "boilerplate_lines",
    metadata,
    Column("line", String(16), primary_key=True),
    Column("documents", Integer, nullable=False),
)

# Analyst corrections to cross-document entity resolution (picture/entities.py). They name
# entities by surface name and type, never by document, so they survive re-ingestion.
entity_corrections = Table(
    "entity_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(8), nullable=False),  # merge | split | rename
    Column("name", Text, nullable=False),
    Column("type", String(16)),
    Column("target", Text),
    Column("made_at", String(32), nullable=False),
)


# The contract's record tables, for the queries that read them by name.
entities, claims, quantities, times, places, events = (record_table(name) for name in CONTRACT_LISTS)
