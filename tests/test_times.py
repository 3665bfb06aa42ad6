"""Time expressions: each construction of issue 4 on short real sentences, with and without a
publication date. Sentences come from the seed article and the bundled VOA stories; the few
constructions those lack (quarters, seasons) use plain sentences written for the test."""

from __future__ import annotations

import pytest

from sitroom.model import Document, Extraction, TimeExpr
from sitroom.nlp.times import extract_times
from sitroom.nlp.times_calendar import relative, weekday_near, year_for_month


def times(nlp, text: str, published: str | None) -> dict[str, TimeExpr]:
    found = Extraction(document=Document(id="t", text=text, published=published))
    result = extract_times(nlp(text), found)
    for item in result:
        assert text[item.start : item.end] == item.text
    return {item.text: item for item in result}


def one(nlp, text: str, published: str | None, expression: str) -> TimeExpr:
    found = times(nlp, text, published)
    assert expression in found, f"{expression!r} not found in {sorted(found)}"
    return found[expression]


# ---------------------------------------------------------------- the seed article


def seed_times(seed_extraction) -> dict[str, list[TimeExpr]]:
    by_text: dict[str, list[TimeExpr]] = {}
    for item in seed_extraction.times:
        by_text.setdefault(item.text, []).append(item)
    return by_text


def test_seed_dates_resolve_against_publication(seed_extraction):
    found = seed_times(seed_extraction)
    assert [t.value for t in found["Wednesday"]][0] == "2024-10-23"  # "On Wednesday, the United States ..."
    assert {t.value for t in found["Tuesday"]} == {"2024-10-22"}
    assert found["June of this year"][0].value == "2024-06"
    assert found["next week"][0].value == "2024-W44"
    assert found["Last week"][0].value == "2024-W42"
    assert found["February 2022"][0].value == "2022-02"


def test_seed_intervals_and_bounds(seed_extraction):
    found = seed_times(seed_extraction)
    october = found["early to mid-October"][0]  # one expression, one interval
    assert (october.value, october.interval_start, october.interval_end) == ("2024-10", "2024-10-01", "2024-10-20")
    december = found["December"][0]  # "by December": an end bound
    assert (december.value, december.mod, december.interval_end) == ("2024-12", "ON_OR_BEFORE", "2024-12")
    since = found["August 2023"][0]  # "since August 2023": a start bound
    assert (since.value, since.mod, since.interval_start) == ("2023-08", "ON_OR_AFTER", "2023-08")
    war = found["1950-53"][0]
    assert (war.type, war.value, war.interval_start, war.interval_end) == ("DURATION", "P4Y", "1950", "1953")
    past = found["the past two years"][0]
    assert (past.type, past.value, past.interval_start, past.interval_end) == (
        "DURATION",
        "P2Y",
        "2022-10-24",
        "2024-10-24",
    )
    assert found["over two years"][0].mod == "MORE_THAN"


def test_seed_weekday_ahead_of_a_reported_day(seed_extraction):
    """"told ... on Tuesday that troops were set to arrive ... on Wednesday": the day after Tuesday."""
    values = [t.value for t in seed_times(seed_extraction)["Wednesday"]]
    assert values == ["2024-10-23", "2024-10-23", "2024-10-23"]


def test_seed_without_publication_date_is_never_guessed(nlp, seed_text):
    found: dict[str, list[TimeExpr]] = {}
    for item in extract_times(nlp(seed_text), Extraction(document=Document(id="s", text=seed_text))):
        found.setdefault(item.text, []).append(item)
    assert {t.value for t in found["Wednesday"]} == {"XXXX-WXX-3"}
    assert found["June of this year"][0].value == "XXXX-06"
    assert found["next week"][0].value == "XXXX-WXX"
    assert found["December"][0].value == "XXXX-12"
    assert found["early to mid-October"][0].value == "XXXX-10"
    assert found["August 2023"][0].value == "2023-08"  # absolute dates need no anchor
    assert found["the past two years"][0].interval_start is None


# ---------------------------------------------------------------- weekdays


def test_weekday_future_verb_looks_ahead(nlp):
    text = "The tariffs on steel and aluminum imports will take effect Wednesday as scheduled."
    assert one(nlp, text, "2025-03-09", "Wednesday").value == "2025-03-12"
    assert one(nlp, text, None, "Wednesday").value == "XXXX-WXX-3"


def test_weekday_past_verb_looks_back(nlp):
    text = "UNICEF said Thursday that 16 million children in Sudan are suffering horribly from the civil war."
    assert one(nlp, text, "2025-03-13", "Thursday").value == "2025-03-13"  # the day itself
    assert one(nlp, text, "2025-03-15", "Thursday").value == "2025-03-13"


def test_weekday_with_part_of_day_and_bound(nlp):
    text = "The train remains blocked in a tunnel near Sibi since Tuesday afternoon."
    found = one(nlp, text, "2025-03-12", "Tuesday afternoon")
    assert (found.type, found.value, found.interval_start) == ("TIME", "2025-03-11TAF", "2025-03-11TAF")


# ---------------------------------------------------------------- relative units


@pytest.mark.parametrize(
    ("text", "published", "expression", "value"),
    [
        ("The United States announced last week that it would cease military aid.", "2025-03-12", "last week", "2025-W10"),
        ("Trump may drop the tariff increases next month.", "2025-03-09", "next month", "2025-04"),
        ("Agencies have conducted 11,654 operations across the country so far this year.", "2025-03-14", "this year", "2025"),
        ("The US imposed sanctions on Dodik in 2023 and again in January of this year.", "2025-03-14", "January of this year", "2025-01"),
        ("The vessel arrived in eastern China late last year.", "2025-03-14", "late last year", "2024"),
        ("Rubio told VOA earlier this week during a briefing.", "2025-03-14", "earlier this week", "2025-W11"),
        ("The head of MSF said he was in Sudan six weeks ago.", "2025-03-13", "six weeks ago", "2025-W05"),
        ("Since his diagnosis 13 years ago, Sithole has been on a rigorous treatment.", "2025-03-14", "13 years ago", "2012"),
        ("I can't tell you the market is going to go up today, tomorrow, next week.", "2025-03-13", "tomorrow", "2025-03-14"),
    ],
)
def test_relative_expressions(nlp, text, published, expression, value):
    assert one(nlp, text, published, expression).value == value


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("The United States announced last week that it would cease military aid.", "last week", "XXXX-WXX"),
        ("Agencies have conducted 11,654 operations so far this year.", "this year", "XXXX"),
        ("The US imposed sanctions again in January of this year.", "January of this year", "XXXX-01"),
        ("The head of MSF said he was in Sudan six weeks ago.", "six weeks ago", "XXXX-WXX"),
        ("I can't tell you the market is going to go up tomorrow.", "tomorrow", "XXXX-XX-XX"),
    ],
)
def test_relative_expressions_without_publication_date(nlp, text, expression, value):
    assert one(nlp, text, None, expression).value == value


def test_a_decade_ago_keeps_decade_granularity(nlp):
    text = "In the tiny village of Maranchon, the turbines installed more than a decade ago are now an accepted fixture."
    found = one(nlp, text, "2019-12-09", "more than a decade ago")
    assert (found.type, found.value, found.mod) == ("DATE", "200", "MORE_THAN")
    assert one(nlp, text, None, "more than a decade ago").value == "XXX"


# ---------------------------------------------------------------- absolute dates, decades, bounds


def test_decades_centuries_and_modifiers(nlp):
    found = times(nlp, "Kaabu existed from the mid-1500s to the 1800s.", None)
    assert (found["the mid-1500s"].value, found["the mid-1500s"].mod) == ("15", "MID")
    assert found["the 1800s"].value == "18"
    assert one(nlp, "Parents were forced out of their homeland in the 1960s.", None, "the 1960s").value == "196"


def test_bounds_from_prepositions(nlp):
    text = "His trial has been ongoing since December 2023 and is widely viewed as politically motivated."
    found = one(nlp, text, "2025-03-13", "December 2023")
    assert (found.interval_start, found.mod) == ("2023-12", "ON_OR_AFTER")
    found = one(nlp, "China released a program to make the country a world leader by 2030.", "2025-03-12", "2030")
    assert (found.interval_end, found.mod) == ("2030", "ON_OR_BEFORE")
    text = "Security forces have arrested at least 2,400 people since February 1."
    assert one(nlp, text, "2021-03-19", "February 1").value == "2021-02-01"
    assert one(nlp, text, None, "February 1").value == "XXXX-02-01"


def test_month_start_and_clock_time(nlp):
    text = "Officials said the Jairan would depart China in early February, but it did not leave until March 10."
    early = one(nlp, text, "2025-03-14", "early February")
    assert (early.value, early.mod) == ("2025-02", "START")
    assert one(nlp, text, "2025-03-14", "March 10").interval_end == "2025-03-10"
    clock = one(nlp, "Minors get home around 9 p.m.", "2025-03-14", "around 9 p.m.")
    assert (clock.type, clock.value, clock.mod) == ("TIME", "2025-03-14T21:00", "APPROX")


def test_sets_and_durations(nlp):
    text = "He walked six miles to and from work every day and never thought his weight was a problem."
    assert (one(nlp, text, None, "every day").type, one(nlp, text, None, "every day").value) == ("SET", "P1D")
    text = "His trial was originally estimated to last about 80 days."
    found = one(nlp, text, "2025-03-13", "about 80 days")
    assert (found.type, found.value, found.mod) == ("DURATION", "P80D", "APPROX")


def test_verb_last_is_not_a_direction(nlp):
    text = "The operation was meant to last a few months but security forces are still struggling."
    found = one(nlp, text, "2020-02-17", "a few months")
    assert (found.type, found.value, found.interval_start) == ("DURATION", "PXM", None)


def test_holidays(nlp):
    text = 'He said: "It\'s just a matter of does it come on Christmas Eve?"'
    assert one(nlp, text, "2019-12-18", "Christmas Eve").value == "2019-12-24"
    assert one(nlp, text, None, "Christmas Eve").value == "XXXX-12-24"
    text = 'North Korea may launch a long-range ballistic missile as a "Christmas gift" to the U.S.'
    assert times(nlp, text, "2019-12-18") == {}


def test_article_before_an_adjective_time_stays_out_across_a_line_break(nlp):
    text = "Profit in the\nthird-quarter rose, and the year-ago figure was lower."
    found = times(nlp, text, "2024-10-24")
    assert found["third-quarter"].value == "2024-Q3"
    assert found["year-ago"].value == "2023"


def test_odd_whitespace_inside_expressions(nlp):
    text = "The talks began the day  before yesterday and resume this\ncoming Friday, as the\nlast week showed."
    found = times(nlp, text, "2022-02-26")
    assert found["the day  before yesterday"].value == "2022-02-24"
    assert found["this\ncoming Friday"].value == "2022-03-04"
    assert found["the\nlast week"].value == "2022-W07"


def test_quarters_and_seasons(nlp):
    text = "The company said profit rose in the third quarter and it expects a recovery next spring."
    found = times(nlp, text, "2024-10-24")
    assert found["the third quarter"].value == "2024-Q3"
    assert found["next spring"].value == "2025-SP"
    found = times(nlp, text, None)
    assert found["the third quarter"].value == "XXXX-Q3"
    assert found["next spring"].value == "XXXX-SP"


def test_decades(nlp):
    found = times(nlp, "Wages have barely moved since the 1990s, and the 2010s were worse.", "2024-10-24")
    assert found["the 1990s"].value == "199" and found["the 1990s"].type == "DATE"
    assert found["the 2010s"].value == "201"


def test_not_time_expressions(nlp):
    """Counts that look like years, "the fall of" a regime, ages and fractions are left alone."""
    found = times(nlp, "IS has been trying to take advantage of the fall of the Assad regime.", "2025-03-14")
    assert found == {}
    found = times(nlp, "Roughly a quarter of the refugees come from South Sudan, and 2000 troops stayed.", "2021-04-02")
    assert found == {}
    assert "30-year" not in " ".join(times(nlp, "A 30-year-old man was arrested.", "2021-04-02"))


# ---------------------------------------------------------------- calendar helpers


def test_calendar_helpers():
    import datetime as dt

    thursday = dt.date(2024, 10, 24)
    assert weekday_near(thursday, 2, future=False) == dt.date(2024, 10, 23)
    assert weekday_near(thursday, 2, future=True) == dt.date(2024, 10, 30)
    assert relative(thursday, "week", -1) == "2024-W42"
    assert relative(None, "month", 1) == "XXXX-XX"
    assert relative(thursday, "year", -10, "decade") == "201"
    assert year_for_month(dt.date(1989, 11, 2), 1, None, None) == 1990  # "January" in November: the next one
    assert year_for_month(dt.date(2000, 1, 10), 11, None, None) == 1999


def test_seed_times_survive_the_store(seed_extraction, tmp_path):
    """Stored and read back from SQLite, every time expression keeps its value, mod and interval."""
    import sitroom

    store = sitroom.open_store(f"sqlite:///{tmp_path / 'times.db'}")
    store.save_extraction(seed_extraction, location="seed.txt")
    assert store.extraction(seed_extraction.document.id).times == seed_extraction.times
