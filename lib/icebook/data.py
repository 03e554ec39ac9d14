"""Load and validate everything in data/: the one place that knows the file formats.

``load()`` returns a validated :class:`Book` or raises :class:`DataError` listing
every problem found, each naming the file, row or record, field and what is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import ahocorasick
import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError
from simpleeval import SimpleEval

from . import schema
from .errors import DataError, Problem
from .params import DATA_GROUPS
from .paths import DATA_DIR
from .schema import ID, Claim, Derived, Findings, Measure, Metric, RegisterEntry, Source, Structure, Verdict, Vocabulary
from .text import NumberFormatError, normalise, parse_printed, same_number, unstructured_numbers
from .versions import data_files

FACT_COLUMNS = [column.name for column in schema.FACT_COLUMNS]
REQUIRED = [column.name for column in schema.FACT_COLUMNS if column.required]
# Columns a fact table may leave out of its header (older tables, small fixtures); an absent column is read as empty.
OPTIONAL_COLUMNS = ["period_basis", "scope_doubt", "scope_deviation"]
PERIOD_BASES = {"stated": "the source states the period", "inferred": "the period is the book's inference"}
# Words in a note that say the period was inferred, not stated: such a fact must say period_basis: inferred.
INFERRED_PERIOD = re.compile(r"\btaken as\b|period not stated|not state the period|\bundated\b", re.I)
# Fact fields the pages show as the book's words: no typed figures, only {{fact-id}} references.
FACT_PROSE = ("notes", "scope_doubt", "scope_deviation")
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!]|javascript:", re.I)
# A cell a spreadsheet would run as a formula (CSV injection) when the downloads are opened.
FORMULA_START = ("=", "+", "@", "\t")
# Characters no text field needs, which break a script's JSON or a chart's expressions (tab and newline allowed).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
BOM = b"\xef\xbb\xbf"
TEXT_SUFFIXES = {".csv", ".yaml", ".yml", ".md", ".txt"}
# The range of values each unit can take; a percent may pass 100 only where the metric is a change.
UNIT_MINIMUM = 0.0
SHARE_MAXIMUM = 100.0
QUOTE_MARKUP = re.compile(r"<\s*/?\s*(?!(?:sup|u)\s*>)[A-Za-z!]|javascript:", re.I)
FACT_REF = re.compile(r"\{\{\s*([^}]*?)\s*\}\}")
ID_RE = re.compile(ID)
METRIC_RE = re.compile(r"^[a-z0-9_]+$")


def reads(*groups: str, **options: Any) -> Any:
    """A field of Book that is made from these data groups (params.DATA_GROUPS); reading it is tracked."""
    unknown = [g for g in groups if g not in DATA_GROUPS]
    if unknown:
        raise TypeError(f"Book field reads unknown data group(s) {unknown}; known: {sorted(DATA_GROUPS)}")
    return field(metadata={"reads": groups}, **options)


@dataclass
class Book:
    """All the validated data the chapters read. Every field names the data groups it is made from
    (``reads(...)``), so the build's read-tracking covers each field by construction."""

    sources: dict[str, Source] = reads("sources")
    texts: dict[str, str] = reads("sources")
    vocabulary: Vocabulary = reads("vocabulary")
    facts: pd.DataFrame = reads("facts", "sources")
    derived: pd.DataFrame = reads("derived", "facts")
    measures: list[Measure] = reads("measures")
    metrics: dict[str, Metric] = reads("measures")
    claims: list[Claim] = reads("claims", "facts")
    audit: pd.DataFrame = reads("claims", "facts", "derived")
    findings: dict[str, dict] = reads("findings")
    structure: dict = reads("structure")
    register: list[dict] = reads("register")
    data_dir: Path = reads()
    files: list[Path] = reads(default_factory=list)
    detections: pd.DataFrame = reads("sources", "verdicts", default_factory=pd.DataFrame)

    def __post_init__(self) -> None:
        untracked = [f.name for f in fields(self) if "reads" not in f.metadata]
        if untracked:
            raise TypeError(f"Book field(s) {untracked} name no data groups: declare them with reads(...)")

    def fact(self, fact_id: str) -> pd.Series:
        if fact_id not in self.facts.index:
            raise KeyError(f"no fact with id {fact_id!r} in {self.data_dir}/facts")
        return self.facts.loc[fact_id]

    def derived_figure(self, derived_id: str) -> pd.Series:
        if derived_id not in self.derived.index:
            raise KeyError(f"no derived figure with id {derived_id!r} in {self.data_dir}/derived.yaml")
        return self.derived.loc[derived_id]


class _Collector:
    """Gathers problems, and quotes to look up in their sources in one pass per source."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        self.quotes: dict[str, list[tuple[str, Problem]]] = {}
        self._rel: dict[Path, str] = {}
        self.unreadable = False  # a whole file could not be read: stop before checking what refers to it

    def rel(self, path: Path) -> str:
        if path not in self._rel:
            try:
                self._rel[path] = str(path.relative_to(self.data_dir.parent))
            except ValueError:
                self._rel[path] = str(path)
        return self._rel[path]

    def add(self, path: Path, message: str, **where: Any) -> None:
        self.problems.append(Problem(self.rel(path), message, **where))

    def quote(self, source_id: str, quote: str, path: Path, **where: Any) -> None:
        """Queue a quote to be found in a source; a miss becomes a problem naming ``where``."""
        text = normalise(quote)
        if QUOTE_MARKUP.search(quote):
            self.add(path, "the quote carries HTML or script markup; copy the plain text", **where)
            return
        if not text:
            self.add(path, "the quote is empty", **where)
            return
        self.quotes.setdefault(source_id, []).append((text, path, where))

    def check_quotes(self, texts: dict[str, str]) -> None:
        """Look up every queued quote: one automaton per source, one pass over its text."""
        for source_id, items in self.quotes.items():
            if source_id not in texts:
                continue  # the unknown source is reported where it is named
            automaton = ahocorasick.Automaton()
            for text, _, _ in items:
                automaton.add_word(text, text)
            automaton.make_automaton()
            found = {match for _, match in automaton.iter(texts[source_id])}
            for text, path, where in items:
                if text not in found:
                    self.add(path, f"quote not found in source {source_id!r}: "
                             f"{where_quote_stops(text, texts[source_id])}", **where)


def where_quote_stops(quote: str, text: str) -> str:
    """Where a quote stops matching its source: the longest start of it found, and what follows in each."""
    low, high = 0, len(quote)  # the longest prefix found has a length in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return f"not even its first character is in the text: {quote[:120]!r}"
    at = text.find(quote[:low]) + low
    return (f"it matches the source up to {quote[max(0, low - 60):low]!r}, then the quote has "
            f"{quote[low:low + 30]!r} where the source has {text[at:at + 30]!r}")


def text_problem(text: str) -> str | None:
    """What is wrong with a reader-facing text value (markup, or a spreadsheet formula), if anything."""
    if MARKUP.search(text):
        return "carries HTML or script markup; write plain text"
    if control := CONTROL.search(text):
        return f"carries the control character U+{ord(control[0]):04X}; write plain text"
    if text.startswith(FORMULA_START):
        return (f"begins with {text[0]!r}, which a spreadsheet would run as a formula from the downloads; "
                "reword it")
    return None


def _check_encodings(data_dir: Path) -> None:
    """Every text file is UTF-8 without a byte-order mark; else stop here, before any follow-on noise."""
    col = _Collector(data_dir)
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


def _read_yaml(path: Path, col: _Collector) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        col.add(path, "file is missing")
    except yaml.YAMLError as error:
        col.add(path, f"malformed YAML: {error}".replace("\n", " "))
    except UnicodeDecodeError as error:
        col.add(path, f"not UTF-8 text: {error}")
    return None


def _model(model: type[BaseModel], record: Any, path: Path, col: _Collector, label: str) -> Any:
    try:
        parsed = model.model_validate(record)
    except ValidationError as error:
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"]) or None
            hint = "; a hash is a quoted string: sha256: '…' (unquoted digits read as a number)" \
                if where == "sha256" else ""
            col.add(path, item["msg"] + hint, record=label, field=where)
        return None
    for text in schema.text_fields(parsed, label=label):  # every text field its schema declares
        if text.role != schema.QUOTE and (problem := text_problem(text.text)):
            col.add(path, problem, record=text.record or label, field=text.field)
    return parsed


def _records(path: Path, col: _Collector, model: type[BaseModel], raw: Any = None) -> list:
    raw = _read_yaml(path, col) if raw is None else raw
    if raw is None:
        return []
    if not isinstance(raw, list):
        col.add(path, "expected a list of records")
        return []
    out = []
    for i, record in enumerate(raw, start=1):
        label = record.get("id", f"record {i}") if isinstance(record, dict) else f"record {i}"
        parsed = _model(model, record, path, col, str(label))
        if parsed is not None:
            out.append(parsed)
    seen = Counter(getattr(r, "id", None) for r in out)
    for rid, n in seen.items():
        if rid is not None and n > 1:
            col.add(path, f"duplicate id {rid!r} ({n} times)", record=rid, field="id")
    return out


def _check_filled_in(raw: Any, path: Path, col: _Collector) -> None:
    """A registry entry still holding a field that add-source left marked FILL IN."""
    for record in raw if isinstance(raw, list) else []:
        for name, value in record.items() if isinstance(record, dict) else []:
            if isinstance(value, str) and value.startswith(schema.FILL_IN):
                col.add(path, f"still to fill in: {value[len(schema.FILL_IN):].strip()}", record=record.get("id"),
                        field=name)


def _load_sources(data_dir: Path, col: _Collector) -> tuple[dict[str, Source], dict[str, str]]:
    """The registry and each source's normalised text. An entry that fails its schema is reported and
    kept unchecked, so that its facts and quotes are still checked and not reported as naming no source."""
    path = data_dir / "sources.yaml"
    raw = _read_yaml(path, col)
    sources = {s.id: s for s in _records(path, col, Source, raw)}
    _check_filled_in(raw, path, col)
    broken = {str(r["id"]): Source.model_construct(**r) for r in (raw if isinstance(raw, list) else [])
              if isinstance(r, dict) and "id" in r and str(r["id"]) not in sources}
    texts = {}
    for source in [*sources.values(), *broken.values()]:
        if not isinstance(getattr(source, "file", None), str):
            continue
        file = data_dir / "sources" / source.file
        try:
            raw_text = file.read_bytes()
        except FileNotFoundError:
            col.add(path, f"source text {col.rel(file)} is missing", record=source.id, field="file")
            continue
        text = raw_text.decode("utf-8")
        digest = hashlib.sha256(raw_text).hexdigest()
        texts[source.id] = normalise(text)  # quotes are still checked while the hash fails
        if source.id in broken:
            continue
        if digest != source.sha256:
            col.add(path, f"source text {col.rel(file)} does not match its recorded sha256: recorded "
                    f"{source.sha256}, the file's is {digest}. If the source is new, record the file's hash "
                    f"(a quoted string: sha256: '{digest}'); a source already in the book is never edited: "
                    "restore its original bytes", record=source.id, field="sha256")
        if source.original_address and source.original_address not in text:
            col.add(path, f"original_address {source.original_address!r} is not printed in the copy; give "
                    "only an address the copy prints", record=source.id, field="original_address")
        for name in ("trust", "missing"):
            _check_prose(getattr(source, name), path, col, source.id, name, set())
    return sources | broken, texts


def _read_fact_files(data_dir: Path, col: _Collector) -> pd.DataFrame:
    frames = []
    files = sorted((data_dir / "facts").glob("*.csv"))
    if not files:
        col.add(data_dir / "facts", "no fact tables (*.csv) found")
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            col.add(path, f"not UTF-8 text: {error}")
            continue
        reader = csv.reader(io.StringIO(text))
        try:
            rows = list(reader)
        except csv.Error as error:
            col.add(path, f"unreadable CSV: a field is longer than the reader's limit of {csv.field_size_limit()} "
                    f"characters ({error}); is a quote left open?", row=reader.line_num)
            col.unreadable = True
            continue
        if not rows:
            col.add(path, "empty file: expected a header row")
            continue
        header = rows[0]
        missing = [c for c in FACT_COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
        unknown = [c for c in header if c not in FACT_COLUMNS]
        if missing or unknown:
            col.add(path, f"malformed header: missing columns {missing}, unknown columns {unknown}; "
                    f"expected {FACT_COLUMNS}", row=1)
            continue
        good = []
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                col.add(path, f"malformed CSV row: {len(row)} fields where the header has "
                        f"{len(header)} (an unquoted comma or quote?)", row=line)
                continue
            good.append(row + [col.rel(path), line])
        frame = pd.DataFrame(good, columns=header + ["csv_file", "csv_line"], dtype=object)
        frames.append(frame.reindex(columns=FACT_COLUMNS + ["csv_file", "csv_line"], fill_value=""))
    if not frames:
        return pd.DataFrame(columns=FACT_COLUMNS + ["csv_file", "csv_line"])
    return pd.concat(frames, ignore_index=True)


def _check_facts(facts: pd.DataFrame, sources: dict, vocab: Vocabulary | None,
                 data_dir: Path, col: _Collector) -> pd.DataFrame:
    """Check every fact row; return the good rows, typed and indexed by id. A source id that is not
    in the registry is reported once, at its first row."""
    facts = facts.fillna("")
    for name in FACT_COLUMNS:
        facts[name] = facts[name].astype(str).str.strip()
    counts = facts["id"].value_counts().to_dict()
    bad = set()
    values, years = [], []
    first, last = (vocab.fiscal_years["first"], vocab.fiscal_years["last"]) if vocab else (0, 9999)
    unknown: dict[str, list] = {}
    for row in facts.astype(object).itertuples(index=False):  # object columns iterate fast
        path, where = data_dir.parent / row.csv_file, {"row": row.csv_line, "record": row.id or None}
        problems_before = len(col.problems)
        for name in REQUIRED:
            if not getattr(row, name):
                col.add(path, "required field is empty", field=name, **where)
        if row.id and not ID_RE.match(row.id):
            col.add(path, "id must be lower-case words joined by '-'", field="id", **where)
        elif row.id and row.source and not row.id.startswith(row.source + "-"):
            col.add(path, f"id must start with its source id '{row.source}-'", field="id", **where)
        if row.id and counts.get(row.id, 0) > 1:
            col.add(path, f"duplicate fact id {row.id!r} ({counts[row.id]} rows)", field="id", **where)
        if row.source and row.source not in sources:
            unknown.setdefault(row.source, []).append((path, where))
        if row.metric and not METRIC_RE.match(row.metric):
            col.add(path, "metric must be a snake_case slug", field="metric", **where)
        if vocab:
            for name, allowed in (("unit", vocab.units), ("qualifier", vocab.qualifiers),
                                  ("period_type", vocab.period_types), ("component", vocab.components)):
                value = getattr(row, name)
                if value and value not in allowed:
                    col.add(path, f"unknown {name} {value!r}; allowed: {sorted(allowed)} "
                            "(data/vocabulary.yaml)", field=name, **where)
        for name in FACT_COLUMNS:
            if name != "quote" and (problem := text_problem(getattr(row, name))):
                col.add(path, problem, field=name, **where)
        _check_period_basis(row, path, where, col)
        year = None
        if row.fiscal_year:
            try:
                year = int(row.fiscal_year)
            except ValueError:
                col.add(path, f"fiscal_year {row.fiscal_year!r} is not a whole number",
                        field="fiscal_year", **where)
            else:
                if not first <= year <= last:
                    col.add(path, f"fiscal year {year} is outside the sources' range {first}–{last}",
                            field="fiscal_year", **where)
        value = _check_value(row, path, where, col)
        if row.quote and row.source in sources:
            col.quote(row.source, row.quote, path, field="quote", **where)
        if len(col.problems) > problems_before or row.source in unknown:
            bad.add(row.id)
        values.append(value)
        years.append(year)
    for source_id, rows in unknown.items():
        path, where = rows[0]
        ids = [w["record"] for _, w in rows if w["record"]]
        col.add(path, f"unknown source id {source_id!r}, named by {len(rows)} fact(s) ({', '.join(ids[:5])}"
                f"{', …' if len(ids) > 5 else ''}); known: {sorted(sources)}. A new source needs its entry in "
                "sources.yaml (python -m icebook add-source FILE --id ID)", field="source", **where)
    facts = facts.assign(value=values, fiscal_year=pd.array(years, dtype="Int64"))
    facts = facts[~facts["id"].isin(bad) & (facts["id"] != "")].drop_duplicates("id")
    return facts.set_index("id", drop=False)


def _check_period_basis(row: Any, path: Path, where: dict, col: _Collector) -> None:
    """Whether the source states the fact's period or the book inferred it, said in so many words."""
    if row.period_basis and row.period_basis not in PERIOD_BASES:
        col.add(path, f"unknown period_basis {row.period_basis!r}; allowed: {sorted(PERIOD_BASES)}",
                field="period_basis", **where)
    elif row.period_basis != "inferred" and (row.fiscal_year or row.period) and INFERRED_PERIOD.search(row.notes):
        col.add(path, f"the notes say the period is not stated ({INFERRED_PERIOD.search(row.notes)[0]!r}) but "
                "period_basis is not 'inferred'; set it, so the page marks the period as inferred",
                field="period_basis", **where)


def _check_fact_prose(facts: pd.DataFrame, known: set[str], data_dir: Path, col: _Collector) -> None:
    """A fact's notes, scope doubt and scope deviation are shown as the book's words: figures in them are
    {{fact-id}} references, never typed (a typed figure is unlinked, or from outside the sources)."""
    for row in facts[[*FACT_PROSE, "ocr_correction", "id", "csv_file", "csv_line"]].itertuples(index=False):
        path, refs = data_dir.parent / row.csv_file, set()
        for name in (*FACT_PROSE, "ocr_correction"):
            text = getattr(row, name)
            if name == "ocr_correction":  # the misprint, in double quotes, is the source's words
                text = re.sub(r'"[^"]*"', " ", text)
            refs.update(FACT_REF.findall(text))
            typed = unstructured_numbers(FACT_REF.sub(" ", text))
            if typed:
                col.add(path, f"figure(s) {typed} typed into {name}; write {{{{fact-id}}}} for a figure a source "
                        "prints, and leave out any other", row=row.csv_line, record=row.id, field=name)
        for ref in sorted(refs - known):
            col.add(path, f"{{{{{ref}}}}} names no fact or derived figure", row=row.csv_line, record=row.id)


def _check_value(row: Any, path: Path, where: dict, col: _Collector) -> float | None:
    if not row.value:
        return None
    try:
        value = float(row.value.replace(",", ""))
    except ValueError:
        col.add(path, f"value {row.value!r} is not a number", field="value", **where)
        return None
    if problem := _out_of_range(value, row.unit, row.metric):
        col.add(path, f"value {row.value!r} {problem}", field="value", **where)
        return None
    if not row.printed:
        return value
    if row.quote and row.printed not in normalise(row.quote):
        col.add(path, f"printed {row.printed!r} does not appear in the quote", field="printed", **where)
    try:
        parsed, implied_unit = parse_printed(row.printed)
    except NumberFormatError as error:
        col.add(path, str(error), field="printed", **where)
        return value
    if implied_unit and row.unit and implied_unit != row.unit:
        col.add(path, f"printed {row.printed!r} is in {implied_unit} but unit is {row.unit!r}",
                field="unit", **where)
    if not same_number(parsed, value) and not row.ocr_correction:
        col.add(path, f"value {row.value} does not match the number in its quote "
                f"({row.printed!r} reads as {parsed:g}); if the copy garbled it, say so in "
                "ocr_correction", field="value", **where)
    if same_number(parsed, value) and row.ocr_correction:
        col.add(path, "ocr_correction is set but value equals the printed number",
                field="ocr_correction", **where)
    return value


def _source_qualifiers(facts: pd.DataFrame, vocab: Vocabulary) -> list[str]:
    """The qualifier as the source words it ("almost", "well over"): the longest of the vocabulary's listed
    wordings for the fact's qualifier that stands just before the number in the quote; empty when none does
    (an exact figure, or wording the vocabulary does not list)."""
    wordings = {name: sorted(re.findall(r'"([^"]+)"', text), key=len, reverse=True)
                for name, text in vocab.qualifiers.items()}
    # the end of a range may carry any qualifier of its own ("about 1,700 to about 10,000")
    any_wording = sorted({w for name in ("about", "nearly", "more_than", "less_than") for w in wordings.get(name, [])},
                         key=len, reverse=True)
    found = []
    for quote, printed, qualifier in zip(facts["quote"], facts["printed"], facts["qualifier"], strict=True):
        text = normalise(quote)
        at = re.search(rf"(?<![\d,.]){re.escape(printed)}(?![\d,]*\d)", text)
        before = text[:at.start() if at else 0].rstrip().lower()
        candidates = any_wording if qualifier in {"range_low", "range_high"} else wordings.get(qualifier, [])
        found.append(next((words for words in candidates
                           if re.search(rf"(?:^|\W){re.escape(words.lower())}$", before)), ""))
    return found


def _out_of_range(value: float, unit: str, metric: str) -> str | None:
    """Why a value cannot be a figure of its unit (whatever the other columns say), if it cannot."""
    if not math.isfinite(value):
        return "is not a finite number"
    if value < UNIT_MINIMUM:
        return (f"is below {UNIT_MINIMUM:g}: no {unit or 'unit'} figure is negative "
                "(a fall is stated as a positive change)")
    if unit == "percent" and "change" not in metric and value > SHARE_MAXIMUM:
        return f"is above {SHARE_MAXIMUM:g}%, and metric {metric!r} is not a change"
    return None


def fiscal_year_of(date: dt.date) -> int:
    """The federal fiscal year a date falls in (FY 2018 runs from October 1, 2017 to September 30, 2018)."""
    return date.year + 1 if date.month >= 10 else date.year


def _as_of_fiscal_year(facts: pd.DataFrame, sources: dict[str, Source]) -> pd.Series:
    """The fiscal year a fact speaks of: its own, or for a state "as of" a dated source, the source's."""
    years = []
    for source, year, period_type in zip(facts["source"].tolist(), facts["fiscal_year"].astype(object).tolist(),
                                         facts["period_type"].tolist(), strict=True):
        date = sources[source].date
        if pd.notna(year):
            years.append(int(year))
        elif period_type == "point_in_time" and date is not None:
            years.append(fiscal_year_of(date))
        else:
            years.append(None)
    return pd.Series(pd.array(years, dtype="Int64"), index=facts.index)


def _evaluate(formula: str, names: dict[str, float]) -> float:
    return float(SimpleEval(names=names).eval(formula))


# Precision follows the inputs: where a qualifier puts the true value against the printed one.
TRUE_AT_LEAST = {"more_than", "at_least"}  # the true value is at least the figure
TRUE_AT_MOST = {"nearly", "up_to", "less_than"}  # the true value is at most the figure
ROUNDED = {"about", "rounded_hundred", "range_low", "range_high"}  # the true value is near the figure
BOUND_QUALIFIER = {"": "exact", "about": "about", "more than": "more_than", "less than": "less_than"}


@dataclass(frozen=True)
class Precision:
    """How exactly a computed figure is known: the word it carries and the significant digits its inputs support."""

    bound: str = ""  # "", "about", "more than" or "less than"
    digits: int | None = None  # None when every input is exact


def significant_digits(value: float) -> int:
    """The significant digits of a printed figure, trailing zeros of a whole number not counted
    ("90" has 1, "143,100" has 4, "27.2" has 3, "2.2 million" has 2)."""
    digits = Decimal(repr(float(value))).normalize().as_tuple().digits
    return max(len(digits), 1)


def carried_precision(formula: str, inputs: dict[str, tuple[float, str, int | None]]) -> Precision:
    """The precision of ``formula`` over inputs given as (value, qualifier, significant digits or None).

    Any approximate input makes the result approximate, good to the fewest significant digits among the
    approximate inputs (at least two). Bounded inputs ("more than", "nearly") carry their bound when each
    pushes the result the same way; rounded ("about") inputs, or bounds pushing opposite ways, give "about".
    """
    approximate = {name: spec for name, spec in inputs.items() if spec[1] != "exact"}
    if not approximate:
        return Precision()
    digits = max(2, min(spec[2] or significant_digits(spec[0]) for spec in approximate.values()))
    values = {name: spec[0] for name, spec in inputs.items()}
    result = _evaluate(formula, values)
    ways = set()
    for name, (value, qualifier, _) in approximate.items():
        if qualifier in ROUNDED or qualifier not in TRUE_AT_LEAST | TRUE_AT_MOST:
            ways.add(0)
            continue
        step = 1 if qualifier in TRUE_AT_LEAST else -1
        moved = _evaluate(formula, {**values, name: value + step * max(abs(value), 1) * 1e-6})
        ways.add(1 if moved > result else -1 if moved < result else 0)
    bound = {frozenset({1}): "more than", frozenset({-1}): "less than"}.get(frozenset(ways), "about")
    return Precision(bound, digits)


def displayed(value: float, precision: Precision, decimals: int, unit: str) -> tuple[float, int]:
    """The figure as a page shows it, and its decimals: rounded to the digits its inputs support (outward for a
    bound, so "less than" stays true), and a count from approximate inputs never shown to the unit."""
    if precision.digits is None or value == 0:
        return value, decimals
    magnitude = math.floor(math.log10(abs(value)))
    digits = precision.digits if unit in {"percent", "ratio"} or magnitude < 1 else min(precision.digits, magnitude)
    place = magnitude - digits + 1
    scaled = Decimal(repr(value)).scaleb(-place)
    rounding = {"less than": ROUND_CEILING, "more than": ROUND_FLOOR}.get(precision.bound, ROUND_HALF_UP)
    shown = float(scaled.quantize(Decimal(1), rounding=rounding).scaleb(place))
    return shown, max(0, min(decimals, -place))


def _derive(records: list[Derived], facts: pd.DataFrame, vocab: Vocabulary | None,
            path: Path, col: _Collector) -> pd.DataFrame:
    """Compute every derived figure from its input facts (or earlier derived figures)."""
    rows, values, precisions, specs = [], {}, {}, {}
    for record in records:
        names, ok = {}, True
        for name, ref in record.inputs.items():
            if ref in facts.index:
                names[name] = float(facts.at[ref, "value"])
                specs[name] = (names[name], facts.at[ref, "qualifier"], None)
            elif ref in values:
                names[name] = values[ref]
                specs[name] = (names[name], BOUND_QUALIFIER[precisions[ref].bound], precisions[ref].digits)
            else:
                col.add(path, f"input {name!r} names unknown fact {ref!r}", record=record.id,
                        field=f"inputs.{name}")
                ok = False
        if vocab and record.unit not in vocab.units:
            col.add(path, f"unknown unit {record.unit!r}", record=record.id, field="unit")
            ok = False
        if not ok:
            continue
        try:
            value = _evaluate(record.formula, names)
        except ZeroDivisionError:
            col.add(path, f"formula {record.formula!r} divides by zero with inputs {names}",
                    record=record.id, field="formula")
            continue
        except Exception as error:  # simpleeval raises several types for a bad formula
            col.add(path, f"formula {record.formula!r} cannot be evaluated: {error}",
                    record=record.id, field="formula")
            continue
        precision = carried_precision(record.formula, {name: specs[name] for name in names})
        values[record.id], precisions[record.id] = value, precision
        shown, decimals = displayed(value, precision, record.decimals, record.unit)
        rows.append({**record.model_dump(), "value": value, "bound": precision.bound, "shown": shown,
                     "shown_decimals": decimals})
    frame = pd.DataFrame(rows, columns=list(Derived.model_fields) + ["value", "bound", "shown", "shown_decimals"])
    return frame.set_index("id", drop=False)


VERDICTS = {"consistent": "consistent within the stated rounding",
            "inconsistent": "inconsistent", "uncheckable": "cannot be checked: parts not reported"}


def _audit(claims: list[Claim], facts: pd.DataFrame, derived: pd.DataFrame, known: set[str],
           path: Path, col: _Collector) -> pd.DataFrame:
    """Recompute every claim from its parts and give a verdict; an unknown fact or bad formula is a problem."""
    rows = []
    for claim in claims:
        refs = [claim.fact, *claim.inputs.values(), *([claim.implies] if claim.implies else [])]
        missing = [ref for ref in refs if ref not in known]
        for ref in missing:
            col.add(path, f"names unknown fact {ref!r}", record=claim.id)
        if missing:
            continue
        stated = float(facts.at[claim.fact, "value"])
        recomputed = difference = None
        verdict = "uncheckable"
        if claim.kind == "count":
            recomputed = float(len(claim.listed))
            difference = recomputed - stated
            verdict = "consistent" if abs(difference) <= claim.tolerance else "inconsistent"
        elif claim.formula:
            names = {name: float(facts.at[ref, "value"]) if ref in facts.index else float(derived.at[ref, "value"])
                     for name, ref in claim.inputs.items()}
            try:
                recomputed = _evaluate(claim.formula, names)
            except ZeroDivisionError:
                col.add(path, f"formula {claim.formula!r} divides by zero", record=claim.id, field="formula")
                continue
            except Exception as error:  # simpleeval raises several types for a bad formula
                col.add(path, f"formula {claim.formula!r} cannot be evaluated: {error}", record=claim.id,
                        field="formula")
                continue
            difference = recomputed - stated
            verdict = "consistent" if abs(difference) <= claim.tolerance + 1e-9 else "inconsistent"
        rows.append({**claim.model_dump(), "stated": stated, "recomputed": recomputed,
                     "difference": difference, "verdict": verdict})
    columns = [*Claim.model_fields, "stated", "recomputed", "difference", "verdict"]
    return pd.DataFrame(rows, columns=columns).set_index("id", drop=False)


def _check_listed(claims: list[Claim], facts: pd.DataFrame, texts: dict[str, str], path: Path,
                  col: _Collector) -> None:
    """A count claim lists its items as printed: each must stand in its fact's source, and a count needs some."""
    for claim in claims:
        if claim.kind == "count" and not claim.listed:
            col.add(path, "a count claim lists the items it counts", record=claim.id, field="listed")
        source = facts.at[claim.fact, "source"] if claim.fact in facts.index else None
        for item in claim.listed:
            if source in texts and normalise(item) not in texts[source]:
                col.add(path, f"listed item {item!r} is not in source {source!r}", record=claim.id, field="listed")


def _check_text(record: BaseModel, path: Path, col: _Collector, known: set[str], sources: dict,
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
            _check_prose(text.text, path, col, where["record"], text.field, refs)
    _check_refs(refs | schema.fact_lists(record), known, path, col, label)


def _check_prose(text: str, path: Path, col: _Collector, label: str, field: str | None, refs: set[str]) -> None:
    """A prose field: gather its {{fact-id}} references and refuse figures typed into it."""
    refs.update(FACT_REF.findall(text))
    typed = unstructured_numbers(FACT_REF.sub(" ", text))
    if typed:
        col.add(path, f"figure(s) {typed} typed into prose; write {{{{fact-id}}}} instead", record=label, field=field)


def _load_catalog(path: Path, col: _Collector) -> tuple[list[Measure], dict[str, Metric]]:
    """The metrics catalog: the measures the comparison chapter draws, and every metric's label and scope words."""
    raw = _read_yaml(path, col)
    if raw is None:
        return [], {}
    if not isinstance(raw, dict) or set(raw) != {"measures", "metrics"}:
        col.add(path, "expected a mapping with two keys: 'measures' (a list) and 'metrics' (metric -> label, scope)")
        return [], {}
    measures = _records(path, col, Measure, raw["measures"] or [])
    metrics = {}
    for slug, record in (raw["metrics"] or {}).items():
        parsed = _model(Metric, record, path, col, str(slug))
        if parsed is not None:
            metrics[str(slug)] = parsed
            _check_prose(parsed.label, path, col, str(slug), "label", set())
    return measures, metrics


def _check_scope(facts: pd.DataFrame, measures: list[Measure], metrics: dict[str, Metric], path: Path,
                 data_dir: Path, col: _Collector) -> None:
    """Every fact's metric has a label; each label and series description carries its metric's scope words;
    every fact's quote carries them too, or the fact declares how it deviates; series of one measure that
    differ in scope say how in their caveat."""
    for metric in sorted(set(facts["metric"]) - set(metrics)):
        col.add(path, f"metric {metric!r} has no label: add it under 'metrics' with a label in plain words",
                record=metric, field="metrics")
    for slug, metric in metrics.items():
        if _spelled_out(slug, metric.label):
            col.add(path, f"the label {metric.label!r} is the metric's name spelled out; write what it counts in "
                    "plain words", record=slug, field="label")
        for term in metric.scope:
            if term.lower() not in metric.label.lower():
                col.add(path, f"the label {metric.label!r} leaves out the scope words {term!r}", record=slug,
                        field="label")
    for row in facts[["id", "metric", "quote", "scope_deviation", "csv_file", "csv_line"]].itertuples(index=False):
        terms = metrics[row.metric].scope if row.metric in metrics else []
        quote = normalise(row.quote).lower()
        missing = [term for term in terms if term.lower() not in quote]
        if missing and not row.scope_deviation:
            col.add(data_dir.parent / row.csv_file, f"the quote lacks the scope words {missing} of its metric "
                    f"{row.metric!r}: move it to a metric it matches, or say in scope_deviation how it differs",
                    row=row.csv_line, record=row.id, field="quote")
    for measure in measures:
        headline = set(metrics[measure.series[0].metric].scope) if measure.series[0].metric in metrics else set()
        for series in measure.series[1:]:
            own = set(metrics[series.metric].scope) if series.metric in metrics else set()
            for term in sorted(own ^ headline):
                if term.lower() not in series.caveat.lower():
                    col.add(path, f"series {series.metric!r} differs in scope from {measure.series[0].metric!r} "
                            f"but its caveat does not say how (it never names {term!r})", record=measure.id,
                            field="series.caveat")
        for series in measure.series:
            for term in metrics[series.metric].scope if series.metric in metrics else []:
                if term.lower() not in series.counts.lower():
                    col.add(path, f"series {series.metric!r} says it counts {series.counts!r}, leaving out its "
                            f"scope words {term!r}", record=measure.id, field="series.counts")


def _spelled_out(slug: str, label: str) -> bool:
    """True when a label is only its metric's identifier with the underscores taken out ("Admin arrests
    criminal fugitive reentry share" for ero_admin_arrests_criminal_fugitive_reentry_share)."""
    words = re.findall(r"[a-z0-9]+", label.lower())
    parts = slug.split("_")
    return words in (parts, parts[1:])


def _check_record_prose(records: list, fields: tuple[str, ...], known: set[str], path: Path,
                        col: _Collector) -> None:
    """The prose fields of derived figures, claims and measures, which the book shows as its own words."""
    for record in records:
        refs: set[str] = set()
        for name in fields:
            text = getattr(record, name, "") or ""
            _check_prose(text, path, col, record.id, name, refs)
        _check_refs(refs, known, path, col, record.id)


def _check_refs(refs: set[str], known: set[str], path: Path, col: _Collector, where: str) -> None:
    for ref in sorted(refs - known):
        col.add(path, f"{{{{{ref}}}}} names no fact or derived figure", record=where)


def _check_coverage(data_dir: Path, sources: dict[str, Source], texts: dict[str, str], facts: pd.DataFrame,
                    col: _Collector) -> None:
    """Every number in a source is a fact or is excluded by a rule of coverage.yaml that says why."""
    from .coverage import uncovered

    path = data_dir / "coverage.yaml"
    raw = _read_yaml(path, col)
    if raw is None:
        return
    rules: dict[str, list[re.Pattern]] = {}
    for key, items in (raw or {}).items():
        if key != "all" and key not in sources:
            col.add(path, f"{key!r} is not a source id (or 'all')", record=key)
            continue
        for i, item in enumerate(items or [], start=1):
            if not isinstance(item, dict) or not item.get("pattern") or not item.get("reason"):
                col.add(path, "each rule needs a pattern and a reason", record=f"{key} rule {i}")
                continue
            try:
                rules.setdefault(key, []).append(re.compile(item["pattern"]))
            except re.error as error:
                col.add(path, f"pattern {item['pattern']!r} is not a valid regular expression: {error}",
                        record=f"{key} rule {i}", field="pattern")
    for miss in uncovered(texts, facts, rules):
        col.add(data_dir / "sources" / sources[miss.source].file,
                f"number {miss.number!r} in “…{miss.context}…” is in no fact's quote and no rule of "
                "coverage.yaml excludes it: add its fact, or a rule saying why it is not one")


def _check_pages(facts: pd.DataFrame, sources: dict[str, Source], data_dir: Path, col: _Collector) -> None:
    """A source whose copy prints no page numbers has no fact with a page."""
    paged = facts[facts["page"] != ""]
    for source_id in sorted(set(paged["source"])):
        if source_id in sources and getattr(sources[source_id], "pages_printed", True) is False:
            first = paged[paged["source"] == source_id].iloc[0]
            col.add(data_dir / "sources.yaml", f"pages_printed is false, but fact {first['id']} gives a page; "
                    "set pages_printed: true if the copy prints page numbers", record=source_id,
                    field="pages_printed")


def _load_findings(data_dir: Path, col: _Collector, known: set[str], sources: dict) -> dict[str, dict]:
    """The OIG reports as records (schema.Findings), keyed by their source id."""
    findings = {}
    for path in sorted((data_dir / "findings").glob("*.yaml")):
        raw = _read_yaml(path, col)
        if raw is None:
            continue
        record = _model(Findings, raw, path, col, path.stem)
        if record is None:
            continue
        if record.report not in sources:
            col.add(path, f"unknown source id {record.report!r}; known: {sorted(sources)}", field="report")
            continue
        _check_text(record, path, col, known, sources, record.report)
        findings[record.report] = raw
    return findings


def _load_structure(data_dir: Path, col: _Collector, known: set[str], sources: dict) -> tuple[dict, list]:
    """ICE's structure (schema.Structure) and the discrepancy register (schema.RegisterEntry), where present."""
    structure: dict = {}
    path = data_dir / "structure.yaml"
    raw = _read_yaml(path, col) if path.exists() else None
    if raw is not None:
        record = _model(Structure, raw, path, col, "structure.yaml")
        if record is not None:
            _check_text(record, path, col, known, sources, "structure.yaml")
            structure = raw
    register: list = []
    path = data_dir / "register.yaml"
    raw = _read_yaml(path, col) if path.exists() else None
    if raw is not None:
        entries = _records(path, col, RegisterEntry, raw)
        for entry in entries:
            _check_text(entry, path, col, known, sources, entry.id)
        if len(entries) == len(raw):
            register = raw
    return structure, register


def _review(data_dir: Path, sources: dict[str, Source], texts: dict[str, str], known: set[str],
            register: list, col: _Collector) -> pd.DataFrame:
    """The consistency detectors' candidates with their verdicts from verdicts.yaml (see detect.py)."""
    from .detect import review

    path = data_dir / "verdicts.yaml"
    verdicts = _records(path, col, Verdict) if path.exists() else []
    entries = {entry.get("id") for entry in register if isinstance(entry, dict)}
    for verdict in verdicts:
        _check_text(verdict, path, col, known, sources, verdict.id)
        if verdict.in_register and verdict.in_register not in entries:
            col.add(path, f"names no entry of register.yaml: {verdict.in_register!r}", record=verdict.id,
                    field="in_register")
    raw = {sid: (data_dir / "sources" / sources[sid].file).read_text(encoding="utf-8") for sid in texts}
    frame, problems = review(raw, verdicts)
    for record, message in problems:
        col.add(path, message, record=record)
    return frame


def load(data_dir: Path | str = DATA_DIR) -> Book:
    """Load and validate all of data/; raise DataError naming every problem."""
    data_dir = Path(data_dir).resolve()
    _check_encodings(data_dir)
    col = _Collector(data_dir)
    sources, texts = _load_sources(data_dir, col)
    vocab_raw = _read_yaml(data_dir / "vocabulary.yaml", col)
    vocab = _model(Vocabulary, vocab_raw, data_dir / "vocabulary.yaml", col, "vocabulary") \
        if vocab_raw is not None else None
    fact_rows = _read_fact_files(data_dir, col)
    if col.unreadable:
        raise DataError(col.problems)
    facts = _check_facts(fact_rows, sources, vocab, data_dir, col)
    _check_pages(facts, sources, data_dir, col)
    derived_path = data_dir / "derived.yaml"
    derived_records = _records(derived_path, col, Derived)
    derived = _derive(derived_records, facts, vocab, derived_path, col)
    known = set(facts.index) | set(derived.index)
    _check_fact_prose(facts, known, data_dir, col)

    measures_path = data_dir / "metrics.yaml"
    measures, metrics = _load_catalog(measures_path, col)
    metrics_in_facts = set(facts["metric"])
    for measure in measures:
        for series in measure.series:
            if series.metric not in metrics_in_facts:
                col.add(measures_path, f"metric {series.metric!r} is used by no fact",
                        record=measure.id, field="series.metric")
    _check_record_prose(measures, ("label", "definition", "notes"), known, measures_path, col)
    for measure in measures:
        for series in measure.series:
            refs: set[str] = set()
            for name in ("counts", "caveat", "scope_doubt"):
                _check_prose(getattr(series, name), measures_path, col, f"{measure.id} ({series.metric})",
                             f"series.{name}", refs)
            _check_refs(refs, known, measures_path, col, f"{measure.id} ({series.metric})")
    _check_scope(facts, measures, metrics, measures_path, data_dir, col)

    claims_path = data_dir / "claims.yaml"
    claims = _records(claims_path, col, Claim)
    _check_record_prose(claims, ("notes",), known, claims_path, col)
    _check_record_prose(derived_records, ("label", "notes"), known, derived_path, col)
    audit = _audit(claims, facts, derived, known, claims_path, col)
    _check_listed(claims, facts, texts, claims_path, col)

    findings = _load_findings(data_dir, col, known, sources)
    structure, register = _load_structure(data_dir, col, known, sources)
    detections = _review(data_dir, sources, texts, known, register, col)

    col.check_quotes(texts)
    if not col.problems:  # coverage needs every quote to be where the facts say
        _check_coverage(data_dir, sources, texts, facts, col)
    if col.problems:
        raise DataError(col.problems)
    facts = facts.drop(columns=["csv_file", "csv_line"])
    facts["as_of_fiscal_year"] = _as_of_fiscal_year(facts, sources)
    facts["source_qualifier"] = _source_qualifiers(facts, vocab)
    return Book(sources=sources, texts=texts, vocabulary=vocab, facts=facts, derived=derived,
                measures=measures, metrics=metrics, claims=claims, audit=audit, findings=findings, structure=structure,
                register=register, data_dir=data_dir, files=data_files(data_dir), detections=detections)


class _Tracked:
    """A Book that notes which data groups are read, for the build's dependency check.

    When the build runs a chapter it sets ICEBOOK_READS_LOG; each group read is
    appended to that file, and the build fails a chapter that read a group its
    entry in chapters/params.yml does not list (its output could go stale). The
    groups of each field come from Book's own declaration; a method of Book runs
    against this wrapper, so the fields it reads are noted too.
    """

    GROUPS = {f.name: f.metadata["reads"] for f in fields(Book)}

    def __init__(self, data: Book):
        self._data = data
        self._logged: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        method = getattr(Book, name, None)
        if callable(method):
            return method.__get__(self)
        for group in self.GROUPS[name]:
            if group not in self._logged:
                self._logged.add(group)
                log = os.environ.get("ICEBOOK_READS_LOG")
                if log:
                    with open(log, "a", encoding="utf-8") as handle:
                        handle.write(group + "\n")
        return getattr(self._data, name)


@functools.cache
def book() -> Book:
    """The validated data of this project (paths.ROOT, or ICEBOOK_ROOT), loaded once per process: after
    editing data/, restart the kernel or call ``book.cache_clear()``."""
    return _Tracked(load(DATA_DIR))  # type: ignore[return-value]
