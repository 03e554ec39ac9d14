"""The fact index: a landing page (chapters/fact-index.md) with each source's count of facts, the derived figures
and a search of the facts, and one page per source (chapters/facts.md, ``facts-<source>.html``) listing its facts.

A source's page lists its facts in source order, grouped by the sentence they come from: the figures that one
quote prints stand together above it, so a sentence printing three figures is shown once, and a page stays short
enough to scan (a reader's review found one page of 156,293 px). Each figure is an entry with its own anchor (the
fact's id), the permanent address of the fact (``fmt.fact_href``); its notes fold under it. The landing page keeps
the old addresses working: ``fact-index.html#<fact-id>``, from when every fact stood on it, is sent on to the fact's
page (icebook.js), as a fact's id starts with its source's id (the validator sees to it).
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from icebook.data.facts import ANECDOTE
from icebook.data.loader import book
from icebook.pages import fmt

UNIT_WORDS = {"usd": "U.S. dollars", "count": ""}  # a count goes without saying; other units are plain words
# The search of the facts on the landing page (icebook.js): Pagefind over the pages that carry this filter.
LISTING_FILTER = "Listing:Fact index"


def wording(row: pd.Series) -> str:
    """How the source words the figure: its own qualifier word, the rounding it states, or "as printed"."""
    return (row["source_qualifier"] or fmt.QUALIFIER_WORDS.get(row["qualifier"])
            or fmt.QUALIFIER_NOTES.get(row["qualifier"]) or "as printed")


def _unit(unit: str) -> Markup:
    word = UNIT_WORDS.get(unit, unit)
    return Markup("{} · ").format(word) if word else Markup("")


def _more(row: pd.Series) -> Markup:
    """What the book says about the figure beyond its line (notes, doubts, a copy error), folded under it."""
    parts = [Markup('<p class="fact-notes"><em>{}:</em> {}</p>').format(title, fmt.prose(row[field]))
             for field, title in (("scope_deviation", "How its words differ from its measure's"),
                                  ("scope_doubt", "The book's doubt about what it counts"),
                                  ("notes", "Note")) if row[field]]
    if row["ocr_correction"]:
        parts.append(Markup('<p class="fact-notes"><em>Copy error:</em> {}</p>').format(
            fmt.copy_error(row["ocr_correction"])))
    if not parts:
        return Markup("")
    return Markup('<details class="fact-more"><summary>Notes</summary>{}</details>').format(Markup("").join(parts))


def _role(row: pd.Series) -> Markup:
    """What an anecdote is, said where the figure is listed: it is no statistic (data/README.md, *Anecdotes*)."""
    if row["role"] != ANECDOTE:
        return Markup("")
    return Markup(' · <span class="fact-role">a detail of an example or of what people said, not a statistic'
                  "</span>")


def entry(row: pd.Series) -> Markup:
    """One figure: its value as printed, what it measures, its unit, the source's wording, period and component,
    a button that copies its citation, and its notes folded."""
    return Markup(
        '<li class="fact-entry" id="{id}"><span class="fact-head"><strong>{value}</strong> · {label} · {unit}'
        '{qualifier} · <span class="fact-period">{period}</span> · {component}{role}</span> '
        '<button type="button" class="cite-fact" data-citation="{citation}">Cite this figure</button>{more}</li>'
    ).format(id=row["id"], value=fmt.fact(row["id"], qualifier=False), label=fmt.metric_label(row["metric"]),
             unit=_unit(row["unit"]), qualifier=wording(row), period=fmt.period_text(row),
             component=fmt.component_abbreviation(row["component"]), role=_role(row), citation=fmt.citation(row["id"]),
             more=_more(row))


def _group(rows: pd.DataFrame) -> Markup:
    """The figures one quote prints, then the quote, then where it stands in the source."""
    first = rows.iloc[0]
    return Markup('<div class="quote-group"><ul class="quote-facts">{}</ul><blockquote class="source-quote">{}'
                  '</blockquote><p class="fact-locator">{}</p></div>').format(
        Markup("").join(entry(row) for _, row in rows.iterrows()), first["quote"], fmt.locator_text(first))


def source_facts(source_id: str) -> Markup:
    """Every fact of one source, in source order, grouped by the quote that prints it, with a filter box."""
    data = book()
    source = data.sources[source_id]
    rows = data.with_notes(data.facts_where(source=source_id))
    # one group for each run of figures from one sentence in one place (a sentence printed twice is two places)
    place = (rows["quote"] + "\0" + rows["locator"] + "\0" + rows["page"]).tolist()
    starts = [i for i in range(len(place)) if i == 0 or place[i] != place[i - 1]]
    groups = Markup("").join(_group(rows.iloc[start:end]) for start, end in zip(starts, [*starts[1:], len(place)],
                                                                                  strict=True))
    return Markup(
        '<p class="fact-source-title"><em>{title}</em>, {issuer}, {date}. <a href="sources.html#source-{id}">About '
        'this source</a> · <a href="{index}">all sources</a></p>'
        '<p><label for="fact-filter">Filter these facts: </label><input id="fact-filter" type="search" '
        'placeholder="a word from a quote, a component" aria-describedby="fact-filter-status"> '
        '<span id="fact-filter-status" role="status"></span></p>'
        '<div class="fact-source" data-pagefind-filter="{filter}">{groups}</div>'
    ).format(title=source.title, issuer=source.issuer, date=source.date_printed, id=source_id,
             index=fmt.FACT_INDEX, filter=LISTING_FILTER, groups=groups)


def listed_source(source: str) -> str:
    """The source a page of the fact index lists: the one asked for, or the registry's first."""
    return source or next(iter(book().sources))


def source_title(source_id: str) -> str:
    source = book().sources[source_id]
    return f"Facts: {source.short_name}, {source.date_printed}"


def sources_list() -> Markup:
    """Each source with its count of facts, linked to its page; the list names the sources' ids for the script that
    sends an old address on to a fact's page."""
    data = book()
    items = [Markup('<li><a href="{}">{}</a>, {}: {} facts</li>').format(
        fmt.source_page(source_id), source.short_name, source.date_printed,
        fmt.book_count(len(data.fact_ids_where(source=source_id)), fmt.source_page(source_id)))
        for source_id, source in data.sources.items()]
    return Markup('<ul class="fact-sources" data-sources="{}">{}</ul>').format(" ".join(data.sources),
                                                                              Markup("").join(items))


def fact_search() -> Markup:
    """A search of the facts of every source (Pagefind, over the sources' pages; icebook.js starts it)."""
    return Markup('<link rel="stylesheet" href="../../_pagefind/pagefind-ui.css">'
                  '<script src="../../_pagefind/pagefind-ui.js"></script>'
                  '<div class="fact-search icebook-search"><label for="icebook-search-words" '
                  'class="icebook-search-label">Search the facts of every source: a figure, a word of a quote, a '
                  'component</label>'
                  '<div id="icebook-search" data-bundle="../../_pagefind/" data-filter="{}"></div>'
                  '<p id="icebook-search-offline" hidden>The search reads its index from the site, which a browser '
                  'does not allow for a page opened as a file: serve the site, or open a source\'s page above and '
                  'filter it.</p></div>').format(LISTING_FILTER.split(":", 1)[1])


def derivation(row: pd.Series) -> Markup:
    inputs = Markup(", ").join(Markup("<code>{}</code> = {}").format(name, fmt.fact(ref))
                               for name, ref in sorted(row["inputs"].items()))
    notes = Markup('<p class="fact-notes">{}</p>').format(fmt.prose(row["notes"])) if row["notes"] else ""
    return Markup('<div class="fact-entry derived-entry" id="{id}"><p><strong>{value}</strong> · {label}</p>'
                  '<p>Formula: <code>{formula}</code>, where {inputs}.</p>{notes}</div>').format(
        id=row["id"], value=fmt.derived(row["id"]), label=row["label"], formula=row["formula"], inputs=inputs,
        notes=notes)


def derived_figures() -> Markup:
    return Markup("").join(derivation(row) for _, row in book().derived.iterrows())
