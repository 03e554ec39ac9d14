"""Changes from a baseline year, computed only between figures that count the same thing.

The FY2017–FY2020 chapter sets each figure against the baseline year's figure of
the same series (the same metric of the metrics catalog), never across series and
never for a series the catalog marks not comparable. The formula is declared here
and every change keeps its inputs, so the page can show how it was made.

A source's qualifier carries into the change. ``later / base - 1`` grows with the
later figure and shrinks with the base, so a base stated as "more than" makes the
computed change an upper bound ("less than"), a later figure stated as "more than"
makes it a lower bound ("more than"), and so on. When the two figures bound the
change from opposite sides (both "more than"), no change can be stated and none is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from icebook.data.derive import ROUNDED, TRUE_AT_LEAST, TRUE_AT_MOST, carried_precision, displayed, input_qualifier
from icebook.data.schema import Measure, Series

FORMULA = "(later − base) ÷ base × 100"  # what change() computes, as the page shows it
_FORMULA = "(later - base) / base * 100"  # the same, as the data module evaluates it
LOWER_BOUND = TRUE_AT_LEAST  # which side of the true value a figure with this qualifier sits on
UPPER_BOUND = TRUE_AT_MOST
RANGE_END = {"range_low", "range_high"}
APPROXIMATE = ROUNDED - RANGE_END


@dataclass(frozen=True)
class Change:
    """The change from a baseline figure to a later (or earlier) one of the same series."""

    id: str
    measure: str
    series: str
    base: str  # fact ids
    later: str
    value: float | None  # percent; None when the qualifiers, a scope doubt or an inferred period allow no statement
    bound: str  # "", "more than", "less than" or "about"
    reason: str  # how the qualifiers were carried, or why no change is computed, in words ({{fact-id}} for figures)
    shown: float | None = None  # the value rounded to the precision its inputs support
    decimals: int = 1
    blocked: str = ""  # why none is computed, in three words: "scope in doubt", "period not stated", …


def _bound(base_qualifier: str, later_qualifier: str) -> tuple[str | None, str]:
    """The word the change takes from its inputs' qualifiers, or None when it cannot be stated."""
    if base_qualifier in RANGE_END or later_qualifier in RANGE_END:
        return None, "one figure is the end of a range, not a count, so no change is stated"
    sides = set()
    if base_qualifier in LOWER_BOUND or later_qualifier in UPPER_BOUND:
        sides.add("less than")
    if base_qualifier in UPPER_BOUND or later_qualifier in LOWER_BOUND:
        sides.add("more than")
    if len(sides) == 2:
        return None, ("the two figures bound the change from opposite sides (for example both are "
                      "“more than” figures), so it could be larger or smaller than computed; no change is stated")
    if sides:
        word = sides.pop()
        return word, (f"a bound: the sources' qualifiers make the true change {word} the computed one"
                      + (" (and the figures are rounded)" if {base_qualifier, later_qualifier} & APPROXIMATE else ""))
    if {base_qualifier, later_qualifier} & APPROXIMATE:
        return "about", "approximate: at least one figure is rounded or stated as “about”"
    return "", "both figures are exact as printed"


def change(base: pd.Series, later: pd.Series, measure: str, series: str, series_doubt: str = "") -> Change:
    """The change from one fact to another of the same series, with its qualifier carried; none across a
    scope in doubt (the series' or either fact's) or a period the source does not state."""
    if base["unit"] != later["unit"]:
        raise ValueError(f"{base.name} and {later.name} are in different units ({base['unit']}, {later['unit']})")
    base_qualifier, later_qualifier = (input_qualifier(float(row["value"]), row["unit"], row["qualifier"])
                                       for row in (base, later))
    bound, reason = _bound(base_qualifier, later_qualifier)
    value = None
    if float(base["value"]) == 0:
        bound, reason = None, "the baseline figure is zero, so no percentage change exists"
    elif bound is not None:
        value = (float(later["value"]) - float(base["value"])) / float(base["value"]) * 100
    blocked, why = _blocked(base, later, series_doubt)
    if blocked:
        bound, reason, value = None, why, None
    shown, decimals = None, 1
    if value is not None:
        precision = carried_precision(_FORMULA, {"base": (float(base["value"]), base_qualifier, None),
                                                 "later": (float(later["value"]), later_qualifier, None)})
        shown, decimals = displayed(value, precision, 1, "percent")
    return Change(id=f"change-{base.name}-{later.name}", measure=measure, series=series, base=str(base.name),
                  later=str(later.name), value=value, bound=bound or "", reason=reason, shown=shown,
                  decimals=decimals, blocked=blocked)


def _blocked(base: pd.Series, later: pd.Series, series_doubt: str) -> tuple[str, str]:
    """Why no change may be drawn between two figures, in three words and in full: a doubt about what one
    counts, wording that differs from its metric's scope words, or a period the source does not state."""
    doubts = [series_doubt] if series_doubt else []
    doubts += [f"{{{{{row.name}}}}}: {row['scope_doubt']}" for row in (base, later) if row.get("scope_doubt")]
    if doubts:
        return "scope in doubt", ("no change is computed, because what a figure counts is in doubt. "
                                  + " ".join(doubts))
    deviating = [f"{{{{{row.name}}}}}: {row['scope_deviation']}" for row in (base, later) if row.get("scope_deviation")]
    if deviating:
        return "worded differently", ("no change is computed, because the two figures are not worded the same "
                                      "way. " + " ".join(deviating))
    inferred = [row.name for row in (base, later) if row.get("period_basis") == "inferred"]
    if inferred:
        names = " or ".join(f"{{{{{name}}}}}" for name in inferred)
        return "period not stated", (f"no change is computed, because the source does not state the period of "
                                     f"{names}; the book only inferred it")
    return "", ""


def series_facts(facts: pd.DataFrame, series: Series, fiscal_years: list[int]) -> pd.DataFrame:
    """The facts of one series (those of its metric) in the chosen fiscal years."""
    return facts[(facts["metric"] == series.metric) & facts["as_of_fiscal_year"].isin(fiscal_years)]


def baseline_changes(facts: pd.DataFrame, measure: Measure, fiscal_years: list[int],
                     baseline_year: int) -> list[Change]:
    """Every change from the baseline year's figure to another chosen year's, series by series.

    A series the catalog marks not comparable gets none. A figure a source states twice is used once;
    where two sources give the baseline year, the change is computed from each.
    """
    changes = []
    for series in measure.series:
        if series.comparable == "no":
            continue
        own = series_facts(facts, series, fiscal_years)
        own = own.loc[~own.duplicated(["as_of_fiscal_year", "value", "source"])]
        bases = own[own["as_of_fiscal_year"] == baseline_year]
        others = own[own["as_of_fiscal_year"] != baseline_year].sort_values("as_of_fiscal_year")
        for _, base in bases.iterrows():
            for _, later in others.iterrows():
                changes.append(change(base, later, measure.id, series.metric, series.scope_doubt))
    return changes


def set_apart(row: pd.Series) -> str:
    """Why a figure is kept out of its series' chart, or "": a doubt about what it counts (its ``scope_doubt``:
    OIG's ICE-wide arrests beside the DHS page's ERO ones). Drawn with the others, it would sit under a label and
    an axis whose scope it may not share; the page shows it in the table and says why it stands apart."""
    return str(row.get("scope_doubt") or "")


def series_pairs(facts: pd.DataFrame, measure: Measure, fiscal_years: list[int]) -> list[Change]:
    """Every change between two figures of one comparable series in two of the chosen years, earlier as base,
    baseline or not: what a chart's sentence sets side by side, so that the table can say the same of them."""
    pairs = []
    for series in measure.series:
        if series.comparable == "no":
            continue
        own = series_facts(facts, series, fiscal_years)
        own = own.loc[~own.duplicated(["as_of_fiscal_year", "value", "source"])].sort_values("as_of_fiscal_year")
        for i, (_, base) in enumerate(own.iterrows()):
            for _, later in own.iloc[i + 1:].iterrows():
                if later["as_of_fiscal_year"] != base["as_of_fiscal_year"]:
                    pairs.append(change(base, later, measure.id, series.metric, series.scope_doubt))
    return pairs


COMPARABLE = {"yes": "counts the same thing", "caveat": "comparable with a caveat", "no": "not comparable"}


@dataclass(frozen=True)
class Standing:
    """Where one figure stands against the baseline year: its comparability label, the note that explains it,
    and what the change column shows, all decided by ``standing`` so that they cannot disagree."""

    label: str
    note: str  # the catalog's caveat or the reason no change is computed ({{fact-id}} for figures)
    changes: tuple[Change, ...]  # the changes to this figure, computed or blocked, for the change column
    cell: str  # what the change column says when it shows no change: "the baseline", "not comparable", …


def none_text(ch: Change) -> str:
    """Why a change is not shown, in three words, as the change column and the comparability label both say it."""
    return ch.blocked or "not stated"


def caveat_applies(series: Series, sources: set[str]) -> bool:
    """Whether a series' caveat concerns figures from these sources (a caveat naming no source concerns all)."""
    return bool(series.caveat) and (not series.caveat_sources or bool(sources & set(series.caveat_sources)))


def standing(series: Series, row: pd.Series, baseline_year: int, changes: list[Change],
             sources: dict[str, str], pairs: list[Change] = ()) -> Standing:
    """The one rule for a figure's comparability and its change (``sources`` maps fact ids to source ids;
    ``pairs`` are ``series_pairs``, the figures a chart sets side by side, baseline or not):

    * a series the catalog marks not comparable: "not comparable", with its caveat, and no change;
    * the baseline figure whose every change is blocked: "the baseline", with a doubt of its own if it has one
      (never the doubt of a later figure, which that figure's row gives);
    * a figure whose every change is blocked (scope in doubt, worded differently, period not stated, bounded
      from both sides): "not compared: <why>", the reason as note, and the change column shows the same "none";
    * a figure with a computed change: "counts the same thing", or "comparable with a caveat" when the series'
      caveat concerns either figure's source;
    * a figure with no change from the baseline but another figure of its series in another year: the same
      labels, judged on those pairs, so the table says of two figures what the chart's sentence says of them;
    * a figure with nothing to set against: says so, with the caveat when it concerns the figure's source.
    """
    if series.comparable == "no":
        return Standing(COMPARABLE["no"], series.caveat, (), "not comparable")
    mine = tuple(c for c in changes if row.name in (c.base, c.later))
    baseline = row["as_of_fiscal_year"] == baseline_year
    cell = "the baseline" if baseline else f"no FY {baseline_year} figure of this series to set it against"
    shown = tuple(c for c in mine if c.later == row.name)
    judged = mine or tuple(c for c in pairs if row.name in (c.base, c.later))
    stated = [c for c in judged if c.value is not None]
    involved = {sources[i] for c in (stated or judged) for i in (c.base, c.later)} | {row["source"]}
    caveat = series.caveat if caveat_applies(series, involved) else ""
    if judged and not stated and baseline:
        # the baseline is what later figures are set against; why one of them is not compared is said on its own
        # row, and this row says only what concerns this figure: that it is the baseline, and any doubt of its own
        own = _blocked(row, pd.Series(dtype=object), series.scope_doubt)[1]
        return Standing("the baseline", own, shown, cell)
    if judged and not stated:
        why = sorted({none_text(c) for c in judged})
        return Standing("not compared: " + "; ".join(why), " ".join(sorted({c.reason for c in judged})), shown, cell)
    if stated:
        return Standing(COMPARABLE["caveat" if caveat else "yes"], caveat, shown, cell)
    return Standing("nothing to set it against in this series", caveat, shown, cell)
