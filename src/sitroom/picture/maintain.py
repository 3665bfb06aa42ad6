"""The picture kept in tables, updated for what each ingest adds instead of recomputed.

Every ``save_extraction`` marks its document pending (``picture_pending``, in the same
transaction). ``update`` regroups the records of the pending documents, ``ROUND_DOCUMENTS`` at a
time, per part of the picture:

- claims are grouped by resolved speaker: a group yields its claim clusters and its speaker;
- figures by track (owner, counted thing, what happened, scope): a group yields its tracks
  (unowned figures split into stories inside it);
- events by what reports of one event share (type, actors, date, modality): a group yields its
  timeline entry and its reports.

Each round is one transaction that moves the records to their groups and marks stale every
group one of them joined or left (``picture_stale``, so a crash loses no work); then every stale
group is derived once, ``GROUP_CHUNK`` groups a transaction. A group is derived by the same
functions the whole-store computation uses, over its members in one order, so its items depend
only on its members: updating after every batch gives the picture a full ``rebuild`` gives
(``tests/test_picture_maintained.py``).

Entity resolution works from every surface name of the store, so it runs in full on each update
(its cost grows with the store's names and mentions); the names whose resolution changed are
found by comparing each name's answers with the stored lookups, and every record that named one
is regrouped. Records whose line became (or stopped being) boilerplate, and reports copied from
a replaced document, are regrouped too. An analyst's correction is an update with no pending
document.

Updates are serialized across processes (a PostgreSQL advisory lock per schema; a lock file
beside a SQLite file). Readers see each group's items before or after its derivation.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sitroom.picture.claims import cluster_claims, is_unresolved, speaker_counts, speaker_key
from sitroom.picture.entities import EntityIndex, normalize, resolve, stable_hash
from sitroom.picture.figures import track_points, track_rows_where, tracks_of
from sitroom.picture.names import clean_surface
from sitroom.picture.places import gazetteer_place
from sitroom.picture.timeline import entry_key, timeline
from sitroom.store import Store, filters, schema
from sitroom.store import picture_tables as tables
from sitroom.store.picture_tables import PictureWrite, StoredItem, chunks

ROUND_DOCUMENTS = 1000  # pending documents taken in one round (one transaction)
GROUP_CHUNK = 400  # stale groups derived in one transaction
MEMBERS_PER_READ = 20_000  # records read at once to derive groups (a larger group is read alone)
SEP = "\x01"  # between the fields of a sort key or of an item's text: below every printable character


@dataclass
class UpdateReport:
    """What one update did: documents taken, records regrouped, groups re-derived, seconds."""

    documents: int = 0
    regrouped: int = 0
    groups: int = 0
    names_changed: int = 0
    entities_written: int = 0
    rounds: int = 0
    seconds: float = 0.0
    resolve_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def sort_key(*fields: Any) -> str:
    """A string whose byte order is the order of ``fields`` (numbers up to 10^12 first)."""
    parts = []
    for value in fields:
        if isinstance(value, bool):
            parts.append("1" if value else "0")
        elif isinstance(value, int):
            parts.append(f"{value + 10**12:013d}")
        else:
            parts.append(str(value or ""))
    return SEP.join(parts)


def _rank(n: int) -> int:
    """Descending order for a count inside ``sort_key``."""
    return 10**12 - n - 1


def names_of(*names: str | None) -> set[str]:
    """The normalized forms a record's names are looked up by (with and without cleaning)."""
    found = set()
    for name in names:
        if name:
            found.add(normalize(name))
            found.add(normalize(clean_surface(name)))
    return {n for n in found if n}


# -- the parts --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """One part of the picture: the record table it groups, which rows take part, how a row is
    grouped (a group's text and the names that decided it) and what a group yields."""

    name: str
    table: str
    where: Callable[[], list[Any]]
    group: Callable[[Store, list[dict[str, Any]], EntityIndex], list[tuple[dict[str, Any], str, set[str]]]]
    derive: Callable[[Store, list[dict[str, Any]], EntityIndex], list[StoredItem]]


def _claim_groups(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[tuple[dict[str, Any], str, set[str]]]:
    out = []
    for row in rows:
        name = row["data"]["speaker"].get("name")
        key = speaker_key(index, name)
        if key == "speaker-unresolved":  # never merged with another claim's "he"
            key = f"unresolved-{row['document_id']}-{row['idx']}"
        out.append((row, key, names_of(name)))
    return out


def _claim_items(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[StoredItem]:
    items = []
    for cluster in cluster_claims(store, rows, index):
        data = cluster.to_dict()
        items.append(StoredItem("cluster", cluster.id, sort_key(_rank(cluster.independent_sources),
                                                               _rank(len(cluster.appearances)), cluster.first_said,
                                                               cluster.id),
                                data, entity_key=cluster.speaker_key, size=len(cluster.appearances)))
    named = [{"speaker": r["data"]["speaker"].get("name"), "document_id": r["document_id"]} for r in rows]
    for speaker in speaker_counts(named, index):
        spoken = sorted({r["speaker"] for r in named if not is_unresolved(r["speaker"])})
        entity = index.get(speaker["key"])
        words = [*spoken, speaker["name"] or "", *((entity.name, *(n for n, _ in entity.surfaces)) if entity else ())]
        items.append(StoredItem("speaker", speaker["key"], sort_key(_rank(speaker["claims"]), _rank(speaker["documents"]),
                                                                    speaker["name"], speaker["key"]),
                                {**speaker, "names": spoken}, entity_key=speaker["key"], size=speaker["claims"],
                                text=SEP.join(w.lower() for w in words)))
    return items


def _figure_groups(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[tuple[dict[str, Any], str, set[str]]]:
    return [(row, track.key, names_of(*names)) for row, track, _, names in track_points(store, rows, index)]


def _figure_items(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[StoredItem]:
    items = []
    for track in tracks_of(store, rows, index):
        data = track.to_dict()
        when = [p["refers_to"] or p["date"] for p in track.points if p["refers_to"] or p["date"]]
        counted = {track.counts, *((p["counts_text"] or "").lower() for p in track.points)}
        items.append(StoredItem("track", track.key, sort_key(len(track.points) < 2, not track.conflict,
                                                             _rank(len(track.sources)), _rank(len(track.points)),
                                                             track.label, track.key),
                                data, entity_key=track.entity_key, label=track.happened,
                                date=min(when) if when else None, date_end=max(when) if when else None,
                                flag=track.conflict, size=len(track.points),
                                text=track.counts + SEP + SEP.join(sorted(c for c in counted if c))))
    return items


def _event_groups(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[tuple[dict[str, Any], str, set[str]]]:
    out = []
    for row in rows:
        data = row["data"]
        people = [a.get("name") for a in data.get("actors", []) + data.get("recipients", [])]
        out.append((row, json.dumps(entry_key(row, index)), names_of(*people)))
    return out


def _event_items(store: Store, rows: list[dict[str, Any]], index: EntityIndex) -> list[StoredItem]:
    items = []
    for entry in timeline(store, rows, index):
        sort = sort_key(entry["date"] or "9999", entry["type"], entry["key"])
        words = SEP.join((text or "").lower() for text in (entry["summary"], *entry["actors"], *entry["recipients"]))
        sources = {r["evidence"]["source"] for r in entry["reports"] if r["evidence"]["source"]}
        tags = {f"e:{key}" for key in entry["entity_keys"]} | {f"s:{source}" for source in sources}
        items.append(StoredItem("entry", entry["key"], sort, entry, label=entry["type"], date=entry["date"],
                                size=len(entry["reports"]), text=words, tags=tags))
        for n, report in enumerate(entry["reports"]):
            items.append(StoredItem("report", f"{entry['key']}/{n}", sort + SEP + f"{n:06d}",
                                    {**report, "timeline_key": entry["key"]}, label=report["evidence"]["source"],
                                    date=entry["date"]))
    return items


PARTS = (
    Part("claims", "claims", lambda: [filters.not_boilerplate("claims")], _claim_groups, _claim_items),
    Part("figures", "quantities", track_rows_where, _figure_groups, _figure_items),
    Part("events", "events", lambda: [filters.not_boilerplate("events")], _event_groups, _event_items),
)


# -- entity resolution's lookups ----------------------------------------------------------------

def resolve_store(store: Store) -> EntityIndex:
    """Entities resolved across the whole store, with the analyst's corrections applied."""
    geocoded = store.place_names()

    def place_of(name: str) -> tuple[str, str, str, int] | None:
        found = gazetteer_place(name)
        if found is None and name.lower() in geocoded:  # a place the geocoder knows from its features
            own, level = geocoded[name.lower()]
            found = (own, level or "feature", f"place-{own.lower()}", 0)
        return found

    return resolve(store.entity_surfaces(), store.corrections(), place_of=place_of, wires=store.wire_credits())


def _entity_item(entity: Any) -> StoredItem:
    names = [entity.name, *(n for n, _ in entity.surfaces)]
    return StoredItem("entity", entity.key, sort_key(_rank(entity.documents), _rank(entity.mentions), entity.name,
                                                     entity.key),
                      {**entity.to_dict(), "surfaces": [list(s) for s in entity.surfaces]}, entity_key=entity.key,
                      label=entity.type, size=entity.documents,
                      text=SEP.join(sorted({n.lower() for n in names} | {normalize(n) for n in names})))


def _signatures(surfaces: Iterable[tuple[str, str, str | None]], names: Iterable[tuple[str, str | None, str | None]],
                about: Callable[[str | None], tuple]) -> dict[str, str]:
    """Per normalized name, everything a lookup by that name answers: the entity it means and
    its type, the entity of each typed surface, and those entities' names, types and countries."""
    by_normal: dict[str, list] = defaultdict(list)
    for name, type_, key in surfaces:
        by_normal[normalize(name)].append((type_, name, about(key)))
    for normal, key, type_ in names:
        by_normal[normal].append(("", "", about(key), type_))
    return {n: json.dumps(sorted(v, key=repr), default=str) for n, v in by_normal.items()}


def _write_index(write: PictureWrite, index: EntityIndex) -> tuple[set[str], int]:
    """Store the index's lookups and entities where they changed; returns the normalized names
    whose answers changed and how many entity rows were written."""
    stored_surfaces, stored_names, stored_entities = write.lookups()

    def stored_about(key: str | None) -> tuple:
        entity = stored_entities.get(key) if key else None
        return (key, entity["name"], entity["type"], entity["country_code"]) if entity else (key,)

    def about(key: str | None) -> tuple:
        entity = index.get(key) if key else None
        return (key, entity.name, entity.type, entity.country_code) if entity else (key,)

    names = [(normal, index.by_normal.get(normal), index.name_types.get(normal))
             for normal in set(index.by_normal) | set(index.name_types)]
    old = _signatures(((r.name, r.type, r.key) for r in stored_surfaces), ((r.normal, r.key, r.type) for r in stored_names),
                      stored_about)
    new = _signatures(((name, type_, key) for (name, type_), key in index.by_surface.items()), names, about)
    changed = {n for n in set(old) | set(new) if old.get(n) != new.get(n)}
    write.replace_lookups(changed, [{"name": name, "type": type_, "key": key, "normal": normalize(name)}
                                    for (name, type_), key in index.by_surface.items() if normalize(name) in changed],
                          [{"normal": normal, "key": key, "type": type_} for normal, key, type_ in names
                           if normal in changed])
    stored = {key: sort + json.dumps(data, sort_keys=True) for key, (sort, data) in write.item_rows("entity").items()}
    items = {e.key: _entity_item(e) for e in index.entities}
    for item in items.values():
        item.data = json.loads(json.dumps(item.data))
    fresh = [item for key, item in items.items() if stored.get(key) != item.sort + json.dumps(item.data, sort_keys=True)]
    gone = [key for key in stored if key not in items]
    write.replace_items("entity", gone + [item.key for item in fresh], fresh)
    return changed, len(fresh) + len(gone)


# -- updating ---------------------------------------------------------------------------------

def update(store: Store, *, on_round: Callable[[UpdateReport], None] | None = None) -> UpdateReport:
    """Bring the picture's tables up to date with the store (see the module docstring); a store
    whose picture was never derived (made before the picture had tables) gets it in full."""
    with tables.serialized(store):
        if not tables.is_built(store):
            tables.start_over(store)
            return _update(store, on_round=on_round, built=True)
        return _update(store, on_round=on_round)


def rebuild(store: Store, *, on_round: Callable[[UpdateReport], None] | None = None) -> UpdateReport:
    """Derive the whole picture again from the records: for repairs and for older stores."""
    with tables.serialized(store):
        tables.start_over(store)
        return _update(store, on_round=on_round, built=True)


def _update(store: Store, *, on_round: Callable[[UpdateReport], None] | None, built: bool = False) -> UpdateReport:
    """Regroup the pending documents' records round by round (each round a transaction that
    marks the groups it touched stale), then derive every stale group once."""
    started = time.perf_counter()
    report = UpdateReport()
    index = resolve_store(store)
    report.resolve_seconds = time.perf_counter() - started
    first = True
    while True:
        taken = tables.pending(store, ROUND_DOCUMENTS)
        if not taken and not first:
            break
        with tables.writing(store) as write:
            documents = {d for d, _ in taken}
            changed: set[str] = set()
            if first:
                changed, report.entities_written = _write_index(write, index)
                report.names_changed = len(changed)
                documents |= write.moved_boilerplate_documents()
            documents |= tables.copies_of(store, documents)
            _regroup(write, store, index, documents, changed, report)
            write.taken(taken)
        report.documents += len(taken)
        report.rounds += 1
        first = False
        report.seconds = time.perf_counter() - started
        if on_round:
            on_round(report)
        if not taken:
            break
    for part in PARTS:
        while True:
            with tables.writing(store) as write:
                groups = write.stale(part.name, GROUP_CHUNK)
                if groups:
                    _derive(write, store, index, part, groups)
                    write.derived(part.name, groups)
            report.groups += len(groups)
            if len(groups) < GROUP_CHUNK:
                break
    with tables.writing(store) as write:
        write.done(built)
    report.seconds = time.perf_counter() - started
    if on_round:
        on_round(report)
    return report


def _regroup(write: PictureWrite, store: Store, index: EntityIndex, documents: set[str], changed: set[str],
             report: UpdateReport) -> None:
    """Regroup the records of ``documents`` and those that named a ``changed`` name, and mark
    stale every group one of them left or joined."""
    named: dict[str, set[tuple[str, int]]] = defaultdict(set)  # part -> (document, idx) that named a changed name
    for part, document, idx in write.members_naming(changed):
        if document not in documents:
            named[part].add((document, idx))
    for part in PARTS:
        records = named[part.name]
        touched = write.take_members(part.name, documents, records)
        rows = _rows(store, part, documents | {d for d, _ in records},
                     lambda r: r["document_id"] in documents or (r["document_id"], r["idx"]) in records)
        members, member_names = [], []
        for row, group, names in part.group(store, rows, index):
            key = stable_hash(group)
            touched.add(key)
            members.append({"part": part.name, "document_id": row["document_id"], "idx": row["idx"], "group_key": key})
            member_names += [{"normal": n, "part": part.name, "document_id": row["document_id"], "idx": row["idx"]}
                             for n in sorted(names)]
        report.regrouped += len(members)
        write.add_members(members, member_names)
        write.mark_stale(part.name, touched)


def _rows(store: Store, part: Part, documents: Iterable[str], keep: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """The part's rows of ``documents`` that ``keep`` accepts, newest report first."""
    table = schema.record_table(part.table)
    rows: list[dict[str, Any]] = []
    for chunk in chunks(sorted(set(documents))):
        rows += [r for r in store.records(part.table, where=[*part.where(), table.c.document_id.in_(chunk)], limit=None)
                 if keep(r)]
    rows.sort(key=lambda r: (_desc(r.get("document_published")), r["document_id"], r["idx"]))
    return rows


def _desc(value: str | None) -> tuple:
    """Newest report first, undated ones last: one order on both dialects (PostgreSQL puts NULLs
    first in a descending order, SQLite last), so a group is derived alike on both."""
    if value is None:
        return (1, "")
    return (0, "".join(chr(0x10FFFF - ord(c)) for c in value))


def _derive(write: PictureWrite, store: Store, index: EntityIndex, part: Part, groups: list[str]) -> None:
    """Replace the items of ``groups`` by what their members yield now (nothing, for a group
    every member left)."""
    members = write.group_members(part.name, groups)
    sizes: dict[str, int] = defaultdict(int)
    for group in members.values():
        sizes[group] += 1
    items = []
    for batch in _by_size(groups, sizes, MEMBERS_PER_READ):
        wanted = {member: group for member, group in members.items() if group in batch}
        rows = _rows(store, part, {d for d, _ in wanted}, lambda r: (r["document_id"], r["idx"]) in wanted)
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            grouped[wanted[(row["document_id"], row["idx"])]].append(row)
        reads = _Reads(store, {d for d, _ in wanted}, with_records=part.name == "figures")
        for group, rows_of_group in grouped.items():
            items += [(group, item) for item in part.derive(reads, rows_of_group, index)]  # type: ignore[arg-type]
    write.replace_group_items(part.name, groups, items)


def _by_size(groups: list[str], sizes: dict[str, int], most: int) -> Iterator[set[str]]:
    """The groups in batches of at most ``most`` members (a larger group alone), so that the
    records read at once stay bounded however the store's groups grow."""
    batch: set[str] = set()
    held = 0
    for group in groups:
        if batch and held + sizes[group] > most:
            yield batch
            batch, held = set(), 0
        batch.add(group)
        held += sizes[group]
    if batch:
        yield batch


class _Reads:
    """The store's per-document reads that deriving groups asks for, fetched once for a chunk of
    groups instead of once per group (thousands of small queries otherwise)."""

    def __init__(self, store: Store, documents: set[str], with_records: bool) -> None:
        self.store = store
        self._texts = store.document_texts(documents)
        self._sources = store.independence_keys(documents)
        self._records = {kind: store.record_data(kind, documents) for kind in ("entities", "claims")} if with_records else {}

    def document_texts(self, ids: Iterable[str]) -> dict[str, str]:
        return {d: self._texts[d] for d in ids if d in self._texts}

    def independence_keys(self, ids: Iterable[str]) -> dict[str, str]:
        return {d: self._sources[d] for d in ids if d in self._sources}

    def record_data(self, kind: str, ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        held = self._records.get(kind)
        ids = set(ids)
        if held is None:
            return self.store.record_data(kind, ids)
        return {d: held.get(d, []) for d in ids}
