"""The web app against a hostile visitor: hostile values in every parameter of every route (the
routes and their parameters are read from the app itself, so a new route is fuzzed too) on
SQLite and PostgreSQL, with no 5xx; security headers on every response; only http(s) links
drawn from data; and, in chromium, pages and the API explorer that run under the security
policy without a violation."""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from sitroom import export as exports
from sitroom.model import Document, Extraction
from sitroom.store import open_store
from sitroom.web.app import create_app
from sitroom.web.security import HEADERS
from test_store import _postgres_url

# Values a hostile visitor types or a broken client sends. Those starting with "%" go into the
# address as they are (raw bytes that are not UTF-8); the others are percent-encoded.
HOSTILE = [
    "", " ", "\x00", "a\x00b", "x" * 60_000, "Kirby " * 3_000, "99999999999999999999", "-1", "-99999999999999999999",
    "1e309", "nan", "0", "true", "' OR '1'='1' --", '"', "%", "_", "\\", "*", 'NEAR("a" "b")', "a AND OR NOT (",
    "<script>alert(1)</script>", "../../../../etc/passwd", "\u202eevil\u200b", "\U0001d54f" * 40, "2024-02-30",
    "9999-12-31", "0000-00-00", "JaVaScRiPt:alert(1)", "[]", "{", "\ufeff\r\n\t",
]
RAW = ["%ff%fe", "%ED%A0%80", "%C0%AE%C0%AE%2F"]
# Values for a path parameter: the hostile ones that make an address (a path holds no "?" or "#").
ELAPSED_LIMIT_S = 600


def _routes(routes) -> list[tuple[str, list[str], list[str]]]:
    """(path, path parameters, query parameters) of every GET route of the app, those of the
    routers it includes too (FastAPI keeps an included router whole, as ``original_router``)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            found.append((route.path, [p.name for p in route.dependant.path_params],
                          [p.name for p in route.dependant.query_params]))
        elif isinstance(route, Mount):
            found.append((route.path + "/{path}", ["path"], []))
        elif hasattr(route, "original_router"):
            found += _routes(route.original_router.routes)
    return found


def _fill(path: str, names: list[str], values: dict[str, str]) -> str:
    for name in names:
        value = values.get(name, "x")
        path = re.sub(r"\{%s(:path)?\}" % name, value if value.startswith("%") else quote(value, safe=""), path)
    return path


def _address(path: str, name: str | None, value: str) -> str:
    if name is None:
        return path
    encoded = value if value in RAW else quote(value, safe="")
    return f"{path}?{name}={encoded}"


def _requests(app, document_id: str, entity_key: str) -> list[str]:
    """Every address the fuzz sends: each query parameter of each route with each hostile value
    (the other parameters left out, path parameters at a real value), each path parameter with
    each hostile value, and each export format with each filter of its list."""
    real = {"document_id": document_id, "key": entity_key, "format": "jsonl", "path": "style.css"}
    addresses = []
    for path, path_names, query_names in _routes(app.routes):
        if path in ("/api/export/{format}",):
            continue  # below: its filters are those of the list each format exports
        base = _fill(path, path_names, real)
        for name in query_names:
            addresses += [_address(base, name, value) for value in HOSTILE + RAW]
        for name in path_names:
            addresses += [_fill(path, path_names, {**real, name: value}) for value in HOSTILE + RAW if value]
    lists_done = set()
    for fmt in exports.formats():
        addresses.append(f"/api/export/{fmt.name}")
        if fmt.list in lists_done:
            continue  # one format per list carries each filter of that list
        lists_done.add(fmt.list)
        for name in exports.filter_names(fmt):
            addresses += [_address(f"/api/export/{fmt.name}", name, value) for value in HOSTILE + RAW]
    addresses += [f"/api/export/{quote(v, safe='') if v not in RAW else v}" for v in HOSTILE + RAW if v]
    return addresses


def _small_store(url: str):
    """A real store with real extractions: the seed article and two VOA stories, and one
    document whose URL is a script."""
    from sitroom.bundled import load_examples

    store = open_store(url)
    load_examples(store, limit=2)
    store.save_extraction(Extraction(document=Document(
        id="hostileurl000001", text="A report with a hostile address. Officials said nothing.", title="Hostile URL",
        url="JaVaScRiPt:alert(document.domain)", source="Test", published="2024-05-14", language="en")),
        location="hostile.jsonl#L1")
    return store


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed(request, tmp_path_factory):
    url = (f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.db'}" if request.param == "sqlite"
           else _postgres_url())
    store = _small_store(url)
    client = TestClient(create_app(store=store), raise_server_exceptions=False)
    yield request.param, client
    store.close()


def test_hostile_values_in_every_parameter_of_every_route_get_no_5xx(fuzzed):
    dialect, client = fuzzed
    document_id = client.get("/api/documents", params={"limit": 1}).json()["items"][0]["id"]
    entity_key = client.get("/api/entities", params={"limit": 1}).json()["items"][0]["key"]
    addresses = _requests(client.app, document_id, entity_key)
    assert {"/api/claims", "/api/documents/{document_id}", "/claims", "/{path:path}"} <= {
        path for path, _, _ in _routes(client.app.routes)}  # the API's and the pages' routes are read
    assert len(addresses) > 3_000  # every route, every parameter
    started, failed, statuses = time.monotonic(), [], {}
    for address in addresses:
        response = client.get(address)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            failed.append((address[:120], response.status_code, response.text[:200]))
    elapsed = time.monotonic() - started
    kinds = sorted({(address.split("?")[0][:40], address.partition("?")[2].split("=")[0]) for address, _, _ in failed})
    assert not failed, f"{dialect}: {len(failed)} of {len(addresses)} requests failed ({kinds}), e.g. {failed[:3]}"
    assert {200, 404, 422} <= set(statuses), statuses  # the fuzz reached real answers and refusals
    assert elapsed < ELAPSED_LIMIT_S, f"{len(addresses)} requests took {elapsed:.0f} s"


def test_every_response_carries_the_security_headers(fuzzed):
    _, client = fuzzed
    document_id = client.get("/api/documents", params={"limit": 1}).json()["items"][0]["id"]
    for address in ("/", "/documents", f"/documents/{document_id}", "/claims?grouped=true", "/figures", "/timeline",
                    "/map", "/entities", "/docs", "/openapi.json", "/api/status", "/api/documents?limit=2",
                    "/api/export/jsonl", "/api/export/csv-claims", "/static/style.css", "/favicon.ico",
                    "/no/such/page", "/api/no-such-route", "/api/documents?limit=0", "/documents?since=2024-02-30",
                    "/api/documents?q=%00", "/claims?q=a%00b", "/static/%00"):
        response = client.get(address)
        assert response.status_code < 500, (address, response.status_code)
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (address, name, response.headers.get(name))


def test_a_nul_character_is_refused_as_a_bad_request(fuzzed):
    _, client = fuzzed
    api = client.get("/api/claims", params={"speaker": "Kirby\x00"})
    assert api.status_code == 400 and "NUL" in api.json()["detail"]
    page = client.get("/entities", params={"q": "\x00"})
    assert page.status_code == 400 and "<nav" in page.text and "NUL" in page.text


def test_only_http_links_are_drawn_from_data(fuzzed):
    dialect, client = fuzzed
    store = client.app.state.picture.store
    addresses = {"jsupper": "JaVaScRiPt:alert(document.domain)", "jsspace": " javascript:alert(1)",
                 "data": "data:text/html,<script>alert(1)</script>", "vbs": "vbscript:msgbox(1)",
                 "schemeless": "//evil.example/x", "tab": "java\tscript:alert(1)", "web": "https://example.org/a?b=1&c=2"}
    for name, url in addresses.items():
        store.save_extraction(Extraction(document=Document(
            id=f"link{name:0>12}", text=f"A report numbered {name}.", title=f"Link {name}", url=url, source="Test",
            published="2024-05-14", language="en")), location=f"{name}.jsonl")
    for name, url in addresses.items():
        page = client.get(f"/documents/link{name:0>12}").text
        links = re.findall(r'<a [^>]*href="([^"]*)"', page)
        if name == "web":
            assert "https://example.org/a?b=1&amp;c=2" in links
        else:
            assert not any(link.lower().lstrip().startswith(("javascript", "data", "vbscript", "//", "java"))
                           for link in links), (dialect, name, links)
            assert "original</a>" not in page


# -- in chromium: the pages run under the policy -------------------------------------------------


@pytest.mark.browser
def test_pages_and_the_api_explorer_run_under_the_policy(tmp_path_factory):
    """No page breaks the policy (no inline script or style is refused), the explorer starts
    from its script file, and the figure keys still show their colours."""
    import shutil
    import socket
    import subprocess
    import sys
    from pathlib import Path

    from web_store import example_store_path, wait_until_serving

    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (make browser installs it)")
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = example_store_path(tmp_path_factory)
    server = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", f"sqlite:///{path}", "--host",
                               "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox",
                                                                                 "--disable-gpu"])
            page = browser.new_page()
            refused: list[str] = []
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
            for address in ("/", "/documents", "/claims", "/claims?grouped=true", "/figures", "/timeline", "/map",
                            "/entities", "/no/such/page"):
                page.goto(base + address)
                page.wait_for_load_state("networkidle")
            page.goto(base + "/figures")
            swatch = page.locator("svg.swatch circle").first
            assert swatch.get_attribute("fill", timeout=5_000).startswith("#")
            page.goto(base + "/documents")
            page.locator("table a").first.click()
            page.wait_for_load_state("networkidle")
            page.hover(".text .hl >> nth=0")
            assert "Hover over" not in page.locator("#inspector").inner_text()  # sitroom.js runs
            if (Path(__file__).resolve().parent.parent / "src/sitroom/web/node_modules/swagger-ui-dist").is_dir():
                page.goto(base + "/docs")
                page.wait_for_selector(".opblock", timeout=20_000)  # the explorer listed the operations
            browser.close()
        assert not refused, refused
    finally:
        server.terminate()
        server.wait(timeout=10)
