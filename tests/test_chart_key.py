"""Uncertainty drawn: each qualifier one encoding, the same on every chart, explained once a page; what holds for
every chart said once at the top; a lone figure a stat line; the alt text for screen readers only; long notes
folded; the downloadable picture with its title above the chart and its source and notes below."""

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from markupsafe import Markup

from icebook import book
from icebook.core.yamlio import load as load_yaml
from icebook.pages import chart as charts
from icebook.pages.chart import figure, figures_of, implied_marks, printed_marks
from icebook.pages.chartkey import BOX_ID, encodings_of, gather_page_notes, page_box
from test_chart import chart, marks, views

VOCABULARY = Path(__file__).resolve().parents[1] / "data" / "vocabulary.yaml"
# The encodings, by hand: "more than"/"at least" an open end; "almost"/"about" a marker of approximation
# (and so a figure the source rounds); "up to"/"less than" the mirror of an open end; an exact figure a plain bar.
BY_HAND = {"exact": [], "more_than": ["open"], "at_least": ["open"], "about": ["approximate"],
           "nearly": ["approximate"], "rounded": ["approximate"], "rounded_hundred": ["approximate"],
           "up_to": ["ceiling"], "less_than": ["ceiling"]}


@pytest.fixture
def pictures(monkeypatch) -> list[dict]:
    drawn: list[dict] = []
    monkeypatch.setattr(charts, "pictures", lambda picture: drawn.append(picture) or (b"<svg></svg>", b"\x89PNG"))
    return drawn


def rows_of(view: dict) -> list[dict]:
    return next(iter(view["datasets"].values()))


def test_every_qualifier_of_the_vocabulary_is_drawn_one_way_and_a_range_end_only_as_a_range():
    qualifiers = set(load_yaml(VOCABULARY.read_text())["qualifiers"])
    assert qualifiers - {"range_low", "range_high"} == set(BY_HAND)  # a new qualifier needs an encoding here
    for qualifier, expected in BY_HAND.items():
        assert [e for e in encodings_of(qualifier, implied=False) if e != "plain"] == expected, qualifier
    assert encodings_of("about", implied=True) == ["implied", "approximate"]
    for end in ("range_low", "range_high"):
        with pytest.raises(ValueError, match="draw the range, not a bar"):
            encodings_of(end, implied=False)


def test_a_more_than_figure_is_drawn_with_an_open_end_and_a_plain_figure_without(pictures):
    live = views(figure(chart("qualified")))
    rows = {row["printed"]: row for view in live for row in rows_of(view)}
    assert rows["more than 2,300"]["open"] and not rows["more than 2,300"]["approximate"]
    assert not any(rows["6,105"][k] for k in ("open", "approximate", "ceiling", "implied"))
    assert rows["almost a million"]["approximate"] and not rows["almost a million"]["open"]
    for view in live:  # the open end's line and arrow draw exactly the rows marked open, past the bar's end
        layers = {layer.get("name"): layer for layer in view["layer"]}
        for name in ("open_line", "open_end"):
            assert layers[name]["transform"] == [{"filter": "datum.open"}]
        assert layers["open_line"]["mark"]["x2Offset"] > 0 and layers["open_end"]["mark"]["xOffset"] > 0
        assert layers["approximate"]["transform"] == [{"filter": "datum.approximate"}]
    # the picture draws the same panels, and its key explains every encoding it uses
    (picture,) = pictures
    key = next(v for v in picture["concat"] if v.get("title", {}).get("text") == ["Key to the marks"])
    named = {row["bar"] for row in picture["datasets"][key["data"]["name"]]}
    assert named == {"Plain bar", "Open end", "Tilde (~)"}


def test_a_tooltip_says_how_its_bar_is_drawn_in_the_source_s_own_word(pictures):
    rows = {row["printed"]: row["tip"] for view in views(figure(chart("qualified"))) for row in rows_of(view)}
    assert rows["almost a million"] == ("tilde: the true figure is near the number printed (the source says "
                                        "“almost”)")
    assert rows["more than 2,300"].startswith("open end: the true figure lies beyond the number printed")
    assert rows["6,105"] == "plain bar: exact as printed"


def test_an_implied_figure_is_a_hollow_dashed_bar_with_its_inputs_in_its_tooltip(pictures):
    implied = "ar2020-hsi-fentanyl-seized-fy2019-implied"
    derived = book().derived_figure(implied)
    assert derived["kind"] == "implied" and derived["bound"] == "about"
    both = pd.concat([marks("qualified").iloc[:2].drop(columns="panel"),
                      implied_marks([implied], ["FY 2019, implied"], "pounds")])
    (view,) = views(figure(chart(marks=both)))
    row = next(r for r in rows_of(view) if r["fact"] == implied)
    assert row["implied"] and row["approximate"] and row["printed"] == "about 3,700"
    assert row["tip"].startswith("hollow, dashed: implied, computed by the book as now / (1 + pct / 100) with "
                                 "now = 6,105, pct = 65%")
    bars = next(layer for layer in view["layer"] if layer.get("name") == "bars")["encoding"]
    assert bars["fill"]["condition"] == {"test": "datum.implied", "value": "transparent"}
    assert bars["strokeDash"]["condition"]["test"] == "datum.implied"


def test_lone_figures_are_stat_lines_not_one_bar_panels(pictures):
    html = figure(chart("lone-figures"))  # three panels of one figure each
    assert html.startswith('<figure class="icebook-stats"') and "chart-spec" not in html and not pictures
    lines = re.findall(r'<p class="stat-line">(.*?)</p>', html)
    assert len(lines) == 3
    first = Markup(lines[0])
    assert 'href="facts-ar2020.html#ar2020-ero-removals"' in first  # the figure, traced
    assert first.striptags() == "185,884 Removals FY 2020, ICE annual report"  # figure, label, year and source
    assert "Data (CSV)" in html and "Picture (PNG)" not in html


def test_a_chart_with_a_lone_figure_draws_the_rest_and_says_the_lone_one_in_a_line(pictures):
    mixed = pd.concat([marks("panels"), marks("lone-figures").iloc[:1].assign(panel="Removals, once more")])
    html = figure(chart(marks=mixed))
    assert len(views(html)) == 2 and len(re.findall('<p class="stat-line">', html)) == 1
    assert [v["title"]["text"] for v in pictures[0]["concat"][:2]] == [["All removals"], ["Removals of some groups"]]


def test_the_alt_text_is_for_screen_readers_not_printed_again(pictures):
    html = figure(chart(description="Bars, one per count, longest first."))
    visible = re.sub(r'<img[^>]*>|<script.*?</script>', "", html, flags=re.S)
    assert "Bars, one per count, longest first." not in visible
    assert 'alt="Bars, one per count, longest first."' in html
    assert all(view["description"] == "Bars, one per count, longest first." for view in views(html))


def test_notes_longer_than_the_chart_on_a_phone_fold_and_short_ones_show(pictures):
    short = figure(chart(notes=["A short caveat."]))
    assert '<p class="chart-note">Note: A short caveat.</p>' in short and "chart-notes" not in short
    long = figure(chart(notes=["A long caveat that goes on. " * 30]))
    assert re.search(r'<details class="chart-notes"><summary>Notes on this chart</summary><p class="chart-note">'
                     r"Note: A long caveat", long)


def test_the_picture_puts_title_and_takeaway_above_the_chart_and_source_and_notes_below(pictures):
    figure(chart("qualified", takeaway=Markup("ICE reported <b>more</b>."), notes=["A caveat of its own."]))
    (picture,) = pictures
    assert picture["title"]["text"] == ["Removals in FY 2020"]
    assert picture["title"]["subtitle"] == ["Aliens ICE removed from the United States.", "ICE reported more."]
    *panels, key, footer = picture["concat"]
    assert [p["title"]["text"] for p in panels] == [["Fentanyl"], ["All narcotics"]]
    assert key["title"]["text"] == ["Key to the marks"]
    lines = [row["line"] for row in footer["data"]["values"]]
    assert lines[0].startswith("Source: ICE Annual Report, Fiscal Year 2020")
    assert "Note: A caveat of its own." in lines
    assert any(line.startswith("Self-reported: the figures of the DHS page") for line in lines)
    assert not any("Source" in line or "Note" in line for line in picture["title"]["subtitle"])


def test_what_every_chart_shares_is_said_once_at_the_top_and_each_keeps_its_own(pictures):
    first = figure(chart("qualified", notes=["Only the first chart."]))
    second = figure(chart("panels", notes=["Only the second chart."]))
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_markdown_cell("# A page"),
        nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>"})]),
        nbformat.v4.new_markdown_cell("## A section"),
        nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", data={"text/html": html})
                                               for html in (first, second)])])
    cells = gather_page_notes(notebook).cells
    opening = [o["data"]["text/html"] for o in cells[2].outputs]
    assert opening[0] == "<p>x</p>" and f'id="{BOX_ID}"' in opening[1]  # after the opening, before the section
    box = opening[1]
    assert box.count("Self-reported: the figures of the ICE annual report") == 1  # both charts draw its figures
    assert box.count("Self-reported: the figures of the DHS page") == 1
    assert re.findall(r'data-key="([a-z]+)"', box) == ["plain", "open", "approximate"]  # the key, in its order
    charts_left = [o["data"]["text/html"] for o in cells[4].outputs]
    assert all("Self-reported" not in html and "chart-key" not in html for html in charts_left)
    assert "Only the first chart." in charts_left[0] and "Only the second chart." in charts_left[1]


def test_a_page_of_charts_whose_opening_shows_nothing_gets_the_box_in_a_cell_of_its_own_the_same_each_time(
        pictures):
    html = figure(chart("qualified"))

    def staged() -> str:
        notebook = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_markdown_cell("# A page", id="title"),
            nbformat.v4.new_code_cell("", id="quiet"),
            nbformat.v4.new_markdown_cell("## A section", id="section"),
            nbformat.v4.new_code_cell("", id="chart", outputs=[
                nbformat.v4.new_output("display_data", data={"text/html": html}) for _ in range(2)])])
        return nbformat.writes(gather_page_notes(notebook))

    first = staged()
    assert first == staged()  # an identical page stages to identical bytes (an incremental build matches a clean one)
    cells = nbformat.reads(first, as_version=4).cells
    assert [c.id for c in cells] == ["title", BOX_ID, "quiet", "section", "chart"]
    assert "remove-input" in cells[1].metadata["tags"] and BOX_ID in cells[1].outputs[0]["data"]["text/html"]


def test_a_page_of_one_chart_has_its_box_just_before_it(pictures):
    html = figure(chart("qualified"))
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A page"), nbformat.v4.new_code_cell("", outputs=[
            nbformat.v4.new_output("display_data", data={"text/html": "<p>before</p>"}),
            nbformat.v4.new_output("display_data", data={"text/html": html})])])
    outputs = gather_page_notes(notebook).cells[1].outputs
    assert [o["data"]["text/html"][:30] for o in outputs] == [
        "<p>before</p>", '<aside class="chart-reading" i', '<figure class="icebook-chart b']


def test_a_page_whose_charts_share_nothing_gets_no_box():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A page")])
    assert len(gather_page_notes(notebook).cells) == 1


def test_figures_of_reads_a_derived_figure_as_implied_with_its_inputs_sources():
    row = figures_of(["ar2020-ero-admin-arrests-criminal-implied"]).iloc[0]
    assert row["implied"] and row["qualifier"] == "about" and row["source"] == "ar2020"
    assert row["locator"] == "arrests * share / 100"


def test_printed_marks_and_implied_marks_make_one_chart(pictures):
    facts = book().facts_of(["dhs2018-hsi-fentanyl-seized", "ar2020-hsi-fentanyl-seized"])
    both = pd.concat([printed_marks(facts, ["FY 2017", "FY 2020"], "pounds"),
                      implied_marks(["ar2020-hsi-fentanyl-seized-fy2019-implied"], ["FY 2019"], "pounds")])
    (view,) = views(figure(chart(marks=both)))
    assert [r["bar"] for r in rows_of(view)] == ["FY 2017", "FY 2020", "FY 2019"]
    assert json.dumps(view).count('"implied": true') == 1


def test_the_page_s_box_speaks_of_bars_only_where_its_charts_draw_bars():
    bars = "Bars start at zero"
    assert bars in page_box({"plain", "open"}, {}) and bars in page_box({"approximate"}, {})
    # the home page's bottom line draws dots and ranges, a tilde above an approximate dot: no bar
    assert bars not in page_box({"point", "range", "approximate"}, {})
