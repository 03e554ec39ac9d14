"""A fact's page from its source's own layout, where the copy prints none beside its quote.

- By the source's table of contents (``contents`` in sources.yaml): the fact takes the page on which its section
  starts, marked as such.
- In the front matter (``front_matter``): the pages a copy prints before it starts numbering (an OIG report's
  highlights and transmittal memorandum) carry no number, and a fact there has none; pages say so.

Both rules are declared once per source, not typed per fact: a fact's section is the first part of its locator, and
it matches a title it starts with, letter case aside ("ICE HEALTH SERVICE CORPS" is the contents' "ICE Health
Service Corps"; "Appendix C FY 2019 Data …" is "Appendix C"). Each is checked against the source text: a contents
entry's title and page stand on one line of the copy, as a contents line does; a front-matter section starts a line
before the heading the numbered pages start with, and every quote of its facts stands before that heading. In a
copy that prints page numbers (``pages_printed: true``) every fact has a page by one of these, or its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from icebook.core.text import normalise
from icebook.data.collect import Collector
from icebook.data.schema import ContentsEntry, Source

# how a fact's page was found (the facts' page_basis): printed beside its quote, the start of its section by the
# source's contents, or none, as the front matter prints none
PRINTED, SECTION_START, FRONT_MATTER = "printed", "section start", "front matter"
HEADING_MARK = re.compile(r"^#+\s*")


def text_lines(data_dir: Path, source: Source) -> list[str]:
    """The lines of a source's copy, each normalised as quotes are, without a Markdown heading's marks."""
    text = (data_dir / "sources" / source.file).read_text(encoding="utf-8")
    return [HEADING_MARK.sub("", normalise(line)) for line in text.splitlines()]


def check_contents(sources: dict[str, Source], texts: dict[str, str], data_dir: Path, col: Collector) -> None:
    """Each contents entry stands in its source's text: its title and its page on one line."""
    for source_id, source in sources.items():
        if source_id not in texts or not getattr(source, "contents", None):  # an unread text is reported where it is
            continue
        lines = text_lines(data_dir, source)
        for entry in source.contents:
            title = normalise(entry.section).lower()
            page = re.compile(rf"(?<![\d.,]){entry.page}(?![\d.,]*\d)")
            if not any(title in line.lower() and page.search(line.lower().split(title, 1)[1]) for line in lines):
                col.add(data_dir / "sources.yaml", f"contents entry {entry.section!r} (page {entry.page}) is not a "
                        "line of the source's contents: no line of the text holds the title followed by the page",
                        record=source_id, field="contents")


def check_front_matter(sources: dict[str, Source], texts: dict[str, str], data_dir: Path,
                       col: Collector) -> dict[str, int]:
    """Each declared front matter stands in its source's text: the heading its numbered pages start with is a line
    of the text, and each of its sections starts a line before that. Gives, for each source whose front matter
    checks out, where its numbered pages start in its normalised text."""
    numbered_from = {}
    for source_id, source in sources.items():
        front = getattr(source, "front_matter", None)
        if source_id not in texts or front is None:  # a text that could not be read is reported where it is
            continue
        lines = text_lines(data_dir, source)
        heading = front.numbered_from.lower()
        start = next((i for i, line in enumerate(lines) if line.lower().rstrip(":") == heading), None)
        if start is None:
            col.add(data_dir / "sources.yaml", f"front_matter.numbered_from {front.numbered_from!r} is no line of "
                    "the source's text: give the heading the copy's numbered pages start with, as printed",
                    record=source_id, field="front_matter")
            continue
        absent = [s for s in front.sections if not any(line.lower().startswith(s.lower()) for line in lines[:start])]
        if absent:
            col.add(data_dir / "sources.yaml", f"front_matter section(s) {', '.join(map(repr, absent))} start no "
                    f"line of the text before {front.numbered_from!r}, where the numbered pages start: name each "
                    "section of the front matter as a line of the copy begins", record=source_id,
                    field="front_matter")
            continue
        numbered_from[source_id] = len(normalise("\n".join(lines[:start])))
    return numbered_from


def check_pages_given(facts: pd.DataFrame, sources: dict[str, Source], texts: dict[str, str],
                      numbered_from: dict[str, int], data_dir: Path, col: Collector) -> None:
    """In a copy that prints page numbers, every fact has a page: its own, its section's start by the contents, or
    none in the front matter, where each of its quotes must stand before the numbered pages and no page is given.
    A source's facts without any are named in one problem, at the first of them."""
    unpaged: dict[str, list[tuple[str, Path, int]]] = {}
    columns = ("id", "source", "page", "locator", "quote", "csv_file", "csv_line")
    paths = {name: data_dir.parent / name for name in facts["csv_file"].unique()}
    bases: dict[tuple[str, str, str], str] = {}  # facts of one section share its basis
    in_front: dict[tuple[str, str], bool] = {}  # whether a source's section is in its front matter, by locator
    found: dict[tuple[str, str], int] = {}  # where a quote stands in its source
    for fact_id, source_id, page, locator, quote, csv_file, csv_line in zip(
            *(facts[name].tolist() for name in columns), strict=True):
        source = sources.get(source_id)
        if source is None or getattr(source, "pages_printed", False) is not True:
            continue
        path, where = paths[csv_file], {"row": csv_line, "record": fact_id}
        if (source_id, page, locator) not in bases:
            bases[source_id, page, locator] = page_basis(source, page, locator)
        basis = bases[source_id, page, locator]
        if basis == "":
            unpaged.setdefault(source_id, []).append((fact_id, path, csv_line))
        elif basis == FRONT_MATTER and source_id in numbered_from and source_id in texts:
            if (source_id, quote) not in found:  # a quote not found is reported by the quote check
                found[source_id, quote] = texts[source_id].find(normalise(quote))
            if found[source_id, quote] >= numbered_from[source_id]:
                col.add(path, f"the fact's section is in the front matter of source {source_id!r} (front_matter in "
                        f"sources.yaml), but its quote stands after {source.front_matter.numbered_from!r}, where "
                        "the copy numbers its pages: give its page and the section it stands in", field="locator",
                        **where)
        elif basis == PRINTED:
            if (source_id, locator) not in in_front:
                in_front[source_id, locator] = _in_front_matter(source, locator)
            if in_front[source_id, locator]:
                col.add(path, f"page {page!r} is given, but the fact's section is in the front matter of source "
                        f"{source_id!r}, where the copy prints no page number: leave the page empty, or correct the "
                        "locator", field="page", **where)
    for source_id, rows in unpaged.items():
        ids = [fact_id for fact_id, _, _ in rows]
        col.add(rows[0][1], f"page is empty, but source {source_id!r} prints page numbers (pages_printed: true in "
                f"sources.yaml): {len(ids)} fact(s) give no page ({', '.join(ids[:5])}{', …' if len(ids) > 5 else ''})."
                " Give the page each quote stands on; where the copy prints no number on that page, declare the "
                "section in the source's contents (the page it starts on) or front_matter (none)", field="page",
                row=rows[0][2], record=ids[0])


def _section(locator: str) -> str:
    return locator.split(" > ")[0].strip().lower()


def _in_front_matter(source: Source, locator: str) -> bool:
    front = getattr(source, "front_matter", None)
    return front is not None and _section(locator).startswith(tuple(s.lower() for s in front.sections))


def page_basis(source: Source, page: str, locator: str) -> str:
    """How a fact's page is found (PRINTED, SECTION_START or FRONT_MATTER), or "" where nothing gives one."""
    if page:
        return PRINTED
    if _contents_entry(source, locator):
        return SECTION_START
    return FRONT_MATTER if _in_front_matter(source, locator) else ""


def _contents_entry(source: Source, locator: str) -> ContentsEntry | None:
    section = _section(locator)
    return next((e for e in getattr(source, "contents", None) or [] if section.startswith(e.section.lower())), None)


def place(source: Source, page: str, locator: str) -> tuple[str, str]:
    """A passage's page and how it was found: the page its copy prints, else the page its section starts on by its
    source's contents, else none (in the front matter, or nothing known)."""
    basis = page_basis(source, page, locator)
    entry = _contents_entry(source, locator) if basis == SECTION_START else None
    return page or (entry.page if entry else ""), basis


def section_pages(facts: pd.DataFrame, sources: dict[str, Source]) -> tuple[pd.Series, pd.Series]:
    """Each fact's page and how it was found (``place``)."""
    columns = (facts[name].tolist() for name in ("source", "page", "locator"))  # lists iterate fast
    places: dict[tuple[str, str, str], tuple[str, str]] = {}  # facts of one section share its place
    found = [places[key] if key in places else places.setdefault(key, place(sources[key[0]], key[1], key[2]))
             for key in zip(*columns, strict=True)]
    return (pd.Series([p for p, _ in found], index=facts.index), pd.Series([b for _, b in found], index=facts.index))


def quoting_fact(facts: pd.DataFrame, source: str, text: str) -> str | None:
    """The first fact of a source whose quote holds the passage or is held by it: where a reader can check it."""
    rows = facts[facts["source"] == source]
    for fact_id, quote in zip(rows.index, rows["quote"], strict=True):
        quoted = normalise(quote)
        if quoted and (quoted in text or text in quoted):
            return str(fact_id)
    return None
