"""The TempEval-3 scorer: TimeML reading, span matching, attribute scores, the CLI, and the
floors of issue 4 on the platinum test set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.eval.tempeval3 import GoldTimex, Tally, evaluate, match_relaxed, read_split, read_tml
from sitroom.model import TimeExpr

# A TimeML document written for the test, in the corpus's layout.
SMALL_TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>small</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" functionInDocument="CREATION_TIME">March 22, 2013</TIMEX3></DCT>
<TEXT>
The agency <EVENT eid="e1" class="REPORTING">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="2013-03-22">Friday</TIMEX3> that prices rose &amp; fell over <TIMEX3 tid="t2" type="DURATION" value="P2Y">the past two years</TIMEX3>.
</TEXT>
</TimeML>
"""


def write_small(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "small.tml"
    path.write_text(SMALL_TML, encoding="utf-8")
    return path


def test_read_tml_offsets_point_into_the_plain_text(tmp_path):
    document = read_tml(write_small(tmp_path))
    assert document.dct == "2013-03-22"
    assert [(t.text, t.type, t.value) for t in document.timexes] == [
        ("Friday", "DATE", "2013-03-22"),
        ("the past two years", "DURATION", "P2Y"),
    ]
    for timex in document.timexes:
        assert document.text[timex.start : timex.end] == timex.text
    assert "rose & fell" in document.text  # entities unescaped


def test_read_tml_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad.tml"
    bad.write_text("<TimeML><TEXT>unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match="not well-formed"):
        read_tml(bad)
    with pytest.raises(ValueError, match="unknown split"):
        read_split(tmp_path, "dev")
    with pytest.raises(FileNotFoundError):
        read_split(tmp_path, "test")


def test_scoring_strict_relaxed_and_attributes():
    gold = [GoldTimex(0, 6, "Friday", "DATE", "2013-03-22"), GoldTimex(20, 38, "the past two years", "DURATION", "P2Y")]
    system = [
        TimeExpr("Friday", 0, 6, "DATE", "2013-03-22"),
        TimeExpr("two years", 29, 38, "DURATION", "P1Y"),  # relaxed match, wrong value
        TimeExpr("now", 50, 53, "DATE", "PRESENT_REF"),  # spurious
    ]
    assert len(match_relaxed(gold, system)) == 2
    tally = Tally()
    tally.add("d", gold, system)
    scores = tally.scores()
    assert scores["strict"] == {"precision": 0.3333, "recall": 0.5, "f1": 0.4}
    assert scores["relaxed"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8}
    assert scores["type_accuracy"] == 1.0
    assert scores["value_accuracy"] == 0.5
    assert scores["value_f1"] == 0.4  # P = 1/3, R = 1/2


def test_cli_prints_one_json_object(tmp_path):
    from sitroom.cli import app

    write_small(tmp_path / "test" / "platinum")
    result = CliRunner().invoke(app, ["eval", "tempeval3", "--data", str(tmp_path), "--split", "test"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["documents"] == 1 and scores["gold"] == 2
    assert scores["relaxed"]["f1"] == 1.0 and scores["value_f1"] == 1.0
    missing = CliRunner().invoke(app, ["eval", "tempeval3", "--data", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2


def test_platinum_floors(shared):
    """Issue 4's floors on TempEval-3 platinum: value F1 >= 0.75, relaxed F1 >= 0.85 (measured 0.80 / 0.91)."""
    scores = evaluate(read_split(shared / "eval" / "tempeval3", "test"))
    assert scores["gold"] == 138
    assert scores["relaxed"]["f1"] >= 0.89
    assert scores["value_f1"] >= 0.78
    assert scores["strict"]["f1"] >= 0.79
