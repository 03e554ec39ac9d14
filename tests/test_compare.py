"""Changes from a baseline year on the real data, each worked out by hand from the quoted sentences."""

import pytest

from icebook import book
from icebook.data.compare import baseline_changes
from icebook.data.schema import Series


@pytest.fixture(scope="module")
def data():
    return book()


def _measure(data, measure_id):
    return next(m for m in data.measures if m.id == measure_id)


def _by_series(changes):
    return {(c.series, c.base, c.later): c for c in changes}


def test_exact_figures_give_an_exact_change(data):
    # dhs2018: "809 MS-13 arrests, 567 of which were criminal" (FY 2017);
    # ar2020: "INCLUDES 337 MS-13 CRIMINAL ARRESTS" (FY 2020).
    # (337 - 567) / 567 = -230 / 567 = -40.564%
    changes = baseline_changes(data.facts, _measure(data, "hsi_gang_arrests"), [2017, 2018, 2019, 2020], 2017)
    ms13 = [c for c in changes if c.series == "hsi_ms13_criminal_arrests"]
    assert len(ms13) == 1
    assert ms13[0].value == pytest.approx(-40.564, abs=0.001)
    assert ms13[0].bound == ""


def test_no_change_is_computed_between_gang_arrests_worded_differently(data):
    # dhs2018: "its fight to combat transnational gangs, making 4,818 criminal arrests" (FY 2017);
    # ar2020: "Conducted 3,671 gang-related criminal arrests." (FY 2020). The defining phrases differ, so the
    # two are separate series of the catalog and no change is set between them.
    changes = baseline_changes(data.facts, _measure(data, "hsi_gang_arrests"), [2017, 2018, 2019, 2020], 2017)
    assert not [c for c in changes if {c.base, c.later} & {"dhs2018-hsi-gang-criminal-arrests",
                                                           "ar2020-hsi-gang-criminal-arrests"}]
    assert data.fact("dhs2018-hsi-gang-criminal-arrests")["metric"] != data.fact(
        "ar2020-hsi-gang-criminal-arrests")["metric"]
    assert "gang-related criminal arrests" in data.metrics["hsi_gang_criminal_arrests"].label


def test_a_more_than_baseline_makes_the_change_an_upper_bound(data):
    # dhs2018: "more than 2,300 pounds of fentanyl" (FY 2017); ar2020: "6,105 pounds of fentanyl" (FY 2020).
    # (6,105 - 2,300) / 2,300 = 165.43%; the true base is larger, so the true change is less: "less than",
    # and "2,300" has two significant digits, so the page shows "less than +170%" (165.43 rounded up at two
    # significant digits, staying true), not a "+166%" finer than the base.
    fentanyl = baseline_changes(data.facts, _measure(data, "hsi_fentanyl"), [2017, 2020], 2017)
    assert [(c.bound, c.shown, c.decimals) for c in fentanyl] == [("less than", 170.0, 0)]
    assert fentanyl[0].value == pytest.approx(165.43, abs=0.01)


def test_no_change_is_computed_across_a_scope_in_doubt(data):
    # dhs2018: "more than 127,000 aliens with criminal convictions or pending criminal charges" (FY 2017);
    # oig2013: "143,100 aliens who were either charged with or convicted of ... crimes" (FY 2019), a fact whose
    # scope is declared to deviate and is in doubt. The arithmetic would give "less than +12.7%"; none is stated.
    changes = baseline_changes(data.facts, _measure(data, "ero_admin_arrests"), [2017, 2018, 2019, 2020], 2017)
    assert [(c.base, c.later, c.value) for c in changes] == [
        ("dhs2018-ero-admin-arrests-criminal", "oig2013-bg-fy2019-arrests-charged-or-convicted", None)]
    assert "in doubt" in changes[0].reason and "{{oig2013-bg-fy2019-arrests-charged-or-convicted}}" in changes[0].reason


def test_no_change_is_computed_from_a_period_the_source_does_not_state(data):
    # dhs2018 "With more than 20,000 employees" is undated (taken as of the page's release date, FY 2018).
    changes = baseline_changes(data.facts, _measure(data, "ice_workforce"), [2018, 2020], 2018)
    assert changes and all(c.value is None and "does not state the period" in c.reason for c in changes)


def test_two_lower_bounds_give_no_change(data):
    # dhs2018: "more than 2,300 pounds of fentanyl" (FY 2017) and ar2020 "6,105 pounds" (exact) give a bound,
    # but dhs2018 "more than 700,000" and ar2020 "more than 1,250,000" docket cases bound it from both sides.
    docket = baseline_changes(data.facts, _measure(data, "opla_docket"), [2018, 2020], 2018)
    assert [(c.value, c.bound) for c in docket] == [(None, "")]
    fentanyl = baseline_changes(data.facts, _measure(data, "hsi_fentanyl"), [2017, 2020], 2017)
    assert fentanyl[0].bound == "less than"
    assert fentanyl[0].value == pytest.approx((6105 - 2300) / 2300 * 100)


def test_a_series_marked_not_comparable_gets_no_change(data):
    # The same gang-arrest figures as above, in a catalog that marks their series not comparable.
    measure = _measure(data, "hsi_gang_arrests")
    assert baseline_changes(data.facts, measure, [2017, 2020], 2017)  # comparable: changes
    marked = measure.model_copy(update={"series": [
        Series(metric=s.metric, counts=s.counts, comparable="no", caveat="planted") for s in measure.series]})
    assert baseline_changes(data.facts, marked, [2017, 2020], 2017) == []


def test_no_baseline_figure_no_change(data):
    # No source gives an FY 2019 figure for HSI gang arrests.
    assert baseline_changes(data.facts, _measure(data, "hsi_gang_arrests"), [2019, 2020], 2019) == []


def test_a_blocked_change_is_shown_with_its_reason_and_no_figure(data):
    from icebook.pages.fmt import change_link, change_reason
    blocked = baseline_changes(data.facts, _measure(data, "ero_admin_arrests"), [2017, 2019], 2017)[0]
    assert str(change_link(blocked)).endswith(">none: scope in doubt</a>")
    reason = str(change_reason(blocked))
    assert reason.startswith("No change is computed") and 'href="facts-oig2013.html#oig2013-bg-fy2019' in reason
