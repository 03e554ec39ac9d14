"""The build: validate data → run changed chapters with papermill → jupyter-book → publish.

Stages, each reading the one before it:

* ``_build/executed/``  executed notebooks, one per page, with ``manifest.json``
  recording the hash of every input each was run from (its template, parameters,
  the data files it reads, the data module's code). A page is re-run only when
  that hash changes.
* ``_build/stage/``     the book's sources with the executed pages, assembled afresh in
  ``next/`` and synced into ``src/``, where only files whose bytes changed are rewritten;
  jupyter-book builds ``src/`` into ``out/`` with warnings as errors, keeping Sphinx's
  environment there between builds, so a rebuild reads and writes only the changed pages
  (``sphinx/incremental.py`` keeps that equal to a clean build). When the set of staged
  files changed, or the last Sphinx run did not finish (``building`` is still there),
  ``out/`` starts afresh.
* ``_build/sites/``     the built sites, one folder each: a copy of the stage's output (checked
  whole just before) with the footer's build version filled in. ``_build/html`` is a symbolic link
  to the published one, swapped in one atomic rename only when the whole build and its
  checks succeeded. The site it replaced is kept beside it, for ``icebook rollback``.
  ``_build/html.json`` records what the site was built from, so a rebuild with nothing
  changed stops before starting Sphinx.

One build at a time holds ``_build/build.lock`` (lock.py); workers and Sphinx end with
the build however it ends (running.py, sphinx_child.py); a damaged cache file is treated as absent.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from icebook.build import siterecord
from icebook.build.lineage import Records, lineage_entry, parse_log, why_stale
from icebook.build.lock import BuildLock
from icebook.build.params import (
    CHAPTERS,
    DEFAULT_CELL_TIMEOUT,
    NO_LIMIT,
    PARAMS_FILE,
    ROOT,
    Job,
    book_config,
    chapter_spec,
    check_book_files,
    configured_cell_timeout,
    configured_output_limits,
    default_value,
    load_jobs,
    parse_cli_value,
    static_pages,
)
from icebook.build.plain import EXTENSIONS as PLAIN_EXTENSIONS
from icebook.build.plain import plain
from icebook.build.procs import fork
from icebook.build.running import Cell, CellTimeout, OutputLimitExceeded, OutputLimits, Worker, read_status
from icebook.build.sphinx_child import SphinxChild
from icebook.core.errors import EXIT_CODES, BuildError, ParameterError, brief, exit_code
from icebook.core.files import digest_files, file_digest, write_atomic
from icebook.core.modules import closure, files_of, package_files
from icebook.data.groups import DATA_GROUPS

BUILD = ROOT / "_build"
EXECUTED = BUILD / "executed"
MANIFEST = EXECUTED / "manifest.json"
SITE = BUILD / "html"
SITES = BUILD / "sites"
SITE_RECORD = BUILD / "html.json"
SITE_FILES = BUILD / "html.files.json"  # each published file's size, status-change time and hash (siterecord.py)
STAGE = BUILD / "stage"
STAGED_PAGES = STAGE / "pages"  # each page's staged notebook and chart files, by what they are made from
BUILD_VERSION = "<!--icebook:build-version-->"  # in every page's footer until the site is published
ANALYSIS = BUILD / "analysis"
LOCK = BUILD / "build.lock"
WRITE_FAULTS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
SLOW_CELL = 10  # seconds a cell runs before the progress display names it
BOOK_FILES = ["_config.yml", "_toc.yml"]
# The code that turns an executed page into its staged form (``_stage_page``): these modules and what they import.
STAGING_MODULES = ["icebook.pages.sections", "icebook.pages.chartfiles"]
BOOK_DIRS = ["_static"]
VENDOR = {  # the Vega scripts the charts load, from package-lock.json's pinned npm packages
    "vega.min.js": "node_modules/vega/build/vega.min.js",
    "vega-lite.min.js": "node_modules/vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "node_modules/vega-embed/build/vega-embed.min.js",
}


class _Step:
    """What the build is doing, for the one line Ctrl-C prints."""

    now = "starting"


_step = _Step()


def _files_key(paths: list[Path]) -> str:
    """The key of a set of the project's files: their paths and bytes."""
    return digest_files(paths, ROOT).hex()


def _group_files(group: str) -> list[Path]:
    data = ROOT / "data"
    return [p for pattern in DATA_GROUPS[group] for p in data.glob(pattern) if p.is_file()]


def code_files() -> list[Path]:
    """The package's code, in every subpackage, and the pinned packages it runs with."""
    return [*package_files(), ROOT / "requirements.lock"]


def job_key(job: Job) -> str:
    """The hash of everything a page's output depends on."""
    files = [job.notebook, *code_files()]
    for group in job.reads:
        files += _group_files(group)
    digest = hashlib.sha256(_files_key(files).encode())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(json.dumps(sorted(job.reads)).encode())
    return digest.hexdigest()


_noted: set[str] = set()


def _note(text: str) -> None:
    """One line on stderr about something the build handled (said once per build)."""
    if text not in _noted:
        _noted.add(text)
        print(f"note: {text}", file=sys.stderr, flush=True)


def _read_json(path: Path) -> dict:
    """A cache record, or {} when it is absent; a damaged one is treated as absent, said in one line."""
    try:
        value = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:  # ValueError: bad JSON or bytes that are not UTF-8
        _note(f"{path.relative_to(ROOT)} is unreadable ({type(error).__name__}); treating it as absent")
        return {}
    if not isinstance(value, dict):
        _note(f"{path.relative_to(ROOT)} is not a JSON object; treating it as absent")
        return {}
    return value


def _write_json(path: Path, value: dict) -> None:
    write_atomic(path, json.dumps(value, indent=1, sort_keys=True) + "\n")


def _file_files_key(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


def _executed_ok(out_dir: Path, page: str, entry: dict, key: str, quiet: bool = False) -> bool:
    """Is the executed page there, made from these inputs and whole (its hash is the one recorded)?"""
    if not isinstance(entry, dict) or entry.get("key") != key:
        return False
    path = out_dir / f"{page}.ipynb"
    if not path.exists():
        return False
    if _file_files_key(path) != entry.get("output"):
        if not quiet:
            _note(f"{path.relative_to(ROOT)} is damaged or was changed by hand; running it again")
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
             "output": _file_files_key(output)}
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
        if _executed_ok(out_dir, job.page, entry, keys[job.page]):
            continue
        if records is None or not isinstance(entry, dict) or "lineage" not in entry:
            todo.append(job)
            continue
        whole = _executed_ok(out_dir, job.page, entry, entry.get("key"), quiet=True)
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
    manifest = _read_json(manifest_path) if manifest_path else {}
    keys = {job.page: job_key(job) for job in jobs}
    records: list | None = [] if manifest_path else None
    reasons: list[str] = []
    todo = _to_run(jobs, out_dir, manifest, keys, records, reasons)
    if manifest_path and len(todo) < len(jobs):
        _write_json(manifest_path, manifest)
    for line in reasons:
        print(line, file=sys.stderr, flush=True)
    failures, start = [], time.perf_counter()
    limits = OutputLimits(*configured_output_limits())
    if todo:
        if not plain():
            from icebook.build.warm import warm

            _step.now = "importing what the pages' kernels use"
            warm([job.notebook for job in todo])  # once here, not per page: each kernel is forked from here (warm.py)
        bar, waiting, running = _Progress(len(todo), cell_timeout), list(todo), {}
        try:
            while waiting or running:
                while waiting and len(running) < max(1, workers):
                    job = waiting.pop(0)
                    running[job.page] = _start(job, out_dir, cell_timeout, limits)
                _step.now = f"running notebooks ({', '.join(running)})"
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
                        _write_json(manifest_path, manifest)
                    bar.done(f"{page} ({value:.1f} s)")
        finally:
            for _, _, worker in running.values():  # on Ctrl-C, SIGTERM or an error: end them at once
                worker.stop()
            bar.close()
    if failures:
        raise BuildError("notebook(s) failed:\n" + "\n".join(f"  - {f}" for f in failures))
    return {"executed": len(todo), "reused": len(jobs) - len(todo), "seconds": time.perf_counter() - start}


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "lib", "chapters", "data",
                                *BOOK_FILES], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return out + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def site_inputs(jobs: list[Job]) -> dict:
    """What the published site is made from: its record, compared before starting Sphinx."""
    from icebook.core.versions import data_version

    book_files = [ROOT / f for f in BOOK_FILES] + [p for d in BOOK_DIRS for p in (ROOT / d).rglob("*")
                                                   if p.is_file()]
    book_files += static_pages() + [ROOT / p for p in VENDOR.values()]
    return {"pages": {j.page: job_key(j) for j in jobs}, "book": _files_key(book_files),
            "data_version": data_version(), "commit": _git_commit()}


def _stage(jobs: list[Job]) -> Path:
    """The book's sources with the executed pages and the vendored scripts, synced into the stage."""
    _step.now = "staging the book's sources"
    STAGE.mkdir(exist_ok=True)
    assembled = STAGE / "next"
    if assembled.exists():
        shutil.rmtree(assembled)
    _assemble(jobs, assembled)
    unfinished = STAGE / "building"
    if _sync(assembled, STAGE / "src") or unfinished.exists():
        shutil.rmtree(STAGE / "out", ignore_errors=True)
    shutil.rmtree(assembled)
    return STAGE


def _sync(new: Path, src: Path) -> bool:
    """Make ``src`` hold ``new``'s files, rewriting only those whose bytes differ (a rewritten file
    gets a new modification time). True when the set of files changed."""
    wanted = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    present = {p.relative_to(src) for p in src.rglob("*") if p.is_file()} if src.exists() else set()
    for gone in present - wanted:
        (src / gone).unlink()
    for name in wanted:
        data, target = (new / name).read_bytes(), src / name
        if name in present and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return wanted != present


def _assemble(jobs: list[Job], src: Path) -> None:
    """Write the book's sources into ``src``: its files, the executed pages, vendored scripts, downloads."""
    import yaml

    (src / "chapters" / "pages").mkdir(parents=True)
    for name in BOOK_FILES:
        shutil.copy2(ROOT / name, src / name)
    for name in BOOK_DIRS:
        shutil.copytree(ROOT / name, src / name)
    for page in static_pages():
        shutil.copy2(page, src / "chapters" / page.name)
    vendor = src / "_static" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    for name, origin in VENDOR.items():
        if not (ROOT / origin).exists():
            raise BuildError(f"{origin} is missing: run `make setup` (npm ci) to install the Vega scripts")
        shutil.copy2(ROOT / origin, vendor / name)
    config = book_config()
    # Filled in when the site is published, so a new data version does not make Sphinx write every page.
    config.setdefault("html", {})["extra_footer"] = f'<p class="build-version">{BUILD_VERSION}</p>'
    if plain():
        sphinx = config.get("sphinx", {})
        sphinx["extra_extensions"] = [e for e in sphinx.get("extra_extensions", []) if e not in PLAIN_EXTENSIONS]

    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    export_downloads(src / "_static" / "downloads")  # makes the folder afresh: the charts' files go in after
    write_bibliography(src / "references.bib")
    charts = src / "_static" / "downloads" / "charts"
    for job in jobs:
        _stage_page(job.page, src / "chapters" / "pages" / f"{job.page}.ipynb", charts)
    _prune_staged_pages(jobs)


def _staged_key(page: str) -> str:
    """What a page's staged form is made from: its executed notebook and the code that post-processes it."""
    return _files_key([EXECUTED / f"{page}.ipynb", *files_of(closure(STAGING_MODULES))])


def _stage_page(page: str, staged: Path, charts: Path) -> None:
    """Write a page's staged notebook (its data-made headings as real sections, sections.py) and the files its
    charts carry (CSV, SVG, PNG, taken out of the notebook into ``charts``; chart.py). Both are kept in
    ``STAGED_PAGES`` by what they are made from, so a page that did not run again is not processed again."""
    from icebook.pages.chartfiles import ship_files
    from icebook.pages.sections import split_file

    kept = STAGED_PAGES / f"{page}-{_staged_key(page)[:16]}"
    if not kept.exists():
        made = kept.with_name(kept.name + ".new")
        shutil.rmtree(made, ignore_errors=True)
        (made / "charts").mkdir(parents=True)
        shutil.copy2(EXECUTED / f"{page}.ipynb", made / "page.ipynb")
        split_file(made / "page.ipynb")
        ship_files(made / "page.ipynb", made / "charts")
        made.rename(kept)
    shutil.copy2(kept / "page.ipynb", staged)
    if any((kept / "charts").iterdir()):
        shutil.copytree(kept / "charts", charts, dirs_exist_ok=True)


def _prune_staged_pages(jobs: list[Job]) -> None:
    """Drop the staged forms of pages no job has now."""
    wanted = {f"{j.page}-{_staged_key(j.page)[:16]}" for j in jobs}
    for folder in STAGED_PAGES.iterdir():
        if folder.name not in wanted:
            shutil.rmtree(folder)


def export_downloads(out: Path) -> None:
    from icebook.data.export import export
    from icebook.data.loader import validated

    export(validated(), out)


def write_bibliography(path: Path) -> None:
    """references.bib, written from the source registry (the book has no other copy of it)."""
    from icebook.data.loader import book
    from icebook.sphinx.bibliography import bibliography

    path.write_text(bibliography(book().sources), encoding="utf-8")


def _jupyter_book(stage: Path, sphinx: SphinxChild | None) -> Path:
    """Build the staged book over the environment the last build kept; ``building`` marks a run under way.
    jupyter-book runs in a child that imported it while the pages ran (sphinx_child.py); in plain mode
    (no child) it is the ``jupyter-book`` command, building afresh (plain.py)."""
    out = stage / "out"
    arguments = ["build", str(stage / "src"), "--path-output", str(out), "--builder", "html", "-W", "-n",
                 "--keep-going", "-q"]
    _step.now = "building the site with jupyter-book"
    unfinished = stage / "building"
    unfinished.touch()
    if sphinx is None:
        shutil.rmtree(out, ignore_errors=True)
        command = [str(Path(sys.executable).with_name("jupyter-book")), *arguments]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        code, output = done.returncode, done.stdout + done.stderr
    else:
        sphinx.start(arguments)
        _ready_checks()  # on the core Sphinx leaves free
        code, output = sphinx.wait()
    if code == 0:
        unfinished.unlink()
    else:
        log = output.strip().splitlines()
        relevant = [line for line in log if "WARNING" in line or "ERROR" in line or "Error" in line]
        raise BuildError("jupyter-book build failed (warnings are errors):\n"
                         + "\n".join(f"  {line}" for line in (relevant or log)[-40:]))
    return out / "_build" / "html"


def _published() -> Path | None:
    """The folder the published site link points to, if there is one."""
    return SITE.resolve() if SITE.is_symlink() and SITE.exists() else None


def _site_copy(built: Path, record: dict) -> Path:
    """A copy of the built site, its footers naming the data version and source commit."""
    version = (f'Data version <code>{record["data_version"]}</code> · '
               f'source commit <code>{record["commit"]}</code>').encode()

    def copy(origin: str, target: str) -> None:
        if origin.endswith(".html"):
            Path(target).write_bytes(Path(origin).read_bytes().replace(BUILD_VERSION.encode(), version))
        else:
            shutil.copyfile(origin, target)

    _step.now = "copying the built site"
    new_site = STAGE / "site"
    if new_site.exists():
        shutil.rmtree(new_site)
    shutil.copytree(built, new_site, copy_function=copy)
    return new_site


def _ready_checks() -> None:
    """Import the site checks (BeautifulSoup, lxml and their compiled patterns) and work out the
    counts they compare the pages with, while Sphinx builds the site the checks will read."""
    from icebook.data.loader import book
    from icebook.site.checks import book_counts

    book_counts(book(), default_value("comparison", "fiscal_years"))


def _check(built: Path) -> None:
    """Check the site as Sphinx wrote it, before _site_copy fills in its footers: a page Sphinx did not change
    keeps its bytes from build to build, so the checks read its verdict from their cache, where a footer naming
    the data version would change every page's bytes whenever the data change. What the footer adds (two hashes
    in <code>, outside the article, no link, id or script) is nothing any check reads."""
    from icebook.core.cache import CACHE
    from icebook.data.loader import book
    from icebook.site.checks import book_counts, check_site

    _step.now = "checking the built site"
    counts = book_counts(book(), default_value("comparison", "fiscal_years"))
    problems = check_site(built, counts=counts, texts=book().texts, cache=CACHE / "site-checks.json")
    if problems:
        raise BuildError("the built site failed its checks:\n" + "\n".join(f"  - {p}" for p in problems[:50]))


def _publish(new_site: Path, record: dict) -> None:
    """Make the new site the published one in one atomic step: a symbolic link renamed over the old."""
    _step.now = "publishing the site"
    SITES.mkdir(exist_ok=True)
    if SITE.exists() and not SITE.is_symlink():  # a site from before sites were versioned
        SITE.rename(SITES / "earlier")
        SITE.symlink_to(Path("sites") / "earlier")
    previous = _published()
    target = SITES / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    link = BUILD / "html.new"
    link.unlink(missing_ok=True)
    link.symlink_to(target.relative_to(BUILD))  # made first: if _build/ is read-only, nothing has moved
    new_site.rename(target)
    os.replace(link, SITE)
    _write_json(SITE_RECORD, record)
    siterecord.save(SITE_FILES, target)
    keep = {target.name, previous.name if previous else None}  # the new site and the one it replaced
    for old in SITES.iterdir():
        if old.name not in keep:
            shutil.rmtree(old)


def rollback() -> int:
    """Publish again the site the last build replaced (kept in _build/sites/)."""
    with BuildLock(LOCK):
        current = _published()
        others = sorted(p for p in SITES.glob("*") if p != current) if SITES.exists() else []
        if not others:
            print("error: no earlier site is kept in _build/sites/ to roll back to", file=sys.stderr)
            return 1
        link = BUILD / "html.new"
        link.unlink(missing_ok=True)
        link.symlink_to(others[-1].relative_to(BUILD))
        os.replace(link, SITE)
        SITE_RECORD.unlink(missing_ok=True)  # the next build rebuilds from the sources
    print(f"site published: {SITE.relative_to(ROOT)} -> {others[-1].relative_to(ROOT)}")
    return 0


def _parse_overrides(chapter: str, pairs: list[str]) -> dict:
    """``-p NAME=VALUE`` pairs as parameters: a repeated ``-p`` adds values to a parameter that takes a list, and
    is refused for one that takes one value."""
    spec = chapter_spec(chapter).get("parameters", {})
    given: dict = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep:
            raise ParameterError(f"-p {brief(pair)}: write NAME=VALUE")
        value = parse_cli_value(chapter, name, spec.get(name), text)
        if name not in given:
            given[name] = value
        elif (spec.get(name) or {}).get("many"):
            given[name] = given[name] + value
        else:
            raise ParameterError(f"-p {brief(name)} is given twice, and chapter {chapter!r}'s parameter {brief(name)} "
                                 "takes one value; give it once")
    return given


def analysis_dir(chapter: str, out: str | None) -> Path:
    """Where analyst mode writes: ``--out`` from the caller's directory, never elsewhere in _build/."""
    if out is None:
        return ANALYSIS / chapter
    target = (Path.cwd() / Path(out).expanduser()).resolve()
    build, analysis = BUILD.resolve(), ANALYSIS.resolve()
    if target.is_relative_to(build) and not target.is_relative_to(analysis):
        raise ParameterError(f"--out {out}: {target} is inside {BUILD.relative_to(ROOT)}/, which holds the "
                             f"published site and its caches; use a folder under "
                             f"{ANALYSIS.relative_to(ROOT)}/ or outside {BUILD.relative_to(ROOT)}/")
    from icebook.build.analyst import check_out

    check_out(target, out, analysis)
    return target


class _Stopped(Exception):
    """The build was asked to stop (SIGTERM)."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signal.Signals(signum).name)


def _os_message(error: OSError) -> str:
    """One line for a failed file operation: which file, and why; for a write, the likely cause. A copy of a
    folder (shutil.Error) names the first file it could not copy."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list) and error.args[0]:
        source, target, why = error.args[0][0]
        hint = (f": is {BUILD.relative_to(ROOT)}/ read-only, or the disk full?"
                if any(os.strerror(code) in str(why) for code in WRITE_FAULTS) else "")
        return f"cannot copy {source} to {target} ({brief(str(why), 200, quote=False)}){hint}"
    where = error.filename2 or error.filename  # of a rename or link, the path written
    why = error.strerror or brief(str(error), 200, quote=False) or type(error).__name__
    if error.errno in WRITE_FAULTS:
        return (f"cannot write {where or BUILD} ({why}): is {BUILD.relative_to(ROOT)}/ read-only, "
                "or the disk full?")
    return f"{where}: {why}" if where else f"{type(error).__name__}: {why}"


LEFT_AS_IT_WAS = "The published site was left as it was."


def _fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


def run(**options: Any) -> int:
    """The build command: ``build(**options)``'s exit code, with the errors a command reports as a message
    (``core.errors.EXIT_CODES``) printed as one line and mapped to their codes. The command line and the
    preview's builds both call this."""
    try:
        return build(**options)
    except tuple(EXIT_CODES) as error:
        print(f"error: {error}", file=sys.stderr)
        return exit_code(error) or 1


def build(only: str | None = None, params: list[str] | None = None, out: str | None = None,
          jobs: int | None = None, cell_timeout: int | str | None = None) -> int:
    """The build command. Returns the exit code; the site is replaced only on success. ``cell_timeout``: seconds,
    ``"none"`` for no limit, or None for chapters/params.yml's."""
    if params and not only:
        raise ParameterError("-p sets a chapter's parameters in analyst mode: add --only CHAPTER")
    if out and not only:
        raise ParameterError("--out is for analyst mode: add --only CHAPTER")
    workers = jobs or os.cpu_count() or 1
    timeout = None if cell_timeout == NO_LIMIT else cell_timeout or configured_cell_timeout()
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with BuildLock(LOCK):
            if only:
                return _analyst(only, params or [], analysis_dir(only, out), workers, timeout)
            return _site(workers, timeout)
    except BuildError as error:
        return _fail(f"error: {error}\n{LEFT_AS_IT_WAS}", 1)
    except KeyboardInterrupt:
        return _fail(f"\ninterrupted while {_step.now}; the published site was left as it was", 130)
    except _Stopped as stop:
        return _fail(f"stopped by {stop} while {_step.now}; the published site was left as it was", 143)
    except OSError as error:
        return _fail(f"error: {_os_message(error)}\n{LEFT_AS_IT_WAS}", 1)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _site(workers: int, cell_timeout: int | None) -> int:
    """Validate, run what changed, build, check and publish the site."""
    start = time.perf_counter()
    job_list = load_jobs()
    book_config()
    check_book_files(["chapters", *BOOK_DIRS])
    record = site_inputs(job_list)
    # The site is current only if the executed pages are too: a failed build may have
    # re-run some pages for inputs that were then put back.
    manifest = _read_json(MANIFEST)
    executed_current = all(_executed_ok(EXECUTED, page, manifest.get(page), key, quiet=True)
                           for page, key in record["pages"].items())
    if _published() and executed_current and _read_json(SITE_RECORD) == record:
        damaged = siterecord.damage(SITE_FILES, _published())
        if not damaged:
            print(f"nothing changed since the published site ({time.perf_counter() - start:.2f} s): "
                  f"{SITE.relative_to(ROOT)}/index.html")
            return 0
        _note(f"the published site was changed after it was built ({len(damaged)} file(s): "
              f"{', '.join(damaged[:3])}{', …' if len(damaged) > 3 else ''}); building it again")
    _step.now = "validating the data"
    if plain():
        from icebook.data.loader import book

        print("plain mode: stock jupyter_client kernels and the jupyter-book command (ICEBOOK_PLAIN)")
        book()
    else:
        _validate_while_warming()  # all data validated before anything runs
    sphinx = None if plain() else SphinxChild()  # imports jupyter-book while the pages run
    try:
        summary = run_jobs(job_list, EXECUTED, MANIFEST, workers, cell_timeout)
        built = _jupyter_book(_stage(job_list), sphinx)
    finally:
        if sphinx is not None:
            sphinx.close()
    _check(built)
    _publish(_site_copy(built, record), record)
    total = time.perf_counter() - start
    print(f"notebooks: {summary['executed']} executed, {summary['reused']} reused "
          f"({summary['seconds']:.1f} s); total {total:.1f} s")
    print(f"site published: {SITE.relative_to(ROOT)}/index.html "
          f"(open it in a browser, or serve it: python -m http.server -d {SITE.relative_to(ROOT)})")
    return 0


def _validate_while_warming() -> None:
    """Validate the data in a forked child while this process imports what the pages' kernels use (warm.py):
    the two take about as long, and the machine has a core for each. The child leaves the validated data in
    the cache (core/cache.py), where ``book()`` here finds it; when the child failed, or could not write the
    cache, ``book()`` validates again here and raises the message a plain validation gives. The fork comes
    first, so that the two processes import what they need (pandas, for both) at the same time."""
    warmed = sys.modules.get(f"{__package__}.warm")
    if warmed is not None and warmed.warmed():  # nothing to do alongside (a preview's build): validate here
        from icebook.data.loader import book

        book()
        return

    def validate() -> None:
        from icebook.data.loader import book

        book()

    child = fork(validate, report=False)  # its problems are reported by the validation here, below
    try:
        from icebook.build.warm import warm

        warm([])  # what every page's kernel imports; what only some pages draw with waits for run_jobs
    except BaseException:
        os.kill(child, signal.SIGKILL)
        raise
    finally:
        os.waitpid(child, 0)
    from icebook.data.loader import book

    book()


def _analyst(chapter: str, pairs: list[str], target: Path, workers: int, cell_timeout: int | None) -> int:
    """Re-run one chapter with other parameters into its own folder; the site is not touched."""
    overrides = {chapter: _parse_overrides(chapter, pairs)}
    job_list = [j for j in load_jobs(overrides=overrides) if j.chapter == chapter]
    from icebook.build.analyst import mark_out, run_note, write_page
    from icebook.data.loader import book

    _step.now = "validating the data"
    book()
    mark_out(target, chapter, [job.page for job in job_list])
    summary = run_jobs(job_list, target, None, workers, cell_timeout)
    scripts = {name: ROOT / origin for name, origin in VENDOR.items()} | {"icebook.js": ROOT / "_static" / "icebook.js"}
    for job in job_list:
        print(f"{job.page}: {target / (job.page + '.ipynb')} with {job.parameters}")
        _step.now = f"writing the analyst page of {job.page}"
        page, table = write_page(target / f"{job.page}.ipynb", run_note(chapter, job.page, job.parameters),
                                 SITE / "chapters" / "pages", scripts, ROOT / "_static" / "icebook.css")
        print(f"  page to open in a browser: {page}\n  every figure it shows, with fact ids: {table}")
    print(f"notebooks: {summary['executed']} executed ({summary['seconds']:.1f} s); "
          "the published site was not touched")
    return 0
