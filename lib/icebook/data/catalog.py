"""The metrics catalog (metrics.yaml): measures and metric labels, and the scope words each must carry."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from icebook.core.text import normalise
from icebook.data.collect import Collector
from icebook.data.facts import anecdotal
from icebook.data.figures import ELLIPSIS, Synonyms, holds, implied_quotes, printings, scope_words, stem
from icebook.data.prose import check_prose, check_record_prose, check_refs
from icebook.data.read import parse_record, read_records, read_yaml
from icebook.data.schema import Measure, Metric

KEYS = {"measures", "metrics"}  # required; "wordings" and "synonyms" may be left out
SYNONYM_KEYS = {"words", "source", "quote"}


def load_catalog(path: Path, sources: set[str], col: Collector) -> tuple[
        list[Measure], dict[str, Metric], dict[str, tuple[str, ...]], Synonyms]:
    """The metrics catalog: the measures the comparison chapter draws, every metric's label and scope words, the
    words each figure of a measure uses for what it counts (fact id -> words, as its quote prints them), and the
    verbs declared one act (``synonyms``, by their stems)."""
    raw = read_yaml(path, col)
    if raw is None:
        return [], {}, {}, ()
    if not isinstance(raw, dict) or not KEYS <= set(raw) <= KEYS | {"wordings", "synonyms"}:
        col.add(path, "expected a mapping with the keys 'measures' (a list), 'metrics' (metric -> label, scope), "
                "'wordings' (fact id -> the words its quote uses for what it counts) and 'synonyms' (a list)")
        return [], {}, {}, ()
    measures = read_records(path, col, Measure, raw["measures"] or [])
    metrics = {}
    for slug, record in (raw["metrics"] or {}).items():
        parsed = parse_record(Metric, record, path, col, str(slug))
        if parsed is not None:
            metrics[str(slug)] = parsed
            check_prose(parsed.label, path, col, str(slug), "label", set())
    wordings = raw.get("wordings") or {}
    listed = {str(k): (v,) if isinstance(v, str) else tuple(v) if isinstance(v, list) else ()
              for k, v in wordings.items()} if isinstance(wordings, dict) else {}
    if not isinstance(wordings, dict) or not all(w and all(isinstance(x, str) and x.strip() for x in w)
                                                 for w in listed.values()):
        col.add(path, "'wordings' must map each fact id to the words (a non-empty string, or a list of them) its "
                "quote uses for what it counts", field="wordings")
        listed = {}
    return measures, metrics, listed, load_synonyms(raw.get("synonyms") or [], sources, path, col)


def load_synonyms(entries: object, sources: set[str], path: Path, col: Collector) -> Synonyms:
    """The groups of verbs the comparability rule reads as one act, each a list of words with the passage of a
    source that uses them all for that act (``source``, ``quote``: found in the source, and holding every word,
    in any grammatical form). A group's words are kept by their stems; a word may be in one group only."""
    if not isinstance(entries, list):
        col.add(path, "'synonyms' must be a list of {words, source, quote}", field="synonyms")
        return ()
    groups: list[frozenset[str]] = []
    for number, entry in enumerate(entries, 1):
        where = {"record": f"synonyms #{number}", "field": "synonyms"}
        words = entry.get("words") if isinstance(entry, dict) else None
        if (not isinstance(entry, dict) or set(entry) != SYNONYM_KEYS or not isinstance(words, list)
                or not all(isinstance(w, str) and w.isalpha() for w in words)
                or len({stem(w.lower()) for w in words}) < 2 or not isinstance(entry["quote"], str)):
            col.add(path, "a synonym entry needs 'words' (two or more different single words), 'source' (a source "
                    "id) and 'quote' (a passage of that source that uses every one of the words for one act)", **where)
            continue
        stems = frozenset(stem(w.lower()) for w in words)
        if entry["source"] not in sources:
            col.add(path, f"unknown source {entry['source']!r}", **where)
            continue
        col.quote(entry["source"], entry["quote"], path, **where)
        missing = stems - {stem(w) for w in scope_words(entry["quote"])}
        if missing:
            col.add(path, f"the quote does not use {sorted(w for w in words if stem(w.lower()) in missing)}: a "
                    "synonym needs a passage that uses every word of the group for one act", **where)
            continue
        if any(stems & group for group in groups):
            col.add(path, f"{sorted(words)} shares a word with another synonym group: merge the two", **where)
            continue
        groups.append(stems)
    return tuple(groups)


def check_wordings(wordings: dict[str, tuple[str, ...]], measures: list[Measure], facts: pd.DataFrame,
                   derived: pd.DataFrame, path: Path, col: Collector) -> None:
    """Every wording names a fact, or an implied figure that names its metric, and stands in the fact's quote (an
    implied figure's: the quote of one of its inputs or of a printing of one), part by part (parts joined by
    "…"), ignoring case; every figure of a measure's metrics has one (on one of its printings, at least: a
    figure printed again may share the wording of its first printing), and so does every implied figure of them,
    so the comparability rule can quote what each figure counts."""
    implied = derived[(derived["kind"] == "implied") & derived["metric"].notna()]
    for key, listed in sorted(wordings.items()):
        if key in facts.index:
            quotes = [facts.at[key, "quote"]]
        elif key in implied.index:
            quotes = list(implied_quotes(implied.loc[key], facts).values())
        else:
            if not col.accounted_for(key):  # a refused fact or figure was reported where it is
                col.add(path, f"wording for {key!r}, which is neither a fact nor an implied figure that names its "
                        "metric", record=key, field="wordings")
            continue
        for words in listed:
            if not any(holds(quote, words) for quote in quotes):
                col.add(path, f"the wording {words!r} is not in the quote of {key!r}" + (
                    " or of any of its inputs" if key in implied.index else "") + "; copy the words as the quote "
                    f"prints them, parts that stand apart joined by {ELLIPSIS!r}", record=key, field="wordings")
    metrics = {s.metric for m in measures for s in m.series}
    for ids in printings(facts[facts["metric"].isin(metrics)]):
        if not any(i in wordings for i in ids):
            col.add(path, f"fact {ids[0]!r} of the measures' metric {facts.at[ids[0], 'metric']!r} has no wording" + (
                    f" (nor has any other printing of its figure: {', '.join(ids[1:])})" if ids[1:] else "") +
                    ": add the words its quote uses for what it counts under 'wordings'", record=ids[0],
                    field="wordings")
    for derived_id, row in implied.iterrows():
        if row["metric"] not in metrics:
            col.add(path.parent / "derived.yaml", f"metric {row['metric']!r} is not a metric of any measure",
                    record=str(derived_id), field="metric")
        elif derived_id not in wordings:
            col.add(path, f"the implied figure {derived_id!r} has no wording: add the words of its inputs' quotes "
                    "that say what it counts under 'wordings'", record=str(derived_id), field="wordings")


def check_scope(facts: pd.DataFrame, measures: list[Measure], metrics: dict[str, Metric], path: Path,
                data_dir: Path, col: Collector) -> None:
    """Every fact's metric has a label; each label and series description carries its metric's scope words;
    every fact's quote carries them too, or the fact declares how it deviates; series of one measure that
    differ in scope say how in what they count."""
    for metric in sorted(set(facts["metric"].tolist()) - set(metrics)):
        col.add(path, f"metric {metric!r} has no label: add it under 'metrics' with a label in plain words",
                record=metric, field="metrics")
    for slug, metric in metrics.items():
        if label_is_identifier(slug, metric.label):
            col.add(path, f"the label {metric.label!r} is the metric's name spelled out; write what it counts in "
                    "plain words", record=slug, field="label")
        for term in metric.scope:
            if term.lower() not in metric.label.lower():
                col.add(path, f"the label {metric.label!r} leaves out the scope words {term!r}", record=slug,
                        field="label")
    columns = ["id", "metric", "quote", "scope_deviation", "csv_file", "csv_line"]
    lacking: dict[tuple[str, str], list[str]] = {}  # for each metric and quote met, the scope words the quote lacks
    for fact_id, metric, quote, scope_deviation, csv_file, csv_line in zip(
            *(facts[name].tolist() for name in columns), strict=True):
        if (metric, quote) not in lacking:
            terms = metrics[metric].scope if metric in metrics else []
            lower = normalise(quote).lower()
            lacking[metric, quote] = [term for term in terms if term.lower() not in lower]
        missing = lacking[metric, quote]
        if missing and not scope_deviation:
            col.add(data_dir.parent / csv_file, f"the quote lacks the scope words {missing} of its metric "
                    f"{metric!r}: move it to a metric it matches, or say in scope_deviation how it differs",
                    row=csv_line, record=fact_id, field="quote")
    for measure in measures:
        headline = set(metrics[measure.series[0].metric].scope) if measure.series[0].metric in metrics else set()
        for series in measure.series[1:]:
            own = set(metrics[series.metric].scope) if series.metric in metrics else set()
            for term in sorted(own ^ headline):
                if term.lower() not in series.counts.lower():
                    col.add(path, f"series {series.metric!r} differs in scope from {measure.series[0].metric!r} "
                            f"but what it counts does not say how (it never names {term!r})",
                            record=measure.id, field="series.counts")
        for series in measure.series:
            for term in metrics[series.metric].scope if series.metric in metrics else []:
                if term.lower() not in series.counts.lower():
                    col.add(path, f"series {series.metric!r} says it counts {series.counts!r}, leaving out its "
                            f"scope words {term!r}", record=measure.id, field="series.counts")


def label_is_identifier(slug: str, label: str) -> bool:
    """True when a label is only its metric's identifier with the underscores taken out ("Admin arrests
    criminal fugitive reentry share" for ero_admin_arrests_criminal_fugitive_reentry_share)."""
    words = re.findall(r"[a-z0-9]+", label.lower())
    parts = slug.split("_")
    return words in (parts, parts[1:])


def check_catalog_use(measures: list[Measure], facts: pd.DataFrame, known: set[str], path: Path,
                      col: Collector) -> None:
    """Every series draws a metric some fact has; the measures' and series' prose names figures only as
    {{fact-id}} references to known facts or derived figures."""
    metrics_in_facts = set(facts["metric"].tolist()) | col.refused_metrics
    anecdotes = facts[anecdotal(facts)]
    for measure in measures:
        for series in measure.series:
            if series.metric not in metrics_in_facts:
                col.add(path, f"metric {series.metric!r} is used by no fact",
                        record=measure.id, field="series.metric")
            for fact_id in anecdotes.index[anecdotes["metric"] == series.metric]:
                col.add(path, f"fact {fact_id!r} of metric {series.metric!r} is an anecdote (its role): a measure "
                        "compares statistics only; give the anecdote a metric of its own, or clear its role if "
                        "the source gives it as a statistic", record=measure.id, field="series.metric")
    check_record_prose(measures, ("label", "definition", "notes"), known, path, col)
    for measure in measures:
        for series in measure.series:
            refs: set[str] = set()
            check_prose(series.counts, path, col, f"{measure.id} ({series.metric})", "series.counts", refs)
            check_refs(refs, known, path, col, f"{measure.id} ({series.metric})")
