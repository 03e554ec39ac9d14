"""One rule decides a figure's comparability label and its change column (compare.standing), so they cannot
disagree: each case below is the situation a reader review found contradicted on the page."""

import re

import pandas as pd
import pytest

from icebook import book
from icebook.data.compare import Change, baseline_changes, none_text, series_pairs, set_apart, standing
from icebook.data.schema import Series


def _row(fact_id: str, source: str, year: int) -> pd.Series:
    return pd.Series({"source": source, "as_of_fiscal_year": year}, name=fact_id)


def _change(base: str, later: str, value: float | None, blocked: str = "") -> Change:
    return Change(id=f"change-{base}-{later}", measure="m", series="s", base=base, later=later, value=value,
                  bound="", reason="why" if value is None else "both figures are exact as printed",
                  shown=value, blocked=blocked)


SOURCES = {"dhs-2017": "dhs2018", "ar-2020": "ar2020", "oig-2019": "oig2013"}


def test_a_blocked_change_makes_the_label_not_compared_whatever_the_catalog_grade():
    # ERO arrests: the catalog grades the series "caveat", but the FY 2019 figure's scope is in doubt
    series = Series(metric="s", counts="arrests", comparable="caveat", caveat="The two are worded differently.")
    changes = [_change("dhs-2017", "oig-2019", None, "scope in doubt")]
    later = standing(series, _row("oig-2019", "oig2013", 2019), 2017, changes, SOURCES)
    base = standing(series, _row("dhs-2017", "dhs2018", 2017), 2017, changes, SOURCES)
    assert later.label == "not compared: scope in doubt" and later.note == "why"
    assert later.changes == tuple(changes) and base.changes == () and base.cell == "the baseline"
    assert "comparable" not in later.label
    # the baseline row describes itself: the later figure's doubt is said on the later figure's row only
    assert (base.label, base.note) == ("the baseline", "")


def test_a_baseline_with_a_doubt_of_its_own_says_so_on_its_own_row():
    series = Series(metric="s", counts="arrests", comparable="yes")
    changes = [_change("dhs-2017", "oig-2019", None, "scope in doubt")]
    row = pd.Series({"source": "dhs2018", "as_of_fiscal_year": 2017, "scope_doubt": "counts ICE-wide"},
                    name="dhs-2017")
    base = standing(series, row, 2017, changes, SOURCES)
    assert base.label == "the baseline" and "{{dhs-2017}}: counts ICE-wide" in base.note
    assert "oig-2019" not in base.note


def test_a_source_s_caveat_is_shown_only_on_rows_it_concerns():
    # OPLA removal orders: the DHS page's "so far this fiscal year" is a partial year; the FY 2020 figure,
    # set against nothing, does not carry it
    series = Series(metric="s", counts="removal orders", comparable="caveat",
                    caveat="The DHS page gives a partial year.", caveat_sources=["dhs2018"])
    fy2020 = standing(series, _row("ar-2020", "ar2020", 2020), 2017, [], SOURCES)
    fy2018 = standing(series, _row("dhs-2017", "dhs2018", 2018), 2017, [], SOURCES)
    assert fy2020.note == "" and fy2020.label == "nothing to set it against in this series"
    assert fy2018.note == "The DHS page gives a partial year."
    # once a change is drawn from the DHS figure, the later figure carries the caveat too
    changes = [_change("dhs-2017", "ar-2020", 10.0)]
    later = standing(series, _row("ar-2020", "ar2020", 2020), 2017, changes, SOURCES)
    assert (later.label, later.note) == ("comparable with a caveat", "The DHS page gives a partial year.")


def test_a_computed_change_without_caveat_counts_the_same_thing_and_not_comparable_has_no_change():
    same = Series(metric="s", counts="MS-13 criminal arrests", comparable="yes")
    changes = [_change("dhs-2017", "ar-2020", -40.6)]
    row = standing(same, _row("ar-2020", "ar2020", 2020), 2017, changes, SOURCES)
    assert (row.label, row.note, row.changes) == ("counts the same thing", "", tuple(changes))
    other = Series(metric="o", counts="all arrests", comparable="no", caveat="Counts all arrests.")
    row = standing(other, _row("ar-2020", "ar2020", 2020), 2017, changes, SOURCES)
    assert (row.label, row.changes, row.cell) == ("not comparable", (), "not comparable")


def test_on_the_real_data_no_row_is_labelled_comparable_beside_a_change_that_is_not_computed():
    data = book()
    source_of = data.facts["source"].to_dict()
    checked = 0
    for measure in data.measures:
        changes = baseline_changes(data.facts, measure, [2017, 2018, 2019, 2020], 2017)
        for series in measure.series:
            rows = data.facts[data.facts["metric"] == series.metric]
            for _, row in rows[rows["as_of_fiscal_year"].isin([2017, 2018, 2019, 2020])].iterrows():
                where = standing(series, row, 2017, changes, source_of)
                blocked = [c for c in where.changes if c.value is None]
                if blocked:
                    assert where.label.startswith("not compared: "), (row.name, where.label)
                if where.label.startswith(("counts the same", "comparable")):
                    assert all(c.value is not None for c in where.changes), row.name
                checked += 1
    assert checked > 20
    ero = next(m for m in data.measures if m.id == "ero_admin_arrests")
    changes = baseline_changes(data.facts, ero, [2017, 2018, 2019, 2020], 2017)
    series = ero.series[0]
    later = standing(series, data.fact("oig2013-bg-fy2019-arrests-charged-or-convicted"), 2017, changes, source_of)
    assert later.label == "not compared: scope in doubt"
    # dhs2018 "ERO administratively arrested more than 127,000 aliens ..." (FY 2017) is the baseline; the reader
    # review found OIG's "143,100: OIG does not say how it drew this count" in its comparability cell
    pairs = series_pairs(data.facts, ero, [2017, 2018, 2019, 2020])
    base = standing(series, data.fact("dhs2018-ero-admin-arrests-criminal"), 2017, changes, source_of, pairs)
    assert base.label == "the baseline" and base.cell == "the baseline"
    assert "oig2013" not in base.note and "scope in doubt" not in base.label


@pytest.mark.parametrize("measure_id", ["opla_removal_orders", "opla_removal_orders_criminal"])
def test_the_dhs_partial_year_caveat_reaches_the_annual_report_s_row_only_when_set_against_it(measure_id):
    # dhs2018 "OPLA has secured over 100,000 removal orders so far this fiscal year, including over 33,000 in cases
    # involving criminal aliens" (FY 2018, partial) and ar2020 "obtained 157,433 removal orders (including 23,750
    # for criminal aliens)" (FY 2020): the chart sets the two side by side, so the annual report's row says what
    # the chart's sentence says of them, caveat included; with no FY 2018 shown, it is set against nothing.
    data = book()
    measure = next(m for m in data.measures if m.id == measure_id)
    rows = data.facts[(data.facts["metric"] == measure.series[0].metric) & (data.facts["source"] == "ar2020")]
    assert not rows.empty
    for years in ([2017, 2018, 2019, 2020], [2017, 2019, 2020]):
        changes = baseline_changes(data.facts, measure, years, 2017)
        pairs = series_pairs(data.facts, measure, years)
        for _, row in rows.iterrows():
            where = standing(measure.series[0], row, 2017, changes, data.facts["source"].to_dict(), pairs)
            if 2018 in years:
                assert where.label == "comparable with a caveat" and "so far this fiscal year" in where.note
            else:
                assert where.label == "nothing to set it against in this series" and where.note == ""


def test_no_row_says_nothing_to_set_against_while_its_series_has_a_figure_in_another_year():
    # The reader review: OPLA's docket, ICE's workforce and the BEST task forces each have a DHS page figure
    # (FY 2018) and an annual report one (FY 2020) of one series; the chart's sentence set them side by side
    # while the table said "nothing to set it against". Each row now says what its pair allows, as the chart does.
    data = book()
    source_of = data.facts["source"].to_dict()
    years = [2017, 2018, 2019, 2020]
    for measure in data.measures:
        changes = baseline_changes(data.facts, measure, years, 2017)
        pairs = series_pairs(data.facts, measure, years)
        for pair in pairs:
            series = next(s for s in measure.series if s.metric == pair.series)
            for fact_id in (pair.base, pair.later):
                where = standing(series, data.fact(fact_id), 2017, changes, source_of, pairs)
                assert where.label != "nothing to set it against in this series", (measure.id, fact_id)
                if pair.value is None and not [c for c in changes if fact_id in (c.base, c.later)]:
                    assert where.label == "not compared: " + none_text(pair), (measure.id, fact_id, where.label)
    workforce = next(m for m in data.measures if m.id == "ice_workforce")
    pairs = series_pairs(data.facts, workforce, years)
    # dhs2018 "With more than 20,000 employees" is undated: the book only infers its period
    assert [(c.base, c.later, c.blocked) for c in pairs] == [
        ("dhs2018-ice-workforce", "ar2020-message-ice-workforce", "period not stated")]


def test_a_caveat_that_names_qualifiers_names_only_qualifier_words():
    # ar2020 "for an ICE workforce of 21,000 strong": "strong" says how large, not how exact, and the fact is
    # read as a round figure with no qualifier word; a caveat calling it a rounding word contradicted the note
    # beside it. Every word a caveat gives in brackets after "rounded" or "approximate" is one of the vocabulary's.
    data = book()
    words = {w for text in data.vocabulary.qualifiers.values() for w in re.findall(r'"([^"]+)"', text)}
    assert {"more than", "almost"} <= words and "strong" not in words
    named = 0
    for measure in data.measures:
        for series in measure.series:
            for listed in re.findall(r"(?:rounded|approximate) \(([^)]*)\)", series.caveat):
                for word in re.findall(r'"([^"]+)"', listed):
                    assert word in words, (measure.id, word)
                    named += 1
    assert named >= 2  # narcotics: "almost", "more than"
    workforce = next(m for m in data.measures if m.id == "ice_workforce").series[0].caveat
    assert "not how exact" in workforce and "strong" in data.fact("ar2020-message-ice-workforce")["quote"]


def test_a_figure_whose_scope_is_in_doubt_is_set_apart_from_its_series_chart():
    # oig2013: "In fiscal year 2019, ICE arrested 143,100 aliens who were either charged with or convicted of ...
    # crimes" (ICE-wide, OIG's wording) beside dhs2018: "ERO administratively arrested more than 127,000 aliens
    # with criminal convictions or pending criminal charges": the first may not count what the second does, so it
    # is not drawn under the ERO label; the DHS page's figure, with no doubt of its own, may be.
    data = book()
    oig = data.fact("oig2013-bg-fy2019-arrests-charged-or-convicted")
    assert oig["quote"].startswith("In fiscal year 2019, ICE arrested 143,100")
    assert "may not count what the DHS page counts" in set_apart(oig)
    assert set_apart(data.fact("dhs2018-ero-admin-arrests-criminal")) == ""
    assert set_apart(data.fact("ar2020-hsi-ms13-arrests")) == ""
