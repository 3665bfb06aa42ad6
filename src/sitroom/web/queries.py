"""The queries behind the API and the pages: filters as SQLAlchemy expressions, bound parameters only.

Each function returns ``{"total", "limit", "offset", "items"}`` so every list pages the same way.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Text, cast, func, or_, select

from sitroom.picture.claims import claim_item, cluster_claims, speaker_counts, speaker_key
from sitroom.picture.entities import EntityIndex, ResolvedEntity, cached
from sitroom.picture.evidence import document_texts, evidence
from sitroom.picture.timeline import timeline
from sitroom.store import Store, schema

MAX_LIMIT = 500


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def document_filters(*, source: str | None = None, since: str | None = None, until: str | None = None) -> list[Any]:
    d = schema.documents
    where = []
    if source:
        where.append(d.c.source == source)
    if since:
        where.append(d.c.published >= since)
    if until:
        where.append(d.c.published <= until)
    return where


def documents(store: Store, *, limit: int = 50, offset: int = 0, source: str | None = None, since: str | None = None,
              until: str | None = None, q: str | None = None, entity: ResolvedEntity | None = None) -> dict[str, Any]:
    """Documents newest first, filtered by source, date range, title text and entity."""
    d = schema.documents
    where = document_filters(source=source, since=since, until=until)
    if q:
        where.append(d.c.title.contains(q, autoescape=True))
    if entity is not None:
        where.append(d.c.id.in_(documents_naming([name for name, _ in entity.surfaces])))
    columns = (d.c.id, d.c.title, d.c.source, d.c.url, d.c.published, d.c.language, d.c.chars, d.c.near_duplicate_of)
    query = select(*columns).where(*where).order_by(d.c.published.desc(), d.c.id.desc()).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        items = [dict(r) for r in conn.execute(query).mappings()]
        total = conn.execute(select(func.count()).select_from(d).where(*where)).scalar_one()
    return page(items, total, limit, offset)


def sources(store: Store) -> list[str]:
    d = schema.documents
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(d.c.source).where(d.c.source.is_not(None)).distinct().order_by(d.c.source))]


def speaker_names(store: Store, index: EntityIndex, speaker: str) -> list[str]:
    """The stored speaker names that resolve to ``speaker`` (a speaker key or any name of it)."""
    wanted = speaker if speaker.startswith("speaker-") or index.get(speaker) else speaker_key(index, speaker)
    return _names_by_speaker(store, index).get(wanted) or [speaker]


def _names_by_speaker(store: Store, index: EntityIndex) -> dict[str, list[str]]:
    def compute() -> dict[str, list[str]]:
        c = schema.claims
        by_key: dict[str, list[str]] = {}
        with store.engine.connect() as conn:
            for (name,) in conn.execute(select(c.c.speaker).where(c.c.speaker.is_not(None)).distinct()):
                by_key.setdefault(speaker_key(index, name), []).append(name)
        return {key: sorted(names) for key, names in by_key.items()}

    return cached(store, "speaker-names", compute)


def claim_filters(store: Store, index: EntityIndex, *, speaker: str | None = None, entity: ResolvedEntity | None = None,
                  source: str | None = None, since: str | None = None, until: str | None = None,
                  q: str | None = None) -> list[Any]:
    """Filters over claims: speaker (entity key or name), an entity named in the content, dates, source, text."""
    c = schema.claims
    where = document_filters(source=source, since=since, until=until)
    if speaker:
        where.append(c.c.speaker.in_(speaker_names(store, index, speaker)))
    if entity is not None:
        names = sorted({name for name, _ in entity.surfaces})
        # only in documents where the entity was found: the index narrows what the text match reads
        where.append(c.c.document_id.in_(documents_naming(names)))
        where.append(or_(c.c.speaker.in_(names), *(c.c.content.contains(n, autoescape=True) for n in names[:40])))
    if q:
        where.append(or_(c.c.content.contains(q, autoescape=True), c.c.speaker.contains(q, autoescape=True)))
    return where


def documents_naming(names: list[str]) -> Any:
    """The ids of the documents in which an entity of one of ``names`` was found (a subquery)."""
    e = schema.entities
    return select(e.c.document_id).where(e.c.name.in_(names))


def claims(store: Store, index: EntityIndex, *, limit: int = 50, offset: int = 0, **filters: Any) -> dict[str, Any]:
    where = claim_filters(store, index, **filters)
    rows = store.records("claims", where=where, limit=limit, offset=offset)
    texts = document_texts(store, (r["document_id"] for r in rows))
    items = [{**claim_item(r, texts.get(r["document_id"]), index), "idx": r["idx"]} for r in rows]
    return page(items, store.count("claims", where=where), limit, offset)


def claim_clusters(store: Store, index: EntityIndex, *, limit: int = 50, offset: int = 0, **filters: Any) -> dict[str, Any]:
    rows = store.records("claims", where=claim_filters(store, index, **filters), limit=None)
    clusters = [c.to_dict() for c in cluster_claims(store, rows, index)]
    return page(clusters[offset:offset + limit], len(clusters), limit, offset)


def warm(store: Store) -> float:
    """Compute the picture's cached parts once (entities across documents, speakers, figure
    tracks, the timeline) so that no visitor waits for them; returns the seconds it took."""
    from sitroom.picture.entities import entity_index
    from sitroom.picture.figures import figure_tracks

    started = time.perf_counter()
    index = entity_index(store)
    top_speakers(store, index)
    _names_by_speaker(store, index)
    figure_tracks(store, index)
    timeline_page(store, index, limit=1)
    return time.perf_counter() - started


def top_speakers(store: Store, index: EntityIndex, limit: int = 10) -> list[dict[str, Any]]:
    def compute() -> list[dict[str, Any]]:
        c = schema.claims
        with store.engine.connect() as conn:
            rows = conn.execute(select(c.c.speaker, c.c.document_id).where(c.c.speaker.is_not(None)))
            return speaker_counts([dict(r) for r in rows.mappings()], index)

    return cached(store, "speakers", compute)[:limit]


def event_filters(*, type: str | None = None, entity: ResolvedEntity | None = None,
                  since: str | None = None, until: str | None = None, source: str | None = None,
                  q: str | None = None) -> list[Any]:
    ev = schema.events
    where = document_filters(source=source, since=since, until=until)
    if type:
        where.append(ev.c.type == type)
    if entity is not None:
        names = sorted({name for name, _ in entity.surfaces})
        # Actors live in the JSON data: match their names in its text form, bound as parameters,
        # in the documents where the entity was found.
        where.append(ev.c.document_id.in_(documents_naming(names)))
        where.append(or_(*(cast(ev.c.data, Text).contains(f'"name": "{n}"', autoescape=True)
                           for n in names[:40])))
    if q:
        where.append(cast(ev.c.data, Text).contains(q, autoescape=True))
    return where


def events(store: Store, index: EntityIndex, *, limit: int = 50, offset: int = 0, **filters: Any) -> dict[str, Any]:
    where = event_filters(**filters)
    rows = store.records("events", where=where, limit=limit, offset=offset)
    texts = document_texts(store, (r["document_id"] for r in rows))
    items = [{**r["data"], "document_id": r["document_id"], "evidence": evidence(r, texts.get(r["document_id"]))}
             for r in rows]
    return page(items, store.count("events", where=where), limit, offset)


def timeline_page(store: Store, index: EntityIndex, *, limit: int = 100, offset: int = 0,
                  **filters: Any) -> dict[str, Any]:
    def compute() -> list[dict[str, Any]]:
        return timeline(store, store.records("events", where=event_filters(**filters), limit=None), index)

    # The whole timeline is derived once per state of the store; filtered ones are built per request.
    entries = cached(store, "timeline", compute) if not any(filters.values()) else compute()
    return page(entries[offset:offset + limit], len(entries), limit, offset)


def places(store: Store, *, limit: int = 200, offset: int = 0, country: str | None = None,
           q: str | None = None, entity: ResolvedEntity | None = None, source: str | None = None,
           since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """Places grouped by name and coordinates, most mentioned first, with one evidence each."""
    p = schema.places
    where = document_filters(source=source, since=since, until=until)
    if country:
        where.append(p.c.country_code == country.upper())
    if q:
        where.append(p.c.name.contains(q, autoescape=True))
    if entity is not None:
        where.append(p.c.name.in_(sorted({name for name, _ in entity.surfaces} | {entity.name})))
    d = schema.documents
    grouped = (select(p.c.name, p.c.country_code, p.c.lat, p.c.lon, p.c.geonameid,
                      func.count().label("mentions"), func.count(func.distinct(p.c.document_id)).label("documents"),
                      func.min(p.c.document_id).label("document_id"))
               .select_from(p.join(d, d.c.id == p.c.document_id)).where(*where)
               .group_by(p.c.name, p.c.country_code, p.c.lat, p.c.lon, p.c.geonameid))
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(grouped.subquery())).scalar_one()
        rows = [dict(r) for r in conn.execute(grouped.order_by(func.count().desc(), p.c.name)
                                               .limit(limit).offset(offset)).mappings()]
        # One mention of each place as its evidence: the first in the first document naming it.
        first = {}
        for chunk in range(0, len(rows), 200):
            ids = sorted({r["document_id"] for r in rows[chunk:chunk + 200]})
            for r in conn.execute(select(p.c.document_id, p.c.name, p.c.start, p.c.end)
                                  .where(p.c.document_id.in_(ids)).order_by(p.c.document_id, p.c.idx)).mappings():
                first.setdefault((r["document_id"], r["name"]), dict(r))
    texts = document_texts(store, {r["document_id"] for r in rows})
    for row in rows:
        mention = first.get((row["document_id"], row["name"]))
        row["evidence"] = evidence({**mention, "document_id": row["document_id"]}, texts.get(row["document_id"])) \
            if mention else None
    return page(rows, total, limit, offset)


def search(store: Store, q: str, limit: int = 20) -> dict[str, Any]:
    items = store.search(q, limit=limit) if q.strip() else []
    return page(items, len(items), limit, 0)


def entities(index: EntityIndex, *, limit: int = 50, offset: int = 0, type: str | None = None,
             q: str | None = None) -> dict[str, Any]:
    chosen = index.entities
    if type:
        chosen = [e for e in chosen if e.type == type.upper()]
    if q:
        needle = q.lower()
        chosen = [e for e in chosen if needle in e.name.lower() or any(needle in a.lower() for a in e.aliases)]
    return page([e.to_dict() for e in chosen[offset:offset + limit]], len(chosen), limit, offset)
