"""What the book says about its sources comes from the registry: the bibliography, and counts in prose."""

from __future__ import annotations

from pathlib import Path

from pybtex.database import parse_string

from icebook import load
from icebook.sphinx.bibliography import ShortNameLabels, bibliography

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_bibliography_is_written_from_the_registry_keeping_capitals_and_short_names():
    data = load(GOOD)
    entry = parse_string(bibliography(data.sources), "bibtex").entries["sample"]
    assert entry.fields["title"] == "{Sample Office Report}"  # one braced group: styles cannot lower-case it
    assert entry.fields["shorthand"] == "Sample report"
    assert (entry.fields["year"], entry.fields["month"]) == ("2020", "December")
    assert "sources/sample.md" in entry.fields["note"]
    assert list(ShortNameLabels().format_labels([entry])) == ["Sample report"]
