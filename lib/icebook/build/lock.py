"""One build at a time: an exclusive lock on the project's ``_build`` for the whole build.

The lock is ``fcntl.flock`` on ``_build/build.lock``, so the kernel releases it when the
holding process ends, however it ends: a build killed with ``kill -9`` leaves no lock
behind, only the file naming it, which the next build reports and clears. The file
records the holder's process id, start time and command, for the message a second
build prints.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

import psutil

from icebook.core.errors import BuildBusy


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


class BuildLock:
    """``with BuildLock(path):`` holds the lock or raises BuildBusy at once, naming the holder."""

    def __init__(self, path: Path):
        self.path, self.handle = path, None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "a process that has not yet written its id"
            handle.close()
            raise BuildBusy(f"another build is running on {self.path.parent} ({holder}); wait for it to "
                            "finish, then run this again") from None
        handle.seek(0)
        left = handle.read().strip()
        pid = int(left.split()[1]) if left.startswith("pid ") and left.split()[1].isdigit() else None
        if left and (pid is None or not _alive(pid)):
            print(f"note: cleared the lock left by a build that did not finish ({left})", file=sys.stderr)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%H:%M:%S')}: {' '.join(sys.argv)[:200]}\n")
        handle.flush()
        self.handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.close()  # closing the file releases the lock
