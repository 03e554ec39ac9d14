"""The home page's key findings and its "what these sources cannot tell you" box, made from the data.

Nothing here is typed by hand: each finding is assembled from the metrics catalog and
the changes it allows (``compare.baseline_changes``), the structure records, the OIG
findings records and their recommendations' status, and the discrepancy register.
When the data change, the findings change with them. Every figure is a traced link
(``fmt.fact``, ``fmt.change_link``); a count the book makes of its own records is a
``book-count`` link to the list it counts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from icebook.data.compare import Change, baseline_changes, caveat_applies, series_facts
from icebook.data.loader import Book
from icebook.data.schema import Measure
from icebook.pages.fmt import book_count, change_link, fact, number, prose

# The comparison page's published years and baseline: its defaults in chapters/params.yml
MAX_CHANGE_FINDINGS = 5  # measures with a stated change beyond these are named together in one finding
DAMAGE = ("ocr", "missing")  # register kinds that describe the copies, not the sources' claims


@dataclass(frozen=True)
class KeyFinding:
    """One sentence answering one of the reader's questions, and the section that supports it."""

    question: str  # "changes", "organisation" or "oversight"
    sentence: Markup
    href: str
    section: str  # the supporting section's name, for the link


def measure_anchor(measure: Measure) -> str:
    return "measure-" + measure.id.replace("_", "-")


def _lower_first(text: str) -> str:
    """A label mid-sentence: "Victims identified by HSI" -> "victims identified by HSI"; names keep capitals."""
    words = text.split(" ")
    if words[0] in ("The", "A", "An") or words[0][1:].islower() and (len(words) == 1 or not words[1][:1].isupper()):
        return text[:1].lower() + text[1:]
    return text


def _and(items: list) -> Markup:
    """Items joined as a reader lists them: "a", "a and b", "a, b and c"."""
    items = [Markup(i) if isinstance(i, Markup) else Markup.escape(i) for i in items]
    if len(items) <= 2:
        return Markup(" and ").join(items)
    return Markup(", ").join(items[:-1]) + Markup(" and ") + items[-1]


def _speakers(data: Book, source_ids: list[str]) -> Markup:
    names = list(dict.fromkeys(data.sources[s].speaker for s in source_ids))
    return _and(names)


def _source_of(data: Book, fact_id: str) -> str:
    return data.sources[data.fact(fact_id)["source"]].short_name


def _year(data: Book, fact_id: str) -> int:
    return int(data.fact(fact_id)["as_of_fiscal_year"])


def _unit_note(measure: Measure) -> str:
    return f" ({measure.unit})" if measure.unit not in ("count", "usd", "percent") else ""


def series_name(data: Book, measure: Measure, series_id: str) -> str:
    """What a change reports, as a sentence heads it: the measure's label for its headline series, else the
    series' own label ("HSI MS-13 criminal arrests"), so that a part is never read as the whole it belongs to."""
    return measure.label if series_id == measure.series[0].metric else data.metric(series_id).label


def _change_phrase(data: Book, ch: Change) -> Markup:
    series = next(s for s in _measure(data, ch.measure).series if s.metric == ch.series)
    sources = {data.fact(ch.base)["source"], data.fact(ch.later)["source"]}
    caveat = Markup(" (comparable only with a caveat)") if caveat_applies(series, sources) else Markup("")
    return Markup("{} in FY {} ({}) and {} in FY {} ({}); the book computes {}{}").format(
        fact(ch.base), _year(data, ch.base), _source_of(data, ch.base),
        fact(ch.later), _year(data, ch.later), _source_of(data, ch.later),
        change_link(ch, href=f"comparison.html#{ch.id}", text=change_in_words(ch)), caveat)


def change_in_words(ch: Change) -> str:
    """A computed change as a reader says it, its bound's direction in words: "a fall of 40.6%", "a rise of more
    than 40%" (a floor), "at most a rise of 170%" (a ceiling: the true change may be smaller, even a fall). The
    figure is the one ``compare.change`` shows, already rounded outward, so the bound stays true."""
    size = number(abs(ch.shown), "percent", ch.decimals)
    if ch.shown == 0:
        return {"": "no change", "about": "about no change"}.get(ch.bound, f"a change of {ch.bound} {size}")
    way = "rise" if ch.shown > 0 else "fall"
    if ch.bound in ("", "about"):
        return f"a {way} of {ch.bound} {size}".replace("  ", " ")
    widens = (ch.bound == "more than") == (ch.shown > 0)  # the bound points away from zero: the change is larger
    return f"a {way} of more than {size}" if widens else f"at most a {way} of {size}"


def _measure(data: Book, measure_id: str) -> Measure:
    return next(m for m in data.measures if m.id == measure_id)


def stated_changes(data: Book, measure: Measure, fiscal_years: list[int],
                   baseline_year: int) -> list[Change]:
    """The changes from the baseline that the qualifiers allow the book to state."""
    changes = baseline_changes(measure_facts(data, measure), measure, fiscal_years, baseline_year)
    return [c for c in changes if c.value is not None]


def change_sentence(data: Book, measure: Measure, changes: list[Change]) -> Markup:
    """"DHS and ICE reported <what changed>: <base> in FY 2017 (…) and <later> in FY 2020 (…); the book computes
    <a rise or fall of %>": the figures the agencies', the change the book's own."
    Headed by the series each change reports (``series_name``): the measure's label only for its headline series."""
    sources = [data.fact(i)["source"] for c in changes for i in (c.base, c.later)]
    parts = [Markup("{}{}: {}").format(_lower_first(series_name(data, measure, series)), _unit_note(measure),
                                       Markup("; ").join(_change_phrase(data, c) for c in changes
                                                         if c.series == series))
             for series in dict.fromkeys(c.series for c in changes)]
    return Markup("{} reported {}.").format(_speakers(data, sources), Markup("; and ").join(parts))


def measure_facts(data: Book, measure: Measure) -> pd.DataFrame:
    """The facts of a measure's series (read by selection: a fact added to one of them re-runs the page)."""
    return data.facts_where(metric=[s.metric for s in measure.series])


def comparable_years(data: Book, measure: Measure, fiscal_years: list[int]) -> dict[str, list[int]]:
    """For each series that may be compared, the chosen fiscal years the sources give it for."""
    facts = measure_facts(data, measure)
    years = {}
    for series in measure.series:
        if series.comparable == "no":
            continue
        own = series_facts(facts, series, fiscal_years)
        years[series.metric] = sorted({int(y) for y in own["as_of_fiscal_year"]})
    return years


NO_CHANGE = {  # why the sources show no change for a measure, as the home page groups them
    "none": "no figure that may be compared in the years shown",
    "single": "each count for one fiscal year only",
    "no_baseline": "no figure for the baseline year to set later ones against",
    "bounded": "figures whose qualifiers bound any change from both sides",
    "blocked": "figures whose scope, wording or period differ, so no change is stated",
}


def why_no_change(data: Book, measure: Measure, fiscal_years: list[int],
                  baseline_year: int) -> tuple[str, str]:
    """Why the sources show no change for a measure: a key of ``NO_CHANGE`` and the years in words."""
    years = comparable_years(data, measure, fiscal_years)
    shown = " and ".join(f"FY {y}" for y in sorted({y for ys in years.values() for y in ys}))
    widest = max((len(y) for y in years.values()), default=0)
    if widest == 0:
        return "none", ""
    if widest == 1:
        return "single", shown
    if not any(baseline_year in y for y in years.values()):
        return "no_baseline", shown
    changes = baseline_changes(measure_facts(data, measure), measure, fiscal_years, baseline_year)
    return ("blocked" if any(c.blocked for c in changes) else "bounded"), shown


def measure_takeaway(data: Book, measure: Measure, fiscal_years: list[int],
                     baseline_year: int) -> Markup:
    """One line a reader can take away from a measure: its change from the baseline, or why there is none."""
    changes = stated_changes(data, measure, fiscal_years, baseline_year)
    if changes:
        return change_sentence(data, measure, changes)
    reason, years = why_no_change(data, measure, fiscal_years, baseline_year)
    # each series has one year: where the years are several, so are the series, and a series is one thing counted
    apart = ", and the figures of different years count different things" if reason == "single" and " and " in years \
        else ""
    return Markup("No change from FY {} can be shown: the sources give {}{}{}.").format(
        baseline_year, NO_CHANGE[reason].replace("the baseline year", f"FY {baseline_year}"),
        f" ({years})" if years else "", apart)


def _change_findings(data: Book, fiscal_years: list[int], baseline_year: int) -> list[KeyFinding]:
    with_change = [(m, stated_changes(data, m, fiscal_years, baseline_year)) for m in data.measures]
    with_change = [(m, c) for m, c in with_change if c]
    findings = [KeyFinding("changes", change_sentence(data, m, c), f"comparison.html#{measure_anchor(m)}",
                           _section_name(data, m, c)) for m, c in with_change[:MAX_CHANGE_FINDINGS]]
    rest = [m for m, _ in with_change[MAX_CHANGE_FINDINGS:]]
    if rest:
        also = Markup("The comparison page also sets FY {} against later years for {}.").format(
            baseline_year, _and([_measure_link(m) for m in rest]))
        findings.append(KeyFinding("changes", also, "comparison.html#coverage", "FY2017–FY2020 in figures"))
    return findings


def _changed_series(data: Book, measure: Measure, series_id: str, changes: list[Change]) -> Markup:
    """"fentanyl seized by HSI (less than +170%)"; a series other than the measure's headline one says where the
    page shows it: "HSI MS-13 criminal arrests (−40.6%; under HSI gang-related criminal arrests)"."""
    shown = Markup("; ").join(change_link(c) for c in changes)
    if series_id == measure.series[0].metric:
        return Markup("{} ({})").format(_measure_link(measure), shown)
    return Markup('<a href="comparison.html#{}">{}</a> ({}; under {})').format(
        measure_anchor(measure), _lower_first(series_name(data, measure, series_id)), shown,
        _lower_first(measure.label))


def _section_name(data: Book, measure: Measure, changes: list[Change]) -> str:
    """The section a change finding links to: the measure, after the series the finding reports when that is
    not the measure's headline series ("HSI MS-13 criminal arrests, under HSI gang-related criminal arrests")."""
    named = [series_name(data, measure, s) for s in dict.fromkeys(c.series for c in changes)]
    return measure.label if named == [measure.label] else f"{'; '.join(named)}, under {measure.label}"


def _measure_link(measure: Measure) -> Markup:
    return Markup('<a href="comparison.html#{}">{}</a>').format(measure_anchor(measure), _lower_first(measure.label))


def no_change_measures(data: Book, fiscal_years: list[int],
                       baseline_year: int) -> dict[str, list[Measure]]:
    """The measures for which the sources show no change from the baseline, by the reason why."""
    grouped: dict[str, list[Measure]] = {}
    for measure in data.measures:
        if not stated_changes(data, measure, fiscal_years, baseline_year):
            grouped.setdefault(why_no_change(data, measure, fiscal_years, baseline_year)[0], []).append(measure)
    return grouped


def _no_change_sentence(data: Book, fiscal_years: list[int], baseline_year: int) -> Markup | None:
    grouped = no_change_measures(data, fiscal_years, baseline_year)
    if not grouped:
        return None
    parts = [Markup("for {} ({})").format(_and([_measure_link(m) for m in measures]),
                                          NO_CHANGE[reason].replace("the baseline year", f"FY {baseline_year}"))
             for reason, measures in grouped.items()]
    return Markup("The sources cannot show a change from FY {} {}.").format(baseline_year, Markup("; nor ").join(parts))


def _no_change_finding(data: Book, fiscal_years: list[int], baseline_year: int) -> list[KeyFinding]:
    sentence = _no_change_sentence(data, fiscal_years, baseline_year)
    if sentence is None:
        return []
    return [KeyFinding("changes", sentence, "comparison.html#coverage", "which source reports what")]


def main_messages(data: Book, fiscal_years: list[int], baseline_year: int) -> list[Markup]:
    """The comparison page's opening messages: where a change can be stated, where not, and how far to trust it."""
    with_change = [(m, stated_changes(data, m, fiscal_years, baseline_year)) for m in data.measures]
    with_change = [(m, changes) for m, changes in with_change if changes]
    messages = []
    if with_change:
        messages.append(Markup("A change from FY {} can be stated for {}; the book keeps the sources' "
                               "qualifiers, so most of these changes are bounds (“less than”, “more than”) or "
                               "approximate.").format(baseline_year, _and([
                                   _changed_series(data, m, series, [c for c in changes if c.series == series])
                                   for m, changes in with_change for series in dict.fromkeys(c.series
                                                                                            for c in changes)])))
    no_change = _no_change_sentence(data, fiscal_years, baseline_year)
    if no_change:
        messages.append(no_change)
    messages.append(Markup("Each change sets two figures from different documents against each other, most of them "
                           "ICE's and DHS's own statements rather than audited counts: it is not a trend."))
    return messages


def _organisation_findings(data: Book) -> list[KeyFinding]:
    structure = data.structure
    current = [c for c in structure.get("components", []) if c.get("current", True)]
    if not current:
        return []
    names = {c["id"]: f"{c['name']} ({c['abbreviation']})" for c in current}
    parts = [Markup("{}{}").format(names[c["id"]], Markup(", with {} within it").format(_and(
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
            "The {} sets out how ICE's earlier {} divided immigration enforcement work; it is undated, and no "
            "source says when those offices took their present names.").format(
                _and([data.sources[s].short_name for s in sorted(memo)]),
                _and([f"{c['name']} ({c['abbreviation']})" for c in earlier])),
            "organisation.html#earlier-offices", "the earlier offices OI and DRO"))
    return findings


def _size_parts(data: Book) -> list[Markup]:
    """ICE's own latest figure for each workforce and budget measure ("ICE workforce: 21,000 (…)")."""
    parts = []
    for measure in data.measures:
        if measure.theme != "Workforce and budget":
            continue
        metrics = [s.metric for s in measure.series if s.comparable != "no"]
        facts = data.facts_where(metric=metrics)
        kinds = facts["source"].map(lambda s: data.sources[s].kind)
        own = facts[facts["metric"].isin(metrics) & (kinds == "annual_report")].sort_values("as_of_fiscal_year")
        if own.empty:
            continue
        latest = own.iloc[-1]
        parts.append(Markup("{}: {} ({})").format(measure.label, fact(latest["id"]),
                                                  latest["period"] or f"FY {int(latest['as_of_fiscal_year'])}"))
    return parts


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


def recommendation_totals(data: Book, report: str, href: str) -> Markup:
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
        stood = _and([Markup("{} {} {}").format(book_count(n, href), "were" if n > 1 else "was", first)]
                     + [Markup("{} {}").format(book_count(k, href), label) for label, k in rest])
    return Markup("OIG's report {} made {} {}, and ICE concurred with {}; {} as of {}, the report's date, and these "
                  "sources say nothing later.").format(
        data.sources[report].document_number, book_count(total, href),
        "recommendation" if total == 1 else "recommendations", book_count(concurred_count(record), href),
        stood, data.sources[report].date_printed)


def _report_order(data: Book) -> list[str]:
    return sorted(data.findings, key=lambda r: str(data.sources[r].date or data.sources[r].date_printed))


ABBREVIATION = re.compile(r"\b[A-Z]{2,}\b")


def _known_abbreviations(data: Book, components: bool) -> set[str]:
    """Abbreviations a reader has already met written out: the speakers' names (ICE, DHS, OIG, in the book's title
    and opening) and, on the home page, the components' (its organisation finding writes each out first)."""
    return ({s.speaker for s in data.sources.values()} | {"FY"}
            | ({c.get("abbreviation") for c in data.structure.get("components", [])} if components else set()))


def spelled_out(data: Book, report: str, text: Markup, known: set[str]) -> Markup:
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


def _oversight_findings(data: Book, after_organisation: bool = False) -> list[KeyFinding]:
    findings = []
    known = _known_abbreviations(data, components=after_organisation)
    for report in _report_order(data):
        first = next(iter(data.findings[report].get("findings", [])), None)
        if first is None:
            continue
        source = data.sources[report]
        brief = prose(first["brief"]) if first.get("brief") else Markup("OIG found that {}").format(
            _lower_first(prose(first["title"])))
        findings.append(KeyFinding("oversight", Markup("In {} ({}), {}").format(
            source.document_number, source.date_printed, _sentence(spelled_out(data, report, brief, known))),
            f"oversight.html#{first['id']}", f"{source.document_number}: what OIG found"))
    for report in _report_order(data):
        if data.findings[report].get("recommendations"):
            tracker = f"oversight.html#recommendations-{report}"
            findings.append(KeyFinding("oversight", recommendation_totals(data, report, tracker), tracker,
                                       f"{data.sources[report].document_number} in the recommendation tracker"))
    return findings


def _sentence(text: Markup) -> Markup:
    """A brief that opens with "OIG found" reads on after a comma; end it with one full stop."""
    text = Markup(text.strip())
    return text if text.endswith(".") else text + Markup(".")


def key_findings(data: Book, fiscal_years: list[int], baseline_year: int) -> list[KeyFinding]:
    """The home page's numbered findings for the comparison of these years: what changed, how ICE is organised,
    what OIG found."""
    return (_change_findings(data, fiscal_years, baseline_year) + _no_change_finding(data, fiscal_years, baseline_year)
            + _organisation_findings(data)
            + _oversight_findings(data, after_organisation=True))


def limits(data: Book, fiscal_years: list[int], baseline_year: int) -> list[tuple[str, Markup]]:
    """What these sources cannot tell a reader about these years, each point headed by what it is about."""
    points = []
    no_change = no_change_measures(data, fiscal_years, baseline_year)
    single = no_change.get("single", []) + no_change.get("none", [])
    if single:
        points.append(("Fewer than two comparable years", Markup(
            "For {} no two figures that count the same thing cover two fiscal years, so no change can be "
            "shown.").format(_and([_measure_link(m) for m in single]))))
    partial = _partial_years(data)
    if partial:
        points.append(("Partial years", Markup("Part of a fiscal year, not a whole one: {}.").format(
            Markup("; ").join(partial))))
    for own, topic in ((True, "Self-reported, not audited"), (False, "Independent or internal")):
        sources = [src for src in data.sources.values() if src.self_reported is own]
        if sources:
            points.append((topic, Markup(" ").join(
                Markup("{}: {}.").format(src.short_name, prose(src.trust.strip().rstrip("."))) for src in sources)))
    damaged = [e for e in data.register if e.get("kind") in DAMAGE]
    if damaged:
        points.append(("Damaged copies", Markup("The copies the book works from are not perfect: {}.").format(
            Markup("; ").join(Markup('<a href="checking.html#register-{}">{}</a>').format(e["id"], _lower_first(
                e["title"])) for e in damaged))))
    return points


def _partial_years(data: Book) -> list[Markup]:
    """Each measure a source gives for part of a fiscal year only, with the period it covers."""
    found = []
    for measure in data.measures:
        metrics = [s.metric for s in measure.series]
        part = data.facts_where(metric=metrics, period_type="partial_fiscal_year")
        for (source, period), _ in part.groupby(["source", "period"], sort=False):
            found.append(Markup("{} in the {} ({})").format(_measure_link(measure), data.sources[source].short_name,
                                                            period))
    return found


def oversight_messages(data: Book) -> list[str | Markup]:
    """The oversight page's opening messages: what OIG found in each report, and where its recommendations stood."""
    return [f.sentence for f in _oversight_findings(data)]
