"""The home page's key findings and limits, made from the data; expected values checked against the source texts."""

from __future__ import annotations

import copy
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from icebook.build.params import default_value
from icebook.data.loader import book
from icebook.pages.comparison import measure_anchor
from icebook.pages.keyfindings import MAX_CHANGE_FINDINGS, judgements, key_findings, not_compared_sentence
from icebook.pages.limits import limits
from icebook.pages.oversight import recommendation_counts, spelled_out, status_label
from icebook.pages.sections import MIME, split_cells
from icebook.pages.verdicts import pair_sentence, reasons_not

# The years the published comparison sets side by side (chapters/params.yml), as the home page passes them.
YEARS = (default_value("comparison", "fiscal_years"), default_value("comparison", "baseline_year"))


def text(markup) -> str:
    return BeautifulSoup(str(markup), "html.parser").get_text()


def measure(measure_id: str):
    return next(m for m in book().measures if m.id == measure_id)


def test_key_findings_answer_the_three_questions_each_linking_to_its_section():
    findings = key_findings(book(), judgements(book(), *YEARS))
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
    oversight = [text(f.sentence) for f in key_findings(book(), judgements(book(), *YEARS))
                 if "#recommendations-" in f.href]
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


def _judged() -> dict:
    return {j.measure.id: j for j in judgements(book(), *YEARS)}


def test_every_compared_pair_is_a_finding_or_named_among_the_others():
    """Holds for whatever sources the data has: the first pairs the rule compares, exact ones first, are each a
    finding in the rule's words; the measures of the rest are named together, linked to their sections."""
    judged = list(_judged().values())
    findings = key_findings(book(), judged)
    pairs = [c for j in judged for c in j.compared]
    said = [text(f.sentence) for f in findings if f.question == "changes" and "the book's verdict:" in text(f.sentence)]
    assert len(said) == min(len(pairs), MAX_CHANGE_FINDINGS)
    if len(pairs) > MAX_CHANGE_FINDINGS:
        also = next(f for f in findings if text(f.sentence).startswith("The book also compares"))
        assert BeautifulSoup(str(also.sentence), "html.parser").select("a[href^='comparison.html#measure-']")


def test_a_compared_pair_is_said_with_the_rules_verdict_and_reason():
    judged = _judged()
    # dhs2018 "more than 2,300 pounds of fentanyl" (FY 2017), ar2020 "6,105 pounds of fentanyl" (FY 2020):
    # 3,805 / 2,300 = 165.43%, the base a floor, so at most that: "at most +166%", rounded up to the whole percent
    fentanyl = judged["hsi_fentanyl"]
    pair = next(c for c in fentanyl.compared if c.earlier.id == "dhs2018-hsi-fentanyl-seized")
    said = " ".join(text(pair_sentence(fentanyl, pair)).split())
    assert said.startswith("DHS and ICE reported fentanyl seized by HSI (pounds): more than 2,300 (DHS page, "
                           "FY 2017) and 6,105 (ICE annual report, FY 2020); the book's verdict: compared as a "
                           "bound, at most +166% (a bound: more than 2,300 is a lower bound")
    assert "170%" not in said and "less than" not in said
    # dhs2018 "567 of which were criminal"; ar2020 "INCLUDES 337 MS-13 CRIMINAL ARRESTS": −230 / 567 = −40.6%,
    # headed by the part it counts, not by the whole measure
    gangs = judged["hsi_gang_arrests"]
    ms13 = next(c for c in gangs.compared if c.earlier.id == "dhs2018-hsi-ms13-criminal-arrests")
    said = " ".join(text(pair_sentence(gangs, ms13)).split())
    assert said.startswith("DHS and ICE reported HSI MS-13 criminal arrests: 567 (DHS page, FY 2017)")
    assert "compared exactly, −40.6%" in said


def test_a_pair_with_a_caveat_says_it_in_the_rules_words():
    judged = {j.measure.id: j for j in judgements(book(), list(range(2014, 2021)))}
    # oig2013 "ICE-issued detainers increased from 137,000 in FY 2014 to 165,500 in FY 2019", both rounded to the
    # nearest hundred (footnote 4): 28,500 / 137,000 = +20.80%, between 28,400 / 137,050 = 20.72% and
    # 28,600 / 136,950 = 20.88%, so one decimal holds: about +20.8%
    detainers = judged["ero_detainers"]
    said = " ".join(text(pair_sentence(detainers, detainers.compared[0])).split())
    assert "compared with a stated caveat, about +20.8% (figures rounded by their source: 137,000 is rounded to " \
           "the nearest hundred by its source and 165,500 rounded to the nearest hundred by its source" in said


def test_measures_not_compared_are_named_under_the_reasons_of_their_pairs():
    """Holds for whatever sources the data has: a measure is named under a reason when its main line has no
    compared pair, under each reason its pairs have, and under no reason a pair of it does not have; a measure
    with a compared pair in any line (gang arrests' MS-13 line) is named under none."""
    judged = list(_judged().values())
    grouped = {code: [j.measure.id for j in js] for code, js in reasons_not(judged).items()}
    for j in judged:
        named = {code for code, ids in grouped.items() if j.measure.id in ids}
        expected = set() if j.compared else {c.reason.code for c in j.main.comparisons}
        assert named == expected, j.measure.id
    sentence = text(not_compared_sentence(judged) or "")
    assert "count for one fiscal year only" not in sentence


def test_the_sentence_of_measures_not_compared_names_each_once_with_all_its_reasons():
    """A measure kept apart for two reasons is named once, with both, not once under each (the home page said
    "for ERO administrative arrests (the scope words differ); for ERO administrative arrests (an implied
    figure)")."""
    judged = list(_judged().values())
    soup = BeautifulSoup(str(not_compared_sentence(judged) or ""), "html.parser")
    groups: list[tuple[list[str], list[str]]] = []  # (the measures' anchors, the reasons after them)
    for node in soup.find_all(["a", "span"]):
        if node.name == "a":
            if not groups or groups[-1][1]:
                groups.append(([], []))
            groups[-1][0].append(node["href"].split("#")[1])
        elif "reason" in node.get("class", []):
            groups[-1][1].append(node["data-reason"])
    named = [anchor for anchors, _ in groups for anchor in anchors]
    assert len(named) == len(set(named)), named
    reasons_of = {anchor: reasons for anchors, reasons in groups for anchor in anchors}
    for j in judged:
        codes = [r.code for r in j.reasons_not()]
        assert reasons_of.get(measure_anchor(j.measure), []) == codes, j.measure.id


def test_the_review_s_measures_are_judged_by_their_words_verbs_included():
    """One rule for every wording: the words that say what is counted, verbs included, must be the same (a word's
    grammatical form aside); two different verbs are one act only where the data declares them synonyms with a
    passage that uses both, and no source has such a passage for any of these verbs. Each pair, with the reason
    the rule gives it, worked out from the quotes."""
    judged = _judged()
    data = book()
    assert data.synonyms == ()

    def pair(measure, earlier, later):
        return next(c for c in judged[measure].comparisons if c.later and (c.earlier.id, c.later.id) == (earlier,
                                                                                                           later))
    for measure, earlier, later, quotes, reasons in (
            # "ICE identified and assisted 518 human trafficking victims"; "Identified and rescued ... 418 victims
            # of human trafficking" and "418 VICTIMS OF HUMAN TRAFFICKING IDENTIFIED AND/OR ASSISTED": "rescued" is
            # not "assisted", and "and/or" is not "and"
            ("hsi_trafficking_victims", "dhs2018-hsi-trafficking-victims", "ar2020-hsi-trafficking-victims",
             ["identified and assisted 518", "Identified and rescued 1,012 victims of child exploitation and 418"],
             ["scope_words_differ"]),
            ("hsi_child_exploitation_victims", "dhs2018-hsi-child-exploitation-victims",
             "ar2020-hsi-child-exploitation-victims", ["more than 904 child exploitation victims",
                                                       "Identified and rescued 1,012 victims of child exploitation"],
             ["scope_words_differ"]),
            # "ICE-issued detainers increased from 137,000 in FY 2014 to 165,500"; "ICE placed 122,233 immigration
            # detainers": "issued" is not "placed" (nor does OIG say "immigration")
            ("ero_detainers", "oig2013-r1-detainers-issued-fy2019", "ar2020-ero-detainers-issued",
             ["ICE-issued detainers increased", "ICE placed 122,233 immigration detainers"], ["scope_words_differ"]),
            # "OPLA has secured over 100,000 removal orders"; "obtained 157,433 removal orders": "secured" is not
            # "obtained", so the pair is kept apart as the detainers and the victims are
            ("opla_removal_orders", "dhs2018-opla-removal-orders", "ar2020-opla-removal-orders",
             ["OPLA has secured over 100,000 removal orders", "obtained 157,433 removal orders"],
             ["scope_words_differ"]),
            # "ERO administratively arrested more than 127,000 aliens with criminal convictions or pending criminal
            # charges" counts aliens arrested; the book's 103,603 × "approximately 90%" counts "administrative
            # arrests, approximately 90% involving aliens with …": the words differ, and the figure is implied
            ("ero_admin_arrests", "dhs2018-ero-admin-arrests-criminal", "ar2020-ero-admin-arrests-criminal-implied",
             ["administratively arrested more than 127,000 aliens",
              "103,603 administrative arrests, approximately 90% involving aliens"],
             ["scope_words_differ", "implied_figure"]),
            # "making 4,818 criminal arrests" against "3,671 TRANSNATIONAL GANGS CRIMINAL ARRESTS": "making" only says
            # the arrests took place, so the words agree; the book's declared doubt keeps them apart
            ("hsi_gang_arrests", "dhs2018-hsi-gang-criminal-arrests", "ar2020-hsi-gang-criminal-arrests",
             ["making 4,818 criminal arrests", "3,671 TRANSNATIONAL GANGS CRIMINAL ARRESTS"], ["book_exception"])):
        said = pair(measure, earlier, later)
        assert [said.reason.code, *(r.code for r in said.also)] == reasons, measure
        assert all(any(q in data.fact(i)["quote"] for i in (*said.earlier.printings, *said.later.printings))
                   for q in quotes), measure
        if reasons[0] == "scope_words_differ":  # each source's words are quoted in the reason
            assert all(f"“{w.words}”" in said.because for f in said.figures for w in f.wordings), measure


def test_limits_name_partial_years_with_their_months_and_mark_the_books_reading():
    points = dict(limits(book(), judgements(book(), *YEARS)))
    # October 1, 2017 to August 20, 2018: 324 of FY 2018's 365 days
    assert "FY 2018 to August 20, 2018 (about 10.7 of 12 months)" in text(points["Partial years"])
    own = BeautifulSoup(str(points["ICE's and DHS's own figures"]), "html.parser")
    assert "promotional" not in own.get_text() and "not audited" not in own.get_text()
    # "not audited" is the book's reading, marked as such: the annual report does not say so itself
    assert [s.get_text() for s in own.select(".our-reading")] == [
        "Our reading: the report does not say its figures were audited."]
    assert "OIG-20-13: " in text(points["OIG's reports and the memo"])
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


def test_an_abbreviation_in_a_lead_is_written_out_at_first_use_as_its_source_writes_it():
    # OIG-20-13 writes "Criminal Alien Program (CAP)"; its finding's brief says only "CAP", which a reader of the
    # home page or the oversight page's lead had not met. ICE and OIG are the book's own names, left alone.
    data = book()
    assert "Criminal Alien Program (CAP)" in data.texts["oig2013"]
    sentences = [text(f.sentence) for f in key_findings(data, judgements(data, *YEARS)) if f.question == "oversight"]
    cap = [s for s in sentences if "CAP" in s]
    assert cap and "the Criminal Alien Program (CAP)" in cap[0]
    assert sum(s.count("Criminal Alien Program") for s in sentences) == 1  # written out once, at first use
    # only text is changed, never a tag's attribute; an abbreviation already written out is left as it is
    marked = Markup('OIG found that <a title="CAP quote">9</a> CAP works.')
    assert str(spelled_out(data, "oig2013", marked, {"OIG"})) == (
        'OIG found that <a title="CAP quote">9</a> the Criminal Alien Program (CAP) works.')
    done = Markup("OIG found that the Criminal Alien Program (CAP) works.")
    assert spelled_out(data, "oig2013", done, {"OIG"}) == done


def test_the_measures_not_compared_are_said_of_the_years_the_page_shows():
    """'No second year' is true of the years a page shows, not of the sources: OIG's declined detainers have
    FY 2014 and FY 2019, which the oversight page sets side by side. The sentence says which years it means."""
    judged = judgements(book(), [2017, 2018, 2019, 2020])
    sentence = text(not_compared_sentence(judged, years=[2020, 2017, 2019]) or "")
    if sentence:
        assert sentence.startswith("Among the figures for FY 2017 to FY 2020, no change is shown for ")
    assert text(not_compared_sentence(judged) or "No").startswith("No")


def test_ice_s_size_shows_each_figure_s_period_as_every_other_page_does():
    """A period the source does not state is not shown as stated: the home page's size of ICE reads each
    figure's period as the fact index and the comparison do (fmt.period_text)."""
    from icebook.pages.fmt import period_text
    from icebook.pages.keyfindings import _size_parts

    data = book()
    parts = _size_parts(data)
    assert parts  # the annual report gives ICE's workforce and budget
    for part in parts:
        fact_id = re.search(r'href="[^"#]*#([^"]+)"', str(part))[1]
        row = data.fact(fact_id)
        shown = " ".join(Markup(part).striptags().split())
        assert shown.endswith(f"({period_text(row)})"), (fact_id, shown)
