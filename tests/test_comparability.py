"""The one comparability rule (comparability.judge): a planted pair for each reason of its closed list, the
bounds, partial years and consecutive-year pairs worked out by hand from the quoted sentences, and a consistency
check over the real data."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from decimal import Decimal
from itertools import combinations

import pytest

from icebook import book
from icebook.data.comparability import (
    REASONS,
    Verdict,
    change_range,
    judge,
    judge_line,
    judge_measure,
    pairs,
    rounding_half_step,
    supported_place,
)
from icebook.data.figures import Figure, Wording, months_covered, months_text, scope_key, stem


def figure(fid: str, year: int, value: float, words: str | list[str] = "removal orders", qualifier: str = "exact",
           synonyms: tuple[frozenset[str], ...] = (), **more) -> Figure:
    wordings = tuple(Wording(fid, w, synonyms) for w in ([words] if isinstance(words, str) else words))
    base = dict(id=fid, printings=(fid,), source="src", source_name="the report", metric="m", value=value,
                unit="count", qualifier=qualifier, said="", fiscal_year=year, period_type="fiscal_year",
                period=f"FY {year}", period_basis="stated", wordings=wordings)
    return Figure(**(base | more))


def test_the_closed_list_has_one_verdict_per_reason_and_every_verdict():
    assert {r.verdict for r in REASONS.values()} == set(Verdict)
    assert [v.value for v in Verdict] == ["compared exactly", "compared as a bound", "compared with a stated caveat",
                                          "not compared"]
    assert all(r.code == code and r.name and r.rule.endswith(".") for code, r in REASONS.items())


# --- one planted pair per reason -------------------------------------------------------------------------------

def test_exact_figures_worded_the_same_give_an_exact_change():
    # dhs2018 "809 MS-13 arrests, 567 of which were criminal" (FY 2017); ar2020 "337 MS-13 CRIMINAL ARRESTS"
    # (FY 2020): (337 − 567) / 567 = −230 / 567 = −0.40564, shown to one decimal: −40.6
    said = judge(figure("a", 2017, 567, "MS-13 arrests … criminal"), figure("b", 2020, 337, "MS-13 CRIMINAL ARRESTS"))
    assert (said.verdict, said.reason.code) == (Verdict.EXACT, "exact")
    assert (said.change.shown, said.change.decimals, said.change.bound) == (-40.6, 1, "")
    assert said.direction == "fall" and said.also == ()


def test_a_more_than_base_makes_an_upper_bound_rounded_up_to_the_whole_percent():
    # dhs2018 "more than 2,300 pounds of fentanyl" (FY 2017); ar2020 "6,105 pounds of fentanyl" (FY 2020):
    # 3,805 / 2,300 = 1.65435, so 165.43%; the true base is larger, so the true change is smaller: at most
    # 165.43%, shown rounded up by the least whole step that keeps it true: at most +166% (never "170%").
    said = judge(figure("a", 2017, 2300, "seized … fentanyl", "more_than"), figure("b", 2020, 6105, "FENTANYL SEIZED"))
    assert (said.verdict, said.reason.code) == (Verdict.BOUND, "qualifier_bound")
    assert said.change.value == pytest.approx(165.4348, abs=1e-4)
    assert (said.change.bound, said.change.shown, said.change.decimals) == ("at most", 166.0, 0)
    assert said.direction is None  # a ceiling on a rise does not establish a rise
    assert "{{a}} is a lower bound, so the true change is at most the one computed" == said.because


def test_an_almost_base_and_a_more_than_later_figure_make_a_lower_bound_rounded_down():
    # dhs2018 "almost a million pounds of narcotics"; ar2020 "more than 1.4 million pounds of narcotics":
    # 1.4 / 1 − 1 = 40% exactly; both qualifiers push the true change up: at least +40% (not 39: no float error)
    said = judge(figure("a", 2017, 1_000_000, "seized … narcotics", "nearly"),
                 figure("b", 2020, 1_400_000, "Seized … narcotics", "more_than"))
    assert (said.change.bound, said.change.shown, said.direction) == ("at least", 40.0, "rise")


def test_a_more_than_base_of_a_fall_bounds_it_from_above_rounded_toward_zero():
    # dhs2018 "over 33,000 in cases involving criminal aliens"; ar2020 "23,750 for criminal aliens", were they
    # worded the same: (23,750 − 33,000) / 33,000 = −28.03%; the base is a floor, so the true change is at most
    # −28.03%: "at most −28%" (−28.03 rounded up), a fall of at least 28%
    said = judge(figure("a", 2017, 33000, qualifier="more_than"), figure("b", 2020, 23750))
    assert (said.change.bound, said.change.shown, said.direction) == ("at most", -28.0, "fall")


def test_figures_rounded_by_their_source_give_an_approximate_change():
    # oig2013 "ICE-issued detainers increased from 137,000 in FY 2014 to 165,500 in FY 2019" (rounded to the
    # nearest hundred): 28,500 / 137,000 = 20.80%, known to three digits: about +20.8%
    said = judge(figure("a", 2014, 137000, "ICE-issued detainers", "rounded_hundred"),
                 figure("b", 2019, 165500, "ICE-issued detainers", "rounded_hundred"))
    assert (said.verdict, said.reason.code) == (Verdict.CAVEAT, "rounded_by_source")
    assert (said.change.bound, said.change.shown) == ("about", 20.8)
    # at the ends of the rounding: 165,450 / 137,050 − 1 = 20.72%, 165,550 / 136,950 − 1 = 20.88%; half the range
    # is 0.08, within a tenth, so one decimal holds
    low, high = change_range(figure("a", 2014, 137000, qualifier="rounded_hundred"),
                             figure("b", 2019, 165500, qualifier="rounded_hundred"))
    assert (round(float(low), 2), round(float(high), 2)) == (20.72, 20.88)
    assert said.change.decimals == 1


def test_a_change_from_rounded_figures_shows_only_the_digits_its_rounding_supports():
    # oig2013 "the number of detainers law enforcement agencies declined to honor also increased from 8.665 [8,665,
    # exact] to 16,400 [to the nearest hundred], or an 89 percent increase": 7,735 / 8,665 = 89.27%, but 16,400 is
    # 16,350 to 16,450, so the change is 7,685 / 8,665 = 88.69% to 7,785 / 8,665 = 89.84%; half the range, 0.58, is
    # more than a tenth: the whole percent, "about +89%", not "+89.3%"
    said = judge(figure("a", 2014, 8665, "detainers … declined to honor"),
                 figure("b", 2019, 16400, "detainers … declined to honor", "rounded_hundred"))
    assert (said.change.bound, said.change.shown, said.change.decimals) == ("about", 89.0, 0)
    assert said.change.value == pytest.approx(89.267, abs=1e-3)
    # the same digits rule at other widths, by hand: 8,665 against 16,000 "about" (15,500 to 16,500): 78.9% to
    # 90.4%, half-range 5.8, shown to the tens: about +80% (84.65 rounded); and the place itself
    wide = judge(figure("a", 2014, 8665, "d"), figure("b", 2019, 16000, "d", "about"))
    assert (wide.change.shown, wide.change.decimals) == (80.0, 0)
    assert supported_place(Decimal("20.72"), Decimal("20.88")) == -1
    assert supported_place(Decimal("88.69"), Decimal("89.84")) == 0
    assert supported_place(Decimal("78.9"), Decimal("90.4")) == 1


def test_how_far_a_rounded_figure_may_lie_from_its_printed_value():
    assert rounding_half_step(figure("a", 2019, 16400, qualifier="rounded_hundred")) == 50  # OIG's footnote 4
    assert rounding_half_step(figure("a", 2019, 3700, qualifier="about")) == 50  # "about 3,700"
    assert rounding_half_step(figure("a", 2020, 21000, qualifier="rounded")) == 500  # "21,000 strong"
    assert rounding_half_step(figure("a", 2020, 65, qualifier="rounded_unit")) == Decimal("0.5")  # "a 65% increase"
    assert rounding_half_step(figure("a", 2020, 6.5, qualifier="rounded_unit")) == Decimal("0.05")
    assert rounding_half_step(figure("a", 2020, 8665)) == 0


def test_a_partial_year_is_compared_with_its_share_of_the_year_stated():
    # dhs2018 "OPLA has secured over 100,000 removal orders so far this fiscal year" (released August 20, 2018):
    # October 1, 2017 to August 20, 2018 is 31+30+31+31+28+31+30+31+30+31 = 304 days to July 31, and 20 more:
    # 324 of FY 2018's 365 days, 324 / 365 × 12 = 10.65 months, "about 10.7 of 12 months". Against ar2020
    # "obtained 157,433 removal orders" (FY 2020): 57,433 / 100,000 = 57.433%, a "more than" base: at most +58%.
    partial = figure("a", 2018, 100000, qualifier="more_than", period_type="partial_fiscal_year",
                     period="FY 2018 to August 20, 2018")
    said = judge(partial, figure("b", 2020, 157433))
    assert (said.verdict, said.reason.code) == (Verdict.CAVEAT, "partial_period")
    assert "(FY 2018 to August 20, 2018, about 10.7 of 12 months)" in said.because
    assert (said.change.bound, said.change.shown) == ("at most", 58.0)
    assert [r.code for r in said.also] == ["qualifier_bound"]


def test_a_figure_its_source_words_two_ways_is_compared_on_the_matching_wording_with_both_quoted():
    # Planted from the gang arrests as if the book had no doubt about 4,818 (on the real data it has one):
    # dhs2018 "its fight to combat transnational gangs, making 4,818 criminal arrests" (FY 2017); ar2020 "3,671
    # gang-related criminal arrests" in its text and "3,671 TRANSNATIONAL GANGS CRIMINAL ARRESTS" in its graphic.
    # (3,671 − 4,818) / 4,818 = −1,147 / 4,818 = −23.81%
    dhs = figure("dhs", 2017, 4818, "transnational gangs … criminal arrests")
    report = figure("ar", 2020, 3671, ["gang-related criminal arrests", "TRANSNATIONAL GANGS CRIMINAL ARRESTS"],
                    printings=("ar", "ar-graphic"))
    said = judge(dhs, report)
    assert (said.verdict, said.reason.code, said.change.shown) == (Verdict.CAVEAT, "two_wordings", -23.8)
    assert "“gang-related criminal arrests” and “TRANSNATIONAL GANGS CRIMINAL ARRESTS”" in said.because
    assert "“transnational gangs … criminal arrests”, as the second" in said.because


def test_different_scope_words_are_not_compared_and_both_are_quoted():
    # dhs2018 "ICE identified and assisted 518 human trafficking victims"; ar2020 "Identified and rescued ... 418
    # victims of human trafficking" and "418 VICTIMS OF HUMAN TRAFFICKING IDENTIFIED AND/OR ASSISTED": "and/or"
    # is not "and", and "rescued" is not "assisted", so no wording of one matches one of the other
    dhs = figure("dhs", 2017, 518, "identified and assisted … human trafficking victims")
    report = figure("ar", 2020, 418, ["Identified and rescued … victims of human trafficking",
                                      "VICTIMS OF HUMAN TRAFFICKING IDENTIFIED AND/OR ASSISTED"])
    said = judge(dhs, report)
    assert (said.verdict, said.reason.code, said.change) == (Verdict.NOT, "scope_words_differ", None)
    assert "“identified and assisted … human trafficking victims”" in said.because
    assert "“VICTIMS OF HUMAN TRAFFICKING IDENTIFIED AND/OR ASSISTED”" in said.because


def test_scope_words_ignore_case_order_punctuation_and_little_words_but_not_and_or():
    assert scope_key("victims of human trafficking") == scope_key("HUMAN TRAFFICKING VICTIMS")
    assert scope_key("seized … fentanyl") == scope_key("FENTANYL SEIZED")
    assert scope_key("identified and assisted") != scope_key("identified and/or assisted")
    assert scope_key("in cases involving criminal aliens") != scope_key("for criminal aliens")


def test_verbs_are_scope_words_and_two_verbs_are_one_act_only_where_the_data_declares_it():
    # dhs2018 "OPLA has secured over 100,000 removal orders"; ar2020 "obtained 157,433 removal orders"; oig2013
    # "ICE-issued detainers"; ar2020 "ICE placed 122,233 immigration detainers"
    secured, obtained = "secured … removal orders", "obtained … removal orders"
    assert scope_key(secured) != scope_key(obtained)
    said = judge(figure("a", 2018, 100000, secured), figure("b", 2020, 157433, obtained))
    assert (said.reason.code, said.change) == ("scope_words_differ", None)
    assert "“secured … removal orders”" in said.because and "“obtained … removal orders”" in said.because
    # declared one act (planted: no source has a passage that uses both), the same pair is compared: 57.4%
    one_act = (frozenset({stem("secured"), stem("obtained")}),)
    assert scope_key(secured, one_act) == scope_key(obtained, one_act)
    said = judge(figure("a", 2017, 100000, secured, synonyms=one_act),
                 figure("b", 2020, 157433, obtained, synonyms=one_act))
    assert (said.reason.code, said.change.shown) == ("exact", 57.4)
    # a declared group joins its own words only: "rescued" stays apart from "assisted"
    assert scope_key("identified and assisted … victims", one_act) != scope_key("identified and rescued … victims",
                                                                                one_act)


def test_a_word_s_grammatical_forms_are_one_scope_word_but_other_words_are_not():
    # dhs2018 "handling a docket of well over 700,000 cases"; ar2020 "handled an EOIR total case docket"
    assert scope_key("handling a docket of … cases") == scope_key("handled docket … cases")
    # dhs2018 "ERO administratively arrested"; ar2020 "conducted 103,603 administrative arrests"
    assert scope_key("administratively arrested … aliens") == scope_key("administrative arrests … aliens")
    assert scope_key("administrative arrests … involving aliens") != scope_key("administratively arrested … aliens")
    assert scope_key("placed … detainers") != scope_key("issued … detainers")
    assert scope_key("ICE-issued detainers") != scope_key("issued … detainers")  # a hyphened word is kept whole


def test_a_period_the_book_inferred_is_not_compared():
    # dhs2018 "With more than 20,000 employees" is undated; the book reads it as of August 20, 2018
    inferred = figure("a", 2018, 20000, "employees", period_basis="inferred", period="as of August 20, 2018",
                      period_type="point_in_time")
    said = judge(inferred, figure("b", 2020, 21000, "employees"))
    assert (said.verdict, said.reason.code) == (Verdict.NOT, "inferred_period")
    assert "which the book reads as of August 20, 2018" in said.because


def test_an_implied_figure_never_enters_a_change_even_with_the_same_words():
    # dhs2018 "more than 127,000 aliens with criminal convictions or pending criminal charges" (FY 2017) and the
    # book's 103,603 × "approximately 90%" (FY 2020), worded "involving aliens with criminal convictions or pending
    # criminal charges" in the annual report's opening letter
    words = "aliens with criminal convictions or pending criminal charges"
    said = judge(figure("a", 2017, 127000, words, "more_than"),
                 figure("b", 2020, 93000, words, "about", implied=True))
    assert (said.verdict, said.reason.code) == (Verdict.NOT, "implied_figure")


def test_qualifiers_that_bound_the_change_from_both_sides_give_none():
    # dhs2018 "a docket of well over 700,000 cases" and ar2020 "more than 1,250,000 cases", were they worded alike
    said = judge(figure("a", 2018, 700000, "docket", "more_than"), figure("b", 2020, 1250000, "docket", "more_than"))
    assert (said.reason.code, said.change) == ("open_bounds", None)
    assert "{{a}} is a lower bound and {{b}} a lower bound" in said.because


def test_a_zero_base_gives_no_change():
    assert judge(figure("a", 2017, 0), figure("b", 2020, 5)).reason.code == "zero_base"


def test_a_doubt_the_data_declares_is_an_exception_shown_with_its_reason():
    said = judge(figure("a", 2017, 10), figure("b", 2020, 12, doubt="the source may count only one office"))
    assert (said.verdict, said.reason.code) == (Verdict.NOT, "book_exception")
    assert said.because == "The book doubts what {{b}} counts: the source may count only one office"


def test_a_doubted_figure_is_compared_with_nothing_whatever_stands_beside_it():
    # One rule for every doubted figure, on either side of a pair and whatever the other figure: the same words,
    # other words, a bound, a rounded figure. dhs2018 "making 4,818 criminal arrests" is doubted as OIG-20-13's
    # "arrested 143,100 aliens who were either charged with or convicted of" is.
    doubted = figure("d", 2017, 4818, "transnational gangs … criminal arrests", doubt="the page contradicts itself")
    for other in (figure("o", 2020, 3671, "TRANSNATIONAL GANGS CRIMINAL ARRESTS"),
                  figure("o", 2020, 3671, "gang-related criminal arrests"),
                  figure("o", 2020, 3671, "transnational gangs … criminal arrests", "more_than"),
                  figure("o", 2014, 3600, "transnational gangs … criminal arrests", "rounded_hundred")):
        said = judge(doubted, other)
        assert said.verdict is Verdict.NOT and said.change is None
        assert "book_exception" in [said.reason.code, *(r.code for r in said.also)]
    said = judge(figure("o", 2020, 3671, "TRANSNATIONAL GANGS CRIMINAL ARRESTS"), doubted)
    assert said.because == "The book doubts what {{d}} counts: the page contradicts itself"


def test_one_figure_or_two_of_one_year_have_no_second_year():
    assert judge(figure("a", 2020, 10)).reason.code == "no_second_year"
    assert judge(figure("a", 2020, 10), figure("b", 2020, 12)).reason.code == "no_second_year"


def test_the_first_reason_in_the_list_is_the_pairs_and_the_others_are_kept():
    # the DHS page's "more than 20,000 employees" (undated) against the annual report's "ICE workforce of 21,000
    # strong": the words differ, and the period is the book's reading; the words come first
    said = judge(figure("a", 2018, 20000, "employees", period_basis="inferred"),
                 figure("b", 2020, 21000, "ICE workforce"))
    assert said.reason.code == "scope_words_differ" and [r.code for r in said.also] == ["inferred_period"]


def test_units_that_differ_are_a_programming_error():
    with pytest.raises(ValueError, match="different units"):
        judge(figure("a", 2017, 1), figure("b", 2020, 2, unit="pounds"))


# --- partial years from their dates ----------------------------------------------------------------------------

@pytest.mark.parametrize("period, year, months", [
    ("FY 2018 to August 20, 2018", 2018, "10.7"),  # 324 / 365 × 12 = 10.652
    ("July 13 to September 19, 2020", 2020, "2.3"),  # 19 + 31 + 19 = 69 days of FY 2020's 366: 2.262
    ("February 2020 to September 30, 2020", 2020, "8.0"),  # 29+31+30+31+30+31+31+30 = 243 / 366 × 12 = 7.967
    ("April 2020 to end of FY 2020", 2020, "6.0"),  # 30+31+30+31+31+30 = 183 / 366 × 12 = 6.000
    ("FY 2018, Quarter 2", 2018, "3.0"),  # January 1 to March 31, 2018: 90 / 365 × 12 = 2.959
    ("last three quarters of FY 2015", 2015, "9.0"),  # January 1 to September 30, 2015: 273 / 365 × 12 = 8.975
])
def test_the_months_a_partial_year_covers_are_counted_from_its_dates(period, year, months):
    assert months_text(months_covered(period, year)) == months


def test_a_partial_period_without_dates_gives_no_share():
    assert months_covered("from the start of maximum telework (COVID-19) to September 30, 2020", 2020) is None


# --- the pairs a page sets side by side ------------------------------------------------------------------------

def test_every_two_consecutive_years_are_compared_and_the_baseline_only_for_an_analyst():
    # a line with FY 2018, FY 2019 and FY 2020: 200 → 250 is +25.0%, 250 → 300 is +20.0%, 200 → 300 is +50.0%
    line = [figure("y18", 2018, 200), figure("y19", 2019, 250), figure("y20", 2020, 300)]
    steps = judge_line("", ("m",), line).comparisons
    assert [(c.earlier.id, c.later.id, c.change.shown) for c in steps] == [("y18", "y19", 25.0), ("y19", "y20", 20.0)]
    with_baseline = judge_line("", ("m",), line, baseline_year=2018).comparisons
    assert [(c.earlier.id, c.later.id, c.change.shown) for c in with_baseline] == [
        ("y18", "y19", 25.0), ("y18", "y20", 50.0), ("y19", "y20", 20.0)]


def test_an_implied_figure_is_set_against_the_stated_figures_either_side_and_never_breaks_a_step():
    # fentanyl: "more than 2,300" (FY 2017), about 3,700 implied (FY 2019), 6,105 (FY 2020): the stated step
    # FY 2017 → FY 2020 stays, and the implied figure is judged against both neighbours
    line = [figure("y17", 2017, 2300, qualifier="more_than"), figure("imp", 2019, 3700, "removal orders", "about",
                                                                      implied=True), figure("y20", 2020, 6105)]
    assert [(a.id, b.id) for a, b in pairs(line)] == [("y17", "imp"), ("y17", "y20"), ("imp", "y20")]


def test_a_line_of_one_year_says_so_for_each_figure():
    line = judge_line("", ("m",), [figure("a", 2020, 1), figure("b", 2020, 2)])
    assert [c.reason.code for c in line.comparisons] == ["no_second_year", "no_second_year"]


# --- the real data ---------------------------------------------------------------------------------------------

YEARS = [2017, 2018, 2019, 2020]


@pytest.fixture(scope="module")
def judged():
    data = book()
    return {m.id: judge_measure(data, m, YEARS) for m in data.measures}


def _pair(judged, measure, earlier, later):
    return next(c for c in judged[measure].comparisons if (c.earlier.id, c.later and c.later.id) == (earlier, later))


def test_on_the_real_data_each_review_finding_gets_its_true_reason(judged):
    data = book()
    # the review: human trafficking victims (518; 418), child exploitation victims (more than 904; 1,012) and
    # detainers (165,500; 122,233) each have two years: the reason is their wording, not "one fiscal year only"
    for measure, earlier, later in (
            ("hsi_trafficking_victims", "dhs2018-hsi-trafficking-victims", "ar2020-hsi-trafficking-victims"),
            ("hsi_child_exploitation_victims", "dhs2018-hsi-child-exploitation-victims",
             "ar2020-hsi-child-exploitation-victims"),
            ("ero_detainers", "oig2013-r1-detainers-issued-fy2019", "ar2020-ero-detainers-issued")):
        assert _pair(judged, measure, earlier, later).reason.code == "scope_words_differ"
    assert "ICE placed 122,233 immigration detainers" in data.fact("ar2020-ero-detainers-issued")["quote"]
    assert "ICE-issued detainers increased from 137,000 in FY 2014 to 165,500" in data.fact(
        "oig2013-r1-detainers-issued-fy2019")["quote"]
    # the gang arrests: the annual report's graphic words 3,671 as the DHS page words 4,818, but the DHS page puts
    # "809 MS-13 arrests, 567 of which were criminal and 242 administrative" "Of that number" of its 4,818
    # "criminal arrests": the book doubts what 4,818 counts, as it doubts OIG's 143,100, and compares neither
    gangs = _pair(judged, "hsi_gang_arrests", "dhs2018-hsi-gang-criminal-arrests", "ar2020-hsi-gang-criminal-arrests")
    assert (gangs.reason.code, gangs.change) == ("book_exception", None)
    graphic = data.fact("ar2020-hsi-gang-criminal-arrests-infographic")["quote"]
    assert "3,671 TRANSNATIONAL GANGS CRIMINAL ARRESTS" in graphic
    assert "242 administrative" in data.fact("dhs2018-hsi-ms13-admin-arrests")["quote"]
    oig = _pair(judged, "ero_admin_arrests", "oig2013-bg-fy2019-arrests-charged-or-convicted",
                "ar2020-message-ero-admin-arrests")
    assert "book_exception" in [oig.reason.code, *(r.code for r in oig.also)]
    # ERO arrests: "administratively arrested more than 127,000 aliens with …" counts aliens; the implied FY 2020
    # figure, "administrative arrests, approximately 90% involving aliens with …", counts arrests: the words
    # differ, and the rule keeps implied figures out as well
    ero = _pair(judged, "ero_admin_arrests", "dhs2018-ero-admin-arrests-criminal",
                "ar2020-ero-admin-arrests-criminal-implied")
    assert (ero.reason.code, [r.code for r in ero.also]) == ("scope_words_differ", ["implied_figure"])
    # OPLA removal orders: "secured" (DHS page) is not "obtained" (annual report), and no source says they are one
    opla = _pair(judged, "opla_removal_orders", "dhs2018-opla-removal-orders", "ar2020-opla-removal-orders")
    assert opla.reason.code == "scope_words_differ" and "“secured … removal orders”" in opla.because
    fentanyl = _pair(judged, "hsi_fentanyl", "dhs2018-hsi-fentanyl-seized", "ar2020-hsi-fentanyl-seized")
    assert (fentanyl.change.bound, fentanyl.change.shown) == ("at most", 166.0)


def _signature(pair, data) -> tuple:
    """What the rule may look at, read from the raw data independently of it: whether the two figures share a
    wording (by the test's own reading of the words), each one's kind of period and whether the book stated,
    inferred or implied it, its qualifier, its doubt, and whether its source words it more than one way."""
    def words(f):
        listed = (list(data.wordings.get(f.id, ())) if f.implied
                  else [w for i in f.printings for w in data.wordings.get(i, ())])
        return {" ".join(sorted(set(re.findall(r"[a-z0-9/-]+", w.lower().replace("…", " "))) - {"of", "the", "a",
                                                                                                    "an"}))
                for w in listed}
    kinds = []
    for f in pair.figures:
        kinds.append((f.period_type, f.period_basis, f.implied, f.qualifier, bool(f.doubt), len(words(f)) > 1,
                      f.value == 0))
    shared = bool(words(pair.earlier) & words(pair.later)) if pair.later else None
    return shared, tuple(kinds)


def test_pairs_alike_in_scope_words_and_period_kinds_never_get_different_verdicts():
    """Every two figures of one measure, in every two years, across all measures: pairs the rule sees alike (the
    same scope-word match, kinds of period, qualifiers and doubts) get the same verdict and reason, whichever
    measure, source or metric they belong to."""
    data = book()
    seen: dict[tuple, set[tuple[str, str]]] = defaultdict(set)
    examples: dict[tuple, list[str]] = defaultdict(list)
    for measure in data.measures:
        figures = [f for line in judge_measure(data, measure, list(range(2010, 2022))).lines for f in line.figures]
        for a, b in combinations(figures, 2):
            if a.unit != b.unit:
                continue
            said = judge(a, b)
            key = _signature(said, data)
            seen[key].add((said.verdict.value, said.reason.code))
            examples[key].append(f"{said.earlier.id} → {said.later.id if said.later else ''}")
    assert len(seen) >= 8  # the real data exercise many kinds of pair
    mixed = {k: (v, examples[k]) for k, v in seen.items() if len(v) > 1}
    assert mixed == {}


def test_the_rule_looks_at_no_name_a_measure_source_or_metric_gives():
    a, b = figure("a", 2017, 567, "MS-13 arrests … criminal"), figure("b", 2020, 337, "MS-13 CRIMINAL ARRESTS")
    renamed = [dataclasses.replace(f, source=f"other-{f.source}", source_name="another", metric="other-metric")
               for f in (a, b)]
    assert judge(a, b).reason == judge(*renamed).reason and judge(a, b).change == judge(*renamed).change


def test_figures_kept_apart_for_their_words_never_share_a_label(judged):
    """A label says what a figure counts; two figures the rule keeps apart because their words differ must not
    be labelled alike (the DHS page's "more than 20,000 employees" and the annual report's "ICE workforce of
    21,000 strong" were both "ICE employees (size of the workforce)")."""
    data = book()
    for j in judged.values():
        for c in j.comparisons:
            if c.later and c.reason.code == "scope_words_differ" and not (c.earlier.implied or c.later.implied):
                assert data.metrics[c.earlier.metric].label != data.metrics[c.later.metric].label, c.id
