"""The readers' methods page, on the model of the ONS's Quality and Methodology Information: what a fiscal year
is, traced to a source that gives its dates; the comparability rules as one table made from the rule itself, each
with the number of pairs it decides; the measures that cannot be trended, and why; and what the book's words for
its figures mean."""

from __future__ import annotations

from markupsafe import Markup

from icebook.data.comparability import MeasureJudgement
from icebook.data.figures import fiscal_year_span
from icebook.pages.fmt import fact, table
from icebook.pages.verdicts import counted_rules, measure_takeaway, reasons_not

# The passages that state a fiscal year's dates: a span of fiscal years given beside the dates it runs between.
FISCAL_YEAR_FACTS = ("oig2013-r1-detainers-declined-fy2014-2019", "oig2013-r1-declined-detainers-restated")


def fiscal_year(data) -> Markup:
    """The federal fiscal year, as OIG-20-13's own passages date one span of years: the declined detainers "from
    FY 2014 through FY 2019" are those "between October 1, 2013 and September 30, 2019"."""
    quotes = [data.fact(i) for i in FISCAL_YEAR_FACTS if data.has_fact(i)]
    if len(quotes) < len(FISCAL_YEAR_FACTS):
        return Markup("")
    first, last = fiscal_year_span(2014)[0], fiscal_year_span(2019)[1]
    return Markup(
        "<p>A federal fiscal year runs from October 1 to September 30 and is named for the calendar year it ends "
        "in: FY 2014 ran from {} to September 30, 2014, and FY 2019 ended on {}. OIG-20-13 gives one span both "
        "ways. It counts {} declined detainers “from FY 2014 through FY 2019” in one passage:</p>"
        '<blockquote class="source-quote">{}</blockquote>'
        "<p>and dates the same {} declined detainers in another:</p>"
        '<blockquote class="source-quote">{}</blockquote>'
        "<p>The report dates a second span otherwise: its total of detainers issued runs from October 1, 2014, a "
        'year later than FY 2014 began (<a href="checking.html#register-detainer-period">the register sets the two '
        "passages side by side</a>).</p>").format(
            _date(first), _date(last), fact(quotes[0].name), quotes[0]["quote"], fact(quotes[1].name),
            quotes[1]["quote"])


def _date(day) -> str:
    return f"{day:%B} {day.day}, {day.year}"


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
