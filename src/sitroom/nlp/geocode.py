"""Toponym resolution: pick the gazetteer entry each place mention of a document refers to.

A name gives candidates (``geocode_index``); the document picks among them. Each candidate is
scored on its own size (population, level, whether the name is its own or an alternate,
capital) and on the rest of the document: the countries and admin-1 regions the other mentions
resolve to, other names of the document with a candidate nearby (``_support``), an explicit
qualifier ("Paris, Texas", "Alexandria, La."), and a region word ("the Kursk region"). All
mentions of one name share one pick (one sense per document). Resolution runs three times: a
first pass without context, then twice with the previous picks of the *other* mentions as
context, so one clear mention ("Tbilisi") settles an ambiguous one ("Georgia"). A name with no
candidate that may still be a place (a street, a building) is put, with level "approximate", at
the place named inside it ("Bank of Japan", "Colorado State University") when there is one,
else at the town or region named right beside it in the text, else at the document's focus
(its dominant, most specific place). A place adjective the country list lacks ("Sicilian",
"Kurdish") names the region it is formed from; a bare name a national capital shares with a
region ("Washington") is the capital unless the document is about the region.

The weights below were chosen on TR-News and GeoVirus (``sitroom eval geoparsing``); GWN and
LGL are kept for reporting. The rules for unions, places inside names, adjectives, buildings,
capitals and the focus came from reading GWN's errors, so GWN is a tuning figure for them.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from sitroom.nlp.geocode_index import Place, abbreviation_key, connection, name_key, places_named, places_of_country

# Prior of each level, in the units of log10(population): countries and seas are what a bare
# name usually means in news; admin-2 districts are rarely named without "County".
LEVEL_PRIOR = {"country": 3.0, "continent": 3.0, "feature": 2.0, "region": 1.0, "city": 1.0, "district": 0.0}
POPULATION_WEIGHT = 1.0
ALTERNATE_NAME_PENALTY = 1.0
CAPITAL_BONUS = 1.0
SAME_COUNTRY_BONUS = 2.5
SAME_REGION_BONUS = 1.0
QUALIFIER_BONUS = 8.0
REGION_WORD_BONUS = 4.0
# A city known by a region's name under an alternate name still takes the bare name ("New York").
NAMED_CITY_MIN_POPULATION = 100_000
# A region that bears a national capital's name loses this much (context can still win it back).
CAPITAL_NAME_PENALTY = 2.0
# Stands for every region when a national capital bears the name.
ANY_REGION: tuple[str | None, str | None] = (None, None)
# Where a document's focus is looked for, most precise first.
FOCUS_LEVELS = (("city", "district"), ("region",), ("country",))
# Support from other names of the document with a candidate nearby (see ``_support``).
SUPPORT_BONUS = 0.5
SUPPORT_MAX = 3
SUPPORT_KM = 150.0
SUPPORT_CELL_DEGREES = 2.0
# An unknown name this close in the text to a named town goes there whatever the focus
# (set by running `sitroom eval geoparsing` on TR-News and GeoVirus with 40, 100 and 250: 40 did best).
ANCHOR_GAP_CHARS = 40
# Candidates far from where the rest of the document is placed lose up to this much.
DISTANCE_PENALTY_MAX = 2.0
DISTANCE_PENALTY_KM = 2000.0

DESCRIPTIVE_PREFIXES = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper", "lower",
    "greater", "inner", "outer", "northeast", "northwest", "southeast", "southwest", "northeastern",
    "northwestern", "southeastern", "southwestern", "downtown", "metro", "rural", "coastal",
})
DESCRIPTIVE_SUFFIXES = frozenset({
    "valley", "delta", "mountains", "mountain", "river", "basin", "area", "coast", "region", "metro",
    "peninsula", "islands", "island", "plateau", "highlands", "lowlands", "mainland", "city",
})
# Levels a place adjective ("Sicilian", "Central American") is formed from.
ADJECTIVE_LEVELS = frozenset({"country", "region", "continent", "feature"})
# A town named inside an organisation's or building's name ("Dubai World Trade Centre") must be
# this large to stand for it; smaller ones are mostly surnames ("Rogers Centre", "Camp Murray").
INNER_CITY_MIN_POPULATION = 100_000
# Words of institutions' and buildings' names that are also names of small towns ("Bank",
# "University", "Summit"): never the place inside such a name.
GENERIC_NAME_WORDS = frozenset({
    "bank", "university", "college", "school", "institute", "academy", "federal", "national", "royal", "state",
    "company", "corporation", "group", "council", "ministry", "department", "embassy", "consulate", "house",
    "office", "centre", "center", "club", "church", "chapel", "hospital", "tower", "hall", "palace", "castle",
    "street", "avenue", "road", "square", "park", "garden", "gardens", "summit", "light", "power", "trust",
    "union", "court", "city", "county", "high", "middle", "elementary", "library", "museum", "airport", "station",
    "market", "village", "lake", "point", "beach", "bridge", "harbour", "harbor", "port", "international", "world",
    "new", "old", "saint", "st", "mount", "fort", "republic", "islamic", "kingdom", "united", "democratic",
    "people", "federation", "theatre", "theater", "restaurant", "farm", "hotel", "mall", "lakes", "camp",
})
# Bodies of a state and schools, whose nationality adjective says where they are ("British
# Embassy", "Russian Foreign Ministry"); other names are after a people ("French Quarter").
STATE_BODY_WORDS = frozenset({
    "embassy", "consulate", "ministry", "government", "parliament", "commission", "bank", "reserve", "army", "navy",
    "police", "agency", "office", "school", "university", "academy", "institute", "council", "court", "congress",
    "party", "military", "forces",
})
# A street, water or settlement named after a place is not in it ("Hampton Avenue", "Pearl
# Harbor", "Hamilton Township", "Tennessee Colony").
NO_INNER_LAST_WORDS = frozenset({
    "street", "avenue", "road", "drive", "lane", "boulevard", "way", "harbor", "harbour", "bay", "canal", "creek",
    "river", "bend", "st", "ave", "rd", "blvd", "township", "park", "colony", "city", "village", "grove",
    "heights", "hills", "springs", "co", "county", "borough", "town", "ward", "district", "parish", "estates",
})
# Last words of the names of buildings.
BUILDING_WORDS = frozenset({
    "house", "tower", "towers", "palace", "hall", "office", "wing", "building", "castle", "hotel", "centre", "center",
    "chapel", "church", "cathedral", "mosque", "temple", "stadium", "arena", "museum", "hospital", "embassy",
})
REGION_WORDS = frozenset({
    "region", "oblast", "province", "governorate", "state", "krai", "kray", "prefecture", "territory",
    "republic", "county", "parish", "district", "voivodeship", "department", "canton",
})


@dataclass
class Mention:
    """A place name to resolve, with what its surroundings say about it."""

    text: str
    start: int
    end: int
    region_word: bool = False  # "the Kursk region", "Donetsk Oblast"
    qualifier: str | None = None  # "Texas" in "Paris, Texas"
    approximate: bool = False  # a name the gazetteer lacks may be placed at the document's focus
    candidates: list[tuple[Place, bool]] = field(default_factory=list)
    inner: bool = False  # the candidates are of a place named inside the name ("Bank of Japan")


@lru_cache(maxsize=65536)
def _places_named(key: str) -> tuple[tuple[Place, bool], ...]:
    return tuple(places_named(connection(), key))


def candidates(text: str, region_word: bool = False) -> list[tuple[Place, bool]]:
    """Gazetteer entries a mention's text may name, each with whether it is the entry's own name."""
    key = name_key(text)
    if text.endswith("."):  # "La.", "Calif.", "N.C.": an AP state abbreviation, not "LA" or New Caledonia
        states = list(_places_named(key + " (state)"))
        if states:
            return states
    abbreviation = abbreviation_key(text)
    if abbreviation:
        found = list(_places_named(abbreviation))
        if found:
            return found
    found = list(_places_named(key))
    words = key.split()
    if not found and len(words) >= 2:
        # "Northern Europe", "Salinas Valley", "Ural Mountains": the name inside a description.
        core = words[:]
        while len(core) > 1 and core[0] in DESCRIPTIVE_PREFIXES:
            core = core[1:]
        while len(core) > 1 and core[-1] in DESCRIPTIVE_SUFFIXES:
            core = core[:-1]
        if core != words:  # a town must be large to be named so: "Salinas Valley", not "West Wing"
            found = [(p, False) for p, _ in _places_named(" ".join(core))
                     if p.level != "city" or p.population >= NAMED_CITY_MIN_POPULATION]
    if len(words) >= 2 and words[-1] in BUILDING_WORDS:
        # "White House", "Trump Tower": a building, not a small town of that name (White House,
        # Tennessee) nor a translated alternate name (Casablanca).
        found = [(p, m) for p, m in found if p.level != "city" or (m and p.population >= NAMED_CITY_MIN_POPULATION)]
    if region_word or (len(words) >= 2 and words[-1] in REGION_WORDS):
        # "Kursk region": the region itself, or the admin-1 region whose seat is named so.
        base = " ".join(words[:-1]) if words and words[-1] in REGION_WORDS else key
        regions = [(p, m) for p, m in _places_named(base) + _places_named(base + " (seat)")
                   if p.level in ("region", "district")]
        if regions:
            return regions + [c for c in found if c[0].level in ("region", "district")]
    # A country alias the entities gazetteer knows ("America") or a nationality word
    # ("Turkish") names the country too.
    from sitroom.nlp.gazetteer import country_code, country_of_demonym

    if any(main and p.level in ("country", "region") for p, main in found):
        return found  # "England" is the region, whatever else it may stand for
    code = country_code(text) or country_of_demonym(text)
    known = {p.id for p, _ in found}
    if code:
        found += [(p, True) for p in country_places(code) if p.id not in known]
    elif key[:1].isalpha() and text[:1].isupper():
        # "Sicilian", "Kurdish", "Central American": the adjective of a region, not a town.
        found += [(p, True) for p in adjective_places(key) if p.id not in known]
    return found


def _adjective_stems(word: str) -> list[str]:
    """Names an English adjective of place may be formed from ("sicilian" -> "sicily").

    Regular English derivations only; which of them names a place is the index's to say.
    """
    out = [word + "s", word + "ia", word + "istan"]  # Philippine(s), Serb(ia), Kurd(istan)
    if word.endswith("ian"):
        out += [word[:-3] + end for end in ("y", "ia", "a", "i", "")] + [word[:-1]]
    elif word.endswith("an"):
        out += [word[:-1], word[:-2] + "o", word[:-2], word[:-1] + "s"]  # America, Mexico, Ohio, Texas
    elif word.endswith("ese"):
        out += [word[:-3] + end for end in ("", "a", "o")]
    elif word.endswith("ish"):
        stem = word[:-3]
        out += [stem + end for end in ("land", "and", "istan", "ey", "eland")]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            out.append(stem[:-1] + "land")  # Scottish, Finnish
    elif word.endswith("i"):
        out.append(word[:-1])  # Iraqi, Pakistani
    return out


def adjective_places(key: str) -> list[Place]:
    """Countries, regions and continents a place adjective is formed from ("central american")."""
    words = key.split()
    if not words or len(words[-1]) < 4:
        return []
    head = " ".join(words[:-1])
    out: list[Place] = []
    for stem in _adjective_stems(words[-1]):
        name = f"{head} {stem}" if head else stem
        out += [p for p, main in _places_named(name) if main and p.level in ADJECTIVE_LEVELS and p not in out]
    return out


def _is_adjective(text: str) -> bool:
    """A nationality or place adjective ("French", "Sicilian"): no place has it as a name."""
    abbreviation = abbreviation_key(text)
    return not _places_named(name_key(text)) and not (abbreviation and _places_named(abbreviation))


def inner_candidates(text: str) -> list[tuple[Place, bool]]:
    """The places named inside a longer name the gazetteer lacks (the document picks among them).

    "Bank of Japan", "Colorado State University", "Dubai World Trade Centre": an organisation
    or building named after a place is most likely in it. Longer names inside win over the
    words they contain ("New York" over "York"). Direction, description and institution words
    ("Western Trust", "Bank", "University") name nothing, and a nationality adjective counts only
    in the name of a state body or school ("British Embassy", not "French Quarter").
    """
    words = text.replace(",", " ").split()
    if not words or name_key(words[-1]) in NO_INNER_LAST_WORDS:
        return []
    taken: set[int] = set()
    found: list[tuple[Place, bool]] = []
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            part = words[start:start + size]
            if taken.intersection(span) or not part[0][:1].isupper() or not part[-1][:1].isupper():
                continue
            if all(name_key(w) in DESCRIPTIVE_PREFIXES or name_key(w) in DESCRIPTIVE_SUFFIXES
                   or name_key(w) in GENERIC_NAME_WORDS for w in part):
                continue
            if _is_adjective(" ".join(part)) and not any(name_key(w) in STATE_BODY_WORDS for w in words):
                continue  # "French Quarter", "Indian Orchard": named after a people, not in its country
            places = [(p, False) for p, main in candidates(" ".join(part))
                      if p.level != "city" or (main and p.population >= INNER_CITY_MIN_POPULATION)]
            if places:
                taken.update(span)
                found += [c for c in places if c not in found]
    return found


def country_places(code: str) -> list[Place]:
    """The country entry of an ISO 3166 alpha-2 code (empty when the index has none)."""
    return list(_country_places(code))


@lru_cache(maxsize=512)
def _country_places(code: str) -> tuple[Place, ...]:
    return tuple(p for p in places_of_country(connection(), code) if p.level == "country")


def qualifier_places(text: str) -> list[Place]:
    """Regions and countries a qualifier ("Texas", "La.", "Russia") may name."""
    out = [p for p, _ in _places_named(name_key(text) + " (state)")]
    out += [p for p, _ in candidates(text) if p.level in ("region", "country")]
    return out


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class _Context:
    countries: Counter
    regions: Counter
    points: list[tuple[float, float]]


def _context(picks: list[Place | None], skip: int) -> _Context:
    countries: Counter = Counter()
    regions: Counter = Counter()
    points = []
    for index, place in enumerate(picks):
        if place is None or index == skip:
            continue
        if place.country_code:
            countries[place.country_code] += 1
        if place.admin1 and place.level != "country":
            regions[(place.country_code, place.admin1)] += 1
        if place.level in ("city", "district", "region"):
            points.append((place.lat, place.lon))
    return _Context(countries, regions, list(set(points)))


def _score(place: Place, main: bool, mention: Mention, qualifiers: list[Place], context: _Context | None,
           named_city_regions: set[tuple[str | None, str | None]]) -> float:
    score = POPULATION_WEIGHT * math.log10(place.population + 10) + LEVEL_PRIOR.get(place.level, 0.0)
    if not main:
        score -= ALTERNATE_NAME_PENALTY
    if place.capital:
        score += CAPITAL_BONUS
    if mention.region_word and place.level in ("region", "district"):
        score += REGION_WORD_BONUS
    elif place.level == "region" and (place.country_code, place.admin1) in named_city_regions:
        # A bare "Kursk" or "New York" is the city the region is named after.
        score -= REGION_WORD_BONUS
    elif place.level == "region" and ANY_REGION in named_city_regions:
        # A bare "Washington" is the national capital unless the document is about the state.
        score -= CAPITAL_NAME_PENALTY
    if qualifiers and any(_inside(place, q) for q in qualifiers):
        score += QUALIFIER_BONUS
    if context is not None:
        if place.country_code and context.countries.get(place.country_code):
            score += SAME_COUNTRY_BONUS * min(1.0, 0.5 + 0.25 * context.countries[place.country_code])
        if place.level != "country" and context.regions.get((place.country_code, place.admin1)):
            score += SAME_REGION_BONUS
        if context.points and place.level in ("city", "district"):
            nearest = min(distance_km(place.lat, place.lon, lat, lon) for lat, lon in context.points)
            score -= DISTANCE_PENALTY_MAX * min(1.0, nearest / DISTANCE_PENALTY_KM)
    return score


def _inside(place: Place, container: Place) -> bool:
    if container.level == "country":
        return place.country_code == container.country_code and place.level != "country"
    if container.level == "region":
        return (place.country_code, place.admin1) == (container.country_code, container.admin1) and place is not container
    return False


def _support(mentions: list[Mention]) -> list[dict[int, int]]:
    """For each mention, how many *other* names of the document could sit near each candidate.

    Two ambiguous small-town names that both have a candidate in the same county support each
    other ("Alexandria" and "Pineville" in Louisiana), whichever the population prior favours.
    Near means within ``SUPPORT_KM`` for towns, the same admin-1 region for regions.
    """
    keys = [name_key(m.text) for m in mentions]
    cells: dict[tuple[int, int], list[tuple[str, Place]]] = {}
    regions: dict[tuple[str | None, str | None], set[str]] = {}
    for key, mention in zip(keys, mentions):
        for place, _ in mention.candidates:
            if place.level in ("city", "district"):
                cell = (int(place.lat // SUPPORT_CELL_DEGREES), int(place.lon // SUPPORT_CELL_DEGREES))
                cells.setdefault(cell, []).append((key, place))
            if place.level in ("city", "district", "region") and place.admin1:
                regions.setdefault((place.country_code, place.admin1), set()).add(key)
    support = []
    for key, mention in zip(keys, mentions):
        counts: dict[int, int] = {}
        for place, _ in mention.candidates:
            near: set[str] = set()
            if place.level in ("city", "district"):
                row, column = int(place.lat // SUPPORT_CELL_DEGREES), int(place.lon // SUPPORT_CELL_DEGREES)
                for dr in (-1, 0, 1):
                    for dc in (-1, 0, 1):
                        for other_key, other in cells.get((row + dr, column + dc), ()):
                            if other_key != key and other_key not in near and distance_km(
                                    place.lat, place.lon, other.lat, other.lon) <= SUPPORT_KM:
                                near.add(other_key)
            if place.level in ("city", "district", "region") and place.admin1:
                near |= regions.get((place.country_code, place.admin1), set()) - {key}
            counts[place.id] = len(near)
        support.append(counts)
    return support


def resolve(mentions: list[Mention]) -> list[Place | None]:
    """The best gazetteer entry for every mention of one document (None where no name matches)."""
    for mention in mentions:
        if not mention.candidates:
            mention.candidates = candidates(mention.text, mention.region_word)
        if not mention.candidates and mention.approximate:
            mention.candidates = inner_candidates(mention.text)
            mention.inner = bool(mention.candidates)
    qualifiers = [qualifier_places(m.qualifier) if m.qualifier else [] for m in mentions]
    named_city_regions = [
        {(p.country_code, p.admin1) for p, main in m.candidates
         if p.level == "city" and (main or p.population >= NAMED_CITY_MIN_POPULATION)}
        | ({ANY_REGION} if any(p.level == "city" and p.capital and main for p, main in m.candidates) else set())
        for m in mentions
    ]
    support = _support(mentions)

    def score(index: int, place: Place, main: bool, context: _Context | None) -> float:
        value = _score(place, main, mentions[index], qualifiers[index], context, named_city_regions[index])
        return value + SUPPORT_BONUS * min(support[index].get(place.id, 0), SUPPORT_MAX)

    # One sense per discourse: every mention of a name in a document names the same place, so
    # "LONDON, Ky." settles the bare "London" three paragraphs down.
    groups: dict[tuple[str, bool], list[int]] = {}
    for index, mention in enumerate(mentions):
        groups.setdefault((name_key(mention.text), mention.region_word), []).append(index)

    def best_for_group(indices: list[int], picks: list[Place | None] | None) -> Place | None:
        options = mentions[indices[0]].candidates
        if not options:
            return None
        contexts = {i: _context(picks, i) if picks is not None else None for i in indices}
        return max(options, key=lambda c: sum(score(i, c[0], c[1], contexts[i]) for i in indices))[0]

    def resolve_all(picks: list[Place | None] | None) -> list[Place | None]:
        out: list[Place | None] = [None] * len(mentions)
        for indices in groups.values():
            pick = best_for_group(indices, picks)
            for i in indices:
                out[i] = pick
        return out

    def named(picks: list[Place | None]) -> list[Place | None]:
        """The picks of names that are places themselves: those found inside a name are no context."""
        return [None if m.inner else pick for m, pick in zip(mentions, picks)]

    picks = resolve_all(None)
    for _ in range(2):
        picks = resolve_all(named(picks))
    inner = picks
    picks = named(picks)
    # A large town named inside a name ("New Orleans" in "New Orleans Railways") may be the focus.
    focus = document_focus(picks + [p if m.inner and p is not None and p.level == "city" else None
                                    for m, p in zip(mentions, inner)])
    if focus is not None:
        picks = [_approximate(m, _anchor(mentions, picks, i, focus)) if pick is None and m.approximate and not m.inner
                 else pick for i, (m, pick) in enumerate(zip(mentions, picks))]
    return [_approximate(m, inner[i]) if m.inner and inner[i] is not None else pick
            for i, (m, pick) in enumerate(zip(mentions, picks))]


def _anchor(mentions: list[Mention], picks: list[Place | None], index: int, focus: Place) -> Place:
    """Where an unknown name of mention ``index`` goes: the town or region named closest to it
    in the text when that is close by (same clause) or near the document's focus, else the focus.

    Nearest-in-text alone placed unknown names well on TR-News and GeoVirus, but one wrong or
    far-off town named nearby ("Franklin" in a New Orleans story) took every street with it.
    """
    here = mentions[index].start
    best = None
    for mention, pick in zip(mentions, picks):
        if pick is not None and pick.level in ("city", "district", "region"):
            gap = abs(mention.start - here)
            if best is None or gap < best[0]:
                best = (gap, pick)
    if best is None:
        return focus
    gap, nearest = best
    if gap <= ANCHOR_GAP_CHARS or distance_km(nearest.lat, nearest.lon, focus.lat, focus.lon) <= SUPPORT_KM:
        return nearest
    return focus


def document_focus(picks: list[Place | None]) -> Place | None:
    """The document's dominant, most specific place: where its unknown names most likely are.

    A town (else a region, else a country); among towns, first one inside a region the
    document names ("Louisiana"), then one in its most named country, then the most named,
    then the largest.
    """
    regions = {(p.country_code, p.admin1) for p in picks if p is not None and p.level == "region"}
    countries = Counter(p.country_code for p in picks if p is not None and p.country_code)
    for levels in FOCUS_LEVELS:
        counts = Counter(p for p in picks if p is not None and p.level in levels)
        if counts:
            return max(counts, key=lambda p: ((p.country_code, p.admin1) in regions and p.level != "region",
                                              countries[p.country_code], counts[p], p.population))
    return None


def _approximate(mention: Mention, focus: Place) -> Place:
    """A street, building or village the gazetteer lacks, placed at the document's focus."""
    return Place(id=-1, name=mention.text, level="approximate", country_code=focus.country_code, admin1=focus.admin1,
                 lat=focus.lat, lon=focus.lon, population=0, geonameid=None, capital=False)
