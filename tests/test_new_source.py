"""Adding a sixth source is a data change: add-source, fill in the stub, add facts, build; no other edit.

The source is a small made-up text in tests/fixtures/sixth_source/ (an FY 2018 and an FY 2019
removals count and an FY 2019 arrests count), added to a temporary copy of the project.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "sixth_source"
NEW_FACTS = ["ero2019-removals-fy2018", "ero2019-removals-fy2019", "ero2019-arrests-fy2019"]
pytestmark = pytest.mark.slow
Run = subprocess.CompletedProcess


def _files_outside_data(root: Path) -> dict[str, str]:
    skip = {"data", "_build", "node_modules", "__pycache__"}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(root).parts)}


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root / "lib"), "ICEBOOK_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "icebook", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=1200)


def _fill_in_stub(registry: Path) -> None:
    """What a maintainer does by hand: replace the stub's FILL IN lines with the source's details."""
    text = registry.read_text(encoding="utf-8")
    head, stub = text.split("- id: ero2019\n")
    for key, value in yaml.safe_load((FIXTURE / "registry.yaml").read_text()).items():
        stub = re.sub(rf"(?m)^  {key}: .*$", f"  {key}: {yaml.safe_dump(value, default_style=None).split(chr(10))[0]}",
                      stub)
    registry.write_text(head + "- id: ero2019\n" + stub, encoding="utf-8")


def _add_wordings(catalog: Path) -> None:
    """What a maintainer adds for facts of a measure's metric: the words each quote uses for what it counts."""
    lines = [line for line in (FIXTURE / "wordings.yaml").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    catalog.write_text(catalog.read_text(encoding="utf-8") + "".join(f"  {line}\n" for line in lines),
                       encoding="utf-8")


@pytest.fixture(scope="module")
def book_with_six(tmp_path_factory, copy_project) -> tuple[Path, dict[str, str], dict[str, Run]]:
    root = copy_project(tmp_path_factory.mktemp("six"))
    before = _files_outside_data(root)
    runs = {"add": _run(root, "add-source", str(FIXTURE / "ero-removals-summary.md"), "--id", "ero2019")}
    runs["stub"] = _run(root, "validate")
    _fill_in_stub(root / "data" / "sources.yaml")
    with (root / "data" / "facts" / "ero2019.csv").open("a", encoding="utf-8") as handle:
        handle.write((FIXTURE / "facts.csv").read_text(encoding="utf-8"))
    _add_wordings(root / "data" / "metrics.yaml")
    runs["validate"] = _run(root, "validate")
    runs["impact"] = _run(root, "impact", "data/facts/ero2019.csv")
    runs["build"] = _run(root, "build")
    return root, before, runs


def _page(root: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((root / "_build" / "html" / "chapters" / "pages" / name).read_text(), "html.parser")


def test_add_source_writes_the_copy_the_full_hash_a_stub_and_the_facts_header(book_with_six):
    root, _, runs = book_with_six
    assert runs["add"].returncode == 0, runs["add"].stderr
    copy = root / "data" / "sources" / "ero-removals-summary.md"
    assert copy.read_bytes() == (FIXTURE / "ero-removals-summary.md").read_bytes()
    assert hashlib.sha256(copy.read_bytes()).hexdigest() in (root / "data" / "sources.yaml").read_text()
    header = next(csv.reader((root / "data" / "facts" / "ero2019.csv").open()))
    assert header[:3] == ["id", "source", "locator"]
    # The stub as written does not validate: it names what is left to fill in.
    assert runs["stub"].returncode == 1
    assert "(ero2019), field 'title': still to fill in" in runs["stub"].stderr


def test_filled_in_source_validates_and_impact_names_the_pages_it_feeds(book_with_six):
    _, _, runs = book_with_six
    assert runs["validate"].returncode == 0, runs["validate"].stderr
    assert "6 sources" in runs["validate"].stdout
    for page in ("comparison (comparison.md): reads facts", "fact-index", "sources (sources.md)"):
        assert page in runs["impact"].stdout, runs["impact"].stdout


def test_the_book_builds_with_the_new_years_on_every_page_that_lists_sources(book_with_six):
    root, _, runs = book_with_six
    assert runs["build"].returncode == 0, runs["build"].stderr
    coverage = next(t for t in _page(root, "comparison.html").select("table")
                    if t.caption and "Which source reports" in t.caption.get_text())
    header = [th.get_text(strip=True) for th in coverage.select("thead th")]
    row = next(tr for tr in coverage.select("tbody tr") if tr.td.get_text(strip=True) == "ERO removals")
    cells = dict(zip(header, [td.get_text(strip=True) for td in row.select("td")], strict=True))
    assert "ERO summary" in cells["FY 2018"] and "ERO summary" in cells["FY 2019"]
    comparison = str(_page(root, "comparison.html"))
    index = _page(root, "fact-index.html")
    for fact_id in NEW_FACTS:
        assert f"fact-index.html#{fact_id}" in comparison
        assert index.find(id=fact_id) is not None
    sources = _page(root, "sources.html")
    assert sources.find(id="source-ero2019") is not None
    entries = [" ".join(c.get_text(" ").split()) for c in sources.select("div.citation")]
    assert any(e.startswith("[ ERO summary ]") and "ERO Removals Summary, Fiscal Years 2018 and 2019" in e
               for e in entries), entries
    findings = _page(root, "home.html").select_one("ol.key-findings")
    if findings is not None:
        # With the real sources ERO removals are reported for FY 2020 alone ("for one fiscal year only"); the
        # new FY 2018 and FY 2019 figures make it a measure with later years but no FY 2017 figure to set against.
        text = " ".join(findings.get_text(" ").split())
        assert re.search(r"ERO removals [^()]*\(no figure for FY 2017 to set later ones against\)", text), text
    downloads = root / "_build" / "html" / "_static" / "downloads"
    assert set(NEW_FACTS) <= {r["id"] for r in csv.DictReader((downloads / "facts.csv").open())}
    assert "ero2019" in {r["id"] for r in csv.DictReader((downloads / "sources.csv").open())}
    assert (downloads / "sources" / "ero-removals-summary.md").exists()


def test_no_page_counts_five_sources_and_home_counts_six(book_with_six):
    root, _, _ = book_with_six
    site = root / "_build" / "html"
    for page in site.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = " ".join(BeautifulSoup(page.read_text(), "html.parser").get_text(" ").split())
        assert not re.search(r"\bfive (?:\w+ )?(?:sources|documents)\b", text, re.I), page
    assert "what six documents say" in " ".join(_page(root, "home.html").get_text(" ").split())
    assert "The book cites six documents" in " ".join(_page(root, "sources.html").get_text(" ").split())


def test_nothing_outside_data_changed(book_with_six):
    root, before, _ = book_with_six
    assert _files_outside_data(root) == before
