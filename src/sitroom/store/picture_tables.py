"""The picture's tables: what ``picture/maintain.py`` writes and the read API pages through.

The picture decides what goes in them (groups, items, sort keys); this module only reads and
writes rows, with bound parameters, so that the store stays the one owner of connections.
"""

from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, case, delete, exists, func, insert, or_, select, text, tuple_, update

from sitroom.store import schema

if TYPE_CHECKING:
    from sitroom.store import Store

_PICTURE_LOCK = 0x5175_7E16  # PostgreSQL advisory lock key of picture updates (with the schema's hash)
PICTURE_TABLES = (schema.picture_members, schema.picture_member_names, schema.picture_items, schema.picture_item_tags,
                  schema.picture_surfaces, schema.picture_names, schema.picture_boilerplate, schema.picture_pending,
                  schema.picture_stale, schema.picture_state)


@dataclass
class StoredItem:
    """One row of ``picture_items``: an item of a list, with its sort key and filter columns."""

    kind: str
    key: str
    sort: str
    data: dict[str, Any]
    entity_key: str | None = None
    label: str | None = None
    date: str | None = None
    date_end: str | None = None
    flag: bool = False
    size: int = 0
    text: str | None = None
    tags: set[str] = field(default_factory=set)


def chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for chunk in chunks(rows, 2000):
        conn.execute(insert(table), chunk)


# -- state -------------------------------------------------------------------------------------

def is_built(store: Store) -> bool:
    """Whether the store's picture has been derived at least once (an older store's has not)."""
    with store.engine.connect() as conn:
        return conn.execute(select(schema.picture_state.c.id)).first() is not None


def is_current(store: Store) -> bool:
    """Whether the tables hold the picture of the store as it is now: nothing pending, every
    correction and the boilerplate lines as they are now taken in."""
    with store.engine.connect() as conn:
        state = conn.execute(select(schema.picture_state.c.corrections)).first()
        if state is None:
            return False
        corrections = conn.execute(select(func.count()).select_from(schema.entity_corrections)).scalar_one()
        pending = (conn.execute(select(schema.picture_pending.c.document_id).limit(1)).first()
                   or conn.execute(select(schema.picture_stale.c.group_key).limit(1)).first())
        b, p = schema.boilerplate_lines, schema.picture_boilerplate
        same_lines = (conn.execute(select(func.count()).select_from(b)).scalar_one()
                      == conn.execute(select(func.count()).select_from(p)).scalar_one()
                      == conn.execute(select(func.count()).select_from(b.join(p, b.c.line == p.c.line))).scalar_one())
        return pending is None and state.corrections == corrections and same_lines


def state(store: Store) -> dict[str, Any]:
    """The picture's state: when it was built and updated, documents pending, items by kind."""
    i, st = schema.picture_items, schema.picture_state
    with store.engine.connect() as conn:
        row = conn.execute(select(st.c.built_at, st.c.updated_at, st.c.updates)).first()
        counts = {r.kind: r.n for r in conn.execute(select(i.c.kind, func.count().label("n")).group_by(i.c.kind))}
        waiting = conn.execute(select(func.count()).select_from(schema.picture_pending)).scalar_one()
        stale = conn.execute(select(func.count()).select_from(schema.picture_stale)).scalar_one()
    return {"built_at": row.built_at if row else None, "updated_at": row.updated_at if row else None,
            "updates": row.updates if row else 0, "pending_documents": waiting, "stale_groups": stale,
            "current": is_current(store),
            "items": counts}


def pending(store: Store, limit: int) -> list[tuple[str, str | None]]:
    """(document id, stamp) of up to ``limit`` documents the picture has not taken in yet."""
    p = schema.picture_pending
    with store.engine.connect() as conn:
        return [(row.document_id, row.stamp)
                for row in conn.execute(select(p.c.document_id, p.c.stamp).order_by(p.c.document_id).limit(limit))]


def start_over(store: Store) -> None:
    """Empty the picture's tables and mark every document pending (a full rebuild)."""
    with store.engine.begin() as conn:
        for table in PICTURE_TABLES:
            conn.execute(delete(table))
        d, b = schema.documents, schema.boilerplate_lines
        conn.execute(insert(schema.picture_pending).from_select(["document_id", "stamp"], select(d.c.id, d.c.added_at)))
        # every document is pending: none needs regrouping for its boilerplate on top
        conn.execute(insert(schema.picture_boilerplate).from_select(["line"], select(b.c.line)))


def copies_of(store: Store, documents: set[str]) -> set[str]:
    """Near-duplicates of the documents: their independent source is their original's outlet.
    (Read apart from an update's transaction, which holds no lock on the documents.)"""
    d = schema.documents
    found = set()
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(documents)):
            found |= {row.id for row in conn.execute(select(d.c.id).where(d.c.near_duplicate_of.in_(chunk)))}
    return found


@contextlib.contextmanager
def serialized(store: Store) -> Iterator[None]:
    """One picture update at a time per store, across processes: a PostgreSQL advisory lock,
    else a lock file beside the SQLite file."""
    if store.dialect == "postgresql":  # one lock per schema: stores side by side in a database do not wait
        with store.engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(CAST(:key AS integer), hashtext(current_schema()))"), {"key": _PICTURE_LOCK})
            lock.commit()
            try:
                yield
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(CAST(:key AS integer), hashtext(current_schema()))"), {"key": _PICTURE_LOCK})
                lock.commit()
        return
    database = store.engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(Path(database).with_name(Path(database).name + ".picture-lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def writing(store: Store) -> Iterator["PictureWrite"]:
    """One transaction over the picture's tables: everything in it is seen at once, or nothing."""
    with store.engine.begin() as conn:
        yield PictureWrite(conn)


class PictureWrite:
    """The writes of one picture update round, inside its transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # entity resolution's lookups
    def lookups(self) -> tuple[list[Any], list[Any], dict[str, dict[str, Any]]]:
        """Stored surfaces (name, type, key, normal), names (normal, key, type) and entity data by key."""
        s, n, i = schema.picture_surfaces, schema.picture_names, schema.picture_items
        entities = {row.key: row.data for row in self.conn.execute(select(i.c.key, i.c.data).where(i.c.kind == "entity"))}
        return (list(self.conn.execute(select(s.c.name, s.c.type, s.c.key, s.c.normal))),
                list(self.conn.execute(select(n.c.normal, n.c.key, n.c.type))), entities)

    def replace_lookups(self, normals: set[str], surfaces: list[dict[str, Any]], names: list[dict[str, Any]]) -> None:
        s, n = schema.picture_surfaces, schema.picture_names
        for chunk in chunks(sorted(normals)):
            self.conn.execute(delete(s).where(s.c.normal.in_(chunk)))
            self.conn.execute(delete(n).where(n.c.normal.in_(chunk)))
        _insert(self.conn, s, surfaces)
        _insert(self.conn, n, names)

    def item_rows(self, kind: str) -> dict[str, tuple[str, Any]]:
        """key -> (sort, data) of every item of one kind."""
        i = schema.picture_items
        return {row.key: (row.sort, row.data) for row in self.conn.execute(select(i.c.key, i.c.sort, i.c.data)
                                                                           .where(i.c.kind == kind))}

    def replace_items(self, kind: str, keys: list[str], items: list[StoredItem]) -> None:
        """Drop the items of ``keys`` (of one kind) and write ``items``."""
        i, t = schema.picture_items, schema.picture_item_tags
        for chunk in chunks(keys):
            self.conn.execute(delete(t).where(t.c.kind == kind, t.c.key.in_(chunk)))
            self.conn.execute(delete(i).where(i.c.kind == kind, i.c.key.in_(chunk)))
        self.insert_items(items)

    def insert_items(self, items: list[StoredItem], part: str | None = None, groups: list[str] | None = None) -> None:
        rows, tags = [], []
        for n, item in enumerate(items):
            rows.append({"kind": item.kind, "key": item.key, "part": part, "group_key": groups[n] if groups else None,
                         "sort": item.sort, "entity_key": item.entity_key, "label": item.label, "date": item.date,
                         "date_end": item.date_end, "flag": item.flag, "size": item.size, "text": item.text,
                         "data": item.data})
            tags += [{"kind": item.kind, "tag": tag, "key": item.key} for tag in sorted(item.tags)]
        _insert(self.conn, schema.picture_items, rows)
        _insert(self.conn, schema.picture_item_tags, tags)

    # what to regroup
    def moved_boilerplate_documents(self) -> set[str]:
        """Documents holding a line that became or stopped being boilerplate since the last
        update (their records enter or leave the picture); the stored set is brought up to date."""
        b, p, lines = schema.boilerplate_lines, schema.picture_boilerplate, schema.document_lines
        now = {row.line for row in self.conn.execute(select(b.c.line))}
        before = {row.line for row in self.conn.execute(select(p.c.line))}
        moved = sorted(now ^ before)
        documents = set()
        for chunk in chunks(moved):
            documents |= {row.document_id for row in self.conn.execute(select(lines.c.document_id)
                                                                       .where(lines.c.line.in_(chunk)))}
            self.conn.execute(delete(p).where(p.c.line.in_(chunk)))
        _insert(self.conn, p, [{"line": line} for line in moved if line in now])
        return documents

    def members_naming(self, normals: set[str]) -> list[tuple[str, str, int]]:
        """(part, document, idx) of the records grouped by one of the normalized names."""
        mn = schema.picture_member_names
        found = []
        for chunk in chunks(sorted(normals)):
            found += [(r.part, r.document_id, r.idx) for r in self.conn.execute(
                select(mn.c.part, mn.c.document_id, mn.c.idx).where(mn.c.normal.in_(chunk)))]
        return found

    def take_members(self, part: str, documents: Iterable[str], records: Iterable[tuple[str, int]]) -> set[str]:
        """Remove the members of ``documents`` and the ``records`` (document, idx) from their
        groups of one part; returns those groups."""
        m, mn = schema.picture_members, schema.picture_member_names
        groups: set[str] = set()
        for chunk in chunks(sorted(documents)):
            groups |= {r.group_key for r in self.conn.execute(select(m.c.group_key)
                                                              .where(m.c.part == part, m.c.document_id.in_(chunk)))}
            self.conn.execute(delete(m).where(m.c.part == part, m.c.document_id.in_(chunk)))
            self.conn.execute(delete(mn).where(mn.c.part == part, mn.c.document_id.in_(chunk)))
        for chunk in chunks(sorted(records)):
            groups |= {r.group_key for r in self.conn.execute(
                select(m.c.group_key).where(m.c.part == part, tuple_(m.c.document_id, m.c.idx).in_(chunk)))}
            self.conn.execute(delete(m).where(m.c.part == part, tuple_(m.c.document_id, m.c.idx).in_(chunk)))
            self.conn.execute(delete(mn).where(mn.c.part == part, tuple_(mn.c.document_id, mn.c.idx).in_(chunk)))
        return groups

    def add_members(self, members: list[dict[str, Any]], names: list[dict[str, Any]]) -> None:
        _insert(self.conn, schema.picture_members, members)
        _insert(self.conn, schema.picture_member_names, names)

    def mark_stale(self, part: str, groups: set[str]) -> None:
        """Groups of ``part`` to derive again (kept until they are, even across a crash)."""
        st = schema.picture_stale
        have: set[str] = set()
        for chunk in chunks(sorted(groups)):
            have |= {r.group_key for r in self.conn.execute(select(st.c.group_key)
                                                            .where(st.c.part == part, st.c.group_key.in_(chunk)))}
        _insert(self.conn, st, [{"part": part, "group_key": g} for g in sorted(groups - have)])

    def stale(self, part: str, limit: int) -> list[str]:
        st = schema.picture_stale
        return [r.group_key for r in self.conn.execute(select(st.c.group_key).where(st.c.part == part)
                                                       .order_by(st.c.group_key).limit(limit))]

    def derived(self, part: str, groups: list[str]) -> None:
        st = schema.picture_stale
        self.conn.execute(delete(st).where(st.c.part == part, st.c.group_key.in_(groups)))

    def group_members(self, part: str, groups: list[str]) -> dict[tuple[str, int], str]:
        """(document, idx) -> group of every member of ``groups``."""
        m = schema.picture_members
        return {(r.document_id, r.idx): r.group_key for r in self.conn.execute(
            select(m.c.group_key, m.c.document_id, m.c.idx).where(m.c.part == part, m.c.group_key.in_(groups)))}

    def replace_group_items(self, part: str, groups: list[str], items: list[tuple[str, StoredItem]]) -> None:
        """Replace every item the ``groups`` yielded by ``items`` ((group, item) pairs)."""
        i, t = schema.picture_items, schema.picture_item_tags
        old = [(r.kind, r.key) for r in self.conn.execute(select(i.c.kind, i.c.key)
                                                          .where(i.c.part == part, i.c.group_key.in_(groups)))]
        for chunk in chunks(old):
            self.conn.execute(delete(t).where(tuple_(t.c.kind, t.c.key).in_(chunk)))
            self.conn.execute(delete(i).where(tuple_(i.c.kind, i.c.key).in_(chunk)))
        self.insert_items([item for _, item in items], part=part, groups=[group for group, _ in items])

    def taken(self, taken: list[tuple[str, str | None]]) -> None:
        """The pending documents taken in (unless written again meanwhile)."""
        p = schema.picture_pending
        for chunk in chunks(taken):
            self.conn.execute(delete(p).where(tuple_(p.c.document_id, func.coalesce(p.c.stamp, "")).in_(
                [(d, s or "") for d, s in chunk])))

    def done(self, built: bool) -> None:
        """The state noted: when, and with how many analyst corrections."""
        state = schema.picture_state
        corrections = self.conn.execute(select(func.count()).select_from(schema.entity_corrections)).scalar_one()
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if self.conn.execute(select(state.c.id)).first() is None:
            self.conn.execute(insert(state).values(id=1, built_at=now if built else None, updated_at=now,
                                                   corrections=corrections, updates=1))
        else:
            values: dict[str, Any] = {"updated_at": now, "corrections": corrections, "updates": state.c.updates + 1}
            if built:
                values["built_at"] = now
            self.conn.execute(update(state).values(**values))


# -- reads for the read API ---------------------------------------------------------------------

def _like(text: str) -> str:
    """A LIKE pattern holding ``text`` literally (``\\`` escapes % and _)."""
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def item(store: Store, kind: str, key: str) -> dict[str, Any] | None:
    i = schema.picture_items
    with store.engine.connect() as conn:
        row = conn.execute(select(i.c.data).where(i.c.kind == kind, i.c.key == key)).first()
    return row.data if row else None


def items(store: Store, kind: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    i = schema.picture_items
    found: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(set(keys))):
            found.update({r.key: r.data for r in conn.execute(select(i.c.key, i.c.data)
                                                               .where(i.c.kind == kind, i.c.key.in_(chunk)))})
    return found


@dataclass
class ItemFilter:
    """What a list asks of ``picture_items``: each field set narrows it (all bound parameters)."""

    entity_keys: list[str] | None = None
    label: str | None = None
    labels_in: list[str] | None = None
    flag: bool | None = None
    words: list[str] = field(default_factory=list)  # each held by ``text`` (lower-cased)
    text_prefix: str | None = None  # ``text`` starts with it (or holds every word)
    tags: list[str] = field(default_factory=list)  # each carried by the item
    since: str | None = None  # the item's date, compared at its own precision
    until: str | None = None
    overlaps: tuple[str | None, str | None] | None = None  # [date, date_end] meets [since, until]
    min_size: int | None = None
    group_of: tuple[str, ItemFilter] | None = None  # the item's group yields an item of that kind and filter

    def where(self, i: Any) -> list[Any]:
        out = []
        if self.entity_keys is not None:
            out.append(i.c.entity_key.in_(self.entity_keys))
        if self.label is not None:
            out.append(i.c.label == self.label)
        if self.labels_in is not None:
            out.append(i.c.label.in_(self.labels_in))
        if self.flag is not None:
            out.append(i.c.flag.is_(self.flag))
        words = [i.c.text.like(_like(w), escape="\\") for w in self.words]
        if self.text_prefix is not None:
            out.append(or_(i.c.text.like(self.text_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                                         + "\x01%", escape="\\"), and_(*words) if words else False))
        else:
            out += words
        t = schema.picture_item_tags
        for tag in self.tags:
            out.append(exists().where(t.c.kind == i.c.kind, t.c.key == i.c.key, t.c.tag == tag))
        if self.since:
            out.append(i.c.date.is_not(None))
            out.append(case((func.length(i.c.date) <= 4, i.c.date >= self.since[:4]),
                            (func.length(i.c.date) <= 7, i.c.date >= self.since[:7]),
                            else_=i.c.date >= self.since))
        if self.until:
            out.append(i.c.date.is_not(None))
            out.append(func.substr(i.c.date, 1, len(self.until)) <= self.until)
        if self.overlaps:
            since, until = self.overlaps
            if since:
                out.append(func.substr(i.c.date_end, 1, len(since)) >= since)
            if until:
                out.append(func.substr(i.c.date, 1, len(until)) <= until)
        if self.min_size is not None:
            out.append(i.c.size >= self.min_size)
        if self.group_of is not None:
            kind, inner = self.group_of
            g = schema.picture_items.alias("g")
            out.append(exists().where(g.c.kind == kind, g.c.part == i.c.part, g.c.group_key == i.c.group_key,
                                      *inner.where(g)))
        return out


def page_items(store: Store, kind: str, chosen: ItemFilter, *, limit: int | None, offset: int = 0,
               count: bool = True) -> tuple[list[dict[str, Any]], int]:
    """One page of the items of ``kind`` in their list's order, and how many match."""
    i = schema.picture_items
    where = [i.c.kind == kind, *chosen.where(i)]
    query = select(i.c.data).where(*where).order_by(i.c.sort, i.c.key).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with store.engine.connect() as conn:
        rows = [r.data for r in conn.execute(query)]
        total = conn.execute(select(func.count()).select_from(i).where(*where)).scalar_one() if count else len(rows)
    return rows, total


def surface_key(store: Store, name: str, type: str) -> str | None:
    s = schema.picture_surfaces
    with store.engine.connect() as conn:
        row = conn.execute(select(s.c.key).where(s.c.name == name, s.c.type == type)).first()
    return row.key if row else None


def name_lookup(store: Store, normal: str) -> tuple[str | None, str | None]:
    """(entity key, type across reports) of a normalized name."""
    n = schema.picture_names
    with store.engine.connect() as conn:
        row = conn.execute(select(n.c.key, n.c.type).where(n.c.normal == normal)).first()
    return (row.key, row.type) if row else (None, None)
