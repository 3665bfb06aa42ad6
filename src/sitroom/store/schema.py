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


# -- the picture: the cross-document parts, kept in tables (``picture/maintain.py``) ----------
# Every ingest marks the documents it wrote as pending in the same transaction; the next picture
# update reads them, re-derives the groups they touch and clears them. So the picture is never
# computed in full by a reader, and ``sitroom picture rebuild`` recomputes it all for repairs.

# The sort column compares bytes on both dialects (PostgreSQL would otherwise use its locale).
SortText = Text().with_variant(Text(collation="C"), "postgresql")

picture_pending = Table(
    "picture_pending",
    metadata,
    Column("document_id", String(32), primary_key=True),
    Column("stamp", String(32)),  # the document's added_at when it was marked: a later write marks it again
)

picture_state = Table(
    "picture_state",
    metadata,
    Column("id", Integer, primary_key=True),  # one row, id 1
    Column("built_at", String(32)),  # when the picture was last rebuilt in full (None: never)
    Column("updated_at", String(32)),
    Column("corrections", Integer, nullable=False, default=0),  # analyst corrections it includes
    Column("updates", Integer, nullable=False, default=0),
)

# Which group each record belongs to, per part (claims, figures, events), and the names (as
# normalized) its group depends on: when entity resolution changes what a name resolves to, the
# records that named it are grouped again.
picture_members = Table(
    "picture_members",
    metadata,
    Column("part", String(16), primary_key=True),
    Column("document_id", String(32), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("group_key", String(40), nullable=False),
)
Index("ix_picture_members_group", picture_members.c.part, picture_members.c.group_key)
Index("ix_picture_members_document", picture_members.c.document_id)

picture_member_names = Table(
    "picture_member_names",
    metadata,
    Column("normal", Text, primary_key=True),
    Column("part", String(16), primary_key=True),
    Column("document_id", String(32), primary_key=True),
    Column("idx", Integer, primary_key=True),
)
Index("ix_picture_member_names_document", picture_member_names.c.document_id)

# The items every list pages through: entities, speakers, claim clusters, figure tracks,
# timeline entries and event reports. ``sort`` orders a list; the other columns serve its filters.
picture_items = Table(
    "picture_items",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("part", String(16)),
    Column("group_key", String(40)),
    Column("sort", SortText, nullable=False),
    Column("entity_key", Text),
    Column("label", Text),  # the type of an entity or event, what happened to a track's thing
    Column("date", String(10)),
    Column("date_end", String(10)),
    Column("flag", Boolean, nullable=False, default=False),  # a track in conflict
    Column("size", Integer, nullable=False, default=0),  # points of a track, reports of an entry
    Column("text", Text),  # lower-cased names and words a "q" filter looks in
    Column("data", JSON, nullable=False),
)
Index("ix_picture_items_sort", picture_items.c.kind, picture_items.c.sort, picture_items.c.key)  # a list's order
Index("ix_picture_items_group", picture_items.c.part, picture_items.c.group_key)
Index("ix_picture_items_entity", picture_items.c.kind, picture_items.c.entity_key, picture_items.c.sort)
Index("ix_picture_items_label", picture_items.c.kind, picture_items.c.label, picture_items.c.sort)

picture_item_tags = Table(  # many-valued filters: an entry's entities and outlets
    "picture_item_tags",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("tag", Text, primary_key=True),
    Column("key", Text, primary_key=True),
)
Index("ix_picture_item_tags_item", picture_item_tags.c.kind, picture_item_tags.c.key)  # an item's tags replaced

# Entity resolution's lookups: a surface (name, type) -> entity key, a normalized name -> the
# entity it means and the type it has across reports.
picture_surfaces = Table(
    "picture_surfaces",
    metadata,
    Column("name", Text, primary_key=True),
    Column("type", String(16), primary_key=True),
    Column("key", Text, nullable=False),
    Column("normal", Text, nullable=False, index=True),
)
picture_names = Table(
    "picture_names",
    metadata,
    Column("normal", Text, primary_key=True),
    Column("key", Text),
    Column("type", String(16)),
)
picture_stale = Table(  # groups whose members changed and whose items are still to be derived again
    "picture_stale",
    metadata,
    Column("part", String(16), primary_key=True),
    Column("group_key", String(40), primary_key=True),
)

picture_boilerplate = Table(  # the boilerplate lines the picture was derived with
    "picture_boilerplate",
    metadata,
    Column("line", String(16), primary_key=True),
)
