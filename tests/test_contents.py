"""Pages from a source's own layout (data/contents.py): a fact whose copy prints no page takes the page its section
starts on by the source's contents, or, in the front matter the copy does not number, none, and says so; each rule
is declared once per source and checked against the source's text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from icebook.core.text import normalise
from icebook.data.collect import Collector
from icebook.data.contents import FRONT_MATTER, PRINTED, SECTION_START, check_contents, section_pages
from icebook.data.loader import load, validated
from icebook.data.schema import Source
from icebook.pages.fmt import locator_text
from icebook.pages.sources import source_entry

FIXTURES = Path(__file__).parent / "fixtures"

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
                  missing="", pages_printed=False, notes="", sha256="0" * 64,
                  contents=[{"section": s, "page": p} for s, p in contents])


def test_a_contents_entry_must_stand_in_the_text_with_its_page(tmp_path: Path):
    """Its title and page on one line of the copy: a page printed on a later line does not do ('19' is Appendix
    B's page, two lines on)."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "rep.md").write_text(TEXT, encoding="utf-8")
    texts = {"rep": normalise(TEXT)}  # as the loader gives them; the check reads the copy's lines
    col = Collector(tmp_path)
    check_contents({"rep": _source(("Enforcement and Removal Operations", "4"), ("Appendix C", "24"))},
                   texts, tmp_path, col)
    assert col.problems == []
    check_contents({"rep": _source(("Enforcement and Removal Operations", "5"), ("Office of Nowhere", "9"),
                                   ("Enforcement and Removal Operations", "19"))}, texts, tmp_path, col)
    assert len(col.problems) == 3
    assert "contents entry 'Enforcement and Removal Operations' (page 5)" in str(col.problems[0])
    assert "contents entry 'Enforcement and Removal Operations' (page 19)" in str(col.problems[2])
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


def test_a_fact_of_the_front_matter_has_no_page_and_says_so(tmp_path: Path):
    """tests/fixtures/front_matter: the sample copy prints pages from its 'Cases' heading on; its 'Arrests' section
    before that is front matter, unnumbered."""
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", data_dir)
    shutil.copytree(FIXTURES / "front_matter", data_dir, dirs_exist_ok=True)
    data = load(data_dir)
    arrests, cases = data.facts.loc["sample-arrests"], data.facts.loc["sample-cases"]
    assert (arrests["page"], arrests["page_basis"]) == ("", FRONT_MATTER)
    assert (cases["page"], cases["page_basis"]) == ("2", PRINTED)
    assert locator_text(arrests) == "Arrests, in the front matter, whose pages the copy does not number"
    assert locator_text(cases) == "Cases, page 2"
    entry = source_entry(data, "sample", data.sources["sample"])
    assert "The pages before “Cases” (Arrests) are not numbered; a fact there says so." in entry


def test_every_fact_of_a_copy_that_prints_pages_has_a_page_or_stands_in_its_front_matter():
    data = validated()
    paged = data.facts[data.facts["source"].map(lambda s: data.sources[s].pages_printed)]
    assert set(paged.loc[paged["page"] == "", "page_basis"]) <= {FRONT_MATTER}
    assert (paged.loc[paged["page_basis"] != FRONT_MATTER, "page"] != "").all()
