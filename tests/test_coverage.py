"""Coverage: every number in a source is a fact's or excluded by a rule of coverage.yaml that says why."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from icebook.data.collect import Collector
from icebook.data.coverage import check_coverage
from icebook.data.schema import Source

SOURCES = {"s": Source.model_construct(id="s", file="s.md")}
TEXTS = {"s": "ICE made 1,250 arrests. See room 12."}
FACTS = pd.DataFrame({"source": ["s"], "quote": ["ICE made 1,250 arrests."], "printed": ["1,250"]})


def check(tmp_path: Path, rules: str) -> list[tuple[str | None, str]]:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    (data / "coverage.yaml").write_text(rules)
    col = Collector(data)
    check_coverage(data, SOURCES, TEXTS, FACTS, col)
    return [(p.record, p.message) for p in col.problems]


def test_a_number_no_fact_quotes_is_named_until_a_rule_excludes_it(tmp_path):
    [(record, message)] = check(tmp_path, "all: []\n")
    assert record is None and message.startswith("number '12' in “…")
    assert check(tmp_path / "ruled", "s:\n  - {pattern: 'room \\d+', reason: a room number}\n") == []


def test_a_rule_without_a_reason_a_bad_pattern_or_an_unknown_source_is_named(tmp_path):
    problems = check(tmp_path, "elsewhere: []\ns:\n  - {pattern: 'room'}\n  - {pattern: '(', reason: r}\n")
    assert problems[:3] == [
        ("elsewhere", "'elsewhere' is not a source id (or 'all')"),
        ("s rule 1", "each rule needs a pattern and a reason"),
        ("s rule 2", "pattern '(' is not a valid regular expression: missing ), unterminated subpattern at "
                     "position 0")]
