"""Chart titles that say what the reader should see, made from the data and the comparability rule's verdict.

A title is a sentence with a verb: who reported what, and which way it went, where the rule compares two figures
and the figures establish a direction ("DHS and ICE reported fewer HSI MS-13 criminal arrests in FY 2020 (337)
than in FY 2017 (567)"); that the book can only bound the change, where a bound leaves the direction open; that it
shows no change, and the rule's reason, where it compares none ("The book shows no change in immigration detainers
issued: the scope words differ"); what a distribution's largest part is, for a chart of categories. The
descriptive line ("…, FY 2017 to FY 2020, as the sources report them") is the subtitle.

:func:`title_problems` is the check: a title whose first clause has no verb, or that says "more", "fewer", "rose"
or "fell" where no compared change of the chart goes that way, is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from icebook.data.comparability import Comparison, Reason
from icebook.data.figures import Figure
from icebook.pages.fmt import book_count, count_word, ref, year_span
from icebook.pages.verdicts import change_link, mid_sentence, reason_name, speakers

# The verbs a title's first clause may carry (a title is a sentence, not a label).
VERBS = frozenset({"reported", "reports", "report", "shows", "show", "bound", "bounds", "lists", "list", "is", "are",
                   "was", "were", "rose", "fell", "ranged", "range", "counts", "count", "gives", "give", "computes",
                   "compute", "leads", "lead", "carried", "carry", "changed"})
RISE = frozenset({"more", "higher", "rose", "rise", "rises", "increase", "increased", "up"})
FALL = frozenset({"fewer", "less", "lower", "fell", "fall", "falls", "decrease", "decreased", "down"})
QUALIFIED = re.compile(r"\b(?:more|less|fewer) than\b|\bat (?:most|least)\b|\([^)]*\)")  # a figure's own words


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def first_clause(title: str) -> str:
    """The title up to its first comma, colon or semicolon: where its main verb must be."""
    return re.split(r"[,:;]", title, maxsplit=1)[0]


def claimed_directions(title: str) -> set[str]:
    """Which way a title says a figure went ("rise", "fall"), its figures' own qualifier words aside ("more than
    2,300" claims nothing)."""
    words = set(_words(QUALIFIED.sub(" ", title)))
    return ({"rise"} if words & RISE else set()) | ({"fall"} if words & FALL else set())


def title_problems(title: str | Markup, directions: Iterable[str | None]) -> list[str]:
    """What is wrong with a chart's title, given the directions its compared changes establish (``None`` for a
    change whose direction is open): no verb in its first clause, or a direction none of them supports."""
    text = Markup(title).striptags() if isinstance(title, Markup) else title
    problems = []
    if not set(_words(first_clause(text))) & VERBS:
        problems.append(f"the title {text!r} has no verb: say what the reader should see")
    for direction in sorted(claimed_directions(text) - set(directions)):
        problems.append(f"the title {text!r} states a {direction} that no compared change of the chart shows")
    return problems


def _year(figure: Figure) -> str:
    return f"FY {figure.fiscal_year}"


def change_title(comparison: Comparison, label: str, unit: str, href: str = "") -> Markup:
    """A compared pair's title: "<who> reported fewer <label> in FY 2020 (<later>) than in FY 2017 (<earlier>)"
    where the figures establish the direction; where a bound leaves it open, "The book can only bound the change
    in <label> from FY 2017 to FY 2020: at most +166%" (the change linked to its working, at ``href``)."""
    earlier, later = comparison.earlier, comparison.later
    what = mid_sentence(label)
    if comparison.direction is None and comparison.change.bound in ("at most", "at least"):
        return Markup("The book can only bound the change in {} from {} to {}: {}").format(
            what, _year(earlier), _year(later), change_link(comparison, href))
    if comparison.direction is None:
        return Markup("The book computes no change in {} from {} to {}").format(what, _year(earlier), _year(later))
    more, fewer = ("more", "fewer") if unit == "count" else ("more", "less")
    return Markup("{} reported {} {} in {} ({}) than in {} ({})").format(
        speakers(comparison.figures), more if comparison.direction == "rise" else fewer, what, _year(later),
        ref(later.id), _year(earlier), ref(earlier.id))


def no_change_title(label: str, reasons: list[Reason]) -> Markup:
    """A title where the rule compares no pair: the book shows no change, for the rule's reasons (their names from
    its closed list, marked as ``verdicts`` marks them)."""
    return Markup("The book shows no change in {}: {}").format(
        mid_sentence(label), Markup("; ").join(reason_name(r) for r in reasons))


def largest_title(category: str, count: int, source_name: str, largest: str, listed: str = "") -> Markup:
    """A distribution's title: "The largest of the five categories the ICE annual report lists is assaults (more
    than 1,500)": which is largest, of how many, in the source's own categories, named as it names them
    (``largest``: its figure's id; ``listed``: where the page lists them all, to link the count to)."""
    how_many = book_count(count, listed) if listed else count_word(count)
    return Markup("The largest of the {} categories {} lists is {} ({})").format(how_many, source_name, category,
                                                                               ref(largest))


def range_title(label: str, low: str, high: str, across: str) -> Markup:
    """A spread's title: "<label> ranged from <low> to <high> across <across>" (``low``, ``high``: figure ids)."""
    return Markup("{} ranged from {} to {} across {}").format(label, ref(low), ref(high), across)


def descriptive(label: str, years: list[int], one_wording: bool = True) -> str:
    """The subtitle: what is shown and for which years, as the sources report them."""
    return f"{label}, {year_span(years)}, as {'the sources report them' if one_wording else 'each source words it'}."
