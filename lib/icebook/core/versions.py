"""The data version: a short content hash of data/ (kept free of heavy imports, for a fast no-op build).

Every entry under data/ counts, whatever it is: a regular file by its bytes, a symbolic link also by where it
points, and a FIFO or a device by what it is (never opened). So replacing a file with a link to a copy elsewhere,
or adding a FIFO, changes the version, and the build validates again (which refuses both: core/files.py)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from icebook.core import files
from icebook.core.paths import DATA_DIR

__all__ = ["DATA_DIR", "data_digest", "data_files", "data_stamp", "data_version"]


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every regular file under data/ (links to regular files included), sorted."""
    return [p for p in files.entries(data_dir) if files.kind(p) is None]


def data_stamp(data_dir: Path = DATA_DIR) -> frozenset[tuple[str, int, int, bool]]:
    """Each entry under data/ with its size, modification time and whether it is a link: taken without reading a
    file (one directory scan, well under a millisecond), and different whenever a file is added, removed, saved or
    replaced by a link."""
    stamps, folders = set(), [str(data_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    continue
                try:
                    status = entry.stat()
                except OSError:  # a link to nothing
                    status = entry.stat(follow_symlinks=False)
                stamps.add((entry.path, status.st_size, status.st_mtime_ns, entry.is_symlink()))
    return frozenset(stamps)


def data_digest(data_dir: Path = DATA_DIR) -> bytes:
    """One digest of every entry under data/: its path, what it is and, for a regular file, its bytes."""
    digest = hashlib.sha256()
    for path in files.entries(data_dir):
        digest.update(str(path.relative_to(data_dir)).encode() + b"\0")
        if path.is_symlink():
            digest.update(b"link to " + os.fsencode(os.readlink(path)) + b"\0")
        what = files.kind(path)
        if what is None:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(what.encode() + b"\0")
    return digest.digest()


def data_version(data_dir: Path = DATA_DIR) -> str:
    """The first 12 hex digits of :func:`data_digest`."""
    return data_digest(data_dir).hex()[:12]
