"""Ingest on a real Dask cluster: a LocalCluster of 2 worker processes (and, for the scheduler
that goes away, a real ``dask scheduler`` and ``dask worker``), into real SQLite and PostgreSQL
stores, with the real model.

A cluster run stores the same documents, ids, appearances, near-duplicate links and
extractions as a local run of the same inputs; a re-run adds nothing; a worker killed in the
middle of a batch loses nothing; a document over its budget fails alone on a worker; a
scheduler that does not answer, or goes away, is one line and exit 2, and the same command run
again finishes the job. The inputs are the shortest bundled VOA stories, so that the whole
module takes about a minute on two cores.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import psutil
import pytest
from sqlalchemy import select

from sitroom import settings
from sitroom.batch import ingest
from sitroom.cluster import ClusterError, ClusterSpec, connect, extract_on_cluster
from sitroom.ingest.budget import OverBudget, allow_thread_budgets, budget
from sitroom.model import Document
from sitroom.nlp.pipeline import ParseLimits, extract_documents
from sitroom.store import open_store, schema
from test_hardening_inputs import within
from test_store import _postgres_url

STORIES = 8  # the shortest bundled VOA stories (about 2,000 characters each)
SENTENCE = "The council said on Tuesday that the new bridge over the river would open next spring."
DASK = Path(sys.executable).with_name("dask")


def _shortest_stories(count: int) -> list[dict]:
    with (settings.examples_dir() / "voa_stories.jsonl").open(encoding="utf-8") as handle:
        stories = [json.loads(line) for line in handle]
    return sorted(stories, key=lambda story: len(story["text"]))[:count]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Eight stories, a near-duplicate rewrite of the first, a copy of the second published
    elsewhere (one more appearance) and a line that is not JSON (a failure)."""
    folder = tmp_path_factory.mktemp("inbox")
    stories = _shortest_stories(STORIES)
    rewrite = dict(stories[0], title="A new headline", url="https://example.org/rewrite",
                   text=stories[0]["text"].replace(". ", ". Meanwhile, ", 1))
    copy = dict(stories[1], url="https://example.org/republished", source="Other Outlet")
    lines = [json.dumps(s) for s in stories] + [json.dumps(rewrite), "{not json", json.dumps(copy)]
    (folder / "stories.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "stories.jsonl"


def snapshot(store) -> dict:
    """Everything a run decides: documents (ids, metadata, near-duplicate links, signatures),
    appearances and every extracted record; not run ids and clock times."""
    d, a = schema.documents.c, schema.appearances.c
    with store.engine.connect() as conn:
        documents = sorted(tuple(row) for row in conn.execute(
            select(d.id, d.title, d.source, d.url, d.published, d.language, d.chars, d.near_duplicate_of,
                   d.similarity, d.minhash, d.origin, d.extracted)))
        appearances = sorted(tuple(row) for row in conn.execute(
            select(a.document_id, a.location, a.url, a.source, a.published, a.title)))
    extractions = {row[0]: store.extraction(row[0]).to_dict() for row in documents}
    return {"documents": documents, "appearances": appearances, "extractions": extractions,
            "counts": store.status()["counts"]}


def report_of(report) -> tuple:
    return (report.seen, report.added, report.duplicates, report.near_duplicates, report.replaced, report.failed,
            sorted(report.failures))


@pytest.fixture(scope="module")
def local_run(inputs, tmp_path_factory):
    """The reference: the same inputs ingested by this process alone."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('local') / 'local.db'}")
    with within(240):
        report = ingest([str(inputs)], store, batch_size=3)
    expected = report_of(report), snapshot(store)
    store.close()
    assert expected[0][:6] == (STORIES + 2, STORIES + 1, 1, 1, 0, 1)
    return expected


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two worker processes, shared by the module (starting one loads the model twice)."""
    with ExitStack() as stack:
        with within(240):
            client = stack.enter_context(connect("local:2", timeout=60))
        assert len(client.nthreads()) == 2
        yield client


def _store_url(kind: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cluster.db'}" if kind == "sqlite" else _postgres_url()


def test_spec_parsing():
    assert ClusterSpec.parse("local:3") == ClusterSpec(local_workers=3)
    assert ClusterSpec.parse("tcp://10.0.0.5:8786") == ClusterSpec(address="tcp://10.0.0.5:8786")
    assert ClusterSpec.parse("local").local_workers == (os.cpu_count() or 1)
    for bad in ("local:0", "local:two", "10.0.0.5", "http://host:8786", "tcp://host"):
        with pytest.raises(ValueError, match="--cluster"):
            ClusterSpec.parse(bad)


def test_local_cluster_listens_on_loopback_only(cluster):
    """Scheduler, workers and nannies bind 127.0.0.1, and no dashboard takes port 8787."""
    processes = [psutil.Process(), *psutil.Process().children(recursive=True)]
    listening = [c.laddr for p in processes for c in p.net_connections("inet") if c.status == psutil.CONN_LISTEN]
    assert len(listening) >= 3  # the scheduler and one per worker at least
    assert {address.ip for address in listening} == {"127.0.0.1"}
    assert cluster.scheduler.address.startswith("tcp://127.0.0.1:")
    assert all(address.startswith("tcp://127.0.0.1:") for address in cluster.nthreads())


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_cluster_run_equals_a_local_run_and_a_rerun_adds_nothing(kind, cluster, inputs, local_run, tmp_path):
    expected_report, expected = local_run
    store = open_store(_store_url(kind, tmp_path))
    with within(120):
        report = ingest([str(inputs)], store, batch_size=3, cluster=cluster)
    assert report_of(report) == expected_report
    assert snapshot(store) == expected

    with within(60):
        again = ingest([str(inputs)], store, batch_size=3, cluster=cluster)
    assert (again.added, again.duplicates, again.failed) == (0, STORIES + 2, 1)
    assert snapshot(store) == expected
    store.close()


def _allow_failures(cluster, count: int) -> int:
    """Set how often a task may lose its worker before it errs (KilledWorker); the old value."""
    def swap(dask_scheduler, count: int) -> int:
        old, dask_scheduler.allowed_failures = dask_scheduler.allowed_failures, count
        return old

    return cluster.run_on_scheduler(swap, count=count)


@pytest.mark.parametrize("allowed_failures", [3, 0], ids=["retried", "split"])
def test_a_worker_killed_mid_batch_loses_nothing(allowed_failures, cluster, inputs, local_run, tmp_path, caplog):
    """A worker is killed (SIGKILL) while it holds batches: the scheduler runs them again on
    another worker (Dask's default: a task may lose 3 workers) or, once a batch has lost as
    many workers as it may, sitroom runs its documents one by one; either way the store ends
    exactly as a local run left it."""
    expected_report, expected = local_run
    store = open_store(_postgres_url())
    killed: list[tuple[str, list]] = []

    def kill_a_busy_worker(report) -> None:
        if killed or report.added < 1:
            return
        busy = {address: keys for address, keys in cluster.processing().items() if keys}
        assert busy, "no batch in flight when the first document was stored"
        address, keys = next(iter(busy.items()))
        pid = cluster.run(os.getpid, workers=[address])[address]
        os.kill(pid, signal.SIGKILL)
        killed.append((address, keys))

    caplog.set_level("INFO", logger="sitroom.cluster")
    default = _allow_failures(cluster, allowed_failures)
    try:
        with within(180):
            report = ingest([str(inputs)], store, batch_size=2, cluster=cluster, on_progress=kill_a_busy_worker)
    finally:
        _allow_failures(cluster, default)
    assert killed, "no worker was killed"
    split = [r for r in caplog.records if "each of them runs alone" in r.getMessage()]
    assert bool(split) == (allowed_failures == 0)
    assert killed[0][0] not in cluster.nthreads()  # it is gone (its nanny starts a new one)
    assert report_of(report) == expected_report
    assert snapshot(store) == expected
    store.close()
    with within(120):
        cluster.wait_for_workers(2)  # the restarted worker, for the tests after this one


def test_a_document_over_its_budget_fails_alone_on_a_worker(cluster):
    """Dask runs tasks in threads: the time budget holds there too, and the other documents
    of the batch are extracted as ever."""
    documents = [Document(id="short", text=SENTENCE, language="en", published="2024-05-14"),
                 Document(id="long", text=f"{SENTENCE} " * 2000, language="en", published="2024-05-14"),
                 Document(id="other", text="The mayor of the town spoke on Friday.", language="en")]
    limits = ParseLimits(base_seconds=1.0, chars_per_second=1e9)
    started = time.monotonic()
    with within(120):
        results = list(extract_documents(documents, batch_size=3, limits=limits, cluster=cluster))
    assert time.monotonic() - started < 60
    assert [r.document.id for r in results] == ["short", "long", "other"]
    assert [r.error for r in results] == [
        None, f"too slow to parse: over the 1.0 s budget of a document of {len(documents[1].text):,} characters", None]
    assert "2024-05-14" in [t.value for t in results[0].times]  # "on Tuesday"


def test_an_error_of_the_reader_is_not_taken_for_the_cluster_s(cluster):
    """A failure while reading the documents (a reader, the store behind the duplicate check)
    reaches the caller as it is, not as a ClusterError."""
    class ReaderBroke(Exception):
        pass

    def documents():
        yield Document(id="one", text=SENTENCE, language="en")
        yield Document(id="two", text="The mayor of the town spoke on Friday.", language="en")
        raise ReaderBroke("the disk went away")

    with within(60), pytest.raises(ReaderBroke):
        list(extract_documents(documents(), batch_size=1, cluster=cluster))


def test_budgets_hold_in_threads_once_allowed():
    """The mechanism behind the test above, without a cluster: a thread past its budget is
    interrupted, nested budgets keep their own limits, and an interrupt raised just as a block
    ends never reaches the code after it."""
    outcome: dict[str, object] = {}

    def busy(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            pass

    def spin(name: str, seconds: float) -> None:
        try:
            with budget(seconds):
                busy(3.0)
        except OverBudget as error:
            outcome[name] = error.kind, error.limit

    def nested() -> None:
        try:
            with budget(0.2):
                with budget(30.0):
                    busy(3.0)
        except OverBudget as error:
            outcome["nested"] = error.limit

    def quick() -> None:
        for _ in range(300):  # blocks that end about when their budget does
            try:
                with budget(0.001):
                    sum(range(1000))
            except OverBudget:
                pass
        time.sleep(0.3)  # time enough for a stray interrupt to land here, outside every budget
        outcome["quick"] = "finished"

    def run(*threads: threading.Thread) -> None:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)

    run(threading.Thread(target=spin, args=("off", 0.2)))
    assert "off" not in outcome  # not allowed yet: the old rule, no budget outside the main thread
    allow_thread_budgets()
    try:
        with within(30):
            run(threading.Thread(target=spin, args=("on", 0.2)), threading.Thread(target=nested),
                threading.Thread(target=quick))
    finally:
        allow_thread_budgets(False)
    assert outcome == {"on": ("time", 0.2), "nested": 0.2, "quick": "finished"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sitroom(*args: str, env: dict | None = None, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sitroom", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})}, **options)


def test_a_scheduler_that_does_not_answer_is_one_line_and_exit_2(inputs, tmp_path):
    db = f"sqlite:///{tmp_path / 's.db'}"
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    run = _sitroom("ingest", "--db", db, "--cluster", address, str(inputs), env={"SITROOM_CLUSTER_TIMEOUT": "2"})
    out, err = run.communicate(timeout=120)
    assert run.returncode == 2, out + err
    assert err.splitlines() == [f"error: no Dask scheduler answered at {address} within 2 s"]
    assert time.monotonic() - started < 60
    assert open_store(db).status()["counts"]["documents"] == 0


class _Scheduler:
    """A real ``dask scheduler`` and one ``dask worker`` on 127.0.0.1, each in its own process group."""

    def __init__(self, folder: Path) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rpartition(":")[2]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
        self.scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", port,
                                           "--no-dashboard", "--no-show"], **quiet)
        self.worker = subprocess.Popen([str(DASK), "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1",
                                        "--no-nanny", "--no-dashboard", "--local-directory", str(folder)], **quiet)

    def kill_scheduler(self) -> None:
        os.killpg(self.scheduler.pid, signal.SIGKILL)
        self.scheduler.wait()

    def close(self) -> None:
        for process in (self.worker, self.scheduler):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _stored(db_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_a_scheduler_that_goes_away_then_the_same_command_finishes(cluster, inputs, local_run, tmp_path):
    """The scheduler is killed after the first document is stored: one line, exit 2, the run
    marked failed, what was stored kept; the same command against another scheduler stores the
    rest, and the store ends exactly as a local run left it."""
    _, expected = local_run
    db_path = tmp_path / "s.db"
    env = {"SITROOM_CLUSTER_TIMEOUT": "60"}
    first = _Scheduler(tmp_path)
    try:
        with within(240):
            run = _sitroom("ingest", "--quiet", "--batch-size", "1", "--db", f"sqlite:///{db_path}",
                           "--cluster", first.address, str(inputs), env=env)
            while _stored(db_path) < 1 and run.poll() is None:
                time.sleep(0.05)
            first.kill_scheduler()
            out, err = run.communicate(timeout=120)
    finally:
        first.close()
    assert run.returncode == 2, out + err
    assert len(err.splitlines()) == 1, err
    (line,) = err.splitlines()
    assert line.startswith(f"error: lost the Dask scheduler at {first.address} (")
    assert line.endswith("(marked failed); the same command run again finishes the job")
    stored = _stored(db_path)
    assert 1 <= stored < STORIES + 1, "the scheduler went away after every document was stored"
    assert open_store(f"sqlite:///{db_path}").status()["runs"][0]["error"].startswith("lost the Dask scheduler")

    # Another scheduler: the module's cluster, reached by its address as any remote one.
    with within(240):
        again = _sitroom("ingest", "--quiet", "--batch-size", "1", "--db", f"sqlite:///{db_path}",
                         "--cluster", cluster.scheduler.address, str(inputs), env=env)
        out, err = again.communicate(timeout=200)
    assert again.returncode == 1, out + err  # the line that is not JSON is still reported
    assert f"{STORIES + 1 - stored} added" in out and "1 skipped or failed" in out
    store = open_store(f"sqlite:///{db_path}")
    assert snapshot(store) == expected
    store.close()


def test_a_cluster_left_without_workers_is_an_error_not_a_hang(tmp_path):
    """The only worker of a scheduler dies (no nanny to restart it) while a batch waits: after
    the timeout the run stops with one line instead of waiting for ever."""
    alone = _Scheduler(tmp_path)
    try:
        with within(180), connect(alone.address, timeout=60) as client:
            def documents():
                yield Document(id="one", text=SENTENCE, language="en")
                os.killpg(alone.worker.pid, signal.SIGKILL)
                alone.worker.wait()
                yield Document(id="two", text="The mayor of the town spoke on Friday.", language="en")

            started = time.monotonic()
            with pytest.raises(ClusterError, match=rf"^the Dask scheduler at {alone.address} has had no workers "
                                                   r"for 3 s$"):
                list(extract_on_cluster(documents(), client, batch_size=1, timeout=3))
            assert time.monotonic() - started < 60
    finally:
        alone.close()


def test_cluster_errors_are_one_line():
    assert issubclass(ClusterError, RuntimeError)
    with pytest.raises(ClusterError, match=r"^no Dask scheduler answered at tcp://127\.0\.0\.1:\d+ within 1 s$"):
        with connect(f"tcp://127.0.0.1:{_free_port()}", timeout=1):
            pass
