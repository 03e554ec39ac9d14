"""The live preview on a copy of the project: a saved edit is rebuilt and reaches the served page; a failed
rebuild shows its message in the terminal and on the page, and the last good site stays served."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from test_build import Edit

pytestmark = [pytest.mark.slow, pytest.mark.browser]
PAGE = "chapters/pages/checking.html"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def _wait(url: str, done, limit: float = 300) -> dict:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        status = json.loads(_get(f"{url}/__preview__"))
        if done(status):
            return status
        time.sleep(0.5)
    raise AssertionError(f"the preview did not get there: {status}")


def test_preview_rebuilds_on_save_and_keeps_the_last_good_site_on_failure(built_project, browser):
    project = built_project
    env = {**os.environ, "PYTHONPATH": str(project / "lib")}
    log = project / "preview.log"
    with log.open("w") as out:
        preview = subprocess.Popen([sys.executable, "-m", "icebook", "preview", "--port", "0"], cwd=project,
                                   env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (found := re.search(r"serving (http://127\.0\.0\.1:\d+)/", log.read_text())):
            assert time.monotonic() < deadline and preview.poll() is None, log.read_text()
            time.sleep(0.3)
        url = found[1]
        first = _wait(url, lambda s: not s["building"] and s["version"] >= 1)
        assert "/__preview__" in _get(f"{url}/{PAGE}")  # every page asks for the build's state
        register = project / "data" / "register.yaml"
        with Edit(register):
            register.write_text(register.read_text().replace("title: ", "title: Previewed ", 1))
            edited = _wait(url, lambda s: s["version"] > first["version"] and not s["building"])
            assert edited["error"] is None
            assert "Previewed " in _get(f"{url}/{PAGE}")
            register.write_text(register.read_text() + "\n- id: [broken\n")
            failed = _wait(url, lambda s: s["error"] is not None and not s["building"])
            assert "data/register.yaml" in failed["error"] and "malformed YAML" in failed["error"]
            assert "Previewed " in _get(f"{url}/{PAGE}")  # the last good site is still served
            page = browser.new_page()
            page.goto(f"{url}/{PAGE}")
            banner = page.locator("#icebook-preview")
            banner.wait_for(timeout=10000)
            assert "The last rebuild failed" in banner.text_content()
            assert "malformed YAML" in banner.text_content()
            assert page.locator("main h1").count() >= 1
        _wait(url, lambda s: s["error"] is None and s["version"] > edited["version"] and not s["building"])
        assert "Previewed " not in _get(f"{url}/{PAGE}")
        # the open page reloads by itself: the banner goes, the restored title is there
        page.wait_for_function("!document.getElementById('icebook-preview')", timeout=15000)
        page.wait_for_load_state()
        assert "Previewed " not in page.content()
        page.close()
        terminal = log.read_text()
        assert "malformed YAML" in terminal and "FAILED, the last good site is still served" in terminal
        # builds are forked from a server that imported lib/ when it started: an edit there starts a new one,
        # so the page is run with the edited code (here, the organisation chart's text version's name)
        before = _wait(url, lambda s: not s["building"])
        diagram = project / "lib" / "icebook" / "pages" / "diagram.py"
        with Edit(diagram):
            diagram.write_text(diagram.read_text().replace("The chart as text", "The chart in words"))
            _wait(url, lambda s: s["version"] > before["version"] and not s["building"])
            assert "The chart in words" in _get(f"{url}/chapters/pages/organisation.html")
    finally:
        preview.send_signal(signal.SIGINT)
        preview.wait(timeout=60)
    assert "preview: stopped" in log.read_text()
