"""Benchmark: load + full validation of the real data, and of a synthetic data set 100x its size.

Prints figures; asserts nothing (targets: real data under 1 s, 100x under 3 s on a 2-core machine). The machine is
shared: each figure is the best of three runs, in wall-clock and in CPU seconds, with the load average beside them.
The synthetic set repeats every real fact 100 times under new ids, with its real quote, so quote
look-up works against the real sources at 100 times the number of quotes; each copy of a percentage has a copy of
its claim, as the validator asks of every percentage.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from icebook.data.facts import FACT_COLUMNS
from icebook.data.loader import DATA_DIR, load

RUNS = 3


def timed(data_dir: Path) -> tuple[float, float, int]:
    """The best wall-clock and CPU seconds of RUNS loads, and the number of facts."""
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        data = load(data_dir)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), len(data.facts)


def load_average() -> str:
    return ", ".join(f"{n:.1f}" for n in os.getloadavg())


class NoAliases(yaml.SafeDumper):
    """Writes a value shared by several copies out each time: the book's YAML loader refuses aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def synthetic(copies: int) -> Path:
    root = Path(tempfile.mkdtemp(prefix="icebook-bench-"))
    shutil.copytree(DATA_DIR, root / "data")
    facts = root / "data" / "facts"
    rows = []
    for path in sorted(facts.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
        path.unlink()
    with (facts / "synthetic.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FACT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for copy in range(copies):
            for row in rows:
                # copy 0 keeps the real ids, which findings and structure refer to
                writer.writerow({**row, "id": row["id"] if copy == 0 else f"{row['id']}-x{copy}"})
    percentages = {row["id"] for row in rows if row["unit"] == "percent"}
    claims_path = root / "data" / "claims.yaml"
    claims = yaml.safe_load(claims_path.read_text(encoding="utf-8"))
    claims += [{**claim, "id": f"{claim['id']}-x{copy}", "fact": f"{claim['fact']}-x{copy}"}
               for copy in range(1, copies) for claim in claims if claim["fact"] in percentages]
    claims_path.write_text(yaml.dump(claims, Dumper=NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "data"


def main() -> int:
    load(DATA_DIR)  # warm imports and the file cache, so the figures time the work itself
    print(f"load average before: {load_average()} (2 cores; figures are best of {RUNS})")
    wall, cpu, n = timed(DATA_DIR)
    print(f"real data: {n} facts loaded and validated in {wall:.3f} s ({cpu:.3f} s CPU) (target < 1 s)")
    big = synthetic(100)
    try:
        wall, cpu, n = timed(big)
        print(f"100x synthetic: {n} facts loaded and validated in {wall:.3f} s ({cpu:.3f} s CPU) (target < 3 s)")
        print(f"load average after: {load_average()}")
    finally:
        shutil.rmtree(big.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
