"""Traced numbers for the pages: every figure is a link to its fact (or derivation) with its quote at hand.

Text from the data is always escaped; only what this module builds is markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from IPython.display import HTML, display
from markupsafe import Markup, escape

from .data import FACT_REF, book

FACT_INDEX = "fact-index.html"
QUALIFIER_WORDS = {"more_than": "more than", "about": "about", "nearly": "nearly", "at_least": "at least",
                   "up_to": "up to", "less_than": "less than"}
QUALIFIER_NOTES = {"rounded_hundred": "rounded to the nearest hundred by the source",
                   "range_low": "the low end of a range", "range_high": "the high end of a range"}


def fact_href(fact_id: str) -> str:
    return f"{FACT_INDEX}#{fact_id}"


def _printed(fact) -> str:
    text = fact["printed"]
    if text[:1].isalpha() and text[1:2].islower():
        text = text[0].lower() + text[1:]  # "Thirty-four" mid-sentence
    return text


def fact(fact_id: str, qualifier: bool = True) -> Markup:
    """A fact as printed in its source, with its qualifier, linked to its entry and carrying its quote."""
    row = book().fact(fact_id)
    words = QUALIFIER_WORDS.get(row["qualifier"], "") if qualifier else ""
    note = QUALIFIER_NOTES.get(row["qualifier"], "")
    label = f"{words} {_printed(row)}".strip()
    source = book().sources[row["source"]]
    hover = f"“{row['quote']}” — {source.title}, {row['locator']}" + (f" ({note})" if note else "")
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
