"""A measure's figures as the comparability rule judges them: the figures it compares drawn on one scale in one
chart, each line of the measure apart, and the figures it does not compare said in stat lines with its reason.

Each line of a measure (``comparability.judge_measure``: its main series, and a part of it that has a line of its
own, as MS-13 criminal arrests within gang arrests) is one figure. Its title is a takeaway made from the rule's
verdict (``charttitles``); the figures of the line's compared pairs are its bars, on one scale; every other figure
of the line is a stat line followed by the rule's verdict and reasons (by name from the closed list, then, one
click away, in the rule's words, through ``verdicts``). A line the rule compares nowhere is stat lines only: two
figures not compared are never drawn on one axis, nor in panels stacked one above the other.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from icebook.data.comparability import Comparison, Line, MeasureJudgement, Verdict
from icebook.data.figures import Figure, wording_parts
from icebook.data.loader import book
from icebook.pages.chart import Chart
from icebook.pages.charttitles import change_title, descriptive, no_change_title, title_problems
from icebook.pages.chartwords import bar_label
from icebook.pages.fmt import fact_text, plain
from icebook.pages.verdicts import judgement, line_label, reason, reason_name, short_name, verdict_badge

UNIT_WORDS = {"usd": "US dollars"}  # a unit as an axis names it, where its code is not a word
DESCRIPTION = ("Horizontal bars from zero on one scale, one per figure the book compares, earliest first, each "
               "labelled with the figure as its source words it; figures it does not compare are listed, not drawn.")


def quoted_wording(words: str) -> Markup:
    """A wording as the source prints it: each part that stands apart in the quote in quotation marks of its own,
    joined by "…"."""
    return Markup(" … ").join(Markup('<q class="source-quote">{}</q>').format(part) for part in wording_parts(words))


def chart_label(judged: MeasureJudgement, line: Line) -> str:
    """What a line counts, as its chart's title names it (``verdicts.line_label`` of its first pair)."""
    return line_label(judged, (line.compared or list(line.comparisons))[0])


def _bar(figure: Figure) -> str:
    return f"FY {figure.fiscal_year}, implied by the book" if figure.implied else bar_label(figure.id,
                                                                                         short_name(figure))


def _apart(line: Line, drawn: set[str]) -> Markup:
    """Why the rule compares the line's other figures with nothing: the verdict and its reasons by name from the
    closed list, then, one click away, each pair's reason in the rule's words (the sources' wordings quoted)."""
    shown = [c for c in line.comparisons if not c.compared and not {f.id for f in c.figures} <= drawn]
    names = Markup("; ").join(reason_name(r) for r in dict.fromkeys(c.reason for c in shown))
    words = Markup(" ").join(dict.fromkeys(Markup("{}.").format(reason(c)) for c in shown))
    return Markup('<span class="stat-why">The book\'s verdict: {} ({}).</span> <details class="stat-words">'
                  "<summary>Why, in the sources' words</summary><p>{}</p></details>").format(
        verdict_badge(Verdict.NOT), names, words)


def _what(figure: Figure) -> Markup:
    """What a figure counts in its source's own words (each wording it prints, quoted), else its metric's label."""
    words = list(dict.fromkeys(w.words for w in figure.wordings))
    if not words:
        return Markup.escape(book().metric(figure.metric).label)
    return Markup(" and ").join(quoted_wording(w) for w in words)


def _takeaway(comparisons: list[Comparison], href: str) -> Markup:
    """The rule's whole answer for each compared pair: its years, verdict, change and reason."""
    return Markup(" ").join(
        Markup("From FY {} to FY {}, the book's verdict: {}.").format(
            c.earlier.fiscal_year, c.later.fiscal_year, judgement(c, href)) for c in comparisons)


def line_chart(judged: MeasureJudgement, line: Line, data_table: Markup, href: str = "") -> Chart:
    """The chart of one line of a measure: its compared figures drawn on one scale, the others said apart with the
    rule's reason (``href``: where its changes' working is shown; by default this page's list of comparisons)."""
    measure, compared = judged.measure, line.compared
    label = chart_label(judged, line)
    drawn = {f.id for c in compared for f in c.figures}
    apart = _apart(line, drawn)
    marks = pd.DataFrame([{"bar": _bar(f), "value": float(f.value),
                           "printed": plain(f"{{{{{f.id}}}}}") if f.implied else fact_text(f.id), "fact": f.id,
                           "counts": measure.label, "what": _what(f), "apart": "" if f.id in drawn else apart}
                          for f in line.figures])
    title = change_title(compared[-1], label, measure.unit, href) if compared else no_change_title(
        label, list(dict.fromkeys(c.reason for c in line.comparisons)))
    if problems := title_problems(title, [c.direction for c in compared]):
        raise ValueError(f"measure {measure.id}: {'; '.join(problems)}")
    years = sorted({f.fiscal_year for f in line.figures})
    return Chart(title=title, subtitle=descriptive(label, years), description=DESCRIPTION, marks=marks,
                 sources=sorted({f.source for f in line.figures}),
                 axis=f"{label} ({UNIT_WORDS.get(measure.unit, measure.unit)})", data_table=data_table,
                 takeaway=_takeaway(compared, href) if compared else None,
                 directions=tuple(c.direction or "open" for c in compared))
