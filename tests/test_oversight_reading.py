"""The oversight page's "Our reading" (each finding's ``bears_on``) says no more than OIG does: it quotes OIG's own
words, verbatim, with their qualifiers, and quotes each ICE figure's scope as the figure's own source words it."""

import re

import pytest

from icebook import book
from icebook.data.prose import FACT_REF
from icebook.pages import fmt


@pytest.fixture(scope="module")
def data():
    return book()


def _readings(data):
    return [(report, finding) for report, record in sorted(data.findings.items())
            for finding in record.get("findings", []) if finding.get("bears_on")]


def _quoted(text: str) -> list[str]:
    return re.findall(r'"([^"]*)"', " ".join(text.split()))


def test_every_quoted_part_of_our_reading_is_verbatim_in_oig_s_report_or_the_figure_s_source(data):
    readings = _readings(data)
    assert readings
    for report, finding in readings:
        summary = finding["bears_on"]["summary"]
        quoted = _quoted(summary)
        texts = {report, *(data.fact(i)["source"] for i in FACT_REF.findall(summary))}
        assert any(q in data.texts[report] for q in quoted), f"{finding['id']} quotes no words of {report}"
        for part in quoted:
            assert any(part in data.texts[s] for s in texts), f"{finding['id']}: {part!r} is in no source it names"


def test_each_ice_figure_in_our_reading_is_followed_by_its_own_quote_s_scope_words(data):
    # "more than 127,000 aliens with criminal convictions or pending criminal charges" (dhs2018): a reading that
    # names the figure quotes its scope from that sentence, not a shorter name ("or pending charges")
    for _, finding in _readings(data):
        summary = " ".join(finding["bears_on"]["summary"].split())
        for fact_id in finding["bears_on"]["facts"]:
            after = summary.split(f"{{{{{fact_id}}}}}", 1)[1]
            scope = _quoted(after)[0]
            assert scope in " ".join(data.fact(fact_id)["quote"].split()), (finding["id"], fact_id, scope)


def test_our_reading_keeps_oig_s_words_for_at_large_arrests_and_the_size_of_its_sample(data):
    readings = {finding["id"]: finding["bears_on"]["summary"] for _, finding in _readings(data)}
    # OIG-20-13: "ICE officers must endeavor to make at-large arrests requiring more effort" (not "force more")
    at_large = " ".join(readings["oig2013-finding-1"].split())
    assert any("at-large arrests requiring more effort" in q for q in _quoted(at_large))
    assert "force" not in at_large
    # OIG tested "67 alien cases": what the counts rest on is a possibility, and the sample's size is given
    documentation = " ".join(readings["oig2013-finding-3"].split())
    assert "may rest on" in documentation and "{{oig2013-r3-cases-reviewed}}" in documentation
    # and the pending-charges finding keeps "or pending criminal charges" for the removals share
    assert "had criminal convictions or pending criminal charges" in _quoted(readings["oig2013-finding-4"])


def test_our_reading_shows_oig_s_words_as_quotes_and_the_figures_traced(data):
    summary = next(f for _, f in _readings(data) if f["id"] == "oig2013-finding-1")["bears_on"]["summary"]
    shown = str(fmt.quoted_note(" ".join(summary.split())))
    assert '<q class="source-quote">at-large arrests</q>' in shown
    assert 'href="facts-ar2020.html#ar2020-ero-at-large-arrests"' in shown and "{{" not in shown


def test_a_finding_s_summary_quotes_oig_verbatim_with_its_may(data):
    # OIG-20-13: having to arrest "at-large" aliens "may put officer, detainee, and public safety at risk"
    for report, record in sorted(data.findings.items()):
        for finding in record.get("findings", []):
            for part in _quoted(finding["summary"]):
                assert part in data.texts[report], (finding["id"], part)
    first = next(f for f in data.findings["oig2013"]["findings"] if f["id"] == "oig2013-finding-1")
    assert any(q.startswith("may put officer, detainee, and public safety at risk") for q in _quoted(first["summary"]))


def test_the_at_large_finding_keeps_oig_s_sometimes_and_its_as_of_date(data):
    # OIG-20-13: "ICE sometimes faces challenges apprehending aliens in uncooperative jurisdictions"; "As of
    # September 30, 2019, the remaining 17,700 remained at-large."
    first = next(f for f in data.findings["oig2013"]["findings"] if f["id"] == "oig2013-finding-1")
    assert "sometimes faces challenges apprehending" in first["brief"] and "struggles" not in first["title"]
    assert "as of September 30, 2019" in first["brief"]
    assert "sometimes faces challenges apprehending aliens in uncooperative jurisdictions" in data.texts["oig2013"]
