"""A component profile's HTML: its key figures box, its missions in the sources' words, each section's figures
as a table (with a chart of a count a section of ICE's or DHS's own summaries breaks into categories), and the
oversight findings that concern it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from icebook.data.comparability import compared_metrics
from icebook.data.facts import statistics
from icebook.data.loader import Book
from icebook.pages.chart import Chart, printed_marks, show_chart, why_not_a_chart
from icebook.pages.charttitles import largest_title
from icebook.pages.fmt import (
    count_word,
    distinct_labels,
    fact,
    metric_label,
    passage_place,
    period_text,
    prose,
    quoted_note,
    say,
    show,
    stated_again,
    table,
)

FISCAL_YEAR = re.compile(r"FY \d{4}")
LONG_SECTION = 6  # rows; a section's table longer than this starts folded
SHOWN = 6  # key figures the box shows; the rest are one click away
FEWEST, FILLED = 3, 5  # key figures: fewer compared ones than FEWEST are topped up to FILLED with the next ones given


def theme(locator: str) -> str:
    """The section of the source a figure stands in: the last part of its locator."""
    return locator.split(" > ")[-1].strip().rstrip(":") or locator


def _key_item(data: Book, component: str, reported: pd.DataFrame, metric: str, figures: dict) -> Markup:
    stated = Markup("; ").join(
        Markup("{} ({}, {})").format(fact(ids[0]), data.sources[reported.at[ids[0], "source"]].short_name,
                                     period_text(reported.loc[ids[0]]))
        for ids in figures.values())
    return Markup("<li>{}: {}</li>").format(metric_label(metric, component), stated)


@dataclass(frozen=True)
class KeySelection:
    """What a profile's key figures box lists: ``reported``, the figures ICE's and DHS's own reports give of the
    component; ``statements``, each metric's distinct figures (figure -> the facts that state it) in the reports'
    order; ``key``, the metrics the box lists, in its order; ``compared``, how many of them the book compares."""

    reported: pd.DataFrame
    statements: dict[str, dict[tuple, list[str]]]
    key: list[str]
    compared: int


def key_selection(data: Book, mine: pd.DataFrame) -> KeySelection:
    """The answer first: the component's figures in its own reports, as statistics (an anecdote is no key figure).
    First the figures the book compares across years, each measure's together, in the order the reports first give
    them; where there are fewer than ``FEWEST``, topped up to ``FILLED`` with the next figures the reports give."""
    reported = statistics(mine[mine["source"].map(lambda s: data.sources[s].self_reported)])
    compared = compared_metrics(data, set(reported["metric"]))  # with a figure in a pair the rule compares
    measure_of = {s.metric: (m.id, n) for m in data.measures for n, s in enumerate(m.series) if s.metric in compared}
    statements: dict[str, dict[tuple, list[str]]] = {}
    for fact_id, r in reported.iterrows():
        statements.setdefault(r["metric"], {}).setdefault((r["value"], r["qualifier"], r["period"]), []).append(fact_id)
    key = [m for m in statements if m in measure_of]
    first_given: dict[str, int] = {}  # a measure's figures stay together, where the reports first give one of them
    for m in key:
        first_given.setdefault(measure_of[m][0], len(first_given))
    key.sort(key=lambda m: (first_given[measure_of[m][0]], measure_of[m][1]))
    ranked = len(key)
    if ranked < FEWEST:
        key += [m for m in statements if m not in measure_of][:FILLED - ranked]
    return KeySelection(reported, statements, key, ranked)


def key_figures(data: Book, info: dict[str, Any], reported: pd.DataFrame, statements: dict, key: list[str],
                compared: int) -> Markup:
    """The box of key figures: each metric of ``key`` on its own line, with its distinct figures (``statements``:
    metric -> figure -> the facts that state it), their sources and periods; ``compared`` of them the book compares
    across years (comparability.compared_metrics)."""
    items = [_key_item(data, info["id"], reported, m, statements[m]) for m in key]
    which = ("the figures the book {}" if compared == len(key) else
             "first the figures the book {}, then the next ones the reports give" if compared else
             "the first figures they give; the book compares none of them across years")
    which = Markup(which).format(Markup('<a href="comparison.html">compares across years</a>'))
    more = (Markup("<details><summary>{} more</summary><ul>{}</ul></details>").format(
        count_word(len(items) - SHOWN).capitalize(), Markup("").join(items[SHOWN:])) if len(items) > SHOWN else "")
    return Markup("<div class='main-messages key-figures'><p>What ICE's and DHS's own "
                  "reports say of {}, each figure as its source words it, with its source and period: {}. Each line "
                  "is one count as its source words it; the comparison page says which figures may be set against "
                  "each other, and why.</p>"
                  "<ul>{}</ul>{}</div>").format(info["abbreviation"], which, Markup("").join(items[:SHOWN]), more)


def show_missions(data: Book, info: dict[str, Any]) -> None:
    """The component's missions in the sources' words, or that no source states one."""
    missions = info.get("missions") or []
    if not missions:
        say("No source in the book states a mission for this component.")
    for mission in missions:
        show(Markup('<blockquote class="source-quote">{}</blockquote><p>— {}, {}</p>').format(
            mission["quote"], data.sources[mission["source"]].title,
            passage_place(mission["source"], mission["quote"], mission.get("locator", ""), mission.get("page", ""))))


def section_heading(section: str, title: str) -> Markup:
    return Markup("<h3>{} <small>({})</small></h3>").format(section, title)


def _quotes(texts: dict) -> Markup:
    """A figure's quote, or its quotes one a paragraph where the section prints it more than once."""
    spans = [Markup('<span class="source-quote">{}</span>').format(q) for q in texts]
    return spans[0] if len(spans) == 1 else Markup("").join(Markup("<p>{}</p>").format(s) for s in spans)


def section_table(component: str, group: pd.DataFrame) -> Markup:
    """A section's figures as a table. A figure the section prints more than once, worded alike, is one row
    linking to each statement, with each of its quotes ("5,000" as a band's low end and "< 5,000" are two
    figures). A long table is one click away, not in the way."""
    printed: dict[tuple, list[str]] = {}
    for fact_id, r in group.iterrows():
        printed.setdefault((r["metric"], r["value"], r["qualifier"], r["period"]), []).append(fact_id)
    once = group.loc[[ids[0] for ids in printed.values()]]
    what = dict(zip(once.index, distinct_labels(once, component), strict=True))
    rows = [{"value": fact(ids[0]) + stated_again(ids[1:], ids[0]), "what": quoted_note(what[ids[0]]),
             "period": Markup('<span class="fact-period">{}</span>').format(period_text(group.loc[ids[0]])),
             "quote": _quotes(dict.fromkeys(group.loc[ids, "quote"]))}
            for ids in printed.values()]
    shown = table(rows, [("value", "Figure"), ("what", "What it measures"), ("period", "Period"),
                         ("quote", "In the source's words")])
    if len(rows) > LONG_SECTION:
        return Markup("<details><summary>Every figure of this section</summary>{}</details>").format(shown)
    return shown


def counts_chart(data: Book, component: str, source_id: str, section: str, group: pd.DataFrame) -> None:
    """A bar chart of one count a section of ICE's or DHS's own summaries breaks into three or more
    categories of its choosing. Unlike counts side by side (charges, removals, countries) make no chart:
    the section's table shows them. OIG's evidence figures are charted on the oversight page."""
    source = data.sources[source_id]
    if not source.self_reported:
        return
    counts = group[group["unit"] == "count"].drop_duplicates(["metric", "value"])  # a figure stated twice is drawn once
    periods = counts.apply(period_text, axis=1) if len(counts) else counts["period"]  # inferred periods apart
    for (period, metric), same in counts.groupby([periods, counts["metric"]], sort=False):
        if len(same) < 3:  # too few categories to chart
            continue
        categories = [(re.search(r"category: ([^.;]+)", notes) or [None, label])[1] for notes, label
                      in zip(data.with_notes(same)["notes"], distinct_labels(same, component), strict=True)]
        marks = printed_marks(same, categories, metric).sort_values("value", ascending=False)
        if why_not_a_chart(marks):
            continue
        label = metric_label(metric, component)
        rows = [{"category": c, "value": fact(i)} for c, i in zip(categories, same.index, strict=True)]
        show_chart(Chart(
            title=largest_title(marks["bar"].iloc[0], len(marks), f"the {source.short_name}", marks["fact"].iloc[0]),
            subtitle=f"{label}, by the categories the {source.short_name} lists"
                     + (f", {period}" if FISCAL_YEAR.fullmatch(period) else "")
                     + f": what it counts under “{section}”, in the categories it names, as printed.",
            description=Markup("Horizontal bars from zero, one per category the source lists, longest first, each "
                               "labelled with the figure as printed."),
            marks=marks, sources=[source_id], where=section, axis=f"{label} (count)",
            data_table=table(rows, [("category", "Category, as the source names it"), ("value", "Figure")]),
            notes=["Only the categories the source lists are drawn, named as it names them: the selection is "
                   "the source's own."]))


def show_findings_about(data: Book, component: str) -> None:
    """The oversight findings that concern the component (every finding for ERO; for another component, those
    citing one of its facts), or that none does."""
    related = []
    own = set(data.fact_ids_where(component=component))
    for report, record in data.findings.items():
        for finding in record.get("findings", []):
            ids = set(finding.get("facts", []))
            if component == "ERO" or any(i in own for i in ids):
                related.append(Markup('<li><a href="oversight.html#{}">{}</a> ({})</li>').format(
                    finding["id"], prose(finding["title"]), data.sources[report].document_number))
    if related:
        show(Markup("<ul>{}</ul>").format(Markup("").join(related)))
    else:
        say("Neither OIG report in the book makes a finding about this component.")
