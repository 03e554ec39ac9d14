"""The home page's bottom line in one picture: every change the book computes, and the measures it cannot compare.

Each pair of figures the comparability rule compares (``comparability.judge_measure``, over every measure) is a row:
a dot where the book can state the change, a range where the sources' qualifiers only bound it (from the bound to
the edge, an arrow at the open end), sorted from the largest fall to the largest rise, its title counting the
changes by what each proves, between the years the pairs have. The measures the rule compares nowhere are listed
after it, each with its reasons' names, linked to its section. Nothing here is typed: when the data change, the
picture changes with them.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import textwrap

import pandas as pd
from markupsafe import Markup

from icebook.data.comparability import Comparison, MeasureJudgement, Verdict
from icebook.pages.chart import Chart, drawn_figure
from icebook.pages.chartkey import APPROXIMATE, CAVEATED, POINT, RANGE, TILDE, TILDE_SIZE, key_items
from icebook.pages.chartspec import LIGHT, LINE, colour_params, config, text_width
from icebook.pages.charttitles import title_problems
from icebook.pages.chartwords import page_notes
from icebook.pages.comparison import measure_anchor
from icebook.pages.fmt import count_word, ref, table
from icebook.pages.measurechart import chart_label
from icebook.pages.verdicts import change_text, reason_name, short_judgement, verdict_badge

COMPARISON_PAGE = "comparison.html"
ROW_LINE = 24  # characters per line of a row's label
ARROW = 60  # the arrow's area at a range's open end, in square pixels
PHONE_PLOT = 160  # pixels: the plot beside the rows' labels on a 390 px screen, at least
LABEL_GAP = 6  # pixels kept between a label's end and the line at zero or the plot's edge
TICKS = 4  # at most this many steps of the scale between its ticks


def working(comparison: Comparison) -> str:
    """Where the comparison page shows a change's working: its row in the list of every pair."""
    return f"{COMPARISON_PAGE}#{comparison.id}"


def compared_rows(judgements: list[MeasureJudgement]) -> list[tuple[str, Comparison]]:
    """Every compared pair, with what its row is called, sorted by the change shown (falls first)."""
    rows = [(f"{chart_label(j, line)}, FY {c.earlier.fiscal_year} to FY {c.later.fiscal_year}"
             + (" (with a caveat)" if c.verdict is Verdict.CAVEAT else ""), c)
            for j in judgements for line in j.lines for c in line.compared]
    return sorted(rows, key=lambda row: (row[1].change.shown, row[0]))


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + (", and " if len(parts) > 2 else " and ") \
        + parts[-1]


def years_of(rows: list[tuple[str, Comparison]]) -> str:
    """The years the changes run between, as the rows have them: "from FY 2017 to FY 2020", or "from FY 2017 or
    FY 2018 to FY 2020" where the pairs start (or end) in different years."""
    earlier = sorted({c.earlier.fiscal_year for _, c in rows})
    later = sorted({c.later.fiscal_year for _, c in rows})
    return f"from {_or([f'FY {y}' for y in earlier])} to {_or([f'FY {y}' for y in later])}"


# What a change proves, by how it is known: (direction, stated) -> its words, singular and plural. A bound proves
# a direction only when it lies beyond zero on the bound's own side ("at least +40%" proves a rise; "at most +58%"
# leaves the direction open: the true change may be a fall).
PROVES = {("fall", True): ("fall", "falls"), ("rise", True): ("rise", "rises"),
          ("fall", False): ("fall shown only by a bound", "falls shown only by a bound"),
          ("rise", False): ("rise shown only by a bound", "rises shown only by a bound"),
          (None, True): ("with no change", "with no change"),
          (None, False): ("bound whose direction is open", "bounds whose direction is open")}


def bottom_line_title(rows: list[tuple[str, Comparison]]) -> str:
    """What the rows show, counted by what each proves: "The book computes five changes from FY 2017 or FY 2018 to
    FY 2020: two falls, one rise shown only by a bound, and two bounds whose direction is open". A change the
    book states (exactly or approximately) proves its direction; a bound proves one only beyond zero."""
    counts: dict[tuple[str | None, bool], int] = {}
    for _, c in rows:
        key = (c.direction, c.change.bound not in ("at most", "at least"))
        counts[key] = counts.get(key, 0) + 1
    parts = [f"{count_word(counts[key])} {PROVES[key][counts[key] != 1]}" for key in PROVES if key in counts]
    n = len(rows)
    return f"The book computes {count_word(n)} {'change' if n == 1 else 'changes'} {years_of(rows)}: " \
        + _listed(parts)


def _preferred(bound: str) -> str:
    """Where a change's label sits by its own mark: beside a bound, away from its range; centred over a dot."""
    return {"at most": "right", "at least": "left"}.get(bound, "center")


def _extends(align: str, x: float, width: float) -> tuple[float, float]:
    """From where to where a label anchored at ``x`` runs, ``width`` wide, in the scale's units."""
    return {"left": (x, x + width), "right": (x - width, x)}.get(align, (x - width / 2, x + width / 2))


def placed_labels(rows: list[tuple[str, Comparison]], edge: list[float]) -> tuple[list[str], list[float]]:
    """Each change's label's place, and the scale's edges, so that on the narrowest chart (a phone's) no label
    crosses the line at zero and every label stays inside the plot: a label is set by its mark ("left", "center",
    "right" of it), or, where that would run it across zero, just beside zero on its mark's side ("zero"); the scale
    reaches as far as the labels need."""
    texts = [(c.change.shown, text_width(change_text(c)) + LABEL_GAP, _preferred(c.change.bound)) for _, c in rows]
    places = [align for _, _, align in texts]
    for _ in range(20):  # each pass widens the scale, so a label takes more of its units: a few passes settle
        per_pixel = (edge[1] - edge[0]) / PHONE_PLOT
        for i, (x, width, align) in enumerate(texts):
            start, stop = _extends(align, x, width * per_pixel)
            if places[i] == "zero" or start < 0 < stop:
                places[i] = "zero"
                start, stop = _extends("left" if x >= 0 else "right", 0.0, width * per_pixel)
            edge = [min(edge[0], start), max(edge[1], stop)]
    return places, edge


def axis_values(edge: list[float]) -> list[float]:
    """The scale's ticks: zero and a few round steps either side of it, no more than fit a phone's plot."""
    span = edge[1] - edge[0]
    step = next(m * 10 ** k for k in itertools.count() for m in (1, 2, 2.5, 5) if span / (m * 10 ** k) <= TICKS)
    return [k * step for k in range(math.ceil(edge[0] / step), math.floor(edge[1] / step) + 1)]


def _frame(rows: list[tuple[str, Comparison]]) -> tuple[pd.DataFrame, list[float]]:
    """One row a change: where its dot or range lies on a scale wide enough for every change, zero and their
    labels."""
    shown = [c.change.shown for _, c in rows]
    low, high = min(min(shown), 0.0), max(max(shown), 0.0)
    pad = max(high - low, 10.0) * 0.25
    places, edge = placed_labels(rows, [low - pad, high + pad])
    frame = []
    for (label, c), place in zip(rows, places, strict=True):
        bound = c.change.bound
        frame.append({
            "label": "\n".join(textwrap.wrap(label, ROW_LINE)), "row": label, "shown": c.change.shown,
            "text": change_text(c), "bound": bound, "point": bound in ("", "about"),
            "approximate": bound == "about", "caveated": c.verdict is Verdict.CAVEAT,
            "low": edge[0] if bound == "at most" else c.change.shown,
            "high": edge[1] if bound == "at least" else c.change.shown,
            "align": place, "verdict": c.verdict.value, "reason": c.reason.name})
    return pd.DataFrame(frame), edge


def _spec(frame: pd.DataFrame, edge: list[float]) -> dict:
    """The chart: a row per change, a dot or a range on one scale of percent, zero marked."""
    lines = max(label.count("\n") + 1 for label in frame["label"])
    y = {"field": "label", "type": "nominal", "sort": list(frame["label"]), "title": None,
         "axis": {"labelExpr": "split(datum.label, '\\n')", "labelLimit": 170, "labelPadding": 6}}
    x = {"field": "shown", "type": "quantitative", "title": "Change between the two figures (percent)",
         "scale": {"domain": edge, "nice": False, "zero": True},
         "axis": {"values": axis_values(edge), "labelFlush": True, "format": ",~f", "labelSeparation": 4,
                  "labelExpr": "(datum.value > 0 ? '+' : '') + datum.label + '%'"}}
    tooltip = [{"field": "row", "title": "Change"}, {"field": "text", "title": "As the book states it"},
               {"field": "verdict", "title": "Compared"}, {"field": "reason", "title": "Why"}]
    bar = {"expr": "barColour"}

    def layer(mark: dict, encoding: dict, where: str | None = None) -> dict:
        return {**({"transform": [{"filter": where}]} if where else {}), "mark": mark,
                "encoding": {"y": y, "x": x, **encoding}}

    marks = (  # the marks a reader's screen reader names, each layer only where it draws a row (an empty one
        # would be a group with no name)
        ({"type": "point", "shape": "circle", "filled": True, "size": 90, "fill": bar, "opacity": 1},
         frame["point"] & ~frame["caveated"], "datum.point && !datum.caveated"),
        ({"type": "point", "shape": "circle", "filled": False, "size": 80, "strokeWidth": 2.5, "stroke": bar,
          "opacity": 1}, frame["point"] & frame["caveated"], "datum.point && datum.caveated"),  # a hollow dot
        ({"type": "point", "shape": "stroke", "size": 160, "strokeWidth": 3, "stroke": bar, "opacity": 1,
          "angle": 90}, ~frame["point"], "!datum.point"))  # a range's bound
    described = [layer(mark, {"tooltip": tooltip, "description": {"field": "row"}}, where)
                 for mark, rows, where in marks if rows.any()]
    return {
        "data": {"values": frame.to_dict("records")}, "width": "container",
        "height": len(frame) * (LINE * lines + 14),
        "layer": [
            {"mark": {"type": "rule", "stroke": {"expr": "inkColour"}, "strokeDash": [2, 2], "aria": False},
             "encoding": {"x": {"datum": 0, "type": "quantitative", "scale": x["scale"]}}},
            layer({"type": "rule", "strokeWidth": 3, "stroke": bar, "aria": False},
                  {"x": {**x, "field": "low"}, "x2": {"field": "high"}}, "!datum.point"),
            layer({"type": "point", "shape": "triangle-left", "filled": True, "size": ARROW, "fill": bar,
                   "opacity": 1, "aria": False}, {"x": {**x, "field": "low"}}, "datum.bound == 'at most'"),
            layer({"type": "point", "shape": "triangle-right", "filled": True, "size": ARROW, "fill": bar,
                   "opacity": 1, "aria": False}, {"x": {**x, "field": "high"}}, "datum.bound == 'at least'"),
            *described,
            layer({"type": "point", "shape": TILDE, "filled": False, "size": TILDE_SIZE, "strokeWidth": 2,
                   "stroke": {"expr": "inkColour"}, "opacity": 1, "yOffset": -11, "aria": False}, {},
                  "datum.approximate"),
            *(layer({"type": "text", "align": align, "baseline": "bottom", "dy": -9, "fill": {"expr": "inkColour"},
                     "aria": False}, {"text": {"field": "text"}}, f"datum.align == '{align}'")
              for align in ("left", "center", "right")),  # above its dot, or above its bound, clear of the range
            *(layer({"type": "text", "align": align, "baseline": "bottom", "dy": -9, "dx": dx,
                     "fill": {"expr": "inkColour"}, "aria": False},
                    {"text": {"field": "text"}, "x": {"datum": 0, "type": "quantitative", "scale": x["scale"]}},
                    f"datum.align == 'zero' && datum.shown {side} 0")
              for align, dx, side in (("right", -LABEL_GAP, "<"), ("left", LABEL_GAP, ">="))),  # beside zero
        ],
        "config": config(LIGHT), "params": colour_params(LIGHT)}


KEY_WORDS = 52  # characters per line of the picture key's explanations


def _key(encodings: set[str]) -> dict:
    """The picture's key, drawn by the chart's own layers: a dot, a dot with a tilde, a range, each explained."""
    names = {POINT: "Dot", CAVEATED: "Hollow dot", APPROXIMATE: "Dot with a tilde", RANGE: "Range"}
    said = {item.encoding: item.explains for item in key_items(encodings)}
    said[APPROXIMATE] = "an approximate change: a figure its source rounds, or a bound beside a rounded figure."
    rows = [{"label": names[e], "row": names[e], "shown": -7.0, "bound": "at most" if e == RANGE else "",
             "point": e != RANGE, "approximate": e == APPROXIMATE, "caveated": e == CAVEATED, "low": -10.0,
             "high": -7.0, "align": "",
             "verdict": "", "reason": "", "text": textwrap.wrap(said[e], KEY_WORDS)}
            for e in (POINT, CAVEATED, APPROXIMATE, RANGE) if e in encodings]
    spec = _spec(pd.DataFrame(rows), [-10.0, 40.0])
    spec["layer"].append({"mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 14,
                                   "fill": {"expr": "inkColour"}, "aria": False},
                          "encoding": {"y": spec["layer"][1]["encoding"]["y"],
                                       "x": {"field": "shown", "type": "quantitative", "axis": None},
                                       "text": {"field": "text"}}})  # what each mark means, beside it
    spec["height"] = len(rows) * (LINE * max(len(r["text"]) for r in rows) + 14)
    spec["layer"] = [{**layer, "encoding": {**layer["encoding"], "x": {**layer["encoding"]["x"], "axis": None}}}
                     for layer in spec["layer"] if "field" in layer["encoding"]["x"]]  # no axis, no zero
    return spec


def _csv(rows: list[tuple[str, Comparison]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["change", "earlier_fact", "earlier_value", "later_fact", "later_value", "change_percent",
                     "bound", "verdict", "reason"])
    for label, c in rows:
        writer.writerow([label, c.earlier.id, f"{c.earlier.value:g}", c.later.id, f"{c.later.value:g}",
                         f"{c.change.shown:g}", c.change.bound, c.verdict.value, c.reason.name])
    return out.getvalue().encode()


def _table(rows: list[tuple[str, Comparison]]) -> Markup:
    return table([{"row": label, "earlier": ref(c.earlier.id), "later": ref(c.later.id),
                   "how": short_judgement(c, working(c))} for label, c in rows],
                 [("row", "Change"), ("earlier", "Earlier figure"), ("later", "Later figure"),
                  ("how", "The rule's verdict and the change")])


def not_compared(judgements: list[MeasureJudgement]) -> Markup:
    """The measures the rule compares nowhere, each with its reasons' names, linked to its section."""
    items = [Markup('<li><a href="{}#{}">{}</a>: {}</li>').format(
        COMPARISON_PAGE, measure_anchor(j.measure), j.measure.label,
        Markup("; ").join(reason_name(r) for r in j.reasons_not()))
        for j in judgements if not j.compared and j.main.figures]
    if not items:
        return Markup("")
    return Markup('<aside class="not-compared"><p><strong>Measures whose figures are {}</strong>, each with the '
                  "rule's reasons:</p><ul>{}</ul></aside>").format(verdict_badge(Verdict.NOT),
                                                                   Markup("").join(items))


def bottom_line(judgements: list[MeasureJudgement]) -> Markup:
    """The bottom-line chart of every change the book computes (``judgements``: the rule's answer for every
    measure), and the list of the measures it does not compare."""
    rows = compared_rows(judgements)
    if not rows:
        return not_compared(judgements)
    title = bottom_line_title(rows)
    if problems := title_problems(title, [c.direction for _, c in rows]):
        raise ValueError("; ".join(problems))
    figures = [f for _, c in rows for f in c.figures]
    chart = Chart(
        title=title,
        subtitle=(f"Each change the book computes between two figures it compares, {years_of(rows)}: a dot "
                  "where it can state the change, a range where the sources' qualifiers only bound it; largest fall "
                  "first."),
        description="Dots and ranges on one scale of percent change, one row per change, falls first, zero marked.",
        marks=pd.DataFrame(), sources=sorted({f.source for f in figures}), axis="Change (percent)",
        data_table=_table(rows), directions=tuple(c.direction or "open" for _, c in rows), kind="changes")
    frame, edge = _frame(rows)
    dots = frame[frame["point"]]
    encodings = ({POINT} if (~dots["caveated"]).any() else set()) | (
        {CAVEATED} if dots["caveated"].any() else set()) | ({RANGE} if (~frame["point"]).any() else set()) | (
        {APPROXIMATE} if frame["approximate"].any() else set())
    shared = page_notes(pd.DataFrame([{"source": f.source, "qualifier": f.qualifier, "ocr_correction": ""}
                                      for f in figures]))
    own = [Markup("{}: {}, {}.").format(verdict_badge(c.verdict), label.removesuffix(" (with a caveat)"),
                                        reason_name(c.reason))
           for label, c in rows if c.verdict is Verdict.CAVEAT]
    figure = drawn_figure(chart, [("", _spec(frame, edge))], [20], own, shared, encodings, _csv(rows),
                          key=_key(encodings))
    return Markup('<div class="bottom-line">{}{}</div>').format(figure, not_compared(judgements))


