"""The validated data, kept between processes: each page's kernel unpickles it instead of loading and
validating data/ again (seconds per page, against hundredths).

The cache is one pickle under ``_build/cache/``, named by a hash of everything the loaded data
depend on: the path and bytes of every file under data/, the bytes of this package's code, and
the Python and pandas versions. Any change to those gives a new name, so a stale entry is never
read; the build validates the data first, so its workers find the entry made. Each page still
runs in its own fresh kernel: only the immutable input is shared. An entry that cannot be read
is loaded afresh; one that cannot be written (a read-only or full disk) is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

from icebook.core.modules import package_digest
from icebook.core.paths import ROOT
from icebook.core.versions import data_digest

CACHE = ROOT / "_build" / "cache"


def data_key(data_dir: Path) -> str:
    """The hash of the data's files, the package's code and the versions that read them."""
    import pandas

    digest = hashlib.sha256(f"{platform.python_version()} pandas {pandas.__version__} {data_dir}".encode())
    digest.update(data_digest(data_dir))
    digest.update(package_digest())
    return digest.hexdigest()[:24]


def cached(data_dir: Path, load: Callable[[Path], Any]) -> Any:
    """``load(data_dir)``, or its result as the last process with the same inputs pickled it."""
    entry = CACHE / f"book-{data_key(data_dir)}.pickle"
    try:
        return pickle.loads(entry.read_bytes())
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001, S110 - a damaged or unreadable entry is loaded afresh and replaced
        pass
    value = load(data_dir)
    _keep(entry, value)
    return value


def _keep(entry: Path, value: Any) -> None:
    """Write the entry whole (a temporary file renamed into place) and drop the older entries."""
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(entry)
        for old in CACHE.glob("book-*.pickle"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):  # no partial entry left behind, if one could be made
            tmp.unlink()


def kept(name: str, make: Callable[[], bytes]) -> bytes:
    """The bytes of ``make()``, kept under ``_build/cache/`` as ``name``. The name must be a hash of
    everything the bytes depend on (content-addressed), so an entry is never stale; one that cannot be
    written (a read-only or full disk) is skipped."""
    entry = CACHE / name
    try:
        return entry.read_bytes()
    except OSError:
        pass
    content = make()
    _write_whole(entry, content)
    return content


def _write_whole(entry: Path, content: bytes) -> None:
    """Write an entry whole or not at all (a reader never sees half of one); skipped if it cannot be written."""
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(content)
        tmp.replace(entry)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def kept_object(kind: str, inputs: bytes, make: Callable[[], Any]) -> Any:
    """``make()``, kept pickled under ``_build/cache/KIND/`` by a hash of ``inputs``, which must be everything
    it depends on (the code that makes it included); an entry that is missing or cannot be read is made again."""
    entry = CACHE / kind / f"{hashlib.sha256(platform.python_version().encode() + inputs).hexdigest()[:24]}.pickle"
    try:
        return pickle.loads(entry.read_bytes())
    except Exception:  # noqa: BLE001, S110 - missing or damaged: made again and replaced
        pass
    value = make()
    _write_whole(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value
