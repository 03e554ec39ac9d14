"""Traced numbers on the page: linked, qualified as the source qualifies them, and always escaped."""

from pathlib import Path

import pytest

import icebook.pages.fmt as fmt
from icebook import book, load

GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.fixture()
def data(monkeypatch):
    loaded = load(GOOD)
    monkeypatch.setattr(fmt, "book", lambda: loaded)
    return loaded


def test_fact_links_to_its_index_entry_with_its_quote(data):
    html = str(fmt.fact("sample-arrests"))
    assert html.startswith('<a class="fact" href="facts-sample.html#sample-arrests"')
    assert "In FY 2020, the office made 1,250 arrests" in html
    assert html.endswith(">1,250</a>")


def test_qualifier_is_kept_in_the_wording(data):
    assert str(fmt.fact("sample-at-large-share")).endswith(">about 40%</a>")
    assert str(fmt.fact("sample-officers")).endswith(">34</a>")  # a count written as a word: digits on the page,
    assert "(printed as the word “Thirty-four”)" in str(fmt.fact("sample-officers"))  # the word in its tooltip


def test_derived_figure_links_to_its_formula(data):
    html = str(fmt.derived("sample-at-large-arrests"))
    assert 'class="derived" href="fact-index.html#sample-at-large-arrests"' in html
    # 1,250 arrests times "about 40%": the share is approximate, so the count is "about 500", marked implied
    assert "arrests * share / 100" in html and html.endswith(">about 500</a> (implied)")


def test_prose_placeholders_become_traced_numbers_and_text_is_escaped(data):
    html = str(fmt.prose("Arrests: {{sample-arrests}} <script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="fact" href="facts-sample.html#sample-arrests"' in html


def test_markup_in_data_comes_out_escaped(data):
    data.facts.loc["sample-arrests", "quote"] = 'Made <img src=x onerror="alert(1)"> 1,250 arrests'
    html = str(fmt.fact("sample-arrests"))
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    table = str(fmt.table([{"a": "<b>bold</b>"}], [("a", "A")]))
    assert "<b>" not in table and "&lt;b&gt;bold&lt;/b&gt;" in table


def test_metric_label_is_the_catalogs_plain_words(data):
    # the good fixture's metrics.yaml labels each metric once, in words
    assert fmt.metric_label("ero_admin_arrests", "ERO") == "Arrests the office made"
    assert fmt.metric_label("hsi_narcotics_seized") == "Narcotics seized, in pounds"


def test_a_number_the_copy_misprints_is_shown_as_corrected_with_the_misprint_at_hand(data):
    # sample.md prints "8.665 cases where a comma was meant"; the fact's value is 8665
    assert fmt.fact_text("sample-cases") == "8,665"
    html = str(fmt.fact("sample-cases"))
    assert ">8,665</a>" in html
    assert "The copy printed 8.665 cases" in html and "OCR: printed &#34;8.665&#34;" in html


def test_facts_sharing_a_metric_are_told_apart_by_what_distinguishes_them_never_as_mentions(data):
    facts = data.facts.loc[["sample-arrests", "sample-seizures", "sample-seizure-value"]].copy()
    facts["metric"] = ["ero_admin_arrests", "hsi_narcotics_seized", "hsi_narcotics_seized"]
    # sample.md prints "1.4 million pounds, worth $8.03 billion": two different figures, told apart by where the
    # copy prints them, not called two "mentions" of one
    assert fmt.distinct_labels(facts) == ["Arrests the office made",
                                          "Narcotics seized, in pounds: first of two as the copy prints them",
                                          "Narcotics seized, in pounds: second of two as the copy prints them"]
    facts["page"] = ["", "7", "8"]
    assert fmt.distinct_labels(facts)[1:] == ["Narcotics seized, in pounds: page 7",
                                              "Narcotics seized, in pounds: page 8"]
    # a list names each figure right after it, up to the comma or "and"
    facts["quote"] = ["", *["Seized 120 rifles, 45 pistols and 3 shotguns."] * 2]
    facts["printed"] = ["", "120", "45"]
    assert fmt.distinct_labels(facts)[1:] == ["Narcotics seized, in pounds: rifles",
                                              "Narcotics seized, in pounds: pistols"]
    facts["notes"] = ["", "category: Cocaine. From the table.", "category: Heroin"]
    assert fmt.distinct_labels(facts)[1:] == ["Narcotics seized, in pounds: Cocaine",
                                              "Narcotics seized, in pounds: Heroin"]


def test_a_legend_s_figures_are_labelled_by_the_band_the_quote_prints_them_in():
    # OIG-20-13 Figure 2's legend, as the copy prints it: "150,000 - 200,000 2 States 10,001 - 36,000 5,000 - 10,000
    # 13 States 23 States and DC < 5,000"
    data = book()
    legend = data.facts[data.facts["locator"].str.endswith("Number of Detainers ICE Issued by State")]
    labels = dict(zip(legend.index, fmt.distinct_labels(legend), strict=True))
    assert labels["oig2013-fig2-bin1-low"].endswith(': low end of "150,000 - 200,000"')
    assert labels["oig2013-fig2-bin3-high"].endswith(': high end of "5,000 - 10,000"')
    assert labels["oig2013-fig2-bin4-high"].endswith(': "< 5,000"')
    assert labels["oig2013-fig2-bin4-states"].endswith(': "23 States and DC"')
    for fact_id, label in labels.items():
        quoted = label.split('"')[1]
        row = data.facts.loc[fact_id]
        assert row["printed"] in quoted and quoted in row["quote"] and quoted in data.texts["oig2013"], label
    assert len(set(labels.values())) == len(labels) and not any("mention" in label for label in labels.values())


def test_a_figure_s_bar_labels_are_placed_in_the_order_the_source_text_prints_them():
    # OIG-17-51 Figure 1: the copy keeps the bar labels (10,156, then 5,337, then 1,872 and 1,720 …) without their
    # offices, so only their order tells them apart
    data = book()
    bars = data.facts[data.facts["locator"].str.endswith("> Figure 1")
                      & (data.facts["metric"] == "ero_officer_caseload_nondetained")]
    labels = fmt.distinct_labels(bars)
    text = data.texts["oig1751"]
    figure = text.index("Figure 1: Average Number of Cases per Deportation Officer")
    in_text = sorted(bars.index, key=lambda i: text.index(bars.at[i, "printed"], figure))
    ordinals = ["first", "second", "third", "fourth"]
    assert [labels[list(bars.index).index(i)] for i in in_text] == [
        f"Average caseload of a deportation officer on a non-detained docket: Figure 1, {o} of four as the copy "
        "prints them" for o in ordinals]


def test_a_qualifier_is_shown_in_the_sources_own_word(data):
    # sample.md: "about 40% of them at large"; the vocabulary lists "about" among the wordings of about
    assert data.facts.at["sample-at-large-share", "source_qualifier"] == "about"
    data.facts.loc["sample-at-large-share", "source_qualifier"] = "well over"
    assert fmt.fact_text("sample-at-large-share") == "well over 40%"


def test_an_inferred_period_is_marked_as_not_stated(data):
    row = data.facts.loc["sample-arrests"].copy()
    assert fmt.period_text(row) == "FY 2020"
    row["period_basis"] = "inferred"
    assert fmt.period_text(row) == "period not stated; read as FY 2020"


def test_a_fact_tied_to_no_period_says_so_in_words(data):
    row = data.facts.loc["sample-arrests"].copy()
    row["period"], row["period_type"] = "", "none"
    assert fmt.period_text(row) == "not tied to a period"


def test_a_placeholder_in_a_tooltip_becomes_the_figure_as_worded(data):
    # sample-arrests's quote prints "1,250" (tests/fixtures/good/facts/sample.csv), with no qualifier
    assert fmt.plain("compare {{sample-arrests}} here") == "compare 1,250 here"
    assert "{{" not in fmt.plain("{{sample-arrests}}")


def test_a_quoted_part_of_a_note_is_one_q_element_without_typed_quotation_marks():
    # The browser puts a <q> in quotation marks; marks typed around it as well would show twice (““…””).
    shown = str(fmt.quoted_note('The report says HSI "Identified and rescued" victims.'))
    assert '<q class="source-quote">Identified and rescued</q>' in shown
    assert "“" not in shown and "”" not in shown



def test_an_implied_figure_is_marked_once_where_the_text_around_it_already_says_implied(data):
    # 1,250 arrests times "about 40%": "about 500 (implied)", or "about 500" after the words "Implied figure:"
    assert fmt.derived("sample-at-large-arrests").striptags() == "about 500 (implied)"
    html = str(fmt.derived("sample-at-large-arrests", marked=False))
    assert html.startswith('<a class="derived" href="fact-index.html#sample-at-large-arrests"')
    assert html.endswith(">about 500</a>")


def test_a_citation_says_what_the_book_reads_that_the_quote_does_not():
    """A copy error and a round figure read as rounded are the book's readings, not the quote's words: a
    citation that copies the quote says them, so the cited figure and the quoted one can be told apart."""
    citation = fmt.citation
    misprinted = citation("oig2013-r1-detainers-declined-fy2014")
    assert misprinted.startswith("8,665 ") and "from 8.665 to" in misprinted  # the quote as the copy prints it
    assert 'Copy error: printed "8.665"' in misprinted and "{{" not in misprinted
    workforce = citation("ar2020-message-ice-workforce")
    assert "an ICE workforce of 21,000 strong" in workforce
    assert "the book reads the figure as a round one" in workforce
    assert "reads the figure" not in citation("oig2013-r1-detainers-declined-fy2019")  # printed "16,400": as stated


def test_a_note_dates_the_figures_of_years_a_page_leaves_out():
    """A note written for every year the book shows, printed in a re-run of other years: each figure of a year
    left out carries its year, so it is not read as one of the years shown (checked against the data: the DHS
    page's 518 human trafficking victims are FY 2017's)."""
    assert book().fact("dhs2018-hsi-trafficking-victims")["as_of_fiscal_year"] == 2017
    note = "The DHS page says {{dhs2018-hsi-trafficking-victims}} victims; {{no-such-fact}} stays as written."
    assert fmt.dated(note, [2018, 2019, 2020]) == note.replace("victims}}", "victims}} (FY 2017)")
    assert fmt.dated(note, [2017, 2018, 2019, 2020]) == note


def test_a_note_several_rows_share_is_said_once_under_the_table(data):
    shared = "The copy lost the chart's layout, so which office is which is not known."
    notes = [f"{shared} It is the highest of {{{{sample-arrests}}}}.", f"{shared} The ticks are not data.",
             f"{shared} The ticks are not data.", ""]
    cells, under = fmt.shared_notes(notes)
    html = "".join(map(str, cells)) + str(under)
    assert html.count("lost the chart") == 1 and html.count("ticks are not data") == 1
    assert "<em>Note a:</em> The copy lost the chart" in str(under)  # said once, for the rows that share it
    assert "<em>Note b:</em> The ticks are not data." in str(under)
    assert "Every row" not in str(under)  # the empty row shares nothing
    assert "Note a below.</span> It is the highest of" in str(cells[0])  # a row keeps its own words
    assert 'href="facts-sample.html#sample-arrests"' in str(cells[0])  # its references traced
    assert str(cells[1]) == str(cells[2]) == \
        '<span class="fact-notes"><span class="note-ref">Notes a and b below.</span></span>'
    assert str(cells[3]) == ""


def test_a_note_every_row_shares_is_said_for_every_row(data):
    cells, under = fmt.shared_notes(["Same words. One.", "Same words. Two."])
    assert "<em>Every row:</em> Same words." in str(under)
    assert [str(c) for c in cells] == ['<span class="fact-notes">One.</span>', '<span class="fact-notes">Two.</span>']


def test_a_figure_its_source_rounded_says_so_in_view_not_only_on_hover():
    """Phones show no tooltip: a figure rounded by its source with no word for it ("58,900", OIG's counts to the
    nearest hundred) is followed by a visible "(rounded)", except where the text itself goes on to say so."""
    facts = book().facts
    rounded = facts[facts["qualifier"] == "rounded_hundred"]["id"].tolist()
    if not rounded:
        pytest.skip("no figure in the data is rounded to the nearest hundred by its source")
    fact_id = rounded[0]
    html = str(fmt.fact(fact_id))
    assert html.endswith('</a> <small class="rounded-mark" title="rounded to the nearest hundred by the source">'
                         "(rounded)</small>")
    assert "(rounded)" not in str(fmt.fact(fact_id, qualifier=False))
    said = str(fmt.prose("{{" + fact_id + "}} is rounded to the nearest hundred by its source"))
    assert "(rounded)" not in said and said.endswith("</a> is rounded to the nearest hundred by its source")
    assert "(rounded)" in str(fmt.prose("of the {{" + fact_id + "}} detainers"))


def test_an_exact_figure_carries_no_rounding_mark(data):
    assert "rounded" not in str(fmt.fact("sample-arrests"))
