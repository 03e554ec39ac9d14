"""The claims audit: a stated percentage recomputed from its parts gets the right verdict."""

import shutil
from pathlib import Path

import pytest

from icebook import load

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
