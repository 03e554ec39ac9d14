"""The data module's entry point: ``load()`` reads and validates everything in data/ and returns a
:class:`Book`, or raises :class:`DataError` listing every problem found, each naming the file, row or
record, field and what is wrong; ``book()`` is this project's validated data, read-tracked.

Each part lives in its own module: reading files (read.py), the source registry (registry.py), facts
(facts.py), derived figures (derive.py), the claims audit (audit.py), prose checks (prose.py), the metrics
catalog (catalog.py), findings and structure (documents.py), coverage (coverage.py) and read-tracking
(tracking.py). ``load()`` calls them in order, each with what it needs.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd

from icebook.core.cache import cached
from icebook.core.errors import DataError
from icebook.core.paths import DATA_DIR
from icebook.core.versions import data_files, data_stamp
from icebook.data.audit import audit_claims, check_listed, check_percentages_claimed
from icebook.data.catalog import check_catalog_use, check_scope, check_wordings, load_catalog
from icebook.data.collect import Collector
from icebook.data.contents import check_contents, check_front_matter, check_pages_given, section_pages
from icebook.data.coverage import check_coverage
from icebook.data.derive import derive_figures
from icebook.data.documents import check_readings, load_corrections, load_findings, load_structure, review_detections
from icebook.data.facts import as_of_fiscal_year, check_facts, check_pages, read_fact_files, source_qualifiers
from icebook.data.groups import DATA_GROUPS, matches, normal_where
from icebook.data.prose import check_fact_prose, check_record_prose
from icebook.data.read import check_files, parse_record, read_records, read_yaml
from icebook.data.registry import load_sources
from icebook.data.schema import Claim, Correction, Derived, Measure, Metric, Source, Vocabulary
from icebook.data.tracking import Tracked


def reads(*groups: str, **options: Any) -> Any:
    """A field of Book that is made from these data groups (groups.DATA_GROUPS); reading it is tracked."""
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
    wordings: dict[str, tuple[str, ...]] = reads("measures")
    claims: list[Claim] = reads("claims", "facts")
    audit: pd.DataFrame = reads("claims", "facts", "derived")
    findings: dict[str, dict] = reads("findings")
    structure: dict = reads("structure")
    register: list[dict] = reads("register")
    data_dir: Path = reads()
    files: list[Path] = reads(default_factory=list)
    detections: pd.DataFrame = reads("sources", "verdicts", default_factory=pd.DataFrame)
    corrections: list[Correction] = reads("corrections", default_factory=list)
    synonyms: tuple[frozenset[str], ...] = reads("measures", default=())  # verbs read as one act (metrics.yaml)

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

    # Record accessors: a page that reads records through these is re-run only when those records change
    # (the build's read-tracking notes each id or selection; lineage.py). Reading a field whole reads all of it.

    def has_fact(self, fact_id: str) -> bool:
        return fact_id in self.facts.index

    def has_derived(self, derived_id: str) -> bool:
        return derived_id in self.derived.index

    def facts_of(self, fact_ids: list[str]) -> pd.DataFrame:
        """These facts, in this order."""
        return self.facts.loc[list(fact_ids)]

    def facts_where(self, **where: Any) -> pd.DataFrame:
        """The facts whose columns hold these values: a value, a list of values (any of them) or
        ``{"prefix": text}`` (a column starting with it), e.g. ``facts_where(metric=["ero_removals"])``."""
        return self.facts.loc[matches(self.facts, normal_where(where))]

    def facts_where_any(self, *selections: dict[str, Any]) -> pd.DataFrame:
        """The facts any of these selections (each as ``facts_where`` takes it) matches, in the book's order."""
        chosen = set().union(*(matches(self.facts, normal_where(where)) for where in selections))
        return self.facts[self.facts.index.isin(chosen)]

    def with_notes(self, facts: pd.DataFrame) -> pd.DataFrame:
        """These facts (rows of ``facts``, in their order) with their notes column. A page gets facts without
        their notes and asks for them here, so that an edit to a fact's notes re-runs only the pages that
        show them (tracking.py, lineage.py)."""
        return facts.assign(notes=self.facts.loc[facts.index, "notes"].to_numpy())

    def fact_ids_where(self, **where: Any) -> list[str]:
        """Only the ids of the facts ``facts_where`` would give (for a count: their contents are not read)."""
        return list(matches(self.facts, normal_where(where)))

    def metric(self, metric_id: str) -> Metric:
        return self.metrics[metric_id]

    def finding(self, report: str) -> dict:
        return self.findings[report]


def load(data_dir: Path | str = DATA_DIR) -> Book:
    """Load and validate all of data/; raise DataError naming every problem.

    Each step reads or checks one part and gets what it needs as arguments; problems go to one collector, so
    that one run reports them all. Two steps stop early: a file that is not UTF-8 without BOM, or a fact table
    that cannot be read, would make every later check report noise."""
    data_dir = Path(data_dir).resolve()
    check_files(data_dir)
    col = Collector(data_dir)
    sources, texts = load_sources(data_dir, col)
    vocab = _load_vocabulary(data_dir / "vocabulary.yaml", col)
    fact_rows = read_fact_files(data_dir, col)
    if fact_rows is None:
        raise DataError(col.problems)
    facts = check_facts(fact_rows, sources, vocab, data_dir, col)
    check_pages(facts, sources, data_dir, col)
    check_contents(sources, texts, data_dir, col)
    numbered_from = check_front_matter(sources, texts, data_dir, col)
    check_pages_given(facts, sources, texts, numbered_from, data_dir, col)

    derived_path = data_dir / "derived.yaml"
    derived_records = read_records(derived_path, col, Derived)
    derived = derive_figures(derived_records, facts, vocab, derived_path, col)
    known = set(facts.index) | set(derived.index)  # what a {{fact-id}} or a record may name
    check_fact_prose(facts, known, data_dir, col)

    measures_path = data_dir / "metrics.yaml"
    measures, metrics, wordings, synonyms = load_catalog(measures_path, set(sources), col)
    check_catalog_use(measures, facts, known, measures_path, col)
    check_scope(facts, measures, metrics, measures_path, data_dir, col)
    check_wordings(wordings, measures, facts, derived, measures_path, col)

    claims_path = data_dir / "claims.yaml"
    claims = read_records(claims_path, col, Claim)
    check_record_prose(claims, ("notes",), known, claims_path, col)
    check_record_prose(derived_records, ("label", "notes", "doubt"), known, derived_path, col)
    audit = audit_claims(claims, facts, derived, known, claims_path, col)
    check_listed(claims, facts, texts, claims_path, col)
    check_percentages_claimed(claims, facts, data_dir, col)

    findings = load_findings(data_dir, col, known, sources)
    check_readings(findings, facts, texts, data_dir, col)
    structure, register = load_structure(data_dir, col, known, sources)
    detections = review_detections(data_dir, sources, texts, known, register, col)
    corrections = load_corrections(data_dir, known, col)

    col.check_quotes(texts)  # every quote the steps above queued, one pass per source
    if not col.problems:  # coverage needs every quote to be where the facts say
        check_coverage(data_dir, sources, texts, facts, col)
    if col.problems:
        raise DataError(col.problems)
    facts = facts.drop(columns=["csv_file", "csv_line"])
    facts["as_of_fiscal_year"] = as_of_fiscal_year(facts, sources)
    facts["source_qualifier"] = source_qualifiers(facts, vocab)
    facts["page"], facts["page_basis"] = section_pages(facts, sources)
    return Book(sources=sources, texts=texts, vocabulary=vocab, facts=facts, derived=derived,
                measures=measures, metrics=metrics, wordings=wordings, claims=claims, audit=audit, findings=findings,
                structure=structure, register=register, data_dir=data_dir, files=data_files(data_dir),
                detections=detections, corrections=corrections, synonyms=synonyms)


def _load_vocabulary(path: Path, col: Collector) -> Vocabulary | None:
    raw = read_yaml(path, col)
    return None if raw is None else parse_record(Vocabulary, raw, path, col, "vocabulary")


def book() -> Book:
    """The validated data of this project (paths.ROOT, or ICEBOOK_ROOT), read-tracked. Loaded once, and again
    whenever a file under data/ is added, removed or changed (its size or modification time), so a kernel sees
    an edit to the data without a restart. In a kernel the files are looked at once per cell run, however
    often the cell calls book(); elsewhere at every call."""
    turn = _kernel_turn()
    stamp = data_stamp(DATA_DIR) if turn is None else _stamp_in_turn(DATA_DIR, turn)
    return _loaded(DATA_DIR, stamp)


def validated() -> Book:
    """The validated data as ``book()`` loads it, without read-tracking and with every field whole (the facts
    with their notes): for the build itself, which exports and hashes all of it."""
    return book()._data  # type: ignore[attr-defined]


def forget() -> None:
    """Drop the loaded data and the record of what was read from it: a forked kernel (warm.py) starts as a
    fresh one would."""
    _loaded.cache_clear()
    _stamp_in_turn.cache_clear()


def _kernel_turn() -> int | None:
    """The number of the cell run an IPython kernel is in, or None outside a kernel."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "execution_count", None)


@functools.lru_cache(maxsize=1)
def _stamp_in_turn(data_dir: Path, turn: int) -> frozenset:
    """The data files' stamp as taken in this cell run: one scan however many times the cell calls book()."""
    return data_stamp(data_dir)


@functools.lru_cache(maxsize=1)
def _loaded(data_dir: Path, stamp: frozenset) -> Book:
    """The data as loaded for one state of its files (``stamp``), kept until the files change; from the
    cache of validated data when a process before loaded the same files (core/cache.py)."""
    return Tracked(cached(data_dir, load))  # type: ignore[return-value]
