"""Findings, structure and the register: each file read against its schema, its text checked by role."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from icebook.data.collect import Collector
from icebook.data.documents import check_readings, load_findings, load_structure

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_findings_are_keyed_by_their_report_and_their_quotes_queued(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    col = Collector(data)
    findings = load_findings(data, col, {"sample-arrests"}, {"sample": object()})
    assert col.problems == []
    assert list(findings) == ["sample"] and findings["sample"]["title"] == "Sample findings"
    assert "Thirty-four officers took part." in [text for text, _, _ in col.quotes["sample"]]


def test_a_findings_file_naming_no_known_report_is_named_and_left_out(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    col = Collector(data)
    assert load_findings(data, col, {"sample-arrests"}, {"other": object()}) == {}
    assert [(p.file, p.field, p.message) for p in col.problems] == [
        ("data/findings/sample.yaml", "report", "unknown source id 'sample'; known: ['other']")]


def test_structure_and_register_are_optional_and_checked_when_present(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    col = Collector(data)
    assert load_structure(data, col, set(), {"sample": object()}) == ({}, [])
    (data / "register.yaml").write_text("- {id: sample-gap, colour: red}\n")
    assert load_structure(data, col, set(), {"sample": object()}) == ({}, [])
    assert {p.field for p in col.problems} >= {"colour"}
    assert {p.file for p in col.problems} == {"data/register.yaml"}


def _reading_problems(tmp_path: Path, summary: str) -> list[str]:
    """The problems with one finding's reading of a made-up report, beside one fact of another source."""
    texts = {"rep": "ICE officers must endeavor to make at-large arrests requiring more effort.",
             "ar": "ICE conducted 10,000 at-large arrests."}
    facts = pd.DataFrame({"source": ["ar"], "quote": ["ICE conducted 10,000 at-large arrests."]},
                         index=["ar-at-large"])
    findings = {"rep": {"findings": [{"id": "rep-finding-1",
                                      "bears_on": {"summary": summary, "facts": ["ar-at-large"]}}]}}
    col = Collector(tmp_path)
    check_readings(findings, facts, texts, tmp_path, col)
    return [p.message for p in col.problems]


def test_a_reading_quotes_its_report_verbatim_and_each_figure_s_own_scope_words(tmp_path):
    good = ('ICE reports {{ar-at-large}} "at-large arrests". OIG found officers "must endeavor to make at-large '
            'arrests requiring more effort".')
    assert _reading_problems(tmp_path, good) == []
    reworded = good.replace("must endeavor to make", "must force more")
    assert _reading_problems(tmp_path, reworded) == [
        "the reading quotes “must force more at-large arrests requiring more effort”, which stands in neither rep "
        "nor the source of a fact it names: quote the words as printed"]
    assert _reading_problems(tmp_path, 'ICE reports it "conducted" {{ar-at-large}} "at-large arrests" in a year.') \
        == []  # "at-large arrests" is the report's words too
    assert _reading_problems(tmp_path, 'ICE reports it "conducted" {{ar-at-large}} "10,000 at-large" arrests.') == [
        "the reading quotes no words of rep: give OIG's own words, in double quotes"]
    unscoped = good.replace('{{ar-at-large}} "at-large arrests"', "{{ar-at-large}} arrests")
    assert _reading_problems(tmp_path, unscoped) == [
        "{{ar-at-large}} is not followed by words of its own quote, in double quotes: say what the figure counts "
        "in its source's words"]
