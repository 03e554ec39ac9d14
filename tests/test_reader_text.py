"""How numbers and periods read: one minus sign (U+2212) from one formatter, and a period the source does not
state read as the book's reading, not as the source's statement."""

import re

import pandas as pd
import pytest

from icebook import book
from icebook.data.comparability import judge, measure_figures
from icebook.pages import fmt
from icebook.pages.verdicts import change_link


@pytest.mark.parametrize(("value", "unit", "decimals", "text"), [
    (-23.806, "percent", 1, "−23.8%"),
    (-40.564, "percent", 1, "−40.6%"),
    (-0.04, "percent", 1, "0.0%"),  # rounds to zero: no sign
    (-1500, "count", 0, "−1,500"),
    (-2_500_000, "usd", 0, "−$2.5 million"),
    (165.43, "percent", 1, "165.4%"),
])
def test_a_negative_figure_takes_a_true_minus_sign(value, unit, decimals, text):
    assert fmt.number(value, unit, decimals) == text
    assert "-" not in fmt.number(value, unit, decimals)


@pytest.mark.parametrize(("value", "text"), [(12.5, "+12.5%"), (-23.8, "−23.8%"), (0.0, "0.0%")])
def test_a_change_always_shows_its_sign(value, text):
    assert fmt.signed(value, "percent", 1) == text


def test_a_change_and_a_derived_change_use_the_same_sign():
    # dhs2018 "567 of which were criminal", ar2020 "INCLUDES 337 MS-13 CRIMINAL ARRESTS": 337 / 567 - 1 = -40.6%
    figures = {f.id: f for f in measure_figures(book(), ["hsi_ms13_criminal_arrests"])}
    compared = judge(figures["dhs2018-hsi-ms13-criminal-arrests"], figures["ar2020-hsi-ms13-arrests"])
    assert ">−40.6%<" in str(change_link(compared))
    assert ">−40.6%<" in str(fmt.derived("dhs2018-ar2020-hsi-ms13-criminal-arrests-change-pct"))


def test_a_count_of_what_ice_has_with_no_date_in_its_sentence_or_heading_is_read_not_stated():
    # ar2020: "OPE, headquartered in Washington, D.C., has two distinct offices" (present tense, no period);
    # "for an ICE workforce of 21,000 strong", "over 1,600 OPLA employees", "its 697 domestic office locations":
    # counts of what ICE has, in sentences and under headings that name no year, though the report is FY 2020's
    data = book()
    for fact_id in ("ar2020-ope-offices", "ar2020-ope-community-relations-officers",
                    "ar2020-ope-external-facing-offices", "ar2020-message-ice-workforce", "ar2020-opla-workforce",
                    "ar2020-ma-domestic-office-locations"):
        row = data.fact(fact_id)
        assert not re.search(r"FY ?20\d\d|20\d\d", row["quote"] + row["locator"]), fact_id
        assert row["period_basis"] == "inferred", fact_id
        assert fmt.period_text(row) == "period not stated; read as FY 2020"


def test_figures_under_a_heading_that_names_the_year_have_that_period_stated_alike():
    # The graphic "HSI STRATEGIC MISSION PRIORITIES FY2020": "Utilize HSI's 74 Border Enforcement Security Task
    # Forces", "Utilized 36 Document and Benefit Fraud Task Forces", "INCLUDES 337 MS-13 CRIMINAL ARRESTS"
    data = book()
    for fact_id in ("ar2020-hsi-best-task-forces", "ar2020-hsi-dbf-task-forces", "ar2020-hsi-ms13-arrests"):
        row = data.fact(fact_id)
        assert "PRIORITIES FY2020" in row["locator"], fact_id
        assert (row["period_basis"], fmt.period_text(row)) == ("stated", "FY 2020"), fact_id


@pytest.mark.parametrize("fact_id", [
    "oig2013-bg-cap-aors",  # "ICE operates CAP in 24 geographic areas of responsibility (AOR)"
    "oig1751-mc-rec2-ero-field-offices",  # "the future operational footprint for ERO's 24 field offices"
    "oig1751-mc-rec3-ero-field-offices", "oig1751-mc-rec3-oig-ero-field-offices",
])
def test_a_present_tense_organisation_count_in_an_oig_report_is_read_not_stated(fact_id):
    row = book().fact(fact_id)
    assert row["period_basis"] == "inferred"
    assert fmt.period_text(row).startswith("period not stated; read as of ")


def test_an_inferred_as_of_date_reads_without_a_doubled_as():
    row = pd.Series({"period": "as of August 20, 2018", "period_type": "point_in_time", "period_basis": "inferred"})
    assert fmt.period_text(row) == "period not stated; read as of August 20, 2018"
