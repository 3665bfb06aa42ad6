"""Places: recognition, resolution with the document as context, metonymy (real spaCy model, real gazetteer)."""

from __future__ import annotations

import pytest

import sitroom
from sitroom.nlp import geocode
from sitroom.nlp.geocode_index import abbreviation_key, name_key


def _places(text: str):
    return sitroom.extract(text).places


def _by_text(places, text):
    found = [p for p in places if p.text == text]
    assert found, f"no place {text!r} among {[p.text for p in places]}"
    return found[0]


def test_name_keys_fold_case_accents_and_the():
    assert name_key("the Kursk Region") == "kursk region"
    assert name_key("Zürich") == "zurich"
    assert abbreviation_key("U.S.") == "us (abbr)"
    assert abbreviation_key("Us") is None


def test_candidates_cover_countries_abbreviations_demonyms_and_states():
    assert any(p.level == "country" and p.country_code == "US" for p, _ in geocode.candidates("U.S."))
    assert any(p.level == "country" and p.country_code == "TR" for p, _ in geocode.candidates("Turkish"))
    louisiana = geocode.candidates("La.")
    assert louisiana and louisiana[0][0].level == "region" and louisiana[0][0].admin1 == "LA"


def test_seed_places_are_resolved(seed_extraction):
    places = seed_extraction.places
    vladivostok = _by_text(places, "Vladivostok")  # spaCy's small model calls it a person
    assert (vladivostok.country_code, vladivostok.level, vladivostok.geonameid) == ("RU", "city", 2013348)
    assert abs(vladivostok.lat - 43.1) < 0.2 and abs(vladivostok.lon - 131.9) < 0.2
    kursk = _by_text(places, "Kursk region")
    assert (kursk.country_code, kursk.level) == ("RU", "region")
    assert geocode.distance_km(kursk.lat, kursk.lon, 51.7, 36.2) < 100
    eastern = _by_text(places, "eastern Russia")
    assert (eastern.country_code, eastern.level) == ("RU", "region")
    far_east = [p for p in places if p.text.endswith("Far East")]
    assert far_east and far_east[0].country_code == "RU"
    for city, code in (("Brussels", "BE"), ("Rome", "IT")):
        assert _by_text(places, city).country_code == code
    russia = _by_text(places, "Russia")
    assert russia.level == "country" and russia.entity_id


def test_seed_capitals_acting_as_governments_are_metonymy(seed_extraction):
    by_id = {e.id: e for e in seed_extraction.entities}
    pyongyang = _by_text(seed_extraction.places, "Pyongyang")
    assert pyongyang.metonymy
    assert pyongyang.entity_id and by_id[pyongyang.entity_id].name.endswith("North Korea")
    seoul = _by_text(seed_extraction.places, "Seoul")
    assert seoul.metonymy and seoul.entity_id
    assert not _by_text(seed_extraction.places, "Brussels").metonymy  # "in Brussels": a location


def test_location_in_prepositional_phrase_is_not_metonymy():
    places = _places("The talks were held in Seoul on Monday.")
    assert not _by_text(places, "Seoul").metonymy


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("Georgia said its army had left Tbilisi.", "Georgia", "GE"),
        ("The governor of Georgia flew to Atlanta.", "Georgia", "US"),
        ("He moved to Paris, Texas, last year.", "Paris", "US"),
        ("She grew up in Paris before moving to Lyon.", "Paris", "FR"),
        ("A woman from Alexandria, La., was arrested.", "Alexandria", "US"),
    ],
)
def test_document_context_disambiguates(text, name, code):
    assert _by_text(_places(text), name).country_code == code


def test_qualifier_in_a_list_is_not_a_qualifier():
    places = _places("Officials in Mexico, China, Japan and Brazil reported cases.")
    assert _by_text(places, "China").country_code == "CN"


def test_unknown_street_is_placed_at_the_document_focus():
    places = _places("Police closed Frenchmen Street in New Orleans after the parade.")
    street = _by_text(places, "Frenchmen Street")
    city = _by_text(places, "New Orleans")
    assert street.level == "approximate" and street.geonameid is None
    assert (street.lat, street.lon) == (city.lat, city.lon)


def test_text_without_places_gives_none():
    assert _places("The committee met for three hours and adjourned.") == []


def _resolve(*names: str) -> dict[str, object]:
    """Resolve bare names as one document's mentions (in order), keyed by their text."""
    mentions, at = [], 0
    for name in names:
        mentions.append(geocode.Mention(text=name, start=at, end=at + len(name)))
        at += len(name) + 20
    return {m.text: pick for m, pick in zip(mentions, geocode.resolve(mentions))}


def test_a_supranational_union_stands_for_the_region_it_covers():
    for name in ("EU", "E.U.", "European Union"):
        places = [p for p, _ in geocode.candidates(name)]
        assert places and places[0].level == "continent" and places[0].name == "Europe", name
    assert _resolve("EU", "Brussels")["EU"].name == "Europe"  # not the French town of Eu
    assert [p.country_code for p, _ in geocode.candidates("Soviet Union")] == ["RU"]


def test_state_abbreviations_compete_with_country_codes():
    assert geocode.candidates("N.C.")[0][0].name == "North Carolina"  # not New Caledonia
    assert geocode.candidates("BC")[0][0].name == "British Columbia"
    assert _resolve("Myrtle Beach", "SC")["SC"].name == "South Carolina"
    assert _resolve("Newcastle", "NSW", "Sydney")["NSW"].name == "New South Wales"


@pytest.mark.parametrize(("word", "name"), [
    ("Sicilian", "Sicily"), ("Kurdish", "Kurdistan"), ("Philippine", "Philippines"), ("Scottish", "Scotland"),
    ("Central American", "Central America"), ("Texan", "Texas"),
])
def test_place_adjectives_name_the_region_they_come_from(word, name):
    assert name in [p.name for p, _ in geocode.candidates(word)]


def test_english_is_england_not_a_small_town():
    assert _resolve("English", "Bristol")["English"].name == "England"


def _inside(name: str, *context: str):
    mentions = [geocode.Mention(text=name, start=0, end=len(name), approximate=True)]
    mentions += [geocode.Mention(text=c, start=100 * (i + 1), end=100 * (i + 1) + len(c)) for i, c in enumerate(context)]
    return geocode.resolve(mentions)[0]


def test_an_institution_is_placed_at_the_place_named_inside_it():
    bank = _inside("Bank of Japan", "London")
    assert bank.level == "approximate" and bank.country_code == "JP"
    university = _inside("Colorado State University", "Denver")
    assert university.level == "approximate" and (university.country_code, university.admin1) == ("US", "CO")
    assert _inside("European Commission", "Paris").country_code is None  # Europe, not France


def test_a_street_named_after_a_town_is_not_in_it():
    assert geocode.inner_candidates("Hampton Avenue") == []
    assert geocode.inner_candidates("Rogers Centre") == []  # a surname: the town is too small to stand for it
    assert geocode.inner_candidates("Western Trust") == []
    assert geocode.inner_candidates("Hamilton Township") == []  # a settlement of its own
    assert geocode.inner_candidates("French Quarter") == []  # named after a people, not in France
    assert [p.country_code for p, _ in geocode.inner_candidates("British Embassy")] == ["GB"]


def _document(*named: tuple[str, int, bool]):
    """Mentions at given offsets (text, start, approximate), resolved as one document."""
    mentions = [geocode.Mention(text=t, start=at, end=at + len(t), approximate=a) for t, at, a in named]
    return {m.text: p for m, p in zip(mentions, geocode.resolve(mentions))}


def test_unknown_names_go_to_the_dominant_place_unless_a_town_is_named_beside_them():
    picks = _document(("Louisiana", 0, False), ("New Orleans", 100, False), ("New Orleans", 400, False),
                      ("Chicago", 850, False), ("Wrigley Field", 870, True), ("Desire Street", 1000, True))
    assert picks["Desire Street"].level == "approximate"
    assert (picks["Desire Street"].lat, picks["Desire Street"].lon) == (picks["New Orleans"].lat, picks["New Orleans"].lon)
    assert (picks["Wrigley Field"].lat, picks["Wrigley Field"].lon) == (picks["Chicago"].lat, picks["Chicago"].lon)


def test_the_focus_is_a_town_inside_the_region_the_document_names():
    towns = [geocode.candidates(n)[0][0] for n in ("Lafayette", "Dallas")]
    louisiana = [p for p, _ in geocode.candidates("Louisiana") if p.level == "region"][0]
    lafayette_la = [p for p, _ in geocode.candidates("Lafayette") if p.admin1 == "LA"][0]
    focus = geocode.document_focus([louisiana, lafayette_la, towns[1], towns[1]])
    assert focus == lafayette_la  # Dallas is named twice, but the story is about Louisiana


def test_a_country_is_known_by_the_initials_of_its_official_name():
    assert [p.country_code for p, _ in geocode.candidates("DPRK")] == ["KP"]


def test_a_name_the_entity_step_types_as_a_place_is_a_place_mention():
    # the small model reads "Aleppo" here as a nationality; the entity step retypes it
    found = sitroom.extract("The gunman shouted about Aleppo in Turkish.")
    assert [(p.text, p.country_code) for p in found.places] == [("Aleppo", "SY")]
    assert not [p for p in found.places if p.text == "Turkish"]


def test_a_country_possessive_is_also_read_with_its_nationality_word(nlp):
    from sitroom.nlp.places import _possessive_names

    doc = nlp("Tourists crowded France's Riviera in August.")
    france, riviera = doc[2:3], doc[4:5]
    names = _possessive_names(france, riviera)
    assert names[0] == "France's Riviera" and "french Riviera" in names
