"""Store-write throughput as the store grows: does a save into a store of 50,000 documents cost
more than a save into an empty one? (Issue 14: within 20 %.)

Documents are generated (350 words from a 20,000-word vocabulary, each with one entity and
one figure record) and saved as ``sitroom ingest`` saves them (``Store.save_extraction``,
one transaction each, full-text index included). Every ``every`` documents, ``sample`` saves
into the growing store are timed against ``sample`` saves into a fresh empty store, in
alternating blocks of 25, so that the load of a shared machine falls on both alike; the
figure is the ratio of their median save times. The parse is left out: it does not depend
on the store's size.

    python -m sitroom.bench.store_growth --documents 50000 --every 5000 [--db-dir /tmp]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sitroom.model import Document, Entity, Extraction, Quantity, Span
from sitroom.store import Store, open_store

BLOCK = 25


class _Writer:
    """Generated documents, saved and timed."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.words = [f"w{i}" for i in range(20_000)]
        self.made = 0

    def document(self) -> Extraction:
        self.made += 1
        body = "Officials in Kyiv said 3,000 soldiers arrived. " + " ".join(self.rng.choices(self.words, k=350)) + "."
        document = Document(id=uuid.UUID(int=self.rng.getrandbits(128)).hex, text=body, title=f"Report {self.made}",
                            published="2024-10-24", source="Generated Wire", language="en")
        kyiv = Entity(id="e1", name="Kyiv", type="GPE", mentions=[Span("Kyiv", 13, 17)], country_code="UA")
        figure = Quantity(text="3,000 soldiers", start=23, end=37, value=3000.0, counts="soldier", bound="exact")
        return Extraction(document=document, entities=[kyiv], quantities=[figure])

    def save(self, store: Store) -> float:
        found = self.document()
        started = time.perf_counter()
        store.save_extraction(found, location=found.document.id, replace=True)
        return time.perf_counter() - started


def run(documents: int, every: int, sample: int, folder: Path) -> list[dict[str, float]]:
    """One row per ``every`` documents: the store's size, docs/s into it and into an empty store."""
    writer = _Writer()
    grown = open_store(f"sqlite:///{folder / 'grown.db'}")
    rows = []
    size = 0
    while size < documents:
        for _ in range(every - sample):
            writer.save(grown)
        empty = open_store(f"sqlite:///{folder / f'empty-{size}.db'}")
        into_grown: list[float] = []
        into_empty: list[float] = []
        for _ in range(sample // BLOCK):
            into_grown += [writer.save(grown) for _ in range(BLOCK)]
            into_empty += [writer.save(empty) for _ in range(BLOCK)]
        empty.close()
        (folder / f"empty-{size}.db").unlink()
        size += every
        grown_rate, empty_rate = 1 / statistics.median(into_grown), 1 / statistics.median(into_empty)
        row = {"documents": size, "docs_per_s": round(grown_rate, 1), "empty_docs_per_s": round(empty_rate, 1),
               "ratio": round(grown_rate / empty_rate, 3)}
        print(json.dumps(row), flush=True)
        rows.append(row)
    grown.close()
    return rows


def main() -> None:  # pragma: no cover - run by hand
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--every", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=500, help="timed saves into each store per row")
    parser.add_argument("--db-dir", default=None, help="folder for the two stores (default: a temporary one)")
    args = parser.parse_args()
    if args.db_dir:
        run(args.documents, args.every, args.sample, Path(args.db_dir))
        return
    with tempfile.TemporaryDirectory() as folder:
        run(args.documents, args.every, args.sample, Path(folder))


if __name__ == "__main__":  # pragma: no cover
    main()
