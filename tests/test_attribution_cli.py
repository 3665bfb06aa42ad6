"""``sitroom claims``: stored claims listed and filtered by speaker, topic and date."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import sitroom
from sitroom.cli import app


def _store_with(tmp_path, text: str, published: str):
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    store = sitroom.open_store(url)
    store.save_extraction(sitroom.extract(text, published=published), location="test")
    store.close()
    return url


TEXT = ("Kirby said, “These soldiers then proceeded to multiple military training grounds in eastern Russia.” "
        "Austin told reporters in Rome that it remains to be seen what the North Korean military is doing in Russia.")


def test_claims_lists_filters_by_speaker_about_and_since(tmp_path):
    url = _store_with(tmp_path, TEXT, "2024-10-24")
    runner = CliRunner()
    everything = runner.invoke(app, ["claims", "--db", url, "--format", "json"])
    assert everything.exit_code == 0, everything.output
    page = json.loads(everything.output)
    assert page["total"] == 2 and {c["speaker_text"] for c in page["items"]} == {"Kirby", "Austin"}
    kirby = json.loads(runner.invoke(app, ["claims", "--db", url, "--speaker", "kirby", "--format", "json"]).output)
    assert [c["cue"] for c in kirby["items"]] == ["said"]
    about = json.loads(runner.invoke(app, ["claims", "--db", url, "--about", "North Korean",
                                           "--format", "json"]).output)
    assert [c["speaker_text"] for c in about["items"]] == ["Austin"]
    later = runner.invoke(app, ["claims", "--db", url, "--since", "2024-11-01"])
    assert later.exit_code == 0 and "no claims match" in later.output
    text = runner.invoke(app, ["claims", "--db", url, "--speaker", "Austin"])
    assert "2024-10-24  Austin told [roughly even chance]: that it remains to be seen" in text.output
    unknown = runner.invoke(app, ["claims", "--db", url, "--about", "Atlantis"])
    assert unknown.exit_code == 2 and "no entity 'Atlantis'" in unknown.output


def test_claims_filters_are_bound_parameters(tmp_path):
    url = _store_with(tmp_path, TEXT, "2024-10-24")
    for option in ("--speaker", "--q"):
        result = CliRunner().invoke(app, ["claims", "--db", url, option, "x' OR '1'='1", "--format", "json"])
        assert result.exit_code == 0
        assert json.loads(result.output)["items"] == []


def test_claims_rejects_a_bad_date(tmp_path):
    result = CliRunner().invoke(app, ["claims", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--since", "yesterday"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
