"""The FastAPI app: a REST API under /api (OpenAPI at /docs) and the HTML pages.

``create_app(store_url)`` builds the app over one store. Pages are Jinja2 templates with
autoescaping on for every template, so article text can never become markup; charts and the
map are SVG drawn on the server. Nothing is fetched from anywhere but this app.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from sitroom.picture.entities import EntityIndex, ResolvedEntity, entity_index
from sitroom.picture.figures import figure_tracks
from sitroom.store import Store, open_store
from sitroom.web import charts, queries
from sitroom.web.reader import Highlight, highlights, render_text

HERE = Path(__file__).resolve().parent
SWAGGER_UI = HERE / "node_modules" / "swagger-ui-dist"
LEGEND = [("speaker", "Speaker of a claim"), ("cue", "Cue (said, told, according to)"),
          ("content", "What was said (coloured by speaker)"), ("figure", "Figure"), ("date", "Date or time"),
          ("place", "Place"), ("event", "Event")]

Limit = Query(50, ge=1, le=queries.MAX_LIMIT, description="Items per page.")
Offset = Query(0, ge=0, description="Items to skip.")
DateFrom = Query(None, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$", description="Published on or after (YYYY-MM-DD).")
DateTo = Query(None, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$", description="Published on or before (YYYY-MM-DD).")


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    return Jinja2Templates(env=env)


def create_app(store_url: str | None = None, store: Store | None = None, warm: bool = False) -> FastAPI:
    """The app over the store at ``store_url`` (or an open ``store``).

    ``warm``: compute the picture's cached parts in a background thread at once, so the first
    visitors of a large store do not wait for them; ``app.state.warmed`` is set when done.
    """
    store = store or open_store(store_url)
    app = FastAPI(title="sitroom", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Who said what, how many, where and when, across the reports in one store. "
                              "Every item carries its evidence: document id, character offsets and the sentence.")
    app.state.store = store
    app.state.warmed = threading.Event()
    if warm:
        def warm_up() -> None:
            try:
                app.state.warm_seconds = queries.warm(store)
            finally:
                app.state.warmed.set()

        threading.Thread(target=warm_up, name="sitroom-warm-up", daemon=True).start()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    if SWAGGER_UI.is_dir():
        app.mount("/assets/swagger", StaticFiles(directory=SWAGGER_UI), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """The OpenAPI explorer, served from the installed swagger-ui-dist package (no CDN)."""
        if not SWAGGER_UI.is_dir():
            return HTMLResponse('<p>The API explorer is not installed (run <code>make install</code>); '
                                'the schema is at <a href="/openapi.json">/openapi.json</a>.</p>')
        return get_swagger_ui_html(openapi_url="/openapi.json", title="sitroom API",
                                   swagger_js_url="/assets/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/assets/swagger/swagger-ui.css",
                                   swagger_favicon_url="/assets/swagger/favicon-32x32.png")
    templates = _templates()

    def index() -> EntityIndex:
        return entity_index(store)

    def find_entity(key: str | None) -> ResolvedEntity | None:
        if not key:
            return None
        idx = index()
        entity = idx.get(key) or idx.get(idx.key_for(key) or "")
        if entity is None:
            raise HTTPException(404, f"no entity {key!r}")
        return entity

    def render(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"page": name.split(".")[0], **context})

    # -- REST API ----------------------------------------------------------------------------

    @app.get("/api/documents", tags=["documents"])
    def api_documents(limit: int = Limit, offset: int = Offset, source: Optional[str] = None,
                      since: Optional[str] = DateFrom, until: Optional[str] = DateTo, q: Optional[str] = None,
                      entity: Optional[str] = None) -> dict[str, Any]:
        """Documents, newest first; filter by source, date range, title text or entity."""
        return queries.documents(store, limit=limit, offset=offset, source=source, since=since, until=until, q=q,
                                 entity=find_entity(entity))

    @app.get("/api/documents/{document_id}", tags=["documents"])
    def api_document(document_id: str) -> dict[str, Any]:
        """One document with its text and every record extracted from it (the extraction contract)."""
        found = store.extraction(document_id)
        if found is None:
            raise HTTPException(404, f"no document {document_id!r}")
        row = store.document_row(document_id) or {}
        return {**found.to_dict(), "text": found.document.text, "near_duplicate_of": row.get("near_duplicate_of"),
                "appearances": store.appearances(document_id)}

    @app.get("/api/entities", tags=["entities"])
    def api_entities(limit: int = Limit, offset: int = Offset, type: Optional[str] = None,
                     q: Optional[str] = None) -> dict[str, Any]:
        """Entities resolved across documents (aliases and spellings joined), most cited first."""
        return queries.entities(index(), limit=limit, offset=offset, type=type, q=q)

    @app.get("/api/entities/{key}", tags=["entities"])
    def api_entity(key: str) -> dict[str, Any]:
        """One entity: what it said, what was said about it, its events, figures and documents."""
        return entity_view(find_entity(key))

    def entity_view(entity: ResolvedEntity) -> dict[str, Any]:
        idx = index()
        said = queries.claims(store, idx, speaker=entity.key, limit=100)
        about = queries.claims(store, idx, entity=entity, limit=200)
        about["items"] = [c for c in about["items"] if c["speaker_key"] != entity.key][:100]
        return {"entity": entity.to_dict(), "said": said, "about": about,
                "events": queries.timeline_page(store, idx, entity=entity, limit=100),
                "figures": [t.to_dict() for t in figure_tracks(store, idx, entity_key=entity.key)],
                "documents": queries.documents(store, entity=entity, limit=20)}

    @app.get("/api/claims", tags=["claims"])
    def api_claims(limit: int = Limit, offset: int = Offset, speaker: Optional[str] = None,
                   entity: Optional[str] = None, source: Optional[str] = None, since: Optional[str] = DateFrom,
                   until: Optional[str] = DateTo, q: Optional[str] = None) -> dict[str, Any]:
        """Attributed statements with speaker, cue, content and evidence."""
        return queries.claims(store, index(), limit=limit, offset=offset, speaker=speaker, entity=find_entity(entity),
                              source=source, since=since, until=until, q=q)

    @app.get("/api/claims/clusters", tags=["claims"])
    def api_claim_clusters(limit: int = Limit, offset: int = Offset, speaker: Optional[str] = None,
                           entity: Optional[str] = None, source: Optional[str] = None,
                           since: Optional[str] = DateFrom, until: Optional[str] = DateTo,
                           q: Optional[str] = None) -> dict[str, Any]:
        """The same speaker saying the same thing across reports, with independent-source counts."""
        return queries.claim_clusters(store, index(), limit=limit, offset=offset, speaker=speaker,
                                      entity=find_entity(entity), source=source, since=since, until=until, q=q)

    @app.get("/api/speakers", tags=["claims"])
    def api_speakers(limit: int = Limit) -> list[dict[str, Any]]:
        """Most-cited speakers."""
        return queries.top_speakers(store, index(), limit=limit)

    @app.get("/api/figures", tags=["figures"])
    def api_figures(limit: int = Limit, offset: int = Offset, entity: Optional[str] = None,
                    conflicts: bool = False) -> dict[str, Any]:
        """Figure tracks: values per source and date with bounds, kind (count or plan) and conflicts."""
        found = find_entity(entity)
        tracks = figure_tracks(store, index(), entity_key=found.key if found else None)
        if conflicts:
            tracks = [t for t in tracks if t.conflict]
        return queries.page([t.to_dict() for t in tracks[offset:offset + limit]], len(tracks), limit, offset)

    @app.get("/api/events", tags=["events"])
    def api_events(limit: int = Limit, offset: int = Offset, type: Optional[str] = None, entity: Optional[str] = None,
                   source: Optional[str] = None, since: Optional[str] = DateFrom, until: Optional[str] = DateTo,
                   q: Optional[str] = None) -> dict[str, Any]:
        """Events as extracted, one per report."""
        return queries.events(store, index(), limit=limit, offset=offset, type=type, entity=find_entity(entity),
                              source=source, since=since, until=until, q=q)

    @app.get("/api/timeline", tags=["events"])
    def api_timeline(limit: int = Query(100, ge=1, le=queries.MAX_LIMIT), offset: int = Offset,
                     type: Optional[str] = None, entity: Optional[str] = None, source: Optional[str] = None,
                     since: Optional[str] = DateFrom, until: Optional[str] = DateTo) -> dict[str, Any]:
        """Events merged across reports, oldest first."""
        return queries.timeline_page(store, index(), limit=limit, offset=offset, type=type, entity=find_entity(entity),
                                     source=source, since=since, until=until)

    @app.get("/api/places", tags=["places"])
    def api_places(limit: int = Query(200, ge=1, le=queries.MAX_LIMIT), offset: int = Offset,
                   country: Optional[str] = None, q: Optional[str] = None, entity: Optional[str] = None,
                   source: Optional[str] = None, since: Optional[str] = DateFrom,
                   until: Optional[str] = DateTo) -> dict[str, Any]:
        """Places with coordinates, mentions and documents."""
        return queries.places(store, limit=limit, offset=offset, country=country, q=q, entity=find_entity(entity),
                              source=source, since=since, until=until)

    @app.get("/api/search", tags=["search"])
    def api_search(q: str = Query(..., min_length=1), limit: int = Query(20, ge=1, le=100)) -> dict[str, Any]:
        """Full-text search over document titles and text."""
        return queries.search(store, q, limit)

    @app.get("/api/status", tags=["documents"])
    def api_status() -> dict[str, Any]:
        """Counts of documents and records."""
        status = store.status(last_runs=3)
        status.pop("url", None)
        return status

    # -- pages -------------------------------------------------------------------------------

    def latest_events(idx: EntityIndex, count: int = 12) -> dict[str, Any]:
        """The most recent dated events, oldest of them first, for the overview's small timeline."""
        every = queries.timeline_page(store, idx, limit=queries.MAX_LIMIT)
        total = every["total"]
        if total > queries.MAX_LIMIT:
            every = queries.timeline_page(store, idx, limit=queries.MAX_LIMIT, offset=total - queries.MAX_LIMIT)
        dated = [e for e in every["items"] if e["date"]]
        return queries.page(dated[-count:], total, count, 0)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> HTMLResponse:
        idx = index()
        tracks = figure_tracks(store, idx)
        return render(request, "overview.html", documents=queries.documents(store, limit=10),
                      speakers=queries.top_speakers(store, idx, limit=10),
                      tracks=[(t, charts.track_chart(t, 480, 220), charts.source_colours(t)) for t in tracks[:4]],
                      track_count=len(tracks), timeline=latest_events(idx),
                      status=store.status(last_runs=0)["counts"])

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request, offset: int = Offset, q: Optional[str] = None,
                       source: Optional[str] = None) -> HTMLResponse:
        if q and q.strip():
            return render(request, "search.html", q=q, results=queries.search(store, q, 50))
        return render(request, "documents.html", documents=queries.documents(store, limit=50, offset=offset,
                                                                               source=source), source=source)

    @app.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def reader(request: Request, document_id: str,
               at: Optional[str] = Query(None, pattern=r"^\d+-\d+$", description="Evidence offsets START-END to mark.")
               ) -> HTMLResponse:
        found = store.extraction(document_id)
        if found is None:
            raise HTTPException(404, f"no document {document_id!r}")
        spans, colours = highlights(found)
        if at:
            start, end = (int(x) for x in at.split("-"))
            if 0 <= start < end <= len(found.document.text):
                spans.append(Highlight(start, end, "target", f"at-{start}", "The evidence you followed"))
        idx = index()
        speakers = [(name, colour, idx.key_for(name, "PERSON") or idx.key_for(name)) for name, colour in colours.items()]
        counts = {kind: sum(1 for s in spans if s.kind == kind) for kind, _ in LEGEND}
        return render(request, "reader.html", found=found, body=render_text(found.document.text, spans),
                      legend=LEGEND, speakers=speakers, counts=counts, row=store.document_row(document_id))

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def claims_page(request: Request, offset: int = Offset, speaker: Optional[str] = None,
                    source: Optional[str] = None, since: Optional[str] = DateFrom, until: Optional[str] = DateTo,
                    q: Optional[str] = None, grouped: bool = False) -> HTMLResponse:
        idx = index()
        filters = {"speaker": speaker or None, "source": source or None, "since": since or None,
                   "until": until or None, "q": q or None}
        found = (queries.claim_clusters if grouped else queries.claims)(store, idx, limit=50, offset=offset, **filters)
        return render(request, "claims.html", claims=found, grouped=grouped,
                      speakers=queries.top_speakers(store, idx, limit=200), sources=queries.sources(store),
                      filters={k: v or "" for k, v in filters.items()})

    @app.get("/figures", response_class=HTMLResponse, include_in_schema=False)
    def figures_page(request: Request, entity: Optional[str] = None) -> HTMLResponse:
        found = find_entity(entity)
        tracks = figure_tracks(store, index(), entity_key=found.key if found else None)
        return render(request, "figures.html", entity=found,
                      tracks=[(t, charts.track_chart(t), charts.source_colours(t)) for t in tracks[:60]])

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, type: Optional[str] = None, offset: int = Offset) -> HTMLResponse:
        idx = index()
        entries = queries.timeline_page(store, idx, limit=200, offset=offset, type=type or None)
        return render(request, "timeline.html", timeline=entries, type=type or "")

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        found = queries.places(store, limit=500)
        return render(request, "map.html", places=found, map=charts.world_map(found["items"]),
                      shapes=bool(charts.country_shapes()))

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, type: Optional[str] = None, q: Optional[str] = None,
                      offset: int = Offset) -> HTMLResponse:
        return render(request, "entities.html", entities=queries.entities(index(), limit=100, offset=offset,
                                                                          type=type or None, q=q or None),
                      type=type or "", q=q or "")

    @app.get("/entities/{key}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, key: str) -> HTMLResponse:
        view = entity_view(find_entity(key))
        tracks = figure_tracks(store, index(), entity_key=view["entity"]["key"])
        return render(request, "entity.html", view=view,
                      tracks=[(t, charts.track_chart(t), charts.source_colours(t)) for t in tracks[:20]])

    return app
