"""The web UI driven in Debian's chromium, as a person uses it: load each page, follow a claim to
its evidence, filter by a speaker, open an entity, use the keyboard. Screenshots go to
test-artifacts/ to be looked at."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web_store import HOSTILE_ID, example_store_path

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``sitroom serve`` on a free 127.0.0.1 port over the example store."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (make browser installs it): browser tests skipped")
    path = example_store_path(tmp_path_factory)
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", f"sqlite:///{path}",
                                "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/api/status", timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"sitroom serve exited: {process.stdout.read().decode(errors='replace')}")
            time.sleep(0.2)
    else:
        process.terminate()
        pytest.fail("sitroom serve did not answer within 30 s")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(server) and not request.url.startswith("data:") else None)
    page.server = server
    yield page
    context.close()
    assert not outside, f"the page reached outside the app: {outside}"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path,heading", [("/", "Situation overview"), ("/documents", "Documents"),
                                          ("/claims", "Claims"), ("/figures", "Figures"), ("/timeline", "Timeline"),
                                          ("/map", "Places"), ("/entities", "Entities")])
def test_each_page_loads(page, path, heading):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(page.server + path)
    assert response.status == 200
    assert page.locator("h1").first.inner_text().startswith(heading)
    assert not errors
    _shot(page, "page" + (path.replace("/", "-") if path != "/" else "-overview"))


def test_map_draws_country_shapes_offline(page):
    from sitroom.picture.places import WORLD_ATLAS

    if not WORLD_ATLAS.is_file():
        pytest.skip("world-atlas is not installed (make install runs npm ci): the map has no country shapes")
    page.goto(page.server + "/map")
    assert page.locator("svg.map path.country").count() > 100


def test_api_explorer_is_served_locally(page):
    from sitroom.web.app import SWAGGER_UI

    if not SWAGGER_UI.is_dir():
        pytest.skip("swagger-ui-dist is not installed (make install runs npm ci): /docs links to /openapi.json")
    page.goto(page.server + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 10
    _shot(page, "page-docs")


def test_reader_highlights_and_shows_what_was_extracted(page):
    page.goto(page.server + "/documents?q=Vladivostok")
    page.locator("main a", has_text="North Korean troops in Russia").first.click()
    page.wait_for_selector("#text")
    assert "3,000 North Korean soldiers" in page.locator("#text").inner_text()
    spans = page.locator("#text [data-tip]")
    assert spans.count() > 0
    # Keyboard: tab to the first highlighted span; the inspector says what was extracted.
    spans.first.focus()
    tip = spans.first.get_attribute("data-tip")
    assert page.locator("#inspector").inner_text() == tip
    _shot(page, "reader-seed")


def test_claims_filter_by_speaker_and_follow_to_evidence(page):
    page.goto(page.server + "/claims")
    options = page.locator("#filter-speaker option")
    assert options.count() >= 2
    speaker = options.nth(1).get_attribute("value")
    page.select_option("#filter-speaker", speaker)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    rows = page.locator("table.claims tbody tr")
    assert rows.count() >= 1
    speaker_name = page.locator("#filter-speaker option:checked").inner_text().rsplit(" (", 1)[0]
    for i in range(rows.count()):
        assert rows.nth(i).locator("td").first.inner_text().startswith(speaker_name)
    _shot(page, "claims-by-speaker")
    content = rows.first.locator("td").nth(2).inner_text()
    rows.first.get_by_role("link", name="show in text").click()
    page.wait_for_selector(".hl-target")
    target_text = " ".join("".join(t.inner_text() for t in page.locator(".hl-target").all()).split())
    assert " ".join(content.split())[:40] in target_text
    _shot(page, "claim-evidence")


def test_open_an_entity_by_keyboard(page):
    page.goto(page.server + "/entities")
    link = page.locator("table a").first
    name = link.inner_text()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text().startswith(name)
    assert page.locator("#h-said").count() == 1 and page.locator("#h-docs").count() == 1
    _shot(page, "entity")


def test_article_markup_stays_text_in_the_browser(page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(page.server + f"/documents/{HOSTILE_ID}")
    assert '<script>alert("x")</script>' in page.locator("#text").inner_text()
    assert page.locator("#text b").count() == 0 and not dialogs
