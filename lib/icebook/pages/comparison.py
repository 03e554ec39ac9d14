"""The FY2017–FY2020 comparison page's parts: each measure's section (takeaway, table, chart), the coverage
matrix, the page's main messages and the list of every pair it judges. What may be compared is
``comparability.judge``'s decision and is worded by ``verdicts``; this module lays it out."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from markupsafe import Markup

from icebook.data.comparability import FORMULA, REASONS, Comparison, Line, MeasureJudgement
from icebook.data.figures import Figure
from icebook.data.loader import book
from icebook.data.schema import Measure
from icebook.pages.chart import figure as chart_figure
from icebook.pages.fmt import dated, prose, quoted_note, show, stated_again, table
from icebook.pages.measurechart import line_chart, quoted_wording
from icebook.pages.sections import heading
from icebook.pages.verdicts import (
    figure_period,
    figure_ref,
    judgement,
    line_label,
    mid_sentence,
    reason_name,
    reasons_not,
    short_judgement,
    short_name,
)

COMPARISONS = "comparisons"  # the anchor of the page's list of every pair it judges


def measure_anchor(measure: Measure) -> str:
    return "measure-" + measure.id.replace("_", "-")


def measure_link(measure: Measure, page: str = "comparison.html") -> Markup:
    """A measure named inside a sentence, linked to its section of the comparison page."""
    return Markup('<a href="{}#{}">{}</a>').format(page, measure_anchor(measure), mid_sentence(measure.label))


def coverage_table(coverage: pd.DataFrame) -> Markup:
    """The coverage matrix, a frame of measures by fiscal year whose cells name the sources (the chapter makes it
    with pandas), as a table."""
    rows = [{"measure": measure, **{str(y): cell for y, cell in row.items()}} for measure, row in coverage.iterrows()]
    return table(rows, [("measure", "Measure")] + [(str(y), f"FY {y}") for y in coverage.columns],
                 caption="Which source reports each measure for each fiscal year")


def wording(figure: Figure) -> Markup:
    """What a figure counts, in its source's words, each wording quoted; an implied figure says so; the book's
    doubt, if it declares one, follows as its reading."""
    words = Markup(" and ").join(quoted_wording(w) for w in dict.fromkeys(w.words for w in figure.wordings))
    label = book().metric(figure.metric).label
    said = Markup("{}: {}").format(label, words)
    if figure.implied:
        said += Markup(" (implied by the book from the quoted figures, not stated)")
    if figure.doubt:
        said += Markup(' <span class="our-reading">Our reading: {}</span>').format(prose(figure.doubt))
    return said


def _set_against(line: Line, figure: Figure, href: str = "") -> Markup:
    """The rule's answer for every pair in which this figure is the later one, the earlier figure named."""
    mine = [c for c in line.comparisons if c.later is not None and c.later.id == figure.id]
    if not mine:
        single = [c for c in line.comparisons if c.later is None and c.earlier.id == figure.id]
        return short_judgement(single[0], href) if single else Markup("the first figure of its line")
    return Markup("; ").join(Markup("against {} ({}): {}").format(
        figure_ref(c.earlier), f"FY {c.earlier.fiscal_year}", short_judgement(c, href)) for c in mine)


def figures_table(judged: MeasureJudgement, lines: Iterable[Line] | None = None, href: str = "") -> Markup:
    """Every figure of a measure's lines (or of ``lines``), one row each (a figure printed twice links to its second
    printing), with what it counts in its source's words, its period, and the rule's answer against the figures
    before it (``href``: where a change's working is shown; by default this page's list of comparisons)."""
    rows = []
    for line in judged.lines if lines is None else lines:
        for figure in line.figures:
            rows.append({"year": f"FY {figure.fiscal_year}", "source": short_name(figure),
                         "value": figure_ref(figure) + (stated_again(list(figure.printings[1:]), figure.id)
                                                        if not figure.implied else Markup("")),
                         "counts": wording(figure), "period": figure_period(figure),
                         "against": _set_against(line, figure, href)})
    return table(rows, [("year", "Fiscal year"), ("source", "Source"), ("value", "Figure"),
                        ("counts", "What it counts, in its source's words"), ("period", "Period"),
                        ("against", "Set against the figures before it")])


def measure_charts(judged: MeasureJudgement, href: str = "") -> Markup:
    """Every line of a measure, each its own figure (``measurechart``): a chart of the figures the rule compares,
    on one scale, and stat lines for the others with the rule's reason; each with the table of its figures."""
    return Markup("").join(chart_figure(line_chart(judged, line, figures_table(judged, [line], href), href))
                           for line in judged.lines if line.figures)


def measure_section(judged: MeasureJudgement, fiscal_years: list[int]) -> None:
    """A measure's section: its heading, its definition, each line's figures (the compared ones as a chart titled
    with the rule's answer, the others as stat lines with the rule's reason, and the table of them all), and its
    notes."""
    measure = judged.measure
    heading(measure.label, measure_anchor(measure))
    if not any(line.figures for line in judged.lines):
        show(Markup('<p>{}</p><p>No source reports this measure for the fiscal years shown.</p>').format(
            measure.definition))
        return
    show(Markup("<p>{}</p>").format(measure.definition))
    show(measure_charts(judged))
    if measure.notes:
        show(Markup('<p class="caveat">{}</p>').format(quoted_note(dated(measure.notes, fiscal_years))))


def years_shown(fiscal_years: list[int], baseline_year: int | None) -> Markup:
    """Which years the page shows, and which figures it sets against which."""
    return Markup("<p>This page shows fiscal years {}: each figure is set against those of the year before it in its "
                  "line{}.</p>").format(", ".join(f"FY {y}" for y in fiscal_years), Markup(
                      ", and the figures of FY {} against every later one").format(baseline_year)
                      if baseline_year in fiscal_years else "")


def comparisons_table(judgements: Iterable[MeasureJudgement]) -> Markup:
    """Every pair the page judges, each with its anchor (``change-<earlier>-<later>``), what each figure counts,
    the verdict with its change, and the reason in full; the formula of a change heads it."""
    rows = []
    for judged in judgements:
        for comparison in judged.comparisons:
            rows.append({"pair": Markup('<span id="{}">{}</span>').format(comparison.id, _pair(comparison)),
                         "measure": judged.measure.label, "verdict": short_judgement(comparison),
                         "reason": judgement(comparison)})
    return table(rows, [("pair", "Figures"), ("measure", "Measure"), ("verdict", "Verdict and change"),
                        ("reason", "The rule's answer, with its reason")],
                 caption=Markup("A change is <code>{}</code>").format(FORMULA))


def _pair(comparison: Comparison) -> Markup:
    return Markup(" against ").join(Markup("{} ({}, {})").format(figure_ref(f), short_name(f), figure_period(f))
                                    for f in comparison.figures)


def main_messages(judgements: list[MeasureJudgement]) -> list[Markup]:
    """The page's opening messages: the pairs compared, and their verdicts; the measures whose figures are not
    compared, by the reason; and that a change between two documents is not a trend."""
    messages = []
    compared = [(j, c) for j in judgements for c in j.compared]
    if compared:
        messages.append(Markup("Pairs the book compares: {}.").format(Markup("; ").join(
            Markup('<a href="#{}">{}</a> ({} against {}: {})').format(
                measure_anchor(j.measure), mid_sentence(line_label(j, c)), figure_ref(c.later), figure_ref(c.earlier),
                short_judgement(c)) for j, c in compared)))
    grouped = reasons_not(judgements)
    if grouped:
        messages.append(Markup("Measures none of whose pairs the book compares, by the reason: {}.").format(
            Markup("; ").join(
            Markup("{} ({})").format(Markup(", ").join(measure_link(j.measure) for j in measures),
                                     reason_name(REASONS[code]))
            for code, measures in grouped.items())))
    messages.append(Markup("Each comparison sets two figures from different documents side by side, most of them "
                           "ICE's and DHS's own statements: it is not a trend."))
    return messages


