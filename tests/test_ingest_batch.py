"""`sitroom ingest` end to end: real files into a real SQLite store, bad input included."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import islice

from bad_input import make_bad_input_folder

from sitroom import settings
from sitroom.batch import ingest
from sitroom.store import open_store


def _voa_lines(count: int) -> list[str]:
    with (settings.examples_dir() / "voa_stories.jsonl").open(encoding="utf-8") as handle:
        return list(islice(handle, count))


def test_bad_input_folder_stores_every_good_file_and_reports_every_bad_one(tmp_path):
    folder = tmp_path / "inbox"
    expected_failures = make_bad_input_folder(folder)
    (folder / "good.txt").write_text(json.loads(_voa_lines(1)[0])["text"], encoding="utf-8")
    (folder / "good.jsonl").write_text("".join(_voa_lines(3)[1:]), encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")

    report = ingest([str(folder)], store)

    reasons = dict(report.failures)
    for name, fragment in expected_failures.items():
        matches = [reason for location, reason in reasons.items() if name in location]
        assert matches, f"{name} was not reported"
        assert any(fragment.lower() in m.lower() for m in matches), (name, matches)
    assert not any("good" in location for location in reasons)
    stored = store.status()["counts"]["documents"]
    assert report.added == stored and stored >= 3
    failures = store.status()["runs"][0]["failures"]
    assert len(failures) == report.failed


def test_ingest_is_idempotent_and_force_replaces(tmp_path):
    path = tmp_path / "stories.jsonl"
    path.write_text("".join(_voa_lines(3)), encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")

    first = ingest([str(path)], store)
    counts = store.status()["counts"]
    second = ingest([str(path)], store)
    assert (first.added, second.added, second.duplicates) == (3, 0, 3)
    assert store.status()["counts"] == counts

    forced = ingest([str(path)], store, force=True)
    assert (forced.added, forced.replaced) == (0, 3)
    assert store.status()["counts"] == counts


def test_exact_duplicates_are_stored_once_with_every_appearance(tmp_path):
    line = _voa_lines(1)[0]
    (tmp_path / "a.jsonl").write_text(line, encoding="utf-8")
    copy = json.loads(line) | {"url": "https://example.org/republished", "source": "Other Outlet"}
    (tmp_path / "b.jsonl").write_text(json.dumps(copy) + "\n", encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")

    report = ingest([str(tmp_path)], store)

    assert (report.added, report.duplicates) == (1, 1)
    (row,) = store.documents()
    appearances = store.appearances(row["id"])
    assert len(appearances) == 2
    assert "https://example.org/republished" in {a["url"] for a in appearances}
    assert "Other Outlet" in {a["source"] for a in appearances}


def test_near_duplicate_is_linked_to_its_original(tmp_path):
    record = json.loads(_voa_lines(1)[0])
    rewrite = dict(record, title="A new headline", text=record["text"].replace(". ", ". Meanwhile, ", 1))
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps(rewrite) + "\n", encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")

    report = ingest([str(path)], store)

    assert report.added == 2 and report.near_duplicates == 1
    rows = {r["title"]: r for r in store.documents()}
    assert rows["A new headline"]["near_duplicate_of"] == rows[record["title"]]["id"]


def test_cli_exit_status_and_listing(tmp_path):
    folder = tmp_path / "inbox"
    make_bad_input_folder(folder)
    (folder / "good.jsonl").write_text(_voa_lines(1)[0], encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    run = subprocess.run([sys.executable, "-m", "sitroom", "ingest", "--quiet", "--db", db, str(folder)],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert "skipped or failed" in run.stdout
    assert "empty file" in run.stdout  # the bad input itself is listed, with its reason
    status = subprocess.run([sys.executable, "-m", "sitroom", "status", "--db", db, "--all-failures"],
                            capture_output=True, text=True)
    assert status.returncode == 0 and "failed" in status.stdout
    assert "empty file" in status.stdout  # the failures are kept in the store
    clean = tmp_path / "clean.jsonl"
    clean.write_text(_voa_lines(2)[1], encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "sitroom", "ingest", "--quiet", "--db", db, str(clean)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
