"""Lineage at the level of records: which facts, derived figures, measures and findings a page read, and
whether any of them changed since the page was run.

A page run by the build logs what it reads (tracking.py) in ICEBOOK_READS_LOG, one line each:

* a data group's name, as before (``facts``): the page read something of that group;
* a JSON record read: ``{"group": "facts", "id": "ar2020-..."}`` (one record, or that it is absent),
  ``{"group": "facts", "where": {"component": ["ERO"]}, "content": true}`` (every record a selection
  matches: their contents, or with ``"content": false`` only which ids match, for a count), or
  ``{"group": "facts", "all": true}`` (the whole group: a page that lists or scans every record).

The build stores these reads per page in its manifest with a digest of the records they name. A page is
current when the digest, recomputed on today's data, is the same: a changed or removed record it read
changes it, and so does a record added to, or moved into or out of, a selection it read (a new fact of
metric X changes "facts of metric X"). Derived figures imply their input facts. A fact's notes are a record
group of their own (``notes``, same ids): pages get facts without them and ask for them by id, so a page that
never showed a fact's notes is not re-run when only they change. A page that read a field of
Book whole rather than through its record accessors read "all" of its record groups (tracking.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icebook.build.notebooks import code_cells
from icebook.core.errors import BuildError
from icebook.core.files import file_digest
from icebook.core.modules import UnknownModule, closure, module_file, subpackage_modules
from icebook.core.paths import ROOT
from icebook.data.groups import DATA_GROUPS, NOTES, RECORD_GROUPS, matches

if TYPE_CHECKING:  # pandas is imported where a frame is read: a build with nothing to do never needs it
    import pandas as pd

ABSENT = "absent"

Reads = dict[str, Any]  # {"groups": [...], "records": {group: {"all": bool, "ids": [...], "where": [...]}}}


def parse_log(lines: Iterable[str]) -> Reads:
    """The groups and records a page read, from its reads log."""
    groups: set[str] = set()
    records: dict[str, dict[str, Any]] = {}
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if not line.startswith("{"):
            groups.add(line)
            continue
        entry = json.loads(line)
        seen = records.setdefault(entry["group"], {"all": False, "ids": set(), "where": set()})
        if entry.get("all"):
            seen["all"] = True
        elif "id" in entry:
            seen["ids"].add(entry["id"])
        else:
            seen["where"].add(json.dumps([entry["where"], bool(entry.get("content", True))], sort_keys=True))
    return {"groups": sorted(groups),
            "records": {g: {"all": r["all"], "ids": [] if r["all"] else sorted(r["ids"]),
                            "where": [] if r["all"] else [json.loads(w) for w in sorted(r["where"])]}
                        for g, r in sorted(records.items())}}


def _value_hash(value: Any) -> str:
    """The hash of a JSON-like value (a record, a parameter set), its keys sorted."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _frame_hashes(frame: pd.DataFrame) -> dict[str, str]:
    rows = frame.astype(object).to_numpy().tolist()
    return {str(i): _value_hash(row) for i, row in zip(frame.index, rows, strict=True)}


class Records:
    """Today's records of each record group, hashed, for comparing with what a page read when it ran."""

    def __init__(self, data: Any):
        self.facts, self.derived = data.facts, data.derived
        self.hashes = {
            "facts": _frame_hashes(data.facts.drop(columns=[NOTES])),
            NOTES: {str(i): _value_hash(note) for i, note in data.facts[NOTES].items()},
            "derived": _frame_hashes(data.derived),
            "measures": {f"measure:{m.id}": _value_hash(m.model_dump()) for m in data.measures}
            | {f"metric:{k}": _value_hash(m.model_dump()) for k, m in data.metrics.items()},
            "findings": {k: _value_hash(v) for k, v in data.findings.items()},
        }
        self._chosen: dict[tuple[str, str], list[str]] = {}

    def chosen(self, group: str, where: Mapping[str, Any]) -> list[str]:
        """The ids a page's selection of a group takes in today, sorted: worked out once for each selection, as
        many pages make the same ones (every page's staleness is checked against the same records)."""
        key = (group, json.dumps(where, sort_keys=True, default=str))
        if key not in self._chosen:
            frame = self.frame(group)
            self._chosen[key] = sorted(map(str, matches(frame, where))) if frame is not None else []
        return self._chosen[key]

    def frame(self, group: str) -> pd.DataFrame | None:
        return {"facts": self.facts, "derived": self.derived}.get(group)

    def _inputs(self, derived_ids: Iterable[str]) -> list[str]:
        """The facts the derived figures are computed from (a derived figure implies its inputs)."""
        ids = [d for d in derived_ids if d in self.derived.index]
        return sorted({f for d in ids for f in self.derived.at[d, "inputs"].values() if f in self.facts.index})

    def digest(self, records: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
        """For each record group, a hash of every record these reads name, as the data stand today."""
        out = {}
        for group, read in sorted(records.items()):
            hashes = self.hashes.get(group, {})
            ids = sorted(hashes) if read["all"] else list(read["ids"])
            parts: list[Any] = [[[i, hashes.get(i, ABSENT)] for i in ids]]
            for where, content in read["where"]:
                chosen = self.chosen(group, where)
                parts.append([where, [[i, hashes[i]] if content else i for i in chosen]])
                ids += chosen
            if group == "derived":  # a derived figure implies its input facts
                parts.append([[f, self.hashes["facts"][f]] for f in self._inputs(ids)])
            out[group] = _value_hash(parts)
        return out


def module_closure(notebook: Path) -> list[str]:
    """The icebook modules a chapter's code can run (dotted names): those its cells import, and theirs,
    transitively, plus the build's own modules (they run the page and post-process its output, so a change to
    one re-runs every page; their own imports are not followed, as the page does not run them). An import that
    resolves to no module of the package is an error naming the chapter."""
    code = "\n".join(cell.source for cell in code_cells(notebook))
    code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        return sorted(set(closure(source=code, where=f"chapter {notebook.name}")) | set(build_modules()))
    except UnknownModule as error:
        raise BuildError(str(error)) from None


def build_modules() -> list[str]:
    """The modules that run every page and post-process its output: the build's and the core's, found on disk."""
    return subpackage_modules("build", "core")


def _file_hashes(paths: Iterable[Path]) -> dict[str, str]:
    return {str(p.relative_to(ROOT)): file_digest(p) for p in sorted(set(paths))
            if p.is_file()}


def page_inputs(notebook: Path, parameters: dict, declared: Iterable[str], groups: Iterable[str],
                modules: Iterable[str]) -> dict[str, str]:
    """The hash of each input of a page other than its records: its template, parameters and declared
    groups, the code it can run (its modules and the pinned packages), and the files of every
    data group it read that is not tracked by record."""
    data = ROOT / "data"
    files = [notebook, ROOT / "requirements.lock"]
    files += [p for g in sorted(set(groups) - set(RECORD_GROUPS)) for pattern in DATA_GROUPS.get(g, [])
              for p in data.glob(pattern)]
    return (_file_hashes(files) | _module_hashes(modules)
            | {"parameters": _value_hash(parameters), "reads declared": _value_hash(sorted(declared))})


def _module_hashes(modules: Iterable[str]) -> dict[str, str]:
    """Each module's hash by its dotted name; a module no file provides any more (moved or removed) is absent,
    which differs from any hash, so a page that ran it runs again."""
    hashes = {}
    for name in sorted(set(modules)):
        path = module_file(name)
        hashes[f"module {name}"] = file_digest(path) if path else ABSENT
    return hashes


def lineage_entry(notebook: Path, parameters: dict, declared: Iterable[str], reads: Reads,
                  records: Records) -> dict[str, Any]:
    """What the manifest keeps of a page just run, to tell later whether anything it read changed."""
    modules = module_closure(notebook)
    return {"reads": reads, "modules": modules, "records": records.digest(reads["records"]),
            "inputs": page_inputs(notebook, parameters, declared, reads["groups"], modules)}


def why_stale(entry: Mapping[str, Any], notebook: Path, parameters: dict, declared: Iterable[str],
              records: Records) -> str | None:
    """Why a page run before must run again (the inputs or records that changed), or None if it is current."""
    try:
        reads, modules, before = entry["reads"], entry["modules"], entry["inputs"]
        now = page_inputs(notebook, parameters, declared, reads["groups"], modules)
        digest = entry["records"]
    except (KeyError, TypeError):
        return "no record of what it read"
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    if changed:
        shown = ", ".join(changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
        return f"changed: {shown}"
    now_digest = records.digest(reads["records"])
    groups = [g for g in now_digest if now_digest[g] != digest.get(g)]
    if groups:
        return f"records it read changed ({', '.join(groups)})"
    return None
