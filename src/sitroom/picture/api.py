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

from sitroom.picture.cache import PictureCache
from sitroom.picture.claims import claim_item, cluster_claims, is_unresolved, speaker_counts, speaker_key, speaker_label
from sitroom.picture.entities import EntityIndex, ResolvedEntity, normalize, resolve
from sitroom.picture.evidence import evidence
from sitroom.model import HAPPENED
from sitroom.picture.figures import FigureTrack, counted_key, figure_tracks
from sitroom.picture.places import gazetteer_place
from sitroom.picture.timeline import timeline
from sitroom.store import Store, filters, open_store

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

    The cross-document parts (resolved entities, speakers, figure tracks, the timeline) are
    kept in ``cache``, which this object owns: corrections made through it invalidate it, and
    documents ingested by another process are seen within ``cache.recheck_seconds`` (plus, for
    a costly part, the time a background thread takes to recompute it; see ``picture.cache``).
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

    def entity_index(self) -> EntityIndex:
        """Entities resolved across documents, with the analyst's corrections applied."""
        def compute() -> EntityIndex:
            geocoded = self.store.place_names()

            def place_of(name: str) -> tuple[str, str, str, int] | None:
                found = gazetteer_place(name)
                if found is None and name.lower() in geocoded:  # a place the geocoder knows from its features
                    own, level = geocoded[name.lower()]
                    found = (own, level or "feature", f"place-{own.lower()}", 0)
                return found

            return resolve(self.store.entity_surfaces(), self.store.corrections(), place_of=place_of,
                           wires=self.store.wire_credits())

        return self.cache.get("entities", compute)

    def find_entity(self, text: str) -> ResolvedEntity:
        """The entity a user means by a key or a name; ``NotFound`` when there is none."""
        entity = self.entity_index().find(text)
        if entity is None:
            raise NotFound(f"no entity {text!r} in the store")
        return entity

    def _entity(self, text: str | None) -> ResolvedEntity | None:
        return self.find_entity(text) if text else None

    def _speaker_names(self) -> dict[str, list[str]]:
        """Speaker key -> the stored speaker names that resolve to it."""
        def compute() -> dict[str, list[str]]:
            index = self.entity_index()
            by_key: dict[str, set[str]] = {}
            for row in self.store.speaker_rows():
                if not is_unresolved(row["speaker"]):
                    by_key.setdefault(speaker_key(index, row["speaker"]), set()).add(row["speaker"])
            return {key: sorted(names) for key, names in by_key.items()}

        return self.cache.get("speaker-names", compute)

    def _speaker_list(self) -> list[dict[str, Any]]:
        return self.cache.get("speakers", lambda: speaker_counts(self.store.speaker_rows(), self.entity_index()))

    def _tracks(self) -> list[FigureTrack]:
        return self.cache.get("figure-tracks", lambda: figure_tracks(self.store, self.entity_index()))

    def _timeline(self) -> list[dict[str, Any]]:
        def compute() -> list[dict[str, Any]]:
            rows = self.store.records("events", where=[filters.not_boilerplate("events")], limit=None)
            return timeline(self.store, rows, self.entity_index())

        return self.cache.get("timeline", compute)

    def warm(self) -> float:
        """Compute every cross-document part now, so that no visitor waits; returns seconds."""
        started = time.perf_counter()
        self.entity_index()
        self._speaker_names()
        self._speaker_list()
        self._tracks()
        self._timeline()
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
        chosen = self.entity_index().entities
        if type:
            chosen = [e for e in chosen if e.type == type.upper()]
        if q:
            needle = q.lower()
            chosen = [e for e in chosen if needle in e.name.lower() or any(needle in a.lower() for a in e.aliases)]
        return page([e.to_dict() for e in chosen[offset:offset + limit]], len(chosen), limit, offset)

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
        self.cache.invalidate()
        index = self.entity_index()
        key = index.key_for(target if action == "merge" else name, type.upper() if type and action != "merge" else None)
        return index.get(key) if key else None

    # -- claims ------------------------------------------------------------------------------

    def speaker_keys(self, speaker: str) -> list[str]:
        """The speakers meant by ``speaker``: a speaker key, else every speaker one of whose
        names holds all its words ("Kirby" finds John Kirby; "officials" every kind of officials)."""
        names = self._speaker_names()
        if speaker in names:
            return [speaker]
        entity = self.entity_index().get(speaker)
        if entity is not None:
            return [entity.key] if entity.key in names else []
        words = {_singular(w) for w in normalize(speaker).split()}
        if not words:
            return []
        index = self.entity_index()
        keys = []
        for key, spoken in names.items():
            entity = index.get(key)
            candidates = [*spoken, *((entity.name, *(n for n, _ in entity.surfaces)) if entity else ()),
                          *(speaker_label(index, name) or "" for name in spoken[:1])]
            if any(words <= {_singular(w) for w in normalize(name.replace(":", " ")).split()} for name in candidates):
                keys.append(key)
        return sorted(keys)

    def _claim_where(self, *, speaker: str | None, entity: str | None, source: str | None, since: str | None,
                     until: str | None, q: str | None) -> list[Any]:
        where = [filters.not_boilerplate("claims"), *filters.published_between(source=source)]
        where += filters.said_between(since=check_date(since, "since"), until=check_date(until, "until"))
        if speaker:
            names = self._speaker_names()
            where.append(filters.claim_speaker_in(n for key in self.speaker_keys(speaker) for n in names[key]))
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
        every = self._speaker_list()
        return page(every[offset:offset + limit], len(every), limit, offset)

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
        tracks = self._tracks()
        if found is not None:
            tracks = [t for t in tracks if t.entity_key == found.key]
        if counts:
            wanted, needle = counted_key(counts), counts.lower()
            tracks = [t for t in tracks if t.counts == wanted or needle in t.counts
                      or any(needle in (p["counts_text"] or "").lower() for p in t.points)]
        if happened:
            tracks = [t for t in tracks if t.happened == happened]
        if conflicts:
            tracks = [t for t in tracks if t.conflict]
        items = [t.to_dict() for t in tracks]
        if since or until:
            items = [_points_between(t, since, until) for t in items]
            items = [t for t in items if t["points"]]
        items.sort(key=lambda t: len(t["points"]) < 2)  # stable: several values first
        return page(items[offset:offset + limit], len(items), limit, offset)

    # -- events ------------------------------------------------------------------------------

    def _timeline_entries(self, *, type: str | None, entity: str | None, since: str | None, until: str | None,
                          q: str | None) -> list[dict[str, Any]]:
        since, until = check_date(since, "since"), check_date(until, "until")
        found = self._entity(entity)
        needle = q.lower() if q else None
        type = type.upper() if type else None  # PLOVER types are upper case; "assault" means ASSAULT
        chosen = []
        for entry in self._timeline():
            date = entry["date"]
            if type and entry["type"] != type:
                continue
            if found is not None and found.key not in entry["entity_keys"]:
                continue
            if since and (date is None or date < since[:len(date)]):
                continue
            if until and (date is None or date[:len(until)] > until):
                continue
            if needle and not any(needle in (text or "").lower()
                                  for text in (entry["summary"], *entry["actors"], *entry["recipients"])):
                continue
            chosen.append(entry)
        return chosen

    def timeline(self, *, type: str | None = None, entity: str | None = None, source: str | None = None,
                 since: str | None = None, until: str | None = None, q: str | None = None,
                 limit: int = 100, offset: int = 0) -> Page:
        """Events merged across reports (one entry however many reports tell it), oldest first;
        filter by PLOVER type, a participating entity, an outlet that reports it, the event's
        date, or text in its summary or participants."""
        _check_request(limit, offset, type=type, entity=entity, source=source, since=since, until=until, q=q)
        entries = self._timeline_entries(type=type, entity=entity, since=since, until=until, q=q)
        if source:
            entries = [e for e in entries if any(r["evidence"]["source"] == source for r in e["reports"])]
        return page(entries[offset:offset + limit], len(entries), limit, offset)

    def events(self, *, type: str | None = None, entity: str | None = None, source: str | None = None,
               since: str | None = None, until: str | None = None, q: str | None = None,
               limit: int = 50, offset: int = 0) -> Page:
        """Events one per report, in the timeline's order, each with its timeline entry's key;
        the same filters as ``timeline``."""
        _check_request(limit, offset, type=type, entity=entity, source=source, since=since, until=until, q=q)
        reports = [{**report, "timeline_key": entry["key"]}
                   for entry in self._timeline_entries(type=type, entity=entity, since=since, until=until, q=q)
                   for report in entry["reports"] if not source or report["evidence"]["source"] == source]
        return page(reports[offset:offset + limit], len(reports), limit, offset)

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
