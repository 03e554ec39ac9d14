"""Tables that stay readable, in Chromium at a phone's width and a desktop's: no table of the site, nor of an
analyst's page for a re-run comparison, breaks a word across lines in a header or a figure (a long note folds
at its spaces instead). The issue this pins: the analyst page's figures table at 1280 px once squeezed its columns
to a few letters a line ("Fis / cal / yea / r") while one column took the width.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from test_site_browser import ROOT, Visit, reader_pages, shown_at

pytestmark = pytest.mark.browser
WIDTHS = [390, 1280]
# Every word of a header cell, and every word with a digit in a data cell, laid out on one line: a word's
# parts between hyphens, dashes and slashes may end a line, as typography allows, but no part is split.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("table th, table td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = /[^\\s\\-\\u2013\\u2014\\/]+/g;
      for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
        if (m[0].length < 2 || (cell.tagName === "TD" && !/\\d/.test(m[0]))) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(`${cell.tagName.toLowerCase()} “${m[0]}”`);
      }
    }
  }
  return broken;
}"""


def _broken(visit: Visit) -> list[str]:
    return visit.page.evaluate(BROKEN_WORDS)


def test_the_check_sees_a_word_broken_in_a_squeezed_header(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.set_content('<table style="width:20em"><tr><th style="overflow-wrap:anywhere">Fiscal year</th>'
                         '<td style="width:100%">a long note that takes the width</td></tr></table>')
        assert page.evaluate(BROKEN_WORDS) != []
        page.set_content("<table><tr><th>Fiscal year</th><td>103,603</td></tr></table>")
        assert page.evaluate(BROKEN_WORDS) == []
    finally:
        page.close()


@pytest.mark.parametrize("shown", shown_at(reader_pages(), WIDTHS), indirect=True)
def test_no_table_of_the_site_breaks_a_word_of_a_header_or_figure(shown):
    assert _broken(shown) == [], f"{shown.path} at {shown.width} px"


@pytest.fixture(scope="module")
def analyst_page(tmp_path_factory) -> Path:
    """The analyst's page of a re-run comparison (the issue's case), written outside the site."""
    out = tmp_path_factory.mktemp("analysis")
    result = subprocess.run([sys.executable, "-m", "icebook", "build", "--only", "comparison", "-p",
                             "fiscal_years=2019,2020", "-p", "baseline_year=2019", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return out / "comparison.html"


@pytest.mark.slow  # the analyst's run is a build of one chapter
@pytest.mark.xdist_group("analyst-page")  # one test process builds it, for both widths
@pytest.mark.parametrize("width", WIDTHS)
def test_no_table_of_an_analyst_page_breaks_a_word_of_a_header_or_figure(browser, analyst_page, width):
    with Visit(browser, analyst_page.as_uri(), width=width) as visit:
        assert visit.page.locator("table").count() > 0
        assert _broken(visit) == [], f"analyst page at {width} px"
