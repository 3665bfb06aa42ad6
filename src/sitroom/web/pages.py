"""The HTML pages: each renders answers of the read API (``sitroom.picture``) with a Jinja2
template. Autoescaping is on for every template, so article text never becomes markup; charts
and the map are SVG drawn on the server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote
from typing import Any, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from sitroom import kinds
from sitroom.model import HAPPENED
from sitroom.kinds.builtin import speaker_colours, speaker_label
from sitroom.picture.claims import speaker_key
from sitroom.picture import Picture
from sitroom.web import charts
from sitroom.web.api import MAX_LIMIT, Offset, Since, Until
from sitroom.web.reader import render_text

router = APIRouter(include_in_schema=False)
TEMPLATES = Jinja2Templates(env=Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                                            autoescape=True))
PAGE_SIZE = 50


def picture_of(request: Request) -> Picture:
    return request.app.state.picture


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"page": name.split(".")[0], **context},
                                      status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message)


def _with_charts(tracks: list[dict[str, Any]], width: int = 640, height: int = 260) -> list[tuple]:
    return [(t, charts.track_chart(t, width, height), charts.source_colours(t)) for t in tracks]


def _speaker_link(key: str | None) -> str | None:
    """Where a speaker's name leads: its entity page, or the claims of a speaker no entity is."""
    if key is None or key == "speaker-unresolved":
        return None
    if key.startswith(("speaker-", "anonymous-")):
        return f"/claims?speaker={quote(key)}"
    return f"/entities/{quote(key)}"


def _blank_to_none(**values: Optional[str]) -> dict[str, Optional[str]]:
    """Empty form fields mean "any"."""
    return {key: value or None for key, value in values.items()}


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    picture = picture_of(request)
    tracks = picture.figure_tracks(limit=4)
    speakers = picture.speakers(limit=200)["items"]
    return render(request, "overview.html", documents=picture.documents(limit=10),
                  speakers=[s for s in speakers if s["kind"] == "named"][:10],
                  anonymous=[s for s in speakers if s["kind"] == "anonymous"][:5],
                  tracks=_with_charts(tracks["items"], 480, 220),
                  track_count=tracks["total"], timeline=_latest_events(picture),
                  status=picture.status(last_runs=0)["counts"])


def _latest_events(picture: Picture, count: int = 12) -> dict[str, Any]:
    """The most recent dated events, oldest of them first, for the overview's small timeline."""
    total = picture.timeline(limit=1)["total"]
    last = picture.timeline(limit=MAX_LIMIT, offset=max(0, total - MAX_LIMIT))
    dated = [e for e in last["items"] if e["date"]]
    return {"total": total, "limit": count, "offset": 0, "items": dated[-count:]}


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, offset: int = Offset, q: Optional[str] = None,
              source: Optional[str] = None) -> HTMLResponse:
    picture = picture_of(request)
    if q and q.strip():
        return render(request, "search.html", q=q, results=picture.search(q, limit=PAGE_SIZE, offset=offset))
    return render(request, "documents.html", source=source,
                  documents=picture.documents(limit=PAGE_SIZE, offset=offset, source=source or None))


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def reader(request: Request, document_id: str,
           at: Optional[str] = Query(None, pattern=r"^\d+-\d+$", description="Evidence offsets START-END to mark.")
           ) -> HTMLResponse:
    picture = picture_of(request)
    found = picture.store.extraction(document_id)
    if found is None:
        return error_page(request, 404, f"no document {document_id!r}")
    text = found.document.text
    spans = [s for s in kinds.marks(found) if 0 <= s.start < s.end <= len(text)]
    if at:
        start, end = (int(x) for x in at.split("-"))
        if 0 <= start < end <= len(text):
            spans.append(kinds.Mark(start, end, "target", f"at-{start}", "The evidence you followed"))
    index = picture.entity_index()
    colours = speaker_colours(found.claims)
    speakers, listed = [], set()
    for claim in found.claims:
        label = speaker_label(claim)
        if label not in listed:
            listed.add(label)
            key = speaker_key(index, claim.speaker.name) if claim.speaker.kind != "unresolved" else None
            speakers.append((label, colours[label], _speaker_link(key)))
    legend = kinds.legend()
    counts = {kind: sum(1 for s in spans if s.kind == kind) for kind, _ in legend}
    return render(request, "reader.html", found=found, body=render_text(text, spans), legend=legend,
                  speakers=speakers, counts=counts, row=picture.store.document_row(document_id))


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request, offset: int = Offset, speaker: Optional[str] = None, source: Optional[str] = None,
           since: Optional[str] = Since, until: Optional[str] = Until, q: Optional[str] = None,
           grouped: bool = False) -> HTMLResponse:
    picture = picture_of(request)
    chosen = _blank_to_none(speaker=speaker, source=source, since=since, until=until, q=q)
    ask = picture.claim_clusters if grouped else picture.claims
    return render(request, "claims.html", claims=ask(limit=PAGE_SIZE, offset=offset, **chosen), grouped=grouped,
                  speakers=picture.speakers(limit=200)["items"], sources=picture.sources(),
                  filters={k: v or "" for k, v in chosen.items()})


@router.get("/figures", response_class=HTMLResponse)
def figures(request: Request, offset: int = Offset, entity: Optional[str] = None, counts: Optional[str] = None,
            happened: Optional[str] = None, since: Optional[str] = Since, until: Optional[str] = Until,
            conflicts: bool = False) -> HTMLResponse:
    picture = picture_of(request)
    chosen = _blank_to_none(entity=entity, counts=counts, happened=happened, since=since, until=until)
    found = picture.find_entity(chosen["entity"]) if chosen["entity"] else None
    tracks = picture.figure_tracks(limit=PAGE_SIZE, offset=offset, conflicts=conflicts, **chosen)
    several = [t for t in tracks["items"] if len(t["points"]) >= 2]
    return render(request, "figures.html", entity=found, page=tracks, tracks=_with_charts(several),
                  single=[t for t in tracks["items"] if len(t["points"]) < 2], happened=HAPPENED,
                  filters={**{k: v or "" for k, v in chosen.items()}, "conflicts": conflicts})


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, type: Optional[str] = None, offset: int = Offset) -> HTMLResponse:
    entries = picture_of(request).timeline(limit=200, offset=offset, type=type or None)
    return render(request, "timeline.html", timeline=entries, type=type or "")


@router.get("/map", response_class=HTMLResponse)
def world_map(request: Request) -> HTMLResponse:
    found = picture_of(request).places(limit=MAX_LIMIT)
    return render(request, "map.html", places=found, map=charts.world_map(found["items"]),
                  shapes=bool(charts.country_shapes()))


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, type: Optional[str] = None, q: Optional[str] = None, offset: int = Offset) -> HTMLResponse:
    found = picture_of(request).entities(limit=100, offset=offset, type=type or None, q=q or None)
    return render(request, "entities.html", entities=found, type=type or "", q=q or "")


@router.get("/entities/{key}", response_class=HTMLResponse)
def entity(request: Request, key: str) -> HTMLResponse:
    view = picture_of(request).entity(key)
    return render(request, "entity.html", view=view, tracks=_with_charts(view["figures"]["items"][:20]))
