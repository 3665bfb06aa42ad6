"""Filters over stored claims (``sitroom claims``), as SQLAlchemy expressions with bound parameters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from sitroom.store import schema


def _contains(column: Any, value: str) -> Any:
    """Case-insensitive substring match; ``%`` and ``_`` in the value are matched literally."""
    return func.lower(column).contains(value.lower(), autoescape=True)


def claim_filters(*, speaker: str | None = None, about: str | None = None, since: str | None = None) -> list[Any]:
    """``where`` clauses for ``Store.records("claims", ...)``.

    - ``speaker``: part of the speaker's canonical name;
    - ``about``: part of the content text (an entity's name as written);
    - ``since``: said on or after this YYYY-MM-DD (claims with no date are left out).
    """
    c = schema.claims
    where: list[Any] = []
    if speaker:
        where.append(_contains(c.c.speaker, speaker))
    if about:
        where.append(_contains(c.c.content, about))
    if since:
        where.append(c.c.said_on >= since)
    return where
