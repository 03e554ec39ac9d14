"""Coverage: every number in a source is a fact's or excluded by a rule of coverage.yaml that says why."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

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
    assert check(tmp_path / "ruled", "s:\n  - {pattern: 'room \\d+', reason: a room number, expect: 1}\n") == []


def test_a_rule_without_a_reason_a_bad_pattern_or_an_unknown_source_is_named(tmp_path):
    problems = check(tmp_path, "elsewhere: []\ns:\n  - {pattern: 'room'}\n  - {pattern: '(', reason: r}\n")
    assert problems[:3] == [
        ("elsewhere", "'elsewhere' is not a source id (or 'all')"),
        ("s rule 1", "each rule needs a pattern and a reason"),
        ("s rule 2", "pattern '(' is not a valid regular expression: missing ), unterminated subpattern at "
                     "position 0")]


def test_a_rule_says_how_many_numbers_it_excludes_and_one_that_comes_to_hide_a_figure_is_named(tmp_path):
    # an over-broad rule: it also matches "1,250", which only the fact's quote covers
    broad = "s:\n  - {pattern: '\\d[\\d,]+', reason: numbers, expect: %s}\n"
    assert check(tmp_path / "counted", broad % 1) == []  # "12": "1,250" is the fact's
    [(record, message)] = check(tmp_path / "unsaid", "s:\n  - {pattern: '\\d[\\d,]+', reason: numbers}\n")
    assert record == "s rule 1" and "does not say how many numbers it excludes: add expect: 1" in message
    facts = FACTS.iloc[0:0]  # the fact is deleted: the rule now hides its figure
    data = tmp_path / "deleted" / "data"
    data.mkdir(parents=True)
    (data / "coverage.yaml").write_text(broad % 1)
    col = Collector(data)
    check_coverage(data, SOURCES, TEXTS, facts, col)
    [problem] = col.problems
    assert (problem.record, problem.field) == ("s rule 1", "expect")
    assert problem.message.startswith("the rule (numbers) excludes 2 number(s) where expect says 1: '1,250' in “…")
    assert "add its fact or narrow the pattern; if each is not a fact, set expect: 2" in problem.message


@pytest.mark.parametrize("phone", ["1-866-347-2423", "(866) 347-2423", "866-347-2423", "866.347.2423",
                                   "+1 866 347 2423", "1 (866) 347-2423", "(866)347-2423"])
def test_a_telephone_number_in_any_common_form_is_one_problem(tmp_path, phone):
    data = tmp_path / "data"
    data.mkdir()
    (data / "coverage.yaml").write_text("all: []\n")
    col = Collector(data)
    check_coverage(data, SOURCES, {"s": f"ICE made 1,250 arrests. Call {phone} for help."}, FACTS, col)
    [problem] = col.problems
    assert problem.message.startswith(f"telephone number {phone!r} in “…"), problem.message
