"""Chart figures: one unit and one kind of count, honest scales, sized to their column, titled, sourced,
noted, with the data and the picture one click away, and never carrying meaning by colour alone; a lone figure a
stat line, not a one-bar panel. Planted faults are small CSV files of marks in tests/fixtures/charts/."""

import base64
import csv
import io
import json
import re
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest
import vl_convert as vlc
from bs4 import BeautifulSoup
from markupsafe import Markup

from conftest import built_page
from icebook import book
from icebook.core import cache as datacache
from icebook.data.comparability import judge_measure
from icebook.pages.chart import (
    Chart,
    bar_label,
    colour_only,
    figure,
    figures_of,
    printed_marks,
    why_not_a_chart,
)
from icebook.pages.chartfiles import FILE_PAYLOAD, ship_files
from icebook.pages.chartkey import OPEN_LENGTH
from icebook.pages.chartspec import FAR, NARROWEST, NEAR, placed, text_width
from icebook.pages.chartwords import note_lines, page_notes
from icebook.pages.verdicts import pair_sentence

FIXTURES = Path(__file__).parent / "fixtures" / "charts"
FRAME = pd.DataFrame({"year": ["FY 2019", "FY 2019", "FY 2020"], "kind": ["issued", "declined", "issued"],
                      "value": [10.0, 2.0, 12.0]})


def marks(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / f"{name}.csv", dtype={"printed": str})


def chart(name: str = "panels", **changes) -> Chart:
    fields = {"title": "Removals in FY 2020", "subtitle": "Aliens ICE removed from the United States.",
              "description": "Bars, one per count.", "marks": marks(name), "sources": ["ar2020"],
              "axis": "Removals", "data_table": Markup("<table><tr><td>x</td></tr></table>")} | changes
    return Chart(**fields)


def views(html: str) -> list[dict]:
    return [json.loads(s.replace("<\\/", "</"))
            for s in re.findall(r'<script type="application/json" class="chart-spec">(.*?)</script>', html)]


def files(html: str) -> dict[str, bytes]:
    return {name: base64.b64decode(content) for name, content in FILE_PAYLOAD.findall(html)}


def test_a_chart_whose_marks_mix_units_is_refused_naming_the_chart_and_the_units():
    with pytest.raises(ValueError, match=r"chart 'Removals in FY 2020': its marks mix units \(count, percent\)"):
        figure(chart("mixed-units"))


def test_a_chart_whose_marks_mix_kinds_of_count_is_refused_naming_the_kinds():
    # the ERO profile's old chart: charges beside removals beside countries
    with pytest.raises(ValueError, match=r"mix kinds of count \(charges; countries; removals\)"):
        figure(chart("mixed-kinds"))


def test_a_chart_without_a_source_line_is_refused():
    with pytest.raises(ValueError, match=r"chart 'Removals in FY 2020' has no source line"):
        figure(chart(sources=[]))


def test_a_bar_that_dwarfs_the_rest_is_refused_and_panels_are_the_way_out():
    assert "dwarfs the others" in why_not_a_chart(marks("dwarfed"))
    split = marks("dwarfed").assign(panel=["All removals", "Some removals", "Some removals"])
    assert why_not_a_chart(split) is None


def test_the_figure_says_what_is_drawn_where_it_comes_from_and_offers_data_and_picture():
    html = figure(chart(notes=["A caveat from the comparison rules."]))
    assert '<p class="chart-title" id="' in html and ">Removals in FY 2020</p>" in html
    assert '<p class="chart-subtitle">Aliens ICE removed from the United States.</p>' in html
    caption = html[html.index("<figcaption>"):html.index("</figcaption>")]
    # always visible: in the caption, not folded into <details>; the source's entry one click away
    assert 'Source: <a href="sources.html#source-ar2020">ICE annual report</a>.' in caption
    assert '<p class="chart-note">Note: A caveat from the comparison rules.</p>' in caption
    # what holds for every chart (self-reported figures) travels apart, for the build to say once a page
    assert re.search(r'<p class="chart-page-note" data-note="self-reported:ar2020">Self-reported: the figures of '
                     r"the ICE annual report \(ICE Annual Report, Fiscal Year 2020\) are ICE&#39;s own", caption)
    links = re.findall(r'<a href="\.\./\.\./_static/downloads/charts/([^"]+)" download>', caption)
    assert [Path(link).suffix for link in links] == [".csv", ".svg", ".png"]
    assert set(files(html)) == set(links)
    assert "<details><summary>Data behind this chart</summary><table>" in html
    assert "http" not in FILE_PAYLOAD.sub("", html)  # no CDN, no schema URL


def test_the_csv_holds_the_rows_drawn_with_fact_ids_and_verbatim_quotes():
    html = figure(chart())
    rows = list(csv.DictReader(io.StringIO(next(v for k, v in files(html).items() if k.endswith(".csv")).decode())))
    assert [r["fact_id"] for r in rows] == list(marks("panels")["fact"])
    for row in rows:
        assert row["quote"] == book().fact(row["fact_id"])["quote"]
        assert float(row["value"]) == book().fact(row["fact_id"])["value"]
    assert rows[0]["quote"] == "In FY 2020, ICE removed 185,884 aliens."  # as ar2020 prints it


def test_the_picture_files_are_an_svg_and_a_png_with_the_title_in_them():
    made = files(figure(chart()))
    svg = next(v for k, v in made.items() if k.endswith(".svg")).decode()
    png = next(v for k, v in made.items() if k.endswith(".png"))
    assert svg.startswith("<svg") and "Removals in FY 2020" in svg and "Source: ICE Annual Report" in svg
    assert "Self-reported: the figures of the ICE annual report" in svg  # the picture stands on its own
    assert png.startswith(b"\x89PNG")


def test_the_same_chart_gives_the_same_html_and_files():
    assert figure(chart()) == figure(chart())


def test_every_view_fills_its_column_and_its_bars_start_at_zero_and_reach_the_longest():
    for view in views(figure(chart())):
        assert view["width"] == "container"
        x = view["layer"][0]["encoding"]["x"]
        assert x["scale"]["domain"] == [0, 185884.0] and x["scale"]["zero"] is True  # shared: one scale
        assert "clip" not in view["layer"][0]["mark"]


def test_panels_on_their_own_scales_are_said_to_be():
    html = figure(chart(shared_scale=False))
    tops = [v["layer"][0]["encoding"]["x"]["scale"]["domain"] for v in views(html)]
    assert tops == [[0, 185884.0], [0, 14499.0]]
    assert "Each panel has its own scale" in html
    assert [p for p in re.findall(r'<p class="chart-panel-title">(.*?)</p>', html)] == [
        "All removals", "Removals of some groups"]


def test_a_figure_goes_inside_its_bar_where_it_fits_on_a_phone_else_just_past_the_end_or_the_open_end():
    # 14,499 and 4,276 fit inside their bars on a 190 px plot; "more than 350" (ar2020's high-profile removals)
    # does not, and goes past its bar's open end; 4,056 past a plain end, in a chart whose longest bar is 185,884
    facts = ["ar2020-ero-removals-family-units", "ar2020-ero-removals-gang-members", "ar2020-ero-high-profile-removals"]
    assert book().fact(facts[2])["qualifier"] == "more_than"
    one = printed_marks(book().facts_of(facts), ["Family units", "Gang members", "High-profile"], "removals")
    (view,) = views(figure(chart(marks=one)))
    rows = {r["printed"]: (r["inside"], r["gap"]) for r in next(iter(view["datasets"].values()))}
    assert rows == {"14,499": (True, NEAR), "4,276": (True, NEAR), "more than 350": (False, FAR)}
    layers = {json.dumps(layer.get("transform")): layer["mark"] for layer in view["layer"]}
    inside = layers[json.dumps([{"filter": "datum.inside"}])]
    near, far = (layers[json.dumps([{"filter": f"!datum.inside && datum.gap == {gap}"}])] for gap in (NEAR, FAR))
    assert inside["align"] == "right" and near["align"] == far["align"] == "left"
    assert (near["dx"], far["dx"]) == (NEAR, FAR) and FAR > OPEN_LENGTH + 6  # past the arrow


def test_a_figure_past_a_short_bar_that_would_leave_a_phone_s_plot_gets_room_on_the_scale():
    # "more than 1,250,000" past a bar at 49% of the plot would end beyond a phone's 190 px: the scale reaches on
    frame, reach = placed(pd.DataFrame([{"bar": "a", "value": 490.0, "printed": "more than 1,250,000", "fact": "x",
                                         "tip": "", "open": True, "approximate": False, "ceiling": False,
                                         "implied": False}]), 1000.0)
    assert not frame.at[0, "inside"]
    assert reach > 1000 and 490 / reach * NARROWEST + FAR + text_width("more than 1,250,000") <= NARROWEST


def _judged(measure_id: str, years=(2017, 2018, 2019, 2020)):
    return judge_measure(book(), next(m for m in book().measures if m.id == measure_id), list(years))


def _pair(judged, earlier: str, later: str):
    return next(c for c in judged.comparisons if c.later and (c.earlier.id, c.later.id) == (earlier, later))


def test_a_takeaway_is_made_from_the_facts_and_the_rule_not_typed():
    # dhs2018: "ICE identified and assisted 518 human trafficking victims and more than 904 child exploitation
    # victims." ar2020: "Identified and rescued 1,012 victims of child exploitation" and, in its graphic, "1,012
    # CHILD EXPLOITATION VICTIMS RESCUED OR IDENTIFIED": no wording of one is a wording of the other.
    judged = _judged("hsi_child_exploitation_victims")
    pair = _pair(judged, "dhs2018-hsi-child-exploitation-victims", "ar2020-hsi-child-exploitation-victims")
    sentence = pair_sentence(judged, pair)
    assert " ".join(Markup(sentence).striptags().split()) == (
        "DHS and ICE reported child exploitation victims identified by HSI: more than 904 (DHS page, FY 2017) and "
        "1,012 (ICE annual report, FY 2020); the book's verdict: not compared (the scope words differ: the DHS page "
        "says “identified and assisted … child exploitation victims” (more than 904); the ICE annual report says "
        "“Identified and rescued … victims of child exploitation” and “CHILD EXPLOITATION VICTIMS RESCUED OR "
        "IDENTIFIED” (1,012)).")
    assert sentence.count('class="fact"') == 4  # each figure in the sentence and again in its reason
    assert 'data-reason="scope_words_differ"' in sentence and 'data-verdict="not-compared"' in sentence


@pytest.mark.parametrize("measure,earlier,later,words", [
    # dhs2018 "handling a docket of well over 700,000 cases"; ar2020 "handled an EOIR total case docket of more than
    # 1,250,000 cases"
    ("opla_docket", "dhs2018-opla-docket-cases", "ar2020-opla-docket-cases",
     "“handled an EOIR total case docket of … cases”"),
    # dhs2018 "With more than 20,000 employees"; ar2020 "for an ICE workforce of 21,000 strong"
    ("ice_workforce", "dhs2018-ice-workforce", "ar2020-message-ice-workforce", "“ICE workforce”"),
    # dhs2018 "62 BEST teams on the U.S.-Canada border and U.S.-Mexico border"; ar2020 "Utilize HSI's 74 Border
    # Enforcement Security Task Forces (BEST) across the U.S."
    ("hsi_best_task_forces", "dhs2018-hsi-best-teams", "ar2020-hsi-best-task-forces",
     "“Utilize … Border Enforcement Security Task Forces (BEST) across the U.S.”")])
def test_a_figure_the_page_gives_undated_is_kept_apart_for_its_words_first_and_its_period_too(measure, earlier,
                                                                                            later, words):
    # The DHS page is dated "August 20, 2018" and gives its docket, workforce and BEST figures with no period: the
    # book reads them as of that date and says so; the words each source uses differ, which the rule tries first.
    page = book().sources["dhs2018"].date_printed
    assert page == "August 20, 2018" and book().fact(earlier)["period"] == f"as of {page}"
    judged = _judged(measure)
    said = " ".join(Markup(pair_sentence(judged, _pair(judged, earlier, later))).striptags().split())
    assert f"(DHS page, period not stated; read as of {page})" in said
    assert "not compared (the scope words differ: the DHS page says" in said and words in said
    assert "; also a period the book inferred" in said  # the docket's two "more than" figures add a third reason


def test_the_build_moves_a_charts_files_out_of_its_notebook(tmp_path):
    html = figure(chart())
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": html})])])
    path = tmp_path / "page.ipynb"
    nbformat.write(nb, path)
    ship_files(path, tmp_path / "charts")
    assert {p.name: p.read_bytes() for p in (tmp_path / "charts").iterdir()} == files(html)
    box, left = (output.data["text/html"] for output in nbformat.read(path, as_version=4).cells[0].outputs)
    assert not FILE_PAYLOAD.search(left) and 'class="chart-spec"' in left
    # what holds for every chart is said once, just before it on a page of one chart
    assert "chart-page-note" not in left and "Self-reported" in box


def test_a_chart_that_tells_groups_apart_by_colour_alone_is_found():
    chart = alt.Chart(FRAME).mark_bar().encode(x="year:N", xOffset="kind:N", y="value:Q", color="kind:N")
    assert colour_only(chart.to_dict()) == {"kind"}


@pytest.mark.parametrize("second", [{"row": "kind:N"}, {"y": "kind:N", "x": "value:Q"}, {"shape": "kind:N"}])
def test_colour_with_a_labelled_channel_is_accepted(second):
    encoding = {"x": "year:N", "y": "value:Q", "color": "kind:N", **second}
    chart = alt.Chart(FRAME).mark_point().encode(**encoding)
    assert colour_only(chart.to_dict()) == set()


def test_a_text_layer_labels_what_colour_shows():
    bars = alt.Chart(FRAME).mark_bar().encode(x="year:N", y="value:Q", color="kind:N")
    labels = alt.Chart(FRAME).mark_text().encode(x="year:N", y="value:Q", text="kind:N")
    assert colour_only((bars + labels).to_dict()) == set()


@pytest.mark.build
def test_the_comparison_s_ms13_chart_is_its_own_on_its_own_scale():
    # The MS-13 line (dhs2018 "567 of which were criminal", ar2020 "337 MS-13 CRIMINAL ARRESTS") is a chart of its
    # own, apart from the gang arrests (4,818; 3,671): never a panel stacked under them.
    html = built_page("comparison")
    ms13 = [v for v in views(html) if "HSI MS-13 criminal arrests (count)" == " ".join(
        v["layer"][0]["encoding"]["x"]["title"])]
    assert len(ms13) == 1  # its axis: the series' name and unit, not its "what it counts" text
    assert ms13[0]["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 567.0]  # its own scale, not 0–4,818
    assert "chart-panel-title" not in html  # one panel a chart: nothing stacked


def test_each_panel_s_axis_can_carry_its_own_measure_s_word():
    # the detainers chart: ICE "placed" detainers, OIG counts them "issued"; a panel's axis uses its own word
    axes = {"Removals of some groups": "Some groups removed (count)"}
    titles = [" ".join(v["layer"][0]["encoding"]["x"]["title"]) for v in views(figure(chart(panel_axes=axes)))]
    assert titles == ["Removals", "Some groups removed (count)"]


@pytest.mark.build
def test_the_comparison_s_detainers_placed_figure_says_placed():
    # ar2020 "ICE placed 122,233 immigration detainers": not compared with OIG's "issued" (its words differ), so it
    # is not drawn; its row says what it counts in its own words, "placed", never "issued"
    html = built_page("comparison")
    rows = [row for row in BeautifulSoup(html, "html.parser").select("tr")
            if row.select_one('a.fact[href$="#ar2020-ero-detainers-issued"]')]
    counts = [" ".join(cell.get_text(" ").split()) for row in rows
              for cell in row.select('td[data-label^="What it counts"]')]
    assert counts and all("placed" in c and "issued" not in c for c in counts)


@pytest.mark.build
def test_the_comparison_draws_only_figures_the_rule_compares():
    # OIG's "165,500" detainers issued (FY 2019) and ICE's "122,233" placed (FY 2020) are not compared (their
    # words differ), so no chart sets them side by side; every figure drawn is in a pair the rule compares.
    html = built_page("comparison")
    drawn = {row.get("fact") for v in views(html) for rows in v.get("datasets", {}).values() for row in rows}
    assert not drawn & {"oig2013-r1-detainers-issued-fy2019", "ar2020-ero-detainers-issued"}
    compared = {f.id for m in book().measures for c in judge_measure(book(), m, [2017, 2018, 2019, 2020]).compared
                for f in c.figures}
    assert drawn and drawn <= compared


def test_a_chart_drawn_once_is_not_drawn_again_and_gives_the_same_files(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(datacache, "CACHE", tmp_path)
    first = files(figure(chart()))
    assert sorted(p.suffix for p in (tmp_path / "charts").iterdir()) == [".png", ".svg"]

    def draw_again(*_args, **_kwargs):
        raise AssertionError("the picture was drawn again")

    monkeypatch.setattr(vlc, "vegalite_to_svg", draw_again)
    monkeypatch.setattr(vlc, "vegalite_to_png", draw_again)
    assert files(figure(chart())) == first
    with pytest.raises(AssertionError, match="drawn again"):  # another picture is another entry
        figure(chart(title="Another title"))


def test_a_cache_that_cannot_be_written_still_draws_the_picture(tmp_path: Path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setattr(datacache, "CACHE", blocked)
    made = files(figure(chart()))
    assert any(name.endswith(".svg") and content.startswith(b"<svg") for name, content in made.items())
    assert blocked.read_text() == "a file where the cache folder would go"


def test_a_round_figure_read_as_rounded_is_said_to_be_in_the_notes():
    # ar2020: "for an ICE workforce of 21,000 strong": a round figure with no qualifier word (qualifier 'rounded')
    fact = book().fact("ar2020-message-ice-workforce")
    assert fact["qualifier"] == "rounded" and "workforce of 21,000 strong" in fact["quote"]
    workforce = pd.DataFrame([{"panel": "ICE workforce", "bar": "FY 2020", "value": 21000.0, "printed": "21,000",
                               "fact": "ar2020-message-ice-workforce", "counts": "employees"}])
    notes = [Markup(n) for n in note_lines([], figures_of(list(workforce["fact"])))]
    said = [n for n in notes if "21,000 is a round figure" in n.striptags()]
    assert len(said) == 1 and "without a qualifier word" in said[0] and "rounded, not exact" in said[0]
    assert 'href="facts-ar2020.html#ar2020-message-ice-workforce"' in said[0]  # the figure is traced
    assert not [n for n in notes if "nearest hundred" in n]  # not the OIG's rounding to the hundred
    assert not [n for n in note_lines([], figures_of(list(marks("panels")["fact"]))) if "round figure" in str(n)]


def test_figures_the_source_rounds_to_the_hundred_are_drawn_approximate_and_said_so_once_a_page():
    # oig2013 Background: "ICE arrested 143,100⁴ aliens", its footnote 4 saying OIG rounded to the nearest hundred
    fact = book().fact("oig2013-bg-fy2019-arrests-charged-or-convicted")
    assert fact["qualifier"] == "rounded_hundred" and "143,100" in fact["quote"]
    shared = page_notes(figures_of(["oig2013-bg-fy2019-arrests-charged-or-convicted"]))
    assert shared["rounded-hundred:oig2013"].startswith("OIG-20-13 rounds its counts to the nearest hundred")
    assert not [n for n in page_notes(figures_of(list(marks("panels")["fact"]))) if n.startswith("rounded")]


def test_a_bar_s_label_carries_a_partial_year_and_an_unstated_period():
    # dhs2018 "OPLA has secured over 100,000 removal orders so far this fiscal year" (FY 2018 to the page's date,
    # August 20, 2018) against ar2020's whole FY 2020: the label says the part of the year; dhs2018 "With more than
    # 20,000 employees" is undated, so its label says the period is not stated.
    opla = book().fact("dhs2018-opla-removal-orders")
    assert "so far this fiscal year" in opla["quote"] and opla["period_type"] == "partial_fiscal_year"
    assert bar_label("dhs2018-opla-removal-orders", "DHS page") == "FY 2018 to August 20, 2018 (partial year), DHS page"
    assert bar_label("ar2020-opla-removal-orders", "ICE annual report") == "FY 2020, ICE annual report"
    assert bar_label("dhs2018-ice-workforce", "DHS page") == "period not stated; read as of August 20, 2018, DHS page"
    judged = _judged("opla_removal_orders")
    said = " ".join(Markup(pair_sentence(judged, _pair(judged, "dhs2018-opla-removal-orders",
                                                         "ar2020-opla-removal-orders"))).striptags().split())
    # October 1, 2017 to August 20, 2018: 324 of FY 2018's 365 days, 10.65 months
    assert "over 100,000 (DHS page, FY 2018 to August 20, 2018 (about 10.7 of 12 months))" in said
    # "OPLA has secured over 100,000 removal orders"; "obtained 157,433 removal orders": the verbs differ
    assert "not compared (the scope words differ: the DHS page says “secured … removal orders”" in said
    assert "“obtained … removal orders”" in said


@pytest.mark.build
def test_the_comparison_draws_no_ero_chart_with_oig_s_ice_wide_count_in_it():
    html = built_page("comparison")
    drawn = {row.get("fact") for v in views(html) for rows in v.get("datasets", {}).values() for row in rows}
    assert "dhs2018-hsi-fentanyl-seized" in drawn  # the views carry the facts they draw
    assert "oig2013-bg-fy2019-arrests-charged-or-convicted" not in drawn
    section = html[html.index('id="measure-ero-admin-arrests"'):html.index('id="measure-ero-removals"')]
    # the table says what OIG's figure counts, in its words, and the book's doubt about it as its reading
    assert "either charged with or convicted of" in section
    assert "Our reading: OIG does not say how it drew this count" in " ".join(
        BeautifulSoup(section, "html.parser").get_text().split())
    assert "The book's verdict: not compared (the scope words differ" in " ".join(
        BeautifulSoup(section, "html.parser").get_text().split())  # said with the rule's reason, not drawn
    # a partial year is said beside its figure (OPLA's removal orders are not compared, so not drawn)
    section = html[html.index('id="measure-opla-removal-orders"'):html.index('id="measure-opla-docket"')]
    assert "FY 2018 to August 20, 2018 (partial year), DHS page" in " ".join(
        BeautifulSoup(section, "html.parser").get_text(" ").split())


def test_a_font_installed_is_a_new_picture_not_one_kept_from_before(tmp_path, monkeypatch):
    """The pictures' text is set in the fonts installed, so they are part of the cache key: pictures kept before
    Chromium's set-up brought fonts-liberation were not the ones a build would draw after it."""
    from icebook.pages import chartfiles as chart

    monkeypatch.setattr(chart, "FONT_DIRS", [tmp_path])
    names: list[str] = []
    monkeypatch.setattr(chart, "cached_bytes", lambda name, make: names.append(name) or b"")
    chart.fonts_installed.cache_clear()
    chart.pictures({"mark": "bar"})
    (tmp_path / "truetype").mkdir()
    (tmp_path / "truetype" / "NewSans.ttf").write_bytes(b"a font")
    chart.fonts_installed.cache_clear()
    chart.pictures({"mark": "bar"})
    chart.fonts_installed.cache_clear()
    assert len(names) == 4 and names[0] != names[2] and names[1] != names[3]
