"""Benchmark: where one notebook's seconds go. Prints figures; asserts nothing.

1. a Python start, and a kernel start (jupyter_client, until the kernel answers);
2. in a fresh process: importing pandas, altair, the chapters' icebook modules, then loading and
   validating the data (``load()``), and getting it as a page does (``book()``, from the cache of
   validated data, core/cache.py);
3. each chapter run as the build runs it (papermill in a worker, the build's engine): its wall time,
   split into the time before its first cell (kernel start, papermill set-up), the set-up cell
   (imports and ``book()``), the chart cells, the other cells, and what is left (papermill saving,
   kernel shutdown).

Usage: bench/bench_notebook.py [CHAPTER ...]   (default: sources, oversight, profiles)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from icebook.build.params import CHAPTERS, configured_output_limits, load_jobs  # noqa: E402
from icebook.build.running import OutputLimits, execute  # noqa: E402

IMPORTS = """
import time
marks = [("start", time.perf_counter())]
import pandas
marks.append(("import pandas", time.perf_counter()))
import altair
marks.append(("import altair", time.perf_counter()))
import icebook.pages.chart, icebook.fmt, icebook.keyfindings, icebook.sections
marks.append(("import icebook (chart, fmt, keyfindings, sections)", time.perf_counter()))
from icebook.data.loader import DATA_DIR, book, load
load(DATA_DIR)
marks.append(("load and validate the data: load()", time.perf_counter()))
book()
marks.append(("the data as a page gets it: book(), from the cache of validated data", time.perf_counter()))
print(__import__("json").dumps([(name, b - a) for (_, a), (name, b) in zip(marks, marks[1:])]))
"""


def python_start() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def kernel_start() -> float:
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    seconds = time.perf_counter() - start
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    return seconds


def imports() -> list[tuple[str, float]]:
    """Figures from a second fresh process (the first makes the cache entry if there is none)."""
    subprocess.run([sys.executable, "-c", IMPORTS], check=True, capture_output=True, cwd=CHAPTERS)
    result = subprocess.run([sys.executable, "-c", IMPORTS], check=True, capture_output=True, text=True,
                            cwd=CHAPTERS)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _when(cell: nbformat.NotebookNode, key: str) -> float:
    return datetime.fromisoformat(cell.metadata.papermill[key].replace("Z", "+00:00")).timestamp()


def chapter(job, out_dir: Path) -> dict[str, float]:
    """One page run the build's way, its wall time split by what the cells do."""
    output = out_dir / f"{job.page}.ipynb"
    begun = time.time()
    wall = execute(job.notebook, output, job.parameters, CHAPTERS, out_dir / "status", out_dir / "reads", 600,
                   OutputLimits(*configured_output_limits()))
    nb = nbformat.read(output, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    setup = next(c for c in code if "book()" in c.source)
    charts = [c for c in code if "chart" in c.source and c is not setup]
    seconds = {"before the first cell": _when(code[0], "start_time") - begun,
               "set-up cell (imports, book())": setup.metadata.papermill.duration,
               f"{len(charts)} chart cell(s)": sum(c.metadata.papermill.duration for c in charts),
               "other cells": sum(c.metadata.papermill.duration for c in code if c is not setup and c not in charts)}
    seconds["after the last cell"] = time.time() - _when(code[-1], "end_time")
    return {"wall": wall, **seconds}


def main(names: list[str]) -> int:
    print(f"python start (interpreter alone): {python_start():.2f} s")
    print(f"kernel start (until it answers): {kernel_start():.2f} s")
    print("in a fresh process:")
    for name, seconds in imports():
        print(f"  {name}: {seconds:.2f} s")
    wanted = names or ["sources", "oversight", "profiles"]
    jobs: dict[str, object] = {}
    for job in load_jobs():  # one page of each chapter (the first profile)
        if job.chapter in wanted:
            jobs.setdefault(job.chapter, job)
    with tempfile.TemporaryDirectory(prefix="icebook-bench-nb-") as out:
        for job in jobs.values():
            figures = chapter(job, Path(out))
            print(f"page {job.page}: {figures.pop('wall'):.2f} s")
            for name, seconds in figures.items():
                print(f"  {name}: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
