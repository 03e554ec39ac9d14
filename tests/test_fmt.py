"""Traced numbers on the page: linked, qualified as the source qualifies them, and always escaped."""

from pathlib import Path

import pytest

import icebook.fmt as fmt
from icebook import load

GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.fixture()
def data(monkeypatch):
    loaded = load(GOOD)
    monkeypatch.setattr(fmt, "book", lambda: loaded)
    return loaded


def test_fact_links_to_its_index_entry_with_its_quote(data):
    html = str(fmt.fact("sample-arrests"))
    assert html.startswith('<a class="fact" href="fact-index.html#sample-arrests"')
    assert "In FY 2020, the office made 1,250 arrests" in html
    assert html.endswith(">1,250</a>")


def test_qualifier_is_kept_in_the_wording(data):
    assert str(fmt.fact("sample-at-large-share")).endswith(">about 40%</a>")
    assert str(fmt.fact("sample-officers")).endswith(">thirty-four</a>")


def test_derived_figure_links_to_its_formula(data):
    html = str(fmt.derived("sample-at-large-arrests"))
    assert 'class="derived" href="fact-index.html#sample-at-large-arrests"' in html
    assert "arrests * share / 100" in html and html.endswith(">500</a>")


def test_prose_placeholders_become_traced_numbers_and_text_is_escaped(data):
    html = str(fmt.prose("Arrests: {{sample-arrests}} <script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="fact" href="fact-index.html#sample-arrests"' in html


def test_markup_in_data_comes_out_escaped(data):
    data.facts.loc["sample-arrests", "quote"] = 'Made <img src=x onerror="alert(1)"> 1,250 arrests'
    html = str(fmt.fact("sample-arrests"))
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    table = str(fmt.table([{"a": "<b>bold</b>"}], [("a", "A")]))
    assert "<b>" not in table and "&lt;b&gt;bold&lt;/b&gt;" in table


def test_metric_label_prefers_the_catalog_and_spells_out_the_rest(data):
    # the good fixture's metrics.yaml describes ero_admin_arrests as "all arrests"
    assert fmt.metric_label("ero_admin_arrests", "ERO") == "All arrests"
    # a metric the catalog does not describe is spelled out, initialisms as the sources print them
    assert fmt.metric_label("hsi_narcotics_seized", "HSI") == "Narcotics seized"
    assert fmt.metric_label("hsi_ms13_criminal_arrests", "HSI") == "MS-13 criminal arrests"
    # the prefix is dropped only when it names the component the page is about
    assert fmt.metric_label("hsi_narcotics_seized") == "HSI narcotics seized"


def test_a_number_the_copy_misprints_is_shown_as_corrected_with_the_misprint_at_hand(data):
    # sample.md prints "8.665 cases where a comma was meant"; the fact's value is 8665
    assert fmt.fact_text("sample-cases") == "8,665"
    html = str(fmt.fact("sample-cases"))
    assert ">8,665</a>" in html
    assert "The copy printed 8.665 cases" in html and "OCR: printed &#34;8.665&#34;" in html


def test_facts_sharing_a_metric_get_labels_told_apart_by_their_ids(data):
    facts = data.facts.loc[["sample-arrests", "sample-seizures", "sample-seizure-value"]].copy()
    facts["metric"] = ["ero_admin_arrests", "hsi_seized", "hsi_seized"]
    assert fmt.distinct_labels(facts, "HSI") == ["All arrests", "Seized: seizures", "Seized: seizure value"]
