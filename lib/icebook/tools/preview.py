"""Live preview for maintainers: serve the published site on 127.0.0.1 and rebuild on every saved change.

The server serves ``_build/html`` (the link the build swaps, so each request sees the site
last published) and adds to every page a small script that asks ``/__preview__`` once a
second for the build's state: when a rebuild has published, the page reloads; when one
failed, the page shows its message over the last good site, which stays served. Changes
to ``data/``, ``chapters/``, ``lib/`` and the book's configuration are watched with
watchfiles; each batch of saved changes runs one build.

The builds are forked from a resident build server (``BuildServer``): a process started with the preview that
has imported the build, what the pages' kernels use (warm.py) and jupyter-book (sphinx_child.py), and then
forks one child per rebuild that runs ``icebook build`` as the command would. The child loads the data and
runs the pages afresh; only the imports are done ahead, the larger part of a small rebuild. An edit under
``lib/`` or to ``requirements.lock`` could change imported code, so it restarts the server first.
"""

from __future__ import annotations

import errno
import functools
import http.server
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from icebook.build.layout import BOOK_DIRS, BOOK_FILES, SITE
from icebook.build.params import ROOT
from icebook.core.errors import ParameterError

WATCHED = ["data", "chapters", "lib", *BOOK_DIRS, *BOOK_FILES, "requirements.lock"]
STATUS_PATH = "/__preview__"
# The page asks for the build's state and the server answers when it has changed (a long poll: at once the
# first time, then as soon as a rebuild starts or ends, or after WAIT seconds), so a page reloads the moment
# its rebuild is published.
WAIT = 25
RELOADER = b"""<script>(function(){var seen=null,since=-1;function poll(){fetch("%s?since="+since)
.then(function(r){return r.json();}).then(function(s){since=s.changes;
if(seen!==null&&s.version!==seen){location.reload();return;}seen=s.version;
var box=document.getElementById("icebook-preview");if(s.error){if(!box){box=document.createElement("pre");
box.id="icebook-preview";box.setAttribute("role","alert");box.style.cssText="position:fixed;bottom:0;left:0;right:0;"
+"max-height:40vh;overflow:auto;margin:0;padding:1em;background:#fff3f3;color:#5c0000;border-top:3px solid #b00;"
+"z-index:9999;white-space:pre-wrap";document.body.appendChild(box);}box.textContent="The last rebuild failed; "
+"this is the last good site.\\n\\n"+s.error;}else if(box){box.remove();}setTimeout(poll,50);})
.catch(function(){setTimeout(poll,1000);});}poll();})();</script>""" % STATUS_PATH.encode()


class State:
    """What the page asks for: how many rebuilds have published, the last failure's message, and a count of
    changes to either (a rebuild starting or ending), which a waiting request wakes on."""

    def __init__(self) -> None:
        self.version, self.error, self.building, self.changes = 0, None, False, 0
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)

    def update(self, **fields: object) -> None:
        with self.lock:
            for name, value in fields.items():
                setattr(self, name, value)
            self.changes += 1
            self.changed.notify_all()

    def as_json(self, since: int | None = None, wait: float = WAIT) -> bytes:
        """The state, once it differs from change ``since`` (or after ``wait`` seconds)."""
        with self.lock:
            if since is not None:
                self.changed.wait_for(lambda: self.changes != since, timeout=wait)
            return json.dumps({"version": self.version, "error": self.error, "building": self.building,
                               "changes": self.changes}).encode()


def _handler(state: State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # the terminal is for build messages
            pass

        def do_GET(self) -> None:
            if self.path.split("?")[0] == STATUS_PATH:
                since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
                return self._send(state.as_json(int(since) if since.lstrip("-").isdigit() else None),
                                  "application/json")
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                body = path.read_bytes()
                return self._send(body.replace(b"</body>", RELOADER + b"</body>", 1), "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    """The preview's HTTP server: a browser that drops a request (a favicon it gave up on, a page reloaded
    mid-answer) is nothing to report; the terminal is for the builds' messages."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - socketserver's signature
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


RESTARTS_SERVER = ("lib", "requirements.lock")  # changes that can change the code the server imported


class BuildServer:
    """The preview's side of the build server: ``build()`` runs one build in a child the server forks."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def _start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from icebook.tools.preview import serve_builds; serve_builds({os.getpid()})"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def build(self) -> tuple[int, str]:
        """Run ``icebook build``; its exit code and output (a server that stopped is started again)."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        assert self.process and self.process.stdin and self.process.stdout
        try:
            self.process.stdin.write("build\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            self.close()
            return 1, "error: the preview's build server stopped; it starts again with the next change"
        result = json.loads(answer)
        return result["code"], result["output"]

    def close(self) -> None:
        """Stop the server (it imported the code as it was: a change under lib/ needs a new one)."""
        if self.process is not None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


def serve_builds(preview: int) -> None:
    """The build server: import what a build uses, then for each line ``build`` on stdin fork a child that runs
    the build command, and answer with a line of JSON: its exit code and output. Ends at the end of stdin, and
    with the preview (Linux ends it if the preview dies)."""
    from icebook.build import command
    from icebook.build.procs import end_with_parent, fork, import_available
    from icebook.build.sphinx_child import import_sphinx
    from icebook.build.warm import warm

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the preview's, and the running build's
    end_with_parent(preview)
    import_sphinx()
    import_available(["icebook.site.checks", "icebook.site.counts"])  # the checks every build runs on its site
    _prepare()
    warm()  # every page's imports and the notebook validator, then what is held frozen before the forks

    for line in sys.stdin:
        if line.strip() != "build":
            continue
        handle, log = tempfile.mkstemp(prefix="icebook-preview-build-", suffix=".log")
        server = os.getpid()

        def one_build(handle: int = handle, server: int = server) -> int:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            end_with_parent(server)
            os.dup2(handle, 1)
            os.dup2(handle, 2)
            return command.run()

        child = fork(one_build)  # an unexpected failure prints its traceback, as the command would
        os.close(handle)
        _, status = os.waitpid(child, 0)
        output = Path(log).read_text(errors="replace")
        Path(log).unlink()
        sys.stdout.write(json.dumps({"code": os.waitstatus_to_exitcode(status), "output": output}) + "\n")
        sys.stdout.flush()


def _prepare() -> None:
    """Work out, once, what every build works out again from the sources and the code alone, and keeps for
    the process (the detectors' sweep and the coverage spans of the source texts, each chapter's module
    imports): the builds forked from here start with it. Each is kept by the inputs it was made from, so a
    build with other inputs works its own out. Data that do not validate are the first build's to report."""
    from icebook.build.lineage import module_closure
    from icebook.build.params import chapter_notebooks
    from icebook.core.errors import BuildError, ParameterError
    from icebook.data.loader import load

    try:
        load()
    except Exception:  # noqa: BLE001, S110 - the build validates again and reports the problem
        pass
    try:
        for notebook in chapter_notebooks():
            module_closure(notebook)
    except (BuildError, ParameterError, ValueError):  # a chapter or params.yml that cannot be read: the build says
        pass


def rebuild(state: State, server: BuildServer) -> None:
    """Run one build; on success the pages reload, on failure they show its message."""
    state.update(building=True)
    print("preview: rebuilding …", flush=True)
    start = time.perf_counter()
    code, output = server.build()
    output = output.strip()
    if code == 0:
        state.update(building=False, version=state.version + 1, error=None)
    else:
        state.update(building=False, error=output)
    print(output, flush=True)
    verdict = "published" if code == 0 else "FAILED, the last good site is still served"
    print(f"preview: rebuild {verdict} ({time.perf_counter() - start:.1f} s)", flush=True)


def _watched(change: object, path: str) -> bool:
    parts = Path(path).parts
    return not any(part.startswith(".") or part in {"__pycache__", "_build"} for part in parts[len(ROOT.parts):])


def _listen(port: int, state: State) -> _Server:
    """The preview's HTTP server on 127.0.0.1:PORT, or a ParameterError saying why it cannot listen there."""
    try:
        return _Server(("127.0.0.1", port), functools.partial(_handler(state), directory=str(SITE)))
    except OSError as error:
        why = ("it is in use (another preview, or another server?)" if error.errno == errno.EADDRINUSE
               else error.strerror or str(error))
        raise ParameterError(f"cannot serve on 127.0.0.1:{port}: {why}; stop that server, or give another "
                             "port with --port PORT (0: any free one)") from None


def serve(port: int) -> int:
    """Serve the site and rebuild on changes until Ctrl-C."""
    from watchfiles import watch

    state, builds = State(), BuildServer()
    server = _listen(port, state)  # before the first build: a busy port is said at once
    if not SITE.exists():
        print("preview: no site yet, building it first", flush=True)
    rebuild(state, builds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"preview: serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop); "
          f"watching {', '.join(WATCHED)}", flush=True)
    paths = [ROOT / name for name in WATCHED if (ROOT / name).exists()]
    # Ctrl-C also sets an event the watcher polls: a KeyboardInterrupt raised while the watcher is gathering a
    # change it has seen is dropped by it (the change comes back, the interrupt does not), and the preview then
    # ran on after Ctrl-C.
    stop = threading.Event()

    def interrupted(signum: int, frame: object) -> None:
        stop.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupted)
    try:
        for changes in watch(*paths, watch_filter=_watched, debounce=400, stop_event=stop):
            if stop.is_set():
                break
            names = sorted({str(Path(p).relative_to(ROOT)) for _, p in changes})
            print(f"preview: changed {', '.join(names[:5])}{' …' if len(names) > 5 else ''}", flush=True)
            if any(name.split(os.sep)[0] in RESTARTS_SERVER for name in names):
                builds.close()
            rebuild(state, builds)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        builds.close()
    print("preview: stopped", flush=True)
    return 0

