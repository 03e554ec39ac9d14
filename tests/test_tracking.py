"""Read-tracking: reading a field of the book, or calling a method that reads one, logs the field's data groups
once each, to the file the build names in ICEBOOK_READS_LOG; the record accessors log the records they read
(lineage.py), and a field read whole reads every record of it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from icebook.build.lineage import parse_log
from icebook.data import loader as data
from icebook.data import tracking

GOOD = Path(__file__).parent / "fixtures" / "good"


def groups(log: Path) -> list[str]:
    return [line for line in log.read_text().split("\n") if line and not line.startswith("{")]


def test_reading_a_field_or_calling_a_method_logs_its_groups(tmp_path, monkeypatch):
    log = tmp_path / "reads"
    monkeypatch.setenv("ICEBOOK_READS_LOG", str(log))
    tracked = tracking.Tracked(data.load(GOOD))
    tracked.fact("sample-arrests")  # a method reads facts through the wrapper
    assert groups(log) == ["facts", "sources"]
    assert not tracked.audit.empty
    assert groups(log) == ["facts", "sources", "claims", "derived"]


def test_each_field_logs_the_groups_its_declaration_names(tmp_path, monkeypatch):
    @dataclasses.dataclass
    class Shelf:
        books: list = dataclasses.field(metadata={"reads": ("sources", "facts")})
        plain: int = dataclasses.field(default=0, metadata={"reads": ()})

    log = tmp_path / "reads"
    monkeypatch.setenv("ICEBOOK_READS_LOG", str(log))
    shelf = tracking.Tracked(Shelf(books=[1]))
    assert shelf.plain == 0 and not log.exists()
    assert shelf.books == [1] and shelf.books == [1]
    assert groups(log) == ["sources", "facts"]
    assert parse_log(log.read_text().splitlines())["records"]["facts"]["all"]  # read whole: every fact


def test_record_accessors_log_the_records_they_read_not_the_whole_group(tmp_path, monkeypatch):
    log = tmp_path / "reads"
    monkeypatch.setenv("ICEBOOK_READS_LOG", str(log))
    tracked = tracking.Tracked(data.load(GOOD))
    assert tracked.fact("sample-officers")["metric"] == "ero_officers"
    assert not tracked.has_fact("no-such-fact")
    assert list(tracked.facts_where(component="HSI").index) == ["sample-seizures", "sample-seizure-value"]
    assert tracked.fact_ids_where(metric=["ero_cases"]) == ["sample-cases"]
    assert tracked.derived_figure("sample-at-large-arrests")["value"] > 0
    assert tracked.metric("ero_cases").label
    reads = parse_log(log.read_text().splitlines())
    assert reads["records"]["facts"] == {
        "all": False, "ids": ["no-such-fact", "sample-officers"],
        "where": [[{"component": ["HSI"]}, True], [{"metric": ["ero_cases"]}, False]]}
    assert reads["records"]["derived"] == {"all": False, "ids": ["sample-at-large-arrests"], "where": []}
    assert reads["records"]["measures"] == {"all": False, "ids": ["metric:ero_cases"], "where": []}
    tracked.derived.iterrows()  # the whole table: every derived figure
    assert parse_log(log.read_text().splitlines())["records"]["derived"]["all"]


def test_facts_where_any_keeps_the_books_order(tmp_path, monkeypatch):
    monkeypatch.setenv("ICEBOOK_READS_LOG", str(tmp_path / "reads"))
    tracked = tracking.Tracked(data.load(GOOD))
    chosen = tracked.facts_where_any({"metric": "ero_cases"}, {"component": "HSI"}, {"id": {"prefix": "sample-arr"}})
    assert list(chosen.index) == ["sample-arrests", "sample-seizures", "sample-seizure-value", "sample-cases"]


def test_a_pages_facts_come_without_notes_which_it_asks_for_by_id(tmp_path, monkeypatch):
    """Every way a page reads facts leaves out their notes; ``with_notes`` gives them back and logs whose it
    gave, so the build knows which pages show which facts' notes (lineage.NOTES)."""
    log = tmp_path / "reads"
    monkeypatch.setenv("ICEBOOK_READS_LOG", str(log))
    book = data.load(GOOD)
    tracked = tracking.Tracked(book)
    shown = [tracked.facts, tracked.facts_of(["sample-seizures"]), tracked.facts_where(component="HSI"),
             tracked.facts_where_any({"component": "HSI"}), tracked.fact("sample-seizures").to_frame().T]
    assert all("notes" not in frame.columns for frame in shown)
    assert "notes" not in log.read_text()
    noted = tracked.with_notes(tracked.facts_where(component="HSI").iloc[::-1])
    assert list(noted.index) == ["sample-seizure-value", "sample-seizures"]  # its rows, in its order
    assert list(noted["notes"]) == list(book.facts.loc[noted.index, "notes"])
    reads = parse_log(log.read_text().splitlines())
    assert reads["records"]["notes"] == {"all": False, "ids": ["sample-seizure-value", "sample-seizures"],
                                         "where": []}
    assert "notes" in book.facts.columns  # the build's own copy (export, lineage) keeps them


def test_each_call_for_a_fact_gets_its_own_copy_of_the_row(tmp_path, monkeypatch):
    """Rows are taken from the frame once per fact and handed out as copies: a page that changes the row it was
    given changes nothing another call sees."""
    monkeypatch.setenv("ICEBOOK_READS_LOG", str(tmp_path / "reads"))
    book = data.load(GOOD)
    tracked = tracking.Tracked(book)
    row = tracked.fact("sample-seizures")
    printed = row["printed"]
    row["printed"] = "changed by a page"
    assert tracked.fact("sample-seizures")["printed"] == printed == book.facts.loc["sample-seizures", "printed"]
    assert tracked.fact("sample-seizures") is not tracked.fact("sample-seizures")


def test_the_facts_that_quote_a_passage_are_a_selection_of_their_own(tmp_path, monkeypatch):
    """A page that shows a record's passage with the fact index's place for it reads only the facts whose quote
    stands within the passage or holds it (normalised as quotes are), logged as that selection: a fact added
    elsewhere in the source leaves the page as it was."""
    log = tmp_path / "reads"
    monkeypatch.setenv("ICEBOOK_READS_LOG", str(log))
    tracked = tracking.Tracked(data.load(GOOD))
    passage = "Before it. Thirty-four   officers took part. After it."
    chosen = tracked.facts_where(source="sample", quote={"overlaps": passage})
    assert list(chosen.index) == ["sample-officers"]
    assert list(tracked.facts_where(quote={"overlaps": "officers took part"}).index) == ["sample-officers"]
    reads = parse_log(log.read_text().splitlines())
    selections = [where for where, *_ in reads["records"]["facts"]["where"]]
    assert {"quote": {"overlaps": passage}, "source": ["sample"]} in selections
    assert not reads["records"]["facts"]["all"]
