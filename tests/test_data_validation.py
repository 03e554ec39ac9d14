"""The validator on a small good data folder and on one bad file per kind of mistake.

Each case under tests/fixtures/bad/<case>/ holds only the files that differ from
tests/fixtures/good/; the test lays them over a copy of the good folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from icebook import DataError, load
from icebook.core.versions import data_files
from icebook.data.facts import FIELD_LIMIT

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"

# case -> fragments the message must contain (file, row or record, field, what is wrong)
CASES = {
    "percentage_unclaimed": ["facts/sample.csv", "row 3", "sample-at-large-share", "'unit'",
                             "states a percentage (40%) that no claim in data/claims.yaml checks"],
    "malformed_csv": ["facts/sample.csv", "row 2", "malformed CSV row", "17 fields"],
    "malformed_yaml": ["derived.yaml", "malformed YAML"],
    "missing_field": ["facts/sample.csv", "row 2", "sample-arrests", "'unit'", "required field is empty"],
    "duplicate_id": ["facts/extra.csv", "sample-arrests", "duplicate fact id"],
    "unknown_source": ["facts/extra.csv", "elsewhere-x", "unknown source id 'elsewhere', named by 2 fact(s)",
                       "add-source"],
    "quote_not_found": ["facts/extra.csv", "sample-officers-2", "'quote'", "quote not found in source 'sample'"],
    "value_mismatch": ["facts/extra.csv", "sample-officers-2", "'value'", "does not match the number in its quote"],
    "unknown_unit": ["facts/extra.csv", "sample-officers-2", "unknown unit 'heads'"],
    "unknown_qualifier": ["facts/extra.csv", "sample-officers-2", "unknown qualifier 'roughly-ish'"],
    "unknown_role": ["facts/extra.csv", "sample-officers-2", "'role'", "unknown role 'story'", "anecdote"],
    # a measure compares statistics: an anecdote in its metric is refused, naming the measure and the fact
    "anecdote_in_measure": ["metrics.yaml", "admin_arrests", "'series.metric'", "fact 'sample-arrests'",
                            "is an anecdote"],
    "fiscal_year_out_of_range": ["facts/extra.csv", "'fiscal_year'", "fiscal year 1999 is outside"],
    "derived_unknown_fact": ["derived.yaml", "sample-bad-derived", "unknown fact 'sample-no-such-fact'"],
    "derived_divide_by_zero": ["derived.yaml", "sample-bad-derived", "divides by zero"],
    "source_hash_changed": ["sources.yaml", "sample", "does not match its recorded sha256"],
    "hash_unquoted_zeros": ["sources.yaml", "(sample)", "'sha256'", "a hash is a quoted string"],
    "new_source_hash_and_quote": [
        "sources.yaml", "(later)", "recorded 330f7880c55e961a9266b9db1cf69a1bb3610e75ef6c9e2cd2ff28d60c00a94c",
        "the file's is 6a56db93f1026dde7b91083d3d8f9e7a69339e3e54b17feedb6cc44f0d74f2e9",
        "If the source is new, record the file's hash",
        "facts/later.csv", "later-arrests", "it matches the source up to", "the quote has '01 arrests.' where the "
        "source has '10 arrests.'"],
    "html_in_text": ["facts/extra.csv", "'notes'", "HTML or script"],
    "html_in_prose": ["findings/sample.yaml", "'title'", "HTML or script"],
    "typed_number_in_prose": ["findings/sample.yaml", "'objective.summary'", "typed into prose", "1,250"],
    "number_not_covered": ["sources/sample.md", "'8.665'", "in no fact's quote", "coverage.yaml"],
    "number_word_not_covered": ["sources/sample.md", "'thirty-four'", "in no fact's quote", "coverage.yaml"],
    "correction_unknown_fact": ["corrections.yaml", "arrests-recounted", "'facts'",
                                "names no fact or derived figure: sample-no-such-fact"],
    "correction_typed_number": ["corrections.yaml", "arrests-recounted", "'what'", "typed into prose", "1,205"],
    "typed_number_in_claim_notes": ["claims.yaml", "sample-share-restated", "'notes'", "typed into prose", "1,250"],
    # what the page says about a number is what its quote says
    "scope_words_missing": ["facts/extra.csv", "row 2", "sample-officers-share", "'quote'",
                            "lacks the scope words ['at large']", "scope_deviation"],
    "label_without_scope": ["metrics.yaml", "ero_at_large_share", "'label'", "leaves out the scope words 'at large'"],
    "series_scope_difference_unsaid": ["metrics.yaml", "admin_arrests", "'series.counts'",
                                       "differs in scope", "never names 'at large'"],
    "metric_without_label": ["metrics.yaml", "ero_officers_on_duty", "has no label"],
    "label_spelled_out_identifier": ["metrics.yaml", "ero_officers", "'label'", "'ERO officers'",
                                     "the metric's name spelled out"],
    "typed_number_in_fact_notes": ["facts/extra.csv", "row 2", "sample-officers-2", "'notes'", "'2,150'",
                                   "typed into notes"],
    "unknown_fact_in_notes": ["facts/extra.csv", "sample-officers-2", "{{sample-no-such-fact}} names no fact"],
    "period_inferred_unmarked": ["facts/extra.csv", "sample-officers-2", "'period_basis'", "'not state the period'",
                                 "not 'inferred'"],
    # the period field may say it too: the same rule for it as for the notes
    "period_undated_unmarked": ["facts/extra.csv", "sample-officers-2", "'period_basis'", "the period says",
                                "'gives no date'", "not 'inferred'"],
    # every text field of a schema is checked for markup, not a hand-kept list of keys
    "html_in_source_title": ["sources.yaml", "(sample)", "'title'", "HTML or script markup"],
    "html_in_measure_theme": ["metrics.yaml", "(admin_arrests)", "'theme'", "HTML or script markup"],
    "html_in_claim_rounding": ["claims.yaml", "(sample-share-restated)", "'rounding'", "HTML or script markup"],
    # a value that cannot exist, whatever ocr_correction says
    "nan_value_with_ocr_correction": ["facts/extra.csv", "row 2", "'value'", "value 'nan' is not a plain number"],
    "negative_value_with_ocr_correction": ["facts/extra.csv", "row 2", "'value'", "value '-1' is below 0"],
    "share_above_hundred": ["facts/extra.csv", "sample-share-2", "value '340' is above 100%"],
    "formula_in_note": ["facts/extra.csv", "sample-officers-2", "'notes'", "begins with '='",
                        "spreadsheet would run as a formula"],
    # YAML read strictly: a second key, a tag or an alias is refused, naming its line (core/yamlio.py)
    "duplicate_key_in_yaml": ["data/derived.yaml: duplicate key 'formula' on line 9 (first on line 3)"],
    "tag_in_yaml": ["data/derived.yaml: the tag !!python/object/apply:os.system on line 2 is not allowed"],
    "alias_in_yaml": ["data/derived.yaml: an alias (*name) on line 12 is not allowed"],
    # one message per cause
    "derived_cycle": ["derived.yaml (sample-loop-a)", "'inputs'", "is in a cycle of derived figures: sample-loop-a "
                      "→ sample-loop-b → sample-loop-a"],
    "derived_self_reference": ["derived.yaml (sample-at-large-arrests)", "'inputs'", "names itself as an input"],
    "derived_overflow": ["derived.yaml (sample-at-large-arrests)", "'formula'", "gives inf", "must be a finite number"],
    "unknown_source_other_id": ["facts/extra.csv", "unknown source id 'elsewhere', named by 1 fact(s)"],
    # float() reads these; the CSV would keep them as written
    "value_not_plain": ["row 2 (sample-officers-2), field 'value': value '٣٤' is not a plain number; write ASCII "
                        "digits with an optional sign and decimal point", "value '３４' is not a plain number",
                        "value '3_4' is not a plain number", "value '3.4e1' is not a plain number"],
    # a copy that prints page numbers gives every fact a page, or says the copy prints none there (data/contents.py)
    "page_missing_where_pages_printed": [
        "facts/sample.csv, row 2 (sample-arrests), field 'page': page is empty, but source 'sample' prints page "
        "numbers (pages_printed: true in sources.yaml): 6 fact(s) give no page (sample-arrests, sample-at-large-share, "
        "sample-officers, sample-seizures, sample-seizure-value, …)", "front_matter (none)"],
    "front_matter_quote_after_numbering": [
        "facts/sample.csv, row 7 (sample-cases), field 'locator'", "in the front matter of source 'sample'",
        "its quote stands after 'Cases', where the copy numbers its pages"],
    "front_matter_section_not_in_text": [
        "sources.yaml (sample), field 'front_matter'", "section(s) 'Highlights' start no line of the text before "
        "'Cases'"],
    "front_matter_numbered_from_not_in_text": [
        "sources.yaml (sample), field 'front_matter'", "numbered_from 'Results' is no line of the source's text"],
    "page_given_in_front_matter": [
        "facts/sample.csv, row 2 (sample-arrests), field 'page'", "page '1' is given, but the fact's section is in the "
        "front matter of source 'sample', where the copy prints no page number"],
    # a source's date is a day, a month or a year, as precise as the copy prints it
    "source_date_in_words": ["sources.yaml (sample), field 'date': 'December 2019' is not accepted; write a date, "
                             "YYYY-MM-DD for a day (2020-12-23), YYYY-MM for a month (2019-12) or YYYY for a year "
                             "(2019)"],
    "bom_in_csv": ["facts/extra.csv: file is not UTF-8 without BOM", "byte-order mark"],
    "cp1252_csv": ["facts/extra.csv, row 2: file is not UTF-8 without BOM", "byte 0x92"],
}
# cases whose message is the only problem reported: nothing follows on from a file that cannot be read
ALONE = {"bom_in_csv", "cp1252_csv"}


def _overlay(case: str, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(GOOD, data)
    shutil.copytree(FIXTURES / "bad" / case, data, dirs_exist_ok=True)
    return data


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in data_files(folder)}


def test_good_fixture_loads_with_every_value_parsed_from_its_quote():
    data = load(GOOD)
    values = data.facts["value"].to_dict()
    # Worked by hand from tests/fixtures/good/sources/sample.md
    assert values == {
        "sample-arrests": 1250, "sample-at-large-share": 40, "sample-officers": 34,
        "sample-seizures": 1_400_000, "sample-seizure-value": 8_030_000_000, "sample-cases": 8665,
    }
    assert data.derived.at["sample-at-large-arrests", "value"] == pytest.approx(500)


def test_every_bad_case_has_a_fixture_and_every_fixture_a_case():
    assert sorted(p.name for p in (FIXTURES / "bad").iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_with_where_and_what(case: str, tmp_path: Path):
    data = _overlay(case, tmp_path)
    with pytest.raises(DataError) as caught:
        load(data)
    message = str(caught.value)
    for fragment in CASES[case]:
        assert fragment in message, f"{case}: {fragment!r} not in:\n{message}"
    if case in ALONE:
        assert len(caught.value.problems) == 1, message


def test_a_field_longer_than_the_limit_is_one_problem_naming_file_and_row(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(GOOD, data)
    path = data / "facts" / "sample.csv"
    header, *rows = path.read_text().splitlines()
    huge = "x" * (FIELD_LIMIT + 1)
    path.write_text("\n".join([header, rows[0], rows[1].replace(",,", f',"{huge}",', 1), *rows[2:]]) + "\n")
    with pytest.raises(DataError) as caught:
        load(data)
    assert [str(p) for p in caught.value.problems] == [
        "data/facts/sample.csv, row 3: unreadable CSV: a field is longer than the limit of 1,000,000 characters; "
        "is a quote left open?"]


@pytest.mark.parametrize(("case", "count"), [
    ("unknown_source", 1), ("hash_unquoted_zeros", 1), ("unknown_source_other_id", 1), ("duplicate_id", 2),
    ("derived_cycle", 1), ("derived_self_reference", 1), ("duplicate_key_in_yaml", 1), ("malformed_yaml", 1),
    ("value_not_plain", 4), ("page_missing_where_pages_printed", 1), ("front_matter_quote_after_numbering", 1),
    ("page_given_in_front_matter", 1), ("source_date_in_words", 1),
])
def test_one_mistake_is_reported_once(case: str, count: int, tmp_path: Path):
    """An unknown source named by two facts, or a hash YAML reads as a number: one problem, not one per fact.
    Nothing follows on from a record already refused (a duplicate id, a figure in a cycle: no "names no fact"
    for what names it), from a file that could not be read, or from an unknown source (no "id must start with
    its source id"). Each of the duplicate's two rows is named."""
    with pytest.raises(DataError) as caught:
        load(_overlay(case, tmp_path))
    assert len(caught.value.problems) == count, str(caught.value)


@pytest.mark.parametrize("case", ["quote_not_found", "malformed_csv", "source_hash_changed"])
def test_validate_command_exits_non_zero_and_writes_nothing(case: str, tmp_path: Path):
    data = _overlay(case, tmp_path)
    before = _snapshot(tmp_path)
    result = subprocess.run([sys.executable, "-m", "icebook", "validate", "--data", str(data)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert CASES[case][0] in result.stderr
    assert _snapshot(tmp_path) == before


def test_export_refuses_bad_data_and_writes_nothing(tmp_path: Path):
    data = _overlay("value_mismatch", tmp_path)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "icebook", "export", "--data", str(data),
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "does not match the number in its quote" in result.stderr
    assert not out.exists()
