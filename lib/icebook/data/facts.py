"""The fact tables (data/facts/*.csv): reading, checking each row, and the columns computed from valid facts."""

from __future__ import annotations

import bisect
import collections
import csv
import functools
import io
import itertools
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from icebook.core.errors import brief
from icebook.core.text import NumberFormatError, normalise, parse_printed, same_number
from icebook.data import schema
from icebook.data.collect import CONTROL, FORMULA_START, MARKUP, Collector, text_problem
from icebook.data.schema import ID, Source, Vocabulary

FACT_COLUMNS = [column.name for column in schema.FACT_COLUMNS]
REQUIRED = [column.name for column in schema.FACT_COLUMNS if column.required]
# The columns a fact's value is checked against, as _check_value takes them.
VALUE_INPUTS = ("value", "unit", "metric", "printed", "quote", "ocr_correction")


# Columns a fact table may leave out of its header (older tables, small fixtures); an absent column is read as empty.
OPTIONAL_COLUMNS = ["period_basis", "scope_doubt", "scope_deviation", "role"]
# The role of a number its source gives as a detail of an example or of what people told it, not as a statistic
# (vocabulary.yaml's roles): it stays a fact, but no key-figure list, measure or chart takes it.
ANECDOTE = "anecdote"
PERIOD_BASES = {"stated": "the source states the period", "inferred": "the period is the book's inference"}


# Words in a note or period that say the period was inferred, not stated: such a fact must say period_basis: inferred.
INFERRED_PERIOD = re.compile(r"\btaken as\b|period not stated|not state the period|\bundated\b|gives? no date", re.I)
# Words that every match of each of INFERRED_PERIOD's wordings holds, in lower case (add one with each wording): a
# text that holds none of them, once lower-cased, says nothing INFERRED_PERIOD finds (see FOLDS_TO_ASCII).
INFERRED_PERIOD_WORDS = ("taken as", "period not stated", "not state the period", "undated", "no date")
# The characters other than ASCII that Python's re, ignoring case, takes for an ASCII letter (İ ı ſ K); of these,
# only İ and K lower-case to ASCII.
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


# The range of values each unit can take; a percent may pass 100 only where the metric is a change.
UNIT_MINIMUM = 0.0
SHARE_MAXIMUM = 100.0
ID_RE = re.compile(ID)
# What a value may be: ASCII digits, an optional sign and decimal point. Python's float() also reads "١٢٧٠٠٠",
# "１２７０００", "127_000", "1.27e5", "nan" and "inf", which the CSV would then keep as written.
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# What text_problem looks for (but a control character, CONTROL), in fields each after FIELD_BREAK: every branch
# starts with a character, so that Python's re looks only where one of them stands. No match spans a FIELD_BREAK
# ('>' ends a tag's start; "javascript:" holds no '>'), so each match is in the field it starts in (or its break).
FIELD_BREAK = ">\n"
SUSPECT = re.compile(f"{MARKUP.pattern}|\n[{re.escape(''.join(FORMULA_START))}]", re.I)
SUSPECT_STARTS = ("<", ":", *(f"\n{sign}" for sign in FORMULA_START))  # what each match of SUSPECT starts with
METRIC_RE = re.compile(r"^[a-z0-9_]+$")

# The longest field a fact table may hold, in characters: the book's own limit, whatever the csv module's global
# limit (which other libraries change for the whole process) says. A longer field is almost always a quote left open.
FIELD_LIMIT = 1_000_000


@contextmanager
def field_limit() -> Iterator[None]:
    """Read CSV with the book's FIELD_LIMIT, and put the csv module's global limit back as it was afterwards."""
    before = csv.field_size_limit(FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _unreadable(error: csv.Error) -> str:
    """What a csv.Error means for the person who wrote the table."""
    if "field limit" in str(error):
        return f"unreadable CSV: a field is longer than the limit of {FIELD_LIMIT:,} characters; is a quote left open?"
    return f"unreadable CSV: {error}"


def read_fact_files(data_dir: Path, col: Collector) -> pd.DataFrame | None:
    """Every row of every fact table, with the file and line it came from; None when a table cannot be read at
    all (nothing that refers to its facts can then be checked)."""
    frames, readable = [], True
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
            with field_limit():
                rows = list(reader)
        except csv.Error as error:
            col.add(path, _unreadable(error), row=reader.line_num)
            readable = False
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
        good, lines = [], []
        for line, row in enumerate(itertools.islice(rows, 1, None), start=2):
            if not (row and row[0].strip()) and not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                col.add(path, f"malformed CSV row: {len(row)} fields where the header has "
                        f"{len(header)} (an unquoted comma or quote?)", row=line)
                continue
            good.append(row)
            lines.append(line)
        frame = pd.DataFrame(good, columns=header, dtype=object)
        frame["csv_file"] = pd.Series([col.rel(path)] * len(good), index=frame.index, dtype=object)
        frame["csv_line"] = pd.Series(lines, index=frame.index, dtype=object)
        frames.append(frame.reindex(columns=FACT_COLUMNS + ["csv_file", "csv_line"], fill_value=""))
    if not readable:
        return None
    if not frames:
        return pd.DataFrame(columns=FACT_COLUMNS + ["csv_file", "csv_line"])
    return pd.concat(frames, ignore_index=True)


def check_facts(facts: pd.DataFrame, sources: dict, vocab: Vocabulary | None,
                data_dir: Path, col: Collector) -> pd.DataFrame:
    """Check every fact row; return the good rows, typed and indexed by id. A source id that is not
    in the registry is reported once, at its first row. A row's fields are checked one by one only where a test
    of whole columns says a check may refuse it (``_may_be_refused``); its value and quote, always (a value once
    for each set of the columns it is checked against, however many rows share them)."""
    facts, column = _stripped(facts)
    bad = set()
    values, years = [], []
    first, last = (vocab.fiscal_years["first"], vocab.fiscal_years["last"]) if vocab else (0, 9999)
    unknown: dict[str, list] = {}
    paths = {name: data_dir.parent / name for name in facts["csv_file"].unique()}
    whole_years = [_whole_number(text) for text in column["fiscal_year"]]
    checked = _may_be_refused(facts, column, sources, vocab, whole_years, (first, last))
    counts = facts["id"].value_counts().to_dict() if any(checked) else {}  # for the rows checked one by one
    row_type = collections.namedtuple("Row", column, rename=True)  # type: ignore[misc]  # as itertuples names them
    value_checks: dict[tuple[str, ...], tuple[float | None, list[tuple[str, str]]]] = {}
    rows = zip(*(column[name] for name in ("id", "source", "quote", "csv_file", "csv_line")), strict=True)
    inputs = zip(*(column[name] for name in VALUE_INPUTS), strict=True)
    for i, ((fact_id, source, quote, csv_file, csv_line), year, check, given) in enumerate(
            zip(rows, whole_years, checked, inputs, strict=True)):
        path, where = paths[csv_file], {"row": csv_line, "record": fact_id or None}
        problems_before = len(col.problems)
        if check:
            row = row_type(*(values_of[i] for values_of in column.values()))
            year = _check_fields(row, sources, vocab, counts, unknown, (first, last), path, where, col)
        if given not in value_checks:
            value_checks[given] = _check_value(*given)
        value, problems = value_checks[given]
        for field_name, message in problems:
            col.add(path, message, field=field_name, **where)
        if quote and source in sources:
            col.quote(source, quote, path, field="quote", **where)
        if len(col.problems) > problems_before or source in unknown:
            bad.add(fact_id)
        values.append(value)
        years.append(year)
    for source_id, rows_named in unknown.items():
        path, where = rows_named[0]
        ids = [w["record"] for _, w in rows_named if w["record"]]
        col.add(path, f"unknown source id {source_id!r}, named by {len(rows_named)} fact(s) ({', '.join(ids[:5])}"
                f"{', …' if len(ids) > 5 else ''}); known: {sorted(sources)}. A new source needs its entry in "
                "sources.yaml (python -m icebook add-source FILE --id ID)", field="source", **where)
    col.refused.update(bad)
    col.refused_metrics.update(facts.loc[facts["id"].isin(bad), "metric"])
    facts = facts.assign(value=values, fiscal_year=pd.array(years, dtype="Int64"))
    facts = facts[~facts["id"].isin(bad) & (facts["id"] != "")].drop_duplicates("id")
    return facts.set_index("id", drop=False)


def anecdotal(facts: pd.DataFrame) -> pd.Series:
    """For each of these facts, whether its source gives it as an anecdote (``ANECDOTE``), not as a statistic."""
    return facts["role"] == ANECDOTE


def statistics(facts: pd.DataFrame) -> pd.DataFrame:
    """These facts without the anecdotes: those a key-figure list or a chart may take."""
    return facts[~anecdotal(facts)]


def _stripped(facts: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list]]:
    """Every fact column as text without surrounding white space, an empty cell as "" (as is every other column's);
    with each column's values as a list."""
    facts = facts.copy()
    column = {}
    for name in facts.columns:
        values = facts[name].to_numpy()
        if name not in FACT_COLUMNS:
            facts[name] = facts[name].fillna("")
            column[name] = facts[name].tolist()
        elif infer_dtype(values, skipna=False) == "string":  # all text already (as the fact tables are read)
            column[name] = [value.strip() for value in values.tolist()]
            facts[name] = pd.Series(column[name], index=facts.index, dtype="str")
        else:
            facts[name] = facts[name].fillna("").astype(str).str.strip()
            column[name] = facts[name].tolist()
    return facts, column


def _whole_number(text: str) -> int | None:
    """A fiscal year's text as a whole number; None when it is empty or is not one."""
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _may_be_refused(facts: pd.DataFrame, column: dict[str, list[str]], sources: dict, vocab: Vocabulary | None,
                    years: list[int | None], year_range: tuple[int, int]) -> list[bool]:
    """For each row, whether any check of ``_check_fields`` may refuse it: each check's condition, tested over
    whole columns (``facts``, and ``column``: each column's values as a list), is true for every row the check
    refuses (and may be for a few it passes). Most rows pass all of them, and their fields are not checked one by
    one."""
    ids, source_ids = column["id"], column["source"]
    first, last = year_range
    given = {name: facts[name].to_numpy() != "" for name in FACT_COLUMNS}
    flags = [
        *(~given[name] for name in REQUIRED),
        [bool(i) and (not ID_RE.match(i) or (s in sources and not i.startswith(s + "-")))
         for i, s in zip(ids, source_ids, strict=True)],
        facts["id"].duplicated(keep=False).to_numpy() & given["id"],
        given["source"] & ~facts["source"].isin(list(sources)).to_numpy(),
        [bool(m) and not METRIC_RE.match(m) for m in column["metric"]],
        *(given[name] & ~facts[name].isin(list(allowed)).to_numpy() for name, allowed in _vocabularies(vocab)),
        _suspect_text(column),
        _may_say_period_inferred(column),
        [bool(text) and (year is None or not first <= year <= last)
         for text, year in zip(column["fiscal_year"], years, strict=True)],
    ]
    return np.logical_or.reduce([np.asarray(flag, dtype=bool) for flag in flags]).tolist()


def _vocabularies(vocab: Vocabulary | None) -> list[tuple[str, Any]]:
    """The columns whose values the vocabulary lists, each with its values."""
    if not vocab:
        return []
    return [("unit", vocab.units), ("qualifier", vocab.qualifiers), ("period_type", vocab.period_types),
            ("component", vocab.components), ("role", vocab.roles)]


def _check_fields(row: Any, sources: dict, vocab: Vocabulary | None, counts: dict[str, int], unknown: dict,
                  year_range: tuple[int, int], path: Path, where: dict, col: Collector) -> int | None:
    """Every check of a row's fields but its value and quote; gives its fiscal year, if it is a whole number.
    A source id not in the registry is noted in ``unknown``, to be reported once."""
    for name in REQUIRED:
        if not getattr(row, name):
            col.add(path, "required field is empty", field=name, **where)
    if row.id and not ID_RE.match(row.id):
        col.add(path, "id must be lower-case words joined by '-'", field="id", **where)
    elif row.id and row.source in sources and not row.id.startswith(row.source + "-"):
        col.add(path, f"id must start with its source id '{row.source}-'", field="id", **where)
    if row.id and counts.get(row.id, 0) > 1:
        col.add(path, f"duplicate fact id {row.id!r} ({counts[row.id]} rows)", field="id", **where)
    if row.source and row.source not in sources:
        unknown.setdefault(row.source, []).append((path, where))
    if row.metric and not METRIC_RE.match(row.metric):
        col.add(path, "metric must be a snake_case slug", field="metric", **where)
    for name, allowed in _vocabularies(vocab):
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
        first, last = year_range
        try:
            year = int(row.fiscal_year)
        except ValueError:
            col.add(path, f"fiscal_year {row.fiscal_year!r} is not a whole number",
                    field="fiscal_year", **where)
        else:
            if not first <= year <= last:
                col.add(path, f"fiscal year {year} is outside the sources' range {first}–{last}",
                        field="fiscal_year", **where)
    return year


def _suspect_text(column: dict[str, list[str]]) -> list[bool]:
    """For each row, whether any field but the quote may hold what ``text_problem`` refuses (markup, a control
    character, a leading formula sign), given each column's values as a list: each column is searched as one text,
    its fields each after FIELD_BREAK, and only for what it holds (most columns hold none of SUSPECT's first
    characters, and only printable ones)."""
    suspect = [False] * len(column["id"])
    for name in FACT_COLUMNS:
        if name == "quote":
            continue
        fields = column[name]
        text = FIELD_BREAK + FIELD_BREAK.join(fields)
        patterns = [SUSPECT] if any(start in text for start in SUSPECT_STARTS) else []
        if not text.replace("\n", " ").isprintable():  # every character CONTROL finds is unprintable
            patterns.append(CONTROL)
        found = [m.start() for pattern in patterns for m in pattern.finditer(text)]
        if found:
            starts = list(itertools.accumulate((len(field) + len(FIELD_BREAK) for field in fields), initial=0))
            for at in found:
                suspect[bisect.bisect_right(starts, at) - 1] = True
    return suspect


def _may_say_period_inferred(column: dict[str, list[str]]) -> list[bool]:
    """For each row, whether ``_check_period_basis`` may refuse it: its period basis is not one known, or its
    notes or period may say the period was inferred while the basis says otherwise (``_say_inferred``)."""
    rows = list(zip(column["period_basis"], column["fiscal_year"], column["period"], column["notes"], strict=True))
    claimed = [basis != "inferred" and bool(year or period) for basis, year, period, _ in rows]
    said = iter(_say_inferred([text for (_, _, period, notes), looked in zip(rows, claimed, strict=True) if looked
                               for text in (notes, period)]))
    says = [looked and any([next(said), next(said)]) for looked in claimed]  # its notes' and its period's
    return [bool(basis) and basis not in PERIOD_BASES or row_says
            for (basis, _, _, _), row_says in zip(rows, says, strict=True)]


def _say_inferred(texts: list[str]) -> list[bool]:
    """``_may_say_inferred`` of each text, looked for in all of them at once: lower-cased together, every place
    each wording stands is given to the text it stands in (no wording holds the line break they are joined with).
    Where re takes a character for an ASCII letter (FOLDS_TO_ASCII), or lower-casing makes one character more,
    each text is looked at on its own."""
    joined = "\n".join(texts)
    lower = joined.lower()
    if len(lower) != len(joined) or any(character in joined for character in FOLDS_TO_ASCII):
        return [_may_say_inferred(text) for text in texts]
    starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
    said = [False] * len(texts)
    for words in INFERRED_PERIOD_WORDS:
        at = lower.find(words)
        while at != -1:
            said[bisect.bisect_right(starts, at) - 1] = True
            at = lower.find(words, at + 1)
    return said


def _may_say_inferred(text: str) -> bool:
    """Whether a text may say the period was inferred (``INFERRED_PERIOD``); true whenever it does. Python's re
    tries that pattern at every character: in a text where ignoring case is lower-casing (no character of
    FOLDS_TO_ASCII), this looks for each of its words instead."""
    if not any(character in text for character in FOLDS_TO_ASCII):
        lower = text.lower()
        return any(words in lower for words in INFERRED_PERIOD_WORDS)
    return INFERRED_PERIOD.search(text) is not None


def _check_period_basis(row: Any, path: Path, where: dict, col: Collector) -> None:
    """Whether the source states the fact's period or the book inferred it, said in so many words."""
    if row.period_basis and row.period_basis not in PERIOD_BASES:
        col.add(path, f"unknown period_basis {row.period_basis!r}; allowed: {sorted(PERIOD_BASES)}",
                field="period_basis", **where)
    elif row.period_basis != "inferred" and (row.fiscal_year or row.period):
        for field, verb in (("notes", "say"), ("period", "says")):
            if said := INFERRED_PERIOD.search(getattr(row, field)):
                col.add(path, f"the {field} {verb} the period is not stated ({said[0]!r}) but period_basis is not "
                        "'inferred'; set it, so the page marks the period as inferred", field="period_basis", **where)
                break


def _check_value(value: str, unit: str, metric: str, printed: str, quote: str,
                 ocr_correction: str) -> tuple[float | None, list[tuple[str, str]]]:
    """A fact's value as a number (None when it has none, or a bad one), and the problems with it against the
    other columns it is checked against (``VALUE_INPUTS``, in order), each as the field and the message."""
    problems: list[tuple[str, str]] = []
    if not value:
        return None, problems
    if not PLAIN_NUMBER.fullmatch(value):
        problems.append(("value", f"value {brief(value)} is not a plain number; write ASCII digits with an optional "
                         "sign and decimal point, nothing else (127000, 4.5)"))
        return None, problems
    number = float(value)
    if problem := _out_of_range(number, unit, metric):
        problems.append(("value", f"value {brief(value)} {problem}"))
        return None, problems
    if not printed:
        return number, problems
    if quote and printed not in normalise(quote):
        problems.append(("printed", f"printed {printed!r} does not appear in the quote"))
    try:
        parsed, implied_unit = parse_printed(printed)
    except NumberFormatError as error:
        problems.append(("printed", str(error)))
        return number, problems
    if implied_unit and unit and implied_unit != unit:
        problems.append(("unit", f"printed {printed!r} is in {implied_unit} but unit is {unit!r}"))
    if not same_number(parsed, number) and not ocr_correction:
        problems.append(("value", f"value {value} does not match the number in its quote ({printed!r} reads as "
                         f"{parsed:g}); if the copy garbled it, say so in ocr_correction"))
    if same_number(parsed, number) and ocr_correction:
        problems.append(("ocr_correction", "ocr_correction is set but value equals the printed number"))
    return number, problems


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


def check_pages(facts: pd.DataFrame, sources: dict[str, Source], data_dir: Path, col: Collector) -> None:
    """A source whose copy prints no page numbers has no fact with a page."""
    paged = facts[facts["page"] != ""]
    for source_id in sorted(set(paged["source"])):
        if source_id in sources and getattr(sources[source_id], "pages_printed", True) is False:
            first = paged[paged["source"] == source_id].iloc[0]
            col.add(data_dir / "sources.yaml", f"pages_printed is false, but fact {first['id']} gives a page; "
                    "set pages_printed: true if the copy prints page numbers", record=source_id,
                    field="pages_printed")


def as_of_fiscal_year(facts: pd.DataFrame, sources: dict[str, Source]) -> pd.Series:
    """The fiscal year a fact speaks of: its own, or for a state "as of" a dated source, the source's (none for a
    source dated by its year alone, whose months fall in two fiscal years)."""
    years = []
    for source, year, period_type in zip(facts["source"].tolist(), facts["fiscal_year"].astype(object).tolist(),
                                         facts["period_type"].tolist(), strict=True):
        date = sources[source].date
        if pd.notna(year):
            years.append(int(year))
        elif period_type == "point_in_time" and date is not None:
            years.append(date.fiscal_year)
        else:
            years.append(None)
    return pd.Series(pd.array(years, dtype="Int64"), index=facts.index)


def source_qualifiers(facts: pd.DataFrame, vocab: Vocabulary) -> list[str]:
    """The qualifier as the source words it ("almost", "well over"): the longest of the vocabulary's listed
    wordings for the fact's qualifier that stands just before the number in the quote; empty when none does
    (an exact figure, or wording the vocabulary does not list). Facts that share a quote, printed number and
    qualifier share the look."""
    wordings = {name: sorted(re.findall(r'"([^"]+)"', text), key=len, reverse=True)
                for name, text in vocab.qualifiers.items()}
    # the end of a range may carry any qualifier of its own ("about 1,700 to about 10,000")
    any_wording = sorted({w for name in ("about", "nearly", "more_than", "less_than") for w in wordings.get(name, [])},
                         key=len, reverse=True)
    ends_with = {words: re.compile(rf"(?:^|\W){re.escape(words.lower())}$")
                 for words in {*any_wording, *(words for listed in wordings.values() for words in listed)}}
    rows = list(zip(*(facts[name].tolist() for name in ("quote", "printed", "qualifier")), strict=True))
    found: dict[tuple[str, str, str], str] = {}  # for each quote, printed number and qualifier met, the wording
    for given in rows:
        if given in found:
            continue
        quote, printed, qualifier = given
        text = normalise(quote)
        at = _standing_number(printed).search(text)
        before = text[:at.start() if at else 0].rstrip().lower()
        candidates = any_wording if qualifier in {"range_low", "range_high"} else wordings.get(qualifier, [])
        # a wording stands at the end of the text before the number: looked for from just before where it would start
        found[given] = next((words for words in candidates
                             if ends_with[words].search(before, max(0, len(before) - len(words.lower()) - 1))), "")
    return [found[given] for given in rows]


@functools.lru_cache(maxsize=4096)
def _standing_number(printed: str) -> re.Pattern:
    """A printed number where it stands as a number of its own in a text (not inside a longer one)."""
    return re.compile(rf"(?<![\d,.]){re.escape(printed)}(?![\d,]*\d)")
