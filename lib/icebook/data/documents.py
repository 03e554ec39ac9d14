"""The findings, ICE's structure, the discrepancy register and the detectors' verdicts."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from icebook.core.text import normalise
from icebook.data.collect import Collector
from icebook.data.prose import FACT_REF, check_record_prose, check_text
from icebook.data.read import parse_record, read_records, read_yaml
from icebook.data.schema import SPEAKERS, Correction, Findings, RegisterEntry, Source, Structure, Verdict


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
        check_speakers(record, path, col)
        findings[record.report] = raw
    return findings


QUOTED = re.compile(r'"([^"]*)"')  # words in double quotes in the book's prose: the sources' own words


def check_readings(findings: dict[str, dict], facts: pd.DataFrame, texts: dict[str, str], data_dir: Path,
                   col: Collector) -> None:
    """A finding's reading (``bears_on``) says no more than the sources do: each part of its summary in double
    quotes stands verbatim in the report or in the source of a fact it names, one at least in the report; and each
    fact it lists is followed, after its {{fact-id}}, by words of that fact's own quote, in double quotes."""
    for report, record in findings.items():
        path = data_dir / "findings" / f"{report}.yaml"
        for finding in record.get("findings", []):
            reading = finding.get("bears_on") or {}
            summary = " ".join(str(reading.get("summary", "")).split())
            if not summary:
                continue
            named = [ref for ref in FACT_REF.findall(summary) if ref in facts.index]
            own = {report, *(facts.at[ref, "source"] for ref in named)}
            if not own <= set(texts):  # a text that could not be read is reported where it is
                continue
            quoted = [normalise(part) for part in QUOTED.findall(summary)]
            for part in quoted:
                if not any(part in texts.get(source, "") for source in own):
                    col.add(path, f"the reading quotes “{part}”, which stands in neither {report} nor the source of "
                            "a fact it names: quote the words as printed", record=finding.get("id"),
                            field="bears_on.summary")
            if not any(part in texts.get(report, "") for part in quoted):
                col.add(path, f"the reading quotes no words of {report}: give OIG's own words, in double quotes",
                        record=finding.get("id"), field="bears_on.summary")
            for fact_id in reading.get("facts", []):
                after = summary.split(f"{{{{{fact_id}}}}}", 1)[1:] or [""]
                scope = [normalise(part) for part in QUOTED.findall(after[0])][:1]
                if fact_id in facts.index and not (scope and scope[0] in normalise(facts.at[fact_id, "quote"])):
                    col.add(path, f"{{{{{fact_id}}}}} is not followed by words of its own quote, in double quotes: "
                            "say what the figure counts in its source's words", record=finding.get("id"),
                            field="bears_on.summary")


# A quote that reports what ICE's people said, in its own words: "According to ICE staff", "Staff at all four
# field offices said", "ICE personnel ... agreed". "According to ICE policy" or "ICE data" is not speech.
REPORTED_SPEECH = re.compile(
    r"\bAccording to ICE (?:staff|officials|personnel|management)\b"
    r"|\b(?:staff|officials|personnel|DOs|officers|supervisors|management)\b[^.;]*?"
    r"\b(?:said|agreed|reported|told|explained|acknowledged|confirmed|cited|stated)\b", re.IGNORECASE)
COMMENTS_PLACE = re.compile(r"^(?:Appendix B|Management Comments|ICE Comments)")


def check_speakers(record: Findings, path: Path, col: Collector) -> None:
    """Each finding's speaker agrees with its quote's own words, and its title, brief and summary use the
    speaker's verb: a quote that reports what ICE staff said ("According to ICE staff") is ICE staff's, not OIG's
    finding; ICE's comments stand where the report prints them."""
    for finding in record.findings:
        speaker = SPEAKERS[finding.speaker]
        where = {"record": finding.id}
        reported = REPORTED_SPEECH.search(finding.quote)
        if reported and not speaker.reported:
            col.add(path, f"the quote reports what ICE's people said ({reported[0]!r}), but speaker is "
                    f"{finding.speaker!r}: set speaker: ice_staff, or quote OIG's own words", field="speaker", **where)
        if speaker.reported and not reported:
            col.add(path, f"speaker is {finding.speaker!r}, but the quote's own words report no one's speech "
                    "(\"According to ICE staff\", \"staff ... said\"): quote the passage that does", field="speaker",
                    **where)
        if finding.speaker == "ice_comments" and not COMMENTS_PLACE.match(finding.locator):
            col.add(path, "speaker is 'ice_comments', but the locator is not ICE's comments (Appendix B or "
                    "Management Comments)", field="locator", **where)
        for name in ("brief", "summary"):
            text = getattr(finding, name)
            if text and not re.search(speaker.opens, text):
                col.add(path, f"the {name} must open with its speaker's verb ({speaker.label}: "
                        f"{speaker.opens!r}), so a reader knows whose words it gives", field=name, **where)
        if speaker.titled and not re.search(speaker.titled, finding.title):
            col.add(path, f"the title must carry its speaker's verb ({speaker.label}: {speaker.titled!r})",
                    field="title", **where)


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
    if set(sources) - set(texts):
        # A source whose text could not be read (reported where it is) changes what the detectors find across
        # the sources: their candidates and verdicts are reviewed once every text is read, not reported as noise.
        return frame
    for record, message in problems:
        col.add(path, message, record=record)
    return frame


def load_corrections(data_dir: Path, known: set[str], col: Collector) -> list[Correction]:
    """The corrections recorded in data/corrections.yaml (none when the file is absent), each naming facts or
    derived figures that exist and worded by the prose rules."""
    path = data_dir / "corrections.yaml"
    corrections = read_records(path, col, Correction) if path.exists() else []
    check_record_prose(corrections, ("what",), known, path, col)
    for correction in corrections:
        unknown = sorted(set(correction.facts) - known)
        if unknown:
            col.add(path, f"names no fact or derived figure: {', '.join(unknown)}", record=correction.id,
                    field="facts")
    return sorted(corrections, key=lambda c: (c.date, c.id), reverse=True)
