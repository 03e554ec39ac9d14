"""The built site in a real browser (Debian's Chromium via Playwright), as a reader sees it.

Serves _build/html on 127.0.0.1 and, for every page: no console error, no failed
request, no request to any other host, every chart drawn, a title and a heading;
no serious or critical axe-core violation. Then a reader's path: click a number,
land on its quote; open a chart's data (search: test_search_browser.py).
A screenshot of every page is saved under test-artifacts/ (not committed).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
pytestmark = pytest.mark.browser
# ``server`` (the site served on 127.0.0.1), ``browser`` (Chromium) and ``shown`` (a page as loaded, shared by the
# checks that read it) are tests/conftest.py's, one per test process.


def site_pages() -> list[str]:
    if not SITE.exists():
        return ["index.html"]
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                  if "_static" not in p.parts and p.name not in {"genindex.html"}
                  and 'http-equiv="Refresh"' not in p.read_text()[:300])  # the root redirect to the home page


def shown_at(paths: list[str], widths: list[int]) -> list:
    """The parameters of the fixture ``shown`` for each page at each width (the test's id: the page, then the width
    when there are several), each in the xdist group of its page and width, so that one test process loads it."""
    return [pytest.param((path, width), id=path if len(widths) == 1 else f"{path}-{width}",
                         marks=pytest.mark.xdist_group(f"{path} at {width} px"))
            for path in paths for width in widths]


class Visit:
    """Open one page, recording console errors, failed requests and every host asked. The page is opened in a tab of
    the test process's browser (``conftest.Chromium.tab``), given back blank when the visit ends, or closed when the
    test failed in it."""

    def __init__(self, browser, url: str, width: int = 1200, route: tuple[str, str] | None = None):
        self.browser = browser
        self.page = browser.tab(width)
        self.route = route
        if route:  # serve a planted page beside the site's own
            self.page.route(route[0], lambda r: r.fulfill(body=route[1], content_type="text/html"))
        self.errors: list[str] = []
        self.vega_warnings: list[str] = []
        self.failed: list[str] = []
        self.hosts: set[str] = set()
        self.listeners = {"console": self._console,
                          "pageerror": lambda e: self.errors.append(str(e)),
                          "requestfailed": lambda r: self.failed.append(f"{r.url} ({r.failure})"),
                          "request": lambda r: self.hosts.add(urlsplit(r.url).hostname or "")}
        for event, listener in self.listeners.items():
            self.page.on(event, listener)
        try:
            self.page.goto(url, wait_until="load")
        except BaseException:
            self.page.close()
            raise

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)
        elif message.type == "warning" and message.text.startswith("WARN"):  # Vega's logger
            self.vega_warnings.append(message.text)

    def __enter__(self) -> Visit:
        return self

    def __exit__(self, kind, *exc) -> None:
        for event, listener in self.listeners.items():
            self.page.remove_listener(event, listener)
        if kind is not None:
            self.page.close()
            return
        if self.route:
            self.page.unroute_all(behavior="ignoreErrors")
        self.browser.give_back(self.page)


@pytest.mark.parametrize("shown", shown_at(site_pages(), [1200]), indirect=True)
def test_every_page_loads_offline_with_no_error_and_every_chart_drawn(shown):
    visit, path, page = shown, shown.path, shown.page
    charts = page.locator("figure.icebook-chart")
    for i in range(charts.count()):
        # The figure gets "chart-drawn" once vegaEmbed resolved; the SVG of marks is the drawing itself.
        assert charts.nth(i).locator(".vega-embed svg.marks").count() >= 1, f"{path}: chart {i + 1} has no drawing"
        assert "chart-drawn" in charts.nth(i).get_attribute("class"), f"{path}: chart {i + 1} not drawn"
    page.evaluate("document.fonts.ready.then(() => true)")  # the picture in the page's own fonts
    page.bring_to_front()  # the shared load may be a tab behind another, whose picture takes longer to draw
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # A whole-page picture of the fact index (well over 100,000 px) takes longer than the
    # screenshot time-out allows; its first screen is kept instead.
    tall = page.evaluate("document.documentElement.scrollHeight") > 30000
    page.screenshot(path=str(ARTIFACTS / (path.replace("/", "__") + ".png")), full_page=not tall)
    assert visit.errors == [], f"{path}: console errors {visit.errors}"
    assert visit.vega_warnings == [], f"{path}: Vega warnings {visit.vega_warnings}"
    assert visit.failed == [], f"{path}: failed requests {visit.failed}"
    assert visit.hosts <= {"127.0.0.1"}, f"{path}: requests left 127.0.0.1: {visit.hosts}"
    assert page.title().strip(), f"{path}: no title"
    assert page.locator("main h1").count() >= 1, f"{path}: no heading"


# Switch the theme as its own switch does (it reads the mode from the <html> element's data attributes), and let
# the page take the new theme's colours: resolves once each chart's drawing has been replaced (drawn again in them)
# and no colour is still easing in (a CSS transition of the theme's).
SWITCH_THEME = """mode => {
  const before = [...document.querySelectorAll("figure.icebook-chart svg.marks")];
  document.documentElement.dataset.mode = mode;
  const redrawn = () => {
    const now = [...document.querySelectorAll("figure.icebook-chart svg.marks")];
    return now.length === before.length && now.every(svg => !before.includes(svg));
  };
  const easing = () => document.getAnimations().some(a => a instanceof CSSTransition && a.playState === "running");
  const changed = document.documentElement.dataset.theme !== mode;
  document.documentElement.dataset.theme = mode;
  const deadline = Date.now() + 15000;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if ((!changed || redrawn()) && !easing()) resolve(mode);
      else if (Date.now() > deadline) reject(new Error(`not settled in ${mode} mode within 15 s: `
                                                       + (easing() ? "colours still changing" : "charts not redrawn")));
      else setTimeout(poll, 20);
    };
    poll();
  });
}"""


def switch_theme(visit: Visit, mode: str) -> None:
    """The page in light or dark mode, its charts redrawn in that mode's colours."""
    visit.page.evaluate(SWITCH_THEME, mode)


@pytest.mark.parametrize("path", site_pages())
def test_no_serious_or_critical_accessibility_violation_in_light_or_dark_mode(server, browser, path):
    """axe-core on one load of the page, in light mode, then in dark mode."""
    from axe_playwright_python.sync_playwright import Axe

    bad = []
    with Visit(browser, f"{server}/{path}") as visit:
        drawn(visit)
        visit.page.evaluate(Axe().axe_script)
        for mode in ("light", "dark"):
            switch_theme(visit, mode)
            results = visit.page.evaluate("options => axe.run(document, options)", {"resultTypes": ["violations"]})
            bad += [f"{mode} mode: {v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['html'][:120]}"
                    for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    assert bad == [], f"{path}:\n" + "\n".join(bad)


def test_reader_clicks_a_number_and_lands_on_its_quote(server, browser):
    with Visit(browser, f"{server}/chapters/pages/comparison.html") as visit:
        link = visit.page.locator("article a.fact:visible").first
        fact_id = link.get_attribute("href").split("#")[1]
        link.click()
        visit.page.wait_for_url(f"**/facts-{fact_id.split('-')[0]}.html#{fact_id}")
        quote = visit.page.locator(f".quote-group:has([id='{fact_id}']) blockquote.source-quote")
        assert quote.is_visible() and quote.inner_text().strip()


def test_an_old_address_in_the_fact_index_reaches_its_fact(server, browser):
    """Before the fact index had a page per source, every fact stood on fact-index.html: a link made then, as
    fact-index.html#<fact-id>, goes on to the fact's entry on its source's page, on the screen."""
    from icebook import load

    facts = load().facts
    with Visit(browser, "about:blank", width=390) as visit:  # one tab, going to each old address in turn
        for fact_id in facts.groupby("source").head(1).index:  # one fact of each source
            visit.page.goto(f"{server}/chapters/pages/fact-index.html#{fact_id}", wait_until="load")
            visit.page.wait_for_url(f"**/facts-{facts.at[fact_id, 'source']}.html#{fact_id}")
            entry = visit.page.locator(f"[id='{fact_id}']")
            entry.wait_for()
            top = entry.evaluate("e => e.getBoundingClientRect().top")
            assert 0 <= top < 900, f"{fact_id}: its entry is not on the screen ({top} px)"
            assert visit.errors == [], f"{fact_id}: {visit.errors}"


def test_reader_opens_the_data_behind_a_chart(server, browser):
    with_chart = [p for p in site_pages() if "icebook-chart" in (SITE / p).read_text()]
    assert with_chart, "no page of the site has a chart"
    with Visit(browser, f"{server}/{with_chart[0]}") as visit:
        figure = visit.page.locator("figure.icebook-chart").first
        table = figure.locator(":scope > details table")  # the figure's own data, not a fold in a stat line
        assert not table.is_visible()
        figure.locator(":scope > details > summary").click()
        assert table.is_visible() and table.locator("a.fact").count() > 0


def test_reader_filters_a_sources_facts_by_a_word_and_is_told_how_many_match(server, browser):
    from icebook import load

    facts = load().facts
    source = facts.loc[facts["quote"].str.contains("fentanyl", case=False), "source"].iloc[0]
    with Visit(browser, f"{server}/chapters/pages/facts-{source}.html") as visit:
        page = visit.page
        entries = page.locator(".fact-entry")
        total = entries.count()
        page.fill("#fact-filter", "fentanyl")
        visible = page.locator(".fact-entry:visible")
        assert 0 < visible.count() < total
        groups = page.locator(".quote-group:visible")
        assert all("fentanyl" in groups.nth(i).inner_text().lower() for i in range(groups.count()))
        assert page.locator("#fact-filter-status").inner_text().strip() == (
            f"{visible.count()} of {total} facts match.")
        page.fill("#fact-filter", "")
        assert page.locator(".fact-entry:visible").count() == total
        assert visit.errors == []


def test_cite_this_figure_copies_the_figure_source_date_locator_quote_and_link(server, browser):
    from icebook import load

    data = load()
    fact = data.facts[(data.facts["source"] == "oig2013") & (data.facts["page_basis"] == "printed")].iloc[0]
    source = data.sources["oig2013"]
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(f"{server}/chapters/pages/facts-oig2013.html#{fact['id']}", wait_until="load")
        button = page.locator(f"[id='{fact['id']}'] button.cite-fact")
        button.click()
        page.wait_for_function("b => b.textContent === 'Citation copied'", arg=button.element_handle())
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        context.close()
    for part in (fact["printed"], source.title, source.issuer, source.date_printed, source.document_number,
                 fact["locator"], f"page {fact['page']}", fact["quote"]):
        assert part in copied, (part, copied)
    assert "Cited from ICE in FY2017–FY2020" in copied and "edition of" in copied  # the edition read
    assert copied.endswith(f"/chapters/pages/facts-oig2013.html#{fact['id']}")


# --- Charts at a phone's, a tablet's and a desktop's width ----------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "charts"
WIDTHS = [390, 768, 1280]
# Every drawn chart (the SVG of each panel) inside its column and the viewport; every text it draws (value labels,
# axis labels) inside the chart; titles and captions not wider than the figure. Returns what is wrong, in words.
GEOMETRY = """() => {
  const problems = [], slack = 1, viewport = document.documentElement.clientWidth;
  const inside = (a, b) => a.left >= b.left - slack && a.right <= b.right + slack
                           && a.top >= b.top - slack && a.bottom <= b.bottom + slack;
  const box = r => `${Math.round(r.left)}–${Math.round(r.right)} px`;
  document.querySelectorAll("figure.icebook-chart").forEach(figure => {
    const column = (figure.closest("article") || document.body).getBoundingClientRect();
    figure.querySelectorAll(".chart-live svg.marks").forEach((svg, i) => {
      const chart = svg.getBoundingClientRect(), name = `${figure.id} panel ${i + 1}`;
      if (!inside({left: chart.left, right: chart.right, top: column.top, bottom: column.top}, column))
        problems.push(`${name}: chart ${box(chart)} outside its column ${box(column)}`);
      if (chart.left < -slack || chart.right > viewport + slack)
        problems.push(`${name}: chart ${box(chart)} outside the viewport 0–${viewport} px`);
      svg.querySelectorAll("text").forEach(text => {
        const label = text.getBoundingClientRect();
        if (label.width && !inside(label, chart))
          problems.push(`${name}: label "${text.textContent}" ${box(label)} outside the chart ${box(chart)}`);
      });
      // a value label starts where the bars do or right of it: never over the bars' own labels (a chart of bars)
      const bars = [...svg.querySelectorAll("g.mark-rect.role-mark path")];
      const start = Math.min(...bars.map(bar => bar.getBoundingClientRect().left));
      if (bars.length) svg.querySelectorAll("g.mark-text.role-mark text").forEach(text => {
        const label = text.getBoundingClientRect();
        if (label.left < start - slack) problems.push(`${name}: value "${text.textContent}" starts left of the bars`);
      });
    });
    figure.querySelectorAll(".chart-heading p, figcaption p, .chart-panel-title").forEach(p => {
      if (p.scrollWidth > p.clientWidth + slack) problems.push(`${figure.id}: "${p.textContent.slice(0, 40)}" cut off`);
    });
  });
  return problems;
}"""


def chart_pages() -> list[str]:
    return [p for p in site_pages() if SITE.exists() and "icebook-chart" in (SITE / p).read_text()]


def drawn(visit: Visit) -> int:
    charts = visit.page.locator("figure.icebook-chart")
    for i in range(charts.count()):
        charts.nth(i).locator(".vega-embed svg.marks").first.wait_for(state="attached", timeout=15000)
    visit.page.wait_for_function("[...document.querySelectorAll('figure.icebook-chart')]"
                                 ".every(f => f.classList.contains('chart-drawn'))", timeout=15000)
    return charts.count()


@pytest.mark.parametrize("shown", shown_at(chart_pages() or ["chapters/pages/comparison.html"], WIDTHS), indirect=True)
def test_every_chart_fits_its_column_with_every_label_inside(shown):
    path, width = shown.path, shown.width
    assert drawn(shown) > 0, f"{path}: no chart"
    assert shown.page.evaluate(GEOMETRY) == [], f"{path} at {width} px"
    assert shown.vega_warnings == [], f"{path} at {width} px: Vega warnings {shown.vega_warnings}"


# Each panel's SVG inside its own box, and no label cut short by Vega ("mor…"): with GEOMETRY, what a chart drawn
# for one width and left at another shows. Returns what is wrong, in words.
IN_ITS_BOX = """() => {
  const problems = [];
  document.querySelectorAll("figure.icebook-chart .chart-live").forEach((live, i) => {
    const svg = live.querySelector("svg.marks"), figure = live.closest("figure").id;
    if (!svg) { problems.push(`${figure} panel ${i + 1}: not drawn`); return; }
    const box = live.getBoundingClientRect(), chart = svg.getBoundingClientRect();
    if (chart.width > box.width + 1)
      problems.push(`${figure}: chart ${Math.round(chart.width)} px wide in a box of ${Math.round(box.width)} px`);
    svg.querySelectorAll("text").forEach(text => {
      if (text.textContent.endsWith("…")) problems.push(`${figure}: label "${text.textContent}" cut short`);
    });
  });
  return problems;
}"""
# Resolves once the page has settled after a change of width: no transition running (the sidebar coming in), and
# every chart drawn for its box as laid out now (a figure waiting to be redrawn is not "chart-drawn"), on three
# frames on end; or, with false, at the deadline (then the checks say what is wrong).
SETTLE = """ms => new Promise(resolve => {
  const easing = () => document.getAnimations().some(a => a instanceof CSSTransition && a.playState === "running");
  const fitted = () => [...document.querySelectorAll("figure.icebook-chart")].every(figure =>
    figure.classList.contains("chart-drawn") && [...figure.querySelectorAll(".chart-panel")].every(panel => {
      const box = panel.querySelector(".chart-live").getBoundingClientRect();
      return Number(panel.dataset.drawnWidth) === Math.floor(box.width);
    }));
  const deadline = Date.now() + ms;
  let frames = 0;
  const step = () => {
    frames = !easing() && fitted() ? frames + 1 : 0;
    if (frames === 3) resolve(true);
    else if (Date.now() > deadline) resolve(false);
    else requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})"""


def settle(page, width: int) -> None:
    """The page at a new width, once its layout and charts have settled there (``SETTLE``, within 8 s)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate(SETTLE, 8000)


@pytest.mark.parametrize(("start", "end"), [(390, 1280), (900, 1000), (1280, 390)])
@pytest.mark.parametrize("path", chart_pages() or ["chapters/pages/comparison.html"])
def test_every_chart_fits_its_box_after_the_window_is_resized(server, browser, path, start, end):
    """A page loaded at one width and then widened or narrowed (a tablet turned, a window dragged across the
    sidebar's breakpoint) redraws each chart for its new box: every SVG fits it and every label shows."""
    with Visit(browser, f"{server}/{path}", width=start) as visit:
        assert drawn(visit) > 0, f"{path}: no chart"
        settle(visit.page, end)  # the layout moves for a moment (the sidebar comes in); what is wrong then fails
        problems = visit.page.evaluate(IN_ITS_BOX) + visit.page.evaluate(GEOMETRY)
        assert problems == [], f"{path} loaded at {start} px, then {end} px"
        assert visit.errors == [], visit.errors


def test_a_chart_too_wide_for_a_phone_is_caught(server, browser):
    url = f"{server}/chapters/pages/planted-too-wide.html"
    with Visit(browser, url, width=390, route=(url, (FIXTURES / "too-wide.html").read_text())) as visit:
        assert drawn(visit) == 1
        problems = visit.page.evaluate(GEOMETRY)
        assert any("chart-too-wide panel 1: chart" in p and "outside its column" in p for p in problems), problems
        assert any("outside the viewport 0–390 px" in p for p in problems), problems


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in colour[colour.index("(") + 1:].split(")")[0].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


COLOURS = r"""() => {
  const figure = document.querySelector("figure.icebook-chart"), svg = figure.querySelector("svg.marks");
  let element = figure, background = "rgba(0, 0, 0, 0)";
  while (element && /rgba\(.*, 0\)|transparent/.test(background)) {
    background = getComputedStyle(element).backgroundColor; element = element.parentElement;
  }
  const fill = el => el && getComputedStyle(el).fill;
  return {background, bar: fill(svg.querySelector("g.mark-rect.role-mark path")),
          labels: [...svg.querySelectorAll("g.mark-text.role-mark text")].map(t => fill(t)),
          axis: fill(svg.querySelector("g.role-axis-label text"))};
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_charts_are_readable_in_light_and_dark_mode(server, browser, theme):
    path = next(iter(chart_pages()), "chapters/pages/oversight.html")
    with Visit(browser, f"{server}/{path}") as visit:
        drawn(visit)
        switch_theme(visit, theme)  # what the theme switch does; every chart redrawn in the theme's colours
        colours = visit.page.evaluate(COLOURS)
        assert _contrast(colours["axis"], colours["background"]) >= 4.5, colours
        assert _contrast(colours["bar"], colours["background"]) >= 3, colours  # a mark, not text
        for label in colours["labels"]:  # on the bar or on the page
            assert max(_contrast(label, colours["bar"]), _contrast(label, colours["background"])) >= 4.5, colours
        assert visit.errors == [] and visit.vega_warnings == []


# Answer the reader first (issue 10): key findings, pages a reader can scan, sidebar contents, dark mode.
TALLEST = 20000  # px at 1280 px wide; the fact index's pages (one per source) included


def reader_pages() -> list[str]:
    """Every page a reader scans: all but the search page."""
    return [p for p in site_pages() if not p.startswith("search")]


def test_home_opens_with_traced_key_findings_each_linking_to_its_section(server, browser):
    with Visit(browser, f"{server}/chapters/pages/home.html") as visit:
        page = visit.page
        assert page.locator("article h2").first.inner_text().strip() == "Key findings"
        items = page.locator("ol.key-findings > li")
        assert 6 <= items.count() <= 12
        traced = [i for i in range(items.count())
                  if items.nth(i).locator("a.fact, a.derived, a.book-count").count() > 0]
        assert len(traced) >= 6, f"only {len(traced)} findings hold a traced figure"
        targets = [items.nth(i).locator("a.finding-section").get_attribute("href") for i in range(items.count())]
    anchors: dict[str, list[str]] = {}  # each page the findings link to, opened once for all its sections
    for target in targets:
        path, anchor = target.split("#")
        anchors.setdefault(path, []).append(anchor)
    for path, wanted in anchors.items():
        with Visit(browser, f"{server}/chapters/pages/{path}") as visit:
            counts = visit.page.evaluate("ids => ids.map(id => document.querySelectorAll(`[id='${id}']`).length)",
                                         wanted)
        assert [f"{path}#{a}" for a, n in zip(wanted, counts, strict=True) if n != 1] == [], "no such section"


@pytest.mark.parametrize("shown", shown_at(reader_pages(), [1280]), indirect=True)
def test_page_is_short_enough_to_scan_at_1280_px(shown):
    height = shown.page.evaluate("document.documentElement.scrollHeight")
    assert height <= TALLEST, f"{shown.path} is {height} px tall at 1280 px (at most {TALLEST})"


@pytest.mark.parametrize("shown", shown_at(reader_pages(), [1200]), indirect=True)
def test_no_table_repeats_a_row_and_no_list_repeats_an_item(shown):
    repeats = shown.page.evaluate("""() => {
        const found = [];
        const check = (items, what) => {
            const seen = new Set();
            for (const item of items) {
                const text = item.innerText.replace(/\\s+/g, ' ').trim();
                if (text && seen.has(text)) found.push(what + ': ' + text.slice(0, 100));
                seen.add(text);
            }
        };
        document.querySelectorAll('article table')
            .forEach(t => check(t.querySelectorAll(':scope > tbody > tr'), 'row'));
        document.querySelectorAll('article ul, article ol')
            .forEach(l => check(l.querySelectorAll(':scope > li'), 'item'));
        return found;
    }""")
    assert repeats == [], f"{shown.path} repeats: {repeats}"


@pytest.mark.parametrize("shown", shown_at(reader_pages(), [1200]), indirect=True)
def test_every_section_heading_is_in_the_page_contents_sidebar(shown):
    missing = shown.page.evaluate("""() => {
        const listed = new Set([...document.querySelectorAll('nav.page-toc a[href^="#"]')]
            .map(a => decodeURIComponent(a.getAttribute('href').slice(1))));
        return [...document.querySelectorAll('article h2')]
            .filter(h => !(h.closest('section') && listed.has(h.closest('section').id)))
            .map(h => h.innerText.trim());
    }""")
    assert missing == [], f"{shown.path}: headings not in the sidebar (not real sections?): {missing}"


def test_recommendation_tracker_fits_1280_px_and_stacks_at_390_px(server, browser):
    with Visit(browser, f"{server}/chapters/pages/oversight.html") as visit:
        page = visit.page
        for width in (1280, 390):
            settle(page, width)
            overflow = page.evaluate("""() => [...document.querySelectorAll('table.tracker')].map(
                t => t.getBoundingClientRect().right - t.closest('article').getBoundingClientRect().right)""")
            assert overflow and max(overflow) <= 1, f"tracker overflows its column at {width} px by {max(overflow)} px"
        badges = page.locator("table.tracker .badge")
        assert badges.count() == page.locator("table.tracker tbody tr").count()


# Every column of every table (folds opened, and closed again after) inside the page's column and inside any box
# that would cut it off (a cell output scrolls sideways, so a table wider than it loses its last columns from view).
# Returns, in words, each column cut off.
COLUMNS_CUT_OFF = """() => {
  const folded = [...document.querySelectorAll('article details:not([open])')];
  folded.forEach(d => d.open = true);
  const problems = [], slack = 1;
  document.querySelectorAll('article table').forEach(table => {
    let right = table.closest('article').getBoundingClientRect().right;
    for (let box = table.parentElement; box && box.tagName !== 'ARTICLE'; box = box.parentElement)
      if (getComputedStyle(box).overflowX !== 'visible') right = Math.min(right, box.getBoundingClientRect().right);
    const heads = [...table.querySelectorAll('thead th')];
    const cells = heads.length ? heads : [...(table.querySelector('tr') || {children: []}).children];
    cells.filter(cell => cell.getBoundingClientRect().right > right + slack).forEach(cell => problems.push(
      `${table.id || table.className}: column "${cell.textContent.trim()}" cut off (ends at `
      + `${Math.round(cell.getBoundingClientRect().right)} px, its column at ${Math.round(right)} px)`));
  });
  folded.forEach(d => d.open = false);
  return problems;
}"""


@pytest.mark.parametrize("shown", shown_at(reader_pages(), [1280]), indirect=True)
def test_every_table_column_is_fully_visible_at_1280_px(shown):
    """At desktop width a table fits its column: none loses a column (the claims audit's verdict) to the edge."""
    assert shown.page.evaluate(COLUMNS_CUT_OFF) == [], f"{shown.path} at 1280 px"


def test_a_table_column_cut_off_at_1280_px_is_caught(server, browser):
    url = f"{server}/chapters/pages/planted-cut-off-column.html"
    planted = (Path(__file__).parent / "fixtures" / "tables" / "cut-off-column.html").read_text()
    with Visit(browser, url, width=1280, route=(url, planted)) as visit:
        problems = visit.page.evaluate(COLUMNS_CUT_OFF)
        assert any(p.startswith('claims-planted: column "Verdict" cut off') for p in problems), problems
        assert not any('"Claim as stated"' in p for p in problems), problems


@pytest.mark.parametrize("shown", shown_at(reader_pages(), [390]), indirect=True)
def test_no_data_table_is_wider_than_a_phone_screen(shown):
    """At 390 px a wide table (the data behind a chart, the claims audit) stacks its rows as labelled cards."""
    too_wide = shown.page.evaluate("""() => {
        const folded = [...document.querySelectorAll('article details:not([open])')];
        folded.forEach(d => d.open = true);
        const viewport = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('article table')]
            .filter(t => t.getBoundingClientRect().right > viewport + 1)
            .map(t => `${t.id || t.className}: ${Math.round(t.getBoundingClientRect().width)} px wide`);
        folded.forEach(d => d.open = false);  // as loaded, for the next check of this page
        return wide;
    }""")
    assert too_wide == [], f"{shown.path} at 390 px: {too_wide}"


@pytest.mark.parametrize("shown", shown_at(["chapters/pages/home.html"], [390]), indirect=True)
def test_nothing_in_the_key_findings_is_wider_than_a_phone_screen(shown):
    """At 390 px every finding, its traced figures and its "See …" link wrap inside the screen (the reader review:
    a link that would not wrap ended 574 px across, and the box scrolled sideways)."""
    outside = shown.page.evaluate("""() => {
        const viewport = document.documentElement.clientWidth;
        const box = document.querySelector('ol.key-findings');
        if (!box) return ['no key findings list'];
        return [box, ...box.querySelectorAll('*')].flatMap(e => [...e.getClientRects()]
            .filter(r => r.width && (r.right > viewport + 1 || r.left < -1))
            .map(r => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 40)}": `
                      + `${Math.round(r.left)}–${Math.round(r.right)} px`));
    }""")
    assert outside == [], f"key findings at 390 px, outside the screen 0–390 px: {outside}"


@pytest.mark.parametrize("shown", shown_at(["chapters/pages/fact-index.html"], [1200]), indirect=True)
def test_each_source_of_the_fact_index_has_its_page_in_the_sidebar_and_on_the_landing_page(shown):
    from icebook import load

    for source_id in load().sources:
        page = f"facts-{source_id}.html"
        assert shown.page.locator(f'nav.bd-docs-nav a[href$="{page}"]').count() == 1, f"{page}: not in the sidebar"
        assert shown.page.locator(f'ul.fact-sources a[href="{page}"]').count() >= 1, f"{page}: not listed"


@pytest.mark.parametrize("shown", shown_at(["chapters/pages/home.html"], [1280, 390]), indirect=True)
def test_one_search_box_at_a_time(shown):
    boxes = shown.page.evaluate("""() => [...document.querySelectorAll(
            '.search-button-field, .search-button, form.bd-search')]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => e.className)""")
    assert len(boxes) == 1, f"{len(boxes)} search controls at {shown.width} px: {boxes}"


@pytest.mark.parametrize("path", ["chapters/pages/home.html", "chapters/pages/comparison.html",
                                  "chapters/pages/oversight.html"])
def test_screenshots_at_desktop_and_phone_width(server, browser, path):
    """Saved for a reader's review (test-artifacts/screenshots/); the page must not scroll sideways on a phone."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with Visit(browser, f"{server}/{path}") as visit:
        for width in (1280, 390):
            settle(visit.page, width)
            name = path.split("/")[-1].removesuffix(".html")
            visit.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_the_profiles_landing_page_is_no_dead_end_on_a_phone(server, browser):
    """At 390 px the sidebar is hidden: the landing page itself links to every component's profile, each with a line
    saying what the component is."""
    from icebook import load

    profiled = [c for c in load().structure["components"] if c.get("current") and c.get("parent")]
    with Visit(browser, f"{server}/chapters/pages/components.html", width=390) as visit:
        for component in profiled:
            link = visit.page.locator(f'article ul.component-list a[href="profile-{component["id"].lower()}.html"]')
            assert link.is_visible(), f"no visible link to {component['id']}'s profile"
            assert len(link.locator("xpath=..").inner_text()) > len(link.inner_text()) + 10  # its line
        visit.page.locator('article a[href="profile-ero.html"]').click()
        visit.page.wait_for_url("**/profile-ero.html")
