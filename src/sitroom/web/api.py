"""The REST API under /api: each route is one call of the read API (``sitroom.picture``),
with the same filter names, so the answers equal those of the CLI and the Python API."""

from __future__ import annotations

from typing import Any, Generic, Optional, TypeVar

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from fastapi.responses import StreamingResponse

from sitroom import export as exports
from sitroom.picture import Picture
from sitroom.picture.api import MAX_OFFSET, BadRequest
from sitroom.store.search import SearchRejected

router = APIRouter(prefix="/api")

MAX_LIMIT = 500
Limit = Query(50, ge=1, le=MAX_LIMIT, description="Items per page.")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="Items to skip.")
_DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
Since = Query(None, pattern=_DATE, description="On or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
Until = Query(None, pattern=_DATE, description="On or before this date (YYYY, YYYY-MM or YYYY-MM-DD).")
Entity = Query(None, description="An entity key or name (\"North Korea\", \"gpe-kp\").")
Source = Query(None, description="The outlet, as in the documents' source.")


def picture_of(request: Request) -> Picture:
    return request.app.state.picture


# -- response models: the page envelope and its items, as OpenAPI documents them ------------------
# Items allow fields beyond those named (a plugin kind or a newer field passes through), and
# routes answer with exclude_unset, so the JSON is exactly what the read API returns.


class Item(BaseModel):
    model_config = ConfigDict(extra="allow")


class Evidence(Item):
    """Where an item was found: document, outlet, date, character offsets and the sentence."""

    document_id: Optional[str] = None
    document_title: Optional[str] = None
    source: Optional[str] = None
    published: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    sentence: Optional[str] = None


class DocumentItem(Item):
    id: str
    title: Optional[str] = None
    source: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    language: Optional[str] = None
    chars: Optional[int] = None
    near_duplicate_of: Optional[str] = None


class SearchHit(Item):
    id: str
    title: Optional[str] = None
    source: Optional[str] = None
    published: Optional[str] = None
    snippet: Optional[str] = None
    highlights: list[list[int]] = Field(default_factory=list, description="[start, end] of matched words in the snippet")


class EntityItem(Item):
    key: str
    name: str
    type: Optional[str] = None
    aliases: list[str] = Field(default_factory=list)
    documents: Optional[int] = None
    mentions: Optional[int] = None
    country_code: Optional[str] = None
    merges: list[dict[str, Any]] = Field(default_factory=list)


class ClaimItem(Item):
    document_id: Optional[str] = None
    id: Optional[str] = None
    speaker: Optional[str] = None
    speaker_key: Optional[str] = None
    speaker_kind: Optional[str] = None
    speaker_text: Optional[str] = None
    cue: Optional[str] = None
    content: Optional[str] = None
    kind: Optional[str] = None
    stance: Optional[str] = None
    said_on: Optional[str] = None
    via: Optional[str] = None
    evidence: Optional[Evidence] = None


class ClaimClusterItem(Item):
    id: Optional[str] = None
    speaker: Optional[str] = None
    speaker_key: Optional[str] = None
    content: Optional[str] = None
    kind: Optional[str] = None
    appearances: list[ClaimItem] = Field(default_factory=list)
    documents: Optional[int] = None
    independent_sources: Optional[int] = None
    first_said: Optional[str] = None


class SpeakerItem(Item):
    key: str
    name: Optional[str] = None
    kind: Optional[str] = None
    claims: Optional[int] = None
    documents: Optional[int] = None


class FigurePoint(Item):
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    bound: Optional[str] = None
    unit: Optional[str] = None
    text: Optional[str] = None
    kind: Optional[str] = None
    source: Optional[str] = None
    date: Optional[str] = None
    refers_to: Optional[str] = None
    conflict: Optional[bool] = None
    evidence: Optional[Evidence] = None


class FigureTrackItem(Item):
    key: str
    entity_key: Optional[str] = None
    entity: Optional[str] = None
    counts: Optional[str] = None
    label: Optional[str] = None
    happened: Optional[str] = None
    scope: Optional[str] = None
    points: list[FigurePoint] = Field(default_factory=list)
    conflict: Optional[bool] = None


DATE_BASIS = ("How the date was found: \"event\", the event's own time expression; \"published\", "
              "the text gives none, so it is the date of the report that tells it (\"reported on\"); "
              "null, undated.")
BACKGROUND = "History told as context (dated by its own time expression, never by the report)."


class EventItem(Item):
    id: Optional[str] = None
    type: Optional[str] = None
    text: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    mode: Optional[str] = None
    actors: list[dict[str, Any]] = Field(default_factory=list)
    recipients: list[dict[str, Any]] = Field(default_factory=list)
    location: Optional[str] = None
    time: Optional[str] = None
    modality: Optional[str] = None
    document_id: Optional[str] = None
    date: Optional[str] = None
    date_basis: Optional[str] = Field(None, description=DATE_BASIS)
    background: Optional[bool] = Field(None, description=BACKGROUND)
    evidence: Optional[Evidence] = None
    timeline_key: Optional[str] = None


class TimelineItem(Item):
    key: str
    type: Optional[str] = None
    mode: Optional[str] = None
    modality: Optional[str] = None
    date: Optional[str] = None
    date_basis: Optional[str] = Field(None, description=DATE_BASIS)
    background: Optional[bool] = Field(None, description=BACKGROUND)
    actors: list[str] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
    location: Optional[str] = None
    summary: Optional[str] = None
    reports: list[EventItem] = Field(default_factory=list)
    documents: Optional[int] = None
    independent_sources: Optional[int] = None


class PlaceItem(Item):
    name: str
    country_code: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    geonameid: Optional[int] = None
    mentions: Optional[int] = None
    documents: Optional[int] = None
    document_id: Optional[str] = None
    evidence: Optional[Evidence] = None


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: how many match in all, the page asked for, and its items."""

    total: int
    limit: int
    offset: int
    items: list[ItemT]


@router.get("/documents", tags=["documents"], response_model=Page[DocumentItem], response_model_exclude_unset=True)
def documents(request: Request, limit: int = Limit, offset: int = Offset, source: Optional[str] = Source,
              since: Optional[str] = Since, until: Optional[str] = Until, q: Optional[str] = None,
              entity: Optional[str] = Entity) -> dict[str, Any]:
    """Documents, newest first; filter by outlet, date range, title text or entity."""
    return picture_of(request).documents(limit=limit, offset=offset, source=source, since=since, until=until, q=q,
                                         entity=entity)


@router.get("/documents/{document_id}", tags=["documents"])
def document(request: Request, document_id: str) -> dict[str, Any]:
    """One document with its text and every record extracted from it (the extraction contract)."""
    return picture_of(request).document(document_id)


@router.get("/search", tags=["documents"], response_model=Page[SearchHit], response_model_exclude_unset=True)
def search(request: Request, q: str = Query(..., min_length=1), limit: int = Query(20, ge=1, le=100),
           offset: int = Offset) -> dict[str, Any]:
    """Full-text search over document titles and text; a nationality word also finds its country
    ("North Korean" finds "North Korea"). A query is at most 1000 characters and 32 different words."""
    try:
        return picture_of(request).search(q, limit=limit, offset=offset)
    except SearchRejected as error:
        raise BadRequest(str(error)) from error


@router.get("/status", tags=["documents"])
def status(request: Request) -> dict[str, Any]:
    """Counts of documents and records, and the last ingest runs."""
    found = picture_of(request).status(last_runs=3)
    found.pop("url", None)
    return found


@router.get("/entities", tags=["entities"], response_model=Page[EntityItem], response_model_exclude_unset=True)
def entities(request: Request, limit: int = Limit, offset: int = Offset, type: Optional[str] = None,
             q: Optional[str] = None) -> dict[str, Any]:
    """Entities resolved across documents (aliases and spellings joined, corrections applied)."""
    return picture_of(request).entities(limit=limit, offset=offset, type=type, q=q)


@router.get("/entities/{key}", tags=["entities"])
def entity(request: Request, key: str) -> dict[str, Any]:
    """One entity: what it said, what was said about it, its events, figures and documents."""
    return picture_of(request).entity(key)


@router.get("/claims", tags=["claims"], response_model=Page[ClaimItem], response_model_exclude_unset=True)
def claims(request: Request, limit: int = Limit, offset: int = Offset,
           speaker: Optional[str] = Query(None, description="A speaker key, or words of a speaker's name."),
           entity: Optional[str] = Entity, source: Optional[str] = Source, since: Optional[str] = Since,
           until: Optional[str] = Until, q: Optional[str] = None) -> dict[str, Any]:
    """Attributed statements with speaker, cue, content and evidence."""
    return picture_of(request).claims(limit=limit, offset=offset, speaker=speaker, entity=entity, source=source,
                                      since=since, until=until, q=q)


@router.get("/claims/clusters", tags=["claims"], response_model=Page[ClaimClusterItem], response_model_exclude_unset=True)
def claim_clusters(request: Request, limit: int = Limit, offset: int = Offset, speaker: Optional[str] = None,
                   entity: Optional[str] = Entity, source: Optional[str] = Source, since: Optional[str] = Since,
                   until: Optional[str] = Until, q: Optional[str] = None) -> dict[str, Any]:
    """The same speaker saying the same thing across reports, with independent-source counts."""
    return picture_of(request).claim_clusters(limit=limit, offset=offset, speaker=speaker, entity=entity,
                                              source=source, since=since, until=until, q=q)


@router.get("/speakers", tags=["claims"], response_model=Page[SpeakerItem], response_model_exclude_unset=True)
def speakers(request: Request, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    """Speakers resolved across documents, most claims first."""
    return picture_of(request).speakers(limit=limit, offset=offset)


@router.get("/figures", tags=["figures"], response_model=Page[FigureTrackItem], response_model_exclude_unset=True)
def figures(request: Request, limit: int = Limit, offset: int = Offset, entity: Optional[str] = Entity,
            counts: Optional[str] = Query(None, description="The counted thing, e.g. soldiers."),
            happened: Optional[str] = Query(None, description="present, killed, wounded, casualties, captured, "
                                                              "missing, displaced, destroyed, delivered or other."),
            since: Optional[str] = Since, until: Optional[str] = Until, conflicts: bool = False) -> dict[str, Any]:
    """Figure tracks: values per source and reference time with bounds, kind (count or plan),
    the spread of the latest estimates and the conflicts."""
    return picture_of(request).figure_tracks(limit=limit, offset=offset, entity=entity, counts=counts,
                                             happened=happened, since=since, until=until, conflicts=conflicts)


@router.get("/events", tags=["events"], response_model=Page[EventItem], response_model_exclude_unset=True)
def events(request: Request, limit: int = Limit, offset: int = Offset, type: Optional[str] = None,
           entity: Optional[str] = Entity, source: Optional[str] = Source, since: Optional[str] = Since,
           until: Optional[str] = Until, q: Optional[str] = None) -> dict[str, Any]:
    """Events one per report, in time order."""
    return picture_of(request).events(limit=limit, offset=offset, type=type, entity=entity, source=source,
                                      since=since, until=until, q=q)


@router.get("/timeline", tags=["events"], response_model=Page[TimelineItem], response_model_exclude_unset=True)
def timeline(request: Request, limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Offset,
             type: Optional[str] = None, entity: Optional[str] = Entity, source: Optional[str] = Source,
             since: Optional[str] = Since, until: Optional[str] = Until, q: Optional[str] = None) -> dict[str, Any]:
    """Events merged across reports, oldest first."""
    return picture_of(request).timeline(limit=limit, offset=offset, type=type, entity=entity, source=source,
                                        since=since, until=until, q=q)


@router.get("/places", tags=["places"], response_model=Page[PlaceItem], response_model_exclude_unset=True)
def places(request: Request, limit: int = Query(200, ge=1, le=MAX_LIMIT), offset: int = Offset,
           country: Optional[str] = None, q: Optional[str] = None, entity: Optional[str] = Entity,
           source: Optional[str] = Source, since: Optional[str] = Since, until: Optional[str] = Until) -> dict[str, Any]:
    """Places with coordinates, mentions and documents."""
    return picture_of(request).places(limit=limit, offset=offset, country=country, q=q, entity=entity,
                                      source=source, since=since, until=until)


@router.get("/export/{format}", tags=["exports"])
def export(request: Request, format: str) -> StreamingResponse:
    """The picture in an export format (see /api/exports), filtered by the query parameters of
    the list it exports (``/api/export/geojson?country=UA`` takes the filters of /api/places)."""
    import tempfile

    fmt = exports.get(format)
    filters: dict[str, Any] = dict(request.query_params)
    if "conflicts" in filters:
        filters["conflicts"] = filters["conflicts"].lower() in ("1", "true", "yes", "on")
    spool = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    picture_of(request).export(fmt.name, spool, **filters)
    spool.seek(0)

    def chunks() -> Any:
        try:
            while chunk := spool.read(1 << 16):
                yield chunk
        finally:
            spool.close()

    return StreamingResponse(chunks(), media_type=fmt.media_type,
                             headers={"Content-Disposition": f'attachment; filename="sitroom{fmt.suffix}"'})


@router.get("/exports", tags=["exports"])
def export_formats() -> list[dict[str, Any]]:
    """The export formats, with the list each exports and the filters it takes."""
    return [{"name": f.name, "media_type": f.media_type, "suffix": f.suffix, "list": f.list,
             "filters": exports.filter_names(f), "description": f.description} for f in exports.formats()]
