"""Lineage at the level of records (lineage.py): a page's reads are current exactly while every record they
name, and every selection they made, stays the same; the code a chapter can run is what it imports."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from icebook.build.lineage import Records, module_closure, parse_log
from icebook.data import loader as data

GOOD = Path(__file__).parent / "fixtures" / "good"
ROOT = Path(__file__).resolve().parents[1]


def reads(*lines: str) -> dict:
    return parse_log(lines)["records"]


ONE_FACT = reads('{"group": "facts", "id": "sample-officers"}')
HSI_FACTS = reads('{"group": "facts", "where": {"component": ["HSI"]}, "content": true}')
COUNT_OF_CASES = reads('{"group": "facts", "where": {"metric": ["ero_cases"]}, "content": false}')
DERIVED = reads('{"group": "derived", "id": "sample-at-large-arrests"}')
ALL_FACTS = reads('{"group": "facts", "all": true}')


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(GOOD, tmp_path / "good")
    return tmp_path / "good"


def edit_facts(root: Path, change) -> None:
    path = root / "facts" / "sample.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def changed(before: Records, after: Records, records: dict) -> bool:
    return before.digest(records) != after.digest(records)


def test_an_edit_changes_only_the_reads_that_include_that_fact(copy: Path):
    before = Records(data.load(copy))
    edit_facts(copy, lambda rows: next(r for r in rows if r["id"] == "sample-seizures").update(locator="Edited"))
    after = Records(data.load(copy))
    assert changed(before, after, HSI_FACTS) and changed(before, after, ALL_FACTS)
    assert not changed(before, after, ONE_FACT)
    assert not changed(before, after, DERIVED)
    assert not changed(before, after, reads('{"group": "facts", "where": {"component": ["HSI"]}, "content": false}'))


def test_a_derived_figure_implies_its_input_facts(copy: Path):
    before = Records(data.load(copy))
    edit_facts(copy, lambda rows: next(r for r in rows if r["id"] == "sample-arrests").update(locator="Edited"))
    after = Records(data.load(copy))
    assert changed(before, after, DERIVED)  # its value is the same; its input's record is not
    assert not changed(before, after, HSI_FACTS)


def test_an_added_fact_changes_the_selections_it_falls_into(copy: Path):
    before = Records(data.load(copy))

    def add(rows: list[dict]) -> None:
        new = dict(next(r for r in rows if r["id"] == "sample-cases"))
        rows.append(new | {"id": "sample-cases-again"})

    edit_facts(copy, add)
    after = Records(data.load(copy))
    assert changed(before, after, COUNT_OF_CASES)  # a count of ero_cases facts now counts one more
    assert changed(before, after, ALL_FACTS)
    assert changed(before, after, reads('{"group": "facts", "id": "sample-cases-again"}'))  # was read as absent
    assert not changed(before, after, HSI_FACTS) and not changed(before, after, ONE_FACT)


def test_a_chapter_runs_the_modules_it_imports_and_the_builds_own():
    organisation = module_closure(ROOT / "chapters" / "organisation.md")
    assert {"icebook.pages.diagram", "icebook.build.command", "icebook.data.loader"} <= set(organisation)
    assert "icebook.pages.diagram" not in module_closure(ROOT / "chapters" / "fact-index.md")
    assert "icebook.pages.keyfindings" in module_closure(ROOT / "chapters" / "home.md")


NOTES_OF_SEIZURES = reads('{"group": "notes", "id": "sample-seizures"}')


def test_a_notes_edit_changes_only_the_reads_of_those_notes(copy: Path):
    """A fact's notes are hashed apart from the rest of it: pages that read the fact but not its notes are
    current after a notes-only edit; a value edit changes both kinds of read."""
    before = Records(data.load(copy))
    edit_facts(copy, lambda rows: next(r for r in rows if r["id"] == "sample-seizures").update(notes="Edited."))
    after = Records(data.load(copy))
    assert changed(before, after, NOTES_OF_SEIZURES)
    assert not changed(before, after, HSI_FACTS) and not changed(before, after, ALL_FACTS)
    assert not changed(before, after, reads('{"group": "notes", "id": "sample-officers"}'))

    edit_facts(copy, lambda rows: next(r for r in rows if r["id"] == "sample-seizures").update(locator="Edited"))
    edited = Records(data.load(copy))
    assert changed(after, edited, HSI_FACTS) and changed(after, edited, ALL_FACTS)
    assert not changed(after, edited, NOTES_OF_SEIZURES)


def test_a_selection_worked_out_for_one_page_is_not_taken_for_another():
    """Records work out each selection once for all the pages that make it (Records.chosen): a page's digest is
    the same whichever selections other pages' digests worked out first, and two selections differing in one
    condition, or in whether their content was read, keep their own ids."""
    loaded = data.load(GOOD)
    hsi_ids = reads('{"group": "facts", "where": {"component": ["HSI"]}, "content": false}')
    ero = reads('{"group": "facts", "where": {"component": ["ERO"]}, "content": true}')
    fresh = {name: Records(loaded).digest(r) for name, r in
             {"hsi": HSI_FACTS, "hsi ids": hsi_ids, "ero": ero, "cases": COUNT_OF_CASES}.items()}
    shared = Records(loaded)
    for name, r in [("ero", ero), ("hsi ids", hsi_ids), ("cases", COUNT_OF_CASES), ("hsi", HSI_FACTS)]:
        assert shared.digest(r) == fresh[name]
    assert fresh["hsi"] != fresh["hsi ids"] != fresh["ero"] != fresh["cases"]
    assert shared.chosen("facts", {"component": ["HSI"]}) != shared.chosen("facts", {"component": ["ERO"]})
