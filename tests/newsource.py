"""The README's steps for adding a source ("Adding data"), followed with a made-up source: for
tests/test_new_source.py and for bin/try-new-source, which runs the fast tests over the result.

The source (tests/fixtures/new_source/) is a small made-up text with an FY 2018 and an FY 2019 removals count,
an FY 2019 arrests count, a telephone number and a report number. Its id is one no real source would take.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

FIXTURE = Path(__file__).parent / "fixtures" / "new_source"
SOURCE_ID = "madeup"
TEXT = FIXTURE / "made-up-removals-summary.md"
FACT_IDS = ["madeup-removals-fy2018", "madeup-removals-fy2019", "madeup-arrests-fy2019"]


def run_icebook(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m icebook ARGS`` in the project at ``root``, with that project's code and data."""
    env = {**os.environ, "PYTHONPATH": str(root / "lib"), "ICEBOOK_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "icebook", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=1200)


def fill_in_stub(registry: Path) -> None:
    """Step 2: replace the stub's FILL IN lines with the source's details, as a maintainer does by hand."""
    text = registry.read_text(encoding="utf-8")
    head, stub = text.split(f"- id: {SOURCE_ID}\n")
    for key, value in yaml.safe_load((FIXTURE / "registry.yaml").read_text()).items():
        line = yaml.safe_dump(value, default_style=None).split("\n")[0]
        stub = re.sub(rf"(?m)^  {key}: .*$", lambda _, key=key, line=line: f"  {key}: {line}", stub)
    registry.write_text(head + f"- id: {SOURCE_ID}\n" + stub, encoding="utf-8")


def add_facts_and_rules(data: Path) -> None:
    """Step 3: one row per number; for a fact of a measure's metric, the words its quote uses for what it counts
    (under ``wordings`` in metrics.yaml, its last section); a coverage rule for each number that is not a fact."""
    with (data / "facts" / f"{SOURCE_ID}.csv").open("a", encoding="utf-8") as handle:
        handle.write((FIXTURE / "facts.csv").read_text(encoding="utf-8"))
    wordings = [line for line in (FIXTURE / "wordings.yaml").read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")]
    with (data / "metrics.yaml").open("a", encoding="utf-8") as handle:
        handle.write("".join(f"  {line}\n" for line in wordings))
    rules = yaml.safe_load((FIXTURE / "coverage.yaml").read_text())
    with (data / "coverage.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + yaml.safe_dump({SOURCE_ID: rules}, allow_unicode=True, sort_keys=False))


def add_source(root: Path) -> dict[str, subprocess.CompletedProcess]:
    """Steps 1 to 5 in the project at ``root``; each command's run, by step: add, stub (validate before the stub
    is filled in), validate, impact."""
    runs = {"add": run_icebook(root, "add-source", str(TEXT), "--id", SOURCE_ID)}
    runs["stub"] = run_icebook(root, "validate")
    fill_in_stub(root / "data" / "sources.yaml")
    add_facts_and_rules(root / "data")
    runs["validate"] = run_icebook(root, "validate")
    runs["impact"] = run_icebook(root, "impact", f"data/facts/{SOURCE_ID}.csv")
    return runs
