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
* counts in prose agree with the data: "the five sources" fails when there are six.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from .detect import KINDS
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


def check_site(site: Path, sources: int | None = None, texts: dict[str, str] | None = None) -> list[str]:
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
        problems += [f"{name}: {fault}" for fault in rendering_faults(soup)]
        if page.name not in FOR_ANALYSTS:
            problems += [f"{name}: {fault}" for fault in internal_names(soup)]
        if texts is not None:
            problems += [f"{name}: {fault}" for fault in quotes_not_in_sources(soup, texts)]
        for number in untraced_numbers(soup):
            problems.append(f"{name}: untraced number {number}")
    return problems
