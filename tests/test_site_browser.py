"""The built site in a real browser (Debian's Chromium via Playwright), as a reader sees it.

Serves _build/html on 127.0.0.1 and, for every page: no console error, no failed
request, no request to any other host, every chart drawn, a title and a heading;
no serious or critical axe-core violation. Then a reader's path: click a number,
land on its quote; open a chart's data; search for a word of a quote.
A screenshot of every page is saved under test-artifacts/ (not committed).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI") == "true"
pytestmark = pytest.mark.browser


def _require(condition: bool, why: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(f"{why} (in CI this is a failure, not a skip)")
        pytest.skip(why)


@pytest.fixture(scope="module")
def server():
    _require((SITE / "index.html").exists(), "no built site: run `make book` first")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    _require(Path(CHROMIUM).exists(), "Debian's chromium is not installed (bin/ensure-debian chromium:chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def site_pages() -> list[str]:
    if not SITE.exists():
        return ["index.html"]
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                  if "_static" not in p.parts and p.name not in {"genindex.html"}
                  and 'http-equiv="Refresh"' not in p.read_text()[:300])  # the root redirect to the home page


class Visit:
    """Open one page, recording console errors, failed requests and every host asked."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.hosts: set[str] = set()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("request", lambda r: self.hosts.add(urlsplit(r.url).hostname or ""))
        self.page.goto(url, wait_until="load")

    def __enter__(self) -> Visit:
        return self

    def __exit__(self, *exc) -> None:
        self.page.close()


@pytest.mark.parametrize("path", site_pages())
def test_every_page_loads_offline_with_no_error_and_every_chart_drawn(server, browser, path):
    with Visit(browser, f"{server}/{path}") as visit:
        page = visit.page
        charts = page.locator("figure.icebook-chart")
        for i in range(charts.count()):
            # The figure gets "chart-drawn" once vegaEmbed resolved; the SVG of marks is the drawing itself.
            charts.nth(i).locator(".vega-embed svg.marks").first.wait_for(state="attached", timeout=15000)
            assert "chart-drawn" in charts.nth(i).get_attribute("class")
        page.wait_for_timeout(200)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / (path.replace("/", "__") + ".png")), full_page=True)
        assert visit.errors == [], f"{path}: console errors {visit.errors}"
        assert visit.failed == [], f"{path}: failed requests {visit.failed}"
        assert visit.hosts <= {"127.0.0.1"}, f"{path}: requests left 127.0.0.1: {visit.hosts}"
        assert page.title().strip()
        assert page.locator("main h1").count() >= 1, f"{path}: no heading"


@pytest.mark.parametrize("path", site_pages())
def test_no_serious_or_critical_accessibility_violation(server, browser, path):
    from axe_playwright_python.sync_playwright import Axe

    with Visit(browser, f"{server}/{path}") as visit:
        results = Axe().run(visit.page)
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['html'][:120]}"
               for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
        assert bad == [], f"{path}:\n" + "\n".join(bad)


def test_reader_clicks_a_number_and_lands_on_its_quote(server, browser):
    with Visit(browser, f"{server}/chapters/pages/comparison.html") as visit:
        link = visit.page.locator("article a.fact:visible").first
        fact_id = link.get_attribute("href").split("#")[1]
        link.click()
        visit.page.wait_for_url(f"**/fact-index.html#{fact_id}")
        entry = visit.page.locator(f"[id='{fact_id}']")
        assert entry.locator("blockquote.source-quote").is_visible()
        assert entry.locator("blockquote.source-quote").inner_text().strip()


def test_reader_opens_the_data_behind_a_chart(server, browser):
    with_chart = [p for p in site_pages() if "icebook-chart" in (SITE / p).read_text()]
    assert with_chart, "no page of the site has a chart"
    with Visit(browser, f"{server}/{with_chart[0]}") as visit:
        figure = visit.page.locator("figure.icebook-chart").first
        table = figure.locator("details table")
        assert not table.is_visible()
        figure.locator("details summary").click()
        assert table.is_visible() and table.locator("a.fact").count() > 0


def test_reader_finds_a_fact_by_a_word_of_its_quote(server, browser):
    with Visit(browser, f"{server}/search.html?q=fentanyl") as visit:
        results = visit.page.locator("#search-results li a")
        results.first.wait_for(timeout=15000)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any("fact-index" in h for h in hrefs), hrefs


def test_reader_filters_the_fact_index_by_a_word(server, browser):
    with Visit(browser, f"{server}/chapters/pages/fact-index.html") as visit:
        page = visit.page
        entries = page.locator(".fact-entry")
        total = entries.count()
        page.fill("#fact-filter", "fentanyl")
        visible = page.locator(".fact-entry:visible")
        assert 0 < visible.count() < total
        assert all("fentanyl" in visible.nth(i).inner_text().lower() for i in range(visible.count()))
        assert not page.locator("section.fact-source:has(#facts-oidro)").is_visible()  # the memo has no such fact
        assert page.locator("#fact-filter-status").inner_text().strip()
        page.fill("#fact-filter", "")
        assert page.locator(".fact-entry:visible").count() == total
        assert visit.errors == []


def test_cite_this_figure_copies_the_figure_source_date_locator_quote_and_link(server, browser):
    from icebook import load

    data = load()
    fact = data.facts[(data.facts["source"] == "oig2013") & (data.facts["page"] != "")].iloc[0]
    source = data.sources["oig2013"]
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(f"{server}/chapters/pages/fact-index.html#{fact['id']}", wait_until="load")
        button = page.locator(f"[id='{fact['id']}'] button.cite-fact")
        button.click()
        page.wait_for_function("b => b.textContent === 'Citation copied'", arg=button.element_handle())
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        context.close()
    for part in (fact["printed"], source.title, source.issuer, source.date_printed, source.document_number,
                 fact["locator"], f"page {fact['page']}", fact["quote"]):
        assert part in copied, (part, copied)
    assert copied.endswith(f"/chapters/pages/fact-index.html#{fact['id']}")
