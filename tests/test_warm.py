"""Warm kernels (warm.py): a page's kernel is forked from the build with the chapters' imports done, yet
starts with no data loaded and notes every read, as a fresh kernel does; a cell past its time limit still
stops, and no kernel outlives its page."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from queue import Empty
from types import SimpleNamespace

import nbformat
import psutil
import pytest

from conftest import write_chapter
from icebook.build.running import CellTimeout, OutputLimits, Worker
from icebook.build.warm import ForkingKernelManager, PromptKernelClient, forkable, warm


def notebook(tmp_path: Path, *cells: str) -> Path:
    return write_chapter(tmp_path / "page.md", *(nbformat.v4.new_code_cell(c) for c in cells))


def run(tmp_path: Path, path: Path, cell_timeout: int = 60) -> tuple[bool, object]:
    worker = Worker(path, tmp_path / "out.ipynb", {}, tmp_path, tmp_path / "cell", tmp_path / "reads", cell_timeout,
                    OutputLimits(page=10_000_000, printed=1_000_000))
    try:
        while (outcome := worker.result()) is None:
            time.sleep(0.05)
        return outcome
    finally:
        worker.stop()


def outputs(tmp_path: Path) -> list[str]:
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    return [o.get("text", "") for c in nb.cells for o in c.get("outputs", [])]


def test_the_kernel_starts_with_the_builds_imports_done(tmp_path):
    warm()
    cell = ("import sys\nprint('altair' in sys.modules, 'icebook.pages.chart' in sys.modules, "
            "'-m ipykernel_launcher -f' in open('/proc/self/cmdline').read())")
    ok, value = run(tmp_path, notebook(tmp_path, cell))
    assert ok, value
    # A kernel started afresh would have imported neither yet; `ps` shows the kernel as the command it stands for.
    assert outputs(tmp_path) == ["True True True\n"]


def test_the_kernel_forgets_the_builds_data_and_notes_its_own_reads(tmp_path):
    from icebook.data.loader import book

    assert not book().facts.empty  # the build has read the facts (noted in its own record of reads)
    ok, value = run(tmp_path, notebook(tmp_path, "from icebook import book\nlen(book().facts)"))
    assert ok, value
    assert "facts" in (tmp_path / "reads").read_text().split("\n")


def test_a_cell_past_its_limit_stops_and_its_kernel_ends(tmp_path):
    ok, error = run(tmp_path, notebook(tmp_path, "x = 1", "import os, time\nprint(os.getpid(), flush=True)\n"
                                                          "time.sleep(120)"), cell_timeout=3)
    assert not ok and isinstance(error, CellTimeout) and error.cell.number == 2
    leftovers = [p for p in psutil.Process().children(recursive=True) if p.status() != psutil.STATUS_ZOMBIE]
    assert leftovers == []


@pytest.mark.parametrize(("cmd", "expected"), [
    ([sys.executable, "-m", "ipykernel_launcher", "-f", "/tmp/k.json"], True),
    (["/usr/bin/python3.9", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"], False),  # another interpreter
    ([sys.executable, "-m", "other_kernel", "-f", "/tmp/k.json"], False),
    (["R", "--slave", "-e", "IRkernel::main()", "--args", "/tmp/k.json"], False),
])
def test_only_this_interpreters_ipykernel_is_forked(cmd, expected):
    assert forkable(cmd) is expected


def test_warm_freezes_what_it_imported_so_forked_children_do_not_walk_it():
    import gc

    warm()
    assert gc.get_freeze_count() > 100_000  # the modules, classes and functions of pandas, Altair, IPython …


# --- the client is ready when the kernel is (PromptKernelClient) --------------------------------------------


class FakeKernel:
    """The channels of a kernel as PromptKernelClient reads them: each kernel_info request gets its reply on
    shell; IOPub carries what ``iopub`` says for that request (a list of messages, or nothing: not connected)."""

    def __init__(self, iopub: list, alive: bool = True):
        self.iopub_plan, self.alive, self.requests, self.handled = list(iopub), alive, [], None
        self.shell, self.io = asyncio.Queue(), asyncio.Queue()
        self.shell_channel = SimpleNamespace(get_msg=self._get(self.shell))
        self.iopub_channel = SimpleNamespace(get_msg=self._get(self.io))

    @staticmethod
    def _get(queue: asyncio.Queue):
        async def get_msg(timeout: float):
            try:
                return await asyncio.wait_for(queue.get(), timeout)
            except TimeoutError:
                raise Empty from None
        return get_msg

    def kernel_info(self) -> str:
        request = f"request-{len(self.requests)}"
        self.requests.append(request)
        if self.alive:
            self.shell.put_nowait({"msg_type": "kernel_info_reply", "parent_header": {"msg_id": request}})
            for message in (self.iopub_plan.pop(0) if self.iopub_plan else [])(request):
                self.io.put_nowait(message)
        return request

    async def _async_is_alive(self) -> bool:
        return self.alive

    def _handle_kernel_info_reply(self, reply: dict) -> None:
        self.handled = reply

    _idle_after = PromptKernelClient._idle_after


def status(state: str, parent: str) -> dict:
    return {"msg_type": "status", "content": {"execution_state": state}, "parent_header": {"msg_id": parent}}


def ready(kernel: FakeKernel, timeout: float = 10) -> None:
    asyncio.run(PromptKernelClient.wait_for_ready(kernel, timeout))  # type: ignore[arg-type]


def test_the_client_is_ready_at_the_idle_that_ends_its_info_request():
    kernel = FakeKernel([lambda r: [status("starting", ""), status("idle", "someone-else"), status("busy", r),
                                    status("idle", r)]])
    start = time.monotonic()
    ready(kernel)
    assert kernel.requests == ["request-0"] and kernel.handled["parent_header"]["msg_id"] == "request-0"
    assert time.monotonic() - start < 0.15  # it did not wait for IOPub to fall silent (0.2 s)


def test_a_silent_iopub_is_not_connected_yet_so_the_client_asks_again():
    kernel = FakeKernel([lambda r: [], lambda r: [status("busy", r), status("idle", r)]])
    ready(kernel)
    assert kernel.requests == ["request-0", "request-1"] and kernel.handled["parent_header"]["msg_id"] == "request-1"


def test_a_dead_kernel_is_reported_not_waited_for():
    with pytest.raises(RuntimeError, match="died"):
        ready(FakeKernel([], alive=False))


def test_the_pages_kernels_get_the_prompt_client():
    assert isinstance(ForkingKernelManager().client(), PromptKernelClient)


@pytest.mark.parametrize(("chapter", "draws"), [("fact-index", False), ("oversight", True)])
def test_the_charting_library_is_imported_only_for_pages_that_draw(chapter, draws):
    """Altair and the renderer take a third of a second to import: a rebuild of pages without charts skips them."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    code = (f"import sys; from pathlib import Path; import icebook.build.warm as w; "
            f"w.warm([Path({str(root / 'chapters' / (chapter + '.md'))!r})]); "
            "print('altair' in sys.modules, 'icebook.pages.chart' in sys.modules, 'icebook.pages.fmt' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == [str(draws), str(draws), "True"]


def test_kernels_talk_over_sockets_named_for_them_and_leave_none_behind(tmp_path):
    """A TCP port jupyter_client picks is free only until it closes it again: another process (a page's kernel
    beside this one, another build) may take it before the kernel opens it, and the kernel dies at its start. The
    pages' kernels use Unix sockets named after their kernel id instead, removed when the kernel ends."""
    cell = ("from ipykernel.kernelapp import IPKernelApp\napp = IPKernelApp.instance()\n"
            "print(app.transport, app.ip, app.shell_port)")
    ok, value = run(tmp_path, notebook(tmp_path, cell))
    assert ok, value
    transport, prefix, port = outputs(tmp_path)[0].split()
    assert transport == "ipc" and Path(prefix).name.startswith("icebook-kernel-") and 1 <= int(port) <= 5
    assert not list(Path(prefix).parent.glob(Path(prefix).name + "-*"))  # its sockets went with it


def test_a_cell_s_output_has_the_cell_s_own_limit_to_arrive_in(tmp_path, monkeypatch):
    """nbclient gives a cell's output 4 s after its reply by default, and papermill fails the page past that: on a
    busy machine a cell that finished in time failed as if it had run past the cell's limit. The page's client
    waits for output as long as the cell's limit."""
    import icebook.build.running as running

    seen = tmp_path / "iopub_timeout"
    made = running._bounded_client

    def recording(limits):
        client = made(limits)

        class Recording(client):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                seen.write_text(str(self.iopub_timeout))
        return Recording

    monkeypatch.setattr(running, "_bounded_client", recording)  # the worker is a fork: it sees the patch
    ok, value = run(tmp_path, notebook(tmp_path, "1 + 1"), cell_timeout=45)
    assert ok, value
    assert seen.read_text() == "45"


def test_the_selectors_compiled_ahead_are_the_ones_the_theme_looks_up():
    """The Sphinx child compiles the theme's navigation selectors before the build says go (sphinx_child.py): each
    is one the pinned theme's navigation code uses (its page level written as the theme writes it), and once used
    it is compiled: the next page's look-up compiles nothing."""
    import inspect

    import soupsieve
    from pydata_sphinx_theme import toctree

    from icebook.build import sphinx_child

    source = inspect.getsource(toctree)
    for selector in sphinx_child.THEME_SELECTORS:
        assert f'select("{selector}")' in source or f'select(f"{selector.replace("-l0", "-l{ii}")}")' in source
    for selector in sphinx_child.THEME_SELECTORS_ONE:
        assert f'select_one("{selector}")' in source
    soupsieve.purge()
    sphinx_child._compile_theme_selectors()
    compiled = soupsieve.css_parser._cached_css_compile.cache_info().currsize
    sphinx_child._compile_theme_selectors()
    assert soupsieve.css_parser._cached_css_compile.cache_info().currsize == compiled
    assert compiled >= len(sphinx_child.THEME_SELECTORS) + len(sphinx_child.THEME_SELECTORS_ONE)
