"""Anecdotes: a count a source gives as a detail of one example or of what people told it stays a fact, but no
key-figure list takes it and no chart draws it (data/README.md, *Anecdotes*).

The fixture tests/fixtures/anecdotes/ lays its facts over tests/fixtures/good/ and marks the good fixture's
sentence "Thirty-four officers took part." an anecdote; each test also reads the good fixture, where the same
count is a statistic, so it sees the mark, not the count, keep the figure out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

import icebook.pages.chart as chart
import icebook.pages.factindex as factindex
import icebook.pages.fmt as fmt
import icebook.pages.oversight as oversight
from icebook import load
from icebook.pages.profile import key_figures, key_selection

FIXTURES = Path(__file__).parent / "fixtures"
ANECDOTE = "sample-officers"  # "Thirty-four officers took part."


def _loaded(tmp_path: Path, monkeypatch, marked: bool):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", folder)
    if marked:
        shutil.copytree(FIXTURES / "anecdotes", folder, dirs_exist_ok=True)
    data = load(folder)
    for module in (fmt, chart, oversight, factindex):
        monkeypatch.setattr(module, "book", lambda: data)
    return data


@pytest.fixture(params=[True, False], ids=["anecdote", "statistic"])
def data(request, tmp_path, monkeypatch):
    return _loaded(tmp_path, monkeypatch, marked=request.param)


def _is_anecdote(data) -> bool:
    return data.fact(ANECDOTE)["role"] == "anecdote"


def test_an_anecdote_stays_a_fact_and_its_entry_says_what_it_is(data):
    entry = str(factindex.entry(data.with_notes(data.facts_of([ANECDOTE])).iloc[0]))
    assert f'id="{ANECDOTE}"' in entry
    assert ("not a statistic" in entry) == _is_anecdote(data)


def test_a_profile_lists_no_anecdote_among_its_key_figures(data):
    chosen = key_selection(data, data.facts_where(component="ERO"))
    listed = {i for figures in chosen.statements.values() for ids in figures.values() for i in ids}
    assert "sample-arrests" in listed  # the statistics beside it stay
    assert (ANECDOTE in listed) != _is_anecdote(data)
    box = str(key_figures(data, {"id": "ERO", "abbreviation": "ERO"}, chosen.reported, chosen.statements,
                          chosen.key, chosen.compared))
    assert (f"#{ANECDOTE}" in box) != _is_anecdote(data)


def test_no_chart_draws_an_anecdote(data):
    facts = data.facts_of(["sample-arrests", ANECDOTE])
    marks = chart.printed_marks(facts, ["arrests", "officers"], "people")
    reason = chart.why_not_a_chart(marks)
    drawn = chart.Chart(title="People", subtitle="People counted.", description="Bars.", marks=marks,
                        sources=["sample"], axis="People", data_table=Markup("<table></table>"))
    if _is_anecdote(data):
        assert reason and ANECDOTE in reason and "anecdote" in reason
        with pytest.raises(ValueError, match=ANECDOTE):
            chart.figure(drawn)
    else:
        assert reason is None or "anecdote" not in reason


def test_a_findings_figures_leave_an_anecdote_out_and_list_it_apart(data):
    html = str(oversight.evidence(["sample-arrests", ANECDOTE]))
    figures, _, apart = html.partition("not as statistics")
    assert "#sample-arrests" in figures
    assert (f"#{ANECDOTE}" in figures) != _is_anecdote(data)
    assert (f"#{ANECDOTE}" in apart) == _is_anecdote(data)
