"""The schemas are the one definition of the data's shape: the fact columns, the data groups a page reads."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from icebook.build import params
from icebook.data import export, facts, schema
from icebook.data import loader as data

ROOT = Path(__file__).resolve().parents[1]


def test_data_readme_shows_the_fact_columns_of_the_schema():
    assert schema.fact_columns_table() in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_validator_and_downloads_take_their_columns_from_the_schema():
    names = [c.name for c in schema.FACT_COLUMNS]
    assert facts.FACT_COLUMNS == names
    assert facts.REQUIRED == [c.name for c in schema.FACT_COLUMNS if c.required]
    assert list(export.FACT_FIELDS) == [*names, "as_of_fiscal_year", "page_basis"]
    assert export.FACT_FIELDS["value"][0] == "number"


def test_every_field_of_the_book_names_known_data_groups():
    for field in dataclasses.fields(data.Book):
        assert set(field.metadata["reads"]) <= set(params.DATA_GROUPS), field.name


def test_a_book_field_without_data_groups_is_refused():
    @dataclasses.dataclass
    class Wider(data.Book):
        extra: int = 0

    with pytest.raises(TypeError, match=r"\['extra'\] name no data groups"):
        Wider(**{f.name: None for f in dataclasses.fields(data.Book)})


def test_text_fields_follow_the_schema_roles():
    record = schema.Findings.model_validate({
        "report": "r", "title": "A title",
        "findings": [{"id": "r-one", "speaker": "oig", "title": "T", "summary": "S {{r-x}}", "quote": "Q",
                      "locator": "L",
                      "facts": ["r-y"], "bears_on": {"summary": "B", "facts": ["r-z"]}}]})
    roles = {(t.field, t.role, t.record, t.source) for t in schema.text_fields(record, label="r")}
    assert ("findings.0.quote", "quote", "r-one", "r") in roles
    assert ("findings.0.bears_on.summary", "prose", "r-one", "r") in roles
    assert ("findings.0.locator", "plain", "r-one", "r") in roles
    assert schema.fact_lists(record) == {"r-y", "r-z"}


def test_allowed_fiscal_years_come_from_the_vocabulary():
    import yaml

    vocab = yaml.safe_load((ROOT / "data" / "vocabulary.yaml").read_text())["fiscal_years"]
    allowed = params._allowed("fiscal_year")
    assert allowed == list(range(vocab["first"], vocab["last"] + 1))


def test_one_module_defines_the_project_root_and_icebook_root_overrides_it(tmp_path):
    others = [p.name for p in (ROOT / "lib" / "icebook").rglob("*.py")
              if p.name != "paths.py" and "parents[3]" in p.read_text(encoding="utf-8")]
    assert others == []
    code = ("from icebook.core import paths, versions; from icebook.build import params; "
            "print(paths.ROOT, params.ROOT, versions.DATA_DIR)")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "ICEBOOK_ROOT": str(tmp_path)},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(tmp_path), str(tmp_path), str(tmp_path / "data")]
