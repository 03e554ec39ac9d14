"""Derived figures: computed from facts by a declared formula, with the precision their inputs carry."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pandas as pd
from simpleeval import SimpleEval

from icebook.core.errors import brief
from icebook.data.collect import Collector
from icebook.data.schema import Derived, Vocabulary


def evaluate(formula: str, names: dict[str, float]) -> float:
    return float(SimpleEval(names=names).eval(formula))


# Precision follows the inputs: where a qualifier puts the true value against the printed one.
TRUE_AT_LEAST = {"more_than", "at_least"}  # the true value is at least the figure
TRUE_AT_MOST = {"nearly", "up_to", "less_than"}  # the true value is at most the figure
# the true value is near the figure
ROUNDED = {"about", "rounded_hundred", "rounded", "rounded_unit", "range_low", "range_high"}
BOUND_QUALIFIER = {"": "exact", "about": "about", "more than": "more_than", "less than": "less_than"}
# A figure computed from an approximate or bounded input is known no better than that input: it is shown to the
# fewest significant digits among those inputs, and never to fewer than this many. A percentage that is a bound
# is shown to the whole percent, rounded outward by the least step that keeps it true: "more than 2,300" against
# an exact 6,105 gives 165.43%, shown "at most +166%"; "almost a million" against "more than 1.4 million" gives
# 40%, "at least +40%", never "40.0".
MIN_DIGITS = 2


def input_qualifier(value: float, unit: str, qualifier: str) -> str:
    """The qualifier a printed figure carries into arithmetic: its own, except that a percentage printed without
    one is rounded to the unit of its last printed digit, so not exact: "a 65% increase" is 64.5% to 65.5%,
    "a 6.5% increase" 6.45% to 6.55%."""
    if qualifier == "exact" and unit == "percent":
        return "rounded_unit"
    return qualifier


@dataclass(frozen=True)
class Precision:
    """How exactly a computed figure is known: the word it carries and the significant digits its inputs support."""

    bound: str = ""  # "", "about", "more than" or "less than"
    digits: int | None = None  # None when every input is exact


def significant_digits(value: float) -> int:
    """The significant digits of a printed figure, trailing zeros of a whole number not counted
    ("90" has 1, "143,100" has 4, "27.2" has 3, "2.2 million" has 2)."""
    digits = Decimal(repr(float(value))).normalize().as_tuple().digits
    return max(len(digits), 1)


def carried_precision(formula: str, inputs: dict[str, tuple[float, str, int | None]]) -> Precision:
    """The precision of ``formula`` over inputs given as (value, qualifier, significant digits or None).

    Any approximate input makes the result approximate. Bounded inputs alone ("more than", "nearly") carry
    their bound when each pushes the result the same way. Rounded inputs ("about", rounded to the hundred, a
    whole-number percentage), or bounds pushing opposite ways, give "about". Either way the result is good to the
    fewest significant digits among the approximate or bounded inputs (at least ``MIN_DIGITS``).
    """
    approximate = {name: spec for name, spec in inputs.items() if spec[1] != "exact"}
    if not approximate:
        return Precision()
    values = {name: spec[0] for name, spec in inputs.items()}
    result = evaluate(formula, values)
    ways = set()
    for name, (value, qualifier, _) in approximate.items():
        if qualifier in ROUNDED or qualifier not in TRUE_AT_LEAST | TRUE_AT_MOST:
            ways.add(0)
            continue
        step = 1 if qualifier in TRUE_AT_LEAST else -1
        moved = evaluate(formula, {**values, name: value + step * max(abs(value), 1) * 1e-6})
        ways.add(1 if moved > result else -1 if moved < result else 0)
    bound = {frozenset({1}): "more than", frozenset({-1}): "less than"}.get(frozenset(ways), "about")
    return Precision(bound, max(MIN_DIGITS, min(spec[2] or significant_digits(spec[0])
                                                for spec in approximate.values())))


def displayed(value: float, precision: Precision, decimals: int, unit: str) -> tuple[float, int]:
    """The figure as a page shows it, and its decimals: rounded to the digits its inputs support (outward for a
    bound, so "less than" stays true), and a count from approximate inputs never shown to the unit."""
    if precision.digits is None or value == 0:
        return value, decimals
    if unit == "percent" and precision.bound in ("more than", "less than"):  # a bound: the whole percent, outward
        outward = math.ceil if precision.bound == "less than" else math.floor
        return float(outward(round(value, 9))), 0
    magnitude = math.floor(math.log10(abs(value)))
    digits = precision.digits if unit in {"percent", "ratio"} or magnitude < 1 else min(precision.digits, magnitude)
    place = magnitude - digits + 1
    scaled = Decimal(repr(value)).scaleb(-place)
    rounding = {"less than": ROUND_CEILING, "more than": ROUND_FLOOR}.get(precision.bound, ROUND_HALF_UP)
    shown = float(scaled.quantize(Decimal(1), rounding=rounding).scaleb(place))
    return shown, max(0, min(decimals, -place))


def _order(records: list[Derived], facts: pd.DataFrame, path: Path, col: Collector) -> list[Derived]:
    """The records in an order that computes each figure's derived inputs before it. A figure that names itself,
    or derived figures that name each other in a circle, are reported once, as a cycle, and left out."""
    by_id = {record.id: record for record in records}
    graph = {record.id: {ref for ref in record.inputs.values() if ref in by_id and ref not in facts.index}
             for record in records}
    cyclic: set[str] = set()
    while True:
        try:
            order = list(TopologicalSorter({k: v for k, v in graph.items() if k not in cyclic}).static_order())
            break
        except CycleError as error:
            cycle = error.args[1]
            first = cycle[0]
            where = ("names itself as an input" if len(cycle) == 2 else
                     "is in a cycle of derived figures: " + " → ".join(cycle))
            col.add(path, f"{where}; a derived figure is computed from facts or earlier figures only",
                    record=first, field="inputs")
            cyclic.update(cycle)
            col.refused.update(cycle)
            for node in graph.values():
                node.difference_update(cycle)
    return [by_id[record_id] for record_id in order if record_id in by_id]


def derive_figures(records: list[Derived], facts: pd.DataFrame, vocab: Vocabulary | None,
                   path: Path, col: Collector) -> pd.DataFrame:
    """Compute every derived figure from its input facts (or other derived figures), each after its inputs. An
    input already refused (a fact with a problem reported, a figure in a cycle) leaves the figure out without a
    second message."""
    rows, values, precisions, specs = {}, {}, {}, {}
    for record in _order(records, facts, path, col):
        names, ok = {}, True
        for name, ref in record.inputs.items():
            if ref in facts.index:
                names[name] = float(facts.at[ref, "value"])
                specs[name] = (names[name], input_qualifier(names[name], facts.at[ref, "unit"],
                                                            facts.at[ref, "qualifier"]), None)
            elif ref in values:
                names[name] = values[ref]
                specs[name] = (names[name], BOUND_QUALIFIER[precisions[ref].bound], precisions[ref].digits)
            else:
                if not col.accounted_for(ref):
                    col.add(path, f"input {name!r} names unknown fact {ref!r}", record=record.id,
                            field=f"inputs.{name}")
                ok = False
        if vocab and record.unit not in vocab.units:
            col.add(path, f"unknown unit {record.unit!r}", record=record.id, field="unit")
            ok = False
        if not ok:
            col.refused.add(record.id)
            continue
        try:
            value = evaluate(record.formula, names)
        except ZeroDivisionError:
            col.add(path, f"formula {record.formula!r} divides by zero with inputs {names}",
                    record=record.id, field="formula")
            col.refused.add(record.id)
            continue
        except Exception as error:  # noqa: BLE001 - simpleeval raises several types for a bad formula
            col.add(path, f"formula {record.formula!r} cannot be evaluated: {brief(str(error), 200, quote=False)}",
                    record=record.id, field="formula")
            col.refused.add(record.id)
            continue
        if not math.isfinite(value):
            col.add(path, f"formula {record.formula!r} gives {value} with inputs {names}: a figure must be a finite "
                    "number", record=record.id, field="formula")
            col.refused.add(record.id)
            continue
        precision = carried_precision(record.formula, {name: specs[name] for name in names})
        values[record.id], precisions[record.id] = value, precision
        shown, decimals = displayed(value, precision, record.decimals, record.unit)
        rows[record.id] = {**record.model_dump(), "value": value, "bound": precision.bound, "shown": shown,
                           "shown_decimals": decimals}
    frame = pd.DataFrame([rows[r.id] for r in records if r.id in rows],
                         columns=list(Derived.model_fields) + ["value", "bound", "shown", "shown_decimals"])
    return frame.set_index("id", drop=False)
