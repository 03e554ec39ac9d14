"""What a chapter's code may hold.

No chapter names a source id: which source a page draws on comes from the data (the facts it shows, the
records it lists), so a source added or renamed in data/ needs no edit to a chapter.

A chapter reads as an analysis: its parameters, the data it selects (pandas) and calls that draw and print.
The HTML a page shows is assembled in ``icebook.pages`` modules, so a chapter has no ``def`` or ``class``, no
cell longer than ``MAX_CELL_LINES`` lines and no HTML in its strings: every chapter, with no exceptions."""

from __future__ import annotations

import ast
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


MAX_CELL_LINES = 30
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def rule_breaks(code_cells: list[str]) -> list[str]:
    """What in a chapter's code cells breaks the rules, each named by its cell as Jupyter numbers it ([n])."""
    found = []
    for n, source in enumerate((s for s in code_cells if s.strip()), 1):
        lines = source.strip().splitlines()
        if len(lines) > MAX_CELL_LINES:
            found.append(f"cell [{n}] has {len(lines)} lines (at most {MAX_CELL_LINES})")
        tree = ast.parse("\n".join(line for line in lines if not line.lstrip().startswith(("%", "!"))))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                found.append(f"cell [{n}] defines {node.name!r} (line {node.lineno})")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and HTML_TAG.search(node.value):
                found.append(f"cell [{n}] has HTML in a string (line {node.lineno}): {HTML_TAG.search(node.value)[0]}")
    return found


def chapter_code(notebook: Path) -> list[str]:
    return [cell.source for cell in jupytext.read(notebook).cells if cell.cell_type == "code"]


def test_the_rules_find_a_def_a_long_cell_and_html():
    assert rule_breaks(["x = 1", "", "def helper():\n    return 1"]) == ["cell [2] defines 'helper' (line 1)"]
    assert rule_breaks(["\n".join(f"x{i} = {i}" for i in range(31))]) == ["cell [1] has 31 lines (at most 30)"]
    assert rule_breaks(['show(Markup("<p>{}</p>").format(x))']) == ["cell [1] has HTML in a string (line 1): <p>"]
    assert rule_breaks(['say(f"<a href=\'{href}\'>x</a>")'])[0].startswith("cell [1] has HTML in a string")
    assert rule_breaks(['rows = facts[facts["value"] < 5]', 'say("a < b and c > d")', "class Page: pass"]) == [
        "cell [3] defines 'Page' (line 1)"]


@pytest.mark.parametrize("notebook", chapter_notebooks(), ids=lambda p: p.name)
def test_a_chapter_is_parameters_selection_and_calls(notebook: Path):
    assert rule_breaks(chapter_code(notebook)) == [], (
        f"{notebook.name}: move helpers and HTML into an icebook.pages module; the chapter keeps its parameters, "
        "its pandas selection and the calls that draw and print")

