"""What changed between two editions of the book's data: each edition's data package (the downloads, export.py)
compared table by table, by id.

An edition is a published site; the publish step keeps its data package (build/editions.py). A build compares
its own package with the last published edition whose data differ, and the Changes page lists the result: facts
added, removed or changed (each changed field with its old and new text), derived figures whose value changed,
claims whose verdict changed, and the consistency detectors' verdicts that changed. Both packages are read as
text, so a value compares as it was written, and a column only one of them has is left out of the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# the fact columns a reader follows, in the order the page shows them (those the data module works out from them,
# such as the fiscal year a fact speaks of, are not compared: their cause is)
FACT_FIELDS = ["printed", "value", "quote", "qualifier", "unit", "period", "fiscal_year", "period_type",
               "period_basis", "locator", "page", "notes", "ocr_correction", "scope_doubt", "scope_deviation",
               "role", "metric", "component", "source"]
DERIVED_FIELDS = ["shown", "bound", "value", "formula", "inputs", "label"]


@dataclass(frozen=True)
class Changed:
    """One record present in both editions whose fields differ: ``fields`` holds (name, old, new)."""

    id: str
    old: dict[str, str]
    new: dict[str, str]
    fields: list[tuple[str, str, str]]


@dataclass
class TableChanges:
    added: list[dict[str, str]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class EditionChanges:
    """What changed from one edition's data package to another's."""

    facts: TableChanges
    derived: TableChanges
    claims: TableChanges
    verdicts: TableChanges

    def __bool__(self) -> bool:
        return bool(self.facts or self.derived or self.claims or self.verdicts)


def read_table(package: Path, name: str) -> pd.DataFrame:
    """One table of a data package as text, indexed by id; an empty table where the package has none (an
    edition kept before the package had it)."""
    path = Path(package) / f"{name}.csv"
    if not path.exists():
        return pd.DataFrame(columns=["id"]).set_index("id")
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("id", drop=False)


def compare_tables(old: pd.DataFrame, new: pd.DataFrame, order: list[str], watched: list[str] | None = None
                   ) -> TableChanges:
    """Records added, removed and changed, by id, in ``new``'s order (removed ones in ``old``'s); a changed
    record lists its differing fields, those in ``order`` first. With ``watched``, only those fields count."""
    columns = [c for c in new.columns if c in old.columns and (watched is None or c in watched)]
    ranked = [c for c in order if c in columns] + [c for c in columns if c not in order and c != "id"]
    before_rows, after_rows = _records(old), _records(new)
    result = TableChanges(added=[row for i, row in after_rows.items() if i not in before_rows],
                          removed=[row for i, row in before_rows.items() if i not in after_rows])
    for record_id, after in after_rows.items():
        if (before := before_rows.get(record_id)) is None:
            continue
        differing = [(name, before[name], after[name]) for name in ranked if before[name] != after[name]]
        if differing:
            result.changed.append(Changed(record_id, before, after, differing))
    return result


def _records(table: pd.DataFrame) -> dict[str, dict[str, str]]:
    """A table's records by id, each as a dict of its fields, in the table's order."""
    return dict(zip(table.index, table.to_dict("records"), strict=True))


def compare_packages(old: Path, new: Path) -> EditionChanges:
    """What changed from the data package in ``old`` to the one in ``new`` (two folders of export.py's files)."""
    return EditionChanges(
        facts=compare_tables(read_table(old, "facts"), read_table(new, "facts"), FACT_FIELDS, watched=FACT_FIELDS),
        derived=compare_tables(read_table(old, "derived"), read_table(new, "derived"), DERIVED_FIELDS,
                               watched=DERIVED_FIELDS),
        claims=compare_tables(read_table(old, "claims"), read_table(new, "claims"), ["verdict"],
                              watched=["verdict"]),
        verdicts=compare_tables(read_table(old, "verdicts"), read_table(new, "verdicts"), ["verdict", "reason"],
                                watched=["verdict", "reason"]),
    )
