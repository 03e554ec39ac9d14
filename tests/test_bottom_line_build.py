"""The home page's bottom-line chart is made from the comparability rule at build time: on a copy of the project, a
doubt declared in the data about one figure (a fact's ``scope_doubt``) takes its change off the chart, moves its
measure to the list of measures not compared with the rule's reason, and changes the title's count."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import build
from icebook.pages.fmt import count_word
from test_build import Edit, write_facts

pytestmark = pytest.mark.slow
DOUBTED = "ar2020-hsi-narcotics-seized"  # "more than 1.4 million pounds of narcotics" (FY 2020)


def bottom_line(project: Path) -> tuple[str, list[str], str]:
    """The home page's bottom-line chart: its title, the changes it draws, and the list of measures not compared."""
    html = (project / "_build" / "html" / "chapters" / "pages" / "home.html").read_text()
    figure = re.search(r'<div class="bottom-line">.*?</figure>', html, re.S)[0]
    title = re.sub(r"<[^>]+>", "", re.search(r'<p class="chart-title"[^>]*>(.*?)</p>', figure)[1])
    spec = json.loads(re.search(r'<script type="application/json" class="chart-spec">(.*?)</script>', figure)[1]
                      .replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"))
    listed = re.search(r'<aside class="not-compared">(.*?)</aside>', html, re.S)[1]
    return title, [row["row"] for row in spec["data"]["values"]], listed


def test_a_doubt_declared_in_the_data_takes_a_change_off_the_bottom_line(built_project: Path):
    project = built_project
    title, rows, listed = bottom_line(project)
    # "almost a million" (FY 2017) to "more than 1.4 million" (FY 2020) pounds: at least +40%, a rise shown by a bound
    assert "Narcotics seized by HSI, FY 2017 to FY 2020" in rows and "one rise shown only by a bound" in title
    before = len(rows)
    assert "measure-hsi-narcotics" not in listed
    path = project / "data" / "facts" / "ar2020-hsi-and-offices.csv"
    with Edit(path) as edit:
        facts = list(csv.DictReader(io.StringIO(edit.original.decode())))
        next(f for f in facts if f["id"] == DOUBTED)["scope_doubt"] = (
            "a test's doubt: the report may count narcotics seized with others")
        write_facts(path, facts)
        result = build(project)
        assert result.returncode == 0, result.stderr
        title, rows, listed = bottom_line(project)
        assert "Narcotics seized by HSI, FY 2017 to FY 2020" not in rows and len(rows) == before - 1
        assert title.startswith(f"The book computes {count_word(before - 1)} changes from FY 2017")
        assert "rise" not in title
        assert 'href="comparison.html#measure-hsi-narcotics">Narcotics seized by HSI</a>: ' in listed
        assert "Narcotics seized by HSI: the book doubts what a figure counts" in re.sub(r"<[^>]+>", "", listed)
