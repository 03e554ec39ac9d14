"""The book's one comparability rule: whether two figures may be compared, and the one reason why.

``judge(a, b)`` takes any two figures a page may set side by side (``figures.Figure``) and returns a
:class:`Comparison`: a verdict (compared exactly; compared as a bound; compared with a stated caveat; not
compared), one reason from the closed list ``REASONS``, the reason for this pair in words (``because``, figures
as ``{{fact-id}}``), and the change where one is computed. Every page takes its verdicts and reasons from here:
key findings, main messages, tables, chart titles, the home page's limits and the methods page.

The reasons are tried in the order of ``REASONS``; the first that applies is the pair's reason. What a figure
counts comes first (its source's own words), then when (a period the book only inferred), then what the figure
is (implied by the book, not stated), then what the qualifiers allow, then the book's declared doubt. A pair that
passes all of these is compared, with a caveat for a partial year or a figure its source words two ways, as a
bound for a "more than" or "almost" figure, approximately for a rounded one, and otherwise exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from icebook.data.derive import ROUNDED, TRUE_AT_LEAST, TRUE_AT_MOST, carried_precision, displayed
from icebook.data.figures import Figure, fact_figure, implied_figure, months_text, printings, source_named
from icebook.data.schema import Measure

if TYPE_CHECKING:
    from icebook.data.loader import Book

FORMULA = "(later − base) ÷ base × 100"  # what a change is, as the page shows it
_FORMULA = "(later - base) / base * 100"  # the same, as the data module evaluates it
RANGE_END = {"range_low", "range_high"}
QUALIFIER_WORDS = {"more_than": "more than", "at_least": "at least", "nearly": "almost", "up_to": "up to",
                   "less_than": "less than", "about": "about", "rounded_hundred": "rounded to the nearest hundred",
                   "rounded": "a round figure", "rounded_unit": "a whole-number percentage",
                   "range_low": "the low end of a range", "range_high": "the high end of a range"}


class Verdict(StrEnum):
    EXACT = "compared exactly"
    BOUND = "compared as a bound"
    CAVEAT = "compared with a stated caveat"
    NOT = "not compared"


@dataclass(frozen=True)
class Reason:
    """One reason of the closed list: its verdict, its short name (as lists and badges say it) and the rule."""

    code: str
    verdict: Verdict
    name: str
    rule: str


REASONS: dict[str, Reason] = {r.code: r for r in (
    Reason("no_second_year", Verdict.NOT, "no second year",
           "A change needs figures of two fiscal years; a figure with no other year beside it is set against "
           "nothing."),
    Reason("scope_words_differ", Verdict.NOT, "the scope words differ",
           "Two figures are compared only when their sources use the same words for what they count, quoted from "
           "each, verbs included: what was done to what is counted (“secured” or “obtained” removal orders, "
           "“placed” or “issued” detainers, “assisted” or “rescued” victims) is part of what is counted. Case, "
           "punctuation, word order, a word's grammatical form (“arrested”, “arrests”) and the words “of”, “the”, "
           "“a” and “an” aside, the words must be the same; two different verbs count as one act only where the "
           "data declares them synonyms, each pair with a passage of a source that uses both for that act. Where "
           "no wording of one matches a wording of the other, no change is computed."),
    Reason("inferred_period", Verdict.NOT, "a period the book inferred",
           "A figure whose source states no period is placed in a year by the book's reading only; no change is "
           "computed from it."),
    Reason("implied_figure", Verdict.NOT, "an implied figure",
           "A figure the book implies from a stated share or change is the book's arithmetic on rounded or "
           "ambiguous words, not a figure a source states: it is shown, marked implied, and never enters a "
           "change."),
    Reason("open_bounds", Verdict.NOT, "qualifiers that bound the change both ways",
           "When the two figures' qualifiers push the change in opposite directions (both “more than”, or one the "
           "end of a range), the true change could be larger or smaller than computed, so none is stated."),
    Reason("zero_base", Verdict.NOT, "an earlier figure of zero",
           "A percentage change from zero does not exist."),
    Reason("book_exception", Verdict.NOT, "the book doubts what a figure counts",
           "Where the book doubts what a figure counts although the words agree, the data declares the doubt "
           "(a fact's scope_doubt), the page shows it, and the figure is compared with nothing."),
    Reason("partial_period", Verdict.CAVEAT, "a partial year",
           "A figure for part of a fiscal year is compared with a whole year's only with the part of the year its "
           "dates cover stated beside the change."),
    Reason("two_wordings", Verdict.CAVEAT, "a figure its source words two ways",
           "Where a source words one figure two ways and only one wording matches the other figure's, the pair is "
           "compared, and both wordings are quoted beside the change."),
    Reason("qualifier_bound", Verdict.BOUND, "a bound",
           "A “more than” or “almost” figure makes the change a bound, shown as “at most” or “at least” to the "
           "whole percent, rounded outward so that it stays true."),
    Reason("rounded_by_source", Verdict.CAVEAT, "figures rounded by their source",
           "A figure its source rounds (“about”, to the nearest hundred, a whole-number percentage), or a bound "
           "beside a rounded figure, makes the change approximate: “about”. From rounded figures it is worked out "
           "at both ends of what their rounding allows (a figure rounded to the nearest hundred may lie half a "
           "hundred either side of it) and "
           "shown only to the digits that range supports: one decimal where half the range is within a tenth, "
           "the whole percent where it is within one."),
    Reason("exact", Verdict.EXACT, "exact figures",
           "Two exact figures, worded the same and each for a whole fiscal year, give an exact change, shown to "
           "one decimal."),
)}


@dataclass(frozen=True)
class Change:
    """A computed change in percent: as computed from the printed values, as shown, and its bound word."""

    value: float
    shown: float
    decimals: int
    bound: str  # "" (exact), "about", "at most" or "at least"

    @property
    def direction(self) -> str | None:
        """"rise" or "fall" where the figures establish it, else None: "at most +166%" does not establish a
        rise (the true change may be smaller, even a fall); "at least +40%" does."""
        if self.bound == "at most":
            return "fall" if self.shown < 0 else None
        if self.bound == "at least":
            return "rise" if self.shown > 0 else None
        return "rise" if self.shown > 0 else "fall" if self.shown < 0 else None


@dataclass(frozen=True)
class Comparison:
    """The rule's answer for two figures (or for one figure set against nothing)."""

    earlier: Figure
    later: Figure | None
    reason: Reason
    because: str  # this pair's reason in the book's words, figures as {{fact-id}}, the sources' words in “ ”
    change: Change | None = None
    also: tuple[Reason, ...] = ()  # the other reasons of the closed list that apply to the pair

    @property
    def verdict(self) -> Verdict:
        return self.reason.verdict

    @property
    def compared(self) -> bool:
        return self.verdict is not Verdict.NOT

    @property
    def id(self) -> str:
        """The anchor a page gives this pair ("change-<earlier>-<later>"), stable across builds."""
        return f"change-{self.earlier.id}-{self.later.id}" if self.later else f"single-{self.earlier.id}"

    @property
    def direction(self) -> str | None:
        return self.change.direction if self.change else None

    @property
    def figures(self) -> tuple[Figure, ...]:
        return (self.earlier, self.later) if self.later else (self.earlier,)


def judge(a: Figure, b: Figure | None = None) -> Comparison:
    """The verdict and the one reason for two figures, earlier and later by fiscal year (the order given does not
    matter), with the change where one is computed. With one figure, or two of one year: "no second year".

    Every reason of the closed list that applies is found; the first in the list's order is the pair's reason,
    and the others of the same verdict are kept in ``also`` (a pair whose scope words differ and whose period the
    book inferred is not compared for the first reason, and the page may add the second)."""
    if b is None or a.fiscal_year == b.fiscal_year:
        return Comparison(a, None, REASONS["no_second_year"],
                          "no figure of this count for another of the fiscal years shown stands beside "
                          f"{{{{{a.id}}}}} ({_year(a)})")
    if a.unit != b.unit:
        raise ValueError(f"{a.id} and {b.id} are in different units ({a.unit}, {b.unit}): no page sets them "
                         "side by side")
    earlier, later = sorted((a, b), key=lambda f: (f.fiscal_year is None, f.fiscal_year))
    blocks = _blocks(earlier, later)
    if blocks:
        (code, because), *rest = blocks
        return Comparison(earlier, later, REASONS[code], because, also=tuple(REASONS[c] for c, _ in rest))
    change = compute_change(earlier, later)
    caveats = _caveats(earlier, later, change)
    (code, because), *rest = caveats
    return Comparison(earlier, later, REASONS[code], because, change, also=tuple(REASONS[c] for c, _ in rest))


def _blocks(earlier: Figure, later: Figure) -> list[tuple[str, str]]:
    """Every reason not to compare two figures that applies, in the closed list's order, with its words."""
    found = []
    if not {w.key for w in earlier.wordings} & {w.key for w in later.wordings}:
        found.append(("scope_words_differ", f"{_words(earlier)}; {_words(later)}"))
    inferred = [f for f in (earlier, later) if f.period_basis == "inferred"]
    if inferred:
        found.append(("inferred_period", "; ".join(
            f"{f.source_name} does not state the period of {{{{{f.id}}}}}, which the book reads "
            + (f.period if f.period.startswith("as ") else f"as {f.period}") for f in inferred)))
    implied = [f for f in (earlier, later) if f.implied]
    if implied:
        found.append(("implied_figure", " and ".join(
            f"{{{{{f.id}}}}} is implied by the book's arithmetic, not stated by {f.source_name}" for f in implied)
            + ", and the book computes no change from an implied figure"))
    if {earlier.qualifier, later.qualifier} & RANGE_END or len(_sides(earlier, later)) > 1:
        found.append(("open_bounds", f"{_bounds(earlier, later)}, so the true change could be larger or smaller "
                                     "than computed"))
    if earlier.value == 0:
        found.append(("zero_base", f"{{{{{earlier.id}}}}} is zero"))
    doubted = [f for f in (earlier, later) if f.doubt]
    if doubted:
        found.append(("book_exception", " ".join(f"The book doubts what {{{{{f.id}}}}} counts: {f.doubt}"
                                                 for f in doubted)))
    return found


def _caveats(earlier: Figure, later: Figure, change: Change) -> list[tuple[str, str]]:
    """The reasons that qualify a compared pair, in the closed list's order; the last is always how its change is
    known (a bound, approximate or exact)."""
    found = []
    partial = [f for f in (earlier, later) if f.period_type == "partial_fiscal_year"]
    if partial:
        found.append(("partial_period", "; ".join(_partial(f) for f in partial)))
    shared = {w.key for w in earlier.wordings} & {w.key for w in later.wordings}
    twice = [(f, other) for f, other in ((earlier, later), (later, earlier)) if len({w.key for w in f.wordings}) > 1]
    if twice:
        found.append(("two_wordings", "; ".join(_two_ways(f, other, shared) for f, other in twice)))
    if change.bound in ("at most", "at least"):
        found.append(("qualifier_bound", f"{_bounds(earlier, later)}, so the true change is {change.bound} the one "
                                         "computed"))
    elif change.bound == "about":
        found.append(("rounded_by_source", f"{_bounds(earlier, later)}, so the change is approximate"))
    else:
        found.append(("exact", f"{{{{{earlier.id}}}}} and {{{{{later.id}}}}} are exact as printed, worded the same, "
                               "and each for a whole fiscal year"))
    return found


def _year(figure: Figure) -> str:
    return f"FY {figure.fiscal_year}" if figure.fiscal_year is not None else figure.period or "its period"


def _words(figure: Figure) -> str:
    """What a figure's source calls what it counts, each wording quoted: "the DHS page says “identified and
    assisted … human trafficking victims” ({{id}})"."""
    said = " and ".join(f"“{w}”" for w in dict.fromkeys(w.words for w in figure.wordings)) or "no words recorded"
    return f"{figure.source_name} says {said} ({{{{{figure.id}}}}})"


BOUND_SIDE = {**dict.fromkeys(TRUE_AT_LEAST, "a lower bound"), **dict.fromkeys(TRUE_AT_MOST, "an upper bound"),
              "range_low": "the low end of a range", "range_high": "the high end of a range",
              "about": "approximate", "rounded_hundred": "rounded to the nearest hundred by its source",
              "rounded": "a round figure, read as rounded", "rounded_unit": "a whole-number percentage"}


def _bounds(earlier: Figure, later: Figure) -> str:
    """What each figure's qualifier makes of it: "{{a}} is an upper bound and {{b}} a lower bound"."""
    parts = [(f.id, BOUND_SIDE[f.qualifier]) for f in (earlier, later) if f.qualifier in BOUND_SIDE]
    first = f"{{{{{parts[0][0]}}}}} is {parts[0][1]}"
    return first + "".join(f" and {{{{{i}}}}} {side}" for i, side in parts[1:])


def _partial(figure: Figure) -> str:
    months = figure.months
    share = f", about {months_text(months)} of 12 months" if months is not None else ""
    return f"{{{{{figure.id}}}}} covers part of {_year(figure)} only ({figure.period}{share})"


def _two_ways(figure: Figure, other: Figure, shared: set[frozenset[str]]) -> str:
    matched = next(w.words for w in figure.wordings if w.key in shared)
    unmatched = next(w.words for w in figure.wordings if w.key not in shared)
    theirs = next(w.words for w in other.wordings if w.key in shared)
    return (f"{figure.source_name} words {{{{{figure.id}}}}} two ways, “{unmatched}” and “{matched}”; "
            f"{other.source_name} words {{{{{other.id}}}}} “{theirs}”, as the second")


def _sides(earlier: Figure, later: Figure) -> set[str]:
    """Which way each bounded figure pushes the true change against the computed one."""
    sides = set()
    if earlier.qualifier in TRUE_AT_LEAST or later.qualifier in TRUE_AT_MOST:
        sides.add("at most")
    if earlier.qualifier in TRUE_AT_MOST or later.qualifier in TRUE_AT_LEAST:
        sides.add("at least")
    return sides


def compute_change(earlier: Figure, later: Figure) -> Change:
    """The change from ``earlier`` to ``later`` as the page shows it: exact to one decimal (half up); a bound to
    the whole percent, rounded outward (165.43 "at most" is 166); from figures rounded by their source, "about",
    to the digits the range their rounding allows supports (``supported_place``); from a bound beside a rounded
    figure, "about", to the digits its figures carry (derive.carried_precision)."""
    base, now = Decimal(repr(earlier.value)), Decimal(repr(later.value))
    exact = (now - base) / base * 100
    value = float(exact)
    sides = _sides(earlier, later)
    rounded = {earlier.qualifier, later.qualifier} & ROUNDED
    if sides and not rounded:
        bound = sides.pop()
        shown = math.ceil(exact) if bound == "at most" else math.floor(exact)
        return Change(value, float(shown), 0, bound)
    if sides:
        precision = carried_precision(_FORMULA, {"base": (earlier.value, earlier.qualifier, None),
                                                 "later": (later.value, later.qualifier, None)})
        shown, decimals = displayed(value, precision, 1, "percent")
        return Change(value, shown, decimals, "about")
    if rounded:
        place = supported_place(*change_range(earlier, later))
        shown = exact.quantize(Decimal(1).scaleb(place), ROUND_HALF_UP)
        return Change(value, float(shown), max(0, -place), "about")
    return Change(value, float(exact.quantize(Decimal("0.1"), ROUND_HALF_UP)), 1, "")


def rounding_half_step(figure: Figure) -> Decimal:
    """How far a figure its source rounded may lie from its printed value: half a hundred for OIG's "rounded to
    the nearest hundred"; half a unit of its last significant digit for an "about" or round figure ("about 3,700"
    is 3,650 to 3,750, 21,000 is 20,500 to 21,500) and for a whole-number percentage (65% is 64.5% to 65.5%);
    nothing for an exact one."""
    if figure.qualifier == "rounded_hundred":
        return Decimal(50)
    if figure.qualifier in ("about", "rounded", "rounded_unit"):
        return Decimal(5).scaleb(Decimal(repr(figure.value)).normalize().as_tuple().exponent - 1)
    return Decimal(0)


def change_range(earlier: Figure, later: Figure) -> tuple[Decimal, Decimal]:
    """The least and the greatest change in percent that the two figures' rounding allows: 137,000 and 165,500,
    each to the nearest hundred, give 28,400 / 137,050 = 20.72% to 28,600 / 136,950 = 20.88%."""
    base, now = Decimal(repr(earlier.value)), Decimal(repr(later.value))
    base_step, now_step = rounding_half_step(earlier), rounding_half_step(later)
    ends = [(n - b) / b * 100 for b in (base - base_step, base + base_step) for n in (now - now_step, now + now_step)]
    return min(ends), max(ends)


def supported_place(low: Decimal, high: Decimal) -> int:
    """The decimal place a change known only to lie between ``low`` and ``high`` is shown to: the finest place
    (one decimal at most) whose unit is at least half the range, so the last digit shown is good to one unit.
    20.72% to 20.88% (half-range 0.08) is shown to one decimal; 88.69% to 89.84% (half-range 0.58) to the whole
    percent."""
    return max(-1, math.ceil(math.log10((high - low) / 2)))


@dataclass(frozen=True)
class Line:
    """Figures a page sets side by side in year order, and the rule's answer for each pair it sets together. A
    measure's series share its main line (``Series.line`` empty) unless they name a line of their own, as a part
    of the measure does (MS-13 criminal arrests within gang arrests)."""

    name: str
    metrics: tuple[str, ...]
    figures: tuple[Figure, ...]
    comparisons: tuple[Comparison, ...]

    @property
    def compared(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.compared]


@dataclass(frozen=True)
class MeasureJudgement:
    """A measure's lines for some fiscal years, each with its comparisons."""

    measure: Measure
    lines: tuple[Line, ...]

    @property
    def comparisons(self) -> list[Comparison]:
        return [c for line in self.lines for c in line.comparisons]

    @property
    def compared(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.compared]

    @property
    def main(self) -> Line:
        return self.lines[0]

    def reasons_not(self) -> list[Reason]:
        """Why the measure has no compared pair, each reason of its main line once, in the closed list's order;
        empty when a pair of any of its lines is compared (gang arrests, whose MS-13 line is compared, is not a
        measure "none of whose pairs the book compares")."""
        if self.compared:
            return []
        found = {c.reason.code for c in self.main.comparisons}
        return [r for code, r in REASONS.items() if code in found]


def pairs(figures: list[Figure], baseline_year: int | None = None) -> list[tuple[Figure, Figure]]:
    """The pairs a page sets side by side among one line's figures: the stated figures of each two consecutive
    fiscal years the line has; each implied figure with every stated figure of another year (a reader sets it
    against them all); and, for an analyst's baseline year, its figures with every later one."""
    stated = [f for f in figures if not f.implied]
    years = sorted({f.fiscal_year for f in stated if f.fiscal_year is not None})
    found: list[tuple[Figure, Figure]] = []

    def add(a: Figure, b: Figure) -> None:
        if a.fiscal_year != b.fiscal_year and (a, b) not in found and (b, a) not in found:
            found.append((a, b) if a.fiscal_year < b.fiscal_year else (b, a))

    for first, second in zip(years, years[1:], strict=False):
        for a in (f for f in stated if f.fiscal_year == first):
            for b in (f for f in stated if f.fiscal_year == second):
                add(a, b)
    for implied in (f for f in figures if f.implied):
        for other in stated:
            add(other, implied)
    if baseline_year is not None:
        for a in (f for f in stated if f.fiscal_year == baseline_year):
            for b in (f for f in figures if f.fiscal_year is not None and f.fiscal_year > baseline_year):
                add(a, b)
    return sorted(found, key=lambda p: (p[0].fiscal_year, p[1].fiscal_year))


def judge_line(name: str, metrics: tuple[str, ...], figures: list[Figure],
               baseline_year: int | None = None) -> Line:
    """A line and the rule's answer for each pair it sets together; a line of one fiscal year gets "no second
    year" for each of its figures."""
    found = pairs(figures, baseline_year)
    comparisons = [judge(a, b) for a, b in found] if found else [judge(f) for f in figures]
    return Line(name, metrics, tuple(figures), tuple(comparisons))


def measure_lines(measure: Measure) -> list[tuple[str, tuple[str, ...]]]:
    """A measure's lines (name, metrics), its main line first."""
    lines: dict[str, list[str]] = {}
    for series in measure.series:
        lines.setdefault(series.line, []).append(series.metric)
    return sorted(((name, tuple(metrics)) for name, metrics in lines.items()), key=lambda item: item[0] != "")


def judge_measure(data: Book, measure: Measure, fiscal_years: list[int],
                  baseline_year: int | None = None) -> MeasureJudgement:
    """Every line of a measure for these fiscal years, each pair judged (``baseline_year``: also set the figures
    of that year against every later one, for an analyst)."""
    lines = []
    for name, metrics in measure_lines(measure):
        shown = [f for f in measure_figures(data, list(metrics))
                 if f.fiscal_year is not None and f.fiscal_year in fiscal_years]
        lines.append(judge_line(name, metrics, shown, baseline_year))
    return MeasureJudgement(measure, tuple(lines))


def measure_figures(data: Book, metrics: list[str]) -> list[Figure]:
    """The figures of these metrics, each printed figure once, and the implied figures the derived figures give
    for them, by fiscal year and then source."""
    facts = data.facts_where(metric=metrics)
    names = {sid: source_named(s.short_name) for sid, s in data.sources.items()}
    found = [fact_figure(facts.loc[ids[0]], ids, data.wordings, names[facts.at[ids[0], "source"]], data.synonyms)
             for ids in printings(facts)]
    implied = data.derived[(data.derived["kind"] == "implied") & data.derived["metric"].isin(metrics)]
    for _, row in implied.iterrows():
        inputs = data.facts_of([i for i in row["inputs"].values() if data.has_fact(i)])
        related = data.facts_where(metric=sorted(set(inputs["metric"])))
        found.append(implied_figure(row, related, data.wordings, names[inputs.iloc[0]["source"]], data.synonyms))
    return sorted(found, key=lambda f: (f.fiscal_year is None, f.fiscal_year or 0, f.source_name, f.id))


def compared_metrics(data: Book, metrics: set[str] | None = None) -> set[str]:
    """The metrics of which some figure is in a pair the rule compares, in any of the sources' fiscal years;
    with ``metrics``, judging only the measures that have one of them (a page reads those measures' facts only)."""
    years = list(range(data.vocabulary.fiscal_years["first"], data.vocabulary.fiscal_years["last"] + 1))
    measures = [m for m in data.measures if metrics is None or {s.metric for s in m.series} & metrics]
    return {f.metric for m in measures for c in judge_measure(data, m, years).compared for f in c.figures}
