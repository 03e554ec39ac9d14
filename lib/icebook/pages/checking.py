"""The checking chapter's HTML: what to know before citing the sources, the register of discrepancies, the
machine checks' findings (each judged, with both passages side by side and a link to check each) and the
claims audit (each claim, how it is checked, the recomputed value and the verdict)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote as quote_url

import pandas as pd
from markupsafe import Markup, escape

from icebook.data.audit import VERDICTS
from icebook.data.contents import quoting_fact
from icebook.data.detect import KINDS
from icebook.data.loader import Book
from icebook.pages.fmt import (
    derived,
    fact,
    fact_href,
    like_printed,
    locator_text,
    metric_label,
    passage_place,
    period_text,
    plain,
    prose,
    say,
    shared_notes,
    show,
    table,
)

REGISTER_KINDS = {"disagreement": "Sources disagree", "internal": "A source disagrees with itself",
                  "ocr": "Damage in the copy", "missing": "Missing from the copy"}
JUDGED = {"inconsistent": "Inconsistent", "ambiguous": "Ambiguous", "explained": "Explained"}
OPERATORS = {"*": "×", "/": "÷", "-": "−"}
KIND_WORDS = {"percentage": "A percentage", "change": "A change", "total": "A total", "sum": "A sum",
              "ratio": "A ratio", "count": "A count", "repeat": "A figure printed twice"}
# Five columns, so that every one fits the page's column at desktop width: where the claim stands goes under
# it, and the rounding rule under the working.
COLUMNS = [("claim", "Claim as stated, and where"), ("how", "How it is checked"), ("recomputed", "Recomputed"),
           ("verdict", "Verdict"), ("notes", "Notes")]


def record_count(n: int, anchor: str) -> Markup:
    """A count of the book's own records, linked to the list it counts."""
    return Markup('<a class="book-count" href="#{}">{}</a>').format(anchor, n)


def fold(lead: Markup, summary: str, body: Markup) -> Markup:
    """Detail a reader opens when wanted, under a line that says what it holds (the count stays outside the
    summary: a link inside a summary is a control nested in a control)."""
    return Markup('<p>{}</p><details class="fold"><summary>{}</summary>{}</details>').format(lead, summary, body)


def before_citing(data: Book, inconsistent: pd.DataFrame, disagree: list[dict]) -> Markup:
    """What a reader citing these sources should know after the caveats that touch many figures (limits.citing_caveats):
    each claim found inconsistent (its note, without its verdict's opening sentence) and each disagreement between
    the sources."""
    wrong = [Markup("<li><strong>{}</strong> ({}, {}): {} <a href=\"#claim-{}\">How the book checked it</a>.</li>"
                    ).format(metric_label(data.facts.at[row["fact"], "metric"]),
                             data.sources[data.facts.at[row["fact"], "source"]].short_name,
                             period_text(data.facts.loc[row["fact"]]),
                             prose(re.sub(r"^\s*\w+[^.]*\.\s*", "", row["notes"])), row["id"])
             for _, row in inconsistent.iterrows()]
    apart = [Markup("<li>The sources disagree: {}. <a href=\"#register-{}\">The passages side by side</a>.</li>"
                    ).format(prose(e["title"]), e["id"]) for e in disagree]
    return Markup("<div class='main-messages'><p>Then single figures: where a source's own parts contradict its "
                  "figure, and where the sources disagree.</p><ul>{}{}</ul></div>").format(Markup("").join(wrong),
                                                                                        Markup("").join(apart))


def checks_summary(data: Book, detections: pd.DataFrame, groups: dict[str, pd.DataFrame]) -> Markup:
    """The counts of what the register, the machine checks and the claims audit found, each linked to its list."""
    judged = detections["verdict"].value_counts()
    return Markup(
        "The register sets out {} discrepancies between or within the sources, damaged passages and missing "
        "pieces of the copies. Machine checks of the source texts found {} further candidates: {} judged "
        "inconsistent, {} ambiguous, the rest explained. Of the percentages, changes, totals and figures printed "
        "twice that the sources state, {} agree with their parts within the stated rounding, {} do not and {} "
        "cannot be checked; {} more are a figure printed twice whose two printings agree.").format(
        record_count(len(data.register), "register"), record_count(len(detections), "detectors"),
        record_count(int(judged.get("inconsistent", 0)), "detectors"),
        record_count(int(judged.get("ambiguous", 0)), "detectors"),
        record_count(len(groups["consistent"]), "claims-audit"),
        record_count(len(groups["inconsistent"]), "claims-audit"),
        record_count(len(groups["uncheckable"]), "claims-audit"),
        record_count(len(groups["restated"]), "claims-repeats"))


def register_cards(data: Book) -> Markup:
    """Each entry of the register: its kind and title, what it is, the passages side by side, what it means."""
    cards = Markup("")
    for entry in data.register:
        quotes = Markup("").join(Markup('<div><blockquote class="source-quote">{}</blockquote>'
                                        '<p class="fact-locator">{}, {}</p></div>').format(
            q["quote"], data.sources[q["source"]].short_name,
            passage_place(q["source"], q["quote"], q.get("locator", ""), q.get("page", "")))
        for q in entry.get("quotes", []))
        means = Markup("<p><strong>What it means for a reader:</strong> {}</p>").format(
            prose(entry["what_it_means"])) if entry.get("what_it_means") else ""
        cards += Markup('<section class="finding" id="register-{}"><p><strong>{}: {}</strong></p><p>{}</p>'
                        '<div class="passage-pair">{}</div>{}</section>').format(
            entry["id"], REGISTER_KINDS.get(entry["kind"], entry["kind"]), prose(entry["title"]),
            prose(entry["summary"]), quotes, means)
    return Markup('<div id="register">{}</div>').format(cards)


def detectors_summary(detections: pd.DataFrame) -> Markup:
    judged = detections["verdict"].value_counts()
    return Markup("{} candidates found, {} judged inconsistent, {} ambiguous, the rest explained.").format(
        record_count(len(detections), "detectors"), record_count(int(judged.get("inconsistent", 0)), "detectors"),
        record_count(int(judged.get("ambiguous", 0)), "detectors"))


def detectors_table(detections: pd.DataFrame) -> Markup:
    """For each kind of machine check, its candidates by verdict, each count linked to its findings."""
    rows = []
    for kind, label in KINDS.items():
        mine = detections[detections["kind"] == kind]["verdict"].value_counts()
        rows.append({"kind": label, "found": record_count(int(mine.sum()), f"kind-{kind}"),
                     "inconsistent": record_count(int(mine.get("inconsistent", 0)), f"kind-{kind}"),
                     "ambiguous": record_count(int(mine.get("ambiguous", 0)), f"kind-{kind}"),
                     "explained": record_count(int(mine.get("explained", 0)), "explained")})
    return table(rows, [("kind", "What the check looks for"), ("found", "Candidates"),
                        ("inconsistent", "Inconsistent"), ("ambiguous", "Ambiguous"), ("explained", "Explained")],
                 table_id="detectors")


def _copy_href(data: Book, source_id: str, text: str) -> str:
    """The site's copy of a source, opened at the passage where the browser can find it."""
    words = " ".join(text.split()[:6])
    return f"../../_static/downloads/sources/{data.sources[source_id].file}#:~:text={quote_url(words)}"


def quoted_passage(data: Book, source_id: str, section: str, line: int, text: str) -> Markup:
    """A passage as printed, where it stands, and a link to check it: its fact's entry or the source's copy."""
    fact_id = quoting_fact(data.facts, source_id, text)
    link = (Markup('<a href="{}">fact index</a>').format(fact_href(fact_id)) if fact_id else
            Markup('<a href="{}">the copy</a>').format(_copy_href(data, source_id, text)))
    section = locator_text(data.fact(fact_id)) if fact_id else section  # the fact's locator, read by hand, page too
    where = f"{section}, line {line}" if section else f"line {line}"
    return Markup('<div><blockquote class="source-quote">{}</blockquote><p class="fact-locator">{}, {} ({})</p>'
                  '</div>').format(text, data.sources[source_id].short_name, where, link)


def finding(data: Book, row: pd.Series) -> Markup:
    """One judged candidate: verdict, reason, and both passages side by side."""
    register = (Markup(' The register sets it out: <a href="#register-{}">{}</a>.').format(
        row["register"], next(e["title"] for e in data.register if e["id"] == row["register"]))
        if isinstance(row["register"], str) else "")
    pair = quoted_passage(data, row["first_source"], row["first_section"], row["first_line"], row["first_text"])
    if (row["second_source"], row["second_text"]) != (row["first_source"], row["first_text"]):
        pair += quoted_passage(data, row["second_source"], row["second_section"], row["second_line"],
                               row["second_text"])
    return Markup('<div class="finding" id="{}"><p><span class="verdict verdict-{}">{}</span> {}{}</p>'
                  '<div class="passage-pair">{}</div><p class="candidate-id"><a href="#{}">Link to this finding</a>'
                  '</p></div>'
                  ).format(row["id"], row["verdict"], JUDGED[row["verdict"]], prose(row["reason"]), register,
                           pair, row["id"])


def show_findings(data: Book, kind: str) -> None:
    """The anchor of one kind of machine check, and its findings judged inconsistent or ambiguous."""
    show(Markup('<div id="kind-{}"></div>').format(kind))
    detections = data.detections
    rows = detections[(detections["kind"] == kind) & (detections["verdict"] != "explained")]
    if rows.empty:
        say("No candidate of this kind is judged inconsistent or ambiguous.")
    show(Markup("").join(finding(data, row) for _, row in rows.sort_values("verdict", ascending=False).iterrows()))


def explained(data: Book, rows: pd.DataFrame) -> Markup:
    """The candidates judged explained (``rows``), by kind, folded."""
    body = Markup("").join(Markup("<p><strong>{}</strong></p>{}").format(
        label, Markup("").join(finding(data, row) for _, row in rows[rows["kind"] == kind].iterrows()))
        for kind, label in KINDS.items() if (rows["kind"] == kind).any())
    return Markup('<div id="explained">{}</div>').format(
        fold(Markup("Candidates judged explained: {}.").format(record_count(len(rows), "explained")),
             "Show them, with their passages", body))


def worked(formula: str, inputs: dict, shown: Callable[[str], Markup]) -> Markup:
    """A claim's formula with each input replaced by the figure it stands for ("(16,400 − 8,665) ÷ 8,665 × 100"):
    a reader sees the sum, not the audit's names for its terms. ``shown`` words a fact or derived figure's id."""
    out = Markup("")
    for i, part in enumerate(re.split(r"([A-Za-z_][A-Za-z0-9_]*)", formula)):
        if i % 2:
            out += shown(inputs[part])
        else:
            text = escape("".join(OPERATORS.get(c, c) for c in part))
            out += Markup(re.sub(r"\d+(?:\.\d+)?", r'<span class="structural">\g<0></span>', str(text)))
    return out


def _given(value: object) -> bool:
    """A field the claim fills in (an empty one reads as None or NaN from the table)."""
    return isinstance(value, str) and value != ""


def _recomputed(row: pd.Series) -> Markup:
    if row["recomputed"] is None or row["recomputed"] != row["recomputed"]:
        return Markup("—")
    how = ("the number of items listed" if row["kind"] == "count" else
           "recomputed as " + worked(row["formula"], row["inputs"], lambda ref: plain("{{" + ref + "}}")).striptags())
    return Markup('<a class="derived" href="#claim-{}" title="{}">{}</a>').format(
        row["id"], how, like_printed(row["recomputed"], row["fact"], row["tolerance"]))


def _listed(row: pd.Series) -> Markup:
    """The items a count claim counts, as the source prints them."""
    return Markup("the items listed: {}").format(
        Markup("; ").join(Markup('<q class="source-quote">{}</q>').format(item) for item in row["listed"]))


def _checked_how(row: pd.Series) -> Markup:
    """What kind of claim it is, the sum that checks it, and the rounding its source states, on a second line."""
    kind = KIND_WORDS[row["kind"]]
    how = (Markup("{}: {}").format(kind, _listed(row)) if row["kind"] == "count" else
           Markup("{}; the other printing: {}").format(kind, worked(
               row["formula"], row["inputs"], lambda ref: prose("{{" + ref + "}}"))) if row["kind"] == "repeat" else
           Markup("{}, recomputed as {}").format(kind, worked(
               row["formula"], row["inputs"], lambda ref: prose("{{" + ref + "}}"))) if _given(row["formula"]) else
           Markup("{}, not recomputed: the sources do not report the parts").format(kind))
    return Markup('{}<div class="claim-detail">Rounding: {}</div>').format(how, row["rounding"])


def _claim_notes(row: pd.Series, note: Markup) -> Markup:
    implied = (Markup("Implied figure: {}. ").format(derived(row["implies"], marked=False))
               if _given(row["implies"]) else "")
    return Markup("{}{}").format(implied, note)


def _claim_row(data: Book, row: pd.Series, note: Markup) -> dict:
    return {
        "claim": Markup('<span id="claim-{}">{}</span><div class="claim-detail"><span class="fact-locator">{}</span>: '
                        '<q class="source-quote">{}</q></div>').format(
            row["id"], fact(row["fact"]), locator_text(data.fact(row["fact"])), data.facts.at[row["fact"], "quote"]),
        "how": _checked_how(row),
        "recomputed": _recomputed(row),
        "verdict": Markup("<strong>{}</strong>").format(VERDICTS[row["verdict"]]),
        "notes": _claim_notes(row, note),
    }


def claims_table(data: Book, rows: pd.DataFrame, table_id: str) -> Markup:
    notes, shared = shared_notes([n if _given(n) else "" for n in rows["notes"]])  # a shared note said once
    return table([_claim_row(data, row, note) for (_, row), note in zip(rows.iterrows(), notes, strict=True)],
                 COLUMNS, sortable=True, table_id=table_id, table_class="claims-table") + shared


def show_claims_audit(data: Book, groups: dict[str, pd.DataFrame]) -> None:
    """The claims by verdict (the inconsistent open, the others folded), then the figures printed twice."""
    show(Markup('<div id="claims-audit"></div>'))
    for verdict, opened in (("inconsistent", True), ("consistent", False), ("uncheckable", False)):
        rows = groups[verdict]
        if rows.empty:
            continue
        summary = Markup("<strong>Claims {}:</strong> {}.").format(VERDICTS[verdict],
                                                                   record_count(len(rows), f"claims-{verdict}"))
        show(Markup("<p>{}</p>{}").format(summary, claims_table(data, rows, f"claims-{verdict}")) if opened
             else fold(summary, "Show them", claims_table(data, rows, f"claims-{verdict}")))
    show(Markup('<div id="claims-repeats">{}</div>').format(fold(
        Markup("<strong>Figures printed twice whose two printings agree, exactly or within the rounding stated:"
               "</strong> {}.").format(record_count(len(groups["restated"]), "claims-repeat")),
        "Show them", claims_table(data, groups["restated"], "claims-repeat"))))
