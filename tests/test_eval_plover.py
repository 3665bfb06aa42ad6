"""The PLOVER GSR scorer, the `eval plover` and `timeline` commands."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.eval.event_sentences import JudgedSentence, events_in, load_sentences
from sitroom.eval.event_sentences import evaluate as evaluate_sentences
from sitroom.eval.event_sentences import score as score_sentences
from sitroom.eval.plover import GoldParticipant, GoldRecord, evaluate, load_gsr, score, split_of, v07_type
from sitroom.model import Actor, Event, Span
from sitroom.nlp.events_lexicon import PLOVER_TYPES

runner = CliRunner()


def test_old_type_names_map_to_v07():
    assert v07_type("DEMAND") == "REQUEST"
    assert v07_type("DISAPPROVE") == "ACCUSE"
    assert v07_type("INVESTIGATE") == "ACCUSE"
    assert v07_type("FIGHT") == "ASSAULT"
    assert v07_type("AGREE") == "AGREE"


def test_split_is_fixed_by_id():
    assert split_of("PLOVER-GSR01-AGREE-0001") == "test" and split_of("PLOVER-GSR01-AGREE-0002") == "dev"
    assert {split_of(f"r{i}") for i in range(20)} == {"dev", "test"}


def _event(type_: str, actors=(), recipients=()) -> Event:
    return Event(id="v1", type=type_, text="", start=0, end=0, actors=[Actor(n) for n in actors],
                 recipients=[Actor(n) for n in recipients])


def test_score_counts_types_and_participants():
    gold = [
        GoldRecord("a", "", "AID", "AID", [GoldParticipant("Japan", "JPN")], [GoldParticipant("Kenya", "KEN")]),
        GoldRecord("b", "", "REQUEST", "DEMAND", [GoldParticipant("French President", "FRA")], []),
        GoldRecord("c", "", "ASSAULT", "FIGHT", [GoldParticipant("rebels")], []),
    ]
    predicted = [_event("AID", ["Japan"], ["Nairobi"]), _event("REQUEST", ["President Chirac"]), None]
    result = score(list(zip(gold, predicted)))
    assert result["type_accuracy"] == round(2 / 3, 4)
    assert result["coverage"] == round(2 / 3, 4)
    assert result["actor"] == {"records": 3, "agreement": round(2 / 3, 4), "precision": 1.0,
                               "recall": round(2 / 3, 4), "f1": 0.8}
    assert result["recipient"]["recall"] == 0.0
    assert result["per_type"]["ASSAULT"]["recall"] == 0.0
    assert result["top_confusions"] == {"ASSAULT->NONE": 1}


def test_country_codes_count_as_agreement():
    gold = [GoldRecord("a", "", "AID", "AID", [GoldParticipant("Tokyo", "JPN")], [])]
    result = score([(gold[0], Event(id="v", type="AID", text="", start=0, end=0,
                                    actors=[Actor("the Japanese government", country_code="JP")]))])
    assert result["actor"]["agreement"] == 1.0


def test_gsr_loads_with_v07_types(shared):
    records = load_gsr(shared / "eval" / "plover")
    assert len(records) == 322
    assert {r.type for r in records} <= set(PLOVER_TYPES)
    assert sum(1 for r in records if r.split == "test") > 100


@pytest.mark.slow
def test_type_accuracy_floor_on_held_out_half(shared):
    result = evaluate(shared / "eval" / "plover", split="test", sentences=False)
    assert result["records"] == 150
    assert result["type_accuracy"] >= 0.74  # measured 0.7467 before issue 13, 0.740 after (docs/benchmarks.md)
    assert result["macro_f1"] >= 0.68
    assert result["actor"]["f1"] >= 0.70
    assert result["halves"]["dev"]["type_accuracy"] >= 0.68


# -- judged news sentences (gold/event_sentences) ------------------------------------------

def test_judged_sentences_load_with_their_split():
    sentences = load_sentences()
    assert len(sentences) == 160
    assert {s.label for s in sentences} == {"event", "none"}
    assert all(s.split == split_of(s.document_id) for s in sentences)  # halves fixed by document
    assert all((s.type is None) == (s.label == "none") for s in sentences)
    assert all(s.start < s.end for s in sentences)


def test_a_malformed_sentence_row_names_its_line(tmp_path):
    path = tmp_path / "sentences.tsv"
    header = "split\tcorpus\tdocument_id\tstart\tend\tlabel\ttype\ttext\tnote\n"
    path.write_text(header + "dev\tvoa\tabc\t0\t10\tmaybe\t-\tx\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        load_sentences(path)
    with pytest.raises(FileNotFoundError):
        load_sentences(tmp_path / "nowhere.tsv")


def test_an_event_on_a_none_sentence_is_a_false_positive():
    none = JudgedSentence("dev", "voa", "d", 0, 50, "none", None)
    attack = JudgedSentence("dev", "voa", "d", 50, 90, "event", "ASSAULT")
    found = Event(id="v1", type="ASSAULT", text="", start=0, end=50, modality="hypothetical",
                  trigger=Span("attack", 10, 16))
    assert events_in([found], none) == [found] and events_in([found], attack) == []
    result = score_sentences([(none, [found]), (attack, [])])
    assert result["none_with_event"] == 1 and result["precision_on_none"] == 0.0
    assert result["false_positive_modalities"] == {"hypothetical": 1}
    assert result["event_found"] == 0.0 and result["sentence_precision"] == 0.0


@pytest.mark.slow
def test_precision_on_judged_none_sentences(shared):
    result = evaluate_sentences(shared)
    assert result["dev"]["none_sentences"] == 49 and result["test"]["none_sentences"] == 54
    assert result["dev"]["precision_on_none"] >= 0.9  # measured 0.959 (rules written on dev; 0.714 before)
    assert result["test"]["precision_on_none"] >= 0.7  # measured 0.759 held out (0.630 before); target 0.85
    assert "false_positives" in result["dev"] and "false_positives" not in result["test"]


def test_eval_command_reports_missing_data(tmp_path):
    result = runner.invoke(app, ["eval", "plover", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no PLOVER gold-standard file" in result.output


def test_gsr_that_is_not_a_list_is_a_clear_error(tmp_path):
    path = tmp_path / "gsr.json"
    path.write_text('{"id": "x"}', encoding="utf-8")
    with pytest.raises(ValueError, match="JSON list"):
        load_gsr(path)
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_gsr(path)


def test_eval_command_rejects_unknown_split(tmp_path):
    result = runner.invoke(app, ["eval", "plover", "--data", str(tmp_path), "--split", "train"])
    assert result.exit_code == 2


# -- timeline -------------------------------------------------------------------------------

@pytest.fixture()
def seed_store(tmp_path, seed_extraction):
    import sitroom

    store = sitroom.open_store(f"sqlite:///{tmp_path / 'events.db'}")
    store.save_extraction(seed_extraction, location="seed.txt")
    later = sitroom.extract("Rebels attacked a police station in Kursk on Monday.", published="2024-11-04")
    store.save_extraction(later, location="later.txt")
    yield store, tmp_path / "events.db"
    store.close()


def test_events_and_timeline_list_every_report_in_time_order(seed_store):
    from sitroom.picture import Picture

    store, _ = seed_store
    picture = Picture(store)
    events = picture.events(limit=1000)
    assert events["total"] == len(store.records("events", limit=None)) == len(events["items"])
    dates = [e["date"] for e in events["items"]]
    assert dates == sorted(dates)
    assert any(e["type"] == "ASSAULT" and e["date"] == "2024-11-04" for e in events["items"])
    assert all(e["text"] and e["document_id"] and e["evidence"]["sentence"] for e in events["items"])
    timeline = picture.timeline(limit=1000)["items"]
    assert sum(len(entry["reports"]) for entry in timeline) == events["total"]
    assert {e["timeline_key"] for e in events["items"]} == {entry["key"] for entry in timeline}


def test_timeline_filters_by_entity_and_date(seed_store):
    from sitroom.picture import Picture

    store, _ = seed_store
    picture = Picture(store)
    korea = picture.find_entity("north korea")
    korean = picture.timeline(entity="north korea", limit=1000)["items"]
    assert korean and all(korea.key in e["entity_keys"] for e in korean)
    recent = picture.timeline(since="2024-11-01")["items"]
    assert "ASSAULT" in [e["type"] for e in recent]
    assert all(e["date"] >= "2024-11" for e in recent)
    assert len(recent) < picture.timeline()["total"]


def test_timeline_command(seed_store):
    _, path = seed_store
    result = runner.invoke(app, ["timeline", "--db", f"sqlite:///{path}", "--since", "2024-11-01"])
    assert result.exit_code == 0, result.output
    assert "ASSAULT" in result.output and "Rebels attacked a police station" in result.output
    as_json = runner.invoke(app, ["timeline", "--db", f"sqlite:///{path}", "--format", "json", "--entity", "Russia"])
    assert as_json.exit_code == 0
    page = json.loads(as_json.output)
    assert page["items"] and all(e["type"] in PLOVER_TYPES for e in page["items"])
    bad = runner.invoke(app, ["timeline", "--db", f"sqlite:///{path}", "--since", "yesterday"])
    assert bad.exit_code == 2


def test_event_date_prefers_a_calendar_value():
    from sitroom.picture.timeline import event_date

    assert event_date(Event(id="v", type="AID", text="", start=0, end=0, time="2024-06").time, "2024-10-24") == ("2024-06", "event")
    # A year range or a duration is not a calendar date: the document's date stands in.
    for time in ("1950-53", "the past two years", None):
        event = Event(id="v", type="AID", text="", start=0, end=0, time=time)
        assert event_date(event.time, "2024-10-24") == ("2024-10-24", "published")
    assert event_date(Event(id="v", type="AID", text="", start=0, end=0).time, None) == (None, None)
