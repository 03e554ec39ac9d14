"""The analyst's page (build/analyst.py) from a made-up executed chapter: the headings a chapter makes from data and
its MyST targets become HTML headings and anchors, a link to the page itself stays on it, the run says what it
is in words, and the figure table lists the changes the page computes with their two facts."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

from icebook import book as the_book
from icebook.build import analyst as analysis
from icebook.data import loader as data
from icebook.pages.sections import MIME

GOOD = Path(__file__).parent / "fixtures" / "good"


def executed_chapter(tmp_path: Path, html: str) -> Path:
    heading = nbformat.v4.new_output("display_data", data={
        MIME: {"text": "ERO removals <all of them>", "anchor": "measure-ero-removals", "level": 2},
        "text/plain": "## ERO removals"})
    shown = nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})
    cells = [nbformat.v4.new_markdown_cell("# A chapter\n\n(coverage)=\n## What is reported, and where\n\nText."),
             nbformat.v4.new_code_cell("heading(...)\nshow(...)", outputs=[heading, shown])]
    path = tmp_path / "comparison.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_headings_targets_and_links_to_the_page_itself(tmp_path):
    html = ('<p><a class="derived" href="comparison.html#change-x">at most +58%</a> '
            '<a href="profiles.html">profiles</a> <a href="#coverage">coverage</a></p>')
    soup = BeautifulSoup(analysis._body(executed_chapter(tmp_path, html)), "html.parser")
    analysis._relink(soup, "../site/chapters/pages", "comparison.html")
    assert soup.find("h2", id="measure-ero-removals").get_text() == "ERO removals <all of them>"
    assert soup.find(id="coverage") is not None and "(coverage)=" not in soup.get_text()
    hrefs = [a["href"] for a in soup.select("a[href]")]
    assert hrefs == ["#change-x", "../site/chapters/pages/profiles.html", "#coverage"]


def test_the_run_says_in_words_what_it_is():
    note = analysis.run_note("comparison", "comparison", {"fiscal_years": [2018, 2019, 2020], "baseline_year": 2018})
    assert note.startswith("Analyst run, not the published book: chapter “comparison”")
    assert "fiscal years 2018, 2019, 2020; baseline year 2018" in note and "{" not in note


def test_the_figure_table_lists_a_computed_change_with_its_two_facts(tmp_path, monkeypatch):
    book = data.load(GOOD)
    base, later = list(book.facts.index[:2])
    html = (f'<a class="fact" href="fact-index.html#{base}">1</a> '
            f'<a class="derived" href="#change-{base}-{later}" data-facts="{base} {later}">at most +58%</a>')
    rows = analysis.figures(BeautifulSoup(html, "html.parser"), book)
    assert [r["kind"] for r in rows] == ["fact", "change"]
    change = rows[1]
    assert change["shown"] == "at most +58%" and change["unit"] == "percent"
    assert f"base = {base}, later = {later}" in change["locator"]
    assert rows[0]["period"]  # each fact's period as the page words it
    out = tmp_path / "figures.csv"
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, analysis.FIGURE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)  # every row fits the table's columns
    assert len(list(csv.DictReader(out.open()))) == 2


def test_a_change_link_names_its_two_facts_for_the_figure_table():
    """The page's own change links (verdicts.change_link) say which two facts they compare; figures() reads them
    there."""
    from icebook.data.comparability import judge, measure_figures
    from icebook.pages.verdicts import change_link

    # dhs2018 "567 of which were criminal"; ar2020 "INCLUDES 337 MS-13 CRIMINAL ARRESTS"
    figures = {f.id: f for f in measure_figures(the_book(), ["hsi_ms13_criminal_arrests"])}
    compared = judge(figures["dhs2018-hsi-ms13-criminal-arrests"], figures["ar2020-hsi-ms13-arrests"])
    link = BeautifulSoup(str(change_link(compared)), "html.parser").a
    assert link["data-facts"] == "dhs2018-hsi-ms13-criminal-arrests ar2020-hsi-ms13-arrests"
    assert link["href"] == "#change-dhs2018-hsi-ms13-criminal-arrests-ar2020-hsi-ms13-arrests"
