"""Chart figures: titled, described, sourced, with a static image and the data one click away,
and never carrying meaning by colour alone."""

import altair as alt
import pandas as pd
import pytest
from markupsafe import Markup

from icebook.chart import colour_only, figure, panels

FRAME = pd.DataFrame({"year": ["FY 2019", "FY 2019", "FY 2020"], "kind": ["issued", "declined", "issued"],
                      "value": [10.0, 2.0, 12.0]})


def test_figure_has_title_description_source_static_image_and_data_table():
    chart = alt.Chart(FRAME).mark_bar().encode(x="year:N", y="value:Q")
    html = figure(chart, "Detainers by year", "Bars, one per year.", "OIG-20-13",
                  Markup("<table><tr><td>10</td></tr></table>"))
    assert "<strong>Detainers by year</strong>" in html
    assert 'alt="Bars, one per year."' in html
    assert "Source: OIG-20-13." in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "<details><summary>Data behind this chart</summary><table>" in html
    assert "http" not in html  # no CDN, no schema URL


def test_the_same_chart_gets_the_same_id():
    chart = alt.Chart(FRAME).mark_bar().encode(x="year:N", y="value:Q")
    assert figure(chart, "t", "d", "s", Markup("")) == figure(chart, "t", "d", "s", Markup(""))


def test_a_chart_that_tells_groups_apart_by_colour_alone_is_refused():
    chart = alt.Chart(FRAME).mark_bar().encode(x="year:N", xOffset="kind:N", y="value:Q", color="kind:N")
    assert colour_only(chart.to_dict()) == {"kind"}
    with pytest.raises(ValueError, match=r"chart 'Detainers': kind shown by colour alone"):
        figure(chart, "Detainers", "d", "s", Markup(""))


@pytest.mark.parametrize("second", [{"row": "kind:N"}, {"y": "kind:N", "x": "value:Q"}, {"shape": "kind:N"}])
def test_colour_with_a_labelled_channel_is_accepted(second):
    encoding = {"x": "year:N", "y": "value:Q", "color": "kind:N", **second}
    chart = alt.Chart(FRAME).mark_point().encode(**encoding)
    assert colour_only(chart.to_dict()) == set()


def test_a_text_layer_labels_what_colour_shows():
    bars = alt.Chart(FRAME).mark_bar().encode(x="year:N", y="value:Q", color="kind:N")
    labels = alt.Chart(FRAME).mark_text().encode(x="year:N", y="value:Q", text="kind:N")
    assert colour_only((bars + labels).to_dict()) == set()


def test_headed_panels_label_what_colour_shows():
    bars = alt.Chart(FRAME).mark_bar().encode(x="year:N", y="value:Q", color="kind:N")
    assert colour_only(panels(bars, "kind").to_dict()) == set()
    assert colour_only(panels(bars, "year").to_dict()) == {"kind"}
