"""The build command: validate data → run changed chapters with papermill → jupyter-book → check → publish.

``_build/`` is described in layout.py; the steps are execution.py, stage.py and publish.py. Here: the
command's options, the site build and the analyst mode, the lock, and every failure turned into one message and
an exit code, the published site left as it was."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

from icebook.build import siterecord
from icebook.build.editions import edition_date
from icebook.build.execution import executed_ok, run_jobs
from icebook.build.layout import (
    ANALYSIS,
    BOOK_DIRS,
    BUILD,
    EXECUTED,
    LOCK,
    MANIFEST,
    SITE,
    SITE_FILES,
    SITE_RECORD,
    STAGE,
    VENDOR,
    note,
    read_json,
    step,
)
from icebook.build.lock import BuildLock
from icebook.build.params import (
    NO_LIMIT,
    ROOT,
    book_config,
    chapter_spec,
    check_book_files,
    configured_cell_timeout,
    load_jobs,
    parse_cli_value,
)
from icebook.build.plain import plain
from icebook.build.procs import fork
from icebook.build.publish import check_built_site, publish_site, published_site, site_copy
from icebook.build.search import SearchIndex
from icebook.build.sphinx_child import SphinxChild
from icebook.build.stage import run_jupyter_book, site_inputs, stage_book
from icebook.core.errors import EXIT_CODES, BuildError, ParameterError, brief, exit_code

WRITE_FAULTS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


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
    # Ctrl-C stops the build whatever the process that started it left: an ignored or blocked SIGINT is inherited,
    # and Python then never raises KeyboardInterrupt.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        with BuildLock(LOCK):
            if only:
                return _analyst(only, params or [], analysis_dir(only, out), workers, timeout)
            return _site(workers, timeout)
    except BuildError as error:
        return _fail(f"error: {error}\n{LEFT_AS_IT_WAS}", 1)
    except KeyboardInterrupt:
        return _fail(f"\ninterrupted while {step.now}; the published site was left as it was", 130)
    except _Stopped as stop:
        return _fail(f"stopped by {stop} while {step.now}; the published site was left as it was", 143)
    except OSError as error:
        return _fail(f"error: {_os_message(error)}\n{LEFT_AS_IT_WAS}", 1)
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def _site(workers: int, cell_timeout: int | None) -> int:
    """Validate, run what changed, build, check and publish the site."""
    start = time.perf_counter()
    job_list = load_jobs()
    book_config()
    check_book_files(["chapters", *BOOK_DIRS])
    record = site_inputs(job_list)
    # The site is current only if the executed pages are too: a failed build may have
    # re-run some pages for inputs that were then put back.
    manifest = read_json(MANIFEST)
    executed_current = all(executed_ok(EXECUTED, page, manifest.get(page), key, quiet=True)
                           for page, key in record["pages"].items())
    previous = read_json(SITE_RECORD)
    if published_site() and executed_current and previous == record:
        damaged = siterecord.damage(SITE_FILES, published_site())
        if not damaged:
            print(f"nothing changed since the published site ({time.perf_counter() - start:.2f} s): "
                  f"{SITE.relative_to(ROOT)}/index.html")
            return 0
        note(f"the published site was changed after it was built ({len(damaged)} file(s): "
              f"{', '.join(damaged[:3])}{', …' if len(damaged) > 3 else ''}); building it again")
    step.now = "validating the data"
    if plain():
        from icebook.data.loader import book

        print("plain mode: stock jupyter_client kernels and the jupyter-book command (ICEBOOK_PLAIN)")
        book()
    else:
        _validate_while_warming()  # all data validated before anything runs
    sphinx = None if plain() else SphinxChild()  # imports jupyter-book while the pages run
    try:
        summary = run_jobs(job_list, EXECUTED, MANIFEST, workers, cell_timeout)
        built = run_jupyter_book(stage_book(job_list, record, previous), sphinx)
    finally:
        if sphinx is not None:
            sphinx.close()
    step.now = "indexing the site for search"
    search = SearchIndex(built, STAGE / "search")  # Pagefind works in its own process while the checks run
    try:
        check_built_site(built)
        published = edition_date(record["data_version"], time.strftime("%Y-%m-%d", time.gmtime()))
        new_site = site_copy(built, record, published)
        step.now = "indexing the site for search"
        search.finish(new_site)
    finally:
        search.stop()
    publish_site(new_site, record, published)
    total = time.perf_counter() - start
    print(f"notebooks: {summary['executed']} executed, {summary['reused']} reused "
          f"({summary['seconds']:.1f} s); total {total:.1f} s")
    print(f"site published: {SITE.relative_to(ROOT)}/index.html "
          f"(open it in a browser, or serve it: python -m http.server -d {SITE.relative_to(ROOT)})")
    return 0


def _validate_while_warming() -> None:
    """Validate the data in a forked child while this process imports the rest of what the pages' kernels use
    (warm.py); the machine has a core for each. The child leaves the validated data in the cache
    (core/cache.py), where ``book()`` here finds it; when the child failed, or could not write the cache,
    ``book()`` validates again here and raises the message a plain validation gives. What validation imports
    (pandas, the schema) is imported first, once, and the child inherits it: imported in both, it cost every
    build as much processor time again as the validation itself."""
    warmed = sys.modules.get(f"{__package__}.warm")
    if warmed is not None and warmed.warmed():  # nothing to do alongside (a preview's build): validate here
        from icebook.data.loader import book

        book()
        return

    def validate() -> None:
        from icebook.data.loader import book

        book()

    import icebook.data.loader  # noqa: F401 - for the child and for this process alike

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

    step.now = "validating the data"
    book()
    mark_out(target, chapter, [job.page for job in job_list])
    summary = run_jobs(job_list, target, None, workers, cell_timeout)
    scripts = {name: ROOT / origin for name, origin in VENDOR.items()} | {"icebook.js": ROOT / "_static" / "icebook.js"}
    for job in job_list:
        print(f"{job.page}: {target / (job.page + '.ipynb')} with {job.parameters}")
        step.now = f"writing the analyst page of {job.page}"
        page, table = write_page(target / f"{job.page}.ipynb", run_note(chapter, job.page, job.parameters),
                                 SITE / "chapters" / "pages", scripts, ROOT / "_static" / "icebook.css")
        print(f"  page to open in a browser: {page}\n  every figure it shows, with fact ids: {table}")
    print(f"notebooks: {summary['executed']} executed ({summary['seconds']:.1f} s); "
          "the published site was not touched")
    return 0
