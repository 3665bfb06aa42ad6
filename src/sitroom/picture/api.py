"""The read API: every question the product asks of a store, answered in one place.

The CLI, the REST API, the web pages and the exports all call ``Picture``, so one question
gets one answer everywhere. Every list returns a page, ``{"total", "limit", "offset",
"items"}``, of JSON-ready items, each carrying its evidence (document, offsets, sentence).
Filters take entity keys or names ("Kirby", "person-john-kirby"), outlet names and dates
(``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); a name that matches no entity raises ``NotFound``
and a malformed filter ``BadRequest`` (a ``ValueError``).

    >>> picture = Picture.open("sqlite:///sitroom.db")
    >>> picture.claims(speaker="Kirby")["total"]
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from typing import IO, Any

from sitroom.model import HAPPENED
from sitroom.picture import maintain
from sitroom.picture.cache import PictureCache
from sitroom.picture.claims import claim_item, cluster_claims, speaker_label
from sitroom.picture.entities import ResolvedEntity, normalize
from sitroom.picture.evidence import evidence
from sitroom.picture.figures import counted_key
from sitroom.picture.stored import StoredEntityIndex
from sitroom.store import Store, filters, open_store
from sitroom.store import picture_tables as tables
from sitroom.store.picture_tables import ItemFilter

Page = dict[str, Any]
CORRECTIONS = ("merge", "split", "rename")
MAX_OFFSET = 1_000_000_000  # no list is longer; past it an offset is a mistake, not a page
MAX_FILTER_CHARS = 1000  # a text filter (q, speaker, entity, source...): as long as a search may be
_DATE_FILTER = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class NotFound(LookupError):
    """A document or entity named in a request is not in the store."""


class BadRequest(ValueError):
    """A filter, page or correction that cannot be answered as given."""


def page(items: list[Any], total: int, limit: int, offset: int) -> Page:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _points_between(track: dict[str, Any], since: str | None, until: str | None) -> dict[str, Any]:
    """A track with only the points whose reference time is within the dates."""
    def inside(point: dict[str, Any]) -> bool:
        when = point["refers_to"] or point["date"]
        if not when:
            return False
        return (not since or when >= since[:len(when)]) and (not until or when[:len(until)] <= until)

    kept = [p for p in track["points"] if inside(p)]
    return {**track, "points": kept, "conflict": any(p["conflict"] for p in kept)}


def _singular(word: str) -> str:
    """Plural and singular of a speaker word match ("officials" finds an official)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def check_date(value: str | None, name: str = "date") -> str | None:
    """A date filter as given (YYYY, YYYY-MM or YYYY-MM-DD) that is on the calendar, or a clear
    error: 2024-02-30 would otherwise compare as a string and quietly match nothing."""
    if value is None or value == "":
        return None
    if not _DATE_FILTER.match(value):
        raise BadRequest(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    if len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise BadRequest(f"{name} {value!r} is not a day of the calendar") from None
    return value


def _check_request(limit: int, offset: int, **texts: str | None) -> None:
    """A page and text filters a store can answer, or a clear error: an offset past any store
    (a 20-digit one overflows SQLite's integers), a filter over ``MAX_FILTER_CHARS`` (SQLite
    refuses LIKE patterns over 50,000 bytes) or holding a NUL character (PostgreSQL refuses
    those in text)."""
    if not 1 <= limit <= MAX_OFFSET or not 0 <= offset <= MAX_OFFSET:
        raise BadRequest(f"limit must be 1 to {MAX_OFFSET:,} and offset 0 to {MAX_OFFSET:,} (got {limit}, {offset})")
    for name, value in texts.items():
        if value is None:
            continue
        if len(value) > MAX_FILTER_CHARS:
            raise BadRequest(f"{name} is at most {MAX_FILTER_CHARS:,} characters (this one has {len(value):,})")
        if "\x00" in value:
            raise BadRequest(f"{name} holds a NUL character")


class Picture:
    """The situation picture of one store: documents, entities, claims, figures, events, places.

    The cross-document parts (resolved entities, speakers, claim clusters, figure tracks, the
    timeline) are read from the picture's tables (``picture.maintain``). Whether the store has
    changed since they were updated is checked through ``cache`` at most every
    ``cache.recheck_seconds``; corrections made through this object update them at once. The
    cache also keeps claim clusters asked for under other filters than the speaker.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache = PictureCache(store)

    @classmethod
    def open(cls, url: str | None = None) -> "Picture":
        """The picture of the store at ``url`` (default: the ``SITROOM_DB`` setting)."""
        return cls(open_store(url))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Picture":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- the cross-document parts ------------------------------------------------------------

    def up_to_date(self) -> dict[str, Any]:
        """Bring the picture's tables up to date with the store when it has changed (seen
        through the cache: at most every ``cache.recheck_seconds``; a costly update runs in the
        background while the tables as they were are read); returns the last update's report."""
        def compute() -> dict[str, Any]:
            if tables.is_current(self.store):
                return {}
            return maintain.update(self.store).to_dict()

        return self.cache.get("picture", compute)

    def entity_index(self) -> StoredEntityIndex:
        """Entities resolved across documents, with the analyst's corrections applied (looked
        up in the picture's tables, a query at a time)."""
        self.up_to_date()
        return StoredEntityIndex(self.store)

    def find_entity(self, text: str) -> ResolvedEntity:
        """The entity a user means by a key or a name; ``NotFound`` when there is none."""
        entity = self.entity_index().find(text)
        if entity is None:
            raise NotFound(f"no entity {text!r} in the store")
        return entity

    def _entity(self, text: str | None) -> ResolvedEntity | None:
        return self.find_entity(text) if text else None

    def _page(self, kind: str, chosen: ItemFilter, limit: int, offset: int) -> Page:
        self.up_to_date()
        items, total = tables.page_items(self.store, kind, chosen, limit=limit, offset=offset)
        return page(items, total, limit, offset)

    def warm(self) -> float:
        """Bring the picture up to date now, so that no visitor waits; returns seconds."""
        started = time.perf_counter()
        self.up_to_date()
        return time.perf_counter() - started

    # -- documents ---------------------------------------------------------------------------

    def documents(self, *, q: str | None = None, entity: str | None = None, source: str | None = None,
                  since: str | None = None, until: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        """Documents, newest first; filter by title text, an entity named in them, outlet, dates."""
        _check_request(limit, offset, q=q, entity=entity, source=source, since=since, until=until)
        where = filters.published_between(since=check_date(since, "since"), until=check_date(until, "until"),
                                          source=source)
        if q:
            where.append(filters.document_title_contains(q))
        found = self._entity(entity)
        if found is not None:
            where.append(filters.document_names_entity(name for name, _ in found.surfaces))
        return page(self.store.documents(where=where, limit=limit, offset=offset),
                    self.store.count_documents(where=where), limit, offset)

    def document(self, document_id: str) -> dict[str, Any]:
        """One document: the extraction contract with its text, near-duplicate link and appearances."""
        found = self.store.extraction(document_id) if "\x00" not in document_id else None  # no id holds NUL
        if found is None:
            raise NotFound(f"no document {document_id!r}")
        row = self.store.document_row(document_id) or {}
        return {**found.to_dict(with_text=True), "text": found.document.text,
                "near_duplicate_of": row.get("near_duplicate_of"), "appearances": self.store.appearances(document_id)}

    def search(self, q: str, *, limit: int = 20, offset: int = 0) -> Page:
        """Full-text search over titles and text, best match first, with a snippet each."""
        _check_request(limit, offset)
        items, total = self.store.search(q, limit=limit, offset=offset) if q.strip() else ([], 0)
        return page(items, total, limit, offset)

    def sources(self) -> list[str]:
        return self.store.sources()

    def status(self, last_runs: int = 5) -> dict[str, Any]:
        """Counts of documents and records, and the last ingest runs with their failures."""
        return self.store.status(last_runs=last_runs)

    # -- entities ----------------------------------------------------------------------------

    def entities(self, *, type: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        """Entities resolved across documents (spellings and aliases joined, corrections
        applied), most documents first; filter by type and by text in any of their names."""
        _check_request(limit, offset, type=type, q=q)
        chosen = ItemFilter(label=type.upper() if type else None, words=[q] if q else [])
        return self._page("entity", chosen, limit, offset)

    def entity(self, key: str) -> dict[str, Any]:
        """One entity: what it said, what was said about it, its events, figures and documents."""
        entity = self.find_entity(key)
        said = self.claims(speaker=entity.key, limit=100)
        about = self.claims(entity=entity.key, limit=200)
        about["items"] = [c for c in about["items"] if c["speaker_key"] != entity.key][:100]
        return {"entity": entity.to_dict(), "said": said, "about": about,
                "events": self.timeline(entity=entity.key, limit=100),
                "figures": self.figure_tracks(entity=entity.key, limit=100),
                "documents": self.documents(entity=entity.key, limit=20)}

    def correct(self, action: str, name: str, *, type: str | None = None, target: str | None = None) -> ResolvedEntity | None:
        """Record an analyst's merge, split or rename of entities, kept across re-ingestion;
        returns the entity the name now belongs to. Unknown names are a clear error."""
        if action not in CORRECTIONS:
            raise BadRequest(f"unknown action {action!r}: merge, split or rename")
        if action in ("merge", "rename") and not target:
            raise BadRequest(f"{action} needs a target")
        known = {row["name"] for row in self.store.entity_surfaces()}
        for wanted in (name, target) if action == "merge" else (name,):
            if wanted not in known:
                raise BadRequest(f"no entity named {wanted!r} in the store")
        self.store.add_correction(action, name, type=type.upper() if type else None, target=target)
        maintain.update(self.store)
        self.cache.invalidate()
        index = self.entity_index()
        key = index.key_for(target if action == "merge" else name, type.upper() if type and action != "merge" else None)
        return index.get(key) if key else None

    # -- claims ------------------------------------------------------------------------------

    def _speaker_names(self, keys: list[str]) -> list[str]:
        """The stored speaker names that resolve to the speaker keys."""
        return sorted({name for data in tables.items(self.store, "speaker", keys).values() for name in data["names"]})

    def speaker_keys(self, speaker: str) -> list[str]:
        """The speakers meant by ``speaker``: a speaker key, else every speaker one of whose
        names holds all its words ("Kirby" finds John Kirby; "officials" every kind of officials)."""
        self.up_to_date()
        if tables.item(self.store, "speaker", speaker) is not None:
            return [speaker]
        index = self.entity_index()
        entity = index.get(speaker)
        if entity is not None:
            return [entity.key] if tables.item(self.store, "speaker", entity.key) is not None else []
        words = {_singular(w) for w in normalize(speaker).split()}
        if not words:
            return []
        candidates, _ = tables.page_items(self.store, "speaker", ItemFilter(words=sorted(words)), limit=None, count=False)
        keys = []
        for found in candidates:
            entity = index.get(found["key"])
            spoken = found["names"]
            names = [*spoken, *((entity.name, *(n for n, _ in entity.surfaces)) if entity else ()),
                     *(speaker_label(index, name) or "" for name in spoken[:1])]
            if any(words <= {_singular(w) for w in normalize(name.replace(":", " ")).split()} for name in names):
                keys.append(found["key"])
        return sorted(keys)

    def _claim_where(self, *, speaker: str | None, entity: str | None, source: str | None, since: str | None,
                     until: str | None, q: str | None) -> list[Any]:
        where = [filters.not_boilerplate("claims"), *filters.published_between(source=source)]
        where += filters.said_between(since=check_date(since, "since"), until=check_date(until, "until"))
        if speaker:
            where.append(filters.claim_speaker_in(self._speaker_names(self.speaker_keys(speaker))))
        found = self._entity(entity)
        if found is not None:
            where += filters.claim_about(name for name, _ in found.surfaces)
        if q:
            where.append(filters.claim_text_contains(q))
        return where

    def claims(self, *, speaker: str | None = None, entity: str | None = None, source: str | None = None,
               since: str | None = None, until: str | None = None, q: str | None = None,
               limit: int = 50, offset: int = 0) -> Page:
        """Attributed statements, newest report first: by speaker (resolved across documents),
        about an entity, from an outlet, said between dates (the claim's own date, else its
        report's), or holding text."""
        _check_request(limit, offset, speaker=speaker, entity=entity, source=source, since=since, until=until, q=q)
        where = self._claim_where(speaker=speaker, entity=entity, source=source, since=since, until=until, q=q)
        rows = self.store.records("claims", where=where, limit=limit, offset=offset)
        texts = self.store.document_texts(r["document_id"] for r in rows)
        index = self.entity_index()
        items = [{**claim_item(r, texts.get(r["document_id"]), index), "idx": r["idx"]} for r in rows]
        return page(items, self.store.count("claims", where=where), limit, offset)

    def claim_clusters(self, *, speaker: str | None = None, entity: str | None = None, source: str | None = None,
                       since: str | None = None, until: str | None = None, q: str | None = None,
                       limit: int = 50, offset: int = 0) -> Page:
        """The same speaker saying the same thing across reports, one cluster each, with how
        many independent sources report it; the same filters as ``claims``."""
        _check_request(limit, offset, speaker=speaker, entity=entity, source=source, since=since, until=until, q=q)
        self._claim_where(speaker=speaker, entity=entity, source=source, since=since, until=until, q=q)  # checks them
        if not any((entity, source, since, until, q)):  # every cluster, or one speaker's: as stored
            chosen = ItemFilter(entity_keys=self.speaker_keys(speaker) if speaker else None)
            return self._page("cluster", chosen, limit, offset)

        # Other filters cluster the claims that match them (each claim of a report counts once).
        def compute() -> list[dict[str, Any]]:  # the filters read again: a refresh sees new speakers
            where = self._claim_where(speaker=speaker, entity=entity, source=source, since=since, until=until, q=q)
            rows = self.store.records("claims", where=where, limit=None)
            return [c.to_dict() for c in cluster_claims(self.store, rows, self.entity_index())]

        # Clustering reads every claim that matches: kept per filter, like the other parts.
        asked = json.dumps([speaker, entity, source, since, until, q])
        clusters = self.cache.get(f"claim-clusters:{asked}", compute)
        return page(clusters[offset:offset + limit], len(clusters), limit, offset)

    def speakers(self, *, limit: int = 50, offset: int = 0) -> Page:
        """Speakers resolved across documents, most claims first."""
        _check_request(limit, offset)
        page_ = self._page("speaker", ItemFilter(), limit, offset)
        page_["items"] = [{k: v for k, v in item.items() if k != "names"} for item in page_["items"]]
        return page_

    # -- figures -----------------------------------------------------------------------------

    def figure_tracks(self, *, entity: str | None = None, counts: str | None = None, happened: str | None = None,
                      since: str | None = None, until: str | None = None, conflicts: bool = False,
                      limit: int = 50, offset: int = 0) -> Page:
        """Figure tracks: the values sources give for one counted thing in one frame (whose, what
        happened to it, point/total/rate), with bounds, kind (count or plan), the spread of the
        latest independent estimates and the conflicts. Filter by owner entity, counted thing
        ("soldiers" finds troops), what happened (killed, displaced, ...), the time the points
        refer to, or conflicts only. Tracks of several values come first; figures given once follow."""
        _check_request(limit, offset, entity=entity, counts=counts, happened=happened, since=since, until=until)
        since, until = check_date(since, "since"), check_date(until, "until")
        if happened and happened not in HAPPENED:
            raise BadRequest(f"happened must be one of {', '.join(HAPPENED)}")
        found = self._entity(entity)
        chosen = ItemFilter(entity_keys=[found.key] if found is not None else None, label=happened or None,
                            flag=True if conflicts else None)
        if counts:
            chosen.text_prefix, chosen.words = counted_key(counts) or "", [counts.lower()]
        if not (since or until):
            return self._page("track", chosen, limit, offset)
        # Points are kept by their own dates: the tracks that may hold one are read and cut.
        chosen.overlaps = (since, until)
        self.up_to_date()
        candidates, _ = tables.page_items(self.store, "track", chosen, limit=None, count=False)
        items = [_points_between(t, since, until) for t in candidates]
        items = [t for t in items if t["points"]]
        items.sort(key=lambda t: len(t["points"]) < 2)  # stable: several values first
        return page(items[offset:offset + limit], len(items), limit, offset)

    # -- events ------------------------------------------------------------------------------

    def _entry_filter(self, *, type: str | None, entity: str | None, source: str | None, since: str | None,
                      until: str | None, q: str | None) -> ItemFilter:
        since, until = check_date(since, "since"), check_date(until, "until")
        found = self._entity(entity)
        tags = [f"e:{found.key}"] if found is not None else []
        if source:
            tags.append(f"s:{source}")
        return ItemFilter(label=type.upper() if type else None,  # PLOVER types are upper case; "assault" means ASSAULT
                          tags=tags, since=since, until=until, words=[q] if q else [])

    def timeline(self, *, type: str | None = None, entity: str | None = None, source: str | None = None,
                 since: str | None = None, until: str | None = None, q: str | None = None,
                 limit: int = 100, offset: int = 0) -> Page:
        """Events merged across reports (one entry however many reports tell it), oldest first;
        filter by PLOVER type, a participating entity, an outlet that reports it, the event's
        date, or text in its summary or participants."""
        _check_request(limit, offset, type=type, entity=entity, source=source, since=since, until=until, q=q)
        chosen = self._entry_filter(type=type, entity=entity, source=source, since=since, until=until, q=q)
        return self._page("entry", chosen, limit, offset)

    def events(self, *, type: str | None = None, entity: str | None = None, source: str | None = None,
               since: str | None = None, until: str | None = None, q: str | None = None,
               limit: int = 50, offset: int = 0) -> Page:
        """Events one per report, in the timeline's order, each with its timeline entry's key;
        the same filters as ``timeline``."""
        _check_request(limit, offset, type=type, entity=entity, source=source, since=since, until=until, q=q)
        entry = self._entry_filter(type=type, entity=entity, source=None, since=since, until=until, q=q)
        return self._page("report", ItemFilter(label=source or None, group_of=("entry", entry)), limit, offset)

    # -- places ------------------------------------------------------------------------------

    def places(self, *, country: str | None = None, q: str | None = None, entity: str | None = None,
               source: str | None = None, since: str | None = None, until: str | None = None,
               limit: int = 200, offset: int = 0) -> Page:
        """Places grouped by name and coordinates, most mentioned first, each with its first
        mention as evidence; filter by country code, name text, entity, outlet, report dates."""
        _check_request(limit, offset, country=country, q=q, entity=entity, source=source, since=since, until=until)
        found = self._entity(entity)
        names = {name for name, _ in found.surfaces} | {found.name} if found is not None else None
        where = filters.published_between(since=check_date(since, "since"), until=check_date(until, "until"),
                                          source=source)
        where += [*filters.place_filters(country=country, q=q, names=names), filters.not_boilerplate("places")]
        rows, total = self.store.place_groups(where=where, limit=limit, offset=offset)
        ids = {r["document_id"] for r in rows}
        texts = self.store.document_texts(ids)
        documents = {d["id"]: d for d in self.store.documents(where=[filters.document_ids_in(ids)], limit=None)}
        for row in rows:
            mention, document = row.pop("first_mention"), documents.get(row["document_id"], {})
            row["evidence"] = evidence({**mention, "document_id": row["document_id"], "document_title": document.get("title"),
                                        "document_source": document.get("source"),
                                        "document_published": document.get("published")},
                                       texts.get(row["document_id"])) if mention else None
        return page(rows, total, limit, offset)

    # -- exports -----------------------------------------------------------------------------

    def export(self, format: str, out: IO[str] | None = None, **filters: Any) -> str | None:
        """Write the picture in an export format (``sitroom.export.formats()``) to ``out``, or
        return it as a string; ``filters`` are those of the list the format exports."""
        from sitroom.export import export

        return export(self, format, out, **filters)
