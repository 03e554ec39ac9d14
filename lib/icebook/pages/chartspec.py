"""The Vega-Lite specs of a chart: one view per panel, its key to the marks, and the downloadable picture.

A panel is horizontal bars from zero, one per mark, each labelled with its figure as the source words it and drawn
the way its qualifier says (:mod:`icebook.pages.chartkey`): a plain bar, an open end, a tilde, an arrow back, a
hollow dashed bar for an implied figure. The specs know nothing of the book's data: the chart module hands them
marks that already say how each is to be drawn (columns ``open``, ``approximate``, ``ceiling``, ``implied``) and
what its tooltip adds (``tip``).

Made with Altair's checks off, part by part; the figure checks each finished spec against the schema once.
"""

from __future__ import annotations

import copy
import textwrap

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from icebook.pages.chartkey import (
    APPROXIMATE,
    ARROW_SIZE,
    CEILING,
    IMPLIED,
    IMPLIED_DASH,
    IMPLIED_STROKE,
    OPEN,
    OPEN_DASH,
    OPEN_LENGTH,
    TILDE,
    TILDE_OFFSET,
    TILDE_SIZE,
    KeyItem,
    key_items,
)

DRAWN_AS = (OPEN, APPROXIMATE, CEILING, IMPLIED)  # the mark columns that say how a bar is drawn
LABEL_LINE = 22  # characters per line of a bar's label
AXIS_LINE = 36  # characters per line of the value axis's title
PICTURE_WIDTH = 560  # pixels, the downloadable picture
TITLE_LINE = 80  # characters per line of the picture's title and notes
KEY_LINE = 62  # characters per line of the picture key's explanations
KEY_BAR = 12  # pixels, the thickness of the key's bars
# Where a bar's figure goes: inside its end when it fits there on the narrowest chart (a phone's), else just past
# the end, or past its open end or tilde; the scale reaches further when a figure past a bar's end would not fit.
NARROWEST = 190  # pixels: a panel's plot on a 390 px screen
FONT_SIZE = 11  # pixels, the chart's text
CHAR_EM = {**dict.fromkeys("0123456789", 0.556), " ": 0.278, ",": 0.278, ".": 0.278, "(": 0.333, ")": 0.333,
           "$": 0.556, "%": 0.889, "-": 0.333, "~": 0.584}  # Helvetica's widths, which Liberation Sans shares
UPPER_EM, LOWER_EM = 0.722, 0.556  # at most, for the letters not listed
INSET = 4  # pixels between a figure inside a bar and the bar's end
SMALLEST_SHARE = 0.25  # the scale never reaches so far that the bar needing room is under this share of it
NEAR, FAR = 3, OPEN_LENGTH + 11  # pixels from a bar's end to a figure past it: plain, or beyond an open end or ~
LINE = 13  # pixels per line of text
# The colours of the downloadable picture: icebook.css's light theme (icebook.js swaps in the page's theme).
LIGHT = {"ink": "#1f1f1f", "muted": "#595959", "grid": "#dddddd", "bar": "#1f5f9e", "on_bar": "#ffffff"}


def _wrapped(label: str, width: int = LABEL_LINE) -> str:
    return "\n".join(textwrap.wrap(label, width, break_on_hyphens=False)) or label


def text_width(text: str) -> float:
    """About how wide a figure's label is drawn, in pixels (the chart's 11 px sans-serif: a digit is 0.556 em)."""
    return sum(CHAR_EM.get(c, UPPER_EM if c.isupper() else LOWER_EM) for c in text) * FONT_SIZE


def placed(marks: pd.DataFrame, top: float) -> tuple[pd.DataFrame, float]:
    """Each mark's label and where its figure goes (``inside``, ``gap``), and the scale's top: the longest bar's
    value, or further where a figure past a shorter bar's end would otherwise leave the narrowest plot."""
    rows, reach = [], top
    for _, mark in marks.iterrows():
        value, printed = float(mark["value"]), str(mark["printed"])
        gap = FAR if mark[OPEN] or mark[APPROXIMATE] else NEAR
        inside = (value / top if top else 0.0) * NARROWEST >= text_width(printed) + 2 * INSET
        if not inside:
            room = 1 - (gap + text_width(printed) + INSET) / NARROWEST  # the share of the plot left for the bar
            reach = max(reach, value / max(room, SMALLEST_SHARE))
        rows.append({"label": _wrapped(str(mark["bar"])), "bar": str(mark["bar"]), "value": value,
                     "printed": printed, "fact": str(mark["fact"]), "tip": str(mark["tip"]),
                     "inside": bool(inside), "gap": gap, **{column: bool(mark[column]) for column in DRAWN_AS}})
    return pd.DataFrame(rows), reach


def _lines(frame: pd.DataFrame) -> int:
    return max(label.count("\n") + 1 for label in frame["label"])


def layered(frame: pd.DataFrame, domain: list[float], axis_title: str | None, tooltip: bool = True,
            extra: tuple[alt.Chart, ...] = (), thickness: float | None = None) -> alt.LayerChart:
    """One panel as wide as its column: a bar per mark from zero to its value, drawn as its qualifier says, and
    labelled with its figure inside the bar's end when it fits there, else just past it (past an open end or ~)."""
    axis = alt.Axis(tickCount=4, labelFlush=True, format=",~f", labelSeparation=6) if axis_title is not None \
        else None
    base = alt.Chart().encode(  # the data on the layer, once (Altair copies and hashes a layer's own data)
        y=alt.Y("label:N", sort=None, title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=170, labelPadding=4)),
        x=alt.X("value:Q", title=textwrap.wrap(axis_title, AXIS_LINE) if axis_title else None,
                scale=alt.Scale(domain=domain, zero=True, nice=axis is not None), axis=axis),
        tooltip=[alt.Tooltip("bar:N", title="Bar"), alt.Tooltip("printed:N", title="As the source words it"),
                 alt.Tooltip("tip:N", title="How it is drawn"), alt.Tooltip("fact:N", title="Figure")]
        if tooltip else alt.Undefined)
    implied = "datum.implied"
    bars = base.mark_bar(stroke=alt.ExprRef("barColour"), **({"height": thickness} if thickness else {})
                         ).properties(name="bars").encode(
        fill=alt.condition(implied, alt.value("transparent"), alt.value(alt.ExprRef("barColour"))),
        strokeWidth=alt.condition(implied, alt.value(IMPLIED_STROKE), alt.value(0)),
        strokeDash=alt.condition(implied, alt.value(IMPLIED_DASH), alt.value([1, 0])),
        description=alt.Description("described:N"))
    open_line = base.transform_filter("datum.open").mark_rule(
        x2Offset=OPEN_LENGTH, strokeDash=OPEN_DASH, strokeWidth=2, stroke=alt.ExprRef("barColour"), aria=False
    ).properties(name="open_line").encode(x2="value:Q")
    open_end = base.transform_filter("datum.open").mark_point(
        shape="triangle-right", xOffset=OPEN_LENGTH + 3, filled=True, size=ARROW_SIZE, opacity=1, aria=False,
        fill=alt.ExprRef("barColour")).properties(name="open_end")
    tilde = base.transform_filter("datum.approximate").mark_point(
        shape=TILDE, xOffset=TILDE_OFFSET, filled=False, size=TILDE_SIZE, strokeWidth=2, opacity=1, aria=False,
        stroke=alt.ExprRef("inkColour")).properties(name="approximate")
    ceiling = base.transform_filter("datum.ceiling").mark_point(
        shape="triangle-left", xOffset=-6, filled=True, size=ARROW_SIZE, opacity=1, aria=False
    ).properties(name="ceiling").encode(
        fill=alt.condition(implied, alt.value(alt.ExprRef("barColour")), alt.value(alt.ExprRef("onBarColour"))))
    label = alt.Text("printed:N")  # a channel, not a shorthand string Altair would look up in its schema
    past = [base.transform_filter(f"!datum.inside && datum.gap == {gap}").mark_text(
        align="left", baseline="middle", dx=gap, fill=alt.ExprRef("inkColour"), aria=False).encode(text=label)
        for gap in (NEAR, FAR)]
    inside = base.transform_filter("datum.inside").mark_text(
        align="right", baseline="middle", dx=-INSET, aria=False).encode(
        text=label, fill=alt.condition(implied, alt.value(alt.ExprRef("inkColour")),
                                       alt.value(alt.ExprRef("onBarColour"))))
    frame = frame.assign(described=[f"{bar}: {printed}" for bar, printed in zip(frame["bar"], frame["printed"],
                                                                                strict=True)])
    return alt.layer(bars, open_line, open_end, tilde, ceiling, *past, inside, *extra, data=frame,
                     width="container", height=len(frame) * (LINE * _lines(frame) + 9))  # pixels: a step warns


def _finished(chart: alt.TopLevelMixin) -> dict:
    with debug_mode(False):
        spec = chart.to_dict(validate=False)
    spec.pop("$schema", None)  # an identifier, not fetched; dropped so no page names another host
    spec["config"] = config(LIGHT)
    spec["params"] = colour_params(LIGHT)
    return spec


def panel_spec(marks: pd.DataFrame, top: float, axis_title: str) -> dict:
    """One panel's Vega-Lite spec, as wide as its column (the picture's differs only in its width), on a scale
    from zero to ``top`` (the chart's longest bar, or the panel's own) or further, where a figure needs room."""
    frame, reach = placed(marks, top)
    return _finished(layered(frame, [0, reach], axis_title))


def key_spec(encodings: set[str]) -> dict | None:
    """The picture's key: for each encoding it draws beyond plain bars, a short bar drawn by the same layers as the
    chart's, with its name and what it means beside it."""
    items = key_items(encodings)
    if len(items) < 2:
        return None
    frame = pd.DataFrame([_key_row(item) for item in items])
    frame["label"] = [_wrapped(item.name, 14) for item in items]
    words = alt.Chart().mark_text(align="left", baseline="middle", fill=alt.ExprRef("inkColour"),
                                  lineHeight=LINE).encode(
        y=alt.Y("label:N", sort=None, title=None), x=alt.datum(2.6), text=alt.Text("explains:N"))
    lines = max(len(e) for e in frame["explains"])
    key = layered(frame, [0, 12], None, tooltip=False, extra=(words,), thickness=KEY_BAR)
    return _finished(key.properties(width=PICTURE_WIDTH - 110, height=len(frame) * (LINE * lines + 9)))


def _key_row(item: KeyItem) -> dict:
    return {"bar": item.name, "value": 1.0, "printed": "", "fact": "", "tip": "", "inside": True,
            "gap": NEAR, "explains": textwrap.wrap(item.explains, KEY_LINE),
            **{column: item.encoding == column for column in DRAWN_AS}}


def colour_params(colours: dict[str, str]) -> list[dict]:
    """The marks' colours, as parameters icebook.js sets from the page's theme."""
    return [{"name": "barColour", "value": colours["bar"]}, {"name": "inkColour", "value": colours["ink"]},
            {"name": "onBarColour", "value": colours["on_bar"]}]


def config(colours: dict[str, str]) -> dict:
    return {"background": "transparent", "view": {"stroke": None},
            "axis": {"labelColor": colours["ink"], "titleColor": colours["ink"], "domainColor": colours["muted"],
                     "tickColor": colours["muted"], "gridColor": colours["grid"], "labelFontSize": 11,
                     "titleFontSize": 11, "titleFontWeight": "normal"},
            "text": {"fontSize": 11},
            "title": {"color": colours["ink"], "subtitleColor": colours["muted"], "anchor": "start"}}


def live_view(spec: dict, description: str, room: int) -> dict:
    """A panel as the page shows it: the column's width, a height from the bars, and ``room`` pixels on the right
    for a tick label, an open end or a tilde past the scale's end."""
    return spec | {"description": description, "autosize": {"type": "fit-x", "contains": "padding"},
                   "padding": {"left": 2, "top": 4, "right": room, "bottom": 4}}


def _footer(lines: list[str]) -> dict:
    """Text under the picture's chart (its source and notes), one row a line, as wide as the picture."""
    rows = [{"n": n, "line": line} for n, line in enumerate(lines)]
    return {"data": {"values": rows}, "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 11,
                                               "fill": {"expr": "inkColour"}},
            "encoding": {"y": {"field": "n", "type": "ordinal", "axis": None},
                         "x": {"value": 0}, "text": {"field": "line", "type": "nominal"}},
            "width": PICTURE_WIDTH, "height": LINE * len(rows)}


def picture_spec(title: str, heading: list[str], panels: list[tuple[str, dict]], key: dict | None,
                 footer: list[str]) -> dict:
    """The downloadable picture, which stands on its own as the page does: its title and ``heading`` lines (the
    definition and the takeaway) above, every panel (its heading and spec) on its scale as drawn, then the key to
    its marks, then the ``footer`` lines (source and notes) below."""
    views, datasets = [], {}
    for name, spec in panels + ([("Key to the marks", key)] if key else []):
        view = copy.deepcopy(spec)
        if spec is not key:
            view["width"] = PICTURE_WIDTH  # the key is narrower, beside its names
        view.pop("config")
        view.pop("params")  # set once, for every view
        datasets |= view.pop("datasets", {})  # a concatenated view may not carry its own
        for layer in view["layer"]:  # a layer's name names its marks: one picture may not use one twice
            if "name" in layer:
                layer["name"] = f"view{len(views)}_{layer['name']}"
        if name:
            view["title"] = {"text": textwrap.wrap(name, TITLE_LINE), "fontSize": 12}
        views.append(view)
    views.append(_footer([line for text in footer for line in textwrap.wrap(text, TITLE_LINE)]))
    subtitle = [line for text in heading for line in textwrap.wrap(text, TITLE_LINE)]
    return {"concat": views, "columns": 1, "align": "none", "datasets": datasets, "params": colour_params(LIGHT),
            "config": config(LIGHT), "background": "#ffffff", "padding": 12,
            "title": {"text": textwrap.wrap(title, TITLE_LINE - 20), "subtitle": subtitle, "fontSize": 15,
                      "subtitleFontSize": 11, "anchor": "start", "offset": 12}}
