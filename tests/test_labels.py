"""Labels and wording on the real data: plain words from the catalog, the source's own qualifier, inferred
periods marked. Expected values are read off the quoted sentences."""

import pytest

from icebook import book
from icebook.data.catalog import label_is_identifier


@pytest.fixture(scope="module")
def data():
    return book()


def test_every_metric_of_the_facts_has_a_label_that_is_not_its_identifier(data):
    assert set(data.facts["metric"]) <= set(data.metrics)
    spelled = [slug for slug, metric in data.metrics.items() if label_is_identifier(slug, metric.label)]
    assert spelled == []


def test_labels_carry_the_scope_of_their_quotes(data):
    # ar2020: "118,949, or 64%, had criminal convictions or pending criminal charges."
    assert "criminal convictions or pending criminal charges" in data.metrics["ero_removals_criminal"].label
    # oig2013 Appendix C counts offences of aliens ICE arrested (the table is ERO-wide), not CAP arrests
    assert "not CAP alone" in data.metrics["cap_arrest_offense_total"].label


@pytest.mark.parametrize(("fact_id", "words"), [
    ("dhs2018-hsi-narcotics-seized", "almost"),  # "seized almost a million pounds of narcotics"
    ("dhs2018-opla-docket-cases", "well over"),  # "handling a docket of well over 700,000 cases"
    ("ar2020-message-ero-admin-arrests-criminal-share", "approximately"),  # "approximately 90% involving"
    ("ar2020-ihsc-health-care-budget", "exceeding"),  # "executed a budget exceeding $315 million"
    ("oig1751-res-caseload-nondetained-high", "about"),  # a range's end: "about 1,700 to about 10,000"
    ("ar2020-ero-cross-check-xi-robberies", "more than"),  # "more than 1,500 assaults, … more than 50 robberies"
])
def test_the_qualifier_is_the_sources_own_word(data, fact_id, words):
    assert data.facts.at[fact_id, "source_qualifier"] == words
    assert words in data.facts.at[fact_id, "quote"]


def test_a_period_the_source_does_not_state_is_recorded_as_inferred(data):
    # ar2020 lists Operation Silent Night's "2,305 firearms seized" with no period; the book took it as FY 2020
    assert data.facts.at["ar2020-hsi-silent-night-firearms", "period_basis"] == "inferred"
    assert data.facts.at["ar2020-ero-removals", "period_basis"] == "stated"  # "In FY 2020, ICE removed 185,884"



@pytest.mark.parametrize(("metric", "fact_id", "source_words", "label"), [
    # dhs2018: "Of that number, there were 809 MS-13 arrests, 567 of which were criminal and 242 administrative."
    ("hsi_ms13_arrests", "dhs2018-hsi-ms13-arrests", ["MS-13 arrests", "criminal", "administrative"],
     "HSI MS-13 arrests, criminal and administrative together"),
    ("hsi_ms13_admin_arrests", "dhs2018-hsi-ms13-admin-arrests", ["MS-13 arrests", "administrative"],
     "HSI MS-13 administrative arrests"),
    # ar2020: "3,671 TRANSNATIONAL GANGS CRIMINAL ARRESTS INCLUDES 337 MS-13 CRIMINAL ARRESTS"
    ("hsi_ms13_criminal_arrests", "ar2020-hsi-ms13-arrests", ["MS-13 criminal arrests"], "HSI MS-13 criminal arrests"),
    # ar2020: "ICE arrested 4,067 known or suspected gang members, including 675 from MS-13."
    ("ero_ms13_arrests", "ar2020-ero-arrests-ms13", ["known or suspected gang members", "from MS-13"],
     "ERO arrests of known or suspected gang members from MS-13"),
])
def test_an_ms13_label_uses_the_sources_own_term(data, metric, fact_id, source_words, label):
    quote = data.fact(fact_id)["quote"]
    assert all(w.lower() in quote.lower() for w in source_words)
    assert data.metrics[metric].label == label
    assert "MS-13 members" not in quote  # the label's old words, "arrests of MS-13 members", are no source's


def test_no_label_words_ms13_arrests_as_arrests_of_members(data):
    texts = " ".join(" ".join(t.split()) for t in data.texts.values())
    assert "MS-13 arrests" in texts and "MS-13 CRIMINAL ARRESTS" in texts
    assert "MS-13 members" not in texts
    shown = [m.label for m in data.metrics.values()] + list(data.derived["label"])
    assert not [label for label in shown if "MS-13 members" in label]
