"""Read-tracking: which data groups, and which records of them, a chapter reads, for the build's
dependency check (groups) and its choice of pages to re-run (records; lineage.py)."""

from __future__ import annotations

import json
import os
from dataclasses import fields
from typing import Any

import pandas as pd

from icebook.data.groups import NOTES, RECORD_GROUPS, normal_where

# The record groups a field of Book gives whole, where it is narrower than the groups it is made from: the
# derived figures are made from facts, but a derived figure implies its own input facts (lineage.py).
WHOLE = {"derived": ("derived",)}
# A fact's notes reach a page only through ``with_notes``, which logs them as a record group of their own
# (lineage.NOTES): the facts a page gets have no notes column, so a page that never asked cannot have shown
# them, and an edit to notes alone re-runs only the pages that did ask.


class Tracked:
    """A Book that notes which data groups and records are read, for the build's dependency check.

    When the build runs a chapter it sets ICEBOOK_READS_LOG; each group read is
    appended to that file, and the build fails a chapter that read a group its
    entry in chapters/params.yml does not list (its output could go stale). The
    groups of each field come from the wrapped dataclass's own declaration (``reads(...)``
    in its field metadata); a method of it runs against this wrapper, so the fields it
    reads are noted too.

    Records: a field read whole (``data.facts``) reads every record of its record groups (facts, derived
    figures, measures, findings); the accessors below read only the records they name, and log them.
    """

    def __init__(self, data: Any):
        self._data = data
        self._groups: dict[str, tuple[str, ...]] = {f.name: f.metadata["reads"] for f in fields(data)}
        self._logged: set[str] = set()
        self._bare: pd.DataFrame | None = None
        self._rows: dict[str, pd.Series] = {}

    def _log(self, line: str) -> None:
        if line in self._logged:
            return
        self._logged.add(line)
        log = os.environ.get("ICEBOOK_READS_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    def _read(self, name: str, whole: bool = True) -> Any:
        """A field of the data, its groups noted; read whole, every record of its record groups too. The
        facts come without their notes (``with_notes``)."""
        for group in self._groups[name]:
            self._log(group)
        if whole:
            for group in WHOLE.get(name, set(self._groups[name]) & set(RECORD_GROUPS)):
                self._log(json.dumps({"group": group, "all": True}))
        if name == "facts":
            return self._bare_facts()
        return getattr(self._data, name)

    def _bare_facts(self) -> pd.DataFrame:
        """The facts without their notes column, made once."""
        if self._bare is None:
            self._bare = self._data.facts.drop(columns=[NOTES])
        return self._bare

    def _records(self, field: str, group: str, ids: list[str]) -> None:
        self._read(field, whole=False)
        for record_id in ids:
            self._log(json.dumps({"group": group, "id": record_id}))

    def __getattr__(self, name: str) -> Any:
        method = getattr(type(self._data), name, None)
        if callable(method):
            return method.__get__(self)
        return self._read(name)

    def fact(self, fact_id: str) -> pd.Series:
        """One fact's row (without its notes). Pages ask for the same fact many times (each link to it, each
        citation), so each row is taken from the frame once; the caller gets its own copy."""
        self._records("facts", "facts", [fact_id])
        row = self._rows.get(fact_id)
        if row is None:
            facts = self._bare_facts()
            if fact_id not in facts.index:
                return self._data.fact(fact_id)  # raises, naming the fact
            row = self._rows[fact_id] = facts.loc[fact_id]
        return row.copy()

    def has_fact(self, fact_id: str) -> bool:
        self._records("facts", "facts", [fact_id])
        return self._data.has_fact(fact_id)

    def facts_of(self, fact_ids: list[str]) -> pd.DataFrame:
        self._records("facts", "facts", [str(i) for i in fact_ids])
        return self._data.facts_of(fact_ids).drop(columns=[NOTES])

    def with_notes(self, facts: pd.DataFrame) -> pd.DataFrame:
        self._records("facts", NOTES, [str(i) for i in facts.index])
        return self._data.with_notes(facts)

    def _where(self, where: dict[str, Any], content: bool) -> None:
        self._read("facts", whole=False)
        self._log(json.dumps({"group": "facts", "where": normal_where(where), "content": content}, sort_keys=True))

    def facts_where(self, **where: Any) -> pd.DataFrame:
        self._where(where, content=True)
        return self._data.facts_where(**where).drop(columns=[NOTES])

    def facts_where_any(self, *selections: dict[str, Any]) -> pd.DataFrame:
        for where in selections:
            self._where(where, content=True)
        return self._data.facts_where_any(*selections).drop(columns=[NOTES])

    def fact_ids_where(self, **where: Any) -> list[str]:
        self._where(where, content=False)
        return self._data.fact_ids_where(**where)

    def derived_figure(self, derived_id: str) -> pd.Series:
        self._records("derived", "derived", [derived_id])
        return self._data.derived_figure(derived_id)

    def has_derived(self, derived_id: str) -> bool:
        self._records("derived", "derived", [derived_id])
        return self._data.has_derived(derived_id)

    def metric(self, metric_id: str) -> Any:
        self._records("metrics", "measures", [f"metric:{metric_id}"])
        return self._data.metric(metric_id)

    def finding(self, report: str) -> dict:
        self._records("findings", "findings", [report])
        return self._data.finding(report)
