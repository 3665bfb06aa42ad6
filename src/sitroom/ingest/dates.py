"""Publication dates: parsed strictly, and rejected when they make no sense."""

from __future__ import annotations

import datetime as dt

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
