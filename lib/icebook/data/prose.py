"""Checks of the book's own words in the data: prose fields name figures as {{fact-id}} references, never
typed; a record's text fields are checked by the role its schema gives each."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from icebook.core.text import unstructured_numbers
from icebook.data import schema
from icebook.data.collect import Collector

# Fact fields the pages show as the book's words: no typed figures, only {{fact-id}} references.
FACT_PROSE = ("notes", "scope_doubt", "scope_deviation")
FACT_REF = re.compile(r"\{\{\s*([^}]*?)\s*\}\}")
QUOTED = re.compile(r'"[^"]*"')  # text in double quotes


def check_prose(text: str, path: Path, col: Collector, label: str, field: str | None, refs: set[str]) -> None:
    """A prose field: gather its {{fact-id}} references and refuse figures typed into it."""
    refs.update(FACT_REF.findall(text))
    typed = unstructured_numbers(FACT_REF.sub(" ", text))
    if typed:
        col.add(path, f"figure(s) {typed} typed into prose; write {{{{fact-id}}}} instead", record=label, field=field)


def check_refs(refs: set[str], known: set[str], path: Path, col: Collector, where: str) -> None:
    for ref in [r for r in sorted(refs - known) if not col.accounted_for(r)]:
        col.add(path, f"{{{{{ref}}}}} names no fact or derived figure", record=where)


def check_record_prose(records: list, fields: tuple[str, ...], known: set[str], path: Path,
                       col: Collector) -> None:
    """The prose fields of derived figures, claims and measures, which the book shows as its own words."""
    for record in records:
        refs: set[str] = set()
        for name in fields:
            text = getattr(record, name, "") or ""
            check_prose(text, path, col, record.id, name, refs)
        check_refs(refs, known, path, col, record.id)


def check_fact_prose(facts: pd.DataFrame, known: set[str], data_dir: Path, col: Collector) -> None:
    """A fact's notes, scope doubt and scope deviation are shown as the book's words: figures in them are
    {{fact-id}} references, never typed (a typed figure is unlinked, or from outside the sources). Each text is
    looked through once, however many facts carry it (a note repeated down a table)."""
    paths = {name: data_dir.parent / name for name in facts["csv_file"].unique()}
    names = (*FACT_PROSE, "ocr_correction")
    columns = [facts[name].tolist() for name in (*names, "id", "csv_file", "csv_line")]
    looked: dict[tuple[str, str], tuple[list[str], list[str]]] = {}  # (field, text) -> its refs and typed figures
    for *texts, fact_id, csv_file, csv_line in zip(*columns, strict=True):
        path, refs = paths[csv_file], set()
        for name, text in zip(names, texts, strict=True):
            if not text:
                continue
            if (name, text) not in looked:
                looked[name, text] = _prose_figures(name, text)
            found, typed = looked[name, text]
            refs.update(found)
            if typed:
                col.add(path, f"figure(s) {typed} typed into {name}; write {{{{fact-id}}}} for a figure a source "
                        "prints, and leave out any other", row=csv_line, record=fact_id, field=name)
        for ref in [r for r in sorted(refs - known) if not col.accounted_for(r)]:
            col.add(path, f"{{{{{ref}}}}} names no fact or derived figure", row=csv_line, record=fact_id)


def _prose_figures(name: str, text: str) -> tuple[list[str], list[str]]:
    """The {{fact-id}} references in a fact's prose field, and the figures typed into it."""
    refs: list[str] = []
    if name == "ocr_correction":  # the misprint, in double quotes, is the source's words
        text = QUOTED.sub(" ", text)
    if "{{" in text:  # where FACT_REF can match
        refs = FACT_REF.findall(text)
        text = FACT_REF.sub(" ", text)
    return refs, unstructured_numbers(text)


def check_text(record: BaseModel, path: Path, col: Collector, known: set[str], sources: dict,
               label: str = "") -> None:
    """Check a record's text fields by the role its schema gives each (prose, quote, plain), and the
    facts it names (placeholders and ``FactIds`` lists); a quote's source must be in the registry."""
    refs: set[str] = set()
    unknown: set[str] = set()
    for text in schema.text_fields(record, label=label):
        where = {"record": text.record or label or None, "field": text.field}
        if text.role == schema.QUOTE:
            if text.source in sources:
                col.quote(text.source, text.text, path, **where)
            elif text.source is None:
                col.add(path, "a quote with no source", **where)
            elif text.source not in unknown:
                unknown.add(text.source)
                col.add(path, f"unknown source id {text.source!r}; known: {sorted(sources)}", **where)
            continue
        if text.role == schema.PROSE:
            check_prose(text.text, path, col, where["record"], text.field, refs)
    check_refs(refs | schema.fact_lists(record), known, path, col, label)
