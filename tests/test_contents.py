"""Pages from a source's own table of contents (data/contents.py): a fact whose copy prints no page takes the page
its section starts on, by a rule declared once per source and checked against the source's text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from icebook.data.collect import Collector
from icebook.data.contents import PRINTED, SECTION_START, check_contents, section_pages
from icebook.data.loader import validated
from icebook.data.schema import Source

TEXT = """# A report

### Table of Contents

A Message from the Director .....	2
Enforcement and Removal Operations .....	4
Appendix B: Appendix C:	Methodology	19 24

# ENFORCEMENT AND REMOVAL OPERATIONS
"""


def _source(*contents: tuple[str, str]) -> Source:
    return Source(id="rep", file="rep.md", title="A report", short_name="Report", issuer="An office",
                  date_printed="2020", date=None, document_number=None, kind="annual_report", trust="Its own.",
                  missing="", pages_printed=False, original_address=None, notes="", sha256="0" * 64,
                  contents=[{"section": s, "page": p} for s, p in contents])


def test_a_contents_entry_must_stand_in_the_text_with_its_page(tmp_path: Path):
    col = Collector(tmp_path)
    check_contents({"rep": _source(("Enforcement and Removal Operations", "4"), ("Appendix C", "24"))},
                   {"rep": TEXT}, tmp_path, col)
    assert col.problems == []
    check_contents({"rep": _source(("Enforcement and Removal Operations", "5"), ("Office of Nowhere", "9"))},
                   {"rep": TEXT}, tmp_path, col)
    assert len(col.problems) == 2
    assert "contents entry 'Enforcement and Removal Operations' (page 5)" in str(col.problems[0])
    assert "sources.yaml" in str(col.problems[0]) and "rep" in str(col.problems[0])


def test_a_fact_without_a_page_takes_its_sections_start_and_a_printed_page_stays():
    source = _source(("A Message from the Director", "2"), ("Enforcement and Removal Operations", "4"),
                     ("Appendix C", "24"))
    facts = pd.DataFrame({
        "source": ["rep"] * 4,
        "page": ["", "", "7", ""],
        "locator": ["ENFORCEMENT AND REMOVAL OPERATIONS > Removals", "Appendix C FY 2019 Data on Arrests",
                    "Enforcement and Removal Operations", "Office of Nowhere"]})
    pages, bases = section_pages(facts, {"rep": source})
    assert pages.tolist() == ["4", "24", "7", ""]
    assert bases.tolist() == [SECTION_START, SECTION_START, PRINTED, ""]


def test_every_fact_of_a_section_a_source_lists_in_its_contents_has_a_page():
    data = validated()
    for source_id, source in data.sources.items():
        titles = tuple(e.section.lower() for e in source.contents)
        facts = data.facts[data.facts["source"] == source_id]
        listed = facts[[bool(titles) and locator.split(" > ")[0].lower().startswith(titles)
                        for locator in facts["locator"]]]
        assert (listed["page"] != "").all(), listed[listed["page"] == ""].index.tolist()
        assert set(listed["page_basis"]) <= {PRINTED, SECTION_START}
