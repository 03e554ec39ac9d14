"""Which files the book reads: regular files inside their folder; how it writes one whole (``write_atomic``) and
hashes a set of them (``digest_files``, which every cache key made from files uses).

Every file the book reads from ``data/`` or ``chapters/`` must be a regular file that, after symbolic links are
resolved, lies inside its folder (``data/sources/`` for a source's text). A device (``/dev/zero``), a FIFO (which
would hang the reader), a socket, a link to a missing file or a link that leaves the folder is refused by name, and
a file named in the data (a source's ``file``, a chapter's ``notebook``) must be a plain relative name: no absolute
path, no ``..``. Validation and the build read through these same rules, so the build never publishes what
validation refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from icebook.core.errors import brief

KINDS = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")]


def entries(folder: Path) -> list[Path]:
    """Every entry under ``folder`` that is not a folder (a link to a folder counts as an entry), sorted. Links
    are not followed and nothing is opened, so a FIFO or a device is listed, never read."""
    found, folders = [], [str(folder)]
    while folders:
        with os.scandir(folders.pop()) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    found.append(Path(entry.path))
    return sorted(found)


def kind(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file (links followed): a FIFO, a device …; None for a regular
    file. Nothing is opened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a symbolic link to a missing file" if os.path.islink(path) else "missing"
    except OSError as error:
        return f"unreadable ({error.strerror})"
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in KINDS if test(mode)), "not a regular file")


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def problem(path: Path, folder: Path, base: Path | None = None) -> str | None:
    """Why the book will not read ``path`` as a file of ``folder``, or None when it may. Paths in the message are
    relative to ``base`` (the project) where they lie in it."""
    base = base or folder.parent
    inside = folder.resolve()
    if not Path(os.path.abspath(path)).is_relative_to(Path(os.path.abspath(folder))):
        return f"is outside {_shown(folder, base)}/; the book reads only files inside it"
    if os.path.islink(path):
        target = path.resolve()
        if not target.is_relative_to(inside):
            return (f"is a symbolic link to {brief(str(target), 200, quote=False)}, outside "
                    f"{_shown(folder, base)}/; the book reads only files inside it: copy the file in instead")
    what = kind(path)
    if what == "missing":
        return "is missing"
    if what is not None:
        return f"is {what}, not a regular file; the book reads only regular files"
    return None


def plain_name(name: str) -> str | None:
    """Why ``name`` (a file named in the data: a source's ``file``, a chapter's ``notebook``) is not a plain
    relative path, or None when it is."""
    if not name.strip():
        return "is empty"
    if "\\" in name or "\x00" in name:
        return "holds a backslash or a NUL character; write a plain file name"
    parts = PurePosixPath(name).parts
    if PurePosixPath(name).is_absolute():
        return "is an absolute path; write a name relative to its folder"
    if ".." in parts:
        return "climbs out of its folder with '..'; write a name inside its folder"
    return None


def write_atomic(path: Path, content: bytes | str) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` whole: to a temporary file beside it, then renamed into
    place, so a reader finds the old file or the new one, never half of one. The folder is made if need be; on
    a failure no temporary file is left behind and the error is raised."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with writing(path):
            tmp.write_bytes(data)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Name ``path`` in an OSError raised while writing it that names no file: a write to a full disk fails
    with only its reason ("File too large", "No space left on device")."""
    try:
        yield
    except OSError as error:
        if error.filename is None:
            error.filename = str(path)
        raise


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


_digests: dict[tuple[str, int, int, int], bytes] = {}  # each file's digest, by its path and status


def _file_digest(path: Path) -> bytes:
    """A file's SHA-256, read once while its size, modification time and inode stay as they were: the build
    hashes the same code and data files for every page's key (a no-op build, for twenty pages, read each twenty
    times)."""
    status = path.stat()
    key = (str(path), status.st_size, status.st_mtime_ns, status.st_ino)
    found = _digests.get(key)
    if found is None:
        found = _digests[key] = hashlib.sha256(path.read_bytes()).digest()
    return found


def digest_files(paths: Iterable[Path], base: Path) -> bytes:
    """One digest of these files' paths (relative to ``base``) and bytes, whatever order they come in."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(_file_digest(path))
    return digest.digest()
