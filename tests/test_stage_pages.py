"""The build's staged pages (build._stage_page): a page's notebook is post-processed (sections.py splits its
data-made headings, chartfiles.py takes its charts' files out) once per executed notebook and code, and reused
while neither changes, with the same bytes and files."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import nbformat
import pytest

from icebook.build import stage as build
from icebook.core import modules
from icebook.pages import sections


def executed_page(path: Path, text: str) -> None:
    """An executed page with one chart output carrying a CSV, as chart.figure writes it."""
    payload = base64.b64encode(text.encode()).decode()
    html = f'<figure>{text}</figure><script type="application/x-icebook-file" data-name="c.csv">{payload}</script>'
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("show()", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": html})])]
    nbformat.write(nb, path)


@pytest.fixture
def staging(tmp_path: Path, monkeypatch) -> dict:
    """A project root in tmp_path with the executed page, the stage and a copy of the package, whose files the
    staged key is made from (core.modules.LIB)."""
    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.setattr(build, "EXECUTED", tmp_path / "executed")
    monkeypatch.setattr(build, "STAGED_PAGES", tmp_path / "stage" / "pages")
    shutil.copytree(modules.LIB, tmp_path / "lib" / "icebook", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(modules, "LIB", tmp_path / "lib" / "icebook")
    (tmp_path / "executed").mkdir()
    (tmp_path / "stage" / "pages").mkdir(parents=True)
    calls = []
    real = sections.split_file
    monkeypatch.setattr(sections, "split_file", lambda path: (calls.append(path), real(path)))
    return {"root": tmp_path, "calls": calls}


def stage(root: Path, n: int) -> tuple[bytes, bytes]:
    staged, charts = root / f"src{n}" / "page.ipynb", root / f"src{n}" / "charts"
    staged.parent.mkdir()
    build._stage_page("page", staged, charts)
    return staged.read_bytes(), (charts / "c.csv").read_bytes()


def test_a_page_is_processed_once_and_reused_until_its_executed_notebook_changes(staging: dict):
    root, calls = staging["root"], staging["calls"]
    executed_page(root / "executed" / "page.ipynb", "first")
    first = stage(root, 1)
    assert first[1] == b"first"
    assert b"x-icebook-file" not in first[0] and b"first" in first[0]  # the file left the notebook
    assert stage(root, 2) == first and len(calls) == 1  # reused: same bytes, not processed again
    executed_page(root / "executed" / "page.ipynb", "second")
    second = stage(root, 3)
    assert second[1] == b"second" and len(calls) == 2
    assert [p.name.split("-")[0] for p in (root / "stage" / "pages").iterdir()] == ["page", "page"]


def test_a_change_to_the_code_that_processes_pages_processes_them_again(staging: dict):
    root, calls = staging["root"], staging["calls"]
    executed_page(root / "executed" / "page.ipynb", "first")
    stage(root, 1)
    with (root / "lib" / "icebook" / "pages" / "chartfiles.py").open("a") as code:
        code.write("\n# edited\n")
    assert stage(root, 2)[1] == b"first" and len(calls) == 2
