"""`sitroom eval identity`: the scorer on constructed cases, and the command on a real store."""

from __future__ import annotations

import json

from typer.testing import CliRunner
from web_store import example_store_path

from sitroom.cli import app
from sitroom.eval.identity import GOLD, read_gold, score_pairs, score_types
from sitroom.picture.entities import resolve


def _rows(*names):
    return [{"name": n, "type": t, "documents": d, "mentions": d} for n, t, d in names]


def test_pairs_count_true_false_and_missed_merges():
    index = resolve(_rows(("Sergei Lavrov", "PERSON", 5), ("Sergey Lavrov", "PERSON", 2), ("Kim Jong Un", "PERSON", 9),
                          ("Kim Yo Jong", "PERSON", 3), ("EC", "ORG", 2), ("European Commission", "ORG", 4),
                          ("European Council", "ORG", 4)))
    pairs = [{"name_a": "Sergei Lavrov", "type_a": "PERSON", "name_b": "Sergey Lavrov", "type_b": "PERSON", "label": "same"},
             {"name_a": "Kim Jong Un", "type_a": "PERSON", "name_b": "Kim Yo Jong", "type_b": "PERSON",
              "label": "different"},
             {"name_a": "EC", "type_a": "ORG", "name_b": "European Commission", "type_b": "ORG", "label": "same"},
             {"name_a": "Nobody", "type_a": "PERSON", "name_b": "EC", "type_b": "ORG", "label": "different"}]
    scored = score_pairs(index, pairs)
    assert (scored["true_merges"], scored["false_merges"], scored["missed_merges"]) == (1, 0, 1)
    assert scored["missing_from_store"] == 1 and scored["precision"] == 1.0 and scored["recall"] == 0.5


def test_types_are_the_voted_type_of_each_name():
    index = resolve(_rows(("Russian", "NORP", 9), ("Russia", "GPE", 20), ("Crimea", "ORG", 5), ("Crimea", "GPE", 7)))
    scored = score_types(index, [{"name": "Russian", "gold_type": "NORP"}, {"name": "Crimea", "gold_type": "GPE"},
                                 {"name": "Atlantis", "gold_type": "GPE"}])
    assert scored["accuracy"] == 1.0 and scored["missing_from_store"] == 1


def test_the_gold_has_both_splits_and_no_article_text():
    for name in ("entity_pairs.tsv", "types.tsv", "speakers.tsv"):
        dev, test = read_gold(name, "dev"), read_gold(name, "test")
        assert dev and test and len(dev) > len(test)
    assert all(len(row["note"]) < 200 for row in read_gold("speakers.tsv", "all"))
    assert (GOLD / "README.md").is_file()


def test_the_command_scores_a_store(tmp_path_factory):
    url = f"sqlite:///{example_store_path(tmp_path_factory)}"
    result = CliRunner().invoke(app, ["eval", "identity", "--db", url, "--split", "dev", "--top"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["store_documents"] >= 13 and data["speaker_lists"]["naming_no_one"] == 0
    assert data["entity_pairs"]["missing_from_store"] > 0  # the gold is drawn from the Ukraine store
    assert len(data["top_entities"]) > 10
    from sitroom import settings

    assert ("near_duplicates" in data) == settings.shared_dir().is_dir()
