"""The data version: a short content hash of data/ (kept free of heavy imports, for a fast no-op build)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from icebook.core.paths import DATA_DIR

__all__ = ["DATA_DIR", "data_files", "data_stamp", "data_version"]


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every file under data/, sorted."""
    return sorted(p for p in Path(data_dir).rglob("*") if p.is_file())


def data_stamp(data_dir: Path = DATA_DIR) -> frozenset[tuple[str, int, int]]:
    """Each file under data/ with its size and modification time: taken without reading a file (one directory
    scan, well under a millisecond), and different whenever a file is added, removed or saved."""
    stamps, folders = set(), [str(data_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    status = entry.stat()
                    stamps.add((entry.path, status.st_size, status.st_mtime_ns))
    return frozenset(stamps)


def data_version(data_dir: Path = DATA_DIR) -> str:
    """The first 12 hex digits of a hash over every file's path and bytes under data/."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]
