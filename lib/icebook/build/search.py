"""The site's search: a Pagefind index of the built pages, shipped inside the site (``_pagefind/``).

Pagefind (pinned on PyPI with its binary) reads the pages' HTML at build time and writes a static index that the
search page (``_templates/search.html``, ``_static/icebook-search.js``) loads in the reader's browser: nothing is
asked of another host, and figures ("103,603", "103603"), names ("MS-13") and document numbers ("OIG-20-13") are
words it finds, where Sphinx's own index drops them.

Pagefind gives a result an anchor of its own only at a heading with an ``id``. Sphinx puts a section's ``id`` on
the ``<section>``, not on its heading, and a fact's entry in the fact index is a ``<div>``: so the pages are
indexed from copies (``indexed_html``) in which each such heading, and each fact entry's first line, carries the
``id`` of what it heads. The published pages keep their markup; a result's link goes to the section or fact.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from icebook.build.procs import end_with_parent
from icebook.core.errors import BuildError

INDEX = "_pagefind"  # the index's folder in the site, beside _static/
NOT_INDEXED = {"search.html", "genindex.html", "py-modindex.html"}
ARTICLE = re.compile(r'<article class="bd-article"')
# <section id="x"> followed by its heading: the heading takes the section's id in the copy Pagefind reads
SECTION_HEADING = re.compile(r'(<section\b[^>]*\bid="([^"]+)"[^>]*>\s*<h([1-6]))>')
# a fact's entry (a source's page of the fact index): its first line is the heading of its search result
FACT_ENTRY = re.compile(r'(<li class="fact-entry" id="([^"]+)">)<span class="fact-head">(.*?)</span>(?= <button)',
                        re.S)
# what is not the page's words: a heading's "#" link, a button's label ("Cite this figure")
CHROME = re.compile(r'<(a class="headerlink"|button)(?=[\s>])')


def indexed_html(html: str) -> str:
    """The copy of a page Pagefind reads: only the article is indexed (not the navigation, repeated on every
    page), every section heading and fact entry carries the id a search result links to, and the headings'
    "#" links and the buttons' labels are left out."""
    html = ARTICLE.sub('<article class="bd-article" data-pagefind-body', html, count=1)
    html = SECTION_HEADING.sub(r'\1 id="\2">', html)
    html = CHROME.sub(r'<\1 data-pagefind-ignore', html)
    return FACT_ENTRY.sub(r'\1<h6 id="\2" class="fact-head">\3</h6>', html)


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and p.name not in NOT_INDEXED
                  and INDEX not in p.parts)


class SearchIndex:
    """Pagefind indexing a built site in a child process, so the build checks the site meanwhile."""

    def __init__(self, built: Path, work: Path):
        self.copies, self.out = work / "pages", work / "index"
        for folder in (self.copies, self.out):
            shutil.rmtree(folder, ignore_errors=True)
        for page in _pages(built):
            copy = self.copies / page.relative_to(built)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(indexed_html(page.read_text(encoding="utf-8")), encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", str(self.copies), "--output-path", str(self.out),
                   "--force-language", "en", "--silent"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        preexec_fn=functools.partial(end_with_parent, os.getpid()))

    def finish(self, site: Path) -> None:
        """Wait for the index and put it in the site; a failure is the build's, with Pagefind's message."""
        output, _ = self.process.communicate()
        if self.process.returncode != 0:
            raise BuildError(f"the search index (Pagefind) failed with exit code {self.process.returncode}:\n"
                             + "\n".join(f"  {line}" for line in output.strip().splitlines()[-20:]))
        shutil.copytree(self.out, site / INDEX)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
