"""Running the chapters: which pages' inputs changed (``job_key``, and lineage.py for the records they read),
each changed page run in a worker (running.py) with a kernel forked from the build (warm.py), and each executed
notebook kept in ``_build/executed/`` with its manifest entry. Workers end with the build however it ends."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from multiprocessing.connection import wait
from pathlib import Path

from icebook.build.layout import files_key, note, output_digest, read_json, step, write_json
from icebook.build.lineage import Records, lineage_entry, parse_log, why_stale
from icebook.build.params import CHAPTERS, DEFAULT_CELL_TIMEOUT, PARAMS_FILE, ROOT, Job, configured_output_limits
from icebook.build.plain import plain
from icebook.build.running import Cell, CellTimeout, OutputLimitExceeded, OutputLimits, Worker, read_status
from icebook.core.errors import BuildError
from icebook.core.files import digest_files, writing
from icebook.core.modules import package_files
from icebook.data.groups import DATA_GROUPS

SLOW_CELL = 10  # seconds a cell runs before the progress display names it


def _group_files(group: str) -> list[Path]:
    data = ROOT / "data"
    return [p for pattern in DATA_GROUPS[group] for p in data.glob(pattern) if p.is_file()]


def code_files() -> list[Path]:
    """The package's code, in every subpackage, and the pinned packages it runs with."""
    return [*package_files(), ROOT / "requirements.lock"]


def code_key() -> bytes:
    """The digest of ``code_files()``: worked out once per build, as every page's key takes it."""
    return digest_files(code_files(), ROOT)


def job_key(job: Job, code: bytes | None = None) -> str:
    """The hash of everything a page's output depends on; ``code`` is ``code_key()``, when the caller has it."""
    files = [job.notebook]
    for group in job.reads:
        files += _group_files(group)
    digest = hashlib.sha256(code_key() if code is None else code)
    digest.update(files_key(files).encode())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(json.dumps(sorted(job.reads)).encode())
    return digest.hexdigest()


def executed_ok(out_dir: Path, page: str, entry: dict, key: str, quiet: bool = False) -> bool:
    """Is the executed page there, made from these inputs and whole (its hash is the one recorded)?"""
    if not isinstance(entry, dict) or entry.get("key") != key:
        return False
    path = out_dir / f"{page}.ipynb"
    if not path.exists():
        return False
    if output_digest(path) != entry.get("output"):
        if not quiet:
            note(f"{path.relative_to(ROOT)} is damaged or was changed by hand; running it again")
        return False
    return True


def _failure_message(job: Job, error: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    where = f"chapter {job.chapter!r} (page {job.page!r}, {job.notebook.relative_to(ROOT)})"
    if isinstance(error, CellTimeout):
        return (f"{where} stopped: {error.cell} ran past the time limit of {error.limit} s per cell; "
                f"raise it with --cell-timeout SECONDS or cell_timeout in {PARAMS_FILE.relative_to(ROOT)}")
    if isinstance(error, OutputLimitExceeded):
        kind = "printed" if error.what == "printed" else "output"
        return (f"{where} stopped: {error.cell} took the page's {kind} past {error.limit:,} characters "
                f"({error.size:,} so far); make it {'print' if kind == 'printed' else 'show'} less, or raise "
                f"{'printed_output_limit' if kind == 'printed' else 'output_limit'} in "
                f"{PARAMS_FILE.relative_to(ROOT)}")
    if isinstance(error, PapermillExecutionError):
        first = (error.source or "").strip().splitlines()
        cell = Cell(error.exec_count, first[0][:80] if first else "")
        return f"{where} failed in {cell}: {error.ename}: {error.evalue}"
    return f"{where} failed: {type(error).__name__}: {error}"


def _clean_notebook(path: Path) -> None:
    """Drop what changes between identical runs (timestamps, durations) from an executed notebook."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill gives it a random id
            if "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]  # shown in the analyst's notebook, not the page
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "ExecuteTime" in cell.metadata:
            cell.metadata.pop("ExecuteTime")
    with writing(path):
        nbformat.write(nb, path)


class _Progress:
    """Which notebook finished, n of m, elapsed: a tqdm bar on a terminal, one line each in a log.

    While notebooks run, a cell that has been running for a while is named, with how long so far.
    """

    def __init__(self, total: int, cell_timeout: int | None):
        from tqdm import tqdm

        self.total, self.n, self.start = total, 0, time.perf_counter()
        self.slow_after = SLOW_CELL if cell_timeout is None else min(SLOW_CELL, max(1, cell_timeout // 2))
        self.told: dict[tuple[str, int], float] = {}
        self.bar = tqdm(total=total, unit="nb", desc="notebooks", file=sys.stderr,
                        bar_format="{desc}: {n}/{total} {bar} {elapsed} {postfix}") if sys.stderr.isatty() else None

    def say(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    def done(self, label: str) -> None:
        self.n += 1
        if self.bar is not None:
            self.bar.set_postfix_str(label)
            self.bar.update()
        else:
            self.say(f"notebooks: {self.n}/{self.total} {label}, {time.perf_counter() - self.start:.0f} s elapsed")

    def running(self, page: str, status: Path) -> None:
        """Name a page's current cell once it has run for a while, then every half minute."""
        current = read_status(status)
        if current is None:
            return
        cell, since = current
        seconds = time.time() - since
        last = self.told.get((page, cell.number))
        if seconds >= self.slow_after and (last is None or seconds - last >= 30):
            self.told[(page, cell.number)] = seconds
            self.say(f"still running: page {page!r}, {cell}, {seconds:.0f} s so far")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _finish(job: Job, tmp: Path, log: Path, key: str, records: Records | None) -> tuple[dict | None, str | None]:
    """Check and keep one executed page: its manifest entry (with what it read, for lineage.py), or the
    failure."""
    reads = parse_log(log.read_text().splitlines() if log.exists() else [])
    read = reads["groups"]
    log.unlink(missing_ok=True)
    undeclared = sorted(set(read) - set(job.reads))
    if undeclared:
        tmp.unlink(missing_ok=True)
        return None, (f"chapter {job.chapter!r} read data group(s) {undeclared} that "
                      f"{PARAMS_FILE.relative_to(ROOT)} does not list under 'reads'; "
                      "add them so a change there re-runs this chapter")
    _clean_notebook(tmp)
    output = tmp.with_name(f"{job.page}.ipynb")
    tmp.replace(output)  # written whole to a temporary file, then renamed into place
    entry = {"key": key, "chapter": job.chapter, "parameters": job.parameters, "reads": read,
             "output": output_digest(output)}
    if records is not None:
        entry["lineage"] = lineage_entry(job.notebook, job.parameters, job.reads, reads, records)
    return entry, None


def _current_records(records: list) -> Records:
    """Today's records, hashed once per build (loading the validated data if no one has yet)."""
    if not records:
        from icebook.data.loader import validated

        records.append(Records(validated()))
    return records[0]


def _to_run(jobs: list[Job], out_dir: Path, manifest: dict, keys: dict[str, str], records: list | None,
            say: list[str]) -> list[Job]:
    """The pages to run: those whose inputs changed. A page whose data files changed is kept when none
    of the records it read did (lineage.py); its manifest entry then takes the new key."""
    todo = []
    for job in jobs:
        entry = manifest.get(job.page)
        if executed_ok(out_dir, job.page, entry, keys[job.page]):
            continue
        if records is None or not isinstance(entry, dict) or "lineage" not in entry:
            todo.append(job)
            continue
        whole = executed_ok(out_dir, job.page, entry, entry.get("key"), quiet=True)
        reason = (why_stale(entry["lineage"], job.notebook, job.parameters, job.reads, _current_records(records))
                  if whole else "its executed notebook is missing or damaged")
        if reason is None:
            manifest[job.page] = {**entry, "key": keys[job.page]}
        else:
            say.append(f"re-running {job.page}: {reason}")
            todo.append(job)
    return todo


def _start(job: Job, out_dir: Path, cell_timeout: int | None,
           limits: OutputLimits) -> tuple[Job, list[Path], Worker]:
    """Start one page in a worker: its temporary notebook, running-cell status and reads log."""
    paths = [out_dir / f".{job.page}.{name}" for name in ("running.ipynb", "cell", "reads")]
    for path in paths:
        path.unlink(missing_ok=True)
    tmp, status, log = paths
    return job, paths, Worker(job.notebook, tmp, job.parameters, CHAPTERS, status, log, cell_timeout, limits)


def run_jobs(jobs: list[Job], out_dir: Path, manifest_path: Path | None, workers: int,
             cell_timeout: int | None = DEFAULT_CELL_TIMEOUT) -> dict:
    """``cell_timeout``: seconds a cell may run, or None for no limit."""
    """Execute the jobs whose inputs changed; return a summary. Raise BuildError on a failure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = read_json(manifest_path) if manifest_path else {}
    code = code_key()
    keys = {job.page: job_key(job, code) for job in jobs}
    records: list | None = [] if manifest_path else None
    reasons: list[str] = []
    todo = _to_run(jobs, out_dir, manifest, keys, records, reasons)
    if manifest_path and len(todo) < len(jobs):
        write_json(manifest_path, manifest)
    for line in reasons:
        print(line, file=sys.stderr, flush=True)
    failures, start = [], time.perf_counter()
    limits = OutputLimits(*configured_output_limits())
    if todo:
        if not plain():
            from icebook.build.warm import warm

            step.now = "importing what the pages' kernels use"
            warm([job.notebook for job in todo])  # once here, not per page: each kernel is forked from here (warm.py)
        bar, waiting, running = _Progress(len(todo), cell_timeout), list(todo), {}
        try:
            while waiting or running:
                while waiting and len(running) < max(1, workers):
                    job = waiting.pop(0)
                    running[job.page] = _start(job, out_dir, cell_timeout, limits)
                step.now = f"running notebooks ({', '.join(running)})"
                # Wake as soon as a page finishes or its worker dies; at least every 0.2 s for the progress line.
                wait([end for _, _, worker in running.values() for end in worker.ends()], timeout=0.2)
                for page, (job, (tmp, status, log), worker) in list(running.items()):
                    outcome = worker.result()
                    if outcome is None:
                        bar.running(page, status)
                        continue
                    del running[page]
                    worker.stop()
                    status.unlink(missing_ok=True)
                    ok, value = outcome
                    entry, failure = (_finish(job, tmp, log, keys[page],
                                              None if records is None else _current_records(records))
                                      if ok else (None, _failure_message(job, value)))
                    tmp.unlink(missing_ok=True)
                    log.unlink(missing_ok=True)
                    if failure:
                        failures.append(failure)
                        bar.done(f"FAILED {page}")
                        continue
                    manifest[page] = entry
                    if manifest_path:
                        write_json(manifest_path, manifest)
                    bar.done(f"{page} ({value:.1f} s)")
        finally:
            for _, _, worker in running.values():  # on Ctrl-C, SIGTERM or an error: end them at once
                worker.stop()
            bar.close()
    if failures:
        raise BuildError("notebook(s) failed:\n" + "\n".join(f"  - {f}" for f in failures))
    return {"executed": len(todo), "reused": len(jobs) - len(todo), "seconds": time.perf_counter() - start}
