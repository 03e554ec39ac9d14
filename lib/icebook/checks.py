"""Checks on a built site, run by the build before it publishes and by the tests.

* every internal link and anchor resolves (fact links included);
* no page loads anything from another host (the Vega scripts ship with the site);
* the trace contract: every number in a page's text, notes and chart notes included, is a
  traced fact or derived figure, inside a source's quoted words, or plain structure (a year,
  a fiscal-year label, a report or item number);
* rendering lint, over the text and the tooltips (``title``, ``data-quote``): no doubled or stacked
  qualifier ("about about"), no unfilled placeholder (``{{fact-id}}``, ``{name}``), no ``nan``, ``None``,
  ``<NA>`` or ``undefined``, no ASCII hyphen-minus as a minus sign, no parenthetical doubled
  ("(stated again) (stated again)"); no table row or list item repeated.
* no internal name shown to a reader: no snake_case name from the data, no detector's candidate id, no raw unit
  code ("usd"), code included (only the pages written for analysts show commands and names on purpose).
* counts in prose agree with the data: "the five sources" fails when there are six, and so do a count of
  OIG reports, of ICE's current components or of a report's recommendations, or a range of fiscal years in
  a heading or in the book's own style ("FY2017–FY2020") other than the years the book compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from .detect import KINDS
from .params import default_value
from .text import NUMBER_WORDS, normalise, unstructured_numbers

SKIP_PAGES = {"genindex.html", "search.html", "py-modindex.html"}
TRACED = ["a.fact", "a.derived", "a.book-count", "script", "style", "svg", "noscript", "template", ".build-version",
          ".source-quote", ".fact-locator", "code", ".structural",
          "span.label"]  # span.label: footnote and citation markers; .fact-locator: a source's own headings
NOT_READER_TEXT = "script, style, code, pre, noscript, template, svg"
QUALIFIERS = r"(?:about|approximately|around|roughly|nearly|almost|more than|well over|over|in excess of|" \
             r"at least|up to|as many as|less than|fewer than|under|exceeding)"
STACKED_QUALIFIER = re.compile(rf"\b{QUALIFIERS}\s+(?:an?\s+implied\s+)?{QUALIFIERS}\s+(?=[$\d])", re.I)
UNFILLED = re.compile(r"\{\{[^{}]*\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}")
MISSING_VALUE = re.compile(r"\b(?:nan|NaN|undefined)\b|<NA>|^None$|[:(,]\s*None\b|\bNone\s*[),]")
# An ASCII hyphen-minus before a digit, not inside a word, number, date, range or document number ("OIG-20-13",
# "2014-2019"): reader text writes a minus as U+2212 ("−23.8%").
HYPHEN_MINUS = re.compile(r"(?<![\w.,/\-–—])-(?=\d)")
TOOLTIPS = ("title", "data-quote")  # attributes a reader sees on hover or focus
DOUBLED_PARENTHETICAL = re.compile(r"(\([^()]{1,80}\))\s*\1")
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CANDIDATE_ID = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, KINDS)) + r")-[a-z0-9]+(?:-[a-z0-9]+)+")
RAW_UNIT = re.compile(r"\busd\b")
FOR_ANALYSTS = {"methods.html"}  # commands, file names and parameters, shown as code on purpose
BLOCKS = ["p", "li", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "summary",
          "blockquote", "label"]


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


def book_counts(data) -> BookCounts:
    """The counts of the validated data, and the fiscal years of the comparison's published parameters."""
    years = default_value("comparison", "fiscal_years")
    return BookCounts(
        sources=len(data.sources), reports=len(data.findings),
        components=sum(1 for c in data.structure.get("components", []) if c.get("current")),
        recommendations={data.sources[r].document_number: len(record.get("recommendations", []))
                         for r, record in data.findings.items() if data.sources[r].document_number},
        fiscal_years=(min(years), max(years)))


def _number(word: str) -> int:
    return int(word) if word.isdigit() else COUNT_WORDS[word.lower()]


def _book_words(soup: BeautifulSoup) -> str:
    """The article's text without the sources' own words (quotes, notes quoting them, code)."""
    article = soup.select_one("article") or soup.body
    if article is None:
        return ""
    article = BeautifulSoup(str(article), "html.parser")
    for element in article.select("blockquote, .source-quote, .fact-notes, code, script, style"):
        element.decompose()
    return " ".join(article.get_text(" ").split())


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


def _reader_text(soup: BeautifulSoup) -> BeautifulSoup | None:
    """The article a reader sees, without scripts, styles and code."""
    article = soup.select_one("article") or soup.body
    if article is None:
        return None
    article = BeautifulSoup(str(article), "html.parser")
    for element in article.select(NOT_READER_TEXT):
        element.decompose()
    return article


def rendering_faults(soup: BeautifulSoup) -> list[str]:
    """What a template or a formatter got wrong on a page, each with the text it stands in."""
    article = _reader_text(soup)
    if article is None:
        return []
    faults: list[str] = []
    texts = [(" ".join(block.get_text("").split()), "") for block in article.find_all(BLOCKS)]
    texts += [(" ".join(str(element[name]).split()), f" (in a {name} attribute)")
              for element in article.select(", ".join(f"[{name}]" for name in TOOLTIPS))
              for name in TOOLTIPS if element.has_attr(name)]
    for text, where in dict.fromkeys(texts):
        for pattern, what in ((STACKED_QUALIFIER, "doubled or stacked qualifier"),
                              (UNFILLED, "unfilled placeholder"), (MISSING_VALUE, "missing value shown"),
                              (HYPHEN_MINUS, "hyphen-minus used as a minus sign"),
                              (DOUBLED_PARENTHETICAL, "doubled parenthetical")):
            for match in pattern.finditer(text):
                fault = f"{what} {match.group(0).strip()!r}{where} in “{text[:120]}”"
                if fault not in faults:
                    faults.append(fault)
    for table in article.find_all("table"):
        rows = [" | ".join(cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"]))
                for row in table.select("tbody tr") or table.find_all("tr")]
        faults += [f"table row repeated: “{row[:120]}”" for row in _repeated(rows)]
    for items in article.find_all(["ul", "ol"]):
        entries = [li.get_text(" ", strip=True) for li in items.find_all("li", recursive=False)]
        faults += [f"list item repeated: “{entry[:120]}”" for entry in _repeated(entries)]
    return faults


def internal_names(soup: BeautifulSoup) -> list[str]:
    """Names from the data or the code shown to a reader where plain words belong, code elements included."""
    article = soup.select_one("article") or soup.body
    if article is None:
        return []
    article = BeautifulSoup(str(article), "html.parser")
    for element in article.select("script, style, svg, noscript, template, pre"):
        element.decompose()
    found: list[str] = []
    for line in dict.fromkeys(" ".join(line.split()) for line in article.get_text("\n").splitlines()):
        for pattern, what in ((SNAKE_CASE, "internal name"), (CANDIDATE_ID, "candidate id"),
                              (RAW_UNIT, "raw unit code")):
            found += [f"{what} {m[0]!r} shown in “{line[:120]}”" for m in pattern.finditer(line)]
    return list(dict.fromkeys(found))


def quotes_not_in_sources(soup: BeautifulSoup, texts: dict[str, str]) -> list[str]:
    """Text styled as a source's words that no source prints: only a source's words may look like a quote."""
    article = soup.select_one("article") or soup.body
    if article is None:
        return []
    found = []
    for element in article.select(".source-quote"):
        quote = normalise(element.get_text("")).strip("“”\"' ")
        if quote and not any(quote in text for text in texts.values()):
            found.append(f"styled as a source's words but in no source: “{quote[:100]}”")
    return found


def _repeated(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for text in texts:
        if text and text in seen and text not in repeated:
            repeated.append(text)
        seen.add(text)
    return repeated


def check_site(site: Path, counts: BookCounts | None = None, texts: dict[str, str] | None = None) -> list[str]:
    """Every problem with a built site, each naming the page; with ``counts``, also counts in prose that
    disagree with the data; with ``texts``, text styled as a source's words that no source prints."""
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
        if counts is not None:
            problems += [f"{name}: {stale}" for stale in stale_counts(soup, counts)]
        problems += [f"{name}: {fault}" for fault in rendering_faults(soup)]
        if page.name not in FOR_ANALYSTS:
            problems += [f"{name}: {fault}" for fault in internal_names(soup)]
        if texts is not None:
            problems += [f"{name}: {fault}" for fault in quotes_not_in_sources(soup, texts)]
        for number in untraced_numbers(soup):
            problems.append(f"{name}: untraced number {number}")
    return problems
