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


def _record_table(name: str, *columns: Column) -> Table:
    """A table of extracted records: (document_id, idx) key, offsets, queried columns, JSON data."""
    table = Table(
        name,
        metadata,
        Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        Column("idx", Integer, primary_key=True),
        Column("start", Integer),
        Column("end", Integer),
        *columns,
        Column("data", JSON, nullable=False),
    )
    return table


entities = _record_table(
    "entities",
    Column("local_id", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("mention_count", Integer, nullable=False),
)
Index("ix_entities_name", entities.c.name)
Index("ix_entities_type", entities.c.type)

claims = _record_table(
    "claims",
    Column("local_id", String(16), nullable=False),
    Column("speaker", Text),
    Column("speaker_entity", String(16)),
    Column("kind", String(16)),
    Column("said_on", String(32)),
    Column("content", Text),
)
Index("ix_claims_speaker", claims.c.speaker)
Index("ix_claims_said_on", claims.c.said_on)

quantities = _record_table(
    "quantities",
    Column("value", Float),
    Column("unit", Text),
    Column("counts", Text),
    Column("bound", String(16)),
    Column("entity_id", String(16)),
)
Index("ix_quantities_counts", quantities.c.counts)

times = _record_table(
    "times",
    Column("type", String(16)),
    Column("value", String(64)),
)
Index("ix_times_value", times.c.value)

places = _record_table(
    "places",
    Column("name", Text),
    Column("country_code", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("geonameid", Integer),
)
Index("ix_places_name", places.c.name)

events = _record_table(
    "events",
    Column("local_id", String(16), nullable=False),
    Column("type", String(32)),
    Column("modality", String(16)),
    Column("time", String(64)),
    Column("location", Text),
    Column("claim_id", String(16)),
)
Index("ix_events_type", events.c.type)
Index("ix_events_time", events.c.time)

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

# For the web UI and API: newest-first pages in index order, and a cheap "has anything changed".
ix_documents_published_id = Index("ix_documents_published_id", documents.c.published, documents.c.id)
ix_documents_added_at = Index("ix_documents_added_at", documents.c.added_at)

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

# The record tables, keyed by the Extraction list they store.
RECORD_TABLES: dict[str, Table] = {
    "entities": entities,
    "claims": claims,
    "quantities": quantities,
    "times": times,
    "places": places,
    "events": events,
}
