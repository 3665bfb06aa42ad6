"""``sitroom bench``: the full ingest path against bare spaCy parsing, same documents, same workers.

Both runs use the same model, already loaded (with sitroom's gazetteers and libraries: start-up
is not throughput), the same batch size and the same number of processes. sitroom's run reads the documents from a JSONL file through the ingest readers,
extracts everything and writes a fresh SQLite store; spaCy's run only parses the same texts.
With ``cluster`` sitroom parses on a Dask cluster (``sitroom.cluster``), started and with the
model loaded on every worker before the clock starts, and spaCy gets as many processes as the
cluster has worker threads. Peak memory is sampled over the whole process tree (a local
cluster's workers are in it; a remote cluster's are not), and so is the CPU time each run
took: on a machine shared with other jobs, CPU seconds per document move far less than
documents per second.
"""

from __future__ import annotations

import importlib
import json
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil

from sitroom import settings

if TYPE_CHECKING:
    from distributed import Client


def default_corpus() -> Path:
    """Reuters-21578 from the shared data when present, else the bundled VOA stories."""
    reuters = settings.shared_dir() / "corpus" / "reuters-21578"
    return reuters if reuters.is_dir() else settings.examples_dir() / "voa_stories.jsonl"


class PeakMemory:
    """Samples the resident memory of this process and its children in a background thread."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_bytes = max(self.peak_bytes, self._sample())


def tree_cpu_seconds() -> float:
    """User and system CPU seconds of this process, its live descendants and the children each
    has waited for; the difference over a run is the run's CPU time, wherever it ran on this machine."""
    me = psutil.Process()
    total = 0.0
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def _own_cpu_seconds() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


def sample_documents(corpus: Path, count: int) -> Iterator[dict[str, Any]]:
    """The first ``count`` distinct English documents of ``corpus``, as JSONL records."""
    from sitroom.ingest import Incoming, read_inputs

    seen: set[str] = set()
    items = (i for i in read_inputs([str(corpus)]) if isinstance(i, Incoming))
    for item in items:
        d = item.document
        if d.id in seen or d.language not in (None, "en"):
            continue
        seen.add(d.id)
        yield {"text": d.text, "title": d.title, "url": d.url, "published": d.published, "source": d.source}
        if len(seen) >= count:
            return


def _bare_spacy(path: Path, workers: int, batch_size: int) -> float:
    from sitroom.nlp.pipeline import load_nlp

    nlp = load_nlp()
    started = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        texts = (json.loads(line)["text"] for line in handle)
        for _ in nlp.pipe(texts, batch_size=batch_size, n_process=workers):
            pass
    return time.perf_counter() - started


def _full_ingest(path: Path, folder: Path, workers: int, batch_size: int,
                 client: "Client | None" = None) -> tuple[float, int]:
    from sitroom.batch import ingest
    from sitroom.store import open_store

    store = open_store(f"sqlite:///{folder / 'bench.db'}")
    started = time.perf_counter()
    report = ingest([str(path)], store, workers=1 if client else workers, batch_size=batch_size, command="bench",
                    cluster=client)
    seconds = time.perf_counter() - started
    store.close()
    return seconds, report.added


def _warm_up() -> None:
    """Pay before the clock what only a process's first document pays, as the model's load is:
    the ingest path's modules (the store, the batch runner and, through ``sitroom.cluster``,
    Dask's client), the MinHash library (imported by the first signature, not by
    ``NearDuplicateIndex()``) and the extractors' modules and tables (read on their first
    document; a Dask worker warms them the same way, ``sitroom.cluster.ModelLoader``)."""
    from sitroom.cluster import WARM_UP
    from sitroom.ingest import NearDuplicateIndex
    from sitroom.nlp.pipeline import extract_documents

    importlib.import_module("sitroom.batch")
    NearDuplicateIndex().signature(WARM_UP.text)
    list(extract_documents([WARM_UP]))


def run_bench(docs: int = 400, workers: int = 1, batch_size: int = settings.DEFAULT_BATCH_SIZE, corpus: Path | None = None,
              cluster: str | None = None) -> dict[str, Any]:
    from sitroom.nlp.pipeline import prepare

    corpus = corpus or default_corpus()
    if not corpus.exists():
        raise OSError(f"no corpus at {corpus}")
    prepare()
    _warm_up()
    with tempfile.TemporaryDirectory(prefix="sitroom-bench-") as tmp:
        folder = Path(tmp)
        sample = folder / "sample.jsonl"
        with sample.open("w", encoding="utf-8") as handle:
            written = sum(1 for record in islice(sample_documents(corpus, docs), docs)
                          if handle.write(json.dumps(record, ensure_ascii=False) + "\n"))
        if written == 0:
            raise ValueError(f"no English documents read from {corpus}")
        with ExitStack() as stack:
            client = None
            if cluster:
                from sitroom.cluster import connect

                client = stack.enter_context(connect(cluster))
                workers = sum(client.nthreads().values())
            with PeakMemory() as memory:
                cpu = tree_cpu_seconds()
                spacy_seconds = _bare_spacy(sample, workers, batch_size)
                spacy_cpu, cpu, own = tree_cpu_seconds() - cpu, tree_cpu_seconds(), _own_cpu_seconds()
                sitroom_seconds, stored = _full_ingest(sample, folder, workers, batch_size, client)
                sitroom_cpu, sitroom_own_cpu = tree_cpu_seconds() - cpu, _own_cpu_seconds() - own
    sitroom_rate = stored / sitroom_seconds
    spacy_rate = written / spacy_seconds
    return {
        "docs": written,
        "stored": stored,
        "workers": workers,
        "cluster": cluster,
        "batch_size": batch_size,
        "corpus": str(corpus),
        "sitroom_docs_per_s": round(sitroom_rate, 2),
        "spacy_docs_per_s": round(spacy_rate, 2),
        "ratio": round(sitroom_rate / spacy_rate, 3),
        "spacy_cpu_ms_per_doc": round(1000 * spacy_cpu / written, 1),
        "sitroom_cpu_ms_per_doc": round(1000 * sitroom_cpu / max(stored, 1), 1),
        "cpu_ratio": round((spacy_cpu / written) / (sitroom_cpu / max(stored, 1)), 3) if sitroom_cpu else None,
        # the ingesting process alone (reading, near-duplicates, store writes; with workers or a
        # cluster, also handing batches out): the one writer's share, what caps how many workers it can feed
        "writer_cpu_ms_per_doc": round(1000 * sitroom_own_cpu / max(stored, 1), 1),
        "peak_rss_mb": round(memory.peak_bytes / 2**20, 1),
    }
