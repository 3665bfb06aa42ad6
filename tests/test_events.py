"""The PLOVER event coder: the seed article's events, each modality, participants, patterns."""

from __future__ import annotations

import pytest

import sitroom
from sitroom.model import Document, Event, Extraction, TimeExpr
from sitroom.nlp.events import extract_events
from sitroom.nlp.events_lexicon import NO_EVENT, PLOVER_TYPES, lexicon, parse_patterns


def _events(text: str, published: str | None = "2024-05-02") -> list[Event]:
    return sitroom.extract(text, published=published).events


def _one(events: list[Event], trigger: str) -> Event:
    found = [e for e in events if e.trigger is not None and e.trigger.text == trigger]
    assert found, f"no event on {trigger!r}: {[(e.type, e.trigger.text if e.trigger else None) for e in events]}"
    return found[0]


def _names(actors) -> str:
    return " | ".join(a.name for a in actors)


# -- the seed article -----------------------------------------------------------------------

def test_seed_troop_deployment_has_actor_size_and_place(seed_extraction):
    deployments = [e for e in seed_extraction.events if e.type == "MOBILIZE" and e.modality == "asserted"
                   and e.location == "Russia" and e.quantity and "3,000" in e.quantity]
    assert deployments, [(e.type, e.trigger.text, e.location, e.quantity) for e in seed_extraction.events]
    assert any("North Korea" in _names(e.actors) for e in deployments)


def test_seed_arms_deliveries_go_from_north_korea_to_russia(seed_extraction):
    delivered = _one(seed_extraction.events, "delivered")
    assert delivered.type == "AID"
    assert delivered.modality == "asserted"
    assert "North Korea" in _names(delivered.actors)
    assert _names(delivered.recipients) == "Russia"
    assert "13,000" in (delivered.quantity or "")


def test_seed_defence_treaty_is_signed_by_both_states(seed_extraction):
    signed = _one(seed_extraction.events, "signed")
    assert signed.type == "SUPPORT"
    assert {a.name for a in signed.actors} >= {"Russia", "North Korea"}
    assert signed.time == "2024-06"


def test_seed_planned_10000_is_a_future_deployment(seed_extraction):
    planned = [e for e in seed_extraction.events if e.quantity and "10,000" in e.quantity and e.type == "MOBILIZE"]
    assert planned, [(e.type, e.trigger.text, e.quantity) for e in seed_extraction.events]
    event = planned[0]
    assert event.modality == "future"
    assert "North Korea" in _names(event.actors)
    assert event.location == "Russia"
    assert event.time == "2024-12"


def test_seed_planned_10000_sits_in_the_agency_claim(seed_extraction):
    assert seed_extraction.claims
    event = next(e for e in seed_extraction.events if e.quantity and "10,000" in e.quantity and e.type == "MOBILIZE")
    assert event.claim_id is not None
    claim = next(c for c in seed_extraction.claims if c.id == event.claim_id)
    assert "agency" in claim.speaker.text.lower() or "agency" in claim.speaker.name.lower()


def test_seed_events_carry_evidence_and_modality(seed_extraction):
    text = seed_extraction.document.text
    assert len(seed_extraction.events) >= 10
    for event in seed_extraction.events:
        assert event.type in PLOVER_TYPES
        assert event.modality in ("asserted", "future", "hypothetical", "negated")
        assert text[event.start:event.end] == event.text
        assert event.trigger is not None and text[event.trigger.start:event.trigger.end] == event.trigger.text
        assert event.start <= event.trigger.start < event.end
    modalities = {e.modality for e in seed_extraction.events}
    assert {"asserted", "future", "hypothetical", "negated"} <= modalities


# -- modality on short sentences ------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "trigger", "type_", "modality"),
    [
        ("Rebels attacked a police station in the north on Monday.", "attacked", "ASSAULT", "asserted"),
        ("The army plans to deploy 5,000 troops to the border.", "deploy", "MOBILIZE", "future"),
        ("The two presidents will meet in Geneva next month.", "meet", "AGREE", "future"),
        ("The government could impose sanctions on its neighbour.", "impose", "SANCTION", "hypothetical"),
        ("If the rebels attack the city, the army will respond.", "attack", "ASSAULT", "hypothetical"),
        # Harm held out as the consequence of a condition is a threat (PLOVER: THREATEN, not SANCTION + mode).
        ("If the talks fail, the government could impose sanctions on its neighbour.", "impose", "THREATEN", "hypothetical"),
        ("Officials fear the militia may attack the camp.", "attack", "ASSAULT", "hypothetical"),
        ("The police have not arrested any of the protesters.", "arrested", "COERCE", "negated"),
        ("The ministry avoided criticizing the decision.", "criticizing", "ACCUSE", "negated"),
        ("The government said it would impose a curfew on the capital.", "impose", "THREATEN", "future"),
    ],
)
def test_modality(text, trigger, type_, modality):
    event = _one(_events(text), trigger)
    assert (event.type, event.modality) == (type_, modality)


def test_a_later_date_makes_an_event_future(nlp):
    text = "The navy is deploying two frigates to the Gulf in December."
    doc = nlp(text)
    start = text.index("December")
    december = TimeExpr(text="December", start=start, end=start + 8, type="DATE", value="2024-12")
    for published, modality in (("2024-10-24", "future"), ("2025-01-10", "asserted")):
        found = Extraction(document=Document(id="d", text=text, published=published), times=[december])
        event = _one(extract_events(doc, found), "deploying")
        assert (event.type, event.modality, event.time) == ("MOBILIZE", modality, "2024-12")


# -- participants ---------------------------------------------------------------------------

def test_actor_and_recipient_of_aid():
    event = _one(_events("Japan donated medical supplies to Kenya on Friday."), "donated")
    assert event.type == "AID"
    assert _names(event.actors) == "Japan"
    assert _names(event.recipients) == "Kenya"


def test_passive_agent_is_the_actor():
    event = _one(_events("The convoy was attacked by militants near the border."), "attacked")
    assert event.type == "ASSAULT"
    assert _names(event.actors) == "militants"


def test_compound_actors_and_the_recipient_of_a_demand():
    events = _events("France and Germany demanded that Iran free the detained journalists.")
    demand = _one(events, "demanded")
    assert demand.type == "REQUEST"
    assert {a.name for a in demand.actors} == {"France", "Germany"}
    assert _names(demand.recipients) == "Iran"
    # The freeing is what was demanded, not an event that happened.
    assert [e.type for e in events] == ["REQUEST"]


def test_light_verb_with_an_event_noun():
    event = _one(_events("Students staged a protest outside parliament on Tuesday."), "protest")
    assert event.type == "PROTEST"
    assert "Students" in _names(event.actors)


def test_works_without_earlier_extractors(nlp):
    doc = nlp("Turkish police detained twelve journalists in Istanbul.")
    events = extract_events(doc, Extraction(document=Document(id="d", text=doc.text)))
    assert [e.type for e in events] == ["COERCE"]
    assert events[0].location == "Istanbul"
    assert events[0].quantity == "twelve"


def test_no_events_in_plain_text(nlp):
    doc = nlp("The weather was mild and the river was calm.")
    assert extract_events(doc, Extraction(document=Document(id="d", text=doc.text))) == []


# -- the pattern file -----------------------------------------------------------------------

def test_pattern_file_covers_every_plover_type():
    lex = lexicon()
    types = {p.type for table in (lex.verbs, lex.nouns) for patterns in table.values() for p in patterns}
    assert types == {*PLOVER_TYPES, NO_EVENT}


def test_most_specific_pattern_wins():
    lex = lexicon()
    assert lex.match("verb", "send", objects={"troop"}).type == "MOBILIZE"
    assert lex.match("verb", "send", objects={"weapon"}).type == "AID"
    assert lex.match("verb", "call", particles={"for"}).type == "REQUEST"
    assert lex.match("verb", "send") is None


def test_malformed_pattern_lines_are_reported():
    with pytest.raises(ValueError, match="line 1"):
        parse_patterns(["verb\tattack\t-\tBOMBARD\t"])
    with pytest.raises(ValueError, match="@MISSING"):
        parse_patterns(["verb\tsend\t+@MISSING\tAID\t"])


def test_a_capital_standing_for_its_government_acts_as_the_country(nlp):
    from sitroom.model import Entity, Place, Span

    text = "Pyongyang may face consequences for directly aiding Russia."
    doc = nlp(text)
    korea = Entity(id="e1", name="North Korea", type="GPE", country_code="KP")
    russia = Entity(id="e2", name="Russia", type="GPE", mentions=[Span("Russia", 52, 58)], country_code="RU")
    capital = Place(text="Pyongyang", start=0, end=9, name="Pyongyang", country_code="KP", entity_id="e1", metonymy=True)
    found = Extraction(document=Document(id="d", text=text), entities=[korea, russia], places=[capital])
    event = _one(extract_events(doc, found), "aiding")
    assert event.type == "AID"
    assert [(a.name, a.country_code) for a in event.actors] == [("North Korea", "KP")]
    assert [(a.name, a.country_code) for a in event.recipients] == [("Russia", "RU")]


def test_a_nominal_event_is_not_its_own_actor():
    events = _events("The Israeli offensive began on Sunday.")
    offensive = _one(events, "offensive")
    assert offensive.type == "ASSAULT"
    assert [a.name for a in offensive.actors] != ["offensive"]
    assert "Israeli" in _names(offensive.actors)
