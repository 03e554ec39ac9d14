"""Checks on a built site, run by the build before it publishes and by the tests.

* every internal link and anchor resolves (fact links included);
* no page loads anything from another host (the Vega scripts ship with the site);
* the trace contract: every number in a page's text is a traced fact or derived
  figure, or plain structure (a year, a fiscal-year label, a report or item number);
* counts in prose agree with the data: "the five sources" fails when there are six.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from .text import NUMBER_WORDS, unstructured_numbers

SKIP_PAGES = {"genindex.html", "search.html", "py-modindex.html"}
TRACED = ["a.fact", "a.derived", "a.book-count", "script", "style", "svg", "noscript", "template", ".build-version",
          ".source-quote", ".fact-notes", ".fact-locator", ".fact-period",
          "code", ".structural", "span.label"]  # span.label: footnote and citation markers


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name not in SKIP_PAGES and "_static" not in p.parts)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def untraced_numbers(soup: BeautifulSoup) -> list[str]:
    """Numbers in the article text that are neither traced nor structure."""
    article = soup.select_one("article") or soup.body
    if article is None:
        return []
    for element in article.select(", ".join(TRACED)):
        element.decompose()
    found = []
    for line in article.get_text("\n").splitlines():
        for number in unstructured_numbers(line):
            found.append(f"{number!r} in “{line.strip()[:100]}”")
    return found


COUNT_WORDS = {word: n for n, word in enumerate(NUMBER_WORDS)}
# "the five sources", "what five documents say", "cites six documents": a count of the book's own sources.
SOURCE_COUNT = re.compile(r"\b(?:the|its|these|all|what|cites|book's)\s+(" + "|".join(NUMBER_WORDS[1:])
                          + r")\s+(?:[a-z]+\s+)?(?:sources|documents)\b", re.I)


def stale_counts(soup: BeautifulSoup, sources: int) -> list[str]:
    """Phrases counting the book's sources ("the five sources") that disagree with the data's count."""
    article = soup.select_one("article") or soup.body
    if article is None:
        return []
    for element in article.select("blockquote, .source-quote, .fact-notes, code, script, style"):
        element.decompose()
    text = " ".join(article.get_text(" ").split())
    return [f"“{m[0]}” but the data has {sources} sources" for m in SOURCE_COUNT.finditer(text)
            if COUNT_WORDS[m[1].lower()] != sources]


def check_site(site: Path, sources: int | None = None) -> list[str]:
    """Every problem with a built site, each naming the page; with ``sources``, also counts of them in prose."""
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    soups = {}
    for page in pages(site):
        soup = _soup(page)
        soups[page] = soup
        ids[page] = {el["id"] for el in soup.select("[id]")}
    for page, soup in soups.items():
        name = page.relative_to(site)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in soup.find_all(tag):
                url = element.get(attr, "")
                if re.match(r"^(https?:)?//", url):
                    problems.append(f"{name}: <{tag} {attr}={url!r}> loads from another host")
        for link in soup.find_all("a", href=True):
            href = link["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "//")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{name}: link {href!r} points to a missing file")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {el["id"] for el in _soup(target).select("[id]")}
                if unquote(parts.fragment) not in ids[target]:
                    problems.append(f"{name}: link {href!r} points to a missing anchor")
        if sources is not None:
            problems += [f"{name}: {stale}" for stale in stale_counts(_soup(page), sources)]
        for number in untraced_numbers(soup):
            problems.append(f"{name}: untraced number {number}")
    return problems
