"""Document numbers and names with digits stay on one line, in Chromium at a phone's width and a desktop's: a
browser may end a line after a hyphen, and a phone once showed the heading "OIG-20-13: …" as "OIG-" over "20-13".
The names are those ``core.text.KEPT_WHOLE`` finds; each must be laid out on one line wherever a page shows it."""

from __future__ import annotations

import pytest

from icebook.core.text import KEPT_WHOLE
from test_site_browser import reader_pages, shown_at

pytestmark = pytest.mark.browser
WIDTHS = [390, 1280]
# Each name in the page's text laid out on one line (its parts' boxes share one top); Python's pattern reads the
# same in JavaScript.
BROKEN_NAMES = """pattern => {
  const broken = [];
  const root = document.querySelector("main") || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const names = new RegExp(pattern, "g");
    for (let m = names.exec(node.data); m; m = names.exec(node.data)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(`“${m[0]}” in “${node.parentElement.textContent.trim().slice(0, 80)}”`);
    }
  }
  return broken;
}"""


def _broken(page) -> list[str]:
    return page.evaluate(BROKEN_NAMES, KEPT_WHOLE.pattern)


def test_the_check_sees_a_document_number_broken_at_a_hyphen(browser):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        # a column narrower than the name: Chromium ends the line after a hyphen rather than overflow
        page.set_content('<main><h2 style="width:4em">OIG-20-13: its findings</h2></main>')
        assert _broken(page) != []
        page.set_content('<main><h2 style="width:4em"><span class="kept-whole">OIG-20-13</span>: its findings</h2>'
                         '</main><style>.kept-whole { white-space: nowrap; }</style>')
        assert _broken(page) == []
    finally:
        page.close()


@pytest.mark.parametrize("shown", shown_at(reader_pages(), WIDTHS), indirect=True)
def test_no_page_breaks_a_document_number_or_a_name_with_digits(shown):
    assert _broken(shown.page) == [], f"{shown.path} at {shown.width} px"
