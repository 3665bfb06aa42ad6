"""Quantities: each construction of issue 4 pinned on a short real sentence.

Sentences come from the seed article, the bundled VOA stories and NewsQuant (real news
sentences); the spaCy model is the real one.
"""

from __future__ import annotations

import pytest

import sitroom
from sitroom.model import Quantity


def figures(text: str) -> list[Quantity]:
    return sitroom.extract(text).quantities


def only(text: str) -> Quantity:
    found = figures(text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def by_text(text: str) -> dict[str, Quantity]:
    return {q.text: q for q in figures(text)}


# --- the seed article -------------------------------------------------------------------------


def test_seed_figures_have_value_bound_and_counted_noun(seed_extraction, seed_text):
    found = {(q.value, q.bound, q.counts) for q in seed_extraction.quantities}
    assert (3000.0, "at_least", "soldier") in found
    assert (10000.0, "exact", "soldier") in found  # "a total of 10,000 soldiers"
    assert (1200000.0, "exact", "military") in found  # "a 1.2 million-strong military"
    assert (13000.0, "more_than", "container") in found  # "over 13,000 shipping containers"
    for quantity in seed_extraction.quantities:
        assert seed_text[quantity.start:quantity.end] == quantity.text


def test_seed_north_korean_soldiers_link_the_entity(seed_extraction):
    entities = {e.id: e for e in seed_extraction.entities}
    linked = [q for q in seed_extraction.quantities if q.counts_text == "North Korean soldiers"]
    assert linked
    for quantity in linked:
        assert quantity.entity_id is not None
        assert entities[quantity.entity_id].name.startswith("North Korea")


def test_seed_years_and_the_war_dates_are_not_figures(seed_extraction):
    values = {q.value for q in seed_extraction.quantities}
    assert not values & {1950.0, 53.0, 2022.0, 2023.0}


# --- numbers in digits, words and mixtures ------------------------------------------------------


@pytest.mark.parametrize(("text", "value", "counts", "bound"), [
    ("Earlier, officials told VOA that 70 passengers had arrived at the train station.", 70.0, "passenger", "exact"),
    ("The single biggest attack killed five al-Shabab militants.", 5.0, "militant", "exact"),  # words
    ("The conflict displaced some 12 million people in Syria.", 12_000_000.0, "people", "approx"),  # mixed
    ("About a dozen titles in the book ban are by women.", 12.0, "title", "approx"),
    ("The paper relies on interviews with more than three dozen senior officials.", 36.0, "official", "more_than"),
])
def test_numbers_in_digits_words_and_mixtures(text, value, counts, bound):
    quantity = only(text)
    assert (quantity.value, quantity.counts, quantity.bound) == (value, counts, bound)


def test_hundreds_of_and_tens_of_thousands_of():
    hundreds = only("Since 2009, hundreds of people have been killed in suicide attacks.")
    assert (hundreds.low, hundreds.high, hundreds.counts, hundreds.bound) == (100.0, 1000.0, "people", "range")
    tens = only("Tens of thousands of people fled the fighting.")
    assert (tens.low, tens.high, tens.counts) == (10_000.0, 100_000.0, "people")


# --- ranges -----------------------------------------------------------------------------------


def test_between_range():
    quantity = only("Estimates put the number of IS fighters across Iraq and Syria at between 1,500 and 3,000.")
    assert (quantity.low, quantity.high, quantity.bound, quantity.value) == (1500.0, 3000.0, "range", None)
    assert quantity.text == "between 1,500 and 3,000"


def test_dash_and_to_ranges_with_units():
    quantity = only("He was traveling at a speed of 15 to 22 miles per hour.")
    assert (quantity.low, quantity.high, quantity.unit) == (15.0, 22.0, "mile per hour")
    quantity = only("Prices range from $370,000 to $5.5 million.")
    assert (quantity.low, quantity.high, quantity.unit) == (370_000.0, 5_500_000.0, "dollar")


def test_scores_are_not_ranges():
    assert figures("House of Representatives voted 368-7, urging a full investigation.") == []


# --- percentages, money, measures ----------------------------------------------------------------


def test_percent_sign_and_word():
    found = by_text("According to the CIA World Factbook, Arabs constitute 50% of Syria's nearly 24 million people.")
    assert found["50%"].unit == "percentage"
    assert found["nearly 24 million"].counts == "people"
    assert only("The president gets to pick 20 percent of members of the parliament.").unit == "percentage"


def test_money_with_currency():
    quantity = only("The European Union's executive arm has proposed an $873 billion plan for rearming Europe.")
    assert (quantity.value, quantity.unit) == (873e9, "dollar")
    found = by_text("The crime would be punishable by a fine of 10.5 million Australian dollars ($7.5 million).")
    assert found["10.5 million Australian dollars"].unit == "australian dollar"
    assert found["$7.5 million"].unit == "dollar"


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Away from the tourist spots in the evening it costs about 15 euros.", 15.0, "euro"),
    ("Jyske Bank will charge customers with more than 7.5 million Danish crowns in deposits.", 7.5e6, "danish krone"),
    ("The benchmark index rose on turnover of 1.23 billion shekels.", 1.23e9, "shekel"),
    ("Nintendo shares sold at an average of 28,030 yen on Tuesday.", 28030.0, "japanese yen"),
])
def test_currency_words(text, value, unit):
    quantity = [q for q in figures(text) if q.unit == unit]
    assert quantity and quantity[0].value == value


def test_pounds_are_money_after_money_verbs():
    found = by_text("Maddon has used the downtime to get in better shape, dropping 15 pounds.")
    assert found["15 pounds"].unit == "pound-mass"
    assert only("Fans paid 450 pounds for the final.").unit == "pound sterling"


def test_measures_with_units():
    quantity = only("Beledweyne is a town near the border, about 300 kilometers north of Mogadishu.")
    assert (quantity.value, quantity.unit, quantity.bound) == (300.0, "kilometre", "approx")
    found = {q.value: q for q in figures("However the figure drops to just 87 mph (140 km/h) if you opt for it.")}
    assert found[87.0].unit == "mile per hour"
    assert found[140.0].unit == "kilometre per hour"


def test_glued_units_and_per_units():
    found = by_text("Previously the company offered a 30Mbps plan with 60GB data cap.")
    assert found["30Mbps"].unit == "megabit per second"
    assert found["60GB"].unit == "gigabyte"
    assert only("Spot gold was marginally higher at $1,271.2 an ounce.").unit == "dollar per ounce"


# --- changes --------------------------------------------------------------------------------------


def test_changes_up_and_down_and_levels():
    found = by_text("Meanwhile, exports to China dropped 7% to $2.3 billion.")
    assert found["7%"].change == "down"
    assert found["$2.3 billion"].change is None  # "to $2.3 billion" is the new level
    assert only("The number of South Korean tourists rose 22% over the period.").change == "up"
    assert only("German DAX increased by 2 percent on Monday.").change == "up"


# --- bounds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "bound"), [
    ("The attack killed at least 25 people.", "at_least"),
    ("The conflict displaced more than 6 million refugees.", "more_than"),
    ("The company shipped over 13,000 shipping containers.", "more_than"),
    ("The death toll may be higher, up to 10 fatalities.", "at_most"),
    ("The attack killed nearly 40 soldiers.", "approx"),
    ("The storm left roughly 300 families homeless.", "approx"),
    ("No fewer than 12 vessels followed the ship.", "at_least"),
    ("No more than 12 vessels followed the ship.", "at_most"),
    ("Fewer than 5 vessels returned.", "less_than"),
    ("North Korea aims to deploy a total of 10,000 soldiers to Russia.", "exact"),
])
def test_bounds(text, bound):
    assert only(text).bound == bound


# --- not quantities --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Botswana lifted a hunting ban in 2019.",  # a year
    "Deadly violence began March 6 in Syria's coastal region.",  # a date
    "On August 6-8, 2016, the group crossed into Crimea.",  # a date range
    "The girls were released around 3 a.m. local time.",  # a clock time
    "Friday is the 14th anniversary of the start of the protests.",  # an ordinal
    "Article 24 stipulates that the president appoints the cabinet.",  # an article number
    "For more information call 202-555-0143 before Friday.",  # a phone number
    "Zamora, 67, attended the hearing on Monday.",  # an age as an identifier
    "All G7 foreign ministers agree with the statement.",  # a number inside a name
    "The S&P 500 closed higher on Monday.",  # an index name
])
def test_not_quantities(text):
    assert figures(text) == []


def test_offsets_point_into_the_text():
    text = "The conflict displaced some 12 million people in Syria, including more than 6 million refugees."
    for quantity in figures(text):
        assert text[quantity.start:quantity.end] == quantity.text


def test_a_year_like_number_with_a_unit_is_a_figure():
    quantity = only("The 1520 sq m medical centre is pre-leased to a local practice.")
    assert (quantity.value, quantity.unit) == (1520.0, "square metre")


def test_dollar_country_letters_and_currency_codes():
    found = by_text("The house was worth $US55,931,000 ($A82,615,680) and sold for AUD1.5m.")
    assert found["$US55,931,000"].unit == "dollar"
    assert found["$A82,615,680"].unit == "australian dollar"
    assert [q.unit for q in found.values() if q.value == 1_500_000.0] == ["australian dollar"]


# --- shares in words and ASCII-folded currency signs ----------------------------------------------


@pytest.mark.parametrize(("text", "value", "counts"), [
    ("A third of the displaced families returned home in May.", 1 / 3, "family"),
    ("Nearly two-thirds of the voters backed the ceasefire.", 2 / 3, "voter"),
    ("One in five Ukrainians has left the country.", 0.2, "Ukrainians"),
    ("Half the villages had no power on Monday.", 0.5, "village"),
    ("One fourth of the budget goes to defence.", 0.25, "budget"),
])
def test_shares_in_words(text, value, counts):
    share = next(q for q in figures(text) if q.unit == "fraction")
    assert share.value == pytest.approx(value)
    assert share.counts == counts


@pytest.mark.parametrize("text", [
    "The team scored twice in the second half of the match.",
    "Revenue rose in the first quarter.",
    "He waited a quarter and then left.",
])
def test_halves_and_quarters_of_time_are_not_shares(text):
    assert not [q for q in figures(text) if q.unit == "fraction"]


def test_a_share_lends_no_unit_to_its_neighbours():
    found = by_text("A third of those screened were 35 or older.")
    assert found["A third"].unit == "fraction"
    assert all(q.unit != "fraction" for q in found.values() if q.text != "A third")


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("The contract was worth up to PS2.7m, the filing said.", 2.7e6, "pound sterling"),
    ("Sony expects a net profit of Y=590 billion this year.", 5.9e11, "japanese yen"),
    ("It was 2.14degF warmer than the average.", 2.14, "fahrenheit"),
])
def test_currency_and_degree_signs_folded_to_ascii(text, value, unit):
    quantity = next(q for q in figures(text) if q.unit == unit)
    assert quantity.value == pytest.approx(value)


def test_ps_as_a_word_is_not_money():
    assert not [q for q in figures("Sony sold 5 million PS 5 consoles.") if q.unit == "pound sterling"]


@pytest.mark.parametrize("text", [
    "The house at 49 Elm Tree Road sold for $2 million.",
    "The embassy moved to 9 E 71st St last year.",
    "In Europe: Stoxx 50 -1.3% FTSE -0.6%.",
])
def test_house_numbers_and_index_names_are_not_figures(text):
    values = {q.value for q in figures(text)}
    assert not values & {49.0, 9.0, 50.0}, values


def test_country_letters_after_a_dollar_amount_belong_to_it():
    quantity = only("Crude rose to $76 US a barrel on Monday.")
    assert quantity.text.endswith("US a barrel") and quantity.unit == "dollar per barrel"


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("South Korea will provide 2.5 trillion won in aid to exporters.", 2.5e12, "south korean won"),
    ("They paid 10,000 won for lunch.", 1e4, "south korean won"),
    ("The court fined the reporter 500,000 rubles.", 5e5, "russian ruble"),
    ("Kyiv raised 30 billion hryvnias in war bonds.", 3e10, "ukrainian hryvnia"),
    ("Moscow spent ₽3 billion on the bridge.", 3e9, "russian ruble"),
])
def test_won_rubles_and_hryvnias(text, value, unit):
    quantity = only(text)
    assert (quantity.value, quantity.unit) == (value, unit)


def test_won_the_verb_is_not_money():
    assert only("Korea Inc said it won 3 contracts.").unit is None
