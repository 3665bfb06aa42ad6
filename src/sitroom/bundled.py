"""Fill a store with the bundled examples (the seed article and the VOA stories).

Used by the tests and by ``sitroom serve --examples`` (which ``make run`` calls). It reads the files with the ingest
readers and stores them through the same batch as ``sitroom ingest``; the only thing it adds
is the examples' own metadata, which the files do not carry (examples/README.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

from sitroom import settings
from sitroom.ingest import Incoming, Skipped, read_inputs
from sitroom.store import Store

if TYPE_CHECKING:
    from sitroom.batch import ProgressCallback

SEED_NAME = "north-korean-troops-in-russia.txt"
SEED_PUBLISHED = "2024-10-24"  # the seed has no dateline: its events are those of 2024-10-23
SEED_TITLE = "North Korean troops in Russia"  # the plain-text file has no headline
VOA_SOURCE = "Voice of America"  # the credit the VOA stories ask for


def example_items(limit: int | None = None) -> Iterator[Incoming | Skipped]:
    """The seed, then the first ``limit`` VOA stories (all of them when ``limit`` is None)."""
    folder = settings.examples_dir()
    yield from read_inputs([str(folder / SEED_NAME)], published=SEED_PUBLISHED, title=SEED_TITLE)
    yield from islice(read_inputs([str(folder / "voa_stories.jsonl")], source=VOA_SOURCE), limit)


def load_examples(store: Store, limit: int | None = None, on_progress: "ProgressCallback | None" = None) -> int:
    """Extract and save the examples; returns how many documents were added."""
    from sitroom.batch import ingest_items

    return ingest_items(example_items(limit), store, command="examples", on_progress=on_progress).added
