"""Grow a store to benchmark size from the documents of a real one (issue 16: "at least 200,000
documents in PostgreSQL", built by a documented command).

Every document of the source store (one made by ``sitroom ingest``) is copied, cycling through
the source (in published, id order) until the target holds ``--documents`` copies: copy ``c`` of
a document gets its own id (16 hex digits like ``ingest.identity.document_id``, here a hash of
the source id and ``c``), its publication date moved ``(c + 1) * --days-per-copy`` days later, no
near-duplicate link (the copies stand for distinct reports) and the same outlet. Every row the
store keeps for a document is copied with it: the ``documents`` row, its appearances, every
record table, its text lines, its full-text index entry (SQLite's FTS table; PostgreSQL's
``search_vector`` is a generated column and follows the row) and, when the schema has
``picture_pending``, its mark there. Each batch is one transaction; ids already in the target
are skipped, so the same command run again adds nothing. The target takes the source store's
boilerplate lines (``--boilerplate source``, the default): recomputing them as after an ingest
(``--boilerplate refresh``) would count the copies of one report as distinct reports, so every
line of a document copied three times or more would become boilerplate and
``filters.not_boilerplate`` would drop nearly every record.

    python -m sitroom.bench.grow_store --from sqlite:///seed.db \\
        --to 'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbig16' \\
        --documents 200000 [--batch 2000] [--days-per-copy 1] [--boilerplate source|refresh]

(For PostgreSQL create the schema first: ``CREATE SCHEMA IF NOT EXISTS big16``.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.engine import Connection

from sitroom.store import Store, normalize_url, open_store, schema, search

# Source documents held in memory at once, with all their rows. A source this small or smaller
# is copied in strict cycles (copy 0 of every document, then copy 1, ...).
SOURCE_CHUNK = 2000
# Bound ids per ``IN (...)`` when reading rows by document (SQLite's old limit is 999 variables).
IDS_PER_QUERY = 500


def copy_id(source_id: str, copy: int) -> str:
    """The id of copy ``copy`` of a document: stable, so a re-run finds what it wrote, and in the
    format of an ingested id (16 hex digits)."""
    return hashlib.sha256(f"{source_id}/copy/{copy}".encode()).hexdigest()[:16]


def shift_date(published: str | None, days: int) -> str | None:
    """A YYYY-MM-DD date ``days`` later; anything else (no date, a partial one) as it is."""
    if not published:
        return published
    try:
        return (dt.date.fromisoformat(published) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return published


def mentions(value: Any, document_id: str) -> bool:
    """Whether record JSON holds the document's id anywhere (a ``document_id`` field, say)."""
    if isinstance(value, str):
        return value == document_id
    if isinstance(value, dict):
        return any(mentions(v, document_id) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, document_id) for v in value)
    return False


def retarget(value: Any, old: str, new: str) -> Any:
    """Record JSON with every string equal to the source id ``old`` replaced by ``new``, so that
    nothing in a copy points at its source."""
    if isinstance(value, str):
        return new if value == old else value
    if isinstance(value, dict):
        return {k: retarget(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [retarget(v, old, new) for v in value]
    return value


@dataclass
class Source:
    """One source document and every row the store keeps for it."""

    document: dict[str, Any]
    appearances: list[dict[str, Any]] = field(default_factory=list)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    refers: dict[str, list[bool]] = field(default_factory=dict)  # per record: its data holds the id


def source_ids(store: Store) -> list[str]:
    """The source's document ids in the order they are copied."""
    d = schema.documents
    with store.engine.connect() as conn:
        return [row.id for row in conn.execute(select(d.c.id).order_by(d.c.published, d.c.id))]


def _rows_by_document(conn: Connection, table: Table, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    order = [table.c.idx] if "idx" in table.c else [table.c[c.name] for c in table.primary_key]
    for i in range(0, len(ids), IDS_PER_QUERY):
        query = select(table).where(table.c.document_id.in_(ids[i:i + IDS_PER_QUERY])).order_by(*order)
        for row in conn.execute(query).mappings():
            found.setdefault(row["document_id"], []).append(dict(row))
    return found


def read_sources(store: Store, ids: list[str]) -> list[Source]:
    """The documents ``ids`` of the source store with all their rows, in the order of ``ids``."""
    d = schema.documents
    with store.engine.connect() as conn:
        documents: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), IDS_PER_QUERY):
            for row in conn.execute(select(d).where(d.c.id.in_(ids[i:i + IDS_PER_QUERY]))).mappings():
                documents[row["id"]] = dict(row)
        appearances = _rows_by_document(conn, schema.appearances, ids)
        lines = _rows_by_document(conn, schema.document_lines, ids)
        records = {name: _rows_by_document(conn, table, ids) for name, table in schema.record_tables().items()}
    sources = []
    for document_id in ids:
        if document_id not in documents:
            continue
        source = Source(document=documents[document_id], appearances=appearances.get(document_id, []),
                        lines=[row["line"] for row in lines.get(document_id, [])])
        for name, by_document in records.items():
            rows = by_document.get(document_id, [])
            source.records[name] = rows
            source.refers[name] = [mentions(row["data"], document_id) for row in rows]
        sources.append(source)
    return sources


def plan(ids: list[str], documents: int,
         chunk: int = SOURCE_CHUNK) -> Iterator[tuple[list[str], list[tuple[int, int]]]]:
    """For each chunk of source ids, the (copy, index in chunk) pairs to write from it: copy ``c``
    of the document at position ``i`` of the whole source is written when ``c * len(ids) + i <
    documents``, so the set written depends only on ``ids`` and ``documents``."""
    if not ids:
        return
    copies = -(-documents // len(ids))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        pairs = [(c, i) for c in range(copies) for i in range(len(part)) if c * len(ids) + start + i < documents]
        if pairs:
            yield part, pairs


def copy_rows(source: Source, copy: int, days_per_copy: int, run_id: int | None,
              now: str) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """The new id and the rows of one copy, by table name."""
    old = source.document["id"]
    new = copy_id(old, copy)
    days = (copy + 1) * days_per_copy
    document = {**source.document, "id": new, "published": shift_date(source.document["published"], days),
                "near_duplicate_of": None, "similarity": None, "added_at": now}
    rows: dict[str, list[dict[str, Any]]] = {"documents": [document]}
    rows["appearances"] = [{**{k: v for k, v in a.items() if k != "id"}, "document_id": new,
                            "published": shift_date(a["published"], days), "run_id": run_id, "seen_at": now}
                           for a in source.appearances]
    rows["document_lines"] = [{"document_id": new, "line": line} for line in source.lines]
    for name, records in source.records.items():
        rows[name] = [{**r, "document_id": new, "data": retarget(r["data"], old, new) if refers else r["data"]}
                      for r, refers in zip(records, source.refers[name])]
    return new, rows


def existing_ids(conn: Connection, ids: list[str]) -> set[str]:
    d = schema.documents
    found: set[str] = set()
    for i in range(0, len(ids), IDS_PER_QUERY):
        found.update(conn.execute(select(d.c.id).where(d.c.id.in_(ids[i:i + IDS_PER_QUERY]))).scalars())
    return found


def write_batch(conn: Connection, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert one batch of copies (inside the caller's transaction): documents first (the other
    tables refer to them), then every other table, the text index and the pending-picture marks."""
    tables = {"documents": schema.documents, "appearances": schema.appearances,
              "document_lines": schema.document_lines, **schema.record_tables()}
    for name, table in tables.items():
        if rows.get(name):
            conn.execute(insert(table), rows[name])
    for document in rows["documents"]:
        search.index_document(conn, document["id"], document["title"] or "", document["text"])
    pending = schema.metadata.tables.get("picture_pending")
    if pending is not None:  # the documents whose part of the derived picture is not yet updated
        marks = [{"document_id": d["id"], **({"stamp": d["added_at"]} if "stamp" in pending.c else {})}
                 for d in rows["documents"]]
        conn.execute(insert(pending), marks)


def copy_boilerplate(source: Store, target: Store) -> int:
    """Replace the target's boilerplate lines by the source's (their report counts as there);
    returns how many there are."""
    found = source.boilerplate()
    with target.engine.begin() as conn:
        conn.execute(delete(schema.boilerplate_lines))
        if found:
            conn.execute(insert(schema.boilerplate_lines), [{"line": k, "documents": v} for k, v in found.items()])
    return len(found)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _progress_line(counts: dict[str, int], total: int, started: float) -> str:
    done = counts["seen"]
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    left = f", {(total - done) / rate / 60:.1f} min left" if rate else ""
    return (f"grow_store: {done:,}/{total:,} documents ({counts['added']:,} added, {counts['duplicates']:,} "
            f"already there), {rate:,.0f} docs/s{left}")


def grow(source_url: str, target_url: str, documents: int, *, batch: int = 2000, days_per_copy: int = 1,
         boilerplate: str = "source", progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Fill the target store with ``documents`` copies of the source store's documents; returns
    how many were added and how many were there already, the seconds taken and the boilerplate
    lines the target ends with (``boilerplate``: "refresh" recomputes them, "source" copies the
    source's)."""
    if boilerplate not in ("refresh", "source"):
        raise ValueError(f"boilerplate is refresh or source, not {boilerplate!r}")
    if normalize_url(source_url) == normalize_url(target_url):
        raise ValueError("--from and --to are one store: the copies would be copied again on a re-run")
    source, target = open_store(source_url), open_store(target_url)
    try:
        ids = source_ids(source)
        if not ids:
            raise ValueError(f"the source store {source_url} holds no documents")
        run_id = target.start_run(f"grow_store --from {source_url} --documents {documents}")
        counts = {"seen": 0, "added": 0, "duplicates": 0}
        started = time.perf_counter()

        def report() -> None:
            if progress:
                progress(_progress_line(counts, documents, started))

        try:
            for part, pairs in plan(ids, documents):
                _copy_chunk(source, target, part, pairs, batch=batch, days_per_copy=days_per_copy, run_id=run_id,
                            counts=counts, report=report)
            lines = target.refresh_boilerplate() if boilerplate == "refresh" else copy_boilerplate(source, target)
        except BaseException as error:  # the run says why it stopped; what was written stays
            target.fail_run(run_id, f"{type(error).__name__}: {error}".splitlines()[0], counts,
                            time.perf_counter() - started)
            raise
        seconds = time.perf_counter() - started
        target.finish_run(run_id, counts, seconds)
        return {"added": counts["added"], "present": counts["duplicates"], "seconds": round(seconds, 1),
                "boilerplate_lines": lines}
    finally:
        source.close()
        target.close()


def _copy_chunk(source: Store, target: Store, part: list[str], pairs: list[tuple[int, int]], *, batch: int,
                days_per_copy: int, run_id: int, counts: dict[str, int], report: Callable[[], None]) -> None:
    """Write the copies ``pairs`` of the source documents ``part``, ``batch`` documents a
    transaction, skipping those the target has; ``counts`` keeps the run's tally."""
    by_id = {s.document["id"]: s for s in read_sources(source, part)}
    for start in range(0, len(pairs), batch):
        wanted = [(c, part[i]) for c, i in pairs[start:start + batch] if part[i] in by_id]
        now = _now()
        with target.engine.begin() as conn:
            there = existing_ids(conn, [copy_id(sid, c) for c, sid in wanted])
            rows: dict[str, list[dict[str, Any]]] = {}
            for c, sid in wanted:
                if copy_id(sid, c) not in there:
                    for name, values in copy_rows(by_id[sid], c, days_per_copy, run_id, now)[1].items():
                        rows.setdefault(name, []).extend(values)
            if rows:
                write_batch(conn, rows)
        counts["seen"] += len(wanted)
        counts["added"] += len(wanted) - len(there)
        counts["duplicates"] += len(there)
        report()


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - run by hand
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", required=True, help="store URL of the real source store")
    parser.add_argument("--to", dest="target", required=True, help="store URL to fill (SQLite or PostgreSQL)")
    parser.add_argument("--documents", type=int, required=True, help="how many copies the target should hold")
    parser.add_argument("--batch", type=int, default=2000, help="documents per transaction")
    parser.add_argument("--days-per-copy", type=int, default=1, help="how far each copy's date moves")
    parser.add_argument("--boilerplate", choices=("refresh", "source"), default="source",
                        help="recompute the boilerplate lines (as after an ingest) or copy the source's")
    args = parser.parse_args(argv)
    result = grow(args.source, args.target, args.documents, batch=args.batch, days_per_copy=args.days_per_copy,
                  boilerplate=args.boilerplate, progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps(result))


if __name__ == "__main__":  # pragma: no cover
    main()
