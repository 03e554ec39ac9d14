"""The book's sources assembled for jupyter-book: the book's own files, the hand-written pages, the executed
pages post-processed (their data-made headings as sections, their charts' files taken out; kept by what they
are made from), the downloads and the bibliography, synced into ``_build/stage/src``; then jupyter-book over
it, in the child that imported it while the pages ran (sphinx_child.py), or in plain mode as its command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from icebook.build.editions import Edition, previous_edition
from icebook.build.execution import code_key, job_key
from icebook.build.layout import (
    BOOK_DIRS,
    BOOK_FILES,
    BUILD_VERSION,
    EXECUTED,
    STAGE,
    STAGED_PAGES,
    VENDOR,
    files_key,
    step,
)
from icebook.build.params import ROOT, Job, book_config, static_pages
from icebook.build.plain import EXTENSIONS as PLAIN_EXTENSIONS
from icebook.build.plain import plain
from icebook.build.publish import ready_checks
from icebook.build.sphinx_child import SphinxChild
from icebook.core.errors import BuildError
from icebook.core.files import digest_files, writing
from icebook.core.modules import closure, files_of

# The code that turns an executed page into its staged form (``_stage_page``): these modules and what they import.
STAGING_MODULES = ["icebook.pages.sections", "icebook.pages.chartfiles"]


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

    assets = [p for d in BOOK_DIRS for p in (ROOT / d).rglob("*") if p.is_file()] + [ROOT / p for p in VENDOR.values()]
    book_files = [ROOT / f for f in BOOK_FILES] + assets + static_pages()
    version = data_version()
    previous = previous_edition(version)  # the edition the Changes page compares with
    code = code_key()
    return {"pages": {j.page: job_key(j, code) for j in jobs}, "book": files_key(book_files),
            "assets": files_key(assets),
            "data_version": version, "commit": _git_commit(),
            "compared_with": asdict(previous) if previous else None}


def stage_book(jobs: list[Job], record: dict, previous: dict | None = None) -> Path:
    """The book's sources with the executed pages and the vendored scripts, synced into the stage. When the
    book's assets (``_static``, ``_templates``, the vendored scripts) differ from those of the ``previous`` build's
    record, Sphinx starts afresh: with no page out of date it would stop before copying static files, and the
    pages it did not write would keep the old files' checksums in their links."""
    step.now = "staging the book's sources"
    STAGE.mkdir(exist_ok=True)
    assembled = STAGE / "next"
    if assembled.exists():
        shutil.rmtree(assembled)
    _assemble(jobs, assembled, record)
    unfinished = STAGE / "building"
    assets_changed = (previous or {}).get("assets") != record["assets"]
    if _sync(assembled, STAGE / "src") or unfinished.exists() or assets_changed:
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
        with writing(target):
            target.write_bytes(data)
    return wanted != present


def _assemble(jobs: list[Job], src: Path, record: dict) -> None:
    """Write the book's sources into ``src``: its files, the executed pages, the Changes page, vendored scripts,
    downloads."""
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

    with writing(src / "_config.yml"):
        (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    export_downloads(src / "_static" / "downloads")  # makes the folder afresh: the charts' files go in after
    write_bibliography(src / "references.bib")
    write_changes(src / "chapters" / "pages" / "changes.md", src / "_static" / "downloads", record)
    charts = src / "_static" / "downloads" / "charts"
    keys = _staged_keys([job.page for job in jobs])
    for job in jobs:
        _stage_page(job.page, src / "chapters" / "pages" / f"{job.page}.ipynb", charts, keys[job.page])
    _prune_staged_pages(keys)


def _staged_keys(pages: list[str]) -> dict[str, str]:
    """What each page's staged form is made from: its executed notebook and the code that post-processes it."""
    code = files_of(closure(STAGING_MODULES))
    return {page: digest_files([EXECUTED / f"{page}.ipynb", *code], ROOT).hex() for page in pages}


def _stage_page(page: str, staged: Path, charts: Path, key: str | None = None) -> None:
    """Write a page's staged notebook (its data-made headings as real sections, sections.py) and the files its
    charts carry (CSV, SVG, PNG, taken out of the notebook into ``charts``; chart.py). Both are kept in
    ``STAGED_PAGES`` by what they are made from (``key``, the page's ``_staged_keys``, worked out here when not
    given), so a page that did not run again is not processed again."""
    from icebook.pages.chartfiles import ship_files
    from icebook.pages.sections import split_file

    kept = STAGED_PAGES / f"{page}-{(key or _staged_keys([page])[page])[:16]}"
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


def _prune_staged_pages(keys: dict[str, str]) -> None:
    """Drop the staged forms of pages no job has now (``keys``: each page's ``_staged_keys``)."""
    wanted = {f"{page}-{key[:16]}" for page, key in keys.items()}
    for folder in STAGED_PAGES.iterdir():
        if folder.name not in wanted:
            shutil.rmtree(folder)


def export_downloads(out: Path) -> None:
    from icebook.data.export import export
    from icebook.data.loader import validated

    export(validated(), out)


def write_changes(path: Path, package: Path, record: dict) -> None:
    """The Changes page: this edition's data package (``package``, just exported) against the last published
    edition's, which the publish step kept (editions.py)."""
    from icebook.data.changes import compare_packages
    from icebook.pages.changes import EditionNote, page

    previous = Edition(**record["compared_with"]) if record["compared_with"] else None
    note = EditionNote(record["data_version"], *(
        (previous.data_version, previous.commit, previous.published) if previous else ()))
    changes = compare_packages(previous.package(), package) if previous else None
    path.write_text(page(note, changes), encoding="utf-8")


def write_bibliography(path: Path) -> None:
    """references.bib, written from the source registry (the book has no other copy of it)."""
    from icebook.data.loader import book
    from icebook.sphinx.bibliography import bibliography

    with writing(path):
        path.write_text(bibliography(book().sources), encoding="utf-8")


def run_jupyter_book(stage: Path, sphinx: SphinxChild | None) -> Path:
    """Build the staged book over the environment the last build kept; ``building`` marks a run under way.
    jupyter-book runs in a child that imported it while the pages ran (sphinx_child.py); in plain mode
    (no child) it is the ``jupyter-book`` command, building afresh (plain.py)."""
    out = stage / "out"
    arguments = ["build", str(stage / "src"), "--path-output", str(out), "--builder", "html", "-W", "-n",
                 "--keep-going", "-q"]
    step.now = "building the site with jupyter-book"
    unfinished = stage / "building"
    unfinished.touch()
    if sphinx is None:
        shutil.rmtree(out, ignore_errors=True)
        command = [str(Path(sys.executable).with_name("jupyter-book")), *arguments]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        code, output = done.returncode, done.stdout + done.stderr
    else:
        sphinx.start(arguments)
        ready_checks()  # on the core Sphinx leaves free
        code, output = sphinx.wait()
    if code == 0:
        unfinished.unlink()
    else:
        log = output.strip().splitlines()
        relevant = [line for line in log if "WARNING" in line or "ERROR" in line or "Error" in line]
        raise BuildError("jupyter-book build failed (warnings are errors):\n"
                         + "\n".join(f"  {line}" for line in (relevant or log)[-40:]))
    return out / "_build" / "html"
