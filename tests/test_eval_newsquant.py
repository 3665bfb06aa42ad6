"""The NewsQuant scorer (CQE's published rules) and the figures it gives on the real gold."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.eval import newsquant

GOLD = [{"text": "s", "quantities": [
    {"value": "3000.0", "normalized_unit": "soldier", "change": ">", "referred_concepts": "United States"},
    {"value": "5-7", "normalized_unit": "percentage", "change": "=", "referred_concepts": "-"},
]}]


def tag(value, unit, change="=", concepts=("-",)):
    return {"value": value, "normalized_unit": unit, "change": change, "referred_concepts": list(concepts)}


def test_perfect_tags_score_one():
    result = newsquant.score(GOLD, [[tag(3000.0, "soldier", ">", ["States"]), tag((5.0, 7.0), "percentage")]])
    for name in ("value", "value+unit", "value+change", "concept_partial"):
        assert result[name]["f1"] == 1.0
    assert result["concept_complete"]["f1"] == 0.5  # "States" is only part of "United States"


def test_value_without_unit_counts_for_value_only():
    result = newsquant.score(GOLD, [[tag(3000.0, "-"), tag(6.0, "percentage")]])
    assert result["value"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert result["value+unit"]["f1"] == 0.0


def test_ranges_match_both_ends_or_their_midpoint_for_single_value_systems():
    assert newsquant.score(GOLD, [[tag(6.0, "percentage")]])["value"]["r"] == 0.0
    assert newsquant.score(GOLD, [[tag(6.0, "percentage")]], average_ranges=True)["value"]["r"] == 0.5


def test_one_tag_is_used_up_by_its_unit_match():
    gold = [{"text": "s", "quantities": [{"value": "2", "normalized_unit": "year", "change": "=",
                                          "referred_concepts": "-"}] * 2}]
    result = newsquant.score(gold, [[tag(2.0, "year")]])
    assert result["value+unit"]["r"] == 0.5


def test_bounds_fold_as_the_gold_folds_them(nlp):
    from sitroom.model import Document
    from sitroom.nlp.pipeline import extract_parsed

    text = "The company also said it has more than 1000 customers and up to 60% of the market."
    doc = nlp(text)
    found = extract_parsed(doc, Document(id="d", text=text))
    folded = {q["value"]: q["change"] for q in (newsquant.as_newsquant(doc, q) for q in found.quantities)}
    assert folded == {1000.0: ">", 60.0: "<"}


def concepts(nlp, text: str) -> dict[float, list[str]]:
    from sitroom.model import Document
    from sitroom.nlp.pipeline import extract_parsed

    doc = nlp(text)
    found = extract_parsed(doc, Document(id="d", text=text))
    tags = [newsquant.as_newsquant(doc, q) for q in found.quantities]
    newsquant.share_concepts(doc, found.quantities, tags)
    return {tag["value"]: tag["referred_concepts"] for tag in tags}


@pytest.mark.parametrize(("text", "value", "words"), [
    # a share with its own "of" phrase
    ("The ministry said about 5% of its budget went to reconstruction.", 5.0, ["budget"]),
    # a figure that modifies a noun through another modifier
    ("Engineers fitted a 40 mm steel plate to the hull.", 40.0, ["steel", "plate"]),
    # a restatement in brackets is about what the first figure is about
    ("The convoy stretched for 20 miles (32 km) along the highway.", 32.0, ["convoy"]),
    # a ticker-style list
    ("Markets at noon: FTSE -0.6% DAX -1.6%.", -1.6, ["DAX"]),
    # a pronoun subject with its own "of" phrase
    ("Each of the new hospitals costs about $40 million to build.", 40e6, ["hospitals"]),
    # the figure is the subject: nothing beyond what it counts
    ("About 2,000 Ukrainians were waiting at the border crossing.", 2000.0, ["-"]),
    # figures in brackets after a name
    ("Top scorers: Ana Lopez (21.5 points, 7.2 rebounds), Mia Chen (18 points).", 7.2, ["Ana", "Lopez"]),
    # a hyphenated name stays one word
    ("Al-Masri raised 280 million pounds for the project.", 280e6, ["Al-Masri"]),
])
def test_referred_concepts(nlp, text, value, words):
    assert concepts(nlp, text)[value] == words


def test_bad_data_gives_a_clear_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"not": "a list"}))
    with pytest.raises(ValueError, match="not a NewsQuant test set"):
        newsquant.load_sentences(path)
    with pytest.raises(FileNotFoundError):
        newsquant.load_sentences(tmp_path / "missing")
    with pytest.raises(ValueError, match="unknown test set"):
        newsquant.load_sentences(tmp_path, "nope")


def test_floors_on_the_first_200_newsquant_sentences(shared):
    """Measured on these 200 sentences: value 0.93, value+unit 0.87, value+change 0.89, concept partial 0.67."""
    result = newsquant.evaluate(shared / "eval" / "newsquant", limit=200)
    assert result["value"]["f1"] >= 0.90
    assert result["value+unit"]["f1"] >= 0.83
    assert result["value+change"]["f1"] >= 0.85
    assert result["concept_partial"]["f1"] >= 0.64


def test_cli_prints_one_json_object(shared):
    result = CliRunner().invoke(app, ["eval", "newsquant", "--data", str(shared / "eval" / "newsquant"),
                                      "--limit", "20"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sentences"] == 20 and 0 <= data["value"]["f1"] <= 1


def test_cli_unknown_baseline_fails_clearly(shared):
    result = CliRunner().invoke(app, ["eval", "newsquant", "--baseline", "nope", "--limit", "1"])
    assert result.exit_code == 2
    assert "unknown system" in result.output
