"""Findings, structure and the register: each file read against its schema, its text checked by role."""

from __future__ import annotations

import shutil
from pathlib import Path

from icebook.data.collect import Collector
from icebook.data.documents import load_findings, load_structure

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
