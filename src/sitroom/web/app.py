"""The FastAPI app: a REST API under /api (OpenAPI at /docs) and the HTML pages.

``create_app(store_url)`` builds the app over one store's ``Picture`` (the read API), which
both routers call: ``web.api`` answers in JSON, ``web.pages`` renders the same answers as
HTML. Nothing is fetched from anywhere but this app.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from sitroom.picture import NotFound, Picture
from sitroom.picture.api import BadRequest
from sitroom.store import Store, open_store
from sitroom.web import api, pages
from sitroom.web.security import HEADERS, SecurityHeaders

HERE = Path(__file__).resolve().parent
SWAGGER_UI = HERE / "node_modules" / "swagger-ui-dist"
log = logging.getLogger(__name__)
API_EXPLORER = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sitroom API</title>
<link rel="stylesheet" href="/assets/swagger/swagger-ui.css">
<link rel="icon" href="/assets/swagger/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/assets/swagger/swagger-ui-bundle.js"></script>
<script src="/static/api-explorer.js"></script>
</body>
</html>
"""


def create_app(store_url: str | None = None, store: Store | None = None, warm: bool = False) -> FastAPI:
    """The app over the store at ``store_url`` (or an open ``store``).

    ``warm``: compute the picture's cross-document parts in a background thread at once, so the
    first visitors of a large store do not wait for them; ``app.state.warmed`` is set when done.
    The store answers without local paths (``Store.local_paths`` off): an input's location is
    shown by its file name.
    """
    picture = Picture(store or open_store(store_url))
    picture.store.local_paths = False  # no answer names a folder of the machine it runs on
    app = FastAPI(title="sitroom", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Who said what, how many, where and when, across the reports in one store. "
                              "Every item carries its evidence: document id, character offsets and the sentence.")
    app.state.picture = picture
    app.state.warmed = threading.Event()
    if warm:
        def warm_up() -> None:
            try:
                app.state.warm_seconds = picture.warm()
            finally:
                app.state.warmed.set()

        threading.Thread(target=warm_up, name="sitroom-warm-up", daemon=True).start()

    @app.exception_handler(NotFound)
    def not_found(request: Request, error: NotFound) -> JSONResponse | HTMLResponse:
        return _error(request, 404, str(error))

    @app.exception_handler(BadRequest)
    def bad_request(request: Request, error: BadRequest) -> JSONResponse | HTMLResponse:
        return _error(request, 422, str(error))

    @app.exception_handler(Exception)
    def failed(request: Request, error: Exception) -> JSONResponse | HTMLResponse:
        """A failure no route foresaw: a short page or JSON, with the security headers too (this
        answer leaves from outside the middleware); the log keeps the traceback."""
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        response = _error(request, 500, "The request could not be answered. The server's log says why.")
        response.headers.update(HEADERS)
        return response

    app.add_middleware(SecurityHeaders, refuse=_error)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    if SWAGGER_UI.is_dir():
        app.mount("/assets/swagger", StaticFiles(directory=SWAGGER_UI), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """The OpenAPI explorer, served from the installed swagger-ui-dist package (no CDN),
        started by a script file rather than an inline script (the security policy allows none)."""
        if not SWAGGER_UI.is_dir():
            return HTMLResponse('<p>The API explorer is not installed (run <code>make install</code>); '
                                'the schema is at <a href="/openapi.json">/openapi.json</a>.</p>')
        return HTMLResponse(API_EXPLORER)

    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def _error(request: Request, status: int, message: str) -> JSONResponse | HTMLResponse:
    """JSON for the API, a short escaped page for a person."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    return pages.error_page(request, status, message)
