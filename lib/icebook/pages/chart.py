"""Charts a reader can use: horizontal labelled bars that fit any screen, drawn offline, each figure drawn the way
its source qualifies it, and a lone figure said in a line instead of drawn.

A chart is described by a :class:`Chart` (its marks, title, definition, sources, notes) and made into one HTML
figure by :func:`figure`:

* the title, the one-sentence definition and a takeaway generated from the data, as HTML above the chart, so they
  wrap at any width;
* one Vega-Lite view per panel of two or more marks (:mod:`icebook.pages.chartspec`), sized to its column and
  embedded by ``_static/icebook.js`` against the Vega scripts the site ships, each bar drawn as its qualifier says
  (:mod:`icebook.pages.chartkey`); a panel of one mark is a stat line instead (the figure, what it counts, its
  source), and a chart of lone figures is stat lines only, with no picture;
* under it: a short "Source:" line, the chart's own notes (folded when they would run longer than the chart on a
  phone), and links to the rows drawn (CSV) and the picture (SVG, PNG, made at build time by vl-convert, with the
  title and takeaway above the chart and the source and notes below it, as the page has them);
* the data table, one click away.

The text alternative is the picture's ``alt`` and the views' description, for screen readers, not printed again.
What holds for every chart alike (the key to the marks, self-reported figures) travels with each figure and is said
once a page by the build (``chartfiles.ship_files``).

The figure refuses a chart with no source, marks in more than one unit or kind of count, a bar that dwarfs the rest
of its panel, a qualifier with no way of being drawn, or meaning carried by colour alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import HTML, display
from markupsafe import Markup

from icebook.data.facts import ANECDOTE
from icebook.data.loader import book
from icebook.pages.chartfiles import (
    FILES_URL,
    payload,
    pictures,
    rows_csv,
    schema_checked,
    slug,
)
from icebook.pages.chartkey import (
    APPROXIMATE,
    CEILING,
    DERIVED_BOUND,
    IMPLIED,
    OPEN,
    encodings_of,
    glyph,
    page_notes_html,
)
from icebook.pages.chartspec import DRAWN_AS, key_spec, live_view, panel_spec, picture_spec
from icebook.pages.chartwords import (
    bar_label,
    note_lines,
    page_notes,
    short_source_line,
    source_line,
)
from icebook.pages.escape import json_in_script
from icebook.pages.fmt import QUALIFIER_NOTES, QUALIFIER_WORDS, derived_working, fact_text, plain, ref

__all__ = ["Chart", "bar_label", "colour_only", "drawn_figure", "figure", "implied_marks", "printed_marks",
           "show_chart", "why_not_a_chart"]

COLOUR_CHANNELS = ("color", "fill", "stroke")
# channels a reader sees as text or position: a field on one of them is not carried by colour alone
LABELLED_CHANNELS = ("x", "y", "row", "column", "facet", "shape", "strokeDash", "text")
MARK_COLUMNS = ("bar", "value", "printed", "fact", "counts")
DWARF = 10  # a bar more than this many times the next longest leaves the others unreadable
ROOM, MARKED_ROOM = 20, 30  # pixels right of a panel's scale: for a tick label; for an open end or tilde as well
# How long a chart's notes may run under it before they fold, estimated on a phone (a 358 px column).
PHONE_LINE = 44  # characters per line of a caption
PHONE_LINE_HEIGHT = 24  # pixels
PHONE_MARGINS = 30  # pixels around the caption's paragraphs
PANEL_FURNITURE = 60  # pixels of a panel besides its bars: its axis and heading


@dataclass(frozen=True)
class Chart:
    """What one chart shows and says. ``marks`` has one row per bar, in the order drawn:
    bar (its label), value, printed (the figure as the source words it), fact (its id: a fact, or a derived figure,
    drawn as implied), counts (what one unit of the value is: one kind of count per chart) and, for a chart
    in panels, panel (its heading); a mark said in a stat line names what it counts by its ``what``, else its
    panel's heading, else the axis; a mark with an ``apart`` reason (not compared with the others, because …) is
    said in a stat line with its reason, never drawn beside them."""

    title: str | Markup  # a takeaway: Markup where it carries traced figures (the picture gets its text)
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
    directions: tuple[str, ...] = ()  # which way each change the chart's title may speak of goes ("rise", "fall",
    # "open"), so that a check of the page can hold the title to them (charttitles.title_problems)
    kind: str = "bars"  # what its marks are: "bars", or "changes" (the bottom line's dots and ranges)


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


def figures_of(ids: list[str]) -> pd.DataFrame:
    """What the chart needs of each mark's figure, by id, whether a fact or a derived figure: unit, source,
    locator, quote, qualifier, whether implied, and the rows' period and misprint columns (a derived figure's
    source is its inputs' sources, its locator its formula, its quote its working)."""
    data, rows = book(), {}
    for figure_id in dict.fromkeys(ids):
        if data.has_fact(figure_id):
            row = data.fact(figure_id)
            rows[figure_id] = {"unit": row["unit"], "source": row["source"], "locator": row["locator"],
                               "quote": row["quote"], "qualifier": row["qualifier"], "implied": False,
                               "period_type": row["period_type"], "period": row["period"],
                               "ocr_correction": row["ocr_correction"], "anecdote": row["role"] == ANECDOTE}
        else:
            row = data.derived_figure(figure_id)
            inputs = data.facts_of(sorted(i for i in row["inputs"].values() if data.has_fact(i)))
            rows[figure_id] = {"unit": row["unit"], "source": "; ".join(sorted(set(inputs["source"]))),
                               "locator": row["formula"], "quote": derived_working(figure_id),
                               "qualifier": DERIVED_BOUND[row["bound"]], "implied": True, "period_type": "",
                               "period": "", "ocr_correction": "", "anecdote": False}
    return pd.DataFrame.from_dict(rows, orient="index")


def why_not_a_chart(marks: pd.DataFrame) -> str | None:
    """Why these marks make no honest bar chart (the reason a table is shown instead), or None."""
    if missing := [c for c in MARK_COLUMNS if c not in marks]:
        return f"marks lack column(s) {', '.join(missing)}"
    figures = figures_of(list(marks["fact"]))
    if anecdotes := list(figures.index[figures["anecdote"].astype(bool)]):
        return (f"its marks include anecdotes ({', '.join(anecdotes)}), counts a source gives as a detail of an "
                "example or of what people told it; a chart draws statistics only")
    units = sorted(set(figures["unit"]))
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


TIP = {OPEN: "open end: the true figure lies beyond the number printed",
       APPROXIMATE: "tilde: the true figure is near the number printed",
       CEILING: "arrow back: the true figure is at most the number printed"}


def _tip(figure: pd.Series, figure_id: str, drawn: list[str]) -> str:
    """What a bar's tooltip says of how it is drawn: its qualifier in the source's words and what the mark means;
    for an implied figure, how it is computed from its inputs."""
    parts = []
    if IMPLIED in drawn:
        parts.append(f"hollow, dashed: implied, computed by the book as {figure['quote']}")
    for encoding in drawn:
        if encoding not in TIP:
            continue
        words = QUALIFIER_WORDS.get(figure["qualifier"], "")
        if figure["implied"]:
            said = f"“{words}”, from its inputs"
        else:
            said = QUALIFIER_NOTES.get(figure["qualifier"]) or \
                f"the source says “{book().fact(figure_id)['source_qualifier'] or words}”"
        parts.append(f"{TIP[encoding]} ({said})")
    return "; ".join(parts) or "plain bar: exact as printed"


def drawn_marks(marks: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The marks with how each is drawn (``open``, ``approximate``, ``ceiling``, ``implied``) and its tooltip's
    note, from its figure's qualifier; a qualifier no encoding draws is refused here."""
    drawn = [encodings_of(figures.at[i, "qualifier"], bool(figures.at[i, "implied"])) for i in marks["fact"]]
    return marks.assign(**{column: [column in d for d in drawn] for column in DRAWN_AS},
                        tip=[_tip(figures.loc[i], i, d) for i, d in zip(marks["fact"], drawn, strict=True)])


def _checked(chart: Chart) -> None:
    """Refuse what would mislead or leave a reader without a source."""
    if not chart.sources:
        raise ValueError(f"chart {_plain(chart.title)!r} has no source line: name the document(s) its marks come "
                         "from")
    if reason := why_not_a_chart(chart.marks):
        raise ValueError(f"chart {_plain(chart.title)!r}: {reason}")


def _axis_title(chart: Chart, heading: str) -> str:
    """The value axis's title: the panel's own, where the chart gives one (in the measure's own word)."""
    return chart.panel_axes.get(heading, chart.axis)


def _stat_line(chart: Chart, heading: str, mark: pd.Series, figures: pd.DataFrame) -> Markup:
    """A lone figure as a line: its qualifier's mark (as the key shows it), the figure (traced), what it counts,
    and its year and source."""
    when = str(mark["bar"])
    names = [book().sources[s].short_name for s in str(figures.at[mark["fact"], "source"]).split("; ") if s]
    when += "".join(f", {name}" for name in names if name not in when)
    drawn = [column for column in DRAWN_AS if mark[column]]
    marked = glyph(*drawn) if drawn else Markup("")
    what = mark.get("what") or heading or chart.axis
    return Markup('<p class="stat-line">{}<span class="stat-figure">{}</span> <span class="stat-label">{}</span> '
                  '<span class="stat-when">{}</span></p>').format(marked, ref(str(mark["fact"])), what, when)


def _stat_lines(chart: Chart, lone: list[tuple[str, pd.Series, str]], figures: pd.DataFrame) -> Markup:
    """Stat lines for figures said, not drawn (``lone``: heading, mark, the reason it stands apart or ""), each run
    of lines that stand apart for one reason followed by it once."""
    out, i = Markup(""), 0
    while i < len(lone):
        reason, j = lone[i][2], i
        while j < len(lone) and lone[j][2] == reason:
            out += _stat_line(chart, lone[j][0], lone[j][1], figures)
            j += 1
        if reason:
            out += Markup('<div class="stat-apart">{}</div>').format(reason)
        i = j
    return out


def _folded(notes: list[str | Markup], chart_height: float, source: str) -> Markup:
    """The chart's own notes, shown under it when they and the source line fit in about the chart's height on a
    phone, else one click away."""
    if not notes:
        return Markup("")
    said = Markup("Note: {}").format(Markup(" ").join(notes))
    lines = sum(-(-len(Markup(text).striptags()) // PHONE_LINE) for text in (source, said))
    if lines * PHONE_LINE_HEIGHT + PHONE_MARGINS <= chart_height:
        return Markup('<p class="chart-note">{}</p>').format(said)
    return Markup('<details class="chart-notes"><summary>Notes on this chart</summary><p class="chart-note">{}</p>'
                  "</details>").format(said)


def _phone_height(panels: list[tuple[str, dict]]) -> float:
    return sum(float(spec["height"]) + PANEL_FURNITURE for _, spec in panels)


def figure(chart: Chart) -> Markup:
    """The HTML of one chart figure. File names and ids are hashes of the content, so identical builds match."""
    figures = figures_of(list(chart.marks["fact"]))
    _checked(chart)
    marks = drawn_marks(chart.marks, figures).reset_index(drop=True)
    apart = marks["apart"].fillna("") if "apart" in marks else pd.Series("", index=marks.index)
    panels = _panels(marks[apart == ""])
    drawn_panels = [(heading, panel) for heading, panel in panels if len(panel) > 1]
    single = {panel.index[0]: heading for heading, panel in panels if len(panel) == 1}
    lone = [(single.get(i, str(mark.get("panel", "")) if "panel" in marks else ""), mark, apart[i])
            for i, mark in marks.iterrows() if apart[i] or i in single]
    rows = figures.loc[list(marks["fact"])]
    own_scales = not chart.shared_scale and len(drawn_panels) > 1
    own, shared = note_lines(chart.notes, rows, own_scales), page_notes(rows)
    stats = _stat_lines(chart, lone, figures)
    said = {c for c in DRAWN_AS for _, mark, _ in lone if mark[c]}
    csv_file = rows_csv(marks, figures).encode()
    if not drawn_panels:
        return _stats_figure(chart, stats, own, shared, csv_file, said)
    chart_top = float(pd.concat([p for _, p in drawn_panels])["value"].astype(float).max())
    specs = [(heading, panel_spec(panel, chart_top if chart.shared_scale else float(panel["value"].max()),
                                  _axis_title(chart, heading))) for heading, panel in drawn_panels]
    for _, spec in specs:
        if hidden := colour_only(spec):
            raise ValueError(f"chart {_plain(chart.title)!r}: {', '.join(sorted(hidden))} shown by colour alone; "
                             "encode it on an axis, a panel or a shape as well")
    drawn_rows = pd.concat([p for _, p in drawn_panels])
    encodings = {c for c in DRAWN_AS if drawn_rows[c].any()} | said | (
        {"plain"} if not drawn_rows[list(DRAWN_AS)].any(axis=1).all() else set())
    rooms = [MARKED_ROOM if _marked(panel) else ROOM for _, panel in drawn_panels]
    return drawn_figure(chart, specs, rooms, own, shared, encodings, csv_file, stats)


def drawn_figure(chart: Chart, specs: list[tuple[str, dict]], rooms: list[int], own: list[str | Markup],
                 shared: dict[str, str], encodings: set[str], csv_file: bytes, stats: str = "",
                 key: dict | None = None) -> Markup:
    """The figure of a chart whose panels' specs are made (``specs``: heading and spec; ``rooms``: pixels right of
    each panel's scale): its live views, its picture (title and takeaway above, key, source and notes below), its
    files, its own notes (``own``) and what it shares with the page's other charts (``shared``, ``encodings``).
    The picture's key is the bars' (``chartspec.key_spec``) unless the chart draws its own marks (``key``)."""
    views = [(heading, live_view(spec, chart.description, room))
             for (heading, spec), room in zip(specs, rooms, strict=True)]
    heading_lines = [chart.subtitle] + ([chart.takeaway.striptags()] if chart.takeaway else [])
    footer = [source_line(chart.sources, chart.where), *(f"Note: {Markup(n).striptags()}" for n in own),
              *shared.values()]
    picture = picture_spec(_plain(chart.title), heading_lines, specs, key or key_spec(encodings), footer)
    digest = hashlib.sha256(json.dumps([picture, [v for _, v in views]], sort_keys=True).encode()).hexdigest()
    schema_checked(_plain(chart.title), {f"its panel {h!r}" if h else "its view": v for h, v in views}
                   | {"its picture": picture}, digest)
    chart_id = "chart-" + digest[:12]
    stem = f"{slug(_plain(chart.title))}-{digest[:8]}"
    svg, png = pictures(picture)
    files = {f"{stem}.csv": csv_file, f"{stem}.svg": svg, f"{stem}.png": png}
    live = Markup("").join(
        Markup('<div class="chart-panel">{}<div class="chart-live"></div>'
               '<script type="application/json" class="chart-spec">{}</script></div>').format(
            Markup('<p class="chart-panel-title">{}</p>').format(heading) if heading else "",
            json_in_script(view, sort_keys=True, separators=(",", ":")))
        for heading, view in views)
    source = short_source_line(chart.sources, chart.where)
    return Markup(
        '<figure class="icebook-chart {kind}-chart" id="{id}" aria-labelledby="{id}-title" '
        'data-directions="{directions}">{heading}{stats}{live}'
        '<img class="chart-static" alt="{desc}" src="{url}/{stem}.svg">'
        '<figcaption><p class="chart-source">{source}</p>{notes}{page}<p class="chart-downloads">{links}</p>'
        "</figcaption><details><summary>Data behind this chart</summary>{table}</details>{files}</figure>"
    ).format(id=chart_id, kind=chart.kind, directions=" ".join(chart.directions), heading=_heading(chart, chart_id),
             live=live,
             desc=chart.description, url=FILES_URL,
             stem=stem, stats=stats, source=source, notes=_folded(own, _phone_height(specs), source),
             page=page_notes_html(encodings, shared), links=_links(files), table=chart.data_table,
             files=Markup("").join(payload(name, content) for name, content in files.items()))


def _plain(text: str | Markup) -> str:
    return Markup(text).striptags() if isinstance(text, Markup) else text


def _marked(panel: pd.DataFrame) -> bool:
    return bool(panel[OPEN].any() or panel[APPROXIMATE].any())


def _heading(chart: Chart, chart_id: str) -> Markup:
    return Markup('<div class="chart-heading"><p class="chart-title" id="{}-title">{}</p>'
                  '<p class="chart-subtitle">{}</p>{}</div>').format(
        chart_id, chart.title, chart.subtitle,
        Markup('<p class="chart-takeaway">{}</p>').format(chart.takeaway) if chart.takeaway else "")


def _links(files: dict[str, bytes]) -> Markup:
    labels = {".csv": "Data (CSV)", ".svg": "Picture (SVG)", ".png": "Picture (PNG)"}
    return Markup(" · ").join(Markup('<a href="{}/{}" download>{}</a>').format(FILES_URL, name,
                                                                             labels[name[name.rindex("."):]])
                              for name in files)


def _stats_figure(chart: Chart, stats: Markup, own: list, shared: dict[str, str], csv_file: bytes,
                  said: set[str]) -> Markup:
    """Lone figures only: stat lines under the title, with the source, notes, the rows (CSV) and the table; no
    picture, as there is nothing to draw. ``said``: the qualifiers' marks the lines carry, for the page's key."""
    chart_id = "stats-" + hashlib.sha256(str(_heading(chart, "")).encode() + str(stats).encode()
                                         + csv_file).hexdigest()[:12]
    name = f"{slug(_plain(chart.title))}-{chart_id[6:14]}.csv"
    source = short_source_line(chart.sources, chart.where)
    return Markup(
        '<figure class="icebook-stats" id="{id}" aria-labelledby="{id}-title" data-directions="{directions}">'
        '{heading}{stats}'
        '<figcaption><p class="chart-source">{source}</p>{notes}{page}<p class="chart-downloads">{links}</p>'
        "</figcaption><details><summary>Data behind these figures</summary>{table}</details>{file}</figure>"
    ).format(id=chart_id, directions=" ".join(chart.directions), heading=_heading(chart, chart_id), stats=stats,
             source=source,
             notes=Markup('<p class="chart-note">Note: {}</p>').format(Markup(" ").join(own)) if own else "",
             page=page_notes_html(said, shared), links=_links({name: csv_file}),
             table=chart.data_table,
             file=payload(name, csv_file))


def show_chart(chart: Chart) -> None:
    display(HTML(str(figure(chart))))


def printed_marks(facts: pd.DataFrame, bars: list[str], counts: str) -> pd.DataFrame:
    """Marks for the given fact rows: each labelled, valued and worded as its source prints it."""
    return pd.DataFrame({"bar": bars, "value": facts["value"].astype(float).to_list(),
                         "printed": [fact_text(i) for i in facts.index], "fact": list(facts.index),
                         "counts": counts})


def implied_marks(derived_ids: list[str], bars: list[str], counts: str) -> pd.DataFrame:
    """Marks for derived figures (drawn hollow and dashed, as implied): each labelled, valued and worded as the page
    shows it ("about 93,000", drawn to 93,000)."""
    rows = [book().derived_figure(i) for i in derived_ids]
    return pd.DataFrame({"bar": bars, "value": [float(r["shown"]) for r in rows],
                         "printed": [plain(f"{{{{{i}}}}}") for i in derived_ids], "fact": list(derived_ids),
                         "counts": counts})
