"""Calendar arithmetic for TIMEX3 values: shift an anchor date by units, format at a granularity.

Every function that takes an ``anchor`` returns the unresolved ``XXXX`` form when the
anchor is None, so that a missing publication date is never replaced by a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt

from dateutil.relativedelta import relativedelta

# Granularities from finest to coarsest, and the unresolved TIMEX3 value of each.
UNRESOLVED: dict[str, str] = {
    "day": "XXXX-XX-XX",
    "week": "XXXX-WXX",
    "weekend": "XXXX-WXX-WE",
    "month": "XXXX-XX",
    "quarter": "XXXX-QX",
    "half": "XXXX-HX",
    "year": "XXXX",
    "decade": "XXX",
    "century": "XX",
}


def parse_anchor(published: str | None) -> dt.date | None:
    """The publication date as a date, or None when it is missing or not a YYYY-MM-DD date."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def format_at(day: dt.date, granularity: str) -> str:
    """The TIMEX3 value of the ``granularity`` unit (day, week, month, ...) containing ``day``."""
    if granularity == "day":
        return day.isoformat()
    if granularity in ("week", "weekend"):
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}" + ("-WE" if granularity == "weekend" else "")
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{quarter_of(day)}"
    if granularity == "half":
        return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "decade":
        return f"{day.year:04d}"[:3]
    if granularity == "century":
        return f"{day.year:04d}"[:2]
    raise ValueError(f"unknown granularity {granularity!r}")


def shift(anchor: dt.date, unit: str, amount: int) -> dt.date:
    """``anchor`` moved by ``amount`` calendar units (day, week, month, quarter, year, ...)."""
    if unit == "day":
        return anchor + dt.timedelta(days=amount)
    if unit in ("week", "weekend"):
        return anchor + dt.timedelta(weeks=amount)
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}[unit]
    return anchor + relativedelta(months=months * amount)  # clamped to the target month's last day


def relative(anchor: dt.date | None, unit: str, amount: int, granularity: str | None = None) -> str:
    """The value of the unit ``amount`` units from the anchor ("last week": week, -1)."""
    granularity = granularity or unit
    if anchor is None:
        return UNRESOLVED[granularity]
    try:
        return format_at(shift(anchor, unit, amount), granularity)
    except (OverflowError, ValueError):
        return UNRESOLVED[granularity]


def weekday_near(anchor: dt.date, weekday: int, future: bool) -> dt.date:
    """The most recent ``weekday`` on or before the anchor, or the next one on or after it."""
    if future:
        return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def weekday_nearest(anchor: dt.date, weekday: int) -> dt.date:
    """The ``weekday`` closest to the anchor, either way (three days at most).

    For a weekday in the present tense: "Medvedev's remarks Sunday again raise ..." in a
    Monday report is the day before, "Orban goes to Moscow on Tuesday" the day after.
    """
    back, ahead = weekday_near(anchor, weekday, False), weekday_near(anchor, weekday, True)
    return back if (anchor - back) < (ahead - anchor) else ahead


def year_for_month(anchor: dt.date, month: int, day: int | None, tense: str | None) -> int:
    """The year of a month (and day) named without one, as news uses them.

    The nearest such month to the anchor wins ("January" in a November report is the
    coming one). Of two equally near (six months either way) the past one, unless the verb
    looks ahead ("the vote is to take place in October" in April, "ahead of Moldova's
    October elections"). A past verb moves a date more than two months ahead back a year, a
    future verb moves one more than a month behind forward a year; a verb that looked ahead
    from a past moment ("was to reject ... after the invasion of 24 February") says nothing
    about the report's time and keeps the nearest.
    """
    ahead = tense in ("future", "future_in_past")
    offset = month - anchor.month
    if offset > 6 or (offset == 6 and not ahead):
        offset -= 12
    elif offset < -6 or (offset == -6 and ahead):
        offset += 12
    best = anchor.year + (anchor.month - 1 + offset) // 12
    named = dt.date(best, month, min(day or 15, calendar.monthrange(best, month)[1]))
    if tense == "past" and (named - anchor).days > 61:
        return best - 1
    if tense == "future" and (anchor - named).days > 31:
        return best + 1
    return best


def valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
