"""Coverage: every number printed in a source text is a fact, or is excluded for a stated reason.

The fact table promises to hold every quantitative statement of the sources. This
module checks the promise: it finds each number in a source's normalised text, a
run of digits or a number word ("two", "Thirty-four", "half", "twice"), and accepts
it when it lies inside the quote of a fact from that source whose ``printed`` form
contains it, inside a structural
number (a year, a fiscal-year label, a date: ``text.STRUCTURAL_NUMBER``), or inside
a match of one of the exclusion rules in ``data/coverage.yaml`` (telephone numbers,
addresses, page footers, footnote markers, citations ...), each of which states
why it is not a fact ("one of the largest" is not a count). Ordinals ("first") and
vague quantities ("thousands of") are not numbers here.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import pandas as pd

from icebook.core.text import STRUCTURAL_NUMBER, normalise
from icebook.data.collect import Collector
from icebook.data.read import read_yaml
from icebook.data.schema import Source

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_WORD = (f"{_UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
         "|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|half|twice")
# a run of digits, or a number word with its hyphenated tail ("thirty-four", "one-half", "one-time")
NUMBER = re.compile(rf"\d[\d,]*(?:\.\d+)?|\b(?:{_WORD})(?:-[a-z]+)?\b", re.I)


def _token(match: re.Match) -> str:
    return match.group().rstrip(",.").lower()


@dataclass(frozen=True)
class Uncovered:
    source: str
    number: str
    context: str


@functools.lru_cache(maxsize=16)
def _spans(patterns: tuple[re.Pattern, ...], text: str) -> tuple[tuple[int, int], ...]:
    """Where the patterns match (kept while the text and rules stay the same, for the process and in the build's
    cache, as ``detect.sweep`` is)."""
    from icebook.core.cache import cached_object

    inputs = json.dumps([[p.pattern, p.flags] for p in patterns]).encode() + b"\0" + text.encode()
    return cached_object("spans", inputs,
                       lambda: tuple(m.span() for pattern in patterns for m in pattern.finditer(text)))


def _quote_spans(text: str, quotes: dict[str, set[str]]) -> list[tuple[int, int, frozenset[str]]]:
    """Where each fact quote stands in the text (every occurrence), with the numbers it prints."""
    if not quotes:
        return []
    automaton = ahocorasick.Automaton()
    for quote, printed in quotes.items():
        automaton.add_word(quote, (len(quote), frozenset(printed)))
    automaton.make_automaton()
    return [(end - length + 1, end + 1, printed) for end, (length, printed) in automaton.iter(text)]


def _numbers_of(printed: str) -> set[str]:
    return {_token(m) for m in NUMBER.finditer(printed)}


def _uncovered_in(source: str, text: str, quotes: dict[str, set[str]], rules: list[re.Pattern]) -> list[Uncovered]:
    tokens = [(m.start(), m.start() + len(token), token) for m in NUMBER.finditer(text) for token in [_token(m)]]
    starts = [start for start, _, _ in tokens]
    covered: set[int] = set()
    spans = [(a, b, None) for a, b in _spans((STRUCTURAL_NUMBER, *rules), text)] + _quote_spans(text, quotes)
    for a, b, printed in spans:
        for i in range(bisect.bisect_left(starts, a), bisect.bisect_right(starts, b)):
            _, end, number = tokens[i]
            if end <= b and (printed is None or number in printed):
                covered.add(i)
    return [Uncovered(source, number, text[max(0, start - 50):end + 30])
            for i, (start, end, number) in enumerate(tokens) if i not in covered]


def uncovered(texts: dict[str, str], facts: pd.DataFrame, rules: dict[str, list[re.Pattern]]) -> list[Uncovered]:
    """Every number in the source texts that no fact quotes and no rule excludes."""
    quotes: dict[str, dict[str, set[str]]] = {source: {} for source in texts}
    for source, quote, printed in facts[["source", "quote", "printed"]].drop_duplicates().itertuples(index=False):
        if source in quotes:
            quotes[source].setdefault(normalise(quote), set()).update(_numbers_of(str(printed)))
    return [miss for source, text in texts.items()
            for miss in _uncovered_in(source, text, quotes[source], [*rules.get("all", []), *rules.get(source, [])])]


def check_coverage(data_dir: Path, sources: dict[str, Source], texts: dict[str, str], facts: pd.DataFrame,
                   col: Collector) -> None:
    """Every number in a source is a fact or is excluded by a rule of coverage.yaml that says why."""
    path = data_dir / "coverage.yaml"
    raw = read_yaml(path, col)
    if raw is None:
        return
    rules: dict[str, list[re.Pattern]] = {}
    for key, items in (raw or {}).items():
        if key != "all" and key not in sources:
            col.add(path, f"{key!r} is not a source id (or 'all')", record=key)
            continue
        for i, item in enumerate(items or [], start=1):
            if not isinstance(item, dict) or not item.get("pattern") or not item.get("reason"):
                col.add(path, "each rule needs a pattern and a reason", record=f"{key} rule {i}")
                continue
            try:
                rules.setdefault(key, []).append(re.compile(item["pattern"]))
            except re.error as error:
                col.add(path, f"pattern {item['pattern']!r} is not a valid regular expression: {error}",
                        record=f"{key} rule {i}", field="pattern")
    for miss in uncovered(texts, facts, rules):
        col.add(data_dir / "sources" / sources[miss.source].file,
                f"number {miss.number!r} in “…{miss.context}…” is in no fact's quote and no rule of "
                "coverage.yaml excludes it: add its fact, or a rule saying why it is not one")
