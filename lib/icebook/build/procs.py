"""Processes of the build: children that end with their parent, forks that run one thing and exit, the
imports made before forking, and the garbage collector kept out of what every fork shares.

The build forks a lot (a warm kernel per page, a Sphinx child, a validating child, the preview's builds): each
fork here runs one function, exits with its code, and never returns into the parent's code.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterable

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def end_with_parent(parent: int) -> None:
    """Ask Linux to send SIGTERM to this process when its parent dies (for kill -9 of the build)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def settle() -> None:
    """Before forking: move every object this process holds now out of the garbage collector's sight
    (``gc.freeze``). They are modules, classes and functions that live as long as the process, but a forked child
    that collects garbage would otherwise walk all of them, and in doing so write to each one's page of memory,
    which the fork then copies."""
    import gc

    gc.collect()
    gc.freeze()


def import_available(names: Iterable[str]) -> None:
    """Import each module that is installed, so a fork finds it done; one that is not is left to its user."""
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def exit_after(body: Callable[[], int | None], report: bool = True) -> None:
    """In a forked child: run ``body`` and exit with its code (0 for None, a SystemExit's code, 1 for any other
    failure, whose traceback is printed when ``report``). Never returns, so no fork runs its parent's code on."""
    code = 1
    try:
        result = body()
        code = 0 if result is None else result
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    except BaseException:  # noqa: BLE001 - the parent sees the exit code; the traceback says why
        if report:
            traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def fork(body: Callable[[], int | None], report: bool = True) -> int:
    """Fork a child that runs ``body`` and exits (``exit_after``); the child's pid, in the parent."""
    pid = os.fork()
    if pid == 0:
        exit_after(body, report)
    return pid
