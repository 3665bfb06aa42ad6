"""Filters over the store's tables as SQLAlchemy expressions: user values only ever reach SQL
as bound parameters. The read API (``sitroom.picture``) builds its ``where`` lists from these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, cast, func, or_, select

from sitroom.store import schema

# A long list of spellings is matched in SQL on its most common names only.
MAX_TEXT_MATCHES = 40


def not_boilerplate(kind: str) -> Any:
    """Records of ``kind`` that do not sit in a boilerplate line (a newsletter sign-up yields no
    claim, figure or event)."""
    table = schema.record_table(kind)
    return or_(table.c.line.is_(None), table.c.line.not_in(select(schema.boilerplate_lines.c.line)))


def published_between(*, since: str | None = None, until: str | None = None, source: str | None = None) -> list[Any]:
    """Documents from ``source``, published on or after ``since`` and on or before ``until``."""
    d = schema.documents
    where = []
    if source:
        where.append(d.c.source == source)
    if since:
        where.append(d.c.published >= since)
    if until:
        where.append(d.c.published <= until)
    return where


def documents_naming(names: Iterable[str]) -> Any:
    """The ids of the documents in which an entity of one of ``names`` was found (a subquery)."""
    e = schema.entities
    return select(e.c.document_id).where(e.c.name.in_(sorted(set(names))))


def document_ids_in(ids: Iterable[str]) -> Any:
    return schema.documents.c.id.in_(sorted(set(ids)))


def document_title_contains(text: str) -> Any:
    return schema.documents.c.title.contains(text, autoescape=True)


def document_names_entity(names: Iterable[str]) -> Any:
    return schema.documents.c.id.in_(documents_naming(names))


def claim_speaker_in(names: Iterable[str]) -> Any:
    return schema.claims.c.speaker.in_(sorted(set(names)))


def claim_about(names: Iterable[str]) -> list[Any]:
    """Claims in documents naming the entity whose speaker or content names it."""
    c = schema.claims
    names = sorted(set(names))
    return [c.c.document_id.in_(documents_naming(names)),
            or_(c.c.speaker.in_(names), *(c.c.content.contains(n, autoescape=True) for n in names[:MAX_TEXT_MATCHES]))]


def said_between(*, since: str | None = None, until: str | None = None) -> list[Any]:
    """Claims said between the dates (prefixes compared: "2024-10" covers the month): their own
    ``said_on`` when it is a calendar date, else their report's publication date."""
    said = func.coalesce(schema.claims.c.said_on, schema.documents.c.published)
    where = []
    if since:
        where += [func.substr(said, 1, len(since)) >= since, said < ":"]  # ":" sorts after the digits
    if until:
        where.append(func.substr(said, 1, len(until)) <= until)
    return where


def claim_text_contains(text: str) -> Any:
    c = schema.claims
    return or_(c.c.content.contains(text, autoescape=True), c.c.speaker.contains(text, autoescape=True))


def place_filters(*, country: str | None = None, q: str | None = None, names: Iterable[str] | None = None) -> list[Any]:
    p = schema.places
    where = []
    if country:
        where.append(p.c.country_code == country.upper())
    if q:
        where.append(p.c.name.contains(q, autoescape=True))
    if names is not None:
        where.append(p.c.name.in_(sorted(set(names))))
    return where


def event_data_contains(text: str) -> Any:
    return cast(schema.events.c.data, Text).contains(text, autoescape=True)
