"""The FY2017–FY2020 comparison page's parts: each measure's section (takeaway, table, chart), the coverage
matrix, the page's main messages and the list of every pair it judges. What may be compared is
``comparability.judge``'s decision and is worded by ``verdicts``; this module lays it out."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
from markupsafe import Markup

from icebook.data.comparability import FORMULA, REASONS, Comparison, Line, MeasureJudgement
from icebook.data.figures import Figure, wording_parts
from icebook.data.loader import book
from icebook.data.schema import Measure
from icebook.pages.chart import (
    Chart,
    bar_label,
    one_scale_fits,
    pair_takeaway,
    printed_marks,
    show_chart,
    title_over_panels,
    why_not_a_chart,
)
from icebook.pages.fmt import dated, prose, quoted_note, show, stated_again, table
from icebook.pages.sections import heading
from icebook.pages.verdicts import (
    figure_period,
    figure_ref,
    judgement,
    line_label,
    measure_takeaway,
    mid_sentence,
    reason_name,
    reasons_not,
    short_judgement,
    short_name,
)

NAME_SAYS_IT = 3  # a panel's name says what its series counts unless that text has more words than this beyond it
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


def quoted_wording(words: str) -> Markup:
    """A wording as the source prints it: each part that stands apart in the quote in quotation marks of its own,
    joined by "…"."""
    return Markup(" … ").join(Markup('<q class="source-quote">{}</q>').format(part) for part in wording_parts(words))


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


def _set_against(line: Line, figure: Figure) -> Markup:
    """The rule's answer for every pair in which this figure is the later one, the earlier figure named."""
    mine = [c for c in line.comparisons if c.later is not None and c.later.id == figure.id]
    if not mine:
        single = [c for c in line.comparisons if c.later is None and c.earlier.id == figure.id]
        return short_judgement(single[0]) if single else Markup("the first figure of its line")
    return Markup("; ").join(Markup("against {} ({}): {}").format(
        figure_ref(c.earlier), f"FY {c.earlier.fiscal_year}", short_judgement(c)) for c in mine)


def figures_table(judged: MeasureJudgement) -> Markup:
    """Every figure of a measure's lines, one row each (a figure printed twice links to its second printing), with
    what it counts in its source's words, its period, and the rule's answer against the figures before it."""
    rows = []
    for line in judged.lines:
        for figure in line.figures:
            rows.append({"year": f"FY {figure.fiscal_year}", "source": short_name(figure),
                         "value": figure_ref(figure) + (stated_again(list(figure.printings[1:]), figure.id)
                                                        if not figure.implied else Markup("")),
                         "counts": wording(figure), "period": figure_period(figure),
                         "against": _set_against(line, figure)})
    return table(rows, [("year", "Fiscal year"), ("source", "Source"), ("value", "Figure"),
                        ("counts", "What it counts, in its source's words"), ("period", "Period"),
                        ("against", "Set against the figures before it")])


def _drawable(judged: MeasureJudgement) -> list[tuple[Figure, str]]:
    """The figures a chart draws, each with its panel: those of the pairs the rule compares (stated ones: an
    implied figure is never in one), one panel per line; figures the rule does not compare are never drawn
    together, so a measure none of whose pairs is compared gets its table alone."""
    panels: dict[str, str] = {}
    for comparison in judged.compared:
        for figure in comparison.figures:
            panels.setdefault(figure.id, line_label(judged, comparison))
    figures = [f for line in judged.lines for f in line.figures if f.id in panels]
    ordered = sorted(figures, key=lambda f: (list(dict.fromkeys(panels.values())).index(panels[f.id]),
                                             f.fiscal_year, short_name(f)))
    return [(f, panels[f.id]) for f in ordered]


def _takeaway_for_chart(judged: MeasureJudgement) -> Markup | None:
    """The chart's sentence: the rule's answer for the first pair it draws."""
    return pair_takeaway(judged, judged.compared[0]) if judged.compared else None


def measure_chart(judged: MeasureJudgement, data_table: Markup) -> None:
    """The compared figures as bars, one per fiscal year and source, one panel per line; a table alone where a
    chart would not show them fairly."""
    data = book()
    measure, drawable = judged.measure, _drawable(judged)
    figures = [f for f, _ in drawable]
    years = sorted({f.fiscal_year for f in figures})
    drawn = data.facts_of([f.id for f in figures])
    marks = printed_marks(drawn, [bar_label(f.id, short_name(f)) for f in figures], measure.label)
    names = [panel for _, panel in drawable]
    axes, counted, shared = {}, [], True
    if len(set(names)) > 1:  # one panel per line, headed by its label; what it counts in the notes
        marks["panel"] = names
        axes = {name: f"{name} ({measure.unit})" for name in names}
        counts = {s.metric: s.counts for s in measure.series}
        counted = [f"{data.metric(m).label}: {counts[m]}." for m in dict.fromkeys(f.metric for f in figures)
                   if len(_words(counts[m]) - _words(data.metric(m).label)) > NAME_SAYS_IT]
        shared = one_scale_fits(marks)
    unfit = why_not_a_chart(marks)
    if unfit is not None:
        show(data_table)
        show(Markup('<p class="caveat">Shown as a table, not a chart: {}.</p>').format(unfit))
        return
    over = title_over_panels(measure.label, names)
    show_chart(Chart(
        title=f"{over}, FY {years[0]} to FY {years[-1]}, as "
              + ("the sources report them" if over == measure.label else "each source words it"),
        subtitle=re.split(r"(?<=[a-z]{2}\.)\s+(?=[A-Z])", measure.definition)[0],
        description=Markup("Horizontal bars from zero, one per fiscal year and source, earliest first, each "
                           "labelled with the figure as the source words it{}.").format(
            Markup("; one panel per line of figures, {}").format("on one scale" if shared else
                                                                   "each on its own scale")
            if "panel" in marks else ""),
        marks=marks, sources=sorted(set(drawn["source"])), axis=f"{measure.label} ({measure.unit})",
        data_table=data_table, takeaway=_takeaway_for_chart(judged), panel_axes=axes, shared_scale=shared,
        notes=counted))


def _words(text: str) -> set[str]:
    """The words of a text, lower case, without punctuation or a possessive "'s"."""
    return {re.sub(r"'s$", "", w) for w in re.findall(r"[a-z0-9/'-]+", text.lower())}


def measure_section(judged: MeasureJudgement, fiscal_years: list[int]) -> None:
    """A measure's section: its heading, the rule's answer for it, its definition, its figures (the compared ones as
    a chart with the table of them all, or the table alone), what the chart leaves out, and its notes."""
    measure = judged.measure
    heading(measure.label, measure_anchor(measure))
    if not any(line.figures for line in judged.lines):
        show(Markup('<p>{}</p><p>No source reports this measure for the fiscal years shown.</p>').format(
            measure.definition))
        return
    show(Markup('<p class="takeaway">{}</p><p>{}</p>').format(measure_takeaway(judged), measure.definition))
    data_table = figures_table(judged)
    drawn = {f.id for f, _ in _drawable(judged)}
    if not drawn:
        show(data_table)
    else:
        measure_chart(judged, data_table)
        left = [f for line in judged.lines for f in line.figures if f.id not in drawn]
        if left:
            show(Markup('<p class="caveat">In the table only, not drawn: {}.</p>').format(Markup("; ").join(
                Markup("{} ({}, FY {})").format(figure_ref(f), short_name(f), f.fiscal_year) for f in left)))
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


