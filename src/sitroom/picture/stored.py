"""Entity resolution as stored in the picture's tables, answering the lookups ``EntityIndex``
answers, one query at a time: a reader holds no index of the whole store in memory.

Each instance remembers what it looked up (one request's worth); ask the ``Picture`` for a new
one per question, so that updates of the tables are seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sitroom.picture.entities import ResolvedEntity, find_in, normalize
from sitroom.picture.names import clean_surface
from sitroom.store import Store
from sitroom.store import picture_tables as tables

FIND_PAGE = 200  # candidates read at a time when a name is looked for word by word
MAX_NAME_CHARS = 1000  # a longer text names no entity


def entity_from(data: dict[str, Any]) -> ResolvedEntity:
    return ResolvedEntity(key=data["key"], name=data["name"], type=data["type"],
                          surfaces=[tuple(s) for s in data.get("surfaces", [])], documents=data["documents"],
                          mentions=data["mentions"], country_code=data.get("country_code"), merges=data.get("merges", []))


class _Surfaces:
    """``by_surface`` of a stored index: (name, type) -> entity key."""

    def __init__(self, index: "StoredEntityIndex") -> None:
        self.index = index

    def get(self, item: tuple[str, str], default: str | None = None) -> str | None:
        found = self.index._surface(item)
        return default if found is None else found

    def __getitem__(self, item: tuple[str, str]) -> str:
        found = self.index._surface(item)
        if found is None:
            raise KeyError(item)
        return found

    def __contains__(self, item: object) -> bool:
        return isinstance(item, tuple) and self.index._surface(item) is not None  # type: ignore[arg-type]


class StoredEntityIndex:
    """``EntityIndex``'s lookups over the stored picture (``get``, ``key_for``, ``find``,
    ``type_of``, ``by_surface``; ``entities`` reads them all, for offline use such as eval)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._entities: dict[str, ResolvedEntity | None] = {}
        self._names: dict[str, tuple[str | None, str | None]] = {}
        self._surfaces: dict[tuple[str, str], str | None] = {}
        self.by_surface = _Surfaces(self)

    def get(self, key: str) -> ResolvedEntity | None:
        if key not in self._entities:
            data = tables.item(self.store, "entity", key) if key else None
            self._entities[key] = entity_from(data) if data else None
        return self._entities[key]

    def _name(self, normal: str) -> tuple[str | None, str | None]:
        if normal not in self._names:
            self._names[normal] = tables.name_lookup(self.store, normal)
        return self._names[normal]

    def _surface(self, item: tuple[str, str]) -> str | None:
        if item not in self._surfaces:
            self._surfaces[item] = tables.surface_key(self.store, item[0], item[1])
        return self._surfaces[item]

    def key_for(self, name: str, type: str | None = None) -> str | None:
        """The entity key of a surface name (any type when ``type`` is None)."""
        if type is not None:
            found = self._surface((name, type))
            if found is not None:
                return found
        return self._name(normalize(name))[0]

    def type_of(self, name: str) -> str | None:
        return self._name(normalize(clean_surface(name)))[1]

    def find(self, text: str) -> ResolvedEntity | None:
        """The entity a user means by ``text``: its key or any of its names, else the most-cited
        entity one of whose names holds every word of ``text`` ("Kirby" for John Kirby)."""
        if len(text) > MAX_NAME_CHARS:  # no name is this long (and SQLite refuses such LIKE patterns)
            return None
        return find_in(self, text, self._holding)

    def _holding(self, words: set[str]) -> Iterator[ResolvedEntity]:
        """Entities, most-cited first, whose names hold the words' letters (SQL narrows them)."""
        offset = 0
        while True:
            rows, _ = tables.page_items(self.store, "entity", tables.ItemFilter(words=sorted(words)),
                                        limit=FIND_PAGE, offset=offset, count=False)
            yield from (entity_from(data) for data in rows)
            if len(rows) < FIND_PAGE:
                return
            offset += FIND_PAGE

    @property
    def entities(self) -> list[ResolvedEntity]:
        return list(self.iter_entities())

    def iter_entities(self) -> Iterator[ResolvedEntity]:
        offset = 0
        while True:
            rows, _ = tables.page_items(self.store, "entity", tables.ItemFilter(), limit=5000, offset=offset, count=False)
            yield from (entity_from(data) for data in rows)
            if len(rows) < 5000:
                return
            offset += 5000
