"""Citing the book: CITATION.cff is valid Citation File Format 1.2.0 and names the book as _config.yml does, and
the "Cite this book" block the home and Sources pages show says the same.

The schema is the Citation File Format's own (schema.json of version 1.2.0, CC-BY-4.0, as cffconvert 2.0.0
ships it; cffconvert itself needs jsonschema < 4, which the book's other packages cannot take), kept in
tests/fixtures and read with jsonschema.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from bs4 import BeautifulSoup

from icebook.pages.cite import EDITION, book_config, cite_book

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(__file__).parent / "fixtures" / "citation-file-format-1.2.0.schema.json"


def _citation() -> dict:
    # the CFF schema reads dates as strings; YAML's own date type is not what it checks
    return yaml.load((ROOT / "CITATION.cff").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_citation_cff_is_valid_citation_file_format():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(_citation())]
    assert problems == []


def test_the_schema_refuses_a_citation_without_title_or_authors():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    citation = {key: value for key, value in _citation().items() if key not in {"title", "authors"}}
    messages = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(citation)]
    assert any("'title'" in m for m in messages) and any("'authors'" in m for m in messages)


def test_citation_cff_names_the_book_as_its_configuration_does():
    citation, config = _citation(), book_config()
    assert citation["title"] == config["title"]
    assert [a["name"] for a in citation["authors"]] == [config["author"]]


def test_the_cite_this_book_block_names_the_book_and_leaves_the_edition_to_publication():
    config = book_config()
    block = str(cite_book())
    citation = BeautifulSoup(block, "html.parser").select_one(".book-citation")
    assert config["author"] in citation.get_text() and citation.em.get_text() == config["title"]
    assert EDITION in block  # the publish step fills in the edition: its date, data version and commit
