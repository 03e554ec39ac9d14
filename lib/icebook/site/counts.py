"""Counts in a page's prose against the data: "the five sources" when there are six, a count of OIG reports,
of ICE's current components or of a report's recommendations, or a range of fiscal years other than the book's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from icebook.core.text import NUMBER_WORDS
from icebook.data.loader import Book
from icebook.site.parse import Matching, article_without, text_of

COUNT_WORDS = {word: n for n, word in enumerate(NUMBER_WORDS)}
COUNT = "|".join(NUMBER_WORDS[1:]) + r"|\d+"  # a count as prose states it: "five", or "21"
# "the five sources", "what five documents say", "cites six documents", "the five source texts"
SOURCE_COUNT = re.compile(rf"\b(?:the|its|these|all|what|cites|book's)\s+({COUNT})\s+(?:[a-z]+\s+)?"
                          r"(?:sources|documents|texts)\b", re.I)
# "found in two reports on ICE", "both of its three OIG reports"
REPORT_COUNT = re.compile(rf"\b(?:in|of|from|the|its|OIG's)\s+({COUNT})\s+(?:OIG\s+)?reports\b", re.I)
# "ICE's seven components", "the seven current components"
COMPONENT_COUNT = re.compile(rf"\b(?:ICE's|its|the|all)\s+({COUNT})\s+(?:current\s+)?components\b", re.I)
FISCAL_RANGE = re.compile(r"\bFY\s?(\d{4})\s?(?:–|-|to|through)\s?FY\s?(\d{4})\b")
BOOK_RANGE = re.compile(r"\bFY(\d{4})–FY(\d{4})\b")  # the book's own style for the years it covers
HEADINGS = ["title", "h1", "h2", "h3", "h4", "h5", "h6"]


@dataclass(frozen=True)
class BookCounts:
    """What the data count, which the book's prose may state; None where it is not checked."""

    sources: int | None = None
    reports: int | None = None  # OIG reports with findings records
    components: int | None = None  # ICE's current components in the structure records
    recommendations: dict[str, int] = field(default_factory=dict)  # by the report's document number
    fiscal_years: tuple[int, int] | None = None  # the first and last year the book compares


def book_counts(data: Book, years: list[int]) -> BookCounts:
    """The counts of the validated data, and the first and last of the fiscal years the book compares."""
    return BookCounts(
        sources=len(data.sources), reports=len(data.findings),
        components=sum(1 for c in data.structure.get("components", []) if c.get("current")),
        recommendations={data.sources[r].document_number: len(record.get("recommendations", []))
                         for r, record in data.findings.items() if data.sources[r].document_number},
        fiscal_years=(min(years), max(years)))


def _number(word: str) -> int:
    return int(word) if word.isdigit() else COUNT_WORDS[word.lower()]


SOURCES_OWN_WORDS = Matching("blockquote, .source-quote, .fact-notes, code, script, style")


def _book_words(soup: BeautifulSoup) -> str:
    """The article's text without the sources' own words (quotes, notes quoting them, code)."""
    article = article_without(soup, SOURCES_OWN_WORDS)
    if article is None:
        return ""
    return " ".join(text_of(article, " ", SOURCES_OWN_WORDS).split())


def stale_counts(soup: BeautifulSoup, counts: BookCounts) -> list[str]:
    """Counts and year ranges in the book's own words ("the five sources", "OIG-17-51: five recommendations",
    "FY2017–FY2020") that disagree with the data."""
    text = _book_words(soup)
    stale = []
    for pattern, count, what in ((SOURCE_COUNT, counts.sources, "sources"), (REPORT_COUNT, counts.reports,
                                                                               "OIG reports"),
                                 (COMPONENT_COUNT, counts.components, "current components")):
        if count is not None:
            stale += [f"“{m[0]}” but the data has {count} {what}" for m in pattern.finditer(text)
                      if _number(m[1]) != count]
    for document, count in counts.recommendations.items():
        stale += [f"“{phrase}” but {document} makes {count} recommendation(s)"
                  for phrase, n in _recommendation_counts(text, document) if n != count]
    if counts.fiscal_years is not None:
        headings = [" ".join(h.get_text(" ").split()) for h in soup.find_all(HEADINGS)]
        ranges = [m for heading in headings for m in FISCAL_RANGE.finditer(heading)] + list(BOOK_RANGE.finditer(text))
        first, last = counts.fiscal_years
        stale += list(dict.fromkeys(f"“{m[0]}” but the book covers FY {first} to FY {last}" for m in ranges
                                    if (int(m[1]), int(m[2])) != (first, last)))
    return stale


def _recommendation_counts(text: str, document: str) -> list[tuple[str, int]]:
    """Each count of a report's recommendations the text states: "OIG-17-51: five recommendations", "OIG's report
    OIG-17-51 made five recommendations", "five recommendations in OIG-17-51", or "OIG made recommendations: five
    in OIG-17-51"."""
    name = re.escape(document)
    found = [(m[0], _number(m[1])) for m in re.finditer(rf"\b{name}(?::|\s+made)\s+({COUNT})\s+recommendations?\b",
                                                        text, re.I)]
    found += [(m[0], _number(m[1])) for m in re.finditer(rf"\b({COUNT})\s+recommendations?\s+(?:in|from|of)\s+"
                                                         rf"{name}\b", text, re.I)]
    found += [(m[0], _number(m[1])) for m in re.finditer(rf"\b({COUNT})\s+in\s+{name}\b", text, re.I)
              if "recommendations" in text[max(0, m.start() - 200):m.start()].split(". ")[-1]]
    return found
