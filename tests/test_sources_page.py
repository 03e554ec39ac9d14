"""What the book says about its sources is what their copies show: the Sources page's marks of each original
(addresses, a site's name, an archive line, a third party's framing) are quoted from the copy, every address a copy
prints is one of them, a copy said to print page numbers prints them, and each glossary entry quotes its source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import built_page
from icebook import book
from icebook.core.text import normalise
from icebook.data.registry import printed_hosts

ROOT = Path(__file__).resolve().parents[1]


def test_printed_hosts_reads_addresses_emails_and_a_footer_glued_to_a_word():
    text = ("Visit www.oig.dhs.gov or write to DHS-OIG.OfficePublicAffairs@oig.dhs.gov. On DHS.gov an ICE ERO "
            "onwww.oig.dhs.gov")
    assert printed_hosts(text) == {"oig.dhs.gov", "dhs.gov"}


@pytest.mark.parametrize("source_id, hosts", [
    # the annual report's footnotes: "www.ice.gov/prea" and addresses at www.ice.gov
    ("ar2020", {"ice.gov"}),
    # the DHS page opens "On DHS.gov"
    ("dhs2018", {"dhs.gov"}),
    # OIG-17-51's footers "www.oig.dhs.gov", and its contact e-mail addresses at oig.dhs.gov
    ("oig1751", {"oig.dhs.gov"}),
    # OIG-20-13's footers, footnote 11's "https://oig.justice.gov/reports/2016/1607.pdf", Appendix B's "www.ice.gov"
    ("oig2013", {"oig.dhs.gov", "oig.justice.gov", "ice.gov"}),
    # the memo prints no address
    ("oidro", set()),
])
def test_each_copy_prints_the_addresses_its_entry_quotes(source_id, hosts):
    data = book()
    raw = (data.data_dir / "sources" / data.sources[source_id].file).read_text(encoding="utf-8")
    assert printed_hosts(raw) == hosts
    quoted = " ".join(mark.quote.lower() for mark in data.sources[source_id].original)
    assert all(host in quoted for host in hosts)
    for mark in data.sources[source_id].original:
        assert normalise(mark.quote) in data.texts[source_id], mark.quote


def test_the_dhs_copy_carries_a_third_party_s_archive_line_and_no_number_of_its_own():
    # dhs-life-saving-missions-of-ice-2018.md: "Alla Doc. No. 18082131. (Posted 8/21/18)" between its OPLA
    # paragraphs; the page's own "Release Date: August 20, 2018", the archive line's posting a day later
    source = book().sources["dhs2018"]
    archive = [m for m in source.original if m.kind == "archive"]
    assert [m.quote for m in archive] == ["Alla Doc. No. 18082131. (Posted 8/21/18)"]
    assert source.document_number is None and "Release Date: August 20, 2018" in book().texts["dhs2018"]
    assert "Our reading:" in archive[0].says and "the day after the page's release date" in archive[0].says


@pytest.mark.parametrize("source_id, printed", [("ar2020", False), ("dhs2018", False), ("oig1751", True),
                                                ("oig2013", True), ("oidro", False)])
def test_a_copy_said_to_print_page_numbers_prints_them(source_id, printed):
    # OIG-17-51's footers: "www.oig.dhs.gov" then the page number then "OIG-17-51"; OIG-20-13's: "www.oig.dhs.gov 3
    # OIG-20-13"; the annual report gives page numbers only in its table of contents
    text = book().texts[source_id]
    assert book().sources[source_id].pages_printed is printed
    assert bool(re.search(r"www\.oig\.dhs\.gov \d{1,2} OIG-\d\d-\d\d", text)) is printed


@pytest.mark.build
def test_the_sources_page_says_what_each_copy_prints_and_nothing_its_copy_contradicts():
    soup = BeautifulSoup(built_page("sources"), "html.parser")
    for source_id, source in book().sources.items():
        entry = soup.select_one(f"#source-{source_id}")
        text = " ".join(entry.get_text(" ").split())
        if source.original:
            assert "prints no web address" not in text
            shown = [" ".join(q.get_text().split()) for q in entry.select(".original-marks q.source-quote")]
            assert shown == [" ".join(m.quote.split()) for m in source.original]
        else:
            assert "The copy prints no web address and no mark of where it was taken from." in text
            assert printed_hosts(book().texts[source_id]) == set()
        assert "promotional" not in text and "not audited" not in text
    # the DHS page prints no number of its own, and the page does not say "none printed" of it
    assert "none of its own" in soup.select_one("#source-dhs2018").get_text()


def test_each_glossary_entry_names_its_source_and_quotes_it():
    text = (ROOT / "chapters" / "glossary.md").read_text(encoding="utf-8")
    body = text.split("```{glossary}", 1)[1].rsplit("```", 1)[0]
    entries = re.split(r"\n(?=\S)", body.strip())
    names = [s.short_name for s in book().sources.values()] + [
        s.document_number for s in book().sources.values() if s.document_number] + ["annual report", "DHS page"]
    texts = book().texts
    assert len(entries) >= 15
    for entry in entries:
        term, _, definition = entry.partition("\n")
        assert any(name in definition for name in names), term
        quotes = re.findall(r'<q class="source-quote">(.*?)</q>', definition, re.S)
        assert quotes, term
        for quoted in quotes:
            assert any(normalise(quoted) in t for t in texts.values()), (term, quoted)
    # OIG-20-13's detainer "for up to 48 hours" is kept
    assert "honor detainers for up to 48 hours" in body
