"""What changed between two editions: the data packages compared by id (data/changes.py), the editions the publish
step keeps (build/editions.py) and the Changes page written from them (pages/changes.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from icebook.build.editions import Edition, edition_date, editions, keep_edition, previous_edition
from icebook.data.changes import compare_packages
from icebook.data.export import export
from icebook.data.loader import validated
from icebook.pages.changes import EditionNote, page

FACTS = ["id,source,printed,value,quote,notes",
         "a-one,a,12,12,The office made 12 arrests.,",
         "a-two,a,7,7,It held 7 people.,",
         "a-three,a,3,3,Three were released.,"]


def _package(folder: Path, rows: list[str], name: str = "facts") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_added_removed_and_changed_facts_are_found_by_id_with_each_changed_field(tmp_path):
    old = _package(tmp_path / "old", FACTS)
    new = _package(tmp_path / "new", [*FACTS[:2], "a-two,a,8,8,It held 8 people.,counted again",
                                      FACTS[3].replace("a-three", "a-four")])
    changes = compare_packages(old, new).facts
    assert [r["id"] for r in changes.added] == ["a-four"]
    assert [r["id"] for r in changes.removed] == ["a-three"]
    [changed] = changes.changed
    assert changed.id == "a-two"
    assert changed.fields == [("printed", "7", "8"), ("value", "7", "8"), ("quote", "It held 7 people.",
                                                                          "It held 8 people."),
                              ("notes", "", "counted again")]


def test_a_table_an_older_edition_lacks_counts_as_empty_and_a_column_only_one_has_is_not_compared(tmp_path):
    old = _package(tmp_path / "old", [r.rsplit(",", 1)[0] for r in FACTS])  # no notes column
    new = _package(tmp_path / "new", FACTS)
    _package(new, ["id,fact,verdict", "c-one,a-one,consistent"], "claims")
    changes = compare_packages(old, new)
    assert not changes.facts
    assert [r["id"] for r in changes.claims.added] == ["c-one"]


def test_identical_packages_have_no_changes(tmp_path):
    assert not compare_packages(_package(tmp_path / "old", FACTS), _package(tmp_path / "new", FACTS))


def test_the_previous_edition_is_the_last_published_one_with_other_data(tmp_path):
    site = tmp_path / "site"
    _package(site / "_static" / "downloads", FACTS)
    assert editions(tmp_path / "kept") == [] and previous_edition("aaa", tmp_path / "kept") is None
    for version, day in (("aaa", "2026-01-01"), ("bbb", "2026-02-01"), ("aaa", "2026-03-01")):
        keep_edition(site, Edition(version, "c0ffee", day), tmp_path / "kept")
    assert [e.data_version for e in editions(tmp_path / "kept")] == ["bbb", "aaa"]  # republished: listed last
    assert previous_edition("aaa", tmp_path / "kept").data_version == "bbb"
    assert previous_edition("ccc", tmp_path / "kept") == Edition("aaa", "c0ffee", "2026-03-01")
    assert (tmp_path / "kept" / "aaa" / "facts.csv").read_text().startswith("id,source")


def test_an_edition_is_dated_the_day_its_data_version_was_first_published(tmp_path):
    """A rebuild of data already published, on a later day, dates its pages as that edition was dated, so it
    publishes the same bytes; new data are dated the day they are built."""
    site, kept = tmp_path / "site", tmp_path / "kept"
    _package(site / "_static" / "downloads", FACTS)
    for version, day in (("aaa", "2026-01-01"), ("bbb", "2026-02-01")):
        keep_edition(site, Edition(version, "c0ffee", edition_date(version, day, kept)), kept)
    assert edition_date("aaa", "2026-03-01", kept) == "2026-01-01"
    keep_edition(site, Edition("aaa", "c0ffee", edition_date("aaa", "2026-03-01", kept)), kept)  # republished
    assert editions(kept)[-1] == Edition("aaa", "c0ffee", "2026-01-01")
    assert edition_date("ccc", "2026-03-01", kept) == "2026-03-01"


def test_a_damaged_list_of_editions_is_read_as_none_kept(tmp_path):
    (tmp_path / "editions.json").write_text("{not json")
    assert editions(tmp_path) == [] and previous_edition("aaa", tmp_path) is None


@pytest.fixture(scope="module")
def edited_packages(tmp_path_factory) -> tuple[Path, Path, dict]:
    """This edition's data package, and an earlier one in which the first exactly printed count read one less."""
    root = tmp_path_factory.mktemp("packages")
    new = export(validated(), root / "new")
    rows = list(csv.DictReader(io.StringIO((new / "facts.csv").read_text())))
    edited = next(r for r in rows if r["qualifier"] == "exact" and r["unit"] == "count" and not r["ocr_correction"])
    original = dict(edited)
    edited["printed"], edited["value"] = "1", "1.0"
    old = root / "old"
    old.mkdir()
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (old / "facts.csv").write_text(out.getvalue())
    return old, new, original


def test_the_changes_page_lists_an_edited_fact_with_its_old_and_new_value_and_its_quote(edited_packages):
    old, new, fact = edited_packages
    changes = compare_packages(old, new)
    assert [c.id for c in changes.facts.changed] == [fact["id"]]
    html = page(EditionNote("bbbbbbbbbbbb", "aaaaaaaaaaaa", "c0ffee", "2026-11-01"), changes)
    soup = BeautifulSoup(html, "html.parser")
    entry = soup.select_one(".change-entry")
    assert entry.select_one("a.fact")["href"].endswith(f"#{fact['id']}")
    assert entry.select_one("a.fact").get_text() == fact["printed"]  # the new value, traced
    assert [s.get_text() for s in entry.select(".earlier-edition")] == ["1"]  # the old value, marked
    assert entry.select_one("blockquote.source-quote").get_text() == fact["quote"]
    assert "2026-11-01" in html and "aaaaaaaaaaaa" in html
    # no link inside a fold's summary: a control inside a control (axe's nested-interactive)
    assert not soup.select("summary a, summary button, summary input")


def test_the_first_edition_says_so():
    html = page(EditionNote("bbbbbbbbbbbb"), None)
    assert "This is the first edition" in html and "Facts added" not in html
