"""Running one page in a worker process: papermill with a per-cell time limit, the running cell
reported as it starts, and a worker that never outlives the build.

Cells are named the way Jupyter shows them, ``[n]``: the execution count a fresh kernel gives
the cell when the executed notebook (injected parameters included) runs from the top, with
the cell's first line.
"""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from icebook.build.procs import end_with_parent
from icebook.core.files import write_atomic


def worker_start(parent: int) -> None:
    """Worker set-up: Ctrl-C is handled by the build alone; SIGTERM (from the build, or from Linux when
    the build dies) ends the worker at once, and its kernel sees its parent gone and ends too.

    The worker's and its kernel's own output goes nowhere: failures come back to the build as
    errors, and a kernel's shutdown chatter (tornado logging a closed socket) is no message."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    end_with_parent(parent)


@dataclass(frozen=True)
class Cell:
    """A code cell as Jupyter numbers it, with its first line."""

    number: int
    first_line: str

    def __str__(self) -> str:
        return f"cell [{self.number}] `{self.first_line}`"


def cell_of(cells: list, index: int) -> Cell:
    """The Jupyter number of the cell at ``index``: empty code cells are skipped and get none."""
    code = [c for c in cells[: index + 1] if c.get("cell_type") == "code" and "".join(c.get("source", "")).strip()]
    source = "".join(cells[index].get("source", "")).strip()
    first = source.splitlines()[0] if source else ""
    return Cell(len(code), first[:80] + ("…" if len(first) > 80 else ""))


class CellTimeout(Exception):
    """A cell ran past the time limit. Arguments: cell number, first line, limit in seconds."""

    def __init__(self, number: int, first_line: str, limit: int):
        super().__init__(number, first_line, limit)
        self.cell, self.limit = Cell(number, first_line), limit


@dataclass(frozen=True)
class OutputLimits:
    """The most output one page may make, in characters: all its cells' outputs together, and the text its cells
    print (a page prints next to nothing; printed text is what makes Sphinx and the site checks slow)."""

    page: int
    printed: int


class OutputLimitExceeded(Exception):
    """A cell's output took its page past a limit. Arguments: cell number, first line, what, size, limit."""

    def __init__(self, number: int, first_line: str, what: str, size: int, limit: int):
        super().__init__(number, first_line, what, size, limit)
        self.cell, self.what, self.size, self.limit = Cell(number, first_line), what, size, limit


def _output_size(content: dict) -> tuple[int, int]:
    """The characters an output message adds to its page: all of them, and those printed (stream text)."""
    printed = len(content.get("text") or "")
    data = content.get("data") or {}
    shown = sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in data.values())
    return printed + shown + sum(len(line) for line in content.get("traceback") or []), printed


# How long a cell's output may take to arrive after its reply when cells have no time limit (--cell-timeout none).
OUTPUT_WAIT_WITHOUT_LIMIT = 600


def _bounded_client(limits: OutputLimits):
    """papermill's notebook client, stopping a page at the first output that takes it past ``limits``: the
    output is dropped, the kernel interrupted, and the cell's page fails with OutputLimitExceeded."""
    import asyncio

    from papermill.clientwrap import PapermillNotebookClient

    class BoundedClient(PapermillNotebookClient):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.made, self.printed, self.over = 0, 0, None
            # After a cell's reply, nbclient waits for the rest of its output (a chart's HTML) for iopub_timeout
            # seconds, 4 by default, and papermill makes running past it an error: on a busy machine a cell that
            # finished in time then failed as if it had run past the cell's limit. The output now has the cell's
            # own limit to arrive in.
            self.iopub_timeout = int(self.timeout) if self.timeout else OUTPUT_WAIT_WITHOUT_LIMIT

        def output(self, outs, msg, display_id, cell_index):  # noqa: ANN001, ANN201 - nbclient's signature
            if self.over is not None:
                return None
            made, printed = _output_size(msg["content"])
            self.made, self.printed = self.made + made, self.printed + printed
            for what, size, limit in (("printed", self.printed, limits.printed), ("output", self.made, limits.page)):
                if size > limit:
                    cell = cell_of(self.nb.cells, cell_index)
                    self.over = OutputLimitExceeded(cell.number, cell.first_line, what, size, limit)
                    asyncio.ensure_future(self.km.interrupt_kernel())
                    return None
            return super().output(outs, msg, display_id, cell_index)

        def execute_cell(self, *args: object, **kwargs: object):  # noqa: ANN201 - nbclient's; papermill's call
            try:
                result = super().execute_cell(*args, **kwargs)
            except Exception:
                if self.over is not None:  # the interrupted cell's KeyboardInterrupt: the limit is the cause
                    raise self.over from None
                raise
            if self.over is not None:
                raise self.over
            return result

    return BoundedClient


def read_status(path: Path) -> tuple[Cell, float] | None:
    """The cell a worker is running and since when (wall clock), from its status file."""
    try:
        raw = json.loads(path.read_text())
        return Cell(raw["number"], raw["first_line"]), raw["since"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _engine(status: Path, limits: OutputLimits):
    """A papermill engine that writes each cell's number to ``status`` as the cell starts, and stops a page whose
    output passes ``limits``; its kernels are forked from the worker (warm.py), or in plain mode started by
    jupyter_client as usual (plain.py)."""
    import papermill.engines
    from nbclient.exceptions import CellTimeoutError
    from papermill.engines import NBClientEngine

    from icebook.build.plain import plain

    managers = {}
    if not plain():
        from icebook.build.warm import ForkingKernelManager

        managers["kernel_manager_class"] = ForkingKernelManager

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            start, current = nb_man.cell_start, {}

            def cell_start(cell, cell_index=None, **more):
                if cell.cell_type == "code" and cell.source.strip():
                    current["cell"] = cell_of(nb_man.nb.cells, cell_index)
                    write_atomic(status, json.dumps({"number": current["cell"].number, "since": time.time(),
                                                     "first_line": current["cell"].first_line}))
                return start(cell, cell_index, **more)

            nb_man.cell_start = cell_start
            # papermill's engine makes its client from this name; the worker process runs this one page only
            papermill.engines.PapermillNotebookClient = _bounded_client(limits)
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **managers, **kwargs)
            except CellTimeoutError:
                cell = current["cell"]
                raise CellTimeout(cell.number, cell.first_line, kwargs["execution_timeout"]) from None

    return Engine


class WorkerDied(Exception):
    """A worker process ended without reporting (killed, or out of memory)."""


class Worker:
    """One page run in its own process, forked from the build; the result comes back through a pipe.

    A process per page, started by the build's one thread, so no helper thread of a pool can hold a
    lock at the moment of a fork; ``stop`` ends it at once.
    """

    def __init__(self, *args: object):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_work, args=(send, os.getpid(), *args), daemon=True)
        self.process.start()
        send.close()

    def ends(self) -> list:
        """What ``multiprocessing.connection.wait`` can wait on: the result arriving, or the process ending."""
        return [self.receive, self.process.sentinel]

    def result(self) -> tuple[bool, object] | None:
        """(True, seconds) or (False, the error) once the page has finished; None while it runs."""
        alive = self.process.is_alive()
        if self.receive.poll():
            return self.receive.recv()
        if not alive:
            return False, WorkerDied(f"the worker process ended with exit code {self.process.exitcode}")
        return None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        self.receive.close()


def _work(send, parent: int, *args) -> None:
    worker_start(parent)
    try:
        send.send((True, execute(*args)))
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the build, named there
        try:
            send.send((False, error))
        except Exception:  # noqa: BLE001 - an error that cannot be pickled goes back as its text
            send.send((False, RuntimeError(f"{type(error).__name__}: {error}")))


def execute(notebook: Path, output: Path, parameters: dict, cwd: Path, status: Path, reads_log: Path,
            cell_timeout: int | None, limits: OutputLimits) -> float:
    """Run one page with papermill (in a worker process), from its chapter read as a notebook in memory.
    Returns the seconds taken."""
    import papermill
    from papermill.engines import papermill_engines

    from icebook.build.notebooks import read_chapter

    papermill_engines.register("icebook", _engine(status, limits))
    start = time.perf_counter()
    os.environ["ICEBOOK_READS_LOG"] = str(reads_log)
    try:
        papermill.execute_notebook(
            read_chapter(notebook), str(output), parameters=parameters, kernel_name="python3", engine_name="icebook",
            cwd=str(cwd), progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=cell_timeout,
            # The kernel's own start-up and shutdown chatter would bury the progress display.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    finally:
        os.environ.pop("ICEBOOK_READS_LOG", None)
    return time.perf_counter() - start
