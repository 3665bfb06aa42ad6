"""The picture's cache while another process writes the store: a costly part is served as it
was while one background thread recomputes it, a quick one is recomputed while the reader
waits, a correction is seen at once, and an ingest that never stops gets the CPU (a part is
recomputed at most once every REFRESH_RATIO times its cost). Real SQLite stores; the parts'
computations are small functions of the store that take a known time."""

from __future__ import annotations

import threading
import time

import pytest

from sitroom.model import Document, Extraction
from sitroom.picture import Picture
from sitroom.picture.cache import MAX_ASKED_PARTS, REFRESH_RATIO, PictureCache
from sitroom.store import open_store

COST = 0.3  # seconds each computation of the costly part takes


def _add(store, number: int) -> None:
    text = f"Report {number}: the mayor of Lviv said the bridge number {number} was closed."
    store.save_extraction(Extraction(document=Document(id=f"doc{number:013d}", text=text, title=f"Report {number}",
                                                       published="2024-05-14", source="Test", language="en")),
                          location=f"r{number}.txt")


@pytest.fixture()
def stores(tmp_path):
    """The reader's store and a writer's (another connection to the same file, as another process)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    reader, writer = open_store(url), open_store(url)
    yield reader, writer
    reader.close()
    writer.close()


def _costly(store, calls: list[int]):
    def compute() -> int:
        calls.append(store.count_documents())
        time.sleep(COST)
        return calls[-1]

    return compute


def _wait_for_refresh(cache: PictureCache, limit: float = 10) -> None:
    ends = time.monotonic() + limit
    while cache.refreshing() and time.monotonic() < ends:
        time.sleep(0.02)
    assert not cache.refreshing()


def test_a_costly_part_is_served_at_once_while_one_thread_recomputes_it(stores):
    reader, writer = stores
    cache, calls = PictureCache(reader, recheck_seconds=0, wait_seconds=0.05), []
    compute = _costly(reader, calls)
    assert cache.get("count", compute) == 0  # nothing to show yet: the first reader waits
    _add(writer, 1)
    time.sleep(REFRESH_RATIO * COST)  # the part is due for a refresh
    answers, waits = [], []

    def read() -> None:
        started = time.monotonic()
        answers.append(cache.get("count", compute))
        waits.append(time.monotonic() - started)

    readers = [threading.Thread(target=read) for _ in range(8)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert answers == [0] * 8 and max(waits) < COST / 2  # no reader waited for the recomputation
    _wait_for_refresh(cache)
    assert cache.get("count", compute) == 1
    assert calls == [0, 1]  # one background recomputation for eight readers


def test_a_quick_part_is_recomputed_while_the_reader_waits(stores):
    reader, writer = stores
    cache = PictureCache(reader, recheck_seconds=0)
    assert cache.get("count", reader.count_documents) == 0
    _add(writer, 1)
    assert cache.get("count", reader.count_documents) == 1 and not cache.refreshing()


def test_a_correction_is_seen_at_once_even_in_a_costly_part(stores):
    reader, writer = stores
    cache, calls = PictureCache(reader, recheck_seconds=0, wait_seconds=0.05), []
    compute = _costly(reader, calls)
    assert cache.get("count", compute) == 0
    _add(reader, 1)
    cache.invalidate()  # what Picture.correct does after writing the correction
    assert cache.get("count", compute) == 1 and calls == [0, 1]


def test_an_ingest_that_never_stops_keeps_the_cpu(stores):
    """The store changes every 50 ms for 3 s while a reader asks all the time: the costly part is
    recomputed about once every REFRESH_RATIO times its cost, not on every change, and no
    answer waits for it."""
    reader, writer = stores
    cache, calls = PictureCache(reader, recheck_seconds=0, wait_seconds=0.05), []
    compute = _costly(reader, calls)
    cache.get("count", compute)
    stop = threading.Event()

    def ingest() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            _add(writer, number)
            time.sleep(0.05)

    thread = threading.Thread(target=ingest)
    thread.start()
    started, slowest, seen = time.monotonic(), 0.0, []
    try:
        while time.monotonic() - started < 3:
            asked = time.monotonic()
            seen.append(cache.get("count", compute))
            slowest = max(slowest, time.monotonic() - asked)
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    _wait_for_refresh(cache)
    assert slowest < COST / 2
    assert 2 <= len(calls) <= 3 / (REFRESH_RATIO * COST) + 2, calls
    assert seen == sorted(seen) and seen[-1] > 0  # the picture moved forward, never back


def test_claim_clusters_are_kept_per_filter(stores, seed_extraction):
    reader, _ = stores
    reader.save_extraction(seed_extraction, location="seed.txt")
    picture = Picture(reader)
    every = picture.claim_clusters(limit=5)  # every cluster: paged from the picture's tables, nothing kept
    assert every["total"] > 0 and not [n for n in picture.cache.computed() if n.startswith("claim-clusters:")]
    first = picture.claim_clusters(limit=5, q="Korea")
    assert first["total"] > 0
    kept = {name for name in picture.cache.computed() if name.startswith("claim-clusters:")}
    assert len(kept) == 1
    assert picture.claim_clusters(limit=5, q="Korea") == first  # answered from the kept part
    assert picture.claim_clusters(limit=5, offset=5)["items"] == picture.claim_clusters(limit=10)["items"][5:]
    for word in ("troops", "Russia", "said", "soldiers", "Ukraine", "war", "Kirby", "Austin", "NATO"):
        picture.claim_clusters(q=word)
    assert len([n for n in picture.cache.computed() if n.startswith("claim-clusters:")]) == MAX_ASKED_PARTS
    assert {"picture"} <= picture.cache.computed()  # the named parts are never dropped for them
