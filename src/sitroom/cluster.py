"""Parse and extract on a Dask cluster: the ingest's parsing spread over many processes or machines.

Only parsing and extraction, the costly part, leave the ingesting process. It still reads the
inputs, tells known documents and near-duplicates apart and writes the store, so ids,
appearances and near-duplicate links are decided in one place, as in a local run, and a
store needs to be reachable from that process alone (one writer, for SQLite and PostgreSQL).
Workers get batches of documents and send back ``Extraction`` records.

Faults lose nothing. A worker writes nothing, so a worker that dies mid-batch leaves nothing
half-written: the scheduler runs its batch again on another worker. A batch that keeps killing
its workers (``distributed.scheduler.allowed-failures``, 3 by default) is split, and each of its
documents runs alone: the one that kills workers fails alone, with the reason. A scheduler
that cannot be reached, goes away, or is left without workers while work waits (each for
``SITROOM_CLUSTER_TIMEOUT`` seconds) raises ``ClusterError`` (one line); what was stored
stays stored, and the same command run again skips it.

Each worker loads the model once (``ModelLoader``), parses one batch at a time and runs it
under the same per-document ``ParseLimits`` as a local run: Dask runs tasks in threads, so the
budgets there are enforced by ``allow_thread_budgets`` (see ``sitroom.ingest.budget``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from sitroom.model import Document, Extraction

if TYPE_CHECKING:
    from distributed import Client

    from sitroom.nlp.pipeline import ParseLimits

log = logging.getLogger(__name__)

# Seconds to wait for a scheduler to answer, and for its first worker (SITROOM_CLUSTER_TIMEOUT).
DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "SITROOM_CLUSTER_TIMEOUT"


class ClusterError(RuntimeError):
    """The cluster cannot be used: no scheduler answers, it has no workers, or it went away. One line."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where parsing runs: a scheduler's ``address``, or (address None) a local cluster of
    ``local_workers`` processes bound to 127.0.0.1."""

    address: str | None = None
    local_workers: int = 1

    @classmethod
    def parse(cls, text: str) -> "ClusterSpec":
        """``local``, ``local:N``, ``tcp://HOST:PORT`` or ``tls://HOST:PORT``; ``ValueError`` otherwise."""
        value = text.strip()
        if value == "local":
            return cls(local_workers=os.cpu_count() or 1)
        if value.startswith("local:"):
            count = value.removeprefix("local:")
            if not count.isdigit() or int(count) < 1:
                raise ValueError(f"--cluster {text!r}: local:N needs a number of workers of at least 1")
            return cls(local_workers=int(count))
        scheme, _, rest = value.partition("://")
        host, _, port = rest.rpartition(":")
        if scheme not in ("tcp", "tls") or not host or not port.isdigit():
            raise ValueError(f"--cluster {text!r}: expected tcp://HOST:PORT (a Dask scheduler) or local[:N]")
        return cls(address=value)

    def __str__(self) -> str:
        return self.address or f"local:{self.local_workers}"


def timeout_from_environment() -> float:
    """``SITROOM_CLUSTER_TIMEOUT`` seconds, else ``DEFAULT_TIMEOUT``."""
    value = os.environ.get(TIMEOUT_ENV)
    try:
        return float(value) if value else DEFAULT_TIMEOUT
    except ValueError:
        raise ValueError(f"{TIMEOUT_ENV}={value!r} is not a number of seconds") from None


@contextmanager
def connect(spec: ClusterSpec | str, *, model: str | None = None, timeout: float | None = None) -> Iterator["Client"]:
    """A Dask client whose workers have the model loaded; a local cluster is started and stopped
    with it. ``ClusterError`` when no scheduler answers or none of its workers shows up within
    ``timeout`` seconds."""
    spec = ClusterSpec.parse(spec) if isinstance(spec, str) else spec
    timeout = timeout if timeout is not None else timeout_from_environment()
    with _quiet_logs():
        yield from _connect(spec, model=model, timeout=timeout)


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """Dask's own log lines (reconnection tracebacks, a worker's death) off the terminal: what
    matters to the run comes back as a document's failure or as one ``ClusterError``."""
    # Dask's configuration gives some of its loggers levels of their own ("distributed.client"):
    # each one is set, and the loggers made later inherit from "distributed".
    names = ["distributed", *(name for name in logging.root.manager.loggerDict if name.startswith("distributed."))]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _connect(spec: ClusterSpec, *, model: str | None, timeout: float) -> Iterator["Client"]:
    from distributed import Client, LocalCluster

    from sitroom import settings

    cluster = None
    if spec.address is None:
        try:
            # Nothing reaches the network: scheduler, workers and nannies listen on 127.0.0.1
            # only, on ports the system picks, and no dashboard is started (the scheduler's
            # health and metrics routes would take port 8787; they get a free local port).
            cluster = LocalCluster(n_workers=spec.local_workers, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", scheduler_port=0, dashboard_address=None,
                                   worker_dashboard_address=None, silence_logs=logging.CRITICAL,
                                   scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
            client = Client(cluster, set_as_default=False, timeout=timeout)
        except Exception as error:  # noqa: BLE001 - whatever stopped it, the user gets one line
            if cluster is not None:
                cluster.close()
            raise ClusterError(f"could not start a local Dask cluster of {spec.local_workers} workers: "
                               f"{type(error).__name__}: {_first_line(error)}") from error
    else:
        try:
            client = Client(spec.address, set_as_default=False, timeout=timeout)
        except (OSError, TimeoutError) as error:
            detail = _first_line(error)
            detail = "" if detail.startswith("Timed out") else f": {detail}"
            raise ClusterError(f"no Dask scheduler answered at {spec} within {timeout:g} s{detail}") from error
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as error:
            raise ClusterError(f"the Dask scheduler at {spec} has no workers (waited {timeout:g} s); "
                               f"start some with: dask worker {spec} --nthreads 1") from error
        model = model or settings.model_name()
        try:
            client.register_plugin(ModelLoader(model))
        except Exception as error:  # noqa: BLE001 - a worker without sitroom or the model
            raise ClusterError(f"a Dask worker could not load sitroom's model {model} ({type(error).__name__}: "
                               f"{_first_line(error)}); every worker needs sitroom and its model installed"
                               ) from error
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def describe(client: "Client") -> str:
    """'2 workers at tcp://127.0.0.1:40123', for the line shown before a run."""
    workers = len(client.nthreads())
    return f"{workers} Dask worker{'s' if workers != 1 else ''} at {client.scheduler.address}"


# One batch at a time in a worker process, whatever its thread count: the memory ceiling is
# the process's, and the parser's caches are not shared between threads.
_WORKER_LOCK = threading.Lock()


try:
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - dask[distributed] is a dependency
    _WorkerPlugin = object  # type: ignore[assignment,misc]


# Extracted once by each worker as it joins: the extractors load their own tables on their
# first document, which should not be a real document under its time budget.
WARM_UP = Document(id="warm-up", language="en", published="2024-10-24",
                   text="Officials in Kyiv said on Wednesday that at least 3,000 soldiers had arrived, "
                        "according to the Reuters news agency.")


class ModelLoader(_WorkerPlugin):  # type: ignore[misc,valid-type]
    """Loads the model, the place index and the extractors' tables on each worker when it
    joins (the scheduler hands it the plugin before any task), so that no batch waits for
    them, and lets budgets interrupt the worker's task threads."""

    name = "sitroom-model"
    idempotent = True

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: object) -> None:
        from sitroom.ingest.budget import allow_thread_budgets
        from sitroom.nlp.pipeline import extract_documents, prepare

        allow_thread_budgets()
        with _WORKER_LOCK:
            prepare(self.model)
            list(extract_documents([WARM_UP], model=self.model))


def extract_batch_on_worker(documents: list[Document], model: str, batch_size: int,
                            limits: "ParseLimits") -> list[Extraction]:
    """One batch, parsed and extracted on a worker as a local run does it, under the same limits."""
    from sitroom.ingest.budget import allow_thread_budgets
    from sitroom.nlp.pipeline import extract_documents

    allow_thread_budgets()
    with _WORKER_LOCK:
        return list(extract_documents(documents, workers=1, batch_size=batch_size, model=model, limits=limits))


def extract_on_cluster(documents: Iterable[Document], client: "Client", *, batch_size: int, model: str | None = None,
                       limits: "ParseLimits | None" = None, timeout: float | None = None) -> Iterator[Extraction]:
    """Parse and extract a stream of documents on the cluster's workers, yielding results in
    input order; at most two batches per worker thread are in flight, so a corpus is never
    held in memory. ``ClusterError`` when the scheduler goes away, or when the cluster has had
    no worker for ``timeout`` seconds (``SITROOM_CLUSTER_TIMEOUT``) while work waits."""
    from distributed import KilledWorker

    from sitroom import settings
    from sitroom.nlp.pipeline import ParseLimits

    model = model or settings.model_name()
    limits = limits or ParseLimits.from_environment()
    timeout = timeout if timeout is not None else timeout_from_environment()

    def submit(batch: list[Document]):
        return client.submit(extract_batch_on_worker, batch, model, batch_size, limits, pure=False)

    def wait(future) -> list[Extraction]:
        """The future's result; a scheduler left without workers would keep it waiting for ever."""
        alone_since = None
        while True:
            try:
                return future.result(timeout=min(timeout, 1.0))
            except TimeoutError:
                if client.nthreads():
                    alone_since = None
                    continue
                alone_since = alone_since or time.monotonic()
                if time.monotonic() - alone_since >= timeout:
                    raise ClusterError(f"the Dask scheduler at {client.scheduler.address} has had no workers "
                                       f"for {timeout:g} s") from None

    def result(future, batch: list[Document]) -> list[Extraction]:
        try:
            return wait(future)
        except KilledWorker:
            if len(batch) == 1:
                return [Extraction(document=batch[0], error=(
                    "the Dask workers parsing it died each time (killed, or out of memory)"))]
            # One of them kills its worker: each document alone, so that it fails alone.
            log.info("a batch of %d documents killed its Dask workers; each of them runs alone", len(batch))
            singles = [(submit([document]), [document]) for document in batch]
            return [found for future_one, one in singles for found in result(future_one, one)]

    in_flight: deque = deque()
    iterator = iter(documents)
    try:
        # The documents are read outside _cluster_errors: an error of the reader or the store
        # behind it is not the cluster's, and passes through as it is.
        while batch := list(islice(iterator, batch_size)):
            with _cluster_errors(client):
                in_flight.append((submit(batch), batch))
                found = result(*in_flight.popleft()) if len(in_flight) >= 2 * _threads(client) else []
            yield from found
        while in_flight:
            with _cluster_errors(client):
                found = result(*in_flight.popleft())
            yield from found
    finally:
        if in_flight and client.status == "running":  # stopped early: leave no work behind on the cluster
            try:
                client.cancel([future for future, _ in in_flight])
            except Exception:  # noqa: BLE001 - the scheduler is going away; its work goes with it
                pass


def _threads(client: "Client") -> int:
    return max(sum(client.nthreads().values()), 1)


@contextmanager
def _cluster_errors(client: "Client") -> Iterator[None]:
    """Any error of a call to the cluster as one ``ClusterError``."""
    try:
        yield
    except ClusterError:
        raise
    except Exception as error:  # noqa: BLE001 - the scheduler or the link to it, or a worker that cannot run sitroom
        raise _cluster_failure(client, error) from error


def _cluster_failure(client: "Client", error: BaseException) -> ClusterError:
    """The one-line error for a run that the cluster could not finish."""
    from concurrent.futures import CancelledError

    from distributed.comm import CommClosedError

    address = getattr(getattr(client, "scheduler", None), "address", None) or "the scheduler"
    if client.status != "running" or isinstance(error, (CancelledError, CommClosedError, OSError, TimeoutError)):
        # a future's "cancelled for reason: scheduler-connection-lost", or a closed link's cause:
        # "in <TCP (closed) ConnectionPool.ncores local=... remote=...>: ConnectionResetError: ..."
        detail = getattr(error, "reason", None) or _first_line(error).rpartition(">: ")[2] or type(error).__name__
        return ClusterError(f"lost the Dask scheduler at {address} ({detail})")
    return ClusterError(f"a Dask worker could not run sitroom's extraction ({type(error).__name__}: "
                        f"{_first_line(error)}); every worker needs sitroom and its model installed")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
