"""Read-tracking: reading a field of the book, or calling a method that reads one, logs the field's data groups
once each, to the file the build names in ICEBOOK_READS_LOG."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from icebook import data, tracking

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_reading_a_field_or_calling_a_method_logs_its_groups(tmp_path, monkeypatch):
    log = tmp_path / "reads"
    monkeypatch.setenv("ICEBOOK_READS_LOG", str(log))
    tracked = tracking.Tracked(data.load(GOOD))
    tracked.fact("sample-arrests")  # a method reads facts through the wrapper
    assert log.read_text().split() == ["facts", "sources"]
    assert not tracked.audit.empty
    assert log.read_text().split() == ["facts", "sources", "claims", "derived"]


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
    assert log.read_text().split() == ["sources", "facts"]
