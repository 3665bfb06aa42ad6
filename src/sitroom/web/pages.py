"""The HTML pages: each renders answers of the read API (``sitroom.picture``) with a Jinja2
template. Autoescaping is on for every template, so article text never becomes markup; charts
and the map are SVG drawn on the server.

Every list page has a filter form with the list's filters, a pager to its last page and
download links in every export format of that list, carrying the page's filters. Every error
a person can meet (a bad parameter, an unknown address, a failure) is an HTML page with the
site's navigation: ``PageRoute`` renders them for the page routes, ``not_found`` for any
address no route answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from sitroom import export as exports
from sitroom import kinds
from sitroom.kinds.builtin import speaker_colours, speaker_label
from sitroom.model import HAPPENED
from sitroom.picture import NotFound, Picture
from sitroom.picture.api import MAX_OFFSET
from sitroom.picture.claims import speaker_key
from sitroom.web import charts
from sitroom.web.api import MAX_LIMIT, Since, Until
from sitroom.web.reader import render_text
from sitroom.web.security import web_url

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(env=Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True))
PAGE_SIZE = 50
Offset = Query(0, ge=0, le=MAX_OFFSET, description="Items to skip.")
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
                "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
TITLES = {400: "Cannot show this", 404: "Not found", 405: "Not allowed", 422: "Cannot show this",
          500: "Something went wrong"}
log = logging.getLogger(__name__)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message,
                  heading=TITLES.get(status, "Cannot show this"))


def _validation_message(error: RequestValidationError) -> str:
    """FastAPI's validation errors in a sentence: which parameter, what is wrong with it."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else item.get("msg", "invalid"))
    return "; ".join(parts) or "a parameter is not valid"


class PageRoute(APIRoute):
    """A page route whose errors are pages: a bad parameter (422), a missing document or entity
    (404), any other failure (500), each with the site's navigation, never raw JSON or text."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return error_page(request, 422, _validation_message(error))
            except HTTPException as error:
                return error_page(request, error.status_code, str(error.detail))
            except NotFound as error:
                return error_page(request, 404, str(error))
            except ValueError as error:  # BadRequest, a search over its caps
                return error_page(request, 422, str(error))
            except Exception:  # noqa: BLE001 - a person sees a page; the log keeps the traceback
                log.exception("page %s failed", request.url.path)
                return error_page(request, 500, "The page could not be built. The server's log says why.")

        return handle


router = APIRouter(include_in_schema=False, route_class=PageRoute)


def picture_of(request: Request) -> Picture:
    return request.app.state.picture


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"page": name.split(".")[0], **context},
                                      status_code=status_code)


def _with_charts(tracks: list[dict[str, Any]], width: int = 640, height: int = 260) -> list[tuple]:
    return [(t, charts.track_chart(t, width, height), charts.source_colours(t)) for t in tracks]


def _speaker_link(key: str | None) -> str | None:
    """Where a speaker's name leads: its entity page, or the claims of a speaker no entity is."""
    if key is None or key == "speaker-unresolved" or key.startswith("unresolved-"):
        return None
    if key.startswith(("speaker-", "anonymous-")):
        return f"/claims?speaker={quote(key)}"
    return f"/entities/{quote(key)}"


def _blank_to_none(**values: Optional[str]) -> dict[str, Optional[str]]:
    """Empty form fields mean "any"."""
    return {key: value or None for key, value in values.items()}


def _query(filters: dict[str, Any]) -> str:
    """The filters as a query string (empty ones left out), ending in "&" when not empty."""
    kept = {key: ("true" if value is True else value) for key, value in filters.items() if value not in (None, "", False)}
    return urlencode(kept) + "&" if kept else ""


def downloads(list_names: tuple[str, ...], filters: dict[str, Any]) -> list[tuple[str, str]]:
    """(format, address) of every export format of these lists, with the filters it takes."""
    found = []
    for fmt in exports.formats():
        if fmt.list in list_names:
            taken = {k: v for k, v in filters.items() if k in exports.filter_names(fmt)}
            found.append((fmt.name, f"/api/export/{fmt.name}?{_query(taken)}".rstrip("?&")))
    return found


def unquote(text: str | None) -> str:
    """A quotation without the quotation marks it was stored with: the page adds its own."""
    return (text or "").strip().strip("\"“”„«»‘’'").strip()


def marked(snippet: str, highlights: list[list[int]]) -> Markup:
    """A search snippet, escaped, with its matched words in <mark>."""
    out, at = [], 0
    for start, end in highlights:
        out.append(escape(snippet[at:start]) + Markup("<mark>") + escape(snippet[start:end]) + Markup("</mark>"))
        at = end
    return Markup("").join(out) + escape(snippet[at:])


TEMPLATES.env.filters["unquote"] = unquote
TEMPLATES.env.filters["web_url"] = web_url  # a record's URL is a link only when it is http(s)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    picture = picture_of(request)
    tracks = picture.figure_tracks(limit=4)
    speakers = picture.speakers(limit=200)["items"]
    counts = {"documents": picture.documents(limit=1)["total"], "claims": picture.claims(limit=1)["total"],
              "figure tracks": tracks["total"], "events": picture.timeline(limit=1)["total"],
              "places": picture.places(limit=1)["total"], "entities": picture.entities(limit=1)["total"]}
    return render(request, "overview.html", documents=picture.documents(limit=10),
                  speakers=[s for s in speakers if s["kind"] == "named"][:10],
                  anonymous=[s for s in speakers if s["kind"] == "anonymous"][:5],
                  tracks=_with_charts(tracks["items"], 480, 220),
                  track_count=tracks["total"], timeline=_latest_events(picture), counts=counts)


def _latest_events(picture: Picture, count: int = 12) -> dict[str, Any]:
    """The most recent dated events, oldest of them first, for the overview's small timeline."""
    total = picture.timeline(limit=1)["total"]
    last = picture.timeline(limit=MAX_LIMIT, offset=max(0, total - MAX_LIMIT))
    dated = [e for e in last["items"] if e["date"]]
    return {"total": total, "limit": count, "offset": 0, "items": dated[-count:]}


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, offset: int = Offset, q: Optional[str] = None, title: Optional[str] = None,
              entity: Optional[str] = None, source: Optional[str] = None, since: Optional[str] = Since,
              until: Optional[str] = Until) -> HTMLResponse:
    picture = picture_of(request)
    if q and q.strip():
        results = picture.search(q, limit=PAGE_SIZE, offset=offset)
        for item in results["items"]:
            item["marked"] = marked(item["snippet"] or "", item.get("highlights") or [])
        return render(request, "search.html", q=q, results=results, base=f"/documents?{_query({'q': q})}")
    chosen = _blank_to_none(title=title, entity=entity, source=source, since=since, until=until)
    found = picture.documents(limit=PAGE_SIZE, offset=offset, q=chosen["title"], entity=chosen["entity"],
                              source=chosen["source"], since=chosen["since"], until=chosen["until"])
    asked = {"q": chosen["title"], **{k: v for k, v in chosen.items() if k != "title"}}
    return render(request, "documents.html", documents=found, sources=picture.sources(),
                  filters={k: v or "" for k, v in chosen.items()}, filtered=any(chosen.values()),
                  base=f"/documents?{_query(chosen)}", downloads=downloads(("documents",), asked))


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
def claims(request: Request, offset: int = Offset, speaker: Optional[str] = None, entity: Optional[str] = None,
           source: Optional[str] = None, since: Optional[str] = Since, until: Optional[str] = Until,
           q: Optional[str] = None, grouped: bool = False) -> HTMLResponse:
    picture = picture_of(request)
    chosen = _blank_to_none(speaker=speaker, entity=entity, source=source, since=since, until=until, q=q)
    ask = picture.claim_clusters if grouped else picture.claims
    return render(request, "claims.html", claims=ask(limit=PAGE_SIZE, offset=offset, **chosen), grouped=grouped,
                  speakers=picture.speakers(limit=200)["items"], sources=picture.sources(),
                  filters={k: v or "" for k, v in chosen.items()}, filtered=any(chosen.values()),
                  base=f"/claims?{_query({**chosen, 'grouped': grouped})}",
                  downloads=downloads(("claims",), chosen))


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
                  filters={**{k: v or "" for k, v in chosen.items()}, "conflicts": conflicts},
                  filtered=any(chosen.values()) or conflicts,
                  base=f"/figures?{_query({**chosen, 'conflicts': conflicts})}",
                  downloads=downloads(("figure_tracks",), {**chosen, "conflicts": conflicts}))


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, offset: int = Offset, type: Optional[str] = None, entity: Optional[str] = None,
             source: Optional[str] = None, since: Optional[str] = Since, until: Optional[str] = Until,
             q: Optional[str] = None) -> HTMLResponse:
    picture = picture_of(request)
    chosen = _blank_to_none(type=type.upper() if type else None, entity=entity, source=source, since=since,
                            until=until, q=q)
    entries = picture.timeline(limit=PAGE_SIZE, offset=offset, **chosen)
    return render(request, "timeline.html", timeline=entries, types=PLOVER_TYPES, sources=picture.sources(),
                  filters={k: v or "" for k, v in chosen.items()}, filtered=any(chosen.values()),
                  base=f"/timeline?{_query(chosen)}", downloads=downloads(("timeline", "events"), chosen))


@router.get("/map", response_class=HTMLResponse)
def world_map(request: Request, offset: int = Offset, country: Optional[str] = None, q: Optional[str] = None,
              entity: Optional[str] = None, source: Optional[str] = None, since: Optional[str] = Since,
              until: Optional[str] = Until) -> HTMLResponse:
    picture = picture_of(request)
    chosen = _blank_to_none(country=country.upper() if country else None, q=q, entity=entity, source=source,
                            since=since, until=until)
    found = picture.places(limit=PAGE_SIZE * 2, offset=offset, **chosen)
    return render(request, "map.html", places=found, map=charts.world_map(found["items"]),
                  shapes=bool(charts.country_shapes()), sources=picture.sources(),
                  filters={k: v or "" for k, v in chosen.items()}, filtered=any(chosen.values()),
                  base=f"/map?{_query(chosen)}", downloads=downloads(("places",), chosen))


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, type: Optional[str] = None, q: Optional[str] = None, offset: int = Offset) -> HTMLResponse:
    chosen = _blank_to_none(type=type.upper() if type else None, q=q)
    found = picture_of(request).entities(limit=PAGE_SIZE * 2, offset=offset, **chosen)
    return render(request, "entities.html", entities=found, types=ENTITY_TYPES,
                  filters={k: v or "" for k, v in chosen.items()}, filtered=any(chosen.values()),
                  base=f"/entities?{_query(chosen)}", downloads=downloads(("entities",), chosen))


def _roles(picture: Picture, entity: dict[str, Any], documents: list[dict[str, Any]]) -> list[str]:
    """The roles the entity's reports give it ("White House NSC spokesperson"), most frequent first."""
    surfaces = {entity["name"], *entity["aliases"]}
    counted: dict[str, int] = {}
    for document in documents:
        found = picture.store.extraction(document["id"])
        for record in found.entities if found else ():
            if record.name in surfaces:
                for role in record.roles:
                    counted[role] = counted.get(role, 0) + 1
    return sorted(counted, key=lambda role: (-counted[role], role))


@router.get("/entities/{key}", response_class=HTMLResponse)
def entity(request: Request, key: str) -> HTMLResponse:
    picture = picture_of(request)
    view = picture.entity(key)
    own = view["entity"]["key"]
    given = [t for t in picture.figure_tracks(limit=MAX_LIMIT)["items"]
             if t["entity_key"] != own and any(p["speaker_key"] == own for p in t["points"])]
    given = [{**t, "points": [p for p in t["points"] if p["speaker_key"] == own]} for t in given]
    return render(request, "entity.html", view=view, tracks=_with_charts(view["figures"]["items"][:20]),
                  given=given[:50], roles=_roles(picture, view["entity"], view["documents"]["items"]))


@router.get("/{path:path}", response_class=HTMLResponse)
def not_found(request: Request, path: str) -> Response:
    """Any address no route answers: JSON under /api, a page with the navigation elsewhere."""
    if path.startswith("api/") or path == "api":
        return JSONResponse({"detail": f"no API route /{path}"}, status_code=404)
    return error_page(request, 404, f"There is no page at /{path}.")
