"""The entry point: ``book()`` follows edits to the data files without a restart."""

from __future__ import annotations

import shutil
from pathlib import Path

from icebook.data import loader as data

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_book_is_loaded_once_while_the_data_stay_the_same(tmp_path, monkeypatch):
    folder = shutil.copytree(GOOD, tmp_path / "data")
    monkeypatch.setattr(data, "DATA_DIR", folder)
    assert data.book() is data.book()


def test_book_notices_an_edited_data_file(tmp_path, monkeypatch):
    folder = shutil.copytree(GOOD, tmp_path / "data")
    monkeypatch.setattr(data, "DATA_DIR", folder)
    assert data.book().sources["sample"].title == "Sample Office Report"
    registry = folder / "sources.yaml"
    registry.write_text(registry.read_text().replace("Sample Office Report", "Sample Office Annual Report"))
    assert data.book().sources["sample"].title == "Sample Office Annual Report"


def test_book_notices_a_removed_data_file(tmp_path, monkeypatch):
    folder = shutil.copytree(GOOD, tmp_path / "data")
    monkeypatch.setattr(data, "DATA_DIR", folder)
    assert "sample" in data.book().findings
    (folder / "findings" / "sample.yaml").unlink()
    assert data.book().findings == {}


def test_in_a_kernel_the_files_are_looked_at_once_per_cell_run(tmp_path, monkeypatch):
    folder = shutil.copytree(GOOD, tmp_path / "data")
    monkeypatch.setattr(data, "DATA_DIR", folder)
    monkeypatch.setattr(data, "_kernel_turn", lambda: 7)
    assert data.book().sources["sample"].title == "Sample Office Report"
    registry = folder / "sources.yaml"
    registry.write_text(registry.read_text().replace("Sample Office Report", "Sample Office Annual Report"))
    assert data.book().sources["sample"].title == "Sample Office Report"  # the same cell run
    monkeypatch.setattr(data, "_kernel_turn", lambda: 8)
    assert data.book().sources["sample"].title == "Sample Office Annual Report"  # the next one


def test_outside_a_kernel_there_is_no_cell_run():
    assert data._kernel_turn() is None
