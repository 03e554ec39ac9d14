"""Charts that draw offline: Altair specs embedded against the Vega scripts the site ships.

Each chart is a figure with a title, the live chart (vegaEmbed, loaded from
_static/vendor/ by the book's config, never from a CDN), a static SVG made at
build time by vl-convert (shown in print and without JavaScript), an accessible
description, the source, and the data behind it one click away.
"""

from __future__ import annotations

import base64
import hashlib
import json

import altair as alt
import vl_convert as vlc
from IPython.display import HTML, display
from markupsafe import Markup

VL_VERSION = "6.4"
# No action menu: its icon-only <summary> fails axe-core, and the data table and the static SVG
# already give the reader the data and an image.
EMBED_OPTIONS = {"actions": False, "renderer": "svg", "mode": "vega-lite"}
COLOUR_CHANNELS = ("color", "fill", "stroke")
# channels a reader sees as text or position: a field on one of them is not carried by colour alone
LABELLED_CHANNELS = ("x", "y", "row", "column", "facet", "shape", "strokeDash", "text")


def _fields(spec, channels: tuple[str, ...]) -> set[str]:
    """The fields encoded on the given channels anywhere in a (possibly layered or faceted) spec."""
    found: set[str] = set()
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("encoding", "facet") and isinstance(value, dict):
                found |= {enc["field"] for channel, enc in value.items()
                          if channel in channels and isinstance(enc, dict) and "field" in enc}
                if key == "facet" and "field" in value and "facet" in channels:
                    found.add(value["field"])
            found |= _fields(value, channels)
    elif isinstance(spec, list):
        for item in spec:
            found |= _fields(item, channels)
    return found


def colour_only(spec: dict) -> set[str]:
    """Fields a chart shows by colour and by nothing a reader can read (an axis, a panel header, a shape)."""
    return _fields(spec, COLOUR_CHANNELS) - _fields(spec, LABELLED_CHANNELS)


def labelled_bars(base: alt.Chart, label: str, horizontal: bool = True) -> alt.LayerChart:
    """Bars, each with its figure as printed written at its end, so no reader needs the axis to read a value."""
    text = (base.mark_text(align="left", baseline="middle", dx=3) if horizontal
            else base.mark_text(align="center", baseline="bottom", dy=-2))
    return base.mark_bar() + text.encode(text=f"{label}:N")


def panels(chart: alt.TopLevelMixin, field: str, order: list[str] | None = None) -> alt.FacetChart:
    """One panel per value of a field (in the given order), each headed by that value in words."""
    header = alt.Header(labelOrient="top", labelAnchor="start", labelAngle=0, labelFontWeight="bold",
                        labelLimit=480)
    return chart.facet(row=alt.Row(f"{field}:N", title=None, header=header, sort=order or "ascending"))


def figure(chart: alt.Chart, title: str, description: str, source: str, data_table: Markup) -> Markup:
    """The HTML of one chart figure. Its id is a hash of its spec, so identical builds match."""
    spec = chart.properties(title=title, description=str(description)).to_dict()
    spec.pop("$schema", None)  # an identifier, not fetched; dropped so no page names another host
    if hidden := colour_only(spec):
        raise ValueError(f"chart {title!r}: {', '.join(sorted(hidden))} shown by colour alone; "
                         "encode it on an axis, a panel (row/column) or a shape as well")
    spec_json = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    chart_id = "chart-" + hashlib.sha256(spec_json.encode()).hexdigest()[:12]
    svg = vlc.vegalite_to_svg(spec, vl_version=VL_VERSION)
    static = base64.b64encode(svg.encode()).decode()
    script = Markup(
        "<script>(function(){{var el=document.getElementById({});"
        "vegaEmbed(el,{},{}).then(function(){{el.closest('figure').classList.add('chart-drawn');}})"
        ".catch(function(e){{console.error('chart {}: '+e);}});}})();</script>"
    ).format(Markup(json.dumps(chart_id + "-live")), Markup(spec_json.replace("</", "<\\/")),
             Markup(json.dumps(EMBED_OPTIONS)), chart_id)
    return Markup(
        '<figure class="icebook-chart" id="{id}">'
        '<div class="chart-live" id="{id}-live"></div>'
        '<img class="chart-static" alt="{desc}" src="data:image/svg+xml;base64,{static}">'
        "<figcaption><strong>{title}</strong>. {desc} Source: {source}.</figcaption>"
        "<details><summary>Data behind this chart</summary>{table}</details>"
        "{script}</figure>"
    ).format(id=chart_id, desc=description, static=static, title=title, source=source,
             table=data_table, script=script)


def show_chart(chart: alt.Chart, title: str, description: str, source: str, data_table: Markup) -> None:
    display(HTML(str(figure(chart, title, description, source, data_table))))
