"""The geoparsing scorer on the real gold files (a fixed sample; skipped without ../shared)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom.eval.geoparsing import _repair_offsets, evaluate, read_corpus


def test_offsets_off_by_one_are_repaired():
    assert _repair_offsets("in Pandi, Bulacan", "Pandi", 4) == (3, 8)
    assert _repair_offsets("in Pandi, Bulacan", "Pandi", 3) == (3, 8)


@pytest.mark.parametrize("corpus", ["gwn", "lgl", "trnews", "geovirus"])
def test_every_corpus_reads_with_valid_offsets(shared, corpus):
    documents = read_corpus(shared / "eval" / "geoparsing", corpus)
    assert len(documents) > 100
    toponyms = [t for d in documents for t in d.toponyms]
    assert len(toponyms) > 1000
    assert all(-90 <= t.lat <= 90 and -180 <= t.lon <= 180 for t in toponyms)
    assert all(d.text[t.start:t.end] == t.text for d in documents for t in d.toponyms)


def test_unknown_corpus_is_a_clear_error(shared):
    with pytest.raises(ValueError, match="unknown corpus"):
        read_corpus(shared / "eval" / "geoparsing", "nope")


def test_lgl_sample_holds_its_floor(shared):
    """First 40 LGL articles: measured 0.808 at 161 km (overlap F1 0.69) with the final weights; the floor sits a little under."""
    documents = read_corpus(shared / "eval" / "geoparsing", "lgl")[:40]
    result = evaluate(documents, corpus="lgl")
    assert result["gold_toponyms"] > 200
    assert result["resolution"]["accuracy_161km"] >= 0.77
    assert result["recognition"]["overlap"]["f1"] >= 0.5


def test_cli_prints_one_json_object(shared):
    from sitroom.cli import app

    result = CliRunner().invoke(app, ["eval", "geoparsing", "--corpus", "trnews", "--limit", "3",
                                      "--data", str(shared / "eval" / "geoparsing")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["corpus"] == "trnews" and data["documents"] == 3
    assert 0 <= data["resolution"]["accuracy_161km"] <= 1


def test_cli_rejects_a_missing_folder(tmp_path):
    from sitroom.cli import app

    result = CliRunner().invoke(app, ["eval", "geoparsing", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "not found" in result.output
