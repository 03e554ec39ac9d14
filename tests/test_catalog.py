"""The metrics catalog: every series draws a metric some fact has, labels say what a metric counts in plain
words with its scope, and a quote carries its metric's scope words or says how it deviates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from icebook.data.catalog import check_catalog_use, check_scope, label_is_identifier, load_catalog, load_synonyms
from icebook.data.collect import Collector
from icebook.data.schema import Measure, Metric

GOOD = Path(__file__).parent / "fixtures" / "good"
DATA = Path("/project/data")
CATALOG = DATA / "metrics.yaml"


@pytest.mark.parametrize(("slug", "label"), [
    ("ero_admin_arrests_criminal_fugitive_reentry_share", "Admin arrests criminal fugitive reentry share"),
    ("ero_covid_citizens_lprs_returned", "COVID citizens LPRs returned"),
])
def test_a_humanised_identifier_is_caught(slug, label):
    assert label_is_identifier(slug, label)


def test_a_label_in_plain_words_is_not_an_identifier():
    assert not label_is_identifier("ero_admin_arrests", "Administrative arrests ERO made")


def measure(*metrics: str) -> Measure:
    return Measure.model_validate({
        "id": "arrests", "label": "Arrests", "theme": "Enforcement", "unit": "count", "definition": "Arrests.",
        "series": [{"metric": m, "counts": "arrests made at large"} for m in metrics]})


def test_a_series_with_no_fact_and_a_typed_figure_in_a_measure_are_named():
    facts = pd.DataFrame({"metric": ["ero_arrests"], "source": ["s"], "role": [""]})
    drawn = measure("ero_arrests", "ero_arrests_gone").model_copy(update={"notes": "Up from 1,250 the year before"})
    col = Collector(DATA)
    check_catalog_use([drawn], facts, set(), CATALOG, col)
    assert [(p.record, p.field, p.message) for p in col.problems] == [
        ("arrests", "series.metric", "metric 'ero_arrests_gone' is used by no fact"),
        ("arrests", "notes", "figure(s) ['1,250'] typed into prose; write {{fact-id}} instead")]


def test_a_quote_without_its_metric_s_scope_words_is_named_unless_it_says_how_it_deviates():
    facts = pd.DataFrame({"id": ["s-a", "s-b"], "metric": ["ero_at_large"] * 2,
                          "quote": ["ICE made 90 arrests.", "ICE made 90 arrests."],
                          "scope_deviation": ["", "counts every arrest, not only those at large"],
                          "csv_file": ["data/facts/s.csv"] * 2, "csv_line": [2, 3]})
    metrics = {"ero_at_large": Metric(label="Arrests made at large", scope=["at large"])}
    col = Collector(DATA)
    check_scope(facts, [measure("ero_at_large")], metrics, CATALOG, DATA, col)
    assert [(p.row, p.record, p.field) for p in col.problems] == [(2, "s-a", "quote")]


def test_the_catalog_of_the_good_fixture_loads():
    col = Collector(GOOD)
    measures, metrics, wordings, synonyms = load_catalog(GOOD / "metrics.yaml", {"sample"}, col)
    assert col.problems == []
    assert [m.id for m in measures] == ["admin_arrests"]
    assert metrics["ero_at_large_share"].scope == ["at large"]
    # "In FY 2020, the office made 1,250 arrests, about 40% of them at large."
    assert wordings == {"sample-arrests": ("arrests",)} and synonyms == ()


def _facts(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).set_index("id", drop=False)


def test_a_wording_must_stand_in_its_quote_part_by_part_and_every_measured_fact_needs_one():
    from icebook.data.catalog import check_wordings
    facts = _facts([
        {"id": "a", "metric": "victims", "quote": "ICE identified and assisted 518 human trafficking victims.",
         "source": "dhs", "period": "FY 2017", "value": 518},
        {"id": "b", "metric": "victims", "quote": "Identified and rescued 418 victims of human trafficking.",
         "source": "ar", "period": "FY 2020", "value": 418},
        {"id": "b-graphic", "metric": "victims", "quote": "418 VICTIMS OF HUMAN TRAFFICKING IDENTIFIED AND/OR ASSISTED",
         "source": "ar", "period": "FY 2020", "value": 418}])
    derived = pd.DataFrame(columns=["kind", "metric", "inputs"])
    series = Measure(id="m", label="Victims", theme="t", unit="count", definition="d",
                     series=[{"metric": "victims", "counts": "victims"}])
    col = Collector(DATA)
    check_wordings({"a": ("identified and assisted … human trafficking victims",), "c": ("x",)}, [series], facts,
                   derived, CATALOG, col)
    assert [(p.record, p.message.split(":")[0]) for p in col.problems] == [
        ("c", "wording for 'c', which is neither a fact nor an implied figure that names its metric"),
        ("b", "fact 'b' of the measures' metric 'victims' has no wording (nor has any other printing of its figure")]
    # a figure printed again shares the wording of either printing
    col = Collector(DATA)
    check_wordings({"a": ("identified and assisted",), "b-graphic": ("IDENTIFIED AND/OR ASSISTED",)}, [series], facts,
                   derived, CATALOG, col)
    assert col.problems == []
    col = Collector(DATA)
    check_wordings({"a": ("identified and rescued",), "b": ("Identified and rescued … victims of human trafficking",)},
                   [series], facts, derived, CATALOG, col)
    assert [p.record for p in col.problems] == ["a"] and "is not in the quote of 'a'" in col.problems[0].message


def test_a_synonym_needs_a_passage_of_its_source_that_uses_every_one_of_its_words():
    # the good fixture's source: "In FY 2020, the office made 1,250 arrests, about 40% of them at large."
    col = Collector(GOOD)
    path = GOOD / "metrics.yaml"
    groups = load_synonyms([
        {"words": ["made", "arrests"], "source": "sample", "quote": "the office made 1,250 arrests"},
        {"words": ["made", "seized"], "source": "sample", "quote": "the office made 1,250 arrests"},
        {"words": ["made"], "source": "sample", "quote": "the office made 1,250 arrests"},
        {"words": ["made", "held"], "source": "nowhere", "quote": "the office made"}], {"sample"}, path, col)
    assert groups == (frozenset({"made", "arrest"}),)
    messages = [(p.record, p.message) for p in col.problems]
    assert messages[0][0] == "synonyms #2" and "does not use ['seized']" in messages[0][1]
    assert messages[1][0] == "synonyms #3" and "two or more different single words" in messages[1][1]
    assert messages[2] == ("synonyms #4", "unknown source 'nowhere'")
    col.check_quotes({"sample": "In FY 2020, the office made 1,250 arrests, about 40% of them at large."})
    assert len(col.problems) == 3  # the first passage is found in its source
    col.quote("sample", "the office seized 1,250 arrests", path, record="synonyms #5")
    col.check_quotes({"sample": "In FY 2020, the office made 1,250 arrests, about 40% of them at large."})
    assert col.problems[-1].record == "synonyms #5"
