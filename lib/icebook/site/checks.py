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
* no internal name shown to a reader: no snake_case name from the data, no detector's candidate id, no fact id
  ("oig2013-r3-cases-reviewed", which reads as a year), no raw unit code ("usd"), code included (only the pages
  written for analysts show commands and names on purpose).
* counts in prose agree with the data: "the five sources" fails when there are six, and so do a count of
  OIG reports, of ICE's current components or of a report's recommendations, or a range of fiscal years in
  a heading or in the book's own style ("FY2017–FY2020") other than the years the book compares.

Each page is parsed once (lxml through bs4) and never changed: each check reads the one tree, leaving out the
elements it ignores as it walks (``_strings``, ``_tags``), where it used to delete them from a re-parsed copy.
With ``cache``, a page whose bytes, the checks' code and the book's counts and source texts are all as when it
was last checked is not parsed again: its verdict (its own problems, its element ids and its links) is read back,
and the links and anchors are checked across all pages every time, so a link into a changed page is still checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import platform
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import bs4
import lxml.etree
from bs4 import BeautifulSoup, Tag

from icebook.core.files import digest_files, write_atomic
from icebook.core.modules import LIB, closure, files_of
from icebook.core.text import NUMBER_WORDS, normalise, unstructured_numbers
from icebook.data.detect import KINDS
from icebook.data.loader import Book

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
# a fact's or derived figure's id, its source's id first ("oig2013-r3-cases-reviewed"): it reads as a year
FACT_ID = re.compile(r"(?<![\w-])[a-z]+\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*")
FOR_ANALYSTS = {"methods.html"}  # commands, file names and parameters, shown as code on purpose
BLOCKS = ["p", "li", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "summary",
          "blockquote", "label"]


PARSER = "lxml"  # libxml2 through bs4: a fifth faster than html.parser, and it nests as a browser does


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name not in SKIP_PAGES and "_static" not in p.parts)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), PARSER)


class _Matching:
    """Elements that any of a list of simple selectors matches ("svg", ".source-quote", "a.fact"), as a CSS engine
    would (names and classes exactly), without one: soupsieve's select took most of the checks' time."""

    def __init__(self, selectors: list[str] | str):
        self.names: set[str] = set()
        self.classes: set[str] = set()
        self.named_classes: set[tuple[str, str]] = set()
        for selector in selectors.split(",") if isinstance(selectors, str) else selectors:
            name, dot, cls = selector.strip().partition(".")
            if not re.fullmatch(r"[a-z][a-z0-9]*", name or "x") or (dot and not re.fullmatch(r"[A-Za-z][\w-]*", cls)):
                raise ValueError(f"selector {selector!r}: the checks match only NAME, .CLASS or NAME.CLASS")
            if not dot:
                self.names.add(name)
            elif name:
                self.named_classes.add((name, cls))
            else:
                self.classes.add(cls)

    def __call__(self, tag: Tag) -> bool:
        if tag.name in self.names:
            return True
        classes = tag.get("class")
        if not classes:
            return False
        if isinstance(classes, str):
            classes = classes.split()
        return any(c in self.classes or (tag.name, c) in self.named_classes for c in classes)


def _strings(root: Tag, leave_out: Callable[[Tag], bool] | None = None, strip: bool = False) -> Iterator[str]:
    """The strings ``root.get_text()`` joins, in order, without those in elements ``leave_out`` matches."""
    types = root.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES  # no comments, nor script or style text
    stack = root.contents[::-1]
    while stack:
        node = stack.pop()
        if isinstance(node, Tag):
            if leave_out is None or not leave_out(node):
                stack.extend(node.contents[::-1])
        elif type(node) in types:
            if not strip:
                yield node
            elif node.strip():
                yield node.strip()


def _text(root: Tag, separator: str, leave_out: Callable[[Tag], bool] | None = None, strip: bool = False) -> str:
    return separator.join(_strings(root, leave_out, strip))


def _tags(root: Tag, leave_out: Callable[[Tag], bool] | None = None) -> Iterator[Tag]:
    """``root`` and the elements in it, in document order, without those ``leave_out`` matches and what they hold."""
    stack = [root]
    while stack:
        tag = stack.pop()
        if leave_out is None or not leave_out(tag):
            yield tag
            stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))


def _article(soup: BeautifulSoup) -> Tag | None:
    return soup.find("article") or soup.body


def _article_without(soup: BeautifulSoup, leave_out: _Matching) -> Tag | None:
    """The article to read without what ``leave_out`` matches; None where there is none, or it is left out whole
    (the checks used to delete the matches from a copy of the article, the article included)."""
    article = _article(soup)
    return None if article is None or leave_out(article) else article


LEAVE_OUT_TRACED = _Matching(TRACED)


def untraced_numbers(soup: BeautifulSoup) -> list[str]:
    """Numbers in the article text that are neither traced nor structure."""
    article = _article(soup)
    if article is None:
        return []
    found = []
    for line in _text(article, "\n", LEAVE_OUT_TRACED).splitlines():
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


SOURCES_OWN_WORDS = _Matching("blockquote, .source-quote, .fact-notes, code, script, style")


def _book_words(soup: BeautifulSoup) -> str:
    """The article's text without the sources' own words (quotes, notes quoting them, code)."""
    article = _article_without(soup, SOURCES_OWN_WORDS)
    if article is None:
        return ""
    return " ".join(_text(article, " ", SOURCES_OWN_WORDS).split())


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


NOT_READ = _Matching(NOT_READER_TEXT)
NOT_SHOWN_AS_TEXT = _Matching("script, style, svg, noscript, template, pre")


def rendering_faults(soup: BeautifulSoup) -> list[str]:
    """What a template or a formatter got wrong on a page, each with the text it stands in."""
    article = _article_without(soup, NOT_READ)  # the article a reader sees, without scripts, styles and code
    if article is None:
        return []
    read = list(_tags(article, NOT_READ))
    faults: list[str] = []
    texts = [(" ".join(_text(block, "", NOT_READ).split()), "") for block in read if block.name in BLOCKS]
    texts += [(" ".join(str(element[name]).split()), f" (in a {name} attribute)")
              for element in read if any(element.has_attr(name) for name in TOOLTIPS)
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
    for table in (tag for tag in read if tag.name == "table"):
        inside = [tag for tag in _tags(table, NOT_READ) if tag.name == "tr"]
        in_body = [row for row in inside if _within(row, "tbody", article)]  # CSS "tbody tr"
        rows = [" | ".join(_text(cell, " ", NOT_READ, strip=True) for cell in _tags(row, NOT_READ)
                           if cell.name in ("td", "th") and cell is not row)
                for row in in_body or inside]
        faults += [f"table row repeated: “{row[:120]}”" for row in _repeated(rows)]
    for items in (tag for tag in read if tag.name in ("ul", "ol")):
        entries = [_text(li, " ", NOT_READ, strip=True) for li in items.contents
                   if isinstance(li, Tag) and li.name == "li" and not NOT_READ(li)]
        faults += [f"list item repeated: “{entry[:120]}”" for entry in _repeated(entries)]
    return faults


def _within(tag: Tag, name: str, top: Tag) -> bool:
    """True when an element named ``name`` holds ``tag``, up to ``top`` (included)."""
    for parent in tag.parents:
        if parent.name == name:
            return True
        if parent is top:
            return False
    return False


def internal_names(soup: BeautifulSoup) -> list[str]:
    """Names from the data or the code shown to a reader where plain words belong, code elements included."""
    article = _article_without(soup, NOT_SHOWN_AS_TEXT)
    if article is None:
        return []
    found: list[str] = []
    lines = _text(article, "\n", NOT_SHOWN_AS_TEXT).splitlines()
    for line in dict.fromkeys(" ".join(line.split()) for line in lines):
        for pattern, what in ((SNAKE_CASE, "internal name"), (CANDIDATE_ID, "candidate id"),
                              (RAW_UNIT, "raw unit code"), (FACT_ID, "fact id")):
            found += [f"{what} {m[0]!r} shown in “{line[:120]}”" for m in pattern.finditer(line)]
    return list(dict.fromkeys(found))


SOURCE_QUOTE = _Matching(".source-quote")


def quotes_not_in_sources(soup: BeautifulSoup, texts: dict[str, str]) -> list[str]:
    """Text styled as a source's words that no source prints: only a source's words may look like a quote."""
    article = _article(soup)
    if article is None:
        return []
    found = []
    for element in (tag for tag in _tags(article) if tag is not article and SOURCE_QUOTE(tag)):
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


LOADERS = (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"))


def page_verdict(html: str, page_name: str, counts: BookCounts | None = None,
                 texts: dict[str, str] | None = None) -> dict[str, list[str]]:
    """What one page holds for the site check, from one parse: its element ids, its links, what it loads from
    another host and its own problems (counts, rendering, internal names, quotes, untraced numbers)."""
    soup = BeautifulSoup(html, PARSER)
    tags = list(_tags(soup))
    loads = []
    for name, attr in LOADERS:
        for element in (tag for tag in tags if tag.name == name):
            url = element.get(attr, "")
            if re.match(r"^(https?:)?//", url):
                loads.append(f"<{name} {attr}={url!r}> loads from another host")
    problems = stale_counts(soup, counts) if counts is not None else []
    problems += rendering_faults(soup)
    if page_name not in FOR_ANALYSTS:
        problems += internal_names(soup)
    if texts is not None:
        problems += quotes_not_in_sources(soup, texts)
    problems += [f"untraced number {number}" for number in untraced_numbers(soup)]
    return {"ids": sorted({str(tag["id"]) for tag in tags if tag.has_attr("id")}),
            "links": [str(tag["href"]) for tag in tags if tag.name == "a" and tag.has_attr("href")],
            "loads": loads, "problems": problems}


def _is_verdict(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(key), list) and all(isinstance(item, str) for item in value[key])
        for key in ("ids", "links", "loads", "problems"))


def _checks_key(counts: BookCounts | None, texts: dict[str, str] | None) -> bytes:
    """What every page's verdict depends on besides its bytes: the code of the checks, the parser's versions, the
    counts and the source texts."""
    digest = hashlib.sha256(f"{platform.python_version()} bs4 {bs4.__version__} lxml {lxml.etree.LXML_VERSION} "
                            f"libxml2 {lxml.etree.LIBXML_VERSION} {counts!r}".encode())
    digest.update(digest_files(files_of(closure([__name__])), LIB))
    if texts is None:
        digest.update(b"no texts")
    for name in sorted(texts or {}):
        digest.update(hashlib.sha256(f"{name}\0{texts[name]}".encode()).digest())
    return digest.digest()


def _read_verdicts(cache: Path | None) -> dict:
    if cache is None:
        return {}
    try:
        kept = json.loads(cache.read_bytes())
    except (OSError, ValueError):  # absent, unreadable or damaged: every page is checked afresh
        return {}
    return kept if isinstance(kept, dict) else {}


def _keep_verdicts(cache: Path, verdicts: dict) -> None:
    """Write the verdicts of this check's pages whole (a temporary file renamed into place), replacing the last."""
    with contextlib.suppress(OSError):  # a read-only or full disk: the next check parses every page again
        write_atomic(cache, json.dumps(verdicts))


def check_site(site: Path, counts: BookCounts | None = None, texts: dict[str, str] | None = None,
               cache: Path | None = None) -> list[str]:
    """Every problem with a built site, each naming the page; with ``counts``, also counts in prose that
    disagree with the data; with ``texts``, text styled as a source's words that no source prints.

    With ``cache`` (a file), a page whose verdict it holds under the hash of the page's bytes and of everything
    else the verdict depends on (``_checks_key``) is not parsed again; links and anchors are checked across the
    pages each time, from the verdicts' ids and links."""
    site_pages = pages(site)
    checks_key = _checks_key(counts, texts)
    kept = _read_verdicts(cache)
    keys, verdicts = {}, {}
    for page in site_pages:
        html = page.read_bytes()
        keys[page] = hashlib.sha256(checks_key + page.name.encode() + b"\0" + html).hexdigest()
        verdict = kept.get(keys[page])
        verdicts[page] = verdict if _is_verdict(verdict) else page_verdict(html.decode("utf-8"), page.name,
                                                                           counts, texts)
    if cache is not None:
        _keep_verdicts(cache, {keys[page]: verdicts[page] for page in site_pages})
    ids = {page.resolve(): set(verdicts[page]["ids"]) for page in site_pages}
    problems: list[str] = []
    for page in site_pages:
        name = page.relative_to(site)
        problems += [f"{name}: {load}" for load in verdicts[page]["loads"]]
        problems += [f"{name}: {problem}" for problem in _broken_links(page, verdicts[page]["links"], ids)]
        problems += [f"{name}: {problem}" for problem in verdicts[page]["problems"]]
    return problems


def _broken_links(page: Path, links: list[str], ids: dict[Path, set[str]]) -> list[str]:
    """The page's internal links to a missing file or anchor; ``ids`` holds each page's ids, by resolved path
    (those of any other page linked to are read and added)."""
    broken = []
    targets: dict[str, Path] = {}
    for href in links:
        parts = urlsplit(href)
        if parts.scheme or href.startswith(("mailto:", "//")):
            continue
        if parts.path not in targets:
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
            targets[parts.path] = target / "index.html" if target.is_dir() else target
        target = targets[parts.path]
        if not target.exists():
            broken.append(f"link {href!r} points to a missing file")
            continue
        if parts.fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = {str(tag["id"]) for tag in _tags(_soup(target)) if tag.has_attr("id")}
            if unquote(parts.fragment) not in ids[target]:
                broken.append(f"link {href!r} points to a missing anchor")
    return broken
