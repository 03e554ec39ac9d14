"""The figures a page may set side by side, with everything judging a pair of them needs.

A figure is one number a source states, its printings together (a figure its source prints twice, in its text
and in a graphic, is one figure with two printings and perhaps two wordings), or a figure the book implies
from a stated share or change. Each carries what comparing it needs, read from the data and nothing else:
the words its source uses for what it counts (``wordings`` in data/metrics.yaml, quoted), its period and
whether the source states it, the part of its fiscal year a partial period covers (from the dates), its
qualifier, and the book's own declared doubt about it, if any.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import snowballstemmer

from icebook.core.text import normalise
from icebook.data.derive import input_qualifier

SMALL_WORDS = frozenset({"of", "the", "a", "an"})  # not scope words: "victims of human trafficking"
STEMMER = snowballstemmer.stemmer("english")
Synonyms = tuple[frozenset[str], ...]  # groups of words, by their stems, that data/metrics.yaml declares one act


def scope_words(words: str) -> list[str]:
    """The words of a wording in lower case, punctuation and "…" dropped (a word's own "/" and "-" kept:
    "and/or", "MS-13"), and the little words "of", "the", "a", "an" left out."""
    return [w for w in re.findall(r"[a-z0-9]+(?:[/-][a-z0-9]+)*", words.lower()) if w not in SMALL_WORDS]


def stem(word: str) -> str:
    """A word's stem (Snowball's English stemmer), so that one word's grammatical forms are one scope word:
    "arrested" and "arrests" are "arrest", "handling" and "handled" "handl"; a word with its own "/" or "-"
    ("and/or", "gang-related", "ICE-issued") is kept whole."""
    return word if not word.isalpha() else STEMMER.stemWord(word)


def scope_key(words: str, synonyms: Synonyms = ()) -> frozenset[str]:
    """The scope words of a wording as the rule compares them: each word by its stem, word order ignored, and a
    word of a declared synonym group read as the group's first stem in sort order (so two verbs the data declares
    one act match; no other two words do)."""
    stems = {stem(w) for w in scope_words(words)}
    return frozenset(next((min(group) for group in synonyms if s in group), s) for s in stems)


@dataclass(frozen=True)
class Wording:
    """The words one printing of a figure uses for what it counts, as its quote prints them, and the verb
    synonyms the data declares (data/metrics.yaml's ``synonyms``, by their stems)."""

    fact: str
    words: str
    synonyms: Synonyms = ()

    @property
    def key(self) -> frozenset[str]:
        return scope_key(self.words, self.synonyms)


@dataclass(frozen=True)
class Figure:
    """One figure as the comparison rule sees it (``compare.judge``)."""

    id: str  # its first printing's fact id, or the derived figure's id
    printings: tuple[str, ...]  # the fact ids that print it; an implied figure: the facts it is computed from
    source: str
    source_name: str  # the source as sentences name it ("the DHS page", "OIG-20-13")
    metric: str
    value: float
    unit: str
    qualifier: str  # as it carries into arithmetic (derive.input_qualifier; an implied figure: its bound)
    said: str  # the source's own qualifier word ("almost", "well over"), or ""
    fiscal_year: int | None
    period_type: str
    period: str
    period_basis: str  # "stated" or "inferred"
    wordings: tuple[Wording, ...]
    implied: bool = False
    doubt: str = ""  # the book's declared doubt (a fact's scope_doubt, an implied figure's doubt), figures as {{id}}

    @property
    def months(self) -> float | None:
        """For a partial fiscal year, the months its dates cover (of 12); None for any other period or when the
        period gives no dates to count from."""
        if self.period_type != "partial_fiscal_year" or self.fiscal_year is None:
            return None
        return months_covered(self.period, self.fiscal_year)


def source_named(short_name: str) -> str:
    """A source as a sentence names it: "the DHS page", but a document number bare ("OIG-20-13")."""
    return short_name if re.match(r"[A-Z]{2,}-\d", short_name) else f"the {short_name}"


def fiscal_year_span(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a federal fiscal year: October 1 of the year before to September 30 (OIG-20-13
    pairs "between October 1, 2014 and September 30, 2019" with "FY 2014 through FY 2019")."""
    return dt.date(fiscal_year - 1, 10, 1), dt.date(fiscal_year, 9, 30)


MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
MONTH_DAY_YEAR = rf"{MONTH} \d{{1,2}}, \d{{4}}"
MONTH_YEAR = rf"{MONTH} \d{{4}}"
MONTH_DAY = rf"{MONTH} \d{{1,2}}"
QUARTERS = {"one": 1, "two": 2, "three": 3, "four": 4}


def date_printed(text: str, year: int | None = None) -> dt.date:
    """A date as the sources print it (\"August 20, 2018\", \"April 2020\"; \"July 13\" with its ``year``)."""
    if re.fullmatch(MONTH_DAY_YEAR, text):
        return dt.datetime.strptime(text, "%B %d, %Y").date()
    if re.fullmatch(MONTH_YEAR, text):
        return dt.datetime.strptime(text, "%B %Y").date()
    return dt.datetime.strptime(f"{text}, {year}", "%B %d, %Y").date()


def partial_span(period: str, fiscal_year: int) -> tuple[dt.date, dt.date] | None:
    """The first and last day a partial period's words give, within its fiscal year: "FY 2018 to August 20,
    2018", "July 13 to September 19, 2020", "February 2020 to September 30, 2020", "April 2020 to end of FY
    2020", "FY 2018, Quarter 2", "last three quarters of FY 2015". None when the words give no start or end."""
    start, end = fiscal_year_span(fiscal_year)
    text = " ".join(period.split())
    if match := re.fullmatch(r"FY \d{4}, Quarter ([1-4])", text):
        quarter = int(match[1])
        first = dt.date(start.year + (start.month + 3 * (quarter - 1) - 1) // 12,
                        (start.month + 3 * (quarter - 1) - 1) % 12 + 1, 1)
        after = dt.date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1)
        return first, after - dt.timedelta(days=1)
    if match := re.fullmatch(r"last (one|two|three|four) quarters? of FY \d{4}", text):
        count = QUARTERS[match[1]]
        first = dt.date(end.year - (1 if 3 * count > 9 else 0), (end.month - 3 * count) % 12 + 1, 1)
        return first, end
    match = re.fullmatch(rf"(FY \d{{4}}|{MONTH_DAY_YEAR}|{MONTH_YEAR}|{MONTH_DAY}) to "
                         rf"(end of FY \d{{4}}|{MONTH_DAY_YEAR})", text)
    if match is None:
        return None
    last = end if match[2].startswith("end of FY") else date_printed(match[2])
    first = start if match[1].startswith("FY") else date_printed(match[1], last.year)
    return first, last


def months_covered(period: str, fiscal_year: int) -> float | None:
    """How many of the fiscal year's 12 months a partial period covers, from its days: FY 2018 to August 20,
    2018 is October 1, 2017 to August 20, 2018, 324 of the year's 365 days, 10.65 months."""
    span = partial_span(period, fiscal_year)
    if span is None:
        return None
    start, end = fiscal_year_span(fiscal_year)
    first, last = max(span[0], start), min(span[1], end)
    return ((last - first).days + 1) / ((end - start).days + 1) * 12


def months_text(months: float) -> str:
    """Months of a partial year to one decimal, rounded half up: 10.652 is "10.7"."""
    return str(Decimal(repr(months)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def fact_figure(row: pd.Series, printings: list[str], wordings: dict[str, tuple[str, ...]],
                source_name: str, synonyms: Synonyms = ()) -> Figure:
    """A figure from a fact (``row``, the first printing) and the ids of every printing of it."""
    year = row["as_of_fiscal_year"]
    return Figure(
        id=str(row.name), printings=tuple(printings), source=row["source"], source_name=source_name,
        metric=row["metric"], value=float(row["value"]), unit=row["unit"],
        qualifier=input_qualifier(float(row["value"]), row["unit"], row["qualifier"]),
        said=str(row.get("source_qualifier") or ""),
        fiscal_year=None if pd.isna(year) else int(year), period_type=row["period_type"], period=row["period"],
        period_basis=row.get("period_basis") or "stated",
        wordings=tuple(Wording(i, words, synonyms) for i in printings for words in wordings.get(i, ())),
        doubt=str(row.get("scope_doubt") or ""))


BOUND_QUALIFIERS = {"": "exact", "about": "about", "more than": "more_than", "less than": "less_than"}


def implied_quotes(row: pd.Series, facts: pd.DataFrame) -> dict[str, str]:
    """The quotes an implied figure's wording may be copied from: those of its inputs and of their printings."""
    wanted = {_printing_key(facts.loc[i]) for i in row["inputs"].values() if i in facts.index}
    return {str(i): quote for i, key, quote in zip(facts.index.tolist(), _printing_keys(facts), facts["quote"].tolist(),
                                                   strict=True) if key in wanted}


def implied_figure(row: pd.Series, facts: pd.DataFrame, wordings: dict[str, tuple[str, ...]],
                   source_name: str, synonyms: Synonyms = ()) -> Figure:
    """A figure the book implies (a derived figure of kind ``implied`` that names the metric it is a figure of;
    ``facts`` holds its inputs and their printings): its wordings are those data/metrics.yaml gives it, each
    quoted from an input or a printing of one; its period is its fiscal year's, its source its first input's."""
    quotes = implied_quotes(row, facts)
    first = facts.loc[next(i for i in row["inputs"].values() if i in facts.index)]
    found = tuple(Wording(next((i for i, q in quotes.items() if holds(q, words)), str(first.name)), words, synonyms)
                  for words in wordings.get(str(row.name), ()))
    return Figure(
        id=str(row.name), printings=tuple(quotes), source=first["source"], source_name=source_name,
        metric=row["metric"], value=float(row["value"]), unit=row["unit"], qualifier=BOUND_QUALIFIERS[row["bound"]],
        said="", fiscal_year=int(row["fiscal_year"]), period_type="fiscal_year",
        period=f"FY {int(row['fiscal_year'])}", period_basis="stated", wordings=found, implied=True,
        doubt=str(row.get("doubt") or ""))


ELLIPSIS = "…"  # joins the parts of a wording that stand apart in its quote


def wording_parts(words: str) -> list[str]:
    return [part.strip() for part in words.split(ELLIPSIS)]


def holds(quote: str, words: str) -> bool:
    """Whether a quote holds every part of a wording, ignoring case and runs of white space."""
    text = normalise(quote).lower()
    return bool(words) and all(part and normalise(part).lower() in text for part in wording_parts(words))


def _printing_key(row: pd.Series) -> tuple:
    """What two facts that print one figure share: their source, metric, period and value."""
    return row["source"], row["metric"], row["period"], float(row["value"])


def _printing_keys(facts: pd.DataFrame) -> Iterator[tuple]:
    """Each fact's ``_printing_key``, in the facts' order."""
    columns = (facts[name].tolist() for name in ("source", "metric", "period"))  # lists iterate fast
    return zip(*columns, (float(v) for v in facts["value"].tolist()), strict=True)


def printings(facts: pd.DataFrame) -> list[list[str]]:
    """The facts grouped by the figure they print (a figure printed twice is one group), in the facts' order."""
    groups: dict[tuple, list[str]] = {}
    for fact_id, key in zip(facts.index.tolist(), _printing_keys(facts), strict=True):
        groups.setdefault(key, []).append(str(fact_id))
    return list(groups.values())
