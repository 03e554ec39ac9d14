"""Charts that carry the answer, measured in a real browser (Debian's Chromium via Playwright) on the built site:
every qualified figure drawn with its qualifier's mark, the key to the marks once a page, no one-bar panel, the
alt text for screen readers only, no more text under a chart on a phone than its own height before its downloads,
and downloaded pictures with their title above the chart and their source below. Each rule has a planted fault
(tests/fixtures/charts/*.html, or a page made here) that the same measure catches."""

from __future__ import annotations

import re

import pytest

import test_site_browser
from icebook import load
from icebook.pages.charttitles import title_problems
from test_site_browser import FIXTURES, SITE, Visit, chart_pages, drawn, shown_at

pytestmark = pytest.mark.browser
CHART_PAGES = chart_pages() or ["chapters/pages/comparison.html"]
PLANTED = "chapters/pages/planted.html"

# The encodings, by hand: a mark a qualifier must draw beside its bar (an exact figure: none of them).
MARKS = {"more_than": ["open"], "at_least": ["open"], "about": ["approximate"], "nearly": ["approximate"],
         "rounded": ["approximate"], "rounded_hundred": ["approximate"], "up_to": ["ceiling"],
         "less_than": ["ceiling"], "exact": []}
DERIVED = {"": [], "about": ["approximate"], "more than": ["open"], "less than": ["ceiling"]}


def expected_marks() -> dict[str, list[str]]:
    """For every figure a chart may draw, the marks its bar must carry: its qualifier's, and an implied figure's
    hollow dashed outline."""
    data = load()
    marks = {i: MARKS[q] for i, q in data.facts["qualifier"].items() if q in MARKS}
    marks |= {i: ["implied", *DERIVED[b]] for i, b in data.derived["bound"].items()}
    return marks


# For each panel drawn, each row of its spec (in the order drawn) against its bar in the SVG: the open end is a
# dashed line from the bar's end and a filled arrow past it; the tilde an unfilled symbol just past the end; the
# arrow back a filled symbol inside the end; an implied figure an unfilled, dashed bar. Returns what is wrong.
ENCODINGS = """expected => {
  const problems = [];
  const filled = e => !["none", "transparent", "rgba(0, 0, 0, 0)"].includes(getComputedStyle(e).fill)
                      && getComputedStyle(e).fillOpacity !== "0";
  document.querySelectorAll("figure.bars-chart").forEach(figure => {
    figure.querySelectorAll(".chart-panel").forEach((panel, p) => {
      const spec = JSON.parse(panel.querySelector("script.chart-spec").textContent);
      const rows = spec.datasets ? Object.values(spec.datasets)[0] : spec.data.values;
      const svg = panel.querySelector("svg.marks");
      const bars = [...svg.querySelectorAll("g.mark-rect.role-mark path")];
      const rules = [...svg.querySelectorAll("g.mark-rule.role-mark line")].map(e => e.getBoundingClientRect());
      const symbols = [...svg.querySelectorAll("g.mark-symbol.role-mark path")]
        .map(e => ({box: e.getBoundingClientRect(), filled: filled(e)}));
      if (bars.length !== rows.length)
        problems.push(`${figure.id} panel ${p + 1}: ${bars.length} bars, ${rows.length} rows`);
      rows.forEach((row, i) => {
        if (!bars[i]) return;
        const bar = bars[i].getBoundingClientRect(), style = getComputedStyle(bars[i]);
        const inRow = r => (r.top + r.bottom) / 2 > bar.top - 1 && (r.top + r.bottom) / 2 < bar.bottom + 1;
        const drawn = {
          open: rules.some(r => inRow(r) && Math.abs(r.left - bar.right) <= 2 && r.width >= 4)
                && symbols.some(s => s.filled && inRow(s.box) && s.box.left >= bar.right + 2),
          approximate: symbols.some(s => !s.filled && inRow(s.box) && s.box.left >= bar.right - 1
                                         && s.box.left <= bar.right + 20),
          ceiling: symbols.some(s => s.filled && inRow(s.box) && s.box.right <= bar.right + 1
                                     && s.box.left >= bar.right - 20),
          implied: !filled(bars[i]) && style.strokeDasharray !== "none"
                   && !/^1(px)?,? 0(px)?$/.test(style.strokeDasharray),
        };
        const want = expected[row.fact];
        if (want === undefined) { problems.push(`${figure.id}: ${row.fact} is no figure of the book`); return; }
        for (const [mark, has] of Object.entries(drawn))
          if (want.includes(mark) !== has)
            problems.push(`${figure.id} panel ${p + 1}: ${row.fact} ("${row.printed}") `
                          + `${has ? "has" : "lacks"} the ${mark} mark`);
      });
    });
  });
  return problems;
}"""


@pytest.mark.parametrize("shown", shown_at(CHART_PAGES, [390, 1280]), indirect=True)
def test_every_figure_is_drawn_with_the_mark_its_qualifier_calls_for(shown):
    assert drawn(shown) > 0
    assert shown.page.evaluate(ENCODINGS, expected_marks()) == [], f"{shown.path} at {shown.width} px"


def test_a_more_than_figure_drawn_as_a_plain_bar_is_caught(server, browser):
    url = f"{server}/{PLANTED}"
    with Visit(browser, url, route=(url, (FIXTURES / "open-end-missing.html").read_text())) as visit:
        assert drawn(visit) == 1
        problems = visit.page.evaluate(ENCODINGS, expected_marks())
        assert problems == ['chart-open-end-missing panel 1: dhs2018-hsi-fentanyl-seized ("more than 2,300") lacks '
                            "the open mark"]


# A figure said in a stat line, not drawn, carries the same marks in its small picture (``chartkey.glyph``): the open
# end a dashed line from the bar's end and a filled arrow past it; the tilde an unfilled curve past the end; the arrow
# back a filled shape inside the end; an implied figure an unfilled, dashed bar. Read from the SVG as drawn.
STAT_MARKS = """expected => {
  const problems = [];
  document.querySelectorAll("p.stat-line").forEach(line => {
    const link = line.querySelector(".stat-figure a");
    const id = decodeURIComponent(link.getAttribute("href").split("#")[1]);
    const glyph = line.querySelector("svg.key-glyph");
    const drawn = {open: false, approximate: false, ceiling: false, implied: false};
    if (glyph) {
      const bar = glyph.querySelector("rect"), end = bar ? bar.getBBox().x + bar.getBBox().width : 0;
      const filled = e => !["none", "transparent"].includes(e.getAttribute("fill") || "");
      const shapes = [...glyph.querySelectorAll("path")].map(e => ({box: e.getBBox(), filled: filled(e)}));
      drawn.open = [...glyph.querySelectorAll("line[stroke-dasharray]")].some(l => l.x1.baseVal.value >= end - 2)
                   && shapes.some(s => s.filled && s.box.x >= end);
      drawn.approximate = shapes.some(s => !s.filled && s.box.x >= end - 1);
      drawn.ceiling = shapes.some(s => s.filled && s.box.x + s.box.width <= end + 1);
      drawn.implied = !!bar && !filled(bar) && bar.hasAttribute("stroke-dasharray");
    }
    const want = expected[id];
    if (want === undefined) { problems.push(`${id} is no figure of the book`); return; }
    for (const [mark, has] of Object.entries(drawn))
      if (want.includes(mark) !== has)
        problems.push(`${id} ("${link.textContent}") ${has ? "has" : "lacks"} the ${mark} mark`);
  });
  return problems;
}"""


def stat_pages() -> list[str]:
    return [p for p in test_site_browser.site_pages()
            if SITE.exists() and 'class="stat-line"' in (SITE / p).read_text()]


@pytest.mark.parametrize("shown", shown_at(stat_pages() or ["chapters/pages/comparison.html"], [390]), indirect=True)
def test_every_figure_said_in_a_stat_line_carries_the_mark_its_qualifier_calls_for(shown):
    assert shown.page.locator("p.stat-line").count() > 0
    assert shown.page.evaluate(STAT_MARKS, expected_marks()) == [], shown.path


def test_a_more_than_figure_said_with_a_plain_mark_is_caught(server, browser):
    url = f"{server}/{PLANTED}"
    with Visit(browser, url, route=(url, (FIXTURES / "stat-mark-missing.html").read_text())) as visit:
        assert visit.page.evaluate(STAT_MARKS, expected_marks()) == [
            'dhs2018-hsi-fentanyl-seized ("more than 2,300") lacks the open mark']


# The bottom line's changes, each against its marks in the SVG: a change the book can only bound ("at most", "at
# least", as the chart's own label says) is a range (a line along its row, from its bound on) and no dot; a change it
# states is a dot and no range: hollow where the rule compares it with a stated caveat, else filled.
CHANGES = """() => {
  const problems = [];
  const filled = e => !["none", "transparent", "rgba(0, 0, 0, 0)"].includes(getComputedStyle(e).fill);
  const circle = e => /A/i.test(e.getAttribute("d"));  // a circle is drawn with arcs; a range's bar is a line
  document.querySelectorAll("figure.changes-chart .chart-panel").forEach(panel => {
    const rows = JSON.parse(panel.querySelector("script.chart-spec").textContent).data.values;
    const svg = panel.querySelector("svg.marks");
    const lines = [...svg.querySelectorAll("g.mark-rule.role-mark line")].map(e => e.getBoundingClientRect());
    const marks = [...svg.querySelectorAll("g.mark-symbol.role-mark path[aria-label]")];
    rows.forEach(row => {
      const own = marks.filter(m => m.getAttribute("aria-label").includes(row.row));
      if (!own.length) { problems.push(`${row.row}: not drawn`); return; }
      const box = own[0].getBoundingClientRect(), middle = (box.top + box.bottom) / 2;
      const bounded = /^at (most|least) /.test(row.text);
      const caveated = row.verdict === "compared with a stated caveat";
      const drawn = {range: lines.some(l => Math.abs((l.top + l.bottom) / 2 - middle) < 3 && l.width > 8),
                     dot: own.some(filled), hollow: own.some(m => !filled(m) && circle(m))};
      if (drawn.range !== bounded) problems.push(`${row.row} ("${row.text}") ${bounded ? "lacks" : "has"} a range`);
      if (!bounded && drawn.dot === caveated)
        problems.push(`${row.row} ("${row.text}") ${caveated ? "has" : "lacks"} a filled dot`);
      if (bounded && drawn.dot) problems.push(`${row.row} ("${row.text}") has a dot`);
      if (!bounded && drawn.hollow !== caveated)
        problems.push(`${row.row} ("${row.text}") ${caveated ? "lacks" : "has"} a hollow dot`);
    });
  });
  return problems;
}"""
HOME = "chapters/pages/home.html"


@pytest.mark.parametrize("shown", shown_at([HOME], [390]), indirect=True)
def test_every_change_on_the_bottom_line_is_a_dot_if_stated_and_a_range_if_bounded(shown):
    assert drawn(shown) > 0 and shown.page.locator("figure.changes-chart").count() == 1
    assert shown.page.evaluate(CHANGES) == []


def test_a_bounded_change_drawn_as_a_dot_is_caught(server, browser):
    planted = (SITE / HOME).read_text().replace('"point":false', '"point":true')  # every change drawn as a dot
    url = f"{server}/{HOME}"
    with Visit(browser, url, route=(url, planted)) as visit:
        drawn(visit)
        problems = visit.page.evaluate(CHANGES)
    assert problems and all(p.endswith(("lacks a range", "has a dot")) and '("at ' in p for p in problems)


def test_a_change_with_a_caveat_drawn_as_a_filled_dot_is_caught(server, browser):
    page = (SITE / HOME).read_text()
    if '"verdict":"compared exactly"' not in page:
        pytest.skip("no change of the bottom line is compared exactly")
    # every exact change's row says it is compared with a caveat, and is still drawn as a filled dot
    planted = page.replace('"verdict":"compared exactly"', '"verdict":"compared with a stated caveat"')
    url = f"{server}/{HOME}"
    with Visit(browser, url, route=(url, planted)) as visit:
        drawn(visit)
        problems = visit.page.evaluate(CHANGES)
    assert problems and all(p.endswith(("has a filled dot", "lacks a hollow dot")) for p in problems), problems


# The bottom line's zero: labelled on its axis, and its dashed line crossing no change's label.
ZERO = """() => {
  const problems = [];
  document.querySelectorAll("figure.changes-chart svg.marks").forEach(svg => {
    const zero = [...svg.querySelectorAll("g.mark-rule.role-mark line")].map(l => l.getBoundingClientRect())
      .find(r => r.width < 1 && r.height > 20);  // the one upright line; a range is a level one
    if (!zero) { problems.push("no line at zero"); return; }
    const ticks = [...svg.querySelectorAll("g.role-axis-label text")].map(t => t.textContent);
    if (!ticks.includes("0%")) problems.push(`zero is not labelled (the axis says ${ticks.join(", ")})`);
    svg.querySelectorAll("g.mark-text.role-mark text").forEach(t => {
      const r = t.getBoundingClientRect();
      if (r.width && r.left < zero.left && r.right > zero.left) problems.push(`"${t.textContent}" crosses zero`);
    });
  });
  return problems;
}"""


@pytest.mark.parametrize("shown", shown_at([HOME], [390, 1280]), indirect=True)
def test_the_bottom_line_labels_zero_and_no_label_crosses_its_line(shown):
    assert drawn(shown) > 0
    assert shown.page.evaluate(ZERO) == [], f"at {shown.width} px"


def test_a_label_across_zero_is_caught(server, browser):
    # each label set beside zero set by its mark instead, on the side towards zero
    def towards_zero(row: re.Match) -> str:
        shown = float(re.search(r'"shown":(-?[\d.]+)', row[0])[1])
        return row[0].replace('"align":"zero"', f'"align":"{"left" if shown < 0 else "right"}"')

    planted = re.sub(r'\{[^{}]*"align":"zero"[^{}]*\}', towards_zero, (SITE / HOME).read_text())
    if planted == (SITE / HOME).read_text():
        pytest.skip("no label of the bottom line needs moving off zero")
    url = f"{server}/{HOME}"
    with Visit(browser, url, width=390, route=(url, planted)) as visit:
        drawn(visit)
        assert any(p.endswith("crosses zero") for p in visit.page.evaluate(ZERO))


# The page's key: how many key lists a reader sees, and which marks the page's charts draw (by the same evidence
# as above, without the data: an open end's dashed line, an unfilled symbol, a filled one inside a bar's end, an
# unfilled bar) against the items of the key.
KEY = """() => {
  const filled = e => !["none", "transparent", "rgba(0, 0, 0, 0)"].includes(getComputedStyle(e).fill);
  const shown = [...document.querySelectorAll("ul.chart-key")].filter(k => k.getClientRects().length);
  const listed = shown.flatMap(k => [...k.querySelectorAll("[data-key]")].map(i => i.dataset.key));
  const used = new Set();
  document.querySelectorAll("figure.changes-chart svg.marks").forEach(svg => {
    svg.querySelectorAll("g.mark-symbol.role-mark path[aria-label]").forEach(dot => {  // a range's bar is a line
      if (/A/i.test(dot.getAttribute("d"))) used.add(filled(dot) ? "point" : "caveated");
    });  // and a range is a rule besides the one at zero
    if (svg.querySelectorAll("g.mark-rule.role-mark line").length > 1) used.add("range");
  });
  document.querySelectorAll("figure.bars-chart svg.marks").forEach(svg => {
    if (svg.querySelector("g.mark-rule.role-mark line")) used.add("open");
    svg.querySelectorAll("g.mark-symbol.role-mark path").forEach(s => {
      const bar = [...svg.querySelectorAll("g.mark-rect.role-mark path")].some(b => {
        const r = b.getBoundingClientRect(), m = s.getBoundingClientRect();
        return m.right <= r.right + 1 && m.left >= r.right - 20 && m.top >= r.top - 1 && m.bottom <= r.bottom + 1; });
      if (!filled(s)) used.add("approximate"); else if (bar) used.add("ceiling");
    });
    svg.querySelectorAll("g.mark-rect.role-mark path").forEach(b => { if (!filled(b)) used.add("implied"); });
  });
  return {keys: shown.length, listed, used: [...used]};
}"""


@pytest.mark.parametrize("shown", shown_at(CHART_PAGES, [1200]), indirect=True)
def test_the_key_to_the_marks_is_said_once_a_page_and_explains_every_mark_drawn(shown):
    path = shown.path
    key = shown.page.evaluate(KEY)
    if key["used"]:
        assert key["keys"] == 1, f"{path}: {key['keys']} keys to the marks"
        assert set(key["used"]) <= set(key["listed"]), f"{path}: marks drawn but not in the key: {key}"
    assert len(key["listed"]) == len(set(key["listed"])), f"{path}: a mark explained twice: {key}"


def test_a_mark_drawn_with_no_key_is_caught(server, browser):
    url = f"{server}/{PLANTED}"
    page = (FIXTURES / "open-end-missing.html").read_text().replace(
        '"layer": [', '"layer": [{"mark": {"type": "rule", "x2Offset": 9}, "encoding": {"y": {"field": "label", '
        '"type": "nominal"}, "x": {"field": "value", "type": "quantitative"}, "x2": {"field": "value"}}},', 1)
    with Visit(browser, url, route=(url, page)) as visit:
        drawn(visit)
        key = visit.page.evaluate(KEY)
        assert key["keys"] == 0 and key["used"] == ["open"]


# Each panel drawn has at least two bars: a lone figure is a stat line, not a one-bar panel.
ONE_BAR = """() => [...document.querySelectorAll("figure.bars-chart .chart-panel")]
  .filter(p => p.querySelectorAll("svg.marks g.mark-rect.role-mark path").length < 2)
  .map(p => p.closest("figure").id)"""


@pytest.mark.parametrize("shown", shown_at(CHART_PAGES, [1200]), indirect=True)
def test_no_chart_draws_a_panel_of_one_bar(shown):
    assert shown.page.evaluate(ONE_BAR) == [], shown.path


def test_a_one_bar_panel_is_caught(server, browser):
    url = f"{server}/{PLANTED}"
    with Visit(browser, url, width=1280, route=(url, (FIXTURES / "too-wide.html").read_text())) as visit:
        drawn(visit)
        assert visit.page.evaluate(ONE_BAR) == ["chart-too-wide"]


# The text a reader sees under each chart before its downloads, and the chart's own height (its panels, headings
# included), in pixels; and whether the text alternative is printed among what the reader sees.
UNDER = """() => [...document.querySelectorAll("figure.icebook-chart")].map(figure => {
  const panels = [...figure.querySelectorAll(".chart-panel")].map(p => p.getBoundingClientRect());
  const top = Math.min(...panels.map(r => r.top)), bottom = Math.max(...panels.map(r => r.bottom));
  const downloads = figure.querySelector(".chart-downloads").getBoundingClientRect().top;
  const alt = (figure.querySelector("img.chart-static") || {}).alt || "";
  return {id: figure.id, chart: bottom - top, text: downloads - bottom,
          altShown: !!alt && figure.innerText.includes(alt)};
})"""
SLACK = 24  # px: "about" its own height (a line of text)


def _too_much_text(figures: list[dict]) -> list[str]:
    return [f"{f['id']}: {round(f['text'])} px of text under a {round(f['chart'])} px chart"
            for f in figures if f["text"] > f["chart"] + SLACK]


@pytest.mark.parametrize("shown", shown_at(CHART_PAGES, [390]), indirect=True)
def test_at_390_px_no_chart_is_followed_by_more_text_than_its_height_and_its_alt_text_is_not_shown(shown):
    figures = shown.page.evaluate(UNDER)
    assert _too_much_text(figures) == [], shown.path
    assert [f["id"] for f in figures if f["altShown"]] == [], f"{shown.path}: alt text printed"


def test_notes_that_outweigh_their_chart_at_390_px_are_caught(server, browser):
    url = f"{server}/{PLANTED}"
    with Visit(browser, url, width=390, route=(url, (FIXTURES / "text-under-chart.html").read_text())) as visit:
        drawn(visit)
        problems = _too_much_text(visit.page.evaluate(UNDER))
        assert len(problems) == 1 and problems[0].startswith("chart-text-under: ")


# A downloaded picture, opened on its own: where its title (and subtitle: the definition and the takeaway), its
# marks and its "Source:" and "Note:" lines are.
PICTURE = """() => {
  const box = e => e.getBoundingClientRect();
  const marks = [...document.querySelectorAll("g.mark-rect.role-mark path")].map(box);
  const texts = [...document.querySelectorAll("text")];
  const heading = [...document.querySelectorAll("g.role-title")].filter(g => g.querySelector(".role-title-subtitle"));
  const title = heading.flatMap(g => [...g.querySelectorAll("text")]).map(box);  // the picture's, not a panel's
  const footer = texts.filter(t => /^(Source|Note):/.test(t.textContent)).map(box);
  return {marksTop: Math.min(...marks.map(r => r.top)), marksBottom: Math.max(...marks.map(r => r.bottom)),
          titleBottom: Math.max(...title.map(r => r.bottom)), footerTop: Math.min(...footer.map(r => r.top)),
          titles: title.length, footers: footer.length};
}"""


def _picture_problems(place: dict) -> list[str]:
    problems = []
    if not place["titles"] or place["titleBottom"] > place["marksTop"]:
        problems.append("title not above the chart")
    if not place["footers"] or place["footerTop"] < place["marksBottom"]:
        problems.append("source and notes not below the chart")
    return problems


def test_every_downloaded_picture_has_its_title_above_the_chart_and_its_source_and_notes_below(server, browser):
    pictures = sorted((SITE / "_static" / "downloads" / "charts").glob("*.svg"))
    assert pictures, "no chart picture in the site"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        for picture in pictures:
            page.goto(f"{server}/{picture.relative_to(SITE).as_posix()}", wait_until="load")
            assert _picture_problems(page.evaluate(PICTURE)) == [], picture.name
    finally:
        page.close()


def test_a_picture_with_a_note_above_its_chart_is_caught(server, browser):
    picture = next((SITE / "_static" / "downloads" / "charts").glob("*.svg")).read_text()
    # the old picture's way: a note among the title's lines, above the chart
    opening = picture.index(">", picture.index("<svg")) + 1
    planted = picture[:opening] + '<text x="12" y="40">Note: said above the chart.</text>' + picture[opening:]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.set_content(planted)
        assert _picture_problems(page.evaluate(PICTURE)) == ["source and notes not below the chart"]
    finally:
        page.close()


# Every chart's title as the reader sees it, with the directions of the changes it may speak of.
TITLES = """() => [...document.querySelectorAll("figure.icebook-chart, figure.icebook-stats")].map(f => ({
  id: f.id, title: f.querySelector(".chart-title").innerText.replace(/\\s+/g, " ").trim(),
  directions: (f.dataset.directions || "").split(" ").filter(Boolean)}))"""


def _title_problems(charts: list[dict]) -> list[str]:
    return [f"{c['id']}: {p}" for c in charts for p in title_problems(c["title"], c["directions"])]


@pytest.mark.parametrize("shown", shown_at(CHART_PAGES, [1200]), indirect=True)
def test_every_chart_title_says_what_to_see_with_a_verb_and_no_unsupported_direction(shown):
    charts = shown.page.evaluate(TITLES)
    assert charts and _title_problems(charts) == [], shown.path


def test_a_descriptive_title_and_a_title_with_an_unsupported_direction_are_caught(server, browser):
    url = f"{server}/{PLANTED}"
    with Visit(browser, url, route=(url, (FIXTURES / "titles.html").read_text())) as visit:
        problems = _title_problems(visit.page.evaluate(TITLES))
    assert [p.split(":")[0] for p in problems] == ["stats-descriptive", "stats-unsupported"]
    assert "has no verb" in problems[0] and "states a rise" in problems[1]
