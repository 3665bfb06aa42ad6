"""The PolNeAR scorer: brat reading, span matching, and the eval command on real gold."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.eval.polnear import Attribution, PolnearError, load_split, parse_ann, score, score_document

TEXT = "Kirby said, “They are in Russia.” Officials believe that more will come."
ANN = """T1\tSource 0 5\tKirby
T2\tCue 6 10\tsaid
T3\tContent 12 33\t“They are in Russia.”
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3
T5\tCue 44 51\tbelieve
T6\tContent 52 56;57 72\tthat more will come.
T7\tAttribution 44 51\tbelieve
E2\tAttribution-no-source:T7 Cue:T5 Content:T6
T8\tDiscuss 0 5\tKirby
#1\tAnnotatorNotes T1\ta note
"""


def test_fixture_offsets_match_the_text():
    assert TEXT[12:33] == "“They are in Russia.”" and TEXT[44:51] == "believe" and len(TEXT) == 72


def test_parse_ann_reads_roles_discontinuous_spans_and_sourceless_attributions():
    gold = parse_ann(ANN)
    assert len(gold) == 2
    assert gold[0] == Attribution(source=((0, 5),), cue=((6, 10),), content=((12, 33),))
    assert gold[1].source is None
    assert gold[1].content == ((52, 56), (57, 72))


def test_parse_ann_rejects_bad_offsets():
    with pytest.raises(PolnearError):
        parse_ann("T1\tSource five six\tKirby\n")


def test_perfect_prediction_scores_one():
    gold = parse_ann(ANN)
    result = score([(TEXT, gold, gold)])
    assert result["triple_overlap_f1"] == 1.0
    for role in ("source", "cue", "content"):
        assert result[role]["exact"]["f1"] == 1.0
        assert result[role]["overlap"]["f1"] == 1.0


def test_exact_ignores_edge_punctuation_and_overlap_needs_a_shared_character():
    gold = [Attribution(source=((0, 5),), cue=((6, 10),), content=((12, 33),))]
    shifted = [Attribution(source=((0, 6),), cue=((6, 9),), content=((13, 40),))]  # "Kirby " / "sai" / longer
    counts = score_document(TEXT, shifted, gold)
    assert counts["source_exact"].matched_pred == 1  # trailing space trimmed
    assert counts["cue_exact"].matched_pred == 0 and counts["cue_overlap"].matched_pred == 1
    assert counts["content_exact"].matched_pred == 0 and counts["content_overlap"].matched_pred == 1
    assert counts["triple_overlap"].matched_pred == 1
    elsewhere = [Attribution(source=((34, 43),), cue=((44, 51),), content=((52, 72),))]
    counts = score_document(TEXT, elsewhere, gold)
    assert counts["triple_overlap"].matched_pred == 0 and counts["cue_overlap"].matched_pred == 0


def test_sourceless_gold_matches_only_a_sourceless_prediction():
    gold = [parse_ann(ANN)[1]]
    with_source = [Attribution(source=((34, 43),), cue=((44, 51),), content=((52, 72),))]
    without = [Attribution(source=None, cue=((44, 51),), content=((52, 72),))]
    assert score_document(TEXT, with_source, gold)["triple_overlap"].matched_pred == 0
    assert score_document(TEXT, without, gold)["triple_overlap"].matched_pred == 1


def test_missing_split_is_a_clear_error(tmp_path):
    with pytest.raises(PolnearError, match="no PolNeAR split"):
        load_split(tmp_path, "dev")


def test_load_split_uses_the_first_annotator_file(shared):
    articles = load_split(shared / "eval" / "polnear", "dev")
    assert len(articles) == 84
    assert all(a.gold for a in articles)
    several = [a for a in articles if a.name.startswith("breitbart_2016-10-22_canada-eu-failure")]
    assert not several or several[0].annotator == "4b22"
    for article in articles[:5]:
        for attribution in article.gold:
            for start, end in attribution.cue:
                assert 0 <= start < end <= len(article.text)


@pytest.mark.slow
def test_eval_command_prints_the_figures_and_holds_a_floor(shared):
    # measured on these first 12 dev articles: triple overlap F1 0.676, exact source F1 0.731, content overlap
    # F1 0.744 (docs/benchmarks.md has the full splits); the floors sit a little under
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "polnear", "--data", str(shared / "eval" / "polnear"), "--split", "dev",
                                 "--limit", "12"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["documents"] == 12
    for role in ("source", "cue", "content"):
        assert set(figures[role]) == {"exact", "overlap"}
        assert set(figures[role]["exact"]) == {"precision", "recall", "f1"}
    assert figures["triple_overlap_f1"] >= FLOOR_TRIPLE
    assert figures["source"]["exact"]["f1"] >= FLOOR_SOURCE_EXACT
    assert figures["content"]["overlap"]["f1"] >= FLOOR_CONTENT_OVERLAP


FLOOR_TRIPLE = 0.63
FLOOR_SOURCE_EXACT = 0.69
FLOOR_CONTENT_OVERLAP = 0.70


def test_textacy_baseline_runs_through_the_same_scorer(shared):
    pytest.importorskip("textacy")
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "polnear", "--data", str(shared / "eval" / "polnear"), "--split", "dev",
                                 "--limit", "3", "--baseline", "textacy"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["system"] == "textacy" and figures["documents"] == 3
    assert "failed_documents" in figures


def test_eval_command_rejects_a_bad_split():
    result = CliRunner().invoke(app, ["eval", "polnear", "--split", "holdout"])
    assert result.exit_code == 2
