"""The analyst's page: an executed chapter as HTML a browser opens, and a CSV of every figure it shows.

The page keeps the chapter's text and outputs as the book shows them (cells tagged
``remove-cell`` left out, code hidden), with the same offline charts (the Vega scripts
are copied beside it) and every traced number still a link, pointing back to the
published site's fact index. The CSV lists each fact or derived figure the page
shows, in the order it first appears, with its id, the text shown and its value.
"""

from __future__ import annotations

import ast
import base64
import csv
import html
import os
import re
import shutil
from pathlib import Path

import pandas as pd

GLUE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
CHARTS = "charts"  # beside the page: the files its charts link to
FIGURE_COLUMNS = ["id", "kind", "shown", "times_shown", "value", "unit", "qualifier", "fiscal_year",
                  "component", "source", "locator"]


def _body(notebook: Path) -> str:
    """The chapter's markdown rendered and its HTML outputs, as the book shows them."""
    import nbformat
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark").enable("table")
    cells = nbformat.read(notebook, as_version=4).cells
    glued = _glued(cells)
    parts = []
    for cell in cells:
        if "remove-cell" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            parts.append(markdown.render(GLUE.sub(lambda m: glued.get(m[1], m[0]), cell.source)))
        elif cell.cell_type == "code":
            parts += [out["data"]["text/html"] for out in cell.get("outputs", [])
                      if "text/html" in out.get("data", {}) and "scrapbook" not in out.get("metadata", {})]
    return "\n".join(parts)


def _glued(cells: list) -> dict[str, str]:
    """The text values the chapter glued (myst-nb's ``glue``), by name."""
    values = {}
    for cell in cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = next((v for k, v in out.get("data", {}).items() if k.endswith("text/plain")), None)
            if name and text is not None:
                try:
                    values[name] = str(ast.literal_eval(text))
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


def _ship_charts(body: str, out: Path) -> str:
    """The files each chart carries (CSV, SVG, PNG) written to ``out/charts/``, and the page pointed at them."""
    from .chart import FILE_PAYLOAD, FILES_URL

    for name, content in FILE_PAYLOAD.findall(body):
        (out / CHARTS).mkdir(exist_ok=True)
        (out / CHARTS / name).write_bytes(base64.b64decode(content))
    return FILE_PAYLOAD.sub("", body).replace(f"{FILES_URL}/", f"{CHARTS}/")


def _relink(soup, pages: str) -> None:
    """Links between the book's pages point into the published site instead."""
    for link in soup.select("a[href]"):
        href = link["href"]
        if not href.startswith(("#", "http:", "https:", "mailto:", "/", "data:", f"{CHARTS}/")):
            link["href"] = f"{pages}/{href}"


def figures(soup, data) -> list[dict]:
    """Every traced figure on the page, once each, in the order it first appears."""
    rows: dict[str, dict] = {}
    for link in soup.select("a.fact[href], a.derived[href]"):
        figure_id = link["href"].rpartition("#")[2]
        if figure_id in rows:
            rows[figure_id]["times_shown"] += 1
            continue
        if figure_id in data.facts.index:
            row = data.fact(figure_id)
            extra = {"kind": "fact", "qualifier": row["qualifier"], "source": row["source"],
                     "locator": row["locator"], "fiscal_year": row["fiscal_year"]}
        elif figure_id in data.derived.index:
            row = data.derived_figure(figure_id)
            extra = {"kind": "derived", "qualifier": "", "source": "", "locator": row["formula"],
                     "fiscal_year": row["fiscal_year"]}
        else:
            continue
        year = extra.pop("fiscal_year")
        rows[figure_id] = {"id": figure_id, "shown": link.get_text(" ", strip=True), "times_shown": 1,
                           "value": f"{float(row['value']):.15g}", "unit": row["unit"],
                           "fiscal_year": "" if pd.isna(year) else int(year), "component": row["component"],
                           **extra}
    return list(rows.values())


def write_page(notebook: Path, title: str, site_pages: Path, vendor: dict[str, Path],
               css: Path) -> tuple[Path, Path]:
    """Write ``<page>.html`` and ``<page>.figures.csv`` beside an executed notebook; return both paths."""
    from bs4 import BeautifulSoup

    from .data import book

    out = notebook.parent
    soup = BeautifulSoup(_ship_charts(_body(notebook), out), "html.parser")
    _relink(soup, Path(os.path.relpath(site_pages, out)).as_posix())
    (out / "vendor").mkdir(exist_ok=True)
    for name, origin in vendor.items():
        shutil.copy2(origin, out / "vendor" / name)
    shutil.copy2(css, out / "vendor" / css.name)
    scripts = "".join(f'<script src="vendor/{name}"></script>' for name in vendor)
    page = out / f"{notebook.stem}.html"
    page.write_text(f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
                    f'</title><link rel="stylesheet" href="vendor/{css.name}">{scripts}</head>\n'
                    f'<body><main><p class="analyst-run">{html.escape(title)}</p>\n{soup}\n</main></body></html>\n',
                    encoding="utf-8")
    table = out / f"{notebook.stem}.figures.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIGURE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(figures(soup, book()))
    return page, table
