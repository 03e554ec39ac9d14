"""The claims audit: a stated percentage recomputed from its parts gets the right verdict."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from icebook import DataError, load

FIXTURES = Path(__file__).parent / "fixtures"


def test_claims_recomputed_with_verdicts():
    audit = load(FIXTURES / "good").audit
    share = audit.loc["sample-share-restated"]
    assert share["stated"] == 40 and share["recomputed"] == pytest.approx(40)
    assert share["verdict"] == "consistent"
    assert audit.loc["sample-officers-uncheckable", "verdict"] == "uncheckable"


def test_planted_wrong_percentage_is_reported_inconsistent(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", data)
    shutil.copy(FIXTURES / "claims_planted" / "claims.yaml", data / "claims.yaml")
    claim = load(data).audit.loc["sample-planted-wrong-share"]
    assert claim["recomputed"] == pytest.approx(34 / 1250 * 100)
    assert claim["difference"] == pytest.approx(34 / 1250 * 100 - 40)
    assert claim["verdict"] == "inconsistent"


def _with_claims(tmp_path: Path, claims: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", data)
    shutil.copy(FIXTURES / "claims_planted" / claims, data / "claims.yaml")
    return data


def test_a_count_claim_listing_an_item_the_source_does_not_print_is_refused(tmp_path):
    data = _with_claims(tmp_path, "count_claims.yaml")
    with pytest.raises(DataError) as error:
        load(data)
    problems = [str(p) for p in error.value.problems]
    assert problems == ["data/claims.yaml (sample-planted-unprinted-item), field 'listed': listed item 'Detentions' "
                        "is not in source 'sample'"]


def test_a_count_that_its_listed_items_do_not_give_is_inconsistent(tmp_path):
    data = _with_claims(tmp_path, "count_claims.yaml")
    text = (data / "claims.yaml").read_text(encoding="utf-8")
    (data / "claims.yaml").write_text(text.split("- id: sample-planted-unprinted-item")[0], encoding="utf-8")
    claim = load(data).audit.loc["sample-planted-wrong-count"]
    assert (claim["stated"], claim["recomputed"], claim["verdict"]) == (34, 2, "inconsistent")


def test_a_count_claim_must_list_what_it_counts_and_each_item_must_stand_in_the_source():
    from icebook.data.audit import check_listed
    from icebook.data.collect import Collector
    from icebook.data.schema import Claim

    facts = pd.DataFrame({"source": ["s"]}, index=["s-officers"])
    claims = [Claim(id="s-none", fact="s-officers", kind="count", rounding="exact", tolerance=0),
              Claim(id="s-two", fact="s-officers", kind="count", listed=["Detention", "Removal"], rounding="exact",
                    tolerance=0)]
    col = Collector(Path("/project/data"))
    check_listed(claims, facts, {"s": "Units: Detention and Transport."}, Path("/project/data/claims.yaml"), col)
    assert [(p.record, p.message) for p in col.problems] == [
        ("s-none", "a count claim lists the items it counts"),
        ("s-two", "listed item 'Removal' is not in source 's'")]
