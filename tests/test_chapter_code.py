"""No chapter names a source id: which source a page draws on comes from the data (the facts it shows, the
records it lists), so a source added or renamed in data/ needs no edit to a chapter."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest
import yaml

from icebook.build.params import chapter_notebooks

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
SOURCE_IDS = [record["id"] for record in yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))]


def named_source_ids(text: str, ids: list[str]) -> list[str]:
    """The source ids a text names, alone or as the start of a fact id ("oig2013", "ar2020-arrests")."""
    return [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?!\w)", text)]


def test_the_check_finds_a_source_id_in_code():
    code = 'caseloads = facts[facts["source"] == "oig1751"]\nfact("ar2020-arrests")'
    assert named_source_ids(code, ["oig1751", "ar2020", "oig2013"]) == ["oig1751", "ar2020"]
    assert named_source_ids("soig1751 or oig17510", ["oig1751"]) == []


@pytest.mark.parametrize("notebook", chapter_notebooks(), ids=lambda p: p.name)
def test_no_cell_of_a_chapter_names_a_source_id(notebook: Path):
    assert len(SOURCE_IDS) >= 5
    cells = jupytext.read(notebook).cells
    named = {f"cell {n}": found for n, cell in enumerate(cells) if (found := named_source_ids(cell.source, SOURCE_IDS))}
    assert named == {}, f"{notebook.name}: cells naming source ids (take them from the data): {named}"


def test_no_other_chapter_file_names_a_source_id():
    files = [p for p in CHAPTERS.iterdir() if p.is_file() and p.suffix in {".md", ".py", ".yml"}
             and p not in chapter_notebooks()]
    assert files
    named = {p.name: found for p in files if (found := named_source_ids(p.read_text(encoding="utf-8"), SOURCE_IDS))}
    assert named == {}
