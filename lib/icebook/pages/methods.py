"""The readers' methods page, on the model of the ONS's Quality and Methodology Information: what a fiscal year
is, traced to a source that gives its dates; the comparability rules as one table made from the rule itself, each
with the number of pairs it decides; the measures that cannot be trended, and why; and what the book's words for
its figures mean."""

from __future__ import annotations

import re

import pandas as pd
from markupsafe import Markup

from icebook.data.comparability import MeasureJudgement
from icebook.data.figures import MONTH_DAY_YEAR, date_printed, fiscal_year_span
from icebook.pages.fmt import fact, table
from icebook.pages.verdicts import counted_rules, measure_takeaway, reasons_not

SPAN = re.compile(r"FY (\d{4})\s*(?:–|-|to|through)\s*FY (\d{4})")
DATED = re.compile(rf"between ({MONTH_DAY_YEAR}) and ({MONTH_DAY_YEAR})")


def fiscal_year_evidence(data) -> tuple[pd.Series, pd.Series, int, int] | None:
    """Two passages of one source that give one span of fiscal years both ways: a figure the data dates "FY A–FY B"
    whose quote says "between <date> and <date>", the dates being the first day of FY A and the last of FY B, and
    the same figure in a passage that gives it for the span of years; with the span's first and last year."""
    spans = data.facts_where(period_type="multi_year")
    for _, row in spans.iterrows():
        span, dated = SPAN.search(row["period"]), DATED.search(" ".join(row["quote"].split()))
        if not (span and dated):
            continue
        first, last = int(span[1]), int(span[2])
        if (date_printed(dated[1]), date_printed(dated[2])) != (fiscal_year_span(first)[0], fiscal_year_span(last)[1]):
            continue
        same = spans[(spans["source"] == row["source"]) & (spans["value"] == row["value"])
                     & (spans.index != row.name) & ~spans["quote"].str.contains("between", regex=False)]
        if not same.empty:
            return same.iloc[0], row, first, last
    return None


def fiscal_year(data) -> Markup:
    """The federal fiscal year, as one source's own passages date one span of years (OIG-20-13's declined
    detainers "during these 6 years", FY 2014 to FY 2019, are those "between October 1, 2013 and September 30,
    2019")."""
    found = fiscal_year_evidence(data)
    if found is None:
        return Markup("<p>A federal fiscal year runs from October 1 to September 30 and is named for the calendar "
                      "year it ends in.</p>")
    spanned, dated, first, last = found
    source = data.sources[dated["source"]]
    return Markup(
        "<p>A federal fiscal year runs from October 1 to September 30 and is named for the calendar year it ends "
        "in: FY {} ran from {} to {}, and FY {} ended on {}. {} gives one span both ways. It counts {} for FY {} "
        "to FY {} in one passage:</p>"
        '<blockquote class="source-quote">{}</blockquote>'
        "<p>and dates the same figure in another:</p>"
        '<blockquote class="source-quote">{}</blockquote>'
        '<p>Where a source dates a span otherwise, <a href="checking.html#register">the register</a> says so.</p>'
        ).format(first, _date(fiscal_year_span(first)[0]), _date(fiscal_year_span(first)[1]), last,
                 _date(fiscal_year_span(last)[1]), source.document_number or source.short_name, fact(spanned.name),
                 first, last, spanned["quote"], dated["quote"])


def rules_table(judged: list[MeasureJudgement]) -> Markup:
    """The comparability rule's closed list: each verdict and reason, the rule in words, and how many of the
    comparison page's pairs it decides, in the order the rule tries them."""
    return table(counted_rules(judged, "comparison.html#comparisons"),
                 [("verdict", "Verdict"), ("reason", "Reason"), ("rule", "The rule"),
                  ("pairs", "Pairs it decides on the comparison page")],
                 caption="The comparability rule, tried in this order for every pair; the first reason that "
                         "applies is the pair's")


def not_trended(judged: list[MeasureJudgement]) -> Markup:
    """Each measure whose figures cannot be trended from these documents, with the rule's answer in full for the
    pair that shows why."""
    apart = {j.measure.id for measures in reasons_not(judged).values() for j in measures}
    items = [Markup("<li><strong>{}.</strong> {}</li>").format(j.measure.label, measure_takeaway(
        j, "comparison.html#comparisons")) for j in judged if j.measure.id in apart]
    return Markup('<ul class="not-trended">{}</ul>').format(Markup("").join(items))


def _date(day) -> str:
    return f"{day:%B} {day.day}, {day.year}"
