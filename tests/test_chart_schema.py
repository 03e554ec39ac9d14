"""A chart's Vega-Lite specs: each panel built once, its live view and picture the ones Altair makes with all its
checks on, and every spec checked against the schema, once per content (the check is recorded in the build's
cache) and every time when nothing can be recorded."""

from pathlib import Path

import altair as alt
import pytest
from markupsafe import Markup

from icebook.core import cache as datacache
from icebook.pages import chart as charts
from icebook.pages import chartfiles, chartspec
from icebook.pages.chart import Chart, drawn_marks, figure, figures_of
from icebook.pages.chartspec import PICTURE_WIDTH, layered, placed
from test_chart import chart, marks, views


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(datacache, "CACHE", tmp_path)
    return tmp_path


@pytest.fixture
def pictures(monkeypatch) -> list[dict]:
    """The picture specs figure() draws (not drawn here: the test is about the spec)."""
    drawn: list[dict] = []

    def record(picture: dict) -> tuple[bytes, bytes]:
        drawn.append(picture)
        return b"<svg></svg>", b"\x89PNG"

    monkeypatch.setattr(charts, "pictures", record)
    return drawn


@pytest.fixture
def checks(monkeypatch) -> list[dict]:
    """The specs checked against the Vega-Lite schema."""
    checked: list[dict] = []
    validate = alt.TopLevelSpec.validate

    def counted(spec: dict, *args) -> None:
        checked.append(spec)
        validate(spec, *args)

    monkeypatch.setattr(alt.TopLevelSpec, "validate", counted)
    return checked


def altair_checked(fixture: Chart, width: int | str) -> list[dict]:
    """Each panel's spec as Altair makes it with every check on (each part as made, the whole as converted)."""
    made = []
    drawn = drawn_marks(fixture.marks, figures_of(list(fixture.marks["fact"])))
    top = float(drawn["value"].max())
    for heading, panel in drawn.groupby("panel", sort=False):
        frame, reach = placed(panel, top)
        spec = layered(frame, [0, reach], fixture.panel_axes.get(heading, fixture.axis)).properties(
            width=width).to_dict(validate=True)
        spec.pop("$schema")
        spec.pop("config")  # Altair's theme; the figure sets its own
        made.append(spec)
    return made


def test_the_live_views_and_the_picture_are_the_panels_altair_makes_with_its_checks_on(pictures):
    fixture = chart()
    live = views(figure(fixture))
    (picture,) = pictures
    expected_live = altair_checked(fixture, "container")
    expected_picture = altair_checked(fixture, PICTURE_WIDTH)
    *panels, footer = picture["concat"]  # no key: every bar is plain
    assert len(live) == len(panels) == len(expected_live) == 2
    page_only = ("config", "params", "description", "autosize", "padding")
    assert [{k: v for k, v in view.items() if k not in page_only} for view in live] == expected_live
    assert all(view["description"] == "Bars, one per count." and view["width"] == "container" for view in live)

    def unnamed(view: dict) -> dict:  # the picture names each view's layers apart (one picture, one name a mark)
        return view | {"layer": [{k: v for k, v in layer.items() if k != "name"} for layer in view["layer"]]}

    assert [unnamed({k: v for k, v in view.items() if k != "title"}) for view in panels] == [
        unnamed({k: v for k, v in spec.items() if k != "datasets"}) for spec in expected_picture]
    assert {name: rows for name, rows in picture["datasets"].items()} == {
        name: rows for spec in expected_picture for name, rows in spec["datasets"].items()}
    assert [view["title"]["text"] for view in panels] == [["All removals"], ["Removals of some groups"]]
    assert footer["data"]["values"][0]["line"].startswith("Source: ICE Annual Report")


def test_a_chart_whose_picture_breaks_the_schema_is_refused_naming_it_whether_or_not_its_cache_is_warm(
        cache, pictures, monkeypatch):
    figure(chart())  # a valid chart, recorded as such
    assert len(list((cache / "chart-specs-valid").iterdir())) == 1
    monkeypatch.setattr(chartspec, "PICTURE_WIDTH", "wide")
    for _ in range(2):  # a refused chart is not recorded: refused again
        with pytest.raises(ValueError, match=r"(?s)chart 'Removals in FY 2020': the Vega-Lite spec of its picture "
                                             r"breaks the schema \(v6\.\d+\.\d+\):.*'wide' is an invalid value "
                                             r"for `width`"):
            figure(chart())
    assert len(list((cache / "chart-specs-valid").iterdir())) == 1


def test_a_chart_whose_views_break_the_schema_is_refused_naming_it_and_the_first_panel(cache, pictures, monkeypatch):
    monkeypatch.setattr(chartspec, "LIGHT", chartspec.LIGHT | {"grid": 12})  # a number where a colour goes
    with pytest.raises(ValueError, match=r"(?s)chart 'Removals in FY 2020': the Vega-Lite spec of its "
                                         r"panel 'All removals' breaks the schema.*"
                                         r"'12' is an invalid value for `gridColor`"):
        figure(chart())
    assert not (cache / "chart-specs-valid").exists()


def test_a_chart_found_valid_is_not_checked_again_until_its_specs_or_the_versions_change(
        cache, pictures, checks, monkeypatch):
    figure(chart())
    assert len(checks) == 3  # two live views and the picture
    figure(chart())
    assert len(checks) == 3
    figure(chart(title="Another title"))
    assert len(checks) == 6
    monkeypatch.setattr(alt, "__version__", "0.0.0")
    figure(chart())
    assert len(checks) == 9
    monkeypatch.setattr(chartfiles, "JSONSCHEMA_VERSION", "0.0.0")
    figure(chart())
    assert len(checks) == 12


def test_a_cache_that_cannot_be_written_checks_every_time_and_still_refuses(tmp_path, pictures, checks, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setattr(datacache, "CACHE", blocked)
    figure(chart())
    figure(chart())
    assert len(checks) == 6
    monkeypatch.setattr(chartspec, "PICTURE_WIDTH", "wide")
    with pytest.raises(ValueError, match=r"chart 'Removals in FY 2020': the Vega-Lite spec of its picture breaks"):
        figure(chart())


def test_a_chart_without_panels_is_one_view_and_a_picture_of_one_view(pictures):
    single = chart(marks=marks("panels").drop(columns="panel").iloc[:2],
                   data_table=Markup("<table></table>"))
    (view,) = views(figure(single))
    (picture,) = pictures
    drawn, _footer = picture["concat"]
    assert "title" not in drawn and drawn["width"] == PICTURE_WIDTH
    assert [layer["mark"] for layer in view["layer"]] == [layer["mark"] for layer in drawn["layer"]]
