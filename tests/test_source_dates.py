"""A source's date as precise as its copy prints it: a day, a month ("December 2019") or a year alone; read from
tests/fixtures/source_dates.yaml, one registry entry of each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from pybtex.database import parse_string

from icebook.data.collect import Collector
from icebook.data.facts import as_of_fiscal_year
from icebook.data.read import read_records
from icebook.data.schema import Source, SourceDate
from icebook.sphinx.bibliography import SourcesStyle, bibliography

FIXTURES = Path(__file__).parent / "fixtures"


def _dated() -> dict[str, Source]:
    col = Collector(FIXTURES)
    sources = {s.id: s for s in read_records(FIXTURES / "source_dates.yaml", col, Source)}
    assert col.problems == []
    return sources


def test_a_day_a_month_and_a_year_are_read_and_written_as_printed():
    dates = {source_id: source.date for source_id, source in _dated().items()}
    assert dates == {"byday": SourceDate(2020, 12, 23), "bymonth": SourceDate(2019, 12), "byyear": SourceDate(2019)}
    assert [d.isoformat() for d in dates.values()] == ["2020-12-23", "2019-12", "2019"]
    assert [d.words() for d in dates.values()] == ["December 23, 2020", "December 2019", "2019"]
    assert sorted(dates.values(), key=str) == [SourceDate(2019), SourceDate(2019, 12), SourceDate(2020, 12, 23)]


@pytest.mark.parametrize(("date", "fiscal_year"), [
    (SourceDate(2017, 9, 30), 2017), (SourceDate(2017, 10, 1), 2018), (SourceDate(2020, 12, 1), 2021),
    (SourceDate(2019, 9), 2019), (SourceDate(2019, 10), 2020), (SourceDate(2019), None)])
def test_a_date_s_fiscal_year_is_known_to_its_month(date: SourceDate, fiscal_year: int | None):
    """FY 2018 runs from October 1, 2017 to September 30, 2018: a month decides it; a year alone falls in two."""
    assert date.fiscal_year == fiscal_year


def test_a_state_in_a_source_dated_by_its_year_alone_has_no_fiscal_year():
    facts = pd.DataFrame({"source": ["byday", "bymonth", "byyear"], "period_type": ["point_in_time"] * 3,
                          "fiscal_year": pd.array([None] * 3, dtype="Int64")})
    assert as_of_fiscal_year(facts, _dated()).tolist() == [2021, 2020, pd.NA]


def test_the_bibliography_gives_the_date_as_precisely_as_the_copy():
    parsed = parse_string(bibliography(_dated()), "bibtex")
    fields = {key: (e.fields.get("year"), e.fields.get("month")) for key, e in parsed.entries.items()}
    assert fields == {"byday": ("2020", "December"), "bymonth": ("2019", "December"), "byyear": ("2019", None)}
    shown = {e.key: e.text.render_as("text") for e in SourcesStyle().format_bibliography(parsed)}
    assert "December 2019" in shown["bymonth"]
    assert "2019" in shown["byyear"] and not any(month in shown["byyear"] for month in ("January", "December"))


@pytest.mark.parametrize("value", ["'December 2019'", "'2019-13'", "'19'", "'2019-12-1'", "2019-12-01 10:30:00",
                                   "true", "[2019, 12]"])
def test_a_date_in_another_form_names_the_file_the_field_and_the_forms_accepted(value: str, tmp_path: Path):
    path = tmp_path / "sources.yaml"
    text = (FIXTURES / "source_dates.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("  date: 2019-12\n", f"  date: {value}\n"), encoding="utf-8")
    col = Collector(tmp_path)
    assert [s.id for s in read_records(path, col, Source)] == ["byday", "byyear"]
    assert len(col.problems) == 1
    problem = col.problems[0]
    assert (problem.file, problem.record, problem.field) == (f"{tmp_path.name}/sources.yaml", "bymonth", "date")
    assert problem.message.endswith(
        "is not accepted; write a date, YYYY-MM-DD for a day (2020-12-23), YYYY-MM for a month (2019-12) or YYYY for "
        "a year (2019), as precise as the copy prints it; null when it prints none")
    assert "Input should" not in problem.message and "pydantic" not in problem.message


def test_a_date_yaml_reads_as_a_date_is_a_day():
    assert Source.model_validate({**_dated()["byday"].model_dump(), "date": dt.date(2018, 8, 20)}).date == \
        SourceDate(2018, 8, 20)
