"""Benchmark: the live preview, from a saved fact edit to the page reloading. Prints figures; asserts nothing.

On a copy of the project, ``python -m icebook preview`` builds the site and serves it; then one fact's notes
are edited and saved (as bench_build.py does), three times. Printed for each: the seconds from the save to
the server reporting a newly published site on ``/__preview__``. An open page waits on that address (a long
poll), so it reloads at that moment (target under 5 s). Beside it: the processor time of that rebuild (user and
system, of the build the preview's build server forked and every process the build waited for), and the
machine's load average, so that a figure taken while other work shares the machine can be read.

The copy starts with no site, so the first edit is also the first edition with an earlier one to compare with:
its Changes page gains its sections, the navigation every page shows changes, and Sphinx writes every page
again (sphinx/incremental.py). Later edits write only the pages they change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

import psutil
from bench_build import copy_project, edit_facts, load


def status(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__preview__", timeout=5) as response:
        return json.loads(response.read())


def builds_cpu(preview: int) -> float:
    """The processor time of every build the preview's build server has forked and waited for so far."""
    total = 0.0
    for child in psutil.Process(preview).children():  # the build server
        times = child.cpu_times()
        total += times.children_user + times.children_system
    return total


def main() -> int:
    root = copy_project()
    env = {**os.environ, "PYTHONPATH": str(root / "lib")}
    server = subprocess.Popen([sys.executable, "-m", "icebook", "preview", "--port", "0"], cwd=root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        for line in server.stdout:
            if found := re.search(r"serving http://127\.0\.0\.1:(\d+)/", line):
                port = int(found[1])
                break
        if port is None:
            raise SystemExit("the preview did not start")
        for n in range(1, 4):
            before = status(port)["version"]
            time.sleep(1)  # let the watcher settle

            def edit(rows: list[dict], n: int = n) -> str:
                row = next(r for r in rows if r["notes"])
                row["notes"] += " Edited for the benchmark" + "." * n
                return row["id"]

            cpu = builds_cpu(server.pid)
            start = time.perf_counter()
            fact = edit_facts(root, edit)
            while (now := status(port))["version"] == before:
                if now["error"]:
                    raise SystemExit(f"the rebuild failed: {now['error']}")
                time.sleep(0.05)
            seconds = time.perf_counter() - start
            print(f"preview, saved edit {n} of 3 of {fact}'s notes to the new site published and the page told to "
                  f"reload: {seconds:.1f} s (target < 5 s), the rebuild's CPU {builds_cpu(server.pid) - cpu:.1f} s "
                  f"({load()})")
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
