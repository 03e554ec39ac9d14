"""Pages from a source's own table of contents: a fact whose copy prints no page where its quote stands takes the
page on which its section starts, as the source's contents give it (``contents`` in sources.yaml), marked as such.

The rule is declared once per source, not typed per fact: a fact's section is the first part of its locator, and
it matches a contents entry whose title it starts with, letter case aside ("ICE HEALTH SERVICE CORPS" is the
contents' "ICE Health Service Corps"; "Appendix C FY 2019 Data …" is "Appendix C"). Each entry is checked
against the source text: its title and page stand on one line of the copy, as a contents line does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from icebook.core.text import normalise
from icebook.data.collect import Collector
from icebook.data.schema import Source

PRINTED, SECTION_START = "printed", "section start"  # how a fact's page was found (the facts' page_basis)


def check_contents(sources: dict[str, Source], texts: dict[str, str], data_dir: Path, col: Collector) -> None:
    """Each contents entry stands in its source's text: its title and its page on one line."""
    for source_id, source in sources.items():
        if source_id not in texts:  # a text that could not be read is reported where it is
            continue
        lines = [normalise(line) for line in texts[source_id].splitlines()]
        for entry in source.contents:
            title = normalise(entry.section).lower()
            page = re.compile(rf"(?<![\d.,]){entry.page}(?![\d.,]*\d)")
            if not any(title in line.lower() and page.search(line.lower().split(title, 1)[1]) for line in lines):
                col.add(data_dir / "sources.yaml", f"contents entry {entry.section!r} (page {entry.page}) is not a "
                        "line of the source's contents: no line of the text holds the title followed by the page",
                        record=source_id, field="contents")


def section_pages(facts: pd.DataFrame, sources: dict[str, Source]) -> tuple[pd.Series, pd.Series]:
    """Each fact's page and how it was found: the page its copy prints, else the page its section starts on by
    its source's contents, else none."""
    pages, bases = [], []
    for source_id, page, locator in zip(facts["source"], facts["page"], facts["locator"], strict=True):
        if page:
            pages.append(page)
            bases.append(PRINTED)
            continue
        section = locator.split(" > ")[0].strip().lower()
        entry = next((e for e in sources[source_id].contents if section.startswith(e.section.lower())), None)
        pages.append(entry.page if entry else "")
        bases.append(SECTION_START if entry else "")
    return pd.Series(pages, index=facts.index), pd.Series(bases, index=facts.index)
