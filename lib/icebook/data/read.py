"""Reading data files: encodings, YAML, and records parsed against their schema (schema.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from icebook.core import files, yamlio
from icebook.core.errors import DataError, Problem
from icebook.core.versions import data_files
from icebook.data import schema
from icebook.data.collect import Collector, text_problem

BOM = b"\xef\xbb\xbf"
TEXT_SUFFIXES = {".csv", ".yaml", ".yml", ".md", ".txt"}


def check_files(data_dir: Path) -> None:
    """Every entry under data/ is a regular file inside data/ (core/files.py), and every text file is UTF-8
    without a byte-order mark; else stop here, before any follow-on noise (or a read that never ends)."""
    col = Collector(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), "the data folder is missing, or not a folder")])
    for path in files.entries(data_dir):
        if why := files.problem(path, data_dir):
            col.add(path, why)
    if col.problems:
        raise DataError(col.problems)
    for path in data_files(data_dir):
        if path.suffix not in TEXT_SUFFIXES:
            continue
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            col.add(path, f"file is not UTF-8 without BOM (byte {raw[error.start]:#04x} on line {line} is not "
                    "UTF-8; re-save the file as UTF-8)", row=line)
            continue
        if raw.startswith(BOM):
            col.add(path, "file is not UTF-8 without BOM (it starts with a byte-order mark; re-save it "
                    "as UTF-8 without BOM)")
    if col.problems:
        raise DataError(col.problems)


def read_yaml(path: Path, col: Collector) -> Any:
    """A data file's YAML, read strictly (core/yamlio.py: no duplicate keys, tags or aliases), or None with the
    problem collected."""
    try:
        return yamlio.load_file(path)
    except FileNotFoundError:
        col.add(path, "file is missing")
    except yamlio.YAMLProblem as error:
        col.add(path, str(error))
    except UnicodeDecodeError as error:
        col.add(path, f"not UTF-8 text: {error}")
    col.unread.append(path)
    return None


# What a field of each type accepts, in words, for a value its schema refuses (pydantic's own text never reaches
# the person who wrote the file).
ACCEPTS = {"string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
           "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
           "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list ([a, b])",
           "dict_type": "a mapping (key: value lines)", "model_type": "a mapping (key: value lines)",
           "date_type": "a date, YYYY-MM-DD", "date_parsing": "a date, YYYY-MM-DD",
           "date_from_datetime_parsing": "a date, YYYY-MM-DD", "date_from_datetime_inexact": "a date, YYYY-MM-DD",
           "source_date": f"a date, {schema.SOURCE_DATE_FORMS}"}


def schema_problem(item: dict) -> str:
    """A schema error in words: what the field was given and what it accepts."""
    kind, value, context = item["type"], item.get("input"), item.get("ctx") or {}
    given = "nothing" if value is None else repr(value)
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "is not a field of this record: remove it, or check its spelling against lib/icebook/data/schema.py"
    if kind == "literal_error":
        return f"{given} is not accepted; write one of {context.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return f"{given} is not accepted; it must match the pattern {context.get('pattern', '')}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than",
                 "less_than": "less than"}[kind]
        limit = next(iter(context.values()), "")
        return f"{given} is not accepted; write a number {bound} {limit}"
    return f"{given} is not accepted; write {ACCEPTS.get(kind, 'a value of the kind lib/icebook/data/schema.py gives')}"


def parse_record(model: type[BaseModel], record: Any, path: Path, col: Collector, label: str) -> Any:
    try:
        parsed = model.model_validate(record)
    except ValidationError as error:
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"]) or None
            value = item.get("input")
            if isinstance(value, str) and value.startswith(schema.FILL_IN):
                continue  # check_filled_in names the field still to fill in, once
            hint = "; a hash is a quoted string: sha256: '…' (unquoted digits read as a number)" \
                if where == "sha256" else ""
            col.add(path, schema_problem(item) + hint, record=label, field=where)
        return None
    for text in schema.text_fields(parsed, label=label):  # every text field its schema declares
        if text.role != schema.QUOTE and (problem := text_problem(text.text)):
            col.add(path, problem, record=text.record or label, field=text.field)
    return parsed


def read_records(path: Path, col: Collector, model: type[BaseModel], raw: Any = None) -> list:
    raw = read_yaml(path, col) if raw is None else raw
    if raw is None:
        return []
    if not isinstance(raw, list):
        col.add(path, "expected a list of records")
        return []
    out = []
    for i, record in enumerate(raw, start=1):
        label = record.get("id", f"record {i}") if isinstance(record, dict) else f"record {i}"
        parsed = parse_record(model, record, path, col, str(label))
        if parsed is not None:
            out.append(parsed)
    seen = Counter(getattr(r, "id", None) for r in out)
    for rid, n in seen.items():
        if rid is not None and n > 1:
            col.add(path, f"duplicate id {rid!r} ({n} times)", record=rid, field="id")
    return out


def check_filled_in(raw: Any, path: Path, col: Collector) -> None:
    """A registry entry still holding a field that add-source left marked FILL IN."""
    for record in raw if isinstance(raw, list) else []:
        for name, value in record.items() if isinstance(record, dict) else []:
            if isinstance(value, str) and value.startswith(schema.FILL_IN):
                col.add(path, f"still to fill in: {value[len(schema.FILL_IN):].strip()}", record=record.get("id"),
                        field=name)
