"""Ingest a batch: read inputs, extract, store — with duplicates, failures and progress accounted for.

This is the one place where ingest, nlp and store meet; each of them stays ignorant of the
others. Re-running the same batch adds nothing: a document already stored (same id, from its
normalized text) only gains an appearance. ``force`` re-extracts and replaces a document's
rows, each document in its own transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sitroom.ingest import Incoming, NearDuplicateIndex, Skipped, read_inputs
from sitroom.model import Document
from sitroom.nlp.pipeline import DEFAULT_BATCH_SIZE, extract_documents
from sitroom.store import Store


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
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"seen": self.seen, "added": self.added, "duplicates": self.duplicates,
                "near_duplicates": self.near_duplicates, "replaced": self.replaced, "failed": self.failed}


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
) -> IngestReport:
    """Read ``paths``, extract every new document and store it; report everything skipped."""
    items = read_inputs(paths, published=published, source=source, title=title, field_map=field_map)
    return ingest_items(items, store, force=force, workers=workers, batch_size=batch_size, command=command,
                        on_progress=on_progress)


def ingest_items(
    items: Iterable[Incoming | Skipped],
    store: Store,
    *,
    force: bool = False,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    command: str = "ingest",
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Extract and store what a reader yielded (``ingest`` without the reading)."""
    started = time.perf_counter()
    report = IngestReport(run_id=store.start_run(command))
    index = NearDuplicateIndex()
    index.load(store.minhash_signatures())
    pending: dict[str, _Pending] = {}
    done_this_run: set[str] = set()
    later_appearances: list[Incoming] = []

    def fail(location: str, reason: str) -> None:
        report.failed += 1
        report.failures.append((location, reason))
        store.record_failure(report.run_id, location, reason)

    def progress() -> None:
        if on_progress:
            on_progress(report)

    def new_documents() -> Iterator[Document]:
        for item in items:
            if isinstance(item, Skipped):
                fail(item.location, item.reason)
                progress()
                continue
            report.seen += 1
            report.notes.extend((item.location, note) for note in item.notes)
            document = item.document
            if document.id in pending or document.id in done_this_run:
                report.duplicates += 1
                later_appearances.append(item)
                progress()
                continue
            stored = store.has_document(document.id)
            if stored and not force:
                report.duplicates += 1
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

    for found in extract_documents(new_documents(), workers=workers, batch_size=batch_size):
        entry = pending.pop(found.document.id)
        done_this_run.add(found.document.id)
        if found.error:
            fail(entry.incoming.location, found.error)
        else:
            try:
                store.save_extraction(found, location=entry.incoming.location, minhash=entry.signature,
                                      near_duplicate_of=entry.near[0] if entry.near else None,
                                      similarity=entry.near[1] if entry.near else None, run_id=report.run_id,
                                      replace=entry.replacing)
            except Exception as error:  # noqa: BLE001 - the transaction rolled back; report and go on
                fail(entry.incoming.location, f"could not store: {type(error).__name__}: {error}")
            else:
                report.replaced += entry.replacing
                report.added += not entry.replacing
                report.near_duplicates += entry.near is not None
        progress()

    for item in later_appearances:
        if store.has_document(item.document.id):
            store.add_appearance(item.document, item.location, run_id=report.run_id)
    if report.added or report.replaced:
        store.refresh_boilerplate()
    report.seconds = time.perf_counter() - started
    store.finish_run(report.run_id, report.counts(), report.seconds)
    return report
