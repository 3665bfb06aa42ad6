"""The store under hostile conditions, through the real ``sitroom`` command: a read-only store, a
lock held past SQLite's 5 s wait, a disk that fills in the middle of a run, and two ingests at
once (SQLite and PostgreSQL) while the server answers. Every store error is one line and exit
status 2, never a traceback; nothing is lost or stored twice."""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bad_input import ENGLISH_REPORT, SECOND_REPORT, THIRD_REPORT
from sitroom.store import open_store
from test_hardening_inputs import FIFTH_REPORT, FOURTH_REPORT
from test_store import _postgres_url

REPORTS = (ENGLISH_REPORT, SECOND_REPORT, THIRD_REPORT, FOURTH_REPORT, FIFTH_REPORT)


def sitroom(*args: str, timeout: float = 180, preexec_fn=None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "sitroom", *args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=preexec_fn, env={**os.environ, "COLUMNS": "200"})
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """The error a failed command printed: exactly one line on standard error, exit status 2."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def numbered_reports(count: int) -> list[str]:
    """``count`` distinct reports (no two near-duplicates: each is one of five stories with its own number)."""
    return [f"Bulletin {n} of the regional desk. {REPORTS[n % len(REPORTS)]} This was item {n} of {count}."
            for n in range(count)]


def write_jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "published": "2024-05-14"}) + "\n" for t in texts), encoding="utf-8")
    return path


def test_a_read_only_store_is_one_line(tmp_path):
    path = tmp_path / "store.db"
    open_store(f"sqlite:///{path}").close()
    story = tmp_path / "story.txt"
    story.write_text(ENGLISH_REPORT, encoding="utf-8")
    if os.geteuid() != 0:
        path.chmod(0o444)
        url = f"sqlite:///{path}"
    else:  # root writes any file: the store is opened read-only instead, to the same SQLite error
        url = f"sqlite:///file:{path}?mode=ro&uri=true"
    line = one_line_error(sitroom("ingest", "--quiet", "--db", url, str(story)))
    assert "readonly database" in line


def test_a_lock_held_past_the_wait_is_one_line(tmp_path):
    path = tmp_path / "store.db"
    open_store(f"sqlite:///{path}").close()
    story = tmp_path / "story.txt"
    story.write_text(ENGLISH_REPORT, encoding="utf-8")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        line = one_line_error(sitroom("ingest", "--quiet", "--db", f"sqlite:///{path}", str(story), timeout=60))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "database is locked by another process (waited 5 s)" in line
    assert 5 <= time.monotonic() - started < 40
    assert open_store(f"sqlite:///{path}").status()["counts"]["documents"] == 0


def test_a_disk_that_fills_mid_run_stops_the_run_marked_failed(tmp_path):
    """The store may grow by less than the batch needs (the file size limit stands for a full
    disk): the run stops with one line, is marked failed with the reason, and what was stored
    before is whole."""
    path = tmp_path / "store.db"
    open_store(f"sqlite:///{path}").close()
    inputs = write_jsonl(tmp_path / "many.jsonl", numbered_reports(150))
    limit = path.stat().st_size + 700_000

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    line = one_line_error(sitroom("ingest", "--quiet", "--batch-size", "5", "--db", f"sqlite:///{path}", str(inputs),
                                  preexec_fn=small_disk))
    assert "run 1 stopped after" in line and "(marked failed)" in line
    store = open_store(f"sqlite:///{path}")
    (run,) = store.status()["runs"]
    assert run["error"] and run["error"] in line and run["finished_at"]
    counts = store.status()["counts"]
    assert 0 < counts["documents"] < 150
    assert counts["appearances"] == counts["documents"]  # every stored document whole, none half-written
    status = sitroom("status", "--db", f"sqlite:///{path}")
    assert "the run failed:" in status.stdout


def test_a_name_too_long_is_reported_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH_REPORT, encoding="utf-8")
    too_long = tmp_path / ("x" * 300) / "story.txt"
    done = sitroom("ingest", "--quiet", "--db", f"sqlite:///{tmp_path / 'store.db'}", str(too_long), str(good))
    assert done.returncode == 1, done.stderr
    assert "File name too long" in done.stdout and "1 added" in done.stdout


def test_a_file_name_that_is_not_utf8_is_stored_and_reported(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.txt")).write_text(ENGLISH_REPORT, encoding="utf-8")
    Path(os.fsdecode(os.fsencode(folder) + b"/bad\xff.bin")).write_bytes(b"\x00\x01\x02" * 100)
    (folder / "good.txt").write_text(SECOND_REPORT, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    done = sitroom("ingest", "--quiet", "--db", db, str(folder))
    assert done.returncode == 1 and "2 added" in done.stdout, done.stdout
    assert "bad\\xff.bin" in done.stdout
    store = open_store(db)
    (run,) = store.status()["runs"]
    assert run["finished_at"] and [f["location"] for f in run["failures"]] == [f"{folder}/bad\\xff.bin"]


# -- two ingests at once, and the server under load -------------------------------------------

ROUTES = ("/api/status", "/api/documents?limit=5", "/api/claims?limit=5", "/api/entities?limit=5",
          "/api/timeline?limit=5", "/api/places?limit=5", "/api/search?q=council", "/", "/documents")


def load_the_server(url: str, stop: threading.Event, statuses: list[int]) -> None:
    from sitroom.web.app import create_app

    client = TestClient(create_app(url))
    while not stop.is_set():
        for route in ROUTES:
            statuses.append(client.get(route).status_code)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_two_ingests_at_once_lose_nothing_while_the_server_answers(tmp_path, dialect):
    url = f"sqlite:///{tmp_path / 'store.db'}" if dialect == "sqlite" else _postgres_url()
    texts = numbered_reports(24)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    for number, text in enumerate(texts):
        (first / f"report-{number:02d}.txt").write_text(text, encoding="utf-8")
    shutil.copytree(first, second)  # the same files at two paths

    commands = [[sys.executable, "-m", "sitroom", "ingest", "--quiet", "--batch-size", "4", "--published",
                 "2024-05-14", "--db", url, str(folder)] for folder in (first, second)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for command in commands]  # both start on a fresh store: both create its schema
    stop, statuses = threading.Event(), []
    server = threading.Thread(target=lambda: load_the_server(url, stop, statuses))
    time.sleep(3)  # the store exists by now
    server.start()
    try:
        outputs = [process.communicate(timeout=240) for process in processes]
    finally:
        stop.set()
        server.join(timeout=60)
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, out + err
        assert "Traceback" not in out + err
    store = open_store(url)
    status = store.status()
    assert status["counts"]["documents"] == len(texts)
    assert status["counts"]["appearances"] == 2 * len(texts)
    assert all(not run["failures"] and not run["error"] for run in status["runs"])
    assert sum(run["added"] for run in status["runs"]) == len(texts)
    assert sum(run["added"] + run["duplicates"] for run in status["runs"]) == 2 * len(texts)
    assert statuses and max(statuses) < 500, sorted(set(statuses))
    store.close()


def test_the_web_app_names_no_local_folder(tmp_path):
    """Locations, failures and the run's command are shown by file name in every API answer."""
    from sitroom.web.app import create_app

    folder = tmp_path / "private-reports"
    folder.mkdir()
    (folder / "story.txt").write_text(ENGLISH_REPORT, encoding="utf-8")
    (folder / "noise.bin").write_bytes(b"\x00\x01\x02" * 100)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert sitroom("ingest", "--quiet", "--db", db, str(folder)).returncode == 1
    client = TestClient(create_app(db))
    status = client.get("/api/status")
    (document,) = client.get("/api/documents").json()["items"]
    reader = client.get(f"/api/documents/{document['id']}")
    for answer in (status, reader):
        assert answer.status_code == 200 and str(tmp_path) not in answer.text
    assert [a["location"] for a in reader.json()["appearances"]] == ["story.txt"]
    (run,) = status.json()["runs"]
    assert run["command"] == "ingest private-reports" and run["failures"][0]["location"] == "noise.bin"
    assert str(folder) in open_store(db).status()["runs"][0]["command"]  # the CLI still shows them


def test_a_file_whose_records_were_not_all_stored_says_how_many(tmp_path):
    """One note per file of several records: how many were read, stored, already stored and
    skipped, so that no record is lost without a word."""
    texts = numbered_reports(3)
    lines = [json.dumps({"text": t, "published": "2024-05-14"}) for t in texts]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([lines[0], "{not json", lines[1], lines[0], lines[2]]) + "\n", encoding="utf-8")
    done = sitroom("ingest", "--quiet", "--db", f"sqlite:///{tmp_path / 'store.db'}", str(path))
    assert done.returncode == 1, done.stdout + done.stderr
    flat = " ".join(done.stdout.split())
    assert "5 records read: 3 stored, 1 already stored, 1 skipped or failed" in flat, done.stdout
