"""The words around a chart, made from the data: its source line, its notes, its bars' labels and its sentences.

A chart's own notes (its caveats, partial years, a figure the book reads as rounded, panels on their own scales)
stay under it; what holds for every chart alike (a source's figures are self-reported, a misprint is drawn at the
number meant) is a page note, which the build says once a page (:mod:`icebook.pages.chartkey`).
"""

from __future__ import annotations

from markupsafe import Markup

from icebook.data.loader import book
from icebook.pages.fmt import fact, period_text

SOURCES_PAGE = "sources.html"


def source_line(source_ids: list[str], where: str = "") -> str:
    """ "Source: " and each document with its issuer, number and date, from the source registry, then where in it
    (the picture's, which stands on its own)."""
    sources = book().sources
    named = [", ".join(part for part in (sources[s].title, sources[s].issuer, sources[s].document_number,
                                         sources[s].date_printed) if part) for s in source_ids]
    return "Source: " + "; ".join(named) + (f"; {where}" if where else "") + "."


def short_source_line(source_ids: list[str], where: str = "") -> Markup:
    """ "Source: " and each document's short name, linked to its entry on the Sources page, which gives its title,
    issuer and date (the page's line: the picture's gives them all)."""
    sources = book().sources
    named = [Markup('<a href="{}#source-{}">{}</a>').format(SOURCES_PAGE, s, sources[s].short_name)
             for s in source_ids]
    return Markup("Source: {}{}.").format(Markup("; ").join(named), f", {where}" if where else "")


def _period(text: str) -> Markup:
    """A period in the source's words, marked as such (a day of the month is not a figure)."""
    return Markup('<span class="fact-period">{}</span>').format(text)


def note_lines(given: list[str], drawn, own_scales: bool = False) -> list[str | Markup]:
    """What a reader must know to read this chart's marks, and no other's: the ``given`` notes, then what the drawn
    figures (``drawn``, their rows) say of themselves that the bars cannot (a part of a year, a round figure the
    book reads as rounded), and that the panels have their own scales (``own_scales``)."""
    notes = list(given)
    partial = sorted({period_text(row) for _, row in drawn[drawn["period_type"] == "partial_fiscal_year"].iterrows()})
    if partial:
        notes.append(Markup("Part of a fiscal year only: {}.").format(Markup("; ").join(_period(p) for p in partial)))
    round_figures = list(drawn.index[drawn["qualifier"] == "rounded"])
    if round_figures:
        one = len(round_figures) == 1
        notes.append(Markup("Our reading: {} {} the source prints without a qualifier word, so the book reads {} as "
                            "rounded, not exact.").format(
            Markup(", ").join(fact(f, qualifier=False) for f in round_figures),
            "is a round figure" if one else "are round figures", "it" if one else "them"))
    if own_scales:
        notes.append("Each panel has its own scale: compare bars within a panel, not across panels.")
    return notes


def page_notes(drawn) -> dict[str, str]:
    """What holds for the drawn facts (their rows) as for any other chart's: whose figures are self-reported, who
    rounds to the hundred, that a misprint is drawn at the number meant. By a key naming what each is of, so the
    build can say each once a page."""
    sources = book().sources
    notes = {}
    for source_id in sorted(set(drawn["source"])):
        source = sources[source_id]
        if source.self_reported:
            notes[f"self-reported:{source_id}"] = (f"Self-reported: the figures of the {source.short_name} "
                                                   f"({source.title}) are {source.speaker}'s own; it does not say "
                                                   "they were audited.")
        if (drawn.loc[drawn["source"] == source_id, "qualifier"] == "rounded_hundred").any():
            notes[f"rounded-hundred:{source_id}"] = (f"{source.short_name} rounds its counts to the nearest hundred: "
                                                     "they are drawn with a tilde, and their tooltips say so.")
    if drawn["ocr_correction"].astype(bool).any():
        notes["ocr"] = ("A figure the copy misprints is drawn at the number the source meant; its entry in the fact "
                        "index says what the copy prints.")
    return notes


PARTIAL = "partial year"  # how a bar's label and a chart's sentence mark part of a fiscal year


def bar_label(fact_id: str, source_name: str) -> str:
    """A bar's label: the fiscal year and source, with everything the fact says of its period, so that a part of
    a year never reads as a whole one ("FY 2018 to August 20, 2018 (partial year), DHS page") and a period the
    source does not state is not shown as stated, and reads as on every other page ("period not stated; read as of
    August 20, 2018, DHS page": ``fmt.period_text``)."""
    row = book().fact(fact_id)
    if row["period_basis"] == "inferred":
        return f"{period_text(row)}, {source_name}"
    year = f"FY {int(row['as_of_fiscal_year'])}"
    if row["period_type"] == "partial_fiscal_year":
        year = f"{row['period'] or year} ({PARTIAL})"
    return f"{year}, {source_name}"


