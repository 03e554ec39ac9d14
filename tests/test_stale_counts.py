"""Counts in the book's own words agree with the data: each page in fixtures/stale_counts states one count
that agrees with AGREE and disagrees with the data after a change (CHANGED), and the site check names it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from icebook import book
from icebook.build.params import chapter_spec
from icebook.site.checks import check_site
from icebook.site.counts import BookCounts, book_counts, stale_counts

FAULTS = Path(__file__).parent / "fixtures" / "stale_counts"
AGREE = BookCounts(sources=5, reports=2, components=7, recommendations={"OIG-17-51": 5, "OIG-20-13": 4},
                   fiscal_years=(2017, 2020))
CHANGED = BookCounts(sources=6, reports=3, components=6, recommendations={"OIG-17-51": 6, "OIG-20-13": 3},
                     fiscal_years=(2018, 2020))
CASES = {
    "sources": ["“what five documents” but the data has 6 sources"],
    "source_texts": ["“the five source texts” but the data has 6 sources"],
    "reports": ["“in two reports” but the data has 3 OIG reports"],
    "components": ["“ICE's seven components” but the data has 6 current components"],
    "recommendations_heading": ["“OIG-17-51: five recommendations” but OIG-17-51 makes 6 recommendation(s)"],
    "recommendations_list": ["“five in OIG-17-51” but OIG-17-51 makes 6 recommendation(s)",
                             "“four in OIG-20-13” but OIG-20-13 makes 3 recommendation(s)"],
    "recommendations_made": ["“OIG-20-13 made four recommendations” but OIG-20-13 makes 3 recommendation(s)"],
    "fiscal_years_heading": ["“FY 2017 to FY 2020” but the book covers FY 2018 to FY 2020"],
    "fiscal_years_prose": ["“FY2017–FY2020” but the book covers FY 2018 to FY 2020"],
}


def page(name: str) -> BeautifulSoup:
    return BeautifulSoup((FAULTS / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def test_every_fixture_has_a_case():
    assert sorted(p.stem for p in FAULTS.glob("*.html")) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_count_that_agrees_with_the_data_passes(case):
    assert stale_counts(page(case), AGREE) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_count_the_data_no_longer_give_fails_the_site_check_naming_page_and_phrase(case, tmp_path):
    assert stale_counts(page(case), CHANGED) == CASES[case]
    shutil.copy(FAULTS / f"{case}.html", tmp_path / f"{case}.html")
    assert check_site(tmp_path, counts=CHANGED) == [f"{case}.html: {problem}" for problem in CASES[case]]


def test_counts_that_count_something_else_or_quote_a_source_pass():
    text = BeautifulSoup("<article><p>The book cites six documents. Where two sources disagree, both are shown. "
                         "ICE asked OIG to close recommendation one of OIG-20-13.</p>"
                         "<blockquote>the five sources; FY2014–FY2019</blockquote>"
                         "<p>Detainers declined from FY 2014 to FY 2019.</p></article>", "html.parser")
    assert stale_counts(text, BookCounts(sources=6, recommendations={"OIG-20-13": 4}, fiscal_years=(2017, 2020))) == []


def test_the_counts_are_the_data_s():
    data = book()
    counts = book_counts(data, chapter_spec("comparison")["parameters"]["fiscal_years"]["default"])
    assert counts.sources == len(data.sources) and counts.reports == len(data.findings)
    # OIG-17-51 lists five recommendations, OIG-20-13 four ("We made four recommendations", its Highlights)
    assert counts.recommendations == {"OIG-17-51": 5, "OIG-20-13": 4}
    assert counts.components == len(chapter_spec("profiles")["values"]["component"])  # one profile each
    assert counts.fiscal_years == (2017, 2020)
