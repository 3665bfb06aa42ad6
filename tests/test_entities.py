"""Entities with canonical names, roles and country codes, on the seed and real VOA sentences."""

from __future__ import annotations

import pytest

from sitroom.model import Document, Extraction
from sitroom.nlp.entities import extract_entities
from sitroom.nlp.gazetteer import lookup

SEED_PEOPLE = {
    "John Kirby",
    "Lloyd Austin",
    "Kim Jong-un",
    "Mark Rutte",
    "Cho Tae-yong",
    "Volodymyr Zelenskyy",
    "Kyrylo Budanov",
    "Yoon Suk-yeol",
}


def entities_of(nlp, text: str):
    return extract_entities(nlp(text), Extraction(Document(id="t", text=text)))


def by_name(entities):
    return {e.name: e for e in entities}


# --- the seed article -------------------------------------------------------------------


def test_every_seed_person_is_one_person_with_a_full_name(seed_extraction):
    people = [e.name for e in seed_extraction.entities if e.type == "PERSON"]
    assert sorted(people) == sorted(SEED_PEOPLE)


def test_no_place_is_a_person_or_product(seed_extraction):
    for entity in seed_extraction.entities:
        assert entity.type in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
    entities = by_name(seed_extraction.entities)
    for place in ("Vladivostok", "Kursk", "Rome", "Brussels", "Moscow", "Pyongyang", "Seoul"):
        assert entities[place].type == "GPE", place


def test_surname_joins_full_name(seed_extraction, seed_text):
    kirby = by_name(seed_extraction.entities)["John Kirby"]
    assert kirby.aliases == ["Kirby"]
    assert len(kirby.mentions) == seed_text.count("Kirby")
    austin = by_name(seed_extraction.entities)["Lloyd Austin"]
    assert [m.text for m in austin.mentions] == ["Lloyd Austin", "Austin"]


def test_titles_become_roles_and_title_fragments_are_not_entities(seed_extraction):
    entities = by_name(seed_extraction.entities)
    assert entities["Lloyd Austin"].roles == ["Defense Secretary"]
    assert entities["Mark Rutte"].roles == ["NATO Secretary General"]
    assert entities["Volodymyr Zelenskyy"].roles == ["Ukrainian President"]
    assert entities["Kyrylo Budanov"].roles == ["director of the Ukrainian Military Intelligence Directorate"]
    assert "Defense" not in entities
    assert entities["NATO"].type == "ORG"


def test_country_aliases_possessives_and_articles(seed_extraction):
    entities = by_name(seed_extraction.entities)
    united_states = entities["United States"]
    assert united_states.type == "GPE" and united_states.country_code == "US"
    assert len(united_states.mentions) == 2
    north_korea = entities["North Korea"]
    assert north_korea.country_code == "KP"
    assert all(m.text == "North Korea" for m in north_korea.mentions)
    assert not any(name.lower().startswith("the ") for name in entities)


def test_nationalities_carry_country_codes(seed_extraction):
    entities = by_name(seed_extraction.entities)
    expected = {"North Korean": "KP", "South Korean": "KR", "Russian": "RU", "Ukrainian": "UA"}
    for name, code in expected.items():
        assert (entities[name].type, entities[name].country_code) == ("NORP", code)


def test_acronym_in_parentheses_joins_its_expansion(seed_extraction):
    rfi = by_name(seed_extraction.entities)["Radio France Internationale"]
    assert rfi.type == "ORG" and rfi.aliases == ["RFI"]


def test_mentions_point_into_the_text_and_ids_are_sequential(seed_extraction, seed_text):
    for number, entity in enumerate(seed_extraction.entities, start=1):
        assert entity.id == f"e{number}"
        for mention in entity.mentions:
            assert seed_text[mention.start : mention.end] == mention.text
    starts = [e.mentions[0].start for e in seed_extraction.entities]
    assert starts == sorted(starts)


# --- real sentences from the bundled VOA stories ----------------------------------------


def test_title_in_front_of_a_hyphenated_name(nlp):
    text = (
        "Iraqi Prime Minister Mohammed Shia al-Sudani was first to share word of the successful "
        "counterterrorism strike, announcing on social media Friday that the leader was dead."
    )
    entities = by_name(entities_of(nlp, text))
    assert entities["Mohammed Shia al-Sudani"].roles == ["Iraqi Prime Minister"]
    assert entities["Iraqi"].country_code == "IQ"


def test_dotted_abbreviation_is_the_country(nlp):
    text = (
        "One of the Islamic State terror group's most senior leaders is dead, killed in what U.S. "
        "and Iraqi officials describe as a joint operation. The United States confirmed it."
    )
    entities = entities_of(nlp, text)
    united_states = [e for e in entities if e.country_code == "US" and e.type == "GPE"]
    assert len(united_states) == 1
    assert united_states[0].name == "United States" and "U.S." in united_states[0].aliases


@pytest.mark.parametrize(
    "text, place",
    [
        ("In 2021, they did just that, leaving their life in China behind and relocating with their "
         "two children to Okinawa.", "Okinawa"),
        ("Shamsa Mohamed Aden was among the refugees who voluntarily returned in 2017 to Kismayo, her "
         "southeastern Somali hometown.", "Kismayo"),
        ("The Jaffar Express, a cross-country train with roughly 450 people on board, came under a bomb "
         "and gun attack on Tuesday while passing through a tunnel near Sibi, Balochistan, on its way "
         "north to Peshawar from Quetta.", "Peshawar"),
    ],
)
def test_places_in_place_context_are_places(nlp, text, place):
    entities = by_name(entities_of(nlp, text))
    assert place in entities and entities[place].type == "GPE"
    assert lookup(place)


def test_person_sharing_a_city_name_stays_a_person(nlp):
    text = (
        "Defense Secretary Lloyd Austin described this as the next step. "
        "Austin told reporters in Rome that it remains to be seen."
    )
    entities = by_name(entities_of(nlp, text))
    assert entities["Lloyd Austin"].type == "PERSON"
    assert [m.text for m in entities["Lloyd Austin"].mentions] == ["Lloyd Austin", "Austin"]
    assert "Austin" not in entities
    assert entities["Rome"].type == "GPE"


def test_plural_nationality_joins_singular(nlp):
    text = (
        "Syrian officials met on Monday. Many Syrians fled the fighting, a Syrian aid worker said."
    )
    syrian = [e for e in entities_of(nlp, text) if e.type == "NORP"]
    assert len(syrian) == 1
    assert syrian[0].name == "Syrian" and syrian[0].country_code == "SY"


def test_empty_text_has_no_entities(nlp):
    assert entities_of(nlp, "") == []


def test_title_with_a_prepositional_phrase(nlp):
    text = (
        "Republican U.S. senators led by Jim Risch and Pete Ricketts sent a letter to Secretary of "
        "State Marco Rubio about the purported Iran-China chemical scheme."
    )
    entities = by_name(entities_of(nlp, text))
    assert entities["Marco Rubio"].roles == ["Secretary of State"]
    assert "State" not in entities
    assert entities["Jim Risch"].type == entities["Pete Ricketts"].type == "PERSON"


def test_name_particles_keep_the_name_whole(nlp):
    text = "The same message came from European Commission chief Ursula von der Leyen at the European Parliament."
    entities = by_name(entities_of(nlp, text))
    assert entities["Ursula von der Leyen"].type == "PERSON"
    assert entities["Ursula von der Leyen"].roles == ["European Commission chief"]
    assert "Leyen" not in entities


def test_short_country_name_and_plural_group_names(nlp):
    text = (
        "Another poll, however, found few Europeans want to pay more for defense. "
        "Britain and France back a European force, a European diplomat said."
    )
    entities = by_name(entities_of(nlp, text))
    assert entities["United Kingdom"].country_code == "GB"
    assert entities["United Kingdom"].aliases == ["Britain"]
    assert entities["European"].aliases == ["Europeans"]
    assert entities["European"].country_code is None


def test_person_initials_join_the_full_name(nlp):
    text = (
        "On the same day, Saudi Crown Prince Mohammed bin Salman, commonly known by his abbreviation "
        "MBS, met with Rubio in the Red Sea port city of Jeddah. MBS welcomed him."
    )
    prince = by_name(entities_of(nlp, text))["Mohammed bin Salman"]
    assert prince.roles == ["Saudi Crown Prince"]
    assert "MBS" in prince.aliases


@pytest.mark.parametrize(
    "text, places",
    [
        ("In late January, Burkina Faso, Mali and Niger withdrew from ECOWAS and created a confederation "
         "known as the Alliance of Sahel States, after a yearlong dispute with the bloc.",
         {"Burkina Faso": "BF", "Mali": "ML", "Niger": "NE"}),
        ("Lawyers for the journalist had requested that he be bailed out, but at a hearing in Zimbabwe's "
         "capital, Harare, Justice Gibson Mandaza requested more time to examine the case.",
         {"Zimbabwe": "ZW", "Harare": None}),
        ("The head of MSF told the council that he was in Sudan six weeks ago and witnessed a scene of "
         "“utter carnage” at one of their partner hospitals in Omdurman, near the capital.",
         {"Sudan": "SD", "Omdurman": None}),
    ],
)
def test_places_the_model_types_otherwise(nlp, text, places):
    entities = by_name(entities_of(nlp, text))
    for name, code in places.items():
        assert (entities[name].type, entities[name].country_code) == ("GPE", code), name
    assert not [e for e in entities.values() if e.type == "PERSON" and lookup(e.name) and e.name in places]


def test_named_area_in_a_title_is_a_place(nlp):
    text = (
        "Speaking to reporters, Beledweyne District Commissioner Omar Osman Alasow confirmed that the "
        "hotel siege ended early Wednesday."
    )
    entities = by_name(entities_of(nlp, text))
    assert entities["Omar Osman Alasow"].roles == ["Beledweyne District Commissioner"]
    assert entities["Beledweyne District"].type == "GPE"


def test_company_suffix_and_short_company_names_join(nlp):
    text = (  # a Reuters-21578 story
        "PLM Cos Inc said its PLM Power Co\nunit broke off merger discussions with Sunlaw Energy Corp of\n"
        "Beverly Hills, Calif.\n    In January PLM Power entered into a letter of intent to\nnegotiate a "
        "potential acquisition of Sunlaw, subject to\nsubstantial due diligence, the company said.\n"
    )
    entities = by_name(entities_of(nlp, text))
    assert entities["PLM Power Co"].aliases == ["PLM Power"]
    assert entities["Sunlaw Energy Corp"].aliases == ["Sunlaw"]
    assert entities["PLM Cos Inc"].aliases == []


def test_america_and_the_full_official_name_are_the_united_states(nlp):
    text = (
        "White House press secretary Karoline Leavitt told reporters that Trump was boosting the steel "
        "and aluminum tariffs because “Canada has been ripping off the United States of America and "
        "hard-working Americans for decades.” \"There's going to be no recession in America.\""
    )
    entities = entities_of(nlp, text)
    united_states = [e for e in entities if e.country_code == "US" and e.type == "GPE"]
    assert len(united_states) == 1
    assert united_states[0].name == "United States"
    assert set(united_states[0].aliases) == {"United States of America", "America"}
    americans = by_name(entities)["American"]
    assert (americans.type, americans.country_code) == ("NORP", "US")
    assert by_name(entities)["Karoline Leavitt"].roles == ["White House press secretary"]


def test_odd_and_garbled_text_never_breaks_the_extractor(nlp):
    """Word soup made of the pieces the rules act on: every mention still points into the text."""
    import random

    pieces = ["in", "Kursk", "the", "U.S.", "’s", "-", "John", "Kirby", "Defense", "Secretary", "(", "RFI", ")",
              "of", "State", "region", "von", "der", "Leyen", ",", "and", "Mali", "Niger", "said", "Co", "Inc",
              "North", "Korean", "Ukrainians", "&lt;", "\n"]
    rng = random.Random(7)
    texts = ["", " ", "’s", "Москва — столица России.", "THE UNITED STATES AND RUSSIA SIGNED A DEAL IN GENEVA."]
    texts += [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(60)]
    for text in texts:
        for entity in entities_of(nlp, text):
            assert entity.name.strip() and entity.type in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
            for mention in entity.mentions:
                assert text[mention.start : mention.end] == mention.text


# --- stray punctuation and words at the ends of a name ----------------------------------


def entities_for_span(nlp, text: str, span_text: str, label: str):
    """Entities when the model's span is ``span_text``: pins the cleaning rules whatever the
    model finds in the sentence."""
    doc = nlp(text)
    start = text.index(span_text)
    doc.ents = [doc.char_span(start, start + len(span_text), label=label)]
    return extract_entities(doc, Extraction(Document(id="t", text=text)))


def assert_offsets(text, entities):
    for entity in entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text


def test_a_glued_sentence_end_is_not_part_of_the_name(nlp):
    text = "The alliance said it would expand NATO.He added that more troops would come to Poland."
    entities = entities_of(nlp, text)
    assert by_name(entities)["NATO"].mentions[0].text == "NATO"
    assert not [e for e in entities if "." in e.name]
    assert_offsets(text, entities)


@pytest.mark.parametrize(
    "text, span, label, name",
    [
        ('Truss maintained that "Russia still has the opportunity to step back.', '"Russia', "GPE", "Russia"),
        ("(CNN)- The United States has seen new troop movements.", "CNN)-", "ORG", "CNN"),
        ("It was a change in power in Kiev.- This government is not legitimate.", "Kiev.-", "GPE", "Kiev"),
        ("a prime minister who thinks he’s Winston Churchill", "’s Winston Churchill", "PERSON", "Winston Churchill"),
        ("Britain will send the kit they need to kick Putin out and restore peace.", "kick Putin", "PERSON", "Putin"),
        ("The idea was shared across eastern Europe went the argument.", "Europe went", "LOC", "Europe"),
        ("There is no evidence that [President Vladimir] Putin is ill, he said.", "Vladimir] Putin", "PERSON", "Putin"),
        ("He received a letter from Vladimir Putin (Report, 8 February) in May.", "Vladimir Putin (Report", "PERSON",
         "Vladimir Putin"),
        ("Sunlaw Energy Corp. said the talks were over.", "Sunlaw Energy Corp.", "ORG", "Sunlaw Energy Corp."),
    ],
)
def test_stray_punctuation_brackets_and_verbs_leave_the_name(nlp, text, span, label, name):
    entities = entities_for_span(nlp, text, span, label)
    assert [e.name for e in entities] == [name]
    assert entities[0].mentions[0].text == name
    assert_offsets(text, entities)


def test_a_bracket_without_a_partner_is_dropped_from_the_name_not_from_the_mention(nlp):
    text = "Diplomats said the U.N.] Security Council would meet on Friday in New York."
    entities = entities_for_span(nlp, text, "U.N.] Security Council", "ORG")
    assert entities[0].name == "U.N. Security Council"
    assert entities[0].mentions[0].text == "U.N.] Security Council"
    assert_offsets(text, entities)


@pytest.mark.parametrize(
    "text, lead, trail",
    [('"Russia', 1, 0), ("Kiev.-", 0, 2), ("CNN)-", 0, 2), ("-Soviet", 1, 0), ("NATO.\"-", 0, 3),
     ("U.S.", 0, 0), ("Co.", 0, 0), ("Law and Justice (PiS)", 0, 0), ("Kyiv", 0, 0)],
)
def test_stray_characters_at_the_ends_of_a_span(text, lead, trail):
    from sitroom.nlp.entities import _stray_ends

    assert _stray_ends(text) == (lead, trail)
