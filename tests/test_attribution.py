"""Who said what: each construction of issue 3 pinned on short real sentences (seed article, VOA).

Sentences run through the whole pipeline (``sitroom.extract``), so speakers resolve against the
entities the pipeline really finds.
"""

from __future__ import annotations

import pytest

import sitroom
from sitroom.model import Document, Extraction, TimeExpr
from sitroom.nlp.attribution import extract_claims
from sitroom.nlp.attribution_quotes import find_quotes
from sitroom.nlp.cues import cue_lexicon, find_hedge

PUBLISHED = "2024-10-24"


def claims_of(text: str, published: str | None = PUBLISHED):
    return sitroom.extract(text, published=published).claims


def only(claims, cue: str):
    found = [c for c in claims if c.cue.text == cue]
    assert len(found) == 1, [(c.cue.text, c.content.text) for c in claims]
    return found[0]


def test_direct_quote_after_said_across_sentences():
    text = ("Kirby said, “These soldiers then proceeded to multiple military training grounds in eastern Russia. "
            "We do not yet know if these soldiers will fight alongside the Russian military.”")
    claim = only(claims_of(text), "said")
    assert claim.speaker.text == "Kirby"
    assert claim.kind == "direct"
    assert claim.content.text.startswith("“These soldiers") and claim.content.text.endswith("military.”")
    assert text[claim.content.start:claim.content.end] == claim.content.text


def test_quote_before_cue_and_split_quote():
    text = ("“We are not going to stop,” Mr. Ellison said. “The people of this city deserve answers.”\n\n"
            "The mayor spoke later.")
    claim = only(claims_of(text), "said")
    assert claim.speaker.text == "Mr. Ellison"
    assert claim.content.text.startswith("“We are not going to stop,”")
    assert claim.content.text.endswith("deserve answers.”"), claim.content.text


def test_quote_continuing_in_next_paragraph_without_attribution():
    text = ("The minister said: “We will rebuild every school that was damaged.\n\n"
            "“And we will do it before winter,” the statement went on.")
    claims = claims_of(text)
    claim = [c for c in claims if c.cue.text == "said"][0]
    assert claim.content.text.startswith("“We will rebuild")
    assert "before winter" in claim.content.text


def test_indirect_speech_with_title_and_informed_lawmakers():
    text = ("On Wednesday, South Korean National Intelligence Service chief Cho Tae-yong informed lawmakers that "
            "the 3,000 North Korean soldiers dispatched to Russia have been dispersed to multiple military bases.")
    claim = only(claims_of(text), "informed")
    assert claim.speaker.name == "Cho Tae-yong"
    assert claim.speaker.entity_id is not None
    assert claim.kind == "indirect"
    assert claim.content.text.startswith("that the 3,000 North Korean soldiers")


def test_told_reporters_and_hedge_it_remains_to_be_seen():
    text = "Austin told reporters in Rome that it remains to be seen what the North Korean military is doing in Russia."
    claim = only(claims_of(text), "told")
    assert claim.speaker.text == "Austin"
    assert claim.content.text.startswith("that it remains to be seen")
    assert claim.stance == "roughly even chance"
    assert claim.hedge == "it remains to be seen"


def test_mixed_quote_described_as():
    text = ("Defense Secretary Lloyd Austin described this as the “next step” for North Korea after providing "
            "weapons to Russia.")
    claim = only(claims_of(text), "described")
    assert claim.speaker.name == "Lloyd Austin"
    assert claim.kind == "mixed"
    assert "“next step”" in claim.content.text


def test_according_to():
    text = ("According to the United Nations, more than 6 million people have fled Ukraine since the "
            "invasion began.")
    claim = only(claims_of(text), "According to")
    assert claim.speaker.text == "the United Nations"
    assert claim.content.text.startswith("more than 6 million people")


def test_possessive_statement_noun_cue():
    text = ("Zelenskyy's statement that 10,000 North Korean soldiers were preparing to join Russian forces "
            "alarmed Seoul.")
    claim = only(claims_of(text), "statement")
    assert claim.speaker.text == "Zelenskyy"
    assert claim.content.text.startswith("that 10,000 North Korean soldiers")


def test_expressed_evidence_and_belief_verbs():
    text = ("On Wednesday, the United States for the first time expressed evidence that 3,000 North Korean soldiers "
            "have been deployed to Russia.")
    claim = [c for c in claims_of(text) if c.cue.text.startswith("expressed")][0]
    assert claim.cue.text == "expressed evidence"
    assert claim.content.text.startswith("that 3,000")


def test_officials_are_concerned_that():
    text = ("South Korean officials are concerned that in exchange, Russia may provide advanced weapon technology "
            "to North Korea.")
    claim = only(claims_of(text), "are concerned")
    assert claim.speaker.text == "South Korean officials"
    assert claim.stance == "roughly even chance"
    assert claim.content.text.startswith("that in exchange")


def test_pronoun_speaker_resolves_to_last_person():
    text = ("Defense Secretary Lloyd Austin mentioned that Pyongyang may face consequences for directly aiding "
            "Russia.\nHe added, “If they are co-belligerents, that is a very, very serious matter.”")
    claim = only(claims_of(text), "added")
    assert claim.speaker.text == "He"
    assert claim.speaker.name == "Lloyd Austin"
    assert claim.kind == "direct"


def test_they_believe_resolves_to_the_agency():
    text = ("The South Korean National Intelligence Service stated that the Russian military is recruiting a large "
            "number of translators. However, they believe that ultimately the soldiers will incur significant "
            "casualties.")
    claim = only(claims_of(text), "believe")
    assert claim.speaker.text == "they"
    assert "National Intelligence Service" in claim.speaker.name
    assert claim.speaker.entity_id is not None
    assert claim.stance == "likely"


def test_nominal_speaker_the_agency():
    text = ("South Korea's National Intelligence Service briefed lawmakers on Wednesday. The agency assessed that "
            "North Korea aims to deploy a total of 10,000 soldiers to Russia by December.")
    claim = only(claims_of(text), "assessed")
    assert claim.speaker.text == "The agency"
    assert "National Intelligence Service" in claim.speaker.name


def test_an_unnamed_source_is_anonymous_and_keeps_its_text():
    text = "A senior official said that Seoul may consider supplying weapons to Ukraine."
    claim = only(claims_of(text), "said")
    assert claim.speaker.entity_id is None and claim.speaker.text == "A senior official"
    assert (claim.speaker.kind, claim.speaker.name) == ("anonymous", "anonymous:-:official")


@pytest.mark.parametrize("text, expected", [
    ("U.S. officials said the convoy had crossed the border.", "anonymous:US:official"),
    ("A senior European diplomat said the talks had stalled.", "anonymous:European:diplomat"),
    ("Analysts said the sanctions would bite within months.", "anonymous:-:analyst"),
    ("Sources familiar with the talks said a deal was close.", "anonymous:-:source"),
])
def test_anonymous_sources_carry_their_affiliation(text, expected):
    speaker = only(claims_of(text), "said").speaker
    assert (speaker.kind, speaker.name) == ("anonymous", expected)
    affiliation = expected.split(":")[1]
    assert speaker.affiliation == (None if affiliation == "-" else affiliation)


def test_a_pronoun_no_one_in_the_document_fits_stays_unresolved():
    claim = only(claims_of("He said the bridge would reopen on Monday."), "said")
    assert (claim.speaker.kind, claim.speaker.name, claim.speaker.text) == ("unresolved", None, "He")


def test_she_skips_a_man_for_the_woman_named_before_him():
    text = ("Mayor Anna Berg said her city would borrow money. Mr. Tomas Lind said the budget was tight. "
            "She said the loan would be repaid within five years.")
    she = next(c for c in claims_of(text) if c.speaker.text == "She")
    assert she.speaker.name == "Anna Berg"


def test_he_does_not_take_a_woman_the_document_calls_she():
    text = ("Foreign Minister Helga Norr said her country would send aid. "
            "He added that the shipment would leave on Friday.")
    he = next(c for c in claims_of(text) if c.speaker.text == "He")
    assert he.speaker.kind == "unresolved" and he.speaker.name is None


def test_nested_attribution_via():
    text = ("Radio France Internationale (RFI) cited a senior South Korean presidential official who reported that "
            "Seoul may consider supplying weapons to Ukraine based on the situation’s developments.")
    claims = claims_of(text)
    outer = only(claims, "cited")
    inner = only(claims, "reported")
    assert inner.via == outer.id
    assert inner.speaker.text == "who"  # the relative pronoun stands for its antecedent
    assert (inner.speaker.kind, inner.speaker.name) == ("anonymous", "anonymous:KR:official")
    assert outer.speaker.name.startswith("Radio France Internationale")


def test_said_on_falls_back_to_publication_date_when_no_time_expression():
    text = "Kirby said the soldiers arrived by ship."
    claim = only(claims_of(text), "said")
    assert claim.said_on == PUBLISHED
    assert claim.said_on_basis == "published"
    assert only(claims_of(text, published=None), "said").said_on is None


def test_said_on_uses_a_time_expression_tied_to_the_cue(nlp):
    text = "NATO Secretary General Mark Rutte stated on Tuesday that North Korea sending troops would be an escalation."
    doc = nlp(text)
    start = text.index("Tuesday")
    found = Extraction(document=Document(id="t", text=text, published=PUBLISHED))
    found.times = [TimeExpr(text="Tuesday", start=start, end=start + 7, type="DATE", value="2024-10-22")]
    claims = extract_claims(doc, found)
    claim = only(claims, "stated")
    assert claim.said_on == "2024-10-22"
    assert claim.said_on_basis == "cue"


def test_voa_style_wire_sentence():
    text = ('"We will respond with all the means at our disposal," the Foreign Ministry spokesperson told a news '
            "briefing in Beijing.")
    claim = only(claims_of(text), "told")
    assert claim.speaker.text == "the Foreign Ministry spokesperson"
    assert claim.kind == "direct"
    assert claim.content.text == '"We will respond with all the means at our disposal,"'


def test_find_quotes_pairs_marks_and_joins_paragraphs():
    text = 'He said "one" and ‘two’.\n“Three\n“four.” Don’t split here.'
    quotes = find_quotes(text)
    spans = [text[q.start:q.end] for q in quotes]
    assert spans[0] == '"one"'
    assert spans[1] == "‘two’"
    assert spans[2] == "“Three\n“four.”"


def test_cue_lexicon_and_hedges():
    lexicon = cue_lexicon()
    assert len(lexicon) >= 300
    assert ("say", "VERB") in lexicon and ("assess", "VERB") in lexicon and ("statement", "NOUN") in lexicon
    assert lexicon[("say", "VERB")].weight > 0.5
    assert find_hedge("we do not yet know if they will fight".split()) == ("do not yet know", "roughly even chance")
    assert find_hedge("this is highly unlikely".split()) == ("highly unlikely", "very unlikely")
    assert find_hedge("nothing hedged here".split()) is None


def test_seed_article_claims(seed_extraction):
    claims = seed_extraction.claims
    by_cue = {(c.speaker.name, c.cue.text) for c in claims}
    expected = {
        ("John Kirby", "stated"), ("John Kirby", "said"), ("John Kirby", "warned"), ("Lloyd Austin", "described"),
        ("Lloyd Austin", "mentioned"), ("Lloyd Austin", "added"), ("Lloyd Austin", "told"), ("Mark Rutte", "stated"),
        ("Cho Tae-yong", "informed"), ("Volodymyr Zelenskyy", "previously stated"), ("Kyrylo Budanov", "told"),
    }
    missing = {pair for pair in expected if pair not in by_cue}
    assert not missing, sorted(by_cue)
    # every pronoun speaker resolved: He stated (Kirby), He added (Austin), He also mentioned (Rutte), they believe
    pronouns = [(c.speaker.name, c.cue.text) for c in claims if c.speaker.text in ("He", "they")]
    assert ("John Kirby", "stated") in pronouns and ("Lloyd Austin", "added") in pronouns
    assert ("Mark Rutte", "also mentioned") in pronouns
    assert any("National Intelligence Service" in name and cue == "believe" for name, cue in pronouns)
    for claim in claims:
        assert seed_extraction.document.text[claim.content.start:claim.content.end] == claim.content.text
        assert seed_extraction.document.text[claim.cue.start:claim.cue.end] == claim.cue.text
        assert claim.kind in ("direct", "indirect", "mixed")
        assert claim.said_on == "2024-10-24" or claim.said_on_basis == "cue"
    said_on = {(c.speaker.name, c.cue.text): (c.said_on, c.said_on_basis) for c in claims}
    assert said_on[("Mark Rutte", "stated")] == ("2024-10-22", "cue")  # stated on Tuesday
    assert any(c.speaker.name == "Cho Tae-yong" and c.said_on == "2024-10-23" for c in claims)  # On Wednesday, ...
    assert said_on[("Lloyd Austin", "added")] == ("2024-10-24", "published")


@pytest.mark.parametrize("text", ["No one said anything here about it.", "“An unattributed quote.”"])
def test_texts_without_attribution(text):
    assert claims_of(text) == []


def test_an_empty_text_is_a_clear_error():
    with pytest.raises(ValueError, match="no text"):
        claims_of(" \n ")


def test_a_demonstrative_is_not_a_speaker():
    found = claims_of("Officials said the convoy crossed the border. This suggests that the talks have failed.")
    assert [c.speaker.text for c in found] == ["Officials"]


def test_a_phrase_of_time_is_not_part_of_the_source():
    found = claims_of("The ministry for the first time confirmed that troops had crossed the border.")
    assert [c.speaker.text for c in found] == ["The ministry"]


def test_a_title_with_the_name_beside_it_is_that_person():
    text = "Ukraine's ambassador in London, Vadym Kovalenko, said the embassy would stay open."
    assert only(claims_of(text), "said").speaker.name == "Vadym Kovalenko"


def test_a_name_inside_a_prepositional_phrase_is_not_the_speaker():
    text = "A spokesman for President Joe Biden said the talks would go on."
    speaker = only(claims_of(text), "said").speaker
    assert speaker.name != "Joe Biden" and speaker.kind == "anonymous"


def test_a_quantified_source_counts_its_people():
    speaker = only(claims_of("One of the US defence officials said the shipment had left."), "said").speaker
    assert (speaker.kind, speaker.name) == ("anonymous", "anonymous:US:official")
    some = only(claims_of("Some said the vote would be delayed."), "said").speaker
    assert (some.kind, some.name) == ("anonymous", "anonymous:-:person")


def test_a_countrys_government_speaks_for_the_country():
    speaker = only(claims_of("Poland's government said it would close the border crossing."), "said").speaker
    assert speaker.kind == "named" and speaker.name == "Poland" and speaker.entity_id


def test_he_reaches_back_to_the_person_named_last():
    text = "Interior minister Piotr Nowak visited the border on Monday. He said the crossing would reopen."
    he = next(c for c in claims_of(text) if c.speaker.text == "He")
    assert he.speaker.name == "Piotr Nowak"
