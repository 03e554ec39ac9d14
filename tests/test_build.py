"""The build on a copy of the project: incremental, atomic, checked parameters, no stale output.

Each test has a built copy of its own (conftest's ``built_project``: a copy of a project built once per
test process, from this checkout's executed notebooks when they exist), so each test pays only for what it
changes and none depends on what another left.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from conftest import append_cell, build
from icebook.data.facts import FIELD_LIMIT

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture
def project(built_project: Path) -> Path:
    """This test's own built copy of the project: what one test changes, no other sees."""
    return built_project


def site_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((root / "_build" / "html").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def executed(result: subprocess.CompletedProcess) -> tuple[int, int]:
    match = re.search(r"notebooks: (\d+) executed, (\d+) reused", result.stdout)
    assert match, result.stdout + result.stderr
    return int(match[1]), int(match[2])


class Edit:
    """Change one file of the copy for a test, and put it back afterwards."""

    def __init__(self, path: Path):
        self.path, self.original = path, path.read_bytes()

    def __enter__(self) -> Edit:
        return self

    def __exit__(self, *exc) -> None:
        self.path.write_bytes(self.original)


def test_nothing_changed_runs_no_notebook_and_no_sphinx(project: Path):
    result = build(project)
    assert result.returncode == 0
    assert "nothing changed since the published site" in result.stdout


@pytest.mark.long
def test_changed_measure_label_reruns_exactly_the_pages_that_read_that_measure(project: Path):
    """The first measure's label (metrics.yaml) is read by the comparison and home pages; the oversight page
    reads every measure (it looks two up by id) and the organisation page the whole catalog (it picks the
    metrics that say how big a component is); the methods page counts the pairs of every measure. Each profile
    reads every measure too: its key figures are first those the comparability rule compares. The fact index
    reads metrics' labels one by one, and re-runs only
    when one of those changes."""
    pages = list(list_pages(project))
    profiles = sorted(p for p in pages if p.startswith("profile-"))
    assert len(profiles) == 7
    rerun = sorted(["comparison", "home", "methods", "organisation", "oversight", *profiles])
    with Edit(project / "data" / "metrics.yaml") as edit:
        text = edit.original.decode()
        first_label = re.search(r"label: (.+)", text)[1]
        edit.path.write_text(text.replace(f"label: {first_label}", "label: Renamed measure for the test", 1))
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert executed(result) == (len(rerun), len(pages) - len(rerun))
        assert sorted(ran(result)) == rerun
        # Progress, one line per notebook when the output is a log: which notebook, n of m, elapsed.
        assert re.search(rf"notebooks: \d+/{len(rerun)} comparison \(\d+\.\d s\), \d+ s elapsed", result.stderr), \
            result.stderr
        assert "re-running home: records it read changed (measures)" in result.stderr
        html = (project / "_build" / "html" / "chapters" / "pages" / "comparison.html").read_text()
        assert "Renamed measure for the test" in html
    result = build(project)
    assert sorted(ran(result)) == rerun


def ran(result: subprocess.CompletedProcess) -> list[str]:
    """The pages a build executed, from its progress lines."""
    return re.findall(r"notebooks: \d+/\d+ (\S+) \(\d+\.\d s\)", result.stderr)


def write_facts(path: Path, rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def pages_linking(project: Path, fact_id: str) -> set[str]:
    """The pages of the published site that show a fact: those linking to its entry in the fact index (on its
    source's page, facts-<source>.html)."""
    pages = project / "_build" / "html" / "chapters" / "pages"
    link = re.compile(rf'href="(?:facts-[a-z0-9]+\.html)?#{re.escape(fact_id)}"')
    return {p.stem for p in pages.glob("*.html") if link.search(p.read_text())}


def fact_entry(project: Path, fact_id: str) -> str:
    """A fact's entry in the fact index, on its source's page, as HTML."""
    page = project / "_build" / "html" / "chapters" / "pages" / f"facts-{fact_id.split('-')[0]}.html"
    return re.search(rf'<li class="fact-entry" id="{fact_id}".*?</li>', page.read_text(), re.S)[0]


FOOTER = r"Edition of [\d-]+ · data version \w+"  # every page's footer names the data version: any data edit changes it
EVERY_FACT = {"checking"}  # checks every quote against the claims
WRITTEN_BY_BUILD = {"changes"}  # not a chapter: the build writes it afresh from the data and the last edition


def a_fact_one_profile_shows(project: Path) -> tuple[Path, dict, str]:
    """A fact with notes, worded exactly, of a metric no measure compares, that one profile alone shows."""
    measured = {s["metric"] for m in yaml.safe_load((project / "data" / "metrics.yaml").read_text())["measures"]
                for s in m["series"]}
    for path in sorted((project / "data" / "facts").glob("*.csv")):
        for row in csv.DictReader(io.StringIO(path.read_text())):
            if not row["notes"] or row["qualifier"] != "exact" or row["metric"] in measured:
                continue
            shown = pages_linking(project, row["id"]) - EVERY_FACT - {f"facts-{row['source']}"}
            if len(shown) == 1 and next(iter(shown)).startswith("profile-"):
                return path, row, next(iter(shown))
    raise AssertionError("no fact that one profile alone shows")


@pytest.mark.long
def test_one_fact_s_notes_edited_rerun_only_its_readers_and_no_page_is_stale(project: Path):
    """Editing one fact's notes re-runs its source's page of the fact index, which shows its notes, and at most the one
    page that shows the fact (it re-runs only if it shows the notes too), not the pages that read the fact
    without its notes (the claims audit). The site then shows the new text everywhere, and matches a clean build."""
    path, fact, profile = a_fact_one_profile_shows(project)
    new_notes = "Notes edited by the lineage test."
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    next(r for r in rows if r["id"] == fact["id"])["notes"] = new_notes
    write_facts(path, rows)
    result = build(project)
    assert result.returncode == 0, result.stderr
    listing = f"facts-{fact['source']}"
    assert listing in ran(result) and set(ran(result)) <= {listing, profile}, result.stderr
    entry = fact_entry(project, fact["id"])
    assert new_notes in entry and fact["notes"] not in entry
    assert new_notes in (project / "_build" / "html" / "_static" / "downloads" / "facts.csv").read_text()
    assert_as_clean_build(project)


@pytest.mark.long
def test_a_fact_added_reruns_the_pages_whose_selection_takes_it_in_and_no_page_is_stale(project: Path):
    """Adding a fact re-runs the pages whose selection takes it in (the facts of its metric, of its component, the
    count of its source's facts), and no other page changes; the new fact is linked where its metric is compared,
    and the site matches a clean build."""
    before = readable_site(project, ignore=FOOTER)
    measured = yaml.safe_load((project / "data" / "metrics.yaml").read_text())["measures"][0]["series"][0]
    facts = {p: list(csv.DictReader(io.StringIO(p.read_text())))
             for p in sorted((project / "data" / "facts").glob("*.csv"))}
    where, old = next((p, r) for p, rows in facts.items() for r in rows if r["metric"] == measured["metric"])
    added = dict(old) | {"id": old["id"] + "-restated", "notes": "The same figure, stated again for the test."}
    write_facts(where, [*facts[where], added])
    result = build(project)
    assert result.returncode == 0, result.stderr
    rerun = set(ran(result))
    # comparison, home and methods select the facts of the measures' metrics; the profile of its component selects
    # that component's facts and the facts of the measures they belong to; the sources page counts each source's facts
    may = EVERY_FACT | {"comparison", "home", "methods", f"profile-{old['component'].lower()}", "sources",
                        "fact-index", f"facts-{old['source']}"}  # the two count the source's facts
    assert "comparison" in rerun and rerun <= may, result.stderr
    after = readable_site(project, ignore=FOOTER)
    changed = {Path(k).stem for k in after if k.startswith("chapters/pages/") and before.get(k) != after[k]}
    assert changed - WRITTEN_BY_BUILD <= rerun, f"pages changed but not re-run: {changed - rerun}"
    assert "comparison" in pages_linking(project, added["id"])  # a new fact of a compared metric
    assert_as_clean_build(project)


def assert_as_clean_build(project: Path) -> None:
    """The project's executed pages and site are those a clean build of the same inputs makes, in place (with
    nothing of ``_build/`` kept but the earlier editions, so both compare their data with the same one): no page is
    stale, and the pages the last build reused, executed by an earlier clean build, are byte for byte those this
    one executes, as are its downloads, so two clean builds give identical notebooks, pages and downloads."""
    executed_dir = project / "_build" / "executed"
    notebooks = {p.name: p.read_bytes() for p in executed_dir.glob("*.ipynb")}
    site = readable_site(project)
    for path in (project / "_build").iterdir():
        if path.name != "editions":
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert executed(result) == (len(notebooks), 0)
    clean = {p.name: p.read_bytes() for p in executed_dir.glob("*.ipynb")}
    assert clean.keys() == notebooks.keys()
    different = sorted(name for name in clean if clean[name] != notebooks[name])
    assert not different, f"executed notebooks that differ from a clean build's: {different}"
    clean_site = readable_site(project)
    assert clean_site.keys() == site.keys()
    stale = sorted(k for k in clean_site if clean_site[k] != site[k])
    assert not stale, f"pages differ from a clean build: {stale}"


@pytest.mark.long
def test_the_changes_page_lists_an_edited_fact_with_its_old_and_new_value_and_quote(project: Path):
    """A fact's value corrected in the data (a copy error recorded): the next edition's Changes page lists the fact
    with the value the last published edition had, the new one, and its quote; put back, the edition after lists
    the change the other way."""
    from bs4 import BeautifulSoup

    assert build(project).returncode == 0
    changes = project / "_build" / "html" / "chapters" / "pages" / "changes.html"
    path = sorted((project / "data" / "facts").glob("*.csv"))[0]
    with Edit(path) as edit:
        rows = list(csv.DictReader(io.StringIO(edit.original.decode())))
        fact = next(r for r in rows if r["unit"] == "count" and r["qualifier"] == "exact" and not r["ocr_correction"]
                    and r["printed"] == f"{int(float(r['value'])):,}")
        old_value = int(float(fact["value"]))
        fact["value"] = str(old_value + 1)
        fact["ocr_correction"] = f'printed "{fact["printed"]}", read as one more by the test'
        write_facts(path, rows)
        result = build(project)
        assert result.returncode == 0, result.stderr
        soup = BeautifulSoup(changes.read_text(), "html.parser")
        entry = next(e for e in soup.select(".change-entry") if e.select_one(f'a.fact[href$="#{fact["id"]}"]'))
        rows_shown = {tr.th.get_text(): [td.get_text(" ", strip=True) for td in tr.select("td")]
                      for tr in entry.select("tbody tr")}
        assert rows_shown["value read"] == [f"{old_value:,}", f"{old_value + 1:,}"]
        assert rows_shown["copy error"][0] == "(empty)" and "read as one more" in rows_shown["copy error"][1]
        assert entry.select_one("blockquote.source-quote").get_text() == fact["quote"]
    assert build(project).returncode == 0
    soup = BeautifulSoup(changes.read_text(), "html.parser")
    entry = next(e for e in soup.select(".change-entry") if e.select_one(f'a.fact[href$="#{fact["id"]}"]'))
    assert [td.get_text(" ", strip=True) for td in entry.select("tbody tr")[0].select("td")] == [
        f"{old_value + 1:,}", f"{old_value:,}"]


def list_pages(project: Path) -> list[str]:
    return json.loads((project / "_build" / "executed" / "manifest.json").read_text()).keys()


@pytest.mark.long
def test_changed_fact_value_reaches_the_page_no_stale_output(project: Path):
    """Correct a number in a source copy, its hash and its fact: the pages show the new number."""
    registry = project / "data" / "sources.yaml"
    sources = {s["id"]: project / "data" / "sources" / s["file"] for s in yaml.safe_load(registry.read_text())}
    csv_path, fact, old = None, None, None
    for path in sorted((project / "data" / "facts").glob("*.csv")):
        rows = list(csv.DictReader(io.StringIO(path.read_text())))
        for row in rows:
            text = sources[row["source"]].read_text()
            if re.fullmatch(r"\d{1,3},\d{3}", row["printed"]) and text.count(row["printed"]) == 1:
                csv_path, fact, old = path, row, row["printed"]
                break
        if fact:
            break
    assert fact, "no fact with a number printed once in its source"
    new = old[:-1] + str((int(old[-1]) + 1) % 10)
    source = sources[fact["source"]]
    with Edit(source), Edit(registry), Edit(csv_path):
        source.write_text(source.read_text().replace(old, new))
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        registry.write_text(re.sub(rf"(file: {re.escape(source.name)}(?:\n  .*)*?\n  sha256: )\w+",
                                   rf"\g<1>{digest}", registry.read_text()))
        rows = list(csv.DictReader(io.StringIO(csv_path.read_text())))
        for row in rows:
            row["quote"] = row["quote"].replace(old, new)
            if row["id"] == fact["id"]:
                row["printed"], row["value"] = new, new.replace(",", "")
        out = io.StringIO()
        writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        csv_path.write_text(out.getvalue())
        result = build(project)
        assert result.returncode == 0, result.stderr
        entry = fact_entry(project, fact["id"])
        link = re.search(r'<a class="fact"[^>]*>([^<]*)</a>', entry)[1]
        assert link == new, f"the fact index shows {link!r} for {fact['id']}, not the corrected {new!r}"


def _rewrite_first_fact(project: Path, change) -> str:
    csv_path = sorted((project / "data" / "facts").glob("*.csv"))[0]
    rows = list(csv.reader(io.StringIO(csv_path.read_text())))
    change(rows[1])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    csv_path.write_text(out.getvalue())
    return rows[1][0]


def _plant_malformed_csv(project: Path) -> list[str]:
    path = sorted((project / "data" / "facts").glob("*.csv"))[0]
    path.write_text(path.read_text() + "broken-row,with,too,few,fields\n")
    return [path.name, "malformed CSV row"]


def _plant_missing_quote(project: Path) -> list[str]:
    fact_id = _rewrite_first_fact(project, lambda row: row.__setitem__(4, "Nowhere said " + row[4]))
    return [fact_id, "quote not found"]


def _plant_changed_source(project: Path) -> list[str]:
    path = project / "data" / "sources" / "ice-oi-dro-enforcement-protocols.txt"
    path.write_text(path.read_text() + "\nAn added line.\n")
    return ["sources.yaml", "oidro", "does not match its recorded sha256"]


def _plant_raising_notebook(project: Path) -> list[str]:
    append_cell(project / "chapters" / "comparison.md",
                nbformat.v4.new_code_cell("raise ValueError('planted failure')"))
    return ["chapter 'comparison'", "cell", "ValueError: planted failure"]


def _plant_untraced_number(project: Path) -> list[str]:
    append_cell(project / "chapters" / "home.md",
                nbformat.v4.new_markdown_cell("ICE made 12,345 arrests that no source reports."))
    return ["home.html: untraced number '12,345'"]


def _plant_unknown_parameter(project: Path) -> list[str]:
    params = project / "chapters" / "params.yml"
    before, _, after = params.read_text().rpartition("baseline_year: {")  # the comparison's, the last declared
    params.write_text(f"{before}baseline_yaer: {{{after}")
    return ["chapter 'comparison': parameter(s) ['baseline_yaer'] declared in params.yml are not in "
            "comparison.md's parameters cell, which takes ['baseline_year', 'fiscal_years']"]


def _plant_out_of_range_parameter(project: Path) -> list[str]:
    params = project / "chapters" / "params.yml"
    params.write_text(params.read_text().replace("component: [ERO, IHSC,", "component: [ERO, CBP, IHSC,"))
    return ["chapter 'profiles', parameter 'component': 'CBP' is not allowed; allowed values:"]


def _plant_hanging_cell(project: Path) -> list[str]:
    """A cell that never returns, with a short limit: stopped, named as Jupyter numbers it, with the limit. Only the
    edited page runs; the limit is many times what its slowest cell takes on a busy machine (6 s once stopped one
    there)."""
    notebook = project / "chapters" / "home.md"
    code = [c for c in jupytext.read(notebook).cells if c.cell_type == "code" and c.source.strip()]
    append_cell(notebook, nbformat.v4.new_code_cell("import time\n\ntime.sleep(600)"))
    params = project / "chapters" / "params.yml"
    params.write_text(re.sub(r"(?m)^cell_timeout: \d+$", "cell_timeout: 15", params.read_text()))
    cell = f"cell [{len(code) + 2}] `import time`"  # after the cells before it and papermill's injected parameters
    return [f"still running: page 'home', {cell}",
            f"chapter 'home' (page 'home', chapters/home.md) stopped: {cell} ran past the time limit of 15 s "
            "per cell; raise it with --cell-timeout SECONDS or cell_timeout in chapters/params.yml"]


def _plant_unclosed_code_cell(project: Path) -> list[str]:
    """A chapter cut short inside its last code cell (a bad merge, a truncated save): named with the line."""
    notebook = project / "chapters" / "oversight.md"
    lines = notebook.read_text().splitlines(keepends=True)
    opening = max(n for n, line in enumerate(lines) if line.startswith("```{code-cell}"))
    notebook.write_text("".join(lines[: opening + 3]))
    return [f"chapters/oversight.md is not a readable text notebook (the code cell opened at line {opening + 1} "
            "is not closed)"]


def _plant_script_payload_in_measure_theme(project: Path) -> list[str]:
    path = project / "data" / "metrics.yaml"
    text = path.read_text()
    theme = re.search(r"theme: (.+)", text)[1]
    path.write_text(text.replace(f"theme: {theme}", "theme: '</script><!--<script>alert(1)'", 1))
    return ["data/metrics.yaml", "field 'theme'", "carries HTML or script markup"]


def _plant_nan_with_ocr_correction(project: Path) -> list[str]:
    def change(row: list[str]) -> None:
        row[6], row[15] = "nan", "the copy printed it so"
    fact_id = _rewrite_first_fact(project, change)
    return [fact_id, "field 'value'", "value 'nan' is not a plain number"]


def _plant_formula_in_note(project: Path) -> list[str]:
    fact_id = _rewrite_first_fact(project, lambda row: row.__setitem__(14, '=HYPERLINK("http://x.invalid","x")'))
    return [fact_id, "field 'notes'", "begins with '='", "spreadsheet would run as a formula"]


def _plant_bom(project: Path) -> list[str]:
    path = sorted((project / "data" / "facts").glob("*.csv"))[0]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return [f"1 problem(s) in the data:\n  - data/facts/{path.name}: file is not UTF-8 without BOM"]


def _plant_cp1252(project: Path) -> list[str]:
    path = sorted((project / "data" / "facts").glob("*.csv"))[0]
    path.write_bytes(path.read_bytes().replace("’".encode(), b"\x92", 1))
    return [f"1 problem(s) in the data:\n  - data/facts/{path.name}, row ", "file is not UTF-8 without BOM",
            "byte 0x92"]


def _plant_oversize_field(project: Path) -> list[str]:
    path = sorted((project / "data" / "facts").glob("*.csv"))[0]
    _rewrite_first_fact(project, lambda row: row.__setitem__(14, "x" * (FIELD_LIMIT + 1)))
    return [f"1 problem(s) in the data:\n  - data/facts/{path.name}, row 2: unreadable CSV: a field is longer "
            f"than the limit of {FIELD_LIMIT:,} characters"]


def _outside(project: Path) -> Path:
    """A folder beside the project, outside the repository: where a planted fault points."""
    folder = project.with_name(f"{project.name}-outside")
    folder.mkdir(exist_ok=True)
    return folder


def _first_derived(project: Path) -> tuple[Path, str, re.Match]:
    path = project / "data" / "derived.yaml"
    text = path.read_text()
    return path, text, re.search(r"(?m)^- id: (\S+)\n(?:  .*\n)*?  formula: (.*)\n  inputs: \{(.*)\}$", text)


def _plant_duplicate_yaml_key(project: Path) -> list[str]:
    """A second formula: YAML kept the last one, and the book published a wrong figure with exit 0."""
    path, text, entry = _first_derived(project)
    line = text[:entry.start(2)].count("\n") + 1
    path.write_text(text[:entry.end(2)] + "\n  formula: arrests * 100" + text[entry.end(2):])
    return ["error: 1 problem(s) in the data:",
            f"data/derived.yaml: duplicate key 'formula' on line {line + 1} (first on line {line})"]


def _plant_derived_self_reference(project: Path) -> list[str]:
    path, text, entry = _first_derived(project)
    path.write_text(text[:entry.end(3)] + f", itself: {entry[1]}" + text[entry.end(3):])
    return [f"data/derived.yaml ({entry[1]}), field 'inputs': names itself as an input"]


def _plant_derived_overflow(project: Path) -> list[str]:
    path, text, entry = _first_derived(project)
    path.write_text(text[:entry.start(2)] + f"({entry[2]}) * 1e308 * 1e308" + text[entry.end(2):])
    return [f"data/derived.yaml ({entry[1]}), field 'formula'", "must be a finite number"]


def _plant_value_not_plain(project: Path) -> list[str]:
    """Full-width digits: float() reads them, and the CSV kept them as written."""
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    fact_id = _rewrite_first_fact(project, lambda row: row.__setitem__(6, row[6].translate(wide)))
    return [f"({fact_id}), field 'value'", "is not a plain number; write ASCII digits"]


def _plant_tag_in_config(project: Path) -> list[str]:
    ran = _outside(project) / "tag-ran"
    path = project / "_config.yml"
    path.write_text(path.read_text() + f'\nicebook_extra: !!python/object/apply:os.system ["touch {ran}"]\n')
    line = path.read_text().count("\n")
    return [f"error: _config.yml: the tag !!python/object/apply:os.system on line {line} is not allowed"]


def _plant_config_list(project: Path) -> list[str]:
    (project / "_config.yml").write_text("- title\n- author\n")
    return ["error: _config.yml must hold a mapping (KEY: VALUE lines), not a list"]


def _plant_config_missing(project: Path) -> list[str]:
    (project / "_config.yml").unlink()
    return ["error: _config.yml is missing"]


def _plant_config_invalid(project: Path) -> list[str]:
    (project / "_toc.yml").write_text("format: jb-book\nroot: [index\n")
    return ["error: _toc.yml: malformed YAML: while parsing a flow sequence on line 2 ('root: [index')"]


def _plant_alias_bomb_in_params(project: Path) -> list[str]:
    """Nine levels of nine aliases: 387 million values had the loader expanded them for the error message."""
    params = project / "chapters" / "params.yml"
    levels = ["lol_a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for name, below in zip("bcdefghi", "abcdefgh", strict=True):
        levels.append(f"lol_{name}: &{name} [{', '.join([f'*{below}'] * 9)}]")
    text = params.read_text()
    line = text[:re.search(r"(?m)^cell_timeout: ", text).start()].count("\n") + 1
    params.write_text(re.sub(r"(?m)^cell_timeout: \d+$", "\n".join([*levels, "cell_timeout: *i"]), text))
    return [f"error: chapters/params.yml: an alias (*name) on line {line + 1} is not allowed"]


def _plant_params_list(project: Path) -> list[str]:
    (project / "chapters" / "params.yml").write_text("- home\n- comparison\n")
    return ["error: chapters/params.yml must hold a mapping (KEY: VALUE lines), not a list"]


def _plant_tag_in_vocabulary(project: Path) -> list[str]:
    path = project / "data" / "vocabulary.yaml"
    path.write_text(path.read_text() + "\nextra: !!python/name:os.system\n")
    return ["data/vocabulary.yaml: the tag !!python/name:os.system on line", "is not allowed"]


def _first_source(project: Path) -> tuple[Path, str]:
    registry = project / "data" / "sources.yaml"
    return registry, re.search(r"(?m)^  file: (.+)$", registry.read_text())[1]


def _plant_source_linked_from_outside(project: Path) -> list[str]:
    """The same bytes (so the recorded hash matches) in a file outside the repository, linked in."""
    _, name = _first_source(project)
    text = project / "data" / "sources" / name
    outside = _outside(project) / name
    shutil.copy2(text, outside)
    text.unlink()
    text.symlink_to(outside)
    return ["error: 1 problem(s) in the data:", f"data/sources/{name}: is a symbolic link to {outside}, outside "
            "data/; the book reads only files inside it"]


def _plant_source_path_climbing_out(project: Path) -> list[str]:
    registry, name = _first_source(project)
    shutil.copy2(project / "data" / "sources" / name, _outside(project) / "secret.md")
    climb = f"../../../{project.name}-outside/secret.md"
    registry.write_text(registry.read_text().replace(f"file: {name}", f"file: {climb}", 1))
    return ["error: 1 problem(s) in the data:", f"field 'file': file '{climb}' climbs out of its folder with '..'"]


def _plant_source_absolute_path(project: Path) -> list[str]:
    registry, name = _first_source(project)
    outside = _outside(project) / "secret.md"
    shutil.copy2(project / "data" / "sources" / name, outside)
    registry.write_text(registry.read_text().replace(f"file: {name}", f"file: {outside}", 1))
    return ["error: 1 problem(s) in the data:", f"field 'file': file '{outside}' is an absolute path"]


def _plant_facts_device(project: Path) -> list[str]:
    """A facts CSV that is /dev/zero: validation read it until memory ran out, the build skipped it."""
    os.mknod(project / "data" / "facts" / "zero.csv", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    return ["data/facts/zero.csv: is a character device, not a regular file"]


def _plant_facts_fifo(project: Path) -> list[str]:
    os.mkfifo(project / "data" / "facts" / "pipe.csv")
    return ["data/facts/pipe.csv: is a FIFO (named pipe), not a regular file"]


def _plant_chatty_cell(project: Path) -> list[str]:
    """A cell printing 50 MB held Sphinx for more than ten minutes; it is stopped as it prints."""
    notebook = project / "chapters" / "home.md"
    code = [c for c in jupytext.read(notebook).cells if c.cell_type == "code" and c.source.strip()]
    append_cell(notebook, nbformat.v4.new_code_cell('print("x" * 50_000_000)'))
    return [f"chapter 'home' (page 'home', chapters/home.md) stopped: cell [{len(code) + 2}] "
            "`print(\"x\" * 50_000_000)` took the page's printed past 100,000 characters",
            "raise printed_output_limit in chapters/params.yml"]


BAD_INPUTS = {  # name -> (what to plant, exit code)
    "malformed data file": (_plant_malformed_csv, 1),
    "quote no longer in its source": (_plant_missing_quote, 1),
    "changed source text": (_plant_changed_source, 1),
    "notebook that raises": (_plant_raising_notebook, 1),
    "untraced number in a chapter": (_plant_untraced_number, 1),
    "unknown parameter": (_plant_unknown_parameter, 2),
    "parameter out of range": (_plant_out_of_range_parameter, 2),
    "cell that never returns": (_plant_hanging_cell, 1),
    "chapter cut short in a code cell": (_plant_unclosed_code_cell, 1),
    "script-closing payload in a catalog field": (_plant_script_payload_in_measure_theme, 1),
    "nan value with an OCR correction": (_plant_nan_with_ocr_correction, 1),
    "formula in a note": (_plant_formula_in_note, 1),
    "byte-order mark": (_plant_bom, 1),
    "cp1252 file": (_plant_cp1252, 1),
    "field longer than the CSV limit": (_plant_oversize_field, 1),
    # issue 28: strict YAML, confined paths, plain numbers, one message per cause, bounded output
    "duplicate key in a YAML file": (_plant_duplicate_yaml_key, 1),
    "tag in _config.yml": (_plant_tag_in_config, 1),
    "_config.yml that is a list": (_plant_config_list, 1),
    "_config.yml missing": (_plant_config_missing, 1),
    "_toc.yml that is not valid YAML": (_plant_config_invalid, 1),
    "alias bomb in chapters/params.yml": (_plant_alias_bomb_in_params, 1),
    "chapters/params.yml that is a list": (_plant_params_list, 1),
    "tag in data/vocabulary.yaml": (_plant_tag_in_vocabulary, 1),
    "source text linked from outside": (_plant_source_linked_from_outside, 1),
    "source file climbing out with ..": (_plant_source_path_climbing_out, 1),
    "source file as an absolute path": (_plant_source_absolute_path, 1),
    "facts CSV that is a device": (_plant_facts_device, 1),
    "facts CSV that is a FIFO": (_plant_facts_fifo, 1),
    "derived figure naming itself": (_plant_derived_self_reference, 1),
    "derived formula overflowing": (_plant_derived_overflow, 1),
    "value in full-width digits": (_plant_value_not_plain, 1),
    "cell printing 50 MB": (_plant_chatty_cell, 1),
}
RESTORABLE = ["data", "chapters", "_config.yml", "_toc.yml"]


def _copy(source: Path, target: Path) -> None:
    (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)


def outside_state(project: Path) -> dict[str, tuple]:
    """Every file beside the project (outside the repository), with its size and modification time."""
    state = {}
    for path in sorted(project.parent.rglob("*")):
        if path != project and project not in path.parents and (path.is_symlink() or not path.is_dir()):
            status = path.lstat()
            state[str(path)] = (status.st_size, status.st_mtime_ns)
    return state


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_fails_loudly_keeps_the_last_good_site_and_recovers(project: Path, case: str, tmp_path: Path):
    """The exit code, the message, no traceback, the byte-identical site, and no file outside the repository
    created, changed or removed by the build."""
    plant, code = BAD_INPUTS[case]
    before = site_digest(project)
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in RESTORABLE:
        _copy(project / name, saved / name)
    try:
        expected = plant(project)
        outside = outside_state(project)
        result = build(project)
        assert result.returncode == code, result.stdout + result.stderr
        for fragment in expected:
            assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr}"
        assert "Traceback" not in result.stderr
        assert site_digest(project) == before
        assert outside_state(project) == outside
    finally:
        for name in RESTORABLE:
            target = project / name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            _copy(saved / name, target)
        shutil.rmtree(_outside(project))
    assert build(project).returncode == 0


@pytest.mark.parametrize("change, message", [
    ({"comparison": {"values": {"fiscal_year": [2020]}}},
     "chapter 'comparison': unknown parameter(s) ['fiscal_year']; "
     "this chapter takes ['baseline_year', 'fiscal_years']"),
    ({"comparison": {"values": {"fiscal_years": [2002, 2020]}}},  # the vocabulary's years run from FY 2003
     "chapter 'comparison', parameter 'fiscal_years': 2002 is not allowed; allowed values: [2003, 2004,"),
    ({"comparison": {"values": {"baseline_year": "2017"}}},
     "chapter 'comparison', parameter 'baseline_year': '2017' is not a int"),
    ({"profiles": {"values": {"component": ["ERO", "CBP"]}}},
     "chapter 'profiles', parameter 'component': 'CBP' is not allowed; allowed values: ["),
])
def test_bad_parameter_set_is_refused_before_anything_runs(project: Path, change: dict, message: str):
    before = site_digest(project)
    params = project / "chapters" / "params.yml"
    with Edit(params):
        config = yaml.safe_load(params.read_text())
        for chapter, entry in change.items():
            config["chapters"][chapter].setdefault("values", {}).update(entry["values"])
        params.write_text(yaml.safe_dump(config))
        result = build(project)
    assert result.returncode == 2
    assert message in result.stderr
    assert site_digest(project) == before


def test_analyst_mode_runs_one_chapter_elsewhere_and_keeps_the_site(project: Path):
    before = site_digest(project)
    result = build(project, "--only", "comparison", "-p", "fiscal_years=2019,2020", "-p", "baseline_year=2019")
    assert result.returncode == 0, result.stderr
    out = project / "_build" / "analysis" / "comparison" / "comparison.ipynb"
    nb = nbformat.read(out, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "fiscal_years = [2019, 2020]" in injected.source and "baseline_year = 2019" in injected.source
    assert site_digest(project) == before
    bad = build(project, "--only", "comparison", "-p", "fiscal_years=2002", "-p", "baseline_year=2002")
    assert bad.returncode == 2 and "2002 is not allowed" in bad.stderr


def _published_files(project: Path) -> dict[str, str]:
    site = (project / "_build" / "html").resolve()
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _add_register_word(project: Path) -> Edit:
    edit = Edit(project / "data" / "register.yaml")
    edit.path.write_text(edit.original.decode().replace("title: ", "title: Edited ", 1))
    return edit


def _add_glossary_section(project: Path) -> Edit:
    edit = Edit(project / "chapters" / "glossary.md")
    edit.path.write_text(edit.original.decode() + "\n## A section added by the test\n\nIts paragraph.\n")
    return edit


@pytest.mark.long
@pytest.mark.parametrize("change", [_add_register_word, _add_glossary_section])
def test_incremental_sphinx_rebuild_publishes_the_bytes_of_a_clean_build(project: Path, change):
    """A rebuild over Sphinx's kept environment writes only changed pages, unless what pages show of each other
    (here a new section in the contents) changed; either way the site is the one a clean build publishes."""
    out = project / "_build" / "stage" / "out" / "_build" / "html"
    pages = {p: p.stat().st_mtime_ns for p in (out / "chapters").rglob("*.html")}  # every page of the book
    with change(project):
        result = build(project)
        assert result.returncode == 0, result.stderr
        written = {str(p.relative_to(out)) for p, mtime in pages.items() if p.stat().st_mtime_ns != mtime}
        if change is _add_register_word:  # the checking page lists the register; the oversight page does not
            assert "chapters/pages/checking.html" in written and "chapters/pages/oversight.html" not in written
            assert len(written) < len(pages) / 2, sorted(written)
        else:
            assert written == {str(p.relative_to(out)) for p in pages}
        incremental = _published_files(project)
        shutil.rmtree(project / "_build" / "stage")
        (project / "_build" / "html.json").unlink()
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert executed(result)[0] == 0
        clean = _published_files(project)
    different = sorted(name for name in incremental.keys() | clean.keys() if incremental.get(name) != clean.get(name))
    assert not different, f"files the rebuild published that differ from a clean build's: {different}"


@pytest.mark.long
@pytest.mark.parametrize("kept_index", ["kept", "damaged"])
def test_search_index_after_a_word_came_and_went_is_a_clean_builds(project: Path, kept_index):
    """A rebuild indexes the pages it writes over the last build's index of the others: a word the edit took
    away again is gone from the index, and a damaged kept index is indexed afresh, as a clean build does."""
    with _add_register_word(project):
        assert build(project).returncode == 0
    kept = project / "_build" / "stage" / "out" / "_build" / ".doctrees" / "icebook-search.pickle"
    assert kept.is_file()
    if kept_index == "damaged":
        kept.write_bytes(b"not a pickle")
    result = build(project)
    assert result.returncode == 0, result.stderr
    incremental = (project / "_build" / "html" / "searchindex.js").read_bytes()
    shutil.rmtree(project / "_build" / "stage")
    (project / "_build" / "html.json").unlink()
    assert build(project).returncode == 0
    assert incremental == (project / "_build" / "html" / "searchindex.js").read_bytes()


def readable_site(project: Path, ignore: str = "") -> dict[str, str]:
    """What a reader gets: each page's text (without what matches ``ignore``) and each download's bytes, hashed."""
    from bs4 import BeautifulSoup

    site = project / "_build" / "html"
    out = {}
    for path in sorted(site.rglob("*.html")):
        if "_static" not in path.parts:
            text = BeautifulSoup(path.read_text(), "html.parser").get_text(" ", strip=True)
            text = re.sub(ignore, "", text) if ignore else text
            out[str(path.relative_to(site))] = hashlib.sha256(text.encode()).hexdigest()
    for path in sorted((site / "_static" / "downloads").rglob("*")):
        if path.is_file():
            out[str(path.relative_to(site))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_a_changed_recommendation_status_changes_the_home_pages_totals(project: Path):
    """OIG-20-13 counts two recommendations resolved and open and two unresolved and open; mark the first
    resolved in the findings record and the key findings and the tracker count three and one."""
    def totals(page: str) -> str:
        text = re.sub(r"<[^>]+>", "", (project / "_build" / "html" / "chapters" / "pages" / page).read_text())
        return re.search(r"OIG-20-13 made.*?say nothing later", text, re.S)[0]

    assert "two were resolved and open and two unresolved and open" in totals("home.html")
    with Edit(project / "data" / "findings" / "oig2013.yaml") as edit:
        text = edit.original.decode()
        first = text.index("  oig_status:\n    resolved: false")
        edit.path.write_text(text[:first] + text[first:].replace("resolved: false", "resolved: true", 1))
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert "three were resolved and open and one unresolved and open" in totals("home.html")
        assert "three were resolved and open and one unresolved and open" in totals("oversight.html")
        oversight = (project / "_build" / "html" / "chapters" / "pages" / "oversight.html").read_text()
        assert oversight.count("status-resolved-open") == 5 + 3


@pytest.mark.long
def test_plain_mode_builds_a_site_that_reads_as_the_fast_builds(built_project, tmp_path_factory, copy_project):
    """``--plain`` (ICEBOOK_PLAIN=1): every page in a stock jupyter_client kernel and the book by the jupyter-book
    command, without the extension that overrides Sphinx's indexer (plain.py). A reader gets the same site."""
    fast = built_project
    plain = copy_project(tmp_path_factory.mktemp("plain"))
    shutil.copytree(fast / "_build" / "editions", plain / "_build" / "editions")  # the same Changes page
    result = build(plain, "--plain")
    assert result.returncode == 0, result.stderr
    assert "plain mode: stock jupyter_client kernels" in result.stdout
    assert executed(result) == (len(list_pages(plain)), 0)
    staged = yaml.safe_load((plain / "_build" / "stage" / "src" / "_config.yml").read_text())
    assert "icebook.sphinx.incremental" not in staged["sphinx"]["extra_extensions"]
    assert "icebook.sphinx.offline" in staged["sphinx"]["extra_extensions"]
    assert readable_site(plain) == readable_site(fast)


def test_an_edit_to_a_chapters_text_reruns_that_chapter_alone(project: Path):
    """A chapter is a text file: a sentence added to it re-runs its page and no other, and the page shows it."""
    with Edit(project / "chapters" / "sources.md") as edit:
        edit.path.write_text(edit.original.decode() + "\n+++\n\nA sentence added to the chapter for the test.\n")
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert ran(result) == ["sources"]
        assert "re-running sources: changed: chapters/sources.md" in result.stderr
        page = project / "_build" / "html" / "chapters" / "pages" / "sources.html"
        assert "A sentence added to the chapter for the test." in page.read_text()
    assert ran(build(project)) == ["sources"]


def test_an_edit_to_the_book_s_static_files_alone_reaches_every_page(project: Path):
    """Only _static/icebook.css changed: Sphinx, with no page out of date, would stop before copying static
    files, and the pages it did not write would link the old file's checksum. The site publishes the new file,
    and every page links it by its new checksum, as a clean build does."""
    rule = "\n/* a rule added by the test */\n.test-added-rule { color: inherit; }\n"
    before = re.search(r'icebook\.css\?v=([0-9a-f]+)', (project / "_build" / "html" / "index.html").read_text())
    with Edit(project / "_static" / "icebook.css") as edit:
        edit.path.write_text(edit.original.decode() + rule)
        result = build(project)
        assert result.returncode == 0, result.stderr
        site = (project / "_build" / "html").resolve()
        assert (site / "_static" / "icebook.css").read_text().endswith(rule)
        links = {re.search(r'icebook\.css\?v=([0-9a-f]+)', p.read_text())[1]
                 for p in site.rglob("*.html") if "icebook.css?v=" in p.read_text()}
        assert len(links) == 1, f"pages link icebook.css by {len(links)} different checksums: {sorted(links)}"
        assert before is None or links != {before[1]}
