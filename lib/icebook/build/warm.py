"""Warm kernels: each page's kernel is forked from a build that has already imported what chapters use.

A kernel started the usual way is a new Python process that imports IPython, ipykernel, pandas,
Altair and this package before the page's first cell runs, paid again for every page (``make bench``
prints what that costs: bench/bench_notebook.py's kernel start and imports). Here the build imports those
modules once (``warm``), and each page's kernel is a fork of its worker (itself a fork of the build) that then runs
ipykernel's own application with the connection file jupyter_client wrote. It is a real
kernel in its own process, driven by papermill and nbclient over ZeroMQ as before: outputs,
errors, interrupts and time limits are unchanged; only the imports are already done.

Isolation between pages is kept: every kernel is forked from the build, never from another
page's kernel, so nothing one page does is seen by the next. What the build itself had loaded
is dropped in the child (the data, and with them the record of what was read), so each page
loads the data and notes its reads as a fresh kernel would.

jupyter_client launches a kernel through a provisioner; ``ForkingProvisioner`` is its local
provisioner with the launch replaced by a fork. A kernel spec other than this interpreter's own
ipykernel is launched the usual way.

The kernels talk over Unix sockets named after their kernel id (``socket_prefix``), not TCP ports. jupyter_client
picks a TCP port by opening it and closing it again, and the kernel opens it later: in between, any process on the
machine may take it (another page's kernel, another build, a test running beside this one), and the kernel then
dies before it answers ("Kernel died before replying to kernel_info"). A name made from the kernel's id is never
another kernel's.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type, default

from icebook.build.procs import end_with_parent, exit_after, settle

# What chapters import, imported once by the build before its workers fork.
MODULES = ["papermill", "papermill.engines", "nbclient", "jupyter_client.manager", "jupytext",  # the worker's
           "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "pandas", "altair", "vl_convert", "markupsafe",
           "icebook.pages.chart", "icebook.pages.fmt", "icebook.data.comparability", "icebook.pages.keyfindings",
           "icebook.pages.verdicts", "icebook.pages.comparison", "icebook.pages.oversight", "icebook.pages.limits",
           "icebook.pages.sources", "icebook.pages.methods",
           "icebook.pages.sections", "icebook.pages.diagram", "icebook.data.audit", "icebook.data.coverage",
           "icebook.data.prose", "icebook.build.analyst"]


# Imported only for pages whose code can run these icebook modules (lineage.module_closure): Altair and the chart
# renderer are slow to import, and a rebuild of pages without charts does not wait for them (nor for
# the page modules that import the chart renderer).
DRAWING = {"icebook.pages.chart": ["altair", "vl_convert", "icebook.pages.chart", "icebook.pages.comparison",
                                   "icebook.pages.keyfindings", "icebook.pages.oversight", "icebook.pages.limits"],
           "icebook.pages.diagram": ["icebook.pages.diagram"]}


def warm(pages: list[Path] | None = None) -> None:
    """Import what the kernels of these pages (chapter notebooks; by default every page) would import, so forked
    kernels start with it done."""
    import importlib

    from icebook.build.lineage import module_closure

    drawn = set(DRAWING) if pages is None else {m for page in pages for m in module_closure(page)} & set(DRAWING)
    skipped = {name for module, names in DRAWING.items() if module not in drawn for name in names}
    for name in MODULES:
        if name not in skipped:
            importlib.import_module(name)
    import nbformat

    nbformat.validate(nbformat.v4.new_notebook())  # builds the notebook validator once, not once per page
    settle()


def warmed() -> bool:
    """Has this process imported what ``warm`` imports (the preview's builds are forked from one that has)?"""
    return all(name in sys.modules for name in MODULES)


class ForkedProcess:
    """The part of ``subprocess.Popen`` jupyter_client uses, for a process made with ``os.fork``."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = 0
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def forkable(cmd: list[str]) -> bool:
    """True for the command of this interpreter's own ipykernel: ``python -m ipykernel_launcher -f FILE …``."""
    return (len(cmd) >= 5 and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
            and cmd[1:3] == ["-m", "ipykernel_launcher"] and cmd[3] == "-f")


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching this interpreter's ipykernel by forking."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        if not forkable(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # ipykernel ends when its worker does, as when launched
        cwd = str(kwargs.get("cwd") or os.getcwd())
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _kernel(cmd[3:], env, cwd, parent)  # never returns
        self.process = ForkedProcess(pid)
        self.pid, self.pgid, self.cwd = pid, pid, cwd  # the child leads its own session, as Popen's would
        return self.connection_info


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready the moment the kernel is.

    jupyter_client's ``wait_for_ready`` asks for the kernel's info, checks that a message arrives on IOPub
    (else it is not connected yet, and it asks again), then reads IOPub until it has been silent for 0.2 s:
    a fixed 0.2 s for every page, however soon the kernel was ready (bench/NOTES.md). Here the reading stops at
    the message that ends the info request on IOPub (the kernel going idle after it), which also shows IOPub
    is connected; if none comes within 0.2 s, it asks again, as jupyter_client's does. Messages for a request
    are only ever read by the one who sent it (nbclient matches replies to its own requests), so nothing
    is lost."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        end = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" and await self._idle_after(request):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > end:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _idle_after(self, request: str) -> bool:
        """Read IOPub up to the kernel going idle after ``request``; False if it is silent for 0.2 s."""
        while True:
            try:
                message = await self.iopub_channel.get_msg(timeout=0.2)
            except Empty:
                return False
            if (message["msg_type"] == "status" and message["content"].get("execution_state") == "idle"
                    and message["parent_header"].get("msg_id") == request):
                return True


class ForkingKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernels are forked (``ForkingProvisioner``), with a client that is ready as
    soon as its kernel is (``PromptKernelClient``)."""

    client_class = DottedObjectName(f"{__name__}.PromptKernelClient")
    client_factory = Type(PromptKernelClient, klass=AsyncKernelClient)

    async def _async_finish_shutdown(self, waittime: float | None = None, pollinterval: float = 0.01,
                                     restart: bool = False) -> None:
        """jupyter_client's, looking for the kernel's exit every hundredth of a second, not every tenth: a page's
        kernel exits soon after it is asked to, and the page waited out the rest of the tenth (bench/NOTES.md)."""
        await super()._async_finish_shutdown(waittime, pollinterval, restart)

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc" if len(socket_prefix(str(uuid.uuid4()))) <= SOCKET_PATH_ROOM else "tcp"

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkingProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                  parent=self)
        if self.transport == "ipc":
            self.ip = socket_prefix(self.kernel_id)
        return await super()._async_pre_start_kernel(**kw)


# A Unix socket's path holds at most 107 bytes on Linux; a kernel's five sockets are the prefix and "-1" … "-5".
SOCKET_PATH_ROOM = 100


def socket_prefix(kernel_id: str) -> str:
    """Where a kernel's sockets are: ``PREFIX-1`` … ``PREFIX-5`` in the temporary folder, named after its id.
    jupyter_client removes them when the kernel is shut down. (A temporary folder whose path is too long for a
    socket's name leaves the kernels on TCP, as jupyter_client's own are.)"""
    return os.path.join(tempfile.gettempdir(), f"icebook-kernel-{kernel_id}")


def _kernel(argv: list[str], env: dict[str, str], cwd: str, parent: int) -> None:
    """In the forked child: become the kernel ``python -m ipykernel_launcher ARGV`` would start, then exit."""

    def become_kernel() -> None:
        from setproctitle import setproctitle

        # `ps` shows the kernel as the command it stands for. Set before the environment changes: setproctitle
        # may take over the memory the environment starts in.
        setproctitle(" ".join([sys.executable, "-m", "ipykernel_launcher", *argv]))
        os.setsid()
        end_with_parent(parent)
        signal.set_wakeup_fd(-1)
        asyncio.set_event_loop_policy(None)  # the worker's event loop belongs to the worker
        quiet = os.open(os.devnull, os.O_RDONLY)
        os.dup2(quiet, 0)
        os.close(quiet)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = [sys.executable, "-m", "ipykernel_launcher", *argv]
        sys.path[0] = cwd  # as `python -m` puts the working folder first
        from icebook.data import loader as data

        data.forget()
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=argv)

    exit_after(become_kernel)  # the worker sees the kernel die and reports it
