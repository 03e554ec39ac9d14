"""What the catalog, the notes and the register say about a figure is what its source says, checked against
the source texts' own words (data/sources/)."""

import re

import pytest

from icebook import book
from icebook.pages import fmt


@pytest.fixture(scope="module")
def data():
    return book()


def _quoted(text: str) -> list[str]:
    return re.findall(r'"([^"]*)"', " ".join(text.split()))


@pytest.mark.parametrize(("measure_id", "graphic_words", "graphic_fact"), [
    # ar2020, summary graphic: "418 VICTIMS OF HUMAN TRAFFICKING IDENTIFIED AND/OR ASSISTED"
    ("hsi_trafficking_victims", "VICTIMS OF HUMAN TRAFFICKING IDENTIFIED AND/OR ASSISTED",
     "ar2020-hsi-trafficking-victims-infographic"),
    # ar2020, summary graphic: "1,012 CHILD EXPLOITATION VICTIMS RESCUED OR IDENTIFIED"
    ("hsi_child_exploitation_victims", "CHILD EXPLOITATION VICTIMS RESCUED OR IDENTIFIED",
     "ar2020-hsi-child-exploitation-victims-infographic"),
])
def test_a_victims_note_quotes_both_of_the_report_s_wordings_traced(data, measure_id, graphic_words, graphic_fact):
    measure = next(m for m in data.measures if m.id == measure_id)
    quoted = _quoted(measure.notes)
    assert "Identified and rescued" in quoted and graphic_words in quoted
    assert all(q in data.texts["ar2020"] or q in data.texts["dhs2018"] for q in quoted)
    assert f"{{{{{graphic_fact}}}}}" in measure.notes
    shown = str(fmt.quoted_note(measure.notes))
    assert f'<q class="source-quote">{graphic_words}</q>' in shown and f"#{graphic_fact}" in shown
    # the catalog's scope words are those both of the report's wordings share
    metric = data.metrics[measure.series[0].metric]
    for fact_id in (graphic_fact, graphic_fact.removesuffix("-infographic")):
        assert all(w in data.fact(fact_id)["quote"].lower() for w in metric.scope), fact_id


def test_the_gang_arrests_keep_each_source_s_words_and_are_compared_on_the_words_they_share(data):
    # ar2020: "Conducted 3,671 gang-related criminal arrests." and, in its graphic, "3,671 TRANSNATIONAL GANGS
    # CRIMINAL ARRESTS"; dhs2018: "In 2017, HSI continued its fight to combat transnational gangs, making 4,818
    # criminal arrests in the fiscal year." The measure's label takes neither source's word for the whole.
    measure = next(m for m in data.measures if m.id == "hsi_gang_arrests")
    assert measure.label == "HSI criminal arrests in its work against gangs"
    report, page = data.fact("ar2020-hsi-gang-criminal-arrests"), data.fact("dhs2018-hsi-gang-criminal-arrests")
    graphic = data.fact("ar2020-hsi-gang-criminal-arrests-infographic")
    assert "gang-related criminal arrests" in report["quote"] and "gang-related" not in page["quote"]
    assert "TRANSNATIONAL GANGS CRIMINAL ARRESTS" in graphic["quote"] and "transnational gangs" in page["quote"]
    assert "transnational gangs" in data.metrics[page["metric"]].label
    assert data.wordings[graphic.name] == ("TRANSNATIONAL GANGS CRIMINAL ARRESTS",)
    assert data.wordings[page.name] == ("transnational gangs … criminal arrests",)


def test_ice_s_mission_is_its_mission_sentence_as_printed(data):
    missions = data.structure["agency"]["mission"]
    first = " ".join(missions[0]["quote"].split())
    assert first.startswith("U.S. Immigration and Customs Enforcement's (ICE) mission is to protect America")
    assert not any("COVID" in m["quote"] for m in missions)


def test_a_component_is_named_by_the_source_s_own_abbreviation(data):
    assert "Management and Administration (M&A)" in data.texts["ar2020"]
    assert fmt.component_abbreviation("MA") == "M&A"
    assert fmt.component_abbreviation("ERO") == "ERO"
    assert fmt.component_abbreviation("external") == "external"


def test_the_register_says_ms13_arrests_sit_under_of_that_number_and_appendix_c_counts_offenses(data):
    entries = {e["id"]: e for e in data.register}
    ms13 = entries["ms13-of-that-number"]
    assert any(q["quote"].startswith("Of that number, there were 809 MS-13 arrests") for q in ms13["quotes"])
    assert "dhs2018-hsi-ms13-admin-arrests" in ms13["facts"]
    appc = entries["appendix-c-counts-offenses"]
    assert any("Arrests by Violation Category" in q["quote"] for q in appc["quotes"])
    assert "offenses, not arrests" in appc["what_it_means"]
    assert "Of that number" in data.with_notes(data.facts_of(["dhs2018-hsi-ms13-arrests"]))["notes"].iloc[0]
