"""Checks on a built site, run by the build before it publishes and by the tests (the page's text: rules.py and
counts.py; reading a page: parse.py; here, each page's verdict, kept by its bytes, and the links across pages).

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
elements it ignores as it walks (parse.py's ``strings_of``, ``tags_of``), not deleting them from a re-parsed copy.
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
from pathlib import Path
from urllib.parse import unquote, urlsplit

import bs4
import lxml.etree
from bs4 import BeautifulSoup

from icebook.core.files import digest_files, write_atomic
from icebook.core.modules import LIB, closure, files_of
from icebook.site.counts import BookCounts, stale_counts
from icebook.site.parse import PARSER, pages, parse_page, tags_of
from icebook.site.rules import FOR_ANALYSTS, internal_names, quotes_not_in_sources, rendering_faults, untraced_numbers

LOADERS = (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"))


def page_verdict(html: str, page_name: str, counts: BookCounts | None = None,
                 texts: dict[str, str] | None = None) -> dict[str, list[str]]:
    """What one page holds for the site check, from one parse: its element ids, its links, what it loads from
    another host and its own problems (counts, rendering, internal names, quotes, untraced numbers)."""
    soup = BeautifulSoup(html, PARSER)
    tags = list(tags_of(soup))
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


def ready(counts: BookCounts | None, texts: dict[str, str] | None) -> None:
    """Work out ahead what ``check_site`` with these arguments needs before it reads a page (the import graph of
    the checks' code, and its files' hashes, which later look-ups reuse while the files stay as they are): the
    build does it while Sphinx writes the site."""
    _checks_key(counts, texts)


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
                ids[target] = {str(tag["id"]) for tag in tags_of(parse_page(target)) if tag.has_attr("id")}
            if unquote(parts.fragment) not in ids[target]:
                broken.append(f"link {href!r} points to a missing anchor")
    return broken
