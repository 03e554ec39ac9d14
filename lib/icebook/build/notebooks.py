"""Chapters as text: each chapter is a MyST Markdown notebook (jupytext's ``md:myst`` format, as the QuantEcon
lecture books keep theirs), and this module is the one place that reads one.

The build runs the notebook ``read_chapter`` makes, in memory (papermill takes it as it is, parameters
injected after the cell tagged ``parameters``); the parameter check and lineage read only a chapter's code
cells (``code_cells``), kept in ``_build/cache/`` by the chapter's text, so that a build with nothing to do
does not import jupytext.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from icebook.core import yamlio
from icebook.core.cache import cached_object
from icebook.core.errors import BuildError
from icebook.core.paths import ROOT

if TYPE_CHECKING:
    import nbformat

FORMAT = "md:myst"
_FENCE = re.compile(r"(`{3,})\{code-cell\}")


class CodeCell(NamedTuple):
    """A chapter's code cell: its source and its tags (``parameters``, ``remove-input`` …)."""

    source: str
    tags: tuple[str, ...]


def _where(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _unreadable(path: Path, why: str) -> BuildError:
    return BuildError(f"{_where(path)} is not a readable text notebook ({why}); restore it with git, or fix it "
                      "as a MyST Markdown notebook (front matter with a kernelspec, code in ```{code-cell} blocks)")


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise _unreadable(path, f"not UTF-8: {error}") from None


def _unclosed_cell(text: str) -> int | None:
    """The line of a code cell's opening fence that no fence closes, if any."""
    opened: tuple[int, str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if opened is None:
            if match := _FENCE.match(line):
                opened = (number, match[1])
        elif line.strip() == opened[1]:
            opened = None
    return opened[0] if opened else None


def _front_matter_problem(text: str) -> str | None:
    """What the book's strict YAML loader (core/yamlio.py) refuses in a chapter's front matter, if anything:
    jupytext reads it with PyYAML, which keeps the last of two keys and takes tags and aliases."""
    if not text.startswith("---\n") or (end := text.find("\n---", 3)) < 0:
        return None  # no front matter: jupytext's reading says so
    try:
        yamlio.load("\n" + text[4:end + 1])  # a line first, so the loader's line numbers are the file's
    except yamlio.YAMLProblem as error:
        return f"front matter: {error}"
    return None


def read_chapter(path: Path) -> nbformat.NotebookNode:
    """A chapter as a notebook. Its cells get ids from the chapter's name and their place (``home-3``), so the
    same text always makes the same notebook."""
    import jupytext

    text = _text(path)
    if (line := _unclosed_cell(text)) is not None:
        raise _unreadable(path, f"the code cell opened at line {line} is not closed")
    if (problem := _front_matter_problem(text)) is not None:
        raise _unreadable(path, problem)
    try:
        notebook = jupytext.reads(text, fmt=FORMAT)
    except Exception as error:  # noqa: BLE001 - jupytext raises what its YAML and Markdown parsers raise
        raise _unreadable(path, f"{type(error).__name__}: {error}") from None
    if "kernelspec" not in notebook.metadata:
        raise _unreadable(path, "its front matter names no kernelspec")
    for n, cell in enumerate(notebook.cells):
        cell.id = f"{path.stem}-{n}"
    return notebook


def _reader_version() -> bytes:
    """The installed jupytext's version file, found without importing jupytext or importlib.metadata (a build
    with nothing to do reads the chapters' cells from the cache and imports neither)."""
    spec = importlib.util.find_spec("jupytext")
    origin = Path(spec.origin) if spec and spec.origin else None
    return origin.with_name("version.py").read_bytes() if origin else b"no jupytext"


def code_cells(path: Path) -> list[CodeCell]:
    """A chapter's code cells, in order, kept by the chapter's text and the code that reads it."""

    def make() -> list[CodeCell]:
        return [CodeCell(cell.source, tuple(cell.metadata.get("tags", [])))
                for cell in read_chapter(path).cells if cell.cell_type == "code"]

    inputs = _reader_version() + Path(__file__).read_bytes() + path.read_bytes()
    return cached_object("chapter-cells", inputs, make)
