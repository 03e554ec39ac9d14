"""jupyter-book in a child process made ready while the pages run.

``jupyter-book build`` started as a new process spends most of a small rebuild importing Sphinx, MyST-NB,
the theme and the extensions (README, "Benchmarks", has the figures).
Here the build forks a child once its own imports are done (warm.py); the child imports those modules while
the pages' notebooks run, then waits. When the book is staged, the build tells it to go, and it runs
jupyter-book's own command (its click entry point, with the arguments the command line would give) in that
process, its output going to a file the build reads. Sphinx, its configuration and its output are the ones
the command gives; only the imports are done ahead.

The child never outlives the build: it waits on a pipe only the build writes to, so it ends when the build
is gone (end of file) or gives up on it (``close``), and Linux ends it when the build dies (kill -9). It
ignores Ctrl-C, which the build handles, as it handles the workers.
"""

from __future__ import annotations

import os
import signal
import tempfile
import traceback
from pathlib import Path

from icebook.build.procs import end_with_parent, exit_after, import_available, settle

# What a jupyter-book build of this book imports, the heaviest first; one missing from the list is imported
# when the build needs it, as the command would.
MODULES = ["jupyter_book.cli.main", "jupyter_book.sphinx", "sphinx.application", "sphinx.builders.html",
           "sphinx.search.en", "myst_nb.sphinx_ext", "myst_parser.sphinx_ext.main", "sphinx_book_theme",
           "pydata_sphinx_theme", "sphinxcontrib.bibtex", "sphinx_design", "sphinx_togglebutton",
           "sphinx_copybutton", "sphinx_comments", "sphinx_external_toc", "sphinx_jupyterbook_latex",
           "sphinx_multitoc_numbering", "sphinx_thebe", "sphinx.ext.intersphinx", "jupyter_cache", "linkify_it",
           "icebook.sphinx.offline", "icebook.sphinx.incremental", "icebook.sphinx.bibliography",
           # what the extensions above load only when Sphinx sets them up
           "sphinx_design.extension", "sphinx.ext.mathjax", "sphinx.ext.doctest", "sphinx_external_toc.events",
           "sphinx_jupyterbook_latex.events", "myst_nb.ext.glue.directives", "myst_nb.ext.execution_tables",
           "sphinxcontrib.bibtex.style.referencing.author_year", "sphinxcontrib.bibtex.style.referencing.foot"]
GO = b"g"
# The CSS selectors pydata_sphinx_theme looks up in every written page's navigation (its toctree.py: select, then
# select_one). soupsieve compiles a selector the first time it is used and keeps it: used once here, before the
# build says go, they cost the build nothing. A selector the theme no longer uses costs only its compilation.
THEME_SELECTORS = ["li", "li.toctree-l0 > details", ".toc-h1", ".toc-h2"]
THEME_SELECTORS_ONE = ["details > a.reference", "details > p.caption"]


def import_sphinx() -> None:
    """Import what a jupyter-book build of this book imports: ``MODULES``, then the extensions every Sphinx
    application loads as it starts (Sphinx's own list, ``sphinx.application.builtin_extensions``)."""
    import_available(MODULES)
    _compile_theme_selectors()
    try:
        from sphinx.application import builtin_extensions
    except ImportError:  # a Sphinx without the list: its application imports them when it starts
        return
    import_available(builtin_extensions)


def _compile_theme_selectors() -> None:
    """Use each of the theme's selectors once, on a page parsed as the theme parses its navigation."""
    try:
        from bs4 import BeautifulSoup
    except ImportError:  # the theme would fail the same way, where the build reports it
        return
    soup = BeautifulSoup("", "html.parser")
    for selector in THEME_SELECTORS:
        soup.select(selector)
    for selector in THEME_SELECTORS_ONE:
        soup.select_one(selector)


class SphinxChild:
    """A forked process that has imported jupyter-book and waits to run one build (``run``)."""

    def __init__(self) -> None:
        self.output = Path(tempfile.mkstemp(prefix="icebook-sphinx-", suffix=".log")[1])
        parent = os.getpid()
        read, self._go = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(self._go)
            self._child(parent, read)
        os.close(read)

    def _child(self, parent: int, read: int) -> None:
        def wait_then_build() -> int:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            end_with_parent(parent)
            quiet = os.open(os.devnull, os.O_WRONLY)  # until told to go, nothing of the child's is output
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            import_sphinx()
            settle()  # what it imported is not garbage: Sphinx's collections need not walk it
            with os.fdopen(read, "rb") as pipe:
                told = pipe.read(1)
                arguments = pipe.read().decode().split("\0") if told == GO else []
            if told != GO:  # the build ended, or no longer needs Sphinx
                return 0
            log = os.open(self.output, os.O_WRONLY | os.O_TRUNC)
            os.dup2(log, 1)
            os.dup2(log, 2)
            return _jupyter_book(arguments)

        exit_after(wait_then_build)

    def run(self, arguments: list[str]) -> tuple[int, str]:
        """Run ``jupyter-book`` with these arguments in the child; its exit code and output."""
        self.start(arguments)
        return self.wait()

    def start(self, arguments: list[str]) -> None:
        """Tell the child to run ``jupyter-book`` with these arguments; ``wait`` for the outcome."""
        os.write(self._go, GO + "\0".join(arguments).encode())
        os.close(self._go)
        self._go = -1

    def wait(self) -> tuple[int, str]:
        """The exit code and output of the run ``start`` began, once it has ended."""
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        code = os.waitstatus_to_exitcode(status)
        return code, self.output.read_text(errors="replace")

    def close(self) -> None:
        """End the child if it has not run, and remove its output file."""
        if self._go >= 0:
            os.close(self._go)
            self._go = -1
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
        self.output.unlink(missing_ok=True)


def _jupyter_book(arguments: list[str]) -> int:
    """jupyter-book's command line, run in this process: its exit code, as the command would give it."""
    from jupyter_book.cli.main import main

    try:
        main(arguments, standalone_mode=False)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # the command would print the traceback and fail
        traceback.print_exc()
        return 1
    return 0
