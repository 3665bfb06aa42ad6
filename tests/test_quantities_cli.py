"""``sitroom figures``: stored quantities with their evidence, from a real SQLite store."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import sitroom
from sitroom import settings
from sitroom.cli import app
from sitroom.picture.evidence import sentence_at
from sitroom.picture.figures import describe


def test_figures_lists_tracks_with_each_value_and_its_sentence(tmp_path):
    db = f"sqlite:///{tmp_path / 'figures.db'}"
    seed = settings.examples_dir() / "north-korean-troops-in-russia.txt"
    runner = CliRunner()
    store = sitroom.open_store(db)
    store.save_extraction(sitroom.extract(seed.read_text(encoding="utf-8"), published="2024-10-24"), location=str(seed))
    store.close()

    listed = runner.invoke(app, ["figures", "soldiers", "--db", db, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    tracks = json.loads(listed.output)["items"]
    assert tracks and all(track["counts"] == "troops" for track in tracks)
    text = seed.read_text(encoding="utf-8")
    points = [point for track in tracks for point in track["points"]]
    for point in points:
        evidence = point["evidence"]
        assert text[evidence["start"]:evidence["end"]] == point["text"]
        assert point["text"] in evidence["sentence"]
    assert any(describe(point) == "at least 3,000" for point in points)

    shown = runner.invoke(app, ["figures", "container", "--db", db])
    assert shown.exit_code == 0
    assert "more than 13,000" in shown.output and "shipping containers" in shown.output

    nothing = runner.invoke(app, ["figures", "zeppelin", "--db", db])
    assert nothing.exit_code == 0 and "no figure tracks match" in nothing.output


def test_describe_and_sentence_around():
    assert describe({"value": None, "low": 1500.0, "high": 3000.0, "bound": "range"}) == "1,500-3,000"
    assert describe({"value": 22.0, "bound": "exact", "change": "up"}) == "22 (up)"
    text = "First one. The army sent 3,000 troops. Last one."
    start = text.index("3,000")
    assert sentence_at(text, start, start + 5) == "The army sent 3,000 troops."
