"""The book's own words in the data: figures only as {{fact-id}} references, each naming a known fact; a
record's text checked by the role its schema gives each field."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from icebook.data.collect import Collector
from icebook.data.prose import check_fact_prose, check_prose, check_refs, check_text
from icebook.data.schema import Findings

DATA = Path("/project/data")
FINDINGS = DATA / "findings" / "r.yaml"


def test_a_typed_figure_is_refused_and_references_are_gathered():
    col, refs = Collector(DATA), set()
    check_prose("ICE reported {{r-arrests}} arrests, up from 1,250 the year before.", FINDINGS, col, "r-one",
                "summary", refs)
    assert refs == {"r-arrests"}
    assert [str(p) for p in col.problems] == [
        "data/findings/r.yaml (r-one), field 'summary': figure(s) ['1,250'] typed into prose; write {{fact-id}} "
        "instead"]


def test_a_reference_to_nothing_known_is_named():
    col = Collector(DATA)
    check_refs({"r-arrests", "r-gone"}, {"r-arrests"}, FINDINGS, col, "r-one")
    assert [p.message for p in col.problems] == ["{{r-gone}} names no fact or derived figure"]


def test_a_record_s_quotes_are_queued_its_prose_checked_and_an_unknown_source_named_once():
    record = Findings.model_validate({
        "report": "r", "title": "Findings",
        "findings": [{"id": "r-one", "speaker": "oig", "title": "T", "summary": "About 90 cases {{r-x}}",
                      "quote": "Q one",
                      "locator": "L", "facts": ["r-y"]},
                     {"id": "r-two", "speaker": "oig", "title": "T", "summary": "S", "quote": "Q two",
                      "locator": "L"}]})
    col = Collector(DATA)
    check_text(record, FINDINGS, col, {"r-x"}, {"r": object()}, "r")
    assert [(p.record, p.field, p.message) for p in col.problems] == [
        ("r-one", "findings.0.summary", "figure(s) ['90'] typed into prose; write {{fact-id}} instead"),
        ("r", None, "{{r-y}} names no fact or derived figure")]
    assert [text for text, _, _ in col.quotes["r"]] == ["Q one", "Q two"]

    col = Collector(DATA)
    check_text(record, FINDINGS, col, {"r-x", "r-y"}, {}, "r")
    assert [p.message for p in col.problems if "unknown source" in p.message] == [
        "unknown source id 'r'; known: []"]


def test_each_fact_is_told_of_its_own_typed_figures_and_references_however_many_share_a_text():
    note, misprint = 'Up from 1,250 {{r-gone}}.', '"1,250" is printed, 1,205 meant'
    facts = pd.DataFrame({"id": ["r-a", "r-b", "r-c"], "notes": [note, note, misprint],
                          "scope_doubt": ["", "", ""], "scope_deviation": ["", "", ""],
                          "ocr_correction": ["", misprint, misprint], "csv_file": ["data/facts/r.csv"] * 3,
                          "csv_line": [2, 3, 4]})
    col = Collector(DATA)
    check_fact_prose(facts, {"r-a", "r-b", "r-c"}, DATA, col)
    typed = "typed into {}; write {{{{fact-id}}}} for a figure a source prints, and leave out any other"
    gone = "{{r-gone}} names no fact or derived figure"
    assert [(p.row, p.record, p.field, p.message) for p in col.problems] == [
        (2, "r-a", "notes", "figure(s) ['1,250'] " + typed.format("notes")),
        (2, "r-a", None, gone),
        (3, "r-b", "notes", "figure(s) ['1,250'] " + typed.format("notes")),
        (3, "r-b", "ocr_correction", "figure(s) ['1,205'] " + typed.format("ocr_correction")),
        (3, "r-b", None, gone),
        (4, "r-c", "notes", "figure(s) ['1,250', '1,205'] " + typed.format("notes")),  # the misprint is in notes
        (4, "r-c", "ocr_correction", "figure(s) ['1,205'] " + typed.format("ocr_correction"))]
