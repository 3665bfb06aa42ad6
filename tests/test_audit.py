"""``sitroom audit``: a seeded sample of what sitroom extracted, judged by a person and scored."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.eval.audit import score_sheet
from web_store import example_store_path


@pytest.fixture(scope="module")
def store_url(tmp_path_factory) -> str:
    return f"sqlite:///{example_store_path(tmp_path_factory)}"


def _draw(store_url: str, kind: str, seed: int, sample: int = 5) -> list[dict[str, str]]:
    result = CliRunner().invoke(app, ["audit", "--kind", kind, "--sample", str(sample), "--seed", str(seed),
                                      "--db", store_url])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("kind", ["claims", "events", "quantities", "times", "places"])
def test_a_sheet_shows_each_item_with_its_sentence_to_judge(store_url, kind):
    rows = _draw(store_url, kind, seed=3)
    assert len(rows) == 5
    for row in rows:
        assert row["kind"] == kind and row["item"] and row["judgement"] == ""
        assert row["sentence"], "every item is shown with the sentence it was read from"


def test_the_same_seed_draws_the_same_items_and_another_seed_others(store_url):
    first = [(r["document_id"], r["idx"]) for r in _draw(store_url, "claims", seed=7)]
    assert first == [(r["document_id"], r["idx"]) for r in _draw(store_url, "claims", seed=7)]
    assert first != [(r["document_id"], r["idx"]) for r in _draw(store_url, "claims", seed=8)]


def test_a_judged_sheet_scores_and_strips_without_text(store_url, tmp_path):
    rows = _draw(store_url, "quantities", seed=1, sample=4)
    for row, judgement in zip(rows, ["right", "right", "partly", "wrong"]):
        row["judgement"] = judgement
    sheet = tmp_path / "judged.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    scored = CliRunner().invoke(app, ["audit", "--score", str(sheet)])
    assert scored.exit_code == 0, scored.output
    figures = json.loads(scored.stdout)["kinds"]["quantities"]
    assert (figures["precision"], figures["precision_with_partly"]) == (0.5, 0.75)
    stripped = tmp_path / "stripped.csv"
    assert CliRunner().invoke(app, ["audit", "--strip", str(sheet), "-o", str(stripped)]).exit_code == 0
    kept = list(csv.DictReader(stripped.open(encoding="utf-8")))
    assert "sentence" not in kept[0] and "item" not in kept[0]
    assert score_sheet(kept) == json.loads(scored.stdout)


def test_a_wrong_judgement_word_is_refused_clearly(tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("kind,document_id,idx,judgement\nclaims,a,0,maybe\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", "--score", str(sheet)])
    assert result.exit_code != 0 and "right, partly, wrong" in result.output


def test_the_judged_sheets_in_the_repository_are_whole():
    folder = Path(__file__).resolve().parent.parent / "gold" / "audits" / "before"
    sheets = sorted(folder.glob("*.csv"))
    assert {p.stem for p in sheets} == {"claims", "events", "quantities", "times", "places"}
    for path in sheets:
        with path.open(encoding="utf-8", newline="") as handle:
            scored = score_sheet(list(csv.DictReader(handle)))
        assert scored["unjudged"] == 0, f"{path.name} has unjudged rows"
