"""What is not a claim (issue 13): each class of false claim an audit of real reporting found,
pinned on short real sentences from the Ukraine articles, the VOA stories and the seed.

A claim needs a speech, cognition or reporting act with a source; acts, wants, states, topics,
negated acts, consequences the writer draws, headings and credit lines are not claims.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sitroom

SEED = Path(__file__).resolve().parents[1] / "src" / "sitroom" / "examples" / "north-korean-troops-in-russia.txt"


def claims_of(text: str, published: str = "2024-05-01"):
    return sitroom.extract(text, published=published).claims


def cues(text: str) -> list[str]:
    return [c.cue.text for c in claims_of(text)]


@pytest.mark.parametrize("text,why", [
    ("But the EBU ruled that out in view of the war, and Ukrainian broadcaster UA:PBC acquiesced to a UK-hosted "
     "event infused with “Ukrainian spirit”.", "a decision, and a pronoun is no content"),
    ("And under Putin’s leadership, Russia is increasingly collaborating with other nations who oppose us – Iran "
     "and our most powerful adversary, Communist China.", "a stance, not speech"),
    ("Moscow is seeking weapons and troops to make progress in the ongoing stalemate lasting over two years.",
     "a want, not speech"),
    ("Russia has blockaded Black Sea ports, meaning grain already harvested cannot be exported internationally.",
     "a consequence the writer draws"),
    ("Reporters do not appear to have asked about it.", "a question that was not asked, about nothing named"),
    ("Photo: Stringer, Anadolu Agency\nRussian troops shelled the city.", "a photo credit line"),
    ("THE UNITED NATIONS: IS IT WORTH ALL THE MONEY?\nThe body was founded in 1945.", "a section heading"),
])
def test_acts_wants_consequences_and_headings_are_not_claims(text, why):
    assert cues(text) == [], why


def test_a_negated_act_with_an_object_is_no_statement():
    # "has not disclosed the information" (seed): nothing was said
    found = claims_of("Cho Tae-yong said that North Korea has not disclosed the information about deploying "
                      "troops to its people.")
    assert [c.cue.text for c in found] == ["said"]


def test_a_want_is_a_claim_only_when_someone_reports_it():
    found = claims_of("The agency assessed that North Korea aims to deploy a total of 10,000 soldiers to Russia "
                      "by December.")
    assert [c.cue.text for c in found] == ["assessed"]  # "aims" is the content, not a claim by North Korea


def test_a_clause_read_backwards_keeps_only_the_real_statement():
    found = claims_of("He has rarely left Russia since the invasion of Ukraine, in part because of an International "
                      "Criminal Court (ICC) warrant for his arrest that Moscow says it does not recognize.")
    assert [(c.speaker.name, c.cue.text) for c in found] == [("Moscow", "says")]


def test_an_addressee_or_a_topic_alone_is_no_content():
    assert "warn" not in cues("However, Western countries are extremely concerned about the concentration of Russian "
                              "troops at the border with Ukraine and warn Moscow from the effects of possible "
                              "aggression against this country.")
    found = cues("He added that if Zelanski wants to talk about the issue of Donbass, then he should ask the contact "
                 "group in which the Four of the Four's decision is to be discussed by these issues.")
    assert "to talk about" not in found and "added" in found


def test_force_against_a_place_is_no_statement():
    assert cues("They also came just hours after Russia’s Defense Ministry accused Kyiv of attacking Moscow with "
                "drones.") == ["accused"]


def test_glued_sentences_give_spans_that_stop_at_the_boundary():
    text = ("He pointed out that the proposals submitted by the United States were better than those that Russia "
            "offered NATO.He added that in the coming weeks he was expecting a meeting with the Secretary of State "
            "Antony Blinken.")
    added = next(c for c in claims_of(text) if c.cue.text == "added")
    assert added.content.text.startswith("that in the coming weeks") and "NATO" not in added.content.text
    pointed = next(c for c in claims_of(text) if c.cue.text == "pointed out")
    assert pointed.content.text.endswith("offered NATO")


def test_said_on_never_comes_from_inside_the_source_or_content():
    found = claims_of("Many of the original inhabitants of the islands who were forcibly expelled to make way for "
                      "the base on Diego Garcia in the 1960s and 1970s are also critical of the agreement and say "
                      "their voices have been ignored.", published="2024-10-04")
    assert [(c.cue.text, c.said_on, c.said_on_basis) for c in found] == [("say", "2024-10-04", "published")]


def test_later_that_day_dates_the_statement_by_the_day_told_of():
    text = SEED.read_text(encoding="utf-8").split("\n\n")[0]  # the seed's first two paragraphs
    found = claims_of(text, published="2024-10-31")
    kirby = next(c for c in found if c.speaker.name == "John Kirby")
    assert (kirby.said_on, kirby.said_on_basis) == ("2024-10-30", "cue")


def test_it_is_the_body_that_spoke_before():
    text = ("Russian energy giant Gazprom says it is cutting daily gas deliveries via the Nord Stream pipeline to "
            "33 million cubic metres a day.\n\nIt says in a statement that it is halting the operation of one of the "
            "last two operating turbines.")
    found = claims_of(text, published="2022-07-26")
    assert [c.speaker.name for c in found] == ["Gazprom", "Gazprom"]
    assert found[1].content.text.startswith("that it is halting")


def _article_up_to(name: str, words: str, shared: Path) -> str:
    text = (shared / "corpus" / "ukraine-war-news" / "articles" / name).read_text(encoding="utf-8")
    return text[:text.index("\n", text.index(words))]


def test_a_titled_nominal_is_the_person_so_titled(shared):
    text = _article_up_to("20220210T130000Z_PL_en_4a644262db.txt", "the minister stated", shared)
    found = claims_of(text, published="2022-02-10")
    assert next(c for c in found if c.cue.text == "stated").speaker.name == "Sergei Lavrov"
    # "It seems that ...", "we do not hear - Sergei Lavrov regretted", "Referring to ...": no claims
    assert not {"seems", "do not hear", "Referring to"} & {c.cue.text for c in found}


def test_a_title_of_another_country_is_not_the_last_president_named(shared):
    text = _article_up_to("20220429T000000Z_GB_en_2088cbef25.txt", "The US president said it was aimed", shared)
    found = claims_of(text, published="2022-04-29")
    us = next(c for c in found if c.speaker.text == "The US president")
    assert us.speaker.name != "Volodymyr Zelenskiy" and us.speaker.kind == "anonymous"


def test_the_seed_keeps_every_statement_and_lists_nothing_else():
    found = claims_of(SEED.read_text(encoding="utf-8"), published="2024-10-31")
    said = {(c.speaker.name, c.cue.text) for c in found}
    for expected in [("United States", "expressed evidence"), ("John Kirby", "stated"), ("John Kirby", "warned"),
                     ("Lloyd Austin", "described"), ("Lloyd Austin", "added"), ("Mark Rutte", "stated"),
                     ("Cho Tae-yong", "informed"), ("Volodymyr Zelenskyy", "previously stated"),
                     ("Kyrylo Budanov", "told")]:
        assert expected in said
    assert not any(c.cue.text in ("aims", "is seeking", "has not disclosed") for c in found)


def _line_with(name: str, words: str, shared: Path) -> str:
    """The paragraph of a Ukraine article that holds ``words`` (the corpus is read, not copied)."""
    text = (shared / "corpus" / "ukraine-war-news" / "articles" / name).read_text(encoding="utf-8")
    at = text.index(words)
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start:end if end >= 0 else len(text)]


@pytest.mark.parametrize("name,words,not_cue,why", [
    ("20220219T000000Z_GB_en_d13c9b63bf.txt", "everything he was seeing suggested", "suggested",
     "a state of affairs is no source; the outer 'warned' holds the statement"),
    ("20240426T011500Z_GB_en_1f5d3a2db5.txt", "The proliferation of drones means", "means", "a thing is no source"),
    ("20220426T191500Z_UA_en_4c2c7e7a6a.txt", "may respond, of course", "may respond",
     "a thing inside a quotation is no source"),
    ("20220215T094500Z_GB_en_29e2b26656.txt", "Asked to expand on this point", "Asked",
     "the question put to the speaker is not the speaker's statement"),
    ("20240422T201500Z_GB_en_c6b1568445.txt", "approved the bill on Saturday", "approved", "a vote is an act"),
    ("20220808T064500Z_GB_en_ef87ed81a3.txt", "had agreed on the", "had agreed on",
     "a report inside another with a source that names no one"),
])
def test_things_questions_acts_and_unsourced_nested_reports_are_not_claims(shared, name, words, not_cue, why):
    found = claims_of(_line_with(name, words, shared))
    assert not_cue not in [c.cue.text for c in found], why


def test_a_source_must_be_able_to_speak():
    # constructed: a poll, protesters and an untagged surname speak; an abstract state of affairs does not
    assert cues("A new poll found that most voters oppose the plan.") == ["found"]
    assert cues("Protesters said the police had beaten them.") == ["said"]
    assert cues("Rinkevics said the two had talked about the war.") == ["said"]
    assert cues("The escalation means that families will eat less.") == []


def test_a_definite_role_is_the_one_person_named_just_before():
    # constructed: "the politician" / "the analyst" after one named person; two people named: no guess
    found = claims_of("Foreign Minister Anna Kowalska met her Czech colleague in Prague. The politician pointed out "
                      "that trade between the two countries fell.")
    assert [c.speaker.name for c in found] == ["Anna Kowalska"]
    found = claims_of("John Smith met Joe Biden on Monday. The president said the talks went well.")
    assert [c.speaker.kind for c in found] == ["anonymous"]
    found = claims_of("Officials met John Smith on Monday. The officials said the talks went well.")
    assert [c.speaker.kind for c in found] == ["anonymous"]  # a plural role is no one person


def test_the_publication_is_the_one_named_before():
    found = claims_of("The Economist published a long report on Germany. Its ties with Europe are another advantage, "
                      "says the weekly.")
    assert [c.speaker.name for c in found] == ["Economist"]


@pytest.mark.parametrize("text", [
    "A Kremlin spokesman declined to comment on the report.",  # nothing was said
    "The minister refused to say whether troops would be sent.",
    "He talked to reporters on Tuesday.",  # a listener, not a message
    "Analysts worry about the economy.",  # a topic
])
def test_withheld_comments_listeners_and_topics_are_no_claims(text):  # constructed (third audit's classes)
    assert cues(text) == []


def test_a_refusal_reported_by_someone_else_is_still_their_report():
    assert "said" in cues("Germany refused to join the sanctions, officials said.")
