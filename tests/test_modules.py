"""The code keys know the package's layout: every module a page can run is a hashed file, an import that
resolves to nothing fails loudly, and moving a module between subpackages re-runs what it should."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from conftest import write_chapter
from icebook.build import lineage
from icebook.build.execution import code_files
from icebook.build.params import chapter_notebooks
from icebook.core import cache, modules
from icebook.core.errors import BuildError

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = chapter_notebooks()
NO_RECORDS = SimpleNamespace(digest=lambda records: {})  # a page that read no records


def chapter(path: Path, code: str) -> Path:
    """A chapter with one code cell."""
    return write_chapter(path, nbformat.v4.new_code_cell(code))


@pytest.fixture
def package(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the package that the code keys read instead of the real one."""
    copy = tmp_path / "lib" / "icebook"
    shutil.copytree(modules.LIB, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(modules, "LIB", copy)
    modules.imports.cache_clear()
    yield copy
    modules.imports.cache_clear()


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_module_a_chapter_can_run_is_a_hashed_file(notebook: Path):
    names = lineage.module_closure(notebook)
    inputs = lineage.page_inputs(notebook, {}, [], [], names)
    hashed = {key.removeprefix("module ") for key, value in inputs.items() if key.startswith("module ")}
    assert hashed == set(names) and lineage.ABSENT not in inputs.values()
    assert len(modules.files_of(names)) == len(names)  # one file per module, none missing
    assert {"icebook", "icebook.data", "icebook.data.loader"} <= set(names)  # every chapter loads the data


def test_the_builds_own_modules_are_found_on_disk(package: Path):
    (package / "build" / "newstep.py").write_text('"""A step added to the build."""\n')
    assert "icebook.build.newstep" in lineage.build_modules()
    assert "icebook.core.paths" in lineage.build_modules()


def test_an_import_of_no_module_is_an_error_naming_the_chapter(tmp_path: Path):
    notebook = chapter(tmp_path / "broken.md", "from icebook.pages.nothing import fact")
    with pytest.raises(BuildError, match=r"chapter broken.md imports icebook.pages.nothing, which is no module"):
        lineage.module_closure(notebook)


def test_a_module_that_imports_no_module_is_an_error_naming_its_file(tmp_path: Path, package: Path):
    (package / "pages" / "fmt.py").write_text((package / "pages" / "fmt.py").read_text()
                                              + "\nfrom icebook.data.gone import x\n")
    notebook = chapter(tmp_path / "page.md", "from icebook.pages.fmt import fact")
    with pytest.raises(BuildError, match=r"lib/icebook/pages/fmt.py imports icebook.data.gone"):
        lineage.module_closure(notebook)


def test_moving_a_module_re_runs_the_pages_that_import_it(tmp_path: Path, package: Path, monkeypatch):
    """A page run before a module moved to another subpackage is stale afterwards (its recorded module is
    gone), and the page's new closure hashes the module at its new home."""
    monkeypatch.setattr(lineage, "ROOT", tmp_path)
    notebook = chapter(tmp_path / "page.md", "from icebook.pages.diagram import tree_diagram")
    before = lineage.module_closure(notebook)
    entry = {"reads": {"groups": [], "records": {}}, "modules": before, "records": {},
             "inputs": lineage.page_inputs(notebook, {}, [], [], before)}
    assert lineage.why_stale(entry, notebook, {}, [], NO_RECORDS) is None

    (package / "drawing").mkdir()
    (package / "drawing" / "__init__.py").write_text('"""Drawings."""\n')
    (package / "pages" / "diagram.py").rename(package / "drawing" / "diagram.py")
    assert lineage.why_stale(entry, notebook, {}, [], NO_RECORDS) == "changed: module icebook.pages.diagram"

    notebook = chapter(notebook, "from icebook.drawing.diagram import tree_diagram")
    after = lineage.module_closure(notebook)
    assert "icebook.drawing.diagram" in after and "icebook.pages.diagram" not in after
    assert package / "drawing" / "diagram.py" in modules.files_of(after)


def test_moving_a_module_changes_the_code_keys(package: Path, tmp_path: Path):
    """The data cache and the pages' job keys hash every file of every subpackage, by path."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    key, files = cache.data_key(data_dir), code_files()
    assert package / "pages" / "sections.py" in files
    (package / "pages" / "sections.py").rename(package / "build" / "sections.py")
    assert cache.data_key(data_dir) != key
    assert package / "build" / "sections.py" in code_files()


def test_the_flat_names_chapters_imported_are_the_same_modules():
    import icebook.fmt
    from icebook.chart import Chart

    import icebook.pages.fmt
    from icebook.pages.chart import Chart as Home

    assert icebook.fmt is icebook.pages.fmt and Chart is Home


def test_lineage_follows_a_flat_name_to_its_home(tmp_path: Path):
    names = lineage.module_closure(chapter(tmp_path / "page.md", "from icebook.fmt import fact"))
    assert "icebook.pages.fmt" in names


@pytest.mark.build
def test_the_manifest_records_dotted_module_names(tmp_path: Path):
    manifest = ROOT / "_build" / "executed" / "manifest.json"
    if not manifest.exists():
        pytest.skip("no build yet")
    entries = json.loads(manifest.read_text())
    recorded = {m for entry in entries.values() for m in entry["lineage"]["modules"]}
    assert recorded and all(m.startswith("icebook") and modules.module_file(m) for m in recorded)
