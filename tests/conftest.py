"""Fixtures shared by the test modules, and the guard that keeps each test in its tier.

The tiers (``bin/test`` runs them in this order, each selected by its marker):

- fast: no marker. Unit and data tests: no build, no built site, no browser.
- ``build``: reads the site the build stage made (``built_page``); builds nothing itself.
- ``slow``: builds a copy of the book (``built_project``), or runs chapters in kernels.
- ``browser``: drives Chromium.

The browser tier's shared fixtures are here, so that each test process starts one Chromium and serves the site once
(``server``, ``browser``), and loads a page at a width once for every check that only reads it (``shown``).

A test that builds the book, reads the built site or starts a browser without its tier's marker fails, whatever
tier it runs in.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import jupytext
import nbformat
import pytest
from playwright.sync_api import BrowserType

from icebook.build.lock import BuildLock
from treecopy import TreeCopy

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SITE_PAGES = SITE / "chapters" / "pages"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PROJECT = ["lib", "chapters", "data", "_static", "_templates", "_config.yml", "_toc.yml", "requirements.lock"]
TIERS = {"build", "slow", "browser"}
_marks: set[str] = set()  # the tier markers of the test running now


_builds: list[tuple[Path, float]] = []  # (project, when) of each build command an unmarked test started


def _starts_a_build_or_browser(args: object, options: dict) -> str | None:
    """What a command line would start that only a marked test may: jupyter-book, or Chromium. A build or the
    preview is noted, and found out afterwards if it took its project's build lock (a command refused before
    it builds, as the command-line tests' are, is fine)."""
    words = [str(a) for a in args] if isinstance(args, list | tuple) else str(args).split()
    if "icebook" in words and {"build", "preview"} & set(words) and "slow" not in _marks:
        env = options.get("env") or os.environ
        _builds.append((Path(env.get("ICEBOOK_ROOT") or options.get("cwd") or os.getcwd()), time.time()))
    if any(Path(w).name in ("jupyter-book", "sphinx-build") for w in words) and "slow" not in _marks:
        return "runs jupyter-book: mark it @pytest.mark.slow"
    if words and "chromium" in Path(words[0]).name and "browser" not in _marks:
        return "starts Chromium: mark it @pytest.mark.browser"
    return None


def _built(item: pytest.Item) -> None:
    """Fail a test that started a build which took its project's lock, without the slow marker."""
    started, _builds[:] = list(_builds), []
    for root, when in started:
        lock = root / "_build" / "build.lock"
        if lock.exists() and lock.stat().st_mtime >= when - 1:
            pytest.fail(f"{item.nodeid} builds the book: mark it @pytest.mark.slow")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Around each test, its fixtures included: fail it when it does what its markers do not declare (see the
    module's docstring)."""
    _marks.update(TIERS & {m.name for m in item.iter_markers()})

    def refuse(what: str, marker: str) -> Callable:
        def refused(*args, **kwargs):
            pytest.fail(f"{item.nodeid} {what}: mark it @pytest.mark.{marker}")
        return refused

    popen = subprocess.Popen.__init__

    def guarded_popen(self, args, *more, **options):
        if (refused := _starts_a_build_or_browser(args, options)) is not None:
            pytest.fail(f"{item.nodeid} {refused}")
        popen(self, args, *more, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subprocess.Popen, "__init__", guarded_popen)
        if "slow" not in _marks:
            patch.setattr(BuildLock, "__enter__", refuse("builds the book in its own process", "slow"))
        if "browser" not in _marks:
            patch.setattr(BrowserType, "launch", refuse("starts a browser", "browser"))
        try:
            return (yield)
        finally:
            _marks.clear()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked long first, then those marked slow, each group in its random order (pytest-randomly shuffles
    before this hook): the slow tier's long tests (each builds the book cleanly, or re-runs many pages more than
    once) start at once on both test processes, and the browser tier's slow tests (the live preview, the analyst's
    page) on one while the other runs the rest, rather than either coming last while the other process has nothing
    left to do (bin/test keeps this order for xdist).

    And, in a test process of ``--dist loadgroup``, each test's xdist group put in its node id, as pytest-xdist 3.8
    means to: it sets ``item._nodeid``, which pytest 9 no longer reads (the id is ``item._id``), so without this
    every test is a group of its own: the tests of one page at one width are spread over both processes, and each
    slow-tier process builds test_new_source's module fixture."""
    items.sort(key=lambda item: (item.get_closest_marker("long") is None, item.get_closest_marker("slow") is None))
    if getattr(config.option, "loadgroup", False):
        for item in items:
            groups = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                             for mark in item.iter_markers("xdist_group")})
            if groups and not item.nodeid.endswith("@" + "_".join(groups)):
                item._id = type(item._id).parse(f"{item.nodeid}@{'_'.join(groups)}")


@pytest.fixture(autouse=True)
def no_unmarked_build(request: pytest.FixtureRequest):
    """After each test: a build it started that took its project's lock fails it unless it is marked slow."""
    _builds.clear()
    yield
    _built(request.node)


@pytest.fixture(scope="session")
def copy_project() -> Callable[[Path], Path]:
    """A function that copies the project's sources into a folder (node_modules linked, not copied)."""

    def copy(root: Path) -> Path:
        for name in PROJECT:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, root / name)
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        return root

    return copy


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m icebook build ARGS`` in the project at ``root``, with that project's code."""
    env = {**os.environ, "PYTHONPATH": str(root / "lib")}
    result = subprocess.run([sys.executable, "-m", "icebook", "build", *args], cwd=root, env=env,
                            capture_output=True, text=True, timeout=900)
    if result.returncode:  # shown whole with a failing test's captured output, not cut short as in its assertion
        print(f"python -m icebook build {' '.join(args)} exited {result.returncode}; it printed:\n"
              f"{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def built_template(tmp_path_factory, copy_project) -> Path:
    """A copy of the project built once per test process (from this checkout's executed notebooks when the test
    command built them first), kept as the build left it. Tests never change it: see ``built_project``."""
    root = copy_project(_project_copy_folder(tmp_path_factory))
    if (ROOT / "_build" / "executed").exists():
        shutil.copytree(ROOT / "_build" / "executed", root / "_build" / "executed")
    _keep_an_earlier_edition(root)
    result = build(root)
    assert result.returncode == 0, result.stderr
    template = root.with_name("built-template")
    shutil.copytree(root, template, symlinks=True)
    return template


def _keep_an_earlier_edition(root: Path) -> None:
    """An edition published before the template's (its data package, under another data version), as a book that has
    been published once keeps: the template's Changes page then compares two editions, as every later one does.
    Without it the template is the book's first edition, and the first data edit a test makes turns its Changes page
    from the first edition's form into the compared one, with four more sections in the contents: every page is
    written again, whatever the edit."""
    editions = root / "_build" / "editions"
    env = {**os.environ, "PYTHONPATH": str(root / "lib")}
    subprocess.run([sys.executable, "-m", "icebook", "export", "--out", str(editions / "earlier")], cwd=root, env=env,
                   check=True, capture_output=True, timeout=300)
    (editions / "editions.json").write_text(json.dumps([
        {"data_version": "earlier", "commit": "unknown", "published": "2020-01-01"}]))


def _project_copy_folder(tmp_path_factory) -> Path:
    """Where this test process's tests get their built copy: always the same folder, where the template was built,
    because Sphinx's kept environment is valid only in the folder it was made in (elsewhere it reads every page)."""
    folder = tmp_path_factory.getbasetemp() / "book"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def _project_copy(built_template: Path, tmp_path_factory) -> TreeCopy:
    return TreeCopy(built_template, _project_copy_folder(tmp_path_factory))


@pytest.fixture
def built_project(_project_copy: TreeCopy) -> Path:
    """A built copy of the project for this test alone, as the last build left it (a rebuild has nothing to do):
    what one test changes, no other sees. The tests of one process run one at a time, so each puts back the
    copy the last one changed (treecopy.py: only what it changed is copied again)."""
    return _project_copy.restore()


def built_page(name: str) -> str:
    """The HTML of a page of the built site (``_build/html/chapters/pages/NAME.html``), for tests marked ``build``.
    Without a built site the test is skipped, but not in CI, where the build runs before the tests: there a missing
    page fails it."""
    if not _marks:
        pytest.fail("reads the built site: mark the test @pytest.mark.build")
    page = SITE_PAGES / f"{name}.html"
    if not page.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no built page {page.name} (in CI this is a failure, not a skip)")
        pytest.skip("no built site: run `make book` first")
    return page.read_text(encoding="utf-8")


def write_chapter(path: Path, *cells: nbformat.NotebookNode) -> Path:
    """A chapter as the book keeps one: a MyST Markdown text notebook (jupytext), with a kernelspec."""
    notebook = nbformat.v4.new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    jupytext.write(notebook, path, fmt="md:myst")
    return path


def append_cell(chapter: Path, cell: nbformat.NotebookNode) -> None:
    """Add a cell at the end of a chapter (a text notebook), as an edit in JupyterLab would."""
    notebook = jupytext.read(chapter)
    notebook.cells.append(cell)
    jupytext.write(notebook, chapter, fmt="md:myst")


def require_in_ci(condition: bool, why: str) -> None:
    """Skip the test when ``condition`` does not hold, but fail it in CI, where the set-up provides it."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why} (in CI this is a failure, not a skip)")
        pytest.skip(why)


@pytest.fixture(scope="session")
def server():
    """The built site (_build/html) served on 127.0.0.1, once per test process: its address."""
    require_in_ci((SITE / "index.html").exists(), "no built site: run `make book` first")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class Chromium:
    """Debian's Chromium for one test process. ``new_page`` and ``new_context`` are Playwright's ``Browser``'s (a
    page in a context of its own). ``tab`` lends a page of the process's one shared context, sized to a width, and
    ``give_back`` takes it back for the next ``tab``, blank: a page opened in a tab the site's pages were opened in
    before starts in the same renderer, with the scripts and styles already compiled, at a fraction of the cost of a
    new context's first page. What a page keeps for the next one (its local and session storage: the theme's sidebar
    scroll, a mode) is cleared as it is left, so each page opened in a tab starts as in a new one."""

    def __init__(self, browser):
        self.browser = browser
        self._context = None
        self._free: list = []

    def new_page(self, **options):
        return self.browser.new_page(**options)

    def new_context(self, **options):
        return self.browser.new_context(**options)

    def tab(self, width: int):
        if self._context is None:
            self._context = self.browser.new_context()
        page = self._free.pop() if self._free else self._context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.bring_to_front()  # a tab behind another is drawn at a lower priority
        return page

    def give_back(self, page) -> None:
        """Blank the page (what the site stored in the tab cleared as it is left) and keep it for the next ``tab``;
        a page that fails to go blank is closed instead."""
        try:
            page.evaluate("() => addEventListener('beforeunload', () => {"
                          " try { sessionStorage.clear(); localStorage.clear(); } catch (e) {} })")
            page.goto("about:blank")
        except Exception:
            page.close()
            return
        self._free.append(page)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once per test process (a ``Chromium``)."""
    require_in_ci(Path(CHROMIUM).exists(), "Debian's chromium is not installed (bin/ensure-debian chromium:chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield Chromium(browser)
        browser.close()


@pytest.fixture(scope="session")
def shown(request: pytest.FixtureRequest, server: str, browser):
    """A page of the site loaded at a width, every chart drawn: a ``test_site_browser.Visit`` with ``path`` and
    ``width``. Tests ask for it through ``test_site_browser.shown_at`` (an indirect parameter ``(path, width)``, in
    the xdist group of that page at that width): pytest runs the tests of one page and width one after another, and
    they share one load (the next page and width ends it). A test using it only reads the page, or puts back what
    it changed; a test that resizes the page, clicks or switches the theme opens its own ``Visit``."""
    from test_site_browser import Visit, drawn

    path, width = request.param
    with Visit(browser, f"{server}/{path}", width=width) as visit:
        visit.path, visit.width = path, width
        drawn(visit)
        yield visit
