"""The home page's key findings, made from the data: what the comparability rule lets the sources show for the
comparison's years, how ICE is organised, and what OIG found.

Nothing here is typed by hand: each finding is assembled from the measures and the rule's answer for their pairs
(``comparability.judge_measure``, worded by ``verdicts``), the structure records, and the OIG findings records
and their recommendations' status (``oversight``). When the data change, the findings change with them. Every
figure is a traced link; a count the book makes of its own records is a ``book-count`` link to the list it counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from icebook.data.comparability import REASONS, MeasureJudgement, Verdict, judge_measure
from icebook.data.loader import Book
from icebook.pages.comparison import COMPARISONS, measure_anchor, measure_link
from icebook.pages.fmt import and_list, fact, period_text, reading_note, year_span
from icebook.pages.oversight import report_leads
from icebook.pages.verdicts import line_label, pair_sentence, reason_name

MAX_CHANGE_FINDINGS = 3  # compared pairs beyond these are named together in one finding
VERDICT_ORDER = [Verdict.EXACT, Verdict.BOUND, Verdict.CAVEAT]


@dataclass(frozen=True)
class KeyFinding:
    """One sentence answering one of the reader's questions, and the section that supports it."""

    question: str  # "changes", "organisation" or "oversight"
    sentence: Markup
    href: str
    section: str  # the supporting section's name, for the link


def judgements(data, fiscal_years: list[int], baseline_year: int | None = None) -> list[MeasureJudgement]:
    """The comparability rule's answer for every measure's pairs in these years."""
    return [judge_measure(data, measure, fiscal_years, baseline_year) for measure in data.measures]


def _speakers(data, source_ids: list[str]) -> Markup:
    return and_list(list(dict.fromkeys(data.sources[s].speaker for s in source_ids)))


def _change_findings(judged: list[MeasureJudgement]) -> list[KeyFinding]:
    """A finding for each pair the rule compares, exact ones first, then bounds, then those with a caveat."""
    pairs = sorted(((j, c) for j in judged for c in j.compared), key=lambda p: VERDICT_ORDER.index(p[1].verdict))
    findings = [KeyFinding("changes", pair_sentence(j, c, f"comparison.html#{c.id}"),
                           f"comparison.html#{measure_anchor(j.measure)}",
                           line_label(j, c) if line_label(j, c) == j.measure.label
                           else f"{line_label(j, c)}, under {j.measure.label}")
                for j, c in pairs[:MAX_CHANGE_FINDINGS]]
    rest = list(dict.fromkeys(j.measure.id for j, _ in pairs[MAX_CHANGE_FINDINGS:]))
    if rest:
        measures = [j.measure for j in judged if j.measure.id in rest]
        findings.append(KeyFinding("changes", Markup("The book also compares the sources' figures of {}.").format(
            and_list([measure_link(m) for m in measures])), f"comparison.html#{COMPARISONS}", "every comparison"))
    return findings


def not_compared_sentence(judged: list[MeasureJudgement], page: str = "comparison.html",
                          years: list[int] | None = None) -> Markup | None:
    """The measures whose figures the rule does not compare, each named once, grouped by the reasons that keep
    its pairs apart: "No change is shown for ERO removals and ICE budget (no second year); for ... (the scope
    words differ; an implied figure)". With ``years``, it says which years it speaks of: a measure with no second
    year among them may have one outside them (OIG's detainers of FY 2014 and FY 2019)."""
    grouped: dict[tuple[str, ...], list[MeasureJudgement]] = {}
    for j in judged:
        codes = tuple(r.code for r in j.reasons_not())
        if codes:
            grouped.setdefault(codes, []).append(j)
    if not grouped:
        return None
    order = list(REASONS)
    groups = sorted(grouped.items(), key=lambda item: [order.index(code) for code in item[0]])
    among = Markup("Among the figures for {}, no").format(year_span(years)) if years else Markup("No")
    return Markup("{} change is shown {}.").format(among, Markup("; ").join(
        Markup("for {} ({})").format(and_list([measure_link(j.measure, page) for j in measures]),
                                     Markup("; ").join(reason_name(REASONS[code]) for code in codes))
        for codes, measures in groups))


def _not_compared_finding(judged: list[MeasureJudgement], years: list[int] | None) -> list[KeyFinding]:
    sentence = not_compared_sentence(judged, years=years)
    return [KeyFinding("changes", sentence, f"comparison.html#{COMPARISONS}", "every comparison, with its reason")] \
        if sentence else []


def _organisation_findings(data: Book) -> list[KeyFinding]:
    structure = data.structure
    current = [c for c in structure.get("components", []) if c.get("current", True)]
    if not current:
        return []
    names = {c["id"]: f"{c['name']} ({c['abbreviation']})" for c in current}
    parts = [Markup("{}{}").format(names[c["id"]], Markup(", with {} within it").format(and_list(
        [names[k["id"]] for k in current if k.get("parent") == c["id"]])) if any(
            k.get("parent") == c["id"] for k in current) else "")
        for c in current if c.get("parent", "ICE") in (None, "ICE")]
    sources = [q["source"] for c in current for q in c.get("missions", [])]
    findings = [KeyFinding("organisation", Markup("{} name ICE's directorates and offices: {}.").format(
        _speakers(data, sources), Markup("; ").join(parts)), "organisation.html#components", "how ICE is organised")]
    size = _size_parts(data)
    if size:
        findings.append(KeyFinding("organisation", Markup("ICE reported its size: {}.").format(Markup("; ").join(size)),
                                   "organisation.html#ice-as-a-whole", "ICE as a whole"))
    earlier = [c for c in structure.get("components", []) if not c.get("current", True)]
    if earlier:
        memo = {q["source"] for c in earlier for q in c.get("missions", [])}
        findings.append(KeyFinding("organisation", Markup(
            "The {}, undated, sets out how ICE's {} divided immigration enforcement work. {}").format(
                and_list([data.sources[s].short_name for s in sorted(memo)]),
                and_list([f"{c['name']} ({c['abbreviation']})" for c in earlier]),
                reading_note("Our reading: they are offices ICE had before its present ones; no source says in "
                             "words which office became which, or when.")),
            "organisation.html#earlier-offices", "the earlier offices OI and DRO"))
    return findings


def _size_parts(data: Book) -> list[Markup]:
    """ICE's own latest figure for each workforce and budget measure ("ICE workforce: 21,000 (…)")."""
    parts = []
    for measure in data.measures:
        if measure.theme != "Workforce and budget":
            continue
        metrics = [s.metric for s in measure.series if not s.line]  # the measure's main line
        facts = data.facts_where(metric=metrics)
        kinds = facts["source"].map(lambda s: data.sources[s].kind)
        own = facts[facts["metric"].isin(metrics) & (kinds == "annual_report")].sort_values("as_of_fiscal_year")
        if own.empty:
            continue
        latest = own.iloc[-1]
        period = period_text(latest) if latest["period"] else f"FY {int(latest['as_of_fiscal_year'])}"
        parts.append(Markup("{}: {} ({})").format(measure.label, fact(latest["id"]), period))
    return parts


def key_findings(data, judged: list[MeasureJudgement], years: list[int] | None = None) -> list[KeyFinding]:
    """The home page's numbered findings for the comparison's years (``judged``: the rule's answer for every
    measure in those years, ``judgements``; ``years``, those years): what the sources let the book compare, how ICE
    is organised, what OIG found."""
    return (_change_findings(judged) + _not_compared_finding(judged, years) + _organisation_findings(data)
            + [KeyFinding("oversight", sentence, href, section)
               for sentence, href, section in report_leads(data, after_organisation=True)])


def findings_list(findings: list[KeyFinding]) -> Markup:
    """The key findings as the home page lists them, each with a link to the section that supports it."""
    return Markup('<ol class="key-findings">{}</ol>').format(Markup("").join(
        Markup('<li data-question="{}">{} <a class="finding-section" href="{}">See {}.</a></li>').format(
            f.question, f.sentence, f.href, f.section) for f in findings))
