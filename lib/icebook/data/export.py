"""The downloads: the data as CSV plus a Frictionless data package that describes it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from icebook.core import files
from icebook.core.errors import ConfigError, brief
from icebook.core.versions import data_version
from icebook.data.loader import Book
from icebook.data.schema import FACT_COLUMNS

FACT_FIELDS = {
    **{c.name: (c.kind, c.meaning.replace("`", "")) for c in FACT_COLUMNS},
    "as_of_fiscal_year": ("integer", "The fiscal year the fact speaks of: its own, or for a state "
                          "as of a date, that of the source's date"),
    "page": ("string", "the page number: where the copy prints it (page_basis 'printed'), or the page the "
             "fact's section starts on by the source's own contents (page_basis 'section start')"),
    "page_basis": ("string", "how the page was found: 'printed', 'section start' (from the source's contents), "
                   "'front matter' (the copy prints no page number there: page empty) or empty (no page known, "
                   "in a copy that prints no page numbers)"),
}

CLAIM_FIELDS = {
    "id": ("string", "the claim's id in claims.yaml"),
    "fact": ("string", "the fact that states the claim"),
    "stated": ("number", "the figure as the source states it"),
    "recomputed": ("number", "the figure recomputed from its parts, where the parts exist"),
    "verdict": ("string", "consistent, inconsistent or uncheckable: how the stated figure stands against its parts"),
}
VERDICT_FIELDS = {
    "id": ("string", "the candidate's id, made from its passages' words"),
    "kind": ("string", "the detector that found it"),
    "verdict": ("string", "inconsistent, ambiguous or explained, given after reading both passages"),
    "reason": ("string", "why, in the book's words"),
}
CORRECTION_FIELDS = {
    "date": ("date", "the day the correction was made"),
    "facts": ("string", "the facts or derived figures it corrects, separated by spaces"),
    "what": ("string", "what was wrong and what was done"),
}


def _schema(frame: pd.DataFrame, described: dict[str, tuple[str, str]] | None = None) -> dict:
    fields = []
    for name in frame.columns:
        kind, description = (described or {}).get(name, (None, ""))
        if kind is None:
            kind = "number" if pd.api.types.is_float_dtype(frame[name]) else \
                "integer" if pd.api.types.is_integer_dtype(frame[name]) else "string"
        fields.append({"name": name, "type": kind, "description": description})
    return {"fields": fields, "primaryKey": ["id"]}


def tables(data: Book) -> dict[str, tuple[pd.DataFrame, dict]]:
    """The tables of the data package, each with its Table Schema."""
    facts = data.facts.reset_index(drop=True)
    sources = pd.DataFrame([s.model_dump(mode="json") for s in data.sources.values()]).assign(
        contents=lambda f: f["contents"].map(lambda entries: json.dumps(entries) if entries else ""))
    derived = data.derived.reset_index(drop=True).assign(
        inputs=lambda f: f["inputs"].map(lambda d: json.dumps(d, sort_keys=True)))
    measures = pd.DataFrame([
        {"id": m.id, "label": m.label, "theme": m.theme, "unit": m.unit, "metric": s.metric,
         "counts": s.counts, "line": s.line}
        for m in data.measures for s in m.series],
        columns=["id", "label", "theme", "unit", "metric", "counts", "line"])
    measures_schema = _schema(measures) | {"primaryKey": ["id", "metric"]}
    claims = data.audit[["id", "fact", "kind", "formula", "stated", "recomputed", "verdict"]].reset_index(drop=True)
    verdicts = data.detections.reindex(columns=["id", "kind", "verdict", "reason", "register", "first_source",
                                                "first_text", "second_source", "second_text"]).reset_index(drop=True)
    corrections = pd.DataFrame([{"id": c.id, "date": c.date.isoformat(), "facts": " ".join(c.facts), "what": c.what}
                                for c in data.corrections], columns=["id", "date", "facts", "what"])
    return {
        "facts": (facts, _schema(facts, FACT_FIELDS)),
        "sources": (sources, _schema(sources)),
        "derived": (derived, _schema(derived)),
        "measures": (measures, measures_schema),
        "claims": (claims, _schema(claims, CLAIM_FIELDS)),
        "verdicts": (verdicts, _schema(verdicts, VERDICT_FIELDS)),
        "corrections": (corrections, _schema(corrections, CORRECTION_FIELDS)),
    }


PACKAGE_NAME = "ice-fy2017-2020-traced-figures"


def check_out(out: Path) -> None:
    """Refuse a folder the export would clobber: it replaces ``out`` whole, so ``out`` must be new, empty, or an
    earlier export (its datapackage.json names this package)."""
    if not os.path.lexists(out):
        return
    if not out.is_dir() or out.is_symlink():
        raise ConfigError(f"--out {out} is not a folder; give a new or empty folder, or an earlier export")
    if not any(out.iterdir()):
        return
    try:
        earlier = json.loads((out / "datapackage.json").read_text(encoding="utf-8")).get("name") == PACKAGE_NAME
    except (OSError, ValueError, AttributeError):
        earlier = False
    if not earlier:
        raise ConfigError(f"--out {out} holds files that are not an earlier export of this data package, and the "
                          "export replaces the folder whole; give a new or empty folder")


def export(data: Book, out: Path) -> Path:
    """Write CSVs and datapackage.json into ``out``, replacing it only when all is written. Every file is written
    inside a staging folder beside ``out`` first."""
    out = Path(out).resolve()
    check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".downloads-", dir=out.parent))
    try:
        resources = []
        for name, (frame, schema) in tables(data).items():
            path = staging / f"{name}.csv"
            with files.writing(path):
                frame.to_csv(path, index=False, lineterminator="\n")
            raw = path.read_bytes()
            resources.append({
                "name": name, "path": path.name, "format": "csv", "mediatype": "text/csv",
                "encoding": "utf-8", "hash": "sha256:" + hashlib.sha256(raw).hexdigest(), "bytes": len(raw),
                "schema": schema,
            })
        package = {
            "name": PACKAGE_NAME,
            "title": "ICE FY2017–FY2020: every figure with its source sentence",
            "version": data_version(data.data_dir),
            "licenses": [{"name": "other-pd", "title": "U.S. Government Works (public domain)"}],
            "sources": [{"title": s.title, "path": f"sources/{s.file}",
                         "description": f"{s.issuer}, {s.date_printed}; sha256 {s.sha256}"}
                        for s in data.sources.values()],
            "resources": resources,
        }
        with files.writing(staging / "datapackage.json"):
            (staging / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
        sources_dir = staging / "sources"
        sources_dir.mkdir()
        for source in data.sources.values():
            target = sources_dir / source.file
            if files.plain_name(source.file) or not target.resolve().is_relative_to(sources_dir.resolve()):
                raise ConfigError(f"source {source.id!r}: its file {brief(source.file)} would be written outside "
                                  "the export's folder; run `python -m icebook validate`")
            shutil.copy2(data.data_dir / "sources" / source.file, target)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return out
