"""The picture kept in tables (picture/maintain.py): updated batch by batch, it is the picture a
full rebuild derives, on SQLite and on PostgreSQL; and readers never compute it themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

import sitroom
from sitroom.picture import Picture, maintain
from sitroom.store import open_store, schema
from sitroom.store import picture_tables
from pg_server import postgres_url

VOA = Path(sitroom.__file__).parent / "examples" / "voa_stories.jsonl"
DERIVED = (schema.picture_items, schema.picture_item_tags, schema.picture_members, schema.picture_member_names,
           schema.picture_surfaces, schema.picture_names, schema.picture_boilerplate)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    return f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else postgres_url()


def _batches(tmp_path: Path, sizes: tuple[int, ...]) -> list[Path]:
    """Files of consecutive VOA stories (public domain, bundled), one per batch."""
    stories = VOA.read_text(encoding="utf-8").splitlines()
    files, start = [], 0
    for n, size in enumerate(sizes):
        path = tmp_path / f"batch-{n}.jsonl"
        path.write_text("\n".join(stories[start:start + size]) + "\n", encoding="utf-8")
        files.append(path)
        start += size
    return files


def snapshot(store) -> dict[str, list]:
    """Every derived row of the picture's tables, in a comparable form."""
    out = {}
    with store.engine.connect() as conn:
        for table in DERIVED:
            rows = [tuple(json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else v for v in row)
                    for row in conn.execute(select(table))]
            out[table.name] = sorted(rows, key=repr)
    return out


def _differences(a: dict[str, list], b: dict[str, list]) -> dict[str, tuple[list, list]]:
    return {name: (sorted(set(a[name]) - set(b[name]), key=repr)[:3], sorted(set(b[name]) - set(a[name]), key=repr)[:3])
            for name in a if a[name] != b[name]}


def test_updated_batch_by_batch_the_picture_is_what_a_rebuild_derives(url, tmp_path):
    batches = _batches(tmp_path, (4, 4, 4))
    for path in batches:
        report = sitroom.ingest_paths([str(path)], db=url)
        assert report.added == 4 and report.picture_seconds > 0
    sitroom.ingest_paths([str(batches[1])], db=url, force=True)  # re-extracted and replaced
    store = open_store(url)
    try:
        assert picture_tables.is_current(store)
        picture = Picture(store)
        people = [e for e in picture.entities(type="PERSON", limit=50)["items"] if e["documents"] == 1]
        assert len(people) >= 2
        merged = picture.correct("merge", people[0]["name"], target=people[1]["name"])  # an analyst's merge
        assert merged is not None and people[0]["name"] in [merged.name, *merged.aliases]
        assert merged.key in [e["key"] for e in picture.entities(q=people[0]["name"])["items"]]
        incremental = snapshot(store)
        assert incremental["picture_items"] and incremental["picture_members"]
        report = maintain.rebuild(store)
        assert report.documents == 12
        assert _differences(incremental, snapshot(store)) == {}
    finally:
        store.close()


def test_an_update_derives_again_only_what_the_new_documents_touch(url, tmp_path):
    first, second = _batches(tmp_path, (6, 1))
    sitroom.ingest_paths([str(first)], db=url)
    store = open_store(url)
    try:
        groups = len({row[3] for row in snapshot(store)["picture_members"]})
        sitroom.ingest_paths([str(second)], db=url, force=True)
        with store.engine.connect() as conn:
            assert conn.execute(select(schema.picture_pending)).first() is None  # the ingest took it in
        store.save_extraction(store.extraction(store.documents(limit=1)[0]["id"]), location="again")
        report = maintain.update(store)
        assert report.documents == 1 and 0 < report.groups < groups  # a few groups, not all of them
    finally:
        store.close()


def test_a_store_made_before_the_picture_had_tables_is_built_when_first_read(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    sitroom.ingest_paths([str(_batches(tmp_path, (3,))[0])], db=url)
    store = open_store(url)
    try:
        with store.engine.begin() as conn:  # as an older store: records, and no picture
            for table in (*DERIVED, schema.picture_state, schema.picture_pending):
                conn.execute(table.delete())
        assert not picture_tables.is_built(store)
        picture = Picture(store)
        assert picture.entities(limit=5)["total"] > 0  # the first read derives it
        assert picture_tables.is_built(store) and picture_tables.is_current(store)
    finally:
        store.close()


def test_the_picture_commands_rebuild_and_report_it(tmp_path):
    from typer.testing import CliRunner

    from sitroom.cli import app

    url = f"sqlite:///{tmp_path / 'store.db'}"
    sitroom.ingest_paths([str(_batches(tmp_path, (2,))[0])], db=url)
    runner = CliRunner()
    built = runner.invoke(app, ["picture", "rebuild", "--db", url])
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout.strip().splitlines()[-1])["documents"] == 2
    state = json.loads(runner.invoke(app, ["picture", "status", "--db", url]).stdout)
    assert state["current"] and state["pending_documents"] == 0 and state["items"]["entity"] > 0
    assert runner.invoke(app, ["picture", "update", "--db", "sqlite:///" + str(tmp_path / "no" / "x.db")]).exit_code == 2


def test_groups_read_a_few_records_at_a_time_derive_the_same_picture(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    sitroom.ingest_paths([str(_batches(tmp_path, (3,))[0])], db=url)
    store = open_store(url)
    try:
        whole = snapshot(store)
        monkeypatch.setattr(maintain, "MEMBERS_PER_READ", 3)  # most groups alone, the large ones too
        monkeypatch.setattr(maintain, "GROUP_CHUNK", 7)
        maintain.rebuild(store)
        assert _differences(whole, snapshot(store)) == {}
    finally:
        store.close()
