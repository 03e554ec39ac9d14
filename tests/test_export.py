"""The downloads: CSVs plus a Frictionless data package that frictionless itself accepts."""

import json
from pathlib import Path

import frictionless

from icebook import load
from icebook.export import export

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_data_package_is_valid_and_lists_every_fact_with_hashes(tmp_path):
    out = export(load(GOOD), tmp_path / "downloads")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((out / "datapackage.json").read_text())
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    assert facts["hash"].startswith("sha256:")
    assert (out / "facts.csv").read_text().count("\nsample-") == 6
    assert {s["path"] for s in package["sources"]} == {"sources/sample.md"}


def test_export_of_the_real_data_is_valid(tmp_path):
    out = export(load(), tmp_path / "downloads")
    assert frictionless.validate(str(out / "datapackage.json")).valid
