"""Faults a maintainer will hit, planted in a copy of the project: each checks the exit code,
the message, and that the published site is byte-identical afterwards.

Two builds at once, a build stopped by SIGTERM, Ctrl-C or kill -9 (no process left behind),
a read-only or full _build, damaged caches, and every rule of the analyst's --out.
"""

from __future__ import annotations

import csv
import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from conftest import append_cell, build
from test_build import Edit, executed, readable_site, site_digest

pytestmark = pytest.mark.slow
STARTED = "hanging-cell-started"  # the file the hanging cell writes in the project when the kernel runs it


@pytest.fixture
def project(built_project: Path) -> Path:
    """This test's own built copy of the project (conftest's ``built_project``)."""
    return built_project


def _run(root: Path, *args: str, cwd: Path | None = None, env: dict | None = None,
         **popen) -> subprocess.CompletedProcess:
    env = env or {**os.environ, "PYTHONPATH": str(root / "lib")}
    return subprocess.run([sys.executable, "-m", "icebook", *args], cwd=cwd or root, env=env,
                          capture_output=True, text=True, timeout=900, **popen)


def _start(root: Path, deaf: bool = False) -> subprocess.Popen:
    """A build in the background, in its own session as a terminal would run it (``deaf``: started by a process
    that ignores and blocks SIGINT, which the build inherits)."""
    env = {**os.environ, "PYTHONPATH": str(root / "lib")}

    def deafen() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

    return subprocess.Popen([sys.executable, "-m", "icebook", "build"], cwd=root, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=deafen if deaf else None)


def _kernel_running(build_process: subprocess.Popen, project: Path, limit: float = 120) -> list[psutil.Process]:
    """Wait until the build's kernel runs the hanging cell; return every process under the build."""
    deadline = time.monotonic() + limit
    while not (project / STARTED).exists():
        assert build_process.poll() is None, build_process.communicate()
        assert time.monotonic() < deadline, "no kernel ran the hanging cell"
        time.sleep(0.1)
    return psutil.Process(build_process.pid).children(recursive=True)


def _ended(processes: list[psutil.Process], limit: float = 30) -> list[str]:
    """Wait until every process has ended (or been left a zombie); return those still running after ``limit``."""
    deadline = time.monotonic() + limit
    while (alive := _left_running(processes)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def _left_running(processes: list[psutil.Process]) -> list[str]:
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{process.pid} {' '.join(_cmdline(process))[:100]}")
        except psutil.NoSuchProcess:
            pass
    return alive


def _hanging_home(project: Path) -> Edit:
    """The home page's chapter with a last cell that says it started, then never returns."""
    edit = Edit(project / "chapters" / "home.md")
    started = project / STARTED
    append_cell(edit.path, nbformat.v4.new_code_cell(f"import pathlib\nimport time\n\npathlib.Path({str(started)!r})"
                                                     ".touch()\ntime.sleep(600)"))
    return edit


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_a_second_build_is_refused_naming_the_first_and_sigterm_stops_the_first(project: Path):
    before = site_digest(project)
    with _hanging_home(project):
        first = _start(project)
        below = _kernel_running(first, project)
        second = build(project)
        assert second.returncode == 3, second.stderr
        assert f"another build is running on {project / '_build'} (pid {first.pid}, started " in second.stderr
        first.send_signal(signal.SIGTERM)
        _, stderr = first.communicate(timeout=60)
    assert first.returncode == 143, stderr
    assert stderr.strip().splitlines()[-1] == ("stopped by SIGTERM while running notebooks (home); "
                                               "the published site was left as it was")
    assert "Traceback" not in stderr
    assert _ended(below) == []
    assert site_digest(project) == before


@pytest.mark.parametrize("deaf", [False, True], ids=["terminal", "parent-ignoring-sigint"])
def test_ctrl_c_prints_one_line_naming_what_was_interrupted_and_leaves_no_process(project: Path, deaf: bool):
    before = site_digest(project)
    with _hanging_home(project):
        first = _start(project, deaf)
        below = _kernel_running(first, project)
        os.killpg(first.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole foreground group
        _, stderr = first.communicate(timeout=60)
    assert first.returncode == 130, stderr
    *before_it, last = stderr.strip().splitlines()
    assert last == "interrupted while running notebooks (home); the published site was left as it was", stderr
    assert [line for line in before_it if line and not line.startswith("re-running home: ")] == [], stderr  # why it ran
    assert _ended(below) == []
    assert site_digest(project) == before


def test_kill_9_leaves_no_orphan_and_the_next_build_clears_its_lock(project: Path):
    before = site_digest(project)
    with _hanging_home(project):
        first = _start(project)
        below = _kernel_running(first, project)
        assert below, "the build started no worker"
        first.kill()
        first.wait(timeout=30)
        assert _ended(below) == []
        assert site_digest(project) == before
    after = build(project)
    assert after.returncode == 0, after.stderr
    assert f"note: cleared the lock left by a build that did not finish (pid {first.pid}, started " in after.stderr
    assert site_digest(project) == before


def test_read_only_build_folder_is_one_message_and_the_site_stays(project: Path):
    before = site_digest(project)
    record = project / "_build" / "html.json"
    with Edit(record):
        record.unlink()  # so the build goes on to build the site (in the kept stage) and publish it
        subprocess.run(["chattr", "+i", str(project / "_build")], check=True)
        try:
            result = build(project)
        finally:
            subprocess.run(["chattr", "-i", str(project / "_build")], check=True)
    assert result.returncode == 1, result.stderr
    assert (f"error: cannot write {project / '_build' / 'html.new'} (Operation not permitted): is _build/ "
            "read-only, or the disk full?\nThe published site was left as it was.") in result.stderr
    assert "Traceback" not in result.stderr
    assert site_digest(project) == before


def _small_disk() -> None:
    """In the child: files may not grow past 64 KiB, as on a full disk (the write fails, no signal)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_full_disk_is_one_message_and_the_site_stays(project: Path):
    before = site_digest(project)
    record = project / "_build" / "html.json"
    with Edit(record):
        record.unlink()
        result = _run(project, "build", preexec_fn=_small_disk)
    assert result.returncode == 1, result.stderr
    assert "error: cannot write " in result.stderr
    assert "(File too large): is _build/ read-only, or the disk full?" in result.stderr
    assert f"cannot write {project / '_build'} (" not in result.stderr  # the file is named, not only the folder
    assert "Traceback" not in result.stderr
    assert site_digest(project) == before


def test_a_sphinx_warning_fails_the_build_naming_it_and_the_site_stays(project: Path):
    """jupyter-book runs in a child forked by the build (sphinx_child.py): its warnings still fail the build,
    quoted in the message, and the site stays as it was."""
    before = site_digest(project)
    page = project / "chapters" / "glossary.md"
    with Edit(page):
        page.write_text(page.read_text() + "\nSee {ref}`no-such-label-for-the-test`.\n")
        result = build(project)
    assert result.returncode == 1, result.stderr
    assert "error: jupyter-book build failed (warnings are errors):" in result.stderr
    assert "WARNING" in result.stderr and "no-such-label-for-the-test" in result.stderr
    assert "The published site was left as it was." in result.stderr
    assert site_digest(project) == before


def test_damaged_executed_notebook_is_run_again_with_one_line(project: Path):
    notebook = project / "_build" / "executed" / "oversight.ipynb"
    notebook.write_bytes(notebook.read_bytes()[:1000])
    before = readable_site(project)
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("_build/executed/oversight.ipynb") == 1
    assert "note: _build/executed/oversight.ipynb is damaged or was changed by hand; running it again" in result.stderr
    assert executed(result)[0] == 1
    assert readable_site(project) == before


@pytest.mark.long
def test_unreadable_site_record_then_manifest_are_treated_as_absent(project: Path):
    before = readable_site(project)
    (project / "_build" / "html.json").write_text("[1, 2]")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("note:")] == [
        "note: _build/html.json is not a JSON object; treating it as absent"]
    assert executed(result)[0] == 0  # the site is rebuilt from the executed pages, none re-run
    (project / "_build" / "executed" / "manifest.json").write_bytes(b"\xff\xfe{\x00broken")
    result = build(project)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and notes[0].startswith("note: _build/executed/manifest.json is unreadable (")
    assert notes[0].endswith("); treating it as absent")
    assert "Traceback" not in result.stderr
    assert readable_site(project) == before
    assert build(project).returncode == 0


def test_analyst_out_is_resolved_from_the_callers_directory_and_one_fan_out_value_runs_one_page(
        project: Path, tmp_path: Path):
    before = site_digest(project)
    result = _run(project, "build", "--only", "profiles", "-p", "component=ERO", "--out", "mine/ero",
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "mine" / "ero").glob("*.ipynb"))
    assert written == ["profile-ero.ipynb"]
    notebook = tmp_path / "mine" / "ero" / "profile-ero.ipynb"
    assert f"profile-ero: {notebook} with {{'component': 'ERO'}}" in result.stdout
    assert site_digest(project) == before
    _check_analyst_page(project, notebook, result.stdout)


def _check_analyst_page(project: Path, notebook: Path, stdout: str) -> None:
    """Beside the notebook: a page whose traced numbers lead to the published fact index, and a CSV
    with one row per figure shown, each row the fact's own value from data/."""
    from bs4 import BeautifulSoup

    from icebook.data.loader import load

    page, table = notebook.with_suffix(".html"), notebook.with_name(notebook.stem + ".figures.csv")
    assert f"page to open in a browser: {page}" in stdout and f"every figure it shows, with fact ids: {table}" in stdout
    soup = BeautifulSoup(page.read_text(), "html.parser")
    assert soup.h1.get_text() == "Enforcement and Removal Operations (ERO)"
    assert soup.select("figure.icebook-chart script.chart-spec")
    for needed in [s["src"] for s in soup.select("script[src]")] + [i["src"] for i in soup.select("img.chart-static")]:
        assert (page.parent / needed).is_file(), needed
    links = soup.select("a.fact[href]")
    index = (page.parent / links[0]["href"].split("#")[0]).resolve()
    assert index.parent == (project / "_build" / "html" / "chapters" / "pages").resolve()
    assert index.name.startswith("facts-") and index.exists()
    facts = load(project / "data").facts
    rows = list(csv.DictReader(table.open()))
    shown = [link["href"].split("#")[1] for link in links]
    assert [r["id"] for r in rows if r["kind"] == "fact"] == list(dict.fromkeys(shown))
    for row in rows:
        if row["kind"] == "fact":
            assert float(row["value"]) == facts.at[row["id"], "value"]
            assert int(row["times_shown"]) == shown.count(row["id"])


@pytest.mark.parametrize("out, cwd", [("_build/executed", "."), ("_build/html", "."), ("html", "_build"),
                                      ("_build/analysis/../stage", ".")])
def test_analyst_out_inside_build_is_refused(project: Path, out: str, cwd: str):
    before, caches = site_digest(project), _tree_digest(project / "_build" / "executed")
    result = _run(project, "build", "--only", "home", "--out", out, cwd=project / cwd)
    assert result.returncode == 2, result.stderr
    assert f"error: --out {out}: " in result.stderr
    assert "is inside _build/, which holds the published site and its caches" in result.stderr
    assert site_digest(project) == before
    assert _tree_digest(project / "_build" / "executed") == caches


def test_parameters_without_a_chapter_are_refused(project: Path):
    result = build(project, "-p", "component=HSI")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: -p sets a chapter's parameters in analyst mode: add --only CHAPTER"


class _Planted:
    """A pickle that, when loaded, writes a file: what a crafted cache entry could do."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (self.path, "code from the cache ran"))


def test_a_crafted_pickle_in_the_cache_is_refused_and_never_runs(project: Path, tmp_path: Path):
    """Every pickle under _build/cache replaced by one that would write a file when loaded: the build and its
    pages' kernels refuse them unread (their seal is not the cache's), make them again, and publish as before."""
    import pickle

    before = site_digest(project)
    ran = tmp_path / "ran.txt"
    entries = sorted((project / "_build" / "cache").rglob("*.pickle"))
    assert entries, "no pickle in the cache to replace"
    for entry in entries:
        entry.write_bytes(pickle.dumps(_Planted(ran)))
    (project / "_build" / "html.json").unlink()  # so the build loads the data and runs Sphinx, not a no-op
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert not ran.exists()
    assert site_digest(project) == before


def test_a_damaged_published_site_is_built_again_to_the_clean_site(project: Path):
    """A page deleted, another edited and a file added inside _build/html: the next build says so in one line and
    publishes the site a clean build gives, byte for byte; the build after that has nothing to do."""
    from test_build import _published_files

    assert build(project).returncode == 0
    clean = _published_files(project)
    site = (project / "_build" / "html").resolve()
    (site / "chapters" / "glossary.html").unlink()
    (site / "index.html").write_text("edited by hand")
    (site / "planted.html").write_text("<script>alert(1)</script>")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("note:")] == [
        "note: the published site was changed after it was built (3 file(s): changed index.html, missing "
        "chapters/glossary.html, not built: planted.html); building it again"]
    assert executed(result)[0] == 0
    assert _published_files(project) == clean
    assert "nothing changed since the published site" in build(project).stdout


def test_analyst_out_that_holds_other_files_is_refused_and_left_alone(project: Path, tmp_path: Path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "home.html").write_text("my own notes")
    before, site = _tree_digest(mine), site_digest(project)
    result = _run(project, "build", "--only", "home", "--out", str(mine), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        f"error: --out {mine}: {mine} holds files that no analyst run wrote (it has no .icebook-analysis.json); "
        "the run would replace those of the same names. Give a new or empty folder, or one an earlier run wrote")
    assert _tree_digest(mine) == before and site_digest(project) == site


def test_analyst_out_that_is_the_home_folder_is_refused(project: Path, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    result = _run(project, "build", "--only", "home", "--out", "~", cwd=tmp_path,
                  env={**os.environ, "PYTHONPATH": str(project / "lib"), "HOME": str(home)})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (f"error: --out ~: {home} is your home folder; give a new or empty folder for "
                                     "the run")
    assert list(home.iterdir()) == []


def test_analyst_out_written_by_an_earlier_run_may_be_written_again(project: Path, tmp_path: Path):
    out = tmp_path / "run"
    for _ in range(2):
        result = _run(project, "build", "--only", "home", "--out", str(out), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".icebook-analysis.json", "charts", "home.figures.csv",
                                                     "home.html", "home.ipynb", "vendor"]
