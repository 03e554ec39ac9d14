"""The preview's state (preview.State): a page's request waits until a rebuild starts or ends, so the page
learns of a new site the moment it is published, not at its next poll."""

from __future__ import annotations

import http.server
import json
import threading
import time

from icebook.tools.preview import State


def test_a_request_for_the_state_it_has_waits_for_the_next_change():
    state = State()
    first = json.loads(state.as_json())  # no ``since``: at once
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(json.loads(state.as_json(first["changes"], wait=30))))
    waiting.start()
    time.sleep(0.5)
    assert not answers  # nothing changed yet: still waiting
    state.update(building=False, version=1, error=None)
    waiting.join(timeout=5)
    assert answers and answers[0]["version"] == 1 and answers[0]["changes"] == first["changes"] + 1


def test_a_request_for_an_older_state_is_answered_at_once_and_a_quiet_one_after_its_wait():
    state = State()
    state.update(building=True)
    assert json.loads(state.as_json(since=0, wait=30))["building"] is True  # changed since 0: no wait
    start = time.monotonic()
    assert json.loads(state.as_json(since=1, wait=0.2))["changes"] == 1  # nothing new: answered after the wait
    assert time.monotonic() - start >= 0.2


def test_a_dropped_connection_is_not_reported_but_other_errors_are(capsys):
    from icebook.tools.preview import _Server

    server = _Server(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    try:
        for error in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), ValueError("a bug")):
            try:
                raise error
            except Exception:  # noqa: BLE001 - as socketserver calls handle_error, inside the except
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert "ValueError: a bug" in err and "BrokenPipeError" not in err and "ConnectionResetError" not in err
