"""The problem collector: quotes looked up in their source, text fields refused for markup or formulas."""

from __future__ import annotations

from pathlib import Path

import pytest

from icebook.data.collect import Collector, text_problem, where_quote_stops

DATA = Path("/project/data")
TABLE = DATA / "facts" / "sample.csv"


def test_a_queued_quote_is_found_or_reported_naming_file_row_and_source():
    col = Collector(DATA)
    col.quote("sample", "ICE made 1,250 arrests.", TABLE, row=2, record="sample-arrests")
    col.quote("sample", "ICE made 1,205 arrests.", TABLE, row=3, record="sample-typo")
    col.check_quotes({"sample": "In the year ICE made 1,250 arrests."})
    assert [str(p) for p in col.problems] == [
        "data/facts/sample.csv, row 3 (sample-typo): quote not found in source 'sample': it matches the source up "
        "to 'ICE made 1,2', then the quote has '05 arrests.' where the source has '50 arrests.'"]


def test_a_quote_with_markup_or_nothing_in_it_is_refused_before_look_up():
    col = Collector(DATA)
    col.quote("sample", "<b>1,250</b> arrests", TABLE, row=2)
    col.quote("sample", "   ", TABLE, row=3)
    assert [p.message for p in col.problems] == ["the quote carries HTML or script markup; copy the plain text",
                                                 "the quote is empty"]
    assert col.quotes == {}


def test_a_quote_of_a_source_with_no_text_is_left_to_the_check_that_names_the_source():
    col = Collector(DATA)
    col.quote("elsewhere", "anything", TABLE, row=2)
    col.check_quotes({"sample": "text"})
    assert col.problems == []


def test_where_a_quote_stops_when_not_even_its_first_character_is_there():
    assert where_quote_stops("xyz", "abc") == "not even its first character is in the text: 'xyz'"


@pytest.mark.parametrize(("text", "problem"), [
    ("See <script>alert(1)</script>", "carries HTML or script markup; write plain text"),
    ("a\x07bell", "carries the control character U+0007; write plain text"),
    ("=1+2", "begins with '=', which a spreadsheet would run as a formula from the downloads; reword it"),
    ("ICE reports 1,250 arrests.", None),
])
def test_text_problem(text, problem):
    assert text_problem(text) == problem
