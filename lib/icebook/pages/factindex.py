"""The fact index's HTML: the list of sources with the filter box, each fact's entry (the number as printed,
its unit, wording, period and component, the quote and where it stands, its notes and a button that copies a
citation) and each derived figure's entry (its formula and inputs)."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from icebook.data.loader import Book
from icebook.data.schema import Source
from icebook.pages.fmt import (
    QUALIFIER_NOTES,
    QUALIFIER_WORDS,
    citation,
    component_abbreviation,
    copy_error,
    derived,
    fact,
    period_text,
    prose,
)

UNIT_WORDS = {"usd": "U.S. dollars"}  # every other unit in the vocabulary is a plain word already
NOTE_FIELDS = (("scope_deviation", "Worded differently"), ("scope_doubt", "Scope in doubt"), ("notes", "Note"))


def sources_nav(data: Book) -> Markup:
    """Links to each source's facts, and the box that filters the list by a word."""
    sources_list = Markup(" · ").join(Markup('<a href="#facts-{}">{}</a>').format(sid, s.short_name)
                                       for sid, s in data.sources.items())
    return Markup('<nav class="fact-sources" aria-label="Facts by source"><p>Facts by source: {}</p></nav>'
                  '<p><label for="fact-filter">Filter facts: </label>'
                  '<input id="fact-filter" type="search" placeholder="a word from a quote, a component" '
                  'aria-describedby="fact-filter-status"> <span id="fact-filter-status" role="status"></span></p>'
                  ).format(sources_list)


def wording(row: pd.Series) -> str:
    """How the source words the figure: its own qualifier word, the rounding it states, or "as printed"."""
    return (row["source_qualifier"] or QUALIFIER_WORDS.get(row["qualifier"]) or QUALIFIER_NOTES.get(row["qualifier"])
            or "as printed")


def fact_entry(source: Source, row: pd.Series) -> Markup:
    """One fact's entry; ``row`` must carry its notes (``Book.with_notes``)."""
    page = Markup(", page {}").format(row["page"]) if row["page"] else ""
    extra = Markup("")
    for field, title in NOTE_FIELDS:
        if row[field]:
            extra += Markup('<p class="fact-notes"><em>{}:</em> {}</p>').format(title, prose(row[field]))
    if row["ocr_correction"]:
        extra += Markup('<p class="fact-notes"><em>Copy error:</em> {}</p>').format(copy_error(row["ocr_correction"]))
    return Markup(
        '<div class="fact-entry" id="{id}"><p><strong>{value}</strong> · {unit} · {qualifier} · '
        '<span class="fact-period">{period}</span> · {component} '
        '<button type="button" class="cite-fact" data-citation="{citation}">Cite this figure</button></p>'
        '<blockquote class="source-quote">{quote}</blockquote>'
        '<p class="fact-locator">{title}, {date}, {locator}{page}</p>{extra}</div>'
    ).format(id=row["id"], value=fact(row["id"], qualifier=False), unit=UNIT_WORDS.get(row["unit"], row["unit"]),
             qualifier=wording(row), period=period_text(row), component=component_abbreviation(row["component"]),
             quote=row["quote"], title=source.title, date=source.date_printed, locator=row["locator"],
             page=page, extra=extra, citation=citation(row["id"]))


def source_facts(source: Source, rows: pd.DataFrame) -> Markup:
    """A source's facts, under its title."""
    return Markup('<div class="fact-source"><p><em>{}</em></p>{}</div>').format(
        source.title, Markup("").join(fact_entry(source, row) for _, row in rows.iterrows()))


def derivation(row: pd.Series) -> Markup:
    """One derived figure's entry: its value, label, formula and inputs (each a link to its fact)."""
    inputs = Markup(", ").join(Markup("<code>{}</code> = {}").format(name, fact(ref))
                               for name, ref in sorted(row["inputs"].items()))
    notes = Markup('<p class="fact-notes">{}</p>').format(prose(row["notes"])) if row["notes"] else ""
    return Markup('<div class="fact-entry" id="{id}"><p><strong>{value}</strong> · {label}'
                  '</p><p>Formula: <code>{formula}</code>, where {inputs}.</p>{notes}</div>'
                  ).format(id=row["id"], value=derived(row["id"]), label=row["label"], formula=row["formula"],
                           inputs=inputs, notes=notes)


def derivations(rows: pd.DataFrame) -> Markup:
    """The derived figures' entries, in the order of ``rows``."""
    return Markup("").join(derivation(row) for _, row in rows.iterrows())
