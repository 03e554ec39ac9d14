"""Rendering lint and the trace check on planted faults: each small page in fixtures/site_faults holds one
fault, and the check names the page and the text."""

import shutil
from pathlib import Path

import pytest

from icebook.site.checks import check_site

FAULTS = Path(__file__).parent / "fixtures" / "site_faults"

CASES = {
    "stacked_qualifier": "doubled or stacked qualifier 'about about' in “ICE was supervising about about 2.2 million",
    "unfilled_placeholder": "unfilled placeholder '{{ar2020-ero-removals}}' in “Part of the",
    "missing_value": "missing value shown 'nan' in “nan”",
    "repeated_row": "table row repeated: “Removals | consistent”",
    "repeated_item": "list item repeated: “ICE reported its removals.”",
    "repeated_note": "note repeated in a table's rows, not said once: “The copy lost the chart's layout",
    "untraced_number_in_note": "untraced number '143,099' in “Of the size of the widely reported count",
    "book_words_styled_as_quote": "styled as a source's words but in no source: “none printed”",
    "tooltip_stacked_qualifier": "doubled or stacked qualifier 'about about' (in a title attribute) in “about about",
    "tooltip_unfilled_placeholder": "unfilled placeholder '{{ar2020-ero-removals}}' (in a title attribute)",
    "tooltip_missing_value": "missing value shown 'nan' (in a data-quote attribute) in “Share: part / whole",
    "hyphen_minus": "hyphen-minus used as a minus sign '-' in “HSI reported a change of -23.8%",
    "doubled_parenthetical": "doubled parenthetical '(stated again) (stated again)' in “Field offices OIG visited",
    "internal_name": "internal name 'traffic_dui' shown in “traffic_dui + traffic”",
    "candidate_id": "candidate id 'parts-totals-from-137-000-in-fy-2014' shown in “parts-totals",
    "raw_unit_code": "raw unit code 'usd' shown in “· usd · as printed · FY 2020”",
    "fact_id": "fact id 'oig2013-r3-cases-reviewed' shown in “oig2013-r3-cases-reviewed”",
}
SOURCE_TEXTS = {"sample": "ICE was supervising about 2.2 million aliens."}


def test_every_fault_fixture_has_a_case():
    assert sorted(p.stem for p in FAULTS.glob("*.html")) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_planted_fault_fails_the_site_check_naming_page_and_text(case, tmp_path):
    shutil.copy(FAULTS / f"{case}.html", tmp_path / f"{case}.html")
    (tmp_path / "facts.html").write_text('<html><body><article><div id="f">x</div></article></body></html>')
    problems = check_site(tmp_path, texts=SOURCE_TEXTS)
    assert any(p.startswith(f"{case}.html: ") and CASES[case] in p for p in problems), problems


def test_a_source_quote_that_a_source_prints_passes(tmp_path):
    (tmp_path / "page.html").write_text('<html><body><article><p><q class="source-quote">“ICE was supervising about '
                                        '2.2 million aliens.”</q></p></article></body></html>')
    assert check_site(tmp_path, texts=SOURCE_TEXTS) == []


def test_a_hyphen_flags_only_a_minus_sign_not_a_document_number_range_or_date(tmp_path):
    shutil.copy(FAULTS / "hyphen_minus.html", tmp_path / "page.html")
    (tmp_path / "facts.html").write_text('<html><body><article><div id="f">x</div></article></body></html>')
    faults = [p for p in check_site(tmp_path, texts=SOURCE_TEXTS) if "hyphen-minus" in p]
    assert len(faults) == 1  # "-23.8%" only: not "OIG-20-13", "2014-2019" or "2020-02-18"


def test_a_page_written_for_analysts_may_show_names_as_code(tmp_path):
    (tmp_path / "methods.html").write_text("<html><body><article><p>Run with <code>-p baseline_year=2019</code>."
                                           "</p></article></body></html>")
    assert check_site(tmp_path, texts=SOURCE_TEXTS) == []


def test_a_pointer_to_a_note_said_under_the_table_is_no_repeated_note(tmp_path):
    shutil.copy(FAULTS / "repeated_note.html", tmp_path / "page.html")
    (tmp_path / "facts.html").write_text('<html><body><article><div id="f">x</div></article></body></html>')
    faults = [p for p in check_site(tmp_path, texts=SOURCE_TEXTS) if "note repeated" in p]
    assert len(faults) == 1 and "lost the chart's layout" in faults[0]  # not the rows that only say "Note a below."
