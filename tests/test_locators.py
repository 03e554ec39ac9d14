"""Every place a built page gives for a source's words agrees with the fact index: where a passage shown with its
locator is a fact's quote, holds one or stands within one, the locator is the one the fact's entry in the fact index
shows, page included (a finding, a mission or a register entry quotes a passage the fact index holds). Every fact
link's tooltip names that place too.

The fact index's places are read from its built pages, not from the code that writes them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import SITE_PAGES, built_page
from icebook.core.text import normalise
from icebook.data.loader import book

pytestmark = pytest.mark.build


def _text(element) -> str:
    return " ".join(element.get_text(" ").split())


def _index_places() -> dict[str, tuple[str, str]]:
    """Each fact's quote (normalised) and its place, as its source's page of the fact index shows them."""
    places = {}
    for source_id in book().sources:
        soup = BeautifulSoup(built_page(f"facts-{source_id}"), "lxml")
        for group in soup.select(".quote-group"):
            quote, where = _text(group.select_one(".source-quote")), _text(group.select_one(".fact-locator"))
            for entry in group.select(".fact-entry"):
                places[entry["id"]] = (normalise(quote), where)
    return places


def _passages(soup: BeautifulSoup):
    """Each quote a page shows with its place beside it, under it or before it: (the quote's words, the place)."""
    for where in soup.select(".fact-locator"):
        beside = [where.find_previous_sibling(), where.find_next_sibling()]
        quote = next((q for q in beside if q is not None and "source-quote" in q.get("class", [])), None)
        if quote is not None:
            yield normalise(_text(quote)).strip("“”"), _text(where)


def test_every_place_a_page_gives_for_a_facts_words_is_the_fact_indexs():
    places = _index_places()
    assert places, "the fact index lists no fact"
    checked, wrong = 0, []
    for page in sorted(p.stem for p in SITE_PAGES.glob("*.html") if not p.stem.startswith("facts-")):
        soup = BeautifulSoup(built_page(page), "lxml")
        for quote, shown in _passages(soup):
            expected = {where for said, where in places.values() if said and (said in quote or quote in said)}
            if not expected:
                continue  # no fact quotes these words
            checked += 1
            if not any(where in shown for where in expected):
                wrong.append(f"{page}: “{quote[:60]}” shown at “{shown}”; the fact index says {sorted(expected)}")
    assert checked > 0, "no page shows a fact's words with their place"
    assert wrong == [], "\n".join(wrong[:20])


def test_every_fact_links_tooltip_names_the_fact_indexs_place():
    places = _index_places()
    wrong = []
    for page in sorted(p.stem for p in SITE_PAGES.glob("*.html")):
        soup = BeautifulSoup(built_page(page), "lxml")
        for link in soup.select("a.fact[title]"):
            fact_id = link["href"].rpartition("#")[2]
            if fact_id in places and places[fact_id][1] not in " ".join(link["title"].split()):
                wrong.append(f"{page}: {fact_id}'s tooltip lacks “{places[fact_id][1]}”")
    assert wrong == [], "\n".join(sorted(set(wrong))[:20])
