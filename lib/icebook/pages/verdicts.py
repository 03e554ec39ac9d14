"""Comparisons as the pages word them: the verdict, the one reason, the change.

``comparability.judge`` decides; this module only words what it decided, the same way everywhere: a verdict is a
``span.verdict`` carrying ``data-verdict``, a reason a ``span.reason`` carrying ``data-reason`` (a code of the
closed list ``comparability.REASONS``), so a check of the built site finds every judgement on every page and
sees that it came from here. No page words a reason of its own.
"""

from __future__ import annotations

from markupsafe import Markup

from icebook.data.comparability import FORMULA, REASONS, Comparison, MeasureJudgement, Reason, Verdict
from icebook.data.figures import Figure
from icebook.data.loader import book
from icebook.pages.fmt import MINUS, book_count, number, period_text, plain, prose

VERDICT_SLUG = {Verdict.EXACT: "exact", Verdict.BOUND: "bound", Verdict.CAVEAT: "caveat", Verdict.NOT: "not-compared"}


def verdict_badge(verdict: Verdict) -> Markup:
    """A verdict in words, marked for the site check: "compared as a bound"."""
    return Markup('<span class="verdict verdict-{0}" data-verdict="{0}">{1}</span>').format(
        VERDICT_SLUG[verdict], verdict.value)


def reason_name(reason: Reason, capital: bool = False) -> Markup:
    """A reason of the closed list by its short name ("the scope words differ"), marked for the site check."""
    name = reason.name[:1].upper() + reason.name[1:] if capital else reason.name
    return Markup('<span class="reason" data-reason="{}">{}</span>').format(reason.code, name)


def reason(comparison: Comparison) -> Markup:
    """The pair's reason: its name from the closed list, then what it is for these two figures, traced; the other
    reasons that also apply follow by name ("; also a period the book inferred")."""
    also = [r for r in comparison.also if r.code != "exact"]  # exact is how the change is known, not a caveat
    also = Markup("; also {}").format(Markup(" and ").join(reason_name(r) for r in also)) if also else Markup("")
    return Markup('<span class="reason" data-reason="{}">{}: {}{}</span>').format(
        comparison.reason.code, comparison.reason.name, prose(comparison.because), also)


def change_text(comparison: Comparison) -> str:
    """A computed change as every page words it: "−40.6%", "about +20.8%", "at most +166%", "at least +40%";
    empty when none is computed."""
    change = comparison.change
    if change is None:
        return ""
    size = number(abs(change.shown), "percent", change.decimals)
    sign = "" if not any(d in "123456789" for d in size) else "+" if change.shown > 0 else MINUS
    return f"{change.bound} {sign}{size}".strip()


def change_link(comparison: Comparison, href: str = "") -> Markup:
    """The change, linked to where a page shows its working (``href``; by default this page's own list of
    comparisons), with its formula and two figures at hand, the two facts it compares in ``data-facts``."""
    facts = " ".join(f.id for f in comparison.figures)
    hover = (f"{FORMULA} with base = {plain('{{' + comparison.earlier.id + '}}')}, later = "
             f"{plain('{{' + comparison.later.id + '}}')}" if comparison.later else "")
    return Markup('<a class="derived change" href="{}" data-facts="{}" data-quote="{}" title="{}">{}</a>').format(
        href or f"#{comparison.id}", facts, hover, hover, change_text(comparison))


def judgement(comparison: Comparison, href: str = "") -> Markup:
    """The rule's whole answer for a pair: "compared as a bound, at most +166% (a bound: …)", or "not compared
    (the scope words differ: …)"."""
    if comparison.change is None:
        return Markup("{} ({})").format(verdict_badge(comparison.verdict), reason(comparison))
    return Markup("{}, {} ({})").format(verdict_badge(comparison.verdict), change_link(comparison, href),
                                        reason(comparison))


def short_judgement(comparison: Comparison, href: str = "") -> Markup:
    """The verdict and the change, with the reason by name only: for a table cell or a list item."""
    said = Markup("{}, {}").format(verdict_badge(comparison.verdict), change_link(comparison, href)) \
        if comparison.change is not None else verdict_badge(comparison.verdict)
    return Markup("{} ({})").format(said, reason_name(comparison.reason))


def figure_ref(figure: Figure) -> Markup:
    """A figure of a comparison, traced: a fact as printed, or an implied figure marked as such."""
    return prose("{{" + figure.id + "}}")


def figure_period(figure: Figure) -> str:
    """When a figure holds, as the page says it (a partial year with its months, an inferred period marked)."""
    return period_text(book().fact(figure.id)) if book().has_fact(figure.id) else f"FY {figure.fiscal_year}"


def speakers(figures: tuple[Figure, ...]) -> str:
    """Who reported the figures, each once: "DHS and ICE", "OIG"."""
    names = list(dict.fromkeys(book().sources[f.source].speaker for f in figures))
    return " and ".join(names)


def short_name(figure: Figure) -> str:
    return book().sources[figure.source].short_name


def mid_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Fentanyl seized by HSI" -> "fentanyl seized by HSI", "The DHS page"
    -> "the DHS page"; a name that starts with an abbreviation ("HSI criminal arrests", "OPLA's docket") keeps it."""
    words = label.split()
    proper = len(words) > 1 and words[1][:1].isupper()  # "Border Enforcement Security Task Forces"
    return label[:1].lower() + label[1:] if label[1:2].islower() and not proper else label


def line_label(judged: MeasureJudgement, comparison: Comparison) -> str:
    """What a pair counts, as its sentence heads it: the measure's label for its main line; on a line of its own
    (a part of the measure), the label of its figures' metric, so a part is never named by the whole."""
    main = {s.metric for s in judged.measure.series if not s.line}
    metrics = {f.metric for f in comparison.figures}
    if metrics <= main or len(metrics) > 1:
        return judged.measure.label
    return book().metric(metrics.pop()).label


def pair_sentence(judged: MeasureJudgement, comparison: Comparison, href: str = "") -> Markup:
    """Who reported what and when, then the book's verdict: "DHS and ICE reported HSI MS-13 criminal arrests:
    567 (DHS page, FY 2017) and 337 (ICE annual report, FY 2020); the book's verdict: compared exactly, −40.6%
    (exact figures: …)."""
    figures = Markup(" and ").join(Markup("{} ({}, {})").format(figure_ref(f), short_name(f), figure_period(f))
                                   for f in comparison.figures)
    label = line_label(judged, comparison)
    unit = f" ({judged.measure.unit})" if judged.measure.unit not in ("count", "usd", "percent") else ""
    return Markup("{} reported {}{}: {}; the book's verdict: {}.").format(
        speakers(comparison.figures), mid_sentence(label), unit, figures, judgement(comparison, href))


def takeaway_pairs(judged: MeasureJudgement) -> list[Comparison]:
    """The pairs a measure's opening line speaks of: every compared pair of every line, else the main line's
    pair of its earliest and latest stated figures (or its first pair), whose reason says why none is compared."""
    compared = judged.compared
    if compared:
        return compared
    main = judged.main.comparisons
    stated = [c for c in main if c.later is None or not (c.earlier.implied or c.later.implied)]
    return [max(stated or main, key=lambda c: (c.later.fiscal_year - c.earlier.fiscal_year) if c.later else 0)]


def measure_takeaway(judged: MeasureJudgement, href: str = "") -> Markup:
    """One line a reader can take away from a measure: each compared pair in a sentence, or, where none is, the
    one pair that says why."""
    return Markup(" ").join(pair_sentence(judged, c, href) for c in takeaway_pairs(judged))


def reasons_not(judgements: list[MeasureJudgement]) -> dict[str, list[MeasureJudgement]]:
    """The measures whose main line has no compared pair, by the reason of the closed list that keeps them apart
    (a measure whose pairs are kept apart for two reasons is listed under each)."""
    grouped: dict[str, list[MeasureJudgement]] = {}
    for judged in judgements:
        for found in judged.reasons_not():
            grouped.setdefault(found.code, []).append(judged)
    return {code: grouped[code] for code in REASONS if code in grouped}


def counted_rules(judgements: list[MeasureJudgement], href: str) -> list[dict]:
    """The closed list as table rows: each verdict and reason, its rule, and how many pairs the pages judge by it
    (a figure set against nothing counts once), linked to where they are listed."""
    counts: dict[str, int] = {}
    for judged in judgements:
        for comparison in judged.comparisons:
            counts[comparison.reason.code] = counts.get(comparison.reason.code, 0) + 1
    return [{"verdict": verdict_badge(r.verdict), "reason": reason_name(r, capital=True),
             "rule": Markup('<span class="rule" data-rule="{}">{}</span>').format(code, r.rule),
             "pairs": book_count(counts.get(code, 0), href)} for code, r in REASONS.items()]
