"""The embedded gazetteer: places, country aliases and demonyms from installed packages."""

from __future__ import annotations

import pytest

from sitroom.nlp import gazetteer, geocode_index


def test_city_has_country_coordinates_and_geonameid():
    entries = gazetteer.lookup("Vladivostok")
    assert entries, "a city of 600,000 people must be known"
    city = entries[0]
    assert (city.kind, city.country_code) == ("city", "RU")
    assert city.lat == pytest.approx(43.1, abs=0.5) and city.lon == pytest.approx(131.9, abs=0.5)
    assert city.geonameid and city.population > 100_000


def test_countries_come_first_then_population():
    kinds = [(e.kind, e.country_code) for e in gazetteer.lookup("Georgia")]
    assert kinds[0] == ("country", "GE")
    assert ("region", "US") in kinds
    rome = gazetteer.lookup("Rome")
    assert rome[0].country_code == "IT"
    assert [e.population for e in rome] == sorted((e.population for e in rome), reverse=True)


@pytest.mark.parametrize("name", ["United States", "the United States", "U.S.", "US", "USA", "America"])
def test_united_states_aliases(name):
    assert gazetteer.country_code(name) == "US"


@pytest.mark.parametrize(
    "name, code",
    [("North Korea’s", "KP"), ("Russian Federation", "RU"), ("UK", "GB"), ("Great Britain", "GB"),
     ("Republic of Korea", "KR"), ("Côte d'Ivoire", "CI"), ("Czech Republic", "CZ")],
)
def test_country_names_and_aliases(name, code):
    assert gazetteer.country_code(name) == code


def test_abbreviations_need_capitals_and_cities_are_not_countries():
    assert gazetteer.lookup("us") == []
    assert gazetteer.country_code("Moscow") is None
    assert gazetteer.country_code("Kirby") is None


def test_region_names():
    kursk = [e for e in gazetteer.lookup("Kursk region") if e.kind == "region"]
    assert kursk and kursk[0].country_code == "RU" and kursk[0].lat is not None
    assert {e.kind for e in gazetteer.lookup("Kursk")} == {"city", "region"}
    texas = gazetteer.lookup("Texas")[0]
    assert (texas.kind, texas.country_code) == ("region", "US")
    assert texas.lat == pytest.approx(31, abs=3)


def test_continent():
    europe = gazetteer.lookup("Europe")[0]
    assert europe.kind == "continent" and europe.country_code is None


@pytest.mark.parametrize(
    "word, code",
    [("North Korean", "KP"), ("South Korean", "KR"), ("Russian", "RU"), ("Ukrainian", "UA"),
     ("Ukrainians", "UA"), ("Americans", "US"), ("British", "GB"), ("Dutch", "NL"),
     ("Filipino", "PH"), ("Iraqi", "IQ"), ("Pakistani", "PK"), ("Chinese", "CN")],
)
def test_demonyms(word, code):
    assert gazetteer.country_of_demonym(word) == code


@pytest.mark.parametrize("word", ["Muslim", "Republican", "Democrats", "Western"])
def test_words_that_are_not_nationalities(word):
    assert gazetteer.country_of_demonym(word) is None


def test_country_by_code():
    assert gazetteer.country("kp").name == "North Korea"
    assert gazetteer.country("ZZ") is None


def test_normalize_drops_case_accents_article_and_possessive():
    assert gazetteer.normalize("The U.S.") == gazetteer.normalize("u s")
    assert gazetteer.normalize("Zürich’s") == "zurich"
    assert gazetteer.normalize("Guinea–Bissau") == gazetteer.normalize("Guinea/Bissau") == "guinea bissau"
    assert gazetteer.normalize("Kurskaya oblast’") == "kurskaya oblast"


def test_unwritable_cache_folder_builds_the_one_index_elsewhere(tmp_path, monkeypatch):
    """One build, one file, even where the cache folder cannot be written: the gazetteer
    answers from the geocoder's index and writes nothing of its own."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SITROOM_CACHE", str(blocker))
    gazetteer._find.cache_clear()
    try:
        assert gazetteer.country_code("the U.S.") == "US"
        assert gazetteer.country_of_demonym("North Korean") == "KP"
        built = geocode_index._temporary_index(geocode_index.index_path().name)
        assert [p.name for p in built.parent.iterdir()] == [built.name]
    finally:
        gazetteer._find.cache_clear()


def test_a_new_index_removes_the_files_of_earlier_versions(tmp_path, monkeypatch):
    monkeypatch.setenv("SITROOM_CACHE", str(tmp_path))
    stale = [tmp_path / "geocode-v1.sqlite", tmp_path / "gazetteer-places-0123.json"]
    for path in stale:
        path.write_text("old")
    kept = tmp_path / "notes.txt"
    kept.write_text("not ours")
    built = geocode_index.build_index()
    assert built.exists() and kept.exists()
    assert not any(path.exists() for path in stale)
