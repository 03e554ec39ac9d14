"""Traced numbers for the pages: every figure is a link to its fact (or derivation) with its quote at hand.

Text from the data is always escaped; only what this module builds is markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from IPython.display import HTML, display
from markupsafe import Markup, escape
from text_to_num import text2num

from icebook.core.text import NUMBER_WORDS
from icebook.data.contents import FRONT_MATTER, SECTION_START, place
from icebook.data.figures import months_covered, months_text
from icebook.data.loader import book
from icebook.data.prose import FACT_REF

FACT_INDEX = "fact-index.html"
QUALIFIER_WORDS = {"more_than": "more than", "about": "about", "nearly": "nearly", "at_least": "at least",
                   "up_to": "up to", "less_than": "less than"}
QUALIFIER_NOTES = {"rounded_hundred": "rounded to the nearest hundred by the source",
                   "rounded": "a round figure, read as rounded though the source prints no qualifier word",
                   "range_low": "the low end of a range", "range_high": "the high end of a range"}
ROUNDED_MARKS = {"rounded_hundred": "rounded", "rounded": "read as rounded"}  # shown after a figure, not hovered


def metric_label(metric: str, component: str = "") -> str:
    """What a fact measures, in the plain words the metrics catalog gives it (``component`` is accepted for
    callers that name the page's component; the catalog's label already reads well on any page)."""
    return book().metric(metric).label


def distinct_labels(facts: pd.DataFrame, component: str = "") -> list[str]:
    """A label per fact saying what it measures; facts sharing a metric are told apart by what distinguishes
    them: the category their notes name ("category: Assault"), else the words the quote puts after the number
    ("more than 50 robberies"), else their period, else as a range's low and high end, else their page, else
    the number as the quote prints it, in double quotes, with its range or the words after it ('low end of
    "150,000 - 200,000"', '"13 States"'), else their place in the copy ("Figure 1, second of four as the copy
    prints them"). A label's double-quoted part is the source's words (``quoted_note`` shows it as such)."""
    labels = [metric_label(metric, component) for metric in facts["metric"]]
    for _, ids in facts.index.to_series().groupby(facts["metric"].to_numpy()):
        if len(ids) < 2:
            continue
        rows = facts.loc[list(ids)]
        for fact_id, part in zip(ids, _distinguishing_parts(rows), strict=True):
            labels[facts.index.get_loc(fact_id)] += f": {part}"
    return labels


def _distinguishing_parts(rows: pd.DataFrame) -> list[str]:
    """What tells apart facts of one metric, in the order of ``distinct_labels``'s docstring."""
    # A page's facts come without their notes: asking for them records that the labels show them.
    notes = rows["notes"] if "notes" in rows else book().with_notes(rows)["notes"]
    periods = [period_text(row) for _, row in rows.iterrows()]
    pages = [page_text(row) for _, row in rows.iterrows()]
    candidates = (
        [_category(note) for note in notes],
        [_words_after(q, p) for q, p in zip(rows["quote"], rows["printed"], strict=True)],
        periods,
        ["low end of the range" if q == "range_low" else "high end of the range" if q == "range_high" else ""
         for q in rows["qualifier"]] if len(rows) == 2 else [],
        pages,
        [_as_printed(q, p, k) for q, p, k in zip(rows["quote"], rows["printed"], rows["qualifier"], strict=True)],
    )
    for parts in candidates:
        if parts and all(parts) and len(set(parts)) == len(parts):
            return parts
    return _places_in_copy(rows)


ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "later"]
ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                 "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                 "eighteenth", "nineteenth", "twentieth"]
PLACE = re.compile(r"^(?:Figure|Table|Appendix)\s+\w+")
OTHER_NUMBER = r"\$?\d[\d,.]*"


def _as_printed(quote: str, printed: str, qualifier: str) -> str:
    """The number as the quote prints it, in double quotes, with what sets it apart there: the range it bounds
    ('low end of "5,000 - 10,000"'), its sign ('"< 5,000"') or the words after it up to the next number or
    mark ('"23 States and DC"'); empty where the quote prints it bare."""
    quote, number = " ".join(quote.split()), rf"(?<![\d,.]){re.escape(printed)}(?![\d,])"
    if qualifier == "range_low" and (match := re.search(rf"{number}\s*[-–]\s*{OTHER_NUMBER}", quote)):
        return f'low end of "{match[0].rstrip(".,")}"'
    if qualifier == "range_high" and (match := re.search(rf"{OTHER_NUMBER}\s*[-–]\s*{number}", quote)):
        return f'high end of "{match[0]}"'
    if qualifier == "less_than" and (match := re.search(rf"<\s*{number}", quote)):
        return f'"{match[0]}"'
    match = re.search(rf"{number}\s+([A-Za-z][A-Za-z ]*?)(?=\s*(?:\d|[,;.:<(]|$))", quote)
    return f'"{printed} {match[1]}"' if match else ""


def _places_in_copy(rows: pd.DataFrame) -> list[str]:
    """Each fact's place among its metric's figures, in the order the source text prints them ("Figure 1,
    second of four as the copy prints them"): for figures nothing else tells apart, such as a chart's bar
    labels that the copy keeps without their bars."""
    texts = book().texts

    def position(row) -> tuple[str, int, int]:
        text, quote = texts.get(row["source"], ""), " ".join(row["quote"].split())
        found = re.search(rf"(?<![\d,.]){re.escape(row['printed'])}(?![\d,])", quote)
        return row["source"], text.find(quote), found.start() if found else 0

    order = sorted(range(len(rows)), key=lambda n: position(rows.iloc[n]))
    places = {rows.index[n]: rank for rank, n in enumerate(order)}
    shared = {m[0] if (m := PLACE.match(locator.split(" > ")[-1].strip())) else "" for locator in rows["locator"]}
    where = f"{next(iter(shared))}, " if len(shared) == 1 and "" not in shared else ""
    count = NUMBER_WORDS[len(rows)] if len(rows) < len(NUMBER_WORDS) else str(len(rows))
    return [f"{where}{_ordinal(places[i])} of {count} as the copy prints them" for i in rows.index]


def _ordinal(n: int) -> str:
    return ORDINAL_WORDS[n] if n < len(ORDINAL_WORDS) else f"{n + 1}th"


LIST_END = re.compile(r"\s*(?:,|;|\.|:|$|\band\b)")
NOT_A_NAME = {"to", "for", "of", "that", "we", "who", "which", "were", "are", "was", "is", "in", "at", "by", "from"}


def _words_after(quote: str, printed: str) -> str:
    """The name a list gives right after a number, up to the next comma or "and" ("more than 340 sex crimes,"
    gives "sex crimes"); empty when the number is followed by a sentence rather than a name."""
    match = re.search(rf"(?<![\d,.]){re.escape(printed)}\**\s+([A-Za-z][A-Za-z -]*?)(?={LIST_END.pattern})", quote)
    words = match[1].split() if match else []
    return " ".join(words) if 0 < len(words) <= 4 and not NOT_A_NAME & {w.lower() for w in words} else ""


def _category(note: str) -> str:
    match = re.match(r"category: ([^.;]+)", note)
    return match[1].strip() if match else ""


def period_text(row: pd.Series) -> str:
    """A fact's period for the reader: part of a fiscal year with the months its dates cover ("FY 2018 to August
    20, 2018 (about 10.7 of 12 months)"); one the source does not state as the book's reading of it ("period not
    stated; read as FY 2020", "period not stated; read as of August 20, 2018")."""
    if not row["period"] and row["period_type"] == "none":
        return "not tied to a period"
    text = row["period"] or row["period_type"].replace("_", " ")
    year = row.get("as_of_fiscal_year")
    months = months_covered(text, int(year)) if row["period_type"] == "partial_fiscal_year" and pd.notna(year) \
        else None
    if months is not None:
        text += f" (about {months_text(months)} of 12 months)"
    if row.get("period_basis") == "inferred":
        return f"period not stated; read {text if text.startswith('as ') else f'as {text}'}"
    return text


def page_text(row: pd.Series) -> str:
    """Where in its source a fact's page is: "page 12" where the copy prints it; "in the section that starts on
    page 4 (by the source's contents)" where the source's own contents give only that; "in the front matter,
    whose pages the copy does not number" where it prints none (data/contents.py)."""
    if row.get("page_basis") == FRONT_MATTER:
        return "in the front matter, whose pages the copy does not number"
    if not row["page"]:
        return ""
    if row.get("page_basis") == SECTION_START:
        return f"in the section that starts on page {row['page']} (by the source's contents)"
    return f"page {row['page']}"


def locator_text(row: pd.Series) -> str:
    """A fact's place in its source, as every page shows it: its section headings, then its page."""
    page = page_text(row)
    return row["locator"] + (f", {page}" if page else "")


def passage_place(source_id: str, quote: str, locator: str, page: str = "") -> str:
    """Where a passage a record quotes (a finding, a mission, a register entry) stands in its source, as every page
    shows it: where one of the source's facts quotes the passage, or the passage quotes one whole, the fact index's
    place for that fact; else the record's own section, with its page (given, or by the source's contents)."""
    data = book()
    quoting = data.facts_where(source=source_id, quote={"overlaps": quote})  # a page depends on these alone
    if not quoting.empty:
        return locator_text(quoting.iloc[0])
    number, basis = place(data.sources[source_id], str(page or ""), locator)
    return locator_text(pd.Series({"locator": locator, "page": number, "page_basis": basis}))


def component_abbreviation(component: str) -> str:
    """A component as the sources abbreviate it ("M&A"), not the data's id ("MA"); the id where the structure
    names no such component (ICE, external)."""
    found = [c["abbreviation"] for c in book().structure.get("components", []) if c["id"] == component]
    return found[0] if found else component


def source_page(source_id: str) -> str:
    """The fact index's page of one source's facts."""
    return f"facts-{source_id}.html"


def fact_href(fact_id: str) -> str:
    """A fact's permanent address: its entry on its source's page of the fact index; a derived figure's, its entry
    on the fact index's own page."""
    if book().has_fact(fact_id):
        return f"{source_page(book().fact(fact_id)['source'])}#{fact_id}"
    return f"{FACT_INDEX}#{fact_id}"


def spelled_out(fact) -> bool:
    """A count its source writes as a word ("Thirty-four", "two"): the page shows it in digits, and its tooltip
    gives the source's word. Not a quantity written otherwise ("a million", "half", "twice", "two-fold")."""
    text = fact["printed"]
    if any(ch.isdigit() for ch in text) or not text.replace("-", "").isalpha():
        return False
    try:
        return float(text2num(text.lower(), "en")) == float(fact["value"])
    except ValueError:
        return False


def _printed(fact) -> str:
    if spelled_out(fact):
        return number(float(fact["value"]), fact["unit"])
    text = fact["printed"]
    if text[:1].isalpha() and text[1:2].islower():
        text = text[0].lower() + text[1:]  # "Thirty-four" mid-sentence
    return text


def fact_text(fact_id: str, qualifier: bool = True) -> str:
    """A fact as its source words it, with the source's own qualifier word ("almost a million", "well over
    700,000"), or the house word where the source's is not one the vocabulary lists; as plain text."""
    row = book().fact(fact_id)
    words = (row["source_qualifier"] or QUALIFIER_WORDS.get(row["qualifier"], "")) if qualifier else ""
    if row["ocr_correction"]:  # the copy misprints it ("8.665"): show the number the source meant
        value = float(row["value"])
        shown = number(value, row["unit"], 0 if value.is_integer() else 2)
    else:
        shown = _printed(row)
    return f"{words} {shown}".strip()


def fact(fact_id: str, qualifier: bool = True, rounding_said: bool = False) -> Markup:
    """A fact as printed in its source, with its qualifier, linked to its entry and carrying its quote; a figure
    its source rounded without a word for it is followed by "(rounded)", unless the text goes on to say so
    (``rounding_said``)."""
    row = book().fact(fact_id)
    note = QUALIFIER_NOTES.get(row["qualifier"], "")
    label = fact_text(fact_id, qualifier)
    source = book().sources[row["source"]]
    hover = (f"“{row['quote']}” — {source.title} ({source.date_printed}), {locator_text(row)}"
             + (f" (printed as the word “{row['printed']}”)" if spelled_out(row) else "")
             + (f" ({note})" if note else "")
             + (f" [OCR: {plain(row['ocr_correction'])}]" if row["ocr_correction"] else ""))
    mark = ROUNDED_MARKS.get(row["qualifier"]) if qualifier and not rounding_said else None  # phones show no hover
    shown = Markup(' <small class="rounded-mark" title="{}">({})</small>').format(note, mark) if mark else ""
    return Markup('<a class="fact" href="{}" data-quote="{}" title="{}">{}</a>{}').format(
        fact_href(fact_id), hover, hover, label, shown)


def stated_again(fact_ids: Sequence[str], first: str = "") -> Markup:
    """One marker after a figure that its source prints more than once, linking to each further printing:
    " (printed again in the source)", or " (printed again in the source: second time, third time)"; a printing
    whose words for what it counts differ from the ``first`` printing's (metrics.yaml wordings) says how it is
    worded there (" (printed again in the source, worded “homebound flights”)"); empty for a figure printed once."""
    if not fact_ids:
        return Markup("")
    wordings = book().wordings
    mine = set(wordings.get(first, ()))

    def worded(fact_id: str) -> Markup:
        other = [w for w in wordings.get(fact_id, ()) if w not in mine]
        return Markup(", worded {}").format(Markup(" and ").join(Markup('<q class="source-quote">{}</q>').format(w)
                                                                for w in other)) if other and mine else Markup("")

    if len(fact_ids) == 1:
        links = Markup('<a href="{}">printed again in the source</a>{}').format(fact_href(fact_ids[0]),
                                                                               worded(fact_ids[0]))
    else:
        links = Markup("printed again in the source: ") + Markup(", ").join(
            Markup('<a href="{}">{} time</a>{}').format(fact_href(i), ORDINALS[min(n, len(ORDINALS) - 1)], worded(i))
            for n, i in enumerate(fact_ids, start=1))
    return Markup(" <small>({})</small>").format(links)


MINUS = "\u2212"  # the one minus sign of reader text: "−23.8%", never an ASCII hyphen-minus


def number(value: float, unit: str, decimals: int = 0) -> str:
    """A computed value in the book's style: 1,234; 12.5%; $1.2 million; −23.8% (a true minus sign)."""
    magnitude = _magnitude(abs(value), unit, decimals)
    return (MINUS if value < 0 and any(d in "123456789" for d in magnitude) else "") + magnitude


PRINTED_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def printed_decimals(printed: str) -> int:
    """How many decimals a source prints a figure with: "27.2 percent" 1, "64%" 0, "five" 0."""
    found = PRINTED_NUMBER.search(printed)
    return len(found.group(1) or "") if found else 0


SCALE_WORDS = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}  # "$1.8 BILLION": 1.8 × 10⁹


def like_printed(value: float, fact_id: str, tolerance: float = 0.0) -> str:
    """A value computed to check a fact (a claims audit's recomputation), shown to the precision of the claim it
    checks, so a reader compares like with like: to the last digit the fact prints, in its scale word (6,725 ÷
    21,000 × 100 against "32%" is "32%"; 1,800,000,000 against "$1.8 BILLION" is "$1.8 billion"), and no finer than
    the rounding the claim states, ``tolerance`` being half its unit (489,063 against "489,100", stated to the
    hundred with a tolerance of 50, is "489,100")."""
    row = book().fact(fact_id)
    printed, unit = row["printed"], row["unit"]
    scale_word = next((w for w in SCALE_WORDS if re.search(rf"\b{w}\b", printed, re.IGNORECASE)), "")
    exponent = SCALE_WORDS.get(scale_word, 0) - printed_decimals(printed)  # the printed last digit, as 10^exponent
    if tolerance > 0:
        exponent = max(exponent, Decimal(repr(2 * float(tolerance))).adjusted())
    rounded = Decimal(repr(float(value))).scaleb(-exponent).quantize(Decimal(1), ROUND_HALF_UP).scaleb(exponent)
    scaled = float(rounded.scaleb(-SCALE_WORDS.get(scale_word, 0)))
    decimals = max(0, SCALE_WORDS.get(scale_word, 0) - exponent)
    if not scale_word and unit != "usd":
        return number(float(rounded), unit, decimals)
    sign = MINUS if scaled < 0 and any(d in "123456789" for d in f"{abs(scaled):.{decimals}f}") else ""
    text = f"{'$' if unit == 'usd' else ''}{abs(scaled):,.{decimals}f}"
    return sign + (f"{text} {scale_word}" if scale_word else text)


def signed(value: float, unit: str, decimals: int = 0) -> str:
    """A change with its sign always shown: +12.5%, −23.8%, 0%."""
    text = number(value, unit, decimals)
    return text if text.startswith(MINUS) or not any(d in "123456789" for d in text) else f"+{text}"


def _magnitude(value: float, unit: str, decimals: int) -> str:
    if unit == "percent":
        return f"{value:,.{decimals}f}%"
    if unit == "usd":
        if value >= 1e9:
            return f"${value / 1e9:,.2f} billion"
        if value >= 1e6:
            return f"${value / 1e6:,.1f} million"
        return f"${value:,.{decimals}f}"
    return f"{value:,.{decimals}f}"


def derived(derived_id: str, marked: bool = True) -> Markup:
    """A derived figure, linked to its formula and inputs in the fact index; an implied one marked as such ("an
    implied 1,234", "about 24,000 (implied)") unless ``marked`` is false, where the text around it says so."""
    row = book().derived_figure(derived_id)
    text = _derived_text(row)
    implied = row["kind"] == "implied" and marked
    hover = f"{row['label']}: {derived_working(derived_id)}"
    doubt = str(row.get("doubt") or "") if marked else ""
    after = Markup(" (implied{})").format(Markup('; <span class="our-reading">the book\'s doubt: {}</span>').format(
        prose(doubt)) if doubt else "") if implied and (row["bound"] or doubt) else Markup("")
    return Markup('{}<a class="derived" href="{}" data-quote="{}" title="{}">{}</a>{}').format(
        "an implied " if implied and not row["bound"] and not doubt else "", fact_href(derived_id), hover, hover,
        text, after)


def derived_working(derived_id: str) -> str:
    """How a derived figure is computed, its inputs as the page words them: "arrests * share / 100 with arrests =
    103,603, share = approximately 90%; shown to the precision its approximate inputs support"."""
    row = book().derived_figure(derived_id)
    return f"{row['formula']} with " + ", ".join(f"{k} = {_ref_text(v)}" for k, v in sorted(row["inputs"].items())) + (
        "; shown to the precision its approximate inputs support" if row["bound"] else "")


def ref(ref_id: str, rounding_said: bool = False) -> Markup:
    """A fact or a derived figure, whichever the id names."""
    return fact(ref_id, rounding_said=rounding_said) if book().has_fact(ref_id) else derived(ref_id)


ROUNDING_SAID = re.compile(r"\s*(?:is |are )?(?:rounded|read as rounded|a round figure)")  # "137,000 is rounded …"


def prose(template: str) -> Markup:
    """Text with ``{{fact-id}}`` placeholders, escaped, with each placeholder a traced number."""
    parts = re.split(FACT_REF, template)
    out = Markup("")
    for i, part in enumerate(parts):
        said = i + 1 < len(parts) and bool(ROUNDING_SAID.match(parts[i + 1]))
        out += ref(part.strip(), rounding_said=said) if i % 2 else escape(part)
    return out


def year_span(years: Iterable[int]) -> str:
    """The fiscal years a page speaks of, first to last: "FY 2017 to FY 2020", or "FY 2019" for one year."""
    first, last = min(years), max(years)
    return f"FY {first}" if first == last else f"FY {first} to FY {last}"


def year_left_out(fact_id: str, years: Iterable[int]) -> int | None:
    """The fiscal year of a fact when it is not among ``years`` (a page of other years); None for a fact of one
    of them, one tied to no year, or an id that is not a fact."""
    if not book().has_fact(fact_id):
        return None
    year = book().fact(fact_id)["as_of_fiscal_year"]
    return None if pd.isna(year) or int(year) in {int(y) for y in years} else int(year)


def dated(template: str, years: Iterable[int]) -> str:
    """Text with ``{{fact-id}}`` placeholders, each fact of a fiscal year not among ``years`` followed by its year
    ("{{id}} (FY 2017)"): a note written in the data for every year the book shows may name a figure of a year a
    re-run with other years leaves out, and must not pass it off as one of the years shown."""
    def one(match: re.Match) -> str:
        year = year_left_out(match[1], years)
        return match[0] if year is None else f"{match[0]} (FY {year})"

    return FACT_REF.sub(one, template)


def plain(template: str) -> str:
    """Text with ``{{fact-id}}`` placeholders as plain text (for a tooltip): each placeholder becomes the
    figure as the page words it."""
    parts = re.split(FACT_REF, template)
    return "".join(_ref_text(part.strip()) if i % 2 else part for i, part in enumerate(parts))


def _ref_text(ref_id: str) -> str:
    if book().has_fact(ref_id):
        return fact_text(ref_id)
    return _derived_text(book().derived_figure(ref_id))


CHANGE_FORMULA = re.compile(r"\(\s*(\w+)\s*-\s*(\w+)\s*\)\s*/\s*\2\s*\*\s*100")  # (new - old) / old * 100
BOUND_WORDS = {"less than": "at most", "more than": "at least"}  # a computed bound, worded one way everywhere


def _derived_text(row) -> str:
    """A derived figure as shown: its carried bound ("at most", "at least") or "about", then the number to its
    supported precision; a change with its sign, as every computed change is shown ("at most +166%")."""
    decimals = int(row["shown_decimals"])
    shown = signed(row["shown"], row["unit"], decimals) if CHANGE_FORMULA.fullmatch(row["formula"]) \
        else number(row["shown"], row["unit"], decimals)
    return f"{BOUND_WORDS.get(row['bound'], row['bound'])} {shown}".strip()


def copy_error(text: str) -> Markup:
    """A note on a misprint in the copy: the misprint, in double quotes, is the source's own words and is
    styled as such; the rest is the book's (``printed "8.665": a comma read as a point``)."""
    return quoted_note(text)


def quoted_note(text: str) -> Markup:
    """A note in the book's words: each double-quoted part is a source's own words, styled as such (a ``<q>``,
    which the browser puts in quotation marks), and each ``{{fact-id}}`` a traced number."""
    parts = re.split(r'"([^"]*)"', text)
    return Markup("").join(Markup('<q class="source-quote">{}</q>').format(part) if i % 2 else prose(part)
                           for i, part in enumerate(parts))


READING = "Our reading:"  # opens the part of a note that is the book's judgement, not the source's words


def reading_note(text: str) -> Markup:
    """A note in the book's words whose judgement, after "Our reading:", is marked as the book's (a
    ``span.our-reading``); double-quoted parts are the source's words (``quoted_note``)."""
    said, _, reading = text.partition(READING)
    note = quoted_note(said.strip())
    if reading:
        note += Markup(' <span class="our-reading">{} {}</span>').format(READING, quoted_note(reading.strip()))
    return note


def say(*parts: str | Markup) -> None:
    """Display a paragraph: plain strings are escaped (with placeholders traced), Markup kept."""
    html = Markup("").join(p if isinstance(p, Markup) else prose(p) for p in parts)
    display(HTML(str(Markup("<p>{}</p>").format(html))))


def quote(text: str) -> Markup:
    return Markup("<q>{}</q>").format(text)


def table(rows: Iterable[dict], columns: Sequence[tuple[str, str]], caption: str = "",
          sortable: bool = False, table_id: str = "", stack: bool | None = None, table_class: str = "") -> Markup:
    """An HTML table; Markup cells are kept, anything else is escaped. A ``stack`` table shows each row as a
    labelled block on a narrow screen (each cell carries its column's name); by default a table of three or more
    columns stacks, so that none is wider than a phone's screen."""
    stack = len(columns) >= 3 if stack is None else stack
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(label) for _, label in columns)
    body = Markup("")
    for row in rows:
        cells = Markup("").join(
            Markup('<td data-label="{}">{}</td>').format(label, row.get(key, "")) if stack
            else Markup("<td>{}</td>").format(row.get(key, "")) for key, label in columns)
        body += Markup("<tr>{}</tr>").format(cells)
    classes = " ".join(c for c in ("data-table", "sortable" if sortable else "", "stack" if stack else "",
                                   table_class) if c)
    attrs = Markup(' class="{}"{}').format(classes, Markup(' id="{}"').format(table_id) if table_id else "")
    cap = Markup("<caption>{}</caption>").format(caption) if caption else ""
    return Markup("<table{}>{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(
        attrs, cap, head, body)


# where a note's sentence ends: at ".", "!" or "?" before a sentence's start (a capital, a quote, a {{fact-id}})
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'({])")


def _note_letter(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[n] if n < len(letters) else letters[n // len(letters) - 1] + letters[n % len(letters)]


def shared_notes(notes: Sequence[str]) -> tuple[list[Markup], Markup]:
    """A table's notes (the book's prose, one a row), each sentence said once: a sentence that several rows' notes
    hold moves under the table, said for every row or as a lettered note the rows it concerns point to; each row
    keeps its own sentences. Gives each row's cell and the notes under the table (empty where nothing is shared)."""
    pieces = [[p for p in SENTENCE_END.split(note.strip()) if p] if note else [] for note in notes]
    holders: dict[str, frozenset[int]] = {}
    for row, own in enumerate(pieces):
        for piece in own:
            holders[piece] = holders.get(piece, frozenset()) | {row}
    groups: dict[frozenset[int], list[str]] = {}  # the rows sharing sentences -> those sentences, in order
    for piece, rows in holders.items():
        if len(rows) > 1:
            groups.setdefault(rows, []).append(piece)
    every = frozenset(range(len(notes)))
    letters = {rows: _note_letter(n) for n, rows in enumerate(r for r in groups if r != every)}
    cells = []
    for row, own in enumerate(pieces):
        refs = [letters[rows] for rows in groups if row in rows and rows in letters]
        kept = " ".join(p for p in own if len(holders[p]) == 1)
        parts = [Markup('<span class="note-ref">{} {} below.</span>').format(
            "Note" if len(refs) == 1 else "Notes", and_list(refs))] if refs else []
        parts += [prose(kept)] if kept else []
        cells.append(Markup('<span class="fact-notes">{}</span>').format(Markup(" ").join(parts)) if parts
                     else Markup(""))
    said = [Markup('<p class="table-note"><em>{}:</em> {}</p>').format(
        "Every row" if rows == every else f"Note {letters[rows]}", prose(" ".join(text)))
        for rows, text in groups.items()]
    return cells, Markup('<div class="table-notes">{}</div>').format(Markup("").join(said)) if said else Markup("")


def messages_box(messages: Iterable[Markup | str], title: str = "Main messages") -> Markup:
    """A page's opening messages, set apart at its top (the ONS's "main points")."""
    items = Markup("").join(Markup("<li>{}</li>").format(m) for m in messages)
    return Markup('<div class="main-messages"><p><strong>{}</strong></p><ul>{}</ul></div>').format(title, items)


def show(html: Markup) -> None:
    display(HTML(str(html)))


def and_list(items: list) -> Markup:
    """Items joined as a reader lists them: "a", "a and b", "a, b and c" (text escaped, Markup kept)."""
    items = [Markup(i) if isinstance(i, Markup) else Markup.escape(i) for i in items]
    if len(items) <= 2:
        return Markup(" and ").join(items)
    return Markup(", ").join(items[:-1]) + Markup(" and ") + items[-1]


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
    where = locator_text(row)
    number = f", {source.document_number}" if source.document_number else ""
    period = row["period"] or row["period_type"].replace("_", " ")
    reading = []  # what the book reads in the quote that the quote itself does not say
    if row["qualifier"] == "rounded" and not row["source_qualifier"]:
        reading.append("The source prints no qualifier word; the book reads the figure as a round one.")
    if row["ocr_correction"]:
        reading.append(f"Copy error: {plain(row['ocr_correction'])}.")
    return (f"{fact_text(fact_id)} ({metric_label(row['metric'])}, {period}). "
            f"{source.title}. {source.issuer}, {source.date_printed}{number}. {where}. “{row['quote']}”"
            + "".join(f" ({note})" for note in reading))
