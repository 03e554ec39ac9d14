"""What the sources cannot tell a reader, and what to know before citing them: the home page's limits and the
checking page's caveats, made from the data.

The caveats that touch many of the book's figures come first: each is counted over the facts it concerns
(self-reported figures, rounding by the source, a machine-read copy, partial years, periods the book inferred,
implied figures), and a discrepancy of one figure comes after them, or in the register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from icebook.data.comparability import MeasureJudgement
from icebook.data.derive import ROUNDED, TRUE_AT_LEAST, TRUE_AT_MOST
from icebook.pages.comparison import measure_link
from icebook.pages.fmt import FACT_INDEX, book_count, derived, period_text, prose, reading_note
from icebook.pages.keyfindings import not_compared_sentence

DAMAGE = ("ocr", "missing")  # register kinds that describe the copies, not the sources' claims


@dataclass(frozen=True)
class Caveat:
    """One thing to know before citing: what it is about, how many of the book's facts it touches, its text."""

    topic: str
    facts: int
    text: Markup


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _partial_years(data) -> list[Markup]:
    """Each measure a source gives for part of a fiscal year only, with the period and the months it covers."""
    found = []
    for measure in data.measures:
        part = data.facts_where(metric=[s.metric for s in measure.series], period_type="partial_fiscal_year")
        for (source, _), rows in part.groupby(["source", "period"], sort=False):
            found.append(Markup("{} in the {}: {}").format(measure_link(measure), data.sources[source].short_name,
                                                           period_text(rows.iloc[0])))
    return found


def limits(data, judged: list[MeasureJudgement], years: list[int] | None = None) -> list[tuple[str, Markup]]:
    """What these sources cannot tell a reader about these years (``years``), each point headed by what it is
    about."""
    points = []
    apart = not_compared_sentence(judged, years=years)
    if apart:
        points.append(("Figures the book does not compare", Markup(
            '{} <a href="methods.html#comparability">The rules, and why</a>.').format(apart)))
    partial = _partial_years(data)
    if partial:
        points.append(("Partial years", Markup("Part of a fiscal year, not a whole one: {}.").format(
            Markup("; ").join(partial))))
    for own, topic in ((True, "ICE's and DHS's own figures"), (False, "OIG's reports and the memo")):
        sources = [src for src in data.sources.values() if src.self_reported is own]
        if sources:
            points.append((topic, Markup(" ").join(Markup("{}: {}").format(src.short_name, reading_note(src.trust))
                                                   for src in sources)))
    damaged = [e for e in data.register if e.get("kind") in DAMAGE]
    if damaged:
        points.append(("Damaged copies", Markup("The copies the book works from are not perfect: {}.").format(
            Markup("; ").join(Markup('<a href="checking.html#register-{}">{}</a>').format(
                e["id"], _lower_first(prose(e["title"]))) for e in damaged))))
    return points


APPROXIMATE = (ROUNDED | TRUE_AT_LEAST | TRUE_AT_MOST) - {"rounded_hundred"}


def citing_caveats(data) -> list[Caveat]:
    """What to know before citing these sources, widest first: each caveat with the number of the book's facts it
    touches, counted from the facts themselves (a count links to the fact index)."""
    facts = data.facts
    own = facts["source"].map(lambda s: data.sources[s].self_reported)
    ocr_sources = [s for s, src in data.sources.items() if re.search(r"\bOCR\b|machine-read", src.notes)]
    implied = data.derived[data.derived["kind"] == "implied"]
    found = [
        Caveat("Self-reported figures", int(own.sum()), Markup(
            "figures from {}, ICE's and DHS's own statements; our reading: neither document says its figures "
            "were audited.").format(" and ".join(data.sources[s].short_name for s in sorted(set(facts.loc[own,
                                                                                                          "source"]))))),
        Caveat("Qualified or round figures", int(facts["qualifier"].isin(APPROXIMATE).sum()), Markup(
            "figures a source gives as “more than”, “about”, “almost” or as a round number: the book keeps the "
            "source's word, and a change computed from one is a bound or approximate.")),
        Caveat("Rounded to the nearest hundred", int((facts["qualifier"] == "rounded_hundred").sum()), Markup(
            "OIG-20-13's counts, which its footnote 4 says are “rounded to the nearest hundred”.")),
        Caveat("Machine-read copies", int(facts["source"].isin(ocr_sources).sum()), Markup(
            "figures from a copy that was machine-read (OCR) and may carry errors; a misprint the book found is "
            "noted on its fact.")),
        Caveat("Partial years", int((facts["period_type"] == "partial_fiscal_year").sum()), Markup(
            "figures for part of a fiscal year only; each says which part, with the months its dates cover.")),
        Caveat("Periods the book inferred", int((facts["period_basis"] == "inferred").sum()), Markup(
            "figures whose source states no period: the book shows its reading as “period not stated; read as …” "
            "and compares none of them.")),
        Caveat("Implied figures", len(implied), Markup("figures no source states, which the book implies from a "
                                                       "stated share or change ({}): it compares none of them.").format(
            Markup("; ").join(derived(i) for i in implied.index))),
    ]
    return sorted((c for c in found if c.facts), key=lambda c: -c.facts)


def caveat_item(caveat: Caveat) -> Markup:
    """A caveat as the checking page lists it: its topic, how many facts it touches, and what to know."""
    return Markup("<li><strong>{}</strong> ({} figures): {}</li>").format(
        caveat.topic, book_count(caveat.facts, FACT_INDEX), caveat.text)


def limits_box(points: list[tuple[str, Markup]]) -> Markup:
    """The home page's "what these sources cannot tell you", each point headed by what it is about."""
    return Markup('<div class="cannot-tell"><ul>{}</ul></div>').format(Markup("").join(
        Markup("<li><strong>{}.</strong> {}</li>").format(topic, text) for topic, text in points))


def caveats_box(caveats: list[Caveat]) -> Markup:
    """What to know before citing these sources, widest first, for the checking page."""
    return Markup('<div class="main-messages"><p>What to know before citing these sources, the caveats that touch '
                  'the most figures first:</p><ul>{}</ul></div>').format(Markup("").join(
                      caveat_item(c) for c in caveats))
