"""Publication dates: parsed strictly, and rejected when they make no sense."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time

EARLIEST_YEAR = 1900


def plausible_date(value: dt.date, today: dt.date | None = None) -> bool:
    """A publication date is neither in the future nor before 1900."""
    today = today or dt.date.today()
    return EARLIEST_YEAR <= value.year and value <= today


def parse_date_option(value: str | None) -> str | None:
    """Check a user-given ``YYYY-MM-DD`` and return it; a bad one is a clear error."""
    if value is None:
        return None
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date in the form YYYY-MM-DD: {value!r}") from None
    if not plausible_date(parsed):
        raise ValueError(f"publication date {value} is in the future or before {EARLIEST_YEAR}")
    return parsed.isoformat()


_MISSING_DAY_PROBES = (dt.datetime(2001, 1, 1), dt.datetime(2002, 2, 2))


def parse_published(value: object, today: dt.date | None = None) -> tuple[str | None, str | None]:
    """Read a publication date given in any common form; return ``(YYYY-MM-DD, problem)``.

    Accepts ISO 8601 (``2025-03-14 20:30:26Z``), RFC 2822 (feeds, mail), forms such as
    ``26-FEB-1987 15:01:01.79``, ``datetime``/``date`` objects, ``time.struct_time`` and
    Unix timestamps. The date is taken as written, in its own time zone. A value that is
    not a date, lacks a day, or is implausible gives ``(None, reason)``; no value gives
    ``(None, None)``.
    """
    if value is None or value == "":
        return None, None
    parsed = _to_date(value)
    if parsed is None:
        return None, f"not a valid full date: {str(value)[:60]!r}"
    if not plausible_date(parsed, today):
        return None, f"date {parsed.isoformat()} rejected: in the future or before {EARLIEST_YEAR}"
    return parsed.isoformat(), None


def _to_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:  # a number of 400 digits is no time: dividing it overflows a float
            seconds = value / 1000 if value > 1e11 else value  # milliseconds since the epoch
            return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    named = _named_month_date(text)
    if named is not None:
        return named
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    return _free_form_date(text)


def _named_month_date(text: str) -> dt.date | None:
    """``26-FEB-1987 15:01``, ``26 February 1987``, ``February 26, 1987`` (no guessing needed)."""
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        day, month, year = match.group("day", "month", "year")
    else:
        match = _MONTH_DAY_YEAR.match(text)
        if not match:
            return None
        month, day, year = match.group("month", "day", "year")
    number = _MONTHS.get(month[:3].lower())
    if number is None:
        return None
    try:
        return dt.date(int(year), number, int(day))
    except ValueError:
        return None


def _free_form_date(text: str) -> dt.date | None:
    """dateutil, probed with two defaults: a date that takes its day from the default lacks one."""
    from dateutil import parser

    try:
        first, second = (parser.parse(text, default=probe) for probe in _MISSING_DAY_PROBES)
    except (ValueError, OverflowError, parser.ParserError):
        return None
    if first.date() != second.date():
        return None
    return first.date()


_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_WEEKDAY = r"(?:(?:[Mm]on|[Tt]ue|[Ww]ed|[Tt]hu|[Ff]ri|[Ss]at|[Ss]un)[a-z]*\.?,?\s+)?"
_DAY_MONTH_YEAR = re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[-\s/.]+(?P<month>[A-Za-z]{3,9})\.?"
                             r"[-\s/.,]+(?P<year>\d{4})(?![\d:])")
_MONTH_DAY_YEAR = re.compile(_WEEKDAY + r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+"
                             r"(?P<year>\d{4})(?![\d:])")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:$|[T ]\d)")


_NAME_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?=$|[T_ .-])")


def date_in_file_name(name: str) -> str | None:
    """A plausible publication date a file's name opens with ("20220125T090000Z_GB_en_7d01.txt",
    "2024-10-24-kursk.txt"), as crawlers and archives name what they save; else None."""
    match = _NAME_DATE.match(name)
    if not match:
        return None
    date, problem = parse_published("-".join(match.groups()))
    return None if problem else date
