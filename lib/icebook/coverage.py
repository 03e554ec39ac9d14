"""Coverage: every number printed in a source text is a fact, or is excluded for a stated reason.

The fact table promises to hold every quantitative statement of the sources. This
module checks the promise for numbers written in digits: it finds each run of
digits in a source's normalised text and accepts it when it lies inside the quote
of a fact from that source whose ``printed`` form contains it, inside a structural
number (a year, a fiscal-year label, a date: ``text.STRUCTURAL_NUMBER``), or inside
a match of one of the exclusion rules in ``data/coverage.yaml`` (telephone numbers,
addresses, page footers, footnote markers, citations ...), each of which states
why it is not a fact. Numbers written as words are not scanned: they are left to
review, as ``data/README.md`` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick
import pandas as pd

from .text import STRUCTURAL_NUMBER, normalise

DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Uncovered:
    source: str
    number: str
    context: str


def _spans(patterns: list[re.Pattern], text: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in patterns for m in pattern.finditer(text)]


def _quote_spans(text: str, quotes: dict[str, set[str]]) -> list[tuple[int, int, frozenset[str]]]:
    """Where each fact quote stands in the text (every occurrence), with the numbers it prints."""
    if not quotes:
        return []
    automaton = ahocorasick.Automaton()
    for quote, printed in quotes.items():
        automaton.add_word(quote, (len(quote), frozenset(printed)))
    automaton.make_automaton()
    return [(end - length + 1, end + 1, printed) for end, (length, printed) in automaton.iter(text)]


def _digits_of(printed: str) -> set[str]:
    return {m.group().rstrip(",.") for m in DIGITS.finditer(printed)}


def uncovered(texts: dict[str, str], facts: pd.DataFrame, rules: dict[str, list[re.Pattern]]) -> list[Uncovered]:
    """Every number in the source texts that no fact quotes and no rule excludes."""
    missing: list[Uncovered] = []
    for source, text in texts.items():
        quotes: dict[str, set[str]] = {}
        for quote, printed in facts.loc[facts["source"] == source, ["quote", "printed"]].itertuples(index=False):
            quotes.setdefault(normalise(quote), set()).update(_digits_of(str(printed)))
        in_quotes = _quote_spans(text, quotes)
        excluded = _spans([STRUCTURAL_NUMBER, *rules.get("all", []), *rules.get(source, [])], text)
        for match in DIGITS.finditer(text):
            number = match.group().rstrip(",.")
            start, end = match.start(), match.start() + len(number)
            if any(a <= start and end <= b for a, b in excluded):
                continue
            if any(a <= start and end <= b and number in printed for a, b, printed in in_quotes):
                continue
            missing.append(Uncovered(source, number, text[max(0, start - 50):end + 30]))
    return missing
