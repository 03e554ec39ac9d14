"""Findings, structure and the register: each file read against its schema, its text checked by role."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from icebook.data.collect import Collector
from icebook.data.documents import check_readings, load_findings, load_structure

GOOD = Path(__file__).parent / "fixtures" / "good"


def test_findings_are_keyed_by_their_report_and_their_quotes_queued(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    col = Collector(data)
    findings = load_findings(data, col, {"sample-arrests"}, {"sample": object()})
    assert col.problems == []
    assert list(findings) == ["sample"] and findings["sample"]["title"] == "Sample findings"
    assert "Thirty-four officers took part." in [text for text, _, _ in col.quotes["sample"]]


def test_a_findings_file_naming_no_known_report_is_named_and_left_out(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    col = Collector(data)
    assert load_findings(data, col, {"sample-arrests"}, {"other": object()}) == {}
    assert [(p.file, p.field, p.message) for p in col.problems] == [
        ("data/findings/sample.yaml", "report", "unknown source id 'sample'; known: ['other']")]


def test_structure_and_register_are_optional_and_checked_when_present(tmp_path):
    data = shutil.copytree(GOOD, tmp_path / "data")
    col = Collector(data)
    assert load_structure(data, col, set(), {"sample": object()}) == ({}, [])
    (data / "register.yaml").write_text("- {id: sample-gap, colour: red}\n")
    assert load_structure(data, col, set(), {"sample": object()}) == ({}, [])
    assert {p.field for p in col.problems} >= {"colour"}
    assert {p.file for p in col.problems} == {"data/register.yaml"}


def _reading_problems(tmp_path: Path, summary: str) -> list[str]:
    """The problems with one finding's reading of a made-up report, beside one fact of another source."""
    texts = {"rep": "ICE officers must endeavor to make at-large arrests requiring more effort.",
             "ar": "ICE conducted 10,000 at-large arrests."}
    facts = pd.DataFrame({"source": ["ar"], "quote": ["ICE conducted 10,000 at-large arrests."]},
                         index=["ar-at-large"])
    findings = {"rep": {"findings": [{"id": "rep-finding-1",
                                      "bears_on": {"summary": summary, "facts": ["ar-at-large"]}}]}}
    col = Collector(tmp_path)
    check_readings(findings, facts, texts, tmp_path, col)
    return [p.message for p in col.problems]


def test_a_reading_quotes_its_report_verbatim_and_each_figure_s_own_scope_words(tmp_path):
    good = ('ICE reports {{ar-at-large}} "at-large arrests". OIG found officers "must endeavor to make at-large '
            'arrests requiring more effort".')
    assert _reading_problems(tmp_path, good) == []
    reworded = good.replace("must endeavor to make", "must force more")
    assert _reading_problems(tmp_path, reworded) == [
        "the reading quotes “must force more at-large arrests requiring more effort”, which stands in neither rep "
        "nor the source of a fact it names: quote the words as printed"]
    assert _reading_problems(tmp_path, 'ICE reports it "conducted" {{ar-at-large}} "at-large arrests" in a year.') \
        == []  # "at-large arrests" is the report's words too
    assert _reading_problems(tmp_path, 'ICE reports it "conducted" {{ar-at-large}} "10,000 at-large" arrests.') == [
        "the reading quotes no words of rep: give OIG's own words, in double quotes"]
    unscoped = good.replace('{{ar-at-large}} "at-large arrests"', "{{ar-at-large}} arrests")
    assert _reading_problems(tmp_path, unscoped) == [
        "{{ar-at-large}} is not followed by words of its own quote, in double quotes: say what the figure counts "
        "in its source's words"]


def _speaker_problems(**finding) -> list[tuple[str, str]]:
    from icebook.data.documents import check_speakers
    from icebook.data.schema import Findings
    base = {"id": "f-1", "speaker": "oig", "title": "ICE does not track cases", "brief": "OIG found that it does not.",
            "summary": "OIG found that it does not.", "quote": "ICE does not track cases.", "locator": "Results"}
    record = Findings(report="r", title="R", findings=[base | finding])
    col = Collector(GOOD)
    check_speakers(record, Path("findings/r.yaml"), col)
    return [(p.field, p.message.split(":")[0]) for p in col.problems]


def test_a_quote_reporting_what_ice_staff_said_is_not_oigs_finding():
    # oig1751, p. 8: "According to ICE staff, DOs do not get enough training to help them supervise and deport
    # non-detained aliens." Headed "Deportation Officers do not get enough training" and opened "OIG found that",
    # it passed ICE staff's words off as OIG's finding.
    staff = ("According to ICE staff, DOs do not get enough training to help them supervise and deport "
             "non-detained aliens.")
    assert _speaker_problems(quote=staff) == [
        ("speaker", "the quote reports what ICE's people said ('According to ICE staff'), but speaker is 'oig'")]
    # oig1751, p. 4: "ICE personnel at all four field offices agreed that the workloads ... are unmanageable"
    agreed = ("ICE personnel at all four field offices agreed that the workloads of DOs supervising non-detained "
              "aliens are unmanageable, yet ICE has not tried to determine what is achievable.")
    assert [f for f, _ in _speaker_problems(quote=agreed)] == ["speaker"]
    # "According to ICE policy" (oig2013, p. 11) is a policy, not a speaker
    assert _speaker_problems(quote="According to ICE policy, its officers must document their encounters.") == []


def test_ice_staffs_words_are_headed_and_opened_with_their_verb():
    staff = ("According to ICE staff, DOs do not get enough training to help them supervise and deport "
             "non-detained aliens.")
    assert _speaker_problems(speaker="ice_staff", quote=staff, title="Deportation Officers do not get enough training",
                             brief="OIG found that officers do not get enough training.") == [
        ("brief", "the brief must open with its speaker's verb (ICE staff or officials, as OIG reports them"),
        ("summary", "the summary must open with its speaker's verb (ICE staff or officials, as OIG reports them"),
        ("title", "the title must carry its speaker's verb (ICE staff or officials, as OIG reports them")]
    told = "ICE staff told OIG that officers do not get enough training."
    assert _speaker_problems(speaker="ice_staff", quote=staff, title="ICE staff told OIG that training is lacking",
                             brief=told, summary=told) == []
    # a speaker of ICE staff needs a quote whose own words report their speech
    assert [f for f, _ in _speaker_problems(speaker="ice_staff", title="ICE staff told OIG so", brief=told,
                                            summary=told)] == ["speaker"]


def test_the_real_findings_give_each_finding_in_its_speakers_name():
    from icebook import book
    records = {f["id"]: f for r in book().findings.values() for f in r["findings"]}
    text = book().texts["oig1751"]
    # p. 8: "According to ICE staff, DOs do not get enough training ..."; "Staff at all four field offices said
    # that training was primarily on-the-job and informal."; OIG's own words, p. 3: "and not provided sufficient
    # training."
    staff = records["oig1751-finding-7-staff"]
    assert staff["speaker"] == "ice_staff" and staff["title"].startswith("ICE staff told OIG")
    assert "Staff at all four field offices said that training was primarily on-the-job and informal." in text
    own = records["oig1751-finding-7"]
    assert own["speaker"] == "oig" and own["quote"].endswith("and not provided sufficient training.")
    assert records["oig1751-finding-4"]["speaker"] == "ice_staff"
    assert records["oig1751-finding-8"]["quote"].startswith("ICE’s failure to effectively balance")
    assert all(f["speaker"] == "oig" for f in book().findings["oig2013"]["findings"])
