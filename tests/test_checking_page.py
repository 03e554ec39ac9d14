"""The built checking page as a reader reads it: its headline counts agree with the tables they count, each fold
says what it holds, and no internal name heads a column."""

import pytest
from bs4 import BeautifulSoup

from conftest import built_page
from icebook import book
from icebook.data.audit import audit_groups
from icebook.site.counts import COUNT_WORDS

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def page() -> BeautifulSoup:
    return BeautifulSoup(built_page("checking"), "html.parser")


def claims_in(page: BeautifulSoup, table_id: str) -> list[str]:
    return [span["id"].removeprefix("claim-") for span in page.select(f"table#{table_id} span[id^=claim-]")]


def test_headline_counts_are_the_rows_of_the_tables_they_count(page):
    headline = next(p for p in page.select("p") if "Of the percentages" in p.get_text())
    counts = [int(a.get_text()) for a in headline.select("a.book-count")][-4:]
    rows = [len(claims_in(page, f"claims-{table}")) for table in ("consistent", "inconsistent", "uncheckable",
                                                                   "repeat")]
    assert counts == rows
    assert sum(rows) == len(book().audit)


def test_each_claim_is_listed_once_and_the_printed_twice_fold_holds_only_agreeing_pairs(page):
    groups = audit_groups(book().audit)
    for table, group in (("inconsistent", "inconsistent"), ("consistent", "consistent"),
                         ("uncheckable", "uncheckable"), ("repeat", "restated")):
        assert sorted(claims_in(page, f"claims-{table}")) == sorted(groups[group].index), table
    # the text's "up to 110" against Figure 1's 104 is with the inconsistent claims, not folded away as restated
    assert "oig1751-caseload-detained-high-vs-figure" in claims_in(page, "claims-inconsistent")
    summary = page.select_one("#claims-repeats details").find_previous("p").get_text(" ", strip=True)
    assert "agree" in summary and "exactly or within the rounding stated" in summary
    assert not any("inconsistent" in td.get_text() for td in page.select("table#claims-repeat td[data-label=Verdict]"))


def test_claims_tables_have_five_columns_with_the_verdict_whole(page):
    for table in page.select("table.claims-table"):
        heads = [th.get_text(strip=True) for th in table.select("thead th")]
        assert heads == ["Claim as stated, and where", "How it is checked", "Recomputed", "Verdict", "Notes"]


def test_the_machine_checks_table_names_what_each_check_looks_for_not_the_code_s_detector(page):
    heads = [th.get_text(strip=True) for th in page.select("table#detectors thead th")]
    assert heads[0] == "What the check looks for" and not any("Detector" in head for head in heads)


def test_the_page_opens_with_what_a_reader_citing_the_sources_should_know(page):
    """Before any count of how the checking was done: the caveats that touch the most figures first, then each
    claim the sources' own figures contradict, linked to its working, and each disagreement between sources,
    linked to its passages side by side."""
    data = book()
    caveats, lead = page.select("article div.main-messages")[:2]
    article = str(page.select_one("article"))
    assert article.index("main-messages") < article.index("the caveats that touch")
    counts = [int(a.get_text().replace(",", "")) if a.get_text()[:1].isdigit() else COUNT_WORDS[a.get_text()]
              for a in caveats.select("a.book-count")]
    assert counts == sorted(counts, reverse=True) and len(counts) >= 5  # widest first
    topics = [s.get_text() for s in caveats.select("li strong")]
    assert topics[0] == "Self-reported figures"  # the annual report's and the DHS page's facts, most of the book's
    named = ("How the book checked it", "The passages side by side")
    links = [a["href"] for a in lead.select("a") if a.get_text() in named]
    inconsistent = audit_groups(data.audit)["inconsistent"]
    disagreements = [e["id"] for e in data.register if e["kind"] == "disagreement"]
    assert links == [f"#claim-{c}" for c in inconsistent.index] + [f"#register-{r}" for r in disagreements]
    text = lead.get_text(" ", strip=True)
    assert "110" in text and "104" in text  # OIG-17-51's "up to 110" against Figure 1's largest label


def test_the_register_s_word_on_the_unrounded_declined_detainers_holds_in_the_facts():
    """The register says {{oig2013-r1-detainers-declined-fy2014}} is the only count of detainers in OIG-20-13's
    text that is not a whole number of hundreds (footnote 4: "Figures in the report are rounded to the nearest
    hundred"), and that its Appendix C counts are not rounded either: both checked against the facts."""
    data = book()
    entry = next(e for e in data.register if e["id"] == "declined-detainers-fy2014-ocr")
    assert "the only count of detainers in its text" in " ".join(entry["what_it_means"].split())
    assert "Figures in the report are rounded to the nearest hundred." in data.texts["oig2013"]
    facts = data.facts_where(source="oig2013", unit="count")
    in_text = facts[facts["metric"].str.contains("detainer") & ~facts["locator"].str.startswith("Figure")
                    & ~facts.index.str.startswith("oig2013-fig")]
    assert list(in_text.index[in_text["value"] % 100 != 0]) == ["oig2013-r1-detainers-declined-fy2014"]
    appendix = facts[facts.index.str.startswith("oig2013-appc")]
    assert (appendix["value"] % 100 != 0).any()  # e.g. the total, 489,063
