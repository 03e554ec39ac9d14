"""The validated data, kept between processes: each page's kernel unpickles it instead of loading and
validating data/ again (bench/NOTES.md has what each took).

The cache is one pickle under ``_build/cache/``, named by a hash of everything the loaded data
depend on: the path and bytes of every file under data/, the bytes of this package's code, and
the Python and pandas versions. Any change to those gives a new name, so a stale entry is never
read; the build validates the data first, so its workers find the entry made. Each page still
runs in its own fresh kernel: only the immutable input is shared. An entry that cannot be read
is loaded afresh; one that cannot be written (a read-only or full disk) is skipped.

Every entry is sealed: it starts with an HMAC-SHA256 of its content under a key kept outside the cache
(``_build/cache.key``, made on first use, readable by its owner only). An entry whose seal does not match — a
file placed or edited in the cache by anything but this code — is refused before a byte of it is unpickled,
and made again, so a crafted pickle never runs.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import pickle
import platform
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from icebook.core.files import write_atomic
from icebook.core.modules import package_digest
from icebook.core.paths import ROOT
from icebook.core.versions import data_digest

CACHE = ROOT / "_build" / "cache"
KEY = ROOT / "_build" / "cache.key"  # outside the cache: a file placed in the cache cannot carry its own seal
SEAL = 32  # bytes of HMAC-SHA256 before each entry's content


@functools.cache
def _key() -> bytes:
    """The cache's key: read from KEY, or made there on first use (by one process: O_EXCL). Where it cannot be
    written (a read-only _build/), a key for this process alone: its entries are then made again next time."""
    try:
        return _read_key()
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        KEY.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(KEY, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key()
    except OSError:
        return key
    try:
        os.write(handle, key)
    finally:
        os.close(handle)
    return key


def _read_key() -> bytes:
    key = KEY.read_bytes()
    if len(key) != 32:
        raise OSError(f"{KEY} is not a key")
    return key


def seal(content: bytes) -> bytes:
    """An entry as the cache keeps it: its seal, then its content."""
    return hmac.new(_key(), content, hashlib.sha256).digest() + content


def unseal(entry: bytes) -> bytes | None:
    """An entry's content if its seal is this cache's, else None (a file this code did not write)."""
    mac, content = entry[:SEAL], entry[SEAL:]
    if len(mac) == SEAL and hmac.compare_digest(mac, hmac.new(_key(), content, hashlib.sha256).digest()):
        return content
    return None


def _read_sealed(entry: Path) -> bytes | None:
    """An entry's content, or None when it is absent, unreadable or not sealed by this cache."""
    try:
        return unseal(entry.read_bytes())
    except OSError:
        return None


def _unpickled(entry: Path) -> tuple[bool, Any]:
    """(True, the object) from a sealed entry, or (False, None) when it is absent, refused or damaged."""
    content = _read_sealed(entry)
    if content is None:
        return False, None
    try:
        return True, pickle.loads(content)  # noqa: S301 - sealed: written by this code, under this cache's key
    except Exception:  # noqa: BLE001 - damaged (or from other code): made again and replaced
        return False, None


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
    found, value = _unpickled(entry)
    if found:
        return value
    value = load(data_dir)
    if _write_whole(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)):
        for old in CACHE.glob("book-*.pickle"):  # the older entries
            if old != entry:
                old.unlink(missing_ok=True)
    return value


def cached_bytes(name: str, make: Callable[[], bytes]) -> bytes:
    """The bytes of ``make()``, kept under ``_build/cache/`` as ``name``. The name must be a hash of
    everything the bytes depend on (content-addressed), so an entry is never stale; one that cannot be
    written (a read-only or full disk) is skipped."""
    entry = CACHE / name
    content = _read_sealed(entry)
    if content is not None:
        return content
    content = make()
    _write_whole(entry, content)
    return content


def _write_whole(entry: Path, content: bytes) -> bool:
    """Write an entry, sealed, whole or not at all (a reader never sees half of one); skipped, returning False, if
    it cannot be written (a read-only or full disk)."""
    try:
        write_atomic(entry, seal(content))
    except OSError:
        return False
    return True


def cached_object(kind: str, inputs: bytes, make: Callable[[], Any]) -> Any:
    """``make()``, kept pickled under ``_build/cache/KIND/`` by a hash of ``inputs``, which must be everything
    it depends on (the code that makes it included); an entry that is missing or cannot be read is made again."""
    entry = CACHE / kind / f"{hashlib.sha256(platform.python_version().encode() + inputs).hexdigest()[:24]}.pickle"
    found, value = _unpickled(entry)
    if found:
        return value
    value = make()
    _write_whole(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value
