"""What a chart offers besides itself: its rows (CSV) and its picture (SVG, PNG), carried inside the executed
notebook and moved into the site by the build, and the check of its specs against the Vega-Lite schema."""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import json
import re
from importlib.metadata import version
from pathlib import Path

import altair as alt
import jsonschema
import nbformat
import pandas as pd
import vl_convert as vlc
from altair.utils.schemapi import SchemaValidationError, debug_mode
from markupsafe import Markup

from icebook.core.cache import cached_bytes
from icebook.pages.chartkey import gather_page_notes

VL_VERSION = "6.4"
JSONSCHEMA_VERSION = version("jsonschema")  # the validator behind Altair's schema check
# From a page in chapters/pages/ to where the build puts each chart's files.
FILES_URL = "../../_static/downloads/charts"
FILE_PAYLOAD = re.compile(r'<script type="application/x-icebook-file" data-name="([^"]+)">([A-Za-z0-9+/=]*)</script>')


def rows_csv(marks: pd.DataFrame, figures: pd.DataFrame) -> str:
    """The rows drawn, each with its figure's id, source, locator and verbatim quote (``figures``: each mark's
    figure, by id: unit, source, locator, quote; a derived figure's formula and inputs stand for the last two)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["panel", "bar", "value", "as_printed", "unit", "counts", "fact_id", "source", "locator",
                     "quote"])
    for _, mark in marks.iterrows():
        row = figures.loc[mark["fact"]]
        writer.writerow([mark.get("panel", ""), mark["bar"], f"{float(mark['value']):g}", mark["printed"],
                         row["unit"], mark["counts"], mark["fact"], row["source"], row["locator"], row["quote"]])
    return out.getvalue()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-")


def payload(name: str, content: bytes) -> Markup:
    return Markup('<script type="application/x-icebook-file" data-name="{}">{}</script>').format(
        name, base64.b64encode(content).decode())


def schema_checked(title: str, specs: dict[str, dict], digest: str) -> None:
    """Refuse a chart whose specs (by what they draw; ``digest`` is their hash) break the Vega-Lite schema,
    naming the chart and the spec. A check is slow beside a look-up (bench/NOTES.md), so a chart found valid is recorded
    in the build's cache under its hash and the versions of Altair, its schema and the validator, and not checked
    again; with no cache to write to, it is checked every time."""
    key = hashlib.sha256(f"{digest} altair {alt.__version__} vega-lite {alt.SCHEMA_VERSION} "
                         f"jsonschema {JSONSCHEMA_VERSION}".encode()).hexdigest()

    def check() -> bytes:
        for drawn, spec in specs.items():
            try:
                alt.TopLevelSpec.validate(spec)
            except jsonschema.ValidationError as err:
                with debug_mode(False):
                    reason = SchemaValidationError(alt.TopLevelSpec(spec), err)
                raise ValueError(f"chart {title!r}: the Vega-Lite spec of {drawn} breaks the schema "
                                 f"({alt.SCHEMA_VERSION}): {reason}") from None
        return b"valid\n"

    cached_bytes(f"chart-specs-valid/{key[:24]}", check)


# Where the drawing library looks for the fonts it sets a chart's text in (fontdb's places on Linux).
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path.home() / ".local" / "share" / "fonts"]


@functools.lru_cache(maxsize=1)
def fonts_installed() -> str:
    """A hash of the font files the drawing library can find (their paths, sizes and modification times): the
    pictures' text is set in them, so installing a font (Chromium's set-up brings some) changes the pictures."""
    digest = hashlib.sha256()
    for folder in FONT_DIRS:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def pictures(picture: dict) -> tuple[bytes, bytes]:
    """The chart's static SVG and PNG. Drawing them is a page's costliest step, so each is kept in the build's
    cache under a hash of its spec, the drawing library's versions and the fonts installed: a page re-run with
    the same chart draws nothing."""
    key = hashlib.sha256(json.dumps([picture, VL_VERSION, vlc.__version__, fonts_installed()],
                                    sort_keys=True).encode()).hexdigest()
    svg = cached_bytes(f"charts/{key[:24]}.svg", lambda: vlc.vegalite_to_svg(picture, vl_version=VL_VERSION).encode())
    png = cached_bytes(f"charts/{key[:24]}.png", lambda: vlc.vegalite_to_png(picture, vl_version=VL_VERSION, scale=2))
    return svg, png


def ship_files(notebook: Path, out: Path) -> None:
    """Stage a page's charts: move the files they carry (CSV, SVG, PNG) out of its executed notebook into ``out``,
    and say what holds for all of them once, at the top of the page (``chartkey.gather_page_notes``)."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if not html:
                continue
            text = "".join(html) if isinstance(html, list) else html
            for name, content in FILE_PAYLOAD.findall(text):
                out.mkdir(parents=True, exist_ok=True)
                (out / name).write_bytes(base64.b64decode(content))
            output["data"]["text/html"] = FILE_PAYLOAD.sub("", text)
    nbformat.write(gather_page_notes(nb), notebook)
