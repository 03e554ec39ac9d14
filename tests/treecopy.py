"""Put a copy of a folder back as it was, copying again only what changed since it was last put back.

The slow tier gives each test a built copy of the project (conftest's ``built_project``): about 1,200 files and
100 MB, most of which a test never touches. Removing and copying the whole copy for each test cost more than many
of the tests themselves. ``TreeCopy.restore`` instead compares the copy with what it recorded of it after the
last restore, and replaces only the entries that differ. An entry differs when its kind, mode, size, modification
time, status-change time or inode does: any write, rename over it, ``touch``, ``chmod``, ``chattr``, link or
unlink changes at least its status-change time, which no program can set back. So an entry that looks unchanged
is the very file copied from the template, and the copy equals the template after each restore.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

State = dict[str, tuple]


def tree_state(root: Path) -> State:
    """Every entry under ``root`` by its path relative to it: a folder by its kind and mode; anything else by
    what a change to it changes (see the module's docstring)."""
    state: State = {}
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(root / folder) as entries:
            for entry in entries:
                path = f"{folder}/{entry.name}" if folder else entry.name
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    state[path] = ("dir", info.st_mode)
                    folders.append(path)
                else:
                    state[path] = ("entry", info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                                   info.st_ino)
    return state


def _writable(function, path, _error) -> None:
    """For ``shutil.rmtree``: a folder a test made read-only is made writable, and the removal tried again."""
    os.chmod(os.path.dirname(path), stat.S_IRWXU)
    function(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=_writable)
    else:
        path.unlink()


def _copy(source: Path, target: Path) -> None:
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target, follow_symlinks=False)


class TreeCopy:
    """A copy of ``template`` at ``root``, put back as the template is by ``restore``."""

    def __init__(self, template: Path, root: Path):
        self.template, self.root = template, root
        self.recorded: State | None = None  # the copy's state right after the last restore

    def restore(self) -> Path:
        if self.recorded is None:
            self._copy_whole()
        else:
            try:
                self._put_back(tree_state(self.root))
            except OSError:  # a folder the test left unreadable, say: start again from the template
                self._copy_whole()
        self.recorded = tree_state(self.root)
        return self.root

    def _copy_whole(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root, onerror=_writable)
        shutil.copytree(self.template, self.root, symlinks=True)

    def _put_back(self, now: State) -> None:
        recorded = self.recorded
        assert recorded is not None
        # folders first, top down, their modes as recorded, so that what is in them can be removed or replaced
        for path in sorted(p for p, s in now.items() if s[0] == "dir" and recorded.get(p, s) != s):
            if recorded[path][0] == "dir":
                os.chmod(self.root / path, stat.S_IMODE(recorded[path][1]))
        # a folder whose mode was put back is otherwise as recorded: what is in it is compared on its own
        changed = {p for p, s in now.items()
                   if recorded.get(p) != s and not (s[0] == "dir" == recorded.get(p, ("",))[0])}
        gone = set(recorded) - set(now)
        removed: set[str] = set()
        for path in sorted(changed, key=lambda p: p.count("/")):
            if any(ancestor in removed for ancestor in _ancestors(path)):
                continue  # removed with its folder
            _remove(self.root / path)
            removed.add(path)
            if path in recorded:
                gone.add(path)
        for path in sorted(gone, key=lambda p: p.count("/")):
            if not os.path.lexists(self.root / path):  # else copied with its folder
                _copy(self.template / path, self.root / path)


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]
