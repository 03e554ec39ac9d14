"""The checks of one page's text: every number traced (the trace contract), no rendering fault a template or
formatter left (a doubled qualifier, an unfilled placeholder, ``nan``), no internal name shown to a reader, no
quote that is not in its source."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from icebook.core.text import normalise, unstructured_numbers
from icebook.data.detect import KINDS
from icebook.site.parse import Matching, article_of, article_without, tags_of, text_of

# span.label: footnote and citation markers; .fact-locator: a source's own headings; .earlier-edition: a figure as the
# last edition's data package held it (the Changes page), a record of that package, not a figure of this edition
TRACED = ["a.fact", "a.derived", "a.book-count", "script", "style", "svg", "noscript", "template", ".build-version",
          ".source-quote", ".fact-locator", "code", ".structural", "span.label", ".earlier-edition"]
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
LEAVE_OUT_TRACED = Matching(TRACED)
IN_A_NOTE = Matching(".fact-notes")  # a row's note in a table (fmt.shared_notes says a shared one once)
NOT_A_NOTE = Matching(f"{NOT_READER_TEXT}, .note-ref")  # a pointer to a note under the table is no note


def untraced_numbers(soup: BeautifulSoup) -> list[str]:
    """Numbers in the article text that are neither traced nor structure."""
    article = article_of(soup)
    if article is None:
        return []
    found = []
    for line in text_of(article, "\n", LEAVE_OUT_TRACED).splitlines():
        for number in unstructured_numbers(line):
            found.append(f"{number!r} in “{line.strip()[:100]}”")
    return found


NOT_READ = Matching(NOT_READER_TEXT)
NOT_SHOWN_AS_TEXT = Matching("script, style, svg, noscript, template, pre")


def rendering_faults(soup: BeautifulSoup) -> list[str]:
    """What a template or a formatter got wrong on a page, each with the text it stands in."""
    article = article_without(soup, NOT_READ)  # the article a reader sees, without scripts, styles and code
    if article is None:
        return []
    read = list(tags_of(article, NOT_READ))
    faults: list[str] = []
    texts = [(" ".join(text_of(block, "", NOT_READ).split()), "") for block in read if block.name in BLOCKS]
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
        inside = [tag for tag in tags_of(table, NOT_READ) if tag.name == "tr"]
        in_body = [row for row in inside if _within(row, "tbody", article)]  # CSS "tbody tr"
        rows = [" | ".join(text_of(cell, " ", NOT_READ, strip=True) for cell in tags_of(row, NOT_READ)
                           if cell.name in ("td", "th") and cell is not row)
                for row in in_body or inside]
        faults += [f"table row repeated: “{row[:120]}”" for row in _repeated(rows)]
        notes = [" ".join(text_of(note, " ", NOT_A_NOTE, strip=True).split())
                 for row in in_body or inside for note in tags_of(row, NOT_READ) if IN_A_NOTE(note)]
        faults += [f"note repeated in a table's rows, not said once: “{note[:120]}”" for note in _repeated(notes)]
    for items in (tag for tag in read if tag.name in ("ul", "ol")):
        entries = [text_of(li, " ", NOT_READ, strip=True) for li in items.contents
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
    article = article_without(soup, NOT_SHOWN_AS_TEXT)
    if article is None:
        return []
    found: list[str] = []
    lines = text_of(article, "\n", NOT_SHOWN_AS_TEXT).splitlines()
    for line in dict.fromkeys(" ".join(line.split()) for line in lines):
        for pattern, what in ((SNAKE_CASE, "internal name"), (CANDIDATE_ID, "candidate id"),
                              (RAW_UNIT, "raw unit code"), (FACT_ID, "fact id")):
            found += [f"{what} {m[0]!r} shown in “{line[:120]}”" for m in pattern.finditer(line)]
    return list(dict.fromkeys(found))


SOURCE_QUOTE = Matching(".source-quote")


def quotes_not_in_sources(soup: BeautifulSoup, texts: dict[str, str]) -> list[str]:
    """Text styled as a source's words that no source prints: only a source's words may look like a quote."""
    article = article_of(soup)
    if article is None:
        return []
    found = []
    for element in (tag for tag in tags_of(article) if tag is not article and SOURCE_QUOTE(tag)):
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
