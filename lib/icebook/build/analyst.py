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
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd

from icebook.core.errors import ParameterError
from icebook.sphinx.offline import kept_whole

GLUE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
LABEL = re.compile(r"^\(([\w-]+)\)=[ \t]*$", re.M)  # a MyST target, "(coverage)=", on a line of its own
CHARTS = "charts"  # beside the page: the files its charts link to
MANIFEST = ".icebook-analysis.json"  # in a folder an analyst run wrote to: a later run may write there again
FIGURE_COLUMNS = ["id", "kind", "shown", "times_shown", "value", "unit", "qualifier", "fiscal_year", "period",
                  "component", "source", "locator"]
# What the site's theme gives every page and the page needs too: boxes that include their padding (the tables
# stacked on phones are 100% wide with padding), a readable measure, and the run's note set apart. A long word
# folds only where it would overflow (break-word, not anywhere: "anywhere" let a table squeeze its columns to a
# few letters a line); a table wider than the page scrolls in its own box, its headers and figures whole.
STYLE = """<style>
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, sans-serif; line-height: 1.5; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; overflow-wrap: break-word; }
.table-scroll { max-width: 100%; overflow-x: auto; }
.table-scroll th, .table-scroll td { overflow-wrap: normal; }
.analyst-run { border: 2px solid #8a5a00; background: #fff7e6; padding: 0.75rem 1rem; margin: 0 0 1rem; }
</style>"""


def _body(notebook: Path) -> str:
    """The chapter's markdown rendered and its HTML outputs, as the book shows them."""
    import nbformat
    from markdown_it import MarkdownIt

    from icebook.pages.chartkey import gather_page_notes
    from icebook.pages.sections import MIME

    markdown = MarkdownIt("commonmark").enable("table")
    cells = gather_page_notes(nbformat.read(notebook, as_version=4)).cells  # the charts' shared notes said once
    glued = _glued(cells)
    parts = []
    for cell in cells:
        if "remove-cell" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            text = GLUE.sub(lambda m: glued.get(m[1], m[0]), cell.source)
            parts.append(markdown.render(LABEL.sub(lambda m: f'<span id="{m[1]}"></span>\n', text)))
        elif cell.cell_type == "code":
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if MIME in data:  # a heading the chapter made from data (sections.heading): the site's as Markdown
                    level = int(data[MIME]["level"])
                    parts.append(f'<h{level} id="{html.escape(data[MIME]["anchor"])}">'
                                 f'{html.escape(data[MIME]["text"])}</h{level}>')
                elif "text/html" in data and "scrapbook" not in out.get("metadata", {}):
                    parts.append(data["text/html"])
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


def check_out(target: Path, given: str, own: Path) -> None:
    """Refuse an ``--out`` folder a run could clobber: it must be new, empty, under ``own`` (the build's
    ``_build/analysis/``), or one an earlier analyst run made (its manifest says so); the root and the home
    folder never are."""
    where = f"--out {given}: {target}"
    forbidden = {Path(target.anchor): "the root folder", Path.home().resolve(): "your home folder"}
    if target in forbidden:
        raise ParameterError(f"{where} is {forbidden[target]}; give a new or empty folder for the run")
    if target.is_relative_to(own) or not os.path.lexists(target):
        return
    if not target.is_dir():
        raise ParameterError(f"{where} is not a folder; give a new or empty folder for the run")
    if (target / MANIFEST).is_file() or not any(target.iterdir()):
        return
    raise ParameterError(f"{where} holds files that no analyst run wrote (it has no {MANIFEST}); the run would "
                         "replace those of the same names. Give a new or empty folder, or one an earlier run wrote")


def mark_out(target: Path, chapter: str, pages: list[str]) -> None:
    """Make the run's folder and mark it as an analyst run's, so a later run may write there again."""
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).write_text(json.dumps({"written_by": "python -m icebook build --only", "chapter": chapter,
                                               "pages": pages}, indent=1) + "\n", encoding="utf-8")


def _ship_charts(body: str, out: Path) -> str:
    """The files each chart carries (CSV, SVG, PNG) written to ``out/charts/``, and the page pointed at them."""
    from icebook.pages.chartfiles import FILE_PAYLOAD, FILES_URL

    for name, content in FILE_PAYLOAD.findall(body):
        if "/" in name or name.startswith("."):
            raise ValueError(f"a chart names the file {name!r}, which is not a plain file name")
        (out / CHARTS).mkdir(exist_ok=True)
        (out / CHARTS / name).write_bytes(base64.b64decode(content))
    return FILE_PAYLOAD.sub("", body).replace(f"{FILES_URL}/", f"{CHARTS}/")


def _relink(soup, pages: str, own: str) -> None:
    """Links between the book's pages point into the published site instead; a link to this page itself
    (``own``, e.g. "comparison.html#change-…") stays on it, as its anchors are this run's."""
    for link in soup.select("a[href]"):
        href = link["href"]
        if href.startswith(f"{own}#"):
            link["href"] = href[len(own):]
        elif not href.startswith(("#", "http:", "https:", "mailto:", "/", "data:", f"{CHARTS}/")):
            link["href"] = f"{pages}/{href}"


def figures(soup, data) -> list[dict]:
    """Every traced figure on the page, once each, in the order it first appears: facts, derived figures, and
    the changes the page computes (each with its two facts, and as the page words it, bound and all)."""
    from icebook.data.comparability import FORMULA
    from icebook.pages.fmt import period_text

    rows: dict[str, dict] = {}
    for link in soup.select("a.fact[href], a.derived[href]"):
        figure_id = link["href"].rpartition("#")[2]
        if figure_id in rows:
            rows[figure_id]["times_shown"] += 1
            continue
        shown = link.get_text(" ", strip=True)
        if figure_id in data.facts.index:
            row = data.fact(figure_id)
            extra = {"kind": "fact", "qualifier": row["qualifier"], "source": row["source"],
                     "locator": row["locator"], "fiscal_year": row["fiscal_year"], "period": period_text(row)}
        elif figure_id in data.derived.index:
            row = data.derived_figure(figure_id)
            extra = {"kind": "derived", "qualifier": "", "source": "", "locator": row["formula"],
                     "fiscal_year": row["fiscal_year"], "period": ""}
        elif link.get("data-facts"):  # a change the page computes (verdicts.change_link): its two facts
            pair = link["data-facts"].split()
            later = data.fact(pair[1])
            rows[figure_id] = {"id": figure_id, "kind": "change", "shown": shown, "times_shown": 1, "value": "",
                               "unit": "percent", "qualifier": "as shown", "fiscal_year": later["fiscal_year"]
                               if not pd.isna(later["fiscal_year"]) else "", "period": "",
                               "component": later["component"], "source": "",
                               "locator": f"{FORMULA}, base = {pair[0]}, later = {pair[1]}"}
            continue
        else:
            continue
        year = extra.pop("fiscal_year")
        rows[figure_id] = {"id": figure_id, "shown": shown, "times_shown": 1,
                           "value": f"{float(row['value']):.15g}", "unit": row["unit"],
                           "fiscal_year": "" if pd.isna(year) else int(year), "component": row["component"],
                           **extra}
    return list(rows.values())


def run_note(chapter: str, page: str, parameters: dict) -> str:
    """What the analyst page says of itself, first: that it is a run with these parameters, not the book."""
    def value(v: object) -> str:
        return ", ".join(map(str, v)) if isinstance(v, list) else str(v)

    given = "; ".join(f"{name.replace('_', ' ')} {value(v)}" for name, v in parameters.items()) or "its defaults"
    return (f"Analyst run, not the published book: chapter “{chapter}” (page {page}) run with {given}. The "
            "figures, tables and charts follow these parameters. Text the chapter does not compute from them is the "
            "published chapter's: its title, and the notes written in the data about each measure, which may name "
            "figures of years this run leaves out, each followed by its year.")


def write_page(notebook: Path, title: str, site_pages: Path, vendor: dict[str, Path],
               css: Path) -> tuple[Path, Path]:
    """Write ``<page>.html`` and ``<page>.figures.csv`` beside an executed notebook; return both paths."""
    from bs4 import BeautifulSoup

    from icebook.data.loader import book

    out = notebook.parent
    soup = BeautifulSoup(_ship_charts(_body(notebook), out), "html.parser")
    _relink(soup, Path(os.path.relpath(site_pages, out)).as_posix(), f"{notebook.stem}.html")
    for table in soup.find_all("table"):  # each in a box of its own that scrolls, reachable by the keyboard
        table.wrap(soup.new_tag("div", attrs={"class": "table-scroll", "tabindex": "0"}))
    (out / "vendor").mkdir(exist_ok=True)
    for name, origin in vendor.items():
        shutil.copy2(origin, out / "vendor" / name)
    shutil.copy2(css, out / "vendor" / css.name)
    scripts = "".join(f'<script src="vendor/{name}"></script>' for name in vendor)
    page = out / f"{notebook.stem}.html"
    page.write_text(f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
                    f'</title><meta name="viewport" content="width=device-width, initial-scale=1">'
                    f'<link rel="stylesheet" href="vendor/{css.name}">{STYLE}{scripts}</head>\n'
                    f'<body><main><p class="analyst-run" role="note">{html.escape(title)}</p>\n'
                    f'{kept_whole(str(soup))}\n'
                    '</main></body></html>\n',
                    encoding="utf-8")
    table = out / f"{notebook.stem}.figures.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIGURE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(figures(soup, book()))
    return page, table
