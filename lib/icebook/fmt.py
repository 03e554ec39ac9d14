"""Traced numbers for the pages: every figure is a link to its fact (or derivation) with its quote at hand.

Text from the data is always escaped; only what this module builds is markup.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence

import pandas as pd
from IPython.display import HTML, display
from markupsafe import Markup, escape

from .compare import FORMULA
from .data import FACT_REF, book
from .text import NUMBER_WORDS

FACT_INDEX = "fact-index.html"
QUALIFIER_WORDS = {"more_than": "more than", "about": "about", "nearly": "nearly", "at_least": "at least",
                   "up_to": "up to", "less_than": "less than"}
QUALIFIER_NOTES = {"rounded_hundred": "rounded to the nearest hundred by the source",
                   "range_low": "the low end of a range", "range_high": "the high end of a range"}


# Initialisms in metric names, printed as the sources print them.
_INITIALISMS = {"287g": "287(g)", "ms13": "MS-13", "covid": "COVID", "pct": "percent", "xi": "XI", "uac": "UAC",
                **{w: w.upper() for w in (
                    "aors bia cap nds pbnds cbp cdc cmt cro doc doj dro eagle eeoc eod ero foia ftca gao hsi ice "
                    "ido ieas ihsc inv jttf lpr lprs ma mspb nypd oi oig ope opla opr perc prea psu sausa sci sec "
                    "sevp").split()}}
_INITIALISMS.update({"aors": "AORs", "lprs": "LPRs"})


def metric_label(metric: str, component: str = "") -> str:
    """What a fact measures, in words: the series' own description when the metrics catalog has
    one, otherwise the metric's name spelled out ("hsi_federal_statutes" -> "Federal statutes")."""
    for measure in book().measures:
        for series in measure.series:
            if series.metric == metric and series.counts:
                return series.counts[0].upper() + series.counts[1:]
    words = metric.split("_")
    if component and len(words) > 1 and words[0] == component.lower():
        words = words[1:]
    text = _spell("_".join(words))
    return text[0].upper() + text[1:]


def _spell(name: str) -> str:
    """An id's words as text: initialisms in capitals, a standard's year apart ("pbnds2011" -> "PBNDS 2011")."""
    words = re.sub(r"(?<=[a-z])(?=(?:19|20)\d\d\b)", "_", name).split("_")
    return " ".join(_INITIALISMS.get(word, word) for word in words)


def distinct_labels(facts: pd.DataFrame, component: str = "") -> list[str]:
    """A label per fact saying what it measures; facts sharing a metric are told apart by the end of
    their ids ("Cross check XI history offenses: assaults", "…: sex crimes")."""
    labels = [metric_label(metric, component) for metric in facts["metric"]]
    for _, ids in facts.index.to_series().groupby(facts["metric"].to_numpy()):
        if len(ids) > 1:
            prefix = os.path.commonprefix(list(ids))
            prefix = prefix[:prefix.rfind("-") + 1]
            for fact_id in ids:
                i = facts.index.get_loc(fact_id)
                labels[i] += ": " + _spell(fact_id[len(prefix):].replace("-", "_") or fact_id)
    return labels


def fact_href(fact_id: str) -> str:
    return f"{FACT_INDEX}#{fact_id}"


def _printed(fact) -> str:
    text = fact["printed"]
    if text[:1].isalpha() and text[1:2].islower():
        text = text[0].lower() + text[1:]  # "Thirty-four" mid-sentence
    return text


def fact_text(fact_id: str, qualifier: bool = True) -> str:
    """A fact as its source words it, qualifier kept, as plain text ("more than 127,000")."""
    row = book().fact(fact_id)
    words = QUALIFIER_WORDS.get(row["qualifier"], "") if qualifier else ""
    if row["ocr_correction"]:  # the copy misprints it ("8.665"): show the number the source meant
        value = float(row["value"])
        shown = number(value, row["unit"], 0 if value.is_integer() else 2)
    else:
        shown = _printed(row)
    return f"{words} {shown}".strip()


def fact(fact_id: str, qualifier: bool = True) -> Markup:
    """A fact as printed in its source, with its qualifier, linked to its entry and carrying its quote."""
    row = book().fact(fact_id)
    note = QUALIFIER_NOTES.get(row["qualifier"], "")
    label = fact_text(fact_id, qualifier)
    source = book().sources[row["source"]]
    hover = (f"“{row['quote']}” — {source.title} ({source.date_printed}), {row['locator']}"
             + (f" ({note})" if note else "")
             + (f" [OCR: {row['ocr_correction']}]" if row["ocr_correction"] else ""))
    return Markup('<a class="fact" href="{}" data-quote="{}" title="{}">{}</a>').format(
        fact_href(fact_id), hover, hover, label)


def number(value: float, unit: str, decimals: int = 0) -> str:
    """A computed value in the book's style: 1,234; 12.5%; $1.2 million."""
    if unit == "percent":
        return f"{value:,.{decimals}f}%"
    if unit == "usd":
        if abs(value) >= 1e9:
            return f"${value / 1e9:,.2f} billion"
        if abs(value) >= 1e6:
            return f"${value / 1e6:,.1f} million"
        return f"${value:,.{decimals}f}"
    return f"{value:,.{decimals}f}"


def derived(derived_id: str) -> Markup:
    """A derived figure, linked to its formula and inputs in the fact index."""
    row = book().derived_figure(derived_id)
    text = number(row["value"], row["unit"], int(row["decimals"]))
    prefix = "an implied " if row["kind"] == "implied" else ""
    hover = f"{row['label']}: {row['formula']} with " + ", ".join(
        f"{k} = {v}" for k, v in sorted(row["inputs"].items()))
    return Markup('{}<a class="derived" href="{}" data-quote="{}" title="{}">{}</a>').format(
        prefix, fact_href(derived_id), hover, hover, text)


def ref(ref_id: str) -> Markup:
    """A fact or a derived figure, whichever the id names."""
    return fact(ref_id) if ref_id in book().facts.index else derived(ref_id)


def prose(template: str) -> Markup:
    """Text with ``{{fact-id}}`` placeholders, escaped, with each placeholder a traced number."""
    parts = re.split(FACT_REF, template)
    out = Markup("")
    for i, part in enumerate(parts):
        out += ref(part.strip()) if i % 2 else escape(part)
    return out


def say(*parts: str | Markup) -> None:
    """Display a paragraph: plain strings are escaped (with placeholders traced), Markup kept."""
    html = Markup("").join(p if isinstance(p, Markup) else prose(p) for p in parts)
    display(HTML(str(Markup("<p>{}</p>").format(html))))


def quote(text: str) -> Markup:
    return Markup("<q>{}</q>").format(text)


def table(rows: Iterable[dict], columns: Sequence[tuple[str, str]], caption: str = "",
          sortable: bool = False, table_id: str = "") -> Markup:
    """An HTML table; Markup cells are kept, anything else is escaped."""
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(label) for _, label in columns)
    body = Markup("")
    for row in rows:
        cells = Markup("").join(Markup("<td>{}</td>").format(row.get(key, "")) for key, _ in columns)
        body += Markup("<tr>{}</tr>").format(cells)
    attrs = Markup(' class="data-table{}"{}').format(
        " sortable" if sortable else "", Markup(' id="{}"').format(table_id) if table_id else "")
    cap = Markup("<caption>{}</caption>").format(caption) if caption else ""
    return Markup("<table{}>{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(
        attrs, cap, head, body)


def show(html: Markup) -> None:
    display(HTML(str(html)))


def change(ch) -> Markup:
    """A change from the baseline (an ``icebook.compare.Change``), linked to where the page shows its working."""
    if ch.value is None:
        return Markup('<a class="derived" href="#{}">not stated</a>').format(ch.id)
    text = f"{ch.bound} {'+' if ch.value > 0 else '−' if ch.value < 0 else ''}{abs(ch.value):,.1f}%".strip()
    hover = f"{FORMULA} with base = {ch.base}, later = {ch.later}; {ch.reason}"
    return Markup('<a class="derived" href="#{}" data-quote="{}" title="{}">{}</a>').format(ch.id, hover, hover, text)



def count_word(n: int) -> str:
    """A count as prose writes it: "five", or digits beyond twenty."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def book_count(n: int, href: str) -> Markup:
    """A count of the book's own data ("five" sources), linked to the list it counts."""
    return Markup('<a class="book-count" href="{}">{}</a>').format(href, count_word(n))


def source_count() -> Markup:
    """How many sources the book cites, in words, linked to the Sources page."""
    return book_count(len(book().sources), "sources.html")


def citation(fact_id: str) -> str:
    """How to cite a fact: the figure as worded, what it measures, the source's title, issuer, date and number,
    where in it, and the quote (the page adds the entry's permanent link)."""
    row = book().fact(fact_id)
    source = book().sources[row["source"]]
    where = row["locator"] + (f", page {row['page']}" if row["page"] else "")
    number = f", {source.document_number}" if source.document_number else ""
    period = row["period"] or row["period_type"].replace("_", " ")
    return (f"{fact_text(fact_id)} ({metric_label(row['metric'])}, {period}). "
            f"{source.title}. {source.issuer}, {source.date_printed}{number}. {where}. “{row['quote']}”")
