"""What the published site holds, file by file, so a build can tell when it was damaged after publishing.

When a site is published, each of its files is recorded with its size, its status-change time and its SHA-256.
A build with nothing to do looks at every file again (one ``stat`` each; bench_build.py prints what it takes):
a file whose size and status-change time are as recorded is unchanged, since any write, truncation or replacement
sets the status-change time, which no tool can set back (``touch`` sets only the modification time). A file whose
status changed is hashed; one whose bytes differ, one that is missing, and one the record does not hold, are
damage, and the build rebuilds the site.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from icebook.core.files import write_atomic


def _files(site: Path) -> list[tuple[str, os.stat_result]]:
    """Every entry under the site that is not a folder, by its path in the site, with its status (links not
    followed: a link placed in the site is an entry of its own)."""
    found, folders = [], [site]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                else:
                    found.append((str(Path(entry.path).relative_to(site)), entry.stat(follow_symlinks=False)))
    return found


def _sha(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def record(site: Path) -> dict:
    """The record of a site's files: for each, its size, status-change time and SHA-256."""
    return {"site": site.name,
            "files": {name: [status.st_size, status.st_ctime_ns, _sha(site / name)]
                      for name, status in sorted(_files(site))}}


def save(path: Path, site: Path) -> None:
    """Record a site just published (written whole: a temporary file renamed into place)."""
    write_atomic(path, json.dumps(record(site), separators=(",", ":")) + "\n")


def damage(path: Path, site: Path) -> list[str]:
    """What differs between the published site and its record, one entry per file ("missing chapters/pages/
    home.html", "changed index.html", "not built: extra.html"); a missing or unreadable record is damage too."""
    try:
        recorded = json.loads(path.read_bytes())
        files = recorded["files"]
        if recorded["site"] != site.name or not isinstance(files, dict):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        return [f"no record of its files ({path.name} is missing or unreadable)"]
    present = dict(_files(site))
    found = [f"missing {name}" for name in files if name not in present]
    found += [f"not built: {name}" for name in present if name not in files]
    for name, status in present.items():
        if name not in files:
            continue
        size, ctime, sha = files[name]
        if status.st_size != size:
            found.append(f"changed {name}")
        elif status.st_ctime_ns != ctime and _sha(site / name) != sha:
            found.append(f"changed {name}")
    return sorted(found)
