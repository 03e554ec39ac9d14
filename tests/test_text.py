"""Number parsing and quote normalisation, on the forms the sources print."""

from pathlib import Path

import pytest

from icebook.core.text import (
    STRUCTURAL_FORMS,
    STRUCTURAL_NUMBER,
    NumberFormatError,
    normalise,
    parse_printed,
    unstructured_numbers,
)


@pytest.mark.parametrize("printed, value, unit", [
    ("1.4 million", 1_400_000, None),
    ("$8.03 billion", 8_030_000_000, "usd"),
    ("$18.8 million", 18_800_000, "usd"),
    ("64%", 64, "percent"),
    ("90 percent", 90, "percent"),
    ("Thirty-four", 34, None),
    ("two", 2, None),
    ("a million", 1_000_000, None),
    ("103,603", 103_603, None),
    ("8.665", 8.665, None),
])
def test_printed_numbers_read_as_the_source_means_them(printed, value, unit):
    parsed, implied = parse_printed(printed)
    assert parsed == pytest.approx(value)
    assert implied == unit


def test_scaled_decimals_are_exact_so_data_files_hold_whole_numbers():
    # 8.03 * 1e9 in binary floating point is 8029999999.999999; the source means 8,030,000,000.
    assert parse_printed("$8.03 billion")[0] == 8_030_000_000
    assert parse_printed("$1.8 billion")[0] == 1_800_000_000


@pytest.mark.parametrize("printed", ["", "lots", "12 apples", "1,2,3"])
def test_unreadable_number_is_an_error_naming_it(printed):
    with pytest.raises(NumberFormatError, match="cannot read"):
        parse_printed(printed)


def test_normalisation_drops_footnote_markers_markup_and_folds_space():
    printed = "removed more than **350**<sup>2</sup> high-profile\n  cases and \\$18.8 million; 143,100⁴ aliens"
    assert normalise(printed) == "removed more than 350 high-profile cases and $18.8 million; 143,100 aliens"


def test_normalisation_keeps_spelling_and_ocr_errors():
    assert normalise("Deportation Ofﬁcers reported 8.665 cases") == "Deportation Ofﬁcers reported 8.665 cases"


def test_structure_numbers_are_not_figures_but_counts_are():
    text = ("In FY 2019 (FY 2014–FY 2019) OIG-20-13 made Recommendation 3 on 287(g) and MS-13 "
            "on February 18, 2020, and found 143,100 arrests and 64%.")
    assert unstructured_numbers(text) == ["143,100", "64"]


def test_the_data_readme_lists_the_structural_numbers_the_code_treats_as_such():
    readme = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Structural numbers\n", 1)[1].split("\n### ", 1)[0]
    listed = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    assert listed == [description for description, _ in STRUCTURAL_FORMS]


@pytest.mark.parametrize("description", [d for d, _ in STRUCTURAL_FORMS], ids=lambda d: d.split(":")[0])
def test_each_structural_form_s_examples_are_structure_and_a_figure_beside_them_is_not(description):
    for example in description.split(": ", 1)[1].split(", "):
        assert STRUCTURAL_NUMBER.fullmatch(example), example
    assert unstructured_numbers(f"{description.split(': ', 1)[1]} and 1,250 arrests") == ["1,250"]
