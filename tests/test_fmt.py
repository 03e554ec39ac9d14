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
