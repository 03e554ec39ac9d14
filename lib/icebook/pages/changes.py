"""The Changes page: what changed in the book's data since the last published edition, and the corrections
recorded in the data, with their dates (data/changes.py compares the two editions' data packages; the build
writes this page, build/editions.py keeps the editions).

A figure of this edition is shown traced, as everywhere (a link to its fact or derivation). A figure only the
earlier edition held is shown as that edition's data package held it, marked ``earlier-edition``: the site's
trace check reads it as a record of that package, not as a figure of this book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from icebook.data.changes import Changed, EditionChanges
from icebook.data.loader import book
from icebook.data.prose import FACT_REF
from icebook.pages import fmt

TITLE = "What changed in this edition"
FIELD_WORDS = {  # a changed field, in the reader's words
    "printed": "as printed", "value": "value read", "quote": "quote", "qualifier": "qualifier", "unit": "unit",
    "period": "period", "fiscal_year": "fiscal year", "period_type": "kind of period", "locator": "where in the source",
    "page": "page", "notes": "note", "ocr_correction": "copy error", "scope_doubt": "doubt about scope",
    "scope_deviation": "wording of scope", "metric": "measure", "component": "component", "source": "source",
    "period_basis": "whether the period is stated", "as_of_fiscal_year": "fiscal year it speaks of",
    "source_qualifier": "the source's qualifier word", "shown": "figure shown", "bound": "bound",
    "formula": "formula", "inputs": "inputs", "label": "what it measures", "verdict": "verdict", "reason": "reason",
    "role": "statistic or anecdote",
}
QUOTED = {"quote"}  # fields that are a source's words
PROSE = {"notes", "scope_doubt", "scope_deviation", "reason", "label"}
DETECTOR_WORDS = {"same-number": "one figure printed for two things", "acronym": "an acronym written out two ways"}


@dataclass(frozen=True)
class EditionNote:
    """What the page says about the two editions: this one's data version, and the earlier one, if any."""

    data_version: str
    previous_version: str | None = None
    previous_commit: str | None = None
    previous_published: str | None = None


def _earlier(text: str, name: str = "", unit: str = "") -> Markup:
    """Text as the earlier edition's package held it: a value read as the book writes numbers, a reference to a
    fact made plain (it may be gone)."""
    if name == "value" and text:
        value = float(text)
        return Markup('<span class="earlier-edition">{}</span>').format(
            fmt.number(value, unit, 0 if value.is_integer() else 2))
    if name == "metric" and text:
        return Markup('<span class="earlier-edition">{}</span>').format(_measured(text))

    def plain(match: re.Match) -> str:
        ref = match[1]
        return fmt.plain(match[0]) if book().has_fact(ref) or book().has_derived(ref) else "a figure since removed"

    return Markup('<span class="earlier-edition">{}</span>').format(FACT_REF.sub(plain, text) or "(empty)")


def _now(name: str, text: str, record_id: str) -> Markup:
    """A field's text in this edition: a figure traced, a quote as a source's words, prose with its figures."""
    if name in {"printed", "value"} and book().has_fact(record_id):
        return fmt.fact(record_id, qualifier=False)
    if name in {"shown", "value", "bound"} and book().has_derived(record_id):
        return fmt.derived(record_id)
    if name in QUOTED:
        return Markup('<span class="source-quote">{}</span>').format(text)
    if name in PROSE and text:
        return fmt.prose(text)
    if name == "ocr_correction" and text:  # the misprint, in double quotes, is the source's words
        return fmt.copy_error(text)
    if name in {"locator", "page"}:
        return Markup('<span class="fact-locator">{}</span>').format(text or "(empty)")
    if name == "metric" and text:
        return Markup("{}").format(_measured(text))
    return Markup("{}").format(text or "(empty)")


def _measured(metric: str) -> str:
    """What a metric measures, in its label's words (never its internal name); one the catalog no longer has, as
    such."""
    return fmt.metric_label(metric) if metric in book().metrics else "a measure the book no longer names"


def _field_rows(change: Changed) -> Markup:
    shown = [f for f in change.fields if not (f[0] == "value" and any(g[0] == "printed" for g in change.fields))]
    return Markup("").join(
        Markup('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>').format(
            FIELD_WORDS.get(name, name.replace("_", " ")), _earlier(old, name, change.old.get("unit", "")),
            _now(name, new, change.id))
        for name, old, new in shown)


def _fields_table(change: Changed) -> Markup:
    return Markup('<table class="data-table changes-table"><thead><tr><th scope="col">What</th>'
                  '<th scope="col">Earlier edition</th><th scope="col">This edition</th></tr></thead>'
                  '<tbody>{}</tbody></table>').format(_field_rows(change))


def _fact_line(fact_id: str) -> Markup:
    row = book().fact(fact_id)
    source = book().sources[row["source"]]
    return Markup("{} · {} · {} · {}").format(fmt.fact(fact_id), fmt.metric_label(row["metric"]),
                                             fmt.period_text(row), source.short_name)


def _removed_line(row: dict[str, str]) -> Markup:
    source = book().sources.get(row.get("source", ""))
    name = source.short_name if source else "a source no longer in the book"
    return Markup('{} · {} · <span class="fact-locator">{}</span><blockquote class="earlier-quote">{}</blockquote>'
                  ).format(_earlier(row.get("printed", "")), name, row.get("locator", ""),
                           _earlier(row.get("quote", "")))


def _same_quote(change: Changed) -> Markup:
    """The quote of a changed fact whose quote did not change, so its old and new value stand by it."""
    if any(name == "quote" for name, _, _ in change.fields):
        return Markup("")
    return Markup('<p class="same-quote">Its quote, the same in both editions:</p>'
                  '<blockquote class="source-quote">{}</blockquote>').format(change.new.get("quote", ""))


def _list(items: list[Markup], css: str) -> Markup:
    return Markup('<ul class="{}">{}</ul>').format(css, Markup("").join(Markup("<li>{}</li>").format(i)
                                                                           for i in items))


def _section(title: str, anchor: str, body: Markup) -> str:
    return f"\n({anchor})=\n## {title}\n\n{_block(body)}\n"


def _block(html: Markup) -> str:
    """Raw HTML for the Markdown page: one block, with no blank line to end it early."""
    return re.sub(r"\n\s*\n", "\n", str(html))


def _count(n: int, anchor: str) -> Markup:
    """How many, linked to their list; "none" when there are none (and no list)."""
    return fmt.book_count(n, f"#{anchor}") if n else Markup("none")


def _date(day: str) -> Markup:
    return Markup('<time class="structural" datetime="{0}">{0}</time>').format(day)


def _corrections() -> str:
    corrections = book().corrections
    if not corrections:
        body = Markup("<p>None is recorded: no figure of the book has been corrected since its first edition.</p>")
    else:
        body = _list([Markup('{}: {} <span class="corrects">Corrects: {}.</span>'
                             ).format(_date(c.date.isoformat()), fmt.prose(c.what),
                                      Markup(", ").join(fmt.ref(ref) for ref in c.facts))
                      for c in corrections], "corrections")
    return _section("Corrections recorded in the data", "changes-corrections", body)


def _facts(changes: EditionChanges) -> str:
    facts = changes.facts
    parts = [Markup("<p>Facts added: {}; removed: {}; changed: {}.</p>").format(
        _count(len(facts.added), "changes-facts-added"), _count(len(facts.removed), "changes-facts-removed"),
        _count(len(facts.changed), "changes-facts-changed"))]
    if facts.changed:
        parts.append(Markup('<h3 id="changes-facts-changed">Changed</h3>'))
        # The fact's link stands before the fold, not in its summary: a link inside a summary is a control inside
        # a control, which keyboards and screen readers cannot reach apart (axe: nested-interactive).
        parts += [Markup('<div class="change-entry"><p>{} — changed: {}</p><details><summary>What changed, field by '
                         'field</summary>{}{}</details></div>').format(
            _fact_line(c.id), ", ".join(FIELD_WORDS.get(name, name) for name, _, _ in c.fields), _fields_table(c),
            _same_quote(c)) for c in facts.changed]
    if facts.added:
        parts.append(Markup('<h3 id="changes-facts-added">Added</h3>'))
        parts.append(_list([_fact_line(row["id"]) for row in facts.added], "changes-added"))
    if facts.removed:
        parts.append(Markup('<h3 id="changes-facts-removed">Removed</h3>'))
        parts.append(_list([_removed_line(row) for row in facts.removed], "changes-removed"))
    return _section("Facts", "changes-facts", Markup("").join(parts))


def _derived(changes: EditionChanges) -> str:
    derived = changes.derived
    items = [Markup("{} ({}): {}").format(fmt.derived(c.id), c.new.get("label", ""), _fields_table(c))
             for c in derived.changed]
    items += [Markup("Added: {} ({})").format(fmt.derived(row["id"]), row.get("label", "")) for row in derived.added]
    items += [Markup("Removed: {} ({})").format(_earlier(row.get("shown", "")), _earlier(row.get("label", "")))
              for row in derived.removed]
    body = _list(items, "changes-derived") if items else Markup("<p>None changed.</p>")
    return _section("Derived figures", "changes-derived", body)


def _claims(changes: EditionChanges) -> str:
    claims = changes.claims
    items = [Markup("The claim {} was {} and is {}.").format(
        fmt.fact(c.new["fact"]) if book().has_fact(c.new.get("fact", "")) else _earlier(c.new.get("fact", "")),
        _earlier(c.old["verdict"]), c.new["verdict"]) for c in claims.changed]
    body = _list(items, "changes-claims") if items else Markup("<p>No claim's verdict changed.</p>")
    return _section("Claims checked against their parts", "changes-claims", body)


def _verdicts(changes: EditionChanges) -> str:
    verdicts = changes.verdicts
    items = [Markup('{}: {} → {}. {}<blockquote class="source-quote">{}</blockquote>').format(
        DETECTOR_WORDS.get(c.new.get("kind", ""), "a passage set against another"), _earlier(c.old["verdict"]),
        c.new["verdict"], fmt.prose(c.new["reason"]), c.new.get("first_text", "")) for c in verdicts.changed]
    body = _list(items, "changes-verdicts") if items else Markup("<p>No reviewed verdict changed.</p>")
    return _section("Verdicts on what the sources print", "changes-verdicts", body)


def _opening(note: EditionNote, changes: EditionChanges | None) -> Markup:
    this = Markup("This edition's data version is <code>{}</code>.").format(note.data_version)
    if note.previous_version is None:
        return Markup("<p>This is the first edition of the book: there is no earlier one to compare it with. {} "
                      "From the next edition on, this page lists every fact added, removed or changed since the "
                      "edition before (its old and new value and quote), the derived figures and verdicts that "
                      "changed, and the corrections recorded in the data, with their dates.</p>").format(this)
    said = Markup(
        "<p>{} It is compared with the last published edition, of {} (data version <code>{}</code>, source commit "
        "<code>{}</code>), fact by fact: a reader who cited a figure can see here whether it changed, was corrected "
        "or was removed. A figure of this edition links to its entry in the fact index; a figure only the earlier "
        'edition held is shown <span class="earlier-edition">marked so</span>, as its data package held it.</p>'
    ).format(this, _date(note.previous_published or ""), note.previous_version, note.previous_commit)
    if changes is not None and not changes:
        said += Markup("<p>The data files changed, but no fact, derived figure, claim or verdict did.</p>")
    return said


def page(note: EditionNote, changes: EditionChanges | None) -> str:
    """The Changes page as MyST Markdown: the editions compared, the corrections recorded, then what changed."""
    text = f"# {TITLE}\n\n{_block(_opening(note, changes))}\n" + _corrections()
    if changes is not None:
        text += _facts(changes) + _derived(changes) + _claims(changes) + _verdicts(changes)
    return text
