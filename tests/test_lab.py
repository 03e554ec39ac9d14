"""Each chapter runs top to bottom in a fresh kernel, as JupyterLab runs it (its own kernelspec, the
chapters/ folder as working directory, its default parameters), and shows the same figures as the
published page made from it."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
PAGES = ROOT / "_build" / "html" / "chapters" / "pages"
FIGURE = re.compile(r'<a class="(?:fact|derived)" href="(?:fact-index|facts-[a-z0-9]+)\.html#([a-z0-9-]+)"')
pytestmark = [pytest.mark.slow, pytest.mark.build]


def _published_with_defaults() -> list[tuple[str, str]]:
    """(notebook, page) for each chapter, the page being the one made with the notebook's own defaults. A chapter
    fanned out over the sources with no default (the fact index's pages) lists the registry's first source when
    opened on its own (pages.factindex.listed_source): its page is that source's."""
    config = yaml.safe_load((CHAPTERS / "params.yml").read_text())["chapters"]
    first_source = next(iter(yaml.safe_load((ROOT / "data" / "sources.yaml").read_text())))["id"]
    out = []
    for chapter, entry in config.items():
        defaults = {name: spec.get("default") for name, spec in entry.get("parameters", {}).items()}
        fanned = entry.get("fan_out", {}).get("parameter")
        if fanned and defaults.get(fanned) is None and entry["parameters"][fanned].get("type") == "source":
            defaults[fanned] = first_source
        page = entry.get("page", chapter).format(**{k: str(v).lower() for k, v in defaults.items()})
        out.append((entry["notebook"], page))
    return out


@pytest.mark.parametrize("notebook, page", _published_with_defaults())
def test_chapter_runs_in_a_fresh_kernel_and_shows_the_published_figures(notebook: str, page: str):
    published = PAGES / f"{page}.html"
    if not published.exists():
        pytest.skip("no built site: run `make book` first")
    nb = jupytext.read(CHAPTERS / notebook)  # as JupyterLab opens it, with jupytext
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(CHAPTERS)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    shown = [m for c in nb.cells for o in c.get("outputs", [])
             for m in FIGURE.findall(o.get("data", {}).get("text/html", ""))]
    assert shown == FIGURE.findall(published.read_text())
