"""Adding a source is a data change: add-source, fill in the stub, add facts, build; no other edit.

The source is the small made-up text of tests/newsource.py (an FY 2018 and an FY 2019 removals count and an FY 2019
arrests count), added to a temporary copy of the project by the README's steps. Counts are the real data's plus one,
so the test holds whatever sources the book has.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from icebook import load
from icebook.core.text import NUMBER_WORDS
from newsource import FACT_IDS, SOURCE_ID, TEXT, add_source, run_icebook

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("one-more")]  # one worker builds book_with_one_more
REAL = len(yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8")))  # sources before the test's


def _files_outside_data(root: Path) -> dict[str, str]:
    skip = {"data", "_build", "node_modules", "__pycache__"}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(root).parts)}


@pytest.fixture(scope="module")
def book_with_one_more(tmp_path_factory, copy_project) -> tuple[Path, dict[str, str], dict]:
    root = copy_project(tmp_path_factory.mktemp("one-more"))
    if (ROOT / "_build" / "executed").exists():  # pages that read nothing the new source changes are not run again
        shutil.copytree(ROOT / "_build" / "executed", root / "_build" / "executed")
    before = _files_outside_data(root)
    runs = add_source(root)
    runs["build"] = run_icebook(root, "build")
    return root, before, runs


def _page(root: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((root / "_build" / "html" / "chapters" / "pages" / name).read_text(), "html.parser")


def test_add_source_writes_the_copy_the_full_hash_a_stub_and_the_facts_header(book_with_one_more):
    root, _, runs = book_with_one_more
    assert runs["add"].returncode == 0, runs["add"].stderr
    copy = root / "data" / "sources" / TEXT.name
    assert copy.read_bytes() == TEXT.read_bytes()
    assert hashlib.sha256(copy.read_bytes()).hexdigest() in (root / "data" / "sources.yaml").read_text()
    header = next(csv.reader((root / "data" / "facts" / f"{SOURCE_ID}.csv").open()))
    assert header[:3] == ["id", "source", "locator"]
    # The stub as written does not validate: it names what is left to fill in.
    assert runs["stub"].returncode == 1
    assert f"({SOURCE_ID}), field 'title': still to fill in" in runs["stub"].stderr


def test_filled_in_source_validates_and_impact_names_the_pages_it_feeds(book_with_one_more):
    _, _, runs = book_with_one_more
    assert runs["validate"].returncode == 0, runs["validate"].stderr
    assert f"{REAL + 1} sources" in runs["validate"].stdout
    for page in ("comparison (comparison.md): reads facts", "fact-index", "sources (sources.md)"):
        assert page in runs["impact"].stdout, runs["impact"].stdout


def test_the_book_builds_with_the_new_years_on_every_page_that_lists_sources(book_with_one_more):
    root, _, runs = book_with_one_more
    assert runs["build"].returncode == 0, runs["build"].stderr
    coverage = next(t for t in _page(root, "comparison.html").select("table")
                    if t.caption and "Which source reports" in t.caption.get_text())
    header = [th.get_text(strip=True) for th in coverage.select("thead th")]
    row = next(tr for tr in coverage.select("tbody tr") if tr.td.get_text(strip=True) == "ERO removals")
    cells = dict(zip(header, [td.get_text(strip=True) for td in row.select("td")], strict=True))
    assert "Made-up summary" in cells["FY 2018"] and "Made-up summary" in cells["FY 2019"]
    comparison = str(_page(root, "comparison.html"))
    for fact_id in FACT_IDS:  # each on its source's page of the fact index, which the build made for it
        assert f"facts-{SOURCE_ID}.html#{fact_id}" in comparison
        assert _page(root, f"facts-{SOURCE_ID}.html").find(id=fact_id) is not None
    sources = _page(root, "sources.html")
    assert sources.find(id=f"source-{SOURCE_ID}") is not None
    entries = [" ".join(c.get_text(" ").split()) for c in sources.select("div.citation")]
    assert any(e.startswith("[ Made-up summary ]") and "ERO Removals Summary, Fiscal Years 2018 and 2019" in e
               for e in entries), entries
    findings = _page(root, "home.html").select_one("ol.key-findings")
    real = load(ROOT / "data").facts
    if findings is not None and not ((real["metric"] == "ero_removals") & (real["fiscal_year"] == 2017)).any():
        # With no real FY 2017 count of ERO removals, the new source's "In FY 2018, ERO removed 250,100
        # aliens" and "In FY 2019, ERO removed 260,200 aliens" are two consecutive years worded alike:
        # (260,200 − 250,100) / 250,100 = +4.04%, compared exactly.
        text = " ".join(findings.get_text(" ").split())
        assert re.search(r"reported ERO removals: 250,100 \(Made-up summary, FY 2018\) and 260,200 \(Made-up summary, "
                         r"FY 2019\); the book's verdict: compared exactly , \+4\.0%", text), text
    downloads = root / "_build" / "html" / "_static" / "downloads"
    assert set(FACT_IDS) <= {r["id"] for r in csv.DictReader((downloads / "facts.csv").open())}
    assert SOURCE_ID in {r["id"] for r in csv.DictReader((downloads / "sources.csv").open())}
    assert (downloads / "sources" / TEXT.name).exists()


def test_no_page_counts_the_sources_before_and_home_and_sources_count_one_more(book_with_one_more):
    root, _, _ = book_with_one_more
    before, after = NUMBER_WORDS[REAL], NUMBER_WORDS[REAL + 1]
    site = root / "_build" / "html"
    for page in site.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = " ".join(BeautifulSoup(page.read_text(), "html.parser").get_text(" ").split())
        assert not re.search(rf"\b{before} (?:\w+ )?(?:sources|documents)\b", text, re.I), page
    assert f"what {after} documents say" in " ".join(_page(root, "home.html").get_text(" ").split())
    assert f"The book cites {after} documents" in " ".join(_page(root, "sources.html").get_text(" ").split())


def test_nothing_outside_data_changed(book_with_one_more):
    root, before, _ = book_with_one_more
    assert _files_outside_data(root) == before
