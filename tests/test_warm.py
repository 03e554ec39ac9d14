"""Warm kernels (warm.py): a page's kernel is forked from the build with the chapters' imports done, yet
starts with no data loaded and notes every read, as a fresh kernel does; a cell past its time limit still
stops, and no kernel outlives its page."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from icebook.running import CellTimeout, Worker
from icebook.warm import forkable, warm


def notebook(tmp_path: Path, *cells: str) -> Path:
    path = tmp_path / "page.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def run(tmp_path: Path, path: Path, cell_timeout: int = 60) -> tuple[bool, object]:
    worker = Worker(path, tmp_path / "out.ipynb", {}, tmp_path, tmp_path / "cell", tmp_path / "reads", cell_timeout)
    try:
        while (outcome := worker.result()) is None:
            time.sleep(0.05)
        return outcome
    finally:
        worker.stop()


def outputs(tmp_path: Path) -> list[str]:
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    return [o.get("text", "") for c in nb.cells for o in c.get("outputs", [])]


def test_the_kernel_starts_with_the_builds_imports_done(tmp_path):
    warm()
    cell = ("import sys\nprint('altair' in sys.modules, 'icebook.chart' in sys.modules, "
            "'-m ipykernel_launcher -f' in open('/proc/self/cmdline').read())")
    ok, value = run(tmp_path, notebook(tmp_path, cell))
    assert ok, value
    # A kernel started afresh would have imported neither yet; `ps` shows the kernel as the command it stands for.
    assert outputs(tmp_path) == ["True True True\n"]


def test_the_kernel_forgets_the_builds_data_and_notes_its_own_reads(tmp_path):
    from icebook.data import book

    assert not book().facts.empty  # the build has read the facts (noted in its own record of reads)
    ok, value = run(tmp_path, notebook(tmp_path, "from icebook import book\nlen(book().facts)"))
    assert ok, value
    assert "facts" in (tmp_path / "reads").read_text().split("\n")


def test_a_cell_past_its_limit_stops_and_its_kernel_ends(tmp_path):
    ok, error = run(tmp_path, notebook(tmp_path, "x = 1", "import os, time\nprint(os.getpid(), flush=True)\n"
                                                          "time.sleep(120)"), cell_timeout=3)
    assert not ok and isinstance(error, CellTimeout) and error.cell.number == 2
    leftovers = [p for p in psutil.Process().children(recursive=True) if p.status() != psutil.STATUS_ZOMBIE]
    assert leftovers == []


@pytest.mark.parametrize(("cmd", "expected"), [
    ([sys.executable, "-m", "ipykernel_launcher", "-f", "/tmp/k.json"], True),
    (["/usr/bin/python3.9", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"], False),  # another interpreter
    ([sys.executable, "-m", "other_kernel", "-f", "/tmp/k.json"], False),
    (["R", "--slave", "-e", "IRkernel::main()", "--args", "/tmp/k.json"], False),
])
def test_only_this_interpreters_ipykernel_is_forked(cmd, expected):
    assert forkable(cmd) is expected
