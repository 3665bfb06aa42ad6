"""SQLite (default) and PostgreSQL behind one interface.

``open_store(url)`` returns a ``Store``. Everything but full-text search is plain
SQLAlchemy Core with bound parameters, so both dialects run the same code; search lives in
``store.search``, the one place that knows each dialect's text index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection

from sitroom import settings
from sitroom.model import RECORD_LISTS, Document, Extraction, from_dict
from sitroom.store import schema, search
from sitroom.store.schema import RECORD_TABLES


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _record_columns(kind: str, record: Any) -> dict[str, Any]:
    """The queried columns of one record row (the rest lives in ``data``)."""
    if kind == "entities":
        return {"local_id": record.id, "name": record.name, "type": record.type, "mention_count": len(record.mentions),
                "start": min((m.start for m in record.mentions), default=None),
                "end": max((m.end for m in record.mentions), default=None)}
    if kind == "claims":
        spans = [s for s in (record.speaker, record.cue, record.content) if s is not None and s.start is not None]
        return {"local_id": record.id, "speaker": record.speaker.name, "speaker_entity": record.speaker.entity_id,
                "kind": record.kind, "said_on": record.said_on, "content": record.content.text,
                "start": min(s.start for s in spans) if spans else None,
                "end": max(s.end for s in spans) if spans else None}
    if kind == "quantities":
        return {"value": record.value, "unit": record.unit, "counts": record.counts, "bound": record.bound,
                "entity_id": record.entity_id, "start": record.start, "end": record.end}
    if kind == "times":
        return {"type": record.type, "value": record.value, "start": record.start, "end": record.end}
    if kind == "places":
        return {"name": record.name, "country_code": record.country_code, "lat": record.lat, "lon": record.lon,
                "geonameid": record.geonameid, "start": record.start, "end": record.end}
    if kind == "events":
        return {"local_id": record.id, "type": record.type, "modality": record.modality, "time": record.time,
                "location": record.location, "claim_id": record.claim_id, "start": record.start, "end": record.end}
    raise KeyError(kind)


class Store:
    """One database holding documents, their appearances, extracted records and ingest runs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        schema.metadata.create_all(self.engine)
        for table in schema.metadata.sorted_tables:  # create_all skips indexes added to existing tables
            for index in table.indexes:
                index.create(self.engine, checkfirst=True)
        search.create_index(self.engine)

    # -- documents -------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.documents.c.id).where(schema.documents.c.id == document_id)).first() is not None

    def document(self, document_id: str) -> Document | None:
        """The document with its text, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.documents).where(schema.documents.c.id == document_id)).mappings().first()
        if row is None:
            return None
        return Document(id=row["id"], text=row["text"], title=row["title"], source=row["source"], url=row["url"],
                        published=row["published"], language=row["language"])

    def document_row(self, document_id: str) -> dict[str, Any] | None:
        """The documents row (with near-duplicate link), without the MinHash signature."""
        columns = [c for c in schema.documents.c if c.name != "minhash"]
        with self.engine.connect() as conn:
            row = conn.execute(select(*columns).where(schema.documents.c.id == document_id)).mappings().first()
        return dict(row) if row else None

    def documents(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Newest first: id, title, source, published, language, chars."""
        d = schema.documents
        query = (select(d.c.id, d.c.title, d.c.source, d.c.url, d.c.published, d.c.language, d.c.chars,
                        d.c.near_duplicate_of)
                 .order_by(d.c.published.desc(), d.c.id).limit(limit).offset(offset))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def appearances(self, document_id: str) -> list[dict[str, Any]]:
        a = schema.appearances
        with self.engine.connect() as conn:
            rows = conn.execute(select(a).where(a.c.document_id == document_id).order_by(a.c.id)).mappings()
            return [dict(r) for r in rows]

    def add_appearance(self, document: Document, location: str, *, run_id: int | None = None) -> bool:
        """Record that the document was seen at ``location``; False if that was known already."""
        with self.engine.begin() as conn:
            return _insert_appearance(conn, document, location, run_id)

    def save_extraction(self, found: Extraction, *, location: str, minhash: bytes | None = None,
                        near_duplicate_of: str | None = None, similarity: float | None = None,
                        run_id: int | None = None, replace: bool = True) -> None:
        """Store a document and all its records in one transaction, replacing earlier rows.

        Either everything is written or nothing is: a failure leaves no half-written rows.
        ``replace=False`` skips looking for earlier rows, for a caller that knows it has none.
        """
        document = found.document
        with self.engine.begin() as conn:
            if replace:
                self._delete_records(conn, document.id)
                conn.execute(delete(schema.documents).where(schema.documents.c.id == document.id))
            conn.execute(insert(schema.documents).values(
                id=document.id, text=document.text, title=document.title, source=document.source, url=document.url,
                published=document.published, language=document.language, chars=len(document.text),
                near_duplicate_of=near_duplicate_of, similarity=similarity, minhash=minhash,
                extracted=bool(found.entities or found.claims or document.language in (None, "en")),
                added_at=_now()))
            search.index_document(conn, document.id, document.title or "", document.text)
            for kind, table in RECORD_TABLES.items():
                rows = [{"document_id": document.id, "idx": i, **_record_columns(kind, record),
                         "data": dataclasses.asdict(record)} for i, record in enumerate(getattr(found, kind))]
                if rows:
                    conn.execute(insert(table), rows)
            _insert_appearance(conn, document, location, run_id)

    def _delete_records(self, conn: Connection, document_id: str) -> None:
        for table in RECORD_TABLES.values():
            conn.execute(delete(table).where(table.c.document_id == document_id))
        search.unindex_document(conn, document_id)

    def extraction(self, document_id: str) -> Extraction | None:
        """The document and every stored record of it, as contract records."""
        document = self.document(document_id)
        if document is None:
            return None
        found = Extraction(document=document)
        with self.engine.connect() as conn:
            for kind, table in RECORD_TABLES.items():
                rows = conn.execute(select(table.c.data).where(table.c.document_id == document_id).order_by(table.c.idx))
                setattr(found, kind, [from_dict(RECORD_LISTS[kind], row.data) for row in rows])
        return found

    def minhash_signatures(self) -> Iterator[tuple[str, bytes]]:
        """(document id, MinHash signature) for every document that has one, for near-duplicate search."""
        d = schema.documents
        with self.engine.connect() as conn:
            for row in conn.execute(select(d.c.id, d.c.minhash).where(d.c.minhash.is_not(None))):
                yield row.id, row.minhash

    # -- records ---------------------------------------------------------------------------

    def records(self, kind: str, *, where: Iterable[Any] = (), order_by: Iterable[Any] = (), limit: int | None = 100,
                offset: int = 0) -> list[dict[str, Any]]:
        """Rows of one record table joined with their document's title, source and date.

        ``where`` and ``order_by`` are SQLAlchemy expressions over ``schema`` columns, so
        callers filter with bound parameters only.
        """
        table = RECORD_TABLES[kind]
        d = schema.documents
        query = (select(table, d.c.title.label("document_title"), d.c.source.label("document_source"),
                        d.c.published.label("document_published"))
                 .join(d, d.c.id == table.c.document_id).where(*where)
                 .order_by(*(list(order_by) or [d.c.published.desc(), table.c.document_id, table.c.idx]))
                 .offset(offset))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def count(self, kind: str, *, where: Iterable[Any] = ()) -> int:
        """How many rows of one record table (joined with documents) match ``where``."""
        table = RECORD_TABLES[kind]
        d = schema.documents
        query = select(func.count()).select_from(table.join(d, d.c.id == table.c.document_id)).where(*where)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def entity_summary(self, type: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Entities by name and type across the store, with document and mention counts."""
        e = schema.entities
        query = (select(e.c.name, e.c.type, func.count(func.distinct(e.c.document_id)).label("documents"),
                        func.sum(e.c.mention_count).label("mentions"))
                 .group_by(e.c.name, e.c.type)
                 .order_by(func.count(func.distinct(e.c.document_id)).desc(), func.sum(e.c.mention_count).desc(), e.c.name)
                 .limit(limit))
        if type:
            query = query.where(e.c.type == type.upper())
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """Documents matching ``text``, best first, with a snippet."""
        with self.engine.connect() as conn:
            return search.search(conn, text, limit)

    # -- runs and status -------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(schema.runs).values(command=command, started_at=_now())).inserted_primary_key[0]

    def record_failure(self, run_id: int, location: str, reason: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.failures).values(run_id=run_id, location=location, reason=reason, at=_now()))

    def finish_run(self, run_id: int, counts: dict[str, int], seconds: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(schema.runs).where(schema.runs.c.id == run_id)
                         .values(finished_at=_now(), seconds=seconds, **counts))

    def status(self, last_runs: int = 5) -> dict[str, Any]:
        """Counts of documents and records, and the last runs with their failures."""
        with self.engine.connect() as conn:
            counts = {"documents": conn.execute(select(func.count()).select_from(schema.documents)).scalar_one(),
                      "appearances": conn.execute(select(func.count()).select_from(schema.appearances)).scalar_one(),
                      "near_duplicates": conn.execute(select(func.count()).select_from(schema.documents)
                                                      .where(schema.documents.c.near_duplicate_of.is_not(None))).scalar_one(),
                      "not_english": conn.execute(select(func.count()).select_from(schema.documents)
                                                  .where(schema.documents.c.language.is_not(None),
                                                         schema.documents.c.language != "en")).scalar_one()}
            for kind, table in RECORD_TABLES.items():
                counts[kind] = conn.execute(select(func.count()).select_from(table)).scalar_one()
            runs = [dict(r) for r in conn.execute(select(schema.runs).order_by(schema.runs.c.id.desc()).limit(last_runs)).mappings()]
            for run in runs:
                rows = conn.execute(select(schema.failures.c.location, schema.failures.c.reason)
                                    .where(schema.failures.c.run_id == run["id"]).order_by(schema.failures.c.id))
                run["failures"] = [dict(r) for r in rows.mappings()]
        return {"url": self.url, "counts": counts, "runs": runs}

    def close(self) -> None:
        self.engine.dispose()


def _insert_appearance(conn: Connection, document: Document, location: str, run_id: int | None) -> bool:
    """One row saying the document was seen at ``location`` (with what that copy carried);
    False when it was recorded already."""
    a = schema.appearances
    if conn.execute(select(a.c.id).where(a.c.document_id == document.id, a.c.location == location)).first():
        return False
    conn.execute(insert(a).values(document_id=document.id, location=location, url=document.url,
                                  source=document.source, published=document.published, title=document.title,
                                  run_id=run_id, seen_at=_now()))
    return True


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def normalize_url(url: str | None) -> str:
    """A bare path means a SQLite file; ``postgres://`` gets the psycopg driver."""
    url = url or settings.database_url()
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgres://") or url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def open_store(url: str | None = None) -> Store:
    return Store(normalize_url(url))
