"""The home page's key findings and limits, made from the data; expected values checked against the source texts."""

from __future__ import annotations

import copy
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from icebook.build.params import default_value
from icebook.data.compare import Change
from icebook.data.loader import book
from icebook.pages.keyfindings import (
    NO_CHANGE,
    change_in_words,
    change_sentence,
    comparable_years,
    key_findings,
    limits,
    main_messages,
    measure_takeaway,
    no_change_measures,
    recommendation_counts,
    spelled_out,
    stated_changes,
    status_label,
)
from icebook.pages.sections import MIME, split_cells

# The years the published comparison sets side by side (chapters/params.yml), as the home page passes them.
YEARS = (default_value("comparison", "fiscal_years"), default_value("comparison", "baseline_year"))


def text(markup) -> str:
    return BeautifulSoup(str(markup), "html.parser").get_text()


def measure(measure_id: str):
    return next(m for m in book().measures if m.id == measure_id)


def test_key_findings_answer_the_three_questions_each_linking_to_its_section():
    findings = key_findings(book(), *YEARS)
    assert 6 <= len(findings) <= 12
    assert {f.question for f in findings} == {"changes", "organisation", "oversight"}
    for finding in findings:
        assert re.fullmatch(r"(comparison|organisation|oversight)\.html#[a-z0-9-]+", finding.href), finding.href
    traced = [f for f in findings if BeautifulSoup(str(f.sentence), "html.parser").select(
        "a.fact, a.derived, a.book-count")]
    assert len(traced) >= 6
    # attributed: each sentence says who reported or found it
    for finding in findings:
        assert re.search(r"\b(ICE|DHS|OIG|sources|memo)\b", text(finding.sentence)), text(finding.sentence)


def test_recommendation_counts_are_those_the_reports_print():
    # OIG-17-51: "We consider all five recommendations resolved and open."
    assert recommendation_counts(book().findings["oig1751"]) == {"resolved and open": 5}
    # OIG-20-13: "two recommendations resolved and open and two recommendations unresolved and open"
    assert recommendation_counts(book().findings["oig2013"]) == {"resolved and open": 2, "unresolved and open": 2}


def test_each_reports_recommendations_read_as_one_sentence_that_stops_at_the_reports_date():
    oversight = [text(f.sentence) for f in key_findings(book(), *YEARS) if "#recommendations-" in f.href]
    # OIG-17-51: "ICE concurred with all five recommendations" ... "we consider all five recommendations resolved
    # and open"; OIG-20-13: "ICE concurred with our four recommendations" ... "We consider two recommendations
    # resolved and open and two recommendations unresolved and open."
    assert oversight == [
        "OIG's report OIG-17-51 made five recommendations, and ICE concurred with five; all were resolved and open "
        "as of April 13, 2017, the report's date, and these sources say nothing later.",
        "OIG's report OIG-20-13 made four recommendations, and ICE concurred with four; two were resolved and open "
        "and two unresolved and open as of February 18, 2020, the report's date, and these sources say nothing later."]


def test_a_changed_status_changes_the_counts():
    record = copy.deepcopy(book().findings["oig2013"])
    record["recommendations"][0]["oig_status"]["resolved"] = True
    assert recommendation_counts(record) == {"resolved and open": 3, "unresolved and open": 1}
    record["recommendations"][0]["oig_status"]["open"] = False
    assert status_label(record["recommendations"][0]["oig_status"]) == "resolved and closed"


def test_a_change_keeps_its_bound_wherever_it_is_restated():
    # more than 2,300 pounds of fentanyl (DHS page, FY 2017) to 6,105 (annual report, FY 2020): 6105 / 2300 - 1 =
    # 165.4%; the base is a lower bound, so the true change is at most that; "2,300" has two significant digits,
    # so the change is shown to two, rounded up (a ceiling never understated): "at most a rise of 170%".
    base, later = book().fact("dhs2018-hsi-fentanyl-seized"), book().fact("ar2020-hsi-fentanyl-seized")
    assert "more than 2,300 pounds of fentanyl" in base["quote"] and "6,105" in later["quote"]
    ceiling = (6105 - 2300) / 2300 * 100
    fentanyl = stated_changes(book(), measure("hsi_fentanyl"), *YEARS)[0]
    assert ceiling <= fentanyl.shown < ceiling + 10  # the true ceiling, rounded up at two digits, not beyond
    line = text(measure_takeaway(book(), measure("hsi_fentanyl"), *YEARS))
    assert "; the book computes at most a rise of 170%." in line
    assert "less than +170%" not in line and "a change of" not in line
    finding = next(f for f in key_findings(book(), *YEARS) if f.href.endswith("#measure-hsi-fentanyl"))
    assert text(finding.sentence).startswith("DHS and ICE reported fentanyl seized by HSI (pounds): more than 2,300 "
                                             "in FY 2017 (DHS page) and 6,105 in FY 2020 (ICE annual report); the "
                                             "book computes at most a rise of 170%")
    # 567 to 337 MS-13 criminal arrests: exact figures, 337 / 567 - 1 = -40.6%, no bound word
    assert "the book computes a fall of 40.6%" in text(measure_takeaway(book(), measure("hsi_gang_arrests"), *YEARS))


def test_a_change_from_approximate_figures_is_shown_no_finer_than_they_are():
    # "almost a million pounds" of narcotics (DHS page, FY 2017) to "more than 1.4 million" (annual report,
    # FY 2020): 1.4 / 1 - 1 = 40%, a lower bound. "a million" has one significant digit, so the change is shown to
    # the book's minimum of two, whole percent, rounded down: "a rise of more than 40%", not "40.0%".
    line = text(measure_takeaway(book(), measure("hsi_narcotics"), *YEARS))
    assert "the book computes a rise of more than 40%" in line
    assert "40.0" not in line


@pytest.mark.parametrize("shown,bound,said", [
    (170.0, "less than", "at most a rise of 170%"), (40.0, "more than", "a rise of more than 40%"),
    (-40.6, "", "a fall of 40.6%"), (-12.0, "less than", "a fall of more than 12%"),
    (-12.0, "more than", "at most a fall of 12%"), (25.0, "about", "a rise of about 25%")])
def test_a_bounded_change_says_which_way_its_bound_goes(shown, bound, said):
    ch = Change(id="c", measure="m", series="s", base="b", later="l", value=shown, bound=bound, reason="",
                shown=shown, decimals=1 if shown == -40.6 else 0)
    assert change_in_words(ch) == said


def test_measures_without_a_change_are_grouped_by_what_their_years_allow_and_say_why():
    """Holds for whatever sources the data has: a measure with a stated change is in no group; any other is in
    one, which its series' comparable years decide, and its takeaway gives that reason with the years."""
    data = book()
    fiscal_years, baseline = YEARS
    grouped = no_change_measures(data, *YEARS)
    named = [m.id for measures in grouped.values() for m in measures]
    assert len(named) == len(set(named)) and set(grouped) <= set(NO_CHANGE)
    for measure in data.measures:
        reason = next((r for r, measures in grouped.items() if measure in measures), None)
        if stated_changes(data, measure, *YEARS):
            assert reason is None, measure.id
            continue
        years = comparable_years(data, measure, fiscal_years).values()
        widest = max((len(y) for y in years), default=0)
        if widest == 0:
            assert reason == "none", measure.id
        elif widest == 1:
            assert reason == "single", measure.id
        elif not any(baseline in y for y in years):
            assert reason == "no_baseline", measure.id
        else:
            assert reason in ("bounded", "blocked"), measure.id
        every_year = " and ".join(f"FY {y}" for y in sorted({y for ys in years for y in ys}))
        line = text(measure_takeaway(data, measure, *YEARS))
        assert line.startswith(f"No change from FY {baseline} can be shown: the sources give "
                               f"{NO_CHANGE[reason].replace('the baseline year', f'FY {baseline}')}"), line
        assert every_year in line, line


def test_limits_name_partial_years_self_reporting_and_damaged_copies():
    points = dict(limits(book(), *YEARS))
    assert "FY 2018 to August 20, 2018" in text(points["Partial years"])
    assert text(points["Partial years"]).startswith("Part of a fiscal year, not a whole one: removal orders")
    # the annual report and the DHS page are the agency's own statements; the OIG reports are not
    assert text(points["Self-reported, not audited"]).startswith("ICE annual report: ")
    assert "DHS page: " in text(points["Self-reported, not audited"])
    assert "OIG-20-13: " in text(points["Independent or internal"])
    damaged = BeautifulSoup(str(points["Damaged copies"]), "html.parser").select("a")
    ocr = [e["id"] for e in book().register if e["kind"] == "ocr"]
    assert {f"checking.html#register-{i}" for i in ocr} <= {a["href"] for a in damaged}


def test_a_heading_made_from_data_becomes_a_markdown_cell_between_its_outputs():
    def output(data):
        return nbformat.v4.new_output("display_data", data=data)

    cell = nbformat.v4.new_code_cell("show()", id="c1", metadata={"tags": ["remove-input"]})
    cell.outputs = [output({"text/html": "<p>before</p>"}),
                    output({MIME: {"text": "Removals *all*", "anchor": "measure-x", "level": 2}, "text/plain": ""}),
                    output({"text/html": "<p>after</p>"})]
    notebook = split_cells(nbformat.v4.new_notebook(cells=[cell]))
    kinds = [c.cell_type for c in notebook.cells]
    assert kinds == ["code", "markdown", "code"]
    assert notebook.cells[1].source == "(measure-x)=\n## Removals \\*all\\*"
    assert [o.data["text/html"] for o in notebook.cells[2].outputs] == ["<p>after</p>"]
    assert notebook.cells[2].metadata["tags"] == ["remove-input"] and notebook.cells[2].source


@pytest.mark.parametrize("status, expected", [({"resolved": False, "open": True}, "unresolved and open"),
                                              ({"resolved": True, "open": False}, "resolved and closed")])
def test_status_label_uses_oigs_two_words(status, expected):
    assert status_label(status) == expected


def test_a_change_of_a_part_series_is_headed_by_that_series_not_by_its_measure():
    # dhs2018 "809 MS-13 arrests, 567 of which were criminal" and ar2020 "337 MS-13 CRIMINAL ARRESTS": the
    # sentence is headed by the series it reports, as the catalog labels it ("criminal" kept), so a skimmer does not
    # read a fall in gang arrests; the measure it belongs to comes second, in the link to its section.
    data = book()
    gangs = next(m for m in data.measures if m.id == "hsi_gang_arrests")
    changes = stated_changes(data, gangs, *YEARS)
    text = BeautifulSoup(str(change_sentence(data, gangs, changes)), "html.parser").get_text()
    assert text.startswith("DHS and ICE reported HSI MS-13 criminal arrests: 567 in FY 2017")
    assert "gang-related" not in text and "not another count" not in text
    finding = next(f for f in key_findings(data, *YEARS) if f.href.endswith("#measure-hsi-gang-arrests"))
    assert BeautifulSoup(str(finding.sentence), "html.parser").get_text() == text
    assert finding.section == "HSI MS-13 criminal arrests, under HSI gang-related criminal arrests"
    # the page's main message names the series first, the measure after it
    first = BeautifulSoup(str(main_messages(data, *YEARS)[0]), "html.parser").get_text()
    assert "HSI MS-13 criminal arrests (−40.6%; under HSI gang-related criminal arrests)" in first
    assert "HSI gang-related criminal arrests (−40.6%" not in first


def test_an_abbreviation_in_a_lead_is_written_out_at_first_use_as_its_source_writes_it():
    # OIG-20-13 writes "Criminal Alien Program (CAP)"; its finding's brief says only "CAP", which a reader of the
    # home page or the oversight page's lead had not met. ICE and OIG are the book's own names, left alone.
    data = book()
    assert "Criminal Alien Program (CAP)" in data.texts["oig2013"]
    sentences = [text(f.sentence) for f in key_findings(data, *YEARS) if f.question == "oversight"]
    cap = [s for s in sentences if "CAP" in s]
    assert cap and "the Criminal Alien Program (CAP)" in cap[0]
    assert sum(s.count("Criminal Alien Program") for s in sentences) == 1  # written out once, at first use
    # only text is changed, never a tag's attribute; an abbreviation already written out is left as it is
    marked = Markup('OIG found that <a title="CAP quote">9</a> CAP works.')
    assert str(spelled_out(data, "oig2013", marked, {"OIG"})) == (
        'OIG found that <a title="CAP quote">9</a> the Criminal Alien Program (CAP) works.')
    done = Markup("OIG found that the Criminal Alien Program (CAP) works.")
    assert spelled_out(data, "oig2013", done, {"OIG"}) == done
