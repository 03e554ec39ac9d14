"""The findings, ICE's structure, the discrepancy register and the detectors' verdicts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from icebook.data.collect import Collector
from icebook.data.prose import check_text
from icebook.data.read import parse_record, read_records, read_yaml
from icebook.data.schema import Findings, RegisterEntry, Source, Structure, Verdict


def load_findings(data_dir: Path, col: Collector, known: set[str], sources: dict) -> dict[str, dict]:
    """The OIG reports as records (schema.Findings), keyed by their source id."""
    findings = {}
    for path in sorted((data_dir / "findings").glob("*.yaml")):
        raw = read_yaml(path, col)
        if raw is None:
            continue
        record = parse_record(Findings, raw, path, col, path.stem)
        if record is None:
            continue
        if record.report not in sources:
            col.add(path, f"unknown source id {record.report!r}; known: {sorted(sources)}", field="report")
            continue
        check_text(record, path, col, known, sources, record.report)
        findings[record.report] = raw
    return findings


def load_structure(data_dir: Path, col: Collector, known: set[str], sources: dict) -> tuple[dict, list]:
    """ICE's structure (schema.Structure) and the discrepancy register (schema.RegisterEntry), where present."""
    structure: dict = {}
    path = data_dir / "structure.yaml"
    raw = read_yaml(path, col) if path.exists() else None
    if raw is not None:
        record = parse_record(Structure, raw, path, col, "structure.yaml")
        if record is not None:
            check_text(record, path, col, known, sources, "structure.yaml")
            structure = raw
    register: list = []
    path = data_dir / "register.yaml"
    raw = read_yaml(path, col) if path.exists() else None
    if raw is not None:
        entries = read_records(path, col, RegisterEntry, raw)
        for entry in entries:
            check_text(entry, path, col, known, sources, entry.id)
        if len(entries) == len(raw):
            register = raw
    return structure, register


def review_detections(data_dir: Path, sources: dict[str, Source], texts: dict[str, str], known: set[str],
                      register: list, col: Collector) -> pd.DataFrame:
    """The consistency detectors' candidates with their verdicts from verdicts.yaml (see detect.py)."""
    from icebook.data.detect import review

    path = data_dir / "verdicts.yaml"
    verdicts = read_records(path, col, Verdict) if path.exists() else []
    entries = {entry.get("id") for entry in register if isinstance(entry, dict)}
    for verdict in verdicts:
        check_text(verdict, path, col, known, sources, verdict.id)
        if verdict.in_register and verdict.in_register not in entries:
            col.add(path, f"names no entry of register.yaml: {verdict.in_register!r}", record=verdict.id,
                    field="in_register")
    raw = {sid: (data_dir / "sources" / sources[sid].file).read_text(encoding="utf-8") for sid in texts}
    frame, problems = review(raw, verdicts)
    for record, message in problems:
        col.add(path, message, record=record)
    return frame
