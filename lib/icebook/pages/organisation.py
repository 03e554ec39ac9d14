"""The organisation chapter's HTML: the organisation chart (diagram.py's boxes), passages in the sources' words
(the first shown, the rest one click away), a component's size where a source reports it, the earlier
offices' protocols memo, the Criminal Alien Program's steps and the 287(g) program."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from markupsafe import Markup

from icebook.data.loader import Book
from icebook.pages.diagram import steps_diagram, tree_diagram
from icebook.pages.fmt import (
    fact,
    fact_text,
    metric_label,
    passage_place,
    period_text,
    prose,
    say,
    show,
    stated_again,
)

# Metrics that say how big a component is (people, money, offices), not what it did.
SIZE = (r"^(?!oig_).*(?:workforce|employees|budget|_offices|office_locations|authorized_positions|"
        r"staffed_facilities|international_personnel|community_relations_officers)$")


def size_metrics(data: Book) -> list[str]:
    """The metrics that say how big a component is."""
    return [metric for metric in data.metrics if re.match(SIZE, metric)]


def quote_block(data: Book, passage: dict[str, Any]) -> Markup:
    return Markup('<blockquote class="source-quote">{}</blockquote><p class="fact-locator">{}, {}</p>').format(
        passage["quote"], data.sources[passage["source"]].title,
        passage_place(passage["source"], passage["quote"], passage.get("locator", ""), passage.get("page", "")))


def quotes(data: Book, passages: list[dict[str, Any]], shown: int = 1) -> Markup:
    """The first passages in the sources' words; the rest one click away, so the page stays short."""
    first = Markup("").join(quote_block(data, q) for q in passages[:shown])
    rest = passages[shown:]
    if not rest:
        return first
    return first + Markup('<details class="fold"><summary>{} the sources\' words</summary>{}</details>').format(
        "More in" if shown else "In", Markup("").join(quote_block(data, q) for q in rest))


def organisation_chart(agency_name: str, current: list[dict[str, Any]]) -> Markup:
    """ICE's current components as a tree of boxes (with its text version), each under the one it is part of."""
    edges = [(c.get("parent") or "ICE", c["id"]) for c in current]
    nodes = {"ICE": agency_name} | {c["id"]: f"{c['name']} ({c['abbreviation']})" for c in current}
    return tree_diagram(nodes, edges, Markup("<strong>ICE's components as the sources name them.</strong> Sources: "
                                             "the ICE annual report and the DHS page."))


def mission(data: Book, passages: list[dict[str, Any]]) -> Markup:
    return Markup("<p>Its mission, in the sources' words:</p>") + quotes(data, passages)


def show_size(size: pd.DataFrame, component_id: str) -> None:
    """A component's size figures (``size``: its facts of the size metrics), if a source reports any; a figure its
    source prints again with the same measure and period is shown once, marked so (``stated_again``)."""
    if size.empty:
        return
    shown: dict[tuple[str, str, str], list[str]] = {}
    for i, r in size.iterrows():
        shown.setdefault((fact_text(i), r["metric"], period_text(r)), []).append(i)
    show(Markup("<p>Size, where a source reports it: {}.</p>").format(Markup("; ").join(
        Markup('{}{} ({}, <span class="fact-period">{}</span>)').format(
            fact(ids[0]), stated_again(ids[1:]), metric_label(metric, component_id), period)
        for (_, metric, period), ids in shown.items())))


def profile_link(component_id: str) -> Markup:
    return Markup('<p>More in its <a href="profile-{}.html">profile</a>.</p>').format(component_id.lower())


def show_lineage(data: Book, lineage: dict[str, Any]) -> None:
    """Our reading of how OI and DRO became today's offices, and the sources' words for it."""
    if lineage:
        show(Markup('<aside class="our-reading"><p><strong>Our reading.</strong> {}</p></aside>').format(
            prose(lineage.get("summary", ""))))
        show(quotes(data, lineage.get("quotes", []), shown=0))


def show_protocol(data: Book, part: dict[str, Any]) -> None:
    """One part of the OI–DRO protocols memo: its theme, what it asks of each office, its words and figures."""
    show(Markup("<h3>{}</h3>").format(part["theme"].replace("_", " ").capitalize()))
    if part.get("redacted"):
        say("The released copy withholds this part of the memo (marked “(b)(7)(E)”).")
    say(prose(part.get("summary", "")))
    for who, key in (("Of OI", "asks_of_oi"), ("Of DRO", "asks_of_dro")):
        if part.get(key):
            show(Markup("<p><strong>{}:</strong> {}</p>").format(who, prose(part[key])))
    show(quotes(data, part.get("quotes", []), shown=0))
    if part.get("facts"):
        show(Markup("<p>Figures in this part: {}.</p>").format(Markup("; ").join(fact(i) for i in part["facts"])))


def show_pipeline(data: Book, pipeline: dict[str, Any]) -> None:
    """The Criminal Alien Program's steps as a chart and a list, with the source's words for each."""
    steps = pipeline.get("steps", [])
    if not steps:
        return
    show(steps_diagram([(s["label"], s.get("actor", ""), prose(s.get("summary", ""))) for s in steps],
                       Markup("<strong>The CAP pipeline.</strong> Source: OIG-20-13, Figure 1 and its text.")))
    show(quotes(data, [s | {"source": pipeline["source"]} for s in steps if s.get("quote")], shown=0))


def show_program(data: Book, program: dict[str, Any]) -> None:
    """The 287(g) program: its summary, the sources' words and its figures."""
    if program:
        say(prose(program.get("summary", "")))
        show(quotes(data, program.get("quotes", [])))
        if program.get("facts"):
            show(Markup("<p>Figures: {}.</p>").format(Markup("; ").join(fact(i) for i in program["facts"])))
