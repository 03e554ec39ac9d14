"""The consistency detectors: each catches its planted fault and leaves its near-miss alone; every
candidate needs a verdict; the real sources' candidates are pinned, kind by kind.

The fixtures are small made-up texts in tests/fixtures/detect/: ``<kind>_planted.md`` carries the
faults a detector must find, ``<kind>_near_miss.md`` wording that looks alike but agrees.
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path

import jupytext
import pytest
import yaml

from icebook import DataError, load
from icebook.data.detect import KINDS, sweep
from icebook.data.loader import DATA_DIR
from icebook.data.sentences import sentences

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
DETECT = FIXTURES / "detect"

# The candidates the detectors find in these sources (those of the book when the counts were pinned), kind by kind,
# each read and judged in data/verdicts.yaml. A change here means a detector or one of these texts changed: read
# the candidates the failure lists, then judge them. A source added later changes nothing here (validate asks for
# the verdicts on its candidates).
PINNED_SOURCES = ("ar2020", "dhs2018", "oidro", "oig1751", "oig2013")
PINNED = {"same-number": 5, "names": 5, "durations": 4, "terms": 5, "parts-totals": 2, "places": 1}


def _sweep(name: str) -> list:
    return sweep({name: (DETECT / f"{name}.md").read_text(encoding="utf-8")})


def _details(candidates: list, kind: str) -> list[str]:
    return [c.detail for c in candidates if c.kind == kind]


def _real_sources(ids: tuple[str, ...]) -> dict[str, str]:
    registry = yaml.safe_load((DATA_DIR / "sources.yaml").read_text(encoding="utf-8"))
    return {s["id"]: (DATA_DIR / "sources" / s["file"]).read_text(encoding="utf-8") for s in registry
            if s["id"] in ids}


# --- each detector: its planted fault, and a near-miss it must not flag

def test_same_number_flags_one_figure_called_flights_and_people_and_one_count_for_two_years():
    found = _sweep("same_number_planted")
    assert _details(found, "same-number") == ["“flight homebound” against “citizen return”",
                                              "FY 2019 against FY 2020"]
    assert [(c.first.line, c.second.line) for c in found] == [(3, 7), (11, 13)]


def test_same_number_leaves_restated_figures_years_and_citations_alone():
    # 3,671 arrests and 6,105 pounds ("lbs.") restated; 400 statutes and 400 offices in different
    # paragraphs (a round figure); a year; a court citation's page; a public law number; a count
    # restated for the same fiscal year.
    assert _sweep("same_number_near_miss") == []


def test_names_flags_an_acronym_written_out_two_ways_and_a_defined_term_reworded():
    found = _details(_sweep("names_planted"), "names")
    assert found == ["“Enforcement Case Tracing System” against “Enforcement Case Tracking System”",
                     "“lawful permanent residents” against “legal permanent residents”"]


def test_names_ignores_possessives_the_plurals_and_ordinary_words_with_the_same_initials():
    # "U.S. ... Enforcement's (ICE)", "Office of [the] Principal Legal Advisor", "Task Force[s]", and
    # "result of the working group" whose initials happen to spell RWG.
    assert _sweep("names_near_miss") == []


def test_durations_flags_spans_that_disagree_with_the_dates_beside_them():
    found = _details(_sweep("durations_planted"), "durations")
    assert "for the next three years against Fiscal Years 2021–2025 (5 fiscal years)" in found
    assert ("from FY 2014 through FY 2019 (FY 2014–FY 2019) against Between October 1, 2014 and "
            "September 30, 2019 (FY 2015–FY 2019)") in found
    assert ("five-year period against between October 1, 2013 and September 30, 2019 (6 fiscal years)"
            in found), "a span said to be the period reviewed is set against the period analysed"
    assert "work done by April 2019, data analysed to September 2019" in found
    assert len(found) == 4


def test_durations_leaves_spans_that_agree_and_spans_with_no_dates_alone():
    # "these 6 years" for FY 2014 to FY 2019; five years for FY 2021 to FY 2025; work done by October 2016
    # on data to September 2016; "For the past three years" with no dates beside it.
    assert _sweep("durations_near_miss") == []


def test_terms_flags_a_contents_entry_and_a_recommendation_worded_otherwise():
    found = _details(_sweep("terms_planted"), "terms")
    assert found == ["contents “Share”, heading “Duplicate”",
                     "“with pending charges” against “with pending convictions”"]


def test_terms_ignores_case_split_words_verbs_and_first_person_titles():
    # "Duplica tes" (a word split in the copy), "Or"/"or", a recommendation's opening verb ("Review"),
    # "working", and "What We Recommend".
    assert _sweep("terms_near_miss") == []


def test_parts_totals_flags_a_short_list_a_wrong_share_and_a_wrong_increase():
    found = _details(_sweep("parts_totals_planted"), "parts-totals")
    assert sorted(found) == ["20 percent stated, 30.0 recomputed", "89 percent stated, 79.4 recomputed",
                             "four stated, 3 listed"]


def test_parts_totals_leaves_lists_shares_and_increases_that_add_up_alone():
    # six countries listed, two offices, 79 percent of 651,000, an increase of 20.0 percent, and
    # "Recommendation 3:" (a number that is not a count).
    assert _sweep("parts_totals_near_miss") == []


def test_places_flags_one_centre_in_two_towns():
    assert _details(_sweep("places_planted"), "places") == ["Burlington, Vermont against Williston, Vermont"]


def test_places_leaves_one_centre_in_one_town_and_two_centres_in_two_towns_alone():
    assert _sweep("places_near_miss") == []


# --- candidates: where they are, and ids that do not move

def test_passages_keep_their_line_and_section():
    items = sentences("planted", (DETECT / "places_planted.md").read_text(encoding="utf-8"))
    williston = next(p for p in items if "Williston" in p.text)
    assert (williston.line, williston.section) == (3, "Background")
    assert williston.locator == "Background, line 3"


def test_candidate_ids_come_from_content_so_a_new_source_renumbers_nothing():
    planted = (DETECT / "places_planted.md").read_text(encoding="utf-8")
    alone = {c.id for c in sweep({"b": planted})}
    beside = {c.id for c in sweep({"a": (DETECT / "names_planted.md").read_text(encoding="utf-8"), "b": planted})}
    assert alone and alone <= beside
    assert all(cid.startswith("places-lesc-") for cid in alone)


# --- validation: no candidate without a verdict, no verdict without a candidate

def _good_copy_with(tmp_path: Path, planted: str) -> Path:
    """The good fixture folder with one more source: a planted fixture (it prints no numbers)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", data)
    text = (DETECT / f"{planted}.md").read_bytes()
    (data / "sources" / "planted.md").write_bytes(text)
    registry = yaml.safe_load((data / "sources.yaml").read_text(encoding="utf-8"))
    # a deep copy: yaml.safe_dump writes a list met twice as an anchor and an alias, which the book refuses
    registry.append({**copy.deepcopy(registry[0]), "id": "planted", "file": "planted.md", "title": "Planted",
                     "sha256": hashlib.sha256(text).hexdigest()})
    (data / "sources.yaml").write_text(yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")
    return data


def test_a_candidate_with_no_verdict_fails_validation_naming_it(tmp_path):
    data = _good_copy_with(tmp_path, "places_planted")
    (candidate,) = sweep({"planted": (data / "sources" / "planted.md").read_text(encoding="utf-8")})
    with pytest.raises(DataError) as error:
        load(data)
    message = str(error.value)
    assert f"data/verdicts.yaml ({candidate.id}): candidate with no verdict" in message
    assert "Burlington, Vermont against Williston, Vermont" in message


def test_a_judged_candidate_loads_with_its_verdict(tmp_path):
    data = _good_copy_with(tmp_path, "places_planted")
    (candidate,) = sweep({"planted": (data / "sources" / "planted.md").read_text(encoding="utf-8")})
    (data / "verdicts.yaml").write_text(yaml.safe_dump([{"id": candidate.id, "verdict": "inconsistent",
                                                          "reason": "Two towns for one centre."}]), encoding="utf-8")
    row = load(data).detections.loc[candidate.id]
    assert (row["verdict"], row["first_source"], row["kind"]) == ("inconsistent", "planted", "places")


def test_a_verdict_whose_candidate_is_gone_is_reported(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", data)
    (data / "verdicts.yaml").write_text(yaml.safe_dump([{"id": "places-nowhere-00000000", "verdict": "explained",
                                                          "reason": "Gone."}]), encoding="utf-8")
    with pytest.raises(DataError, match=r"places-nowhere-00000000\): verdict for a candidate no detector finds"):
        load(data)


def test_a_verdict_reason_with_a_typed_figure_is_refused(tmp_path):
    data = _good_copy_with(tmp_path, "places_planted")
    (candidate,) = sweep({"planted": (data / "sources" / "planted.md").read_text(encoding="utf-8")})
    (data / "verdicts.yaml").write_text(yaml.safe_dump([{"id": candidate.id, "verdict": "inconsistent",
                                                          "reason": "The towns are 1,250 miles apart."}]),
                                        encoding="utf-8")
    with pytest.raises(DataError, match=r"typed into prose"):
        load(data)


# --- the real sources

def test_real_sources_candidate_counts_are_pinned():
    candidates = sweep(_real_sources(PINNED_SOURCES))
    counts = Counter(c.kind for c in candidates)
    verdicts = {v["id"] for v in yaml.safe_load((DATA_DIR / "verdicts.yaml").read_text(encoding="utf-8"))}
    new = [f"  new {c.id}: {c.detail} ({c.first.source} line {c.first.line}, {c.second.source} line "
           f"{c.second.line})" for c in candidates if c.id not in verdicts]
    gone = [f"  gone {vid}" for vid in sorted(verdicts - {c.id for c in candidates})]
    changed = {kind: f"{PINNED.get(kind, 0)} -> {counts.get(kind, 0)}" for kind in KINDS
               if counts.get(kind, 0) != PINNED.get(kind, 0)}
    assert not changed, (f"candidate counts changed by kind {changed}; the detectors or the sources changed:\n"
                         + "\n".join(new + gone))


def test_checking_page_has_a_heading_for_each_kind_of_detector():
    """Each kind's section is a heading in the chapter's text followed by the cell that lists its findings."""
    cells = jupytext.read(ROOT / "chapters" / "checking.md").cells
    kinds = [(cell, re.search(r'findings\(data, "([\w-]+)"\)', after.source))
             for cell, after in zip(cells, cells[1:], strict=False)]
    sections = {found[1]: cell.source.removeprefix("### ") for cell, found in kinds
                if cell.cell_type == "markdown" and cell.source.startswith("### ") and found}
    assert sections == KINDS


def test_the_sweep_is_kept_by_its_texts_and_each_caller_gets_a_list_of_its_own():
    """A sweep of the same texts is worked out once per process (the preview's build server sweeps before it
    forks its builds); a change to a text is a new sweep, and a caller's changes to its list reach no one."""
    planted = (DETECT / "same_number_planted.md").read_text(encoding="utf-8")
    first = sweep({"a": planted})
    first.clear()
    again = sweep({"a": planted})
    assert again and [c.id for c in again] == [c.id for c in sweep({"a": planted})]
    assert sweep({"a": (DETECT / "same_number_near_miss.md").read_text(encoding="utf-8")}) == []
