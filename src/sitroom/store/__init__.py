"""SQLite (default) and PostgreSQL behind one interface.

``open_store(url)`` returns a ``Store``. Everything but full-text search is plain
SQLAlchemy Core with bound parameters, so both dialects run the same code; search lives in
``store.search``, the one place that knows each dialect's text index.

Several processes may write one store at once (two ingests, an ingest and the server): the
schema is created by one at a time, and documents and appearances are written with
"insert unless there" (``ON CONFLICT DO NOTHING``), so that a row another process wrote
first is never an error. A store that cannot be used (locked, read-only, full, unreachable)
raises ``StoreError``, whose message is one line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, exists, func, insert, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from sitroom import kinds, settings
from sitroom.model import Document, Extraction, from_dict
from sitroom.store import schema, search
from sitroom.store.lines import line_at, lines_of

# A line is boilerplate when this many reports of one outlet (or of unknown outlets) carry it,
# near-duplicate copies counted once: newsletter sign-ups, teasers, share prompts, bylines.
BOILERPLATE_REPORTS = 3


# Any number: the key of the PostgreSQL advisory lock held while one process creates the schema.
_SCHEMA_LOCK = 0x5179_7200
# SQLite: how many times schema creation is tried again after another process created a part first.
_SCHEMA_TRIES = 6


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class StoreError(RuntimeError):
    """The store cannot be used: locked, read-only, full or unreachable. The message is one line."""


def store_error(error: BaseException, url: str) -> StoreError:
    """A database error as a ``StoreError``: the driver's own first line (no SQL, no links), with
    the store's URL (its password hidden)."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    message = lines[0].strip() if lines else type(cause).__name__
    if message == "database is locked":  # SQLite waits 5 s for a lock before it says so
        message = "database is locked by another process (waited 5 s)"
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True) if parsed.password else url
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot parse is shown as given
        shown = url
    return StoreError(f"store {shown}: {message}")


# PostgreSQL error classes that are about the server, not the row: connection (08), resources
# such as a full disk (53), shutdown (57), system and I/O errors (58); and a read-only
# transaction and a lock not granted.
_SERVER_STATES = ("08", "53", "57", "58")
_SERVER_CODES = ("25006", "55P03")


def store_failed(error: BaseException) -> bool:
    """Whether a database error means the store cannot be written at all (locked, read-only, a
    full disk, a lost connection), rather than that one row could not be."""
    if isinstance(error, StoreError | InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    state = getattr(error.orig, "sqlstate", None)
    if state is None:  # SQLite, or a connection that failed before the server answered
        return True
    return state[:2] in _SERVER_STATES or state in _SERVER_CODES


def _storable(value: str) -> str:
    """Text every database takes: lone surrogates (bytes of a file name that are not UTF-8)
    written out, NUL characters dropped (PostgreSQL refuses them in text)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value.replace("\x00", "")


class Store:
    """One database holding documents, their appearances, extracted records and ingest runs.

    ``local_paths``: whether answers show input locations as stored. The web app sets it off,
    so that no answer names a local folder: an absolute location is then shown by its file name
    (``/home/me/reports/a.jsonl#L3`` as ``a.jsonl#L3``).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.local_paths = True
        self._tables: dict[str, Any] = {}
        try:
            self.engine: Engine = create_engine(url, **_pool_options(url))
            self.dialect = self.engine.dialect.name
            if self.dialect == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            self._create_schema()
        except SQLAlchemyError as error:
            raise store_error(error, url) from error

    @contextmanager
    def errors_as_store_error(self) -> Iterator[None]:
        """Database errors in the block become a one-line ``StoreError``."""
        try:
            yield
        except SQLAlchemyError as error:
            raise store_error(error, self.url) from error

    def _create_schema(self) -> None:
        """Tables, indexes and the text index, one process at a time: PostgreSQL under an advisory
        lock (two processes creating one type collide in its catalog); SQLite, whose DDL takes
        no such lock, tries again when another process made a table first."""
        if self.dialect == "postgresql":
            with self.engine.connect() as lock:
                lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK})
                try:
                    self._ensure_tables()
                    search.create_index(self.engine)
                finally:
                    lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK})
            return
        for attempt in range(_SCHEMA_TRIES):
            try:
                self._ensure_tables()
                search.create_index(self.engine)
                return
            except OperationalError as error:
                raced = "already exists" in str(error) or "duplicate column" in str(error)
                if not raced or attempt == _SCHEMA_TRIES - 1:
                    raise
                self._tables = {}
                time.sleep(0.05 * (attempt + 1))

    def _ensure_tables(self) -> dict[str, Any]:
        """The record tables of every registered kind, created here the first time they are
        needed (a plugin's kind registered after the store opened gets its table too)."""
        tables = schema.record_tables()
        if tables.keys() != self._tables.keys():
            schema.metadata.create_all(self.engine)
            self._add_missing_columns()
            for table in schema.metadata.sorted_tables:  # create_all skips indexes added to existing tables
                for index in table.indexes:
                    index.create(self.engine, checkfirst=True)
            self._tables = tables
        return self._tables

    def _add_missing_columns(self) -> None:
        """Columns added to the schema since an older store was made (all nullable): the old
        rows read NULL there until they are re-extracted (``sitroom ingest --force``)."""
        found = inspect(self.engine)
        preparer = self.engine.dialect.identifier_preparer
        with self.engine.begin() as conn:
            for table in schema.metadata.sorted_tables:
                have = {c["name"] for c in found.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in have and column.nullable:
                        kind = column.type.compile(dialect=self.engine.dialect)
                        conn.execute(text(f"ALTER TABLE {preparer.quote(table.name)} "
                                          f"ADD COLUMN {preparer.quote(column.name)} {kind}"))

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
                        published=row["published"], language=row["language"], origin=row["origin"])

    def document_row(self, document_id: str) -> dict[str, Any] | None:
        """The documents row (with near-duplicate link), without the MinHash signature."""
        columns = [c for c in schema.documents.c if c.name != "minhash"]
        with self.engine.connect() as conn:
            row = conn.execute(select(*columns).where(schema.documents.c.id == document_id)).mappings().first()
        return dict(row) if row else None

    def documents(self, *, where: Iterable[Any] = (), limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Document rows (no text, no signature), newest first, filtered by ``where``
        (expressions over ``schema.documents``, see ``store.filters``)."""
        d = schema.documents
        query = (select(d.c.id, d.c.title, d.c.source, d.c.url, d.c.published, d.c.language, d.c.chars,
                        d.c.near_duplicate_of)
                 .where(*where).order_by(d.c.published.desc(), d.c.id.desc()).offset(offset))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def count_documents(self, *, where: Iterable[Any] = ()) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.documents).where(*where)).scalar_one()

    def document_texts(self, document_ids: Iterable[str]) -> dict[str, str]:
        """The text of each document, read in chunks of ids."""
        d = schema.documents
        return {row.id: row.text for row in self._rows_for_ids(select(d.c.id, d.c.text), d.c.id, document_ids)}

    def independence_keys(self, document_ids: Iterable[str]) -> dict[str, str]:
        """Each document's independent source: the wire its original credits, else the original's
        outlet, else the original itself (the original of a near-duplicate is what it copies)."""
        d = schema.documents
        rows = self._rows_for_ids(select(d.c.id, d.c.near_duplicate_of), d.c.id, document_ids)
        roots = {row.id: row.near_duplicate_of or row.id for row in rows}
        origins = {row.id: (row.origin, row.source)
                   for row in self._rows_for_ids(select(d.c.id, d.c.origin, d.c.source), d.c.id, roots.values())}
        keys = {}
        for document_id, root in roots.items():
            origin, source = origins.get(root, (None, None))
            keys[document_id] = _source_key(origin) or _source_key(source) or f"document:{root}"
        return keys

    def refresh_boilerplate(self) -> int:
        """Recompute the boilerplate lines (``BOILERPLATE_REPORTS``); returns how many there are.

        Documents stored before lines were kept get theirs first, with their records' lines."""
        self._add_lines_to_older_documents()
        d, lines = schema.documents, schema.document_lines
        outlet = func.coalesce(d.c.source, "")
        reports = func.count(func.distinct(func.coalesce(d.c.near_duplicate_of, d.c.id)))
        repeated = (select(lines.c.line, reports.label("documents"))
                    .select_from(lines.join(d, d.c.id == lines.c.document_id))
                    .group_by(lines.c.line, outlet).having(reports >= BOILERPLATE_REPORTS))
        with self.engine.begin() as conn:
            found: dict[str, int] = {}
            for row in conn.execute(repeated):
                found[row.line] = max(found.get(row.line, 0), row.documents)
            conn.execute(delete(schema.boilerplate_lines))
            if found:
                conn.execute(insert(schema.boilerplate_lines), [{"line": k, "documents": v} for k, v in found.items()])
        return len(found)

    def _add_lines_to_older_documents(self) -> None:
        d, lines = schema.documents, schema.document_lines
        # An anti-join: NOT IN over the lines of a large store is checked row by row by PostgreSQL
        # once they outgrow work_mem (minutes at 200,000 documents).
        missing = select(d.c.id).where(~exists().where(lines.c.document_id == d.c.id))
        with self.engine.connect() as conn:
            ids = [row.id for row in conn.execute(missing)]
        for chunk in range(0, len(ids), 200):
            texts = self.document_texts(ids[chunk:chunk + 200])
            with self.engine.begin() as conn:
                for document_id, body in texts.items():
                    found = lines_of(body)
                    keys = sorted({line.key for line in found})
                    if keys:
                        conn.execute(insert(lines), [{"document_id": document_id, "line": k} for k in keys])
                    for table in self._ensure_tables().values():
                        for row in conn.execute(select(table.c.idx, table.c.start)
                                                .where(table.c.document_id == document_id, table.c.line.is_(None))):
                            conn.execute(update(table).where(table.c.document_id == document_id, table.c.idx == row.idx)
                                         .values(line=line_at(found, row.start)))

    def boilerplate(self) -> dict[str, int]:
        """Boilerplate line key -> how many reports carry it."""
        b = schema.boilerplate_lines
        with self.engine.connect() as conn:
            return {row.line: row.documents for row in conn.execute(select(b.c.line, b.c.documents))}

    def place_names(self) -> dict[str, tuple[str, str | None]]:
        """The places the geocoder resolved in the store's reports: lower-cased name -> (its
        name, its level: country, region, city or feature)."""
        p = schema.places
        found: dict[str, tuple[str, str | None]] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(select(p.c.name, p.c.data).where(p.c.lat.is_not(None))):
                if row.name and row.name.lower() not in found:
                    found[row.name.lower()] = (row.name, (row.data or {}).get("level"))
        return found

    def wire_credits(self) -> list[str]:
        """Every news agency a stored report credits as its origin."""
        d = schema.documents
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(d.c.origin).where(d.c.origin.is_not(None)).distinct())]

    def sources(self) -> list[str]:
        """Every outlet name in the store, sorted."""
        d = schema.documents
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(d.c.source).where(d.c.source.is_not(None)).distinct()
                                               .order_by(d.c.source))]

    def _rows_for_ids(self, query: Any, column: Any, ids: Iterable[str], chunk: int = 500) -> list[Any]:
        """``query`` for the rows whose ``column`` is one of ``ids``, a chunk of bound ids at a time."""
        wanted = sorted(set(ids))
        rows: list[Any] = []
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), chunk):
                rows.extend(conn.execute(query.where(column.in_(wanted[i:i + chunk]))))
        return rows

    def appearances(self, document_id: str) -> list[dict[str, Any]]:
        a = schema.appearances
        with self.engine.connect() as conn:
            rows = conn.execute(select(a).where(a.c.document_id == document_id).order_by(a.c.id)).mappings()
            return [{**r, "location": self._shown(r["location"])} for r in rows]

    def _shown(self, location: str) -> str:
        return location if self.local_paths else shared_location(location)

    def _shown_in(self, text: str | None) -> str | None:
        """A command or message with each absolute path in it shown as ``_shown`` shows a location."""
        if self.local_paths or not text:
            return text
        return _ABSOLUTE_PATH.sub(lambda m: shared_location(m.group()), text)

    def add_appearance(self, document: Document, location: str, *, run_id: int | None = None) -> bool:
        """Record that the document was seen at ``location``; False if that was known already."""
        with self.engine.begin() as conn:
            return _insert_appearance(conn, document, location, run_id)

    def save_extraction(self, found: Extraction, *, location: str, minhash: bytes | None = None,
                        near_duplicate_of: str | None = None, similarity: float | None = None,
                        run_id: int | None = None, replace: bool = True) -> bool:
        """Store a document and all its records in one transaction, replacing earlier rows.

        Either everything is written or nothing is: a failure leaves no half-written rows.
        ``replace=False`` skips looking for earlier rows, for a caller that knows it has none.
        Returns False when another process stored the document first (then only its
        appearance at ``location`` is added).
        """
        document, added_at = found.document, _now()
        with self.engine.begin() as conn:
            if replace:
                self._delete_records(conn, document.id)
                conn.execute(delete(schema.documents).where(schema.documents.c.id == document.id))
            written = _insert_if_new(conn, schema.documents, ("id",), dict(
                id=document.id, text=document.text, title=document.title, source=document.source, url=document.url,
                published=document.published, language=document.language, chars=len(document.text),
                near_duplicate_of=near_duplicate_of, similarity=similarity, minhash=minhash, origin=document.origin,
                extracted=bool(found.entities or found.claims or document.language in (None, "en")),
                added_at=added_at))
            if not written:  # another process stored it meanwhile: this copy is one more appearance
                _insert_appearance(conn, document, location, run_id)
                return False
            search.index_document(conn, document.id, document.title or "", document.text)
            lines = lines_of(document.text)
            keys = sorted({line.key for line in lines})
            if keys:
                conn.execute(insert(schema.document_lines), [{"document_id": document.id, "line": k} for k in keys])
            for name, table in self._ensure_tables().items():
                kind = kinds.get(name)
                rows = []
                for i, record in enumerate(found.records(name)):
                    values = kind.column_values(record)
                    rows.append({"document_id": document.id, "idx": i, **values, "line": line_at(lines, values["start"]),
                                 "data": dataclasses.asdict(record)})
                if rows:
                    conn.execute(insert(table), rows)
            _insert_appearance(conn, document, location, run_id)
            # the picture's next update derives again what this document changes (picture/maintain.py)
            conn.execute(delete(schema.picture_pending).where(schema.picture_pending.c.document_id == document.id))
            conn.execute(insert(schema.picture_pending).values(document_id=document.id, stamp=added_at))
        return True

    def _delete_records(self, conn: Connection, document_id: str) -> None:
        for table in self._ensure_tables().values():
            conn.execute(delete(table).where(table.c.document_id == document_id))
        conn.execute(delete(schema.document_lines).where(schema.document_lines.c.document_id == document_id))
        search.unindex_document(conn, document_id)

    def extraction(self, document_id: str) -> Extraction | None:
        """The document and every stored record of it, as contract records."""
        document = self.document(document_id)
        if document is None:
            return None
        found = Extraction(document=document)
        with self.engine.connect() as conn:
            for name, table in self._ensure_tables().items():
                rows = conn.execute(select(table.c.data).where(table.c.document_id == document_id).order_by(table.c.idx))
                found.set_records(name, [from_dict(kinds.get(name).record, row.data) for row in rows])
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
        table = self._ensure_tables()[kind]
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
        table = self._ensure_tables()[kind]
        d = schema.documents
        query = select(func.count()).select_from(table.join(d, d.c.id == table.c.document_id)).where(*where)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def record_data(self, kind: str, document_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """The stored records (JSON form) of one kind for each of ``document_ids``, in order."""
        table = self._ensure_tables()[kind]
        by_document: dict[str, list[dict[str, Any]]] = {d: [] for d in document_ids}
        query = select(table.c.document_id, table.c.data).order_by(table.c.document_id, table.c.idx)
        for row in self._rows_for_ids(query, table.c.document_id, by_document):
            by_document[row.document_id].append(row.data)
        return by_document

    def entity_surfaces(self) -> list[dict[str, Any]]:
        """Every (name, type) of an entity in the store, with its documents (count and ids),
        mentions and country code: what entity resolution across documents works from."""
        e = schema.entities
        query = (select(e.c.name, e.c.type, func.count(func.distinct(e.c.document_id)).label("documents"),
                        func.sum(e.c.mention_count).label("mentions"))
                 .group_by(e.c.name, e.c.type))
        codes: dict[tuple[str, str], str] = {}
        document_ids: dict[tuple[str, str], set[str]] = {}
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
            for r in conn.execute(select(e.c.name, e.c.type, e.c.data).where(e.c.type.in_(("GPE", "NORP")))):
                code = (r.data or {}).get("country_code")
                if code:
                    codes.setdefault((r.name, r.type), code)
            for r in conn.execute(select(e.c.name, e.c.type, e.c.document_id)):
                document_ids.setdefault((r.name, r.type), set()).add(r.document_id)
        for row in rows:
            row["country_code"] = codes.get((row["name"], row["type"]))
            row["document_ids"] = document_ids.get((row["name"], row["type"]), set())
        return rows

    def speaker_rows(self) -> list[dict[str, Any]]:
        """(speaker, document_id) of every claim that has a speaker."""
        c = schema.claims
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(c.c.speaker, c.c.document_id)
                                                  .where(c.c.speaker.is_not(None))).mappings()]

    def place_groups(self, *, where: Iterable[Any] = (), limit: int = 200,
                     offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Places grouped by name and coordinates, most mentioned first, with the first
        mention of each in the first document naming it; and how many groups there are."""
        p, d = schema.places, schema.documents
        grouped = (select(p.c.name, p.c.country_code, p.c.lat, p.c.lon, p.c.geonameid,
                          func.count().label("mentions"), func.count(func.distinct(p.c.document_id)).label("documents"),
                          func.min(p.c.document_id).label("document_id"))
                   .select_from(p.join(d, d.c.id == p.c.document_id)).where(*where)
                   .group_by(p.c.name, p.c.country_code, p.c.lat, p.c.lon, p.c.geonameid))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(grouped.subquery())).scalar_one()
            rows = [dict(r) for r in conn.execute(grouped.order_by(func.count().desc(), p.c.name)
                                                   .limit(limit).offset(offset)).mappings()]
        first: dict[tuple[str, str], dict[str, Any]] = {}
        mentions = select(p.c.document_id, p.c.name, p.c.start, p.c.end).order_by(p.c.document_id, p.c.idx)
        for r in self._rows_for_ids(mentions, p.c.document_id, (row["document_id"] for row in rows), chunk=200):
            first.setdefault((r.document_id, r.name), {"start": r.start, "end": r.end})
        for row in rows:
            row["first_mention"] = first.get((row["document_id"], row["name"]))
        return rows, total

    def search(self, text: str, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Documents matching every word of ``text``, best first, with a snippet; and how many match."""
        with self.engine.connect() as conn:
            return search.search(conn, text, limit, offset), search.count(conn, text)

    # -- analyst corrections ---------------------------------------------------------------

    def corrections(self) -> list[dict[str, Any]]:
        """The analyst's entity corrections (merge, split, rename), oldest first."""
        c = schema.entity_corrections
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(c).order_by(c.c.id)).mappings()]

    def add_correction(self, action: str, name: str, *, type: str | None = None, target: str | None = None) -> None:
        c = schema.entity_corrections
        with self.engine.begin() as conn:
            conn.execute(insert(c).values(action=action, name=name, type=type, target=target, made_at=_now()))

    def fingerprint(self) -> tuple:
        """Changes whenever a document is added, replaced or removed, or a correction is made.

        Records are only ever written with their document (``save_extraction`` replaces both and
        stamps ``added_at``), so the documents' count and latest stamp cover every record table.
        """
        d, c, b = schema.documents, schema.entity_corrections, schema.boilerplate_lines
        with self.engine.connect() as conn:
            return (tuple(conn.execute(select(func.count(), func.max(d.c.added_at))).one()),
                    tuple(conn.execute(select(func.count(), func.max(c.c.id))).one()),
                    conn.execute(select(func.count()).select_from(b)).scalar_one())

    # -- runs and status -------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(schema.runs).values(command=_storable(command),
                                                           started_at=_now())).inserted_primary_key[0]

    def record_failure(self, run_id: int, location: str, reason: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.failures).values(run_id=run_id, location=_storable(location),
                                                        reason=_storable(reason), at=_now()))

    def finish_run(self, run_id: int, counts: dict[str, int], seconds: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(schema.runs).where(schema.runs.c.id == run_id)
                         .values(finished_at=_now(), seconds=seconds, **counts))

    def fail_run(self, run_id: int, reason: str, counts: dict[str, int], seconds: float) -> bool:
        """Mark a run failed with its reason; False when even that cannot be written (a full disk)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(update(schema.runs).where(schema.runs.c.id == run_id)
                             .values(finished_at=_now(), seconds=seconds, error=_storable(reason), **counts))
        except SQLAlchemyError:
            return False
        return True

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
            for kind, table in self._ensure_tables().items():
                counts[kind] = conn.execute(select(func.count()).select_from(table)).scalar_one()
            runs = [dict(r) for r in conn.execute(select(schema.runs).order_by(schema.runs.c.id.desc()).limit(last_runs)).mappings()]
            for run in runs:
                rows = conn.execute(select(schema.failures.c.location, schema.failures.c.reason)
                                    .where(schema.failures.c.run_id == run["id"]).order_by(schema.failures.c.id))
                run["failures"] = [{"location": self._shown(r.location), "reason": self._shown_in(r.reason)}
                                   for r in rows]
                run["command"] = self._shown_in(run["command"])
                if run.get("error"):
                    run["error"] = self._shown_in(run["error"])
        return {"url": self.url, "counts": counts, "runs": runs}

    def close(self) -> None:
        self.engine.dispose()


def _source_key(name: str | None) -> str | None:
    """An outlet or wire as one key: "Reuters" and "reuters.com" are one source."""
    if not name:
        return None
    key = name.strip().lower()
    if "." in key and " " not in key:  # a site's domain: its name without the suffix
        key = key.split(".")[0] if not key.startswith("www.") else key.split(".")[1]
    return f"source:{key}"


def _insert_if_new(conn: Connection, table: Any, key: tuple[str, ...], values: dict[str, Any]) -> bool:
    """Insert one row unless a row with the same ``key`` is there (another process may have
    written it first); True when this call wrote it."""
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = dialect_insert(table).values(**values).on_conflict_do_nothing(index_elements=list(key))
    return conn.execute(statement.execution_options(preserve_rowcount=True)).rowcount > 0


def _insert_appearance(conn: Connection, document: Document, location: str, run_id: int | None) -> bool:
    """One row saying the document was seen at ``location`` (with what that copy carried);
    False when it was recorded already."""
    return _insert_if_new(conn, schema.appearances, ("document_id", "location"), dict(
        document_id=document.id, location=_storable(location), url=document.url, source=document.source,
        published=document.published, title=document.title, run_id=run_id, seen_at=_now()))


# An absolute path inside a command or a message: a "/" that starts no URL part, a fraction or
# a relative path ("10/20", "and/or", "https://"), or the path of a SQLite URL (sqlite:////home/...),
# up to white space or a quotation mark.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.~:/])/[^\s'\"]+|(?<=sqlite:///)/[^\s'\"]+")


def shared_location(location: str) -> str:
    """A location as the web app shows it: an absolute path by its file name (with its
    ``#line`` or ``#record`` part), anything else as it is."""
    path, hash_mark, fragment = location.partition("#")
    if not os.path.isabs(path):
        return location
    return (os.path.basename(path.rstrip("/")) or path) + hash_mark + fragment


# Seconds a request waits for a free PostgreSQL connection before it fails.
POOL_TIMEOUT = 30


def _pool_options(url: str) -> dict[str, Any]:
    """PostgreSQL: a bounded pool (``settings.pool_size`` kept open, ``pool_overflow`` more for a
    burst), so that one ``sitroom serve`` never holds more than their sum however many requests
    come; each connection checked before use, so that a restarted server costs no request."""
    if not url.startswith("postgresql"):
        return {}
    return {"pool_size": settings.pool_size(), "max_overflow": settings.pool_overflow(),
            "pool_timeout": POOL_TIMEOUT, "pool_pre_ping": True, "pool_recycle": 3600}


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
