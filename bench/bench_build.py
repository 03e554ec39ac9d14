"""Benchmark: the build on a copy of the project. Prints figures; asserts nothing.

1. cold build (every notebook executed, then jupyter-book with execution off), with its peak memory: the largest
   process's peak resident memory (its kernels, workers and Sphinx included), and the whole process tree's, sampled
   every 0.1 s (budget: 2 GB, the test command's budget for any stage);
2. no-op rebuild, three times (target < 0.5 s, no notebook executed, Sphinx not started), with the time of its
   check of the published site's files against their record (build/siterecord.py), then a rebuild after damage
   to that site;
3. rebuild after changing one data file (register.yaml: read by the checking and home chapters);
4. rebuild after editing one fact's notes (the first fact that has notes): only the pages that read that fact,
   and those that read every fact, re-run (lineage.py; target ≤ 0.25 of the cold build). Three edits, each
   printed, and their median against the cold build: one rebuild of a few seconds varies by a fifth on this
   machine from run to run;
5. rebuild after adding one fact (the first fact stated again under a new id): the pages whose selection
   takes it in re-run too;
6. rebuild after editing one chapter (one notebook re-executed);
7. for reference, plain `jupyter-book build` with execute_notebooks: force over the same chapters, starting
   like the cold build with empty caches, and the ratio of the cold build to it (target ≤ 0.40).

Beside each build's wall time: its processor time (user and system, of the build and every process it waited
for), and the machine's load average, so that a figure taken while other work shares the machine can be read:
a build whose wall time is far above its processor time was waiting for a core.

Each rebuild is printed beside the cold build of the same run, as a ratio.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
COPY = ["lib", "chapters", "data", "_static", "_templates", "_config.yml", "_toc.yml", "requirements.lock"]


def copy_project() -> Path:
    root = Path(tempfile.mkdtemp(prefix="icebook-bench-build-"))
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


def site_check(root: Path, runs: int = 5) -> tuple[float, int]:
    """The median time of the no-op build's check of the published site (siterecord.damage), and its files."""
    sys.path.insert(0, str(root / "lib"))
    from icebook.build import siterecord

    site = (root / "_build" / "html").resolve()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assert siterecord.damage(root / "_build" / "html.files.json", site) == []
        times.append(time.perf_counter() - start)
    return statistics.median(times), sum(1 for p in site.rglob("*") if not p.is_dir())


class Memory(NamedTuple):
    """A build's peak resident memory, in MB."""

    largest: float  # the largest single process (the build or any process it waited for)
    tree: float  # the build and every process under it together, sampled


def _tree_rss(pid: int) -> int:
    try:
        build = psutil.Process(pid)
        processes = [build, *build.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total


class Run(NamedTuple):
    """One build of the copy, as measured."""

    seconds: float  # wall time, from starting the command to its exit
    cpu: float  # processor time of the build and of every process it waited for (user and system)
    summary: str  # its summary line
    memory: Memory


def measured_build(root: Path, sample_memory: bool = True) -> Run:
    """One build of the copy. With ``sample_memory``, the process tree's memory is sampled every 0.1 s while it
    runs; without, the build is waited for directly, so a sub-second build's time is not rounded up to a sample."""
    env = {**os.environ, "PYTHONPATH": str(root / "lib")}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "icebook", "build"], cwd=root, env=env, stdout=out,
                                   stderr=err, text=True)
        tree = 0
        while True:  # wait4, not poll: it reaps the build with its resource usage
            pid, status, usage = os.wait4(process.pid, os.WNOHANG if sample_memory else 0)
            if pid:
                break
            tree = max(tree, _tree_rss(process.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode:
        raise SystemExit(f"build failed:\n{stderr}")
    summary = re.search(r"notebooks: .*|nothing changed.*", stdout)
    return Run(seconds, usage.ru_utime + usage.ru_stime, summary[0] if summary else "",
               Memory(usage.ru_maxrss / 1024, tree / 2**20))


def run_build(root: Path) -> Run:
    return measured_build(root, sample_memory=False)


def load() -> str:
    """The machine's load average over the last minute, for reading a figure taken while others ran."""
    return f"load average {os.getloadavg()[0]:.1f}"


def edit_facts(root: Path, change) -> str:
    """Change the rows of the first facts file; returns what was done, for the printout."""
    path = sorted((root / "data" / "facts").glob("*.csv"))[0]
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    done = change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())
    return done


def edit_notes(rows: list[dict], n: int = 1) -> str:
    row = next(r for r in rows if r["notes"])
    row["notes"] += " Edited for the benchmark" + "." * n
    return row["id"]


def add_fact(rows: list[dict]) -> str:
    rows.append(rows[0] | {"id": rows[0]["id"] + "-restated"})
    return rows[-1]["id"]


def write_pages(pages: Path) -> None:
    """Every page of the book (of the copy site_check imported the package from) as a notebook for jupyter-book to
    execute itself: its chapter read as the build reads it, with the page's parameters injected after its
    parameters cell, as papermill injects them."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    from icebook.build.notebooks import read_chapter
    from icebook.build.params import load_jobs

    for job in load_jobs():
        notebook = read_chapter(job.notebook)
        notebook.metadata.setdefault("papermill", {})  # what papermill's own reader adds before it parameterizes
        for cell in notebook.cells:
            cell.metadata.setdefault("tags", [])
        nbformat.write(parameterize_notebook(notebook, job.parameters), pages / f"{job.page}.ipynb")


def forced_jupyter_book(root: Path) -> float:
    """jupyter-book executing the same pages itself (write_pages: every page with its parameters), from the
    state the cold build started in: the build's caches (validated data, chart pictures, site checks) are
    emptied first, as the chapters' code would otherwise find them filled by the builds before."""
    shutil.rmtree(root / "_build" / "cache", ignore_errors=True)
    stage = root / "_build" / "force"
    shutil.copytree(root / "_build" / "stage-src-for-bench", stage / "src")
    config = yaml.safe_load((stage / "src" / "_config.yml").read_text())
    config["execute"] = {"execute_notebooks": "force", "timeout": 300}
    (stage / "src" / "_config.yml").write_text(yaml.safe_dump(config))
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build", str(stage / "src"),
                    "--path-output", str(stage / "out"), "-q"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(root / "lib")})
    return time.perf_counter() - start


def main() -> int:
    root = copy_project()
    try:
        cold_run = measured_build(root)
        cold = cold_run.seconds
        print(f"cold build: {cold:.1f} s, CPU {cold_run.cpu:.1f} s ({cold_run.summary}) ({load()})")
        print(f"cold build peak memory: largest process {cold_run.memory.largest:.0f} MB, all its processes "
              f"together {cold_run.memory.tree:.0f} MB (budget 2048 MB)")

        def rebuild(case: str, target: str = "") -> None:
            run = run_build(root)
            print(f"rebuild after {case}: {run.seconds:.1f} s, CPU {run.cpu:.1f} s ({run.summary}); "
                  f"{run.seconds / cold:.2f} of the cold build" + (f" (target {target})" if target else ""))

        for n in range(1, 4):
            noop = run_build(root)
            print(f"no-op rebuild {n} of 3: {noop.seconds:.2f} s, CPU {noop.cpu:.2f} s ({noop.summary}) "
                  f"(target < 0.5 s) ({load()})")
        check, files = site_check(root)
        print(f"no-op rebuild's check of the published site's {files} files against their record: "
              f"{check * 1000:.0f} ms")
        (root / "_build" / "html" / "chapters" / "glossary.html").unlink()
        (root / "_build" / "html" / "index.html").write_text("edited by hand")
        rebuild("a page of the published site was deleted and another edited (the site heals)")
        register = root / "data" / "register.yaml"
        register.write_text(register.read_text().replace("title: ", "title: Edited ", 1))
        rebuild("changing data/register.yaml")
        runs = []
        for n in range(1, 4):  # this case has a target: three edits, the median against the cold build
            fact = edit_facts(root, functools.partial(edit_notes, n=n))
            run = run_build(root)
            runs.append(run.seconds)
            print(f"rebuild after one fact's notes edited ({fact}), edit {n} of 3: {run.seconds:.1f} s, "
                  f"CPU {run.cpu:.1f} s ({run.summary}) ({load()})")
        median = statistics.median(runs)
        print(f"rebuild after one fact's notes edited: median of 3 {median:.1f} s; {median / cold:.2f} of the cold "
              "build (target ≤ 0.25)")
        fact = edit_facts(root, add_fact)
        rebuild(f"one fact added ({fact})")
        notebook = root / "chapters" / "oversight.md"  # a text notebook: an edit is a line of text
        notebook.write_text(notebook.read_text() + "\n+++\n\nAn edit to one chapter.\n")
        rebuild("editing one chapter")
        src = root / "_build" / "stage-src-for-bench"
        shutil.copytree(root, src, ignore=shutil.ignore_patterns("_build", "node_modules", "lib", "data"))
        pages = src / "chapters" / "pages"
        pages.mkdir()
        write_pages(pages)
        (src / "_static" / "vendor").mkdir(exist_ok=True)
        forced = forced_jupyter_book(root)
        print(f"jupyter-book build with execute_notebooks: force: {forced:.1f} s "
              f"(every page with its parameters, as papermill injects them) ({load()})")
        print(f"cold build / forced jupyter-book: {cold / forced:.2f} (target ≤ 0.40)")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
