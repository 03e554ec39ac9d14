"""The data version: a short content hash of data/ (kept free of heavy imports, for a fast no-op build)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .paths import DATA_DIR

__all__ = ["DATA_DIR", "data_files", "data_stamp", "data_version"]


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every file under data/, sorted."""
    return sorted(p for p in Path(data_dir).rglob("*") if p.is_file())


def data_stamp(data_dir: Path = DATA_DIR) -> tuple[tuple[str, int, int], ...]:
    """Each file under data/ with its size and modification time: taken without reading a file, and
    different whenever a file is added, removed or saved."""
    stamps = []
    for path in data_files(data_dir):
        status = path.stat()
        stamps.append((str(path.relative_to(data_dir)), status.st_size, status.st_mtime_ns))
    return tuple(stamps)


def data_version(data_dir: Path = DATA_DIR) -> str:
    """The first 12 hex digits of a hash over every file's path and bytes under data/."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]
