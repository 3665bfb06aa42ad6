"""One real store per test session, built from the bundled examples, for the API and browser tests;
on PostgreSQL the same store, copied row for row from the SQLite one (no second extraction)."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from sitroom.model import Document, Extraction

EXAMPLE_STORIES = 12  # the seed article plus this many VOA stories
HOSTILE_ID = "hostile0000000001"
HOSTILE_TEXT = 'A report quoting <script>alert("x")</script> and <b>bold</b> & "quotes" as plain text.'

_built: dict[str, Path] = {}
_urls: dict[str, str] = {}


def example_store_path(tmp_path_factory) -> Path:
    """Build (once) a SQLite store: the seed, the first VOA stories, and one hostile document."""
    if "path" not in _built:
        from sitroom.store import open_store
        from sitroom.bundled import load_examples

        path = tmp_path_factory.mktemp("webstore") / "examples.db"
        store = open_store(f"sqlite:///{path}")
        load_examples(store, limit=EXAMPLE_STORIES)
        store.save_extraction(Extraction(document=Document(id=HOSTILE_ID, text=HOSTILE_TEXT, title="<i>hostile</i> title",
                                                           source="Test", published="2020-01-01", language="en")),
                              location="hostile")
        store.close()
        _built["path"] = path
    return _built["path"]


def example_store_url(tmp_path_factory, dialect: str = "sqlite") -> str:
    """The example store's URL on ``dialect``: the SQLite file, or (once per session) a fresh
    PostgreSQL schema holding a copy of it; skipped with the reason when no server answers."""
    path = example_store_path(tmp_path_factory)
    if dialect == "sqlite":
        return f"sqlite:///{path}"
    if dialect not in _urls:
        from pg_server import postgres_url

        _urls[dialect] = copy_store(f"sqlite:///{path}", postgres_url())
    return _urls[dialect]


def copy_store(source_url: str, target_url: str) -> str:
    """Copy every row of one store into another, empty one (on SQLite, with its text index);
    returns ``target_url``."""
    from sitroom.store import open_store, schema, search

    source, target = open_store(source_url), open_store(target_url)
    try:
        with source.engine.connect() as read, target.engine.begin() as write:
            for table in schema.metadata.sorted_tables:
                rows = [dict(row) for row in read.execute(select(table)).mappings()]
                if rows:
                    write.execute(insert(table), rows)
                if target.dialect == "postgresql" and "id" in table.c and table.c.id.autoincrement is True:
                    # rows came with their ids: the id sequence starts after them
                    write.execute(text(f"SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                                       f"coalesce(max(id), 0) + 1, false) FROM {table.name}"), {"table": table.name})
            if target.dialect == "sqlite":
                d = schema.documents
                for row in write.execute(select(d.c.id, d.c.title, d.c.text)):
                    search.index_document(write, row.id, row.title or "", row.text)
    finally:
        source.close()
        target.close()
    return target_url


def wait_until_serving(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    """Wait until the ``sitroom serve`` at ``base`` answers ``/api/status``; fail the test with
    its output when it exits first, or when it stays silent for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/status", timeout=1)
            return
        except OSError:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"sitroom serve exited: {output}")
            time.sleep(0.2)
    process.terminate()
    pytest.fail(f"sitroom serve did not answer within {seconds:.0f} s")
