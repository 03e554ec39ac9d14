"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE_PAGES = ROOT / "_build" / "html" / "chapters" / "pages"
PROJECT = ["lib", "chapters", "data", "_static", "_config.yml", "_toc.yml", "requirements.lock"]


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


def built_page(name: str) -> str:
    """The HTML of a page of the built site (``_build/html/chapters/pages/NAME.html``). Without a built site the
    test is skipped, but not in CI, where the build runs before the tests: there a missing page fails it."""
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
