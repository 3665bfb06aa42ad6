"""Ingest a batch: read inputs, extract, store — with duplicates, failures and progress accounted for.

This is the one place where ingest, nlp and store meet; each of them stays ignorant of the
others. After the documents are stored it has the picture's tables brought up to date
(``picture.maintain.update``), which reads what the store now holds. Re-running the same batch adds nothing: a document already stored (same id, from its
normalized text) only gains an appearance. ``force`` re-extracts and replaces a document's
rows, each document in its own transaction.

A document that cannot be stored is reported and the run goes on. When the store itself fails
under the run (locked, read-only, full disk, connection lost), the run is marked failed with
the reason (where the store still takes that) and ``StoreError`` is raised; likewise
``ClusterError`` when a Dask cluster that parses for the run goes away.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitroom.cluster import ClusterError
from sitroom.ingest import Incoming, NearDuplicateIndex, Skipped, read_inputs
from sitroom.model import Document
from sitroom.nlp.pipeline import DEFAULT_BATCH_SIZE, ParseLimits, extract_documents
from sitroom.picture import maintain
from sitroom.store import Store, StoreError, store_failed

if TYPE_CHECKING:
    from distributed import Client


@dataclass
class IngestReport:
    """What one ``ingest`` run did; ``failures`` lists (location, reason) for every skipped input."""

    run_id: int
    seen: int = 0
    added: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    replaced: int = 0
    failed: int = 0
    seconds: float = 0.0
    picture_seconds: float = 0.0  # spent bringing the picture's tables up to date (picture/maintain.py)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    # file -> {"read", "stored", "known", "skipped"}: the records of each file and what became of them
    files: dict[str, dict[str, int]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {"seen": self.seen, "added": self.added, "duplicates": self.duplicates,
                "near_duplicates": self.near_duplicates, "replaced": self.replaced, "failed": self.failed}

    def count_file(self, file: str | None, outcome: str) -> None:
        """One record of ``file``: read, and "stored", "known" (already stored) or "skipped"."""
        if file is None:
            return
        tally = self.files.setdefault(file, {"read": 0, "stored": 0, "known": 0, "skipped": 0})
        tally["read"] += 1
        tally[outcome] += 1

    def note_files(self) -> None:
        """A note for each file of several records of which some were skipped: how many were
        read, stored and skipped, so that no record is lost without a word."""
        for file, tally in self.files.items():
            if tally["skipped"] and tally["read"] > 1:
                self.notes.append((file, f"{tally['read']:,} records read: {tally['stored']:,} stored, "
                                         f"{tally['known']:,} already stored, {tally['skipped']:,} skipped or failed"))


# A long run updates the picture every this many stored documents, so that a reader of the store
# (``sitroom serve`` beside it) sees them before the run ends.
PICTURE_EVERY = 1000

# Called after each input item with the report so far (for progress bars).
ProgressCallback = Callable[[IngestReport], None]


@dataclass
class _Pending:
    incoming: Incoming
    signature: bytes
    near: tuple[str, float] | None
    replacing: bool


def ingest(
    paths: Sequence[str],
    store: Store,
    *,
    published: str | None = None,
    source: str | None = None,
    title: str | None = None,
    field_map: dict[str, str] | None = None,
    force: bool = False,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    command: str = "ingest",
    on_progress: ProgressCallback | None = None,
    limits: ParseLimits | None = None,
    cluster: "Client | None" = None,
) -> IngestReport:
    """Read ``paths``, extract every new document and store it; report everything skipped.

    ``limits`` bound what one document may cost the parser (default: ``ParseLimits.from_environment()``).
    With a Dask ``cluster`` (``sitroom.cluster.connect``) its workers parse and extract; this
    process still reads, deduplicates and writes the store.
    """
    items = read_inputs(paths, published=published, source=source, title=title, field_map=field_map)
    return ingest_items(items, store, force=force, workers=workers, batch_size=batch_size, command=command,
                        on_progress=on_progress, limits=limits, cluster=cluster)


def ingest_items(
    items: Iterable[Incoming | Skipped],
    store: Store,
    *,
    force: bool = False,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    command: str = "ingest",
    on_progress: ProgressCallback | None = None,
    limits: ParseLimits | None = None,
    cluster: "Client | None" = None,
) -> IngestReport:
    """Extract and store what a reader yielded (``ingest`` without the reading).

    Raises ``StoreError`` when the store fails under the run, ``ClusterError`` when the cluster
    does (the run is then marked failed with the reason, where the store still takes it)."""
    started = time.perf_counter()
    with store.errors_as_store_error():
        report = IngestReport(run_id=store.start_run(command))
    try:
        with store.errors_as_store_error():
            _run(items, store, report, force=force, workers=workers, batch_size=batch_size,
                 on_progress=on_progress, limits=limits, cluster=cluster)
    except (StoreError, ClusterError) as error:
        report.seconds = time.perf_counter() - started
        marked = store.fail_run(report.run_id, str(error), report.counts(), report.seconds)
        raise type(error)(f"{error}; run {report.run_id} stopped after {report.added + report.replaced} documents "
                          f"were stored ({'marked failed' if marked else 'left unfinished: the store took no more'})"
                          ) from error
    report.note_files()
    report.seconds = time.perf_counter() - started
    with store.errors_as_store_error():
        store.finish_run(report.run_id, report.counts(), report.seconds)
    return report


def _run(items: Iterable[Incoming | Skipped], store: Store, report: IngestReport, *, force: bool, workers: int,
         batch_size: int, on_progress: ProgressCallback | None, limits: ParseLimits | None,
         cluster: "Client | None" = None) -> None:
    """The run itself: each item reported, parsed, stored or added as an appearance."""
    index = NearDuplicateIndex()
    index.load(store.minhash_signatures())
    pending: dict[str, _Pending] = {}
    done_this_run: set[str] = set()
    later_appearances: list[Incoming] = []

    def fail(location: str, reason: str, file: str | None = None) -> None:
        report.failed += 1
        report.failures.append((location, reason))
        report.count_file(file, "skipped")
        store.record_failure(report.run_id, location, reason)  # when this fails too, the store is unusable

    def progress() -> None:
        if on_progress:
            on_progress(report)

    def new_documents() -> Iterator[Document]:
        for item in items:
            if isinstance(item, Skipped):
                fail(item.location, item.reason, item.file)
                progress()
                continue
            report.seen += 1
            report.notes.extend((item.location, note) for note in item.notes)
            document = item.document
            if document.id in pending or document.id in done_this_run:
                report.duplicates += 1
                report.count_file(item.file, "known")
                later_appearances.append(item)
                progress()
                continue
            stored = store.has_document(document.id)
            if stored and not force:
                report.duplicates += 1
                report.count_file(item.file, "known")
                store.add_appearance(document, item.location, run_id=report.run_id)
                progress()
                continue
            signature = index.signature(document.text)
            near = index.find(signature)
            if near and near[0] == document.id:
                near = None
            if not stored:
                index.add(document.id, signature)
            pending[document.id] = _Pending(item, signature, near, replacing=stored)
            yield document

    for found in extract_documents(new_documents(), workers=workers, batch_size=batch_size, limits=limits,
                                   cluster=cluster):
        entry = pending.pop(found.document.id)
        done_this_run.add(found.document.id)
        file = entry.incoming.file
        if found.error:
            fail(entry.incoming.location, found.error, file)
        else:
            try:
                written = store.save_extraction(
                    found, location=entry.incoming.location, minhash=entry.signature,
                    near_duplicate_of=entry.near[0] if entry.near else None,
                    similarity=entry.near[1] if entry.near else None, run_id=report.run_id, replace=entry.replacing)
            except Exception as error:  # noqa: BLE001 - the transaction rolled back; report and go on
                if store_failed(error):
                    raise  # the store, not this document: no other document could be stored either
                fail(entry.incoming.location, f"could not store: {type(error).__name__}: {_first_line(error)}", file)
            else:
                if not written:  # another process stored it first; this copy was added as an appearance
                    report.duplicates += 1
                    report.count_file(file, "known")
                else:
                    report.replaced += entry.replacing
                    report.added += not entry.replacing
                    report.near_duplicates += entry.near is not None
                    report.count_file(file, "stored")
                    if (report.added + report.replaced) % PICTURE_EVERY == 0:
                        report.picture_seconds += maintain.update(store).seconds
        progress()

    for item in later_appearances:
        if store.has_document(item.document.id):
            store.add_appearance(item.document, item.location, run_id=report.run_id)
    if report.added or report.replaced:
        store.refresh_boilerplate()
        report.picture_seconds += maintain.update(store).seconds


def _first_line(error: BaseException) -> str:
    """A database error's own message, without the SQL and links SQLAlchemy appends."""
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return lines[0] if lines else ""
