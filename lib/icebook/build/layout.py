"""Where the build keeps what it makes (``_build/``), and the records it reads and writes there.

Stages, each reading the one before it:

* ``_build/executed/``  executed notebooks, one per page, with ``manifest.json``
  recording the hash of every input each was run from (its template, parameters,
  the data files it reads, the data module's code). A page is re-run only when
  that hash changes.
* ``_build/stage/``     the book's sources with the executed pages, assembled afresh in
  ``next/`` and synced into ``src/``, where only files whose bytes changed are rewritten;
  jupyter-book builds ``src/`` into ``out/`` with warnings as errors, keeping Sphinx's
  environment there between builds, so a rebuild reads and writes only the changed pages
  (``sphinx/incremental.py`` keeps that equal to a clean build). When the set of staged
  files changed, or the last Sphinx run did not finish (``building`` is still there),
  ``out/`` starts afresh.
* ``_build/sites/``     the built sites, one folder each: a copy of the stage's output (checked
  whole just before) with the footer's build version filled in. ``_build/html`` is a symbolic link
  to the published one, swapped in one atomic rename only when the whole build and its
  checks succeeded. The site it replaced is kept beside it, for ``icebook rollback``.
  ``_build/html.json`` records what the site was built from, so a rebuild with nothing
  changed stops before starting Sphinx.

One build at a time holds ``_build/build.lock`` (lock.py). A damaged record is treated as absent, said in one
line (``read_json``); records are written whole (``write_json``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from icebook.core.files import digest_files, file_digest, write_atomic
from icebook.core.paths import ROOT

BUILD = ROOT / "_build"
EXECUTED = BUILD / "executed"
MANIFEST = EXECUTED / "manifest.json"
SITE = BUILD / "html"
SITES = BUILD / "sites"
SITE_RECORD = BUILD / "html.json"
STAGE = BUILD / "stage"
STAGED_PAGES = STAGE / "pages"  # each page's staged notebook and chart files, by what they are made from
BUILD_VERSION = "<!--icebook:build-version-->"  # in every page's footer until the site is published
ANALYSIS = BUILD / "analysis"
LOCK = BUILD / "build.lock"
SITE_FILES = BUILD / "html.files.json"  # each published file's size, status-change time and hash (siterecord.py)
BOOK_FILES = ["_config.yml", "_toc.yml"]
BOOK_DIRS = ["_static", "_templates"]
VENDOR = {  # the Vega scripts the charts load, from package-lock.json's pinned npm packages
    "vega.min.js": "node_modules/vega/build/vega.min.js",
    "vega-lite.min.js": "node_modules/vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "node_modules/vega-embed/build/vega-embed.min.js",
}


class Step:
    """What the build is doing, for the one line Ctrl-C prints."""

    now = "starting"


step = Step()


def files_key(paths: list[Path]) -> str:
    """The key of a set of the project's files: their paths and bytes."""
    return digest_files(paths, ROOT).hex()


_noted: set[str] = set()


def note(text: str) -> None:
    """One line on stderr about something the build handled (said once per build)."""
    if text not in _noted:
        _noted.add(text)
        print(f"note: {text}", file=sys.stderr, flush=True)


def read_json(path: Path) -> dict:
    """A cache record, or {} when it is absent; a damaged one is treated as absent, said in one line."""
    try:
        value = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:  # ValueError: bad JSON or bytes that are not UTF-8
        note(f"{path.relative_to(ROOT)} is unreadable ({type(error).__name__}); treating it as absent")
        return {}
    if not isinstance(value, dict):
        note(f"{path.relative_to(ROOT)} is not a JSON object; treating it as absent")
        return {}
    return value


def write_json(path: Path, value: dict) -> None:
    write_atomic(path, json.dumps(value, indent=1, sort_keys=True) + "\n")


def output_digest(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None
