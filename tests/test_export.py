"""The downloads: CSVs plus a Frictionless data package that frictionless itself accepts."""

import csv
import json
from pathlib import Path

import frictionless
import pytest

from icebook import load
from icebook.data.collect import Collector
from icebook.data.export import export
from icebook.data.facts import FACT_COLUMNS, FIELD_LIMIT, read_fact_files

GOOD = Path(__file__).parent / "fixtures" / "good"


def validate_package(out: Path) -> frictionless.Report:
    """frictionless's report on a written data package. Its CSV parser sets the csv module's global field limit to
    2 GB for the whole process when first used; the global is put back, so no later test inherits it."""
    before = csv.field_size_limit()
    try:
        return frictionless.validate(str(out / "datapackage.json"))
    finally:
        csv.field_size_limit(before)


def test_data_package_is_valid_and_lists_every_fact_with_hashes(tmp_path):
    out = export(load(GOOD), tmp_path / "downloads")
    report = validate_package(out)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((out / "datapackage.json").read_text())
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    assert facts["hash"].startswith("sha256:")
    assert (out / "facts.csv").read_text().count("\nsample-") == 6
    assert {s["path"] for s in package["sources"]} == {"sources/sample.md"}


def test_export_of_the_real_data_is_valid(tmp_path):
    out = export(load(), tmp_path / "downloads")
    assert validate_package(out).valid


def _fact_table_with_a_field_of(length: int, data_dir: Path) -> Path:
    (data_dir / "facts").mkdir(parents=True)
    row = ["x"] * len(FACT_COLUMNS)
    row[FACT_COLUMNS.index("notes")] = "n" * length
    with (data_dir / "facts" / "long.csv").open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([FACT_COLUMNS, row])
    return data_dir


def _field_limit_holds(folder: Path) -> bool:
    """A field of FIELD_LIMIT characters is read; one character more is refused, as one problem naming its row."""
    at, over = Collector(folder), Collector(folder)
    read = read_fact_files(_fact_table_with_a_field_of(FIELD_LIMIT, folder / "at"), at)
    refused = read_fact_files(_fact_table_with_a_field_of(FIELD_LIMIT + 1, folder / "over"), over)
    return (read is not None and not at.problems and refused is None
            and [(p.row, "longer than the limit of 1,000,000 characters" in p.message) for p in over.problems]
            == [(2, True)])


def test_the_field_limit_is_the_book_s_before_and_after_the_data_package_export(tmp_path):
    """The export's check runs frictionless, which raises the csv module's global limit to 2 GB when left to
    itself; the book's reader keeps its own limit before and after, and leaves the global as it found it."""
    before = csv.field_size_limit()
    assert _field_limit_holds(tmp_path / "before")
    out = export(load(GOOD), tmp_path / "downloads")
    try:
        assert frictionless.validate(str(out / "datapackage.json")).valid
        after_export = csv.field_size_limit()
        assert _field_limit_holds(tmp_path / "after")
        assert csv.field_size_limit() == after_export
    finally:
        csv.field_size_limit(before)


@pytest.mark.parametrize("global_limit", [1_000, 2**31 - 2])
def test_the_field_limit_does_not_follow_the_csv_module_s_global(tmp_path, global_limit):
    before = csv.field_size_limit(global_limit)
    try:
        assert _field_limit_holds(tmp_path)
        assert csv.field_size_limit() == global_limit
    finally:
        csv.field_size_limit(before)
