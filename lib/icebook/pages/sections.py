"""Section headings made from data that Sphinx sees as real sections.

A heading a code cell prints (a measure, a report, a component) is only a rubric
to myst-nb: it is left out of the page's contents sidebar. So a chapter marks a
heading with :func:`heading`, and the build, when it stages an executed notebook,
splits the cell there: the outputs before it, a Markdown cell holding the heading
(with its anchor as a label), then the outputs after it in a cell of their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from IPython.display import display

MIME = "application/vnd.icebook.heading+json"
CONTINUED = "# continued after the heading above"  # myst-nb drops a code cell with no source, outputs and all
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def heading(text: str, anchor: str, level: int = 2) -> None:
    """Display a section heading that the build turns into a Markdown heading with this anchor."""
    display({MIME: {"text": text, "anchor": anchor, "level": level},
             "text/plain": f"{'#' * level} {text}"}, raw=True)


def markdown(text: str, anchor: str, level: int) -> str:
    """A heading in MyST Markdown with a label, its text escaped so it reads literally."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return f"({anchor})=\n{'#' * level} {escaped}"


def split_cells(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with each marked heading moved out of its code cell into a Markdown cell."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or not any(MIME in out.get("data", {}) for out in cell.get("outputs", [])):
            cells.append(cell)
            continue
        part, n = _continuation(cell, cell.source, cell.id), 0
        for output in cell.outputs:
            marker = output.get("data", {}).get(MIME)
            if marker is None:
                part.outputs.append(output)
                continue
            cells.append(part)
            n += 1
            cells.append(nbformat.v4.new_markdown_cell(
                markdown(marker["text"], marker["anchor"], int(marker["level"])), id=f"{cell.id}-h{n}"))
            part = _continuation(cell, CONTINUED, f"{cell.id}-c{n}")
        cells.append(part)
    notebook.cells = [c for c in cells if c.cell_type != "code" or c.outputs or c.source != CONTINUED]
    return notebook


def _continuation(cell: nbformat.NotebookNode, source: str, cell_id: str) -> nbformat.NotebookNode:
    """A code cell with the original's metadata (its tags hide its input) and no outputs yet."""
    part = nbformat.v4.new_code_cell(source, id=cell_id, metadata=dict(cell.metadata))
    part.execution_count = cell.get("execution_count")
    return part


def split_file(path: Path) -> None:
    """Rewrite a staged notebook with its marked headings as Markdown cells."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.write(split_cells(notebook), path)
