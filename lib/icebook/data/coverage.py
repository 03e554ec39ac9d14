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


@dataclass(frozen=True)
class Rule:
    """A rule of coverage.yaml: what it matches, why its numbers are not facts, and how many it excludes."""

    key: str  # a source id, or "all"
    index: int  # its place under its key, from 1
    pattern: re.Pattern
    reason: str
    expect: int | None

    @property
    def name(self) -> str:
        return f"{self.key} rule {self.index}"


# A telephone number in any common form ("1-866-347-2423", "(202) 555-0100", "202.555.0100", "+1 866 347 2423"):
# its digit groups are one number to report, not one each.
TELEPHONE = re.compile(r"(?<![\d-])(?:\+?1[-. ]?)?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\d-])")


@functools.lru_cache(maxsize=256)
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


Token = tuple[int, int, str]


def _inside(tokens: list[Token], spans, printed_only: bool = False) -> set[int]:
    """The tokens that lie inside one of the spans (a quote's span covers only the numbers its facts print)."""
    starts = [start for start, _, _ in tokens]
    inside: set[int] = set()
    for a, b, *printed in spans:
        for i in range(bisect.bisect_left(starts, a), bisect.bisect_right(starts, b)):
            _, end, number = tokens[i]
            if end <= b and (not printed or printed[0] is None or number in printed[0]):
                inside.add(i)
    return inside


def _covered_in(source: str, text: str, quotes: dict[str, set[str]],
                rules: list[Rule]) -> tuple[list[Uncovered], dict[Rule, list[Uncovered]]]:
    """The numbers of one source that nothing covers (a telephone number is one), and for each rule those it
    alone excludes: numbers in its matches that are in no fact's quote and no structural number."""
    tokens = [(m.start(), m.start() + len(token), token) for m in NUMBER.finditer(text) for token in [_token(m)]]
    stated = _inside(tokens, [(a, b, None) for a, b in _spans((STRUCTURAL_NUMBER,), text)]
                     + _quote_spans(text, quotes))
    excluded = {rule: _inside(tokens, [(a, b, None) for a, b in _spans((rule.pattern,), text)]) - stated
                for rule in rules}
    covered = stated.union(*excluded.values())

    def found(indexes) -> list[Uncovered]:
        out, seen = [], set()
        for i in sorted(indexes):
            start, end, number = tokens[i]
            phone = next((m for m in TELEPHONE.finditer(text, max(0, start - 20), end + 20)
                          if m.start() <= start and end <= m.end()), None)
            if phone is not None:
                if phone.span() in seen:
                    continue
                seen.add(phone.span())
                start, end, number = phone.start(), phone.end(), phone.group()
            out.append(Uncovered(source, number, text[max(0, start - 50):end + 30]))
        return out

    return found(set(range(len(tokens))) - covered), {rule: found(ones) for rule, ones in excluded.items()}


def coverage(texts: dict[str, str], facts: pd.DataFrame,
             rules: dict[str, list[Rule]]) -> tuple[list[Uncovered], dict[Rule, list[Uncovered]]]:
    """Every number in the source texts that no fact quotes and no rule excludes; and what each rule excludes."""
    quotes: dict[str, dict[str, set[str]]] = {source: {} for source in texts}
    for source, quote, printed in facts[["source", "quote", "printed"]].drop_duplicates().itertuples(index=False):
        if source in quotes:
            quotes[source].setdefault(normalise(quote), set()).update(_numbers_of(str(printed)))
    missing: list[Uncovered] = []
    excluded: dict[Rule, list[Uncovered]] = {rule: [] for rule in sum(rules.values(), [])}
    for source, text in texts.items():
        found, by_rule = _covered_in(source, text, quotes[source], [*rules.get("all", []), *rules.get(source, [])])
        missing += found
        for rule, numbers in by_rule.items():
            excluded[rule] += numbers
    return missing, excluded


def _read_rules(path: Path, sources: dict[str, Source], col: Collector) -> dict[str, list[Rule]] | None:
    raw = read_yaml(path, col)
    if raw is None:
        return None
    rules: dict[str, list[Rule]] = {}
    for key, items in (raw or {}).items():
        if key != "all" and key not in sources:
            col.add(path, f"{key!r} is not a source id (or 'all')", record=key)
            continue
        for i, item in enumerate(items or [], start=1):
            if not isinstance(item, dict) or not item.get("pattern") or not item.get("reason"):
                col.add(path, "each rule needs a pattern and a reason", record=f"{key} rule {i}")
                continue
            expect = item.get("expect")
            if expect is not None and (not isinstance(expect, int) or isinstance(expect, bool) or expect < 0):
                col.add(path, f"expect: {expect!r} is not a count; write how many numbers the rule excludes "
                        "(expect: 3)", record=f"{key} rule {i}", field="expect")
                continue
            try:
                rules.setdefault(key, []).append(Rule(key, i, re.compile(item["pattern"]), item["reason"], expect))
            except re.error as error:
                col.add(path, f"pattern {item['pattern']!r} is not a valid regular expression: {error}",
                        record=f"{key} rule {i}", field="pattern")
    return rules


def _listed(numbers: list[Uncovered], most: int = 5) -> str:
    shown = "; ".join(f"{n.number!r} in “…{' '.join(n.context.split())}…”" for n in numbers[:most])
    return shown + (f"; and {len(numbers) - most} more" if len(numbers) > most else "")


def check_coverage(data_dir: Path, sources: dict[str, Source], texts: dict[str, str], facts: pd.DataFrame,
                   col: Collector) -> None:
    """Every number in a source is a fact or is excluded by a rule of coverage.yaml that says why; each rule
    excludes as many numbers as its ``expect`` says, so a rule that comes to hide a figure (its fact deleted, or
    a new source's number) is named."""
    path = data_dir / "coverage.yaml"
    rules = _read_rules(path, sources, col)
    if rules is None:
        return
    missing, excluded = coverage(texts, facts, rules)
    for miss in missing:
        what = "telephone number" if TELEPHONE.fullmatch(miss.number) else "number"
        col.add(data_dir / "sources" / sources[miss.source].file,
                f"{what} {miss.number!r} in “…{miss.context}…” is in no fact's quote and no rule of "
                "coverage.yaml excludes it: add its fact, or a rule saying why it is not one")
    for rule, numbers in excluded.items():
        if rule.expect is None:
            col.add(path, f"the rule ({rule.reason}) does not say how many numbers it excludes: add expect: "
                    f"{len(numbers)} (it excludes {_listed(numbers) or 'none'})", record=rule.name, field="expect")
        elif len(numbers) != rule.expect:
            col.add(path, f"the rule ({rule.reason}) excludes {len(numbers)} number(s) where expect says "
                    f"{rule.expect}: {_listed(numbers) or 'none'}. A number it excludes that no fact quotes is "
                    f"hidden: add its fact or narrow the pattern; if each is not a fact, set expect: {len(numbers)}",
                    record=rule.name, field="expect")
