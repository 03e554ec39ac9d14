"""What the book says about its sources comes from the registry: the bibliography, and counts in prose."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from pybtex.database import parse_string

from icebook import load
from icebook.bibliography import ShortNameLabels, bibliography
from icebook.checks import stale_counts

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_bibliography_is_written_from_the_registry_keeping_capitals_and_short_names():
    data = load(GOOD)
    entry = parse_string(bibliography(data.sources), "bibtex").entries["sample"]
    assert entry.fields["title"] == "{Sample Office Report}"  # one braced group: styles cannot lower-case it
    assert entry.fields["shorthand"] == "Sample report"
    assert (entry.fields["year"], entry.fields["month"]) == ("2020", "December")
    assert "sources/sample.md" in entry.fields["note"]
    assert list(ShortNameLabels().format_labels([entry])) == ["Sample report"]


def _article(text: str) -> BeautifulSoup:
    return BeautifulSoup(f"<article><p>{text}</p></article>", "html.parser")


def test_a_count_of_sources_that_disagrees_with_the_data_is_reported():
    problems = stale_counts(_article('It reports what <a class="book-count">five</a> documents say.'), 6)
    assert problems == ["“what five documents” but the data has 6 sources"]


def test_counts_that_agree_or_count_something_else_pass():
    assert stale_counts(_article("The book cites six documents. Where two sources disagree, both are shown."), 6) == []
    assert stale_counts(_article("<blockquote>the five sources</blockquote>"), 6) == []  # a source's own words
