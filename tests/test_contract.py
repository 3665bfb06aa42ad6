"""`sitroom extract` prints the extraction contract of DESIGN.md."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import SEED_NAME, SEED_PUBLISHED

from sitroom import settings

# The contract's field names (DESIGN.md); fields may be added, never renamed or dropped.
CONTRACT = {
    "document": {"id", "title", "source", "url", "published", "language"},
    "entities": {"id", "name", "type", "aliases", "mentions"},
    "claims": {"id", "speaker", "cue", "content", "kind", "stance", "said_on", "via"},
    "quantities": {"text", "start", "end", "value", "low", "high", "unit", "counts", "bound", "entity_id"},
    "times": {"text", "start", "end", "type", "value", "mod"},
    "places": {"text", "start", "end", "name", "country_code", "lat", "lon", "geonameid"},
    "events": {"id", "type", "mode", "actors", "recipients", "location", "time", "quantity", "modality",
               "claim_id", "text", "start", "end", "background"},
}


def _run_extract(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitroom", "extract", *args], capture_output=True, text=True)


def test_extract_prints_contract_json_for_the_seed(seed_text):
    path = settings.examples_dir() / SEED_NAME
    result = _run_extract(str(path), "--published", SEED_PUBLISHED, "--source", "seed")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= set(CONTRACT)
    assert CONTRACT["document"] <= set(data["document"])
    assert data["document"]["published"] == SEED_PUBLISHED and data["document"]["source"] == "seed"
    for kind, fields in CONTRACT.items():
        if kind == "document":
            continue
        assert isinstance(data[kind], list)
        for record in data[kind]:
            assert fields <= set(record), (kind, fields - set(record))
            spans = [record] if "start" in record else []
            spans += [record[k] for k in ("speaker", "cue", "content") if isinstance(record.get(k), dict)]
            spans += record.get("mentions", [])
            for span in spans:
                if span.get("start") is not None:
                    assert seed_text[span["start"]:span["end"]] == span["text"]
    assert data["entities"], "the seed names people, countries and agencies"


def test_extract_rejects_a_future_publication_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Officials met in Kyiv on Monday.", encoding="utf-8")
    result = _run_extract(str(path), "--published", "2999-01-01")
    assert result.returncode == 2
    assert "in the future" in result.stderr


def test_extract_reports_a_missing_or_empty_file(tmp_path):
    assert "cannot read" in _run_extract(str(tmp_path / "missing.txt")).stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = _run_extract(str(empty))
    assert result.returncode == 2 and "no text" in result.stderr


def test_extract_reads_a_file_as_ingest_does(tmp_path):
    """A byte-order mark and a Windows-1252 byte give the same text, id and offsets as ingest."""
    path = tmp_path / "cp1252.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "Officials in Kyiv said 300 soldiers had arrived.".encode("utf-8"))
    first = json.loads(_run_extract(str(path), "--format", "json").stdout)
    assert first["claims"][0]["speaker"]["start"] == 0  # the mark is not part of the text
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Officials in Kyiv said 300 soldiers had arrived at the caf\xe9.".encode("cp1252"))
    second = json.loads(_run_extract(str(latin), "--format", "json").stdout)
    assert second["claims"][0]["content"]["text"].endswith("café")
