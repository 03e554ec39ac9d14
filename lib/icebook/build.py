"""The build: validate data → run changed chapters with papermill → jupyter-book → publish.

Stages, each reading the one before it:

* ``_build/executed/``  executed notebooks, one per page, with ``manifest.json``
  recording the hash of every input each was run from (its template, parameters,
  the data files it reads, the data module's code). A page is re-run only when
  that hash changes.
* ``_build/stage/``     a fresh copy of the book's sources with the executed pages,
  built by jupyter-book with warnings as errors.
* ``_build/html``       the published site, replaced in one rename only when the
  whole build and its checks succeeded. ``_build/html.json`` records what it was
  built from, so a rebuild with nothing changed stops before starting Sphinx.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .params import CHAPTERS, DATA_GROUPS, PARAMS_FILE, ROOT, Job, chapter_spec, load_jobs, parse_cli_value

BUILD = ROOT / "_build"
EXECUTED = BUILD / "executed"
MANIFEST = EXECUTED / "manifest.json"
SITE = BUILD / "html"
SITE_RECORD = BUILD / "html.json"
BOOK_FILES = ["_config.yml", "_toc.yml"]
BOOK_DIRS = ["_static"]
VENDOR = {  # the Vega scripts the charts load, from package-lock.json's pinned npm packages
    "vega.min.js": "node_modules/vega/build/vega.min.js",
    "vega-lite.min.js": "node_modules/vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "node_modules/vega-embed/build/vega-embed.min.js",
}


class BuildError(Exception):
    """A build step failed; the message says which and why. The published site is untouched."""


def _sha(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _group_files(group: str) -> list[Path]:
    data = ROOT / "data"
    return [p for pattern in DATA_GROUPS[group] for p in data.glob(pattern) if p.is_file()]


def code_files() -> list[Path]:
    return sorted((ROOT / "lib" / "icebook").glob("*.py")) + [ROOT / "requirements.lock"]


def job_key(job: Job) -> str:
    """The hash of everything a page's output depends on."""
    files = [job.notebook, *code_files()]
    for group in job.reads:
        files += _group_files(group)
    digest = hashlib.sha256(_sha(files).encode())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(json.dumps(sorted(job.reads)).encode())
    return digest.hexdigest()


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_json(path: Path, value: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, indent=1, sort_keys=True) + "\n")
    tmp.replace(path)


def _execute(job: Job, output: Path, reads_log: Path) -> tuple[str, float]:
    """Run one page with papermill (in a worker process). Returns the page and seconds taken."""
    import papermill

    start = time.perf_counter()
    env_before = os.environ.get("ICEBOOK_READS_LOG")
    os.environ["ICEBOOK_READS_LOG"] = str(reads_log)
    try:
        papermill.execute_notebook(
            str(job.notebook), str(output), parameters=job.parameters, kernel_name="python3",
            cwd=str(CHAPTERS), progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            # The kernel's own start-up and shutdown chatter would bury the progress display.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    finally:
        if env_before is None:
            os.environ.pop("ICEBOOK_READS_LOG", None)
    return job.page, time.perf_counter() - start


def _failure_message(job: Job, error: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    where = f"chapter {job.chapter!r} (page {job.page!r}, {job.notebook.relative_to(ROOT)})"
    if isinstance(error, PapermillExecutionError):
        return (f"{where} failed in cell {error.exec_count} (code cell {error.cell_index}): "
                f"{error.ename}: {error.evalue}")
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
    """Which notebook finished, n of m, elapsed: a tqdm bar on a terminal, one line each in a log."""

    def __init__(self, total: int):
        from tqdm import tqdm

        self.total, self.n, self.start = total, 0, time.perf_counter()
        self.bar = tqdm(total=total, unit="nb", desc="notebooks", file=sys.stderr,
                        bar_format="{desc}: {n}/{total} {bar} {elapsed} {postfix}") if sys.stderr.isatty() else None

    def done(self, label: str) -> None:
        self.n += 1
        if self.bar is not None:
            self.bar.set_postfix_str(label)
            self.bar.update()
        else:
            print(f"notebooks: {self.n}/{self.total} {label}, {time.perf_counter() - self.start:.0f} s elapsed",
                  file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_jobs(jobs: list[Job], out_dir: Path, manifest_path: Path | None, workers: int) -> dict:
    """Execute the jobs whose inputs changed; return a summary. Raise BuildError on a failure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = _read_json(manifest_path) if manifest_path else {}
    keys = {job.page: job_key(job) for job in jobs}
    todo = [j for j in jobs if manifest.get(j.page, {}).get("key") != keys[j.page]
            or not (out_dir / f"{j.page}.ipynb").exists()]
    reused = len(jobs) - len(todo)
    failures, start = [], time.perf_counter()
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
            futures = {}
            for job in todo:
                tmp = out_dir / f".{job.page}.running.ipynb"
                log = out_dir / f".{job.page}.reads"
                log.unlink(missing_ok=True)
                futures[pool.submit(_execute, job, tmp, log)] = (job, tmp, log)
            bar = _Progress(len(todo))
            for future in as_completed(futures):
                job, tmp, log = futures[future]
                try:
                    _, seconds = future.result()
                except BaseException as error:  # noqa: BLE001 - reported below with the page named
                    failures.append(_failure_message(job, error))
                    tmp.unlink(missing_ok=True)
                    bar.done(f"FAILED {job.page}")
                    continue
                read = sorted(set(log.read_text().split())) if log.exists() else []
                log.unlink(missing_ok=True)
                undeclared = sorted(set(read) - set(job.reads))
                if undeclared:
                    failures.append(f"chapter {job.chapter!r} read data group(s) {undeclared} that "
                                    f"{PARAMS_FILE.relative_to(ROOT)} does not list under 'reads'; "
                                    "add them so a change there re-runs this chapter")
                    tmp.unlink(missing_ok=True)
                    bar.done(f"FAILED {job.page}")
                    continue
                _clean_notebook(tmp)
                tmp.replace(out_dir / f"{job.page}.ipynb")
                manifest[job.page] = {"key": keys[job.page], "chapter": job.chapter,
                                      "parameters": job.parameters, "reads": read}
                if manifest_path:
                    _write_json(manifest_path, manifest)
                bar.done(f"{job.page} ({seconds:.1f} s)")
            bar.close()
    if failures:
        raise BuildError("notebook(s) failed:\n" + "\n".join(f"  - {f}" for f in failures))
    return {"executed": len(todo), "reused": reused, "seconds": time.perf_counter() - start}


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
    from .versions import data_version

    book_files = [ROOT / f for f in BOOK_FILES] + [p for d in BOOK_DIRS for p in (ROOT / d).rglob("*")
                                                   if p.is_file()]
    book_files += sorted(CHAPTERS.glob("*.md")) + [ROOT / p for p in VENDOR.values()]
    return {"pages": {j.page: job_key(j) for j in jobs}, "book": _sha(book_files),
            "data_version": data_version(), "commit": _git_commit()}


def _stage(jobs: list[Job], record: dict) -> Path:
    """A fresh copy of the book's sources with the executed pages and the vendored scripts."""
    import yaml

    from .sections import split_file

    stage = BUILD / "stage"
    if stage.exists():
        shutil.rmtree(stage)
    src = stage / "src"
    (src / "chapters" / "pages").mkdir(parents=True)
    for name in BOOK_FILES:
        shutil.copy2(ROOT / name, src / name)
    for name in BOOK_DIRS:
        shutil.copytree(ROOT / name, src / name)
    for page in CHAPTERS.glob("*.md"):
        shutil.copy2(page, src / "chapters" / page.name)
    for job in jobs:
        staged = src / "chapters" / "pages" / f"{job.page}.ipynb"
        shutil.copy2(EXECUTED / f"{job.page}.ipynb", staged)
        split_file(staged)  # headings a chapter made from data become real sections
    vendor = src / "_static" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    for name, origin in VENDOR.items():
        if not (ROOT / origin).exists():
            raise BuildError(f"{origin} is missing: run `make setup` (npm ci) to install the Vega scripts")
        shutil.copy2(ROOT / origin, vendor / name)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    footer = (f'<p class="build-version">Data version <code>{record["data_version"]}</code> · '
              f'source commit <code>{record["commit"]}</code></p>')
    config.setdefault("html", {})["extra_footer"] = footer
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    export_downloads(src / "_static" / "downloads")
    write_bibliography(src / "references.bib")
    from .chart import ship_files

    for job in jobs:  # each chart's CSV, SVG and PNG travel in its page's notebook
        ship_files(src / "chapters" / "pages" / f"{job.page}.ipynb", src / "_static" / "downloads" / "charts")
    return stage


def export_downloads(out: Path) -> None:
    from .data import book
    from .export import export

    export(book(), out)


def write_bibliography(path: Path) -> None:
    """references.bib, written from the source registry (the book has no other copy of it)."""
    from .bibliography import bibliography
    from .data import book

    path.write_text(bibliography(book().sources), encoding="utf-8")


def _jupyter_book(stage: Path) -> Path:
    out = stage / "out"
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(stage / "src"),
           "--path-output", str(out), "--builder", "html", "-W", "-n", "--keep-going", "-q"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        log = (result.stdout + result.stderr).strip().splitlines()
        relevant = [line for line in log if "WARNING" in line or "ERROR" in line or "Error" in line]
        raise BuildError("jupyter-book build failed (warnings are errors):\n"
                         + "\n".join(f"  {line}" for line in (relevant or log)[-40:]))
    return out / "_build" / "html"


def _publish(new_site: Path, record: dict) -> None:
    """Replace the published site with the new one in one rename."""
    from .checks import check_site
    from .data import book

    problems = check_site(new_site, sources=len(book().sources), texts=book().texts)
    if problems:
        raise BuildError("the built site failed its checks:\n" + "\n".join(f"  - {p}" for p in problems[:50]))
    old = BUILD / "html.previous"
    if old.exists():
        shutil.rmtree(old)
    if SITE.exists():
        SITE.rename(old)
    new_site.rename(SITE)
    _write_json(SITE_RECORD, record)
    if old.exists():
        shutil.rmtree(old)


def _parse_overrides(chapter: str, pairs: list[str]) -> dict:
    spec = chapter_spec(chapter).get("parameters", {})
    given = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            from .errors import ParameterError

            raise ParameterError(f"-p {pair!r}: write NAME=VALUE")
        given[name.strip()] = parse_cli_value(chapter, name.strip(), spec.get(name.strip()), text)
    return given


def build(only: str | None = None, params: list[str] | None = None, out: str | None = None,
          jobs: int | None = None) -> int:
    """The build command. Returns the exit code; the site is replaced only on success."""
    start = time.perf_counter()
    workers = jobs or os.cpu_count() or 1
    try:
        if only:
            return _analyst(only, params or [], out, workers)
        job_list = load_jobs()
        record = site_inputs(job_list)
        # The site is current only if the executed pages are too: a failed build may have
        # re-run some pages for inputs that were then put back.
        manifest = _read_json(MANIFEST)
        executed_current = all((EXECUTED / f"{page}.ipynb").exists() and manifest.get(page, {}).get("key") == key
                               for page, key in record["pages"].items())
        if SITE.exists() and executed_current and _read_json(SITE_RECORD) == record:
            print(f"nothing changed since the published site ({time.perf_counter() - start:.2f} s): "
                  f"{SITE.relative_to(ROOT)}/index.html")
            return 0
        from .data import book

        book()  # validate all data before running anything
        summary = run_jobs(job_list, EXECUTED, MANIFEST, workers)
        stage = _stage(job_list, record)
        new_site = _jupyter_book(stage)
        _publish(new_site, record)
        shutil.rmtree(stage, ignore_errors=True)
    except BuildError as error:
        print(f"error: {error}\nThe published site was left as it was.", file=sys.stderr)
        return 1
    total = time.perf_counter() - start
    print(f"notebooks: {summary['executed']} executed, {summary['reused']} reused "
          f"({summary['seconds']:.1f} s); total {total:.1f} s")
    print(f"site published: {SITE.relative_to(ROOT)}/index.html "
          f"(open it in a browser, or serve it: python -m http.server -d {SITE.relative_to(ROOT)})")
    return 0


def _analyst(chapter: str, pairs: list[str], out: str | None, workers: int) -> int:
    """Re-run one chapter with other parameters into its own folder; the site is not touched."""
    overrides = {chapter: _parse_overrides(chapter, pairs)}
    job_list = [j for j in load_jobs(overrides=overrides) if j.chapter == chapter]
    from .data import book

    book()
    target = Path(out) if out else BUILD / "analysis" / chapter
    summary = run_jobs(job_list, target, None, workers)
    for job in job_list:
        print(f"{job.page}: {target / (job.page + '.ipynb')} with {job.parameters}")
    print(f"notebooks: {summary['executed']} executed ({summary['seconds']:.1f} s); "
          "the published site was not touched")
    return 0
