"""How a chart draws what a source says of its figure's certainty, and the key that explains it once a page.

Every qualifier of the vocabulary has one encoding, the same on every chart, live or downloaded:

* exact: a plain bar, ending at the number printed;
* "more than", "at least": an open end, a dashed line and an arrow beyond the number printed;
* "about", "almost", a figure the source rounds: a tilde (~) just past the bar's end;
* "up to", "less than": an arrow inside the bar's end, pointing back;
* an implied figure (a derived figure no source states): a hollow, dashed bar, its inputs in its tooltip;
* a change the book states: a dot; one it states with a caveat (a partial year, a figure worded two ways, figures
  the source rounds): a hollow dot; one it can only bound: a range (the home page's bottom line).

A figure both implied and approximate carries both. A chart's figure HTML carries the key items it uses and the
notes that hold for every chart alike (self-reported sources, misprints); when the build stages a page, those are
said once, in a box at the top of the page, or just before the chart on a page of one (:func:`gather_page_notes`),
and each chart keeps only its own notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat
from markupsafe import Markup

PLAIN, OPEN, APPROXIMATE, CEILING, IMPLIED = "plain", "open", "approximate", "ceiling", "implied"
POINT, CAVEATED, RANGE = "point", "caveated", "range"  # a change the book states (exactly, or with a stated caveat),
# and one it can only bound
ENCODING = {  # the vocabulary's qualifiers, each drawn one way (a test checks that every qualifier has one)
    "exact": PLAIN, "more_than": OPEN, "at_least": OPEN, "about": APPROXIMATE, "nearly": APPROXIMATE,
    "rounded": APPROXIMATE, "rounded_hundred": APPROXIMATE, "up_to": CEILING, "less_than": CEILING,
    "range_low": RANGE, "range_high": RANGE,
}
DERIVED_BOUND = {"": "exact", "about": "about", "more than": "more_than", "less than": "less_than"}

# The marks' shapes, shared by the charts (chartspec) and the key's glyphs, so that the two cannot differ.
OPEN_DASH = [3, 2]  # the open end's dashed line
OPEN_LENGTH = 9  # pixels of dashed line beyond the bar's end, then the arrow
ARROW_SIZE = 45  # the arrow's area in square pixels (Vega's symbol size)
TILDE = "M -1 0.3 C -0.6 -0.5 -0.2 -0.5 0 0 C 0.2 0.5 0.6 0.5 1 -0.3"  # a ~ in Vega's unit square
TILDE_SIZE = 90
TILDE_OFFSET = 8  # pixels from the bar's end to the tilde's centre
IMPLIED_DASH = [4, 3]
IMPLIED_STROKE = 1.5


@dataclass(frozen=True)
class KeyItem:
    encoding: str
    name: str
    explains: str


KEY = [  # in the order the key lists them
    KeyItem(PLAIN, "Plain bar", "a figure the source prints with no qualifier, drawn at the number printed."),
    KeyItem(OPEN, "Open end", "the source says “more than” or “at least”, so the true figure lies beyond the "
                              "number printed, by an amount no source states."),
    KeyItem(APPROXIMATE, "Tilde (~)", "the source says “about” or “almost”, or rounds the figure, so the true "
                                      "figure is near the number printed, not exactly it."),
    KeyItem(CEILING, "Arrow back", "the source says “up to” or “less than”, so the true figure is at most the "
                                   "number printed."),
    KeyItem(IMPLIED, "Hollow, dashed bar", "a figure the book implies: no source states it; the book computes it from "
                                           "figures the sources do state, which its tooltip and the data give."),
    KeyItem(POINT, "Dot", "a change the book computes between two figures it compares; a tilde above it: "
                          "approximate."),
    KeyItem(CAVEATED, "Hollow dot", "a change the book computes with a stated caveat (a partial year, a figure its "
                                    "source words two ways, figures the source rounds): read the caveat beside it "
                                    "before relying on it."),
    KeyItem(RANGE, "Range", "a change the sources' qualifiers only bound: the true change lies somewhere on the "
                            "line, from the bound (a bar across it) on past the arrow."),
]
KEY_ORDER = [item.encoding for item in KEY]


def encodings_of(qualifier: str, implied: bool) -> list[str]:
    """The encodings a figure with this qualifier takes (a plain bar for an exact one), implied or not."""
    if qualifier not in ENCODING:
        raise ValueError(f"qualifier {qualifier!r} has no way of being drawn: give it an encoding in "
                         "chartkey.ENCODING")
    own = ENCODING[qualifier]
    if own == RANGE:
        raise ValueError(f"a figure qualified {qualifier!r} is the end of a range: draw the range, not a bar")
    return ([IMPLIED] if implied else []) + ([own] if own != PLAIN or not implied else [])


SOLID = '<rect x="1" y="3" width="26" height="10" fill="var(--icebook-chart-bar)"/>'
HOLLOW = (f'<rect x="1.75" y="3.75" width="25" height="8.5" fill="none" stroke="var(--icebook-chart-bar)" '
          f'stroke-width="{IMPLIED_STROKE}" stroke-dasharray="{" ".join(map(str, IMPLIED_DASH))}"/>')
ENDS = {  # what a qualifier adds at the bar's end
    OPEN: (f'<line x1="27" y1="8" x2="{27 + OPEN_LENGTH}" y2="8" stroke="var(--icebook-chart-bar)" '
           f'stroke-width="2" stroke-dasharray="{" ".join(map(str, OPEN_DASH))}"/>'
           f'<path d="M {27 + OPEN_LENGTH} 4 L {33 + OPEN_LENGTH} 8 L {27 + OPEN_LENGTH} 12 Z" '
           'fill="var(--icebook-chart-bar)"/>'),
    APPROXIMATE: ('<path d="M 30 9 C 31.6 5.8 33.2 5.8 34 8 C 34.8 10.2 36.4 10.2 38 7" fill="none" '
                  'stroke="var(--icebook-chart-ink)" stroke-width="2"/>'),
    CEILING: '<path d="M 25 4.5 L 20 8 L 25 11.5 Z" fill="var(--icebook-chart-{})"/>',
}
RANGE_GLYPH = ('<line x1="5" y1="8" x2="34" y2="8" stroke="var(--icebook-chart-bar)" stroke-width="3"/>'
               '<path d="M 34 4 L 40 8 L 34 12 Z" fill="var(--icebook-chart-bar)"/>'
               '<line x1="5" y1="2" x2="5" y2="14" stroke="var(--icebook-chart-bar)" stroke-width="3"/>')
POINT_GLYPH = '<circle cx="14" cy="8" r="5" fill="var(--icebook-chart-bar)"/>'
CAVEATED_GLYPH = '<circle cx="14" cy="8" r="4.5" fill="none" stroke="var(--icebook-chart-bar)" stroke-width="2"/>'


def glyph(*encodings: str) -> Markup:
    """A small picture of a bar drawn with these encodings (the key's, or a stat line's figure's), in the page
    theme's chart colours (icebook.css): hollow and dashed if implied, with its qualifier's end."""
    if RANGE in encodings or POINT in encodings or CAVEATED in encodings:
        shapes = RANGE_GLYPH if RANGE in encodings else CAVEATED_GLYPH if CAVEATED in encodings else POINT_GLYPH
    else:
        implied = IMPLIED in encodings
        shapes = (HOLLOW if implied else SOLID) + "".join(
            ENDS[e].format("bar" if implied else "on-bar") for e in (OPEN, APPROXIMATE, CEILING) if e in encodings)
    return Markup('<svg class="key-glyph" width="42" height="16" viewBox="0 0 42 16" aria-hidden="true" '
                  'focusable="false">{}</svg>').format(Markup(shapes))


def key_items(encodings: set[str]) -> list[KeyItem]:
    """The key's items for these encodings (the marks a chart draws), in the key's order; the plain bar only
    beside another."""
    return [item for item in KEY if item.encoding in encodings and (item.encoding != PLAIN or len(encodings) > 1)]


def key_html(encodings: set[str]) -> Markup:
    """The key as a list, one item per encoding (its glyph, its name, what it means)."""
    return Markup("").join(
        Markup('<li class="chart-key-item" data-key="{}">{}<span><strong>{}</strong>: {}</span></li>').format(
            item.encoding, glyph(item.encoding), item.name, item.explains) for item in key_items(encodings))


def page_notes_html(encodings: set[str], notes: dict[str, Markup]) -> Markup:
    """What a figure carries for the page's box: its key items and its notes that hold for every chart alike
    (``notes`` by a key naming what the note is of: "self-reported:ar2020"). Shown in the figure itself until the
    build gathers them (a page read as an executed notebook, in JupyterLab, shows them with each chart)."""
    if not encodings - {PLAIN} and not notes:
        return Markup("")
    return Markup('<div class="chart-page-notes"><ul class="chart-key">{}</ul>{}</div>').format(
        key_html(encodings),
        Markup("").join(Markup('<p class="chart-page-note" data-note="{}">{}</p>').format(key, text)
                        for key, text in notes.items()))


PAGE_NOTES = re.compile(r'<div class="chart-page-notes">(.*?)</div>', re.S)
KEY_ITEM = re.compile(r'<li class="chart-key-item" data-key="([a-z]+)">.*?</li>', re.S)
PAGE_NOTE = re.compile(r'<p class="chart-page-note" data-note="([^"]+)">(.*?)</p>', re.S)
BOX_ID = "reading-the-charts"


def page_box(encodings: set[str], notes: dict[str, str]) -> Markup:
    """The page's one box of what holds for all its charts: the key to the marks, then the shared notes."""
    key = Markup('<ul class="chart-key">{}</ul>').format(key_html(encodings)) if encodings - {PLAIN} else ""
    said = Markup("").join(Markup('<p class="chart-page-note">{}</p>').format(Markup(text))
                           for text in notes.values())
    bars = Markup("<p>Bars start at zero; each is labelled with its figure as the source words it.</p>") \
        if draws_bars(encodings) else ""
    return Markup('<aside class="chart-reading" id="{}" aria-labelledby="{}-title"><p class="chart-reading-title" '
                  'id="{}-title"><strong>Reading the charts on this page</strong></p>{}{}{}</aside>').format(
        BOX_ID, BOX_ID, BOX_ID, bars, key, said)


def draws_bars(encodings: set[str]) -> bool:
    """Whether charts drawing these marks draw bars: a bar's own marks, or a tilde where no dot can carry it (a page
    of changes, the home page's, draws dots and ranges only)."""
    return bool(encodings & {PLAIN, OPEN, CEILING, IMPLIED}) or (
        APPROXIMATE in encodings and not encodings & {POINT, CAVEATED})


def gather_page_notes(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The page with what its charts share said once: every figure's key items and shared notes taken out of it
    and put, merged, in one box: just before the chart, on a page of one; after the page's opening outputs (those
    before its first section heading), on a page of several."""
    encodings: set[str] = set()
    notes: dict[str, str] = {}
    carriers = []  # (cell, output) of each figure that carried some
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if not html:
                continue
            text = "".join(html) if isinstance(html, list) else html
            blocks = PAGE_NOTES.findall(text)
            for block in blocks:
                encodings |= set(KEY_ITEM.findall(block))
                notes |= dict(PAGE_NOTE.findall(block))
            carriers += [(cell, output)] * len(blocks)
            output["data"]["text/html"] = PAGE_NOTES.sub("", text)
    if not encodings and not notes:
        return notebook
    box = page_box(encodings, dict(sorted(notes.items())))
    if len(carriers) == 1:
        cell, output = carriers[0]
        cell.outputs.insert(cell.outputs.index(output), _box_output(box))
    else:
        _put_at_top(notebook, box)
    return notebook


def _box_output(box: Markup) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"text/html": str(box), "text/plain": "<chart key>"})


def _put_at_top(notebook: nbformat.NotebookNode, box: Markup) -> None:
    """Add the box as an output of the first code cell that shows something after the page's title, before any
    further heading; a new cell after the title when there is none."""
    cells = notebook.cells
    title = next((i for i, c in enumerate(cells) if c.cell_type == "markdown" and re.search(r"^# ", c.source, re.M)),
                 -1)
    output = _box_output(box)
    for cell in cells[title + 1:]:
        if cell.cell_type == "markdown":
            break
        if cell.cell_type == "code" and cell.get("outputs"):
            cell.outputs.append(output)
            return
    shown = nbformat.v4.new_code_cell("# the key to the page's charts", metadata={"tags": ["remove-input"]},
                                      id=BOX_ID)  # not a random id: the same page stages to the same bytes
    shown.outputs.append(output)
    cells.insert(title + 1, shown)
