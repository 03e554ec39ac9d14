"""The oversight page's parts, and the oversight findings the home page leads with: each OIG report's objective,
method and findings (each finding in its speaker's name), the figures behind them, the recommendation tracker,
and where the findings bear on ICE's own figures (the book's reading, set apart)."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
from markupsafe import Markup

from icebook.data.comparability import judge_measure
from icebook.data.facts import ANECDOTE
from icebook.data.loader import book
from icebook.data.schema import SPEAKERS
from icebook.pages.chart import Chart, printed_marks, show_chart
from icebook.pages.charttitles import largest_title, range_title
from icebook.pages.comparison import measure_charts
from icebook.pages.fmt import (
    ORDINAL_WORDS,
    and_list,
    book_count,
    count_word,
    fact,
    fact_text,
    metric_label,
    passage_place,
    prose,
    quoted_note,
    say,
    shared_notes,
    show,
    stated_again,
    table,
)
from icebook.pages.sections import heading

STATUS_CLASS = {"resolved and open": "resolved-open", "unresolved and open": "unresolved-open",
                "resolved and closed": "closed"}
DOCKETS = {"ero_officer_caseload_nondetained": "Officers on non-detained dockets",
           "ero_officer_caseload_detained": "Officers on detained dockets"}
DETAINERS = {"cap_detainers_issued": "Detainers ICE issued", "cap_detainers_declined": "Detainers declined"}


def status_label(status: dict) -> str:
    """OIG's status of a recommendation in its own two words ("resolved and open")."""
    resolved = {True: "resolved", False: "unresolved"}.get(status.get("resolved"), "status not printed")
    is_open = {True: "open", False: "closed"}.get(status.get("open"), "")
    return f"{resolved} and {is_open}" if is_open else resolved


def recommendation_counts(record: dict) -> Counter:
    """How many of a report's recommendations stood at each of OIG's statuses as of the report."""
    return Counter(status_label(rec.get("oig_status", {})) for rec in record.get("recommendations", []))


def concurred_count(record: dict) -> int:
    return sum(1 for rec in record.get("recommendations", []) if rec.get("ice_response", {}).get("concurred") is True)


def recommendation_totals(data, report: str, href: str) -> Markup:
    """"OIG's report OIG-20-13 made four recommendations, and ICE concurred with four; two were resolved and open
    and two unresolved and open as of February 18, 2020, the report's date, and these sources say nothing later."
    Each count links to ``href``."""
    record = data.findings[report]
    total = len(record.get("recommendations", []))
    statuses = sorted(recommendation_counts(record).items())
    if len(statuses) == 1:
        stood = Markup("all {} {}").format("were" if total > 1 else "was", statuses[0][0])
    else:
        (first, n), rest = statuses[0], statuses[1:]
        stood = and_list([Markup("{} {} {}").format(book_count(n, href), "were" if n > 1 else "was", first)]
                     + [Markup("{} {}").format(book_count(k, href), label) for label, k in rest])
    return Markup("OIG's report {} made {} {}, and ICE concurred with {}; {} as of {}, the report's date, and these "
                  "sources say nothing later.").format(
        data.sources[report].document_number, book_count(total, href),
        "recommendation" if total == 1 else "recommendations", book_count(concurred_count(record), href),
        stood, data.sources[report].date_printed)


def report_order(data) -> list[str]:
    return sorted(data.findings, key=lambda r: str(data.sources[r].date or data.sources[r].date_printed))


ABBREVIATION = re.compile(r"\b[A-Z]{2,}\b")


def known_abbreviations(data, components: bool) -> set[str]:
    """Abbreviations a reader has already met written out: the speakers' names (ICE, DHS, OIG, in the book's title
    and opening) and, on the home page, the components' (its organisation finding writes each out first)."""
    return ({s.speaker for s in data.sources.values()} | {"FY"}
            | ({c.get("abbreviation") for c in data.structure.get("components", [])} if components else set()))


def spelled_out(data, report: str, text: Markup, known: set[str]) -> Markup:
    """``text`` with each abbreviation not in ``known`` written out at its first use as the report's own text
    writes it out ("CAP" -> "the Criminal Alien Program (CAP)", from OIG-20-13's "Criminal Alien Program (CAP)");
    one the report never writes out is left as it is. Adds what it wrote out to ``known``; tags are left alone."""
    parts = re.split(r"(<[^>]*>)", str(text))
    plain = Markup(text).striptags()
    for abbr in dict.fromkeys(ABBREVIATION.findall(plain)):
        if abbr in known or f"({abbr})" in plain:  # met before, or written out here already
            known.add(abbr)
            continue
        name = next((m[1] for m in re.finditer(r"((?:[A-Z][a-z]+ )+)\(" + re.escape(abbr) + r"\)", data.texts[report])
                     if "".join(word[0] for word in m[1].split()) == abbr), None)
        if name is None:
            continue
        for i, part in enumerate(parts):
            if not part.startswith("<") and re.search(rf"\b{abbr}\b", part):
                written = f"the {name.strip()} ({abbr})"
                parts[i] = re.sub(rf"(\bthe )?\b{abbr}\b", written.replace("\\", r"\\"), part, count=1)
                known.add(abbr)
                break
    return Markup("".join(parts))



def speaker_line(finding: dict) -> Markup:
    """Whose words a finding gives, as the page says it under the finding's heading."""
    return Markup('<p class="speaker">Whose words: {}.</p>').format(SPEAKERS[finding["speaker"]].label)


def _sentence(text: Markup) -> Markup:
    """A brief that opens with its speaker's verb reads on after a comma; end it with one full stop."""
    text = Markup(text.strip())
    return text if text.endswith(".") else text + Markup(".")


def report_leads(data, after_organisation: bool = False) -> list[tuple[Markup, str, str]]:
    """Each report's first finding in its speaker's words, then its recommendations' totals: (sentence, link,
    the linked section's name), for the home page's key findings and the oversight page's opening."""
    leads = []
    known = known_abbreviations(data, components=after_organisation)
    for report in report_order(data):
        first = next(iter(data.findings[report].get("findings", [])), None)
        if first is None:
            continue
        source = data.sources[report]
        brief = prose(first.get("brief") or first["summary"])
        leads.append((Markup("In {} ({}), {}").format(source.document_number, source.date_printed, _sentence(
            spelled_out(data, report, brief, known))), f"oversight.html#{first['id']}",
            f"{source.document_number}: what OIG found"))
    for report in report_order(data):
        if data.findings[report].get("recommendations"):
            tracker = f"oversight.html#recommendations-{report}"
            leads.append((recommendation_totals(data, report, tracker), tracker,
                          f"{data.sources[report].document_number} in the recommendation tracker"))
    return leads


def oversight_messages(data) -> list[Markup]:
    """The oversight page's opening messages: what OIG found in each report, and where its recommendations stood."""
    return [sentence for sentence, _, _ in report_leads(data)]


def cite(report: str, part: dict) -> Markup:
    """A record's quote as the report prints it, with where it stands: the fact index's place where a fact quotes
    it (``fmt.passage_place``)."""
    return Markup('<blockquote class="source-quote">{}</blockquote><p class="fact-locator">{}</p>').format(
        part["quote"], passage_place(report, part["quote"], part.get("locator", ""), part.get("page", "")))


def _labelled(ids: list[str], component: str) -> Markup:
    """Figures, each with what it measures: a labelled list, not a bare run of numbers. A figure the report states
    more than once is one item, linking to each statement."""
    items: dict[tuple[str, str], list[str]] = {}
    for i in ids:
        items.setdefault((metric_label(book().fact(i)["metric"], component), fact_text(i)), []).append(i)
    return Markup('<ul class="evidence">{}</ul>').format(Markup("").join(
        Markup("<li>{}: {}{}</li>").format(label, fact(same[0]), stated_again(same[1:], same[0]))
        for (label, _), same in items.items()))


def evidence(ids: list[str], component: str = "ERO") -> Markup:
    """A finding's figures; then, apart, the counts it gives as details of an example or of what people told OIG
    (anecdotes: facts, but not the finding's figures)."""
    anecdotes = [i for i in ids if book().fact(i)["role"] == ANECDOTE]
    figures = [i for i in ids if i not in anecdotes]
    shown = Markup("<p>The figures the report gives for this finding:</p>{}").format(
        _labelled(figures, component)) if figures else Markup("")
    if anecdotes:
        shown += Markup("<p>Counts it gives as details of an example or of what people told OIG, not as "
                        "statistics:</p>{}").format(_labelled(anecdotes, component))
    return shown


def report_section(data, report: str) -> None:
    """One report: who issued it and when, why OIG looked and how, and each finding in its speaker's name with its
    words and figures one click away."""
    record, source = data.findings[report], data.sources[report]
    heading(f"{source.document_number}: {source.title}", f"report-{report}")
    say(Markup("Issued {} by the {}.").format(source.date_printed, source.issuer))
    heading("Why OIG looked, and how", f"{report}-objective", level=3)
    objective = record.get("objective") or {}
    if objective:
        say(prose(objective.get("summary", "")))
        show(cite(report, objective))
    methods = record.get("scope_and_method", [])
    if methods:
        show(Markup("<details><summary>How OIG worked: each step of its method, in its words</summary>{}</details>"
                    ).format(Markup("").join(Markup("<p>{}</p>{}").format(prose(part["summary"]), cite(report, part))
                                             for part in methods)))
    heading("What OIG found, and what ICE's people told it", f"{report}-findings", level=3)
    for finding in record.get("findings", []):
        heading(prose(finding["title"]).striptags(), finding["id"], level=4)
        show(speaker_line(finding))
        say(prose(finding.get("brief") or finding["summary"]))
        detail = Markup("<p>{}</p>{}").format(quoted_note(finding["summary"]), cite(report, finding))
        if finding.get("facts"):
            detail += evidence(finding["facts"])
        show(Markup("<details><summary>More: the finding in full, its words and its figures</summary>{}</details>"
                    ).format(detail))


def bears_on_box(data) -> Markup:
    """Where findings bear on ICE's own figures: the book's reading, set apart and marked as such."""
    items = []
    for report, record in sorted(data.findings.items()):
        for finding in record.get("findings", []):
            bears = finding.get("bears_on")
            if bears:
                items.append(Markup('<li><a href="#{}">{}</a> ({}): {} ICE figures: {}.</li>').format(
                    finding["id"], prose(finding["title"]), data.sources[report].document_number,
                    quoted_note(bears["summary"]), Markup("; ").join(fact(i) for i in bears.get("facts", []))))
    if not items:
        return Markup("<p>The findings records name no ICE figure that a finding bears on.</p>")
    return Markup('<aside class="our-reading"><p><strong>Our reading.</strong></p><ul class="bears-on">{}</ul>'
                  '</aside>').format(Markup("").join(items))


def _drawn_from(data, frame: pd.DataFrame) -> str:
    return " and ".join(data.sources[s].short_name for s in sorted(set(frame["source"])))


def caseload_chart(data, caseloads: pd.DataFrame) -> None:
    """OIG-17-51's Figure 1 as the copy keeps it: each docket's four caseloads in the order printed, offices lost,
    one chart a docket (each titled with its range), never two dockets stacked on scales of their own."""
    for metric, docket in DOCKETS.items():
        own = caseloads[caseloads["metric"] == metric]
        if own.empty:
            continue
        marks = printed_marks(own, [f"Office not known, {ORDINAL_WORDS[n]} as the copy prints them"
                                    for n in range(len(own))], "average cases per Deportation Officer")
        notes, shared = shared_notes(list(own["notes"]))  # the copy's loss, said once for every row
        rows = [{"fact": fact(i), "notes": note} for i, note in zip(own.index, notes, strict=True)]
        show_chart(Chart(
            title=range_title(f"Average cases per Deportation Officer on {docket.removeprefix('Officers on ')}",
                              own["value"].idxmin(), own["value"].idxmax(),
                              f"the {count_word(len(own))} field offices of OIG's Figure 1, 2016"),
            subtitle=f"The average number of cases one Deportation Officer was responsible for: {docket.lower()}, "
                     f"{_drawn_from(data, own)}, Figure 1.",
            description=Markup("Horizontal bars from zero, one per field office, in the order the copy prints them, "
                               "each labelled with its figure. Which office each belongs to is lost in the copy."),
            marks=marks, sources=sorted(set(own["source"])), where="Figure 1", axis="Average cases per officer",
            data_table=table(rows, [("fact", "Figure"), ("notes", "What the copy allows us to say")]) + shared,
            notes=["The four field offices are the ones OIG chose for its Figure 1; the copy keeps their names "
                   "but not which bar is which.",
                   "OIG drew the figures from data ICE reported for July to October 2016."]))


def detainer_charts(data, years: list[int]) -> None:
    """OIG-20-13's detainers issued, and those declined, each measure its own chart in the years OIG counts them:
    the comparability rule sets each year's figure against the other's (``comparison.measure_charts``)."""
    for measure in data.measures:
        if {s.metric for s in measure.series} & set(DETAINERS):
            show(measure_charts(judge_measure(data, measure, years), "methods.html#comparability"))


def appendix_c(data, appc: pd.DataFrame) -> None:
    """OIG-20-13's Appendix C as a sortable table of its cells, and its categories' totals as bars."""
    category = appc["notes"].map(lambda n: (re.search(r"category: ([^;]+?)(?:;|$)", n) or [None, "?"])[1].strip())
    wide: dict[str, dict] = {}
    for (_, row), cat in zip(appc.iterrows(), category, strict=True):
        wide.setdefault(cat, {"category": cat})[row["metric"].removeprefix("cap_arrest_offense_")] = row
    rows = [{"category": c["category"], **{k: fact(c[k]["id"]) for k in ("charges", "convictions", "total")
                                           if k in c}} for c in wide.values()]
    table_html = table(rows, [("category", "Violation category"), ("charges", "Charges"),
                              ("convictions", "Convictions"), ("total", "Total offenses")],
                       sortable=True, table_id="appendix-c")
    drawn = [c for c in wide.values() if "total" in c and not c["category"].lower().startswith("total")]
    totals = appc.loc[[c["total"]["id"] for c in drawn]].assign(category=[c["category"] for c in drawn])
    marks = printed_marks(totals, list(totals["category"]), "offenses").sort_values("value", ascending=False)
    show_chart(Chart(
        title=largest_title(marks["bar"].iloc[0], len(marks), f"{_drawn_from(data, appc)}'s Appendix C",
                            marks["fact"].iloc[0], listed="#appendix-c"),
        subtitle=f"Offenses recorded for aliens ICE arrested in FY 2019, by violation category "
                 f"({_drawn_from(data, appc)}, Appendix C): charges and convictions together; an alien can have "
                 "several, so these are offenses, not arrests.",
        description=Markup("Horizontal bars from zero, one per violation category, longest first, each labelled "
                           "with its total as printed."),
        marks=marks, sources=sorted(set(appc["source"])), where="Appendix C", axis="Total offenses",
        data_table=table_html,
        notes=["The violation categories are the table's own, as OIG prints them; its grand total is not drawn.",
               "OIG's table comes from ICE's FY 2019 ERO report and covers ICE's arrests, not only those made "
               "through CAP."]))


def _yes_no(value) -> str:
    return "Yes" if value is True else "No" if value is False else str(value)


def tracker(data, report: str) -> Markup:
    """A report's recommendations in a table: what each asks, whether ICE concurred, OIG's status and ICE's
    estimated completion date, as of the report's date."""
    anchor = f"recommendations-{report}"
    rows = []
    for rec in data.findings[report].get("recommendations", []):
        status = status_label(rec.get("oig_status", {}))
        due = rec.get("estimated_completion", {}).get("as_printed")
        rows.append({
            "rec": Markup('<a id="{}" href="#{}-full">{}</a>').format(rec["id"], rec["id"],
                                                                    f"Recommendation {rec['number']}"),
            "asks": prose(rec.get("asks") or rec["text"]),
            "concurred": _yes_no(rec.get("ice_response", {}).get("concurred")),
            "status": Markup('<span class="badge status-{}">{}</span>').format(STATUS_CLASS.get(status, "other"),
                                                                               status),
            "due": Markup('<span class="source-quote">{}</span>').format(due) if due else "none printed"})
    return table(rows, [("rec", "Number"), ("asks", "What it asks"), ("concurred", "ICE concurred?"),
                        ("status", "OIG's status"), ("due", "Estimated completion")],
                 caption=recommendation_totals(data, report, f"#{anchor}"), table_id=anchor, stack=True,
                 table_class="tracker")


def recommendations_in_full(data) -> Markup:
    """Every recommendation's text, ICE's response and OIG's status, each in its speaker's words."""
    full = []
    for report, record in sorted(data.findings.items()):
        for rec in record.get("recommendations", []):
            response, status = rec.get("ice_response", {}), rec.get("oig_status", {})
            full.append(Markup('<div class="rec-full" id="{}-full"><p><strong>{} Recommendation {}.</strong> '
                               '<span class="source-quote">{}</span></p><p><em>ICE:</em> {} <span class="source-quote">'
                               '“{}”</span></p><p><em>OIG:</em> {}. <span class="source-quote">“{}”</span></p></div>'
                               ).format(rec["id"], data.sources[report].document_number, rec["number"], rec["text"],
                                        prose(response.get("summary", "")), response.get("quote", ""),
                                        status_label(status), status.get("quote", "")))
    return Markup("<details><summary>Each recommendation in full, with ICE's response and OIG's status in their "
                  "words</summary>{}</details>").format(Markup("").join(full))
