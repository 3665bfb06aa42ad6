"""The time-expression grammar: regular expressions over the text, each with its normalizer.

A rule finds a stretch of text and reads it as a TIMEX3 ``Reading`` (type, value, mod and
interval bounds), resolving relative expressions against the context's anchor (the
publication date) and the tense of the governing verb. Without an anchor every relative
expression keeps an unresolved ``XXXX`` value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sitroom.nlp.times_calendar import (
    quarter_of,
    relative,
    shift,
    valid_date,
    weekday_near,
    weekday_nearest,
    year_for_month,
)


@dataclass
class Reading:
    """What one rule read from its match; ``clock``/``day`` mark parts that may merge."""

    type: str
    value: str
    mod: str | None = None
    interval_start: str | None = None
    interval_end: str | None = None
    clock: str | None = None  # "T15:00" for a bare clock time
    day: bool = False  # a single day that a clock time may attach to
    point: bool = True  # a date or time that early/mid/late and since/by may qualify
    weekday: int | None = None  # for a weekday name: 0 (Monday) to 6
    shifted: bool = False  # read with a verb that looks ahead from a past moment ("was set to")


class Context(Protocol):
    anchor: dt.date | None

    @property
    def day_first(self) -> bool: ...  # the document writes numeric dates day first (23/08/2016)

    def tense(self, start: int, end: int) -> str | None: ...

    def annual(self, start: int, end: int) -> bool: ...


# ---------------------------------------------------------------- lexicon

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH = (
    r"(?-i:(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)|JANUARY|FEBRUARY|MARCH|APRIL"
    r"|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)(?![a-z])"
)
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
WEEKDAY = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)"
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON = r"(?:spring|summer|fall|autumn|winter)"
PARTS_OF_DAY = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI", "overnight": "TNI"}
PART_OF_DAY = r"(?:morning|afternoon|evening|night)"

SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "one hundred": 100, "a dozen": 12, "dozen": 12, "half a": 0.5,
    "a couple of": 2, "couple of": 2,
}  # fmt: skip
VAGUE_NUMBERS = r"(?:several|a\s+few|few|many|some|numerous|a\s+number\s+of|dozens\s+of|hundreds\s+of)"
TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
UNITS_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
NUMBER = (
    rf"(?:\d+\s+1/2|\d+(?:\.\d+)?|{TENS}(?:[\s-]{UNITS_WORD})?|(?:a|one)\s+hundred|a\s+dozen|half\s+a|a\s+couple\s+of|couple\s+of"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|one|two|three|four|five"
    rf"|six|seven|eight|nine|an?|{VAGUE_NUMBERS})"
)
# Unit word -> (TIMEX3 duration letter, is a clock unit, multiplier, calendar granularity)
UNITS: dict[str, tuple[str, bool, int, str]] = {
    "second": ("S", True, 1, "day"),
    "minute": ("M", True, 1, "day"),
    "hour": ("H", True, 1, "day"),
    "day": ("D", False, 1, "day"),
    "night": ("D", False, 1, "day"),
    "week": ("W", False, 1, "week"),
    "fortnight": ("W", False, 2, "week"),
    "month": ("M", False, 1, "month"),
    "quarter": ("Q", False, 1, "quarter"),
    "year": ("Y", False, 1, "year"),
    "decade": ("Y", False, 10, "decade"),
    "century": ("Y", False, 100, "century"),
}
UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur(?:y|ie))s?"
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": 4, "last": 4}

FUTURE, PAST, PRESENT, FUTURE_IN_PAST = "future", "past", "present", "future_in_past"


def number_value(text: str) -> float | None:
    """The number a word or digits stand for; None for vague ones ("several")."""
    text = re.sub(r"[\s-]+", " ", text.lower()).strip()
    if text.endswith(" 1/2") and text[:-4].isdigit():
        return int(text[:-4]) + 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in SMALL_NUMBERS:
        return SMALL_NUMBERS[text]
    parts = text.split()
    if len(parts) == 2 and parts[0] in SMALL_NUMBERS and parts[1] in SMALL_NUMBERS:
        return SMALL_NUMBERS[parts[0]] + SMALL_NUMBERS[parts[1]]
    return None


def unit_of(word: str) -> str:
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    return word[:-1] if word.endswith("s") and word[:-1] in UNITS else word


def duration_value(amount: float | None, unit: str) -> str:
    """The TIMEX3 duration (P2Y, PT3H, PXM) of an amount of units."""
    letter, clock, multiplier, _ = UNITS[unit]
    if amount is None:
        number = "X"
    else:
        total = amount * multiplier
        if total != int(total) and (total * 2).is_integer():
            # a half: "2 1/2 years" is P2Y6M, "5 1/2 hours" PT5H30M
            half = {"Y": "6M", "H": "30M", "D": "T12H", "W": "3DT12H"}.get(letter) or ("30S" if clock else "15D")
            return f"P{'T' if clock else ''}{int(total)}{letter}{half}"
        if total != int(total):
            if unit == "hour":
                total, letter = total * 60, "M"
            elif unit == "year":
                total, letter = total * 12, "M"
            elif unit == "day":
                total, letter, clock = total * 24, "H", True
        number = str(int(total)) if total == int(total) else f"{total:g}"
    return f"P{'T' if clock else ''}{number}{letter}"


def month_number(text: str) -> int:
    return MONTHS[text.lower()[:3]]


def weekday_number(text: str) -> int:
    return WEEKDAYS[text.lower()[:3]]


def two_digit_year(text: str) -> int:
    year = int(text)
    return year + (1900 if year >= 30 else 2000) if year < 100 else year


SLASHED_DATE = re.compile(r"(?<![\w/.])([0-3]?\d)/([0-3]?\d)/(?:\d{4}|\d{2})(?![\w/])")
WRITTEN_DAY_MONTH = re.compile(rf"\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}")
WRITTEN_MONTH_DAY = re.compile(rf"{MONTH}\.?\s+[0-3]?\d(?:st|nd|rd|th)?(?![\d:])")


def writes_day_first(text: str) -> bool:
    """Whether a document writes numeric dates day first (23/08/2016) rather than month first.

    Its own unambiguous slashed dates (one part over 12) decide; without them, how it writes
    dates in words ("23 August" as in Britain and most of the world, "August 23" as in the
    US). Month first, the US order, when neither says.
    """
    day_first = month_first = 0
    for first, second in SLASHED_DATE.findall(text):
        if int(first) > 12 >= int(second):
            day_first += 1
        elif int(second) > 12 >= int(first):
            month_first += 1
    if day_first != month_first:
        return day_first > month_first
    return len(WRITTEN_DAY_MONTH.findall(text)) > len(WRITTEN_MONTH_DAY.findall(text))


# ---------------------------------------------------------------- normalizers

Handler = Callable[[re.Match, Context], Reading | None]


def _date_value(year: int | None, month: int, day: int | None) -> str:
    y = f"{year:04d}" if year is not None else "XXXX"
    return f"{y}-{month:02d}" + (f"-{day:02d}" if day else "")


def _resolve_month_day(m: re.Match, ctx: Context, month: int, day: int | None, year: str | None) -> Reading | None:
    """The date of a month (and day) with the year written, read from the anchor, or unknown.

    "was to reject ... after the invasion of 24 February" looks ahead of a past moment, not
    of the report, so future-in-past picks the nearest year like an untensed date. A day
    named for what recurs on it each year ("Ukraine celebrates the victory on May 8th")
    keeps no year (XXXX-05-08).
    """
    if year:
        year_number: int | None = two_digit_year(year)
    elif ctx.anchor is not None and not (day and ctx.annual(m.start(), m.end())):
        tense = ctx.tense(m.start(), m.end())
        year_number = year_for_month(ctx.anchor, month, day, tense)
    else:
        year_number = None
    if day and not valid_date(year_number or 2000, month, day):
        return None
    return Reading("DATE", _date_value(year_number, month, day), day=bool(day))


def read_month_day(m: re.Match, ctx: Context) -> Reading | None:
    """"August 23", "23 August 2016", and day ranges "August 6-8, 2016", "from 3 to 17 October".

    A range is one expression: its value is the first day, its interval the first to the last.
    """
    reading = _resolve_month_day(m, ctx, month_number(m["month"]), int(m["day"]), m["year"])
    other = m.groupdict().get("day2") or m.groupdict().get("day0")
    if reading is None or other is None:
        return reading
    first, last = (int(m["day"]), int(other)) if m.groupdict().get("day2") else (int(other), int(m["day"]))
    if not first < last:
        return None
    head = reading.value[:8]  # "2016-08-" or "XXXX-08-"
    if not valid_date(2000 if head[0] == "X" else int(head[:4]), int(head[5:7]), last):
        return None
    reading.value = f"{head}{first:02d}"
    reading.interval_start, reading.interval_end = reading.value, f"{head}{last:02d}"
    reading.day = False  # a clock time belongs to one day, not to a range
    return reading


def read_month_year(m: re.Match, ctx: Context) -> Reading | None:
    month = month_number(m["month"])
    if not m["year"] and len(m["month"]) == 3 and m["month"].lower() not in ("may",):
        return None  # a bare "Jan" or "Dec" is more often a name than a month
    if m["year"]:
        return Reading("DATE", _date_value(two_digit_year(m["year"]), month, None))
    if m["rel"]:
        amount = {"this": 0, "last": -1, "next": 1, "the same": 0}[re.sub(r"\s+", " ", m["rel"].lower())]
        if ctx.anchor is None:
            return Reading("DATE", _date_value(None, month, None))
        return Reading("DATE", _date_value(ctx.anchor.year + amount, month, None))
    return _resolve_month_day(m, ctx, month, None, None)


def read_relative_month(m: re.Match, ctx: Context) -> Reading | None:
    """"last November", "next March", "this June": the named month before/after the anchor."""
    month = month_number(m["month"])
    if ctx.anchor is None:
        return Reading("DATE", _date_value(None, month, None))
    rel = m["rel"].lower()
    year = ctx.anchor.year
    if rel == "last" or rel == "past":
        year = year - 1 if month >= ctx.anchor.month else year
    elif rel in ("next", "coming"):
        year = year + 1 if month <= ctx.anchor.month else year
    return Reading("DATE", _date_value(year, month, None))


HOLIDAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "new year's eve": (12, 31),
            "new year's day": (1, 1), "independence day": (7, 4), "valentine's day": (2, 14), "halloween": (10, 31),
            "veterans day": (11, 11), "thanksgiving day": (11, None), "thanksgiving": (11, None)}  # fmt: skip


def read_holiday(m: re.Match, ctx: Context) -> Reading | None:
    """Holidays with a fixed date (and US Thanksgiving, the fourth Thursday of November)."""
    name = re.sub(r"\s+", " ", m["holiday"].lower()).replace("’", "'")
    month, day = HOLIDAYS[name]
    if m["year"]:
        year: int | None = int(m["year"])
    elif ctx.anchor is not None:
        year = year_for_month(ctx.anchor, month, day or 25, ctx.tense(m.start(), m.end()))
    else:
        year = None
    if day is None:  # Thanksgiving
        if year is None:
            return Reading("DATE", "XXXX-11-XX", day=True)
        first = dt.date(year, 11, 1)
        day = 1 + (3 - first.weekday()) % 7 + 21
    return Reading("DATE", _date_value(year, month, day), day=True)


def numeric_day_month(first: int, second: int, day_first: bool) -> tuple[int, int] | None:
    """(month, day) of a slashed date: the only valid reading when one part is over 12,
    else the document's order (``day_first``), else month first as in US sources."""
    if first > 12 and second > 12:
        return None
    if first > 12 or (day_first and second <= 12):
        return second, first
    return first, second


def read_numeric_date(m: re.Match, ctx: Context) -> Reading | None:
    """ISO dates 2024-10-23, slashed 10/30/89 (month first) or 23/08/2016 (day first), dotted
    23.08.2016 (day first), each with an optional clock time ("4/2/19 09:15 PM ET")."""
    if m["iso_year"]:
        year, month, day = int(m["iso_year"]), int(m["iso_month"]), int(m["iso_day"])
    elif m["dot_year"]:
        year, month, day = int(m["dot_year"]), int(m["dot_month"]), int(m["dot_day"])
    else:
        order = numeric_day_month(int(m["first"]), int(m["second"]), ctx.day_first)
        if order is None:
            return None
        year, (month, day) = two_digit_year(m["num_year"]), order
    if not valid_date(year, month, day):
        return None
    value = f"{year:04d}-{month:02d}-{day:02d}"
    if m["hour"]:
        clock = clock_value(int(m["hour"]), int(m["minute"]), m["half"])
        return Reading("TIME", f"{value}{clock}") if clock else None
    return Reading("DATE", value, day=True)


def read_year(m: re.Match, ctx: Context) -> Reading | None:
    return Reading("DATE", m["year"])


def read_year_span(m: re.Match, ctx: Context) -> Reading | None:
    """"1950-53": one interval from the first year to the second."""
    first = int(m["first"])
    last = int(str(first)[: 4 - len(m["last"])] + m["last"])
    if last <= first:
        return None
    return Reading("DURATION", f"P{last - first + 1}Y", interval_start=str(first), interval_end=str(last), point=False)


def read_decade(m: re.Match, ctx: Context) -> Reading | None:
    digits = m["decade"]
    year = two_digit_year(digits[1:3]) if digits.startswith("'") else int(digits[:4])
    if year % 100 == 0 and not digits.startswith("'"):
        return Reading("DATE", f"{year:04d}"[:2])  # "the 1800s": the century
    return Reading("DATE", f"{year:04d}"[:3])


def read_century(m: re.Match, ctx: Context) -> Reading | None:
    number = int(re.match(r"\d+", m["nth"]).group())
    return Reading("DATE", f"{number - 1:02d}")


def read_deictic_day(m: re.Match, ctx: Context) -> Reading | None:
    """today, yesterday, tomorrow, tonight, this morning, last night, ..."""
    word = re.sub(r"^the\s+|\s+", " ", m["word"].lower()).strip()
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "day before yesterday": -2, "day after tomorrow": 2}
    if word in offsets:
        amount, part = offsets[word], ("TNI" if word == "tonight" else None)
    else:
        rel, part_word = word.split()
        amount = -1 if rel in ("last", "yesterday") else 1 if rel == "tomorrow" else 0
        part = PARTS_OF_DAY[part_word]
    value = relative(ctx.anchor, "day", amount)
    if part:
        return Reading("TIME", f"{value}{part}")
    return Reading("DATE", value, day=True)


def read_weekday(m: re.Match, ctx: Context) -> Reading | None:
    """Weekday names: the most recent such day for a past verb or none, the next one for a
    future verb, the nearest one for a present verb.

    Present tense in news is either a scheduled event ("Orban goes to Moscow on Tuesday",
    the next day or two) or a lead reporting what was just seen or said ("Medvedev's
    remarks Sunday again raise ...", the day before): the nearest day reads both.
    """
    weekday = weekday_number(m["weekday"])
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    part = PARTS_OF_DAY.get((m["part"] or "").lower())
    shifted = False
    if ctx.anchor is None:
        value = f"XXXX-WXX-{weekday + 1}"
    else:
        tense = ctx.tense(m.start(), m.end()) if rel in ("", "this") else None
        shifted = tense == FUTURE_IN_PAST
        future = rel in ("next", "coming", "this coming") or tense == FUTURE
        future = future or (rel == "this" and tense != PAST)  # "is set to vote this Saturday"
        if tense in (PRESENT, FUTURE_IN_PAST) and not rel:
            day = weekday_nearest(ctx.anchor, weekday)
        else:
            day = weekday_near(ctx.anchor, weekday, future)
        if rel == "last" and day == ctx.anchor:
            day -= dt.timedelta(days=7)
        if rel == "next" and day == ctx.anchor:
            day += dt.timedelta(days=7)
        value = day.isoformat()
    reading = Reading("TIME", value + part) if part else Reading("DATE", value, day=True)
    reading.weekday = weekday
    reading.shifted = shifted
    return reading


def read_relative_unit(m: re.Match, ctx: Context) -> Reading | None:
    """this/last/next/coming week, month, year, quarter, weekend, decade, century."""
    if m["unit2"]:
        # "the weekend" of a past verb is the last one; of a present or future verb, the next one.
        back = ctx.anchor is not None and ctx.anchor.weekday() < 5 and ctx.tense(m.start(), m.end()) in (PAST, None)
        return Reading("DATE", relative(ctx.anchor, "weekend", -1 if back else 0))
    rel = re.sub(r"^the\s+", "", m["rel"].lower())
    unit = unit_of(m["unit"]) if m["unit"].lower() != "weekend" else "weekend"
    amount = {"this": 0, "current": 0, "full": 0, "fiscal": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1, "following": 1}.get(rel)
    if amount is None:
        return None
    return Reading("DATE", relative(ctx.anchor, unit, amount))


def read_earlier_later_this(m: re.Match, ctx: Context) -> Reading | None:
    """"earlier this year" (START), "later this month" (END)."""
    unit = unit_of(m["unit"])
    amount = {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    mod = "START" if m["which"].lower() == "earlier" else "END"
    return Reading("DATE", relative(ctx.anchor, unit, amount), mod=mod)


def read_season(m: re.Match, ctx: Context) -> Reading | None:
    season = SEASONS[m["season"].lower()]
    rel = (m["rel"] or "").lower()
    if m["year"]:
        return Reading("DATE", f"{m['year']}-{season}")
    if ctx.anchor is None:
        return Reading("DATE", f"XXXX-{season}")
    year = ctx.anchor.year + {"last": -1, "next": 1}.get(rel, 0)
    return Reading("DATE", f"{year:04d}-{season}")


def read_quarter(m: re.Match, ctx: Context) -> Reading | None:
    """"the third quarter (of 2024)", "fourth-quarter", "first half"."""
    nth = ORDINALS[m["nth"].lower()]
    letter = "H" if m["part"].lower() == "half" else "Q"
    if letter == "H" and nth > 2:
        return None
    year: int | None = None
    if m["year"] or m["year0"]:
        year = int(m["year"] or m["year0"])
    elif ctx.anchor is not None:
        rel = (m["rel"] or "").lower()
        year = ctx.anchor.year + {"last year's": -1, "next year's": 1}.get(rel, 0)
        if not rel:
            current = quarter_of(ctx.anchor) if letter == "Q" else (1 if ctx.anchor.month <= 6 else 2)
            tense = ctx.tense(m.start(), m.end())
            if nth > current and tense == PAST:
                year -= 1
    return Reading("DATE", f"{year:04d}-{letter}{nth}" if year is not None else f"XXXX-{letter}{nth}")


def read_the_quarter(m: re.Match, ctx: Context) -> Reading | None:
    """"the quarter", "the latest quarter": in news, the last quarter completed (the one reported)."""
    return Reading("DATE", relative(ctx.anchor, "quarter", -1))


def calendar_steps(unit: str, amount: int) -> tuple[str, int]:
    """The calendar unit and count to shift a date by for ``amount`` units ("a decade": 10 years)."""
    base_unit = {"decade": "year", "century": "year", "night": "day", "fortnight": "week"}.get(unit, unit)
    return base_unit, amount * UNITS[unit][2]


def read_duration(m: re.Match, ctx: Context) -> Reading | None:
    """"two years", "the past 18 months", "a decade", "three-day": a TIMEX3 duration."""
    unit = unit_of(m["unit"])
    amount = number_value(m["num"]) if m["num"] else 1.0
    if m["num"] and amount is None and not re.fullmatch(VAGUE_NUMBERS, re.sub(r"\s+", " ", m["num"].lower())):
        return None
    if amount is not None and amount >= 1000:
        return None  # "the 1988 quarter": a year, not a count
    if unit == "second" and (m["num"] or "").lower() in ("a", "an", "one"):
        return None  # "a second attack"
    if unit == "quarter" and ((m["num"] or "").lower() in ("a", "an", "one", "three") or "-" in m[0]):
        return None  # "a quarter of", "three-quarters": fractions
    value = duration_value(amount, unit)
    reading = Reading("DURATION", value, point=False)
    direction = (m["dir"] or "").lower()
    if ctx.anchor is not None and amount is not None and amount == int(amount) and not UNITS[unit][1]:
        base_unit, steps = calendar_steps(unit, int(amount))
        if direction in ("past", "last", "previous", "preceding"):
            reading.interval_start = shift(ctx.anchor, base_unit, -steps).isoformat()
            reading.interval_end = ctx.anchor.isoformat()
        elif direction in ("next", "coming", "following"):
            reading.interval_start = ctx.anchor.isoformat()
            reading.interval_end = shift(ctx.anchor, base_unit, steps).isoformat()
    return reading


IN_BEFORE = re.compile(r"\bin\s+$", re.IGNORECASE)


def read_bare_units(m: re.Match, ctx: Context) -> Reading | None:
    """"for years", "in recent weeks": an unspecified number of units.

    "in the coming days", "in the next few weeks", "in the days ahead" place something ahead
    of the report: FUTURE_REF (TIMEX3), not a duration.
    """
    unit = m["unit"] or m.groupdict().get("unit2")
    ahead = re.match(r"(?:the\s+)?(?:coming|next)|the\s+\w+\s+ahead", m[0], re.IGNORECASE)
    if ahead and IN_BEFORE.search(m.string[max(0, m.start() - 10) : m.start()]):
        return Reading("DATE", "FUTURE_REF")
    return Reading("DURATION", duration_value(None, unit_of(unit)), point=False)


def read_ago(m: re.Match, ctx: Context) -> Reading | None:
    """"two years ago", "a decade ago", "a week from now": the anchor moved back or forth."""
    unit = unit_of(m["unit"])
    amount = number_value(m["num"]) if m["num"] else None
    direction = -1 if m["dir"].lower() in ("ago", "earlier", "before") else 1
    if amount is None or amount != int(amount):
        return Reading("DATE", "PAST_REF" if direction < 0 else "FUTURE_REF")
    _, clock, _, granularity = UNITS[unit]
    if clock:
        return Reading("DATE", relative(ctx.anchor, "day", 0))
    base_unit, steps = calendar_steps(unit, int(amount))
    return Reading("DATE", relative(ctx.anchor, base_unit, direction * steps, granularity))


def read_year_ago(m: re.Match, ctx: Context) -> Reading | None:
    """"year-earlier", "the year-ago quarter": the year (or reported quarter) before the anchor's."""
    what = (m["what"] or "").lower()
    if "months" in what:
        return Reading("DURATION", duration_value(number_value(what.split()[0]), "month"), point=False)
    if "quarter" in what or "period" in what:
        nth = re.match(r"(first|second|third|fourth)", what)
        if nth:
            year = relative(ctx.anchor, "year", -1)
            return Reading("DATE", f"{year}-Q{ORDINALS[nth.group(1)]}")
        return Reading("DATE", relative(ctx.anchor, "quarter", -5))
    return Reading("DATE", relative(ctx.anchor, "year", -1))


def read_reference(m: re.Match, ctx: Context) -> Reading | None:
    """now, currently, recently, the past, the future, soon: TIMEX3 reference values."""
    word = re.sub(r"\s+", " ", m["word"].lower())
    if word in ("now", "right now", "currently", "nowadays", "at present", "the present", "present", "right now", "at the moment", "these days"):
        return Reading("DATE", "PRESENT_REF")
    if word in ("the future", "future", "the near future", "a later date"):
        return Reading("DATE", "FUTURE_REF")
    if word.startswith("recent "):
        return Reading("DURATION", duration_value(None, unit_of(word.split()[1])), point=False)
    return Reading("DATE", "PAST_REF")


def clock_value(hour: int, minute: int, half: str | None) -> str | None:
    """"T21:15" for 9:15 PM; None for a time that cannot be (13 p.m., 25:00)."""
    half = (half or "").lower().replace(".", "").replace(" ", "")
    if half and not 1 <= hour <= 12:
        return None
    if half == "pm" and hour != 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return f"T{hour:02d}:{minute:02d}"


def read_clock(m: re.Match, ctx: Context) -> Reading | None:
    """"3 p.m.", "10:30 a.m. EDT", "11:00 a.m. ET", "15:00 GMT", "noon", "midnight".

    The time zone stays in the span; the value is the clock time as written. Without a.m./p.m.,
    a zone or a word such as "at" before it, "3:07:35" is a race time (a duration) and a
    one-digit "1:23" a video's length (no time at all).
    """
    word = (m["word"] or "").lower()
    clock: str | None
    if word:
        clock = "T12:00" if word in ("noon", "midday") else "T24:00"
    else:
        if not m["half"] and not m["minute"]:
            return None
        bare = not m["half"] and not m["zone"] and CLOCK_PREPOSITION.search(m.string[max(0, m.start() - 10) : m.start()]) is None
        if bare and m["second"]:  # "won in 3:07:35": a race time
            hours, minutes, seconds = int(m["hour"]), int(m["minute"]), int(m["second"])
            return Reading("DURATION", f"PT{hours}H{minutes}M{seconds}S" if hours else f"PT{minutes}M{seconds}S", point=False)
        if bare and len(m["hour"]) == 1:
            return None
        clock = clock_value(int(m["hour"]), int(m["minute"] or 0), m["half"])
        if clock is None:
            return None
    return Reading("TIME", relative(ctx.anchor, "day", 0) + clock, clock=clock)


def read_set(m: re.Match, ctx: Context) -> Reading | None:
    """every day, each week, daily, weekly, annually: TIMEX3 SET values."""
    word = m["word"].lower()
    adverbs = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
               "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}  # fmt: skip
    if word in adverbs:
        return Reading("SET", adverbs[word], point=False)
    unit_word = word.split()[-1]
    if unit_word[:3] in MONTHS and not unit_word.endswith("day"):
        return Reading("SET", f"XXXX-{month_number(unit_word):02d}", point=False)
    if unit_word in PARTS_OF_DAY:
        return Reading("SET", f"XXXX-XX-XX{PARTS_OF_DAY[unit_word]}", point=False)
    if unit_word[:3] in WEEKDAYS and unit_word.rstrip("s").endswith("day") and unit_word != "day":
        return Reading("SET", f"XXXX-WXX-{weekday_number(unit_word) + 1}", point=False)
    unit = unit_of(unit_word)
    if unit not in UNITS:
        return None
    return Reading("SET", duration_value(1, unit), point=False)


# ---------------------------------------------------------------- rules

DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR4 = r"(?:1[6-9]\d\d|20\d\d)"
HALF_DAY = r"(?P<half>(?i:a\.\s?m\.|p\.\s?m\.|a\.m|p\.m|am|pm))"
# Time-zone abbreviations that follow a clock time ("09:15 PM ET", "15:00 GMT"): kept in the span.
TIME_ZONE = r"(?P<zone>(?-i:GMT|UTC|[ECMP][SD]?T|BST|CES?T|EES?T|MSK|IST|JST|KST|AES?T|HKT|SGT|PKT|local\s+time))"
# Words before a bare clock time ("at 6:30") that make it one; without them a one-digit "1:23"
# with no a.m./p.m. and no zone is a video's length or a score, not a time of day.
CLOCK_PREPOSITION = re.compile(r"\b(?:at|from|until|till|to|by|around|about|after|before|since|between|and)\s+$", re.IGNORECASE)
BOUNDARY_LEFT = r"(?<![\w$€£./-])"
BOUNDARY_RIGHT = r"(?![\w%])"

RULES: list[tuple[str, str, Handler]] = [
    (
        "numeric_date",
        rf"{BOUNDARY_LEFT}(?:(?P<iso_year>{YEAR4})-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d)"
        r"|(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/(?P<num_year>\d{4}|\d{2})"
        rf"|(?P<dot_day>[0-3]?\d)\.(?P<dot_month>[01]?\d)\.(?P<dot_year>{YEAR4}))"
        rf"(?:[\sT]+(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?::[0-5]\d)?(?:\s*{HALF_DAY})?(?:\s+{TIME_ZONE})?)?(?![\w/])",
        read_numeric_date,
    ),
    (
        "month_day",
        rf"\b(?:{WEEKDAY},?\s+)?{MONTH}\s*{DAY}(?:\s?[-–]\s?(?P<day2>[0-3]?\d)(?![\d:]|\s+{UNIT}\b))?(?:,?\s+(?P<year>{YEAR4}))?"
        rf"{BOUNDARY_RIGHT}".replace(MONTH, f"(?P<month>{MONTH})", 1),
        read_month_day,
    ),
    (
        "day_month",
        rf"\b(?:{WEEKDAY},?\s+)?(?:the\s+)?(?:(?P<day0>[0-3]?\d)(?:st|nd|rd|th)?\s?(?:[-–]|\s(?:to|and)\s)\s?)?"
        rf"{DAY}\s+(?:of\s+)?(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR4}))?{BOUNDARY_RIGHT}",
        read_month_day,
    ),
    (
        "month_year",
        rf"\b(?P<month>{MONTH})(?:,?\s+(?:of\s+)?(?P<year>{YEAR4})|\s+(?:of\s+)?(?P<rel>this|last|next|the\s+same)\s+year)?(?![\w%])",
        read_month_year,
    ),
    (
        "holiday",
        r"\b(?-i:(?P<holiday>Christmas(?:\s+(?:Eve|Day))?|New\s+Year['’]s\s+(?:Eve|Day)|Independence\s+Day"
        r"|Valentine['’]s\s+Day|Halloween|Veterans\s+Day|Thanksgiving(?:\s+Day)?))(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
        read_holiday,
    ),
    (
        "relative_month",
        rf"\b(?P<rel>last|next|this|past|coming)\s+(?P<month>{MONTH})(?![\w%]|\s*\d)",
        read_relative_month,
    ),
    (
        "year_span",
        rf"{BOUNDARY_LEFT}(?P<first>{YEAR4})\s?[-–]\s?(?P<last>\d\d)(?![\w%-])",
        read_year_span,
    ),
    # "mid-1996" and the second year of "2009-2010" are years; "F-1996" and "3/1996" are not.
    ("year", rf"(?:\b(?:fiscal|calendar|the\s+year)\s+)?(?<![\w$€£./])(?-i:(?<![A-Z]-))(?P<year>{YEAR4})(?![\w%]|,\d|\.\d)", read_year),
    ("decade", r"(?:\bthe\s+)?(?P<decade>\b(?:1\d|20)\d0'?s|'\d0s)(?!\w)", read_decade),
    ("century", r"\b(?:the\s+)?(?P<nth>\d{1,2}(?:st|nd|rd|th))[\s-]+century\b", read_century),
    (
        "deictic_day",
        rf"\b(?P<word>(?:the\s+)?day\s+(?:before\s+yesterday|after\s+tomorrow)|today|yesterday|tomorrow|tonight"
        rf"|(?:this|last|yesterday|tomorrow)\s+{PART_OF_DAY})\b",
        read_deictic_day,
    ),
    (
        "weekday",
        rf"\b(?:(?P<rel>last|next|this|this\s+coming|coming|past)\s+)?(?P<weekday>{WEEKDAY})(?:\s+(?P<part>{PART_OF_DAY}))?\b",
        read_weekday,
    ),
    (
        "relative_unit",
        r"\b(?P<rel>this|current|last|previous|past|next|coming|following|the\s+last|the\s+previous|the\s+next"
        r"|the\s+coming|the\s+following|the\s+current|the\s+full|the\s+fiscal)"
        r"\s+(?P<unit>week|weekend|month|year|quarter|decade|century)\b(?!-)"
        r"|\b(?P<rel2>the|this)\s+(?P<unit2>weekend)\b",
        read_relative_unit,
    ),
    (
        "earlier_later_this",
        r"\b(?P<which>earlier|later)\s+(?P<rel>this|last|next)\s+(?P<unit>week|month|year|decade|century)\b",
        read_earlier_later_this,
    ),
    (
        "season",
        rf"\b(?:(?P<rel>this|last|next|past|coming)\s+|the\s+)(?P<season>{SEASON})(?:\s+of\s+(?P<year>{YEAR4})|(?!\s+of\b))\b",
        read_season,
    ),
    (
        "season_year",
        rf"\b(?:the\s+)?(?P<season>{SEASON})(?:\s+of)?\s+(?P<year>{YEAR4})(?P<rel>)\b",
        read_season,
    ),
    (
        "quarter",
        r"\b(?:the\s+)?(?:(?P<rel>this\s+year's|last\s+year's|next\s+year's)\s+|(?P<year0>(?:19|20)\d\d)\s+)?"
        r"(?:(?:fiscal|calendar)\s+)?"
        r"(?P<nth>first|second|third|fourth|final|1st|2nd|3rd|4th)[\s-](?P<part>quarter|half)"
        rf"(?:\s+(?:of\s+)?(?:(?:fiscal|calendar)\s+)?(?P<year>{YEAR4}))?\b",
        read_quarter,
    ),
    ("the_quarter", r"\bthe\s+(?:latest\s+|most\s+recent\s+|just-ended\s+|recent\s+)?quarter\b(?!ly|s)", read_the_quarter),
    (
        "ago",
        rf"\b(?:(?P<num>{NUMBER})[\s-]+)?(?P<unit>{UNIT})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|from\s+now|hence)\b",
        read_ago,
    ),
    (
        "year_ago",
        r"\b(?:the\s+)?(?:comparable\s+)?year-(?:earlier|ago)(?:\s+(?P<what>(?:(?:first|second|third|fourth)\s+)?quarter"
        r"|period|(?:three|six|nine)\s+months))?\b",
        read_year_ago,
    ),
    (
        "duration",
        r"\b(?:the\s+)?(?:(?P<dir>past|last|next|previous|coming|first|final|latest|following|preceding|remaining)\s+(?!an?\s))?"
        rf"(?P<num>{NUMBER})[\s-]+(?:more\s+|additional\s+|straight\s+|consecutive\s+|full\s+|long\s+)?"
        rf"(?P<unit>{UNIT})(?!-old|\s+old\b|\w)",
        read_duration,
    ),
    (
        "past_unit",
        r"\bthe\s+(?P<dir>past)\s+(?P<num>)(?P<unit>week|month|year|decade|century)(?!\w)",
        read_duration,
    ),
    (
        "bare_units",
        r"(?:(?<=\bfor\s)|(?<=\bover\s)|(?<=within\s)|(?<=\bfor\s\s))(?P<unit>(?:hour|day|week|month|year|decade)s)\b",
        read_bare_units,
    ),
    (
        "coming_units",
        r"\b(?:(?:the\s+)?(?:coming|next\s+few|past\s+few|last\s+few)\s+(?P<unit>(?:hour|day|week|month|year|decade)s)"
        r"|the\s+(?P<unit2>(?:day|week|month|year)s)\s+ahead)\b",
        read_bare_units,
    ),
    # "now-shuttered", "now-signature": an adjective's prefix, not a reference to the present
    (
        "reference",
        r"\b(?P<word>(?:right\s+)?now(?!-)|currently|nowadays|at\s+present|recently|lately|the\s+past|the\s+(?:near\s+)?future"
        r"|recent\s+(?:years|months|weeks|days)|these\s+days|a\s+later\s+date)\b",
        read_reference,
    ),
    (
        "clock",
        r"\b(?:(?P<word>noon|midnight|midday)|(?P<hour>[0-2]?\d)(?::(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?)?\s*"
        rf"{HALF_DAY}?(?:\s+{TIME_ZONE})?)"
        r"(?=\W|$)",
        read_clock,
    ),
    (
        "set",
        rf"\b(?P<word>daily|nightly|weekly|hourly"
        rf"|(?:every|each|per)\s+(?:{PART_OF_DAY}|day|week|month|year|quarter|hour|minute|{WEEKDAY}|{MONTH})"
        rf"|(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days))\b",
        read_set,
    ),
]

# Cheap patterns that every match of a rule must contain, with how far (characters before,
# after) a match may reach from them: the rule then only runs in those windows of the text,
# which keeps the whole grammar to a few scans of each document. Lower-case triggers are
# searched in the lower-cased text (case-blind searching is several times slower).
MONTH_TRIGGER = (r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC", 40, 40)
WEEKDAY_TRIGGER = (r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun|MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)(?:day|DAY)", 20, 30)
UNIT_TRIGGER = (r"second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur", 70, 30)
YEAR_TRIGGER = (r"(?:1\d|20)\d\d|'\d0", 30, 20)
TRIGGERS: dict[str, tuple[str, int, int]] = {
    "numeric_date": (r"\d/|\d-[01]\d-|\d\.[01]?\d\.[12]", 10, 40),
    "month_day": MONTH_TRIGGER,
    "day_month": MONTH_TRIGGER,
    "month_year": MONTH_TRIGGER,
    "relative_month": MONTH_TRIGGER,
    "year_span": YEAR_TRIGGER,
    "year": YEAR_TRIGGER,
    "decade": YEAR_TRIGGER,
    "weekday": WEEKDAY_TRIGGER,
    "deictic_day": (r"today|yesterday|tomorrow|tonight|morning|afternoon|evening|night", 30, 30),
    "relative_unit": UNIT_TRIGGER,
    "earlier_later_this": UNIT_TRIGGER,
    "season": (r"spring|summer|fall|autumn|winter", 20, 30),
    "season_year": (r"spring|summer|fall|autumn|winter", 20, 30),
    "quarter": (r"quarter|half", 60, 40),
    "the_quarter": (r"quarter", 40, 20),
    "ago": (r"ago|earlier|from\s+now|hence", 70, 20),
    "year_ago": (r"year-", 30, 40),
    "duration": UNIT_TRIGGER,
    "past_unit": UNIT_TRIGGER,
    "bare_units": UNIT_TRIGGER,
    "coming_units": UNIT_TRIGGER,
    "century": (r"century", 20, 10),
    "reference": (r"now|current|present|recent|lately|past|future|these\s+days|later\s+date|moment", 20, 20),
    "set": (r"daily|nightly|weekly|hourly|every|each|per|days|DAYS", 20, 30),
}
CASED_TRIGGERS = {MONTH_TRIGGER[0], WEEKDAY_TRIGGER[0]}

COMPILED_RULES: list[tuple[str, re.Pattern, Handler]] = [
    (name, re.compile(pattern, re.IGNORECASE), handler) for name, pattern, handler in RULES
]
_TRIGGER_PATTERNS = {pattern: re.compile(pattern) for pattern, _, _ in TRIGGERS.values()}
# rule name -> (trigger pattern, characters before, characters after, searched in the text as cased)
COMPILED_TRIGGERS: dict[str, tuple[re.Pattern, int, int, bool]] = {
    name: (_TRIGGER_PATTERNS[pattern], before, after, pattern in CASED_TRIGGERS)
    for name, (pattern, before, after) in TRIGGERS.items()
}

# Words before a date that qualify it: early/mid/late and the start or end of.
POINT_MOD = re.compile(
    r"(?:\b(?:the\s+)?(?P<word>early|late|mid|middle|(?:end|beginning|start|middle)\s+of)"
    r"(?:\s*-\s*|\s+))$",
    re.IGNORECASE,
)
POINT_MODS = {"early": "START", "beginning of": "START", "start of": "START", "late": "END", "end of": "END",
              "mid": "MID", "middle": "MID", "middle of": "MID"}  # fmt: skip
# "early to mid-October": one interval.
MOD_RANGE = re.compile(
    r"\b(?P<first>early|mid|late)(?:\s*-\s*|\s+)(?:to|through|until|and|-|–)\s*(?P<second>early|mid|late)(?:\s*-\s*|\s+)$",
    re.IGNORECASE,
)
MOD_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, None)}
# Words before a duration that bound it: about, nearly, more than, at least, ...
AMOUNT_MOD = re.compile(
    r"\b(?P<word>about|around|approximately|roughly|some|nearly|almost|more\s+than|over|at\s+least|less\s+than"
    r"|under|no\s+more\s+than|no\s+less\s+than|up\s+to|fewer\s+than|just\s+over|just\s+under)\s+$",
    re.IGNORECASE,
)
AMOUNT_MODS = {"about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX", "some": "APPROX",
               "nearly": "LESS_THAN", "almost": "LESS_THAN", "more than": "MORE_THAN", "over": "MORE_THAN",
               "just over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "no less than": "EQUAL_OR_MORE",
               "less than": "LESS_THAN", "under": "LESS_THAN", "just under": "LESS_THAN", "fewer than": "LESS_THAN",
               "no more than": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS"}  # fmt: skip
# Prepositions before a date that make it a bound of an interval: since, by, until, before, after.
SIGNAL = re.compile(r"\b(?P<word>since|by|until|till|through|before|after|from)\s+$", re.IGNORECASE)
