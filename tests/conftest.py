"""Fixtures shared by the test modules."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
