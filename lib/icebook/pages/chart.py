"""Charts a reader can use: horizontal labelled bars that fit any screen, drawn offline.

A chart is described by a :class:`Chart` (its marks, title, definition, sources, notes)
and made into one HTML figure by :func:`figure`:

* the title, the one-sentence definition and a takeaway generated from the data, as
  HTML above the chart, so they wrap at any width;
* one Vega-Lite view per panel, sized to its column (``width: "container"``) and
  embedded by ``_static/icebook.js`` against the Vega scripts the site ships, with
  colours taken from the page's light or dark theme;
* under it, always visible: the text alternative, a "Source:" line naming each
  document and its date, a "Note:" line (partial years, rounding, self-reported
  figures, comparison caveats) and links to the rows drawn (CSV) and the picture
  (SVG, PNG), made at build time by vl-convert;
* the data table, one click away.

The figure refuses a chart with no source, marks in more than one unit or kind of
count, a bar that dwarfs the rest of its panel, or meaning carried by colour alone.
The CSV, SVG and PNG travel inside the executed notebook; the build moves them into
the site (:func:`ship_files`).
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import json
import re
import textwrap
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import altair as alt
import jsonschema
import pandas as pd
import vl_convert as vlc
from altair.utils.schemapi import SchemaValidationError, debug_mode
from IPython.display import HTML, display
from markupsafe import Markup

from icebook.core.cache import kept
from icebook.data.loader import book
from icebook.pages.escape import json_in_script
from icebook.pages.fmt import fact, fact_text

VL_VERSION = "6.4"
JSONSCHEMA_VERSION = version("jsonschema")  # the validator behind Altair's schema check
# From a page in chapters/pages/ to where the build puts each chart's files.
FILES_URL = "../../_static/downloads/charts"
FILE_PAYLOAD = re.compile(r'<script type="application/x-icebook-file" data-name="([^"]+)">([A-Za-z0-9+/=]*)</script>')
COLOUR_CHANNELS = ("color", "fill", "stroke")
# channels a reader sees as text or position: a field on one of them is not carried by colour alone
LABELLED_CHANNELS = ("x", "y", "row", "column", "facet", "shape", "strokeDash", "text")
MARK_COLUMNS = ("bar", "value", "printed", "fact", "counts")
DWARF = 10  # a bar more than this many times the next longest leaves the others unreadable
SHRUNK = 4  # a panel whose longest bar is under 1/SHRUNK of the chart's longest is unreadable on the chart's scale
INSIDE = 0.5  # a bar at least this share of its scale carries its label inside its end
LABEL_LINE = 22  # characters per line of a bar's label
AXIS_LINE = 36  # characters per line of the value axis's title
PICTURE_WIDTH = 560  # pixels, the downloadable picture
TITLE_LINE = 80  # characters per line of the picture's title and notes
# The colours of the downloadable picture: icebook.css's light theme (icebook.js swaps in the page's theme).
LIGHT = {"ink": "#1f1f1f", "muted": "#595959", "grid": "#dddddd", "bar": "#1f5f9e", "on_bar": "#ffffff"}


@dataclass(frozen=True)
class Chart:
    """What one chart shows and says. ``marks`` has one row per bar, in the order drawn:
    bar (its label), value, printed (the figure as the source words it), fact (its id),
    counts (what one unit of the value is: one kind of count per chart) and, for a chart
    in panels, panel (its heading)."""

    title: str
    subtitle: str
    description: str
    marks: pd.DataFrame
    sources: list[str]
    axis: str
    data_table: Markup
    where: str = ""  # the section, table or figure of the source
    notes: list[str] = field(default_factory=list)
    takeaway: Markup | None = None
    shared_scale: bool = True  # panels on one scale; False gives each panel its own (and says so)
    panel_axes: dict[str, str] = field(default_factory=dict)  # a panel's own axis title, by its heading


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


def _panels(marks: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    if "panel" not in marks:
        return [("", marks)]
    return [(str(name), group) for name, group in marks.groupby("panel", sort=False)]


def why_not_a_chart(marks: pd.DataFrame) -> str | None:
    """Why these marks make no honest bar chart (the reason a table is shown instead), or None."""
    if missing := [c for c in MARK_COLUMNS if c not in marks]:
        return f"marks lack column(s) {', '.join(missing)}"
    units = sorted(set(book().facts_of(list(marks["fact"]))["unit"]))
    if len(units) > 1:
        return f"its marks mix units ({', '.join(units)}); a chart shows one unit"
    kinds = sorted(set(marks["counts"]))
    if len(kinds) > 1:
        return f"its marks mix kinds of count ({'; '.join(kinds)}); a chart shows one kind"
    for heading, panel in _panels(marks):
        values = sorted(panel["value"].astype(float), reverse=True)
        if len(values) > 1 and values[0] > DWARF * values[1]:
            return (f"one bar{f' of panel {heading!r}' if heading else ''} dwarfs the others, "
                    "which would be unreadable beside it; use panels or a table")
    return None


def one_scale_fits(marks: pd.DataFrame) -> bool:
    """Whether every panel reads on one scale shared by all: none whose longest bar is under 1/``SHRUNK`` of the
    chart's longest. Where one is, each panel gets its own scale (``Chart.shared_scale`` False), and the note says
    so. (Vega-Lite gives concatenated views independent x and y scales by default; a panel's explicit domain is
    what makes a scale shared here.)"""
    top = float(marks["value"].astype(float).max())
    return all(float(panel["value"].astype(float).max()) * SHRUNK >= top for _, panel in _panels(marks))


def _wrapped(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_LINE, break_on_hyphens=False)) or label


def _scale_top(chart: Chart, panel: pd.DataFrame) -> float:
    values = (chart.marks if chart.shared_scale else panel)["value"].astype(float)
    return float(values.max()) or 1.0


def _axis_title(chart: Chart, panel: pd.DataFrame) -> str:
    """The value axis's title: the panel's own, where the chart gives one (in the measure's own word)."""
    return chart.panel_axes.get(str(panel["panel"].iloc[0]), chart.axis) if "panel" in panel else chart.axis


def _layered(chart: Chart, panel: pd.DataFrame) -> alt.LayerChart:
    """One panel, as wide as its column: a bar per mark from zero to its value, labelled with the figure as
    printed, inside the bar's end when the bar is long and just past it when short, so no label leaves the chart."""
    top = _scale_top(chart, panel)
    frame = pd.DataFrame({"label": [_wrapped(b) for b in panel["bar"]], "bar": panel["bar"].astype(str),
                          "value": panel["value"].astype(float), "printed": panel["printed"].astype(str),
                          "fact": panel["fact"].astype(str)})
    frame["inside"] = frame["value"] >= INSIDE * top
    lines = max(label.count("\n") + 1 for label in frame["label"])
    base = alt.Chart().encode(  # the data on the layer, once (Altair copies and hashes a layer's own data)
        y=alt.Y("label:N", sort=None, title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=170, labelPadding=4)),
        x=alt.X("value:Q", title=textwrap.wrap(_axis_title(chart, panel), AXIS_LINE),
                scale=alt.Scale(domain=[0, top], zero=True, nice=True),
                axis=alt.Axis(tickCount=4, labelFlush=True, format=",~f", labelSeparation=6)),
        tooltip=[alt.Tooltip("bar:N", title="Bar"), alt.Tooltip("printed:N", title="As the source words it"),
                 alt.Tooltip("fact:N", title="Fact")])
    bars = base.mark_bar(fill=alt.ExprRef("barColour"))
    outside = base.transform_filter("!datum.inside").mark_text(align="left", baseline="middle", dx=3,
                                                               fill=alt.ExprRef("inkColour"))
    inside = base.transform_filter("datum.inside").mark_text(align="right", baseline="middle", dx=-3,
                                                             fill=alt.ExprRef("onBarColour"))
    label = alt.Text("printed:N")  # a channel, not a shorthand string Altair would look up in its schema
    return alt.layer(bars, outside.encode(text=label), inside.encode(text=label), data=frame, width="container",
                     height=len(frame) * (13 * lines + 9))  # in pixels: a step height makes Vega-Lite warn


def _panel_spec(chart: Chart, panel: pd.DataFrame) -> dict:
    """One panel's Vega-Lite spec, as wide as its column (the picture's differs only in its width). Made with
    Altair's checks off, part by part and whole: the finished spec is checked once, in :func:`_schema_checked`."""
    with debug_mode(False):
        spec = _layered(chart, panel).to_dict(validate=False)
    spec.pop("$schema", None)  # an identifier, not fetched; dropped so no page names another host
    spec["config"] = _config(LIGHT)
    spec["params"] = _colour_params(LIGHT)
    return spec


def _colour_params(colours: dict[str, str]) -> list[dict]:
    """The marks' colours, as parameters icebook.js sets from the page's theme."""
    return [{"name": "barColour", "value": colours["bar"]}, {"name": "inkColour", "value": colours["ink"]},
            {"name": "onBarColour", "value": colours["on_bar"]}]


def _config(colours: dict[str, str]) -> dict:
    return {"background": "transparent", "view": {"stroke": None},
            "axis": {"labelColor": colours["ink"], "titleColor": colours["ink"], "domainColor": colours["muted"],
                     "tickColor": colours["muted"], "gridColor": colours["grid"], "labelFontSize": 11,
                     "titleFontSize": 11, "titleFontWeight": "normal"},
            "text": {"fontSize": 11},
            "title": {"color": colours["ink"], "subtitleColor": colours["muted"], "anchor": "start"}}


def source_line(chart: Chart) -> str:
    """ "Source: " and each document with its issuer, number and date, from the source registry."""
    sources = book().sources
    named = [", ".join(part for part in (sources[s].title, sources[s].issuer, sources[s].document_number,
                                         sources[s].date_printed) if part) for s in chart.sources]
    return "Source: " + "; ".join(named) + (f"; {chart.where}" if chart.where else "") + "."


def _period(text: str) -> Markup:
    """A period in the source's words, marked as such (a day of the month is not a figure)."""
    return Markup('<span class="fact-period">{}</span>').format(text)


def note_lines(chart: Chart) -> list[str | Markup]:
    """What a reader must know to read the marks: the caller's notes, then what the drawn facts say of
    themselves (partial years, rounding, qualifiers, OCR, self-reported figures)."""
    drawn = book().facts_of(list(chart.marks["fact"]))
    sources = book().sources
    notes = list(chart.notes)
    partial = sorted(set(drawn.loc[drawn["period_type"] == "partial_fiscal_year", "period"]))
    if partial:
        notes.append(Markup("Part of a fiscal year only: {}.").format(Markup("; ").join(_period(p) for p in partial)))
    hundreds = list(drawn.index[drawn["qualifier"] == "rounded_hundred"])
    if hundreds:  # named: a bar's label shows the figure as printed, with no mark of its rounding
        notes.append(Markup("Rounded to the nearest hundred by the source: {}.").format(
            Markup(", ").join(fact(f, qualifier=False) for f in hundreds)))
    round_figures = list(drawn.index[drawn["qualifier"] == "rounded"])
    if round_figures:
        one = len(round_figures) == 1
        notes.append(Markup("Our reading: {} {} the source prints without a qualifier word, so the book reads {} as "
                            "rounded, not exact; drawn at the number printed.").format(
            Markup(", ").join(fact(f, qualifier=False) for f in round_figures),
            "is a round figure" if one else "are round figures", "it" if one else "them"))
    if drawn["qualifier"].isin(["more_than", "about", "nearly", "at_least", "up_to", "less_than"]).any():
        notes.append("A figure the source qualifies (“more than”, “about” …) is drawn at the number printed; "
                     "its label keeps the qualifier.")
    if drawn["ocr_correction"].astype(bool).any():
        notes.append("A figure the copy misprints is drawn at the number the source meant (see its fact entry).")
    own = sorted({sources[s].title for s in drawn["source"] if sources[s].self_reported})
    if own:
        notes.append(f"Self-reported: the figures of {'; '.join(own)} are the agency's own, not audited ones.")
    if not chart.shared_scale and len(_panels(chart.marks)) > 1:
        notes.append("Each panel has its own scale: compare bars within a panel, not across panels.")
    return notes


PARTIAL = "partial year"  # how a bar's label and a chart's sentence mark part of a fiscal year


def bar_label(fact_id: str, source_name: str) -> str:
    """A bar's label: the fiscal year and source, with everything the fact says of its period, so that a part of
    a year never reads as a whole one ("FY 2018 to August 20, 2018 (partial year), DHS page") and a period the
    source does not state is not shown as stated ("FY 2018, period not stated, DHS page")."""
    row = book().fact(fact_id)
    year = f"FY {int(row['as_of_fiscal_year'])}"
    if row["period_type"] == "partial_fiscal_year":
        year = f"{row['period'] or year} ({PARTIAL})"
    if row["period_basis"] == "inferred":
        year += ", period not stated"
    return f"{year}, {source_name}"


def _issuer(source_id: str) -> str:
    issuer = book().sources[source_id].issuer
    short = re.search(r"\(([^)]+)\)$", issuer)
    return short[1].removesuffix(".gov") if short else issuer


def _when(fact_id: str) -> Markup:
    """When a fact holds, as a phrase that follows a verb: "in FY 2020", "as of August 20, 2018"."""
    row = book().fact(fact_id)
    period = row["period"] or f"FY {int(row['as_of_fiscal_year'])}"
    partial = f", a {PARTIAL}" if row["period_type"] == "partial_fiscal_year" else ""
    if period.startswith(("as of", "from", "at ")):
        return _period(period) + partial
    return ("at the " if period.startswith("close") else "in ") + _period(period) + partial


DOCUMENT_WORD = {"press_release": "page", "annual_report": "report"}  # what a source's kind is called in prose


def _unstated_periods(*fact_ids: str) -> Markup:
    """Why no change is set between two figures whose period a source does not state, without contradicting the
    "as of" the sentence gives them: "no change is computed: DHS gives its figure as of the page's date (August 20,
    2018) without saying what period it covers"; the date is the source's, the period the book's reading."""
    parts = []
    for fact_id in fact_ids:
        row = book().fact(fact_id)
        if row["period_basis"] != "inferred":
            continue
        source = book().sources[row["source"]]
        who = _issuer(row["source"])
        if source.date_printed and row["period"].startswith("as of") and source.date_printed in row["period"]:
            parts.append(Markup("{} gives its figure as of the {}'s date ({}) without saying what period it covers")
                         .format(who, DOCUMENT_WORD.get(source.kind, "document"), _period(source.date_printed)))
        else:
            parts.append(Markup("{} does not say what period its figure of {} covers (the book reads it as {})")
                         .format(who, fact(fact_id), _period(row["period"])))
    return Markup("no change is computed: {}").format(Markup("; and ").join(parts))


def change_sentence(earlier: str, later: str, comparable: str, blocked: str = "") -> Markup:
    """A takeaway made from two facts of one series: who reported what, when, and whether the two
    count the same thing (``comparable`` is the metrics catalog's yes or caveat), or why no change is set
    between them (``blocked``: "scope in doubt", …)."""
    same = _unstated_periods(earlier, later) if blocked == "period not stated" else \
        f"no change is computed between the two: {blocked}" if blocked else {
        "yes": "the two count the same thing",
        "caveat": "the two are comparable with a caveat (see the note)"}[comparable]
    first, last = book().fact(earlier), book().fact(later)
    if _issuer(first["source"]) == _issuer(last["source"]):
        return Markup("{} reported {} {}, against {} {}; {}.").format(
            _issuer(last["source"]), fact(later), _when(later), fact(earlier), _when(earlier), same)
    return Markup("{} reported {} {}, against {} {} ({}); {}.").format(
        _issuer(last["source"]), fact(later), _when(later), fact(earlier), _when(earlier),
        _issuer(first["source"]), same)


def _picture_spec(chart: Chart, panels: list[tuple[str, dict]], notes: list[str | Markup]) -> dict:
    """The downloadable picture: every panel (its heading and spec) on its scale as drawn, with its title,
    definition, takeaway, source and notes (:func:`note_lines`) written into it, so the file stands on its own."""
    views, datasets = [], {}
    for heading, spec in panels:
        view = spec | {"width": PICTURE_WIDTH}  # a copy; the width keeps its place among the keys
        view.pop("config")
        view.pop("params")  # set once, for every view
        datasets |= view.pop("datasets")  # a concatenated view may not carry its own
        if heading:
            view["title"] = {"text": textwrap.wrap(heading, TITLE_LINE), "fontSize": 12}
        views.append(view)
    lines = [chart.subtitle] + ([chart.takeaway.striptags()] if chart.takeaway else [])
    footer = [source_line(chart)] + [f"Note: {Markup(n).striptags()}" for n in notes]
    subtitle = [line for text in lines + footer for line in textwrap.wrap(text, TITLE_LINE)]
    return {"vconcat": views, "datasets": datasets, "params": _colour_params(LIGHT), "config": _config(LIGHT),
            "background": "#ffffff", "padding": 12,
            "title": {"text": textwrap.wrap(chart.title, TITLE_LINE - 20), "subtitle": subtitle, "fontSize": 15,
                      "subtitleFontSize": 11, "anchor": "start", "offset": 12}}


def _rows_csv(chart: Chart) -> str:
    """The rows drawn, each with its fact id, source, locator and verbatim quote."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["panel", "bar", "value", "as_printed", "unit", "counts", "fact_id", "source", "locator",
                     "quote"])
    for _, mark in chart.marks.iterrows():
        row = book().fact(mark["fact"])
        writer.writerow([mark.get("panel", ""), mark["bar"], f"{float(mark['value']):g}", mark["printed"],
                         row["unit"], mark["counts"], mark["fact"], row["source"], row["locator"], row["quote"]])
    return out.getvalue()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-")


def _payload(name: str, content: bytes) -> Markup:
    return Markup('<script type="application/x-icebook-file" data-name="{}">{}</script>').format(
        name, base64.b64encode(content).decode())


def _checked(chart: Chart) -> list[tuple[str, dict]]:
    """Each panel's heading and spec, after refusing what would mislead or leave a reader without a source."""
    if not chart.sources:
        raise ValueError(f"chart {chart.title!r} has no source line: name the document(s) its marks come from")
    if reason := why_not_a_chart(chart.marks):
        raise ValueError(f"chart {chart.title!r}: {reason}")
    panels = [(heading, _panel_spec(chart, panel)) for heading, panel in _panels(chart.marks)]
    for _, spec in panels:
        if hidden := colour_only(spec):
            raise ValueError(f"chart {chart.title!r}: {', '.join(sorted(hidden))} shown by colour alone; "
                             "encode it on an axis, a panel or a shape as well")
    return panels


def _live_view(chart: Chart, spec: dict) -> dict:
    """A panel as the page shows it: the column's width, a height from the bars."""
    return spec | {"description": chart.description, "autosize": {"type": "fit-x", "contains": "padding"},
                   "padding": {"left": 2, "top": 4, "right": 20, "bottom": 4}}  # room for a tick label at the end


def _schema_checked(chart: Chart, specs: dict[str, dict], digest: str) -> None:
    """Refuse a chart whose specs (by what they draw; ``digest`` is their hash) break the Vega-Lite schema,
    naming the chart and the spec. A check costs tens of milliseconds a spec, so a chart found valid is recorded
    in the build's cache under its hash and the versions of Altair, its schema and the validator, and not checked
    again; with no cache to write to, it is checked every time."""
    key = hashlib.sha256(f"{digest} altair {alt.__version__} vega-lite {alt.SCHEMA_VERSION} "
                         f"jsonschema {JSONSCHEMA_VERSION}".encode()).hexdigest()

    def check() -> bytes:
        for drawn, spec in specs.items():
            try:
                alt.TopLevelSpec.validate(spec)
            except jsonschema.ValidationError as err:
                with debug_mode(False):
                    reason = SchemaValidationError(alt.TopLevelSpec(spec), err)
                raise ValueError(f"chart {chart.title!r}: the Vega-Lite spec of {drawn} breaks the schema "
                                 f"({alt.SCHEMA_VERSION}): {reason}") from None
        return b"valid\n"

    kept(f"chart-specs-valid/{key[:24]}", check)


# Where the drawing library looks for the fonts it sets a chart's text in (fontdb's places on Linux).
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path.home() / ".local" / "share" / "fonts"]


@functools.lru_cache(maxsize=1)
def fonts_installed() -> str:
    """A hash of the font files the drawing library can find (their paths, sizes and modification times): the
    pictures' text is set in them, so installing a font (Chromium's set-up brings some) changes the pictures."""
    digest = hashlib.sha256()
    for folder in FONT_DIRS:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def pictures(picture: dict) -> tuple[bytes, bytes]:
    """The chart's static SVG and PNG. Drawing them is a page's costliest step, so each is kept in the build's
    cache under a hash of its spec, the drawing library's versions and the fonts installed: a page re-run with
    the same chart draws nothing."""
    key = hashlib.sha256(json.dumps([picture, VL_VERSION, vlc.__version__, fonts_installed()],
                                    sort_keys=True).encode()).hexdigest()
    return (kept(f"charts/{key[:24]}.svg", lambda: vlc.vegalite_to_svg(picture, vl_version=VL_VERSION).encode()),
            kept(f"charts/{key[:24]}.png", lambda: vlc.vegalite_to_png(picture, vl_version=VL_VERSION, scale=2)))


def figure(chart: Chart) -> Markup:
    """The HTML of one chart figure. File names and ids are hashes of the content, so identical builds match."""
    specs = _checked(chart)
    views = [(heading, _live_view(chart, spec)) for heading, spec in specs]
    notes = note_lines(chart)
    picture = _picture_spec(chart, specs, notes)
    digest = hashlib.sha256(json.dumps([picture, [v for _, v in views]], sort_keys=True).encode()).hexdigest()
    drawn = {f"its panel {heading!r}" if heading else "its view": view for heading, view in views}
    _schema_checked(chart, drawn | {"its picture": picture}, digest)
    chart_id = "chart-" + digest[:12]
    stem = f"{_slug(chart.title)}-{digest[:8]}"
    svg, png = pictures(picture)
    files = {f"{stem}.csv": _rows_csv(chart).encode(), f"{stem}.svg": svg, f"{stem}.png": png}
    panels = Markup("").join(
        Markup('<div class="chart-panel">{}<div class="chart-live"></div>'
               '<script type="application/json" class="chart-spec">{}</script></div>').format(
            Markup('<p class="chart-panel-title">{}</p>').format(heading) if heading else "",
            json_in_script(view, sort_keys=True, separators=(",", ":")))
        for heading, view in views)
    links = Markup(" · ").join(Markup('<a href="{}/{}" download>{}</a>').format(FILES_URL, name, label)
                               for name, label in zip(files, ("Data (CSV)", "Picture (SVG)", "Picture (PNG)"),
                                                      strict=True))
    return Markup(
        '<figure class="icebook-chart" id="{id}" aria-labelledby="{id}-title">'
        '<div class="chart-heading"><p class="chart-title" id="{id}-title">{title}</p>'
        '<p class="chart-subtitle">{subtitle}</p>{takeaway}</div>{panels}'
        '<img class="chart-static" alt="{desc}" src="{url}/{stem}.svg">'
        '<figcaption><p class="chart-description">{desc}</p><p class="chart-source">{source}</p>{notes}'
        '<p class="chart-downloads">{links}</p></figcaption>'
        "<details><summary>Data behind this chart</summary>{table}</details>{files}</figure>"
    ).format(id=chart_id, title=chart.title, subtitle=chart.subtitle,
             takeaway=Markup('<p class="chart-takeaway">{}</p>').format(chart.takeaway) if chart.takeaway else "",
             panels=panels, desc=chart.description, url=FILES_URL, stem=stem, source=source_line(chart),
             notes=Markup('<p class="chart-note">Note: {}</p>').format(Markup(" ").join(notes)) if notes else "",
             links=links, table=chart.data_table,
             files=Markup("").join(_payload(name, content) for name, content in files.items()))


def show_chart(chart: Chart) -> None:
    display(HTML(str(figure(chart))))


def printed_marks(facts: pd.DataFrame, bars: list[str], counts: str) -> pd.DataFrame:
    """Marks for the given fact rows: each labelled, valued and worded as its source prints it."""
    return pd.DataFrame({"bar": bars, "value": facts["value"].astype(float).to_list(),
                         "printed": [fact_text(i) for i in facts.index], "fact": list(facts.index),
                         "counts": counts})


def ship_files(notebook: Path, out: Path) -> None:
    """Move the files a page's charts carry (CSV, SVG, PNG) out of its executed notebook into ``out``."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if not html:
                continue
            text = "".join(html) if isinstance(html, list) else html
            for name, content in FILE_PAYLOAD.findall(text):
                out.mkdir(parents=True, exist_ok=True)
                (out / name).write_bytes(base64.b64decode(content))
            output["data"]["text/html"] = FILE_PAYLOAD.sub("", text)
    nbformat.write(nb, notebook)


def title_over_panels(label: str, panels: list[str]) -> str:
    """A measure's label made true of every panel: a word of it that only some panels' headings use ("issued")
    gives way to each panel's own word in that place ("issued or placed"); otherwise the label as it is."""
    heads = [re.split(r"[(,]", panel)[0].lower().split() for panel in dict.fromkeys(panels)]
    common = set.intersection(*(set(head) for head in heads)) if heads else set()
    own = [[word for word in head if word not in common] for head in heads]
    if len(own) < 2 or any(len(words) != 1 for words in own):
        return label
    return " ".join(" or ".join(dict.fromkeys(words[0] for words in own)) if any([word.lower()] == words
                                                                                  for words in own) else word
                    for word in label.split())
