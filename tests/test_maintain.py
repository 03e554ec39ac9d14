"""The maintainer commands: add-source on a copy of the good fixture, impact on the project's own data."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from icebook.core.errors import ParameterError
from icebook.tools.maintain import add_source, impact_of_file

FIXTURES = Path(__file__).parent / "fixtures"
NEW_TEXT = FIXTURES / "new_source" / "made-up-removals-summary.md"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "good", tmp_path / "data")
    return tmp_path / "data"


def test_add_source_copies_registers_with_the_full_hash_and_creates_the_facts_header(data: Path):
    add_source(NEW_TEXT, "later", data)
    assert (data / "sources" / NEW_TEXT.name).read_bytes() == NEW_TEXT.read_bytes()
    entry = yaml.safe_load((data / "sources.yaml").read_text())[-1]
    assert entry["id"] == "later" and entry["file"] == NEW_TEXT.name
    assert entry["sha256"] == hashlib.sha256(NEW_TEXT.read_bytes()).hexdigest()
    assert entry["title"].startswith("FILL IN")
    assert (data / "facts" / "later.csv").read_text().startswith("id,source,locator,page,quote,printed,value,")


@pytest.mark.parametrize(("source_id", "message"), [("sample", "already registered"),
                                                    ("Later-One", "lower-case letters and digits")])
def test_add_source_refuses_a_taken_or_malformed_id_and_changes_nothing(data: Path, source_id: str, message: str):
    before = (data / "sources.yaml").read_bytes()
    with pytest.raises(ParameterError, match=message):
        add_source(NEW_TEXT, source_id, data)
    assert (data / "sources.yaml").read_bytes() == before
    assert not (data / "sources" / NEW_TEXT.name).exists()


def test_add_source_refuses_text_that_is_not_utf8(data: Path, tmp_path: Path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 report".encode("latin-1"))
    with pytest.raises(ParameterError, match="not UTF-8"):
        add_source(latin, "latin", data)


def test_the_stub_fails_validation_naming_each_field_to_fill_in(data: Path):
    add_source(NEW_TEXT, "later", data)
    result = subprocess.run([sys.executable, "-m", "icebook", "validate", "--data", str(data)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    for name in ("title", "short_name", "issuer", "kind", "trust"):
        assert f"(later), field '{name}': still to fill in" in result.stderr, result.stderr


def test_impact_of_the_register_names_exactly_the_chapters_that_list_it_in_params():
    config = yaml.safe_load((Path(__file__).parents[1] / "chapters" / "params.yml").read_text())["chapters"]
    readers = {name: entry["notebook"] for name, entry in config.items() if "register" in entry.get("reads", [])}
    lines = impact_of_file(Path("data/register.yaml"))
    assert "  checking (checking.md): reads register" in lines
    assert sorted(line for line in lines if line.startswith("  ")) == sorted(
        f"  {name} ({notebook}): reads register" for name, notebook in readers.items())


def test_impact_of_the_registry_names_the_bibliography_and_every_page():
    text = "\n".join(impact_of_file(Path("data/sources.yaml")))
    assert "bibliography" in text
    for page in ("home", "comparison", "sources", "fact-index", "profile-ero"):
        assert f"  {page} (" in text


def test_impact_of_a_fact_names_the_data_that_uses_it_and_the_pages_that_link_to_it(tmp_path: Path):
    from icebook import load
    from icebook.tools.maintain import impact_of_fact

    data = load()
    claim, fact_id = next((c, ref) for c in data.claims for ref in c.inputs.values() if ref in data.facts.index)
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "a.html").write_text(f'<a class="fact" href="fact-index.html#{fact_id}">x</a>')
    (tmp_path / "chapters" / "b.html").write_text('<a class="fact" href="fact-index.html#another-fact">y</a>')
    text = "\n".join(impact_of_fact(fact_id, tmp_path))
    assert f"claim {claim.id} checks it" in text
    assert "  chapters/a.html" in text and "b.html" not in text


def test_impact_of_a_fact_nothing_names_says_none(tmp_path: Path):
    from icebook import load
    from icebook.tools.maintain import impact_of_fact

    data = load()
    named = {ref for c in data.claims for ref in (c.fact, c.implies, *c.inputs.values())}
    named |= {ref for inputs in data.derived["inputs"] for ref in inputs.values()}
    charted = {s.metric for m in data.measures for s in m.series}
    fact_id = next(f for f, row in data.facts.iterrows() if f not in named and row["metric"] not in charted)
    first = impact_of_fact(fact_id, tmp_path)[0]
    assert first.endswith("; the data that names it: none"), first
