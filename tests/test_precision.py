"""Precision follows the inputs: each expected figure below is worked out by hand from the quotes named."""

import pytest

from icebook import book
from icebook.data.derive import MIN_DIGITS, Precision, carried_precision, displayed, input_qualifier, significant_digits


def shown(formula: str, unit: str, decimals: int, **inputs: tuple[float, str]) -> tuple[str, float, int]:
    precision = carried_precision(formula, {name: (value, qualifier, None) for name, (value, qualifier)
                                            in inputs.items()})
    value, places = displayed(eval(formula, {}, {k: v for k, (v, _) in inputs.items()}), precision, decimals, unit)
    return precision.bound, value, places


@pytest.mark.parametrize(("value", "digits"), [(90, 1), (143100, 4), (27.2, 3), (2200000, 2), (6105, 4), (904, 3)])
def test_significant_digits_leave_out_a_whole_number_s_trailing_zeros(value, digits):
    assert significant_digits(value) == digits


def test_a_count_from_an_approximate_share_is_about_and_rounded():
    # ar2020: "103,603 administrative arrests, approximately 90% involving aliens with criminal convictions or
    # pending criminal charges": 103,603 x 0.90 = 93,242.7; "approximately 90%" supports two digits at most
    assert shown("arrests * share / 100", "count", 0, arrests=(103603, "exact"), share=(90, "about")) == \
        ("about", 93000, 0)


def test_bounds_pulling_opposite_ways_give_about():
    # oig1751: "nearly 500,000 individuals" and "a nearly 16 percent increase from FY 2013": 500,000 / 1.16 =
    # 431,034.5; the smaller true count lowers the result, the smaller true increase raises it
    assert shown("now / (1 + pct / 100)", "count", 0, now=(500000, "nearly"), pct=(16, "nearly")) == \
        ("about", 430000, 0)
    # "about a 34 percent increase from FY 2012": 500,000 / 1.34 = 373,134.3
    assert shown("now / (1 + pct / 100)", "count", 0, now=(500000, "nearly"), pct=(34, "about")) == \
        ("about", 370000, 0)


def test_a_bound_is_carried_and_rounded_outward_so_it_stays_true():
    # dhs2018 "more than 904" child exploitation victims (FY 2017) against ar2020's 1,012 (FY 2020):
    # (1,012 - 904) / 904 = 108 / 904 = 11.947%; a larger true base makes the change smaller, so "less than",
    # and a percentage bound is rounded up to the whole percent: 12
    assert shown("(new - old) / old * 100", "percent", 1, new=(1012, "exact"), old=(904, "more_than")) == \
        ("less than", 12.0, 0)
    # "more than 2,700" arrests (two significant digits) times an exact 59.0%: 1,593, rounded down to two digits
    assert shown("n * share / 100", "count", 0, n=(2700, "more_than"), share=(59.0, "exact")) == \
        ("more than", 1500, 0)


def test_a_bound_is_shown_no_finer_than_its_least_precise_input():
    # dhs2018 "more than 2,300 pounds of fentanyl" (FY 2017), ar2020 "6,105 pounds" (FY 2020):
    # 6,105 / 2,300 - 1 = 1.654348, so +165.43%; the true base is larger, so the true change is less than that.
    # A percentage bound is rounded outward by the least step that keeps it true, to the whole percent: 166, the
    # bound a page shows as "at most +166%" (never the looser 170 that two significant digits gave).
    assert MIN_DIGITS == 2
    assert shown("(new - old) / old * 100", "percent", 1, new=(6105, "exact"), old=(2300, "more_than")) == \
        ("less than", 166.0, 0)
    # dhs2018 "almost a million pounds of narcotics" (FY 2017), ar2020 "more than 1.4 million pounds" (FY 2020):
    # 1.4 million / 1 million - 1 = 40% exactly, a lower bound (smaller true base, larger true later figure),
    # rounded down to the whole percent: "more than 40" (not 39 from a float's 39.999…), never "40.0".
    assert shown("(new - old) / old * 100", "percent", 1, new=(1400000, "more_than"), old=(1000000, "nearly")) == \
        ("more than", 40.0, 0)
    # "nearly 1,200 pounds" (a ceiling) times an exact 0.5 = 600, a bound at 600 itself: "less than 600"
    assert shown("n * 0.5", "pounds", 0, n=(1200, "nearly")) == ("less than", 600, 0)


def test_a_rounded_to_the_hundred_input_keeps_its_digits():
    # oig2013: 8,665 declined of "137,000" issued (rounded to the nearest hundred): 6.3248% -> 6.32, one decimal shown
    bound, value, places = shown("d / i * 100", "percent", 1, d=(8665, "exact"), i=(137000, "rounded_hundred"))
    assert (bound, places) == ("about", 1) and f"{value:.{places}f}" == "6.3"


def test_an_approximate_count_is_never_shown_to_the_unit():
    # "about 40" officers times an exact 1.2 = 48: two digits would be to the unit, so tens
    assert shown("n * 1.2", "count", 0, n=(40, "about")) == ("about", 50, 0)


def test_exact_inputs_keep_the_declared_decimals():
    # oig2013: "8,665" declined of "137,000" issued, both read as printed: 6.3248%, one decimal as declared
    assert carried_precision("d / i * 100", {"d": (8665, "exact", None), "i": (137000, "exact", None)}) \
        == Precision()
    assert displayed(3700.0, Precision(), 0, "count") == (3700.0, 0)


@pytest.mark.parametrize(("value", "unit", "qualifier", "carried"), [
    (65, "percent", "exact", "rounded_unit"),  # "a 65% increase": 64.5% to 65.5%
    (160, "percent", "exact", "rounded_unit"),  # "a 160% increase"
    (6.5, "percent", "exact", "rounded_unit"),  # "6.5%" is printed to the tenth: 6.45% to 6.55%
    (65, "percent", "about", "about"),  # a qualifier the source gives is kept
    (6105, "pounds", "exact", "exact"),  # a count is exact as printed
])
def test_a_percentage_is_rounded_to_its_last_printed_digit(value, unit, qualifier, carried):
    assert input_qualifier(value, unit, qualifier) == carried


def test_a_figure_derived_from_a_whole_number_percentage_is_about():
    # ar2020: "6,105 pounds of fentanyl, a 65% increase from FY 2019": 6,105 / 1.65 = 3,700; with 64.5% to 65.5%
    # it lies between 6,105 / 1.655 = 3,688.8 and 6,105 / 1.645 = 3,711.2, so "about 3,700" (the two digits of 65)
    pct = input_qualifier(65, "percent", "exact")
    assert shown("now / (1 + pct / 100)", "count", 0, now=(6105, "exact"), pct=(65, pct)) == ("about", 3700, 0)
    # ar2020: "effectuating 3,278 removals", "a 160% increase ... compared to FY 2019": 3,278 / 2.6 = 1,260.8;
    # "160" has two significant digits, so "about 1,300"
    pct = input_qualifier(160, "percent", "exact")
    assert shown("now / (1 + pct / 100)", "count", 0, now=(3278, "exact"), pct=(160, pct)) == ("about", 1300, 0)


def test_derived_figures_chain_and_a_bad_input_or_formula_is_named():
    """A derived figure may take an earlier one as input; an unknown input or a division by zero is a problem."""
    from pathlib import Path

    import pandas as pd

    from icebook.data.collect import Collector
    from icebook.data.derive import derive_figures
    from icebook.data.schema import Derived

    facts = pd.DataFrame({"value": [1250.0, 40.0], "unit": ["count", "percent"], "qualifier": ["exact", "exact"]},
                         index=["s-arrests", "s-share"])
    common = {"unit": "count", "component": "ERO", "label": "L"}
    records = [Derived(id="s-at-large", formula="a * s / 100", inputs={"a": "s-arrests", "s": "s-share"}, **common),
               Derived(id="s-rest", formula="a - l", inputs={"a": "s-arrests", "l": "s-at-large"}, **common),
               Derived(id="s-gone", formula="a", inputs={"a": "s-nothing"}, **common),
               Derived(id="s-zero", formula="a / (s - s)", inputs={"a": "s-arrests", "s": "s-share"}, **common)]
    col = Collector(Path("/project/data"))
    derived = derive_figures(records, facts, None, Path("/project/data/derived.yaml"), col)
    assert derived["value"].to_dict() == {"s-at-large": 500.0, "s-rest": 750.0}
    assert [(p.record, p.field) for p in col.problems] == [("s-gone", "inputs.a"), ("s-zero", "formula")]


def test_the_workforce_s_round_figure_is_approximate_and_so_is_a_share_of_it():
    # ar2020: "an ICE workforce of 21,000 strong" prints no qualifier word, but its note calls it a round figure;
    # a share of it (veterans, "approximately 6,725") is "about" 6,725 / 21,000 = 32.0%, to two digits: 32%
    workforce = book().with_notes(book().facts_of(["ar2020-message-ice-workforce"])).iloc[0]
    assert workforce["qualifier"] == "rounded" and "rounded" in workforce["notes"]
    assert shown("part / whole * 100", "percent", 2, part=(6725, "exact"), whole=(21000, workforce["qualifier"])) \
        == ("about", 32.0, 0)
