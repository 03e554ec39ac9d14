"""The source registry: each source's text read and normalised, its bytes checked against the recorded hash."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from icebook.data.collect import Collector
from icebook.data.registry import load_sources

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_a_registered_source_is_read_with_its_normalised_text(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    col = Collector(data)
    sources, texts = load_sources(data, col)
    assert col.problems == []
    assert sources["sample"].short_name == "Sample report"
    assert "the office made 1,250 arrests" in texts["sample"]


def test_an_edited_text_keeps_its_text_for_quote_checks_and_names_both_hashes_in_full(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    text = data / "sources" / "sample.md"
    text.write_text(text.read_text() + "\nA line added.\n")
    col = Collector(data)
    _, texts = load_sources(data, col)
    assert "A line added." in texts["sample"]
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    [problem] = col.problems
    assert (problem.record, problem.field) == ("sample", "sha256")
    assert f"the file's is {digest}" in problem.message
    assert "recorded 330f7880c55e961a9266b9db1cf69a1bb3610e75ef6c9e2cd2ff28d60c00a94c" in problem.message


def test_a_missing_text_is_named(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    (data / "sources" / "sample.md").unlink()
    col = Collector(data)
    sources, texts = load_sources(data, col)
    assert texts == {} and "sample" in sources
    assert [p.message for p in col.problems] == ["source text data/sources/sample.md is missing"]
