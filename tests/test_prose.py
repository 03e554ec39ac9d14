"""The book's own words in the data: figures only as {{fact-id}} references, each naming a known fact; a
record's text checked by the role its schema gives each field."""

from __future__ import annotations

from pathlib import Path

from icebook.data.collect import Collector
from icebook.data.prose import check_prose, check_refs, check_text
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
