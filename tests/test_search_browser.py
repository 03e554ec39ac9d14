"""The site's search in Chromium, at a phone's width and a desktop's, with no network: a figure, a name, a document
number or a phrase finds the page and the anchor where it stands, and following the result lands there.

What each query must reach is read from the data and the built site, not typed here: a figure or a name the facts
quote reaches a fact's entry holding it; a program or document number reaches a section or entry whose heading holds
it; a phrase reaches a section below the page's top that holds it.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

from icebook.data.loader import book
from test_site_browser import Visit

pytestmark = pytest.mark.browser
WIDTHS = [390, 1280]
# (what the reader types, the words the place it reaches must hold, what that place is)
QUERIES = [
    ("103,603", "103,603", "fact"),
    ("103603", "103,603", "fact"),
    ("MS-13", "MS-13", "fact"),
    ("fentanyl", "fentanyl", "fact"),
    ("OIG-20-13", "OIG-20-13", "heading"),
    ("287(g)", "287(g)", "heading"),
    ("Operation Stolen Promise", "Operation Stolen Promise", "section"),
]


def _facts_holding(words: str) -> set[str]:
    facts = book().facts
    return set(facts.loc[facts["quote"].str.contains(words, case=False, regex=False), "id"])


def _results(visit: Visit, query: str) -> list[str]:
    """Every result link the search page lists for the query, once Pagefind has loaded them all."""
    page = visit.page
    page.goto(f"{visit.base}/search.html?q={quote(query)}", wait_until="load")
    page.wait_for_function("() => /^(\\d+ pages?|No page)/.test("
                           "document.querySelector('.pagefind-ui__message')?.textContent || '')", timeout=15000)
    message = page.locator(".pagefind-ui__message").first.inner_text()
    count = int(re.match(r"\d+", message)[0]) if re.match(r"\d+", message) else 0
    assert count > 0, f"search for {query!r}: {message!r}"
    shown = min(count, 8)  # the page size search.js asks for
    page.wait_for_function("n => [...document.querySelectorAll('.pagefind-ui__result')]"
                           ".filter(r => r.querySelector('a.pagefind-ui__result-link')).length >= n",
                           arg=shown, timeout=15000)
    return page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.href)")


def _target(visit: Visit, href: str) -> dict:
    """Follow a result's link: what the element it points to holds, and whether it is on the screen."""
    visit.page.goto(href, wait_until="load")
    return visit.page.evaluate("""id => {
        const el = document.getElementById(id);
        if (!el) { return null; }
        const box = el.getBoundingClientRect();
        const heading = el.matches('h1,h2,h3,h4,h5,h6') ? el : el.querySelector('h1,h2,h3,h4,h5,h6');
        // a fact's entry stands with the quote that prints it
        return {text: (el.closest('.quote-group') || el).innerText, heading: heading ? heading.innerText : '',
                fact: el.matches('.fact-entry'),
                top: el.matches('main section:not(section section)'),
                onScreen: box.top >= -1 && box.top < window.innerHeight};
    }""", urlsplit(href).fragment)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("query", "words", "kind"), QUERIES)
def test_search_finds_the_page_and_anchor_that_hold_the_words(server, browser, query, words, kind, width):
    with Visit(browser, f"{server}/search.html", width=width) as visit:
        visit.base = server
        anchored = [h for h in _results(visit, query) if urlsplit(h).fragment]
        if kind == "fact":
            facts = _facts_holding(words)
            assert facts, f"no fact quotes {words!r}: the test's premise is gone"
            anchored = [h for h in anchored if urlsplit(h).fragment in facts]
        reached = []
        for href in anchored:
            target = _target(visit, href)
            if target is None or words.lower() not in target["text"].lower() or target["top"]:
                continue
            if kind == "heading" and words.lower() not in target["heading"].lower():
                continue
            assert target["onScreen"], f"{href}: the page opened but its anchor is not on the screen"
            assert not kind == "fact" or target["fact"], f"{href}: not a fact's entry"
            reached.append(href)
            break
        assert reached, f"search for {query!r} at {width} px reaches no {kind} holding {words!r}: {anchored}"
        assert visit.errors == [], visit.errors
        assert [f for f in visit.failed if "ERR_ABORTED" not in f] == [], visit.failed  # aborted: we moved on
        assert visit.hosts <= {"127.0.0.1"}, f"requests left 127.0.0.1: {visit.hosts}"


def test_the_sidebar_search_box_sends_its_words_to_the_search_page(server, browser):
    with Visit(browser, f"{server}/chapters/pages/home.html", width=390) as visit:
        page = visit.page
        page.locator("button.search-button__button:visible").first.click()
        box = page.locator("#pst-search-dialog input[name='q']")
        box.fill("MS-13")
        box.press("Enter")
        page.wait_for_url("**/search.html?q=MS-13*")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
        assert visit.errors == []
