"""The claims audit: each claim recomputed from its parts, with a verdict."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from icebook.core.text import normalise
from icebook.data.collect import Collector
from icebook.data.derive import evaluate
from icebook.data.schema import Claim

VERDICTS = {"consistent": "consistent within the stated rounding",
            "inconsistent": "inconsistent", "uncheckable": "cannot be checked: parts not reported"}


def audit_claims(claims: list[Claim], facts: pd.DataFrame, derived: pd.DataFrame, known: set[str],
                 path: Path, col: Collector) -> pd.DataFrame:
    """Recompute every claim from its parts and give a verdict; an unknown fact or bad formula is a problem."""
    rows = []
    values = dict(zip(facts.index.tolist(), facts["value"].tolist(), strict=True))  # a look-up per claim, not .at
    for claim in claims:
        refs = [claim.fact, *claim.inputs.values(), *([claim.implies] if claim.implies else [])]
        missing = [ref for ref in refs if ref not in known]
        for ref in missing:
            if not col.accounted_for(ref):  # a refused fact or figure was reported where it is
                col.add(path, f"names unknown fact {ref!r}", record=claim.id)
        if missing:
            continue
        stated = float(values[claim.fact])
        recomputed = difference = None
        verdict = "uncheckable"
        if claim.kind == "count":
            recomputed = float(len(claim.listed))
            difference = recomputed - stated
            verdict = "consistent" if abs(difference) <= claim.tolerance else "inconsistent"
        elif claim.formula:
            names = {name: float(values[ref]) if ref in values else float(derived.at[ref, "value"])
                     for name, ref in claim.inputs.items()}
            try:
                recomputed = evaluate(claim.formula, names)
            except ZeroDivisionError:
                col.add(path, f"formula {claim.formula!r} divides by zero", record=claim.id, field="formula")
                continue
            except Exception as error:  # simpleeval raises several types for a bad formula
                col.add(path, f"formula {claim.formula!r} cannot be evaluated: {error}", record=claim.id,
                        field="formula")
                continue
            difference = recomputed - stated
            verdict = "consistent" if abs(difference) <= claim.tolerance + 1e-9 else "inconsistent"
        rows.append({**claim.model_dump(), "stated": stated, "recomputed": recomputed,
                     "difference": difference, "verdict": verdict})
    columns = [*Claim.model_fields, "stated", "recomputed", "difference", "verdict"]
    return pd.DataFrame(rows, columns=columns).set_index("id", drop=False)


def check_percentages_claimed(claims: list[Claim], facts: pd.DataFrame, data_dir: Path, col: Collector) -> None:
    """Every percentage a source states is a claim's fact in claims.yaml, so the checking page recomputes it from
    its parts or says it cannot."""
    claimed = {claim.fact for claim in claims}
    percentages = facts[(facts["unit"] == "percent") & ~facts.index.isin(claimed)]
    for row in percentages[["printed", "csv_file", "csv_line"]].itertuples():
        col.add(data_dir.parent / row.csv_file, f"states a percentage ({row.printed}) that no claim in "
                "data/claims.yaml checks: add a claim with this fact, its formula and inputs, or with no formula if "
                "the source does not give its parts", row=row.csv_line, record=row.Index, field="unit")


def check_listed(claims: list[Claim], facts: pd.DataFrame, texts: dict[str, str], path: Path,
                 col: Collector) -> None:
    """A count claim lists its items as printed: each must stand in its fact's source, and a count needs some."""
    for claim in claims:
        if claim.kind == "count" and not claim.listed:
            col.add(path, "a count claim lists the items it counts", record=claim.id, field="listed")
        source = facts.at[claim.fact, "source"] if claim.fact in facts.index else None
        for item in claim.listed:
            if source in texts and normalise(item) not in texts[source]:
                col.add(path, f"listed item {item!r} is not in source {source!r}", record=claim.id, field="listed")


AUDIT_GROUPS = ("inconsistent", "consistent", "uncheckable", "restated")


def audit_groups(audit: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The audit as the checking page lists it, each claim in one group: the claims checked against their parts by
    verdict, and apart from them ("restated") the figures a source prints twice whose printings agree, exactly or
    within the rounding stated. A figure printed twice whose printings disagree is inconsistent with the rest."""
    restated = (audit["kind"] == "repeat") & (audit["verdict"] == "consistent")
    groups = {verdict: audit[~restated & (audit["verdict"] == verdict)] for verdict in AUDIT_GROUPS[:3]}
    return {**groups, "restated": audit[restated]}
