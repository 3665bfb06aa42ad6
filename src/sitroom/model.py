"""The extraction contract of DESIGN.md as dataclasses: one vocabulary for every layer.

Fields may be added, never renamed. ``to_dict`` gives the JSON form of the contract;
``from_dict`` reads it back (the store keeps records in this form).
Offsets are Python string indices into ``Document.text``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

ClaimKind = Literal["direct", "indirect", "mixed"]
Bound = Literal["exact", "approx", "at_least", "at_most", "more_than", "less_than", "range"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
Modality = Literal["asserted", "future", "hypothetical", "negated"]
# What happened to what a figure counts (Quantity.happened): a small closed set of frames.
HAPPENED = ("present", "killed", "wounded", "casualties", "captured", "missing", "displaced", "destroyed",
            "delivered", "other")
SCOPES = ("point", "cumulative", "rate")


@dataclass
class Span:
    """A stretch of document text."""

    text: str
    start: int
    end: int


@dataclass
class Document:
    """One report. ``text`` is what every offset points into; ``published`` is YYYY-MM-DD.

    ``source`` is the outlet that published it (metadata, else the URL's registered domain);
    ``origin`` the news agency the text credits as the report's origin ("(Reuters) -"), if any.
    """

    id: str
    text: str = ""
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    origin: str | None = None

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        if not with_text:
            data.pop("text")
        return data


@dataclass
class Entity:
    """A person, organization, place or group, with every mention of it in one document.

    ``roles`` keeps titles apart from the name ("Defense Secretary" for Lloyd Austin);
    ``country_code`` is the ISO 3166 alpha-2 code of a country (GPE) or of the country a
    nationality (NORP) belongs to.
    """

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    country_code: str | None = None


@dataclass
class Speaker:
    """Who a claim is attributed to: canonical ``name`` and the text that names them.

    ``kind`` is "named" (a person or body, ``name`` its canonical name), "anonymous" (unnamed
    sources: ``name`` is ``anonymous:<affiliation>:<role>``, e.g. ``anonymous:US:official``,
    ``affiliation`` the ISO country code or the body given) or "unresolved" (a pronoun or
    phrase the document does not resolve: ``name`` is None, ``text`` keeps what was written).
    """

    name: str | None
    entity_id: str | None
    text: str
    start: int
    end: int
    kind: str = "named"
    affiliation: str | None = None


@dataclass
class Claim:
    """An attributed statement: who (speaker) said (cue) what (content).

    ``stance`` is an ICD 203 probability word ("likely", "almost certainly", ...) and
    ``hedge`` the text it was read from. ``said_on`` is a TIMEX3 value and
    ``said_on_basis`` says where it came from ("cue" time expression or "published").
    ``via`` is the id of the claim this one is reported through.
    """

    id: str
    speaker: Speaker
    cue: Span
    content: Span
    kind: ClaimKind = "indirect"
    stance: str | None = None
    said_on: str | None = None
    via: str | None = None
    hedge: str | None = None
    said_on_basis: str | None = None


@dataclass
class Quantity:
    """A figure: value (or low..high for ranges), unit, what it counts and how it is bounded.

    ``change`` is "up", "down" or None for "rose by 5%" / "fell to". A figure of a counted thing
    has its frame (``nlp/frames.py``): ``owner`` (whose thing, with ``owner_id`` its entity),
    ``happened`` (present, killed, wounded, casualties, captured, missing, displaced, destroyed,
    delivered, other), ``scope`` (point, cumulative, rate), ``kind`` (count or plan, with the
    ``target`` time a plan aims at), ``refers_to`` (the time it is about; ``refers_basis``
    "sentence" or "report"), ``part_of`` (the ``id`` of the figure it is a part of) and
    ``place`` (where the counted thing is). ``junk`` marks a number that counts nothing to track
    (an age, "one of the largest armies", a table cell).
    """

    text: str
    start: int
    end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    counts: str | None = None
    bound: Bound = "exact"
    entity_id: str | None = None
    change: str | None = None
    counts_text: str | None = None
    id: str | None = None
    owner: str | None = None
    owner_id: str | None = None
    happened: str | None = None
    scope: str | None = None
    kind: str | None = None
    target: str | None = None
    refers_to: str | None = None
    refers_basis: str | None = None
    part_of: str | None = None
    place: str | None = None
    junk: bool = False


@dataclass
class TimeExpr:
    """A TIMEX3 time expression. ``value`` like 2024-10-23, 2024-W42, P2Y, XXXX-10.

    For intervals ("early to mid-October", "since August 2023"), ``interval_start`` and
    ``interval_end`` give the TIMEX3 values of the bounds it covers (either may be None).
    """

    text: str
    start: int
    end: int
    type: TimeType
    value: str
    mod: str | None = None
    interval_start: str | None = None
    interval_end: str | None = None


@dataclass
class Place:
    """A place mention resolved to a gazetteer entry.

    ``level`` is country, region, city or feature; ``entity_id`` links the place's entity;
    ``metonymy`` marks a capital standing for its government ("Pyongyang may face ...").
    """

    text: str
    start: int
    end: int
    name: str
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    level: str | None = None
    entity_id: str | None = None
    metonymy: bool = False


@dataclass
class Actor:
    """An event participant, resolved to an entity where possible."""

    name: str
    entity_id: str | None = None
    country_code: str | None = None


@dataclass
class Event:
    """A PLOVER event with its participants and evidence.

    ``location``, ``time`` and ``quantity`` hold the text or value of the place, time
    expression and figure tied to the event (see the places/times/quantities lists for
    the full records). ``trigger`` is the word the event was coded on ("deployed").
    ``background`` marks history told as context (a date years before the report, or a
    past-perfect narrative): such an event is dated by its own time expression, never by
    the report's date.
    """

    id: str
    type: str
    text: str
    start: int
    end: int
    mode: str | None = None
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    location: str | None = None
    time: str | None = None
    quantity: str | None = None
    modality: Modality = "asserted"
    claim_id: str | None = None
    trigger: Span | None = None
    background: bool = False


@dataclass
class Extraction:
    """Everything extracted from one document: the contract's top-level object.

    The six contract lists are fields; records of kinds registered by plugins
    (``sitroom.kinds``) live in ``extra`` under their kind's name. ``records(name)`` reads
    either.
    """

    document: Document
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None  # set when extraction failed: such a result is reported, never stored
    extra: dict[str, list[Any]] = field(default_factory=dict)

    def records(self, kind: str) -> list[Any]:
        """The records of one kind (a contract list or a plugin's)."""
        if kind in CONTRACT_LISTS:
            return getattr(self, kind)
        return self.extra.get(kind, [])

    def set_records(self, kind: str, records: list[Any]) -> None:
        if kind in CONTRACT_LISTS:
            setattr(self, kind, records)
        else:
            self.extra[kind] = records

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        """The contract JSON object for this document (its text only when asked for), with
        every registered kind's list."""
        from sitroom.kinds import names

        data = {name: [dataclasses.asdict(item) for item in self.records(name)] for name in names()}
        return {"document": self.document.to_dict(with_text=with_text), **data}


# The contract's list fields of Extraction (DESIGN.md), in contract order.
CONTRACT_LISTS = ("entities", "claims", "quantities", "times", "places", "events")

Record = TypeVar("Record")

# Record fields that hold other records, per record type (filled by sitroom.kinds.register).
_NESTED: dict[type, dict[str, type]] = {}


def register_nested(cls: type, nested: dict[str, type]) -> None:
    """Say which fields of ``cls`` hold records of other types, for ``from_dict``."""
    _NESTED[cls] = dict(nested)


def from_dict(cls: type[Record], data: dict[str, Any]) -> Record:
    """Rebuild a record (with its nested records) from its ``to_dict``/JSON form.

    Unknown keys are ignored so that older code can read rows written by newer code.
    """
    import sitroom.kinds.builtin  # noqa: F401 - registers the contract's nested fields
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values = {k: v for k, v in data.items() if k in names}
    for name, nested in _NESTED.get(cls, {}).items():
        if name not in values or values[name] is None:
            continue
        item = values[name]
        values[name] = [from_dict(nested, x) for x in item] if isinstance(item, list) else from_dict(nested, item)
    return cls(**values)
