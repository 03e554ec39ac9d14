"""The fact tables: read row by row with where each row came from; the columns computed from valid facts."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from icebook.data.collect import Collector, text_problem
from icebook.data.facts import (
    FACT_COLUMNS,
    FIELD_LIMIT,
    FOLDS_TO_ASCII,
    INFERRED_PERIOD,
    _may_say_inferred,
    _say_inferred,
    _suspect_text,
    as_of_fiscal_year,
    read_fact_files,
    source_qualifiers,
)
from icebook.data.schema import SourceDate

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_a_fact_without_a_year_speaks_of_its_dated_source_s_fiscal_year_only_when_it_is_a_state():
    facts = pd.DataFrame({"source": ["s", "s", "s"], "fiscal_year": pd.array([2019, None, None], dtype="Int64"),
                          "period_type": ["fiscal_year", "point_in_time", "unspecified"]})
    sources = {"s": SimpleNamespace(date=SourceDate(2020, 12, 1))}
    assert as_of_fiscal_year(facts, sources).tolist() == [2019, 2021, pd.NA]


def test_the_source_s_own_qualifier_word_is_the_longest_listed_one_just_before_the_number():
    vocab = SimpleNamespace(qualifiers={"more_than": '"more than", "over", "well over"', "about": '"about"',
                                        "exact": "printed without any qualifier"})
    facts = pd.DataFrame({"quote": ["ICE made well over 1,200 arrests.", "About 40% were at large.",
                                    "Over the year, 34 officers served.", "It holds 1,250 beds."],
                          "printed": ["1,200", "40%", "34", "1,250"],
                          "qualifier": ["more_than", "about", "more_than", "exact"]})
    assert source_qualifiers(facts, vocab) == ["well over", "about", "", ""]
    # facts that share a quote get each its own qualifier's wording, whichever fact comes first
    shared = pd.DataFrame({"quote": ["About 40 beds, well over 1,200 arrests."] * 5,
                           "printed": ["40", "1,200", "40", "1,200", "40"],
                           "qualifier": ["about", "more_than", "more_than", "more_than", "about"]})
    assert source_qualifiers(shared, vocab) == ["about", "well over", "", "well over", "about"]


def test_rows_keep_their_file_and_line_and_a_bad_header_is_named(tmp_path):
    (tmp_path / "facts").mkdir()
    for name in ("sample.csv",):
        (tmp_path / "facts" / name).write_text((GOOD / "facts" / name).read_text())
    (tmp_path / "facts" / "odd.csv").write_text("id,source,colour\n")
    col = Collector(tmp_path)
    rows = read_fact_files(tmp_path, col)
    assert list(rows.columns) == [*FACT_COLUMNS, "csv_file", "csv_line"]
    first = rows.loc[0, ["id", "csv_file", "csv_line"]].tolist()
    assert first == ["sample-arrests", f"{tmp_path.name}/facts/sample.csv", 2]
    assert [(p.file, p.row) for p in col.problems] == [(f"{tmp_path.name}/facts/odd.csv", 1)]
    assert "unknown columns ['colour']" in col.problems[0].message


def test_a_table_that_cannot_be_read_gives_no_rows(tmp_path):
    (tmp_path / "facts").mkdir()
    header = ",".join(FACT_COLUMNS)
    (tmp_path / "facts" / "open.csv").write_text(f'{header}\nx,"{"y" * (FIELD_LIMIT + 1)}\n')
    col = Collector(tmp_path)
    assert read_fact_files(tmp_path, col) is None
    assert [p.row for p in col.problems] == [2]


SAYS_INFERRED = ["period taken as FY 2019", "PERIOD NOT STATED", "the report does not state the period", "Undated memo",
                 "the sentence gives no date", "the headings give no date", "FY 2019 taken as the year’s"]


@pytest.mark.parametrize("text", [*SAYS_INFERRED, *(t.replace(" ", "\u00a0", 1) + " – ICE" for t in SAYS_INFERRED),
                                  "UNDATED", "\u0130 taken as", "period taken aſ FY 2019", "it give\u017f no date"])
def test_a_text_the_inferred_period_pattern_finds_is_one_the_quick_look_finds(text):
    # the quick look (every row) must find whatever the pattern (rows it picks) would, in ASCII text or not
    assert INFERRED_PERIOD.search(text) or "\u00a0" in text
    assert _may_say_inferred(text) or not INFERRED_PERIOD.search(text)


def test_the_characters_re_takes_for_an_ascii_letter_ignoring_case_are_those_listed():
    found = [c for c in map(chr, range(0x80, 0x110000)) if re.fullmatch("(?i)[a-z]", c)]
    assert found == list(FOLDS_TO_ASCII)


def test_the_quick_look_passes_a_text_with_none_of_the_wordings():
    assert not _may_say_inferred("The period is FY 2019, as the heading states.")


@pytest.mark.parametrize(("text", "refused"), [
    ("see javascript:alert(1)", True), ("JavaScript:void(0)", True), ("a <b>bold</b> claim", True), ("< /i>", True),
    ("javascript alone", False), ("java script:", False), ("3 < 4", False), ("ratio 2:1", False)])
def test_markup_is_a_tag_s_start_or_javascript_and_its_colon(text, refused):
    assert (text_problem(text) is not None) is refused


def test_rows_whose_fields_may_carry_markup_control_characters_or_formulas_are_picked():
    clean = dict.fromkeys(FACT_COLUMNS, "x")
    rows = [clean, {**clean, "notes": "a <b>tag"}, {**clean, "role": "=1+1"}, {**clean, "period": "a\x01b"},
            {**clean, "quote": "<b>quotes are checked on their own</b>"}, {**clean, "locator": "x<"},
            {**clean, "metric": "javascript:"}, {**clean, "notes": "a\n@b"}]
    assert _suspect_text({name: [row[name] for row in rows] for name in FACT_COLUMNS}) == [
        False, True, True, True, False, False, True, True]


def test_texts_looked_through_together_are_each_found_to_say_an_inferred_period_as_on_their_own():
    texts = ["", "period taken as FY 2019", "no", "UNDATED", "taken\nas", "tak", "en as", "\u0130 taken as",
             "ΑΣ undated", "Σ", "it give\u017f no date", "not state the period", "mistaken as",
             "DOES NOT STATE THE PERIOD\n"]
    for chosen in [texts, [t for t in texts if t.isascii()], [t for t in texts if "\u0130" not in t and "ſ" not in t]]:
        assert _say_inferred(chosen) == [_may_say_inferred(text) for text in chosen]
        assert any(_say_inferred(chosen)) and not all(_say_inferred(chosen))
