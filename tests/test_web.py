"""The web UI driven in Debian's chromium, as a person uses it: load each page, follow a claim to
its evidence, filter by a speaker, open an entity, use the keyboard. Screenshots go to
test-artifacts/ to be looked at."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from web_store import HOSTILE_ID, example_store_path, wait_until_serving

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
    wait_until_serving(url, process)
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


# -- navigating every list, at every width ----------------------------------------------------

PAGES = ["/", "/documents", "/documents?q=North+Korean+soldiers", "/claims", "/claims?grouped=true", "/figures",
         "/timeline", "/map", "/entities", "/entities/person-john-kirby", "/no/such/page", "/claims?since=2024-02-30"]


def _seed_path(server: str) -> str:
    import json

    found = json.load(urllib.request.urlopen(server + "/api/search?q=Vladivostok", timeout=10))
    return f"/documents/{found['items'][0]['id']}"


@pytest.mark.parametrize("width", [1400, 390])
def test_no_page_scrolls_sideways(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    wide = []
    for path in [*PAGES, _seed_path(server)]:
        page.goto(server + path)
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client + 1:
            wide.append((path, scroll, client))
        _shot(page, f"width-{width}" + (path.split("?")[0].replace("/", "-") or "-overview"))
    context.close()
    assert not wide, f"pages wider than the {width} px window: {wide}"


def _links(html: str) -> list[str]:
    import html as html_module
    import re

    return [html_module.unescape(href) for href in re.findall(r'href="(/[^"#]*)', html)]


def test_every_link_from_the_overview_answers(server):
    """Follow every link of every page reachable from the overview (pages, evidence, downloads)."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path: str) -> tuple[str, int, str]:
        try:
            with urllib.request.urlopen(server + path, timeout=60) as response:
                body = response.read()
                kind = response.headers.get("content-type", "")
                return path, response.status, body.decode("utf-8", "replace") if kind.startswith("text/html") else ""
        except urllib.error.HTTPError as error:
            return path, error.code, ""

    seen, frontier, failed = {"/"}, ["/"], []
    with ThreadPoolExecutor(max_workers=4) as pool:
        while frontier:
            batch, frontier = frontier, []
            for path, status, html in pool.map(fetch, batch):
                if status >= 400:
                    failed.append((path, status))
                for link in _links(html):
                    if link.startswith(("/static/", "/assets/")) or link in seen:
                        continue
                    seen.add(link)
                    frontier.append(link)
    assert len(seen) > 200 and not failed, failed


LISTS = ["/documents", "/documents?q=the", "/claims", "/claims?grouped=true", "/figures", "/timeline", "/map",
         "/entities"]


@pytest.mark.parametrize("path", LISTS)
def test_each_list_pages_to_its_end(page, path):
    import re

    page.goto(page.server + path)
    shown = 0
    for _ in range(60):
        counter = page.locator("nav.pager span")
        if counter.count() == 0:  # one page holds everything
            total = int(re.search(r"(\d+)", page.locator(".result-count").inner_text()).group(1))
            assert total <= 100
            return
        first, last, total = (int(x) for x in re.findall(r"\d+", counter.first.inner_text()))
        assert first == shown + 1
        shown = last
        following = page.locator("nav.pager a[rel=next]")
        if following.count() == 0:
            assert last == total
            return
        following.first.click()
        page.wait_for_load_state()
    pytest.fail(f"{path}: no last page after 60 pages")


def test_each_filter_form_filters(page):
    server = page.server
    page.goto(server + "/documents")
    page.select_option("select[name=source]", "Voice of America")
    page.get_by_role("button", name="Filter").click()
    cells = page.locator("main table tbody tr td:nth-child(2)").all_inner_texts()
    assert cells and set(cells) == {"Voice of America"} and "source=Voice" in page.url

    page.goto(server + "/timeline")
    page.select_option("#filter-type", "ASSAULT")
    page.fill("input[name=since]", "2024-01-01")
    page.get_by_role("button", name="Filter").click()
    badges = page.locator("ol.timeline .badge.ev").all_inner_texts()
    dates = page.locator("ol.timeline time").all_inner_texts()
    assert badges and set(badges) == {"ASSAULT"} and all(d >= "2024" for d in dates)

    page.goto(server + "/map")
    page.fill("input[name=country]", "ru")
    page.get_by_role("button", name="Filter").click()
    countries = page.locator("main table tbody tr td:nth-child(2)").all_inner_texts()
    assert countries and set(countries) == {"RU"}

    page.goto(server + "/entities")
    page.select_option("select[name=type]", "PERSON")
    page.get_by_role("button", name="Filter").click()
    types = page.locator("main table tbody tr td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {"PERSON"}

    page.goto(server + "/figures")
    page.fill("input[name=counts]", "soldiers")
    page.get_by_role("button", name="Filter").click()
    assert "counts=soldiers" in page.url and page.locator("figure.track, table.values tbody tr").count() >= 1

    page.goto(server + "/claims")
    page.fill("input[name=entity]", "North Korea")
    page.get_by_role("button", name="Filter").click()
    assert "entity=North+Korea" in page.url and page.locator("table.claims tbody tr").count() >= 1

    page.goto(server + "/documents?q=troops")
    page.fill("main input[name=q]", "North Korean soldiers")
    page.locator("main").get_by_role("button", name="Search").click()
    assert "match" in page.locator(".result-count").inner_text() and page.locator("mark").count() >= 1


def _load(name: str, path: Path) -> int:
    """Load a downloaded export with the library that reads it; how many items it holds."""
    import csv
    import json

    text = path.read_text(encoding="utf-8")
    if name.startswith("csv-"):
        return len(list(csv.DictReader(text.splitlines())))
    if name in ("jsonl", "plover"):
        return len([json.loads(line) for line in text.splitlines()])
    if name == "ftm":
        from followthemoney import model

        return len([model.get_proxy(json.loads(line), cleaned=False) for line in text.splitlines()])
    if name == "stix":
        import stix2

        return len(stix2.parse(text, allow_custom=False).objects)
    if name == "claims-jsonld":
        from rdflib import Graph

        data = json.loads(text)
        data["@context"] = {"@vocab": "https://schema.org/"}
        return len(Graph().parse(data=json.dumps(data), format="json-ld"))
    data = json.loads(text)
    return len(data.get("features") or data.get("events") or data.get("first", {}).get("items") or [])


@pytest.mark.parametrize("path", ["/documents?source=Voice+of+America", "/claims?speaker=Kirby", "/figures",
                                  "/timeline?since=2024", "/map?country=RU", "/entities?type=PERSON"])
def test_each_download_link_gives_a_file_its_library_loads(page, tmp_path, path):
    page.goto(page.server + path)
    links = page.locator("p.downloads a[download]")
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        name = link.get_attribute("data-format")
        with page.expect_download() as info:
            link.click()
        saved = tmp_path / f"{name}.out"
        info.value.save_as(saved)
        assert _load(name, saved) >= 1, name
