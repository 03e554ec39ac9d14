"""Reading data files: encodings, YAML and records checked against their schema, each problem once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from icebook.core.errors import DataError
from icebook.data.collect import Collector
from icebook.data.read import check_files, check_filled_in, read_records, read_yaml
from icebook.data.schema import FILL_IN, Source

ROOT = Path(__file__).resolve().parents[1]


class Labelled(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: str


def test_a_duplicate_id_and_a_record_failing_its_schema_are_reported_the_rest_kept(tmp_path):
    path = tmp_path / "derived.yaml"
    path.write_text("- {id: a, label: A}\n- {id: a, label: A again}\n- {id: b}\n- {id: c, label: C, x: 1}\n")
    col = Collector(tmp_path)
    records = read_records(path, col, Labelled)
    assert [r.label for r in records] == ["A", "A again"]
    assert [(p.record, p.field, p.message) for p in col.problems] == [
        ("b", "label", "required field is missing"),
        ("c", "x", "is not a field of this record: remove it, or check its spelling against "
                   "lib/icebook/data/schema.py"),
        ("a", "id", "duplicate id 'a' (2 times)")]


def test_a_file_that_is_not_a_list_is_one_problem(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("id: one\n")
    col = Collector(tmp_path)
    assert read_records(path, col, Labelled) == []
    assert [p.message for p in col.problems] == ["expected a list of records"]


def test_missing_and_malformed_yaml_name_the_file(tmp_path):
    (tmp_path / "bad.yaml").write_text("a: [1,\n")
    col = Collector(tmp_path)
    assert read_yaml(tmp_path / "gone.yaml", col) is None
    assert read_yaml(tmp_path / "bad.yaml", col) is None
    assert [p.file for p in col.problems] == [f"{tmp_path.name}/gone.yaml", f"{tmp_path.name}/bad.yaml"]
    assert col.problems[0].message == "file is missing"
    assert col.problems[1].message.startswith("malformed YAML: ")


def test_an_unquoted_hash_says_a_hash_is_a_quoted_string(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("- {id: s, file: s.md, title: T, short_name: S, issuer: I, date_printed: D, kind: audit, "
                    "trust: T, sha256: 0000}\n")
    col = Collector(tmp_path)
    read_records(path, col, Source)
    assert [p.message for p in col.problems if p.field == "sha256"] == [
        "0 is not accepted; write text; a hash is a quoted string: sha256: '…' (unquoted digits read as a number)"]
    kind = [p.message for p in col.problems if p.field == "kind"]
    assert kind == ["'audit' is not accepted; write one of 'annual_report', 'press_release', 'oig_inspection', "
                    "'oig_audit' or 'memorandum'"]


def test_no_schema_error_reaches_the_user_in_pydantic_s_words(tmp_path):
    """A date, a flag and a number in the wrong form: each message says what was given and what is accepted."""
    path = tmp_path / "sources.yaml"
    path.write_text("- {id: s, file: s.md, title: T, short_name: S, issuer: I, date_printed: D, date: '2019-13-45', "
                    "document_number: null, kind: memorandum, trust: T, missing: '', pages_printed: perhaps, "
                    "notes: '', sha256: '" + "0" * 64 + "'}\n")
    col = Collector(tmp_path)
    read_records(path, col, Source)
    assert {p.field: p.message for p in col.problems} == {
        "date": "'2019-13-45' is not accepted; write a date, YYYY-MM-DD for a day (2020-12-23), YYYY-MM for a month "
                "(2019-12) or YYYY for a year (2019), as precise as the copy prints it; null when it prints none",
        "pages_printed": "'perhaps' is not accepted; write true or false"}


def test_a_field_add_source_left_to_fill_in_is_named(tmp_path):
    col = Collector(tmp_path)
    check_filled_in([{"id": "new", "title": f"{FILL_IN} the title as printed"}], tmp_path / "sources.yaml", col)
    assert [(p.record, p.field, p.message) for p in col.problems] == [
        ("new", "title", "still to fill in: the title as printed")]


def test_a_byte_order_mark_stops_validation_naming_the_file(tmp_path):
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "a.csv").write_bytes(b"\xef\xbb\xbfid\n")
    (tmp_path / "notes.bin").write_bytes(b"\xff\xfe")  # not a text file: not checked
    with pytest.raises(DataError) as caught:
        check_files(tmp_path)
    assert [p.file for p in caught.value.problems] == [f"{tmp_path.name}/facts/a.csv"]


def test_the_fast_loader_reads_every_data_file_as_the_pure_python_loader_does():
    """read_yaml parses with libyaml where PyYAML has it; the values must be the ones yaml.safe_load gives,
    for every YAML file the book's data holds."""
    files = sorted((ROOT / "data").rglob("*.yaml"))
    assert files
    for path in files:
        assert read_yaml(path, Collector(path.parent)) == yaml.safe_load(path.read_text(encoding="utf-8")), path


def test_malformed_yaml_shows_the_offending_line(tmp_path):
    """The pure loader's message quotes the line (libyaml's does not), so malformed YAML is read again by it."""
    path = tmp_path / "claims.yaml"
    path.write_text("- id: a\n  label: [one, two\n- id: b\n")
    col = Collector(tmp_path)
    assert read_yaml(path, col) is None
    assert "label: [one, two" in col.problems[0].message
