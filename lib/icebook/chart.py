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


def figure(chart: alt.Chart, title: str, description: str, source: str, data_table: Markup) -> Markup:
    """The HTML of one chart figure. Its id is a hash of its spec, so identical builds match."""
    spec = chart.properties(title=title, description=str(description)).to_dict()
    spec.pop("$schema", None)  # an identifier, not fetched; dropped so no page names another host
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
