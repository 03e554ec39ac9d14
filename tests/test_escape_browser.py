"""Hostile text in every context a page puts data in, opened in Chromium: no script runs, no page loses content.

The validator refuses markup in data/, so these payloads are rendered straight through the
functions the chapters use (escape.py, fmt.table, chart.figure): HTML text, a double-quoted
attribute, a table with its caption, and a chart's title, subtitle, description, axis, bar
labels and note, whose spec is JSON inside a <script> element.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import Markup

from icebook.data.loader import book
from icebook.pages import fmt
from icebook.pages.chart import Chart, figure
from icebook.pages.escape import html_attribute, html_text, json_in_script

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
PAYLOADS = [
    "</script><script>window.pwned = (window.pwned || 0) + 1</script>",
    "<!--<script>",
    '"><img src=x onerror="window.pwned = 1">',
    "'><svg onload=window.pwned=1>",
    "\u2028\u2029 line and paragraph separators",
    "&lt;b&gt; entities & ampersands",
    "</figure></div></article><p>",
]
SCRIPTS = ["vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js", "vega-embed/build/vega-embed.min.js"]


def test_json_in_script_escapes_what_could_end_or_change_a_script():
    text = json_in_script({"a": "</script><!--&\u2028\u2029"})
    assert text == '{"a": "\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029"}'


def _page(payload: str, i: int) -> Markup:
    data = book()
    fact = data.facts[data.facts["unit"] == "count"].iloc[i]
    table = fmt.table([{"cell": payload}], [("cell", payload)], caption=payload)
    marks = pd.DataFrame([{"bar": bar, "value": float(fact["value"]), "printed": payload, "fact": fact["id"],
                           "counts": payload} for bar in (payload, f"{payload} again")])  # two: a chart, not a line
    # Vega's expression parser cannot read U+2028/U+2029 in an axis title (the validator refuses them in data)
    axis = payload.replace("\u2028", " ").replace("\u2029", " ")
    chart = Chart(title=payload, subtitle=payload, description=payload, marks=marks, sources=[fact["source"]],
                  axis=axis, data_table=table, where=payload, notes=[payload])
    return Markup('<section data-i="{i}"><p class="text">{text}</p><span class="attr" title="{attr}">x</span>'
                  "{table}{chart}</section>").format(
        i=i, text=html_text(payload), attr=html_attribute(payload), table=table, chart=figure(chart))


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for script in SCRIPTS:
        shutil.copy2(ROOT / "node_modules" / script, folder / Path(script).name)
    shutil.copy2(ROOT / "_static" / "icebook.js", folder / "icebook.js")
    head = "".join(f'<script src="{Path(s).name}"></script>' for s in [*SCRIPTS, "icebook.js"])
    body = Markup("").join(_page(p, i) for i, p in enumerate(PAYLOADS))
    (folder / "index.html").write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head>'
                                       f'<body><main>{body}<p id="end">end of page</p></main></body></html>')

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    httpd.shutdown()


def test_no_payload_runs_and_every_one_is_shown_as_text(browser, hostile_page):
    page = browser.new_page()
    errors, dialogs = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_page, wait_until="load")
    charts = page.locator("figure.icebook-chart")
    assert charts.count() == len(PAYLOADS)
    for i in range(len(PAYLOADS)):
        charts.nth(i).locator(".vega-embed svg.marks").first.wait_for(state="attached", timeout=15000)
        assert "chart-drawn" in charts.nth(i).get_attribute("class")
    assert page.evaluate("window.pwned") is None
    assert dialogs == [] and errors == []
    assert page.locator("#end").is_visible()  # nothing after a payload was swallowed
    assert page.locator("img, svg[onload]").count() == len(PAYLOADS)  # each chart's static image, no other
    for i, payload in enumerate(PAYLOADS):
        section = page.locator(f'section[data-i="{i}"]')
        assert section.locator("p.text").text_content() == payload
        assert section.locator("span.attr").get_attribute("title") == payload
        assert section.locator("figure table caption").first.text_content() == payload
        assert section.locator("figure .chart-title").text_content() == payload
        assert payload in section.locator("figcaption").text_content()
    page.close()
